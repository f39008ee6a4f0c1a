#include "pyhash.hpp"

#include <initializer_list>

namespace sieve::pyhash {

namespace {

inline uint64_t rotl(uint64_t x, int s) { return (x << s) | (x >> (64 - s)); }

inline void sip_round(uint64_t& v0, uint64_t& v1, uint64_t& v2, uint64_t& v3) {
  v0 += v1;
  v1 = rotl(v1, 13) ^ v0;
  v0 = rotl(v0, 32);
  v2 += v3;
  v3 = rotl(v3, 16) ^ v2;
  v0 += v3;
  v3 = rotl(v3, 21) ^ v0;
  v2 += v1;
  v1 = rotl(v1, 17) ^ v2;
  v2 = rotl(v2, 32);
}

inline uint64_t load_le64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

// _Py_HashSecret for PYTHONHASHSEED=42: bytes from the LCG x = x * 214013 + 2531011 (mod 2^32),
// byte = (x >> 16) & 0xff, seeded with 42; k0, k1 = the first two 8-byte groups, little-endian.
struct Keys {
  uint64_t k0 = 0;
  uint64_t k1 = 0;
  Keys() {
    uint8_t bytes[16];
    uint32_t x = 42;
    for (uint8_t& b : bytes) {
      x = x * 214013u + 2531011u;
      b = static_cast<uint8_t>((x >> 16) & 0xffu);
    }
    k0 = load_le64(bytes);
    k1 = load_le64(bytes + 8);
  }
};

const Keys kKeys;

constexpr uint64_t kP1 = 11400714785074694791ULL;
constexpr uint64_t kP2 = 14029467366897019727ULL;
constexpr uint64_t kP5 = 2870177450012600261ULL;

}  // namespace

uint64_t siphash13(uint64_t k0, uint64_t k1, const uint8_t* data, size_t length) {
  uint64_t v0 = k0 ^ 0x736f6d6570736575ULL;  // "somepseudorandomlygeneratedbytes"
  uint64_t v1 = k1 ^ 0x646f72616e646f6dULL;
  uint64_t v2 = k0 ^ 0x6c7967656e657261ULL;
  uint64_t v3 = k1 ^ 0x7465646279746573ULL;
  const size_t full = length & ~static_cast<size_t>(7);
  for (size_t p = 0; p < full; p += 8) {
    const uint64_t m = load_le64(data + p);
    v3 ^= m;
    sip_round(v0, v1, v2, v3);
    v0 ^= m;
  }
  uint64_t last = static_cast<uint64_t>(length & 0xffu) << 56;
  for (size_t i = 0; full + i < length; i++) last |= static_cast<uint64_t>(data[full + i]) << (8 * i);
  v3 ^= last;
  sip_round(v0, v1, v2, v3);
  v0 ^= last;
  v2 ^= 0xff;
  sip_round(v0, v1, v2, v3);
  sip_round(v0, v1, v2, v3);
  sip_round(v0, v1, v2, v3);
  return v0 ^ v1 ^ v2 ^ v3;
}

int64_t str_hash(const uint16_t* units, size_t count) {
  if (count == 0) return 0;
  uint16_t max = 0;
  size_t pairs = 0;
  for (size_t i = 0; i < count; i++) {
    const uint16_t c = units[i];
    if (c > max) max = c;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < count && units[i + 1] >= 0xdc00 && units[i + 1] <= 0xdfff) {
      pairs++;
      i++;
    }
  }
  // The PEP 393 buffer: 1, 2 or 4 bytes per code point, little-endian.
  uint8_t small[256];
  uint8_t* buf = small;
  const size_t width = pairs > 0 ? 4 : max > 0xff ? 2 : 1;
  const size_t length = width * (count - pairs);
  uint8_t* heap = nullptr;
  if (length > sizeof small) buf = heap = new uint8_t[length];
  if (width == 1) {
    for (size_t i = 0; i < count; i++) buf[i] = static_cast<uint8_t>(units[i]);
  } else if (width == 2) {
    for (size_t i = 0; i < count; i++) {
      buf[2 * i] = static_cast<uint8_t>(units[i]);
      buf[2 * i + 1] = static_cast<uint8_t>(units[i] >> 8);
    }
  } else {
    size_t p = 0;
    for (size_t i = 0; i < count; i++) {
      uint32_t cp = units[i];
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < count && units[i + 1] >= 0xdc00 && units[i + 1] <= 0xdfff) {
        cp = ((cp - 0xd800u) << 10) + (units[i + 1] - 0xdc00u) + 0x10000u;
        i++;
      }
      buf[p] = static_cast<uint8_t>(cp);
      buf[p + 1] = static_cast<uint8_t>(cp >> 8);
      buf[p + 2] = static_cast<uint8_t>(cp >> 16);
      buf[p + 3] = 0;
      p += 4;
    }
  }
  const int64_t h = static_cast<int64_t>(siphash13(kKeys.k0, kKeys.k1, buf, length));
  delete[] heap;
  return h == -1 ? -2 : h;
}

int64_t pair_hash(int64_t x, int64_t y) {
  uint64_t acc = kP5;
  for (const int64_t item : {x, y}) {
    acc += static_cast<uint64_t>(item) * kP2;
    acc = rotl(acc, 31);
    acc *= kP1;
  }
  acc += 2u ^ (kP5 ^ 3527539u);
  if (acc == ~uint64_t{0}) return 1546275796;
  return static_cast<int64_t>(acc);
}

}  // namespace sieve::pyhash
