// Runs the CUDA backend's per-thread functions (native/cuda/kernels.cuh) on the CPU, the way the
// kernels use them, so their arithmetic is checked where no GPU is present. Reads a MinHash batch
// (uint32 docs, uint32 offsets[docs + 1], bytes) from argv[1], writes docs x 128 uint32 to argv[2].
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "../../native/cuda/kernels.cuh"
#include "../../native/src/minhash/permutations.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: cuda-emulate IN OUT\n");
    return 2;
  }
  std::FILE* in = std::fopen(argv[1], "rb");
  if (in == nullptr) return 2;
  std::vector<uint8_t> all;
  uint8_t chunk[1 << 16];
  size_t got;
  while ((got = std::fread(chunk, 1, sizeof chunk, in)) > 0) all.insert(all.end(), chunk, chunk + got);
  std::fclose(in);
  uint32_t docs;
  std::memcpy(&docs, all.data(), 4);
  std::vector<uint32_t> offsets(docs + 1);
  std::memcpy(offsets.data(), all.data() + 4, 4 * (docs + 1));
  const uint8_t* bytes = all.data() + 4 + 4 * (docs + 1);
  // Host side, as the addon does it: shingles (13 words joined by one space) in document order.
  std::vector<uint32_t> start, length, doc;
  for (uint32_t d = 0; d < docs; d++) {
    if (offsets[d] == offsets[d + 1]) continue;
    std::vector<uint32_t> words{offsets[d]};
    for (uint32_t p = offsets[d]; p < offsets[d + 1]; p++) {
      if (bytes[p] == 0x20) words.push_back(p + 1);
    }
    words.push_back(offsets[d + 1] + 1);
    for (size_t j = 0; j + 13 < words.size(); j++) {
      start.push_back(words[j]);
      length.push_back(words[j + 13] - 1 - words[j]);
      doc.push_back(d);
    }
  }
  // Kernel 1: one hash per shingle. Kernel 2: tiles of 512, one pass per permutation, atomicMin.
  std::vector<uint32_t> hashes(start.size());
  for (size_t i = 0; i < start.size(); i++) hashes[i] = sieve_cuda::sha1_hash32(bytes + start[i], length[i]);
  std::vector<uint32_t> sig(static_cast<size_t>(docs) * 128, 0xffffffffu);
  constexpr uint32_t kTile = 512;
  for (size_t first = 0; first < hashes.size(); first += kTile) {
    const uint32_t n = static_cast<uint32_t>(std::min<size_t>(kTile, hashes.size() - first));
    for (int i = 0; i < 128; i++) {
      sieve_cuda::minhash_tile(hashes.data() + first, doc.data() + first, n, sieve::minhash::kPermA[i],
                               sieve::minhash::kPermB[i], [&](uint32_t d, uint32_t m) {
                                 uint32_t& slot = sig[static_cast<size_t>(d) * 128 + static_cast<size_t>(i)];
                                 if (m < slot) slot = m;
                               });
    }
  }
  std::FILE* out = std::fopen(argv[2], "wb");
  if (out == nullptr) return 2;
  std::fwrite(sig.data(), 4, sig.size(), out);
  std::fclose(out);
  return 0;
}
