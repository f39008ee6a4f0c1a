// Checks every MinHash permutation version this CPU runs (native/src/minhash/permute.cc) against
// the definition, on random hashes mixed with the rare ones the vector versions redo exactly:
// hashes whose permuted value is at most 7 or 2^32 - 1 for some permutation (found by exhaustive
// search over all 2^32 hashes for permutations 0, 5, 64 and 127). Prints each version checked;
// exits 1 on the first difference.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "../../native/src/common/cpu_features.hpp"
#include "../../native/src/minhash/permutations.hpp"
#include "../../native/src/minhash/permute.hpp"

using sieve::minhash::kNumPermutations;

namespace {

const uint32_t kEdges[] = {
    // permutation 0: values 0, 7, 5, 6, 4, 3, 1, 2, 0, 2^32 - 1
    450708524u, 1167333009u, 1524450348u, 1883957494u, 2241074833u, 2598192172u, 2955309511u, 3314816657u, 3671933996u,
    4029051335u,
    // permutation 5: values 2, 2^32 - 1, 4, 1, 6, 2, 7, 4, 1, 6
    76324959u, 758146196u, 1079503851u, 1400861506u, 1722219161u, 2404040398u, 2725398053u, 3046755708u, 3728576945u,
    4049934600u,
    // permutation 64: values 4, 1, 5, 1, 5, 1, 5, 1
    187217468u, 797699419u, 1310033318u, 1822367217u, 2334701116u, 2945183067u, 3457516966u, 3969850865u,
    // permutation 127: values 7, 4, 1, 2^32 - 1, 5, 2, 2^32 - 1, 4, 1
    1415288037u, 1419770540u, 1424253043u, 1428735546u, 3562771685u, 3567254188u, 3571736691u, 3576219194u, 3580701697u,
    // the extremes
    0u, 1u, 0xffffffffu};

uint32_t next(uint32_t& x) {
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return x;
}

}  // namespace

int main() {
  const size_t edges = sizeof kEdges / sizeof kEdges[0];
  // From all features down to none: each level's best version, once.
  const std::vector<std::vector<std::string>> levels = {
      {"avx512f", "avx512bw", "avx2"}, {"avx512f", "avx2"}, {"avx2"}, {}};
  std::vector<std::pair<std::string, sieve::minhash::PermuteFn>> versions;
  for (const auto& level : levels) {
    sieve::cpu::allow_only(level);
    const std::string name = sieve::minhash::best_permute_name();
    if (versions.empty() || versions.back().first != name) versions.emplace_back(name, sieve::minhash::best_permute());
  }
  uint32_t x = 2463534242u;
  for (int trial = 0; trial < 2000; trial++) {
    const size_t n = trial < 64 ? static_cast<size_t>(trial + 1) : 1 + next(x) % 3000;
    std::vector<uint32_t> hashes(n);
    for (uint32_t& h : hashes) h = next(x);
    // Some sets are all edge hashes, most have a few among random ones.
    if (trial % 8 == 0) {
      for (uint32_t& h : hashes) h = kEdges[next(x) % edges];
    } else {
      for (uint32_t e = next(x) % 4; e > 0; e--) hashes[next(x) % n] = kEdges[next(x) % edges];
    }
    uint32_t want[kNumPermutations];
    for (int i = 0; i < kNumPermutations; i++) {
      want[i] = 0xffffffffu;
      for (uint32_t h : hashes) want[i] = std::min(want[i], sieve::minhash::permute_one(h, sieve::minhash::kPermA[i], sieve::minhash::kPermB[i]));
    }
    for (const auto& [name, permute] : versions) {
      uint32_t out[kNumPermutations];
      permute(hashes.data(), n, out);
      for (int i = 0; i < kNumPermutations; i++) {
        if (out[i] != want[i]) {
          std::printf("%s: trial %d (%zu hashes), permutation %d: %u, want %u\n", name.c_str(), trial, n, i, out[i], want[i]);
          return 1;
        }
      }
    }
  }
  for (const auto& version : versions) std::printf("%s ok\n", version.first.c_str());
  return 0;
}
