#include "exposure/tekmac.h"

#include <algorithm>
#include <vector>

namespace exposure {

std::string tekmac_cleartext(std::span<const TekmacKey> keys, bool include_transmission_risk) {
  std::vector<const TekmacKey*> sorted;
  sorted.reserve(keys.size());
  for (const TekmacKey& k : keys) sorted.push_back(&k);
  std::sort(sorted.begin(), sorted.end(), [](const TekmacKey* a, const TekmacKey* b) { return a->key < b->key; });
  std::string out;
  for (const TekmacKey* k : sorted) {
    if (!out.empty()) out += ',';
    out += k->key + "." + std::to_string(k->rolling_start_number) + "." + std::to_string(k->rolling_period);
    if (include_transmission_risk) out += "." + std::to_string(k->transmission_risk);
  }
  return out;
}

crypto::Digest256 compute_tekmac(std::span<const TekmacKey> keys, ByteView secret, bool include_transmission_risk) {
  return crypto::hmac_sha256(secret, as_bytes(tekmac_cleartext(keys, include_transmission_risk)));
}

}  // namespace exposure
