/**
 * What the call benchmarks read from /proc around a measured window: CPU of a process and of
 * its threads (utime + stime; USER_HZ = 100), the whole machine's busy and stolen time, and
 * the kernel's UDP drop counters (a receive buffer that overflowed drops packets before any
 * process sees them, so loss at a receiver may be nobody's code).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { cpus } from 'node:os';

const TICK_S = 0.01;

function statTimes(path: string): { user: number; system: number } {
  const stat = readFileSync(path, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(f[11]) * TICK_S, system: Number(f[12]) * TICK_S };
}

export interface ProcessCpu {
  /** Seconds of CPU, all threads. */
  total: number;
  user: number;
  system: number;
  /** The main thread (tid = pid): SIP, call control, SQLite. */
  main: number;
  /** Seconds per other thread (media workers, libuv pool, GC), by tid. */
  threads: Map<number, number>;
}

/** CPU seconds of `pid` and of each of its threads; zeros once it has exited. */
export function processCpu(pid: number): ProcessCpu {
  try {
    const all = statTimes(`/proc/${pid}/stat`);
    const threads = new Map<number, number>();
    let main = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`).map(Number)) {
      try {
        const t = statTimes(`/proc/${pid}/task/${tid}/stat`);
        if (tid === pid) main = t.user + t.system;
        else threads.set(tid, t.user + t.system);
      } catch {
        // the thread ended meanwhile
      }
    }
    return { total: all.user + all.system, user: all.user, system: all.system, main, threads };
  } catch {
    return { total: 0, user: 0, system: 0, main: 0, threads: new Map() };
  }
}

export interface CpuDelta {
  seconds: number;
  main: number;
  /** The busiest other thread over the window: the media worker when media flows. */
  busiestThread: number;
  otherThreads: number;
}

export function cpuDelta(a: ProcessCpu, b: ProcessCpu): CpuDelta {
  let busiest = 0;
  let others = 0;
  for (const [tid, s] of b.threads) {
    const d = s - (a.threads.get(tid) ?? 0);
    others += d;
    if (d > busiest) busiest = d;
  }
  return { seconds: b.total - a.total, main: b.main - a.main, busiestThread: busiest, otherThreads: others };
}

/** Busy, stolen and total jiffies of the machine (/proc/stat `cpu`: user nice system idle iowait irq softirq steal). */
export function machineTimes(): { busy: number; steal: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((x, y) => x + y, 0);
  return { busy: total - f[3]! - f[4]! - f[7]!, steal: f[7]!, total };
}

/** Machine busy seconds (all cores) between two readings over `wallS`. */
export function machineBusySeconds(a: ReturnType<typeof machineTimes>, b: ReturnType<typeof machineTimes>, wallS: number): number {
  return ((b.busy - a.busy) / Math.max(1, b.total - a.total)) * cpus().length * wallS;
}

/** The kernel's UDP counters (/proc/net/snmp): receive-buffer overflows and other input errors. */
export function udpDrops(): { rcvbufErrors: number; inErrors: number } {
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
  const head = lines[0]!.split(/\s+/);
  const vals = lines[1]!.split(/\s+/).map(Number);
  return { rcvbufErrors: vals[head.indexOf('RcvbufErrors')] ?? 0, inErrors: vals[head.indexOf('InErrors')] ?? 0 };
}

export const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Waits until the machine's busy time, less what `mine` used, stays under `percent` of one core for a second. */
export async function waitQuiet(percent: number, mine: () => number, maxWaitS = 120): Promise<number> {
  const deadline = Date.now() + maxWaitS * 1000;
  let others = Infinity;
  while (Date.now() < deadline) {
    const m0 = machineTimes();
    const c0 = mine();
    await new Promise((r) => setTimeout(r, 1000));
    others = 100 * (machineBusySeconds(m0, machineTimes(), 1) - (mine() - c0));
    if (others < percent) return others;
  }
  return others;
}

export interface SocketState {
  sockets: number;
  /** Datagrams the kernel dropped on these sockets (receive buffer full), since they were opened. */
  drops: number;
  /** Bytes waiting to be read right now. */
  rxQueueBytes: number;
}

/** The UDP sockets `pid` holds (/proc/<pid>/fd -> socket inodes, matched in /proc/net/udp). */
export function udpSockets(pid: number): SocketState {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return { sockets: 0, drops: 0, rxQueueBytes: 0 };
  }
  const out: SocketState = { sockets: 0, drops: 0, rxQueueBytes: 0 };
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 13 || !inodes.has(f[9]!)) continue;
    out.sockets++;
    out.rxQueueBytes += parseInt(f[4]!.split(':')[1]!, 16);
    out.drops += Number(f[12]);
  }
  return out;
}
