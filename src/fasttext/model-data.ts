/**
 * A loaded fastText model as plain data: numbers, strings and typed arrays over SharedArrayBuffers.
 * It crosses to worker threads by structured clone, which shares the buffers instead of copying
 * them, so every worker reads the one copy the main thread loaded.
 */

/** fastText's `loss_name` enum, in file order (codes 1..4). */
export const LOSS_NAMES = ['hs', 'ns', 'softmax', 'ova'] as const;
/** A loss: hierarchical softmax, negative sampling, softmax or one-vs-all. */
export type LossName = (typeof LOSS_NAMES)[number];

/** fastText's `model_name` enum, in file order (codes 1..3). */
export const MODEL_NAMES = ['cbow', 'sg', 'sup'] as const;
/** A model kind: word vectors (cbow, skipgram) or a supervised classifier. */
export type ModelName = (typeof MODEL_NAMES)[number];

/** The training arguments a model file stores (fastText `Args::save`), as inference needs them. */
export interface FastTextArgs {
  readonly dim: number;
  readonly ws: number;
  readonly epoch: number;
  readonly minCount: number;
  readonly neg: number;
  readonly wordNgrams: number;
  readonly loss: LossName;
  readonly model: ModelName;
  readonly bucket: number;
  readonly minn: number;
  readonly maxn: number;
  readonly lrUpdateRate: number;
  readonly t: number;
}

/** An open-addressing hash table over 32-bit keys: `keys[slot]` or -1, `values[slot]`; `mask = keys.length - 1`. */
export interface IntTableData {
  readonly keys: Int32Array;
  readonly values: Int32Array;
}

/**
 * The vocabulary: words first, then labels (fastText sorts them so), each as UTF-8 bytes, with a
 * hash table from fastText's FNV-1a hash of the bytes to the entry id.
 */
export interface DictionaryData {
  readonly size: number;
  readonly nwords: number;
  readonly nlabels: number;
  /** Entry `i` is `bytes[starts[i]..starts[i + 1])`. */
  readonly bytes: Uint8Array;
  readonly starts: Int32Array;
  /** 0 = word, 1 = label, per entry. */
  readonly types: Uint8Array;
  /** fastText's hash of each entry (as int32). */
  readonly hashes: Int32Array;
  /** Slots hold entry ids or -1; the slot of a hash `h` is `h & (table.length - 1)`, probing linearly. */
  readonly table: Int32Array;
  /** Training counts of the labels, in label order (hierarchical softmax builds its tree from them). */
  readonly labelCounts: readonly number[];
  /** -1 when the model was not pruned; else how many hashed rows (subwords, word n-grams) were kept. */
  readonly pruneSize: number;
  /** Pruned models: the row a kept hash bucket moved to. */
  readonly prune?: IntTableData;
}

/** A dense float32 matrix, split into row chunks so no single buffer has to hold a model's rows. */
export interface DenseMatrixData {
  readonly kind: 'dense';
  readonly rows: number;
  readonly cols: number;
  /** A power of two. */
  readonly rowsPerChunk: number;
  readonly chunks: readonly Float32Array[];
}

/** fastText's product quantizer: `nsubq` sub-vectors of `dsub` floats (the last `lastdsub`), 256 centroids each. */
export interface ProductQuantizerData {
  readonly dim: number;
  readonly nsubq: number;
  readonly dsub: number;
  readonly lastdsub: number;
  readonly centroids: Float32Array;
}

/** A product-quantized matrix (`.ftz`): one byte code per sub-vector per row, and optionally a quantized norm per row. */
export interface QuantMatrixData {
  readonly kind: 'quant';
  readonly rows: number;
  readonly cols: number;
  readonly codes: Uint8Array;
  readonly pq: ProductQuantizerData;
  readonly normCodes?: Uint8Array;
  readonly normPq?: ProductQuantizerData;
}

/** An input or output matrix, dense or product-quantized. */
export type MatrixData = DenseMatrixData | QuantMatrixData;

/** A whole fastText model as read from its file: arguments, dictionary, input and output matrices. */
export interface FastTextModelData {
  /** The file it was loaded from, for messages. */
  readonly path: string;
  readonly version: number;
  readonly args: FastTextArgs;
  readonly dictionary: DictionaryData;
  readonly input: MatrixData;
  readonly output: MatrixData;
}
