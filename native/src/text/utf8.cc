#include "utf8.hpp"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sieve::text {

size_t ascii_prefix(const uint8_t* in, size_t n) {
  size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    const int high = _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i)));
    if (high != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(high)));
  }
#endif
  while (i < n && in[i] < 0x80) i++;
  return i;
}

namespace {

bool IsContinuation(uint8_t b) { return (b & 0xc0) == 0x80; }

}  // namespace

size_t utf8_to_utf16(const uint8_t* in, size_t n, uint16_t* out) {
  size_t i = 0;
  size_t o = 0;
  while (i < n) {
#if defined(__SSE2__)
    // ASCII 16 bytes at a time: widened with zeros; a block holding anything else goes unit by unit.
    while (i + 16 <= n) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
      if (_mm_movemask_epi8(bytes) != 0) break;
      const __m128i zero = _mm_setzero_si128();
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + o), _mm_unpacklo_epi8(bytes, zero));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + o + 8), _mm_unpackhi_epi8(bytes, zero));
      i += 16;
      o += 16;
    }
    if (i >= n) break;
#endif
    const uint8_t b = in[i];
    if (b < 0x80) {
      out[o++] = b;
      i++;
    } else if (b >= 0xc2 && b <= 0xdf) {
      if (i + 1 >= n || !IsContinuation(in[i + 1])) return SIZE_MAX;
      out[o++] = static_cast<uint16_t>(((b & 0x1fu) << 6) | (in[i + 1] & 0x3fu));
      i += 2;
    } else if (b >= 0xe0 && b <= 0xef) {
      if (i + 2 >= n || !IsContinuation(in[i + 1]) || !IsContinuation(in[i + 2])) return SIZE_MAX;
      const uint32_t c = ((b & 0x0fu) << 12) | ((in[i + 1] & 0x3fu) << 6) | (in[i + 2] & 0x3fu);
      if (c < 0x800 || (c >= 0xd800 && c <= 0xdfff)) return SIZE_MAX;
      out[o++] = static_cast<uint16_t>(c);
      i += 3;
    } else if (b >= 0xf0 && b <= 0xf4) {
      if (i + 3 >= n || !IsContinuation(in[i + 1]) || !IsContinuation(in[i + 2]) || !IsContinuation(in[i + 3])) return SIZE_MAX;
      const uint32_t c = ((b & 0x07u) << 18) | ((in[i + 1] & 0x3fu) << 12) | ((in[i + 2] & 0x3fu) << 6) | (in[i + 3] & 0x3fu);
      if (c < 0x10000 || c > 0x10ffff) return SIZE_MAX;
      out[o++] = static_cast<uint16_t>(0xd800 + ((c - 0x10000) >> 10));
      out[o++] = static_cast<uint16_t>(0xdc00 + ((c - 0x10000) & 0x3ff));
      i += 4;
    } else {
      return SIZE_MAX;
    }
  }
  return o;
}

}  // namespace sieve::text
