// PinGuessThrottle: whom wrong conference PINs count against, and what it logs (issue 5;
// standard "brute force is throttled").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/log/logger.js';
import { PinGuessThrottle, pinCallerKey } from '../../../src/app/conference/pin-guess-throttle.js';

const T0 = 1_700_000_000_000;

function logged(): { lines: Array<Record<string, unknown>>; throttle: PinGuessThrottle } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info', destination: new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString())), done()) }) });
  return { lines, throttle: new PinGuessThrottle({ pinMaxFailures: 3, pinFailureWindow: 60, pinBlockTime: 120 }, logger) };
}

test('the caller is its device extension for our devices, else its source address (IPv6 per /64, as the digest throttle)', () => {
  assert.is(pinCallerKey({ number: '1000', name: null, userExt: '1000', device: '1001' }, '192.0.2.5'), 'device 1001');
  assert.is(pinCallerKey({ number: '+15551234', name: null, userExt: null, device: null }, '198.51.100.7'), 'address 198.51.100.7');
  assert.is(pinCallerKey({ number: '+15551234', name: null, userExt: null, device: null }, '2001:db8:1:2::99'), 'address 2001:db8:1:2::/64');
});

test('the block starts at pinMaxFailures inside the window, logged once as conference.pin_blocked (warn); a refusal as conference.pin_refused (info)', async () => {
  const { lines, throttle } = logged();
  assert.is(throttle.wrongPin('device 2001', '8000', T0), false);
  assert.is(throttle.wrongPin('device 2001', '8003', T0 + 1000), false);
  assert.is(throttle.blockedUntil('device 2001', T0 + 1000), undefined);
  assert.is(throttle.wrongPin('device 2001', '8000', T0 + 2000), true);
  assert.is(throttle.blockedUntil('device 2001', T0 + 2000), T0 + 122_000);
  assert.is(throttle.blockedUntil('device 2002', T0 + 2000), undefined);
  throttle.refused('device 2001', '8000', T0 + 122_000);
  await new Promise((r) => setImmediate(r));
  assert.equal(lines.map((l) => [l.event, l.level]), [['conference.pin_blocked', 40], ['conference.pin_refused', 30]]);
  assert.equal({ caller: lines[0]!.caller, room: lines[0]!.room, count: lines[0]!.count, until: lines[0]!.until }, { caller: 'device 2001', room: '8000', count: 3, until: T0 + 122_000 });
  assert.equal({ caller: lines[1]!.caller, room: lines[1]!.room, until: lines[1]!.until }, { caller: 'device 2001', room: '8000', until: T0 + 122_000 });
  assert.is(throttle.blockedUntil('device 2001', T0 + 122_000), undefined, 'the block ends at its end time');
});

test('non-positive settings are refused', () => {
  const logger = createLogger({ level: 'silent' });
  assert.throws(() => new PinGuessThrottle({ pinMaxFailures: 0, pinFailureWindow: 60, pinBlockTime: 60 }, logger), /positive/);
  assert.throws(() => new PinGuessThrottle({ pinMaxFailures: 1, pinFailureWindow: 0, pinBlockTime: 60 }, logger), /positive/);
});

test.run();
