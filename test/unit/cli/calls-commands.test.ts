// `softswitch calls` and `softswitch hangup` in-process, against a fake switch: a real
// ControlServer on <data>/control.sock whose calls.* methods the test scripts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { linkSync, mkdirSync, renameSync } from 'node:fs';
import { controlSocketPath } from '../../../src/app/control/control-protocol.js';
import { ControlMethodError, ControlServer } from '../../../src/app/control/control-server.js';
import type { LiveCallView } from '../../../src/app/control/live-call-view.js';
import { silentLogger } from '../../../src/log/logger.js';
import { CliHarness, NOW, type CliResult } from './cli-harness.js';

const TALKING = '3f2c9a10-0b1e-4c6a-9d55-2f4e8a7b1c01';
const RINGING = '3f2c9a77-5e02-4a11-8f00-aa11bb22cc33';
const HELD = '9d0e1111-2222-4333-8444-555566667777';

const talking: LiveCallView = {
  id: TALKING,
  state: 'answered',
  caller: { number: '1001', name: 'Alice', device: '1001' },
  dialled: '2001',
  callee: { user: '2001', ringing: [], answeredBy: '2002' },
  startedAt: NOW - 125_000,
  answeredAt: NOW - 120_000,
  legs: [
    { role: 'a', device: '1001', remote: '192.0.2.10:40000', codec: 'PCMU', packetsIn: 6000, packetsOut: 5990, lost: 10, jitterMs: 1.5 },
    { role: 'b', device: '2002', remote: '192.0.2.22:40002', codec: 'opus', packetsIn: 5990, packetsOut: 5990, lost: 0, jitterMs: 0.8 },
  ],
  relay: 'transcode',
};
const ringing: LiveCallView = {
  id: RINGING,
  state: 'ringing',
  caller: { number: '+4930123456', name: null, device: null },
  dialled: '1001',
  callee: { user: '1001', ringing: ['1001', '1002'], answeredBy: null },
  startedAt: NOW - 7_000,
  answeredAt: null,
  legs: [],
  relay: null,
};
const held: LiveCallView = {
  ...talking,
  id: HELD,
  state: 'held',
  caller: { number: '2001', name: 'Bob \u001b[31m', device: '2001' },
  dialled: '3001',
  startedAt: NOW - 3_600_000,
  answeredAt: NOW - 3_599_000,
  legs: talking.legs.map((l) => ({ ...l, codec: 'PCMA', lost: 0 })),
  relay: 'passthrough',
};

/** A switch that answers calls.list with `calls` and records calls.hangup. */
class FakeSwitch {
  calls: unknown = [talking, ringing, held];
  hungUp: string[] = [];
  /** Calls that ended after calls.list answered. */
  readonly gone = new Set<string>();
  readonly server: ControlServer;

  constructor(readonly h: CliHarness) {
    mkdirSync(h.dataDir, { recursive: true, mode: 0o700 });
    this.server = new ControlServer(controlSocketPath(h.dataDir), silentLogger);
    this.server.register({
      'calls.list': () => this.calls,
      'calls.hangup': (p) => {
        const id = p.call as string;
        if (this.gone.has(id) || !(this.calls as LiveCallView[]).some((c) => c.id === id)) throw new ControlMethodError(`no live call ${id}`);
        this.hungUp.push(id);
        return { id };
      },
    });
  }

  static async start(h = new CliHarness()): Promise<FakeSwitch> {
    const s = new FakeSwitch(h);
    await s.server.start();
    return s;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}

function ok(r: CliResult): CliResult {
  assert.is(r.stderr, '');
  assert.is(r.code, 0);
  return r;
}

function refused(r: CliResult, line: string): void {
  assert.equal([r.code, r.stdout, r.stderr], [1, '', `error: ${line}\n`]);
}

test('calls: id prefix, caller, dialled, state, answered by, duration, codecs, packets in/out, loss', async () => {
  const sw = await FakeSwitch.start();
  assert.is(
    ok(await sw.h.cli('calls')).stdout,
    'ID        CALLER               DIALLED  STATE     ANSWERED BY  DURATION  CODECS     PACKETS IN/OUT  LOSS\n' +
      '3f2c9a10  1001 (Alice)         2001     answered  2002         2m00s     PCMU/opus  11990/11980     0.1%\n' +
      '3f2c9a77  +4930123456          1001     ringing   -            7s        -          -               -\n' +
      '9d0e1111  2001 (Bob \\x1b[31m)  3001     held      2002         59m59s    PCMA       11990/11980     0.0%\n',
  );
  await sw.stop();
});

test('calls --json: every LiveCallView field, times as ISO strings, plus duration in seconds', async () => {
  const sw = await FakeSwitch.start();
  const list = JSON.parse(ok(await sw.h.cli('calls', '--json')).stdout);
  assert.equal(list[0], {
    ...talking,
    startedAt: new Date(NOW - 125_000).toISOString(),
    answeredAt: new Date(NOW - 120_000).toISOString(),
    duration: 120,
  });
  assert.equal([list[1].answeredAt, list[1].duration, list[1].callee.ringing], [null, 7, ['1001', '1002']]);
  await sw.stop();
});

test('calls with no live call says so', async () => {
  const sw = await FakeSwitch.start();
  sw.calls = [];
  assert.is(ok(await sw.h.cli('calls')).stdout, 'no live calls\n');
  assert.is(ok(await sw.h.cli('calls', '--json')).stdout, '[]\n');
  await sw.stop();
});

test('calls and hangup with the switch not running: one line naming the socket, exit 1', async () => {
  const h = new CliHarness();
  const path = controlSocketPath(h.dataDir);
  refused(await h.cli('calls'), `the switch is not running (no ${path})`);
  refused(await h.cli('hangup', '3f2c'), `the switch is not running (no ${path})`);
});

test('calls after a crash (socket file left, nobody listening): not running, exit 1', async () => {
  const sw = await FakeSwitch.start();
  const path = sw.server.socketPath;
  // Keep a second name for the socket file so that it outlives the listener, then put it back.
  linkSync(path, `${path}.kept`);
  await sw.stop();
  renameSync(`${path}.kept`, path);
  refused(await sw.h.cli('calls'), `the switch is not running (nothing listens on ${path})`);
});

test('calls: an answer that is not a list of calls is one error line', async () => {
  const sw = await FakeSwitch.start();
  sw.calls = { calls: [] };
  refused(await sw.h.cli('calls'), 'the switch sent an unexpected answer to calls.list');
  await sw.stop();
});

test('hangup by a unique prefix ends that call (the switch gets the full id)', async () => {
  const sw = await FakeSwitch.start();
  assert.is(ok(await sw.h.cli('hangup', '9D0E')).stdout, `hung up call ${HELD} (2001 (Bob \\x1b[31m) -> 3001)\n`);
  assert.is(ok(await sw.h.cli('hangup', TALKING)).stdout, `hung up call ${TALKING} (1001 (Alice) -> 2001)\n`);
  assert.equal(sw.hungUp, [HELD, TALKING]);
  await sw.stop();
});

test('hangup with an ambiguous prefix names the candidates and ends nothing', async () => {
  const sw = await FakeSwitch.start();
  refused(await sw.h.cli('hangup', '3f2c9a'), '3f2c9a matches 2 live calls (3f2c9a10, 3f2c9a77); give more of the id');
  assert.equal(sw.hungUp, []);
  await sw.stop();
});

test('hangup of no live call: one line, exit 1; an empty id is a usage error', async () => {
  const sw = await FakeSwitch.start();
  refused(await sw.h.cli('hangup', 'ffff'), 'no live call ffff');
  const empty = await sw.h.cli('hangup', ' ');
  assert.equal([empty.code, empty.stderr], [2, 'error: <call> must not be empty\n']);
  assert.equal(sw.hungUp, []);
  await sw.stop();
});

test("hangup of a call that ended meanwhile: the switch's refusal is the error line", async () => {
  const sw = await FakeSwitch.start();
  sw.gone.add(HELD); // still in calls.list, gone by the time calls.hangup arrives
  refused(await sw.h.cli('hangup', '9d0e'), `no live call ${HELD}`);
  assert.equal(sw.hungUp, []);
  await sw.stop();
});

test.run();
