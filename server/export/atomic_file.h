// Crash-safe file replacement for the export tree: readers (and the HTTP server) see
// either the old file or the complete new one, never a partial one.
#pragma once

#include <string>

#include "exposure/bytes.h"
#include "exposure/status.h"

namespace exposure::server {

// Prefix of temporary files; names starting with it are never served or indexed.
inline constexpr const char* kTempFilePrefix = ".tmp-";

// Writes `data` to a temporary file in the directory of `path`, fsyncs it, renames it over
// `path` and fsyncs the directory.
Status write_file_atomically(const std::string& path, ByteView data);

// Creates `dir` and missing parents.
Status make_directories(const std::string& dir);

// Removes temporary files a crash left in `dir`; returns how many.
int remove_stale_temp_files(const std::string& dir);

// The whole content of a file, or kNotFound / kIoError.
Result<Bytes> read_file(const std::string& path);

}  // namespace exposure::server
