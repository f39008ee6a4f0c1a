// The vocabulary of a normalized text (src/text/text-view.ts `scanVocabulary`): its words as ids
// numbered by first occurrence, with per-id counts, first starts and lengths.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sieve::text {

// Arrays of at least `words` elements each; `lengths` is written only for a text with surrogates.
struct VocabularyOutput {
  uint32_t* ids;           // per word position, its id
  uint32_t* first_starts;  // per id, where its first occurrence starts
  uint32_t* unit_lengths;  // per id, its length in UTF-16 units
  uint32_t* counts;        // per id, its occurrences
  uint32_t* lengths;       // per id, its length in code points (a surrogate pair counts once)
};

// Word w of text[0, n) is text[word_starts[w], word_starts[w + 1] - 1), for w < words; words are
// equal when their units are. Returns the number of ids. Throws std::out_of_range when a word
// does not lie within the text. `hash_mask` is ANDed into every word's hash: tests pass 0 so that
// all words collide.
uint32_t vocabulary(const uint16_t* text, size_t n, const uint32_t* word_starts, uint32_t words, bool surrogates,
                    const VocabularyOutput& out, uint32_t hash_mask = ~0u);

}  // namespace sieve::text
