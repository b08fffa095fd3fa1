/**
 * CPU time of the calling thread (user + system), ms, from /proc/thread-self/stat
 * (Linux; fields 14 and 15 in clock ticks of 10 ms). Node 20 has no per-thread CPU API
 * (process.cpuUsage counts the whole process). Returns -1 where /proc cannot tell.
 */
import { readFileSync } from 'node:fs';

const TICK_MS = 10; // sysconf(_SC_CLK_TCK) = 100 on Linux

export function threadCpuMs(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ", field 3 is index 0: utime is field 14 -> index 11, stime index 12.
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return -1;
  }
}
