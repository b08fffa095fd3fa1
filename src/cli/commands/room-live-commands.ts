/**
 * `softswitch room live | mute | unmute | kick | lock | unlock`: the rooms of the running
 * switch, over the control socket (methods `room.*`, src/app/control/room-control.ts). The
 * room must be configured (checked in the database first, for a clear line); a participant
 * is given as its id from `room live`, or its device or number when only one has it.
 */
import type { Command } from 'commander';
import type { ControlClient } from '../../app/control/control-client.js';
import {
  matchParticipant,
  ROOM_KICK,
  ROOM_LIVE,
  ROOM_LOCK,
  ROOM_MUTE,
  ROOM_UNLOCK,
  ROOM_UNMUTE,
  type LiveParticipantView,
  type LiveRoomView,
  type LockResult,
  type ParticipantParams,
  type ParticipantResult,
  type RoomParams,
} from '../../app/control/room-control.js';
import { CliError, UsageError } from '../cli-error.js';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../json-views.js';
import { safe } from '../table.js';
import { unexpectedAnswer, withSwitch } from './calls-control.js';
import { partyLabel } from './calls-command.js';
import { commonOptions, type CommonOptions } from './common-options.js';
import { liveRoomJson, liveRoomText } from './room-live-views.js';
import { withRooms } from './room-session.js';

/** Participants an "ambiguous" error names before "...". */
const SHOWN_MATCHES = 5;

type ParticipantMethod = typeof ROOM_MUTE | typeof ROOM_UNMUTE | typeof ROOM_KICK;

const PARTICIPANT_ACTIONS: ReadonlyArray<{ name: string; method: ParticipantMethod; help: string; done: string; already: string }> = [
  { name: 'mute', method: ROOM_MUTE, help: 'mute a participant of a live room', done: 'muted', already: 'was already muted' },
  { name: 'unmute', method: ROOM_UNMUTE, help: 'unmute a participant of a live room', done: 'unmuted', already: 'was not muted' },
  { name: 'kick', method: ROOM_KICK, help: 'remove a participant from a live room (the call ends)', done: 'removed', already: 'was removed' },
];

export function roomLiveCommands(room: Command, ctx: CliContext): void {
  commonOptions(room.command('live <number>'), { json: true })
    .description('participants in the room now: id, who, joined, talking, muted, admin')
    .action((number: string, o: CommonOptions) =>
      withLiveRoom(number, o, ctx, async (client) => {
        const live = await fetchLiveRoom(client, number);
        const now = ctx.deps.now();
        ctx.io.stdout(o.json ? printJson(liveRoomJson(live, now)) : liveRoomText(live, now, ctx.io.env.TZ));
      }),
    );

  for (const action of PARTICIPANT_ACTIONS) {
    commonOptions(room.command(`${action.name} <number> <participant>`))
      .description(`${action.help} (<participant>: its id from \`room live\`, or its device or number when unique)`)
      .action((number: string, input: string, o: CommonOptions) => {
        if (input.trim() === '') throw new UsageError('<participant> must not be empty');
        return withLiveRoom(number, o, ctx, async (client) => {
          const target = pickParticipant(await fetchLiveRoom(client, number), input);
          const params: ParticipantParams = { number, participant: target.id };
          const result = await client.call<ParticipantResult>(action.method, params);
          if (typeof result?.participant?.id !== 'string') throw unexpectedAnswer(action.method);
          const who = `${participantLabel(result.participant)} [${result.participant.id}]`;
          const line = action.method === ROOM_KICK ? `removed ${who} from room ${number}` : result.changed ? `${action.done} ${who} in room ${number}` : `${who} ${action.already} in room ${number}`;
          ctx.io.stdout(safe(line) + '\n');
        });
      });
  }

  for (const [name, method, locked] of [['lock', ROOM_LOCK, true], ['unlock', ROOM_UNLOCK, false]] as const) {
    commonOptions(room.command(`${name} <number>`))
      .description(locked ? 'lock a live room: new callers are refused with a prompt' : 'unlock a live room: new callers may join again')
      .action((number: string, o: CommonOptions) =>
        withLiveRoom(number, o, ctx, async (client) => {
          const params: RoomParams = { number };
          const result = await client.call<LockResult>(method, params);
          if (typeof result?.locked !== 'boolean' || result.locked !== locked) throw unexpectedAnswer(method);
          const state = locked ? 'locked' : 'unlocked';
          ctx.io.stdout(result.changed ? `${state} room ${number}${locked ? ': new callers are refused' : ''}\n` : `room ${number} was already ${state}\n`);
        }),
      );
  }
}

/** The room must be configured (one line from the database if not), then the switch is asked. */
async function withLiveRoom(number: string, o: CommonOptions, ctx: CliContext, fn: (client: ControlClient) => Promise<void>): Promise<void> {
  await withRooms(o.config, ctx, ({ rooms }) => rooms.room(number));
  await withSwitch(o.config, ctx, fn);
}

/** `room.live`, checked to be a room with a list of participants with ids. */
export async function fetchLiveRoom(client: ControlClient, number: string): Promise<LiveRoomView> {
  const params: RoomParams = { number };
  const live = await client.call<unknown>(ROOM_LIVE, params);
  const participants = (live as LiveRoomView | null)?.participants;
  if (!Array.isArray(participants) || !participants.every((p) => typeof (p as LiveParticipantView | null)?.id === 'string')) throw unexpectedAnswer(ROOM_LIVE);
  return live as LiveRoomView;
}

export function participantLabel(p: LiveParticipantView): string {
  return partyLabel(p.number, p.name);
}

function pickParticipant(live: LiveRoomView, input: string): LiveParticipantView {
  const match = matchParticipant(input, live.participants);
  if (match.kind === 'one') return match.participant;
  if (match.kind === 'none') {
    const hint = live.participants.length ? `; see softswitch room live ${live.number}` : ': the room is empty';
    throw new CliError(`no participant ${safe(input)} in room ${live.number}${hint}`);
  }
  const named = match.participants.slice(0, SHOWN_MATCHES).map((p) => p.id);
  const more = match.participants.length > SHOWN_MATCHES ? ', ...' : '';
  throw new CliError(`${safe(input)} matches ${match.participants.length} participants in room ${live.number} (${named.join(', ')}${more}); give the id`);
}
