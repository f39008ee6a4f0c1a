// The addon's JavaScript functions. Each checks its arguments (errors name the argument), then runs
// its kernel either now or as async work off the JS thread, resolving a promise. Kernels never
// touch JavaScript values: inputs are raw pointers into typed arrays that the job keeps referenced
// until it settles, and outputs are typed arrays allocated before the work starts.
#pragma once

#include <napi.h>

namespace sieve::bindings {

// sha1(bytes: Uint8Array, offsets: Uint32Array, threads: number, async: boolean): Uint8Array
Napi::Value Sha1(const Napi::CallbackInfo& info);

// minhash(bytes, offsets, threads, async, cuda: boolean): { signatures: Uint32Array, shingles: Uint32Array }
Napi::Value Minhash(const Napi::CallbackInfo& info);

// minhash16(units: Uint16Array, offsets, threads, async, cuda): the same from UTF-16 code units.
Napi::Value Minhash16(const Napi::CallbackInfo& info);

// dsir(units: Uint16Array, unitOffsets, spans, tokenOffsets: Uint32Array, buckets, threads, async):
//   { docOffsets, buckets, counts: Uint32Array }
Napi::Value Dsir(const Napi::CallbackInfo& info);

// xxhash64(bytes, offsets, seedHi, seedLo, threads, async): BigUint64Array
Napi::Value Xxhash64(const Napi::CallbackInfo& info);

// repetition(ids, counts, lengths: Uint32Array, out: Float64Array): writes the 10 sums of
//   repetition::sums into out, synchronously (one document: a thread hop would cost more).
Napi::Value Repetition(const Napi::CallbackInfo& info);

// info(): { features: string[], paths: { sha1, minhash }, compiler, cudaAbi }
Napi::Value Info(const Napi::CallbackInfo& info);

// allowIsa(names: string[]): restricts the SIMD paths to these CPU features (tests).
Napi::Value AllowIsa(const Napi::CallbackInfo& info);

// permutations(): BigUint64Array of the 128 multipliers then the 128 offsets.
Napi::Value Permutations(const Napi::CallbackInfo& info);

// cudaLoad(libraryPath: string): { available, reason, device, devices }
Napi::Value CudaLoad(const Napi::CallbackInfo& info);

// scanText(text: string, unitBoth, expansionAt, expansionInfo: Uint32Array, expansionUnits: Uint16Array,
//          astralBlock, astralRecords, spans: Uint32Array, flags: Uint8Array, lines, wordStarts,
//          result: Uint32Array): the normalized text, or a status number (see src/text/scan.ts).
// Synchronous: it runs per document, on the calling thread, in place of the JS scan.
Napi::Value ScanText(const Napi::CallbackInfo& info);

// vocabulary(text: string, wordStarts: Uint32Array, surrogates: boolean, ids, firstStarts, unitLengths,
//            counts, lengths: Uint32Array): the number of distinct words (see src/text/text-view.ts).
// Synchronous, like scanText.
Napi::Value Vocabulary(const Napi::CallbackInfo& info);

// utf8String(bytes: Uint8Array, start, end): the string of bytes[start, end), which must be valid
// UTF-8 (the reader checks with isUtf8 first); null where it is not after all.
Napi::Value Utf8String(const Napi::CallbackInfo& info);

// decodeRuns(data: Uint8Array, from, to, width, count, out: Uint32Array): 0 or a status (parquet/runs.hpp)
// gatherRuns(data, from, to, width, count, dictionary: Float64Array, out: Float64Array): 0 or a status
// runZeros(data, from, to, width, count, offsets: Int32Array, row, base): the new row or a status
// Parquet's run-length hybrid encoding; synchronous, a call per page (see src/io/parquet-runs.ts).
Napi::Value DecodeRuns(const Napi::CallbackInfo& info);
Napi::Value GatherRuns(const Napi::CallbackInfo& info);
Napi::Value RunZeros(const Napi::CallbackInfo& info);

}  // namespace sieve::bindings
