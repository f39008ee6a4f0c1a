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

// What the scan carries from unit to unit, as in the JS scan: the token run and the lines of the
// raw text, and the normalized text written so far.
struct State {
  uint32_t* spans;
  uint8_t* flags;
  uint32_t* line_at;
  uint16_t* units;
  uint32_t* word_starts;
  uint32_t count = 0;
  uint32_t run_start = 0;
  // The OR of the token run's units' bits, whose class bits are the run's class (whitespace,
  // which makes no token, at first).
  uint32_t run_bits = kSpaceRun;
  uint32_t upper = 0;
  uint32_t lines = 0;
  size_t o = 0;
  uint32_t words = 0;
  // 1 while whitespace has been seen since the last kept unit (see the JS scan).
  uint32_t pending = 1;
  uint32_t numeric = 0;

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

// Scans in[i, n) up to the first unit that is not inert (one written as its expansion, a surrogate,
// or one not classified yet) and returns its index, or n. A function of its own, with the state it
// updates per unit in locals, so that its loop has the registers to itself (in one function with
// the rare cases, GCC kept half of it on the stack); the token list, written only where a run
// ends, stays in `state`.
__attribute__((noinline)) uint32_t InertRun(const uint16_t* __restrict in, uint32_t i, uint32_t n, const uint32_t* __restrict unit_both,
                                            State& state) {
  uint16_t* __restrict const units = state.units;
  uint32_t* __restrict const word_starts = state.word_starts;
  uint32_t run_bits = state.run_bits;
  uint32_t upper = state.upper;
  size_t o = state.o;
  uint32_t words = state.words;
  uint32_t pending = state.pending;
  uint32_t numeric = state.numeric;
  for (; i < n; i++) {
    const uint32_t c = in[i];
    const uint32_t both = unit_both[c];
    // Also stops at 0: classified units have token class bits, so both - 1 keeps their
    // write-class bits.
    if (((both - 1) & (kWriteExpand << 8)) != 0) break;
    const uint32_t bits = both & 0xff;
    if (((bits ^ run_bits) & kTokenClass) != 0) {
      if ((run_bits & kTokenClass) != kSpaceRun) {
        state.spans[2 * state.count] = state.run_start;
        state.spans[2 * state.count + 1] = i;
        state.flags[state.count++] = static_cast<uint8_t>(run_bits);
      }
      state.run_start = i;
      run_bits = bits;
    } else {
      run_bits |= bits;
    }
    upper += (bits >> 2) & 1;
    // Branch-free on the unit's class, as in the JS scan.
    const uint32_t keep = (both >> 8) & kWriteKeep;
    const uint32_t starts = keep & pending;
    units[o] = 0x20;
    o += starts & static_cast<uint32_t>(o != 0);
    units[o] = static_cast<uint16_t>(both >> 16);
    word_starts[words] = static_cast<uint32_t>(o);
    o += keep;
    words += starts;
    pending = (pending & (keep ^ 1)) | ((both >> 11) & 1);
    numeric += (both >> 9) & 1;
    if (c == 0x0a) {
      uint32_t* at = state.line_at + 4 * static_cast<size_t>(++state.lines);
      at[0] = i + 1;
      at[1] = upper;
      at[2] = words;
      at[3] = numeric;
    }
  }
  state.run_bits = run_bits;
  state.upper = upper;
  state.o = o;
  state.words = words;
  state.pending = pending;
  state.numeric = numeric;
  return i;
}

}  // namespace

Result scan(const uint16_t* in, uint32_t n, const Tables& t, const Output& out, std::vector<uint16_t>& units_buffer) {
  Result result;
  // Every unit up to the next expansion writes at most one unit ahead of its share (see the JS
  // scan), so n + 2 units hold the text without expansions, and each expansion makes room anew.
  if (units_buffer.size() < static_cast<size_t>(n) + 2) units_buffer.resize(static_cast<size_t>(n) + 2);
  out.lines[0] = out.lines[1] = out.lines[2] = out.lines[3] = 0;
  State s{out.spans, out.flags, out.lines, units_buffer.data(), out.word_starts};
  uint32_t kinds = 0;
  // Whether the text written differs from the reference `normalize`'s: kNormalize. The words and
  // counts stand: lower-casing in context, canonical reordering and lone surrogates change neither
  // where words are nor which code points they hold.
  bool reference = false;
  size_t non_starter_end = SIZE_MAX;
  for (uint32_t i = 0;;) {
    i = InertRun(in, i, n, t.unit_both, s);
    if (i == n) break;
    // A unit written as its expansion (a BMP one, or a surrogate pair's code point), one only the
    // reference normalizes (its expansion is empty here), or one JS has to classify first.
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
      s.Token(i, both & 0xff);
      i++;
    } else if (!IsSurrogate(c)) {
      result.unknowns = CollectUnknown(in, n, i, t, out.word_starts);
      result.status = Status::kUnknown;
      return result;
    } else {
      result.raw_surrogates = true;
      k = kWriteSurrogate;
      const uint32_t* astral = nullptr;
      if (c <= 0xdbff && i + 1 < n && IsLowSurrogate(in[i + 1])) {
        astral = AstralRecord(t, c, in[i + 1]);
        if (astral == nullptr) {
          result.unknowns = CollectUnknown(in, n, i, t, out.word_starts);
          result.status = Status::kUnknown;
          return result;
        }
      }
      if (astral == nullptr) {
        // A lone surrogate: category Cs, uncased.
        s.Token(i, kTokenOther);
        reference = true;
        i++;
      } else {
        s.Token(i, (astral[1] >> kAstralBitsShift) & 0x1f);
        reference |= (astral[1] & kAstralFallback) != 0;
        at = astral[0];
        info = astral[1];
        // The pair's low half only repeats the pair's token class.
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
    uint32_t* at = s.line_at + 4 * static_cast<size_t>(++s.lines);
    at[0] = n;
    at[1] = s.upper;
    at[2] = s.words;
    at[3] = s.numeric;
  }
  // The last run ends with the text, as at a change of class.
  s.Token(n, kSpaceRun);
  // Counted here rather than per token in the loop.
  std::memset(out.flag_counts, 0, 32 * sizeof(uint32_t));
  for (uint32_t j = 0; j < s.count; j++) out.flag_counts[out.flags[j]]++;
  result.tokens = s.count;
  result.lines = s.lines;
  result.words = s.words;
  result.length = s.o;
  result.normalized_surrogates = (kinds & (kWriteSurrogate | kWriteAstralExpansion)) != 0;
  result.status = reference ? Status::kNormalize : Status::kDone;
  return result;
}

}  // namespace sieve::text
