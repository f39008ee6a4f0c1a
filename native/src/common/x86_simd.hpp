// The x86 intrinsics for the SIMD paths (chosen at run time from cpuid, never by compiler flags):
// defines SIEVE_X86 where they are available, so every kernel gates its SIMD code the same way.
#pragma once

#if (defined(__x86_64__) || defined(_M_X64)) && !defined(SIEVE_PORTABLE_ONLY)
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12's AVX-512 intrinsics seed results with _mm512_undefined_*(), which its own
// -Wmaybe-uninitialized then reports inside our functions (a known false positive).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>
#define SIEVE_X86 1
#endif
