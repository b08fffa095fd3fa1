/**
 * `softswitch room add | list | show | edit | rm` (the configuration of rooms) and, from
 * room-live-commands.ts, `room live | mute | unmute | kick | lock | unlock` (the running switch).
 */
import type { Command } from 'commander';
import { describeRoomWarning, type NewRoomInput, type RoomChange, type RoomEdit } from '../../app/rooms/rooms.js';
import { UsageError } from '../cli-error.js';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../json-views.js';
import { commonOptions, type CommonOptions } from './common-options.js';
import { roomLiveCommands } from './room-live-commands.js';
import { withRooms } from './room-session.js';
import { roomFields, roomJson, roomLabel, roomTable } from './room-views.js';

interface AddOptions extends CommonOptions {
  name: string;
  public?: boolean;
  private?: boolean;
  owner?: string;
  pin?: string;
  adminPin?: string;
  language?: string;
  maxParticipants?: string;
}

interface EditOptions extends CommonOptions {
  number?: string;
  name?: string;
  public?: boolean;
  private?: boolean;
  owner?: string;
  pin?: string | false;
  adminPin?: string | false;
  language?: string | false;
  maxParticipants?: string | false;
}

interface ShowOptions extends CommonOptions {
  showPins?: boolean;
}

const HELP = {
  pin: 'user PIN, 4-12 digits, asked of callers (for a private room: of everyone but its owner)',
  adminPin: 'public rooms: admin PIN, 4-12 digits, joins as administrator (different from the PIN)',
  language: 'prompt language of this room: en, it or ru (default: ivr.language)',
  max: 'most participants at once, 2-10000 (default: no limit)',
};

export function roomCommands(program: Command, ctx: CliContext): void {
  const room = program.command('room').description('add, list, show, edit and remove conference rooms; see and control live rooms');

  commonOptions(room.command('add <number>'))
    .description('add a conference room with number <number> (inside a conference range): --public, or --private --owner <userExt>')
    .requiredOption('--name <name>', 'room name, 1-64 characters')
    .option('--public', 'anyone who dials the number may join (after the PIN, when one is set)')
    .option('--private', "the room of one user (--owner), who enters without a PIN and is its administrator")
    .option('--owner <userExt>', 'private rooms: main extension of the owning user')
    .option('--pin <digits>', HELP.pin)
    .option('--admin-pin <digits>', HELP.adminPin)
    .option('--language <lang>', HELP.language)
    .option('--max-participants <n>', HELP.max)
    .action((number: string, o: AddOptions) => {
      const input = newRoomInput(number, o);
      return withRooms(o.config, ctx, ({ rooms }) => {
        const change = rooms.addRoom(input);
        ctx.io.stdout(`added ${roomLabel(change.room, change.owner)}\n`);
        warn(ctx, change);
      });
    });

  commonOptions(room.command('list'), { json: true })
    .description('list conference rooms (! marks a public room anyone can join: no PIN)')
    .action((o: CommonOptions) =>
      withRooms(o.config, ctx, ({ rooms }) => {
        const views = rooms.rooms();
        ctx.io.stdout(o.json ? printJson(views.map((v) => roomJson(v))) : roomTable(views));
      }),
    );

  commonOptions(room.command('show <number>'), { json: true })
    .description('show a conference room')
    .option('--show-pins', 'include the PIN and admin PIN')
    .action((number: string, o: ShowOptions) =>
      withRooms(o.config, ctx, ({ rooms }) => {
        const view = rooms.room(number);
        const pins = o.showPins === true;
        ctx.io.stdout(o.json ? printJson(roomJson(view, { pins })) : roomFields(view, { pins }));
      }),
    );

  commonOptions(room.command('edit <number>'))
    .description('change a conference room (<number> is its current number)')
    .option('--number <newNumber>', 'new number (inside a conference range, free)')
    .option('--name <name>', 'new name')
    .option('--public', 'make it public (it no longer belongs to anyone)')
    .option('--private', 'make it private (with --owner; a private room has no admin PIN)')
    .option('--owner <userExt>', 'private rooms: new owner (main extension)')
    .option('--pin <digits>', HELP.pin)
    .option('--no-pin', 'remove the PIN')
    .option('--admin-pin <digits>', HELP.adminPin)
    .option('--no-admin-pin', 'remove the admin PIN')
    .option('--language <lang>', HELP.language)
    .option('--no-language', 'use ivr.language again')
    .option('--max-participants <n>', HELP.max)
    .option('--no-max-participants', 'no participant limit')
    .action((number: string, o: EditOptions) => {
      const edit = roomEdit(o);
      return withRooms(o.config, ctx, ({ rooms }) => {
        const change = rooms.editRoom(number, edit);
        const renumbered = change.room.number !== number ? `, was ${number}` : '';
        ctx.io.stdout(`updated ${roomLabel(change.room, change.owner)}${renumbered}\n`);
        warn(ctx, change);
      });
    });

  commonOptions(room.command('rm <number>'))
    .description('remove a conference room')
    .action((number: string, o: CommonOptions) =>
      withRooms(o.config, ctx, ({ rooms }) => {
        const removed = rooms.removeRoom(number);
        ctx.io.stdout(`removed ${roomLabel(removed.room, removed.owner)}\n`);
      }),
    );

  roomLiveCommands(room, ctx);
}

/** Warnings go to stderr and do not change the exit code. */
function warn(ctx: CliContext, change: RoomChange): void {
  for (const w of change.warnings) ctx.io.stderr(`warning: ${describeRoomWarning(w)}\n`);
}

function newRoomInput(number: string, o: AddOptions): NewRoomInput {
  if (o.public === o.private) throw new UsageError(o.public ? '--public and --private cannot be used together' : 'give --public, or --private --owner <userExt>');
  if (o.private && o.owner === undefined) throw new UsageError('a private room needs --owner <userExt>');
  if (o.public && o.owner !== undefined) throw new UsageError('--owner is for private rooms; a public room belongs to nobody');
  if (o.private && o.adminPin !== undefined) throw new UsageError('--admin-pin is for public rooms; the owner administers a private room');
  return {
    number,
    name: o.name,
    kind: o.private ? 'private' : 'public',
    ...(o.owner !== undefined ? { ownerExt: o.owner } : {}),
    ...(o.pin !== undefined ? { pin: o.pin } : {}),
    ...(o.adminPin !== undefined ? { adminPin: o.adminPin } : {}),
    ...(o.language !== undefined ? { language: o.language } : {}),
    ...(o.maxParticipants !== undefined ? { maxParticipants: o.maxParticipants } : {}),
  };
}

function roomEdit(o: EditOptions): RoomEdit {
  if (o.public && o.private) throw new UsageError('--public and --private cannot be used together');
  if (o.public && o.owner !== undefined) throw new UsageError('--owner is for private rooms; a public room belongs to nobody');
  const edit: RoomEdit = {};
  if (o.number !== undefined) edit.number = o.number;
  if (o.name !== undefined) edit.name = o.name;
  if (o.public) edit.kind = 'public';
  if (o.private) edit.kind = 'private';
  if (o.owner !== undefined) edit.ownerExt = o.owner;
  if (o.pin !== undefined) edit.pin = o.pin === false ? null : o.pin;
  if (o.adminPin !== undefined) edit.adminPin = o.adminPin === false ? null : o.adminPin;
  if (o.language !== undefined) edit.language = o.language === false ? null : o.language;
  if (o.maxParticipants !== undefined) edit.maxParticipants = o.maxParticipants === false ? null : o.maxParticipants;
  if (Object.keys(edit).length === 0) {
    throw new UsageError(
      'nothing to change: give at least one of --number, --name, --public, --private, --owner, --pin, --no-pin, --admin-pin, --no-admin-pin, ' +
        '--language, --no-language, --max-participants, --no-max-participants',
    );
  }
  return edit;
}
