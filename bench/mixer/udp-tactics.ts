/**
 * Micro-benchmark of the UDP tactics the engine could use, to choose by measurement:
 *  - sending: to an address vs on a connected socket, one buffer vs a [header, payload]
 *    gather list, from one socket vs from one socket per endpoint;
 *  - receiving through 'message': on one socket vs one socket per endpoint.
 * The other side of each case runs in a child process so only one side is measured.
 * CPU is this process's user+system time per packet (process.cpuUsage).
 *
 *   node dist/bench/mixer/udp-tactics.js [packets]
 */
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { fork } from 'node:child_process';

const PACKETS = Number(process.argv[2] ?? 100_000);
const SINK_BASE = 39_800;
const RECV_BASE = 36_000;

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function bound(port: number): Promise<Socket> {
  const s = createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
  s.bind(port, '127.0.0.1');
  await once(s, 'listening');
  return s;
}

const yieldNow = (): Promise<void> => new Promise((r) => setImmediate(r));

async function sendCase(name: string, sockets: number, connected: boolean, gather: boolean): Promise<void> {
  const tx: Socket[] = [];
  for (let i = 0; i < sockets; i++) {
    const s = await bound(0);
    if (connected) {
      s.connect(SINK_BASE + (i % 8) * 2, '127.0.0.1');
      await once(s, 'connect');
    }
    tx.push(s);
  }
  const hdr = Buffer.alloc(12, 0x80);
  const payload = Buffer.alloc(160, 0xff);
  const whole = Buffer.alloc(172, 0xff);
  const list = [hdr, payload];
  const c0 = cpuUs();
  for (let i = 0; i < PACKETS; i++) {
    if (i % 1000 === 999) await yieldNow(); // bursts of 1000, like a tick
    const s = tx[i % sockets]!;
    const msg = gather ? list : whole;
    if (connected) s.send(msg);
    else s.send(msg, SINK_BASE + (i % 8) * 2, '127.0.0.1');
  }
  report(name, cpuUs() - c0, PACKETS);
  for (const s of tx) s.close();
}

async function receiveCase(sockets: number): Promise<void> {
  const rx: Socket[] = [];
  let got = 0;
  for (let i = 0; i < sockets; i++) {
    const s = await bound(RECV_BASE + i * 2);
    s.on('message', () => got++);
    rx.push(s);
  }
  const c0 = cpuUs();
  const child = fork(process.argv[1]!, [String(PACKETS), 'send-to', String(sockets)]);
  await once(child, 'exit');
  report(`receive, ${sockets} socket(s)`, cpuUs() - c0, got);
  for (const s of rx) s.close();
}

function report(name: string, us: number, packets: number): void {
  console.log(`${name.padEnd(48)} ${(us / packets).toFixed(2).padStart(6)} us CPU/packet  (${packets} packets)`);
}

/** Child roles: a sink that drains 8 ports, or a sender of bursts of 1000 to N ports. */
async function child(role: string, arg: number): Promise<void> {
  if (role === 'sink') {
    for (let i = 0; i < 8; i++) (await bound(SINK_BASE + i * 2)).on('message', () => undefined);
    process.send?.('ready');
    return;
  }
  const tx = await bound(0);
  const pkt = Buffer.alloc(172, 1);
  for (let sent = 0; sent < PACKETS; ) {
    for (let i = 0; i < 1000 && sent < PACKETS; i++, sent++) tx.send(pkt, RECV_BASE + (sent % arg) * 2, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 200));
  process.exit(0);
}

async function main(): Promise<void> {
  if (process.argv[3]) return child(process.argv[3], Number(process.argv[4]));
  const sink = fork(process.argv[1]!, [String(PACKETS), 'sink']);
  await once(sink, 'message');
  await sendCase('send to address, one buffer, 1 socket', 1, false, false);
  await sendCase('send to address, [header, payload], 1 socket', 1, false, true);
  await sendCase('send connected, one buffer, 1 socket', 1, true, false);
  await sendCase('send connected, [header, payload], 1 socket', 1, true, true);
  await sendCase('send connected, [header, payload], 1000 sockets', 1000, true, true);
  await sendCase('send to address, [header, payload], 1000 sockets', 1000, false, true);
  sink.kill();
  await receiveCase(1);
  await receiveCase(1000);
}

void main();
