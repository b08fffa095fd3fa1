// The formats of room values and conference ranges, before anything is stored.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DirectoryError } from '../../../src/app/directory/directory-error.js';
import { checkConferenceRanges, inAnyRange, parseConferenceRange, rangeSize } from '../../../src/app/rooms/conference-ranges.js';
import { parseLanguage, parseMaxParticipants, parsePin, parseRoomNumber } from '../../../src/app/rooms/room-fields.js';

function invalid(fn: () => unknown, message: string): void {
  try {
    fn();
  } catch (err) {
    assert.instance(err, DirectoryError);
    assert.is((err as DirectoryError).kind, 'invalid');
    assert.is((err as Error).message, message);
    return;
  }
  assert.unreachable(`expected: ${message}`);
}

test('PIN and admin PIN: 4 to 12 digits, leading zeros kept', () => {
  assert.is(parsePin('0042', 'PIN'), '0042');
  assert.is(parsePin('123456789012', 'admin PIN'), '123456789012');
  invalid(() => parsePin('123', 'PIN'), 'PIN must be 4 to 12 digits, got 3');
  invalid(() => parsePin('1234567890123', 'admin PIN'), 'admin PIN must be 4 to 12 digits, got 13');
  invalid(() => parsePin('', 'PIN'), 'PIN must be 4 to 12 digits, got 0');
});

test('a PIN with anything but digits is one line that does not repeat the PIN (# and * are IVR terminators)', () => {
  for (const bad of ['12a4', '1234#', '*1234', ' 1234', '12 34', '١٢٣٤']) invalid(() => parsePin(bad, 'PIN'), 'PIN must be digits only (0-9)');
  invalid(() => parsePin('4711x', 'admin PIN'), 'admin PIN must be digits only (0-9)');
});

test('language: en, it or ru in any case, stored lower-case', () => {
  assert.equal(['en', 'IT', ' Ru '].map(parseLanguage), ['en', 'it', 'ru']);
  invalid(() => parseLanguage('de'), 'language must be one of en, it, ru, got "de"');
});

test('max participants: a whole number from 2 to 10000, typed or given', () => {
  assert.equal([parseMaxParticipants('2'), parseMaxParticipants(' 10000 '), parseMaxParticipants(300)], [2, 10000, 300]);
  for (const bad of ['1', '0', '10001', '-5', '2.5', '1e3', 'ten', '']) {
    invalid(() => parseMaxParticipants(bad), `max participants must be a whole number from 2 to 10000, got ${JSON.stringify(bad)}`);
  }
  invalid(() => parseMaxParticipants(2.5), 'max participants must be a whole number from 2 to 10000, got "2.5"');
});

test('room numbers follow the extension format: 2 to 10 digits', () => {
  assert.is(parseRoomNumber('8000'), '8000');
  invalid(() => parseRoomNumber('8'), 'room number must be 2 to 10 digits, got "8"');
  invalid(() => parseRoomNumber('80a0'), 'room number must be 2 to 10 digits, got "80a0"');
});

test('conference range: <from>-<to>, digits of one length, start not above end', () => {
  assert.equal(parseConferenceRange(' 8000-8999 '), { from: '8000', to: '8999' });
  assert.equal(parseConferenceRange('8000-8000'), { from: '8000', to: '8000' });
  invalid(() => parseConferenceRange('8000'), 'conference range must be <from>-<to> in digits (e.g. 8000-8999), got "8000"');
  invalid(() => parseConferenceRange('8000 - 8999'), 'conference range must be <from>-<to> in digits (e.g. 8000-8999), got "8000 - 8999"');
  invalid(() => parseConferenceRange('80a0-8999'), 'conference range must be <from>-<to> in digits (e.g. 8000-8999), got "80a0-8999"');
  invalid(() => parseConferenceRange('800-8999'), 'conference range 800-8999: both ends must have the same number of digits');
  invalid(() => parseConferenceRange('8999-8000'), 'conference range 8999-8000: the start is above the end');
  invalid(() => parseConferenceRange('1-9'), 'conference range 1-9: numbers must be 2 to 10 digits');
});

test('a set of ranges: sorted, no overlap among numbers of one length, at most 20', () => {
  const r = (text: string) => parseConferenceRange(text);
  assert.equal(checkConferenceRanges([r('9500-9599'), r('800-899'), r('8000-8999'), r('9600-9699')]).map((x) => `${x.from}-${x.to}`), [
    '800-899', '8000-8999', '9500-9599', '9600-9699',
  ]);
  invalid(() => checkConferenceRanges([r('8000-8999'), r('8500-8599')]), 'conference ranges 8000-8999 and 8500-8599 overlap');
  invalid(() => checkConferenceRanges([r('8100-8199'), r('8000-8100')]), 'conference ranges 8000-8100 and 8100-8199 overlap');
  invalid(() => checkConferenceRanges([r('8000-8099'), r('8000-8099')]), 'conference ranges 8000-8099 and 8000-8099 overlap');
  const twenty = Array.from({ length: 20 }, (_, i) => r(`${10 + i}00-${10 + i}99`));
  assert.is(checkConferenceRanges(twenty).length, 20);
  invalid(() => checkConferenceRanges([...twenty, r('9000-9099')]), 'at most 20 conference ranges, got 21');
});

test('a number is in a range only with the range\'s length (8500 is not in 800-899)', () => {
  const ranges = [parseConferenceRange('800-899'), parseConferenceRange('9500-9599')];
  assert.equal(['800', '899', '850', '8500', '9500', '9599', '9600', '950'].map((n) => inAnyRange(n, ranges)), [true, true, true, false, true, true, false, false]);
  assert.is(rangeSize(parseConferenceRange('8000-8999')), 1000);
  assert.is(rangeSize(parseConferenceRange('8000-8000')), 1);
});

test.run();
