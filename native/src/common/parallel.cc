#include "parallel.hpp"

namespace sieve::parallel {

std::vector<size_t> chunk_bounds(const uint32_t* offsets, size_t n, size_t max_chunks) {
  std::vector<size_t> bounds{0};
  if (n == 0 || max_chunks == 0) return bounds;
  // Each item costs its bytes plus a fixed 256 (per-item work that does not scale with size).
  constexpr uint64_t kItemCost = 256;
  const uint64_t total = static_cast<uint64_t>(offsets[n] - offsets[0]) + kItemCost * n;
  const uint64_t target = (total + max_chunks - 1) / max_chunks;
  uint64_t acc = 0;
  for (size_t i = 0; i < n; i++) {
    acc += static_cast<uint64_t>(offsets[i + 1] - offsets[i]) + kItemCost;
    if (acc >= target && i + 1 < n) {
      bounds.push_back(i + 1);
      acc = 0;
    }
  }
  bounds.push_back(n);
  return bounds;
}

}  // namespace sieve::parallel
