import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { RunningSwitch } from '../../../src/app/switch.js';
import type { Config } from '../../../src/config/config.js';
import { createLogger, type LoggerOptions } from '../../../src/log/logger.js';
import { CliHarness } from './cli-harness.js';

/** Records what `start` does with the switch, and lets the test send the stop signal. */
function fakeSwitch(h: CliHarness) {
  const seen = { config: undefined as Config | undefined, stopped: false, loggerOptions: undefined as LoggerOptions | undefined, lines: [] as string[], order: [] as string[] };
  let sendSignal: (name: string) => void = () => {};
  h.deps = {
    ...h.deps,
    createLogger: (opts: LoggerOptions = {}) => {
      seen.loggerOptions = opts;
      const sink = new Writable({ write: (chunk, _enc, done) => (seen.lines.push(String(chunk)), done()) });
      return createLogger({ ...opts, pretty: false, destination: sink });
    },
    startSwitch: async ({ config }) => {
      seen.config = config as Config;
      seen.order.push('started');
      return { ports: { udp: 5060 }, stop: async () => void ((seen.stopped = true), seen.order.push('stopped')) } satisfies RunningSwitch;
    },
    waitForStopSignal: () =>
      new Promise<string>((resolve) => {
        seen.order.push('waiting');
        sendSignal = resolve;
      }),
  };
  return { seen, signal: (name: string) => sendSignal(name) };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(check(), 'condition never became true');
}

test('start loads the config, prepares the data directory, starts the switch and stops it on the signal', async () => {
  const h = new CliHarness('sip:\n  port: 5070\ndata: ./var\nlog:\n  level: debug\n');
  const { seen, signal } = fakeSwitch(h);
  const running = h.cli('start');
  await until(() => seen.order.includes('waiting'));
  assert.is(seen.config?.sip.port, 5070);
  assert.is(seen.config?.data, join(h.root, 'var'));
  assert.is(seen.config?.file, h.configFile);
  assert.ok(existsSync(join(h.root, 'var', 'softswitch.db')), 'database created and migrated before the switch starts');
  assert.is(statSync(join(h.root, 'var')).mode & 0o777, 0o700);
  assert.equal(seen.loggerOptions, { level: 'debug', pretty: false });
  assert.is(seen.stopped, false);
  signal('SIGTERM');
  const r = await running;
  assert.equal([r.code, r.stderr], [0, '']);
  assert.equal(seen.order, ['started', 'waiting', 'stopped']);
  const events = seen.lines.map((l) => JSON.parse(l).event);
  assert.equal(events, ['config.loaded', 'switch.stopping', 'switch.stopped']);
  assert.is(JSON.parse(seen.lines[1]!).signal, 'SIGTERM');
});

test('start --pretty forces human-readable logs', async () => {
  const h = new CliHarness('log:\n  pretty: false\ndata: ./data\n');
  const { seen, signal } = fakeSwitch(h);
  const running = h.cli('start', '--pretty');
  await until(() => seen.order.includes('waiting'));
  assert.is(seen.loggerOptions?.pretty, true);
  signal('SIGINT');
  assert.is((await running).code, 0);
});

test('start refuses unreadable TLS files before starting anything', async () => {
  const h = new CliHarness('data: ./data\nsip:\n  tls:\n    cert: missing-cert.pem\n    key: key.pem\n');
  writeFileSync(join(h.root, 'key.pem'), 'x');
  const { seen } = fakeSwitch(h);
  const r = await h.cli('start');
  assert.equal([r.code, r.stderr], [1, `error: sip.tls.cert: cannot read ${join(h.root, 'missing-cert.pem')}: no such file\n`]);
  assert.is(seen.config, undefined);
});

test('a switch that fails to start is one error line, exit 1', async () => {
  const h = new CliHarness();
  fakeSwitch(h);
  h.deps.startSwitch = async () => {
    throw new Error('listen EADDRINUSE: address already in use 0.0.0.0:5060');
  };
  const r = await h.cli('start');
  assert.equal([r.code, r.stderr], [1, 'error: listen EADDRINUSE: address already in use 0.0.0.0:5060\n']);
});

test.run();
