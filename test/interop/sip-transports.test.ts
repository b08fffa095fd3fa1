// The SIP transports over real sockets on loopback: UDP, TCP (framing, keep-alive, reuse),
// TLS, WebSocket with the "sip" subprotocol (RFC 7118), and the slow-loris defence.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { once } from 'node:events';
import WebSocket from 'ws';
import { silentLogger } from '../../src/log/logger.js';
import type { Flow } from '../../src/sip/transport/flow.js';
import { StreamTransport } from '../../src/sip/transport/stream-transport.js';
import { TransportLayer } from '../../src/sip/transport/transport-layer.js';
import { fixture } from '../support/paths.js';

const msg = (tag: string) => `OPTIONS sip:pbx.local SIP/2.0\r\nCall-ID: ${tag}\r\nContent-Length: 0\r\n\r\n`;

class Sink {
  received: Array<{ data: string; flow: Flow }> = [];
  closed: Flow[] = [];
  private waiters: Array<() => void> = [];
  message(data: Buffer, flow: Flow): void {
    this.received.push({ data: data.toString(), flow });
    this.waiters.splice(0).forEach((w) => w());
  }
  connectionClosed(flow: Flow): void {
    this.closed.push(flow);
  }
  async waitFor(n: number, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.received.length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} messages, got ${this.received.length}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }
}

const tls = { port: 0, cert: readFileSync(fixture('tls', 'cert.pem')), key: readFileSync(fixture('tls', 'key.pem')) };

async function startLayer(sink: Sink): Promise<TransportLayer> {
  const layer = new TransportLayer({ address: '127.0.0.1', port: 0, tls, wsPort: 0, wssPort: 0, logger: silentLogger }, sink);
  await layer.start();
  return layer;
}

test('UDP: a datagram arrives with its source flow and the answer goes back to that source (RFC 3261 §18.2.2)', async () => {
  const sink = new Sink();
  const layer = await startLayer(sink);
  const client = createSocket('udp4');
  await new Promise<void>((r) => client.bind(0, '127.0.0.1', r));
  client.send(msg('u1'), layer.ports().udp!, '127.0.0.1');
  await sink.waitFor(1);
  const { flow } = sink.received[0]!;
  assert.is(flow.protocol, 'udp');
  assert.is(flow.remotePort, client.address().port);
  const reply = once(client, 'message');
  assert.ok(layer.send(Buffer.from('SIP/2.0 200 OK\r\n\r\n'), flow));
  const [data] = (await reply) as [Buffer];
  assert.match(data.toString(), /^SIP\/2\.0 200 OK/);
  client.close();
  await layer.stop();
});

test('TCP shares the UDP port number; two messages in one segment are framed; CRLFCRLF gets a CRLF pong (RFC 5626 §4.4.1)', async () => {
  const sink = new Sink();
  const layer = await startLayer(sink);
  assert.is(layer.ports().tcp, layer.ports().udp);
  const c = tcpConnect(layer.ports().tcp!, '127.0.0.1');
  await once(c, 'connect');
  let got = '';
  c.on('data', (d) => (got += d.toString()));
  c.write(msg('t1') + msg('t2') + '\r\n\r\n');
  await sink.waitFor(2);
  assert.equal(sink.received.map((r) => /Call-ID: (\w+)/.exec(r.data)![1]), ['t1', 't2']);
  const flow = sink.received[0]!.flow;
  assert.is(flow.protocol, 'tcp');
  assert.ok(flow.connectionId! > 0);
  // The response reuses the connection the request came on (RFC 3261 §18.2.2).
  layer.send(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n'), flow);
  for (let i = 0; i < 40 && !got.includes('200 OK'); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(got.startsWith('\r\n'), 'pong first');
  assert.ok(got.includes('SIP/2.0 200 OK'));
  c.destroy();
  for (let i = 0; i < 40 && !sink.closed.length; i++) await new Promise((r) => setTimeout(r, 25));
  assert.is(sink.closed.length, 1, 'the stack hears that the connection is gone');
  // With no connection left, a send opens a new one (RFC 3261 §18.1.1); to a closed port it fails and is reported.
  layer.send(Buffer.from('x'), { ...flow, connectionId: undefined, remotePort: 9 });
  for (let i = 0; i < 40 && sink.closed.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
  assert.is(sink.closed.length, 2);
  await layer.stop();
});

test('TLS: messages arrive over an encrypted connection (RFC 3261 §26.2)', async () => {
  const sink = new Sink();
  const layer = await startLayer(sink);
  const c = tlsConnect({ port: layer.ports().tls!, host: '127.0.0.1', rejectUnauthorized: false });
  await once(c, 'secureConnect');
  c.write(msg('s1'));
  await sink.waitFor(1);
  assert.is(sink.received[0]!.flow.protocol, 'tls');
  c.destroy();
  await layer.stop();
});

test('WebSocket: the "sip" subprotocol is negotiated, each frame is one message (RFC 7118 §4.1, §5.2)', async () => {
  const sink = new Sink();
  const layer = await startLayer(sink);
  const ws = new WebSocket(`ws://127.0.0.1:${layer.ports().ws}`, 'sip');
  await once(ws, 'open');
  assert.is(ws.protocol, 'sip');
  ws.send(msg('w1'));
  await sink.waitFor(1);
  const flow = sink.received[0]!.flow;
  assert.is(flow.protocol, 'ws');
  const reply = once(ws, 'message');
  layer.send(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n'), flow);
  const [data] = (await reply) as [Buffer];
  assert.match(data.toString(), /^SIP\/2\.0 200 OK/);
  ws.close();

  const wss = new WebSocket(`wss://127.0.0.1:${layer.ports().wss}`, 'sip', { rejectUnauthorized: false });
  await once(wss, 'open');
  wss.send(msg('w2'));
  await sink.waitFor(2);
  assert.is(sink.received[1]!.flow.protocol, 'wss');
  wss.close();

  const rude = new WebSocket(`ws://127.0.0.1:${layer.ports().ws}`);
  const [code] = (await once(rude, 'close')) as [number];
  assert.is(code, 1002, 'a client that does not speak the sip subprotocol is refused');
  await layer.stop();
});

test('a connection stuck in the middle of a message is closed (slow-loris defence)', async () => {
  const sink = new Sink();
  const t = new StreamTransport({ protocol: 'tcp', address: '127.0.0.1', port: 0, partialMessageTimeoutMs: 200, logger: silentLogger }, sink);
  await t.start();
  const c = tcpConnect(t.localPort, '127.0.0.1');
  await once(c, 'connect');
  c.write('OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP');
  const started = Date.now();
  await once(c, 'close');
  assert.ok(Date.now() - started < 5000);
  assert.is(sink.received.length, 0);
  await t.stop();
});

test.run();
