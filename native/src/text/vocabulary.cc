#include "vocabulary.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace sieve::text {

namespace {

// Words of up to this many units (nearly all) are read as three 64-bit lanes masked to their
// length: no loop whose trip count varies with the word, and a hit compares three lanes instead of
// calling memcmp. Longer words compare these lanes, then the rest with memcmp.
constexpr size_t kLaneUnits = 12;

// The table has at least this many slots per distinct word: with most probes ending at the first
// slot, the branch that leaves the probe loop rarely mispredicts.
constexpr size_t kSpread = 8;

// kKeep + kLaneUnits - length, read as lanes, keeps a word's first `length` units and clears the rest.
alignas(64) constexpr uint16_t kKeep[2 * kLaneUnits] = {0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff,
                                                        0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff};

uint64_t Lane(const uint16_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// A distinct word as a probe compares it: its first kLaneUnits units (masked to its length), its
// length and its hash (kept for when the table grows). One aligned 32-byte record per id.
struct alignas(32) Key {
  uint64_t a, b, c;
  uint32_t length;
  uint32_t hash;
};

// The lanes of the word text[start, start + length), into `key`. The loads run past the word (into
// the next words); a word too near the end of the text is first copied out.
void LoadLanes(const uint16_t* text, size_t n, size_t start, size_t length, Key& key) {
  const uint16_t* word = text + start;
  uint16_t padded[kLaneUnits];
  if (start + kLaneUnits > n) {
    // Rare (the last words of a text): a copy, then loads that stall on store forwarding.
    std::memset(padded, 0, sizeof padded);
    std::memcpy(padded, word, std::min(length, kLaneUnits) * sizeof(uint16_t));
    word = padded;
  }
  const uint16_t* keep = kKeep + kLaneUnits - std::min(length, kLaneUnits);
  key.a = Lane(word) & Lane(keep);
  key.b = Lane(word + 4) & Lane(keep + 4);
  key.c = Lane(word + 8) & Lane(keep + 8);
}

// Any hash gives the same ids: only equal units make a hit. The lanes' products are independent,
// so they overlap; the high half of their sum depends on every bit of each lane.
uint32_t LaneHash(const Key& key, size_t length) {
  const uint64_t h = (key.a ^ length) * 0x9e3779b97f4a7c15u + key.b * 0xff51afd7ed558ccdu + key.c * 0xc4ceb9fe1a85ec53u;
  return static_cast<uint32_t>(h >> 32);
}

// A hash of a longer word's units, 4 at a time, then unit by unit.
uint32_t LongHash(const uint16_t* word, size_t length) {
  uint64_t h = 0x9e3779b97f4a7c15u ^ length;
  size_t j = 0;
  for (; j + 4 <= length; j += 4) {
    h = (h ^ Lane(word + j)) * 0xff51afd7ed558ccdu;
    h ^= h >> 32;
  }
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

// The value, hidden from the optimizer, which would otherwise split the bitwise tests below back
// into branches, one of which mispredicts on every new word (about 4 words in 10).
template <typename T>
T Opaque(T value) {
#if defined(__GNUC__)
  __asm__("" : "+r"(value));
#endif
  return value;
}

}  // namespace

uint32_t vocabulary(const uint16_t* text, size_t n, const uint32_t* word_starts, uint32_t words, bool surrogates,
                    const VocabularyOutput& out, uint32_t hash_mask) {
  // Open addressing, at most 1/kSpread full: per slot 1 + an id (0 = empty), at the slot the top
  // bits of its hash pick, or the next free one. It starts small, as long texts repeat most of their
  // words, and doubles.
  thread_local std::vector<uint32_t> table;
  // keys[1 + id] for each id; keys[0], which empty slots point to, has a length no word has, so
  // that a probe ends on one test, at a hit or at an empty slot alike.
  thread_local std::vector<Key> key_table;
  size_t size = 16;
  unsigned shift = 28;
  while (size < kSpread * std::min<size_t>(words, 256 + (words >> 2))) size *= 2, shift--;
  // Room for keys[1 + distinct], written for every word (below), until the table grows.
  if (table.size() < size) table.resize(size);
  if (key_table.size() < size / kSpread + 2) key_table.resize(size / kSpread + 2);
  // Plain pointers: Node builds addons with -fno-strict-aliasing, so a store through any of them
  // would otherwise reload the vector's own pointer.
  uint32_t* slots = table.data();
  std::fill(slots, slots + size, 0);
  Key* keys = key_table.data();
  keys[0].length = ~0u;
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
    Key word;
    LoadLanes(text, n, start, length, word);
    word.length = static_cast<uint32_t>(length);
    word.hash = (length <= kLaneUnits ? LaneHash(word, length) : LongHash(text + start, length)) & hash_mask;
    size_t slot = word.hash >> shift;
    uint32_t entry;
    if (length <= kLaneUnits) {
      for (;;) {
        entry = slots[slot];
        const Key& key = keys[entry];
        // Bitwise, not short-circuit: one branch for a hit and an empty slot alike.
        const bool match = (key.length == length) & (((key.a ^ word.a) | (key.b ^ word.b) | (key.c ^ word.c)) == 0);
        if (Opaque(static_cast<unsigned>(entry == 0) | static_cast<unsigned>(match))) break;
        slot = (slot + 1) & mask;
      }
    } else {
      for (;;) {
        entry = slots[slot];
        if (entry == 0) break;
        const Key& key = keys[entry];
        if (key.hash == word.hash && key.length == length &&
            std::memcmp(text + first_starts[entry - 1], text + start, length * sizeof(uint16_t)) == 0) {
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    // The fields of a new id are written whether or not the word is new: id `distinct` is not yet
    // taken (distinct <= w < words), and a hit leaves them to be overwritten. An empty slot's entry
    // is 0, so the id and the slot's entry come out of arithmetic, not a branch.
    const uint32_t fresh = Opaque(static_cast<uint32_t>(entry == 0));
    const uint32_t id = entry - 1 + ((distinct + 1) & (0u - fresh));
    slots[slot] = id + 1;
    keys[distinct + 1] = word;
    first_starts[distinct] = static_cast<uint32_t>(start);
    unit_lengths[distinct] = static_cast<uint32_t>(length);
    counts[distinct] = 0;
    counts[id]++;
    ids[w] = id;
    distinct += fresh;
    if (kSpread * static_cast<size_t>(distinct) > size) {
      // Twice the slots: every id moves to the slot its hash picks in the bigger table.
      size *= 2;
      shift--;
      mask = size - 1;
      if (table.size() < size) table.resize(size);
      if (key_table.size() < size / kSpread + 2) key_table.resize(size / kSpread + 2);
      slots = table.data();
      keys = key_table.data();
      std::fill(slots, slots + size, 0);
      for (uint32_t moved = 1; moved <= distinct; moved++) {
        size_t s = keys[moved].hash >> shift;
        while (slots[s] != 0) s = (s + 1) & mask;
        slots[s] = moved;
      }
    }
  }
  if (surrogates) {
    for (uint32_t id = 0; id < distinct; id++) out.lengths[id] = CodePoints(text + first_starts[id], unit_lengths[id]);
  }
  return distinct;
}

}  // namespace sieve::text
