// Bad input against the running switch: wrong passwords run into the brute-force throttle;
// the RFC 4475 invalid and semantic messages, random garbage and oversized messages over UDP
// and TCP never stop it - afterwards a device still registers through SIPp.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSocket } from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../support/free-port.js';
import { repoRoot } from '../support/paths.js';
import { provision, secretFor } from '../support/provision.js';
import { authRows, runSipp, scenarioPath } from '../support/sipp.js';
import { startSwitchProcess, type SwitchProcess } from '../support/switch-process.js';

const BLOCK_SECONDS = 3;
let sw: SwitchProcess;

test.before(async () => {
  try {
    sw = await startSwitchProcess({ security: { maxAuthFailures: 3, failureWindow: 60, blockTime: BLOCK_SECONDS } });
    provision(sw.dir, [{ ext: '1001', name: 'Alice', devices: ['1001'] }]);
  } catch (err) {
    console.error(err); // uvu does not report errors thrown in hooks
    throw err;
  }
});

test.after(async () => {
  await sw?.stop();
});

function register(port: number, password = secretFor('1001'), calls = 1) {
  return runSipp({
    scenario: scenarioPath(password === secretFor('1001') ? 'register-digest.xml' : 'register-wrong-password.xml'),
    target: `127.0.0.1:${sw.sipPort}`,
    rows: authRows(['1001'], () => password),
    calls,
    rate: 10,
    localPort: port,
    keys: { expires: 600 },
    timeoutMs: 20_000,
  });
}

test('wrong passwords get 401 with a fresh challenge, then the source is blocked with 403 and logged (RFC 3261 §22.2)', async () => {
  const port = await freePort();
  const bad = await register(port, 'not-the-password', 4);
  assert.is(bad.code, 0, `the wrong-password scenario itself ran: ${bad.output}\n${bad.errors}`);
  const failures = sw.logs.filter((l) => l.event === 'auth.failure');
  assert.ok(failures.length >= 3, `auth.failure logged for each wrong answer (${failures.length})`);
  assert.equal(failures[0]!.username, '1001');
  const blocked = await sw.waitForLog((l) => l.event === 'auth.blocked');
  assert.is(blocked.address, '127.0.0.1');
  // While blocked, even the right password is refused (SIPp expects 401 then 200: the call fails).
  const during = await register(port);
  assert.is.not(during.code, 0, 'a blocked source cannot register');
  assert.is(during.successful, 0);
  const refused = sw.logs.filter((l) => l.event === 'registration.refused' && l.status === 403);
  assert.ok(refused.length >= 1, '403 answered while blocked');
});

test('the block ends after security.blockTime and the right password registers again', async () => {
  await new Promise((r) => setTimeout(r, BLOCK_SECONDS * 1000 + 500));
  const after = await register(await freePort());
  assert.is(after.code, 0, `${after.output}\n${after.errors}`);
  assert.is(after.successful, 1);
});

/** Collects whatever comes back on one UDP socket. */
async function udpClient() {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const replies: string[] = [];
  sock.on('message', (m) => replies.push(m.toString('latin1')));
  return { sock, replies, port: sock.address().port };
}

function vectors(kind: string): Buffer[] {
  const dir = join(repoRoot, 'test', 'vectors', 'rfc4475', kind);
  return readdirSync(dir).map((f) => readFileSync(join(dir, f)));
}

/** A deterministic PRNG so a failure can be reproduced. */
function prng(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

test('invalid and semantic RFC 4475 messages, garbage and oversized datagrams over UDP: 4xx where possible, never a stop (RFC 4475 §3.1.2)', async () => {
  const c = await udpClient();
  const rnd = prng(4475);
  const sends: Buffer[] = [...vectors('invalid'), ...vectors('semantic')];
  for (let i = 0; i < 300; i++) sends.push(Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 1400) }, () => Math.floor(rnd() * 256))));
  // Half-valid: a real request start line with garbage headers, a response to nothing, a huge datagram.
  sends.push(Buffer.from(`REGISTER sip:pbx.local SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${c.port};branch=z9hG4bKjunk\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:x@y>\r\nCall-ID: junk\r\nCSeq: notanumber REGISTER\r\nContent-Length: 0\r\n\r\n`));
  sends.push(Buffer.from('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.9.9.9;branch=z9hG4bKnothing\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>;tag=2\r\nCall-ID: none\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n'));
  sends.push(Buffer.concat([Buffer.from(`OPTIONS sip:pbx.local SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${c.port};branch=z9hG4bKbig\r\nX-Big: `), Buffer.alloc(60_000, 0x61), Buffer.from('\r\n\r\n')]));
  for (const s of sends) c.sock.send(s, sw.sipPort, '127.0.0.1');
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok(sw.alive(), 'still running');
  // The CSeq garbage addressed to us is answered 400 on our socket (the other vectors' Vias point elsewhere).
  assert.ok(c.replies.some((r) => /^SIP\/2\.0 400 /.test(r) && r.includes('Call-ID: junk')), `400 for the bad CSeq; got ${c.replies.map((r) => r.split('\r\n')[0]).join(' | ')}`);
  assert.not.ok(c.replies.some((r) => /^SIP\/2\.0 2\d\d /.test(r) && r.includes('Call-ID: junk')));
  c.sock.close();
});

/** Opens a TCP connection, writes `data`, collects what comes back until the switch closes it or `ms` pass. */
function tcpExchange(data: Buffer, ms = 1500): Promise<{ reply: string; closedByPeer: boolean }> {
  return new Promise((resolve) => {
    const s = connect(sw.sipPort, '127.0.0.1');
    let reply = '';
    let closedByPeer = false;
    s.on('data', (d) => (reply += d.toString('latin1')));
    s.on('end', () => (closedByPeer = true));
    s.on('error', () => (closedByPeer = true));
    s.on('connect', () => s.write(data));
    setTimeout(() => {
      s.destroy();
      resolve({ reply, closedByPeer });
    }, ms);
  });
}

test('over TCP: each invalid vector gets a 4xx or a closed connection, never a 2xx; an endless header block is cut off with 513-class handling', async () => {
  for (const v of vectors('invalid')) {
    const { reply } = await tcpExchange(v, 400);
    assert.not.ok(/^SIP\/2\.0 [123]\d\d /.test(reply), `no success for an invalid message: ${reply.split('\r\n')[0]}`);
  }
  // Without Content-Length a stream cannot be framed (RFC 3261 §18.3): 400 and the connection closes.
  const noLength = await tcpExchange(Buffer.from(`OPTIONS sip:pbx.local SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKnolen\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: nolen\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n\r\n`));
  assert.match(noLength.reply, /^SIP\/2\.0 400 /);
  assert.ok(noLength.closedByPeer);
  // A header block that never ends is not buffered forever: the connection is closed.
  const endless = await tcpExchange(Buffer.concat([Buffer.from('OPTIONS sip:pbx.local SIP/2.0\r\n'), Buffer.alloc(200_000, 0x61)]));
  assert.ok(endless.closedByPeer, 'oversized header block closes the connection');
  assert.ok(sw.alive());
});

test('after all that, a device registers, OPTIONS is answered, and no handler crashed', async () => {
  const port = await freePort();
  const ok = await register(port);
  assert.is(ok.code, 0, `${ok.output}\n${ok.errors}`);
  const reply = await tcpExchange(Buffer.from(`OPTIONS sip:pbx.local SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKfinal\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:pbx.local>\r\nCall-ID: final\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`), 500);
  assert.match(reply.reply, /^SIP\/2\.0 200 OK\r\n/);
  assert.match(reply.reply, /Allow: REGISTER, OPTIONS/);
  assert.is(sw.logs.filter((l) => l.event === 'sip.handler_error').length, 0);
  await new Promise((r) => setTimeout(r, 300)); // one write-behind flush
  const regs = JSON.parse((await sw.cli('registrations', '--json')).stdout) as Array<{ device: string; sourcePort: number }>;
  assert.ok(regs.some((r) => r.device === '1001' && r.sourcePort === port), JSON.stringify(regs));
});

test.run();
