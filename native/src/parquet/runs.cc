#include "runs.hpp"

#include <algorithm>
#include <cstring>

namespace sieve::parquet {
namespace {

// Value i of a bit-packed run of `width`-bit values at run[0, run_bytes): least significant bits
// first. Reads eight bytes at once where they lie within the run.
inline uint32_t Unpack(const uint8_t* run, size_t run_bytes, size_t i, uint32_t width) {
  const uint64_t bit = static_cast<uint64_t>(i) * width;
  const size_t byte = static_cast<size_t>(bit >> 3);
  uint64_t word = 0;
  if (byte + 8 <= run_bytes) {
    std::memcpy(&word, run + byte, 8);
  } else {
    for (size_t k = 0; byte + k < run_bytes && k < 8; k++) word |= static_cast<uint64_t>(run[byte + k]) << (8 * k);
  }
  const uint64_t mask = width == 32 ? 0xffffffffull : (1ull << width) - 1;
  return static_cast<uint32_t>((word >> (bit & 7)) & mask);
}

// Walks the runs, calling repeated(value, n) and packed(run, run_bytes, n) with the values of each
// (n never past `count`). 0, or kTruncated.
template <typename Repeated, typename Packed>
int64_t Walk(const uint8_t* data, size_t from, size_t to, uint32_t width, size_t count, Repeated&& repeated,
             Packed&& packed) {
  size_t p = from;
  size_t left = count;
  const size_t value_bytes = (width + 7) / 8;
  while (left > 0) {
    uint64_t header = 0;
    for (int shift = 0;; shift += 7) {
      if (p >= to || shift > 28) return kTruncated;
      const uint8_t b = data[p++];
      header |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) break;
    }
    // As src/io/parquet-runs.ts, which keeps headers in 31 bits.
    if (header > 0x7fffffff) return kTruncated;
    if ((header & 1) == 0) {
      const size_t n = std::min<size_t>(static_cast<size_t>(header >> 1), left);
      if (p + value_bytes > to) return kTruncated;
      uint32_t value = 0;
      for (size_t k = 0; k < value_bytes; k++) value |= static_cast<uint32_t>(data[p + k]) << (8 * k);
      p += value_bytes;
      if (repeated(value, n) < 0) return kBadIndex;
      left -= n;
    } else {
      const size_t groups = static_cast<size_t>(header >> 1);
      const size_t run_bytes = groups * width;
      if (run_bytes > to - p) return kTruncated;
      const size_t n = std::min<size_t>(groups * 8, left);
      if (packed(data + p, run_bytes, n) < 0) return kBadIndex;
      p += run_bytes;
      left -= n;
    }
  }
  return 0;
}

}  // namespace

int64_t DecodeRuns(const uint8_t* data, size_t from, size_t to, uint32_t width, size_t count, uint32_t* out) {
  size_t o = 0;
  return Walk(
      data, from, to, width, count,
      [&](uint32_t value, size_t n) {
        std::fill(out + o, out + o + n, value);
        o += n;
        return 0;
      },
      [&](const uint8_t* run, size_t run_bytes, size_t n) {
        for (size_t i = 0; i < n; i++) out[o + i] = Unpack(run, run_bytes, i, width);
        o += n;
        return 0;
      });
}

int64_t GatherRuns(const uint8_t* data, size_t from, size_t to, uint32_t width, size_t count, const double* dictionary,
                   size_t dictionary_size, double* out) {
  size_t o = 0;
  return Walk(
      data, from, to, width, count,
      [&](uint32_t value, size_t n) {
        if (value >= dictionary_size) return -1;
        std::fill(out + o, out + o + n, dictionary[value]);
        o += n;
        return 0;
      },
      [&](const uint8_t* run, size_t run_bytes, size_t n) {
        for (size_t i = 0; i < n; i++) {
          const uint32_t index = Unpack(run, run_bytes, i, width);
          if (index >= dictionary_size) return -1;
          out[o + i] = dictionary[index];
        }
        o += n;
        return 0;
      });
}

int64_t RunZeros(const uint8_t* data, size_t from, size_t to, uint32_t width, size_t count, int32_t* offsets,
                 size_t capacity, size_t row, int64_t base) {
  size_t i = 0;
  bool overflow = false;
  const int64_t walked = Walk(
      data, from, to, width, count,
      [&](uint32_t value, size_t n) {
        if (value == 0) {
          if (row + n > capacity) {
            overflow = true;
            return -1;
          }
          for (size_t k = 0; k < n; k++) offsets[row++] = static_cast<int32_t>(base + static_cast<int64_t>(i + k));
        }
        i += n;
        return 0;
      },
      [&](const uint8_t* run, size_t run_bytes, size_t n) {
        for (size_t k = 0; k < n; k++) {
          if (Unpack(run, run_bytes, k, width) != 0) continue;
          if (row >= capacity) {
            overflow = true;
            return -1;
          }
          offsets[row++] = static_cast<int32_t>(base + static_cast<int64_t>(i + k));
        }
        i += n;
        return 0;
      });
  if (overflow) return kOverflow;
  return walked < 0 ? walked : static_cast<int64_t>(row);
}

}  // namespace sieve::parquet
