#include "dsir.hpp"

#include <algorithm>


#include "../common/parallel.hpp"
#include "../pyhash/pyhash.hpp"

namespace sieve::dsir {

SparseCounts bucket_counts(const Batch& batch, uint32_t buckets, unsigned threads) {
  const std::vector<size_t> bounds =
      parallel::chunk_bounds(batch.unit_offsets, batch.docs, parallel::chunks_for(threads, batch.docs));
  const size_t chunks = bounds.size() - 1;
  // Each chunk fills its own lists; they are joined in document order at the end.
  std::vector<SparseCounts> parts(chunks);
  // Per thread: counts per bucket, and a bitmap of the buckets a document touched (reading the
  // bitmap in order lists them ascending without sorting). Both are all zero between documents, so
  // the calling thread keeps its pair between calls (one document at a time pays no 40 KB clear);
  // helper threads, which live for one call, get their own.
  struct Scratch {
    std::vector<uint32_t> dense;
    std::vector<uint64_t> touched;
  };
  thread_local Scratch caller;
  std::vector<Scratch> helpers(threads > 1 ? threads - 1 : 0);
  constexpr uint32_t kKeepBuckets = 1u << 20;  // larger tables are not kept between calls
  if (caller.dense.size() != buckets) {
    caller.dense.assign(buckets, 0);
    caller.touched.assign((buckets + 63) / 64, 0);
  }
  auto count_chunk = [&](size_t worker, size_t c, size_t begin, size_t end) {
    SparseCounts& part = parts[c];
    Scratch& mine = worker == 0 ? caller : helpers[worker - 1];
    std::vector<uint32_t>& dense = mine.dense;
    std::vector<uint64_t>& touched = mine.touched;
    if (dense.empty()) {
      dense.assign(buckets, 0);
      touched.assign((buckets + 63) / 64, 0);
    }
    part.doc_offsets.reserve(end - begin);
    for (size_t d = begin; d < end; d++) {
      const uint16_t* doc = batch.units + batch.unit_offsets[d];
      int64_t prev = 0;
      for (uint32_t t = batch.token_offsets[d]; t < batch.token_offsets[d + 1]; t++) {
        const uint32_t s = batch.spans[2 * static_cast<size_t>(t)];
        const uint32_t e = batch.spans[2 * static_cast<size_t>(t) + 1];
        const int64_t h = pyhash::str_hash(doc + s, e - s);
        uint32_t b = pyhash::abs_mod(h, buckets);
        dense[b]++;
        touched[b >> 6] |= uint64_t{1} << (b & 63);
        if (t > batch.token_offsets[d]) {
          b = pyhash::abs_mod(pyhash::pair_hash(prev, h), buckets);
          dense[b]++;
          touched[b >> 6] |= uint64_t{1} << (b & 63);
        }
        prev = h;
      }
      for (size_t word = 0; word < touched.size(); word++) {
        uint64_t bits = touched[word];
        while (bits != 0) {
          const uint32_t b = static_cast<uint32_t>(64 * word + static_cast<size_t>(__builtin_ctzll(bits)));
          part.buckets.push_back(b);
          part.counts.push_back(dense[b]);
          dense[b] = 0;
          bits &= bits - 1;
        }
        touched[word] = 0;
      }
      part.doc_offsets.push_back(static_cast<uint32_t>(part.buckets.size()));
    }
  };
  try {
    parallel::run_chunks(bounds, threads, count_chunk);
  } catch (...) {
    // A document may have been left half counted: the kept table must start clean next time.
    caller.dense = std::vector<uint32_t>();
    caller.touched = std::vector<uint64_t>();
    throw;
  }
  if (buckets > kKeepBuckets) {
    caller.dense = std::vector<uint32_t>();
    caller.touched = std::vector<uint64_t>();
  }
  SparseCounts out;
  out.doc_offsets.reserve(batch.docs + 1);
  out.doc_offsets.push_back(0);
  size_t total = 0;
  for (const SparseCounts& part : parts) total += part.buckets.size();
  out.buckets.reserve(total);
  out.counts.reserve(total);
  for (const SparseCounts& part : parts) {
    const uint32_t base = static_cast<uint32_t>(out.buckets.size());
    for (const uint32_t o : part.doc_offsets) out.doc_offsets.push_back(base + o);
    out.buckets.insert(out.buckets.end(), part.buckets.begin(), part.buckets.end());
    out.counts.insert(out.counts.end(), part.counts.begin(), part.counts.end());
  }
  return out;
}

}  // namespace sieve::dsir
