#include "scan.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "../common/cpu_features.hpp"

#include "../common/x86_simd.hpp"

namespace sieve::text {

namespace {

// Units the normalized text's buffer holds past its longest possible end: the block path stores
// whole vectors of 32 units at a time, of which only the leading ones count.
constexpr size_t kSlack = 64;

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

// Scans in[i, end) up to the first unit that is not inert (one written as its expansion, a
// surrogate, or one not classified yet) and returns its index, or end. A function of its own, with
// the whole state in locals, so that its loop has the registers to itself (in one function with the
// rare cases, or reading `state` in place, GCC kept half of it on the stack).
__attribute__((noinline)) uint32_t InertRun(const uint16_t* __restrict in, uint32_t i, uint32_t end, const uint32_t* __restrict unit_both,
                                            State& state) {
  uint32_t* __restrict const spans = state.spans;
  uint8_t* __restrict const flags = state.flags;
  uint32_t* __restrict const line_at = state.line_at;
  uint16_t* __restrict const units = state.units;
  uint32_t* __restrict const word_starts = state.word_starts;
  uint32_t count = state.count;
  uint32_t run_start = state.run_start;
  uint32_t run_bits = state.run_bits;
  uint32_t upper = state.upper;
  uint32_t lines = state.lines;
  size_t o = state.o;
  uint32_t words = state.words;
  uint32_t pending = state.pending;
  uint32_t numeric = state.numeric;
  for (; i < end; i++) {
    const uint32_t c = in[i];
    const uint32_t both = unit_both[c];
    // Also stops at 0: classified units have token class bits, so both - 1 keeps their
    // write-class bits.
    if (((both - 1) & (kWriteExpand << 8)) != 0) break;
    const uint32_t bits = both & 0xff;
    if (((bits ^ run_bits) & kTokenClass) != 0) {
      // Written at every change of class, kept (by advancing `count`) unless the run was whitespace.
      spans[2 * count] = run_start;
      spans[2 * count + 1] = i;
      flags[count] = static_cast<uint8_t>(run_bits);
      count += static_cast<uint32_t>((run_bits & kTokenClass) != kSpaceRun);
      run_start = i;
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
      uint32_t* at = line_at + 4 * static_cast<size_t>(++lines);
      at[0] = i + 1;
      at[1] = upper;
      at[2] = words;
      at[3] = numeric;
    }
  }
  state.count = count;
  state.run_start = run_start;
  state.run_bits = run_bits;
  state.upper = upper;
  state.lines = lines;
  state.o = o;
  state.words = words;
  state.pending = pending;
  state.numeric = numeric;
  return i;
}

#if defined(SIEVE_X86)

// Units per block of the AVX-512 path: one bit each in a 64-bit mask.
constexpr uint32_t kBlock = 64;

// The UNIT_BOTH bytes of the ASCII units, split into 128-entry byte tables for in-register lookups,
// taken from the caller's table at each call (it stays the one source of truth).
struct AsciiTables {
  alignas(64) uint8_t token[128];
  alignas(64) uint8_t write[128];
  alignas(64) uint8_t lowered[128];
};

// Fills `a` from `unit_both`; false unless every ASCII unit is inert and lower-cases to a unit below
// 0x100, which the block path assumes (the JS tables make it so).
bool DeriveAscii(const uint32_t* unit_both, AsciiTables& a) {
  for (uint32_t c = 0; c < 0x80; c++) {
    const uint32_t both = unit_both[c];
    if (((both - 1) & (kWriteExpand << 8)) != 0 || (both >> 24) != 0) return false;
    a.token[c] = static_cast<uint8_t>(both);
    a.write[c] = static_cast<uint8_t>(both >> 8);
    a.lowered[c] = static_cast<uint8_t>(both >> 16);
  }
  return true;
}

// Byte permutes the block path uses: the low bytes of 64 units from two vectors of 32, each lane's
// byte k lanes back (for the segmented OR), and per 16 units their 32 output slots, a space then the
// lowered unit, as 16-bit units (index 64 is the space of `space_source`, 65 a zero byte).
struct BlockIndices {
  uint8_t even[64];
  uint8_t back[6][64];
  uint8_t slots[4][64];
};

constexpr BlockIndices MakeBlockIndices() {
  BlockIndices x{};
  for (unsigned j = 0; j < 64; j++) {
    x.even[j] = static_cast<uint8_t>(2 * j);
    for (unsigned s = 0; s < 6; s++) x.back[s][j] = static_cast<uint8_t>((j - (1u << s)) & 63);
  }
  for (unsigned g = 0; g < 4; g++) {
    for (unsigned j = 0; j < 16; j++) {
      x.slots[g][4 * j] = 64;
      x.slots[g][4 * j + 1] = 65;
      x.slots[g][4 * j + 2] = static_cast<uint8_t>(16 * g + j);
      x.slots[g][4 * j + 3] = 65;
    }
  }
  return x;
}

alignas(64) constexpr BlockIndices kIndices = MakeBlockIndices();

#define SIEVE_SCAN_AVX512 __attribute__((target("avx512f,avx512bw,avx512vbmi,avx512vbmi2,bmi,bmi2,popcnt")))

// InertRun for ASCII units, 64 at a time as bit masks: from in[i] up to the first non-ASCII unit or
// the end; returns where it stopped, and in `*other_end` where the run of non-ASCII units there
// ends (at most a block on). Each block's units are classified by three in-register table lookups;
// token boundaries, words, lines and kept units become masks, walked with tzcnt per token, word and
// line (a few units each), and the normalized units are compressed out of the block.
SIEVE_SCAN_AVX512 uint32_t AsciiBlocks(const uint16_t* __restrict in, uint32_t i, uint32_t n, const AsciiTables& t, State& state,
                                       uint32_t* other_end) {
  uint32_t* __restrict const spans = state.spans;
  uint8_t* __restrict const flags = state.flags;
  uint32_t* __restrict const line_at = state.line_at;
  uint16_t* __restrict const units = state.units;
  uint32_t* __restrict const word_starts = state.word_starts;
  uint32_t count = state.count;
  uint32_t run_start = state.run_start;
  uint32_t run_bits = state.run_bits;
  uint32_t upper = state.upper;
  uint32_t lines = state.lines;
  size_t o = state.o;
  uint32_t words = state.words;
  uint64_t pending = state.pending;
  uint32_t numeric = state.numeric;
  uint32_t run_class = run_bits & kTokenClass;

  const __m512i token_lo = _mm512_load_si512(t.token);
  const __m512i token_hi = _mm512_load_si512(t.token + 64);
  const __m512i write_lo = _mm512_load_si512(t.write);
  const __m512i write_hi = _mm512_load_si512(t.write + 64);
  const __m512i lowered_lo = _mm512_load_si512(t.lowered);
  const __m512i lowered_hi = _mm512_load_si512(t.lowered + 64);
  const __m512i even = _mm512_load_si512(kIndices.even);
  const __m512i space_source = _mm512_maskz_set1_epi8(1, 0x20);
  // seg[kBlock + lane]: the OR of the token bits from the lane's run start (or the block start) to
  // the lane; seg[kBlock - 1] = 0, for a run that ends where the block starts. Stored aligned, as
  // the byte loads right after it forward from the store only when it stays in one cache line.
  alignas(64) uint8_t seg[2 * kBlock];
  seg[kBlock - 1] = 0;

  const __m512i non_ascii = _mm512_set1_epi16(static_cast<int16_t>(0xff80));
  *other_end = n;
  while (i < n) {
    // The block's units in the text (masked loads read nothing past its end), and how many of them
    // lead up to the first non-ASCII unit: the block's live lanes.
    const uint64_t inside = n - i >= kBlock ? ~uint64_t{0} : _bzhi_u64(~uint64_t{0}, n - i);
    const __m512i a = _mm512_maskz_loadu_epi16(static_cast<__mmask32>(inside), in + i);
    const __m512i b = _mm512_maskz_loadu_epi16(static_cast<__mmask32>(inside >> 32), in + i + 32);
    const uint64_t other = (static_cast<uint64_t>(_mm512_test_epi16_mask(b, non_ascii)) << 32) | _mm512_test_epi16_mask(a, non_ascii);
    const uint64_t stops = other | ~inside;
    const uint32_t p_live = stops == 0 ? kBlock : static_cast<uint32_t>(_tzcnt_u64(stops));
    if (p_live < kBlock && ((other >> p_live) & 1) != 0) {
      // The non-ASCII run from the first one: to the next unit that is ASCII or outside the text.
      const uint64_t after = ~other & (~uint64_t{0} << p_live);
      *other_end = after == 0 ? i + kBlock : i + static_cast<uint32_t>(_tzcnt_u64(after));
    }
    if (p_live == 0) break;
    const uint64_t live = _bzhi_u64(~uint64_t{0}, p_live);
    const __m512i bytes = _mm512_permutex2var_epi8(a, even, b);
    const __m512i token = _mm512_permutex2var_epi8(token_lo, bytes, token_hi);
    const __m512i write = _mm512_permutex2var_epi8(write_lo, bytes, write_hi);
    const __m512i lowered = _mm512_permutex2var_epi8(lowered_lo, bytes, lowered_hi);
    const uint64_t class0 = _mm512_test_epi8_mask(token, _mm512_set1_epi8(1));
    const uint64_t class1 = _mm512_test_epi8_mask(token, _mm512_set1_epi8(2));
    const uint64_t uppers = _mm512_mask_test_epi8_mask(live, token, _mm512_set1_epi8(4));
    const uint64_t keep = _mm512_mask_test_epi8_mask(live, write, _mm512_set1_epi8(static_cast<char>(kWriteKeep)));
    const uint64_t numerics = _mm512_mask_test_epi8_mask(live, write, _mm512_set1_epi8(2));
    const uint64_t spaces = _mm512_mask_test_epi8_mask(live, write, _mm512_set1_epi8(static_cast<char>(kWriteSpace)));
    const uint64_t newlines = _mm512_mask_cmpeq_epi8_mask(live, bytes, _mm512_set1_epi8(0x0a));

    // Runs start where the class differs from the unit before (the run's, for the first unit), and
    // tokens end where the run before was no whitespace.
    const uint64_t heads = ((class0 ^ ((class0 << 1) | (run_class & 1))) | (class1 ^ ((class1 << 1) | (run_class >> 1)))) & live;
    const uint64_t blank = class1 & ~class0;
    const uint64_t ends = heads & ~((blank << 1) | static_cast<uint64_t>(run_class == kSpaceRun));
    // The run's class for the next block, without waiting for the OR below.
    run_class = static_cast<uint32_t>(((class0 >> (p_live - 1)) & 1) | (((class1 >> (p_live - 1)) & 1) << 1));
    // Segmented OR of the token bits over runs (Hillis–Steele, six doublings).
    __m512i ored = token;
    uint64_t stop = heads;
    for (unsigned s = 0; s < 6; s++) {
      const unsigned k = 1u << s;
      const __m512i back = _mm512_load_si512(kIndices.back[s]);
      ored = _mm512_or_si512(ored, _mm512_maskz_permutexvar_epi8(~stop & (~uint64_t{0} << k), back, ored));
      stop |= stop << k;
    }
    _mm512_store_si512(seg + kBlock, ored);
    // Each token starts at the head before its end, or before the block.
    for (uint64_t e = ends; e != 0; e = _blsr_u64(e)) {
      const uint32_t p = static_cast<uint32_t>(_tzcnt_u64(e));
      const uint64_t before = _bzhi_u64(heads, p);
      spans[2 * count] = before != 0 ? i + 63 - static_cast<uint32_t>(__builtin_clzll(before)) : run_start;
      spans[2 * count + 1] = i + p;
      flags[count++] = static_cast<uint8_t>((before != 0 ? 0 : run_bits) | seg[kBlock - 1 + p]);
    }
    if (heads != 0) {
      run_start = i + 63 - static_cast<uint32_t>(__builtin_clzll(heads));
      run_bits = 0;
    }
    run_bits |= seg[kBlock - 1 + p_live];

    // Kept units start words where whitespace came since the last kept unit: among the units that
    // are kept or whitespace (punctuation is neither), those whose predecessor is whitespace.
    const uint64_t events = keep | spaces;
    const uint64_t starts = _pdep_u64(_pext_u64(keep, events) & ((_pext_u64(spaces, events) << 1) | pending), events);
    if (events != 0) pending = (spaces >> (63 - __builtin_clzll(events))) & 1;
    // A space goes before each word but the text's first.
    const uint64_t spaced = o == 0 ? starts & ~_blsi_u64(keep) : starts;

    for (uint64_t l = newlines; l != 0; l = _blsr_u64(l)) {
      const uint32_t p = static_cast<uint32_t>(_tzcnt_u64(l)) + 1;
      uint32_t* at = line_at + 4 * static_cast<size_t>(++lines);
      at[0] = i + p;
      at[1] = upper + static_cast<uint32_t>(_mm_popcnt_u64(_bzhi_u64(uppers, p)));
      at[2] = words + static_cast<uint32_t>(_mm_popcnt_u64(_bzhi_u64(starts, p)));
      at[3] = numeric + static_cast<uint32_t>(_mm_popcnt_u64(_bzhi_u64(numerics, p)));
    }
    upper += static_cast<uint32_t>(_mm_popcnt_u64(uppers));
    numeric += static_cast<uint32_t>(_mm_popcnt_u64(numerics));

    for (uint64_t w = starts; w != 0; w = _blsr_u64(w)) {
      const uint32_t p = static_cast<uint32_t>(_tzcnt_u64(w));
      word_starts[words++] = static_cast<uint32_t>(o + _mm_popcnt_u64(_bzhi_u64(keep, p)) + _mm_popcnt_u64(_bzhi_u64(spaced, p + 1)));
    }

    // Two output slots per unit, its space and itself, compressed 16 units at a time.
    for (unsigned half = 0; half < 2; half++) {
      const uint64_t slots = _pdep_u64(keep >> (32 * half), 0xaaaaaaaaaaaaaaaaull) | _pdep_u64(spaced >> (32 * half), 0x5555555555555555ull);
      for (unsigned q = 0; q < 2; q++) {
        const unsigned g = 2 * half + q;
        const __mmask32 m = static_cast<__mmask32>(slots >> (32 * q));
        const __m512i source = _mm512_permutex2var_epi8(lowered, _mm512_load_si512(kIndices.slots[g]), space_source);
        _mm512_storeu_si512(units + o, _mm512_maskz_compress_epi16(m, source));
        o += static_cast<uint32_t>(_mm_popcnt_u32(m));
      }
    }
    i += p_live;
    if (p_live < kBlock) break;
  }

  state.count = count;
  state.run_start = run_start;
  state.run_bits = run_bits;
  state.upper = upper;
  state.lines = lines;
  state.o = o;
  state.words = words;
  state.pending = static_cast<uint32_t>(pending);
  state.numeric = numeric;
  return i;
}

// InertRun by blocks for ASCII units, by units for the others.
uint32_t InertRunAvx512(const uint16_t* in, uint32_t i, uint32_t n, const uint32_t* unit_both, const AsciiTables& t, State& state) {
  while (i < n) {
    uint32_t other_end = n;
    i = AsciiBlocks(in, i, n, t, state, &other_end);
    if (i == n) break;
    i = InertRun(in, i, other_end, unit_both, state);
    if (i < other_end) return i;
  }
  return n;
}

#endif  // SIEVE_X86

}  // namespace

Result scan(const uint16_t* in, uint32_t n, const Tables& t, const Output& out, std::vector<uint16_t>& units_buffer) {
  Result result;
  // Every unit up to the next expansion writes at most one unit ahead of its share (see the JS
  // scan), so n + 2 units hold the text without expansions, and each expansion makes room anew;
  // kSlack more take the whole vectors the block path stores.
  if (units_buffer.size() < static_cast<size_t>(n) + 2 + kSlack) units_buffer.resize(static_cast<size_t>(n) + 2 + kSlack);
  out.lines[0] = out.lines[1] = out.lines[2] = out.lines[3] = 0;
  State s{out.spans, out.flags, out.lines, units_buffer.data(), out.word_starts};
  uint32_t kinds = 0;
  // Whether the text written differs from the reference `normalize`'s: kNormalize. The words and
  // counts stand: lower-casing in context, canonical reordering and lone surrogates change neither
  // where words are nor which code points they hold.
  bool reference = false;
  size_t non_starter_end = SIZE_MAX;
#if defined(SIEVE_X86)
  AsciiTables ascii;
  const bool blocks = n >= kBlock / 2 && cpu::enabled().avx512vbmi2 && DeriveAscii(t.unit_both, ascii);
#endif
  for (uint32_t i = 0;;) {
#if defined(SIEVE_X86)
    i = blocks ? InertRunAvx512(in, i, n, t.unit_both, ascii, s) : InertRun(in, i, n, t.unit_both, s);
#else
    i = InertRun(in, i, n, t.unit_both, s);
#endif
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
    const size_t room = s.o + length + (n - i) + 2 + kSlack;
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
  // Counted here rather than per token in the loop, into four tables in turn, so that tokens of one
  // kind in a row do not wait on each other's increments.
  uint32_t counts[4][32] = {};
  uint32_t j = 0;
  for (; j + 4 <= s.count; j += 4) {
    for (uint32_t k = 0; k < 4; k++) counts[k][out.flags[j + k]]++;
  }
  for (; j < s.count; j++) counts[0][out.flags[j]]++;
  for (uint32_t f = 0; f < 32; f++) out.flag_counts[f] = counts[0][f] + counts[1][f] + counts[2][f] + counts[3][f];
  result.tokens = s.count;
  result.lines = s.lines;
  result.words = s.words;
  result.length = s.o;
  result.normalized_surrogates = (kinds & (kWriteSurrogate | kWriteAstralExpansion)) != 0;
  result.status = reference ? Status::kNormalize : Status::kDone;
  return result;
}

const char* scan_path_name() {
#if defined(SIEVE_X86)
  if (cpu::enabled().avx512vbmi2) return "avx512vbmi2 (ASCII in blocks of 64)";
#endif
  return "portable";
}

}  // namespace sieve::text
