// Binds the verification endpoints to the HTTP server.
#pragma once

#include "http/api_server.h"
#include "verification/verification_service.h"

namespace exposure::server {

// POST /api/issue, /api/verify, /api/certificate.
void add_verification_routes(ApiServer& server, VerificationService& service);

}  // namespace exposure::server
