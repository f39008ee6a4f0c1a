/*
 * C interface of libsieve_cuda.so, the CUDA backend. The addon dlopens the library only after it
 * has found a CUDA driver and at least one device (src/cuda/cuda_loader.cc), so machines without
 * CUDA never load it. The library links the CUDA runtime statically: it needs the driver
 * (libcuda.so.1) and nothing else.
 */
#ifndef SIEVE_CUDA_H_
#define SIEVE_CUDA_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a signature below changes; the loader refuses a library with another value. */
#define SIEVE_CUDA_ABI 1

/*
 * One MinHash batch, prepared on the host: every shingle as a byte range of `bytes` (the 13 words
 * joined by single spaces, UTF-8) and the index of its document. Shingles are in document order
 * and their starts never decrease.
 */
typedef struct sieve_cuda_minhash_args {
  const uint8_t* bytes;
  uint64_t byte_count;
  const uint32_t* shingle_start;
  const uint32_t* shingle_length;
  const uint32_t* shingle_doc;
  uint64_t shingle_count;
  uint32_t doc_count;
  /* Output, host memory: doc_count x 128 values, document-major; 2^32 - 1 where a document has
   * no shingle. */
  uint32_t* signatures;
} sieve_cuda_minhash_args;

typedef int (*sieve_cuda_abi_fn)(void);
typedef int (*sieve_cuda_init_fn)(const uint64_t* perm_a, const uint64_t* perm_b, char* error, size_t error_size);
typedef int (*sieve_cuda_device_fn)(char* name, size_t name_size);
typedef int (*sieve_cuda_minhash_fn)(const sieve_cuda_minhash_args* args, char* error, size_t error_size);

/* SIEVE_CUDA_ABI of the library. */
int sieve_cuda_abi(void);

/* Selects device 0 and uploads the 128 permutations. 0 on success, else writes a message. */
int sieve_cuda_init(const uint64_t* perm_a, const uint64_t* perm_b, char* error, size_t error_size);

/* Name and compute capability of the device in use, e.g. "NVIDIA H200 (sm_90, 132 SMs)". */
int sieve_cuda_device(char* name, size_t name_size);

/* MinHash signatures of one batch. 0 on success, else writes a message. Thread-safe. */
int sieve_cuda_minhash(const sieve_cuda_minhash_args* args, char* error, size_t error_size);

#ifdef __cplusplus
}
#endif

#endif /* SIEVE_CUDA_H_ */
