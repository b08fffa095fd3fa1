/**
 * Markdown tables from the mixer benchmark's JSON results, for docs/performance.md:
 *
 *   node dist/bench/mixer/report.js [bench/results/mixer-*.json ...]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Row {
  participants: number;
  workers: number;
  engineCpuPct: number;
  cpuPerParticipantPct: number;
  workerCpuPct: number[];
  lateTicks: number;
  ticks: number;
  lateP99Ms?: number | string;
  maxLateMs: number;
  lostToEngine: number;
  lostFromEngine: number;
  receivedByGenerator: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  /** Absent from results written before it was added. */
  latencyP99Ms?: number | null;
  listenersChecked: number;
  listenersHearingAll: number;
  talkersHearingSelf: number;
  generatorCpuPct: number;
  othersCpuPct?: number;
  disturbed?: boolean;
}

const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync('bench/results')
      .filter((f) => /^mixer-.*\.json$/.test(f))
      .sort()
      .map((f) => join('bench/results', f));

for (const file of files) {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { command: string; date: string; results: Row[] };
  console.log(`\n**${file}** — \`npm run bench:mixer -- ${doc.command}\` (${doc.date.slice(0, 16).replace('T', ' ')} UTC)\n`);
  if (doc.results.some((r) => r.disturbed)) console.log('† other processes used more than the allowed share of the CPUs during this step, even after retries.\n');
  console.log('| N | W | engine CPU % | % per participant | worker CPU % | late ticks (>10 ms) | p99 lateness | lost in / out | latency p50 / p95 / p99 ms | hear all / checked | hear self | generator CPU % | others CPU % |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of doc.results) {
    const late = `${r.lateTicks}/${r.ticks} (${((100 * r.lateTicks) / Math.max(1, r.ticks)).toFixed(1)} %)`;
    const lat = `${r.latencyP50Ms ?? '-'} / ${r.latencyP95Ms ?? '-'} / ${r.latencyP99Ms ?? '-'}`;
    console.log(
      `| ${r.participants}${r.disturbed ? ' †' : ''} | ${r.workers} | ${r.engineCpuPct} | ${r.cpuPerParticipantPct} | ${r.workerCpuPct.join(' / ')} | ${late} | ≤ ${r.lateP99Ms ?? '?'} ms | ${r.lostToEngine} / ${r.lostFromEngine} | ${lat} | ${r.listenersHearingAll} / ${r.listenersChecked} | ${r.talkersHearingSelf} | ${r.generatorCpuPct} | ${r.othersCpuPct ?? '?'} |`,
    );
  }
}
