/**
 * The call test world (test/unit/calls/support/call-world.ts) with the conference service as
 * its number handler and the real transfer handler: Alice (1000: phones 1001 and 1002), Bob
 * (2000: 2001), Carol (3000: 3001), Dave (4000: 4001), and rooms
 *
 *   8000 public, PIN 1234, admin PIN 9999        8003 private (Alice), PIN 4321
 *   8001 public, admin PIN 9999 only             8004 private (Alice), no PIN
 *   8002 public, no PIN                          8005 public, PIN 1234, at most 2 participants
 *   8006 public, PIN 1234, Italian prompts
 *
 * Prompts come from the shipped catalog (media/prompts); the fake engine finishes a prompt
 * only when a test says so (`finish`).
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../../../src/log/logger.js';
import { PromptCatalog } from '../../../../src/ivr/prompt-catalog.js';
import { CallTransfers } from '../../../../src/app/calls/transfer/call-transfers.js';
import { ConferenceService } from '../../../../src/app/conference/conference-service.js';
import type { RoomCall } from '../../../../src/app/conference/room-call.js';
import type { NewRoom } from '../../../../src/store/rooms-repository.js';
import { CallWorld } from '../../calls/support/call-world.js';
import type { OutgoingCall, Phone } from '../../calls/support/phone.js';
import { FakeRoomMedia } from './fake-room-media.js';

export interface ConferenceWorld {
  w: CallWorld;
  media: FakeRoomMedia;
  svc: ConferenceService;
  alice: Phone;
  alice2: Phone;
  bob: Phone;
  carol: Phone;
  dave: Phone;
}

const ROOMS: Array<Omit<NewRoom, 'ownerUserId'> & { owner?: string }> = [
  { number: '8000', name: 'Main', kind: 'public', pin: '1234', adminPin: '9999', language: null, maxParticipants: null },
  { number: '8001', name: 'Admin only', kind: 'public', pin: null, adminPin: '9999', language: null, maxParticipants: null },
  { number: '8002', name: 'Open', kind: 'public', pin: null, adminPin: null, language: null, maxParticipants: null },
  { number: '8003', name: 'Alice PIN', kind: 'private', owner: '1000', pin: '4321', adminPin: null, language: null, maxParticipants: null },
  { number: '8004', name: 'Alice open', kind: 'private', owner: '1000', pin: null, adminPin: null, language: null, maxParticipants: null },
  { number: '8005', name: 'Small', kind: 'public', pin: '1234', adminPin: null, language: null, maxParticipants: 2 },
  { number: '8006', name: 'Italiano', kind: 'public', pin: '1234', adminPin: null, language: 'it', maxParticipants: null },
];

export function conferenceWorld(): ConferenceWorld {
  const media = new FakeRoomMedia();
  let world: CallWorld | undefined;
  const logger = createLogger({
    level: 'error',
    destination: new Writable({ write: (chunk: Buffer, _enc, done) => (world?.errors.push(chunk.toString()), done()) }),
  });
  const svc = new ConferenceService({
    media,
    catalog: new PromptCatalog(),
    language: 'en',
    findRoom: (n) => world!.store.rooms.findByNumber(n),
    userIdByExt: (ext) => world!.store.users.findByExt(ext)?.id,
    logger,
  });
  const w = new CallWorld({ numberHandlers: [svc], transfers: new CallTransfers() });
  world = w;
  for (const [ext, name] of [['1000', 'Alice'], ['2000', 'Bob'], ['3000', 'Carol'], ['4000', 'Dave']] as const) w.addUser(ext, name);
  for (const { owner, ...r } of ROOMS) {
    w.store.rooms.insert({ ...r, ownerUserId: owner ? w.store.users.findByExt(owner)!.id : null }, w.clock.now());
  }
  return { w, media, svc, alice: w.addPhone('1000', '1001'), alice2: w.addPhone('1000', '1002'), bob: w.addPhone('2000', '2001'), carol: w.addPhone('3000', '3001'), dave: w.addPhone('4000', '4001') };
}

export interface RoomCaller {
  out: OutgoingCall;
  call: RoomCall;
  ep: string;
}

/** `phone` dials `number`; the switch answers (one settle). */
export async function dial(t: ConferenceWorld, phone: Phone, number: string, opts: { te?: boolean } = {}): Promise<RoomCaller> {
  const before = new Set(t.svc.calls.values());
  const out = phone.call(number, phone.sdp({ te: opts.te ?? true }));
  await t.w.run(100);
  const call = [...t.svc.calls.values()].find((c) => !before.has(c));
  if (!call) throw new Error(`no room call for ${phone.ext} -> ${number}: ${out.statuses.join(' ')}`);
  return { out, call, ep: call.endpointId };
}

/** The prompt playing alone to the caller now ends. */
export async function finish(t: ConferenceWorld, c: RoomCaller): Promise<void> {
  if (!t.media.finishPlayback(c.ep)) throw new Error(`nothing playing to ${c.ep}: ${t.media.promptsTo(c.ep).join(', ')}`);
  await t.w.run(10);
}

/** Keys as RFC 4733 events (the engine's `dtmf` events) or as SIP INFO application/dtmf-relay. */
export async function press(t: ConferenceWorld, c: RoomCaller, keys: string, via: 'rfc4733' | 'info' = 'rfc4733'): Promise<void> {
  for (const digit of keys) {
    if (via === 'rfc4733') t.media.raise({ event: 'dtmf', endpointId: c.ep, digit, durationMs: 100, worker: 0 });
    else c.out.dialog!.send('INFO', { body: `Signal=${digit}\r\nDuration=100\r\n`, contentType: 'application/dtmf-relay' });
    await t.w.run(20);
  }
}

/** Dials, lets the first prompt end, enters `pin` + # and lets the admin greeting end if one plays. */
export async function joinWith(t: ConferenceWorld, phone: Phone, number: string, pin: string | null): Promise<RoomCaller> {
  const c = await dial(t, phone, number);
  if (pin !== null) {
    await finish(t, c);
    await press(t, c, `${pin}#`);
  }
  if (c.call.state === 'entry' && t.media.playing.size > 0) await finish(t, c);
  await t.w.run(10);
  if (c.call.state !== 'in-room') throw new Error(`${phone.ext} is not in room ${number}: ${c.call.state}, prompts ${t.media.promptsTo(c.ep).join(', ')}`);
  return c;
}

/** Members of the room's engine room now. */
export function members(t: ConferenceWorld, number: string): string[] {
  const live = t.svc.rooms.get(number);
  return live ? (t.media.rooms.get(live.engineRoomId)?.members ?? []) : [];
}
