#include "exposure/bytes.h"

#include <sodium.h>

#include <cstring>

namespace exposure {

std::string to_hex(ByteView data) {
  std::string out(data.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data.data(), data.size());
  out.pop_back();
  return out;
}

Result<Bytes> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return invalid_argument("hex has an odd number of digits");
  Bytes out(hex.size() / 2);
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, &end) != 0 ||
      len != out.size()) {
    size_t at = end ? static_cast<size_t>(end - hex.data()) : 0;
    return invalid_argument("not hex at character " + std::to_string(at + 1));
  }
  return out;
}

std::string to_base64(ByteView data) {
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_ENCODED_LEN(data.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data.data(), data.size(), variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<Bytes> from_base64(std::string_view text) {
  bool url = text.find_first_of("-_") != std::string_view::npos;
  bool padded = !text.empty() && text.back() == '=';
  int variant = url ? (padded ? sodium_base64_VARIANT_URLSAFE : sodium_base64_VARIANT_URLSAFE_NO_PADDING)
                    : (padded ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
  Bytes out(text.size() / 4 * 3 + 3);
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        variant) != 0 ||
      end != text.data() + text.size()) {
    return invalid_argument("not valid base64");
  }
  out.resize(len);
  return out;
}

bool ByteReader::read_u8(uint8_t* out) {
  if (data_.empty()) return false;
  *out = data_[0];
  data_ = data_.subspan(1);
  return true;
}

bool ByteReader::read_u16_le(uint16_t* out) {
  if (data_.size() < 2) return false;
  *out = static_cast<uint16_t>(data_[0] | (data_[1] << 8));
  data_ = data_.subspan(2);
  return true;
}

bool ByteReader::read_u32_le(uint32_t* out) {
  if (data_.size() < 4) return false;
  *out = static_cast<uint32_t>(data_[0]) | (static_cast<uint32_t>(data_[1]) << 8) |
         (static_cast<uint32_t>(data_[2]) << 16) | (static_cast<uint32_t>(data_[3]) << 24);
  data_ = data_.subspan(4);
  return true;
}

bool ByteReader::read_bytes(size_t n, ByteView* out) {
  if (data_.size() < n) return false;
  *out = data_.subspan(0, n);
  data_ = data_.subspan(n);
  return true;
}

bool ByteReader::skip(size_t n) {
  if (data_.size() < n) return false;
  data_ = data_.subspan(n);
  return true;
}

}  // namespace exposure
