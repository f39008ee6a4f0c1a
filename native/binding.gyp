# The `cpu` backend: one addon, sieve_native, built from the sources below by
# scripts/build-native.mjs (npm's bundled node-gyp, Node's local headers, no downloads).
{
  "targets": [
    {
      "target_name": "sieve_native",
      "sources": [
        "src/module.cc",
        "src/bindings/bindings.cc",
        "src/common/cpu_features.cc",
        "src/common/parallel.cc",
        "src/cuda/cuda_loader.cc",
        "src/dsir/dsir.cc",
        "src/minhash/minhash.cc",
        "src/minhash/permute.cc",
        "src/parquet/runs.cc",
        "src/pyhash/pyhash.cc",
        "src/repetition/repetition.cc",
        "src/sha1/sha1.cc",
        "src/sha1/sha1_multi.cc",
        "src/text/scan.cc",
        "src/text/utf8.cc",
        "src/text/vocabulary.cc",
        "src/xxhash/xxhash.cc"
      ],
      # node-addon-api's headers come in as system headers, so -Werror applies to our code only.
      "cflags_cc": [
        "-isystem", "<!(node -p \"require('path').dirname(require.resolve('node-addon-api/package.json'))\")"
      ],
      "defines": [
        "NAPI_VERSION=8",
        # C++ exceptions are on: argument errors become JS TypeErrors, kernel errors promise rejections.
        "NAPI_CPP_EXCEPTIONS"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags": [
        "-O3",
        # Strict warnings, as errors, for our sources.
        "-Wall", "-Wextra", "-Wshadow", "-Wconversion", "-Wno-sign-conversion", "-Werror",
        # Portable baseline: SIMD paths are enabled per function with target attributes and chosen
        # at run time from cpuid, so the binary runs on any CPU of the architecture.
        "-fvisibility=hidden"
      ],
      "libraries": ["-ldl", "-pthread"],
      "ldflags": ["-pthread"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_CPLUSPLUSFLAGS": ["-Wall", "-Wextra", "-Werror"]
      },
      "msvs_settings": {
        "VCCLCompilerTool": { "ExceptionHandling": 1 }
      }
    }
  ]
}
