import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { overlap, parseLocalPortRange } from '../../../src/rtp/ephemeral-ports.js';

test('parses Linux ip_local_port_range (tab-separated, trailing newline)', () => {
  assert.equal(parseLocalPortRange('32768\t60999\n'), { min: 32768, max: 60999 });
  assert.equal(parseLocalPortRange('1024 65535'), { min: 1024, max: 65535 });
});

test('refuses what is not a range', () => {
  assert.is(parseLocalPortRange(''), undefined);
  assert.is(parseLocalPortRange('60999 32768'), undefined);
  assert.is(parseLocalPortRange('1 70000'), undefined);
  assert.is(parseLocalPortRange('a b'), undefined);
});

test('the default media range 10000-20000 is clear of the usual ephemeral range; 40000-40999 is inside it', () => {
  const ephemeral = { min: 32768, max: 60999 };
  assert.is(overlap({ min: 10000, max: 20000 }, ephemeral), undefined);
  assert.equal(overlap({ min: 40000, max: 40999 }, ephemeral), { min: 40000, max: 40999 });
  assert.equal(overlap({ min: 30000, max: 33000 }, ephemeral), { min: 32768, max: 33000 });
  assert.equal(overlap({ min: 60999, max: 61000 }, ephemeral), { min: 60999, max: 60999 });
});

test.run();
