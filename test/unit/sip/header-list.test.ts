import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalHeaderName, canonicalHeaderNameIn, HeaderList } from '../../../src/sip/header-list.js';

test('compact and case-insensitive header names address the same field (RFC 3261 §7.3.3)', () => {
  const h = new HeaderList();
  h.append('v', 'SIP/2.0/UDP a;branch=z9hG4bK1');
  h.append('VIA', 'SIP/2.0/UDP b;branch=z9hG4bK2');
  h.append('i', 'abc');
  assert.equal(h.getAll('Via').length, 2);
  assert.equal(h.get('call-id'), 'abc');
  assert.equal([...h].map(([n]) => n), ['Via', 'Via', 'Call-ID']);
  h.prepend('Via', 'SIP/2.0/UDP c;branch=z9hG4bK3');
  assert.equal(h.get('via'), 'SIP/2.0/UDP c;branch=z9hG4bK3');
});

test('count tells how many fields a name has, compact forms included, without building a list', () => {
  const h = new HeaderList();
  h.append('Via', 'SIP/2.0/UDP a;branch=z9hG4bK1').append('v', 'SIP/2.0/UDP b;branch=z9hG4bK2').append('To', '<sip:b@x>');
  assert.is(h.count('via'), 2);
  assert.is(h.count('t'), 1);
  assert.is(h.count('Route'), 0);
});

test('fields read by index, and one copied from another list keeps its key, spelling and value', () => {
  const req = new HeaderList();
  req.append('v', 'SIP/2.0/UDP a;branch=z9hG4bK1').append('Call-ID', 'c1');
  assert.equal([req.keyAt(0), req.nameAt(0), req.valueAt(0)], ['via', 'Via', 'SIP/2.0/UDP a;branch=z9hG4bK1']);
  const res = new HeaderList();
  res.prime('call-id', 'stale view');
  res.appendFieldOf(req, 1).appendFieldOf(req, 0, 'SIP/2.0/UDP b;branch=z9hG4bK2');
  assert.equal([...res], [['Call-ID', 'c1'], ['Via', 'SIP/2.0/UDP b;branch=z9hG4bK2']]);
  assert.is(res.typed('call-id', (v) => v.join()), 'c1', 'the cached view of a changed field is dropped');
});

test('replaceFirst changes the first field of a name in place and drops its cached view', () => {
  const h = new HeaderList();
  h.append('Via', 'SIP/2.0/UDP a;branch=z9hG4bK1').append('To', '<sip:b@x>').append('Via', 'SIP/2.0/UDP b;branch=z9hG4bK2');
  h.prime('via', ['old view']);
  assert.is(h.replaceFirst('v', 'SIP/2.0/UDP a;branch=z9hG4bK1;received=192.0.2.1'), true);
  assert.equal([...h].map(([, v]) => v), ['SIP/2.0/UDP a;branch=z9hG4bK1;received=192.0.2.1', '<sip:b@x>', 'SIP/2.0/UDP b;branch=z9hG4bK2']);
  assert.equal(h.typed('via', (v) => v.length), 2);
  assert.is(h.replaceFirst('Route', 'x'), false);
});

test('a header name read in place from message text resolves like canonicalHeaderName, common or not (RFC 3261 §7.3.3)', () => {
  const text = 'x:VIA|v|Call-ID|cAlL-iD|i|WWW-Authenticate|X-Custom-Thing|Z|Max-Forwards';
  for (const name of text.slice(2).split('|')) {
    const at = text.indexOf(`|${name}`) + 1 || 2;
    assert.equal(canonicalHeaderNameIn(text, at, at + name.length), canonicalHeaderName(name), name);
  }
  const h = new HeaderList().appendCanonical(canonicalHeaderNameIn('l', 0, 1), '0');
  assert.equal([...h], [['Content-Length', '0']]);
});

test.run();
