import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DirectoryError } from '../../../src/app/directory/directory-error.js';
import { parseAuthAlgorithms, parseExtension, parseMac, parseModel, parseName, parsePhoneNumber, parseSecret } from '../../../src/app/directory/field-rules.js';

function rejects(fn: () => unknown, message: RegExp): void {
  try {
    fn();
  } catch (err) {
    assert.instance(err, DirectoryError);
    assert.is((err as DirectoryError).kind, 'invalid');
    assert.match((err as Error).message, message);
    return;
  }
  assert.unreachable('expected a DirectoryError');
}

test('extension: 2 to 10 digits', () => {
  for (const ok of ['10', '1001', '0123456789']) assert.is(parseExtension(ok), ok);
  for (const bad of ['1', '12345678901', '10a1', '+1001', ' 1001', '', '１００１']) {
    rejects(() => parseExtension(bad), /^extension must be 2 to 10 digits, got ".*"$/);
  }
});

test('caller ID and mobile: optional + then 2 to 20 digits', () => {
  for (const ok of ['+4930123456', '0049301234', '12', '+12345678901234567890']) assert.is(parsePhoneNumber(ok, 'caller ID'), ok);
  for (const bad of ['+', '1', '+1', '123456789012345678901', '49 30 123', '++49', '12-34']) {
    rejects(() => parsePhoneNumber(bad, 'mobile number'), /^mobile number must be an optional \+ then 2 to 20 digits/);
  }
});

test('MAC: three accepted spellings, stored lower-case with colons', () => {
  for (const form of ['aa:bb:cc:dd:ee:0f', 'AA-BB-CC-DD-EE-0F', 'aabbccddee0f', 'AaBbCcDdEe0F']) assert.is(parseMac(form), 'aa:bb:cc:dd:ee:0f');
  for (const bad of ['aa:bb:cc:dd:ee', 'aa:bb-cc:dd:ee:ff', 'aabb.ccdd.eeff', 'gg:bb:cc:dd:ee:ff', 'aabbccddeeff00', 'aa:bb:cc:dd:ee:f']) {
    rejects(() => parseMac(bad), /^malformed MAC address ".*": expected aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or aabbccddeeff$/);
  }
  rejects(() => parseMac('00:00:00:00:00:00'), /is not a device address/);
  rejects(() => parseMac('FF-FF-FF-FF-FF-FF'), /is not a device address/);
});

test('secret: 8 to 64 printable ASCII characters without spaces', () => {
  assert.is(parseSecret('Xk7#pQ2!', '1001'), 'Xk7#pQ2!');
  assert.is(parseSecret('a'.repeat(63) + 'b', '1001').length, 64);
  rejects(() => parseSecret('Xk7#pQ2', '1001'), /^secret is too short: 7 characters, at least 8 required$/);
  rejects(() => parseSecret('ab'.repeat(32) + 'c', '1001'), /^secret is too long: 65 characters, at most 64 allowed$/);
  rejects(() => parseSecret('Xk7# pQ2!', '1001'), /^secret may contain printable ASCII characters only, no spaces$/);
  rejects(() => parseSecret('Xk7#pQ2!é', '1001'), /printable ASCII characters only/);
  rejects(() => parseSecret('Xk7#pQ2!\t', '1001'), /printable ASCII characters only/);
});

test('secret: weak values are refused with the reason', () => {
  rejects(() => parseSecret('xxxxxxxx', '1001'), /^secret is too weak: one character repeated$/);
  rejects(() => parseSecret('Password', '1001'), /^secret is too weak: a well-known password$/);
  rejects(() => parseSecret('12345678', '1001'), /well-known password/);
  rejects(() => parseSecret('pw1001pw!', '1001'), /^secret is too weak: it contains the extension 1001$/);
  assert.is(parseSecret('pw1001pw!', '2002'), 'pw1001pw!');
});

test('name and model: trimmed, 1 to 64 characters, no control characters', () => {
  assert.is(parseName('  Alice Müller '), 'Alice Müller');
  assert.is(parseName('😀'.repeat(64)).length, 128, '64 characters, counted as characters not UTF-16 units');
  assert.is(parseModel('Yealink T54W'), 'Yealink T54W');
  rejects(() => parseName('   '), /^name must not be empty$/);
  rejects(() => parseName('x'.repeat(65)), /^name is too long: 65 characters, at most 64 allowed$/);
  rejects(() => parseName('Ali\u0007ce'), /^name must not contain control characters$/);
  rejects(() => parseName('Alice\nBob'), /control characters/);
  rejects(() => parseName('Alice\u2028Bob'), /control characters/);
  rejects(() => parseModel('T54W\u0085'), /^model must not contain control characters$/);
});

test('auth algorithms: MD5 and SHA-256 in any case, order kept as the challenge order (RFC 8760 §2.4, RFC 7616 §3.7)', () => {
  assert.equal(parseAuthAlgorithms(['md5']), ['MD5']);
  assert.equal(parseAuthAlgorithms(['sha-256', 'Md5']), ['SHA-256', 'MD5']);
  assert.equal(parseAuthAlgorithms([' MD5 ', 'SHA-256']), ['MD5', 'SHA-256']);
  rejects(() => parseAuthAlgorithms([]), /^auth algorithms must name at least one of MD5, SHA-256$/);
  rejects(() => parseAuthAlgorithms(['']), /^unknown digest algorithm "": expected MD5 or SHA-256$/);
  rejects(() => parseAuthAlgorithms(['MD5', 'SHA-512-256']), /^unknown digest algorithm "SHA-512-256": expected MD5 or SHA-256$/);
  rejects(() => parseAuthAlgorithms(['MD5-sess']), /^unknown digest algorithm "MD5-sess"/); // -sess follows its base, never offered
  rejects(() => parseAuthAlgorithms(['sha256']), /^unknown digest algorithm "sha256"/);
  rejects(() => parseAuthAlgorithms(['md5', 'MD5']), /^digest algorithm MD5 is listed twice$/);
});

test.run();
