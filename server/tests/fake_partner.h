// A federation partner played by the test: a loopback HTTP server (cpp-httplib) serving a
// tree of files the test writes (index.txt, archives, anything broken), and archives signed
// with the test's own keys, so the importer can be fed tampered, truncated, unsigned or
// wrongly signed files. Also a listener that accepts connections and never answers.
#pragma once

#include <httplib.h>

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "exposure/bytes.h"
#include "exposure/keyfile.h"

namespace exposure::server::testing {

class FakePartner {
 public:
  FakePartner();  // listening on 127.0.0.1, a free port
  ~FakePartner();

  // The tree root as `federation add --url` takes it.
  std::string url() const;
  // Serves `body` at <root>/<path> (replacing what was there).
  void put(const std::string& path, Bytes body);
  void put(const std::string& path, const std::string& body) {
    put(path, Bytes(body.begin(), body.end()));
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::map<std::string, Bytes> files_;
};

// Accepts TCP connections on 127.0.0.1 (the kernel completes them) and never reads or
// writes: a partner that hangs.
class SilentPartner {
 public:
  SilentPartner();
  ~SilentPartner();
  std::string url() const;

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A signer of test archives, named "<id>-<version>".
struct TestSigner {
  TestSigner(const std::string& id, const std::string& version);
  keyfile::SigningKey key;
  // "ID-VERSION=BASE64" for federation add --public-key.
  std::string public_key_flag() const;
};

// `n` valid keys of the days before `now` (random key bytes).
std::vector<DiagnosisKey> test_keys(int n, int64_t now);
// An archive of `keys` for `region` signed by `signers` (none: unsigned).
Bytes signed_archive(const std::string& region, const std::vector<DiagnosisKey>& keys,
                     const std::vector<const TestSigner*>& signers);
// As signed_archive, but export.bin is changed after signing (one key byte flipped).
Bytes tampered_archive(const std::string& region, const std::vector<DiagnosisKey>& keys,
                       const TestSigner& signer);

}  // namespace exposure::server::testing
