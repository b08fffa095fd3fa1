/**
 * A dependency-free SVG chart of a mixer benchmark: participants on x, engine CPU (% of
 * one core) on the left axis, mouth-to-ear latency added (p50 and p95, ms) on the right.
 */
export interface ChartPoint {
  participants: number;
  cpuPct: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
}

export function renderChart(title: string, points: ChartPoint[]): string {
  const W = 720;
  const H = 420;
  const m = { l: 64, r: 64, t: 48, b: 56 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const maxX = niceMax(Math.max(1, ...points.map((p) => p.participants)));
  const maxCpu = niceMax(Math.max(10, ...points.map((p) => p.cpuPct)));
  const maxLat = niceMax(Math.max(40, ...points.map((p) => p.latencyP95Ms)));
  const x = (v: number): number => m.l + (v / maxX) * pw;
  const yc = (v: number): number => m.t + ph - (v / maxCpu) * ph;
  const yl = (v: number): number => m.t + ph - (v / maxLat) * ph;
  const line = (f: (p: ChartPoint) => number, y: (v: number) => number): string => points.map((p, i) => `${i ? 'L' : 'M'}${x(p.participants).toFixed(1)},${y(f(p)).toFixed(1)}`).join(' ');
  const dots = (f: (p: ChartPoint) => number, y: (v: number) => number, color: string): string =>
    points.map((p) => `<circle cx="${x(p.participants).toFixed(1)}" cy="${y(f(p)).toFixed(1)}" r="3.5" fill="${color}"/>`).join('');
  const ticks = (max: number, f: (v: number) => string): string =>
    [0, 0.25, 0.5, 0.75, 1].map((r) => f(r * max)).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${W / 2}" y="24" text-anchor="middle" font-size="15">${escape(title)}</text>
<line x1="${m.l}" y1="${m.t + ph}" x2="${m.l + pw}" y2="${m.t + ph}" stroke="#333"/>
<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${m.t + ph}" stroke="#1f77b4"/>
<line x1="${m.l + pw}" y1="${m.t}" x2="${m.l + pw}" y2="${m.t + ph}" stroke="#d62728"/>
${ticks(maxX, (v) => `<text x="${x(v)}" y="${m.t + ph + 18}" text-anchor="middle">${Math.round(v)}</text>`)}
${ticks(maxCpu, (v) => `<text x="${m.l - 6}" y="${yc(v) + 4}" text-anchor="end" fill="#1f77b4">${Math.round(v)}</text><line x1="${m.l}" y1="${yc(v)}" x2="${m.l + pw}" y2="${yc(v)}" stroke="#eee"/>`)}
${ticks(maxLat, (v) => `<text x="${m.l + pw + 6}" y="${yl(v) + 4}" fill="#d62728">${Math.round(v)}</text>`)}
<text x="${m.l + pw / 2}" y="${H - 14}" text-anchor="middle">participants in one room</text>
<text transform="translate(18,${m.t + ph / 2}) rotate(-90)" text-anchor="middle" fill="#1f77b4">engine CPU, % of one core</text>
<text transform="translate(${W - 14},${m.t + ph / 2}) rotate(90)" text-anchor="middle" fill="#d62728">added latency, ms (p50 solid, p95 dashed)</text>
<path d="${line((p) => p.cpuPct, yc)}" fill="none" stroke="#1f77b4" stroke-width="2"/>${dots((p) => p.cpuPct, yc, '#1f77b4')}
<path d="${line((p) => p.latencyP50Ms, yl)}" fill="none" stroke="#d62728" stroke-width="2"/>${dots((p) => p.latencyP50Ms, yl, '#d62728')}
<path d="${line((p) => p.latencyP95Ms, yl)}" fill="none" stroke="#d62728" stroke-width="1.5" stroke-dasharray="5,4"/>
</svg>
`;
}

function niceMax(v: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const k of [1, 2, 2.5, 5, 10]) if (k * p >= v) return k * p;
  return 10 * p;
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}
