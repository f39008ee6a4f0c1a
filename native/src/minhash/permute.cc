#include "permute.hpp"

#include <algorithm>

#include "../common/cpu_features.hpp"
#include "permutations.hpp"

#include "../common/x86_simd.hpp"
#if defined(SIEVE_X86)
#include <cpuid.h>
#endif

namespace sieve::minhash {

namespace {

constexpr uint64_t kMersenne61 = (uint64_t{1} << 61) - 1;

// The table split for 32x32->64 multiplies: h * a mod 2^64 = h * lo(a) + (lo(h * hi(a)) << 32). The
// vector versions add b + 1 rather than b (see below); b < 2^61 - 1, so b + 1 < 2^61.
struct SplitTable {
  alignas(64) uint64_t a_lo[kNumPermutations];
  alignas(64) uint64_t a_hi[kNumPermutations];
  alignas(64) uint64_t b1[kNumPermutations];
  // For the 52-bit multiplies (IFMA): a mod 2^52 and b + 8.
  alignas(64) uint64_t a52[kNumPermutations];
  alignas(64) uint64_t b8[kNumPermutations];
  SplitTable() {
    for (int i = 0; i < kNumPermutations; i++) {
      a_lo[i] = kPermA[i] & 0xffffffffu;
      a_hi[i] = kPermA[i] >> 32;
      b1[i] = kPermB[i] + 1;
      a52[i] = kPermA[i] & ((uint64_t{1} << 52) - 1);
      b8[i] = kPermB[i] + 8;
    }
  }
};

[[maybe_unused]] const SplitTable& table() {
  static const SplitTable t;
  return t;
}

}  // namespace

// Permutations [first, first + count) only.
void permute_range_portable(const uint32_t* hashes, size_t n, uint32_t* out, int first, int count) {
  for (int i = first; i < first + count; i++) {
    const uint64_t a = kPermA[i];
    const uint64_t b = kPermB[i];
    uint32_t m = 0xffffffffu;
    for (size_t j = 0; j < n; j++) {
      const uint64_t x = static_cast<uint64_t>(hashes[j]) * a + b;
      // x mod (2^61 - 1): fold the top 3 bits onto the low 61, then subtract once if needed.
      uint64_t y = (x & kMersenne61) + (x >> 61);
      if (y >= kMersenne61) y -= kMersenne61;
      m = std::min(m, static_cast<uint32_t>(y));
    }
    out[i] = m;
  }
}

void permute_min_portable(const uint32_t* hashes, size_t n, uint32_t* out) {
  permute_range_portable(hashes, n, out, 0, kNumPermutations);
}

#if defined(SIEVE_X86)

// Vector form, per 64-bit lane, with x = h * a + b mod 2^64 = T 2^61 + R (T < 8, R <= P) and the
// exact value v = lo32(x mod P): the lane computes x' = h * a + (b + 1) mod 2^64 = x + 1 and
// q = lo32(x' + (x' >> 61)), then takes the minimum of q on 32-bit lanes, whose even (low) halves
// are the values (the odd halves are ignored). When R + T < P, x mod P = R + T and q = v + 1
// (mod 2^32). Otherwise (R + T >= P) q <= 7. So if the minimum of q over the hashes is
// 8 or more, every q was v + 1 without wrapping and the minimum of v is that minimum - 1; if it is
// at most 7 (about 8 n / 2^32 per permutation: v <= 6, v = 2^32 - 1, or the 2^-58-rare R + T >= P)
// the group is redone exactly. That costs no per-lane check in the loop, and x & P is never formed:
// it only differs from x above bit 31.

__attribute__((target("avx2"))) void permute_min_avx2(const uint32_t* hashes, size_t n, uint32_t* out) {
  const SplitTable& t = table();
  const __m256i even = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
  const __m256i seven = _mm256_set1_epi32(7);
  const __m256i one = _mm256_set1_epi32(1);
  for (int g = 0; g < kNumPermutations; g += 8) {
    const __m256i a_lo0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(t.a_lo + g));
    const __m256i a_hi0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(t.a_hi + g));
    const __m256i b0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(t.b1 + g));
    const __m256i a_lo1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(t.a_lo + g + 4));
    const __m256i a_hi1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(t.a_hi + g + 4));
    const __m256i b1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(t.b1 + g + 4));
    __m256i m0 = _mm256_set1_epi32(-1), m1 = m0;
    for (size_t j = 0; j < n; j++) {
      const __m256i h = _mm256_set1_epi64x(static_cast<long long>(hashes[j]));
      const __m256i x0 = _mm256_add_epi64(
          _mm256_add_epi64(_mm256_mul_epu32(h, a_lo0), _mm256_slli_epi64(_mm256_mul_epu32(h, a_hi0), 32)), b0);
      const __m256i x1 = _mm256_add_epi64(
          _mm256_add_epi64(_mm256_mul_epu32(h, a_lo1), _mm256_slli_epi64(_mm256_mul_epu32(h, a_hi1), 32)), b1);
      m0 = _mm256_min_epu32(m0, _mm256_add_epi64(x0, _mm256_srli_epi64(x0, 61)));
      m1 = _mm256_min_epu32(m1, _mm256_add_epi64(x1, _mm256_srli_epi64(x1, 61)));
    }
    const __m256i q = _mm256_permute2x128_si256(_mm256_permutevar8x32_epi32(m0, even), _mm256_permutevar8x32_epi32(m1, even), 0x20);
    if (_mm256_movemask_epi8(_mm256_cmpeq_epi32(_mm256_min_epu32(q, seven), q)) != 0) {
      permute_range_portable(hashes, n, out, g, 8);
    } else {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + g), _mm256_sub_epi32(q, one));
    }
  }
}

__attribute__((target("avx512f,avx2"))) void permute_min_avx512(const uint32_t* hashes, size_t n, uint32_t* out) {
  const SplitTable& t = table();
  const __m512i low = _mm512_set1_epi64(0xffffffff);
  const __m256i one = _mm256_set1_epi32(1);
  // Four groups of 8 permutations per pass over the hashes: one broadcast serves 32 permutations.
  constexpr int kGroups = 4;
  for (int g = 0; g < kNumPermutations; g += 8 * kGroups) {
    __m512i a_lo[kGroups], a_hi[kGroups], b[kGroups], m[kGroups];
    for (int k = 0; k < kGroups; k++) {
      a_lo[k] = _mm512_load_si512(t.a_lo + g + 8 * k);
      a_hi[k] = _mm512_load_si512(t.a_hi + g + 8 * k);
      b[k] = _mm512_load_si512(t.b1 + g + 8 * k);
      m[k] = _mm512_set1_epi32(-1);
    }
    for (size_t j = 0; j < n; j++) {
      const __m512i h = _mm512_set1_epi64(static_cast<long long>(hashes[j]));
      for (int k = 0; k < kGroups; k++) {
        const __m512i x = _mm512_add_epi64(
            _mm512_add_epi64(_mm512_mul_epu32(h, a_lo[k]), _mm512_slli_epi64(_mm512_mul_epu32(h, a_hi[k]), 32)), b[k]);
        m[k] = _mm512_min_epu32(m[k], _mm512_add_epi64(x, _mm512_srli_epi64(x, 61)));
      }
    }
    for (int k = 0; k < kGroups; k++) {
      if (_mm512_cmple_epu64_mask(_mm512_and_si512(m[k], low), _mm512_set1_epi64(7)) != 0) {
        permute_range_portable(hashes, n, out, g + 8 * k, 8);
      } else {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + g + 8 * k), _mm256_sub_epi32(_mm512_cvtepi64_epi32(m[k]), one));
      }
    }
  }
}

// With IFMA, in two passes, per permutation. With x = h * a + b mod 2^64 as above, c = lo32(x)
// is one 52-bit multiply-add: lo32(b + lo52(h * (a mod 2^52))). The exact value is v = c + T
// (T = x >> 61 < 8) unless (x & P) + T >= P, which needs c >= 2^32 - 8.
// Pass 1 takes m8 = min of lo32(c + 8) (b + 8 in the multiply-add) over the hashes, keeping the
// minimum of each block of hashes too. If m8 <= 7 some c is at least 2^32 - 8 and the group is
// redone exactly (about 8 n / 2^32 per permutation). Otherwise no c + T wraps, every v = c + T,
// m = m8 - 8 is the minimum of c, and the minimum of v is reached at some hash with c <= m + 7,
// since any other has v >= c >= m + 8 > (v at the c = m hash).
// Pass 2 rescans only the blocks whose minimum is within 7 of m8 (about one per permutation),
// finds the candidates there as lo32(c + 8 - m8) = c - m <= 7 (b + 8 - m8 in the multiply-add)
// and takes their exact values. Per hash and 8 permutations that is one multiply-add and one
// minimum, against eight operations in one pass.
__attribute__((target("avx512f,avx512ifma,avx2"))) void permute_min_ifma(const uint32_t* hashes, size_t n, uint32_t* out) {
  const SplitTable& t = table();
  const __m512i low = _mm512_set1_epi64(0xffffffff);
  const __m512i seven = _mm512_set1_epi32(7);
  const __m512i ones = _mm512_set1_epi32(-1);
  // 64 permutations (8 vectors) at a time: their a, b + 8 and block minima stay in registers.
  constexpr int kVectors = 8;
  // At most kMaxBlocks blocks of at least 16 hashes each.
  constexpr size_t kMaxBlocks = 64;
  const size_t block = std::max<size_t>(16, (n + kMaxBlocks - 1) / kMaxBlocks);
  const size_t blocks = (n + block - 1) / block;
  alignas(64) uint32_t block_min[kMaxBlocks][kVectors][16];
  for (int g = 0; g < kNumPermutations; g += 8 * kVectors) {
    __m512i a[kVectors], acc[kVectors];
    for (int k = 0; k < kVectors; k++) {
      a[k] = _mm512_load_si512(t.a52 + g + 8 * k);
      acc[k] = _mm512_load_si512(t.b8 + g + 8 * k);
    }
    for (size_t b = 0; b < blocks; b++) {
      __m512i m[kVectors];
      for (int k = 0; k < kVectors; k++) m[k] = ones;
      for (size_t j = b * block, end = std::min(n, j + block); j < end; j++) {
        const __m512i h = _mm512_set1_epi64(static_cast<long long>(hashes[j]));
        for (int k = 0; k < kVectors; k++) m[k] = _mm512_min_epu32(m[k], _mm512_madd52lo_epu64(acc[k], h, a[k]));
      }
      for (int k = 0; k < kVectors; k++) _mm512_store_si512(block_min[b][k], m[k]);
    }
    // The minima are the even (low) 32-bit halves; the odd ones are ignored.
    unsigned redo = 0;
    __m512i limit[kVectors];
    for (int k = 0; k < kVectors; k++) {
      __m512i m8 = ones;
      for (size_t b = 0; b < blocks; b++) m8 = _mm512_min_epu32(m8, _mm512_load_si512(block_min[b][k]));
      if (_mm512_mask_cmple_epu32_mask(0x5555, m8, seven) != 0) redo |= 1u << k;
      // m8 + 7, or 2^32 - 1 where that would wrap.
      limit[k] = _mm512_add_epi32(_mm512_min_epu32(m8, _mm512_set1_epi32(-8)), seven);
      acc[k] = _mm512_sub_epi64(acc[k], _mm512_and_si512(m8, low));
    }
    alignas(64) uint32_t best[8 * kVectors];
    std::fill(best, best + 8 * kVectors, 0xffffffffu);
    for (size_t b = 0; b < blocks; b++) {
      for (int k = 0; k < kVectors; k++) {
        if (_mm512_mask_cmple_epu32_mask(0x5555, _mm512_load_si512(block_min[b][k]), limit[k]) == 0) continue;
        for (size_t j = b * block, end = std::min(n, j + block); j < end; j++) {
          const __m512i h = _mm512_set1_epi64(static_cast<long long>(hashes[j]));
          for (uint32_t lanes = _mm512_mask_cmple_epu32_mask(0x5555, _mm512_madd52lo_epu64(acc[k], h, a[k]), seven); lanes != 0;
               lanes &= lanes - 1) {
            const int i = 8 * k + __builtin_ctz(lanes) / 2;
            best[i] = std::min(best[i], permute_one(hashes[j], kPermA[g + i], kPermB[g + i]));
          }
        }
      }
    }
    std::copy(best, best + 8 * kVectors, out + g);
    for (int k = 0; k < kVectors; k++) {
      if ((redo >> k) & 1u) permute_range_portable(hashes, n, out, g + 8 * k, 8);
    }
  }
}

bool has_ifma() {
  static const bool ifma = [] {
    unsigned a = 0, b = 0, c = 0, d = 0;
    return __get_cpuid_count(7, 0, &a, &b, &c, &d) != 0 && ((b >> 21) & 1u) != 0;
  }();
  return ifma;
}

#else

void permute_min_avx2(const uint32_t* hashes, size_t n, uint32_t* out) { permute_min_portable(hashes, n, out); }
void permute_min_avx512(const uint32_t* hashes, size_t n, uint32_t* out) { permute_min_portable(hashes, n, out); }
void permute_min_ifma(const uint32_t* hashes, size_t n, uint32_t* out) { permute_min_portable(hashes, n, out); }
bool has_ifma() { return false; }

#endif

// IFMA comes with AVX-512BW on every CPU that has it (Ice Lake, Sapphire Rapids, Zen 4), and is
// used at that level, so that allow_only() without avx512bw still tests the plain AVX-512 version.
PermuteFn best_permute() {
  const cpu::Features f = cpu::enabled();
  if (f.avx512bw && has_ifma()) return permute_min_ifma;
  if (f.avx512f) return permute_min_avx512;
  if (f.avx2) return permute_min_avx2;
  return permute_min_portable;
}

const char* best_permute_name() {
  const cpu::Features f = cpu::enabled();
  if (f.avx512bw && has_ifma()) return "avx512ifma";
  if (f.avx512f) return "avx512";
  if (f.avx2) return "avx2";
  return "portable";
}

}  // namespace sieve::minhash
