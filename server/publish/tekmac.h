// tekmac on the key server: checking the HMAC that binds a verification certificate to the
// uploaded keys (the message and HMAC are libexposure's, exposure/tekmac.h, so the app and the
// server compute them in one place).
#pragma once

#include <span>
#include <string_view>

#include "exposure/bytes.h"
#include "exposure/tekmac.h"

namespace exposure::server {

using exposure::compute_tekmac;
using exposure::TekmacKey;
using exposure::tekmac_cleartext;

// True when `tekmac` (base64, tolerant) equals the HMAC of the keys, or, when every
// transmission risk is 0, the HMAC of the form without risks. Constant-time comparison.
bool tekmac_matches(std::span<const TekmacKey> keys, ByteView secret, std::string_view tekmac);

}  // namespace exposure::server
