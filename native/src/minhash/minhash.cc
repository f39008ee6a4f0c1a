#include "minhash.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "../common/cpu_features.hpp"
#include "../common/parallel.hpp"
#include "../sha1/sha1_multi.hpp"
#include "permute.hpp"
#include "permutations.hpp"

#include "../common/x86_simd.hpp"

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

namespace {

// Appends the shingles of a document with word starts `starts` (see word_starts) to `out`.
size_t append_windows(const U32Buffer& starts, Shingles& out) {
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

// UTF-16 to UTF-8 with the word starts found on the way. Ascii::narrow takes Ascii::kUnits units
// at a time (the SIMD versions in a few instructions), stores them narrowed to bytes, and returns
// the units that are not ASCII as a bit mask; the ASCII units before the first of those are kept,
// and the run of non-ASCII units from there is encoded one code point at a time. Web text has a
// non-ASCII character every few dozen units, so a whole block is rarely pure ASCII.

// Encodes the code point at in[i] (a surrogate pair is one, of two units) to out[o, ...); returns
// the index of the next unit.
inline size_t encode_one(const uint16_t* in, size_t i, size_t n, uint8_t* out, size_t& o) {
  const uint32_t c = in[i++];
  if (c < 0x80) {
    out[o++] = static_cast<uint8_t>(c);
  } else if (c < 0x800) {
    out[o++] = static_cast<uint8_t>(0xc0 | (c >> 6));
    out[o++] = static_cast<uint8_t>(0x80 | (c & 0x3f));
  } else if (c >= 0xd800 && c <= 0xdbff && i < n && in[i] >= 0xdc00 && in[i] <= 0xdfff) {
    const uint32_t cp = ((c - 0xd800) << 10) + (in[i++] - 0xdc00u) + 0x10000u;
    out[o++] = static_cast<uint8_t>(0xf0 | (cp >> 18));
    out[o++] = static_cast<uint8_t>(0x80 | ((cp >> 12) & 0x3f));
    out[o++] = static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3f));
    out[o++] = static_cast<uint8_t>(0x80 | (cp & 0x3f));
  } else {
    // A lone surrogate becomes U+FFFD, as TextEncoder and Buffer do.
    const uint32_t cp = (c >= 0xd800 && c <= 0xdfff) ? 0xfffdu : c;
    out[o++] = static_cast<uint8_t>(0xe0 | (cp >> 12));
    out[o++] = static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3f));
    out[o++] = static_cast<uint8_t>(0x80 | (cp & 0x3f));
  }
  return i;
}

template <class Ascii>
size_t encode_words(const uint16_t* in, size_t n, uint8_t* out, size_t pos, U32Buffer& starts) {
  starts.clear();
  if (n == 0) return pos;
  // At most one word per unit, plus the first and the sentinel.
  starts.reserve(n + 2);
  uint32_t* st = starts.data();
  size_t w = 0;
  st[w++] = static_cast<uint32_t>(pos);
  size_t i = 0;
  size_t o = pos;
  // narrow() stores kUnits bytes at out + o: there is room, as o - pos <= 3 i and i + kUnits <= n.
  while (i + Ascii::kUnits <= n) {
    uint64_t spaces;
    const uint64_t other = Ascii::narrow(in + i, out + o, spaces);
    const size_t ascii = other == 0 ? Ascii::kUnits : static_cast<size_t>(__builtin_ctzll(other));
    if (ascii < 64) spaces &= (uint64_t{1} << ascii) - 1;
    w += Ascii::starts(spaces, o, st + w);
    i += ascii;
    o += ascii;
    while (i < n && in[i] >= 0x80) i = encode_one(in, i, n, out, o);
  }
  for (; i < n; i = encode_one(in, i, n, out, o)) {
    if (in[i] == 0x20) st[w++] = static_cast<uint32_t>(o + 1);
  }
  st[w++] = static_cast<uint32_t>(o + 1);
  starts.resize(w);
  return o;
}

// The word starts after the spaces of a narrowed block (bit k of `spaces`: a space at byte o + k),
// one bit at a time. Returns how many.
inline size_t starts_of_bits(uint64_t spaces, size_t o, uint32_t* st) {
  size_t w = 0;
  for (; spaces != 0; spaces &= spaces - 1) st[w++] = static_cast<uint32_t>(o + static_cast<size_t>(__builtin_ctzll(spaces)) + 1);
  return w;
}

// Four units as one 64-bit word.
struct AsciiPortable {
  static constexpr size_t kUnits = 4;
  static uint64_t narrow(const uint16_t* in, uint8_t* out, uint64_t& spaces) {
    uint64_t x;
    std::memcpy(&x, in, 8);
    uint64_t other = 0;
    spaces = 0;
    for (int k = 0; k < 4; k++) {
      const uint16_t c = static_cast<uint16_t>(x >> (16 * k));
      out[k] = static_cast<uint8_t>(c);
      other |= static_cast<uint64_t>(c >= 0x80) << k;
      spaces |= static_cast<uint64_t>(c == 0x20) << k;
    }
    return other;
  }
  static size_t starts(uint64_t spaces, size_t o, uint32_t* st) { return starts_of_bits(spaces, o, st); }
};

using EncodeWordsFn = size_t (*)(const uint16_t* in, size_t n, uint8_t* out, size_t pos, U32Buffer& starts);

#if defined(SIEVE_X86)

// 32 units: two 16-unit loads packed to bytes (packus works per 128-bit lane, hence the permute).
// Only the bytes of ASCII units are used; the others saturate to 0 or 0xff, never a space.
struct AsciiAvx2 {
  static constexpr size_t kUnits = 32;
  __attribute__((target("avx2"))) static uint64_t narrow(const uint16_t* in, uint8_t* out, uint64_t& spaces) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + 16));
    const __m256i bytes = _mm256_permute4x64_epi64(_mm256_packus_epi16(a, b), 0xd8);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), bytes);
    spaces = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(bytes, _mm256_set1_epi8(0x20))));
    const __m256i high = _mm256_set1_epi16(static_cast<short>(0xff80));
    const __m256i zero = _mm256_setzero_si256();
    const __m256i ascii = _mm256_packs_epi16(_mm256_cmpeq_epi16(_mm256_and_si256(a, high), zero),
                                             _mm256_cmpeq_epi16(_mm256_and_si256(b, high), zero));
    return ~static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_permute4x64_epi64(ascii, 0xd8)));
  }
  static size_t starts(uint64_t spaces, size_t o, uint32_t* st) { return starts_of_bits(spaces, o, st); }
};

// 64 units: two 32-unit loads packed to bytes, the 64-bit chunks put back in order.
struct AsciiAvx512 {
  static constexpr size_t kUnits = 64;
  __attribute__((target("avx512f,avx512bw"))) static uint64_t narrow(const uint16_t* in, uint8_t* out, uint64_t& spaces) {
    const __m512i a = _mm512_loadu_si512(in);
    const __m512i b = _mm512_loadu_si512(in + 32);
    const __m512i bytes = _mm512_permutexvar_epi64(_mm512_setr_epi64(0, 2, 4, 6, 1, 3, 5, 7), _mm512_packus_epi16(a, b));
    _mm512_storeu_si512(out, bytes);
    spaces = _mm512_cmpeq_epi8_mask(bytes, _mm512_set1_epi8(0x20));
    const __m512i high = _mm512_set1_epi16(static_cast<short>(0xff80));
    return _mm512_test_epi16_mask(a, high) | (static_cast<uint64_t>(_mm512_test_epi16_mask(b, high)) << 32);
  }
  // 16 bytes at a time: the positions of the spaces compressed to the front of a vector, stored
  // whole. st has room: at most one start per unit so far, and 16 more than this block's units.
  __attribute__((target("avx512f,avx512bw"))) static size_t starts(uint64_t spaces, size_t o, uint32_t* st) {
    const __m512i after = _mm512_setr_epi32(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
    size_t w = 0;
    for (int c = 0; c < 4; c++) {
      const __mmask16 m = static_cast<__mmask16>(spaces >> (16 * c));
      const __m512i at = _mm512_add_epi32(after, _mm512_set1_epi32(static_cast<int>(o + 16 * static_cast<size_t>(c))));
      _mm512_storeu_si512(st + w, _mm512_maskz_compress_epi32(m, at));
      w += static_cast<size_t>(__builtin_popcount(m));
    }
    return w;
  }
};

// `flatten` compiles the shared loop for each instruction set along with its fast path.
__attribute__((target("avx2"), flatten)) size_t encode_words_avx2(const uint16_t* in, size_t n, uint8_t* out, size_t pos,
                                                                   U32Buffer& starts) {
  return encode_words<AsciiAvx2>(in, n, out, pos, starts);
}

__attribute__((target("avx512f,avx512bw,avx2"), flatten)) size_t encode_words_avx512(const uint16_t* in, size_t n, uint8_t* out,
                                                                                       size_t pos, U32Buffer& starts) {
  return encode_words<AsciiAvx512>(in, n, out, pos, starts);
}

#endif

size_t encode_words_portable(const uint16_t* in, size_t n, uint8_t* out, size_t pos, U32Buffer& starts) {
  return encode_words<AsciiPortable>(in, n, out, pos, starts);
}

EncodeWordsFn best_encode_words() {
#if defined(SIEVE_X86)
  const cpu::Features f = cpu::enabled();
  if (f.avx512bw) return encode_words_avx512;
  if (f.avx2) return encode_words_avx2;
#endif
  return encode_words_portable;
}

}  // namespace

size_t append_shingles(const uint8_t* bytes, uint32_t begin, uint32_t end, Shingles& out, U32Buffer& starts) {
  word_starts(bytes, begin, end, starts);
  return append_windows(starts, out);
}

namespace {

// Per-thread scratch space of the signature loop.
struct Scratch {
  U32Buffer starts;
  Shingles shingles;
  U32Buffer hashes;
  Buffer<uint8_t> utf8;
};

// Documents given as UTF-8 (see minhash.hpp): the batch's own bytes.
struct Utf8Docs {
  const uint8_t* bytes;
  size_t readable;
  const uint32_t* offsets;
  void start_group(Scratch&) {}
  bool room(size_t, const Scratch&) const { return true; }
  void words(size_t d, Scratch& s) { word_starts(bytes, offsets[d], offsets[d + 1], s.starts); }
  const uint8_t* group_bytes(const Scratch&) const { return bytes; }
  size_t group_readable(const Scratch&) const { return readable; }
};

// Documents given as UTF-16, encoded one group at a time into the thread's buffer, which stays
// small enough to be in cache when the shingles are hashed.
struct Utf16Docs {
  const uint16_t* units;
  const uint32_t* offsets;
  EncodeWordsFn encode;
  void start_group(Scratch& s) { s.utf8.clear(); }
  // Shingles are uint32 byte offsets into the buffer; UTF-8 takes at most 3 bytes per unit.
  bool room(size_t d, const Scratch& s) const { return s.utf8.size() + 3 * static_cast<size_t>(offsets[d + 1] - offsets[d]) <= 0xffffffffu; }
  void words(size_t d, Scratch& s) {
    if (!room(d, s)) throw std::length_error("a document of the batch is over 1.4 GB of UTF-16: split it");
    const size_t n = offsets[d + 1] - offsets[d];
    const size_t pos = s.utf8.size();
    s.utf8.reserve(pos + 3 * n);
    s.utf8.resize(encode(units + offsets[d], n, s.utf8.data(), pos, s.starts));
  }
  const uint8_t* group_bytes(const Scratch& s) const { return s.utf8.data(); }
  size_t group_readable(const Scratch& s) const { return s.utf8.size(); }
};

// Signatures of documents [begin, end) into sig[128 (d - begin) ...] and counts[d - begin].
template <class Docs>
void signatures_range(Docs docs, size_t begin, size_t end, uint32_t* sig, uint32_t* counts, Scratch& scratch,
                      sha1::Hash32ManyFn hash_many, PermuteFn permute) {
  // Documents are taken in groups of about kGroup shingles, so that short documents still fill
  // the SIMD lanes of the multi-message SHA-1.
  constexpr size_t kGroup = 4096;
  Shingles& shingles = scratch.shingles;
  U32Buffer& hashes = scratch.hashes;
  size_t d = begin;
  while (d < end) {
    const size_t group_begin = d;
    shingles.clear();
    docs.start_group(scratch);
    for (; d < end && shingles.start.size() < kGroup && (d == group_begin || docs.room(d, scratch)); d++) {
      docs.words(d, scratch);
      counts[d - begin] = static_cast<uint32_t>(append_windows(scratch.starts, shingles));
    }
    const size_t n = shingles.start.size();
    hashes.resize(n);
    hash_many(docs.group_bytes(scratch), docs.group_readable(scratch), shingles.start.data(), shingles.length.data(), n,
              hashes.data());
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
  size_t o = 0;
  size_t i = 0;
  while (i < n) {
    // ASCII runs four units at a time.
    if (i + 4 <= n) {
      uint64_t x;
      std::memcpy(&x, in + i, 8);
      if ((x & 0xff80ff80ff80ff80ULL) == 0) {
        out[o] = static_cast<uint8_t>(x);
        out[o + 1] = static_cast<uint8_t>(x >> 16);
        out[o + 2] = static_cast<uint8_t>(x >> 32);
        out[o + 3] = static_cast<uint8_t>(x >> 48);
        o += 4;
        i += 4;
        continue;
      }
    }
    i = encode_one(in, i, n, out, o);
  }
  return o;
}

void signatures(const uint8_t* bytes, const uint32_t* offsets, size_t docs, uint32_t* sig, uint32_t* shingle_counts,
                unsigned threads) {
  const sha1::Hash32ManyFn hash_many = sha1::best_many32();
  const PermuteFn permute = best_permute();
  const std::vector<size_t> bounds = parallel::chunk_bounds(offsets, docs, parallel::chunks_for(threads, docs));
  std::vector<Scratch> scratch(std::max(1u, threads));
  const Utf8Docs source{bytes, offsets[docs], offsets};
  parallel::run_chunks(bounds, threads, [&](size_t worker, size_t, size_t begin, size_t end) {
    signatures_range(source, begin, end, sig + static_cast<size_t>(kNumPermutations) * begin, shingle_counts + begin,
                     scratch[worker], hash_many, permute);
  });
}

void signatures_utf16(const uint16_t* units, const uint32_t* offsets, size_t docs, uint32_t* sig, uint32_t* shingle_counts,
                      unsigned threads) {
  const sha1::Hash32ManyFn hash_many = sha1::best_many32();
  const PermuteFn permute = best_permute();
  const std::vector<size_t> bounds = parallel::chunk_bounds(offsets, docs, parallel::chunks_for(threads, docs));
  std::vector<Scratch> scratch(std::max(1u, threads));
  const Utf16Docs source{units, offsets, best_encode_words()};
  parallel::run_chunks(bounds, threads, [&](size_t worker, size_t, size_t begin, size_t end) {
    signatures_range(source, begin, end, sig + static_cast<size_t>(kNumPermutations) * begin, shingle_counts + begin,
                     scratch[worker], hash_many, permute);
  });
}

}  // namespace sieve::minhash
