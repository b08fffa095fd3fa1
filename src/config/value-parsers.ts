/**
 * Parsers for configuration values: each takes what YAML gave and returns the typed value,
 * or throws a ValueError whose message completes "<key> ..." ("must be an integer 1-65535").
 */
import { isIP } from 'node:net';
import { ValueError } from './config-error.js';
import { cidrText, parseCidr } from './network-address.js';

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const CONTROL = /\p{Cc}/u;

export function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
}

export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER): (v: unknown) => number {
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}-${max}`;
  return (v) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new ValueError(`must be an integer ${range}, got ${shown(v)}`);
    return v;
  };
}

export const port = integer(1, 65535);

export function oneOf<T extends string>(choices: readonly T[]): (v: unknown) => T {
  return (v) => {
    if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
      throw new ValueError(`must be one of ${choices.join(', ')}, got ${shown(v)}`);
    }
    return v as T;
  };
}

export function trueFalseOrAuto(v: unknown): boolean | 'auto' {
  if (v === true || v === false || v === 'auto') return v;
  throw new ValueError(`must be true, false or auto, got ${shown(v)}`);
}

export function text(maxLength: number, forbidden?: { pattern: RegExp; what: string }): (v: unknown) => string {
  return (v) => {
    if (typeof v !== 'string' || v.length === 0) throw new ValueError(`must be a non-empty string, got ${shown(v)}`);
    if (v.length > maxLength) throw new ValueError(`must be at most ${maxLength} characters long`);
    if (CONTROL.test(v)) throw new ValueError('must not contain control characters');
    if (forbidden?.pattern.test(v)) throw new ValueError(`must not contain ${forbidden.what}`);
    return v;
  };
}

export const filePath = text(4096);

/** An IP address to bind to. */
export function ipAddress(v: unknown): string {
  if (typeof v !== 'string' || isIP(v) === 0) throw new ValueError(`must be an IPv4 or IPv6 address, got ${shown(v)}`);
  return v;
}

/** A host name or IP address (SIP domain, advertised address). */
export function host(v: unknown): string {
  if (typeof v !== 'string' || (isIP(v) === 0 && !HOSTNAME.test(v))) {
    throw new ValueError(`must be a host name or IP address, got ${shown(v)}`);
  }
  return v;
}

/** `LOW-HIGH`, e.g. `10000-20000`, with LOW < HIGH. */
export function portRange(v: unknown): { min: number; max: number } {
  const m = typeof v === 'string' ? /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(v) : null;
  const min = m ? Number(m[1]) : NaN;
  const max = m ? Number(m[2]) : NaN;
  if (!m || min < 1 || max > 65535 || min >= max) {
    throw new ValueError(`must be a port range LOW-HIGH with 1 <= LOW < HIGH <= 65535, got ${shown(v)}`);
  }
  return { min, max };
}

/** A list whose elements each pass `item`; `unique` rejects repeats. */
export function list<T>(item: (v: unknown) => T, opts: { nonEmpty?: boolean; unique?: boolean } = {}): (v: unknown) => T[] {
  return (v) => {
    if (!Array.isArray(v)) throw new ValueError(`must be a list, got ${shown(v)}`);
    if (opts.nonEmpty && v.length === 0) throw new ValueError('must not be an empty list');
    const out = v.map((element, i) => {
      try {
        return item(element);
      } catch (err) {
        if (err instanceof ValueError) throw new ValueError(`[${i}] ${err.message}`, i);
        throw err;
      }
    });
    const repeat = opts.unique ? out.find((x, i) => out.indexOf(x) !== i) : undefined;
    if (repeat !== undefined) throw new ValueError(`lists ${String(repeat)} twice`);
    return out;
  };
}

export function cidr(v: unknown): string {
  if (typeof v !== 'string') throw new ValueError(`must be an address or CIDR block like 10.0.0.0/8, got ${shown(v)}`);
  return cidrText(parseCidr(v));
}

/** `auto` (one per core) or a count. */
export function workerCount(cores: number): (v: unknown) => number {
  const count = integer(1, 256);
  return (v) => {
    if (v === 'auto') return cores;
    try {
      return count(v);
    } catch {
      throw new ValueError(`must be auto or an integer 1-256, got ${shown(v)}`);
    }
  };
}
