/**
 * Which configuration file a command uses, the same way for `start` and the admin commands
 * so they find the same data directory: `--config FILE`, else $SOFTSWITCH_CONFIG, else
 * ./config.yaml when it exists, else the built-in defaults (data directory ./data).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';
import type { CliIo } from './cli-io.js';

export const CONFIG_ENV = 'SOFTSWITCH_CONFIG';
export const DEFAULT_CONFIG_FILE = 'config.yaml';

export function configPath(option: string | undefined, io: CliIo): string | undefined {
  if (option !== undefined) return option;
  const fromEnv = io.env[CONFIG_ENV];
  if (fromEnv) return fromEnv;
  return existsSync(join(io.cwd, DEFAULT_CONFIG_FILE)) ? DEFAULT_CONFIG_FILE : undefined;
}

export function loadCliConfig(option: string | undefined, io: CliIo): Config {
  return loadConfig(configPath(option, io), { cwd: io.cwd });
}
