/**
 * Walks the parsed YAML one section at a time: rejects unknown keys (with a "did you mean"
 * for typos), parses known ones, and turns every problem into one ConfigError line that
 * names the file, the key and, when known, the line.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import { ConfigError, ValueError } from './config-error.js';

export class ConfigReader {
  constructor(
    private readonly source: string,
    private readonly doc: Document | undefined,
    private readonly lines: LineCounter,
  ) {}

  /** The section at `path` ([] = top level): its keys, checked against `known`. */
  section(path: string[], known: readonly string[]): SectionReader {
    const raw = path.length === 0 ? this.doc?.toJS() : this.doc?.getIn(path);
    const jsValue = raw === undefined || raw === null ? {} : isMap(raw) ? (raw.toJSON() as unknown) : raw;
    if (typeof jsValue !== 'object' || jsValue === null || Array.isArray(jsValue)) {
      throw this.error(path, `must be a section of keys, got ${JSON.stringify(jsValue)}`);
    }
    const values = jsValue as Record<string, unknown>;
    for (const key of Object.keys(values)) {
      if (!known.includes(key)) {
        const guess = closest(key, known);
        const where = [...path, key].join('.');
        throw this.error([...path, key], `unknown key ${where}${guess ? ` (did you mean ${[...path, guess].join('.')}?)` : ''}`, { bare: true, at: 'key' });
      }
    }
    return new SectionReader(this, path, values);
  }

  /**
   * `config.yaml: sip.port must be ..., got "x" (line 3)`. `bare`: the problem already names
   * the key. `at`: the line of the key itself, or of its value (default), or of one list item.
   */
  error(path: string[], problem: string, opts: { bare?: boolean; at?: 'key' | 'value' | number } = {}): ConfigError {
    const key = path.join('.');
    const subject = opts.bare || !key ? problem : problem.startsWith('[') ? `${key}${problem}` : `${key} ${problem}`;
    const line = this.lineOf(path, opts.at ?? 'value');
    return new ConfigError(`${this.source}: ${subject}${line ? ` (line ${line})` : ''}`);
  }

  private lineOf(path: string[], at: 'key' | 'value' | number): number | undefined {
    let node: unknown = this.doc?.contents;
    let keyNode: unknown;
    for (const segment of path) {
      const pair = isMap(node) ? node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment) : undefined;
      if (!pair) return undefined;
      keyNode = pair.key;
      node = pair.value;
    }
    const target = at === 'key' ? keyNode : typeof at === 'number' ? (isSeq(node) ? node.items[at] : node) : node;
    const offset = (target as Node | undefined)?.range?.[0];
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }
}

export class SectionReader {
  constructor(
    private readonly reader: ConfigReader,
    private readonly path: string[],
    private readonly values: Record<string, unknown>,
  ) {}

  /** The parsed value of `key`, or `fallback` when the key is absent or empty (`key:`). */
  get<T>(key: string, parse: (v: unknown) => T, fallback: T): T {
    const v = this.values[key];
    if (v === undefined || v === null) return fallback;
    return this.parse(key, parse, v);
  }

  /** Like `get`, for keys with no default. */
  optional<T>(key: string, parse: (v: unknown) => T): T | undefined {
    const v = this.values[key];
    if (v === undefined || v === null) return undefined;
    return this.parse(key, parse, v);
  }

  has(key: string): boolean {
    return this.values[key] !== undefined && this.values[key] !== null;
  }

  /** An error about this section's `key` (for rules that span keys). */
  error(key: string, problem: string, at?: number): ConfigError {
    return this.reader.error([...this.path, key], problem, at === undefined ? {} : { at });
  }

  private parse<T>(key: string, parse: (v: unknown) => T, v: unknown): T {
    try {
      return parse(v);
    } catch (err) {
      if (err instanceof ValueError) throw this.error(key, err.message, err.index);
      throw err;
    }
  }
}

/** The known key nearest to a typo: one edit away for short keys, two for keys of 5+ letters. */
function closest(key: string, known: readonly string[]): string | undefined {
  const allowed = key.length >= 5 ? 2 : 1;
  let best: { key: string; distance: number } | undefined;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d <= allowed && (!best || d < best.distance)) best = { key: k, distance: d };
  }
  return best?.key;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
