// SIP message layer micro-benchmark: parse and serialize a REGISTER with digest credentials
// (the registrar's hot path) and an INVITE with SDP. Prints a table and writes
// bench/results/sip-parse.json. Not a test: figures depend on the machine.
//
//   npx tsc -p . && node dist/bench/sip-parse.js [--rounds 15] [--ms 100]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { authorizations, contacts, expires, cseq, callId, from, to, topVia } from '../src/sip/headers/index.js';
import type { SipRequest } from '../src/sip/message.js';
import { parseMessage } from '../src/sip/parser.js';
import { createResponse } from '../src/sip/response.js';
import { serializeMessage } from '../src/sip/serializer.js';
import { requestUri } from '../src/sip/uri.js';

const REGISTER = Buffer.from(
  [
    'REGISTER sip:pbx.example.com SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.44:5060;rport;branch=z9hG4bK.Yq3kNgs1vx',
    'Max-Forwards: 70',
    'From: "Alice Example" <sip:alice@pbx.example.com>;tag=mYh8DpQc2',
    'To: "Alice Example" <sip:alice@pbx.example.com>',
    'Call-ID: Cp3ZWvBP1b@192.0.2.44',
    'CSeq: 21 REGISTER',
    'Contact: <sip:alice@192.0.2.44:5060;transport=udp>;+sip.instance="<urn:uuid:6b1f1d3e-5f4c-4a1b-9d0e-2f6a1c9b8e77>";expires=3600',
    'Expires: 3600',
    'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, UPDATE',
    'Supported: replaces, outbound, gruu, path',
    'User-Agent: Linphone-Desktop/5.2.6 (belle-sip/5.2.98)',
    'Authorization: Digest realm="pbx.example.com", nonce="e5b1c2a4d6f8091a3b5c7d9e1f2a4b6c", algorithm=SHA-256, ' +
      'opaque="1c3e5a7b9d", username="alice", uri="sip:pbx.example.com", ' +
      'response="3f7a2c9e1b5d8f0a6c4e2b9d7f1a3c5e8b0d2f4a6c8e1b3d5f7a9c2e4b6d8f0a", cnonce="a1b2c3d4", nc=00000001, qop=auth',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n'),
);

const SDP =
  'v=0\r\no=alice 2890844526 2890844527 IN IP4 192.0.2.44\r\ns=-\r\nc=IN IP4 192.0.2.44\r\nt=0 0\r\n' +
  'm=audio 49170 RTP/AVP 0 8 9 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:9 G722/8000\r\n' +
  'a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n';

const INVITE = Buffer.from(
  [
    'INVITE sip:3001@pbx.example.com SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.44:5060;rport;branch=z9hG4bK.b8Xy1rT0',
    'Max-Forwards: 70',
    'From: "Alice Example" <sip:alice@pbx.example.com>;tag=q1w2e3r4',
    'To: <sip:3001@pbx.example.com>',
    'Call-ID: 8sj2KxQ0aP@192.0.2.44',
    'CSeq: 20 INVITE',
    'Contact: <sip:alice@192.0.2.44:5060;transport=udp>',
    'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, UPDATE',
    'Supported: replaces, outbound, timer',
    'Session-Expires: 1800',
    'User-Agent: Linphone-Desktop/5.2.6 (belle-sip/5.2.98)',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(SDP)}`,
    '',
    SDP,
  ].join('\r\n'),
);

function parsedRequest(buf: Buffer): SipRequest {
  const r = parseMessage(buf);
  if (!r.ok || r.message.kind !== 'request') throw new Error(`bench input does not parse: ${r.ok ? 'response' : r.error}`);
  return r.message;
}

/** The REGISTER's information as JSON: JSON.parse (native code) is a machine-speed yardstick. */
const REGISTER_JSON = Buffer.from(
  JSON.stringify({
    method: 'REGISTER', uri: 'sip:pbx.example.com',
    via: [{ transport: 'UDP', host: '192.0.2.44', port: 5060, rport: null, branch: 'z9hG4bK.Yq3kNgs1vx' }],
    maxForwards: 70, from: { displayName: 'Alice Example', uri: 'sip:alice@pbx.example.com', tag: 'mYh8DpQc2' },
    to: { displayName: 'Alice Example', uri: 'sip:alice@pbx.example.com' }, callId: 'Cp3ZWvBP1b@192.0.2.44',
    cseq: { seq: 21, method: 'REGISTER' },
    contact: [{ uri: 'sip:alice@192.0.2.44:5060;transport=udp', params: { '+sip.instance': '<urn:uuid:6b1f1d3e-5f4c-4a1b-9d0e-2f6a1c9b8e77>', expires: 3600 } }],
    expires: 3600, allow: ['INVITE', 'ACK', 'CANCEL', 'OPTIONS', 'BYE', 'REFER', 'NOTIFY', 'MESSAGE', 'SUBSCRIBE', 'INFO', 'UPDATE'],
    supported: ['replaces', 'outbound', 'gruu', 'path'], userAgent: 'Linphone-Desktop/5.2.6 (belle-sip/5.2.98)',
    authorization: { scheme: 'Digest', realm: 'pbx.example.com', nonce: 'e5b1c2a4d6f8091a3b5c7d9e1f2a4b6c', algorithm: 'SHA-256', opaque: '1c3e5a7b9d', username: 'alice', uri: 'sip:pbx.example.com', response: '3f7a2c9e1b5d8f0a6c4e2b9d7f1a3c5e8b0d2f4a6c8e1b3d5f7a9c2e4b6d8f0a', cnonce: 'a1b2c3d4', nc: '00000001', qop: 'auth' },
    contentLength: 0,
  }),
);

let sink = 0;
const cases: Array<{ name: string; run: () => void }> = [
  { name: 'reference: JSON.parse of the same REGISTER', run: () => void (sink += JSON.parse(REGISTER_JSON.toString()).maxForwards) },
  { name: 'parse REGISTER (digest)', run: () => void (sink += parseMessage(REGISTER).ok ? 1 : 0) },
  {
    name: 'parse REGISTER + registrar reads',
    run: () => {
      const m = parsedRequest(REGISTER);
      const a = authorizations(m)[0]!;
      const c = contacts(m);
      sink += a.params.size + (c === '*' ? 0 : c.length) + (expires(m) ?? 0) + cseq(m).seq;
      sink += callId(m).length + from(m).uri.length + to(m).uri.length + topVia(m).host.length;
      sink += requestUri(m).scheme.length;
    },
  },
  {
    name: 'createResponse 200 + serialize',
    run: (() => {
      const req = parsedRequest(REGISTER);
      return () => {
        const res = createResponse(req, 200, undefined, { toTag: 'a8Yz3' });
        res.headers.append('Contact', '<sip:alice@192.0.2.44:5060;transport=udp>;expires=3600');
        res.headers.append('Date', 'Sat, 13 Nov 2010 23:29:00 GMT');
        sink += serializeMessage(res).length;
      };
    })(),
  },
  { name: 'parse INVITE (SDP body)', run: () => void (sink += parseMessage(INVITE).ok ? 1 : 0) },
  {
    name: 'serialize INVITE',
    run: (() => {
      const req = parsedRequest(INVITE);
      return () => void (sink += serializeMessage(req).length);
    })(),
  },
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Iterations per round so that one round of `run` lasts about `ms`. */
function calibrate(run: () => void, ms: number): number {
  for (let i = 0; i < 20000; i++) run();
  const probe = 2000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < probe; i++) run();
  const per = Number(process.hrtime.bigint() - t0) / probe;
  return Math.max(1000, Math.round((ms * 1e6) / per));
}

/**
 * ns/op per case: the cases take turns round by round (so load from other processes hits
 * them alike); median and minimum over the rounds. On a shared machine the minimum is the
 * better estimate of the uncontended cost.
 */
function measureAll(rounds: number, ms: number): Array<{ name: string; nsPerOp: number; min: number; max: number }> {
  const batches = cases.map((c) => calibrate(c.run, ms));
  const samples: number[][] = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    cases.forEach((c, i) => {
      const n = batches[i]!;
      const t0 = process.hrtime.bigint();
      for (let k = 0; k < n; k++) c.run();
      samples[i]!.push(Number(process.hrtime.bigint() - t0) / n);
    });
  }
  return cases.map((c, i) => {
    const s = samples[i]!.sort((a, b) => a - b);
    return { name: c.name, nsPerOp: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
  });
}

function main(): void {
  const rounds = arg('--rounds', 15);
  const ms = arg('--ms', 100);
  const results = measureAll(rounds, ms);
  console.log(`SIP message layer, node ${process.version}, median and min of ${rounds} interleaved rounds of ~${ms} ms per case`);
  console.table(
    results.map((r) => ({
      case: r.name,
      'ns/op': Math.round(r.nsPerOp),
      'ops/s': Math.round(1e9 / r.nsPerOp),
      'min ns/op': Math.round(r.min),
      'min..max ns': `${Math.round(r.min)}..${Math.round(r.max)}`,
    })),
  );
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results', 'sip-parse.json');
  mkdirSync(dirname(out), { recursive: true });
  const json = {
    bench: 'sip-parse',
    node: process.version,
    date: new Date().toISOString(),
    sizes: { register: REGISTER.length, invite: INVITE.length, registerJson: REGISTER_JSON.length },
    results: results.map((r) => ({ case: r.name, nsPerOp: r.nsPerOp, opsPerSec: 1e9 / r.nsPerOp, minNs: r.min, maxNs: r.max })),
  };
  writeFileSync(out, JSON.stringify(json, null, 2) + '\n');
  console.log(`wrote ${out} (sink ${sink % 10})`);
}

main();
