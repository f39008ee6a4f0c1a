// The one pass over a document's raw text of src/text/scan.ts (`scanTextJs`), for texts whose units
// JS has classified: WordPunct token spans, raw lines with upper-case counts, and the normalized text
// with its word starts and per-line word and numeric counts. The classification tables stay JS's
// (they come from the engine's Unicode data) and are read here in place, in the layout below.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sieve::text {

// UNIT_BOTH[c]: token bits in bits 0–7, write-class bits in bits 8–15, the unit written for an
// inert unit in bits 16–31; 0 until classified (always, for surrogates).
constexpr uint32_t kTokenClass = 3;
constexpr uint32_t kSpaceRun = 2;
constexpr uint32_t kTokenOther = 3;
constexpr uint32_t kWriteKeep = 1;
constexpr uint32_t kWriteExpand = 4;
constexpr uint32_t kWriteSpace = 8;
constexpr uint32_t kWriteSurrogate = 32;
constexpr uint32_t kWriteFallback = 64;
constexpr uint32_t kWriteAstralExpansion = 128;

// EXPANSION_INFO[c] and the astral records' info word: length in bits 0–7, non-starter edges in
// bits 8–9, numeric code points in bits 10–17; astral records add token bits, fallback and known.
constexpr uint32_t kStartsNonStarter = 1u << 8;
constexpr uint32_t kEndsNonStarter = 2u << 8;
constexpr unsigned kNumericShift = 10;
constexpr unsigned kAstralBitsShift = 18;
constexpr uint32_t kAstralFallback = 1u << 23;
constexpr uint32_t kAstralKnown = 1u << 24;

constexpr size_t kUnitCount = 0x10000;
constexpr size_t kAstralBlocks = 0x400;

struct Tables {
  const uint32_t* unit_both;        // kUnitCount entries
  const uint32_t* expansion_at;     // kUnitCount
  const uint32_t* expansion_info;   // kUnitCount
  const uint16_t* expansion_units;
  size_t expansion_units_length;
  const uint32_t* astral_block;     // kAstralBlocks: 1 + block of each high surrogate, 0 = none
  const uint32_t* astral_records;   // two words per code point, 1,024 code points per block
  size_t astral_records_length;
};

// Scratch arrays for a text of n units: spans 2n + 2, flags n + 1, lines 4n + 8, word_starts n + 2.
struct Output {
  uint32_t* spans;
  uint8_t* flags;
  uint32_t* lines;
  uint32_t* word_starts;
  uint32_t* flag_counts;  // 32
};

enum class Status : uint32_t {
  kDone = 0,
  // Units not classified yet: their code points are in word_starts[0, unknowns), nothing else is.
  kUnknown = 1,
  // Done, but for the normalized text and its word starts, which only the reference `normalize`
  // gets right here: a context-dependent lower case, non-starters meeting, a lone surrogate.
  kNormalize = 2,
};

struct Result {
  Status status = Status::kDone;
  uint32_t tokens = 0;
  uint32_t lines = 0;
  uint32_t words = 0;
  uint32_t unknowns = 0;
  // The normalized text's length in units.
  size_t length = 0;
  bool raw_surrogates = false;
  bool normalized_surrogates = false;
};

// Scans text[0, n) into `out`, and the normalized text into `units[0, result.length)` (grown as
// needed, kept by the caller from text to text) when the status is kDone. Throws std::out_of_range when a table entry points
// outside its table.
Result scan(const uint16_t* text, uint32_t n, const Tables& tables, const Output& out, std::vector<uint16_t>& units);

// The code path `scan` takes for runs of ASCII units on this CPU (within cpu::allow_only).
const char* scan_path_name();

}  // namespace sieve::text
