// The `cuda` backend: RPv2 MinHash on the GPU (spec section 6), built into libsieve_cuda.so by
// scripts/build-native.mjs when nvcc is found, and loaded by the addon only where a device is.
//
// The host (the addon) cuts documents into shingles; here the batch is processed in segments of
// at most kSegmentShingles shingles, alternating between two CUDA streams with their own pinned
// staging and device buffers, so the copy of one segment overlaps the kernels of the other:
//   1. sha1_kernel: one thread per shingle computes its base hash;
//   2. minhash_kernel: one block of 128 threads (one per permutation) per tile of shingles keeps
//      per-document minima and merges them into the signatures with atomicMin.
// Signatures stay on the device (initialised to 2^32 - 1) until the last segment is done.

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "kernels.cuh"
#include "sieve_cuda.h"

namespace {

__constant__ uint64_t c_perm_a[sieve_cuda::kPermutations];
__constant__ uint64_t c_perm_b[sieve_cuda::kPermutations];

constexpr uint32_t kSegmentShingles = 1u << 20;
constexpr uint32_t kTile = 512;
constexpr int kHashThreads = 256;

__global__ void sha1_kernel(const uint8_t* bytes, const uint32_t* start, const uint32_t* length, uint32_t base,
                            uint32_t count, uint32_t* hashes) {
  const uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < count) hashes[i] = sieve_cuda::sha1_hash32(bytes + (start[i] - base), length[i]);
}

__global__ void minhash_kernel(const uint32_t* hashes, const uint32_t* docs, uint32_t count, uint32_t* signatures) {
  __shared__ uint32_t tile_hashes[kTile];
  __shared__ uint32_t tile_docs[kTile];
  const uint32_t first = blockIdx.x * kTile;
  const uint32_t n = min(kTile, count - first);
  for (uint32_t j = threadIdx.x; j < n; j += blockDim.x) {
    tile_hashes[j] = hashes[first + j];
    tile_docs[j] = docs[first + j];
  }
  __syncthreads();
  const int i = threadIdx.x;
  sieve_cuda::minhash_tile(tile_hashes, tile_docs, n, c_perm_a[i], c_perm_b[i], [&](uint32_t d, uint32_t m) {
    atomicMin(&signatures[static_cast<size_t>(d) * sieve_cuda::kPermutations + i], m);
  });
}

void fail(char* error, size_t size, const char* what, cudaError_t e) {
  if (error != nullptr && size > 0) std::snprintf(error, size, "%s: %s", what, cudaGetErrorString(e));
}

#define SIEVE_CUDA_TRY(call, what)          \
  do {                                      \
    const cudaError_t e_ = (call);          \
    if (e_ != cudaSuccess) {                \
      fail(error, error_size, (what), e_);  \
      return 1;                             \
    }                                       \
  } while (0)

// Buffers of one stream, grown on demand and kept between calls.
struct Slot {
  cudaStream_t stream = nullptr;
  uint8_t* host_bytes = nullptr;  // pinned
  uint32_t* host_meta = nullptr;  // pinned: start, length, doc (3 x kSegmentShingles)
  uint8_t* dev_bytes = nullptr;
  uint32_t* dev_meta = nullptr;
  uint32_t* dev_hashes = nullptr;
  size_t byte_capacity = 0;
};

std::mutex g_mutex;
bool g_ready = false;
int g_device = 0;
char g_name[256] = {0};
Slot g_slots[2];

int ensure_bytes(Slot& s, size_t bytes, char* error, size_t error_size) {
  if (bytes <= s.byte_capacity) return 0;
  size_t capacity = std::max<size_t>(bytes, s.byte_capacity * 2);
  if (s.host_bytes != nullptr) cudaFreeHost(s.host_bytes);
  if (s.dev_bytes != nullptr) cudaFree(s.dev_bytes);
  s.host_bytes = nullptr;
  s.dev_bytes = nullptr;
  s.byte_capacity = 0;
  SIEVE_CUDA_TRY(cudaHostAlloc(&s.host_bytes, capacity, cudaHostAllocDefault), "cudaHostAlloc (bytes)");
  SIEVE_CUDA_TRY(cudaMalloc(&s.dev_bytes, capacity), "cudaMalloc (bytes)");
  s.byte_capacity = capacity;
  return 0;
}

int ensure_slot(Slot& s, char* error, size_t error_size) {
  if (s.stream != nullptr) return 0;
  SIEVE_CUDA_TRY(cudaStreamCreateWithFlags(&s.stream, cudaStreamNonBlocking), "cudaStreamCreate");
  SIEVE_CUDA_TRY(cudaHostAlloc(&s.host_meta, 3 * sizeof(uint32_t) * kSegmentShingles, cudaHostAllocDefault),
                 "cudaHostAlloc (shingles)");
  SIEVE_CUDA_TRY(cudaMalloc(&s.dev_meta, 3 * sizeof(uint32_t) * kSegmentShingles), "cudaMalloc (shingles)");
  SIEVE_CUDA_TRY(cudaMalloc(&s.dev_hashes, sizeof(uint32_t) * kSegmentShingles), "cudaMalloc (hashes)");
  return 0;
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) int sieve_cuda_abi(void) { return SIEVE_CUDA_ABI; }

__attribute__((visibility("default"))) int sieve_cuda_init(const uint64_t* perm_a, const uint64_t* perm_b, char* error,
                                                           size_t error_size) {
  std::lock_guard<std::mutex> lock(g_mutex);
  int count = 0;
  SIEVE_CUDA_TRY(cudaGetDeviceCount(&count), "cudaGetDeviceCount");
  if (count <= 0) {
    std::snprintf(error, error_size, "no CUDA device");
    return 1;
  }
  g_device = 0;
  SIEVE_CUDA_TRY(cudaSetDevice(g_device), "cudaSetDevice");
  cudaDeviceProp prop;
  SIEVE_CUDA_TRY(cudaGetDeviceProperties(&prop, g_device), "cudaGetDeviceProperties");
  std::snprintf(g_name, sizeof g_name, "%.200s (sm_%d%d, %d SMs, %.0f GiB)", prop.name, prop.major, prop.minor,
                prop.multiProcessorCount, static_cast<double>(prop.totalGlobalMem) / (1024.0 * 1024.0 * 1024.0));
  SIEVE_CUDA_TRY(cudaMemcpyToSymbol(c_perm_a, perm_a, sizeof(uint64_t) * sieve_cuda::kPermutations), "permutations (a)");
  SIEVE_CUDA_TRY(cudaMemcpyToSymbol(c_perm_b, perm_b, sizeof(uint64_t) * sieve_cuda::kPermutations), "permutations (b)");
  g_ready = true;
  return 0;
}

__attribute__((visibility("default"))) int sieve_cuda_device(char* name, size_t name_size) {
  std::lock_guard<std::mutex> lock(g_mutex);
  std::snprintf(name, name_size, "%s", g_name);
  return g_ready ? 0 : 1;
}

__attribute__((visibility("default"))) int sieve_cuda_minhash(const sieve_cuda_minhash_args* args, char* error,
                                                              size_t error_size) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_ready) {
    std::snprintf(error, error_size, "sieve_cuda_init was not called");
    return 1;
  }
  const size_t sig_count = static_cast<size_t>(args->doc_count) * sieve_cuda::kPermutations;
  if (args->shingle_count == 0 || sig_count == 0) {
    std::fill(args->signatures, args->signatures + sig_count, 0xffffffffu);
    return 0;
  }
  SIEVE_CUDA_TRY(cudaSetDevice(g_device), "cudaSetDevice");
  for (Slot& s : g_slots) {
    if (ensure_slot(s, error, error_size) != 0) return 1;
  }
  uint32_t* dev_signatures = nullptr;
  SIEVE_CUDA_TRY(cudaMalloc(&dev_signatures, sig_count * sizeof(uint32_t)), "cudaMalloc (signatures)");
  int status = 0;
  cudaError_t e = cudaMemset(dev_signatures, 0xff, sig_count * sizeof(uint32_t));
  if (e != cudaSuccess) {
    fail(error, error_size, "cudaMemset (signatures)", e);
    status = 1;
  }
  cudaEvent_t ready = nullptr;
  if (status == 0 && (e = cudaEventCreateWithFlags(&ready, cudaEventDisableTiming)) != cudaSuccess) {
    fail(error, error_size, "cudaEventCreate", e);
    status = 1;
  }
  // Both streams wait for the memset before their first kernel.
  if (status == 0 && (e = cudaEventRecord(ready, 0)) != cudaSuccess) {
    fail(error, error_size, "cudaEventRecord", e);
    status = 1;
  }
  for (Slot& s : g_slots) {
    if (status == 0 && (e = cudaStreamWaitEvent(s.stream, ready, 0)) != cudaSuccess) {
      fail(error, error_size, "cudaStreamWaitEvent", e);
      status = 1;
    }
  }
  uint64_t segment = 0;
  for (uint64_t first = 0; status == 0 && first < args->shingle_count; first += kSegmentShingles, segment++) {
    Slot& s = g_slots[segment & 1];
    const uint32_t n = static_cast<uint32_t>(std::min<uint64_t>(kSegmentShingles, args->shingle_count - first));
    const uint32_t base = args->shingle_start[first];
    const uint64_t last = first + n - 1;
    const size_t span = static_cast<size_t>(args->shingle_start[last]) + args->shingle_length[last] - base;
    // The slot's staging may still feed its previous segment's copies: wait for that stream.
    if ((e = cudaStreamSynchronize(s.stream)) != cudaSuccess) {
      fail(error, error_size, "cudaStreamSynchronize", e);
      status = 1;
      break;
    }
    if (ensure_bytes(s, span, error, error_size) != 0) {
      status = 1;
      break;
    }
    std::memcpy(s.host_bytes, args->bytes + base, span);
    std::memcpy(s.host_meta, args->shingle_start + first, n * sizeof(uint32_t));
    std::memcpy(s.host_meta + kSegmentShingles, args->shingle_length + first, n * sizeof(uint32_t));
    std::memcpy(s.host_meta + 2 * kSegmentShingles, args->shingle_doc + first, n * sizeof(uint32_t));
    const size_t meta = n * sizeof(uint32_t);
    const cudaError_t copies[] = {
        cudaMemcpyAsync(s.dev_bytes, s.host_bytes, span, cudaMemcpyHostToDevice, s.stream),
        cudaMemcpyAsync(s.dev_meta, s.host_meta, meta, cudaMemcpyHostToDevice, s.stream),
        cudaMemcpyAsync(s.dev_meta + kSegmentShingles, s.host_meta + kSegmentShingles, meta, cudaMemcpyHostToDevice, s.stream),
        cudaMemcpyAsync(s.dev_meta + 2 * kSegmentShingles, s.host_meta + 2 * kSegmentShingles, meta, cudaMemcpyHostToDevice,
                        s.stream),
    };
    for (const cudaError_t c : copies) {
      if (c != cudaSuccess && status == 0) {
        fail(error, error_size, "cudaMemcpyAsync", c);
        status = 1;
      }
    }
    if (status != 0) break;
    sha1_kernel<<<(n + kHashThreads - 1) / kHashThreads, kHashThreads, 0, s.stream>>>(
        s.dev_bytes, s.dev_meta, s.dev_meta + kSegmentShingles, base, n, s.dev_hashes);
    minhash_kernel<<<(n + kTile - 1) / kTile, sieve_cuda::kPermutations, 0, s.stream>>>(
        s.dev_hashes, s.dev_meta + 2 * kSegmentShingles, n, dev_signatures);
    if ((e = cudaGetLastError()) != cudaSuccess) {
      fail(error, error_size, "kernel launch", e);
      status = 1;
    }
  }
  for (Slot& s : g_slots) {
    if ((e = cudaStreamSynchronize(s.stream)) != cudaSuccess && status == 0) {
      fail(error, error_size, "cudaStreamSynchronize", e);
      status = 1;
    }
  }
  if (status == 0 && (e = cudaMemcpy(args->signatures, dev_signatures, sig_count * sizeof(uint32_t), cudaMemcpyDeviceToHost)) !=
                         cudaSuccess) {
    fail(error, error_size, "cudaMemcpy (signatures)", e);
    status = 1;
  }
  if (ready != nullptr) cudaEventDestroy(ready);
  cudaFree(dev_signatures);
  return status;
}

}  // extern "C"
