/**
 * The hashing kernels' contract: batch shapes in typed arrays and the backend interface that the
 * `js`, `cpu` and `cuda` backends implement with bit-identical results.
 *
 * Every kernel takes many documents at once. Strings travel as one flat buffer plus offsets, never
 * one JS string per item, so a native backend reads them without conversion and can split the
 * batch over threads.
 */

/** The backends, in the order the loader prefers them (best first is `cuda`, see `src/native.ts`). */
export const BACKENDS = ['js', 'cpu', 'cuda'] as const;
/** A hashing backend: `js` (pure TypeScript), `cpu` (C++ addon), `cuda` (GPU kernels). */
export type BackendName = (typeof BACKENDS)[number];

/** The kernels every backend provides. */
export const KERNELS = ['sha1', 'minhash', 'dsir', 'xxhash64'] as const;
/** One of {@link KERNELS}. */
export type KernelName = (typeof KERNELS)[number];

/**
 * Many byte strings in one buffer: item k is `bytes[offsets[k], offsets[k + 1])`, so `offsets`
 * has one entry more than there are items and is non-decreasing.
 */
export interface ByteBatch {
  readonly bytes: Uint8Array;
  readonly offsets: Uint32Array;
}

/**
 * MinHash input: item k is document k's normalized words (spec §2.2) in UTF-8, joined by single
 * 0x20 bytes, which is `TextView.normalized` encoded as UTF-8. The kernel splits each document at
 * every 0x20 byte (an empty document has no words); shingle j is then the byte range from the first
 * byte of word j to the last byte of word j + 12, exactly the UTF-8 of the 13 words joined by one
 * space (spec §6 step 3), with no string built.
 */
export type MinhashBatch = ByteBatch;

/**
 * The MinHash input as UTF-16 code units, a JS string's own form (copying a string out as UTF-16 is
 * several times cheaper than encoding it as UTF-8 on the JS thread): item k is
 * `units[offsets[k], offsets[k + 1])`, document k's normalized words joined by single spaces. The
 * kernels encode it to UTF-8 as `TextEncoder` does (a lone surrogate becomes U+FFFD) and then work
 * exactly as on a `MinhashBatch`.
 */
export interface Utf16Batch {
  readonly units: Uint16Array;
  readonly offsets: Uint32Array;
}

/** Words per MinHash shingle (RPv2 `MINHASH_NGRAM_SIZE`). */
export const SHINGLE_WORDS = 13;

/** MinHash signatures of a batch (spec §6). */
export interface MinhashSignatures {
  /** Number of documents. */
  readonly docs: number;
  /**
   * `docs × 128` uint32, document-major: document k's signature is
   * `signatures.subarray(128 k, 128 k + 128)`; every value is 2^32 − 1 when the document has no shingle.
   */
  readonly signatures: Uint32Array;
  /**
   * Per document, the number of 13-word windows (words − 12, or 0), duplicates included. The
   * reference's signature is null exactly when this is 0 (fewer than 13 normalized words).
   */
  readonly shingles: Uint32Array;
}

/**
 * DSIR input (spec §8.1): documents as UTF-16 code units (a JS string's own form, so Python's
 * per-string PEP 393 width can be told without decoding), and their tokens as spans.
 *
 * - document k's text is `units[unitOffsets[k], unitOffsets[k + 1])`;
 * - its tokens are t = `tokenOffsets[k]` … `tokenOffsets[k + 1] − 1`, and token t is the units
 *   `[spans[2t], spans[2t + 1])` counted from the start of its document (`TextView.rawWordSpans.spans`
 *   as they are).
 */
export interface TokenBatch {
  readonly units: Uint16Array;
  readonly unitOffsets: Uint32Array;
  readonly spans: Uint32Array;
  readonly tokenOffsets: Uint32Array;
}

/**
 * Sparse per-document counts: document k's non-zero buckets are
 * `buckets[docOffsets[k], docOffsets[k + 1])`, ascending, with their counts at the same positions
 * of `counts` (the reference's `nonzero` list).
 */
export interface SparseCounts {
  readonly docOffsets: Uint32Array;
  readonly buckets: Uint32Array;
  readonly counts: Uint32Array;
}

/** Options every kernel accepts. */
export interface KernelOptions {
  /**
   * Threads to split the batch over (native backends; `js` always uses the calling thread).
   * @default 1 for the `…Sync` calls; `os.availableParallelism()` for the async calls
   */
  readonly threads?: number;
}

/** Options of `dsirBuckets`. */
export interface DsirOptions extends KernelOptions {
  /**
   * Number of hash buckets (RPv2 `DSIR_FEATURE_DIM`), 1 … 2^24.
   * @default 10000
   */
  readonly buckets?: number;
}

/** Options of `xxhash64`. */
export interface XxhashOptions extends KernelOptions {
  /**
   * XXH64 seed, an unsigned 64-bit integer.
   * @default 0n
   */
  readonly seed?: bigint;
}

/** What one backend can do, for diagnostics (`backendInfo()`, `sieve doctor`). */
export interface BackendCapabilities {
  /** The backend that actually runs each kernel (`cuda` runs MinHash; the rest runs on `cpu`). */
  readonly kernels: Readonly<Record<KernelName, BackendName>>;
  /** Whether the async calls run off the JS thread. */
  readonly offThread: boolean;
  /** Whether `threads` > 1 splits a batch over threads. */
  readonly multiThreaded: boolean;
  /** Instruction-set paths in use, e.g. `sha1: sha-ni`, `minhash: avx512`. */
  readonly paths: Readonly<Record<string, string>>;
}

/**
 * One hashing backend. The `…Sync` calls run on the calling thread (native ones may still use
 * `threads` helper threads); the async calls run native work off the JS thread. All backends
 * return the same bits for the same input.
 */
export interface HashBackend {
  readonly name: BackendName;
  readonly capabilities: BackendCapabilities;
  /** SHA-1 of every item: `items × 20` digest bytes. */
  sha1Sync(batch: ByteBatch, options?: KernelOptions): Uint8Array;
  sha1(batch: ByteBatch, options?: KernelOptions): Promise<Uint8Array>;
  /** RPv2 MinHash signatures (spec §6) of every document. */
  minhashSignaturesSync(batch: MinhashBatch, options?: KernelOptions): MinhashSignatures;
  minhashSignatures(batch: MinhashBatch, options?: KernelOptions): Promise<MinhashSignatures>;
  /** The same signatures from UTF-16 input (see `Utf16Batch`). */
  minhashSignaturesUtf16Sync(batch: Utf16Batch, options?: KernelOptions): MinhashSignatures;
  minhashSignaturesUtf16(batch: Utf16Batch, options?: KernelOptions): Promise<MinhashSignatures>;
  /** RPv2 DSIR hashed unigram + bigram counts (spec §8.1) of every document. */
  dsirBucketsSync(batch: TokenBatch, options?: DsirOptions): SparseCounts;
  dsirBuckets(batch: TokenBatch, options?: DsirOptions): Promise<SparseCounts>;
  /** XXH64 of every item. */
  xxhash64Sync(batch: ByteBatch, options?: XxhashOptions): BigUint64Array;
  xxhash64(batch: ByteBatch, options?: XxhashOptions): Promise<BigUint64Array>;
}
