// CPU features found at run time (cpuid + xgetbv on x86-64, nothing elsewhere) and the code path
// each kernel uses. One build runs on any x86-64: the SIMD functions are compiled with
// __attribute__((target(...))) and only called when the CPU and the OS support them.
#pragma once

#include <string>
#include <vector>

namespace sieve::cpu {

struct Features {
  bool sse41 = false;
  bool ssse3 = false;
  bool sha = false;      // SHA-NI (SHA1RNDS4, SHA1MSG1/2, SHA1NEXTE)
  bool avx2 = false;     // AVX2 with OS-enabled YMM state
  bool avx512f = false;  // AVX-512F with OS-enabled ZMM state
  bool avx512bw = false; // AVX-512BW (byte shuffles on ZMM), with avx512f
  // AVX-512 VBMI and VBMI2 (byte permutes across ZMM, word compress), with avx512bw, BMI1/2 and
  // POPCNT (mask walking).
  bool avx512vbmi2 = false;
};

// What cpuid reports (cached after the first call).
const Features& detected();

// Names of the detected features, e.g. {"sse4.1", "sha-ni", "avx2", "avx512f"}.
std::vector<std::string> detected_names();

// Features the kernels may use: the detected ones minus those disabled with allow_only().
Features enabled();

// Restricts the kernels to a subset of the detected features (tests use it to run every path on
// one machine). Names: "sha-ni", "avx2", "avx512f", "avx512bw", "avx512vbmi2"; an empty list means plain portable
// code.
void allow_only(const std::vector<std::string>& names);

}  // namespace sieve::cpu
