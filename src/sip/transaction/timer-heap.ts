/**
 * The transaction layer's one timer table: an indexed binary min-heap of deadlines.
 *
 * Every running RFC 3261 §17 timer (A-K, RFC 6026 L and M) is one node. Scheduling,
 * re-scheduling and cancelling are O(log n); the earliest deadline is O(1); nothing ever
 * scans all transactions. With 500 REGISTER/s and Timer J = 64*T1 = 32 s there are about
 * 16k live nodes, so one operation is ~14 comparisons.
 *
 * Nodes are owned by their transaction and reused when a timer is restarted, so a running
 * transaction allocates no timer objects after its first. Ties (equal deadlines) fire in
 * the order they were scheduled, which keeps runs deterministic.
 */

export interface HeapNode {
  /** Absolute deadline (clock.now() scale). */
  at: number;
  /** Scheduling order, the tie-breaker. */
  seq: number;
  /** Position in the heap array; -1 when not scheduled. */
  index: number;
}

export class TimerHeap<N extends HeapNode> {
  private readonly items: N[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.items.length;
  }

  /** Schedules `node` at `at`, moving it when it is already scheduled. */
  schedule(node: N, at: number): void {
    if (node.index >= 0) this.remove(node);
    node.at = at;
    node.seq = this.nextSeq++;
    node.index = this.items.length;
    this.items.push(node);
    this.up(node.index);
  }

  /** Removes `node` if it is scheduled; a no-op otherwise. */
  cancel(node: N): void {
    if (node.index >= 0) this.remove(node);
  }

  peek(): N | undefined {
    return this.items[0];
  }

  /** Removes and returns the earliest node when it is due at `now` or before. */
  popDue(now: number): N | undefined {
    const top = this.items[0];
    if (top === undefined || top.at > now) return undefined;
    this.remove(top);
    return top;
  }

  private remove(node: N): void {
    const items = this.items;
    const i = node.index;
    const last = items.pop()!;
    node.index = -1;
    if (last === node) return;
    items[i] = last;
    last.index = i;
    if (i > 0 && this.less(last, items[(i - 1) >> 1]!)) this.up(i);
    else this.down(i);
  }

  private less(a: N, b: N): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private up(i: number): void {
    const items = this.items;
    const node = items[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p]!;
      if (!this.less(node, parent)) break;
      items[i] = parent;
      parent.index = i;
      i = p;
    }
    items[i] = node;
    node.index = i;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const node = items[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(items[r]!, items[l]!) ? r : l;
      const child = items[c]!;
      if (!this.less(child, node)) break;
      items[i] = child;
      child.index = i;
      i = c;
    }
    items[i] = node;
    node.index = i;
  }
}
