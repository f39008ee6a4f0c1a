#include "scan.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace sieve::text {

namespace {

bool IsSurrogate(uint32_t c) { return c >= 0xd800 && c <= 0xdfff; }

bool IsLowSurrogate(uint32_t c) { return c >= 0xdc00 && c <= 0xdfff; }

// The astral record ({at, info}) of the pair (high, low), or null while JS has not classified it.
const uint32_t* AstralRecord(const Tables& t, uint32_t high, uint32_t low) {
  const uint32_t block = t.astral_block[high - 0xd800];
  if (block == 0) return nullptr;
  const size_t r = (static_cast<size_t>(block - 1) << 10) | (low - 0xdc00);
  if (2 * r + 1 >= t.astral_records_length) throw std::out_of_range("astralBlock points past astralRecords");
  const uint32_t* record = t.astral_records + 2 * r;
  return (record[1] & kAstralKnown) != 0 ? record : nullptr;
}

// Lists in `found` the distinct code points of text[from, n) that JS has not classified, so that
// one round of JS classifies them all; lone surrogates are left out (the scan sends them to JS).
uint32_t CollectUnknown(const uint16_t* text, uint32_t n, uint32_t from, const Tables& t, uint32_t* found) {
  thread_local std::vector<uint64_t> seen(0x110000 / 64);
  uint32_t count = 0;
  for (uint32_t i = from; i < n; i++) {
    uint32_t cp = text[i];
    if (t.unit_both[cp] != 0) continue;
    if (IsSurrogate(cp)) {
      if (cp > 0xdbff || i + 1 >= n || !IsLowSurrogate(text[i + 1])) continue;
      const uint32_t low = text[++i];
      if (AstralRecord(t, cp, low) != nullptr) continue;
      cp = ((cp - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
    }
    uint64_t& word = seen[cp >> 6];
    const uint64_t bit = uint64_t{1} << (cp & 63);
    if ((word & bit) != 0) continue;
    word |= bit;
    found[count++] = cp;
  }
  for (uint32_t j = 0; j < count; j++) seen[found[j] >> 6] = 0;
  return count;
}

// The raw part's state between the runs of classified units (see RawRun).
struct RawState {
  uint32_t* spans;
  uint8_t* flags;
  uint32_t* line_at;
  uint32_t count = 0;
  uint32_t run_start = 0;
  // The OR of the token run's units' bits, whose class bits are the run's class (whitespace,
  // which makes no token, at first).
  uint32_t run_bits = kSpaceRun;
  uint32_t upper = 0;
  uint32_t lines = 0;

  // The run goes on while the class stays, else it ends, a token unless whitespace.
  void Token(uint32_t i, uint32_t bits) {
    if (((bits ^ run_bits) & kTokenClass) != 0) {
      if ((run_bits & kTokenClass) != kSpaceRun) {
        spans[2 * count] = run_start;
        spans[2 * count + 1] = i;
        flags[count++] = static_cast<uint8_t>(run_bits);
      }
      run_start = i;
      run_bits = bits;
    } else {
      run_bits |= bits;
    }
    upper += (bits >> 2) & 1;
  }
};

// Tokens, upper-case counts and line starts of in[i, n) up to the first unit that is not
// classified (a surrogate, or new); returns its index, or n. A function of its own, so that its
// loop has the registers to itself.
__attribute__((noinline)) uint32_t RawRun(const uint16_t* __restrict in, uint32_t i, uint32_t n, const uint32_t* __restrict unit_both,
                                          RawState& state) {
  RawState s = state;
  for (; i < n; i++) {
    const uint32_t c = in[i];
    const uint32_t bits = unit_both[c] & 0xff;
    if (bits == 0) break;
    s.Token(i, bits);
    if (c == 0x0a) {
      s.lines++;
      s.line_at[4 * static_cast<size_t>(s.lines)] = i + 1;
      s.line_at[4 * static_cast<size_t>(s.lines) + 1] = s.upper;
    }
  }
  state = s;
  return i;
}

// The normalized part's state between the runs of inert units (see InertRun).
struct NormalizedState {
  uint16_t* units;
  uint32_t* word_starts;
  uint32_t* line_at;
  size_t o = 0;
  uint32_t words = 0;
  // 1 while whitespace has been seen since the last kept unit (see the JS scan).
  uint32_t pending = 1;
  uint32_t numeric = 0;
  uint32_t lines = 0;
};

// The normalized text of in[i, n) up to the first unit that is not inert (an expansion, or a
// surrogate); returns its index, or n. A function of its own, like RawRun.
__attribute__((noinline)) uint32_t InertRun(const uint16_t* __restrict in, uint32_t i, uint32_t n, const uint32_t* __restrict unit_both,
                                            NormalizedState& state) {
  NormalizedState s = state;
  uint16_t* __restrict const units = s.units;
  uint32_t* __restrict const word_starts = s.word_starts;
  for (; i < n; i++) {
    const uint32_t c = in[i];
    const uint32_t both = unit_both[c];
    // Also stops at 0: classified units have token class bits, so both - 1 keeps their
    // write-class bits.
    if (((both - 1) & (kWriteExpand << 8)) != 0) break;
    // Branch-free on the unit's class, as in the JS scan.
    const uint32_t keep = (both >> 8) & kWriteKeep;
    const uint32_t starts = keep & s.pending;
    units[s.o] = 0x20;
    s.o += starts & static_cast<uint32_t>(s.o != 0);
    units[s.o] = static_cast<uint16_t>(both >> 16);
    word_starts[s.words] = static_cast<uint32_t>(s.o);
    s.o += keep;
    s.words += starts;
    s.pending = (s.pending & (keep ^ 1)) | ((both >> 11) & 1);
    s.numeric += (both >> 9) & 1;
    if (c == 0x0a) {
      s.lines++;
      s.line_at[4 * static_cast<size_t>(s.lines) + 2] = s.words;
      s.line_at[4 * static_cast<size_t>(s.lines) + 3] = s.numeric;
    }
  }
  state = s;
  return i;
}

// The tokens, lines and upper-case counts (the JS scan's raw part): kUnknown where a unit is not
// classified yet, else kDone with result.tokens, result.lines and raw_surrogates set.
Status ScanRaw(const uint16_t* in, uint32_t n, const Tables& t, const Output& out, Result& result) {
  RawState s{out.spans, out.flags, out.lines};
  for (uint32_t i = 0;;) {
    i = RawRun(in, i, n, t.unit_both, s);
    if (i == n) break;
    const uint32_t c = in[i];
    if (!IsSurrogate(c)) {
      result.unknowns = CollectUnknown(in, n, i, t, out.word_starts);
      return Status::kUnknown;
    }
    result.raw_surrogates = true;
    if (c > 0xdbff || i + 1 >= n || !IsLowSurrogate(in[i + 1])) {
      // A lone surrogate: category Cs, uncased.
      s.Token(i, kTokenOther);
      i++;
      continue;
    }
    const uint32_t* astral = AstralRecord(t, c, in[i + 1]);
    if (astral == nullptr) {
      result.unknowns = CollectUnknown(in, n, i, t, out.word_starts);
      return Status::kUnknown;
    }
    s.Token(i, (astral[1] >> kAstralBitsShift) & 0x1f);
    // The pair's low half only repeats the pair's token class.
    i += 2;
  }
  if (n > 0 && in[n - 1] != 0x0a) {
    s.lines++;
    s.line_at[4 * static_cast<size_t>(s.lines)] = n;
    s.line_at[4 * static_cast<size_t>(s.lines) + 1] = s.upper;
  }
  // The last run ends with the text, as at a change of class.
  s.Token(n, kSpaceRun);
  result.tokens = s.count;
  result.lines = s.lines;
  return Status::kDone;
}

// The normalized text, its word starts and the per-line word and numeric counts (the JS scan's
// normalized part) of a text whose units are all classified (ScanRaw said so). kNormalize where the
// text written is not the normalized text, which the JS scan then takes from the reference
// `normalize` too; its words and counts stand: lower-casing in context, canonical reordering and
// lone surrogates change neither where words are nor which code points they hold.
Status ScanNormalized(const uint16_t* in, uint32_t n, const Tables& t, const Output& out, std::vector<uint16_t>& units_buffer,
                      Result& result) {
  // Every unit up to the next expansion writes at most one unit ahead of its share (see the JS
  // scan), so n + 2 units hold the text without expansions, and each expansion makes room anew.
  if (units_buffer.size() < static_cast<size_t>(n) + 2) units_buffer.resize(static_cast<size_t>(n) + 2);
  NormalizedState s{units_buffer.data(), out.word_starts, out.lines};
  uint32_t kinds = 0;
  bool reference = false;
  size_t non_starter_end = SIZE_MAX;
  for (uint32_t i = 0;;) {
    i = InertRun(in, i, n, t.unit_both, s);
    if (i == n) break;
    // A unit written as its expansion (a BMP one, or a surrogate pair's code point), or one only
    // the reference normalizes (its expansion is empty here).
    const uint32_t c = in[i];
    const uint32_t both = t.unit_both[c];
    uint32_t k;
    uint32_t at = 0;
    uint32_t info = 0;
    if (both != 0) {
      k = (both >> 8) & 0xff;
      reference |= (k & kWriteFallback) != 0;
      at = t.expansion_at[c];
      info = t.expansion_info[c];
      i++;
    } else {
      k = kWriteSurrogate;
      const uint32_t* astral = c <= 0xdbff && i + 1 < n && IsLowSurrogate(in[i + 1]) ? AstralRecord(t, c, in[i + 1]) : nullptr;
      if (astral == nullptr) {
        // A lone surrogate (ScanRaw found the pairs classified).
        reference = true;
        i++;
      } else {
        reference |= (astral[1] & kAstralFallback) != 0;
        at = astral[0];
        info = astral[1];
        i += 2;
      }
    }
    kinds |= k;
    if (s.pending == 1) {
      if (s.o != 0) s.units[s.o++] = 0x20;
      s.word_starts[s.words++] = static_cast<uint32_t>(s.o);
      s.pending = 0;
    }
    const uint32_t length = info & 0xff;
    s.numeric += (info >> kNumericShift) & 0xff;
    if (static_cast<size_t>(at) + length > t.expansion_units_length) throw std::out_of_range("an expansion lies past expansionUnits");
    const size_t room = s.o + length + (n - i) + 2;
    if (room > units_buffer.size()) {
      units_buffer.resize(std::max(room, 2 * units_buffer.size()));
      s.units = units_buffer.data();
    }
    // Two non-starters meeting may need canonical reordering across the boundary.
    reference |= (info & kStartsNonStarter) != 0 && non_starter_end == s.o;
    std::memcpy(s.units + s.o, t.expansion_units + at, length * sizeof(uint16_t));
    s.o += length;
    if ((info & kEndsNonStarter) != 0) non_starter_end = s.o;
  }
  if (n > 0 && in[n - 1] != 0x0a) {
    s.lines++;
    s.line_at[4 * static_cast<size_t>(s.lines) + 2] = s.words;
    s.line_at[4 * static_cast<size_t>(s.lines) + 3] = s.numeric;
  }
  result.words = s.words;
  result.length = s.o;
  result.normalized_surrogates = (kinds & (kWriteSurrogate | kWriteAstralExpansion)) != 0;
  return reference ? Status::kNormalize : Status::kDone;
}

}  // namespace

Result scan(const uint16_t* text, uint32_t n, const Tables& t, const Output& out, std::vector<uint16_t>& units) {
  Result result;
  // Two passes, each with few enough variables to keep them in registers; the second one reads
  // the text again from the cache.
  out.lines[0] = out.lines[1] = out.lines[2] = out.lines[3] = 0;
  result.status = ScanRaw(text, n, t, out, result);
  if (result.status != Status::kDone) return result;
  result.status = ScanNormalized(text, n, t, out, units, result);
  // Counted here rather than per token in the loop.
  std::memset(out.flag_counts, 0, 32 * sizeof(uint32_t));
  for (uint32_t j = 0; j < result.tokens; j++) out.flag_counts[out.flags[j]]++;
  return result;
}

}  // namespace sieve::text
