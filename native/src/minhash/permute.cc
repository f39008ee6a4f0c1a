#include "permute.hpp"

#include <algorithm>

#include "../common/cpu_features.hpp"
#include "permutations.hpp"

#if (defined(__x86_64__) || defined(_M_X64)) && !defined(SIEVE_PORTABLE_ONLY)
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12's AVX-512 intrinsics seed results with _mm512_undefined_*(), which its own
// -Wmaybe-uninitialized then reports inside our functions (a known false positive).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>
#define SIEVE_X86 1
#endif

namespace sieve::minhash {

namespace {

constexpr uint64_t kMersenne61 = (uint64_t{1} << 61) - 1;

// The table split for 32x32->64 multiplies: h * a mod 2^64 = h * lo(a) + (lo(h * hi(a)) << 32).
struct SplitTable {
  alignas(64) uint64_t a_lo[kNumPermutations];
  alignas(64) uint64_t a_hi[kNumPermutations];
  alignas(64) uint64_t b[kNumPermutations];
  SplitTable() {
    for (int i = 0; i < kNumPermutations; i++) {
      a_lo[i] = kPermA[i] & 0xffffffffu;
      a_hi[i] = kPermA[i] >> 32;
      b[i] = kPermB[i];
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

// Vector form, per 64-bit lane: x = mul32(h, lo a) + (mul32(h, hi a) << 32) + b, then
// y = (x & P) + (x >> 61), which is x mod P unless y >= P (y - P has low word lo(y) + 1). The
// minimum is taken on 32-bit lanes, whose even (low) halves are the values; the odd halves are
// ignored. Whether some y reached P is tracked on the side (a running maximum, or an OR of y + 1,
// whose bit 61 is set exactly when y >= P), and such a group is redone exactly: it practically
// never happens (probability about 2^-58 per value) but the result must be exact.

__attribute__((target("avx2"))) void permute_min_avx2(const uint32_t* hashes, size_t n, uint32_t* out) {
  const SplitTable& t = table();
  const __m256i p = _mm256_set1_epi64x(static_cast<long long>(kMersenne61));
  const __m256i one = _mm256_set1_epi64x(1);
  const __m256i even = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
  for (int g = 0; g < kNumPermutations; g += 8) {
    const __m256i a_lo0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(t.a_lo + g));
    const __m256i a_hi0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(t.a_hi + g));
    const __m256i b0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(t.b + g));
    const __m256i a_lo1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(t.a_lo + g + 4));
    const __m256i a_hi1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(t.a_hi + g + 4));
    const __m256i b1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(t.b + g + 4));
    __m256i m0 = _mm256_set1_epi32(-1), m1 = m0;
    __m256i f0 = _mm256_setzero_si256(), f1 = f0;
    for (size_t j = 0; j < n; j++) {
      const __m256i h = _mm256_set1_epi64x(static_cast<long long>(hashes[j]));
      const __m256i x0 = _mm256_add_epi64(
          _mm256_add_epi64(_mm256_mul_epu32(h, a_lo0), _mm256_slli_epi64(_mm256_mul_epu32(h, a_hi0), 32)), b0);
      const __m256i x1 = _mm256_add_epi64(
          _mm256_add_epi64(_mm256_mul_epu32(h, a_lo1), _mm256_slli_epi64(_mm256_mul_epu32(h, a_hi1), 32)), b1);
      const __m256i y0 = _mm256_add_epi64(_mm256_and_si256(x0, p), _mm256_srli_epi64(x0, 61));
      const __m256i y1 = _mm256_add_epi64(_mm256_and_si256(x1, p), _mm256_srli_epi64(x1, 61));
      m0 = _mm256_min_epu32(m0, y0);
      m1 = _mm256_min_epu32(m1, y1);
      f0 = _mm256_or_si256(f0, _mm256_add_epi64(y0, one));
      f1 = _mm256_or_si256(f1, _mm256_add_epi64(y1, one));
    }
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + g), _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(m0, even)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + g + 4), _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(m1, even)));
    const __m256i reached = _mm256_srli_epi64(_mm256_or_si256(f0, f1), 61);
    if (!_mm256_testz_si256(reached, reached)) permute_range_portable(hashes, n, out, g, 8);
  }
}

__attribute__((target("avx512f,avx2"))) void permute_min_avx512(const uint32_t* hashes, size_t n, uint32_t* out) {
  const SplitTable& t = table();
  const __m512i p = _mm512_set1_epi64(static_cast<long long>(kMersenne61));
  // Four groups of 8 permutations per pass over the hashes: one broadcast serves 32 permutations.
  constexpr int kGroups = 4;
  for (int g = 0; g < kNumPermutations; g += 8 * kGroups) {
    __m512i a_lo[kGroups], a_hi[kGroups], b[kGroups], m[kGroups], top[kGroups];
    for (int k = 0; k < kGroups; k++) {
      a_lo[k] = _mm512_load_si512(t.a_lo + g + 8 * k);
      a_hi[k] = _mm512_load_si512(t.a_hi + g + 8 * k);
      b[k] = _mm512_load_si512(t.b + g + 8 * k);
      m[k] = _mm512_set1_epi32(-1);
      top[k] = _mm512_setzero_si512();
    }
    for (size_t j = 0; j < n; j++) {
      const __m512i h = _mm512_set1_epi64(static_cast<long long>(hashes[j]));
      for (int k = 0; k < kGroups; k++) {
        const __m512i x = _mm512_add_epi64(
            _mm512_add_epi64(_mm512_mul_epu32(h, a_lo[k]), _mm512_slli_epi64(_mm512_mul_epu32(h, a_hi[k]), 32)), b[k]);
        const __m512i y = _mm512_add_epi64(_mm512_and_si512(x, p), _mm512_srli_epi64(x, 61));
        m[k] = _mm512_min_epu32(m[k], y);
        top[k] = _mm512_max_epu64(top[k], y);
      }
    }
    for (int k = 0; k < kGroups; k++) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + g + 8 * k), _mm512_cvtepi64_epi32(m[k]));
      if (_mm512_cmpge_epu64_mask(top[k], p) != 0) permute_range_portable(hashes, n, out, g + 8 * k, 8);
    }
  }
}

#else

void permute_min_avx2(const uint32_t* hashes, size_t n, uint32_t* out) { permute_min_portable(hashes, n, out); }
void permute_min_avx512(const uint32_t* hashes, size_t n, uint32_t* out) { permute_min_portable(hashes, n, out); }

#endif

PermuteFn best_permute() {
  const cpu::Features f = cpu::enabled();
  if (f.avx512f) return permute_min_avx512;
  if (f.avx2) return permute_min_avx2;
  return permute_min_portable;
}

const char* best_permute_name() {
  const cpu::Features f = cpu::enabled();
  if (f.avx512f) return "avx512";
  if (f.avx2) return "avx2";
  return "portable";
}

}  // namespace sieve::minhash
