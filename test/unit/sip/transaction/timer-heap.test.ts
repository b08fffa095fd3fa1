import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TimerHeap, type HeapNode } from '../../../../src/sip/transaction/timer-heap.js';
import { seededRandom } from '../../../support/lossy-network.js';

interface Node extends HeapNode {
  id: number;
}
const node = (id: number): Node => ({ id, at: 0, seq: 0, index: -1 });

function drain(heap: TimerHeap<Node>): number[] {
  const out: number[] = [];
  for (let n = heap.popDue(Infinity); n; n = heap.popDue(Infinity)) out.push(n.id);
  return out;
}

test('pops nodes in deadline order, ties in scheduling order', () => {
  const heap = new TimerHeap<Node>();
  const nodes = [5, 1, 3, 1, 2].map((_, i) => node(i));
  [5, 1, 3, 1, 2].forEach((at, i) => heap.schedule(nodes[i]!, at));
  assert.equal(drain(heap), [1, 3, 4, 2, 0]);
});

test('popDue only returns nodes due at or before now', () => {
  const heap = new TimerHeap<Node>();
  const a = node(1);
  const b = node(2);
  heap.schedule(a, 100);
  heap.schedule(b, 200);
  assert.is(heap.popDue(99), undefined);
  assert.is(heap.popDue(100), a);
  assert.is(heap.popDue(199), undefined);
  assert.is(heap.peek(), b);
});

test('rescheduling moves a node; cancel removes it and is idempotent', () => {
  const heap = new TimerHeap<Node>();
  const [a, b, c] = [node(1), node(2), node(3)];
  heap.schedule(a, 10);
  heap.schedule(b, 20);
  heap.schedule(c, 30);
  heap.schedule(a, 40);
  heap.cancel(b);
  heap.cancel(b);
  assert.is(b.index, -1);
  assert.is(heap.size, 2);
  assert.equal(drain(heap), [3, 1]);
});

test('stays ordered under random schedule/cancel churn (compared with a sort)', () => {
  const rnd = seededRandom(42);
  const heap = new TimerHeap<Node>();
  const nodes = Array.from({ length: 500 }, (_, i) => node(i));
  const live = new Map<number, number>();
  for (let step = 0; step < 5000; step++) {
    const n = nodes[Math.floor(rnd() * nodes.length)]!;
    if (rnd() < 0.3) {
      heap.cancel(n);
      live.delete(n.id);
    } else {
      const at = Math.floor(rnd() * 1000);
      heap.schedule(n, at);
      live.set(n.id, at);
    }
  }
  const popped: Array<[number, number]> = [];
  for (let n = heap.popDue(Infinity); n; n = heap.popDue(Infinity)) popped.push([n.at, n.id]);
  assert.is(popped.length, live.size);
  for (let i = 1; i < popped.length; i++) assert.ok(popped[i - 1]![0] <= popped[i]![0], 'non-decreasing deadlines');
  for (const [at, id] of popped) assert.is(live.get(id), at);
});

test.run();
