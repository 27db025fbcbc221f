// Secret handling: wiping memory that held keys, and constant-time comparison.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "exposure/bytes.h"

namespace exposure {

// Overwrites `size` bytes at `p` with zeros in a way the compiler cannot elide
// (libsodium sodium_memzero).
void secure_wipe(void* p, size_t size);

// True when a and b have equal length and contents. Time depends only on the lengths
// (libsodium sodium_memcmp). Use for MACs, codes and tokens.
bool constant_time_equal(ByteView a, ByteView b);

// A fixed-size secret that wipes itself when destroyed or overwritten.
template <size_t N>
class SecretArray {
 public:
  SecretArray() : bytes_{} {}
  explicit SecretArray(const std::array<uint8_t, N>& b) : bytes_(b) {}
  SecretArray(const SecretArray& o) : bytes_(o.bytes_) {}
  SecretArray& operator=(const SecretArray& o) {
    bytes_ = o.bytes_;
    return *this;
  }
  ~SecretArray() { secure_wipe(bytes_.data(), N); }

  uint8_t* data() { return bytes_.data(); }
  const uint8_t* data() const { return bytes_.data(); }
  static constexpr size_t size() { return N; }
  ByteView view() const { return {bytes_.data(), N}; }
  const std::array<uint8_t, N>& array() const { return bytes_; }
  std::array<uint8_t, N>& array() { return bytes_; }
  bool operator==(const SecretArray& o) const { return constant_time_equal(view(), o.view()); }

 private:
  std::array<uint8_t, N> bytes_;
};

}  // namespace exposure
