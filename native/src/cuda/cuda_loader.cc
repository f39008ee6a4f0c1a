#include "cuda_loader.hpp"

#include <mutex>
#include <stdexcept>

#include "../minhash/permutations.hpp"

#if defined(__linux__)
#include <dlfcn.h>
#define SIEVE_HAVE_DLOPEN 1
#endif

namespace sieve::cuda {

namespace {

std::mutex g_mutex;
bool g_tried = false;
Status g_status;
sieve_cuda_minhash_fn g_minhash = nullptr;

#if defined(SIEVE_HAVE_DLOPEN)

std::string dl_error() {
  const char* e = dlerror();
  return e != nullptr ? e : "unknown dlopen error";
}

// Driver API entry points, called through dlsym so the addon has no link-time CUDA dependency.
using cu_init_fn = int (*)(unsigned int);
using cu_device_get_count_fn = int (*)(int*);

Status try_load(const std::string& library_path) {
  Status s;
  void* driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (driver == nullptr) {
    s.reason = "no NVIDIA driver: libcuda.so.1 could not be loaded (" + dl_error() + ")";
    return s;
  }
  auto cu_init = reinterpret_cast<cu_init_fn>(dlsym(driver, "cuInit"));
  auto cu_count = reinterpret_cast<cu_device_get_count_fn>(dlsym(driver, "cuDeviceGetCount"));
  if (cu_init == nullptr || cu_count == nullptr) {
    s.reason = "libcuda.so.1 lacks cuInit/cuDeviceGetCount";
    return s;
  }
  const int init = cu_init(0);
  if (init != 0) {
    s.reason = "cuInit failed with CUDA error " + std::to_string(init) + " (no usable device or driver problem)";
    return s;
  }
  int count = 0;
  if (cu_count(&count) != 0 || count <= 0) {
    s.reason = "the CUDA driver reports no device";
    return s;
  }
  s.devices = count;
  void* lib = dlopen(library_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    s.reason = "a CUDA device is present but the backend library did not load (" + dl_error() +
               "); build it with `node scripts/build-native.mjs` on a machine with nvcc";
    return s;
  }
  auto abi = reinterpret_cast<sieve_cuda_abi_fn>(dlsym(lib, "sieve_cuda_abi"));
  auto init_fn = reinterpret_cast<sieve_cuda_init_fn>(dlsym(lib, "sieve_cuda_init"));
  auto device_fn = reinterpret_cast<sieve_cuda_device_fn>(dlsym(lib, "sieve_cuda_device"));
  auto minhash_fn = reinterpret_cast<sieve_cuda_minhash_fn>(dlsym(lib, "sieve_cuda_minhash"));
  if (abi == nullptr || init_fn == nullptr || device_fn == nullptr || minhash_fn == nullptr) {
    s.reason = library_path + " lacks the sieve_cuda_* entry points";
    return s;
  }
  if (abi() != SIEVE_CUDA_ABI) {
    s.reason = library_path + " has ABI " + std::to_string(abi()) + ", the addon expects " + std::to_string(SIEVE_CUDA_ABI) +
               "; rebuild with `node scripts/build-native.mjs`";
    return s;
  }
  char error[512] = {0};
  if (init_fn(minhash::kPermA, minhash::kPermB, error, sizeof error) != 0) {
    s.reason = std::string("CUDA backend initialisation failed: ") + error;
    return s;
  }
  char name[256] = {0};
  device_fn(name, sizeof name);
  s.device = name;
  s.available = true;
  g_minhash = minhash_fn;
  return s;
}

#else

Status try_load(const std::string&) {
  Status s;
  s.reason = "the CUDA backend is only built for Linux";
  return s;
}

#endif

}  // namespace

Status load(const std::string& library_path) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_tried) {
    g_status = try_load(library_path);
    g_tried = true;
  }
  return g_status;
}

Status status() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_tried) {
    Status s;
    s.reason = "not probed yet";
    return s;
  }
  return g_status;
}

void minhash(const sieve_cuda_minhash_args& args) {
  sieve_cuda_minhash_fn fn;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    fn = g_minhash;
  }
  if (fn == nullptr) throw std::runtime_error("the CUDA backend is not loaded");
  char error[512] = {0};
  if (fn(&args, error, sizeof error) != 0) throw std::runtime_error(std::string("CUDA MinHash failed: ") + error);
}

}  // namespace sieve::cuda
