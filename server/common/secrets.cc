#include "common/secrets.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace exposure::server {
namespace {

SecretArray<32> derive(const SecretArray<32>& master, std::string_view label) {
  SecretArray<32> out;
  Status st = crypto::hkdf_sha256(master.view(), as_bytes("exposure-server"), as_bytes(label),
                                  MutableByteView(out.data(), out.size()));
  if (!st.ok()) std::abort();  // 32 bytes is always a valid HKDF length
  return out;
}

crypto::Digest256 mac(const SecretArray<32>& key, std::string_view data) {
  return crypto::hmac_sha256(key.view(), as_bytes(data));
}

Status create_secret_file(const std::string& path) {
  SecretArray<32> fresh;
  crypto::random_bytes(MutableByteView(fresh.data(), fresh.size()));
  std::string text = to_base64(fresh.view()) + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return Status(ErrorCode::kIoError, "cannot create secret file " + path + ": " + std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  secure_wipe(text.data(), text.size());
  if (!ok) return Status(ErrorCode::kIoError, "cannot write secret file " + path);
  return Status::Ok();
}

}  // namespace

ServerSecrets ServerSecrets::from_bytes(const SecretArray<32>& master) {
  ServerSecrets s;
  s.api_key_mac_ = derive(master, "api-key-hash");
  s.code_mac_ = derive(master, "verification-code-hash");
  s.token_mac_ = derive(master, "token-id-hash");
  s.idempotency_mac_ = derive(master, "idempotency-key-hash");
  s.revision_key_ = derive(master, "revision-token-key-1");
  s.seal_key_ = derive(master, "private-key-seal");
  return s;
}

Result<ServerSecrets> ServerSecrets::load_or_create(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) EXPOSURE_RETURN_IF_ERROR(create_secret_file(path));
  std::ifstream in(path);
  std::string text;
  in >> text;
  auto bytes = from_base64(text);
  secure_wipe(text.data(), text.size());
  if (!bytes.ok() || bytes->size() != 32) {
    if (bytes.ok()) secure_wipe(bytes->data(), bytes->size());
    return malformed("secret file " + path + " must hold the base64 of 32 bytes");
  }
  SecretArray<32> master;
  std::memcpy(master.data(), bytes->data(), 32);
  secure_wipe(bytes->data(), bytes->size());
  return from_bytes(master);
}

crypto::Digest256 ServerSecrets::api_key_hash(std::string_view v) const { return mac(api_key_mac_, v); }
crypto::Digest256 ServerSecrets::code_hash(std::string_view v) const { return mac(code_mac_, v); }
crypto::Digest256 ServerSecrets::token_hash(std::string_view v) const { return mac(token_mac_, v); }
crypto::Digest256 ServerSecrets::idempotency_hash(std::string_view v) const { return mac(idempotency_mac_, v); }

Bytes ServerSecrets::seal(std::string_view plaintext, std::string_view label) const {
  std::array<uint8_t, crypto::kGcmNonceSize> nonce;
  crypto::random_bytes(nonce);
  Bytes sealed = crypto::aes256_gcm_seal(seal_key_.data(), nonce, as_bytes(plaintext), as_bytes(label));
  Bytes out(nonce.size() + sealed.size());
  std::memcpy(out.data(), nonce.data(), nonce.size());
  std::memcpy(out.data() + nonce.size(), sealed.data(), sealed.size());
  return out;
}

Result<std::string> ServerSecrets::open(ByteView sealed, std::string_view label) const {
  if (sealed.size() < crypto::kGcmNonceSize + crypto::kGcmTagSize) return malformed("sealed value too short");
  std::array<uint8_t, crypto::kGcmNonceSize> nonce;
  std::memcpy(nonce.data(), sealed.data(), nonce.size());
  auto opened = crypto::aes256_gcm_open(seal_key_.data(), nonce, sealed.subspan(nonce.size()), as_bytes(label));
  if (!opened.ok()) {
    return Status(ErrorCode::kWrongKey, "sealed " + std::string(label) + " does not open with this server secret");
  }
  std::string text(opened->begin(), opened->end());
  secure_wipe(opened->data(), opened->size());
  return text;
}

}  // namespace exposure::server
