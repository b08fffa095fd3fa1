// `softswitch room add | list | show | edit | rm` and `conference-range set | list`, in-process
// against a temporary data directory.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CliHarness, NOW, type CliResult } from './cli-harness.js';

const ISO = new Date(NOW).toISOString();
const OPEN_8000 = 'warning: public room 8000 has no PIN: anyone who dials it joins\n';

function ok(r: CliResult, stderr = ''): CliResult {
  assert.is(r.stderr, stderr);
  assert.is(r.code, 0);
  return r;
}

function refused(r: CliResult, code: number, line: string): void {
  assert.equal([r.code, r.stdout, r.stderr], [code, '', `error: ${line}\n`]);
}

/** Ranges 8000-8999 and 9500-9599; Alice (1001) and Bob (2001). */
async function setUp(): Promise<CliHarness> {
  const h = new CliHarness();
  ok(await h.cli('conference-range', 'set', '8000-8999', '9500-9599'));
  ok(await h.cli('user', 'add', '1001', '--name', 'Alice'));
  ok(await h.cli('user', 'add', '2001', '--name', 'Bob'));
  return h;
}

test('conference-range set prints the new ranges; list shows numbers and rooms per range', async () => {
  const h = new CliHarness();
  assert.is(ok(await h.cli('conference-range', 'list')).stdout, 'no conference range (set one with: softswitch conference-range set <from>-<to>)\n');
  assert.is(ok(await h.cli('conference-range', 'set', '9500-9599', '8000-8999')).stdout, 'conference ranges: 8000-8999 (1000 numbers), 9500-9599 (100 numbers)\n');
  ok(await h.cli('room', 'add', '8000', '--name', 'Lobby', '--public', '--pin', '1234'));
  assert.is(ok(await h.cli('conference-range', 'list')).stdout, 'RANGE      NUMBERS  ROOMS\n8000-8999  1000     1\n9500-9599  100      0\n');
  assert.equal(JSON.parse(ok(await h.cli('conference-range', 'list', '--json')).stdout), [
    { from: '8000', to: '8999', numbers: 1000, rooms: 1 },
    { from: '9500', to: '9599', numbers: 100, rooms: 0 },
  ]);
});

test('conference-range set names extensions already inside the ranges (no room can take them)', async () => {
  const h = new CliHarness();
  ok(await h.cli('user', 'add', '8001', '--name', 'Carol'));
  assert.is(
    ok(await h.cli('conference-range', 'set', '8000-8000', '8001-8099')).stdout,
    'conference ranges: 8000-8000 (1 number), 8001-8099 (99 numbers)\n  8001 is used by user Carol: no room can take it\n',
  );
});

test('conference-range set: bad ranges, overlaps, more than 20, orphaned rooms: one line, exit 1; no range at all: usage', async () => {
  const h = await setUp();
  refused(await h.cli('conference-range', 'set', '800-8999'), 1, 'conference range 800-8999: both ends must have the same number of digits');
  refused(await h.cli('conference-range', 'set', '8999-8000'), 1, 'conference range 8999-8000: the start is above the end');
  refused(await h.cli('conference-range', 'set', '8000-8999', '8500-8599'), 1, 'conference ranges 8000-8999 and 8500-8599 overlap');
  refused(await h.cli('conference-range', 'set', 'abc'), 1, 'conference range must be <from>-<to> in digits (e.g. 8000-8999), got "abc"');
  const many = Array.from({ length: 21 }, (_, i) => `${10 + i}00-${10 + i}99`);
  refused(await h.cli('conference-range', 'set', ...many), 1, 'at most 20 conference ranges, got 21');
  ok(await h.cli('room', 'add', '9500', '--name', 'Sales', '--public', '--pin', '1234'));
  refused(await h.cli('conference-range', 'set', '8000-8999'), 1, 'conference room 9500 (Sales) would be outside every new range (8000-8999); move or remove it first');
  const none = await h.cli('conference-range', 'set');
  assert.equal([none.code, none.stderr], [2, "error: missing required argument 'ranges'\n"]);
  assert.is(ok(await h.cli('conference-range', 'list')).stdout, 'RANGE      NUMBERS  ROOMS\n8000-8999  1000     0\n9500-9599  100      1\n');
});

test('room add: public with PINs, private with an owner; the confirmation line says which', async () => {
  const h = await setUp();
  assert.is(
    ok(await h.cli('room', 'add', '8000', '--name', 'All hands', '--public', '--pin', '4711', '--admin-pin', '90210', '--language', 'it', '--max-participants', '50')).stdout,
    'added public room 8000 (All hands)\n',
  );
  assert.is(ok(await h.cli('room', 'add', '9500', '--name', 'Team', '--private', '--owner', '1001', '--pin', '0042')).stdout, 'added private room 9500 (Team) of Alice (1001)\n');
  const store = h.openStore();
  assert.equal(
    store.rooms.list().map((r) => [r.number, r.kind, r.ownerUserId, r.pin, r.adminPin, r.language, r.maxParticipants, r.createdAt]),
    [['8000', 'public', null, '4711', '90210', 'it', 50, NOW], ['9500', 'private', store.users.findByExt('1001')!.id, '0042', null, null, null, NOW]],
  );
  store.close();
});

test('room add of a public room without any PIN warns on stderr and exits 0', async () => {
  const h = await setUp();
  const r = ok(await h.cli('room', 'add', '8000', '--name', 'Lobby', '--public'), OPEN_8000);
  assert.is(r.stdout, 'added public room 8000 (Lobby)\n');
  ok(await h.cli('room', 'add', '8001', '--name', 'Board', '--public', '--admin-pin', '9999')); // an admin PIN is a PIN: no warning
});

test('room add refusals are one clear line, exit 1: outside the ranges, number in use, PIN, owner, admin PIN rules', async () => {
  const h = await setUp();
  ok(await h.cli('user', 'add', '8001', '--name', 'Carol'));
  ok(await h.cli('device', 'add', '8002', '--user', '2001', '--secret', 'bob-soft-22'));
  refused(await h.cli('room', 'add', '7000', '--name', 'X', '--public'), 1, 'room number 7000 is outside the conference ranges (8000-8999, 9500-9599)');
  refused(await h.cli('room', 'add', '8001', '--name', 'X', '--public'), 1, 'extension 8001 is already used by user Carol');
  refused(await h.cli('room', 'add', '8002', '--name', 'X', '--public'), 1, 'extension 8002 is already used by device of Bob');
  refused(await h.cli('room', 'add', '8000', '--name', 'X', '--public', '--pin', '12a4'), 1, 'PIN must be digits only (0-9)');
  refused(await h.cli('room', 'add', '8000', '--name', 'X', '--public', '--admin-pin', '99'), 1, 'admin PIN must be 4 to 12 digits, got 2');
  refused(await h.cli('room', 'add', '8000', '--name', 'X', '--public', '--pin', '1234', '--admin-pin', '1234'), 1, 'the admin PIN must differ from the PIN');
  refused(await h.cli('room', 'add', '8000', '--name', 'X', '--private', '--owner', '3001'), 1, 'owner 3001 is not a user');
  refused(await h.cli('room', 'add', '8000', '--name', 'X', '--private', '--owner', '8002'), 1, 'owner 8002 is not a user (8002 is used by device of Bob)');
  refused(await h.cli('room', 'add', '8000', '--name', 'X', '--public', '--language', 'de'), 1, 'language must be one of en, it, ru, got "de"');
  refused(await h.cli('room', 'add', '8000', '--name', 'X', '--public', '--max-participants', 'many'), 1, 'max participants must be a whole number from 2 to 10000, got "many"');
  ok(await h.cli('room', 'add', '8000', '--name', 'X', '--public', '--pin', '1234'));
  refused(await h.cli('room', 'add', '8000', '--name', 'Y', '--public'), 1, 'extension 8000 is already used by conference room X');
});

test('room add usage errors, exit 2: --public or --private, owner only and always with --private, admin PIN only public', async () => {
  const h = await setUp();
  const usage = async (line: string, ...args: string[]) => refused(await h.cli('room', 'add', '8000', '--name', 'X', ...args), 2, line);
  await usage('give --public, or --private --owner <userExt>');
  await usage('--public and --private cannot be used together', '--public', '--private');
  await usage('a private room needs --owner <userExt>', '--private');
  await usage('--owner is for private rooms; a public room belongs to nobody', '--public', '--owner', '1001');
  await usage('--admin-pin is for public rooms; the owner administers a private room', '--private', '--owner', '1001', '--admin-pin', '1234');
  refused(await h.cli('room', 'add', '8000', '--public'), 2, "required option '--name <name>' not specified");
  assert.equal(h.openStore().rooms.list(), []);
});

test('no conference range yet: room add says how to set one', async () => {
  const h = new CliHarness();
  refused(await h.cli('room', 'add', '8000', '--name', 'X', '--public'), 1, 'no conference range is set; set one first with conference-range set <from>-<to>');
});

test('room list: a table in number order, the warning marker on open public rooms, explained under it', async () => {
  const h = await setUp();
  ok(await h.cli('room', 'add', '9500', '--name', 'Team', '--private', '--owner', '1001', '--pin', '1234'));
  ok(await h.cli('room', 'add', '8000', '--name', 'Lobby', '--public'), OPEN_8000);
  ok(await h.cli('room', 'add', '8001', '--name', 'Sales', '--public', '--pin', '1234', '--admin-pin', '4321', '--language', 'ru', '--max-participants', '20'));
  assert.is(
    ok(await h.cli('room', 'list')).stdout,
    '   NUMBER  NAME   KIND     OWNER         PIN  ADMIN PIN  LANGUAGE  MAX\n' +
      '!  8000    Lobby  public   -             -    -          default   -\n' +
      '   8001    Sales  public   -             yes  yes        ru        20\n' +
      '   9500    Team   private  1001 (Alice)  yes  -          default   -\n' +
      '\n' +
      '! public room without a PIN: anyone who dials it joins\n',
  );
  ok(await h.cli('room', 'edit', '8000', '--pin', '5555'));
  assert.not.match(ok(await h.cli('room', 'list')).stdout, /!/);
});

test('room list with no rooms says so; --json is an array', async () => {
  const h = await setUp();
  assert.is(ok(await h.cli('room', 'list')).stdout, 'no rooms\n');
  assert.is(ok(await h.cli('room', 'list', '--json')).stdout, '[]\n');
});

test('room show and --json: stable fields, PINs only with --show-pins, warnings as codes', async () => {
  const h = await setUp();
  ok(await h.cli('room', 'add', '8000', '--name', 'Lobby', '--public'), OPEN_8000);
  ok(await h.cli('room', 'add', '9500', '--name', 'Team', '--private', '--owner', '1001', '--pin', '0042', '--language', 'en'));
  assert.is(
    ok(await h.cli('room', 'show', '9500')).stdout,
    'number            9500\n' +
      'name              Team\n' +
      'kind              private\n' +
      'owner             1001 (Alice)\n' +
      'PIN               **** (--show-pins to see it)\n' +
      'admin PIN         - (the owner is the administrator)\n' +
      'language          en\n' +
      'max participants  no limit\n' +
      `created           ${ISO}\n` +
      `updated           ${ISO}\n`,
  );
  assert.match(ok(await h.cli('room', 'show', '9500', '--show-pins')).stdout, /^PIN {15}0042$/m);
  assert.match(ok(await h.cli('room', 'show', '8000')).stdout, /^warning {11}public room 8000 has no PIN: anyone who dials it joins$/m);
  const shown = JSON.parse(ok(await h.cli('room', 'show', '9500', '--json')).stdout);
  assert.equal(shown, {
    number: '9500', name: 'Team', kind: 'private', owner: '1001', ownerName: 'Alice', hasPin: true, hasAdminPin: false,
    language: 'en', maxParticipants: null, warnings: [], createdAt: ISO, updatedAt: ISO,
  });
  const withPins = JSON.parse(ok(await h.cli('room', 'show', '9500', '--json', '--show-pins')).stdout);
  assert.equal([withPins.pin, withPins.adminPin], ['0042', null]);
  const listed = JSON.parse(ok(await h.cli('room', 'list', '--json')).stdout);
  assert.equal(listed.map((r: { number: string; warnings: string[] }) => [r.number, r.warnings]), [['8000', ['no-pin']], ['9500', []]]);
  assert.equal(listed[1], shown);
  assert.not.ok('pin' in listed[1], 'lists never carry PINs');
});

test('room edit: values, clearing with --no-*, renumbering; the warning follows the edit that leaves a room open', async () => {
  const h = await setUp();
  ok(await h.cli('room', 'add', '8000', '--name', 'Lobby', '--public', '--pin', '1234', '--language', 'it', '--max-participants', '9'));
  assert.is(ok(await h.cli('room', 'edit', '8000', '--name', 'Hall', '--no-language', '--no-max-participants')).stdout, 'updated public room 8000 (Hall)\n');
  const r = ok(await h.cli('room', 'edit', '8000', '--no-pin'), OPEN_8000);
  assert.is(r.stdout, 'updated public room 8000 (Hall)\n');
  assert.is(ok(await h.cli('room', 'edit', '8000', '--number', '8005', '--pin', '2222', '--admin-pin', '3333')).stdout, 'updated public room 8005 (Hall), was 8000\n');
  const room = h.openStore().rooms.findByNumber('8005')!;
  assert.equal([room.name, room.pin, room.adminPin, room.language, room.maxParticipants], ['Hall', '2222', '3333', null, null]);
  ok(await h.cli('room', 'edit', '8005', '--no-admin-pin'));
  assert.is(h.openStore().rooms.findByNumber('8005')!.adminPin, null);
});

test('room edit: public <-> private, owner changes, and the rules on the way', async () => {
  const h = await setUp();
  ok(await h.cli('room', 'add', '8000', '--name', 'Sales', '--public', '--pin', '1234', '--admin-pin', '4321'));
  refused(await h.cli('room', 'edit', '8000', '--private'), 1, 'a private room needs an owner: the main extension of an existing user');
  refused(
    await h.cli('room', 'edit', '8000', '--private', '--owner', '1001'),
    1,
    'room 8000 has an admin PIN, which a private room has not (its owner is its administrator); remove it with --no-admin-pin',
  );
  assert.is(ok(await h.cli('room', 'edit', '8000', '--private', '--owner', '1001', '--no-admin-pin')).stdout, 'updated private room 8000 (Sales) of Alice (1001)\n');
  assert.is(ok(await h.cli('room', 'edit', '8000', '--owner', '2001')).stdout, 'updated private room 8000 (Sales) of Bob (2001)\n');
  refused(await h.cli('room', 'edit', '8000', '--admin-pin', '5555'), 1, 'a private room has no admin PIN: its owner is its administrator');
  assert.is(ok(await h.cli('room', 'edit', '8000', '--public')).stdout, 'updated public room 8000 (Sales)\n');
  refused(await h.cli('room', 'edit', '8000', '--public', '--private'), 2, '--public and --private cannot be used together');
  refused(await h.cli('room', 'edit', '8000', '--public', '--owner', '1001'), 2, '--owner is for private rooms; a public room belongs to nobody');
});

test('room edit with nothing to change is a usage error; an unknown room is one line', async () => {
  const h = await setUp();
  const r = await h.cli('room', 'edit', '8000');
  assert.equal([r.code, r.stdout], [2, '']);
  assert.match(r.stderr, /^error: nothing to change: give at least one of --number, --name, .*--no-max-participants\n$/);
  refused(await h.cli('room', 'edit', '8000', '--name', 'x'), 1, 'unknown room 8000');
  refused(await h.cli('room', 'show', '1001'), 1, 'unknown room 1001 (1001 is used by user Alice)');
});

test('room rm removes the room and frees its number; users can no longer take a room number before that', async () => {
  const h = await setUp();
  ok(await h.cli('room', 'add', '8000', '--name', 'Team', '--private', '--owner', '2001'));
  refused(await h.cli('user', 'add', '8000', '--name', 'Carol'), 1, 'extension 8000 is already used by conference room Team');
  refused(await h.cli('device', 'add', '8000', '--user', '2001', '--secret', 'bob-soft-22'), 1, 'extension 8000 is already used by conference room Team');
  assert.is(ok(await h.cli('room', 'rm', '8000')).stdout, 'removed private room 8000 (Team) of Bob (2001)\n');
  refused(await h.cli('room', 'rm', '8000'), 1, 'unknown room 8000');
  ok(await h.cli('user', 'add', '8000', '--name', 'Carol'));
});

test('user rm of an owner of private rooms needs --force, then says which rooms went', async () => {
  const h = await setUp();
  ok(await h.cli('room', 'add', '8000', '--name', 'Team', '--private', '--owner', '1001'));
  ok(await h.cli('room', 'add', '8001', '--name', 'Lobby', '--public', '--pin', '1234'));
  refused(await h.cli('user', 'rm', '1001'), 1, 'user 1001 (Alice) owns 1 private room (8000); add --force to remove the user with its rooms');
  assert.is(ok(await h.cli('user', 'rm', '1001', '--force')).stdout, 'removed user 1001 (Alice)\n  private room 8000 (Team) of Alice removed\n');
  assert.equal(h.openStore().rooms.list().map((r) => r.number), ['8001']);
});

test('--help of every room and conference-range command, on stdout, exit 0', async () => {
  const h = new CliHarness();
  const commands = [['room'], ['conference-range'], ...['add', 'list', 'show', 'edit', 'rm', 'live', 'mute', 'unmute', 'kick', 'lock', 'unlock'].map((c) => ['room', c]), ['conference-range', 'set'], ['conference-range', 'list']];
  for (const args of commands) {
    const r = await h.raw(...args, '--help');
    assert.equal([r.code, r.stderr], [0, ''], args.join(' '));
    assert.match(r.stdout, /^Usage: softswitch/);
    if (args.length === 2) assert.ok(r.stdout.includes('--config <file>'), args.join(' '));
  }
  const add = (await h.raw('room', 'add', '--help')).stdout;
  for (const option of ['--name <name>', '--public', '--private', '--owner <userExt>', '--pin <digits>', '--admin-pin <digits>', '--language <lang>', '--max-participants <n>']) {
    assert.ok(add.includes(option), option);
  }
  for (const c of [['room', 'list'], ['room', 'show'], ['room', 'live'], ['conference-range', 'list']]) assert.ok((await h.raw(...c, '--help')).stdout.includes('--json'), c.join(' '));
  const missing = await h.raw('room');
  assert.equal([missing.code, missing.stderr], [2, 'error: missing command: softswitch room add|list|show|edit|rm|live|mute|unmute|kick|lock|unlock (see softswitch room --help)\n']);
});

test.run();
