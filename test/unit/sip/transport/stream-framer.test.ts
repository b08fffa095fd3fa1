import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StreamFramer, type Frame } from '../../../../src/sip/transport/stream-framer.js';

const msg = (body = '') =>
  `OPTIONS sip:pbx.local SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK1\r\nl: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

function kinds(frames: Frame[]): string[] {
  return frames.map((f) => f.kind);
}

test('frames back-to-back messages by Content-Length, compact form included (RFC 3261 §18.3)', () => {
  const f = new StreamFramer();
  const frames = f.push(Buffer.from(msg('v=0\r\n') + msg() + msg('abc')));
  assert.equal(kinds(frames), ['message', 'message', 'message']);
  assert.ok(frames[0]!.kind === 'message' && frames[0].data.toString().endsWith('\r\n\r\nv=0\r\n'));
  assert.ok(frames[2]!.kind === 'message' && frames[2].data.toString().endsWith('abc'));
  assert.is(f.pending, 0);
});

test('reassembles a message split at every possible byte boundary', () => {
  const whole = Buffer.from(msg('hello body'));
  for (let cut = 1; cut < whole.length; cut++) {
    const f = new StreamFramer();
    const a = f.push(whole.subarray(0, cut));
    const b = f.push(whole.subarray(cut));
    assert.equal(kinds([...a, ...b]), ['message'], `cut at ${cut}`);
  }
});

test('double CRLF is a keep-alive ping, single CRLF a pong (RFC 5626 §4.4.1)', () => {
  const f = new StreamFramer();
  assert.equal(kinds(f.push(Buffer.from('\r\n\r\n'))), ['ping']);
  assert.equal(kinds(f.push(Buffer.from('\r\n'))), [], 'a lone CRLF may be half a ping: wait');
  assert.equal(kinds(f.push(Buffer.from(msg()))), ['pong', 'message']);
  assert.equal(kinds(f.push(Buffer.from('\r\n\r\n' + msg()))), ['ping', 'message']);
});

test('a stream message without Content-Length is fatal and keeps its header block for a 400 (RFC 3261 §18.3)', () => {
  const f = new StreamFramer();
  const frames = f.push(Buffer.from('OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK2\r\n\r\n'));
  assert.is(frames.length, 1);
  const e = frames[0]!;
  assert.ok(e.kind === 'error' && e.status === 400 && e.head!.toString().startsWith('OPTIONS'));
  assert.equal(f.push(Buffer.from(msg())), [], 'nothing is framed after a fatal error');
});

test('a negative or non-numeric Content-Length is fatal', () => {
  for (const v of ['-1', 'abc', '99999999999']) {
    const f = new StreamFramer();
    const frames = f.push(Buffer.from(`OPTIONS sip:x SIP/2.0\r\nContent-Length: ${v}\r\n\r\n`));
    assert.ok(frames[0]?.kind === 'error' && frames[0].status === 400, v);
  }
});

test('an endless header block or an oversized body gets 513 without buffering it all', () => {
  const f = new StreamFramer({ maxMessageBytes: 1000 });
  let frames: Frame[] = [];
  for (let i = 0; i < 100 && !frames.length; i++) frames = f.push(Buffer.from('X-Junk: ' + 'a'.repeat(50) + '\r\n'));
  assert.ok(frames[0]?.kind === 'error' && frames[0].status === 513);
  const g = new StreamFramer({ maxMessageBytes: 1000 });
  const big = g.push(Buffer.from('OPTIONS sip:x SIP/2.0\r\nContent-Length: 5000\r\n\r\n'));
  assert.ok(big[0]?.kind === 'error' && big[0].status === 513);
});

test.run();
