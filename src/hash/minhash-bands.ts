/**
 * MinHash for `TextView`s: packs the documents' normalized text into one batch, runs the chosen
 * backend's kernel and cuts the RPv2 bands (spec §6, §5.3).
 */

import { SieveError } from '../errors.js';
import { getBackend } from '../native.js';
import type { TextView } from '../text/index.js';
import { docBands, signaturesBigEndian } from './minhash.js';
import type { MinhashDocBands } from './minhash.js';
import type { BackendName, HashBackend, KernelOptions, MinhashBatch, MinhashSignatures, Utf16Batch } from './types.js';

/** Options of the `TextView` helpers. */
export interface HashViewsOptions extends KernelOptions {
  /**
   * The backend to run on (a name, or a backend from `getBackend`).
   * @default getBackend(): `SIEVE_BACKEND` or the best available
   */
  readonly backend?: BackendName | HashBackend;
}

export function resolveBackend(backend: BackendName | HashBackend | undefined): HashBackend {
  return typeof backend === 'object' ? backend : getBackend(backend);
}

/**
 * The MinHash batch of some views: each view's `normalized` text in UTF-8 (its normalized words
 * joined by single spaces), one after the other.
 */
export function minhashBatch(views: readonly TextView[]): MinhashBatch {
  return packUtf8(views.map((v) => v.normalized), 'minhashBatch');
}

/** Largest batch the kernels take: offsets are uint32. */
export const MAX_BATCH_BYTES = 0xffffffff;

/** Strings as one UTF-8 batch (`ByteBatch`). */
export function packUtf8(texts: readonly string[], caller: string): MinhashBatch {
  let capacity = 0;
  for (const t of texts) capacity += 3 * t.length;
  if (capacity > MAX_BATCH_BYTES) {
    // Three bytes per UTF-16 unit is the worst case; count exactly before giving up.
    capacity = 0;
    for (const t of texts) capacity += Buffer.byteLength(t, 'utf8');
    if (capacity > MAX_BATCH_BYTES) {
      throw new SieveError('E_USAGE', `[hash] ${caller}: ${capacity} bytes of text do not fit one batch (at most ${MAX_BATCH_BYTES}); split the documents into smaller batches`);
    }
  }
  const buffer = Buffer.allocUnsafe(capacity);
  const offsets = new Uint32Array(texts.length + 1);
  let pos = 0;
  for (let d = 0; d < texts.length; d++) {
    pos += buffer.write(texts[d], pos, 'utf8');
    offsets[d + 1] = pos;
  }
  return { bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, pos), offsets };
}

/**
 * The MinHash batch of some views as UTF-16 (see `Utf16Batch`): each view's `normalized` text,
 * copied out of the string as it is; the kernel encodes it.
 */
export function minhashBatchUtf16(views: readonly TextView[]): Utf16Batch {
  const offsets = new Uint32Array(views.length + 1);
  let total = 0;
  for (let d = 0; d < views.length; d++) {
    total += views[d].normalized.length;
    if (total > MAX_BATCH_BYTES) throw new SieveError('E_USAGE', '[hash] minhashBatchUtf16: the documents do not fit one batch (uint32 offsets); split them');
    offsets[d + 1] = total;
  }
  // Not zero-filled, as every unit is written below; unpooled, so 2-byte aligned for the Uint16Array.
  const bytes = Buffer.allocUnsafeSlow(2 * total);
  // UTF-16LE: the platform order (little-endian on every target).
  for (let d = 0; d < views.length; d++) bytes.write(views[d].normalized, 2 * offsets[d], 'utf16le');
  return { units: new Uint16Array(bytes.buffer, bytes.byteOffset, total), offsets };
}

/** MinHash signatures of the views (see `MinhashSignatures`), on the calling thread. */
export function minhashSignatures(views: readonly TextView[], options: HashViewsOptions = {}): MinhashSignatures {
  return resolveBackend(options.backend).minhashSignaturesUtf16Sync(minhashBatchUtf16(views), options);
}

/** As `minhashSignatures`, with the native work off the JS thread (and over `threads` threads). */
export async function minhashSignaturesAsync(views: readonly TextView[], options: HashViewsOptions = {}): Promise<MinhashSignatures> {
  return resolveBackend(options.backend).minhashSignaturesUtf16(minhashBatchUtf16(views), options);
}

/** Cuts every document's bands out of a batch's signatures; null where it has fewer than 13 words. */
export function bandsOf(result: MinhashSignatures): (MinhashDocBands | null)[] {
  const bigEndian = signaturesBigEndian(result);
  const out: (MinhashDocBands | null)[] = new Array(result.docs);
  for (let d = 0; d < result.docs; d++) out[d] = docBands(result, bigEndian, d);
  return out;
}

/**
 * The RPv2 MinHash bands of each view, exactly as the reference writes them: per threshold
 * (`signature_sim1.0` … `signature_sim0.7`) a list of bands, each band r big-endian uint32 values;
 * null for a document with fewer than 13 normalized words.
 *
 * @example
 * const bands = minhashBands([new TextView(text)]);
 * bands[0]?.['signature_sim0.8'].length; // 9 bands of 52 bytes
 */
export function minhashBands(views: readonly TextView[], options: HashViewsOptions = {}): (MinhashDocBands | null)[] {
  return bandsOf(minhashSignatures(views, options));
}

/** As `minhashBands`, with the native work off the JS thread (and over `threads` threads). */
export async function minhashBandsAsync(views: readonly TextView[], options: HashViewsOptions = {}): Promise<(MinhashDocBands | null)[]> {
  return bandsOf(await minhashSignaturesAsync(views, options));
}
