// Loads the RFC 4475 torture messages (test/vectors/rfc4475) for the SIP message tests.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMessage } from '../../../src/sip/parser.js';
import type { SipRequest, SipResponse } from '../../../src/sip/message.js';

// Tests run from dist/test/unit/sip; the vectors stay in the source tree.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'test', 'vectors', 'rfc4475');

export type VectorKind = 'valid' | 'invalid' | 'semantic';

export function vectorBytes(kind: VectorKind, name: string): Buffer {
  return readFileSync(join(root, kind, `${name}.dat`));
}

export function vectorNames(kind: VectorKind): string[] {
  return readdirSync(join(root, kind))
    .filter((f) => f.endsWith('.dat'))
    .map((f) => f.slice(0, -4))
    .sort();
}

/** Parses a vector that must parse; throws with the parser's reason otherwise. */
export function parsed(kind: VectorKind, name: string): SipRequest | SipResponse {
  const r = parseMessage(vectorBytes(kind, name));
  if (!r.ok) throw new Error(`${name} did not parse: ${r.status} ${r.error}`);
  return r.message;
}

export function parsedRequest(kind: VectorKind, name: string): SipRequest {
  const m = parsed(kind, name);
  if (m.kind !== 'request') throw new Error(`${name} is not a request`);
  return m;
}

export function parsedResponse(kind: VectorKind, name: string): SipResponse {
  const m = parsed(kind, name);
  if (m.kind !== 'response') throw new Error(`${name} is not a response`);
  return m;
}
