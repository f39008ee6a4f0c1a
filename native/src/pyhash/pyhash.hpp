// CPython 3.11's hash() of str and of 2-tuples with PYTHONHASHSEED=42 (spec section 8.1): SipHash-1-3
// over the PEP 393 buffer of the string, and CPython's xxHash-style tuple combination.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sieve::pyhash {

// SipHash-1-3 (one compression round per 8-byte word, three finalization rounds) with key (k0, k1).
uint64_t siphash13(uint64_t k0, uint64_t k1, const uint8_t* data, size_t length);

// hash(s) for the str whose UTF-16 code units are units[0, count): a surrogate pair is one astral
// code point, a lone surrogate a code point of its own. 0 for the empty string; -1 becomes -2.
int64_t str_hash(const uint16_t* units, size_t count);

// hash((x, y)) for two items with hashes x and y.
int64_t pair_hash(int64_t x, int64_t y);

// abs(h) % m as Python computes it (no overflow at -2^63).
inline uint32_t abs_mod(int64_t h, uint32_t m) {
  const uint64_t magnitude = h < 0 ? uint64_t{0} - static_cast<uint64_t>(h) : static_cast<uint64_t>(h);
  return static_cast<uint32_t>(magnitude % m);
}

}  // namespace sieve::pyhash
