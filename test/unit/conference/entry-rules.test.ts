import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decideEntry, type EntryContext, type EntryDecision } from '../../../src/app/conference/entry-rules.js';
import type { RoomRecord } from '../../../src/store/records.js';

const room = (over: Partial<RoomRecord>): RoomRecord => ({
  id: 1, number: '8000', name: 'R', kind: 'public', ownerUserId: null, pin: null, adminPin: null, language: null, maxParticipants: null, createdAt: 0, updatedAt: 0, ...over,
});
const ctx = (r: Partial<RoomRecord>, over: Partial<EntryContext> = {}): EntryContext => ({
  room: room(r), callerUserId: 2, ownerAlreadyIn: false, transferredByOwner: false, locked: false, participants: 0, ...over,
});
/** The decision in short: 'join:admin', 'ask:1234=participant,9999=admin;#=participant', 'refuse:conf-locked'. */
function short(d: EntryDecision): string {
  if (d.kind === 'join') return `join:${d.role}`;
  if (d.kind === 'refuse') return `refuse:${d.prompt}`;
  return `ask:${[...d.pins].map(([p, r]) => `${p}=${r}`).join(',')}${d.emptyEntry ? `;#=${d.emptyEntry}` : ''}`;
}

test('public rooms: user PIN asked, admin PIN gives admin, admin PIN alone lets # in as participant, no PIN joins (issue 5)', () => {
  assert.is(short(decideEntry(ctx({ pin: '1234', adminPin: '9999' }))), 'ask:1234=participant,9999=admin');
  assert.is(short(decideEntry(ctx({ pin: '1234' }))), 'ask:1234=participant');
  assert.is(short(decideEntry(ctx({ adminPin: '9999' }))), 'ask:9999=admin;#=participant');
  assert.is(short(decideEntry(ctx({}))), 'join:participant');
});

test('private rooms: the owner joins as admin without PIN; others are asked the PIN, or join when there is none (issue 5)', () => {
  const priv = { kind: 'private' as const, ownerUserId: 7, pin: '4321' };
  assert.is(short(decideEntry(ctx(priv, { callerUserId: 7 }))), 'join:admin');
  assert.is(short(decideEntry(ctx(priv, { callerUserId: 2 }))), 'ask:4321=participant');
  assert.is(short(decideEntry(ctx(priv, { callerUserId: null }))), 'ask:4321=participant', 'a caller from outside');
  assert.is(short(decideEntry(ctx({ ...priv, pin: null }, { callerUserId: 2 }))), 'join:participant');
});

test("the owner's consultation call while already in the room is a guest's call; the owner's blind transfer lets a party in without PIN", () => {
  const priv = { kind: 'private' as const, ownerUserId: 7, pin: '4321' };
  assert.is(short(decideEntry(ctx(priv, { callerUserId: 7, ownerAlreadyIn: true }))), 'ask:4321=participant');
  assert.is(short(decideEntry(ctx(priv, { callerUserId: 2, transferredByOwner: true }))), 'join:participant');
});

test('locked: refused, except the owner and a party the owner transfers; full: refused, except the owner (decided: the room is theirs)', () => {
  const priv = { kind: 'private' as const, ownerUserId: 7, pin: '4321', maxParticipants: 2 };
  assert.is(short(decideEntry(ctx({ pin: '1234' }, { locked: true }))), 'refuse:conf-locked');
  assert.is(short(decideEntry(ctx(priv, { callerUserId: 7, locked: true }))), 'join:admin');
  assert.is(short(decideEntry(ctx(priv, { transferredByOwner: true, locked: true }))), 'join:participant');
  assert.is(short(decideEntry(ctx({ pin: '1234', maxParticipants: 2 }, { participants: 2 }))), 'refuse:conf-full');
  assert.is(short(decideEntry(ctx({ pin: '1234', maxParticipants: 2 }, { participants: 1 }))), 'ask:1234=participant');
  assert.is(short(decideEntry(ctx(priv, { callerUserId: 7, participants: 2 }))), 'join:admin');
  assert.is(short(decideEntry(ctx(priv, { callerUserId: 2, transferredByOwner: true, participants: 2 }))), 'refuse:conf-full');
});

test.run();
