// Per-thread work of the CUDA MinHash kernels, as plain functions that compile both for the GPU
// (nvcc) and for the host (any C++ compiler): a test runs them on the CPU against the cpu backend,
// so the device arithmetic is checked on machines without a GPU.
#ifndef SIEVE_CUDA_KERNELS_CUH_
#define SIEVE_CUDA_KERNELS_CUH_

#include <stdint.h>

#if defined(__CUDACC__)
#define SIEVE_HD __host__ __device__ __forceinline__
#else
#define SIEVE_HD inline
#endif

namespace sieve_cuda {

constexpr uint64_t kMersenne61 = (uint64_t{1} << 61) - 1;
constexpr int kPermutations = 128;

SIEVE_HD uint32_t rotl32(uint32_t x, int s) { return (x << s) | (x >> (32 - s)); }

// Byte `pos` of the padded SHA-1 message of `data[0, length)`: the data, 0x80, zeros, and the bit
// length as a big-endian uint64 in the last 8 bytes of the last block (`total` bytes in all).
SIEVE_HD uint32_t padded_byte(const uint8_t* data, uint32_t length, uint32_t total, uint32_t pos) {
  if (pos < length) return data[pos];
  if (pos == length) return 0x80u;
  if (pos + 8 >= total) {
    const uint64_t bits = static_cast<uint64_t>(length) * 8u;
    const uint32_t shift = 8u * (total - 1 - pos);
    return shift < 64 ? static_cast<uint32_t>((bits >> shift) & 0xffu) : 0u;
  }
  return 0u;
}

// SHA-1 (FIPS 180-4) of data[0, length), reading the message byte by byte (each block's words are
// assembled from bytes, so no padded copy is needed); returns the first 4 digest bytes read
// little-endian (the MinHash base hash).
SIEVE_HD uint32_t sha1_hash32(const uint8_t* data, uint32_t length) {
  const uint32_t blocks = length / 64 + (length % 64 < 56 ? 1 : 2);
  const uint32_t total = 64 * blocks;
  uint32_t h0 = 0x67452301u, h1 = 0xefcdab89u, h2 = 0x98badcfeu, h3 = 0x10325476u, h4 = 0xc3d2e1f0u;
  for (uint32_t b = 0; b < blocks; b++) {
    uint32_t w[16];
    const uint32_t base = 64 * b;
    const bool whole = base + 64 <= length;
    for (int t = 0; t < 16; t++) {
      const uint32_t p = base + 4 * static_cast<uint32_t>(t);
      if (whole) {
        w[t] = (static_cast<uint32_t>(data[p]) << 24) | (static_cast<uint32_t>(data[p + 1]) << 16) |
               (static_cast<uint32_t>(data[p + 2]) << 8) | data[p + 3];
      } else {
        w[t] = (padded_byte(data, length, total, p) << 24) | (padded_byte(data, length, total, p + 1) << 16) |
               (padded_byte(data, length, total, p + 2) << 8) | padded_byte(data, length, total, p + 3);
      }
    }
    uint32_t a = h0, bb = h1, c = h2, d = h3, e = h4;
    for (int t = 0; t < 80; t++) {
      if (t >= 16) w[t & 15] = rotl32(w[(t - 3) & 15] ^ w[(t - 8) & 15] ^ w[(t - 14) & 15] ^ w[t & 15], 1);
      uint32_t f, k;
      if (t < 20) {
        f = (bb & c) | (~bb & d);
        k = 0x5a827999u;
      } else if (t < 40) {
        f = bb ^ c ^ d;
        k = 0x6ed9eba1u;
      } else if (t < 60) {
        f = (bb & c) | (bb & d) | (c & d);
        k = 0x8f1bbcdcu;
      } else {
        f = bb ^ c ^ d;
        k = 0xca62c1d6u;
      }
      const uint32_t x = rotl32(a, 5) + f + e + k + w[t & 15];
      e = d;
      d = c;
      c = rotl32(bb, 30);
      bb = a;
      a = x;
    }
    h0 += a;
    h1 += bb;
    h2 += c;
    h3 += d;
    h4 += e;
  }
  return (h0 >> 24) | ((h0 >> 8) & 0xff00u) | ((h0 << 8) & 0xff0000u) | (h0 << 24);
}

// phi(h) = ((h * a + b) mod 2^64) mod (2^61 - 1), low 32 bits (spec section 6 step 6).
SIEVE_HD uint32_t permute(uint32_t h, uint64_t a, uint64_t b) {
  const uint64_t x = static_cast<uint64_t>(h) * a + b;
  uint64_t y = (x & kMersenne61) + (x >> 61);
  if (y >= kMersenne61) y -= kMersenne61;
  return static_cast<uint32_t>(y);
}

// One tile of the MinHash kernel for permutation (a, b): walks the tile's shingles in order, keeps
// the running minimum of the current document, and hands each document's minimum to `flush`
// (atomicMin on the GPU) when the document changes and at the end.
template <class Flush>
SIEVE_HD void minhash_tile(const uint32_t* hashes, const uint32_t* docs, uint32_t count, uint64_t a, uint64_t b,
                           Flush flush) {
  uint32_t current = 0xffffffffu;
  uint32_t m = 0xffffffffu;
  for (uint32_t j = 0; j < count; j++) {
    const uint32_t d = docs[j];
    if (d != current) {
      if (current != 0xffffffffu) flush(current, m);
      current = d;
      m = 0xffffffffu;
    }
    const uint32_t v = permute(hashes[j], a, b);
    m = v < m ? v : m;
  }
  if (current != 0xffffffffu) flush(current, m);
}

}  // namespace sieve_cuda

#endif  // SIEVE_CUDA_KERNELS_CUH_
