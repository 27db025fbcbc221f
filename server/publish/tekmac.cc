#include "publish/tekmac.h"

#include <algorithm>

#include "exposure/secure.h"

namespace exposure::server {

bool tekmac_matches(std::span<const TekmacKey> keys, ByteView secret, std::string_view tekmac) {
  auto given = from_base64(tekmac);
  if (!given.ok()) return false;
  bool match = constant_time_equal(*given, compute_tekmac(keys, secret, true));
  bool all_zero = std::all_of(keys.begin(), keys.end(), [](const TekmacKey& k) { return k.transmission_risk == 0; });
  if (all_zero) match = constant_time_equal(*given, compute_tekmac(keys, secret, false)) || match;
  return match;
}

}  // namespace exposure::server
