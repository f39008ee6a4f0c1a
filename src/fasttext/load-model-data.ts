import { endianness } from 'node:os';
import { SieveError } from '../errors.js';
import { fastTextHash, intTableSet, tableSize } from './dictionary.js';
import {
  LOSS_NAMES,
  MODEL_NAMES,
  type DenseMatrixData,
  type DictionaryData,
  type FastTextArgs,
  type FastTextModelData,
  type IntTableData,
  type ProductQuantizerData,
  type QuantMatrixData,
} from './model-data.js';
import { ModelReader } from './model-reader.js';

const MAGIC = 793712314;
const VERSION = 12;
/** Rows of a dense matrix go into shared buffers of at most 1 GiB each. */
const CHUNK_BYTES = 2 ** 30;
const KSUB = 256;

/**
 * Reads a supervised fastText model (`.bin`, or `.ftz` quantized) into shared memory, streaming
 * the file, so models larger than any single buffer load and worker threads share one copy.
 */
export async function loadModelData(path: string): Promise<FastTextModelData> {
  if (endianness() !== 'LE') throw new SieveError('E_USAGE', 'fastText models are read as little-endian; this machine is big-endian');
  const r = await ModelReader.open(path);
  try {
    await r.need(8);
    if (r.int32() !== MAGIC) throw r.fail('not a fastText model (wrong magic number)');
    const version = r.int32();
    if (version > VERSION) throw r.fail(`model format version ${version} is newer than 12`);
    const args = await readArgs(r, version);
    if (args.model !== 'sup') {
      throw new SieveError('E_USAGE', `fastText model ${path} is an unsupervised (${args.model}) model: only supervised classifiers predict labels`, { location: { file: path } });
    }
    const dictionary = await readDictionary(r);
    await r.need(1);
    const quantInput = r.int8() !== 0;
    if (!quantInput && dictionary.pruneSize >= 0) throw r.fail('pruned dictionary without a quantized input matrix');
    const input = quantInput ? await readQuantMatrix(r) : await readDenseMatrix(r);
    await r.need(1);
    const output = r.int8() !== 0 ? await readQuantMatrix(r) : await readDenseMatrix(r);
    if (r.offset !== r.size) throw r.fail(`${r.size - r.offset} unexpected bytes after the output matrix`);
    const hashedRows = dictionary.pruneSize >= 0 ? dictionary.pruneSize : args.bucket;
    if (input.cols !== args.dim || output.cols !== args.dim) throw r.fail(`matrix width ${input.cols}/${output.cols} differs from dim ${args.dim}`);
    if (input.rows < dictionary.nwords + hashedRows) throw r.fail(`input matrix has ${input.rows} rows for ${dictionary.nwords} words and ${hashedRows} buckets`);
    if (output.rows !== dictionary.nlabels) throw r.fail(`output matrix has ${output.rows} rows for ${dictionary.nlabels} labels`);
    return { path, version, args, dictionary, input, output };
  } finally {
    await r.close();
  }
}

async function readArgs(r: ModelReader, version: number): Promise<FastTextArgs> {
  await r.need(12 * 4 + 8);
  const [dim, ws, epoch, minCount, neg, wordNgrams, lossCode, modelCode, bucket, minn, maxnStored, lrUpdateRate] = Array.from({ length: 12 }, () => r.int32());
  const t = r.float64();
  const loss = LOSS_NAMES[lossCode - 1];
  const model = MODEL_NAMES[modelCode - 1];
  if (loss === undefined) throw r.fail(`unknown loss code ${lossCode}`);
  if (model === undefined) throw r.fail(`unknown model code ${modelCode}`);
  if (dim <= 0 || bucket < 0) throw r.fail(`dim ${dim}, bucket ${bucket}`);
  // fastText: supervised models of format 11 were trained without character n-grams.
  const maxn = version === 11 && model === 'sup' ? 0 : maxnStored;
  return { dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket, minn, maxn, lrUpdateRate, t };
}

async function readDictionary(r: ModelReader): Promise<DictionaryData> {
  await r.need(28);
  const size = r.int32();
  const nwords = r.int32();
  const nlabels = r.int32();
  r.int64(); // ntokens
  const pruneSize = r.int64();
  if (size < 0 || nwords < 0 || nlabels < 0 || size !== nwords + nlabels) throw r.fail(`dictionary sizes ${size} ≠ ${nwords} words + ${nlabels} labels`);
  const starts = new Int32Array(new SharedArrayBuffer(4 * (size + 1)));
  const types = new Uint8Array(new SharedArrayBuffer(size));
  const hashes = new Int32Array(new SharedArrayBuffer(4 * size));
  const labelCounts: number[] = [];
  let bytes = new Uint8Array(1 << 16);
  let used = 0;
  for (let i = 0; i < size; i++) {
    // Sync fast paths: an await per entry would dominate the load of a large vocabulary.
    const word = r.tryCstring() ?? (await r.cstring());
    if (used + word.length > bytes.length) {
      if (used + word.length > 2 ** 31 - 1) throw r.fail('dictionary larger than 2 GiB');
      const grown = new Uint8Array(Math.min(2 ** 31 - 1, Math.max(2 * bytes.length, used + word.length)));
      grown.set(bytes.subarray(0, used));
      bytes = grown;
    }
    bytes.set(word, used);
    starts[i] = used;
    hashes[i] = fastTextHash(word, 0, word.length);
    used += word.length;
    if (!r.has(9)) await r.need(9);
    const count = r.int64();
    const type = r.int8();
    if (type !== 0 && type !== 1) throw r.fail(`entry ${i} has type ${type}`);
    types[i] = type;
    if (type === 1) labelCounts.push(count);
  }
  starts[size] = used;
  if (labelCounts.length !== nlabels) throw r.fail(`${labelCounts.length} label entries for ${nlabels} labels`);
  const shared = new Uint8Array(new SharedArrayBuffer(used));
  shared.set(bytes.subarray(0, used));
  let prune: IntTableData | undefined;
  if (pruneSize > 0) {
    const capacity = tableSize(pruneSize);
    prune = { keys: new Int32Array(new SharedArrayBuffer(4 * capacity)).fill(-1), values: new Int32Array(new SharedArrayBuffer(4 * capacity)) };
    for (let i = 0; i < pruneSize; i++) {
      if (!r.has(8)) await r.need(8);
      const from = r.int32();
      const to = r.int32();
      if (from < 0) throw r.fail(`negative pruned bucket ${from}`);
      intTableSet(prune, from, to);
    }
  }
  return { size, nwords, nlabels, bytes: shared, starts, types, hashes, table: wordTable(shared, starts, hashes, size), labelCounts, pruneSize, prune };
}

/** The word → id hash table; a repeated entry maps to its last occurrence, as in fastText. */
function wordTable(bytes: Uint8Array, starts: Int32Array, hashes: Int32Array, size: number): Int32Array {
  const table = new Int32Array(new SharedArrayBuffer(4 * tableSize(size))).fill(-1);
  const mask = table.length - 1;
  for (let id = 0; id < size; id++) {
    let slot = hashes[id] & mask;
    for (;;) {
      const other = table[slot];
      if (other === -1 || (hashes[other] === hashes[id] && sameBytes(bytes, starts, other, id))) break;
      slot = (slot + 1) & mask;
    }
    table[slot] = id;
  }
  return table;
}

function sameBytes(bytes: Uint8Array, starts: Int32Array, a: number, b: number): boolean {
  const len = starts[a + 1] - starts[a];
  if (starts[b + 1] - starts[b] !== len) return false;
  for (let k = 0; k < len; k++) if (bytes[starts[a] + k] !== bytes[starts[b] + k]) return false;
  return true;
}

async function readDenseMatrix(r: ModelReader): Promise<DenseMatrixData> {
  await r.need(16);
  const rows = r.int64();
  const cols = r.int64();
  if (rows < 0 || cols <= 0 || cols * 4 > CHUNK_BYTES) throw r.fail(`dense matrix ${rows} × ${cols}`);
  if (r.offset + rows * cols * 4 > r.size) throw r.fail(`dense matrix ${rows} × ${cols} longer than the file`);
  // A power of two, so a row's chunk is a shift away.
  const rowsPerChunk = 2 ** Math.floor(Math.log2(CHUNK_BYTES / (cols * 4)));
  const chunks: Float32Array[] = [];
  for (let first = 0; first < rows; first += rowsPerChunk) {
    const chunk = new Float32Array(new SharedArrayBuffer(4 * cols * Math.min(rowsPerChunk, rows - first)));
    await r.readInto(new Uint8Array(chunk.buffer));
    chunks.push(chunk);
  }
  return { kind: 'dense', rows, cols, rowsPerChunk, chunks };
}

async function readQuantizer(r: ModelReader): Promise<ProductQuantizerData> {
  await r.need(16);
  const dim = r.int32();
  const nsubq = r.int32();
  const dsub = r.int32();
  const lastdsub = r.int32();
  if (dim <= 0 || nsubq <= 0 || dsub <= 0 || lastdsub <= 0 || (nsubq - 1) * dsub + lastdsub !== dim) throw r.fail(`product quantizer dim ${dim}, ${nsubq} × ${dsub} (last ${lastdsub})`);
  const centroids = new Float32Array(new SharedArrayBuffer(4 * dim * KSUB));
  await r.readInto(new Uint8Array(centroids.buffer));
  return { dim, nsubq, dsub, lastdsub, centroids };
}

async function readQuantMatrix(r: ModelReader): Promise<QuantMatrixData> {
  await r.need(21);
  const qnorm = r.int8() !== 0;
  const rows = r.int64();
  const cols = r.int64();
  const codeSize = r.int32();
  if (rows < 0 || cols <= 0 || codeSize < 0) throw r.fail(`quantized matrix ${rows} × ${cols}, ${codeSize} codes`);
  const codes = new Uint8Array(new SharedArrayBuffer(codeSize));
  await r.readInto(codes);
  const pq = await readQuantizer(r);
  if (pq.dim !== cols || codeSize !== rows * pq.nsubq) throw r.fail(`quantizer of dim ${pq.dim} with ${codeSize} codes for ${rows} × ${cols}`);
  if (!qnorm) return { kind: 'quant', rows, cols, codes, pq };
  const normCodes = new Uint8Array(new SharedArrayBuffer(rows));
  await r.readInto(normCodes);
  const normPq = await readQuantizer(r);
  if (normPq.dim !== 1) throw r.fail(`norm quantizer of dim ${normPq.dim}`);
  return { kind: 'quant', rows, cols, codes, pq, normCodes, normPq };
}

