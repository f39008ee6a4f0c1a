// Parquet's RLE / bit-packed hybrid encoding (definition and repetition levels, dictionary
// indices), decoded in the three ways src/io/parquet-runs.ts needs; the JS there does the same
// where the addon is missing, value for value.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sieve::parquet {

// Results below zero: the data is corrupt.
constexpr int64_t kTruncated = -1;  // runs end before `count` values, or a run passes `to`
constexpr int64_t kBadIndex = -2;   // a dictionary index beyond the dictionary
constexpr int64_t kOverflow = -3;   // more row starts than `offsets` has room for

// The `count` values encoded `width` bits wide in data[from, to), into out. 0, or a status.
int64_t DecodeRuns(const uint8_t* data, size_t from, size_t to, uint32_t width, size_t count, uint32_t* out);

// out[i] = dictionary[value i] for the `count` values. 0, or a status.
int64_t GatherRuns(const uint8_t* data, size_t from, size_t to, uint32_t width, size_t count, const double* dictionary,
                   size_t dictionary_size, double* out);

// For each value i that is 0 (a row starting, in repetition levels), offsets[row++] = base + i, from
// `row` on; offsets has room for `capacity` entries. The new row, or a status.
int64_t RunZeros(const uint8_t* data, size_t from, size_t to, uint32_t width, size_t count, int32_t* offsets,
                 size_t capacity, size_t row, int64_t base);

}  // namespace sieve::parquet
