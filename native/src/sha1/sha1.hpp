// SHA-1 (FIPS 180-4), written from the standard: a portable version and one on the x86 SHA
// extensions (SHA-NI), picked per call from the CPU features.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sieve::sha1 {

// The five state words after hashing a message.
struct State {
  uint32_t h[5];
};

using HashFn = State (*)(const uint8_t* data, size_t length);

// Portable SHA-1.
State hash_portable(const uint8_t* data, size_t length);

// SHA-1 on SHA-NI; only call it when cpu::enabled().sha.
State hash_shani(const uint8_t* data, size_t length);

// The best implementation the enabled CPU features allow.
HashFn best();

// Name of the implementation best() returns: "sha-ni" or "portable".
const char* best_name();

// The 20-byte digest (state words big-endian).
void digest(const State& s, uint8_t out[20]);

// MinHash base hash: the first 4 digest bytes read little-endian (datasketch sha1_hash32).
inline uint32_t first_word_le(const State& s) { return __builtin_bswap32(s.h[0]); }

}  // namespace sieve::sha1

namespace sieve::sha1 {

// Digests of items [offsets[k], offsets[k + 1]) of bytes: out[20 k .. 20 k + 19].
void digests(const uint8_t* bytes, const uint32_t* offsets, size_t items, uint8_t* out, unsigned threads);

}  // namespace sieve::sha1
