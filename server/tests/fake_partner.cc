#include "tests/fake_partner.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "exposure/crypto.h"

namespace exposure::server::testing {

FakePartner::FakePartner() {
  server_.Get("/tree/(.*)", [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = files_.find(req.matches[1].str());
    if (it == files_.end()) {
      res.status = 404;
      return;
    }
    res.status = 200;
    res.set_content(std::string(it->second.begin(), it->second.end()), "application/octet-stream");
  });
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("fake partner: cannot bind");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  while (!server_.is_running()) std::this_thread::yield();
}

FakePartner::~FakePartner() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string FakePartner::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/tree";
}

void FakePartner::put(const std::string& path, Bytes body) {
  std::lock_guard<std::mutex> lock(mutex_);
  files_[path] = std::move(body);
}

SilentPartner::SilentPartner() {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(fd_, 16) != 0 ||
      getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("silent partner: cannot listen");
  }
  port_ = ntohs(addr.sin_port);
}

SilentPartner::~SilentPartner() {
  if (fd_ >= 0) close(fd_);
}

std::string SilentPartner::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/tree";
}

TestSigner::TestSigner(const std::string& id, const std::string& version)
    : key{id, version, crypto::EcPrivateKey::generate()} {}

std::string TestSigner::public_key_flag() const {
  return key.key_id + "-" + key.key_version + "=" +
         to_base64(key.private_key.public_key().spki_der());
}

std::vector<DiagnosisKey> test_keys(int n, int64_t now) {
  std::vector<DiagnosisKey> keys(static_cast<size_t>(n));
  const uint32_t today = static_cast<uint32_t>(now / 86400 * 144);
  for (size_t i = 0; i < keys.size(); ++i) {
    crypto::random_bytes(keys[i].key_data);
    keys[i].rolling_start_interval_number = today - static_cast<uint32_t>(1 + i % 5) * 144;
    keys[i].transmission_risk_level = 2;
    keys[i].report_type = ReportType::kConfirmedTest;
    keys[i].days_since_onset_of_symptoms = 1;
  }
  return keys;
}

namespace {

keyfile::ExportMetadata metadata_for(const std::string& region,
                                     const std::vector<const TestSigner*>& signers) {
  keyfile::ExportMetadata m;
  m.start_timestamp = 1773100800;
  m.end_timestamp = 1773104400;
  m.region = region;
  m.batch_num = 1;
  m.batch_size = 1;
  for (const TestSigner* s : signers)
    m.signature_infos.push_back(keyfile::signature_info_for(s->key));
  return m;
}

std::vector<keyfile::SigningKey> signing_keys(const std::vector<const TestSigner*>& signers) {
  std::vector<keyfile::SigningKey> out;
  for (const TestSigner* s : signers) {
    auto copy = crypto::EcPrivateKey::parse_pem(s->key.private_key.pem());
    if (!copy.ok()) throw std::runtime_error("test signer: " + copy.status().to_string());
    out.push_back(keyfile::SigningKey{s->key.key_id, s->key.key_version, std::move(*copy)});
  }
  return out;
}

Bytes zip(const Bytes& bin, const Bytes& sig) {
  auto archive = keyfile::write_export_archive(bin, sig);
  if (!archive.ok()) throw std::runtime_error("test archive: " + archive.status().to_string());
  return std::move(*archive);
}

}  // namespace

Bytes signed_archive(const std::string& region, const std::vector<DiagnosisKey>& keys,
                     const std::vector<const TestSigner*>& signers) {
  std::vector<DiagnosisKey> sorted = keys;
  keyfile::sort_by_key_bytes(sorted);
  const Bytes bin = keyfile::serialize_export_bin(metadata_for(region, signers), sorted, {});
  return zip(bin,
             keyfile::serialize_export_sig(keyfile::sign_export_bin(bin, signing_keys(signers))));
}

Bytes tampered_archive(const std::string& region, const std::vector<DiagnosisKey>& keys,
                       const TestSigner& signer) {
  std::vector<DiagnosisKey> sorted = keys;
  keyfile::sort_by_key_bytes(sorted);
  const std::vector<const TestSigner*> signers = {&signer};
  const Bytes bin = keyfile::serialize_export_bin(metadata_for(region, signers), sorted, {});
  const Bytes sig =
      keyfile::serialize_export_sig(keyfile::sign_export_bin(bin, signing_keys(signers)));
  // The first key's data: the bytes right after the first occurrence of its 16 bytes.
  Bytes changed = bin;
  auto at = std::search(changed.begin(), changed.end(), sorted[0].key_data.begin(),
                        sorted[0].key_data.end());
  if (at == changed.end())
    throw std::runtime_error("tampered archive: key not found in export.bin");
  *at ^= 0x01;
  return zip(changed, sig);
}

}  // namespace exposure::server::testing
