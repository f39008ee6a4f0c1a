// The MinHash permutation step (spec section 6 steps 6-7): for every permutation i, the minimum
// over a document's shingle hashes h of phi_i(h) = ((h * a_i + b_i) mod 2^64) mod (2^61 - 1),
// low 32 bits. Portable, AVX2, AVX-512 and AVX-512 IFMA versions, identical results.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sieve::minhash {

// out[i] = min over hashes[0, n) of phi_i(h), for i = 0 .. 127 (2^32 - 1 when n == 0).
using PermuteFn = void (*)(const uint32_t* hashes, size_t n, uint32_t* out);

void permute_min_portable(const uint32_t* hashes, size_t n, uint32_t* out);
void permute_min_avx2(const uint32_t* hashes, size_t n, uint32_t* out);
void permute_min_avx512(const uint32_t* hashes, size_t n, uint32_t* out);
void permute_min_ifma(const uint32_t* hashes, size_t n, uint32_t* out);

// The best version the enabled CPU features allow, and its name ("avx512ifma", "avx512", "avx2",
// "portable").
PermuteFn best_permute();
const char* best_permute_name();

// phi_i(h) for one hash, the definition the vector versions are tested against.
inline uint32_t permute_one(uint32_t h, uint64_t a, uint64_t b) {
  constexpr uint64_t kMersenne61 = (uint64_t{1} << 61) - 1;
  const uint64_t x = static_cast<uint64_t>(h) * a + b;  // wraps mod 2^64, as numpy uint64 does
  return static_cast<uint32_t>(x % kMersenne61);
}

}  // namespace sieve::minhash
