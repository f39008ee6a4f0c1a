#include "repetition.hpp"

#include <algorithm>
#include <cstring>
#include <memory>

namespace sieve::repetition {

namespace {

constexpr size_t kMaxN = 10;
constexpr size_t kLastTopN = 4;

// One cell of the open-addressing table (linear probing) of one n-gram size: an n-gram class, keyed
// exactly on (class of its (n-1)-gram prefix << 32 | id of its last word), with its occurrences
// minus one and its latest start (every occurrence has the same chars). A class is its cell's
// index, so a probe touches one cell. Empty cells are all ones: no key reaches ~0 (ids stay below
// 2^32 - 1) and `extra` wraps to 0 on the first occurrence, so an insert needs no branch on "new or
// seen".
struct Cell {
  uint64_t key;
  uint32_t extra;
  uint32_t start;
};
constexpr uint64_t kEmptyKey = ~uint64_t{0};

// Work arrays for documents of up to `words` words, uninitialised: every cell read is written
// first. Untouched pages cost no memory, so sizing for the largest document is free.
struct Workspace {
  explicit Workspace(size_t words)
      : prefix(new uint64_t[words + 1]),
        candidates(new uint32_t[words]),
        class_of(new uint32_t[words]),
        order(new uint32_t[words]),
        table(new Cell[table_size(words)]) {}

  // Smallest power of two ≥ 2 × keys (load ≤ ½), at least 16.
  static size_t table_size(size_t keys) {
    size_t size = 16;
    while (size < 2 * keys) size *= 2;
    return size;
  }

  std::unique_ptr<uint64_t[]> prefix;
  std::unique_ptr<uint32_t[]> candidates;
  std::unique_ptr<uint32_t[]> class_of;
  std::unique_ptr<uint32_t[]> order;
  std::unique_ptr<Cell[]> table;
};

// Documents up to this many words use their thread's workspace (3.3 MB of address space); longer
// ones, rare, get their own, so no thread keeps a huge one.
constexpr size_t kScratchWords = size_t{1} << 16;

// The ladder of signals/repetition.ts (the reasoning is there): at the start of size n,
// candidates[0, count) are, in position order, the starts where a repeated (n-1)-gram is followed
// by another one; only there can an n-gram repeat, and every occurrence of one is there.
class Ladder {
 public:
  Ladder(const uint32_t* ids, Workspace& w)
      : ids_(ids),
        prefix_(w.prefix.get()),
        candidates_(w.candidates.get()),
        class_of_(w.class_of.get()),
        order_(w.order.get()),
        table_(w.table.get()) {}

  // Prefix sums of chars and the size-2 candidates (a repeated word followed by one); returns the
  // chars of all words.
  uint64_t Start(size_t words, const uint32_t* counts, const uint32_t* lengths) {
    uint64_t chars = 0;
    size_t count = 0;
    uint32_t before = 0;  // whether the word before repeats
    prefix_[0] = 0;
    for (size_t i = 0; i < words; i++) {
      const uint32_t id = ids_[i];
      chars += lengths[id];
      prefix_[i + 1] = chars;
      // Branch-free (as in the loops below): whether a word repeats is a coin flip.
      const uint32_t repeats = counts[id] >= 2;
      candidates_[count] = static_cast<uint32_t>(i - 1);
      count += before & repeats;
      before = repeats;
    }
    count_ = count;
    return chars;
  }

  size_t candidates() const { return count_; }

  // Gives each candidate the class of its n-gram; with kList, also lists the classes in order of
  // first occurrence, for Top.
  template <bool kList>
  void Classify(size_t size) {
    // Locals, not members: stores through the arrays could otherwise alias them.
    const uint32_t* prefix_class = size == 2 ? ids_ : class_of_;
    const uint32_t* last_ids = ids_ + size - 1;
    const uint32_t* candidates = candidates_;
    uint32_t* class_of = class_of_;
    uint32_t* order = order_;
    Cell* table = table_;
    const size_t count = count_;
    const size_t cells = Workspace::table_size(count);
    const unsigned shift = 64 - static_cast<unsigned>(__builtin_ctzll(cells));
    const size_t mask = cells - 1;
    std::memset(static_cast<void*>(table), 0xff, cells * sizeof(Cell));
    size_t classes = 0;
    for (size_t k = 0; k < count; k++) {
      const uint32_t i = candidates[k];
      const uint64_t key = (static_cast<uint64_t>(prefix_class[i]) << 32) | last_ids[i];
      size_t at = static_cast<size_t>((key * 0x9e3779b97f4a7c15ull) >> shift);
      uint64_t found = table[at].key;
      // One test for "equal key or empty", so the branch mispredicts only on collisions.
      while (std::min(found ^ key, ~found) != 0) {
        at = (at + 1) & mask;
        found = table[at].key;
      }
      Cell& cell = table[at];
      cell.key = key;
      cell.extra++;
      cell.start = i;
      if constexpr (kList) {
        order[classes] = static_cast<uint32_t>(at);
        classes += found == kEmptyKey;
      }
      class_of[i] = static_cast<uint32_t>(at);
    }
    classes_ = classes;
  }

  // chars × count of the most frequent n-gram, ties to the one seen first (Python's
  // Counter.most_common); 0 when none repeats.
  uint64_t Top(size_t size) const {
    uint32_t best_extra = 0;
    uint32_t start = 0;
    for (size_t c = 0; c < classes_; c++) {
      const Cell& cell = table_[order_[c]];
      if (cell.extra > best_extra) {
        best_extra = cell.extra;
        start = cell.start;
      }
    }
    if (best_extra == 0) return 0;
    return (prefix_[start + size] - prefix_[start]) * (uint64_t{best_extra} + 1);
  }

  // Keeps, in place, the candidates for size n+1 (repeated starts i with a repeated start at i + 1);
  // with kMeasure, returns the chars of the union of the windows [i, i + size) over repeated starts.
  template <bool kMeasure>
  uint64_t KeepRepeated(size_t size) {
    uint32_t* candidates = candidates_;
    const uint32_t* class_of = class_of_;
    const Cell* table = table_;
    const uint64_t* prefix = prefix_;
    const size_t count = count_;
    size_t kept = 0;
    uint32_t last = 0xfffffffeu;  // the last repeated start; last + 1 is no position
    uint64_t covered = 0;
    uint32_t end = 0;
    for (size_t k = 0; k < count; k++) {
      const uint32_t i = candidates[k];
      const uint32_t repeats = table[class_of[i]].extra != 0;
      // Writes only at or behind k, which has been read already.
      candidates[kept] = last;
      kept += repeats & (i == last + 1);
      last = repeats ? i : last;
      if constexpr (kMeasure) {
        const uint64_t chars = prefix[i + size] - prefix[std::max(i, end)];
        covered += repeats ? chars : 0;
        end = repeats ? i + static_cast<uint32_t>(size) : end;
      }
    }
    count_ = kept;
    return covered;
  }

 private:
  const uint32_t* ids_;
  uint64_t* prefix_;
  uint32_t* candidates_;
  uint32_t* class_of_;
  uint32_t* order_;
  Cell* table_;
  size_t count_ = 0;
  size_t classes_ = 0;
};

}  // namespace

void sums(const uint32_t* ids, size_t words, const uint32_t* counts, const uint32_t* lengths, double* out) {
  std::fill(out, out + kSums, 0.0);
  thread_local Workspace scratch(kScratchWords);
  std::unique_ptr<Workspace> own;
  if (words > kScratchWords) own = std::make_unique<Workspace>(words);
  Ladder ladder(ids, own ? *own : scratch);
  const uint64_t total = ladder.Start(words, counts, lengths);
  out[0] = static_cast<double>(total);
  if (total == 0) return;
  for (size_t size = 2; size <= kMaxN && ladder.candidates() > 0; size++) {
    if (size <= kLastTopN) {
      ladder.Classify<true>(size);
      out[size - 1] = static_cast<double>(ladder.Top(size));
      ladder.KeepRepeated<false>(size);
    } else {
      ladder.Classify<false>(size);
      out[size - 1] = static_cast<double>(ladder.KeepRepeated<true>(size));
    }
  }
}

}  // namespace sieve::repetition
