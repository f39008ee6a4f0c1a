#include "cpu_features.hpp"

#include <mutex>

#if (defined(__x86_64__) || defined(_M_X64)) && !defined(SIEVE_PORTABLE_ONLY)
#include <cpuid.h>
#define SIEVE_X86 1
#endif

namespace sieve::cpu {

namespace {

Features probe() {
  Features f;
#if defined(SIEVE_X86)
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid(0, &a, &b, &c, &d) == 0) return f;
  const unsigned max_leaf = a;
  __get_cpuid(1, &a, &b, &c, &d);
  f.ssse3 = (c >> 9) & 1u;
  f.sse41 = (c >> 19) & 1u;
  const bool popcnt = (c >> 23) & 1u;
  const bool osxsave = (c >> 27) & 1u;
  const bool avx = (c >> 28) & 1u;
  unsigned long long xcr0 = 0;
  if (osxsave) {
    unsigned lo = 0, hi = 0;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    xcr0 = (static_cast<unsigned long long>(hi) << 32) | lo;
  }
  const bool ymm_state = (xcr0 & 0x6u) == 0x6u;    // XMM and YMM saved by the OS
  const bool zmm_state = (xcr0 & 0xe6u) == 0xe6u;  // plus opmask and both ZMM halves
  if (max_leaf >= 7) {
    __cpuid_count(7, 0, a, b, c, d);
    f.sha = ((b >> 29) & 1u) && f.sse41 && f.ssse3;
    f.avx2 = ((b >> 5) & 1u) && avx && ymm_state;
    f.avx512f = ((b >> 16) & 1u) && f.avx2 && zmm_state;
    f.avx512bw = ((b >> 30) & 1u) && f.avx512f;
    const bool bmi = ((b >> 3) & 1u) && ((b >> 8) & 1u) && popcnt;
    f.avx512vbmi2 = ((c >> 1) & 1u) && ((c >> 6) & 1u) && bmi && f.avx512bw;
  }
#endif
  return f;
}

std::mutex g_mutex;
Features g_enabled;
bool g_enabled_set = false;

}  // namespace

const Features& detected() {
  static const Features f = probe();
  return f;
}

std::vector<std::string> detected_names() {
  const Features& f = detected();
  std::vector<std::string> names;
  if (f.ssse3) names.emplace_back("ssse3");
  if (f.sse41) names.emplace_back("sse4.1");
  if (f.sha) names.emplace_back("sha-ni");
  if (f.avx2) names.emplace_back("avx2");
  if (f.avx512f) names.emplace_back("avx512f");
  if (f.avx512bw) names.emplace_back("avx512bw");
  if (f.avx512vbmi2) names.emplace_back("avx512vbmi2");
  return names;
}

Features enabled() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_enabled_set) {
    g_enabled = detected();
    g_enabled_set = true;
  }
  return g_enabled;
}

void allow_only(const std::vector<std::string>& names) {
  const Features& d = detected();
  Features f;
  f.sse41 = d.sse41;
  f.ssse3 = d.ssse3;
  for (const std::string& n : names) {
    if (n == "sha-ni") f.sha = d.sha;
    if (n == "avx2") f.avx2 = d.avx2;
    if (n == "avx512f") f.avx512f = d.avx512f;
  }
  // Each SIMD level needs the ones below it.
  f.avx512f = f.avx512f && f.avx2;
  for (const std::string& n : names) {
    if (n == "avx512bw") f.avx512bw = d.avx512bw && f.avx512f;
  }
  for (const std::string& n : names) {
    if (n == "avx512vbmi2") f.avx512vbmi2 = d.avx512vbmi2 && f.avx512bw;
  }
  std::lock_guard<std::mutex> lock(g_mutex);
  g_enabled = f;
  g_enabled_set = true;
}

}  // namespace sieve::cpu
