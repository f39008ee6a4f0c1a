#include "sha1.hpp"

#include <cstring>

#include "../common/cpu_features.hpp"
#include "../common/parallel.hpp"
#include "sha1_multi.hpp"

#if (defined(__x86_64__) || defined(_M_X64)) && !defined(SIEVE_PORTABLE_ONLY)
#include <immintrin.h>
#define SIEVE_X86 1
#endif

namespace sieve::sha1 {

namespace {

constexpr uint32_t kInit[5] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u};

inline uint32_t rotl(uint32_t x, int s) { return (x << s) | (x >> (32 - s)); }

inline uint32_t load_be32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return __builtin_bswap32(v);
}

// The padded tail of a message: the bytes after its last full block, 0x80, zeros, and the bit
// length as a big-endian uint64. Returns the number of tail blocks (1 or 2).
inline size_t pad_tail(const uint8_t* data, size_t length, uint8_t tail[128]) {
  const size_t full = length & ~static_cast<size_t>(63);
  const size_t rest = length - full;
  std::memset(tail, 0, 128);
  if (rest != 0) std::memcpy(tail, data + full, rest);
  tail[rest] = 0x80;
  const size_t blocks = rest < 56 ? 1 : 2;
  const uint64_t bits = static_cast<uint64_t>(length) * 8u;
  for (int i = 0; i < 8; i++) tail[blocks * 64 - 1 - static_cast<size_t>(i)] = static_cast<uint8_t>(bits >> (8 * i));
  return blocks;
}

void compress_portable(uint32_t h[5], const uint8_t* block) {
  // The schedule is kept as a ring of 16 words, extended as the rounds go (w[t] for t >= 16 is
  // rotl1(w[t-3] ^ w[t-8] ^ w[t-14] ^ w[t-16])).
  uint32_t w[16];
  for (int t = 0; t < 16; t++) w[t] = load_be32(block + 4 * t);
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
#define SIEVE_SHA1_ROUND(f, k, t)                                                              \
  do {                                                                                         \
    if ((t) >= 16) w[(t) & 15] = rotl(w[((t) - 3) & 15] ^ w[((t) - 8) & 15] ^ w[((t) - 14) & 15] ^ w[(t) & 15], 1); \
    const uint32_t x = rotl(a, 5) + (f) + e + (k) + w[(t) & 15];                               \
    e = d;                                                                                     \
    d = c;                                                                                     \
    c = rotl(b, 30);                                                                           \
    b = a;                                                                                     \
    a = x;                                                                                     \
  } while (0)
  for (int t = 0; t < 20; t++) SIEVE_SHA1_ROUND((b & c) | (~b & d), 0x5a827999u, t);
  for (int t = 20; t < 40; t++) SIEVE_SHA1_ROUND(b ^ c ^ d, 0x6ed9eba1u, t);
  for (int t = 40; t < 60; t++) SIEVE_SHA1_ROUND((b & c) | (b & d) | (c & d), 0x8f1bbcdcu, t);
  for (int t = 60; t < 80; t++) SIEVE_SHA1_ROUND(b ^ c ^ d, 0xca62c1d6u, t);
#undef SIEVE_SHA1_ROUND
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}

#if defined(SIEVE_X86)

// One SHA-NI group of four rounds. The schedule register of group g holds words 4g .. 4g+3 with
// word 4g in the highest lane; from group 4 on it is derived from the four previous groups'
// registers with SHA1MSG1 / XOR / SHA1MSG2. SHA1NEXTE adds rotl30(A of the state before the
// previous group) — the E of this group — to the schedule words; SHA1RNDS4 runs the four rounds
// with the round function and constant of stage `func`.
#define SIEVE_SHA1_GROUP(g, func)                                                                   \
  do {                                                                                              \
    if ((g) >= 4) {                                                                                 \
      msg[(g) & 3] = _mm_sha1msg2_epu32(                                                            \
          _mm_xor_si128(_mm_sha1msg1_epu32(msg[(g) & 3], msg[((g) + 1) & 3]), msg[((g) + 2) & 3]), \
          msg[((g) + 3) & 3]);                                                                      \
    }                                                                                               \
    const __m128i e_w = _mm_sha1nexte_epu32(prev, msg[(g) & 3]);                                    \
    prev = abcd;                                                                                    \
    abcd = _mm_sha1rnds4_epu32(abcd, e_w, func);                                                    \
  } while (0)

__attribute__((target("sha,sse4.1,ssse3"))) void compress_shani(__m128i& abcd_io, __m128i& e_io, const uint8_t* block) {
  // Byte order: reversing all 16 bytes makes each big-endian word a lane, first word highest.
  const __m128i reverse = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
  __m128i msg[4];
  for (int i = 0; i < 4; i++) msg[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * i)), reverse);
  const __m128i abcd_save = abcd_io;
  const __m128i e_save = e_io;
  __m128i abcd = abcd_io;
  // Group 0: E is added directly; later groups get it from SHA1NEXTE.
  __m128i prev = abcd;
  abcd = _mm_sha1rnds4_epu32(abcd, _mm_add_epi32(e_io, msg[0]), 0);
  SIEVE_SHA1_GROUP(1, 0);
  SIEVE_SHA1_GROUP(2, 0);
  SIEVE_SHA1_GROUP(3, 0);
  SIEVE_SHA1_GROUP(4, 0);
  SIEVE_SHA1_GROUP(5, 1);
  SIEVE_SHA1_GROUP(6, 1);
  SIEVE_SHA1_GROUP(7, 1);
  SIEVE_SHA1_GROUP(8, 1);
  SIEVE_SHA1_GROUP(9, 1);
  SIEVE_SHA1_GROUP(10, 2);
  SIEVE_SHA1_GROUP(11, 2);
  SIEVE_SHA1_GROUP(12, 2);
  SIEVE_SHA1_GROUP(13, 2);
  SIEVE_SHA1_GROUP(14, 2);
  SIEVE_SHA1_GROUP(15, 3);
  SIEVE_SHA1_GROUP(16, 3);
  SIEVE_SHA1_GROUP(17, 3);
  SIEVE_SHA1_GROUP(18, 3);
  SIEVE_SHA1_GROUP(19, 3);
  // The new E is rotl30(A before the last group) + the saved E.
  e_io = _mm_sha1nexte_epu32(prev, e_save);
  abcd_io = _mm_add_epi32(abcd, abcd_save);
}

#undef SIEVE_SHA1_GROUP

#endif  // SIEVE_X86

}  // namespace

State hash_portable(const uint8_t* data, size_t length) {
  State s;
  std::memcpy(s.h, kInit, sizeof kInit);
  const size_t full = length & ~static_cast<size_t>(63);
  for (size_t p = 0; p < full; p += 64) compress_portable(s.h, data + p);
  uint8_t tail[128];
  const size_t blocks = pad_tail(data, length, tail);
  for (size_t b = 0; b < blocks; b++) compress_portable(s.h, tail + 64 * b);
  return s;
}

#if defined(SIEVE_X86)

__attribute__((target("sha,sse4.1,ssse3"))) State hash_shani(const uint8_t* data, size_t length) {
  // A in the highest lane of abcd; E in the highest lane of e.
  __m128i abcd = _mm_set_epi32(static_cast<int>(kInit[0]), static_cast<int>(kInit[1]), static_cast<int>(kInit[2]),
                               static_cast<int>(kInit[3]));
  __m128i e = _mm_set_epi32(static_cast<int>(kInit[4]), 0, 0, 0);
  const size_t full = length & ~static_cast<size_t>(63);
  for (size_t p = 0; p < full; p += 64) compress_shani(abcd, e, data + p);
  uint8_t tail[128];
  const size_t blocks = pad_tail(data, length, tail);
  for (size_t b = 0; b < blocks; b++) compress_shani(abcd, e, tail + 64 * b);
  State s;
  s.h[0] = static_cast<uint32_t>(_mm_extract_epi32(abcd, 3));
  s.h[1] = static_cast<uint32_t>(_mm_extract_epi32(abcd, 2));
  s.h[2] = static_cast<uint32_t>(_mm_extract_epi32(abcd, 1));
  s.h[3] = static_cast<uint32_t>(_mm_extract_epi32(abcd, 0));
  s.h[4] = static_cast<uint32_t>(_mm_extract_epi32(e, 3));
  return s;
}

#else

State hash_shani(const uint8_t* data, size_t length) { return hash_portable(data, length); }

#endif

HashFn best() { return cpu::enabled().sha ? hash_shani : hash_portable; }

const char* best_name() { return cpu::enabled().sha ? "sha-ni" : "portable"; }

void digest(const State& s, uint8_t out[20]) {
  for (int k = 0; k < 5; k++) {
    out[4 * k] = static_cast<uint8_t>(s.h[k] >> 24);
    out[4 * k + 1] = static_cast<uint8_t>(s.h[k] >> 16);
    out[4 * k + 2] = static_cast<uint8_t>(s.h[k] >> 8);
    out[4 * k + 3] = static_cast<uint8_t>(s.h[k]);
  }
}

}  // namespace sieve::sha1


namespace sieve::sha1 {

void digests(const uint8_t* bytes, const uint32_t* offsets, size_t items, uint8_t* out, unsigned threads) {
  const HashManyFn hash_many = best_many();
  const std::vector<size_t> bounds = parallel::chunk_bounds(offsets, items, parallel::chunks_for(threads, items));
  parallel::run_chunks(bounds, threads, [&](size_t, size_t, size_t begin, size_t end) {
    std::vector<uint32_t> lengths(end - begin);
    for (size_t k = begin; k < end; k++) lengths[k - begin] = offsets[k + 1] - offsets[k];
    std::vector<State> states(end - begin);
    hash_many(bytes, offsets[items], offsets + begin, lengths.data(), end - begin, states.data());
    for (size_t k = begin; k < end; k++) digest(states[k - begin], out + 20 * k);
  });
}

}  // namespace sieve::sha1
