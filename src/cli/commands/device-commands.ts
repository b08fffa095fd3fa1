/** `softswitch device add | list | show | edit | rm`. */
import type { Command } from 'commander';
import type { DeviceEdit } from '../../app/directory/directory.js';
import { UsageError } from '../cli-error.js';
import { withDirectory, type CliContext, type DirectorySession } from '../cli-context.js';
import type { CliIo } from '../cli-io.js';
import { deviceJson, printJson } from '../json-views.js';
import { orDash, renderFields, renderTable } from '../table.js';
import { commonOptions, type CommonOptions } from './common-options.js';
import { deviceColumns, type DeviceRow } from './device-table.js';
import { effectLines } from './effect-lines.js';

interface AddOptions extends CommonOptions {
  user: string;
  secret: string;
  model?: string;
  mac?: string;
  primary?: boolean;
  disabled?: boolean;
  authAlgorithms?: string;
}

interface ListOptions extends CommonOptions {
  user?: string;
}

interface ShowOptions extends CommonOptions {
  showSecret?: boolean;
}

interface EditOptions extends CommonOptions {
  secret?: string;
  model?: string | false;
  mac?: string | false;
  primary?: boolean;
  enable?: boolean;
  disable?: boolean;
  user?: string;
  authAlgorithms?: string | false;
}

const SECRET_HELP = "SIP password, 8-64 printable ASCII characters without spaces; '-' reads it from stdin";
const AUTH_ALGORITHMS_HELP =
  'digest algorithms offered to this device, comma-separated, in challenge order: md5, sha-256 (e.g. md5 for phones that give up on any SHA-256 challenge); default auth.algorithms';

export function deviceCommands(program: Command, ctx: CliContext): void {
  const device = program.command('device').description('add, list, show, edit and remove devices (SIP extensions)');

  commonOptions(device.command('add <ext>'))
    .description('add a device with SIP extension <ext> to a user')
    .requiredOption('--user <userExt>', 'main extension of the owning user')
    .requiredOption('--secret <secret>', SECRET_HELP)
    .option('--model <model>', 'phone model, free text')
    .option('--mac <mac>', 'MAC address: aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or aabbccddeeff')
    .option('--primary', "make it the user's primary device (the main extension follows it)")
    .option('--disabled', 'add it disabled (it cannot register)')
    .option('--auth-algorithms <list>', AUTH_ALGORITHMS_HELP)
    .action(async (ext: string, o: AddOptions) => {
      const secret = await secretValue(o.secret, ctx.io);
      await withDirectory(o.config, ctx, ({ directory }) => {
        const { device: added, user, effects } = directory.addDevice({
          ext,
          userExt: o.user,
          secret,
          ...(o.model !== undefined ? { model: o.model } : {}),
          ...(o.mac !== undefined ? { mac: o.mac } : {}),
          ...(o.authAlgorithms !== undefined ? { authAlgorithms: algorithmList(o.authAlgorithms) } : {}),
          primary: o.primary === true,
          enabled: o.disabled !== true,
        });
        ctx.io.stdout(`added device ${added.ext} for ${user.name} (${user.ext})${added.enabled ? '' : ', disabled'}\n` + effectLines(effects));
      });
    });

  commonOptions(device.command('list'), { json: true })
    .description('list devices')
    .option('--user <userExt>', 'only the devices of this user')
    .action((o: ListOptions) => withDirectory(o.config, ctx, (s) => ctx.io.stdout(listDevices(s, o))));

  commonOptions(device.command('show <ext>'), { json: true })
    .description('show a device and its registrations')
    .option('--show-secret', 'include the SIP password')
    .action((ext: string, o: ShowOptions) => withDirectory(o.config, ctx, (s) => ctx.io.stdout(showDevice(s, ext, o, ctx.deps.now()))));

  commonOptions(device.command('edit <ext>'))
    .description('change a device')
    .option('--secret <secret>', SECRET_HELP)
    .option('--model <model>', 'new model')
    .option('--no-model', 'forget the model')
    .option('--mac <mac>', 'new MAC address')
    .option('--no-mac', 'forget the MAC address')
    .option('--primary', "make it the user's primary device (the main extension follows it)")
    .option('--no-primary', 'un-mark it as primary (the user is left without one)')
    .option('--enable', 'allow it to register')
    .option('--disable', 'refuse its registrations and drop the current ones')
    .option('--user <userExt>', 'move it to another user')
    .option('--auth-algorithms <list>', AUTH_ALGORITHMS_HELP.replace(/; default auth.algorithms$/, ''))
    .option('--no-auth-algorithms', 'offer the configured auth.algorithms again')
    .action(async (ext: string, o: EditOptions) => {
      const edit = await deviceEdit(o, ctx.io);
      await withDirectory(o.config, ctx, ({ directory }) => {
        const { device: edited, user, effects } = directory.editDevice(ext, edit);
        ctx.io.stdout(`updated device ${edited.ext} of ${user.name} (${user.ext})\n` + effectLines(effects));
      });
    });

  commonOptions(device.command('rm <ext>'))
    .description('remove a device and its registrations')
    .action((ext: string, o: CommonOptions) =>
      withDirectory(o.config, ctx, ({ directory }) => {
        const { device: removed, user, registrations, effects } = directory.removeDevice(ext);
        const regs = registrations ? ` and ${registrations} registration${registrations === 1 ? '' : 's'}` : '';
        ctx.io.stdout(`removed device ${removed.ext} of ${user.name} (${user.ext})${regs}\n` + effectLines(effects));
      }),
    );
}

/** `--secret -` reads the secret from stdin (kept out of `ps` and shell history); one trailing newline is dropped. */
async function secretValue(option: string, io: CliIo): Promise<string> {
  return option === '-' ? (await io.readStdin()).replace(/\r?\n$/, '') : option;
}

async function deviceEdit(o: EditOptions, io: CliIo): Promise<DeviceEdit> {
  if (o.enable && o.disable) throw new UsageError('--enable and --disable cannot be used together');
  const edit: DeviceEdit = {};
  if (o.secret !== undefined) edit.secret = await secretValue(o.secret, io);
  if (o.model !== undefined) edit.model = o.model === false ? null : o.model;
  if (o.mac !== undefined) edit.mac = o.mac === false ? null : o.mac;
  if (o.primary !== undefined) edit.primary = o.primary;
  if (o.enable) edit.enabled = true;
  if (o.disable) edit.enabled = false;
  if (o.user !== undefined) edit.userExt = o.user;
  if (o.authAlgorithms !== undefined) edit.authAlgorithms = o.authAlgorithms === false ? null : algorithmList(o.authAlgorithms);
  if (Object.keys(edit).length === 0) {
    throw new UsageError(
      'nothing to change: give at least one of --secret, --model, --no-model, --mac, --no-mac, --primary, --no-primary, --enable, --disable, --user, ' +
        '--auth-algorithms, --no-auth-algorithms',
    );
  }
  return edit;
}

/** `md5,sha-256` -> ['md5', 'sha-256']; the directory checks the names. An empty option is an empty list. */
function algorithmList(option: string): string[] {
  return option.trim() === '' ? [] : option.split(',');
}

function listDevices({ directory, contactsOf }: DirectorySession, o: ListOptions): string {
  const rows: DeviceRow[] = directory.devices(o.user).map(({ device, user }) => ({ device, user, contacts: contactsOf(device.ext) }));
  if (o.json) return printJson(rows.map((r) => deviceJson(r.device, r.user, r.contacts)));
  if (rows.length === 0) return o.user ? `no devices for user ${o.user}\n` : 'no devices\n';
  return renderTable(deviceColumns({ withUser: true }), rows);
}

function showDevice({ directory, store, contactsOf }: DirectorySession, ext: string, o: ShowOptions, now: number): string {
  const { device, user } = directory.device(ext);
  if (o.json) return printJson(deviceJson(device, user, contactsOf(device.ext), { secret: o.showSecret === true }));
  const bindings = store.registrations.bindings(device.ext, now);
  return renderFields([
    ['extension', device.ext],
    ['user', `${user.ext} (${user.name})`],
    ['secret', o.showSecret ? device.secret : '******** (--show-secret to see it)'],
    ['model', orDash(device.model)],
    ['MAC', orDash(device.mac)],
    ['state', device.enabled ? 'enabled' : 'disabled'],
    ['primary', device.primary ? 'yes' : 'no'],
    ['auth algorithms', device.authAlgorithms ? device.authAlgorithms.join(', ') : 'default (auth.algorithms)'],
    ['contacts', bindings.length ? bindings.map((b) => b.contact).join(', ') : '- (not registered)'],
    ['created', new Date(device.createdAt).toISOString()],
    ['updated', new Date(device.updatedAt).toISOString()],
  ]);
}
