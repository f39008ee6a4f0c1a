#include "minhash.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "../common/parallel.hpp"
#include "../sha1/sha1_multi.hpp"
#include "permute.hpp"
#include "permutations.hpp"

namespace sieve::minhash {

namespace {

// Word starts of one document, with a sentinel one past its end: word w is
// [starts[w], starts[w + 1] - 1). Spaces are found 8 bytes at a time: in y = x ^ 0x20..20 a space
// is a zero byte, and ~(((y & 0x7f..7f) + 0x7f..7f) | y | 0x7f..7f) has exactly the high bit of
// each zero byte set.
void word_starts(const uint8_t* bytes, uint32_t start, uint32_t end, U32Buffer& starts) {
  starts.clear();
  if (start == end) return;
  // At most one word per byte, plus the first and the sentinel.
  starts.reserve(static_cast<size_t>(end - start) + 2);
  uint32_t* out = starts.data();
  size_t w = 0;
  out[w++] = start;
  constexpr uint64_t kSpaces = 0x2020202020202020ULL;
  constexpr uint64_t kLow7 = 0x7f7f7f7f7f7f7f7fULL;
  uint32_t p = start;
  for (; end - p >= 8; p += 8) {
    uint64_t x;
    std::memcpy(&x, bytes + p, 8);
    const uint64_t y = x ^ kSpaces;
    uint64_t zero = ~(((y & kLow7) + kLow7) | y | kLow7);
    while (zero != 0) {
      out[w++] = p + static_cast<uint32_t>(__builtin_ctzll(zero) >> 3) + 1;
      zero &= zero - 1;
    }
  }
  for (; p < end; p++) {
    if (bytes[p] == 0x20) out[w++] = p + 1;
  }
  out[w++] = end + 1;
  starts.resize(w);
}

}  // namespace

size_t append_shingles(const uint8_t* bytes, uint32_t begin, uint32_t end, Shingles& out, U32Buffer& starts) {
  word_starts(bytes, begin, end, starts);
  const size_t words = starts.size() == 0 ? 0 : starts.size() - 1;
  if (words < kShingleWords) return 0;
  const size_t windows = words - (kShingleWords - 1);
  const size_t at = out.start.size();
  out.start.resize(at + windows);
  out.length.resize(at + windows);
  uint32_t* start = out.start.data() + at;
  uint32_t* length = out.length.data() + at;
  const uint32_t* w = starts.data();
  for (size_t j = 0; j < windows; j++) {
    start[j] = w[j];
    length[j] = w[j + kShingleWords] - 1 - w[j];
  }
  return windows;
}

namespace {

// Per-thread scratch space of the signature loop.
struct Scratch {
  U32Buffer starts;
  Shingles shingles;
  U32Buffer hashes;
  std::vector<uint8_t> utf8;
  std::vector<uint32_t> utf8_offsets;
};

// Signatures of documents [begin, end) of bytes/offsets into sig[128 (d - begin) ...] and
// counts[d - begin]; `readable` bytes from `bytes` may be read.
void signatures_range(const uint8_t* bytes, size_t readable, const uint32_t* offsets, size_t begin, size_t end,
                      uint32_t* sig, uint32_t* counts, Scratch& scratch, sha1::Hash32ManyFn hash_many, PermuteFn permute) {
  // Documents are taken in groups of about kGroup shingles, so that short documents still fill
  // the SIMD lanes of the multi-message SHA-1.
  constexpr size_t kGroup = 4096;
  Shingles& shingles = scratch.shingles;
  U32Buffer& hashes = scratch.hashes;
  size_t d = begin;
  while (d < end) {
    const size_t group_begin = d;
    shingles.clear();
    for (; d < end && shingles.start.size() < kGroup; d++) {
      counts[d - begin] = static_cast<uint32_t>(append_shingles(bytes, offsets[d], offsets[d + 1], shingles, scratch.starts));
    }
    const size_t n = shingles.start.size();
    hashes.resize(n);
    hash_many(bytes, readable, shingles.start.data(), shingles.length.data(), n, hashes.data());
    size_t first = 0;
    for (size_t k = group_begin; k < d; k++) {
      uint32_t* out = sig + static_cast<size_t>(kNumPermutations) * (k - begin);
      const size_t count = counts[k - begin];
      if (count == 0) {
        std::fill(out, out + kNumPermutations, 0xffffffffu);
        continue;
      }
      permute(hashes.data() + first, count, out);
      first += count;
    }
  }
}

}  // namespace

size_t utf16_to_utf8(const uint16_t* in, size_t n, uint8_t* out) {
  uint8_t* o = out;
  size_t i = 0;
  while (i < n) {
    // ASCII runs four units at a time.
    if (i + 4 <= n) {
      uint64_t x;
      std::memcpy(&x, in + i, 8);
      if ((x & 0xff80ff80ff80ff80ULL) == 0) {
        o[0] = static_cast<uint8_t>(x);
        o[1] = static_cast<uint8_t>(x >> 16);
        o[2] = static_cast<uint8_t>(x >> 32);
        o[3] = static_cast<uint8_t>(x >> 48);
        o += 4;
        i += 4;
        continue;
      }
    }
    const uint32_t c = in[i++];
    if (c < 0x80) {
      *o++ = static_cast<uint8_t>(c);
    } else if (c < 0x800) {
      *o++ = static_cast<uint8_t>(0xc0 | (c >> 6));
      *o++ = static_cast<uint8_t>(0x80 | (c & 0x3f));
    } else if (c >= 0xd800 && c <= 0xdbff && i < n && in[i] >= 0xdc00 && in[i] <= 0xdfff) {
      const uint32_t cp = ((c - 0xd800) << 10) + (in[i++] - 0xdc00u) + 0x10000u;
      *o++ = static_cast<uint8_t>(0xf0 | (cp >> 18));
      *o++ = static_cast<uint8_t>(0x80 | ((cp >> 12) & 0x3f));
      *o++ = static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3f));
      *o++ = static_cast<uint8_t>(0x80 | (cp & 0x3f));
    } else {
      // A lone surrogate becomes U+FFFD, as TextEncoder and Buffer do.
      const uint32_t cp = (c >= 0xd800 && c <= 0xdfff) ? 0xfffdu : c;
      *o++ = static_cast<uint8_t>(0xe0 | (cp >> 12));
      *o++ = static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3f));
      *o++ = static_cast<uint8_t>(0x80 | (cp & 0x3f));
    }
  }
  return static_cast<size_t>(o - out);
}

void signatures(const uint8_t* bytes, const uint32_t* offsets, size_t docs, uint32_t* sig, uint32_t* shingle_counts,
                unsigned threads) {
  const sha1::Hash32ManyFn hash_many = sha1::best_many32();
  const PermuteFn permute = best_permute();
  const std::vector<size_t> bounds = parallel::chunk_bounds(offsets, docs, parallel::chunks_for(threads, docs));
  std::vector<Scratch> scratch(std::max(1u, threads));
  parallel::run_chunks(bounds, threads, [&](size_t worker, size_t, size_t begin, size_t end) {
    signatures_range(bytes, offsets[docs], offsets, begin, end, sig + static_cast<size_t>(kNumPermutations) * begin,
                     shingle_counts + begin, scratch[worker], hash_many, permute);
  });
}

void signatures_utf16(const uint16_t* units, const uint32_t* offsets, size_t docs, uint32_t* sig, uint32_t* shingle_counts,
                      unsigned threads) {
  const sha1::Hash32ManyFn hash_many = sha1::best_many32();
  const PermuteFn permute = best_permute();
  const std::vector<size_t> bounds = parallel::chunk_bounds(offsets, docs, parallel::chunks_for(threads, docs));
  std::vector<Scratch> scratch(std::max(1u, threads));
  parallel::run_chunks(bounds, threads, [&](size_t worker, size_t, size_t begin, size_t end) {
    // Each chunk is encoded to UTF-8 in the thread's own buffer (at most 3 bytes per unit).
    Scratch& s = scratch[worker];
    const size_t span = static_cast<size_t>(offsets[end] - offsets[begin]);
    if (span > 0xffffffffu / 3) throw std::length_error("a chunk of the batch is over 1.4 GB of UTF-16: split the batch");
    s.utf8.resize(3 * span);
    s.utf8_offsets.resize(end - begin + 1);
    s.utf8_offsets[0] = 0;
    size_t pos = 0;
    for (size_t d = begin; d < end; d++) {
      pos += utf16_to_utf8(units + offsets[d], offsets[d + 1] - offsets[d], s.utf8.data() + pos);
      s.utf8_offsets[d - begin + 1] = static_cast<uint32_t>(pos);
    }
    signatures_range(s.utf8.data(), pos, s.utf8_offsets.data(), 0, end - begin, sig + static_cast<size_t>(kNumPermutations) * begin,
                     shingle_counts + begin, s, hash_many, permute);
  });
}

}  // namespace sieve::minhash
