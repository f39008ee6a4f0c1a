// XXH64 (xxHash, 64-bit), written from its public specification.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sieve::xxhash {

uint64_t xxh64(const uint8_t* data, size_t length, uint64_t seed);

}  // namespace sieve::xxhash

namespace sieve::xxhash {

// XXH64 of items [offsets[k], offsets[k + 1]) of bytes into out[k].
void hashes(const uint8_t* bytes, const uint32_t* offsets, size_t items, uint64_t seed, uint64_t* out,
            unsigned threads);

}  // namespace sieve::xxhash
