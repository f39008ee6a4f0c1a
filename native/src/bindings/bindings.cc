#include "bindings.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "../common/cpu_features.hpp"
#include "../cuda/cuda_loader.hpp"
#include "../dsir/dsir.hpp"
#include "../minhash/minhash.hpp"
#include "../minhash/permutations.hpp"
#include "../minhash/permute.hpp"
#include "../parquet/runs.hpp"
#include "../repetition/repetition.hpp"
#include "../sha1/sha1.hpp"
#include "../sha1/sha1_multi.hpp"
#include "../text/scan.hpp"
#include "../text/utf8.hpp"
#include "../text/vocabulary.hpp"
#include "../xxhash/xxhash.hpp"

namespace sieve::bindings {

namespace {

// A kernel call: Execute() may run on any thread and touches no JavaScript value; Result() runs
// on the JS thread afterwards.
class Job {
 public:
  virtual ~Job() = default;
  virtual void Execute() = 0;
  virtual Napi::Value Result(Napi::Env env) = 0;

 protected:
  // Keeps a JavaScript value (an input or output array) alive while the job exists.
  void Keep(Napi::Value value) { refs_.push_back(Napi::Persistent(value)); }

 private:
  std::vector<Napi::Reference<Napi::Value>> refs_;
};

class PromiseWorker : public Napi::AsyncWorker {
 public:
  PromiseWorker(Napi::Env env, std::unique_ptr<Job> job)
      : Napi::AsyncWorker(env, "sieve_native"), job_(std::move(job)), deferred_(Napi::Promise::Deferred::New(env)) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

  void Execute() override {
    try {
      job_->Execute();
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }

  void OnOK() override { deferred_.Resolve(job_->Result(Env())); }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  std::unique_ptr<Job> job_;
  Napi::Promise::Deferred deferred_;
};

Napi::Value Run(Napi::Env env, std::unique_ptr<Job> job, bool async) {
  if (async) {
    auto* worker = new PromiseWorker(env, std::move(job));
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  }
  try {
    job->Execute();
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
  return job->Result(env);
}

[[noreturn]] void Fail(Napi::Env env, const std::string& message) { throw Napi::TypeError::New(env, message); }

template <typename T>
Napi::TypedArrayOf<T> ArrayArg(const Napi::CallbackInfo& info, size_t index, const char* name, napi_typedarray_type type,
                               const char* type_name) {
  if (info.Length() <= index || !info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != type) {
    Fail(info.Env(), std::string(name) + " must be a " + type_name);
  }
  return info[index].As<Napi::TypedArrayOf<T>>();
}

uint32_t UintArg(const Napi::CallbackInfo& info, size_t index, const char* name, uint32_t min, uint32_t max) {
  if (info.Length() <= index || !info[index].IsNumber()) Fail(info.Env(), std::string(name) + " must be a number");
  const double v = info[index].As<Napi::Number>().DoubleValue();
  if (!(v >= min && v <= max) || v != static_cast<double>(static_cast<uint32_t>(v))) {
    Fail(info.Env(), std::string(name) + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return static_cast<uint32_t>(v);
}

bool BoolArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsBoolean()) Fail(info.Env(), std::string(name) + " must be a boolean");
  return info[index].As<Napi::Boolean>().Value();
}

// offsets must have at least one entry, never decrease and end within `length`.
void CheckOffsets(Napi::Env env, const char* name, const uint32_t* offsets, size_t count, size_t length) {
  if (count < 1) Fail(env, std::string(name) + " needs at least one entry (items + 1)");
  for (size_t k = 1; k < count; k++) {
    if (offsets[k] < offsets[k - 1]) Fail(env, std::string(name) + "[" + std::to_string(k) + "] is below the entry before it");
  }
  if (offsets[count - 1] > length) Fail(env, std::string(name) + " ends past the data");
}

class Sha1Job : public Job {
 public:
  explicit Sha1Job(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    auto bytes = ArrayArg<uint8_t>(info, 0, "bytes", napi_uint8_array, "Uint8Array");
    auto offsets = ArrayArg<uint32_t>(info, 1, "offsets", napi_uint32_array, "Uint32Array");
    threads_ = UintArg(info, 2, "threads", 1, 1024);
    CheckOffsets(env, "offsets", offsets.Data(), offsets.ElementLength(), bytes.ElementLength());
    bytes_ = bytes.Data();
    offsets_ = offsets.Data();
    items_ = offsets.ElementLength() - 1;
    auto out = Napi::Uint8Array::New(env, 20 * items_);
    out_ = out.Data();
    Keep(bytes);
    Keep(offsets);
    Keep(out);
    result_ = Napi::Persistent(out);
  }
  void Execute() override { sha1::digests(bytes_, offsets_, items_, out_, threads_); }
  Napi::Value Result(Napi::Env) override { return result_.Value(); }

 private:
  const uint8_t* bytes_;
  const uint32_t* offsets_;
  size_t items_;
  uint8_t* out_;
  unsigned threads_;
  Napi::Reference<Napi::Uint8Array> result_;
};

class MinhashJob : public Job {
 public:
  // Input: UTF-8 bytes (utf16 == false) or UTF-16 code units (utf16 == true), with offsets.
  MinhashJob(const Napi::CallbackInfo& info, bool utf16) : utf16_(utf16) {
    Napi::Env env = info.Env();
    size_t length = 0;
    if (utf16) {
      auto units = ArrayArg<uint16_t>(info, 0, "units", napi_uint16_array, "Uint16Array");
      units_ = units.Data();
      length = units.ElementLength();
      Keep(units);
    } else {
      auto bytes = ArrayArg<uint8_t>(info, 0, "bytes", napi_uint8_array, "Uint8Array");
      bytes_ = bytes.Data();
      length = bytes.ElementLength();
      Keep(bytes);
    }
    auto offsets = ArrayArg<uint32_t>(info, 1, "offsets", napi_uint32_array, "Uint32Array");
    threads_ = UintArg(info, 2, "threads", 1, 1024);
    cuda_ = BoolArg(info, 4, "cuda");
    CheckOffsets(env, "offsets", offsets.Data(), offsets.ElementLength(), length);
    if (cuda_ && !cuda::status().available) Fail(env, "the CUDA backend is not available: " + cuda::status().reason);
    offsets_ = offsets.Data();
    docs_ = offsets.ElementLength() - 1;
    auto signatures = Napi::Uint32Array::New(env, docs_ * minhash::kNumPermutations);
    auto shingles = Napi::Uint32Array::New(env, docs_);
    signatures_ = signatures.Data();
    shingles_ = shingles.Data();
    Keep(offsets);
    Keep(signatures);
    Keep(shingles);
    signatures_ref_ = Napi::Persistent(signatures);
    shingles_ref_ = Napi::Persistent(shingles);
  }

  void Execute() override {
    if (!cuda_) {
      if (utf16_) {
        minhash::signatures_utf16(units_, offsets_, docs_, signatures_, shingles_, threads_);
      } else {
        minhash::signatures(bytes_, offsets_, docs_, signatures_, shingles_, threads_);
      }
      return;
    }
    // The GPU takes UTF-8 and the shingles as byte ranges, prepared here.
    const uint8_t* bytes = bytes_;
    const uint32_t* offsets = offsets_;
    std::vector<uint8_t> utf8;
    std::vector<uint32_t> utf8_offsets;
    if (utf16_) {
      utf8.resize(3 * static_cast<size_t>(offsets_[docs_]));
      utf8_offsets.resize(docs_ + 1, 0);
      size_t pos = 0;
      for (size_t d = 0; d < docs_; d++) {
        pos += minhash::utf16_to_utf8(units_ + offsets_[d], offsets_[d + 1] - offsets_[d], utf8.data() + pos);
        if (pos > 0xffffffffu) throw std::length_error("the batch is over 4 GiB of UTF-8: split it");
        utf8_offsets[d + 1] = static_cast<uint32_t>(pos);
      }
      bytes = utf8.data();
      offsets = utf8_offsets.data();
    }
    minhash::Shingles s;
    minhash::U32Buffer starts;
    std::vector<uint32_t> doc_of;
    for (size_t d = 0; d < docs_; d++) {
      const size_t count = minhash::append_shingles(bytes, offsets[d], offsets[d + 1], s, starts);
      shingles_[d] = static_cast<uint32_t>(count);
      doc_of.insert(doc_of.end(), count, static_cast<uint32_t>(d));
    }
    sieve_cuda_minhash_args args{};
    args.bytes = bytes;
    args.byte_count = offsets[docs_];
    args.shingle_start = s.start.data();
    args.shingle_length = s.length.data();
    args.shingle_doc = doc_of.data();
    args.shingle_count = s.start.size();
    args.doc_count = static_cast<uint32_t>(docs_);
    args.signatures = signatures_;
    cuda::minhash(args);
  }

  Napi::Value Result(Napi::Env env) override {
    Napi::Object out = Napi::Object::New(env);
    out.Set("signatures", signatures_ref_.Value());
    out.Set("shingles", shingles_ref_.Value());
    return out;
  }

 private:
  bool utf16_;
  const uint8_t* bytes_ = nullptr;
  const uint16_t* units_ = nullptr;
  const uint32_t* offsets_;
  size_t docs_;
  uint32_t* signatures_;
  uint32_t* shingles_;
  unsigned threads_;
  bool cuda_;
  Napi::Reference<Napi::Uint32Array> signatures_ref_;
  Napi::Reference<Napi::Uint32Array> shingles_ref_;
};

Napi::Uint32Array CopyOut(Napi::Env env, const std::vector<uint32_t>& v) {
  auto a = Napi::Uint32Array::New(env, v.size());
  if (!v.empty()) std::memcpy(a.Data(), v.data(), v.size() * sizeof(uint32_t));
  return a;
}

class DsirJob : public Job {
 public:
  explicit DsirJob(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    auto units = ArrayArg<uint16_t>(info, 0, "units", napi_uint16_array, "Uint16Array");
    auto unit_offsets = ArrayArg<uint32_t>(info, 1, "unitOffsets", napi_uint32_array, "Uint32Array");
    auto spans = ArrayArg<uint32_t>(info, 2, "spans", napi_uint32_array, "Uint32Array");
    auto token_offsets = ArrayArg<uint32_t>(info, 3, "tokenOffsets", napi_uint32_array, "Uint32Array");
    buckets_ = UintArg(info, 4, "buckets", 1, 1u << 24);
    threads_ = UintArg(info, 5, "threads", 1, 1024);
    CheckOffsets(env, "unitOffsets", unit_offsets.Data(), unit_offsets.ElementLength(), units.ElementLength());
    CheckOffsets(env, "tokenOffsets", token_offsets.Data(), token_offsets.ElementLength(), spans.ElementLength() / 2);
    if (token_offsets.ElementLength() != unit_offsets.ElementLength()) Fail(env, "tokenOffsets and unitOffsets differ in length");
    batch_.units = units.Data();
    batch_.unit_offsets = unit_offsets.Data();
    batch_.spans = spans.Data();
    batch_.token_offsets = token_offsets.Data();
    batch_.docs = unit_offsets.ElementLength() - 1;
    for (size_t d = 0; d < batch_.docs; d++) {
      const uint32_t length = batch_.unit_offsets[d + 1] - batch_.unit_offsets[d];
      for (uint32_t t = batch_.token_offsets[d]; t < batch_.token_offsets[d + 1]; t++) {
        const uint32_t s = batch_.spans[2 * static_cast<size_t>(t)];
        const uint32_t e = batch_.spans[2 * static_cast<size_t>(t) + 1];
        if (s > e || e > length) Fail(env, "spans of token " + std::to_string(t) + " lie outside its document");
      }
    }
    Keep(units);
    Keep(unit_offsets);
    Keep(spans);
    Keep(token_offsets);
  }

  void Execute() override { result_ = dsir::bucket_counts(batch_, buckets_, threads_); }

  Napi::Value Result(Napi::Env env) override {
    Napi::Object out = Napi::Object::New(env);
    out.Set("docOffsets", CopyOut(env, result_.doc_offsets));
    out.Set("buckets", CopyOut(env, result_.buckets));
    out.Set("counts", CopyOut(env, result_.counts));
    return out;
  }

 private:
  dsir::Batch batch_{};
  uint32_t buckets_;
  unsigned threads_;
  dsir::SparseCounts result_;
};

class XxhashJob : public Job {
 public:
  explicit XxhashJob(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    auto bytes = ArrayArg<uint8_t>(info, 0, "bytes", napi_uint8_array, "Uint8Array");
    auto offsets = ArrayArg<uint32_t>(info, 1, "offsets", napi_uint32_array, "Uint32Array");
    const uint32_t seed_hi = UintArg(info, 2, "seedHi", 0, 0xffffffffu);
    const uint32_t seed_lo = UintArg(info, 3, "seedLo", 0, 0xffffffffu);
    threads_ = UintArg(info, 4, "threads", 1, 1024);
    CheckOffsets(env, "offsets", offsets.Data(), offsets.ElementLength(), bytes.ElementLength());
    seed_ = (static_cast<uint64_t>(seed_hi) << 32) | seed_lo;
    bytes_ = bytes.Data();
    offsets_ = offsets.Data();
    items_ = offsets.ElementLength() - 1;
    napi_value out_value;
    void* data = nullptr;
    napi_value buffer;
    if (napi_create_arraybuffer(env, items_ * 8, &data, &buffer) != napi_ok ||
        napi_create_typedarray(env, napi_biguint64_array, items_, buffer, 0, &out_value) != napi_ok) {
      throw Napi::Error::New(env, "could not allocate the BigUint64Array result");
    }
    out_ = static_cast<uint64_t*>(data);
    Napi::Value out(env, out_value);
    Keep(bytes);
    Keep(offsets);
    Keep(out);
    result_ = Napi::Persistent(out);
  }
  void Execute() override { xxhash::hashes(bytes_, offsets_, items_, seed_, out_, threads_); }
  Napi::Value Result(Napi::Env) override { return result_.Value(); }

 private:
  const uint8_t* bytes_;
  const uint32_t* offsets_;
  size_t items_;
  uint64_t seed_;
  uint64_t* out_;
  unsigned threads_;
  Napi::Reference<Napi::Value> result_;
};

// A typed array argument of `scanText` and `vocabulary` with at least `min_length` elements; one N-API call, as the
// scan runs once per document.
template <typename T>
T* ScanArray(const Napi::CallbackInfo& info, size_t index, const char* name, napi_typedarray_type type, const char* type_name,
             size_t min_length, size_t* length = nullptr) {
  napi_typedarray_type actual;
  size_t count = 0;
  void* data = nullptr;
  if (info.Length() <= index ||
      napi_get_typedarray_info(info.Env(), info[index], &actual, &count, &data, nullptr, nullptr) != napi_ok || actual != type) {
    Fail(info.Env(), std::string(name) + " must be a " + type_name);
  }
  if (count < min_length) Fail(info.Env(), std::string(name) + " must have at least " + std::to_string(min_length) + " elements");
  if (length != nullptr) *length = count;
  return static_cast<T*>(data);
}

// The UTF-16 units of a string argument, copied into a buffer of the calling thread (each worker
// thread has its own), which the next call reuses; returns their number.
size_t TextArg(const Napi::CallbackInfo& info, size_t index, std::vector<uint16_t>& buffer) {
  Napi::Env env = info.Env();
  size_t n = 0;
  if (info.Length() <= index || !info[index].IsString() || napi_get_value_string_utf16(env, info[index], nullptr, 0, &n) != napi_ok) {
    Fail(env, "text must be a string");
  }
  // Offsets are 32-bit, and the token spans take 2n + 2 of them.
  if (n > 0x7ffffff0u) Fail(env, "text is too long");
  if (buffer.size() < n + 1) buffer.resize(n + 1);
  size_t copied = 0;
  if (napi_get_value_string_utf16(env, info[index], reinterpret_cast<char16_t*>(buffer.data()), n + 1, &copied) != napi_ok || copied != n) {
    throw Napi::Error::New(env, "could not read the text");
  }
  return n;
}

// Where `scanText` leaves its counts in `result`, after the 32 token counts per flags value.
constexpr size_t kResultTokens = 32;
constexpr size_t kResultLines = 33;
constexpr size_t kResultWords = 34;
constexpr size_t kResultSurrogates = 35;
constexpr size_t kResultUnknowns = 36;
constexpr size_t kResultLength = 40;

}  // namespace

Napi::Value Sha1(const Napi::CallbackInfo& info) {
  auto job = std::make_unique<Sha1Job>(info);
  return Run(info.Env(), std::move(job), BoolArg(info, 3, "async"));
}

Napi::Value Minhash(const Napi::CallbackInfo& info) {
  auto job = std::make_unique<MinhashJob>(info, false);
  return Run(info.Env(), std::move(job), BoolArg(info, 3, "async"));
}

Napi::Value Minhash16(const Napi::CallbackInfo& info) {
  auto job = std::make_unique<MinhashJob>(info, true);
  return Run(info.Env(), std::move(job), BoolArg(info, 3, "async"));
}

Napi::Value Dsir(const Napi::CallbackInfo& info) {
  auto job = std::make_unique<DsirJob>(info);
  return Run(info.Env(), std::move(job), BoolArg(info, 6, "async"));
}

Napi::Value Xxhash64(const Napi::CallbackInfo& info) {
  auto job = std::make_unique<XxhashJob>(info);
  return Run(info.Env(), std::move(job), BoolArg(info, 5, "async"));
}

Napi::Value Repetition(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto ids = ArrayArg<uint32_t>(info, 0, "ids", napi_uint32_array, "Uint32Array");
  auto counts = ArrayArg<uint32_t>(info, 1, "counts", napi_uint32_array, "Uint32Array");
  auto lengths = ArrayArg<uint32_t>(info, 2, "lengths", napi_uint32_array, "Uint32Array");
  auto out = ArrayArg<double>(info, 3, "out", napi_float64_array, "Float64Array");
  if (out.ElementLength() < repetition::kSums) Fail(env, "out must hold " + std::to_string(repetition::kSums) + " values");
  const uint32_t* id = ids.Data();
  const size_t words = ids.ElementLength();
  // The kernel numbers positions and n-gram classes with uint32 (see repetition.hpp).
  if (words > 0x7fffffffu) Fail(env, "ids must hold fewer than 2^31 words");
  uint32_t top = 0;
  for (size_t i = 0; i < words; i++) top = std::max(top, id[i]);
  if (words > 0 && (top >= counts.ElementLength() || top >= lengths.ElementLength() || top == 0xffffffffu)) {
    Fail(env, "ids must be below the lengths of counts and lengths, and below 2^32 - 1 (found id " + std::to_string(top) + ")");
  }
  try {
    repetition::sums(id, words, counts.Data(), lengths.Data(), out.Data());
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
  return env.Undefined();
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  const std::vector<std::string> names = cpu::detected_names();
  Napi::Array features = Napi::Array::New(env, names.size());
  for (size_t i = 0; i < names.size(); i++) features.Set(static_cast<uint32_t>(i), names[i]);
  out.Set("features", features);
  Napi::Object paths = Napi::Object::New(env);
  paths.Set("sha1", sha1::best_many_name());
  paths.Set("minhash", std::string(sha1::best_many_name()) + " + " + minhash::best_permute_name());
  paths.Set("dsir", "portable");
  paths.Set("xxhash64", "portable");
  paths.Set("scanText", text::scan_path_name());
  out.Set("paths", paths);
#if defined(__clang__)
  out.Set("compiler", std::string("clang ") + __clang_version__);
#elif defined(__GNUC__)
  out.Set("compiler", std::string("gcc ") + __VERSION__);
#else
  out.Set("compiler", "unknown");
#endif
#if defined(__x86_64__) || defined(_M_X64)
  out.Set("arch", "x86_64");
#elif defined(__aarch64__)
  out.Set("arch", "arm64");
#else
  out.Set("arch", "other");
#endif
  out.Set("cudaAbi", SIEVE_CUDA_ABI);
  return out;
}

Napi::Value AllowIsa(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsArray()) Fail(info.Env(), "names must be an array of strings");
  Napi::Array arr = info[0].As<Napi::Array>();
  std::vector<std::string> names;
  for (uint32_t i = 0; i < arr.Length(); i++) {
    Napi::Value v = arr.Get(i);
    if (!v.IsString()) Fail(info.Env(), "names must be an array of strings");
    names.push_back(v.As<Napi::String>().Utf8Value());
  }
  cpu::allow_only(names);
  return Info(info);
}

Napi::Value Permutations(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  void* data = nullptr;
  napi_value buffer;
  napi_value out;
  if (napi_create_arraybuffer(env, 2 * minhash::kNumPermutations * 8, &data, &buffer) != napi_ok ||
      napi_create_typedarray(env, napi_biguint64_array, 2 * minhash::kNumPermutations, buffer, 0, &out) != napi_ok) {
    throw Napi::Error::New(env, "could not allocate the permutation table");
  }
  auto* p = static_cast<uint64_t*>(data);
  std::memcpy(p, minhash::kPermA, sizeof minhash::kPermA);
  std::memcpy(p + minhash::kNumPermutations, minhash::kPermB, sizeof minhash::kPermB);
  return Napi::Value(env, out);
}

Napi::Value CudaLoad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) Fail(env, "libraryPath must be a string");
  const cuda::Status s = cuda::load(info[0].As<Napi::String>().Utf8Value());
  Napi::Object out = Napi::Object::New(env);
  out.Set("available", s.available);
  out.Set("reason", s.reason);
  out.Set("device", s.device);
  out.Set("devices", s.devices);
  return out;
}

Napi::Value ScanText(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  thread_local std::vector<uint16_t> input;
  thread_local std::vector<uint16_t> units;
  const size_t n = TextArg(info, 0, input);

  text::Tables tables{};
  tables.unit_both = ScanArray<const uint32_t>(info, 1, "unitBoth", napi_uint32_array, "Uint32Array", text::kUnitCount);
  tables.expansion_at = ScanArray<const uint32_t>(info, 2, "expansionAt", napi_uint32_array, "Uint32Array", text::kUnitCount);
  tables.expansion_info = ScanArray<const uint32_t>(info, 3, "expansionInfo", napi_uint32_array, "Uint32Array", text::kUnitCount);
  tables.expansion_units =
      ScanArray<const uint16_t>(info, 4, "expansionUnits", napi_uint16_array, "Uint16Array", 0, &tables.expansion_units_length);
  tables.astral_block = ScanArray<const uint32_t>(info, 5, "astralBlock", napi_uint32_array, "Uint32Array", text::kAstralBlocks);
  tables.astral_records =
      ScanArray<const uint32_t>(info, 6, "astralRecords", napi_uint32_array, "Uint32Array", 0, &tables.astral_records_length);
  text::Output out{};
  out.spans = ScanArray<uint32_t>(info, 7, "spans", napi_uint32_array, "Uint32Array", 2 * n + 2);
  out.flags = ScanArray<uint8_t>(info, 8, "flags", napi_uint8_array, "Uint8Array", n + 1);
  out.lines = ScanArray<uint32_t>(info, 9, "lines", napi_uint32_array, "Uint32Array", 4 * n + 8);
  out.word_starts = ScanArray<uint32_t>(info, 10, "wordStarts", napi_uint32_array, "Uint32Array", n + 2);
  uint32_t* result = ScanArray<uint32_t>(info, 11, "result", napi_uint32_array, "Uint32Array", kResultLength);
  out.flag_counts = result;

  text::Result r;
  try {
    r = text::scan(input.data(), static_cast<uint32_t>(n), tables, out, units);
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
  result[kResultTokens] = r.tokens;
  result[kResultLines] = r.lines;
  result[kResultWords] = r.words;
  result[kResultSurrogates] = (r.raw_surrogates ? 1u : 0u) | (r.normalized_surrogates ? 2u : 0u);
  result[kResultUnknowns] = r.unknowns;
  if (r.status != text::Status::kDone) return Napi::Number::New(env, static_cast<double>(r.status));
  // Most normalized texts fit in Latin-1: the engine then stores them one byte per unit, which
  // takes half the copying and memory here and later. (Both loops vectorize.)
  uint16_t wide = 0;
  for (size_t i = 0; i < r.length; i++) wide |= units[i];
  napi_status created;
  napi_value normalized;
  if (wide < 0x100) {
    thread_local std::vector<char> narrow;
    if (narrow.size() < r.length) narrow.resize(r.length);
    for (size_t i = 0; i < r.length; i++) narrow[i] = static_cast<char>(units[i]);
    created = napi_create_string_latin1(env, narrow.data(), r.length, &normalized);
  } else {
    created = napi_create_string_utf16(env, reinterpret_cast<const char16_t*>(units.data()), r.length, &normalized);
  }
  if (created != napi_ok) throw Napi::Error::New(env, "could not create the normalized text");
  return Napi::Value(env, normalized);
}

Napi::Value Vocabulary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  thread_local std::vector<uint16_t> input;
  const size_t n = TextArg(info, 0, input);
  size_t starts = 0;
  const uint32_t* word_starts = ScanArray<const uint32_t>(info, 1, "wordStarts", napi_uint32_array, "Uint32Array", 1, &starts);
  const bool surrogates = BoolArg(info, 2, "surrogates");
  const size_t words = starts - 1;
  text::VocabularyOutput out{};
  out.ids = ScanArray<uint32_t>(info, 3, "ids", napi_uint32_array, "Uint32Array", words);
  out.first_starts = ScanArray<uint32_t>(info, 4, "firstStarts", napi_uint32_array, "Uint32Array", words);
  out.unit_lengths = ScanArray<uint32_t>(info, 5, "unitLengths", napi_uint32_array, "Uint32Array", words);
  out.counts = ScanArray<uint32_t>(info, 6, "counts", napi_uint32_array, "Uint32Array", words);
  out.lengths = ScanArray<uint32_t>(info, 7, "lengths", napi_uint32_array, "Uint32Array", surrogates ? words : 0);
  // Tests only: 0 gives every word the same hash.
  const uint32_t hash_mask = info.Length() > 8 && !info[8].IsUndefined() ? UintArg(info, 8, "hashMask", 0, 0xffffffffu) : ~0u;
  try {
    return Napi::Number::New(env, text::vocabulary(input.data(), n, word_starts, static_cast<uint32_t>(words), surrogates, out, hash_mask));
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
}

Napi::Value Utf8String(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  size_t length = 0;
  const uint8_t* bytes = ScanArray<const uint8_t>(info, 0, "bytes", napi_uint8_array, "Uint8Array", 0, &length);
  if (info.Length() < 3 || !info[1].IsNumber() || !info[2].IsNumber()) Fail(env, "start and end must be numbers");
  const int64_t start = info[1].As<Napi::Number>().Int64Value();
  const int64_t end = info[2].As<Napi::Number>().Int64Value();
  if (start < 0 || end < start || static_cast<uint64_t>(end) > length) Fail(env, "start and end must lie within bytes");
  const uint8_t* in = bytes + start;
  const size_t n = static_cast<size_t>(end - start);
  napi_value out;
  // All ASCII: a one-byte string straight from the bytes.
  if (text::ascii_prefix(in, n) == n) {
    if (napi_create_string_latin1(env, reinterpret_cast<const char*>(in), n, &out) != napi_ok) throw Napi::Error::New(env, "could not create the string");
    return Napi::Value(env, out);
  }
  thread_local std::vector<uint16_t> units;
  if (units.size() < n) units.resize(n);
  const size_t written = text::utf8_to_utf16(in, n, units.data());
  if (written == SIZE_MAX) return env.Null();
  if (napi_create_string_utf16(env, reinterpret_cast<const char16_t*>(units.data()), written, &out) != napi_ok) {
    throw Napi::Error::New(env, "could not create the string");
  }
  return Napi::Value(env, out);
}

namespace {

// The arguments every run decoder takes: data, from, to, width, count.
struct RunsArgs {
  const uint8_t* data;
  size_t from;
  size_t to;
  uint32_t width;
  size_t count;
};

RunsArgs RunsArguments(const Napi::CallbackInfo& info) {
  size_t length = 0;
  RunsArgs a{};
  a.data = ScanArray<const uint8_t>(info, 0, "data", napi_uint8_array, "Uint8Array", 0, &length);
  a.from = UintArg(info, 1, "from", 0, 0xffffffffu);
  a.to = UintArg(info, 2, "to", 0, 0xffffffffu);
  a.width = UintArg(info, 3, "width", 0, 32);
  a.count = UintArg(info, 4, "count", 0, 0xffffffffu);
  if (a.from > a.to || a.to > length) Fail(info.Env(), "from and to must lie within data");
  return a;
}

}  // namespace

Napi::Value DecodeRuns(const Napi::CallbackInfo& info) {
  const RunsArgs a = RunsArguments(info);
  uint32_t* out = ScanArray<uint32_t>(info, 5, "out", napi_uint32_array, "Uint32Array", a.count);
  return Napi::Number::New(info.Env(), static_cast<double>(parquet::DecodeRuns(a.data, a.from, a.to, a.width, a.count, out)));
}

Napi::Value GatherRuns(const Napi::CallbackInfo& info) {
  const RunsArgs a = RunsArguments(info);
  size_t dictionary_size = 0;
  const double* dictionary = ScanArray<const double>(info, 5, "dictionary", napi_float64_array, "Float64Array", 0, &dictionary_size);
  double* out = ScanArray<double>(info, 6, "out", napi_float64_array, "Float64Array", a.count);
  return Napi::Number::New(info.Env(), static_cast<double>(parquet::GatherRuns(a.data, a.from, a.to, a.width, a.count, dictionary, dictionary_size, out)));
}

Napi::Value RunZeros(const Napi::CallbackInfo& info) {
  const RunsArgs a = RunsArguments(info);
  size_t capacity = 0;
  int32_t* offsets = ScanArray<int32_t>(info, 5, "offsets", napi_int32_array, "Int32Array", 0, &capacity);
  const uint32_t row = UintArg(info, 6, "row", 0, 0xffffffffu);
  const uint32_t base = UintArg(info, 7, "base", 0, 0x7fffffffu);
  if (row > capacity) Fail(info.Env(), "row must lie within offsets");
  return Napi::Number::New(info.Env(), static_cast<double>(parquet::RunZeros(a.data, a.from, a.to, a.width, a.count, offsets, capacity, row, base)));
}

}  // namespace sieve::bindings
