// RPv2 DSIR hashed features of a batch (spec section 8.1): per document, every token t adds 1 to
// bucket abs(hash(t)) % buckets and every adjacent pair adds 1 to abs(hash((t, u))) % buckets,
// with CPython 3.11's seed-42 hash. Documents are UTF-16 code units; document d is
// units[unit_offsets[d], unit_offsets[d + 1]) and its tokens are t = token_offsets[d] ..
// token_offsets[d + 1] - 1, token t being units [spans[2t], spans[2t + 1]) from the document start.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sieve::dsir {

struct Batch {
  const uint16_t* units;
  const uint32_t* unit_offsets;
  const uint32_t* spans;
  const uint32_t* token_offsets;
  size_t docs;
};

// Sparse counts: document d's non-zero buckets, ascending, are
// buckets[doc_offsets[d], doc_offsets[d + 1]), with their counts alongside.
struct SparseCounts {
  std::vector<uint32_t> doc_offsets;
  std::vector<uint32_t> buckets;
  std::vector<uint32_t> counts;
};

SparseCounts bucket_counts(const Batch& batch, uint32_t buckets, unsigned threads);

}  // namespace sieve::dsir
