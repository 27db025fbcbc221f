// Byte containers, hex, base64 and a bounds-checked reader for untrusted input.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/status.h"

namespace exposure {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;
using MutableByteView = std::span<uint8_t>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Lowercase hex of `data`.
std::string to_hex(ByteView data);
// Parses hex (either case, no separators). Fails on odd length or a non-hex character.
Result<Bytes> from_hex(std::string_view hex);
// Parses exactly N bytes of hex; `what` names the value in the error message.
template <size_t N>
Result<std::array<uint8_t, N>> fixed_from_hex(std::string_view hex, std::string_view what);

// Standard base64 with padding.
std::string to_base64(ByteView data);
// Tolerant base64 decoding as deployed servers do it: standard or URL-safe alphabet, with
// or without '=' padding. Fails on any other character or an impossible length.
Result<Bytes> from_base64(std::string_view text);

// Bounds-checked reader over untrusted bytes in the spirit of BoringSSL's CBS: every read
// either succeeds completely or returns false and leaves the reader unchanged.
class ByteReader {
 public:
  explicit ByteReader(ByteView data) : data_(data) {}
  size_t remaining() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  ByteView rest() const { return data_; }

  bool read_u8(uint8_t* out);
  bool read_u16_le(uint16_t* out);
  bool read_u32_le(uint32_t* out);
  // Takes the next `n` bytes as a view.
  bool read_bytes(size_t n, ByteView* out);
  bool skip(size_t n);

 private:
  ByteView data_;
};

template <size_t N>
Result<std::array<uint8_t, N>> fixed_from_hex(std::string_view hex, std::string_view what) {
  if (hex.size() != 2 * N) {
    return invalid_argument(std::string(what) + ": expected " + std::to_string(2 * N) +
                            " hex digits, got " + std::to_string(hex.size()));
  }
  auto bytes = from_hex(hex);
  if (!bytes.ok()) return Status(ErrorCode::kInvalidArgument, std::string(what) + ": " + bytes.status().message());
  std::array<uint8_t, N> out{};
  for (size_t i = 0; i < N; ++i) out[i] = (*bytes)[i];
  return out;
}

}  // namespace exposure
