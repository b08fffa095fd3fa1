// `softswitch room live | mute | unmute | kick | lock | unlock` in-process, against a fake
// switch: a real ControlServer on <data>/control.sock whose room.* methods the test scripts
// (the contract of src/app/control/room-control.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { controlSocketPath } from '../../../src/app/control/control-protocol.js';
import { ControlMethodError, ControlServer } from '../../../src/app/control/control-server.js';
import type { LiveParticipantView, LiveRoomView, LockResult, ParticipantResult } from '../../../src/app/control/room-control.js';
import { silentLogger } from '../../../src/log/logger.js';
import { CliHarness, NOW, type CliResult } from './cli-harness.js';

const alice: LiveParticipantView = {
  id: 'p1', callId: '3f2c9a10-0b1e-4c6a-9d55-2f4e8a7b1c01', number: '1001', name: 'Alice', device: '1001',
  joinedAt: NOW - 723_000, talking: true, muted: false, admin: true,
};
const bob: LiveParticipantView = {
  id: 'p2', callId: '9d0e1111-2222-4333-8444-555566667777', number: '2001', name: 'Bob \u001b[31m', device: '2002',
  joinedAt: NOW - 65_000, talking: false, muted: true, admin: false,
};
const outside: LiveParticipantView = {
  id: 'p4', callId: 'aa11bb22-0000-4000-8000-000000000004', number: '+4930123456', name: null, device: null,
  joinedAt: NOW - 5_000, talking: false, muted: false, admin: false,
};

/** A switch whose room 8000 has Alice, Bob and an outside caller; records every room.* call. */
class FakeSwitch {
  room: LiveRoomView = { number: '8000', name: 'Sales', kind: 'public', locked: false, startedAt: NOW - 723_000, participants: [alice, bob, outside] };
  /** Replaces the room.live answer when set (a switch of another version). */
  liveAnswer: unknown;
  /** Participants that left after room.live answered. */
  readonly gone = new Set<string>();
  readonly calls: Array<[string, Record<string, unknown>]> = [];
  readonly server: ControlServer;

  constructor(readonly h: CliHarness) {
    mkdirSync(h.dataDir, { recursive: true, mode: 0o700 });
    this.server = new ControlServer(controlSocketPath(h.dataDir), silentLogger);
    const record = (method: string, handler: (p: Record<string, unknown>) => unknown) => (p: Record<string, unknown>) => {
      this.calls.push([method, p]);
      if (p.number !== this.room.number) throw new ControlMethodError(`no conference room ${String(p.number)}`);
      return handler(p);
    };
    this.server.register({
      'room.live': record('room.live', () => this.liveAnswer ?? this.room),
      'room.mute': record('room.mute', (p) => this.setMuted(p, true)),
      'room.unmute': record('room.unmute', (p) => this.setMuted(p, false)),
      'room.kick': record('room.kick', (p) => {
        const target = this.participant(p);
        this.room = { ...this.room, participants: this.room.participants.filter((x) => x !== target) };
        return { participant: target, changed: true } satisfies ParticipantResult;
      }),
      'room.lock': record('room.lock', () => this.setLocked(true)),
      'room.unlock': record('room.unlock', () => this.setLocked(false)),
    });
  }

  static async start(h?: CliHarness): Promise<FakeSwitch> {
    const harness = h ?? (await configured());
    const s = new FakeSwitch(harness);
    await s.server.start();
    return s;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private participant(p: Record<string, unknown>): LiveParticipantView {
    const found = this.room.participants.find((x) => x.id === p.participant);
    if (!found || this.gone.has(found.id)) throw new ControlMethodError(`no participant ${String(p.participant)} in room ${this.room.number}`);
    return found;
  }

  private setMuted(p: Record<string, unknown>, muted: boolean): ParticipantResult {
    const target = this.participant(p);
    const after = { ...target, muted };
    this.room = { ...this.room, participants: this.room.participants.map((x) => (x === target ? after : x)) };
    return { participant: after, changed: target.muted !== muted };
  }

  private setLocked(locked: boolean): LockResult {
    const changed = this.room.locked !== locked;
    this.room = { ...this.room, locked };
    return { number: this.room.number, locked, changed };
  }
}

/** A data directory with range 8000-8999 and rooms 8000 (Sales) and 8001 (Empty). */
async function configured(): Promise<CliHarness> {
  const h = new CliHarness();
  for (const args of [['conference-range', 'set', '8000-8999'], ['room', 'add', '8000', '--name', 'Sales', '--public', '--pin', '1234'], ['room', 'add', '8001', '--name', 'Empty', '--public', '--pin', '1234']]) {
    assert.is((await h.cli(...args)).code, 0, args.join(' '));
  }
  return h;
}

function ok(r: CliResult): CliResult {
  assert.is(r.stderr, '');
  assert.is(r.code, 0);
  return r;
}

function refused(r: CliResult, line: string, code = 1): void {
  assert.equal([r.code, r.stdout, r.stderr], [code, '', `error: ${line}\n`]);
}

test('room live: a heading, then who, device, joined, time in the room, talking, muted, admin (terminal-safe)', async () => {
  const sw = await FakeSwitch.start();
  sw.h.env = { TZ: 'UTC' };
  assert.is(
    ok(await sw.h.cli('room', 'live', '8000')).stdout,
    'room 8000 (Sales), public, unlocked: 3 participants since 2023-11-14 22:01:17\n' +
      'ID  WHO                  DEVICE  JOINED               IN ROOM  TALKING  MUTED  ADMIN\n' +
      'p1  1001 (Alice)         1001    2023-11-14 22:01:17  12m03s   yes      no     yes\n' +
      'p2  2001 (Bob \\x1b[31m)  2002    2023-11-14 22:12:15  1m05s    no       yes    no\n' +
      'p4  +4930123456          -       2023-11-14 22:13:15  5s       no       no     no\n',
  );
  assert.equal(sw.calls, [['room.live', { number: '8000' }]]);
  await sw.stop();
});

test('room live --json: the switch\'s view with ISO times and seconds in the room', async () => {
  const sw = await FakeSwitch.start();
  const live = JSON.parse(ok(await sw.h.cli('room', 'live', '8000', '--json')).stdout);
  assert.equal(live, {
    ...sw.room,
    startedAt: new Date(NOW - 723_000).toISOString(),
    participants: sw.room.participants.map((p) => ({ ...p, joinedAt: new Date(p.joinedAt).toISOString(), duration: Math.floor((NOW - p.joinedAt) / 1000) })),
  });
  assert.equal(live.participants.map((p: { duration: number }) => p.duration), [723, 65, 5]);
  await sw.stop();
});

test('room live of an empty, locked room says so', async () => {
  const sw = await FakeSwitch.start();
  sw.room = { ...sw.room, locked: true, startedAt: null, participants: [] };
  assert.is(ok(await sw.h.cli('room', 'live', '8000')).stdout, 'room 8000 (Sales), public, locked: nobody in the room\n');
  await sw.stop();
});

test('live commands with the switch not running: one line naming the socket, exit 1', async () => {
  const h = await configured();
  const line = `the switch is not running (no ${controlSocketPath(h.dataDir)})`;
  for (const args of [['live', '8000'], ['mute', '8000', 'p1'], ['unmute', '8000', 'p1'], ['kick', '8000', 'p1'], ['lock', '8000'], ['unlock', '8000']]) {
    refused(await h.cli('room', ...args), line);
  }
});

test('live commands on a number that is no room: one line from the database, the switch is not asked', async () => {
  const sw = await FakeSwitch.start();
  refused(await sw.h.cli('room', 'live', '8500'), 'unknown room 8500');
  refused(await sw.h.cli('room', 'kick', '8500', 'p1'), 'unknown room 8500');
  refused(await sw.h.cli('room', 'lock', '8500'), 'unknown room 8500');
  assert.equal(sw.calls, []);
  await sw.stop();
});

test('room mute / unmute by id, device or number: the switch gets the participant id', async () => {
  const sw = await FakeSwitch.start();
  assert.is(ok(await sw.h.cli('room', 'mute', '8000', 'P1')).stdout, 'muted 1001 (Alice) [p1] in room 8000\n');
  assert.is(ok(await sw.h.cli('room', 'unmute', '8000', '2002')).stdout, 'unmuted 2001 (Bob \\x1b[31m) [p2] in room 8000\n');
  assert.is(ok(await sw.h.cli('room', 'mute', '8000', '+4930123456')).stdout, 'muted +4930123456 [p4] in room 8000\n');
  assert.equal(
    sw.calls.filter(([m]) => m !== 'room.live'),
    [['room.mute', { number: '8000', participant: 'p1' }], ['room.unmute', { number: '8000', participant: 'p2' }], ['room.mute', { number: '8000', participant: 'p4' }]],
  );
  assert.equal(sw.room.participants.map((p) => p.muted), [true, false, true]);
  await sw.stop();
});

test('muting someone already muted (or unmuting someone not muted) says so, exit 0', async () => {
  const sw = await FakeSwitch.start();
  assert.is(ok(await sw.h.cli('room', 'mute', '8000', 'p2')).stdout, '2001 (Bob \\x1b[31m) [p2] was already muted in room 8000\n');
  assert.is(ok(await sw.h.cli('room', 'unmute', '8000', 'p1')).stdout, '1001 (Alice) [p1] was not muted in room 8000\n');
  await sw.stop();
});

test('room kick removes the participant', async () => {
  const sw = await FakeSwitch.start();
  assert.is(ok(await sw.h.cli('room', 'kick', '8000', '1001')).stdout, 'removed 1001 (Alice) [p1] from room 8000\n');
  assert.equal(sw.room.participants.map((p) => p.id), ['p2', 'p4']);
  assert.equal(sw.calls.at(-1), ['room.kick', { number: '8000', participant: 'p1' }]);
  await sw.stop();
});

test('a participant that is not there, or is ambiguous, is one line and nothing is sent', async () => {
  const sw = await FakeSwitch.start();
  sw.room = { ...sw.room, participants: [alice, { ...outside, id: 'p5', number: '1001', device: null }] };
  refused(await sw.h.cli('room', 'kick', '8000', '3001'), 'no participant 3001 in room 8000; see softswitch room live 8000');
  refused(await sw.h.cli('room', 'mute', '8000', '+4930123456'), 'no participant +4930123456 in room 8000; see softswitch room live 8000');
  sw.room = { ...sw.room, participants: [{ ...alice, device: null }, { ...outside, id: 'p5', number: '1001' }] };
  refused(await sw.h.cli('room', 'mute', '8000', '1001'), '1001 matches 2 participants in room 8000 (p1, p5); give the id');
  assert.equal(sw.calls.map(([m]) => m), ['room.live', 'room.live', 'room.live']);
  sw.room = { ...sw.room, participants: [] };
  refused(await sw.h.cli('room', 'mute', '8000', 'p1'), 'no participant p1 in room 8000: the room is empty');
  const empty = await sw.h.cli('room', 'mute', '8000', ' ');
  assert.equal([empty.code, empty.stderr], [2, 'error: <participant> must not be empty\n']);
  await sw.stop();
});

test("a participant who left between room.live and the mute: the switch's refusal is the error line", async () => {
  const sw = await FakeSwitch.start();
  sw.gone.add('p2');
  refused(await sw.h.cli('room', 'mute', '8000', 'p2'), 'no participant p2 in room 8000');
  await sw.stop();
});

test('room lock / unlock, and the already-in-that-state answers', async () => {
  const sw = await FakeSwitch.start();
  assert.is(ok(await sw.h.cli('room', 'lock', '8000')).stdout, 'locked room 8000: new callers are refused\n');
  assert.is(sw.room.locked, true);
  assert.is(ok(await sw.h.cli('room', 'lock', '8000')).stdout, 'room 8000 was already locked\n');
  assert.is(ok(await sw.h.cli('room', 'unlock', '8000')).stdout, 'unlocked room 8000\n');
  assert.is(ok(await sw.h.cli('room', 'unlock', '8000')).stdout, 'room 8000 was already unlocked\n');
  assert.equal(sw.calls.map(([m, p]) => [m, p.number]), [['room.lock', '8000'], ['room.lock', '8000'], ['room.unlock', '8000'], ['room.unlock', '8000']]);
  await sw.stop();
});

test('a configured room the switch does not know (a switch of another version): its refusal is the line', async () => {
  const sw = await FakeSwitch.start();
  refused(await sw.h.cli('room', 'live', '8001'), 'no conference room 8001');
  await sw.stop();
});

test('an answer that is not what room.live promises is one error line', async () => {
  const sw = await FakeSwitch.start();
  for (const answer of [[], { participants: 'none' }, { participants: [{ number: '1001' }] }]) {
    sw.liveAnswer = answer;
    refused(await sw.h.cli('room', 'live', '8000'), 'the switch sent an unexpected answer to room.live');
  }
  await sw.stop();
});

test.run();
