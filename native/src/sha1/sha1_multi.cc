#include "sha1_multi.hpp"

#include <cstring>

#include "../common/cpu_features.hpp"

#include "../common/x86_simd.hpp"

namespace sieve::sha1 {

namespace {

constexpr uint32_t kInit[5] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u};

// Messages of up to this many blocks are hashed in groups of equal block count, one message per
// lane; longer ones (rare for shingles) one at a time.
constexpr uint32_t kMaxGroupedBlocks = 8;

inline uint32_t block_count(uint32_t length) { return length / 64 + (length % 64 < 56 ? 1 : 2); }

// Messages waiting for a group, all of one block count: each lane's message index, the 64-byte
// block it reads at each step (in place for whole blocks, in `tail` for the padded end) and its tail.
template <int Lanes>
struct Pending {
  uint32_t count = 0;
  uint32_t message[Lanes];
  const uint8_t* block[kMaxGroupedBlocks][Lanes];
  alignas(64) uint8_t tail[Lanes][128];
};

alignas(64) const uint8_t kZeroBlock[64] = {};
// kKeep[64 - r .. 127 - r] is r bytes of 0xff then zeros: a mask that keeps the first r bytes.
alignas(64) const uint8_t kKeep[128] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

// Where results go: whole states, or only the MinHash base hash (first 4 digest bytes, LE).
struct StateOut {
  State* out;
  template <int Lanes>
  void put(size_t m, const uint32_t (&state)[5][Lanes], size_t lane) const {
    for (int k = 0; k < 5; k++) out[m].h[k] = state[k][lane];
  }
  void put_single(size_t m, const State& s) const { out[m] = s; }
};

struct FirstWordOut {
  uint32_t* out;
  template <int Lanes>
  void put(size_t m, const uint32_t (&state)[5][Lanes], size_t lane) const {
    out[m] = __builtin_bswap32(state[0][lane]);
  }
  void put_single(size_t m, const State& s) const { out[m] = first_word_le(s); }
};

// Writes a message's padded tail: the `rest` bytes after its last whole block, 0x80, zeros, and the
// bit length as a big-endian uint64 at the end of the first or second tail block.
using TailFn = void (*)(const uint8_t* src, uint32_t rest, uint64_t length, uint8_t* tail, const uint8_t* readable_end);

[[maybe_unused]] void tail_generic(const uint8_t* src, uint32_t rest, uint64_t length, uint8_t* tail,
                                   const uint8_t* readable_end) {
  if (readable_end - src >= 64) {
    // A fixed 64-byte copy under a mask: no call, no loop on `rest`.
    const uint8_t* keep = kKeep + 64 - rest;
    for (int i = 0; i < 64; i++) tail[i] = static_cast<uint8_t>(src[i] & keep[i]);
  } else {
    for (uint32_t i = 0; i < 64; i++) tail[i] = i < rest ? src[i] : 0;
  }
  std::memset(tail + 64, 0, 64);
  tail[rest] = 0x80;
  const uint32_t end = rest < 56 ? 64 : 128;
  const uint64_t bits = length * 8u;
  for (uint32_t b = 0; b < 8; b++) tail[end - 1 - b] = static_cast<uint8_t>(bits >> (8 * b));
}

// Hashes the `blocks`-block messages of `p` (lanes from p.count on read zero blocks) together.
template <int Lanes, void (*Compress)(uint32_t (&)[5][Lanes], const uint8_t* const*), class Out>
void run_group(Pending<Lanes>& p, uint32_t blocks, Out out) {
  for (uint32_t b = 0; b < blocks; b++) {
    for (uint32_t lane = p.count; lane < Lanes; lane++) p.block[b][lane] = kZeroBlock;
  }
  alignas(64) uint32_t state[5][Lanes];
  for (int k = 0; k < 5; k++) {
    for (int lane = 0; lane < Lanes; lane++) state[k][lane] = kInit[k];
  }
  for (uint32_t b = 0; b < blocks; b++) Compress(state, p.block[b]);
  for (uint32_t lane = 0; lane < p.count; lane++) out.put(p.message[lane], state, lane);
  p.count = 0;
}

// Each message joins the pending lanes of its block count, which are hashed as soon as all Lanes
// are taken, so no lane idles until the end, when the partly filled ones run; messages over
// kMaxGroupedBlocks blocks (rare for shingles) are hashed one at a time. One pass, in order: no
// sort by block count.
template <int Lanes, void (*Compress)(uint32_t (&)[5][Lanes], const uint8_t* const*), TailFn Tail, class Out>
void hash_many_grouped(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length, size_t n,
                       Out out) {
  const uint8_t* readable_end = base + base_size;
  Pending<Lanes> pending[kMaxGroupedBlocks + 1];  // by block count; [0] unused
  const HashFn single = best();
  for (size_t m = 0; m < n; m++) {
    const uint32_t len = length[m];
    const uint32_t blocks = block_count(len);
    const uint8_t* data = base + start[m];
    if (blocks > kMaxGroupedBlocks) {
      out.put_single(m, single(data, len));
      continue;
    }
    Pending<Lanes>& p = pending[blocks];
    const uint32_t lane = p.count;
    p.message[lane] = static_cast<uint32_t>(m);
    const uint32_t full = len / 64;
    uint8_t* tail = p.tail[lane];
    Tail(data + 64 * full, len - 64 * full, len, tail, readable_end);
    for (uint32_t b = 0; b < full; b++) p.block[b][lane] = data + 64 * b;
    // One or two tail blocks (the same slot twice when one).
    p.block[full][lane] = tail;
    p.block[blocks - 1][lane] = tail + 64 * (blocks - 1 - full);
    if (++p.count == Lanes) run_group<Lanes, Compress>(p, blocks, out);
  }
  for (uint32_t b = 1; b <= kMaxGroupedBlocks; b++) {
    if (pending[b].count > 0) run_group<Lanes, Compress>(pending[b], b, out);
  }
}

#if defined(SIEVE_X86)

// The 80 rounds on vectors: W is the 16-word schedule ring, a..e the state. ROL, ADD, XOR3 (three-way
// xor), F1 (choose), F2 (parity), F3 (majority) are defined per instruction set below.
#define SIEVE_MB_ROUND(a, b, c, d, e, f, k, t)                                              \
  do {                                                                                      \
    if ((t) >= 16) W[(t) & 15] = ROL(XOR(XOR3(W[((t) - 3) & 15], W[((t) - 8) & 15], W[((t) - 14) & 15]), W[(t) & 15]), 1); \
    e = ADD(ADD(e, ADD(W[(t) & 15], k)), ADD(ROL(a, 5), f(b, c, d)));                       \
    b = ROL(b, 30);                                                                         \
  } while (0)
#define SIEVE_MB_FIVE(f, k, t)                  \
  do {                                          \
    SIEVE_MB_ROUND(a, b, c, d, e, f, k, (t));     \
    SIEVE_MB_ROUND(e, a, b, c, d, f, k, (t) + 1); \
    SIEVE_MB_ROUND(d, e, a, b, c, f, k, (t) + 2); \
    SIEVE_MB_ROUND(c, d, e, a, b, f, k, (t) + 3); \
    SIEVE_MB_ROUND(b, c, d, e, a, f, k, (t) + 4); \
  } while (0)
#define SIEVE_MB_ROUNDS()                                                                             \
  do {                                                                                                \
    SIEVE_MB_FIVE(F1, k1, 0);                                                                         \
    SIEVE_MB_FIVE(F1, k1, 5);                                                                         \
    SIEVE_MB_FIVE(F1, k1, 10);                                                                        \
    SIEVE_MB_FIVE(F1, k1, 15);                                                                        \
    SIEVE_MB_FIVE(F2, k2, 20);                                                                        \
    SIEVE_MB_FIVE(F2, k2, 25);                                                                        \
    SIEVE_MB_FIVE(F2, k2, 30);                                                                        \
    SIEVE_MB_FIVE(F2, k2, 35);                                                                        \
    SIEVE_MB_FIVE(F3, k3, 40);                                                                        \
    SIEVE_MB_FIVE(F3, k3, 45);                                                                        \
    SIEVE_MB_FIVE(F3, k3, 50);                                                                        \
    SIEVE_MB_FIVE(F3, k3, 55);                                                                        \
    SIEVE_MB_FIVE(F2, k4, 60);                                                                        \
    SIEVE_MB_FIVE(F2, k4, 65);                                                                        \
    SIEVE_MB_FIVE(F2, k4, 70);                                                                        \
    SIEVE_MB_FIVE(F2, k4, 75);                                                                        \
  } while (0)

#define ROL(x, n) _mm512_rol_epi32((x), (n))
#define ADD(x, y) _mm512_add_epi32((x), (y))
#define XOR(x, y) _mm512_xor_si512((x), (y))
#define XOR3(x, y, z) _mm512_ternarylogic_epi32((x), (y), (z), 0x96)
#define F1(x, y, z) _mm512_ternarylogic_epi32((x), (y), (z), 0xca)
#define F2(x, y, z) _mm512_ternarylogic_epi32((x), (y), (z), 0x96)
#define F3(x, y, z) _mm512_ternarylogic_epi32((x), (y), (z), 0xe8)

__attribute__((target("avx512f,avx512bw,avx2"))) void compress16(uint32_t (&state)[5][16], const uint8_t* const* block) {
  // Load one block per lane (row r = lane r's 16 words) and transpose: W[t] = word t of every lane.
  __m512i r[16];
  for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_si512(block[i]);
  __m512i x[16];
  for (int i = 0; i < 16; i += 2) {
    x[i] = _mm512_unpacklo_epi32(r[i], r[i + 1]);
    x[i + 1] = _mm512_unpackhi_epi32(r[i], r[i + 1]);
  }
  // y[4i + j], 128-bit lane L = word 4L + j of rows 4i .. 4i + 3.
  __m512i y[16];
  for (int i = 0; i < 16; i += 4) {
    y[i] = _mm512_unpacklo_epi64(x[i], x[i + 2]);
    y[i + 1] = _mm512_unpackhi_epi64(x[i], x[i + 2]);
    y[i + 2] = _mm512_unpacklo_epi64(x[i + 1], x[i + 3]);
    y[i + 3] = _mm512_unpackhi_epi64(x[i + 1], x[i + 3]);
  }
  __m512i W[16];
  const __m512i bswap = _mm512_set4_epi32(0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203);
  for (int j = 0; j < 4; j++) {
    // A 4 x 4 transpose of 128-bit chunks: W[4L + j] = lane L of y[j], y[4 + j], y[8 + j], y[12 + j].
    const __m512i c0 = _mm512_shuffle_i32x4(y[j], y[4 + j], 0x44);
    const __m512i c1 = _mm512_shuffle_i32x4(y[j], y[4 + j], 0xee);
    const __m512i c2 = _mm512_shuffle_i32x4(y[8 + j], y[12 + j], 0x44);
    const __m512i c3 = _mm512_shuffle_i32x4(y[8 + j], y[12 + j], 0xee);
    W[j] = _mm512_shuffle_epi8(_mm512_shuffle_i32x4(c0, c2, 0x88), bswap);
    W[4 + j] = _mm512_shuffle_epi8(_mm512_shuffle_i32x4(c0, c2, 0xdd), bswap);
    W[8 + j] = _mm512_shuffle_epi8(_mm512_shuffle_i32x4(c1, c3, 0x88), bswap);
    W[12 + j] = _mm512_shuffle_epi8(_mm512_shuffle_i32x4(c1, c3, 0xdd), bswap);
  }
  const __m512i k1 = _mm512_set1_epi32(0x5a827999);
  const __m512i k2 = _mm512_set1_epi32(0x6ed9eba1);
  const __m512i k3 = _mm512_set1_epi32(static_cast<int>(0x8f1bbcdcu));
  const __m512i k4 = _mm512_set1_epi32(static_cast<int>(0xca62c1d6u));
  // The state is re-read from memory for the final additions: fewer live registers in the rounds.
  __m512i a = _mm512_load_si512(state[0]);
  __m512i b = _mm512_load_si512(state[1]);
  __m512i c = _mm512_load_si512(state[2]);
  __m512i d = _mm512_load_si512(state[3]);
  __m512i e = _mm512_load_si512(state[4]);
  SIEVE_MB_ROUNDS();
  _mm512_store_si512(state[0], ADD(a, _mm512_load_si512(state[0])));
  _mm512_store_si512(state[1], ADD(b, _mm512_load_si512(state[1])));
  _mm512_store_si512(state[2], ADD(c, _mm512_load_si512(state[2])));
  _mm512_store_si512(state[3], ADD(d, _mm512_load_si512(state[3])));
  _mm512_store_si512(state[4], ADD(e, _mm512_load_si512(state[4])));
}

// The padded tail with byte-masked loads, which never fault past the message.
__attribute__((target("avx512f,avx512bw"))) void tail_avx512(const uint8_t* src, uint32_t rest, uint64_t length,
                                                             uint8_t* tail, const uint8_t*) {
  // rest < 64: the first `rest` bytes are the message, byte `rest` is 0x80.
  const uint64_t marker = uint64_t{1} << rest;
  __m512i t0 = _mm512_maskz_loadu_epi8(marker - 1, src);
  t0 = _mm512_or_si512(t0, _mm512_maskz_set1_epi8(marker, static_cast<char>(0x80)));
  const __m512i bits = _mm512_maskz_set1_epi64(0x80, static_cast<long long>(__builtin_bswap64(length * 8u)));
  if (rest < 56) {
    _mm512_store_si512(tail, _mm512_or_si512(t0, bits));
  } else {
    _mm512_store_si512(tail, t0);
    _mm512_store_si512(tail + 64, bits);
  }
}

#undef ROL
#undef ADD
#undef XOR
#undef XOR3
#undef F1
#undef F2
#undef F3

#define ROL(x, n) _mm256_or_si256(_mm256_slli_epi32((x), (n)), _mm256_srli_epi32((x), 32 - (n)))
#define ADD(x, y) _mm256_add_epi32((x), (y))
#define XOR(x, y) _mm256_xor_si256((x), (y))
#define XOR3(x, y, z) XOR(XOR((x), (y)), (z))
#define F1(x, y, z) XOR((z), _mm256_and_si256((x), XOR((y), (z))))
#define F2(x, y, z) XOR3((x), (y), (z))
#define F3(x, y, z) _mm256_or_si256(_mm256_and_si256((x), (y)), _mm256_and_si256((z), _mm256_or_si256((x), (y))))

// 8 x 8 transpose of 32-bit values: out[k] = word k of rows 0..7 (rows given as in[0..7]).
__attribute__((target("avx2"))) inline void transpose8(const __m256i in[8], __m256i out[8]) {
  __m256i x[8], y[8];
  for (int i = 0; i < 8; i += 2) {
    x[i] = _mm256_unpacklo_epi32(in[i], in[i + 1]);
    x[i + 1] = _mm256_unpackhi_epi32(in[i], in[i + 1]);
  }
  for (int i = 0; i < 8; i += 4) {
    y[i] = _mm256_unpacklo_epi64(x[i], x[i + 2]);
    y[i + 1] = _mm256_unpackhi_epi64(x[i], x[i + 2]);
    y[i + 2] = _mm256_unpacklo_epi64(x[i + 1], x[i + 3]);
    y[i + 3] = _mm256_unpackhi_epi64(x[i + 1], x[i + 3]);
  }
  // y[4i + j], 128-bit lane L = word 4L + j of rows 4i .. 4i + 3.
  for (int j = 0; j < 4; j++) {
    out[j] = _mm256_permute2x128_si256(y[j], y[4 + j], 0x20);
    out[4 + j] = _mm256_permute2x128_si256(y[j], y[4 + j], 0x31);
  }
}

__attribute__((target("avx2"))) void compress8(uint32_t (&state)[5][8], const uint8_t* const* block) {
  __m256i lo[8], hi[8];
  for (int i = 0; i < 8; i++) {
    lo[i] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block[i]));
    hi[i] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block[i] + 32));
  }
  __m256i W[16];
  transpose8(lo, W);
  transpose8(hi, W + 8);
  const __m256i bswap = _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2, 1, 0, 7, 6, 5, 4, 11,
                                         10, 9, 8, 15, 14, 13, 12);
  for (int t = 0; t < 16; t++) W[t] = _mm256_shuffle_epi8(W[t], bswap);
  const __m256i k1 = _mm256_set1_epi32(0x5a827999);
  const __m256i k2 = _mm256_set1_epi32(0x6ed9eba1);
  const __m256i k3 = _mm256_set1_epi32(static_cast<int>(0x8f1bbcdcu));
  const __m256i k4 = _mm256_set1_epi32(static_cast<int>(0xca62c1d6u));
  __m256i* st = reinterpret_cast<__m256i*>(state);
  __m256i a = _mm256_load_si256(st), b = _mm256_load_si256(st + 1), c = _mm256_load_si256(st + 2);
  __m256i d = _mm256_load_si256(st + 3), e = _mm256_load_si256(st + 4);
  SIEVE_MB_ROUNDS();
  _mm256_store_si256(st, ADD(a, _mm256_load_si256(st)));
  _mm256_store_si256(st + 1, ADD(b, _mm256_load_si256(st + 1)));
  _mm256_store_si256(st + 2, ADD(c, _mm256_load_si256(st + 2)));
  _mm256_store_si256(st + 3, ADD(d, _mm256_load_si256(st + 3)));
  _mm256_store_si256(st + 4, ADD(e, _mm256_load_si256(st + 4)));
}

#undef ROL
#undef ADD
#undef XOR
#undef XOR3
#undef F1
#undef F2
#undef F3
#undef SIEVE_MB_ROUND
#undef SIEVE_MB_FIVE
#undef SIEVE_MB_ROUNDS

#endif  // SIEVE_X86

}  // namespace

void hash_many_single(const uint8_t* base, size_t, const uint32_t* start, const uint32_t* length, size_t n, State* out) {
  const HashFn hash = best();
  for (size_t i = 0; i < n; i++) out[i] = hash(base + start[i], length[i]);
}

void hash32_many_single(const uint8_t* base, size_t, const uint32_t* start, const uint32_t* length, size_t n,
                        uint32_t* out) {
  const HashFn hash = best();
  for (size_t i = 0; i < n; i++) out[i] = first_word_le(hash(base + start[i], length[i]));
}

#if defined(SIEVE_X86)

// `flatten` inlines the scheduling code into these functions, so it is compiled for their
// instruction set along with the compression itself.
#define SIEVE_AVX512 __attribute__((target("avx512f,avx512bw,avx2"), flatten))
#define SIEVE_AVX2 __attribute__((target("avx2"), flatten))

SIEVE_AVX512 void hash_many_avx512(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length,
                                   size_t n, State* out) {
  hash_many_grouped<16, compress16, tail_avx512>(base, base_size, start, length, n, StateOut{out});
}

SIEVE_AVX512 void hash32_many_avx512(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length,
                                     size_t n, uint32_t* out) {
  hash_many_grouped<16, compress16, tail_avx512>(base, base_size, start, length, n, FirstWordOut{out});
}

SIEVE_AVX2 void hash_many_avx2(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length,
                               size_t n, State* out) {
  hash_many_grouped<8, compress8, tail_generic>(base, base_size, start, length, n, StateOut{out});
}

SIEVE_AVX2 void hash32_many_avx2(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length,
                                 size_t n, uint32_t* out) {
  hash_many_grouped<8, compress8, tail_generic>(base, base_size, start, length, n, FirstWordOut{out});
}

#undef SIEVE_AVX512
#undef SIEVE_AVX2

#else

void hash_many_avx512(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length, size_t n,
                      State* out) {
  hash_many_single(base, base_size, start, length, n, out);
}

void hash32_many_avx512(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length, size_t n,
                        uint32_t* out) {
  hash32_many_single(base, base_size, start, length, n, out);
}

void hash_many_avx2(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length, size_t n,
                    State* out) {
  hash_many_single(base, base_size, start, length, n, out);
}

void hash32_many_avx2(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length, size_t n,
                      uint32_t* out) {
  hash32_many_single(base, base_size, start, length, n, out);
}

#endif

// On the Sapphire Rapids core measured, for 93-byte messages: 16 AVX-512 lanes ~30 ns per message,
// 8 AVX2 lanes ~90 ns, SHA-NI one message at a time ~140 ns, portable ~210 ns.
HashManyFn best_many() {
  const cpu::Features f = cpu::enabled();
  if (f.avx512bw) return hash_many_avx512;
  if (f.avx2) return hash_many_avx2;
  return hash_many_single;
}

Hash32ManyFn best_many32() {
  const cpu::Features f = cpu::enabled();
  if (f.avx512bw) return hash32_many_avx512;
  if (f.avx2) return hash32_many_avx2;
  return hash32_many_single;
}

const char* best_many_name() {
  const cpu::Features f = cpu::enabled();
  if (f.avx512bw) return "avx512x16";
  if (f.avx2) return "avx2x8";
  return best_name();
}

}  // namespace sieve::sha1
