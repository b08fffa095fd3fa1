// Loads the SDP bodies of test/vectors/sdp (see its README for where each one comes from).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { SdpError } from '../../../../src/rtp/sdp/index.js';

// Tests run from dist/test/unit/rtp/sdp; the vectors stay in the source tree.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', 'test', 'vectors', 'sdp');

/** The raw bytes of test/vectors/sdp/<name>.sdp (malformed ones: 'malformed/<name>'). */
export function sdpVector(name: string): Buffer {
  return readFileSync(join(root, `${name}.sdp`));
}

export function sdpVectorNames(folder = ''): string[] {
  return readdirSync(join(root, folder))
    .filter((f) => f.endsWith('.sdp'))
    .map((f) => f.slice(0, -4))
    .sort();
}

/** Runs `fn`, which must throw an SdpError with `status`; returns it. */
export function sdpErrorOf(fn: () => unknown, status: 400 | 488): SdpError {
  try {
    fn();
  } catch (err) {
    assert.instance(err, SdpError);
    assert.is((err as SdpError).status, status, (err as Error).message);
    return err as SdpError;
  }
  assert.unreachable(`expected SdpError(${status})`);
  throw new Error('unreachable');
}

/** An SDP body from lines, CRLF-terminated as on the wire. */
export function sdp(...lines: string[]): string {
  return lines.map((l) => `${l}\r\n`).join('');
}
