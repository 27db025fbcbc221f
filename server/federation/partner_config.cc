#include "federation/partner_config.h"

#include <algorithm>
#include <set>

#include "common/text.h"
#include "exposure/keyfile_verify.h"

namespace exposure::server {
namespace {

bool name_chars(const std::string& s, size_t max) {
  return !s.empty() && s.size() <= max && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

}  // namespace

Result<PartnerUrl> partner_url(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos)
    return invalid_argument("--url " + printable(url) + ": expected http(s)://HOST[:PORT][/PATH]");
  const std::string scheme = to_lower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    return invalid_argument("--url " + printable(url) + ": scheme must be http or https");
  }
  const size_t host_start = scheme_end + 3;
  const size_t path_start = std::min(url.find('/', host_start), url.size());
  const std::string authority = url.substr(host_start, path_start - host_start);
  if (authority.empty()) return invalid_argument("--url " + printable(url) + ": no host");
  if (authority.find('@') != std::string::npos) {
    return invalid_argument("--url: user info (user:password@) is not allowed");
  }
  if (url.find_first_of("?# \t\r\n") != std::string::npos) {
    return invalid_argument("--url " + printable(url) + ": no query, fragment or spaces allowed");
  }
  PartnerUrl out;
  out.origin = scheme + "://" + authority;
  out.path = url.substr(path_start);
  while (!out.path.empty() && out.path.back() == '/') out.path.pop_back();
  return out;
}

Result<FederationPartner> make_partner(const std::string& name, const std::string& url,
                                       const std::vector<std::string>& regions,
                                       const std::vector<std::string>& key_specs, int64_t now) {
  if (!name_chars(name, 64))
    return invalid_argument("partner name \"" + printable(name) +
                            "\" must be 1..64 of [A-Za-z0-9_-]");
  auto parsed = partner_url(url);
  if (!parsed.ok()) return parsed.status();
  if (regions.empty()) return invalid_argument("--region: at least one region to import");
  FederationPartner p;
  p.name = name;
  p.url = parsed->origin + parsed->path;
  p.created_at = now;
  for (const std::string& r : regions) {
    if (!is_region_name(r))
      return invalid_argument("--region \"" + printable(r) + "\" must be " + kRegionNameRule);
    if (std::find(p.regions.begin(), p.regions.end(), r) == p.regions.end()) p.regions.push_back(r);
  }
  if (key_specs.empty()) return invalid_argument("--public-key: at least one ID-VERSION=KEY");
  std::set<std::string> names;
  for (const std::string& spec : key_specs) {
    auto key = keyfile::parse_verification_key(spec);
    if (!key.ok()) return invalid_argument("--public-key: " + key.status().message());
    if (!names.insert(key->name).second)
      return invalid_argument("--public-key: " + key->name + " given twice");
    p.keys.push_back(PartnerKey{key->name, key->key.pem()});
  }
  return p;
}

}  // namespace exposure::server
