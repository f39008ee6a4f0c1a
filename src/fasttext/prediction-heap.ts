/**
 * The top-k predictions, kept exactly as fastText keeps them: libstdc++'s `push_heap`, `pop_heap`
 * and `sort_heap` with fastText's comparator `a.score > b.score`. Reproducing the algorithms (not
 * just "the k best") makes ties between equal scores resolve to the same labels, in the same order.
 */
export class PredictionHeap {
  scores = new Float64Array(8);
  ids = new Int32Array(8);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  /** The smallest kept score (the heap's front). */
  get front(): number {
    return this.scores[0];
  }

  /** `heap.push_back(p); std::push_heap(…)`. */
  push(score: number, id: number): void {
    if (this.size === this.scores.length) {
      const scores = new Float64Array(this.size * 2);
      const ids = new Int32Array(this.size * 2);
      scores.set(this.scores);
      ids.set(this.ids);
      this.scores = scores;
      this.ids = ids;
    }
    this.size++;
    this.siftUp(this.size - 1, 0, score, id);
  }

  /** `std::pop_heap(…); heap.pop_back()`: drops the front. */
  pop(): void {
    if (this.size > 1) this.popTo(this.size - 1);
    this.size--;
  }

  /** `std::sort_heap(…)`: best first. */
  sort(): void {
    for (let last = this.size - 1; last > 0; last--) this.popTo(last);
  }

  /** libstdc++ `__pop_heap(first, last, result = last)`: moves the front to `last`, re-heaps `[0, last)`. */
  private popTo(last: number): void {
    const score = this.scores[last];
    const id = this.ids[last];
    this.scores[last] = this.scores[0];
    this.ids[last] = this.ids[0];
    this.adjust(0, last, score, id);
  }

  /** libstdc++ `__adjust_heap`. */
  private adjust(hole: number, len: number, score: number, id: number): void {
    const top = hole;
    let child = hole;
    const { scores, ids } = this;
    while (child < Math.trunc((len - 1) / 2)) {
      child = 2 * (child + 1);
      if (scores[child] > scores[child - 1]) child--;
      scores[hole] = scores[child];
      ids[hole] = ids[child];
      hole = child;
    }
    if ((len & 1) === 0 && child === Math.trunc((len - 2) / 2)) {
      child = 2 * (child + 1);
      scores[hole] = scores[child - 1];
      ids[hole] = ids[child - 1];
      hole = child - 1;
    }
    this.siftUp(hole, top, score, id);
  }

  /** libstdc++ `__push_heap`: moves the hole up while the parent compares before the value. */
  private siftUp(hole: number, top: number, score: number, id: number): void {
    const { scores, ids } = this;
    let parent = Math.trunc((hole - 1) / 2);
    while (hole > top && scores[parent] > score) {
      scores[hole] = scores[parent];
      ids[hole] = ids[parent];
      hole = parent;
      parent = Math.trunc((hole - 1) / 2);
    }
    scores[hole] = score;
    ids[hole] = id;
  }
}
