import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineSplitter } from '../../../src/app/control/line-splitter.js';

function feed(splitter: LineSplitter, ...chunks: Array<string | Buffer>): { lines: string[]; ok: boolean[] } {
  const lines: string[] = [];
  const ok = chunks.map((c) => splitter.push(typeof c === 'string' ? Buffer.from(c) : c, (l) => lines.push(l)));
  return { lines, ok };
}

test('gives each LF-terminated line once, across and within chunks, CR LF trimmed', () => {
  const { lines } = feed(new LineSplitter(100), '{"id":1}\n{"id"', ':2}\r\n{"id":3}\n{"i', 'd":4');
  assert.equal(lines, ['{"id":1}', '{"id":2}', '{"id":3}']);
});

test('a UTF-8 character split between chunks is decoded whole', () => {
  const bytes = Buffer.from('"Zoë ☎"\n');
  const { lines } = feed(new LineSplitter(100), bytes.subarray(0, 4), bytes.subarray(4, 9), bytes.subarray(9));
  assert.equal(lines, ['"Zoë ☎"']);
});

test('a line of exactly the cap passes; one byte more overflows before its LF arrives', () => {
  assert.equal(feed(new LineSplitter(5), 'abcde\n').lines, ['abcde']);
  const s = new LineSplitter(5);
  const r = feed(s, 'abc', 'def');
  assert.equal(r.ok, [true, false]);
  assert.ok(s.overflow);
  assert.is(s.buffered, 0, 'nothing kept after the overflow');
});

test('after an overflow it takes nothing more, even complete short lines', () => {
  const s = new LineSplitter(4);
  const r = feed(s, 'toolong\nok\n', 'ok\n');
  assert.equal(r.lines, []);
  assert.equal(r.ok, [false, false]);
});

test('memory held stays under the cap while a line streams in without LF', () => {
  const s = new LineSplitter(1024);
  let ok = true;
  for (let i = 0; i < 100 && ok; i++) ok = s.push(Buffer.alloc(100, 0x41), () => {});
  assert.not.ok(ok);
  assert.is(s.buffered, 0);
});

test.run();
