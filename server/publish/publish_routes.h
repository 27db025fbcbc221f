// Binds the upload endpoints to the HTTP server.
#pragma once

#include "http/api_server.h"
#include "publish/cocoa_service.h"
#include "publish/publish_service.h"

namespace exposure::server {

// POST /v1/publish, PUT /api/v3/diagnosis, PUT /api/v2/diagnosis.
void add_publish_routes(ApiServer& server, PublishService& publish, CocoaService& cocoa);

}  // namespace exposure::server
