// Splitting a batch over threads: items are grouped into contiguous chunks of about equal weight
// (their byte size plus a fixed cost each), and worker threads take chunks from a shared counter,
// so one huge document does not hold the others up. The calling thread works too.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace sieve::parallel {

// Chunk boundaries over items [0, n) whose sizes are offsets[i + 1] - offsets[i]: at most
// `max_chunks` chunks, each of about equal weight. Returns n_chunks + 1 boundaries.
std::vector<size_t> chunk_bounds(const uint32_t* offsets, size_t n, size_t max_chunks);

// Runs fn(worker, chunk_index, begin, end) for every chunk on up to `threads` threads (worker is
// 0 .. threads - 1, for per-thread scratch space); rethrows the first exception a chunk threw,
// after all threads have stopped.
template <class Fn>
void run_chunks(const std::vector<size_t>& bounds, unsigned threads, Fn&& fn) {
  const size_t chunks = bounds.size() - 1;
  std::atomic<size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&](size_t worker) {
    for (;;) {
      const size_t c = next.fetch_add(1);
      if (c >= chunks) return;
      try {
        fn(worker, c, bounds[c], bounds[c + 1]);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        next.store(chunks);
      }
    }
  };
  const size_t helpers = threads > 1 ? std::min<size_t>(threads - 1, chunks > 0 ? chunks - 1 : 0) : 0;
  std::vector<std::thread> pool;
  pool.reserve(helpers);
  for (size_t t = 0; t < helpers; t++) pool.emplace_back(work, t + 1);
  work(0);
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

// Number of chunks to cut a batch into for `threads` threads.
inline size_t chunks_for(unsigned threads, size_t n) {
  if (threads <= 1) return n > 0 ? 1 : 0;
  return std::min<size_t>(n, static_cast<size_t>(threads) * 16);
}

}  // namespace sieve::parallel
