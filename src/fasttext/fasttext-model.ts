import { SieveError } from '../errors.js';
import { Dictionary, IntList, LABEL_PREFIX } from './dictionary.js';
import { expf } from './expf.js';
import { loadModelData } from './load-model-data.js';
import { createMatrix, type Matrix } from './matrix.js';
import type { FastTextArgs, FastTextModelData } from './model-data.js';
import { createOutputLayer, type OutputLayer } from './output-layer.js';
import { PredictionHeap } from './prediction-heap.js';

/** One predicted label and the probability fastText reports for it (a float32, as a number). */
export interface Prediction {
  /** The label as the model writes it, e.g. `__label__en`. */
  readonly label: string;
  readonly probability: number;
}

const f32 = Math.fround;

/**
 * A supervised fastText model (`.bin` or quantized `.ftz`) predicting in process, with fastText
 * 0.9's float32 arithmetic so probabilities equal the ones fastText itself reports. Loading puts
 * the model in shared memory: {@link FastTextModel.data} crosses to worker threads without a copy,
 * and {@link FastTextModel.fromData} wraps it there. One instance is not re-entrant (it reuses
 * its buffers); use one per thread.
 *
 * @example
 * const lid = await FastTextModel.load('lid.176.ftz');
 * lid.predict('Bonjour tout le monde', 2); // [{ label: '__label__fr', probability: 0.97… }, …]
 */
export class FastTextModel {
  readonly dictionary: Dictionary;
  private readonly input: Matrix;
  private readonly output: OutputLayer;
  private readonly hidden: Float32Array;
  private readonly ids = new IntList();
  private readonly heap = new PredictionHeap();
  private readonly encoder = new TextEncoder();
  private utf8 = new Uint8Array(1 << 16);

  private constructor(readonly data: FastTextModelData) {
    this.dictionary = new Dictionary(data.dictionary, data.args);
    this.input = createMatrix(data.input);
    this.output = createOutputLayer(data.args.loss, createMatrix(data.output), data.dictionary.labelCounts);
    this.hidden = new Float32Array(data.args.dim);
  }

  /** Reads a model file (streamed, any size) into shared memory. */
  static async load(path: string): Promise<FastTextModel> {
    return new FastTextModel(await loadModelData(path));
  }

  /** Wraps model data loaded elsewhere (e.g. by the main thread), sharing its memory. */
  static fromData(data: FastTextModelData): FastTextModel {
    return new FastTextModel(data);
  }

  get args(): FastTextArgs {
    return this.data.args;
  }

  /** The labels in the model's order (most frequent in training first), with their prefix. */
  get labels(): readonly string[] {
    return this.dictionary.labels;
  }

  /**
   * fastText's `predict(text, k, threshold)` as the Python binding runs it: the text plus `\n`,
   * split on ASCII whitespace; fastText reads one line, so a text with a `\n` is predicted on its
   * first line only (the binding refuses such text; callers remove newlines first). At most `k`
   * labels (all with `k = -1`) with probability ≥ `threshold`, best first; none when no token of
   * the text has a row in the model.
   */
  predict(text: string, k = 1, threshold = 0): Prediction[] {
    if (k === -1) k = this.dictionary.nlabels;
    if (!Number.isInteger(k) || k <= 0) throw new SieveError('E_USAGE', `fastText predict: k must be a positive integer or -1, not ${k}`);
    if (!this.computeHidden(text) || this.dictionary.nlabels === 0) return [];
    const heap = this.heap;
    heap.clear();
    this.output.predict(this.hidden, k, f32(threshold), heap);
    const out: Prediction[] = new Array(heap.size);
    for (let i = 0; i < heap.size; i++) out[i] = { label: this.dictionary.label(heap.ids[i]), probability: expf(heap.scores[i]) };
    return out;
  }

  /**
   * The probability fastText reports for one label (its index in {@link labels}) whether or not
   * it is among the top k; null when no token of the text has a row in the model.
   */
  probability(text: string, label: number): number | null {
    if (!this.computeHidden(text)) return null;
    return expf(this.output.logProbability(this.hidden, label));
  }

  /** The index of a label, given with or without the `__label__` prefix; -1 if the model has none such. */
  labelIndex(label: string): number {
    const labels = this.dictionary.labels;
    const exact = labels.indexOf(label);
    return exact !== -1 ? exact : labels.indexOf(LABEL_PREFIX + label);
  }

  /** fastText `computeHidden`: the float32 mean of the input rows of the line; false when it has none. */
  private computeHidden(text: string): boolean {
    if (this.utf8.length < 3 * text.length) this.utf8 = new Uint8Array(3 * text.length + 1024);
    const { written } = this.encoder.encodeInto(text, this.utf8);
    const ids = this.ids;
    ids.length = 0;
    this.dictionary.lineIds(this.utf8, written, ids);
    const hidden = this.hidden;
    hidden.fill(0);
    if (ids.length === 0) return false;
    for (let i = 0; i < ids.length; i++) this.input.addRowTo(hidden, ids.values[i]);
    // fastText scales by 1/n rounded to float, not divides by n.
    const scale = f32(1 / ids.length);
    for (let j = 0; j < hidden.length; j++) hidden[j] *= scale;
    return true;
  }
}
