// Shared helpers of the keyfile tests: the conformance files, their keys, and tools to take
// archives apart and build broken ones.
#pragma once

#include <string>
#include <vector>

#include "exposure/keyfile.h"
#include "keyfile/zip_io.h"

namespace exposure::keyfile::testing {

// tests/data file names.
inline constexpr char kServerArchive[] = "server-example-2-keys.zip";
inline constexpr char kServerPublicPem[] = "server-example-2-keys.public.pem";
inline constexpr char kServerPrivatePem[] = "server-example-2-keys.private.pem";
inline constexpr char kServerKeysJson[] = "server-example-2-keys.publish.json";
inline constexpr char kServerKeyName[] = "some_id-1";
inline constexpr char kInternalsArchive[] = "internals-sample-140-keys.zip";
inline constexpr char kInternalsPublicPem[] = "internals-sample-140-keys.public-310-v1.pem";
inline constexpr char kInternalsKeyName[] = "310-v1";
inline constexpr char kBare110[] = "internals-110-keys.export.bin";
inline constexpr char kBare200[] = "internals-200-keys.export.bin";

// The server example's export.bin as printed in the format specification (135 bytes).
extern const char kServerExportBinHex[];

Bytes read_data_file(const std::string& name);
std::string data_file_path(const std::string& name);

// The bytes of one entry of an archive (ADD_FAILURE and empty when missing).
Bytes zip_entry(ByteView archive, const std::string& name);
// Every entry as listed in the central directory.
std::vector<ZipEntryInfo> zip_listing(ByteView archive);

// A zip holding exactly `entries` (name, bytes), in that order.
Bytes make_zip(const std::vector<std::pair<std::string, Bytes>>& entries);

// A cosign set of one key loaded from a tests/data PEM under `name`.
CosignSet single_key_set(const std::string& name, const std::string& pem_file);

// The server example's private key as a signer ("some_id", "1").
SigningKey server_example_signer();

// A key with the given first byte and simple metadata.
DiagnosisKey sample_key(uint8_t first_byte, uint32_t rolling_period = 144);

// Writes `data` to `path`.
void write_file(const std::string& path, ByteView data);

}  // namespace exposure::keyfile::testing
