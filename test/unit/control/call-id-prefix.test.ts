import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { matchCallId, shortIds } from '../../../src/app/control/call-id-prefix.js';

const A = '3f2c9a10-0b1e-4c6a-9d55-2f4e8a7b1c01';
const B = '3f2c9a77-5e02-4a11-8f00-aa11bb22cc33';
const C = '9d0e1111-2222-4333-8444-555566667777';

test('a unique prefix, any case, finds its call; the full id always does', () => {
  assert.equal(matchCallId('9d', [A, B, C]), { kind: 'one', id: C });
  assert.equal(matchCallId('3F2C9A1', [A, B, C]), { kind: 'one', id: A });
  assert.equal(matchCallId(B, [A, B, C]), { kind: 'one', id: B });
});

test('a prefix of several calls is ambiguous and names them; nothing matching is none', () => {
  assert.equal(matchCallId('3f2c', [A, B, C]), { kind: 'ambiguous', ids: [A, B] });
  assert.equal(matchCallId('ffff', [A, B, C]), { kind: 'none' });
  assert.equal(matchCallId('  ', [A, B, C]), { kind: 'none' });
});

test('an exact id wins over a longer id it is the prefix of', () => {
  assert.equal(matchCallId('abc', ['abc', 'abcdef']), { kind: 'one', id: 'abc' });
});

test('short ids: 8 characters, longer where two ids share more, each unique', () => {
  const short = shortIds([A, B, C]);
  assert.equal([short.get(A), short.get(B), short.get(C)], ['3f2c9a10', '3f2c9a77', '9d0e1111']);
  const near = shortIds(['3f2c9a10-aa', '3f2c9a10-ab']);
  assert.equal([...near.values()], ['3f2c9a10-aa', '3f2c9a10-ab']);
  for (const [id, s] of near) assert.equal(matchCallId(s, [...near.keys()]), { kind: 'one', id });
});

test.run();
