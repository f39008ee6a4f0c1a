/**
 * A bounded top-k selector over (key, group, index) candidates, in typed arrays: O(k) memory
 * however many candidates stream past. Larger keys win; equal keys go to the smaller group, then
 * the smaller index (shard order, then position in the shard), so the result is deterministic.
 */

import { SieveError } from '../errors.js';

/** The chosen candidates, sorted by group then index (the order documents are written in). */
export interface TopKSelection {
  readonly keys: Float64Array;
  readonly groups: Uint32Array;
  readonly indices: Uint32Array;
}

/** The selector {@link createTopK} makes. */
export interface TopK {
  readonly k: number;
  /** Candidates held (≤ k). */
  readonly size: number;
  /** Offers a candidate; NaN keys are ignored. */
  offer(key: number, group: number, index: number): void;
  /** The weakest candidate held (the selection threshold once `size === k`). */
  weakest(): { readonly key: number; readonly group: number; readonly index: number } | undefined;
  /** The selection, in group and index order. */
  selection(): TopKSelection;
}

/**
 * A selector of the k best candidates.
 *
 * @example
 * const top = createTopK(2);
 * top.offer(0.5, 0, 0); top.offer(2, 0, 1); top.offer(1, 1, 0);
 * top.selection().indices; // Uint32Array [1, 0]: (group 0, index 1) and (group 1, index 0)
 */
export function createTopK(k: number): TopK {
  if (!Number.isSafeInteger(k) || k < 0 || k > 0xffffffff) throw new SieveError('E_USAGE', `[dsir] k must be an integer from 0 to 2^32 − 1, got ${k}`);
  // A min-heap on "strength": the root is the weakest candidate held.
  let capacity = Math.min(k, 1024);
  let keys = new Float64Array(capacity);
  let groups = new Uint32Array(capacity);
  let indices = new Uint32Array(capacity);
  let size = 0;

  const weaker = (a: number, b: number): boolean =>
    keys[a] !== keys[b] ? keys[a] < keys[b] : groups[a] !== groups[b] ? groups[a] > groups[b] : indices[a] > indices[b];
  const swap = (a: number, b: number): void => {
    const key = keys[a];
    keys[a] = keys[b];
    keys[b] = key;
    const group = groups[a];
    groups[a] = groups[b];
    groups[b] = group;
    const index = indices[a];
    indices[a] = indices[b];
    indices[b] = index;
  };
  const siftUp = (i: number): void => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!weaker(i, parent)) return;
      swap(i, parent);
      i = parent;
    }
  };
  const siftDown = (i: number): void => {
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) return;
      const right = left + 1;
      const child = right < size && weaker(right, left) ? right : left;
      if (!weaker(child, i)) return;
      swap(i, child);
      i = child;
    }
  };
  const grow = (): void => {
    capacity = Math.min(k, 2 * capacity);
    const [nk, ng, ni] = [new Float64Array(capacity), new Uint32Array(capacity), new Uint32Array(capacity)];
    nk.set(keys);
    ng.set(groups);
    ni.set(indices);
    [keys, groups, indices] = [nk, ng, ni];
  };

  return {
    k,
    get size() {
      return size;
    },
    offer(key, group, index) {
      if (Number.isNaN(key) || k === 0) return;
      if (size < k) {
        if (size === capacity) grow();
        keys[size] = key;
        groups[size] = group;
        indices[size] = index;
        siftUp(size++);
        return;
      }
      // Stronger than the root: the root leaves, the newcomer sinks to its place.
      const stronger = key !== keys[0] ? key > keys[0] : group !== groups[0] ? group < groups[0] : index < indices[0];
      if (!stronger) return;
      keys[0] = key;
      groups[0] = group;
      indices[0] = index;
      siftDown(0);
    },
    weakest() {
      return size === 0 ? undefined : { key: keys[0], group: groups[0], index: indices[0] };
    },
    selection() {
      const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => groups[a] - groups[b] || indices[a] - indices[b]);
      return {
        keys: Float64Array.from(order, (i) => keys[i]),
        groups: Uint32Array.from(order, (i) => groups[i]),
        indices: Uint32Array.from(order, (i) => indices[i]),
      };
    },
  };
}
