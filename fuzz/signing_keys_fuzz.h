// The real verification keys of the signed archives in tests/data, as cosign sets (one key
// each), for targets that check signatures.
#pragma once

#include <vector>

#include "exposure/keyfile_verify.h"
#include "fuzz_support.h"

namespace exposure::fuzz {

// "some_id-1" signs server-example-2-keys.zip, "310-v1" internals-sample-140-keys.zip.
inline const std::vector<keyfile::CosignSet>& test_data_cosign_sets() {
  static const std::vector<keyfile::CosignSet> sets = [] {
    std::vector<keyfile::CosignSet> out;
    for (auto [name, file] : {std::pair{"some_id-1", "server-example-2-keys.public.pem"},
                              std::pair{"310-v1", "internals-sample-140-keys.public-310-v1.pem"}}) {
      auto key = keyfile::make_verification_key(name, as_bytes(read_test_data(file)));
      require(key.ok(), "verification key of tests/data does not parse");
      out.emplace_back().push_back(std::move(*key));
    }
    return out;
  }();
  return sets;
}

}  // namespace exposure::fuzz
