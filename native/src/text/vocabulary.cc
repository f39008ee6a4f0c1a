#include "vocabulary.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace sieve::text {

namespace {

// A hash of a word's units, 4 at a time. Any hash gives the same ids: only equal units make a hit.
uint32_t WordHash(const uint16_t* word, size_t length) {
  uint64_t h = 0x9e3779b97f4a7c15u ^ length;
  size_t j = 0;
  for (; j + 4 <= length; j += 4) {
    uint64_t chunk;
    std::memcpy(&chunk, word + j, sizeof chunk);
    h = (h ^ chunk) * 0xff51afd7ed558ccdu;
    h ^= h >> 32;
  }
  // Unit by unit: a short copy into `tail` then read whole would stall on store forwarding.
  uint64_t tail = 0;
  for (unsigned shift = 0; j < length; j++, shift += 16) tail |= static_cast<uint64_t>(word[j]) << shift;
  h = (h ^ tail) * 0xc4ceb9fe1a85ec53u;
  return static_cast<uint32_t>(h >> 32);
}

// Code points of a word: its units, less one per surrogate pair.
uint32_t CodePoints(const uint16_t* word, size_t length) {
  size_t pairs = 0;
  for (size_t i = 0; i + 1 < length; i++) {
    if (word[i] >= 0xd800 && word[i] <= 0xdbff && word[i + 1] >= 0xdc00 && word[i + 1] <= 0xdfff) {
      pairs++;
      i++;
    }
  }
  return static_cast<uint32_t>(length - pairs);
}

}  // namespace

uint32_t vocabulary(const uint16_t* text, size_t n, const uint32_t* word_starts, uint32_t words, bool surrogates,
                    const VocabularyOutput& out) {
  // Open addressing, at most half full: per slot the word's hash in the high half and 1 + its id in
  // the low half (0 = empty). It starts small, as long texts repeat most of their words, and doubles.
  thread_local std::vector<uint64_t> table;
  size_t size = 16;
  while (size < 2 * std::min<size_t>(words, 256 + (words >> 2))) size *= 2;
  if (table.size() < size) table.resize(size);
  // Plain pointers: Node builds addons with -fno-strict-aliasing, so a store through any of them
  // would otherwise reload the vector's own pointer.
  uint64_t* slots = table.data();
  std::fill(slots, slots + size, 0);
  uint32_t* __restrict const ids = out.ids;
  uint32_t* __restrict const first_starts = out.first_starts;
  uint32_t* __restrict const unit_lengths = out.unit_lengths;
  uint32_t* __restrict const counts = out.counts;
  size_t mask = size - 1;
  uint32_t distinct = 0;
  for (uint32_t w = 0; w < words; w++) {
    const size_t start = word_starts[w];
    const size_t end = static_cast<size_t>(word_starts[w + 1]) - 1;
    if (word_starts[w + 1] == 0 || end < start || end > n) throw std::out_of_range("wordStarts puts a word outside the text");
    const size_t length = end - start;
    const uint16_t* word = text + start;
    const uint32_t hash = WordHash(word, length);
    size_t slot = hash & mask;
    uint32_t id;
    for (;;) {
      const uint64_t entry = slots[slot];
      if (entry == 0) {
        id = distinct++;
        slots[slot] = (static_cast<uint64_t>(hash) << 32) | (id + 1);
        first_starts[id] = static_cast<uint32_t>(start);
        unit_lengths[id] = static_cast<uint32_t>(length);
        counts[id] = 0;
        if (surrogates) out.lengths[id] = CodePoints(word, length);
        break;
      }
      id = static_cast<uint32_t>(entry) - 1;
      if (static_cast<uint32_t>(entry >> 32) == hash && unit_lengths[id] == length &&
          std::memcmp(text + first_starts[id], word, length * sizeof(uint16_t)) == 0) {
        break;
      }
      slot = (slot + 1) & mask;
    }
    counts[id]++;
    ids[w] = id;
    if (2 * static_cast<size_t>(distinct) > size) {
      // Twice the slots: every entry moves to the slot its hash picks in the bigger table.
      std::vector<uint64_t> old(slots, slots + size);
      size *= 2;
      mask = size - 1;
      if (table.size() < size) table.resize(size);
      slots = table.data();
      std::fill(slots, slots + size, 0);
      for (const uint64_t entry : old) {
        if (entry == 0) continue;
        size_t s = (entry >> 32) & mask;
        while (slots[s] != 0) s = (s + 1) & mask;
        slots[s] = entry;
      }
    }
  }
  return distinct;
}

}  // namespace sieve::text
