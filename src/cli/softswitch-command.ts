/**
 * commander's Command, made to keep the one-line error rule: a command group called without
 * a subcommand (`softswitch user`) fails with one `error:` line instead of printing its help
 * to stderr. Subcommands inherit this class through `createCommand`.
 */
import { Command, type HelpContext } from 'commander';
import { UsageError } from './cli-error.js';

export class SoftswitchCommand extends Command {
  override createCommand(name?: string): SoftswitchCommand {
    return new SoftswitchCommand(name);
  }

  override help(context?: HelpContext): never;
  override help(cb: (str: string) => string): never;
  override help(context?: HelpContext | ((str: string) => string)): never {
    if (typeof context === 'object' && context.error) {
      const names = this.commands.map((c) => c.name()).filter((n) => n !== 'help');
      throw new UsageError(`missing command: ${this.commandPath()} ${names.join('|')} (see ${this.commandPath()} --help)`);
    }
    return typeof context === 'function' ? super.help(context) : super.help(context);
  }

  /** "softswitch user add", for messages. */
  commandPath(): string {
    const names: string[] = [];
    for (let c: Command | null = this as Command; c; c = c.parent) names.unshift(c.name());
    return names.join(' ');
  }
}

/** commander's own message ("error: unknown command 'usr'\n(Did you mean user?)") as one line. */
export function oneLine(message: string): string {
  const text = message.replace(/^error:\s*/i, '').replace(/\s*\n\s*/g, ' ').trim();
  return text.replace(/\(Did you mean/, '(did you mean');
}
