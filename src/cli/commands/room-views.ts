/** How rooms are printed: the `room list` table, the `room show` fields, and their `--json`. */
import { describeRoomWarning, type RoomView } from '../../app/rooms/rooms.js';
import type { RoomRecord, UserRecord } from '../../store/store.js';
import { renderFields, renderTable } from '../table.js';

export interface RoomJson {
  number: string;
  name: string;
  kind: 'public' | 'private';
  /** Main extension of the owner (private rooms); null for public rooms. */
  owner: string | null;
  ownerName: string | null;
  hasPin: boolean;
  hasAdminPin: boolean;
  /** `en`, `it`, `ru`; null = the system's `ivr.language`. */
  language: string | null;
  /** null = no limit. */
  maxParticipants: number | null;
  /** Codes of what the operator is warned about: `no-pin` (public room without any PIN). */
  warnings: string[];
  createdAt: string;
  updatedAt: string;
  /** Only with `room show --show-pins`. */
  pin?: string | null;
  adminPin?: string | null;
}

/** The marker of a room with a warning in `room list`, explained under the table. */
export const WARNING_MARK = '!';

const iso = (ms: number) => new Date(ms).toISOString();

export function roomJson(view: RoomView, opts: { pins?: boolean } = {}): RoomJson {
  const { room, owner } = view;
  const json: RoomJson = {
    number: room.number,
    name: room.name,
    kind: room.kind,
    owner: owner?.ext ?? null,
    ownerName: owner?.name ?? null,
    hasPin: room.pin !== null,
    hasAdminPin: room.adminPin !== null,
    language: room.language,
    maxParticipants: room.maxParticipants,
    warnings: view.warnings.map((w) => w.kind),
    createdAt: iso(room.createdAt),
    updatedAt: iso(room.updatedAt),
  };
  if (opts.pins) Object.assign(json, { pin: room.pin, adminPin: room.adminPin });
  return json;
}

/** "public room 8000 (Sales)", "private room 8001 (Team) of Alice (1001)". */
export function roomLabel(room: RoomRecord, owner: UserRecord | null): string {
  const of = owner ? ` of ${owner.name} (${owner.ext})` : '';
  return `${room.kind} room ${room.number} (${room.name})${of}`;
}

export function roomTable(views: readonly RoomView[]): string {
  if (views.length === 0) return 'no rooms\n';
  const warned = views.filter((v) => v.warnings.length > 0);
  const table = renderTable(
    [
      { header: '', cell: (v: RoomView) => (v.warnings.length ? WARNING_MARK : '') },
      { header: 'NUMBER', cell: (v) => v.room.number },
      { header: 'NAME', cell: (v) => v.room.name },
      { header: 'KIND', cell: (v) => v.room.kind },
      { header: 'OWNER', cell: (v) => (v.owner ? `${v.owner.ext} (${v.owner.name})` : '-') },
      { header: 'PIN', cell: (v) => yesDash(v.room.pin) },
      { header: 'ADMIN PIN', cell: (v) => yesDash(v.room.adminPin) },
      { header: 'LANGUAGE', cell: (v) => v.room.language ?? 'default' },
      { header: 'MAX', cell: (v) => (v.room.maxParticipants === null ? '-' : String(v.room.maxParticipants)) },
    ],
    views,
  );
  const notes = [...new Set(warned.flatMap((v) => v.warnings.map((w) => w.kind)))].map((kind) => `${WARNING_MARK} ${NOTE[kind]}\n`);
  return notes.length ? `${table}\n${notes.join('')}` : table;
}

const NOTE: Record<string, string> = { 'no-pin': 'public room without a PIN: anyone who dials it joins' };

export function roomFields(view: RoomView, opts: { pins?: boolean } = {}): string {
  const { room, owner } = view;
  const pin = (value: string | null) => (value === null ? '-' : opts.pins ? value : '**** (--show-pins to see it)');
  const fields: Array<[string, string]> = [
    ['number', room.number],
    ['name', room.name],
    ['kind', room.kind],
    ['owner', owner ? `${owner.ext} (${owner.name})` : '-'],
    ['PIN', pin(room.pin)],
    ['admin PIN', room.kind === 'private' ? '- (the owner is the administrator)' : pin(room.adminPin)],
    ['language', room.language ?? 'default (ivr.language)'],
    ['max participants', room.maxParticipants === null ? 'no limit' : String(room.maxParticipants)],
    ['created', iso(room.createdAt)],
    ['updated', iso(room.updatedAt)],
  ];
  for (const w of view.warnings) fields.push(['warning', describeRoomWarning(w)]);
  return renderFields(fields);
}

const yesDash = (value: string | null) => (value === null ? '-' : 'yes');
