/** Side effects of a directory change, one indented line each under the confirmation line. */
import { describeEffect, type DirectoryEffect } from '../../app/directory/directory.js';

export function effectLines(effects: DirectoryEffect[]): string {
  return effects.map((e) => `  ${describeEffect(e)}\n`).join('');
}
