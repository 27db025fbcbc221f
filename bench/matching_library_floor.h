// What every diagnosis key costs before any matching, through the libraries the project
// keeps: the RPIK (HKDF-SHA256), its 144 RPIs (AES-128-ECB) and reading plus verifying the
// export files (inflate, protobuf, SHA-256, ECDSA). matching_workload_bench prints it beside
// the CPU budget per key that each goal leaves, so the distance to the goal reads off one run.
#pragma once

#include <string>
#include <vector>

namespace exposure::bench {

struct LibraryFloor {
  size_t keys_read = 0;
  double read_and_verify_us = 0;  // CPU microseconds per key
  double rpik_us = 0;
  double rpis_us = 0;
  double total_us() const { return read_and_verify_us + rpik_us + rpis_us; }
};

// Streams and verifies `files` (signed by the key in `public_key_pem`, named `key_name`)
// once, then derives RPIKs and 144 RPIs for up to `crypto_keys` of their keys, the way the
// matcher does (precomputed zero-salt HKDF, keys in groups of 8; one re-keyed AES context),
// timing each stage in CPU time of this thread. Exits with a message if a file fails.
LibraryFloor measure_library_floor(const std::vector<std::string>& files, const std::string& key_name,
                                   const std::string& public_key_pem, size_t crypto_keys);

}  // namespace exposure::bench
