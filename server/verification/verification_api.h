// Requests and replies of the verification endpoints (/api/issue, /api/verify,
// /api/certificate) and their JSON forms (Google's server API). The parse functions are pure:
// they take the request body and return the request or a one-line error.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/status.h"

namespace exposure::server {

struct IssueRequest {
  std::string test_type;
  std::string symptom_date;  // YYYY-MM-DD or empty
  std::string test_date;     // YYYY-MM-DD or empty
  int32_t tz_offset_minutes = 0;
  std::string phone;
  std::string sms_template_label;
  std::string uuid;
  std::string external_issuer_id;
  bool only_generate_sms = false;
};

struct IssueReply {
  std::string uuid;
  std::string code;
  int64_t expires_at = 0;
  int64_t long_expires_at = 0;
};

struct VerifyRequest {
  std::string code;
  std::vector<std::string> accept;
  std::string nonce;
};

struct VerifyReply {
  std::string test_type;
  std::string symptom_date;
  std::string test_date;
  std::string token;
};

struct CertificateRequest {
  std::string token;
  std::string ekeyhmac;
};

struct CertificateReply {
  std::string certificate;
};

Result<IssueRequest> parse_issue_request(std::string_view body);
Result<VerifyRequest> parse_verify_request(std::string_view body);
Result<CertificateRequest> parse_certificate_request(std::string_view body);

// Reply objects (the HTTP layer adds "padding").
nlohmann::json to_json(const IssueReply& reply);
nlohmann::json to_json(const VerifyReply& reply);
nlohmann::json to_json(const CertificateReply& reply);

}  // namespace exposure::server
