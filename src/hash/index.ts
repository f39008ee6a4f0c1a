/** Hashing kernels (MinHash, DSIR features, content hashes) and their `TextView` helpers. */

export { BACKENDS, KERNELS, SHINGLE_WORDS } from './types.js';
export type {
  BackendCapabilities,
  BackendName,
  ByteBatch,
  DsirOptions,
  HashBackend,
  KernelName,
  KernelOptions,
  MinhashBatch,
  MinhashSignatures,
  SparseCounts,
  TokenBatch,
  Utf16Batch,
  XxhashOptions,
} from './types.js';
export { MINHASH_BANDS, SIGNATURE_BYTES, docBands, signaturesBigEndian, utf16BatchToUtf8 } from './minhash.js';
export type { MinhashBandSpec, MinhashColumn, MinhashDocBands } from './minhash.js';
export { NUM_PERMUTATIONS, PERMUTATION_A, PERMUTATION_B, PERMUTATION_CHECKSUM } from './permutations.js';
export { DSIR_BUCKETS, MAX_DSIR_BUCKETS } from './dsir.js';
export {
  MAX_BATCH_BYTES,
  bandsOf,
  minhashBands,
  minhashBandsAsync,
  minhashBatch,
  minhashBatchUtf16,
  minhashSignatures,
  minhashSignaturesAsync,
} from './minhash-bands.js';
export type { HashViewsOptions } from './minhash-bands.js';
export { dsirBatch, dsirFeatures, dsirFeaturesAsync, featuresOf } from './dsir-features.js';
export type { DsirFeature } from './dsir-features.js';
export { contentHashes, idInts, utf8Batch } from './content-hashes.js';
export { createJsBackend } from './js-backend.js';
