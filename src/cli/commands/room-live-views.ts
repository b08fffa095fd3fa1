/** How a live room is printed: a heading line, then one row per participant; and its `--json`. */
import type { LiveParticipantView, LiveRoomView } from '../../app/control/room-control.js';
import { formatDuration, orDash, renderTable, safe } from '../table.js';
import { partyLabel } from './calls-command.js';
import { localTimeFormat } from './history-command.js';

/** `--json` of `room live`: LiveRoomView with times as ISO strings, plus `duration` per participant. */
export type LiveRoomJson = Omit<LiveRoomView, 'startedAt' | 'participants'> & {
  startedAt: string | null;
  participants: LiveParticipantJson[];
};

export type LiveParticipantJson = Omit<LiveParticipantView, 'joinedAt'> & {
  joinedAt: string;
  /** Whole seconds in the room. */
  duration: number;
};

const iso = (ms: number) => new Date(ms).toISOString();
const secondsSince = (ms: number, now: number) => Math.max(0, Math.floor((now - ms) / 1000));
const yesNo = (b: boolean) => (b ? 'yes' : 'no');

export function liveRoomJson(live: LiveRoomView, now: number): LiveRoomJson {
  return {
    ...live,
    startedAt: live.startedAt === null ? null : iso(live.startedAt),
    participants: live.participants.map((p) => ({ ...p, joinedAt: iso(p.joinedAt), duration: secondsSince(p.joinedAt, now) })),
  };
}

export function liveRoomText(live: LiveRoomView, now: number, timeZone: string | undefined): string {
  const when = localTimeFormat(timeZone);
  const count = live.participants.length;
  const heading =
    `room ${live.number} (${live.name}), ${live.kind}, ${live.locked ? 'locked' : 'unlocked'}: ` +
    (count === 0 ? 'nobody in the room' : `${count} participant${count === 1 ? '' : 's'}` + (live.startedAt === null ? '' : ` since ${when(live.startedAt)}`));
  if (count === 0) return safe(heading) + '\n';
  const table = renderTable(
    [
      { header: 'ID', cell: (p: LiveParticipantView) => p.id },
      { header: 'WHO', cell: (p) => partyLabel(p.number, p.name) },
      { header: 'DEVICE', cell: (p) => orDash(p.device) },
      { header: 'JOINED', cell: (p) => when(p.joinedAt) },
      { header: 'IN ROOM', cell: (p) => formatDuration(secondsSince(p.joinedAt, now)) },
      { header: 'TALKING', cell: (p) => yesNo(p.talking) },
      { header: 'MUTED', cell: (p) => yesNo(p.muted) },
      { header: 'ADMIN', cell: (p) => yesNo(p.admin) },
    ],
    live.participants,
  );
  return safe(heading) + '\n' + table;
}
