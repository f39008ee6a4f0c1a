import { expf } from './expf.js';
import type { Matrix } from './matrix.js';
import type { LossName } from './model-data.js';
import type { PredictionHeap } from './prediction-heap.js';

const f32 = Math.fround;
const MAX_SIGMOID = 8;
const SIGMOID_TABLE_SIZE = 512;

/**
 * fastText's `std_log`: `log(x + 1e-5)` with the sum and log in double and the result stored as
 * float32. Reported probabilities are `exp` of this, hence scores a little off [0, 1] (spec §9.1).
 */
export function stdLog(x: number): number {
  return f32(Math.log(x + 1e-5));
}

/** fastText's output layer at inference (`Loss::predict`), by loss function. */
export interface OutputLayer {
  /** Fills `heap` with the best `k` (log-probability, label) pairs at or above `threshold`, best first. */
  predict(hidden: Float32Array, k: number, threshold: number, heap: PredictionHeap): void;
  /** The log-probability fastText would report for `label`, whether or not it makes the top k. */
  logProbability(hidden: Float32Array, label: number): number;
}

export function createOutputLayer(loss: LossName, output: Matrix, labelCounts: readonly number[]): OutputLayer {
  if (loss === 'softmax') return new SoftmaxLayer(output);
  if (loss === 'hs') return new HierarchicalSoftmaxLayer(output, labelCounts);
  // Negative sampling and one-vs-all both score each label with its own sigmoid at inference.
  return new SigmoidLayer(output);
}

/** fastText `Loss::findKBest` over a vector of per-label probabilities. */
function findKBest(output: Float32Array, k: number, threshold: number, heap: PredictionHeap): void {
  for (let i = 0; i < output.length; i++) {
    if (output[i] < threshold) continue;
    const score = stdLog(output[i]);
    if (heap.size === k && score < heap.front) continue;
    heap.push(score, i);
    if (heap.size > k) heap.pop();
  }
}

abstract class VectorOutputLayer implements OutputLayer {
  protected readonly output: Float32Array;

  constructor(protected readonly matrix: Matrix) {
    this.output = new Float32Array(matrix.rows);
  }

  protected abstract computeOutput(hidden: Float32Array): void;

  predict(hidden: Float32Array, k: number, threshold: number, heap: PredictionHeap): void {
    this.computeOutput(hidden);
    findKBest(this.output, k, threshold, heap);
    heap.sort();
  }

  logProbability(hidden: Float32Array, label: number): number {
    this.computeOutput(hidden);
    return stdLog(this.output[label]);
  }
}

/** fastText `SoftmaxLoss::computeOutput`: max-shifted exponentials normalised by their float32 sum. */
class SoftmaxLayer extends VectorOutputLayer {
  protected computeOutput(hidden: Float32Array): void {
    const out = this.output;
    for (let i = 0; i < out.length; i++) out[i] = this.matrix.dotRow(hidden, i);
    let max = out[0];
    for (let i = 0; i < out.length; i++) max = Math.max(out[i], max);
    let z = 0;
    for (let i = 0; i < out.length; i++) {
      out[i] = Math.exp(f32(out[i] - max));
      z = f32(z + out[i]);
    }
    for (let i = 0; i < out.length; i++) out[i] /= z;
  }
}

let sigmoidTable: Float32Array | undefined;

/** fastText's sigmoid lookup table (513 float32 entries over [-8, 8]), as `Loss` builds it; on first use (~2 ms). */
function sigmoidEntries(): Float32Array {
  if (sigmoidTable === undefined) {
    sigmoidTable = new Float32Array(SIGMOID_TABLE_SIZE + 1);
    for (let i = 0; i <= SIGMOID_TABLE_SIZE; i++) {
      const x = f32(f32((i * 2 * MAX_SIGMOID) / SIGMOID_TABLE_SIZE) - MAX_SIGMOID);
      sigmoidTable[i] = 1 / (1 + expf(-x));
    }
  }
  return sigmoidTable;
}

/** fastText `Loss::sigmoid`: the table entry below `x`, 0 under -8, 1 over 8. */
function tableSigmoid(x: number): number {
  if (x < -MAX_SIGMOID) return 0;
  if (x > MAX_SIGMOID) return 1;
  return sigmoidEntries()[Math.trunc(f32(f32(f32(f32(x + MAX_SIGMOID) * SIGMOID_TABLE_SIZE) / MAX_SIGMOID) / 2))];
}

/** fastText `OneVsAllLoss` / `NegativeSamplingLoss`: an independent sigmoid per label. */
class SigmoidLayer extends VectorOutputLayer {
  protected computeOutput(hidden: Float32Array): void {
    const out = this.output;
    for (let i = 0; i < out.length; i++) out[i] = tableSigmoid(this.matrix.dotRow(hidden, i));
  }
}

/**
 * fastText `HierarchicalSoftmaxLoss`: a Huffman tree over the labels by training count; a label's
 * log-probability is the float32 sum of `std_log` of the branch probabilities from the root down.
 */
class HierarchicalSoftmaxLayer implements OutputLayer {
  private readonly osz: number;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly parent: Int32Array;
  private readonly binary: Uint8Array;
  private hidden: Float32Array = new Float32Array(0);
  private heap?: PredictionHeap;
  private k = 0;
  private minScore = 0;

  constructor(
    private readonly matrix: Matrix,
    counts: readonly number[],
  ) {
    const osz = counts.length;
    this.osz = osz;
    const nodes = Math.max(1, 2 * osz - 1);
    this.left = new Int32Array(nodes).fill(-1);
    this.right = new Int32Array(nodes).fill(-1);
    this.parent = new Int32Array(nodes).fill(-1);
    this.binary = new Uint8Array(nodes);
    const count = new Float64Array(nodes).fill(1e15);
    for (let i = 0; i < osz; i++) count[i] = counts[i];
    // fastText `buildTree`: counts are sorted descending, so leaves are taken from the end.
    let leaf = osz - 1;
    let node = osz;
    for (let i = osz; i < 2 * osz - 1; i++) {
      const mini = [0, 0];
      for (let j = 0; j < 2; j++) {
        if (leaf >= 0 && count[leaf] < count[node]) mini[j] = leaf--;
        else mini[j] = node++;
      }
      this.left[i] = mini[0];
      this.right[i] = mini[1];
      count[i] = count[mini[0]] + count[mini[1]];
      this.parent[mini[0]] = i;
      this.parent[mini[1]] = i;
      this.binary[mini[1]] = 1;
    }
  }

  /** fastText's branch probability at an inner node: `1 / (1 + expf(-f))`, divided in double, stored as float. */
  private branch(node: number): number {
    const f = this.matrix.dotRow(this.hidden, node - this.osz);
    return f32(1 / f32(1 + expf(-f)));
  }

  predict(hidden: Float32Array, k: number, threshold: number, heap: PredictionHeap): void {
    this.hidden = hidden;
    this.heap = heap;
    this.k = k;
    this.minScore = stdLog(threshold);
    this.dfs(2 * this.osz - 2, 0);
    heap.sort();
  }

  /** fastText `HierarchicalSoftmaxLoss::dfs`, with its pruning, left branch first. */
  private dfs(node: number, score: number): void {
    const heap = this.heap!;
    if (score < this.minScore) return;
    if (heap.size === this.k && score < heap.front) return;
    if (this.left[node] === -1 && this.right[node] === -1) {
      heap.push(score, node);
      if (heap.size > this.k) heap.pop();
      return;
    }
    const f = this.branch(node);
    this.dfs(this.left[node], f32(score + stdLog(f32(1 - f))));
    this.dfs(this.right[node], f32(score + stdLog(f)));
  }

  logProbability(hidden: Float32Array, label: number): number {
    this.hidden = hidden;
    const path: number[] = [];
    for (let n = label; this.parent[n] !== -1; n = this.parent[n]) path.push(n);
    let score = 0;
    for (let i = path.length - 1; i >= 0; i--) {
      const f = this.branch(this.parent[path[i]]);
      score = f32(score + stdLog(this.binary[path[i]] === 1 ? f : f32(1 - f)));
    }
    return score;
  }
}
