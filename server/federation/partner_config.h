// Checking and reading the configuration of a federation partner (`exposure-server
// federation add`): its name, the URL of its federation tree, the regions read there and
// the public keys its files must be signed with. One home for these rules: the CLI checks
// a new partner with make_partner(), the importer splits the stored URL with partner_url().
#pragma once

#include <string>
#include <vector>

#include "exposure/status.h"
#include "storage/federation_store.h"

namespace exposure::server {

// A partner URL split for the HTTP client: "https://host:8443/a/b" gives origin
// "https://host:8443" and path "/a/b" (no trailing '/').
struct PartnerUrl {
  std::string origin;
  std::string path;
};

// Parses an http:// or https:// URL without user info, query or fragment.
// kInvalidArgument names what is wrong.
Result<PartnerUrl> partner_url(const std::string& url);

// Checks a new partner: name 1..64 of [A-Za-z0-9_-], a URL partner_url() accepts, at least
// one region (1..32 of [A-Za-z0-9_-]), at least one key, each "ID-VERSION=KEY" with KEY a
// P-256 public key in PEM or base64 DER (keyfile_verify.h), names unique. Keys are stored
// as PEM. kInvalidArgument names the flag and the problem.
Result<FederationPartner> make_partner(const std::string& name, const std::string& url,
                                       const std::vector<std::string>& regions,
                                       const std::vector<std::string>& key_specs, int64_t now);

}  // namespace exposure::server
