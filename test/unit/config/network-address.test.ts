import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ValueError } from '../../../src/config/config-error.js';
import { cidrText, parseCidr } from '../../../src/config/network-address.js';

test('CIDR blocks are normalised to the text net.BlockList accepts', () => {
  assert.equal(parseCidr('10.0.0.0/8'), { family: 'ipv4', network: '10.0.0.0', prefix: 8 });
  assert.is(cidrText(parseCidr('192.168.1.7')), '192.168.1.7/32');
  assert.is(cidrText(parseCidr('0.0.0.0/0')), '0.0.0.0/0');
  assert.is(cidrText(parseCidr('2001:DB8:0:0:0:0:0:0/32')), '2001:db8::/32');
  assert.is(cidrText(parseCidr('fe80::1')), 'fe80::1/128');
  assert.is(cidrText(parseCidr('::ffff:192.0.2.0/120')), '::ffff:c000:200/120');
  assert.is(cidrText(parseCidr('2001:db8:0:1:0:0:0:0/64')), '2001:db8:0:1::/64');
});

test('host bits, bad prefixes and non-addresses are refused with a hint', () => {
  assert.throws(() => parseCidr('10.1.2.3/8'), (e: Error) => e instanceof ValueError && e.message === 'has host bits set: 10.1.2.3/8 (did you mean 10.0.0.0/8?)');
  assert.throws(() => parseCidr('2001:db8::1/32'), /did you mean 2001:db8::\/32\?/);
  assert.throws(() => parseCidr('10.0.0.0/33'), /prefix length outside 0-32/);
  assert.throws(() => parseCidr('10.0.0.0/x'), /prefix length outside 0-32/);
  assert.throws(() => parseCidr('10.0.0/8'), /must be an address or CIDR block/);
  assert.throws(() => parseCidr('10.0.0.0/8/9'), /must be an address or CIDR block/);
});

test.run();
