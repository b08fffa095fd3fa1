/**
 * Structured logging: one JSON object per line (pino), or human-readable lines when
 * `pretty` is set (a terminal). Every entry carries an `event` name so operators can grep
 * and machines can count: `log.warn({ event: 'auth.blocked', source: '10.0.0.7' }, '...')`.
 */
import { pino, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';

export type Logger = PinoLogger;
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface LoggerOptions {
  level?: LogLevel;
  /** Human-readable output instead of JSON lines. */
  pretty?: boolean;
  /** Where lines go; defaults to stdout (fd 1). */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? 'info';
  const base = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  if (opts.pretty) {
    return pino(base, pretty({ sync: true, colorize: true, translateTime: 'HH:MM:ss.l', destination: opts.destination ?? 1 }));
  }
  return pino(base, opts.destination ?? pino.destination({ fd: 1, sync: true }));
}

/** A logger that drops everything: the default for cores and tests that do not care. */
export const silentLogger: Logger = pino({ level: 'silent' });
