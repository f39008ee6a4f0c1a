// Registers the addon's exports; the functions live in bindings/.
#include <napi.h>

#include "bindings/bindings.hpp"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("sha1", Napi::Function::New(env, sieve::bindings::Sha1, "sha1"));
  exports.Set("minhash", Napi::Function::New(env, sieve::bindings::Minhash, "minhash"));
  exports.Set("minhash16", Napi::Function::New(env, sieve::bindings::Minhash16, "minhash16"));
  exports.Set("dsir", Napi::Function::New(env, sieve::bindings::Dsir, "dsir"));
  exports.Set("xxhash64", Napi::Function::New(env, sieve::bindings::Xxhash64, "xxhash64"));
  exports.Set("repetition", Napi::Function::New(env, sieve::bindings::Repetition, "repetition"));
  exports.Set("info", Napi::Function::New(env, sieve::bindings::Info, "info"));
  exports.Set("allowIsa", Napi::Function::New(env, sieve::bindings::AllowIsa, "allowIsa"));
  exports.Set("permutations", Napi::Function::New(env, sieve::bindings::Permutations, "permutations"));
  exports.Set("cudaLoad", Napi::Function::New(env, sieve::bindings::CudaLoad, "cudaLoad"));
  exports.Set("scanText", Napi::Function::New(env, sieve::bindings::ScanText, "scanText"));
  exports.Set("vocabulary", Napi::Function::New(env, sieve::bindings::Vocabulary, "vocabulary"));
  exports.Set("utf8String", Napi::Function::New(env, sieve::bindings::Utf8String, "utf8String"));
  exports.Set("decodeRuns", Napi::Function::New(env, sieve::bindings::DecodeRuns, "decodeRuns"));
  exports.Set("gatherRuns", Napi::Function::New(env, sieve::bindings::GatherRuns, "gatherRuns"));
  exports.Set("runZeros", Napi::Function::New(env, sieve::bindings::RunZeros, "runZeros"));
  return exports;
}

}  // namespace

NODE_API_MODULE(sieve_native, Init)
