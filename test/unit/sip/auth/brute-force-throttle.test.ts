// Brute-force throttle: sliding window, block and unblock, trusted networks, IPv4/IPv6 keys,
// bounded memory.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AuthEvent } from '../../../../src/sip/auth/auth-events.js';
import { BruteForceThrottle } from '../../../../src/sip/auth/brute-force-throttle.js';
import { sourceAddress } from '../../../../src/sip/auth/source-address.js';

const T0 = 1_700_000_000_000;

function fail(t: BruteForceThrottle, address: string, now: number, events: AuthEvent[] = []): boolean {
  return t.recordFailure(address, '1001', 'wrong-password', now, events);
}

test('maxAuthFailures failures inside the window block the address for blockTime', () => {
  const t = new BruteForceThrottle({ maxAuthFailures: 5, failureWindow: 60, blockTime: 300 });
  const events: AuthEvent[] = [];
  for (let i = 0; i < 4; i++) assert.is(fail(t, '198.51.100.7', T0 + i * 1000, events), false);
  assert.is(t.blockedUntil('198.51.100.7', T0 + 4000, events), undefined);
  assert.is(fail(t, '198.51.100.7', T0 + 4000, events), true);
  assert.equal(events.map((e) => e.event), ['auth.failure', 'auth.failure', 'auth.failure', 'auth.failure', 'auth.failure', 'auth.blocked']);
  assert.equal(events.at(-2), { event: 'auth.failure', address: '198.51.100.7', username: '1001', reason: 'wrong-password', count: 5, trusted: false });
  assert.equal(events.at(-1), { event: 'auth.blocked', address: '198.51.100.7', username: '1001', count: 5, until: T0 + 4000 + 300_000 });
  assert.is(t.blockedUntil('198.51.100.7', T0 + 303_999, []), T0 + 304_000);
  assert.is(t.blockedUntil('198.51.100.8', T0 + 5000, []), undefined); // neighbours are not blocked
});

test('failures older than the window no longer count (sliding window)', () => {
  const t = new BruteForceThrottle({ maxAuthFailures: 3, failureWindow: 60, blockTime: 300 });
  fail(t, '198.51.100.7', T0);
  fail(t, '198.51.100.7', T0 + 30_000);
  const events: AuthEvent[] = [];
  assert.is(fail(t, '198.51.100.7', T0 + 61_000, events), false); // the first one slid out
  assert.is((events[0] as { count: number }).count, 2);
  assert.is(fail(t, '198.51.100.7', T0 + 62_000), true);
});

test('the block ends after blockTime with auth.unblocked, lazily or through sweep', () => {
  const t = new BruteForceThrottle({ maxAuthFailures: 1, blockTime: 300 });
  fail(t, '198.51.100.7', T0);
  fail(t, '198.51.100.9', T0 + 10_000);
  assert.is(t.nextDeadline(), T0 + 300_000);
  const events: AuthEvent[] = [];
  assert.is(t.blockedUntil('198.51.100.7', T0 + 300_000, events), undefined);
  assert.equal(events, [{ event: 'auth.unblocked', address: '198.51.100.7', why: 'expired' }]);
  const swept: AuthEvent[] = [];
  t.sweep(T0 + 309_999, swept);
  assert.equal(swept, []);
  t.sweep(T0 + 310_000, swept);
  assert.equal(swept, [{ event: 'auth.unblocked', address: '198.51.100.9', why: 'expired' }]);
  assert.is(t.blockedCount, 0);
  assert.is(t.nextDeadline(), undefined);
});

test('after a block ends the count starts from zero', () => {
  const t = new BruteForceThrottle({ maxAuthFailures: 2, failureWindow: 600, blockTime: 60 });
  fail(t, '198.51.100.7', T0);
  assert.ok(fail(t, '198.51.100.7', T0 + 1));
  assert.is(t.blockedUntil('198.51.100.7', T0 + 61_000, []), undefined);
  assert.is(fail(t, '198.51.100.7', T0 + 62_000), false);
});

test('trusted networks (IPv4 and IPv6 CIDR) are reported but never blocked', () => {
  const t = new BruteForceThrottle({ maxAuthFailures: 1, trustedNetworks: ['10.0.0.0/8', '2001:db8:aaaa::/48', '192.0.2.99'] });
  for (const a of ['10.1.2.3', '::ffff:10.9.9.9', '2001:db8:aaaa:1::5', '192.0.2.99']) {
    const events: AuthEvent[] = [];
    assert.is(fail(t, a, T0, events), false, a);
    assert.is(t.blockedUntil(a, T0, []), undefined, a);
    assert.equal(events.map((e) => e.event), ['auth.failure']);
    assert.is((events[0] as { trusted: boolean }).trusted, true);
    assert.ok(t.isTrusted(a));
  }
  assert.is(fail(t, '11.0.0.1', T0), true);
  assert.is(fail(t, '2001:db8:bbbb::1', T0), true);
  assert.throws(() => new BruteForceThrottle({ trustedNetworks: ['10.0.0.0/33'] }), /10\.0\.0\.0\/33/);
});

test('the port never matters and IPv4-mapped IPv6 counts as the IPv4 address', () => {
  const t = new BruteForceThrottle({ maxAuthFailures: 2 });
  fail(t, '198.51.100.7', T0);
  assert.ok(fail(t, '::ffff:198.51.100.7', T0));
  assert.ok(t.blockedUntil('198.51.100.7', T0, []) !== undefined);
});

test('IPv6 sources are counted per /64, so rotating through one prefix does not dodge the block', () => {
  assert.is(sourceAddress('2001:db8:1:2:aaaa::1').key, '2001:db8:1:2::/64');
  assert.is(sourceAddress('[2001:DB8:1:2::9]').key, '2001:db8:1:2::/64');
  assert.is(sourceAddress('fe80::1%eth0').key, 'fe80:0:0:0::/64');
  assert.is(sourceAddress('::1').key, '0:0:0:0::/64');
  const t = new BruteForceThrottle({ maxAuthFailures: 3 });
  fail(t, '2001:db8:1:2::1', T0);
  fail(t, '2001:db8:1:2::2', T0);
  assert.ok(fail(t, '2001:db8:1:2:ffff:ffff:ffff:ffff', T0));
  assert.ok(t.blockedUntil('2001:db8:1:2::77', T0, []) !== undefined);
  assert.is(t.blockedUntil('2001:db8:1:3::1', T0, []), undefined);
});

test('a spoofed-source flood keeps memory at the caps, evicting the oldest records', () => {
  const t = new BruteForceThrottle({ maxAuthFailures: 2, maxTrackedAddresses: 100, maxBlockedAddresses: 50 });
  for (let i = 0; i < 1000; i++) fail(t, `203.0.${i >> 8}.${i & 255}`, T0 + i);
  assert.is(t.trackedCount, 100);
  const events: AuthEvent[] = [];
  for (let i = 0; i < 200; i++) {
    fail(t, `198.18.0.${i}`, T0 + 2000, events);
    fail(t, `198.18.0.${i}`, T0 + 2000, events);
  }
  assert.is(t.blockedCount, 50);
  assert.is(events.filter((e) => e.event === 'auth.unblocked' && e.why === 'evicted').length, 150);
  // The newest blocks survive; the oldest were pushed out.
  assert.ok(t.blockedUntil('198.18.0.199', T0 + 2001, []) !== undefined);
  assert.is(t.blockedUntil('198.18.0.0', T0 + 2001, []), undefined);
});

test('sweep forgets failure records older than the window', () => {
  const t = new BruteForceThrottle({ maxAuthFailures: 5, failureWindow: 60 });
  fail(t, '198.51.100.1', T0);
  fail(t, '198.51.100.2', T0 + 30_000);
  t.sweep(T0 + 60_000, []);
  assert.is(t.trackedCount, 1);
  t.sweep(T0 + 90_000, []);
  assert.is(t.trackedCount, 0);
});

test.run();
