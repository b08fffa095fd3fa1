/**
 * `softswitch start`: loads the configuration, checks what would otherwise fail later (TLS
 * files, the data directory and its database), creates the logger, starts the switch in
 * the foreground and stops it cleanly on SIGINT or SIGTERM.
 */
import type { Command } from 'commander';
import { accessSync, constants } from 'node:fs';
import type { Config } from '../../config/config.js';
import { wantsPrettyLog } from '../../config/config.js';
import { CliError } from '../cli-error.js';
import { openDataStore, type CliContext } from '../cli-context.js';
import { loadCliConfig } from '../config-location.js';
import { commonOptions } from './common-options.js';

/** How long `stop()` may take before the process gives up on a clean stop. */
export const STOP_TIMEOUT_MS = 10_000;

interface StartOptions {
  config?: string;
  pretty?: boolean;
}

export function startCommand(program: Command, ctx: CliContext): void {
  commonOptions(program.command('start'))
    .description('run the softswitch in the foreground (stop with Ctrl-C or SIGTERM)')
    .option('--pretty', 'human-readable log lines instead of JSON (default: log.pretty)')
    .action((o: StartOptions) => start(o, ctx));
}

async function start(o: StartOptions, ctx: CliContext): Promise<void> {
  const config = loadCliConfig(o.config, ctx.io);
  checkTlsFiles(config);
  const store = openDataStore(config); // creates the data directory and applies migrations now
  const schemaVersion = store.schemaVersion;
  store.close();
  const logger = ctx.deps.createLogger({ level: config.log.level, pretty: o.pretty === true || wantsPrettyLog(config, ctx.io.stdoutIsTTY) });
  logger.info({ event: 'config.loaded', file: config.file ?? null, data: config.data, schemaVersion }, config.file ? `configuration ${config.file}` : 'built-in default configuration');
  const running = await ctx.deps.startSwitch({ config, logger });
  const signal = await ctx.deps.waitForStopSignal();
  logger.info({ event: 'switch.stopping', signal }, `stopping on ${signal}`);
  await withTimeout(running.stop(), STOP_TIMEOUT_MS);
  logger.info({ event: 'switch.stopped' }, 'stopped');
  logger.flush();
}

function checkTlsFiles(config: Config): void {
  if (!config.sip.tls) return;
  for (const [key, path] of [['sip.tls.cert', config.sip.tls.cert], ['sip.tls.key', config.sip.tls.key]] as const) {
    try {
      accessSync(path, constants.R_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new CliError(`${key}: cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code}`);
    }
  }
}

async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CliError(`the switch did not stop within ${ms / 1000} s`)), ms);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * First SIGINT/SIGTERM resolves; a second one while stopping ends the process at once.
 * Signal listeners do not keep Node running, so a timer does until the signal comes.
 */
export function waitForProcessStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const keepAlive = setInterval(() => {}, 1 << 30);
    const onSignal = (signal: NodeJS.Signals) => {
      clearInterval(keepAlive);
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      const force = (again: NodeJS.Signals) => {
        process.stderr.write(`error: ${again} while stopping; exiting without a clean stop\n`);
        process.exit(1);
      };
      process.once('SIGINT', force).once('SIGTERM', force);
      resolve(signal);
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  });
}
