/** Events ordered by virtual time, ties by insertion order, so runs are deterministic. */
export class EventQueue<T> {
  private items: { at: number; seq: number; event: T }[] = [];
  private seq = 0;

  push(at: number, event: T): void {
    const item = { at, seq: this.seq++, event };
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.items[mid]!;
      if (m.at < at || (m.at === at && m.seq < item.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, item);
  }

  pop(): { at: number; event: T } | undefined {
    return this.items.shift();
  }

  get size(): number {
    return this.items.length;
  }
}
