// UTF-8 to UTF-16 for the JSON lines reader: V8's decoder (Buffer.toString) runs at ~300 MB/s on web
// text with a few non-ASCII characters per line, a third of what the rest of a `sieve run` costs per
// byte; this one copies ASCII 16 bytes at a time and decodes the rest unit by unit.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sieve::text {

// The length of the ASCII prefix of in[0, n).
size_t ascii_prefix(const uint8_t* in, size_t n);

// Decodes in[0, n) into out, which has room for n units (UTF-16 never takes more units than UTF-8
// takes bytes); returns the units written, or SIZE_MAX at the first malformed sequence (overlong,
// surrogate, past U+10FFFF, truncated or a stray continuation byte), where nothing is promised.
size_t utf8_to_utf16(const uint8_t* in, size_t n, uint16_t* out);

}  // namespace sieve::text
