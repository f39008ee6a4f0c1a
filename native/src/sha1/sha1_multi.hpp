// Many SHA-1 messages at once. With AVX-512 (16 lanes) or AVX2 (8 lanes), one SIMD lane hashes
// one message: messages are gathered by block count and hashed in groups of equal count, so no lane
// idles. Each block step loads one 64-byte block per lane and transposes them so that vector t
// holds word t of every lane, then runs the 80 rounds on all lanes together. Without those features
// (or for messages over 8 blocks) the messages are hashed one by one (SHA-NI or portable).
#pragma once

#include <cstddef>
#include <cstdint>

#include "sha1.hpp"

namespace sieve::sha1 {

// out[i] = SHA-1 state after hashing base[start[i], start[i] + length[i]); base_size bytes from
// base are readable (the vector versions may read a whole block past a message's end within them).
using HashManyFn = void (*)(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length,
                            size_t n, State* out);

void hash_many_single(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length, size_t n,
                      State* out);
void hash_many_avx2(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length, size_t n,
                    State* out);
void hash_many_avx512(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length, size_t n,
                      State* out);

// out[i] = first_word_le(SHA-1 of message i): the MinHash base hash only.
using Hash32ManyFn = void (*)(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length,
                              size_t n, uint32_t* out);

void hash32_many_single(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length, size_t n,
                        uint32_t* out);
void hash32_many_avx2(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length, size_t n,
                      uint32_t* out);
void hash32_many_avx512(const uint8_t* base, size_t base_size, const uint32_t* start, const uint32_t* length, size_t n,
                        uint32_t* out);
Hash32ManyFn best_many32();

// The fastest the enabled features allow, and its name ("avx512x16", "sha-ni", "avx2x8", "portable").
HashManyFn best_many();
const char* best_many_name();

}  // namespace sieve::sha1
