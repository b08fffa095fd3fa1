import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageVersion } from '../../../src/config/package-version.js';
import { openStore } from '../../../src/store/store.js';
import { CliHarness } from './cli-harness.js';

/** Commander's own errors follow the same rule: one `error:` line on stderr, exit 2. */
async function usage(args: string[], line: string): Promise<void> {
  const r = await new CliHarness().raw(...args);
  assert.equal([r.code, r.stdout, r.stderr], [2, '', `error: ${line}\n`], args.join(' '));
}

test('usage errors are one line with exit code 2', async () => {
  await usage([], 'missing command: softswitch start|user|device|registrations|calls|hangup|history|conference-range|room (see softswitch --help)');
  await usage(['user'], 'missing command: softswitch user add|list|show|edit|rm (see softswitch user --help)');
  await usage(['device'], 'missing command: softswitch device add|list|show|edit|rm (see softswitch device --help)');
  await usage(['usr'], "unknown command 'usr' (did you mean user?)");
  await usage(['user', 'frobnicate'], "unknown command 'frobnicate'");
  await usage(['user', 'add', '1001', '--name', 'A', '--bogus'], "unknown option '--bogus'");
  await usage(['user', 'rm', '1001', '--forse'], "unknown option '--forse' (did you mean --force?)");
  await usage(['user', 'add', '1001'], "required option '--name <name>' not specified");
  await usage(['user', 'show'], "missing required argument 'ext'");
  await usage(['user', 'show', '1001', '1002'], "too many arguments for 'show'. Expected 1 argument but got 2.");
  await usage(['user', 'add', '1001', '--name'], "option '--name <name>' argument missing");
});

test('--version prints the package version, exit 0', async () => {
  const r = await new CliHarness().raw('--version');
  assert.equal([r.code, r.stdout, r.stderr], [0, `${packageVersion()}\n`, '']);
});

test('--help works on every command, on stdout, exit 0', async () => {
  const h = new CliHarness();
  for (const args of [[], ['start'], ['user'], ['user', 'add'], ['user', 'edit'], ['device', 'add'], ['device', 'edit'], ['registrations']]) {
    const r = await h.raw(...args, '--help');
    assert.is(r.code, 0, args.join(' '));
    assert.is(r.stderr, '');
    assert.match(r.stdout, /^Usage: softswitch/);
  }
  const add = await h.raw('device', 'add', '--help');
  for (const option of ['--user <userExt>', '--secret <secret>', '--model <model>', '--mac <mac>', '--primary', '--disabled', '--config <file>']) {
    assert.ok(add.stdout.includes(option), option);
  }
  const list = await h.raw('user', 'list', '--help');
  assert.ok(list.stdout.includes('--json'));
});

test('configuration problems are one line with exit code 1', async () => {
  const h = new CliHarness('sip:\n  port: 50x\n');
  const r = await h.cli('user', 'list');
  assert.equal([r.code, r.stderr], [1, `error: ${h.configFile}: sip.port must be an integer 1-65535, got "50x" (line 2)\n`]);
  const missing = await h.raw('user', 'list', '--config', 'nowhere.yaml');
  assert.equal([missing.code, missing.stderr], [1, 'error: nowhere.yaml: cannot read configuration: no such file\n']);
});

test('an unusable data directory is one line with exit code 1', async () => {
  const h = new CliHarness('data: ./config.yaml/data\n'); // below a regular file
  const r = await h.cli('user', 'list');
  assert.equal([r.code, r.stdout, r.stderr], [1, '', `error: cannot use the data directory ${h.root}/config.yaml/data: a part of the path is not a directory\n`]);
});

test('the configuration is found by --config, then $SOFTSWITCH_CONFIG, then ./config.yaml', async () => {
  const h = new CliHarness('data: ./from-cwd-file\n');
  // ./config.yaml in the working directory (the harness root)
  assert.is((await h.raw('user', 'add', '1001', '--name', 'Alice')).code, 0);
  const s1 = openStore(join(h.root, 'from-cwd-file'));
  assert.is(s1.users.findByExt('1001')?.name, 'Alice');
  s1.close();
  // $SOFTSWITCH_CONFIG wins over ./config.yaml
  writeFileSync(join(h.root, 'env.yaml'), 'data: ./from-env\n');
  h.env = { SOFTSWITCH_CONFIG: join(h.root, 'env.yaml') };
  assert.is((await h.raw('user', 'add', '2001', '--name', 'Bob')).code, 0);
  const s2 = openStore(join(h.root, 'from-env'));
  assert.equal(s2.users.list().map((u) => u.name), ['Bob']);
  s2.close();
  // --config wins over both
  writeFileSync(join(h.root, 'flag.yaml'), 'data: ./from-flag\n');
  assert.is((await h.raw('user', 'add', '3001', '--name', 'Carol', '--config', 'flag.yaml')).code, 0);
  const s3 = openStore(join(h.root, 'from-flag'));
  assert.equal(s3.users.list().map((u) => u.name), ['Carol']);
  s3.close();
});

test.run();
