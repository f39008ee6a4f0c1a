// Finds a CUDA device and loads libsieve_cuda.so at run time. Nothing CUDA is linked into the
// addon: the driver (libcuda.so.1) is dlopened first to count devices, and the backend library only
// when there is one, so machines without CUDA never need its runtime.
#pragma once

#include <cstdint>
#include <string>

#include "../../cuda/sieve_cuda.h"

namespace sieve::cuda {

struct Status {
  bool available = false;
  // Why it is not available (empty when it is).
  std::string reason;
  // The device in use, when available.
  std::string device;
  int devices = 0;
};

// Loads the library at `library_path` if a CUDA device is present (once; later calls return the
// first outcome).
Status load(const std::string& library_path);

// The current status without trying to load.
Status status();

// MinHash on the GPU; only after load() reported it available. Throws std::runtime_error.
void minhash(const sieve_cuda_minhash_args& args);

}  // namespace sieve::cuda
