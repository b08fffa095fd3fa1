/** `softswitch user add | list | show | edit | rm`. */
import type { Command } from 'commander';
import type { UserEdit } from '../../app/directory/directory.js';
import { UsageError } from '../cli-error.js';
import { withDirectory, type CliContext, type DirectorySession } from '../cli-context.js';
import { printJson, userJson } from '../json-views.js';
import { orDash, renderFields, renderTable } from '../table.js';
import { commonOptions, type CommonOptions } from './common-options.js';
import { deviceColumns, deviceRows } from './device-table.js';
import { effectLines } from './effect-lines.js';

interface AddOptions extends CommonOptions {
  name: string;
  cli?: string;
  mobile?: string;
}

interface EditOptions extends CommonOptions {
  name?: string;
  cli?: string | false;
  mobile?: string | false;
  ext?: string;
}

interface RemoveOptions extends CommonOptions {
  force?: boolean;
}

export function userCommands(program: Command, ctx: CliContext): void {
  const user = program.command('user').description('add, list, show, edit and remove users');

  commonOptions(user.command('add <ext>'))
    .description('add a user with main extension <ext>')
    .requiredOption('--name <name>', 'display name, 1-64 characters')
    .option('--cli <number>', 'caller ID presented instead of the main extension (+ then 2-20 digits)')
    .option('--mobile <number>', 'mobile number for GSM fallback (+ then 2-20 digits)')
    .action((ext: string, o: AddOptions) =>
      withDirectory(o.config, ctx, ({ directory }) => {
        const input = { ext, name: o.name, ...(o.cli !== undefined ? { callerId: o.cli } : {}), ...(o.mobile !== undefined ? { mobile: o.mobile } : {}) };
        const { user: added } = directory.addUser(input);
        ctx.io.stdout(`added user ${added.ext} (${added.name})\n`);
      }),
    );

  commonOptions(user.command('list'), { json: true })
    .description('list users')
    .action((o: CommonOptions) => withDirectory(o.config, ctx, (s) => ctx.io.stdout(listUsers(s, o.json === true))));

  commonOptions(user.command('show <ext>'), { json: true })
    .description('show a user and its devices')
    .action((ext: string, o: CommonOptions) => withDirectory(o.config, ctx, (s) => ctx.io.stdout(showUser(s, ext, o.json === true))));

  commonOptions(user.command('edit <ext>'))
    .description('change a user (<ext> is the current main extension)')
    .option('--name <name>', 'new display name')
    .option('--cli <number>', 'new caller ID')
    .option('--no-cli', 'present the main extension again')
    .option('--mobile <number>', 'new mobile number')
    .option('--no-mobile', 'remove the mobile number')
    .option('--ext <newMainExt>', 'new main extension (free, or one of the user\'s own devices)')
    .action((ext: string, o: EditOptions) =>
      withDirectory(o.config, ctx, ({ directory }) => {
        const edit = userEdit(o);
        const { user: edited, effects } = directory.editUser(ext, edit);
        ctx.io.stdout(`updated user ${edited.ext} (${edited.name})\n` + effectLines(effects));
      }),
    );

  commonOptions(user.command('rm <ext>'))
    .description('remove a user; with --force also its devices, their registrations and its private rooms')
    .option('--force', 'remove the user even if it has devices or private rooms')
    .action((ext: string, o: RemoveOptions) =>
      withDirectory(o.config, ctx, ({ directory }) => {
        const removed = directory.removeUser(ext, { force: o.force === true });
        const devices = removed.devices.length
          ? ` with ${removed.devices.length} device${removed.devices.length === 1 ? '' : 's'} (${removed.devices.map((d) => d.ext).join(', ')})` +
            ` and ${removed.registrations} registration${removed.registrations === 1 ? '' : 's'}`
          : '';
        ctx.io.stdout(`removed user ${removed.user.ext} (${removed.user.name})${devices}\n` + effectLines(removed.effects));
      }),
    );
}

function userEdit(o: EditOptions): UserEdit {
  const edit: UserEdit = {};
  if (o.name !== undefined) edit.name = o.name;
  if (o.cli !== undefined) edit.callerId = o.cli === false ? null : o.cli;
  if (o.mobile !== undefined) edit.mobile = o.mobile === false ? null : o.mobile;
  if (o.ext !== undefined) edit.ext = o.ext;
  if (Object.keys(edit).length === 0) {
    throw new UsageError('nothing to change: give at least one of --name, --cli, --no-cli, --mobile, --no-mobile, --ext');
  }
  return edit;
}

function listUsers({ directory, contactsOf }: DirectorySession, json: boolean): string {
  const users = directory.users();
  if (json) return printJson(users.map((u) => userJson(u.user, u.devices, contactsOf)));
  if (users.length === 0) return 'no users\n';
  return renderTable(
    [
      { header: 'EXT', cell: (u) => u.user.ext },
      { header: 'NAME', cell: (u) => u.user.name },
      { header: 'CALLER ID', cell: (u) => orDash(u.user.callerId) },
      { header: 'MOBILE', cell: (u) => orDash(u.user.mobile) },
      { header: 'PRIMARY', cell: (u) => orDash(u.devices.find((d) => d.primary)?.ext) },
      { header: 'DEVICES', cell: (u) => (u.devices.length ? u.devices.map((d) => d.ext).join(',') : '-') },
    ],
    users,
  );
}

function showUser({ directory, contactsOf }: DirectorySession, ext: string, json: boolean): string {
  const { user, devices } = directory.user(ext);
  if (json) return printJson(userJson(user, devices, contactsOf));
  const fields = renderFields([
    ['extension', user.ext],
    ['name', user.name],
    ['caller ID', user.callerId ?? `- (presents ${user.ext})`],
    ['mobile', orDash(user.mobile)],
    ['primary', orDash(devices.find((d) => d.primary)?.ext)],
    ['created', new Date(user.createdAt).toISOString()],
    ['updated', new Date(user.updatedAt).toISOString()],
  ]);
  const table = devices.length ? '\n' + renderTable(deviceColumns({ withUser: false }), deviceRows(devices, user, contactsOf)) : '\nno devices\n';
  return fields + table;
}
