// Matching what an operator types to a live participant (room mute|unmute|kick).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { matchParticipant, type LiveParticipantView } from '../../../src/app/control/room-control.js';

const p = (id: string, number: string, device: string | null): LiveParticipantView => ({
  id, callId: `call-${id}`, number, name: null, device, joinedAt: 0, talking: false, muted: false, admin: false,
});
// Alice calls from two phones (device 1001 and 1002, both presenting 1001); an outside caller; a device numbered like an id.
const people = [p('p1', '1001', '1001'), p('p2', '1001', '1002'), p('p3', '+4930123456', null), p('p4', '2001', 'p1')];

const one = (input: string) => {
  const m = matchParticipant(input, people);
  return m.kind === 'one' ? m.participant.id : m.kind;
};

test('an id wins, case-insensitively, even over a device with that name', () => {
  assert.equal([one('p2'), one('P3'), one(' p4 '), one('p1')], ['p2', 'p3', 'p4', 'p1']);
});

test('else a device extension, when only one participant called from it', () => {
  assert.is(one('1002'), 'p2');
});

test('else a presented number, when unique; several matches are ambiguous and name them', () => {
  assert.is(one('+4930123456'), 'p3');
  assert.is(one('2001'), 'p4');
  const m = matchParticipant('1001', [p('p2', '1001', '1002'), p('p5', '1001', '1005')]);
  assert.equal(m.kind === 'ambiguous' ? m.participants.map((x) => x.id) : m.kind, ['p2', 'p5']);
});

test('a device wins over a number: 1001 is the device of p1 even though p2 presents 1001 too', () => {
  assert.is(one('1001'), 'p1');
});

test('nothing, or nothing typed, matches none', () => {
  assert.equal([one('p9'), one('3001'), one(''), one('  ')], ['none', 'none', 'none', 'none']);
  assert.is(matchParticipant('p1', []).kind, 'none');
});

test.run();
