// Placeholder until the SIP stack is wired in (being written now); `softswitch start` calls this.
import type { Logger } from '../log/logger.js';

export interface RunningSwitch {
  stop(): Promise<void>;
}

export async function startSwitch(opts: { config: unknown; logger: Logger }): Promise<RunningSwitch> {
  opts.logger.info({ event: 'switch.started' }, 'softswitch started (no SIP stack wired yet)');
  return { stop: async () => {} };
}
