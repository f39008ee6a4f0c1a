// RPv2 MinHash signatures of a batch of documents (spec section 6). Input layout: document d is
// bytes[offsets[d], offsets[d + 1]), its normalized words joined by single 0x20 bytes; it is split
// at every 0x20 (an empty document has no words) and shingle j is the byte range from word j's
// first byte to word j+12's last byte, i.e. the 13 words joined by one space.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace sieve::minhash {

constexpr int kShingleWords = 13;

// A grow-only array that leaves new elements uninitialised (scratch space filled before it is read).
template <class T>
class Buffer {
 public:
  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  size_t size() const { return size_; }
  // Makes room for `n` elements, keeping the first size() ones.
  void reserve(size_t n) {
    if (n <= capacity_) return;
    const size_t capacity = std::max(n, 2 * capacity_);
    std::unique_ptr<T[]> grown(new T[capacity]);
    if (size_ > 0) std::memcpy(grown.get(), data_.get(), size_ * sizeof(T));
    data_ = std::move(grown);
    capacity_ = capacity;
  }
  void resize(size_t n) {
    reserve(n);
    size_ = n;
  }
  void clear() { size_ = 0; }

 private:
  std::unique_ptr<T[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

using U32Buffer = Buffer<uint32_t>;

// Shingles as byte ranges of the batch: start and length of each, in document order.
struct Shingles {
  U32Buffer start;
  U32Buffer length;
  void clear() {
    start.clear();
    length.clear();
  }
};

// Appends the shingles of the document bytes[begin, end) to `out`; returns how many (words - 12,
// or 0). `starts` is scratch space.
size_t append_shingles(const uint8_t* bytes, uint32_t begin, uint32_t end, Shingles& out, U32Buffer& starts);

// Signatures of all documents: signatures[128 d + i], shingle_counts[d]. Every value of a document
// with no shingle is 2^32 - 1.
void signatures(const uint8_t* bytes, const uint32_t* offsets, size_t docs, uint32_t* signatures,
                uint32_t* shingle_counts, unsigned threads);

// The same for documents given as UTF-16 code units (units[offsets[d], offsets[d + 1])), encoded
// to UTF-8 chunk by chunk on the worker threads exactly as TextEncoder does (lone surrogates become
// U+FFFD).
void signatures_utf16(const uint16_t* units, const uint32_t* offsets, size_t docs, uint32_t* signatures,
                      uint32_t* shingle_counts, unsigned threads);

// UTF-8 of in[0, n) into out (room for 3 n bytes); returns the bytes written.
size_t utf16_to_utf8(const uint16_t* in, size_t n, uint8_t* out);

}  // namespace sieve::minhash
