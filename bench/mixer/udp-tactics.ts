/**
 * Micro-benchmark of the UDP tactics the engine could use, to choose by measurement:
 * send to an address vs on a connected socket, one buffer vs a [header, payload] gather
 * list, with and without a callback; and the cost of receiving through 'message'.
 *
 *   node dist/bench/mixer/udp-tactics.js [packets]
 */
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { fork } from 'node:child_process';

const PACKETS = Number(process.argv[2] ?? 100_000);
const PORT_BASE = 39_900;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function bound(port: number): Promise<Socket> {
  const s = createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
  s.bind(port, '127.0.0.1');
  await once(s, 'listening');
  return s;
}

async function sendCase(name: string, connected: boolean, gather: boolean, receivers: Socket[]): Promise<void> {
  const tx = await bound(0);
  const hdr = Buffer.alloc(12, 0x80);
  const payload = Buffer.alloc(160, 0xff);
  const whole = Buffer.alloc(172, 0xff);
  const ports = receivers.map((r) => r.address().port);
  if (connected) {
    tx.connect(ports[0]!, '127.0.0.1');
    await once(tx, 'connect');
  }
  const list = [hdr, payload];
  const c0 = cpuMs();
  const t0 = performance.now();
  for (let i = 0; i < PACKETS; i++) {
    // Pace in bursts of 1000 so receivers can drain and the send buffer never fills.
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
    if (connected) tx.send(gather ? list : whole);
    else tx.send(gather ? list : whole, ports[i % ports.length]!, '127.0.0.1');
  }
  const c1 = cpuMs();
  const t1 = performance.now();
  console.log(`${name.padEnd(40)} ${(((c1 - c0) * 1000) / PACKETS).toFixed(2)} us CPU/packet  ${(PACKETS / ((t1 - t0) / 1000) / 1000).toFixed(0)} kpps`);
  tx.close();
}

async function receiveCase(receivers: Socket[]): Promise<void> {
  let got = 0;
  for (const r of receivers) r.on('message', () => got++);
  const tx = await bound(0);
  const whole = Buffer.alloc(172, 0xff);
  const ports = receivers.map((r) => r.address().port);
  // Measure the receive side by CPU of this process minus the known send cost is unreliable;
  // instead the sender runs in the same loop and we report combined send+receive per packet.
  const c0 = cpuMs();
  for (let i = 0; i < PACKETS; i++) {
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
    tx.send(whole, ports[i % ports.length]!, '127.0.0.1');
  }
  await new Promise((r) => setTimeout(r, 200));
  const c1 = cpuMs();
  console.log(`${'send+receive via on(message)'.padEnd(40)} ${(((c1 - c0) * 1000) / PACKETS).toFixed(2)} us CPU/packet  received ${got}/${PACKETS}`);
  tx.close();
}

/** Receivers live in a child process so the send cases measure sending only. */
async function sinkProcess(): Promise<void> {
  for (let i = 0; i < 8; i++) (await bound(PORT_BASE + 100 + i * 2)).on('message', () => undefined);
  process.send?.('ready');
}

async function main(): Promise<void> {
  if (process.argv[3] === 'sink') return sinkProcess();
  const sink = fork(process.argv[1]!, [String(PACKETS), 'sink']);
  await once(sink, 'message');
  const remote = Array.from({ length: 8 }, (_, i) => ({ address: () => ({ port: PORT_BASE + 100 + i * 2 }) }) as unknown as Socket);
  await sendCase('unconnected, one buffer', false, false, remote);
  await sendCase('unconnected, [header, payload]', false, true, remote);
  await sendCase('connected, one buffer', true, false, remote);
  await sendCase('connected, [header, payload]', true, true, remote);
  sink.kill();
  const receivers: Socket[] = [];
  for (let i = 0; i < 8; i++) receivers.push(await bound(PORT_BASE + i * 2));
  for (const r of receivers) r.removeAllListeners('message');
  await receiveCase(receivers);
  for (const r of receivers) r.close();
}

void main();
