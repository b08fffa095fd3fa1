// Hostile input: seeded random and mutated datagrams never make parseMessage throw, every
// accepted message serializes to something that parses again, and the typed accessors fail
// only with SipSyntaxError.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SipSyntaxError } from '../../../src/sip/errors.js';
import * as headers from '../../../src/sip/headers/index.js';
import type { SipMessage } from '../../../src/sip/message.js';
import { parseMessage } from '../../../src/sip/parser.js';
import { checkRequest } from '../../../src/sip/request-checks.js';
import { createResponse } from '../../../src/sip/response.js';
import { serializeMessage } from '../../../src/sip/serializer.js';
import { parseUri, requestUri } from '../../../src/sip/uri.js';
import { vectorBytes, vectorNames, type VectorKind } from './vectors.js';

/** mulberry32: a small deterministic PRNG, so a failure replays with its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const corpus: Buffer[] = (['valid', 'invalid', 'semantic'] as VectorKind[]).flatMap((k) => vectorNames(k).map((n) => vectorBytes(k, n)));
const SPECIAL = Buffer.from(' \t\r\n;,:<>"\\%=@?&/[]*\x00\xff\x80');

function mutate(src: Buffer, rnd: () => number): Buffer {
  let b = Buffer.from(src);
  const int = (n: number) => Math.floor(rnd() * n);
  const rounds = 1 + int(6);
  for (let r = 0; r < rounds; r++) {
    const at = int(b.length + 1);
    switch (int(7)) {
      case 0: // flip a byte
        if (b.length) b[Math.min(at, b.length - 1)] = int(256);
        break;
      case 1: // insert a grammar-significant byte
        b = Buffer.concat([b.subarray(0, at), SPECIAL.subarray(int(SPECIAL.length)).subarray(0, 1), b.subarray(at)]);
        break;
      case 2: // delete a range
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + int(40))]);
        break;
      case 3: // duplicate a range
        b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + int(80)), b.subarray(at)]);
        break;
      case 4: // truncate
        b = b.subarray(0, at);
        break;
      case 5: // a long run of one special byte
        b = Buffer.concat([b.subarray(0, at), Buffer.alloc(1 + int(2000), SPECIAL[int(SPECIAL.length)]!), b.subarray(at)]);
        break;
      default: // splice with another message
        b = Buffer.concat([b.subarray(0, at), corpus[int(corpus.length)]!.subarray(int(300))]);
    }
  }
  return b;
}

/** Calls every typed accessor; each may refuse the value, but only with SipSyntaxError. */
function readEverything(m: SipMessage): void {
  const readers: Array<() => unknown> = [
    () => headers.vias(m), () => headers.topVia(m), () => headers.cseq(m), () => headers.from(m), () => headers.to(m),
    () => headers.callId(m), () => headers.contacts(m), () => headers.routes(m), () => headers.recordRoutes(m),
    () => headers.maxForwards(m), () => headers.expires(m), () => headers.contentType(m), () => headers.contentLength(m),
    () => headers.supported(m), () => headers.requireTags(m), () => headers.proxyRequire(m), () => headers.reasons(m),
    () => headers.authorizations(m), () => headers.authorizations(m, 'Proxy-Authorization'), () => headers.accept(m),
    () => headers.date(m), () => headers.paths(m),
  ];
  if (m.kind === 'request') readers.push(() => requestUri(m), () => checkRequest(m), () => createResponse(m, 400, undefined, { toTag: 'x' }));
  const c = (() => { try { return headers.contacts(m); } catch { return []; } })();
  if (c !== '*') for (const n of c) readers.push(() => parseUri(n.uri));
  for (const read of readers) {
    try {
      read();
    } catch (e) {
      if (!(e instanceof SipSyntaxError)) throw e;
    }
  }
}

function check(buf: Buffer, label: string): void {
  let r;
  try {
    r = parseMessage(buf);
  } catch (e) {
    assert.unreachable(`${label}: parseMessage threw ${(e as Error).stack}\n${JSON.stringify(buf.toString('latin1'))}`);
    return;
  }
  if (!r.ok) {
    assert.type(r.error, 'string');
    assert.ok(r.status >= 400 && r.status < 600, label);
    if (r.request) serializeMessage(createResponse(r.request, r.status));
    return;
  }
  readEverything(r.message);
  const again = parseMessage(serializeMessage(r.message));
  assert.ok(again.ok, `${label}: serialized form of an accepted message does not parse: ${again.ok ? '' : again.error}\n${JSON.stringify(buf.toString('latin1'))}`);
}

test('3000 mutated torture messages never make the parser throw (seeded, replayable)', () => {
  const rnd = prng(4475);
  for (let i = 0; i < 3000; i++) {
    const src = corpus[i % corpus.length]!;
    check(mutate(src, rnd), `mutation ${i}`);
  }
});

test('1000 random byte strings never make the parser throw', () => {
  const rnd = prng(3261);
  for (let i = 0; i < 1000; i++) {
    const len = Math.floor(rnd() * 600);
    const b = Buffer.alloc(len);
    for (let j = 0; j < len; j++) b[j] = rnd() < 0.5 ? SPECIAL[Math.floor(rnd() * SPECIAL.length)]! : Math.floor(rnd() * 256);
    // Half of them behind a plausible start line, so the header code is reached.
    const msg = i % 2 ? Buffer.concat([Buffer.from('INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n'), b]) : b;
    check(msg, `random ${i}`);
  }
});

test('pathological values (deep runs of separators, huge numbers, many headers) are refused or accepted, never thrown', () => {
  const base = (extra: string) =>
    Buffer.from(
      'REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n' +
        `To: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\n${extra}\r\nContent-Length: 0\r\n\r\n`,
    );
  const cases = [
    `Contact: ${'<'.repeat(20000)}`,
    `Contact: "${'\\"'.repeat(20000)}`,
    `Contact: <sip:a@b>${';x'.repeat(5000)}`,
    `Contact: ${'a '.repeat(20000)}<sip:a@b>`,
    `Via: SIP/2.0/UDP h${';'.repeat(20000)}`,
    `Expires: ${'9'.repeat(50000)}`,
    `Max-Forwards: ${'0'.repeat(50000)}1`,
    `Authorization: Digest ${'a=b, '.repeat(5000)}c=d`,
    `Authorization: Digest realm="${'\\'.repeat(30000)}`,
    `Authorization: Digest ${Array.from({ length: 5000 }, (_, i) => `p${i}="v\\"w"`).join(', ')}`,
    `Contact: ${'"x" <sip:a@b>, '.repeat(3000)}<sip:c@d>`,
    `Route: ${'<sip:a@b>,'.repeat(3000)}<sip:c@d>`,
    `X: ${'\r\n '.repeat(5000)}y`,
    'X: y\r\n'.repeat(3000) + 'Y: z',
  ];
  for (const [i, c] of cases.entries()) check(base(c), `pathological ${i}`);
  // A huge CSeq number and Content-Length are refused without big-number arithmetic.
  const huge = parseMessage(Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nCSeq: ${'9'.repeat(100000)} OPTIONS\r\n\r\n`));
  assert.not.ok(huge.ok);
  const bigLength = parseMessage(Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nCSeq: 1 OPTIONS\r\nl: ${'9'.repeat(1000)}\r\n\r\n`));
  assert.not.ok(bigLength.ok);
});

test.run();
