import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SipSyntaxError } from '../../../src/sip/errors.js';
import { formatUri, parseUri, sipUriEquals, type SipUri, type TelUri } from '../../../src/sip/uri.js';

function sip(s: string): SipUri {
  const u = parseUri(s);
  if (u.scheme === 'tel') throw new Error('not a SIP URI');
  return u;
}

function status(f: () => unknown): number | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof SipSyntaxError) return e.status;
    throw e;
  }
  return undefined;
}

test('parses user, password, host, port, parameters and headers of a SIP URI (RFC 3261 §19.1.1)', () => {
  const u = sip('sips:alice:secret@Atlanta.COM:5061;transport=TCP;lr;maddr=239.255.255.1?subject=project%20x&priority=urgent');
  assert.is(u.scheme, 'sips');
  assert.is(u.user, 'alice');
  assert.is(u.password, 'secret');
  assert.is(u.host, 'atlanta.com'); // host is case-insensitive: stored lower-case
  assert.is(u.port, 5061);
  assert.equal([...u.params], [['transport', 'TCP'], ['lr', null], ['maddr', '239.255.255.1']]);
  assert.equal([...u.headers], [['subject', 'project x'], ['priority', 'urgent']]);
});

test('IPv6 references keep their brackets and may carry a port (RFC 3261 §25.1 IPv6reference)', () => {
  const u = sip('sip:[2001:DB8::10]:5070;transport=udp');
  assert.is(u.host, '[2001:db8::10]');
  assert.is(u.port, 5070);
  assert.is(sip('sip:bob@[::1]').host, '[::1]');
  assert.is(status(() => parseUri('sip:[2001:db8::10')), 400);
  assert.is(status(() => parseUri('sip:[zz]')), 400);
});

test('a telephone-subscriber user part with visual separators stays one user (RFC 3261 §19.1.1)', () => {
  const u = sip('sip:+1-212-555-1212:1234@gateway.com;user=phone');
  assert.is(u.user, '+1-212-555-1212');
  assert.is(u.password, '1234');
  assert.is(u.params.get('user'), 'phone');
});

test('escapes decode as UTF-8 when they form UTF-8, else byte for byte; bad escapes are 400 (RFC 3261 §19.1.2)', () => {
  assert.is(sip('sip:J%C3%BCrgen@example.com').user, 'Jürgen');
  assert.is(sip('sip:%FF@example.com').user, '\u00ff');
  assert.is(status(() => parseUri('sip:%4@example.com')), 400);
  assert.is(status(() => parseUri('sip:%ZZ@example.com')), 400);
});

test('formatUri escapes again what must be escaped and round-trips (RFC 3261 §19.1.2)', () => {
  for (const s of [
    'sip:alice@atlanta.com',
    'sips:alice:pw@atlanta.com:5061;transport=tcp;lr',
    'sip:I%20have%20spaces@example.net',
    'sip:caller@host5.example.net;lr;name=value%2541',
    'sip:user@example.com?Route=%3Csip:sip.example.com%3E',
    'sip:[2001:db8::10]:5070',
    'sip:J%C3%BCrgen@example.com',
  ]) {
    const u = parseUri(s);
    const text = formatUri(u);
    assert.ok(sipUriEquals(sip(text), sip(s)), `${s} -> ${text}`);
  }
  assert.is(formatUri(sip('sip:I%20have%20spaces@example.net')), 'sip:I%20have%20spaces@example.net');
  assert.is(formatUri(sip('sip:%75se%72@example.com')), 'sip:user@example.com');
  assert.is(formatUri(sip('sip:a@b;name=value%2541')), 'sip:a@b;name=value%2541');
});

test('tel URIs parse with their parameters; a local number needs phone-context (RFC 3966 §5.1)', () => {
  const t = parseUri('tel:+1-201-555-0123;ext=1234') as TelUri;
  assert.is(t.scheme, 'tel');
  assert.is(t.number, '+1-201-555-0123');
  assert.is(t.params.get('ext'), '1234');
  assert.is(formatUri(t), 'tel:+1-201-555-0123;ext=1234');
  assert.is((parseUri('tel:7042;phone-context=example.com') as TelUri).number, '7042');
  assert.is(status(() => parseUri('tel:7042')), 400);
  assert.is(status(() => parseUri('tel:+')), 400);
});

test('an unknown but well-formed scheme is 416, a malformed URI 400 (RFC 3261 §8.2.2.1, §21.4.14)', () => {
  assert.is(status(() => parseUri('mailto:alice@example.com')), 416);
  assert.is(status(() => parseUri('soap.beep://192.0.2.103:3002')), 416);
  assert.is(status(() => parseUri('1sip:a@b')), 400);
  assert.is(status(() => parseUri('sip')), 400);
  assert.is(status(() => parseUri('sip:')), 400);
  assert.is(status(() => parseUri('sip:a@b c')), 400);
  assert.is(status(() => parseUri('sip:a@b:99999')), 400);
  assert.is(status(() => parseUri('sip:a@b;lr;lr')), 400);
  assert.is(status(() => parseUri('sip:a@@b')), 400);
  assert.is(status(() => parseUri('sip:@b')), 400);
});

test('URI comparison follows RFC 3261 §19.1.4', () => {
  const eq = (a: string, b: string) => sipUriEquals(sip(a), sip(b));
  // The §19.1.4 examples that are equivalent.
  assert.ok(eq('sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'));
  assert.ok(eq('sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'));
  assert.ok(eq('sip:carol@chicago.com', 'sip:carol@chicago.com;security=on'));
  assert.ok(eq('sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com', 'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com'));
  assert.ok(eq('sip:alice@atlanta.com?subject=project%20x&priority=urgent', 'sip:alice@atlanta.com?priority=urgent&subject=project%20x'));
  // And those that are not.
  assert.not.ok(eq('SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP')); // user differs
  assert.not.ok(eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060')); // explicit default port
  assert.not.ok(eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp')); // transport only in one
  assert.not.ok(eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp'));
  assert.not.ok(eq('sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting')); // headers only in one
  assert.not.ok(eq('sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4')); // no DNS here
  assert.not.ok(eq('sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off'));
  assert.not.ok(eq('sip:a@b', 'sips:a@b'));
});

test.run();
