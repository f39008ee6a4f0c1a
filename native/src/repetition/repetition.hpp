// The integer work of the nine repetition signals (spec §3.3; signals/repetition.ts holds the JS
// version and the reasoning): word chars in the most frequent 2/3/4-gram and in repeated 5..10-grams.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sieve::repetition {

// Values written by `sums`.
constexpr size_t kSums = 10;

// For the word-id sequence ids[0, words) (words < 2^31) with occurrences counts[id] and
// code-point lengths lengths[id] (every id indexes both and is below 2^32 - 1), writes
// out[0] = chars of all words; out[1..3] = chars × count of the most frequent 2/3/4-gram (ties to
// the first seen; 0 when none repeats), at most 4 × out[0]; out[4..9] = chars of the words covered
// by 5..10-grams occurring at least twice. All are integers, exact as doubles while 4 × out[0] <
// 2^53 (any JS string's words qualify), so dividing by out[0] in JS gives the JS path's doubles.
void sums(const uint32_t* ids, size_t words, const uint32_t* counts, const uint32_t* lengths, double* out);

}  // namespace sieve::repetition
