// ExportReader: archive checks, then export.bin parsed one top-level field at a time with
// protobuf's CodedInputStream over the inflating entry, so only one key is in memory.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

#include "export_bin_source.h"
#include "exposure/keyfile_reader.h"
#include "keyfile/export.pb.h"
#include "proto_convert.h"
#include "zip_io.h"

namespace exposure::keyfile {
namespace {

using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;
using google::protobuf::io::CopyingInputStreamAdaptor;

constexpr int kChunkBytes = 64 << 10;
constexpr uint32_t kMaxSubmessageBytes = 4096;  // one key or one SignatureInfo

// Entry names come from untrusted archives: keep error messages one printable line.
std::string printable(const std::string& name) {
  std::string out;
  for (char c : name.substr(0, 80)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

bool has_path_component(const std::string& name) {
  return name.find('/') != std::string::npos || name.find('\\') != std::string::npos ||
         name == ".." || name == ".";
}

// Exactly one export.bin and one export.sig, nothing else, within the size limits.
Status check_archive_entries(const std::vector<ZipEntryInfo>& entries, const ReaderLimits& limits) {
  bool have_bin = false, have_sig = false;
  for (const auto& e : entries) {
    if (has_path_component(e.name)) {
      return malformed("entry '" + printable(e.name) + "' has a path component");
    }
    bool is_bin = e.name == kExportBinEntry, is_sig = e.name == kExportSigEntry;
    if (!is_bin && !is_sig) {
      return malformed("unexpected entry '" + printable(e.name) +
                       "' (an archive holds only export.bin and export.sig)");
    }
    bool& seen = is_bin ? have_bin : have_sig;
    if (seen) return malformed("duplicate entry " + e.name);
    seen = true;
    if (e.encrypted) return Status(ErrorCode::kUnsupported, e.name + " is encrypted");
    uint64_t limit = is_bin ? limits.max_export_bin_bytes : limits.max_export_sig_bytes;
    if (e.uncompressed_size > limit) {
      return Status(ErrorCode::kResourceExhausted,
                    e.name + " declares " + std::to_string(e.uncompressed_size) +
                        " bytes, over the limit of " + std::to_string(limit));
    }
  }
  if (!have_bin) return malformed("archive has no export.bin entry");
  if (!have_sig) return malformed("archive has no export.sig entry");
  return Status::Ok();
}

Status prefixed(const std::string& prefix, const Status& s) {
  return Status(s.code(), prefix + s.message());
}

// Reads all of export.sig (already size-checked) and parses it.
Result<std::vector<TekSignature>> read_signatures(ZipReader& zip, const ReaderLimits& limits) {
  EXPOSURE_RETURN_IF_ERROR(zip.open_entry(kExportSigEntry));
  std::string bytes;
  uint8_t chunk[4096];
  for (;;) {
    int n = zip.read(chunk, sizeof chunk);
    if (n < 0) return malformed("export.sig: corrupt compressed data");
    if (n == 0) break;
    bytes.append(reinterpret_cast<const char*>(chunk), static_cast<size_t>(n));
    if (bytes.size() > limits.max_export_sig_bytes) {
      return Status(ErrorCode::kResourceExhausted, "export.sig: more than the limit of " +
                                                       std::to_string(limits.max_export_sig_bytes) +
                                                       " bytes");
    }
  }
  Status closed = zip.close_entry();
  if (!closed.ok()) return prefixed("export.sig: ", closed);
  pb::TEKSignatureList list;
  if (!list.ParseFromString(bytes)) return malformed("export.sig: not a valid TEKSignatureList");
  std::vector<TekSignature> out;
  for (const auto& s : list.signatures()) out.push_back(tek_signature_from_proto(s));
  return out;
}

bool wants_sha512(const std::vector<TekSignature>& signatures) {
  for (const auto& s : signatures) {
    if (s.info.algorithm == kEcdsaSha512Oid) return true;
  }
  return false;
}

}  // namespace

struct ExportReader::Impl {
  ReaderLimits limits;
  std::unique_ptr<ZipReader> zip;  // null for a bare export.bin
  std::FILE* file = nullptr;       // a bare export.bin on disk
  std::vector<TekSignature> signatures;
  ExportMetadata metadata;
  ExportDigests digests;
  // Declared in construction order: destroyed coded, adaptor, source.
  std::unique_ptr<ExportBinSource> source;
  std::unique_ptr<CopyingInputStreamAdaptor> adaptor;
  std::unique_ptr<CodedInputStream> input;
  pb::TemporaryExposureKey key_message;  // reused for every key
  pb::SignatureInfo info_message;
  std::string buffer;
  size_t key_count = 0, revised_count = 0;
  int field_offset = 0;  // where the field being read starts in export.bin
  bool finished = false;
  Status final_error;

  ~Impl() {
    input.reset();
    adaptor.reset();
    source.reset();
    if (file) std::fclose(file);
  }

  // For archives: entry checks, export.sig, then export.bin.
  Status open_archive() {
    Result<std::vector<ZipEntryInfo>> entries = zip->list_entries();
    if (!entries.ok()) return entries.status();
    EXPOSURE_RETURN_IF_ERROR(check_archive_entries(*entries, limits));
    Result<std::vector<TekSignature>> read = read_signatures(*zip, limits);
    if (!read.ok()) return read.status();
    signatures = std::move(*read);
    EXPOSURE_RETURN_IF_ERROR(zip->open_entry(kExportBinEntry));
    ZipReader* entry = zip.get();
    return start([entry](uint8_t* out, int size) -> Result<int> {
      int n = entry->read(out, size);
      if (n < 0) return malformed("corrupt compressed data");
      return n;
    });
  }

  // Checks the 16-byte header of export.bin read through `raw`.
  Status start(RawRead raw) {
    uint64_t limit = std::min<uint64_t>(limits.max_export_bin_bytes, INT_MAX - 1);
    source = std::make_unique<ExportBinSource>(std::move(raw), limit, wants_sha512(signatures));
    adaptor = std::make_unique<CopyingInputStreamAdaptor>(source.get(), kChunkBytes);
    input = std::make_unique<CodedInputStream>(adaptor.get());
    std::string header;
    if (!input->ReadString(&header, static_cast<int>(kExportBinHeader.size()))) {
      if (!source->status().ok()) return prefixed("export.bin: ", source->status());
      return malformed("export.bin: shorter than its 16-byte header");
    }
    if (header != kExportBinHeader) {
      return malformed("export.bin: header is not \"EK Export v1    \"");
    }
    return Status::Ok();
  }

  // A failure that ends the stream: the source's reason if it had one, else `what`. An
  // entry that ended early because its declared size was forged fails its CRC: say so.
  Status fail(const std::string& what) {
    Status crc = zip && source->status().ok() ? zip->close_entry() : Status::Ok();
    if (!source->status().ok()) {
      final_error = prefixed("export.bin: ", source->status());
    } else if (!crc.ok()) {
      final_error = prefixed("export.bin: ", crc);
    } else {
      final_error = malformed("export.bin: " + what + " at offset " + std::to_string(field_offset));
    }
    return final_error;
  }

  Status finish() {
    if (zip) {
      Status closed = zip->close_entry();
      if (!closed.ok()) {
        final_error = prefixed("export.bin: ", closed);
        return final_error;
      }
    }
    digests = source->finish_digests();
    finished = true;
    return Status::Ok();
  }

  Status read_length(const char* field, uint32_t max, uint32_t* length) {
    if (!input->ReadVarint32(length)) return fail(std::string("truncated ") + field);
    if (*length > max) {
      final_error = Status(ErrorCode::kResourceExhausted,
                           std::string("export.bin: ") + field + " of " + std::to_string(*length) +
                               " bytes, over the limit of " + std::to_string(max));
      return final_error;
    }
    return Status::Ok();
  }

  // Reads one non-key top-level field into `metadata`.
  Status read_metadata_field(uint32_t field) {
    switch (field) {
      case 1:
      case 2: {
        uint64_t value = 0;
        if (!input->ReadLittleEndian64(&value)) return fail("truncated timestamp");
        (field == 1 ? metadata.start_timestamp : metadata.end_timestamp) = value;
        return Status::Ok();
      }
      case 3: {
        uint32_t length = 0;
        EXPOSURE_RETURN_IF_ERROR(
            read_length("region", static_cast<uint32_t>(limits.max_region_bytes), &length));
        if (!input->ReadString(&metadata.region, static_cast<int>(length)))
          return fail("truncated region");
        return Status::Ok();
      }
      case 4:
      case 5: {
        uint32_t value = 0;
        if (!input->ReadVarint32(&value)) return fail("truncated batch field");
        (field == 4 ? metadata.batch_num : metadata.batch_size) = static_cast<int32_t>(value);
        return Status::Ok();
      }
      default: {  // 6: signature_infos
        uint32_t length = 0;
        EXPOSURE_RETURN_IF_ERROR(read_length("signature_info", kMaxSubmessageBytes, &length));
        if (!input->ReadString(&buffer, static_cast<int>(length)))
          return fail("truncated signature_info");
        size_t index = metadata.signature_infos.size();
        if (index >= limits.max_signature_infos) {
          final_error = Status(ErrorCode::kResourceExhausted,
                               "export.bin: more than " +
                                   std::to_string(limits.max_signature_infos) + " signature_infos");
          return final_error;
        }
        if (!info_message.ParseFromString(buffer)) {
          final_error = malformed("export.bin: signature_infos[" + std::to_string(index) +
                                  "] is not a valid SignatureInfo");
          return final_error;
        }
        metadata.signature_infos.push_back(signature_info_from_proto(info_message));
        return Status::Ok();
      }
    }
  }

  // Reads one key message. A bad key is reported (not final); a broken stream is final.
  // The key's bytes are parsed where CodedInputStream buffers them when the whole message
  // is there (almost always), else copied out first; its name is spelled out only for an
  // error.
  Result<std::optional<ExportKeyRecord>> read_key(KeyList list) {
    size_t& counter = list == KeyList::kKeys ? key_count : revised_count;
    size_t index = counter++;
    auto name = [&] {
      return std::string(list == KeyList::kKeys ? "keys[" : "revised_keys[") + std::to_string(index) + "]";
    };
    uint32_t length = 0;
    if (!input->ReadVarint32(&length)) return fail("truncated " + name());
    if (length > kMaxSubmessageBytes) {
      if (!input->Skip(static_cast<int>(length))) return fail("truncated " + name());
      return malformed(name() + ": message of " + std::to_string(length) +
                       " bytes, over the limit of " + std::to_string(kMaxSubmessageBytes));
    }
    const void* buffered = nullptr;
    int available = 0;
    bool parsed;
    input->GetDirectBufferPointerInline(&buffered, &available);
    if (available >= static_cast<int>(length)) {
      parsed = key_message.ParseFromArray(buffered, static_cast<int>(length));
      input->Skip(static_cast<int>(length));  // within the buffer: cannot fail
    } else {
      if (!input->ReadString(&buffer, static_cast<int>(length))) return fail("truncated " + name());
      parsed = key_message.ParseFromString(buffer);
    }
    if (!parsed) {
      return malformed(name() + ": not a valid TemporaryExposureKey");
    }
    Result<DiagnosisKey> key = key_from_proto(key_message);
    if (!key.ok()) return malformed(name() + ": " + key.status().message());
    return std::optional<ExportKeyRecord>(ExportKeyRecord{*key, list, index});
  }

  Result<std::optional<ExportKeyRecord>> next() {
    if (!final_error.ok()) return final_error;
    if (finished) return std::optional<ExportKeyRecord>();
    for (;;) {
      field_offset = input->CurrentPosition();
      uint32_t tag = input->ReadTag();
      // A tag takes at most 5 bytes. CodedInputStream keeps the low 32 bits of a longer
      // varint, where protobuf's message parser (and so a device) rejects the file.
      if (input->CurrentPosition() - field_offset > 5) return fail("malformed field tag");
      if (tag == 0) {
        if (!input->ConsumedEntireMessage() || !source->status().ok())
          return fail("malformed field tag");
        EXPOSURE_RETURN_IF_ERROR(finish());
        return std::optional<ExportKeyRecord>();
      }
      uint32_t field = WireFormatLite::GetTagFieldNumber(tag);
      auto wire_type = WireFormatLite::GetTagWireType(tag);
      if (field >= 1 && field <= 8) {
        auto expected = field <= 2   ? WireFormatLite::WIRETYPE_FIXED64
                        : field == 3 ? WireFormatLite::WIRETYPE_LENGTH_DELIMITED
                        : field <= 5 ? WireFormatLite::WIRETYPE_VARINT
                                     : WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
        if (wire_type != expected) {
          return fail("field " + std::to_string(field) + " has wire type " +
                      std::to_string(static_cast<int>(wire_type)) + ", expected " +
                      std::to_string(static_cast<int>(expected)));
        }
        if (field == 7) return read_key(KeyList::kKeys);
        if (field == 8) return read_key(KeyList::kRevisedKeys);
        EXPOSURE_RETURN_IF_ERROR(read_metadata_field(field));
        continue;
      }
      if (!WireFormatLite::SkipField(input.get(), tag)) {
        return fail("malformed or truncated field " + std::to_string(field));
      }
    }
  }
};

ExportReader::ExportReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ExportReader::~ExportReader() = default;

namespace {

bool looks_like_zip(ByteView prefix) {
  return prefix.size() >= 4 && prefix[0] == 'P' && prefix[1] == 'K' &&
         ((prefix[2] == 3 && prefix[3] == 4) || (prefix[2] == 5 && prefix[3] == 6));
}

}  // namespace

Result<std::unique_ptr<ExportReader>> ExportReader::open_path(const std::string& path,
                                                              const ReaderLimits& limits) {
  auto impl = std::make_unique<Impl>();
  impl->limits = limits;
  impl->file = std::fopen(path.c_str(), "rb");
  if (!impl->file) {
    return Status(ErrorCode::kIoError, path + ": " + std::strerror(errno));
  }
  uint8_t magic[4] = {};
  size_t got = std::fread(magic, 1, sizeof magic, impl->file);
  if (looks_like_zip(ByteView(magic, got))) {
    std::fclose(impl->file);
    impl->file = nullptr;
    Result<std::unique_ptr<ZipReader>> zip = ZipReader::open_path(path);
    if (!zip.ok()) return zip.status();
    impl->zip = std::move(*zip);
    EXPOSURE_RETURN_IF_ERROR(impl->open_archive());
  } else {
    std::rewind(impl->file);
    EXPOSURE_RETURN_IF_ERROR(impl->start(file_raw_read(impl->file)));
  }
  return std::unique_ptr<ExportReader>(new ExportReader(std::move(impl)));
}

Result<std::unique_ptr<ExportReader>> ExportReader::open_bytes(ByteView data,
                                                               const ReaderLimits& limits) {
  auto impl = std::make_unique<Impl>();
  impl->limits = limits;
  if (looks_like_zip(data)) {
    Result<std::unique_ptr<ZipReader>> zip = ZipReader::open_bytes(data);
    if (!zip.ok()) return zip.status();
    impl->zip = std::move(*zip);
    EXPOSURE_RETURN_IF_ERROR(impl->open_archive());
  } else {
    EXPOSURE_RETURN_IF_ERROR(impl->start(memory_raw_read(data)));
  }
  return std::unique_ptr<ExportReader>(new ExportReader(std::move(impl)));
}

Result<std::optional<ExportKeyRecord>> ExportReader::next() { return impl_->next(); }
bool ExportReader::finished() const { return impl_->finished; }
bool ExportReader::stream_failed() const { return !impl_->final_error.ok(); }
bool ExportReader::is_archive() const { return impl_->zip != nullptr; }
const ExportMetadata& ExportReader::metadata() const { return impl_->metadata; }
const std::vector<TekSignature>& ExportReader::signatures() const { return impl_->signatures; }
const ExportDigests& ExportReader::digests() const { return impl_->digests; }
uint64_t ExportReader::export_bin_bytes_read() const { return impl_->source->bytes_read(); }

namespace {

Result<ExportContents> read_all(Result<std::unique_ptr<ExportReader>> opened) {
  if (!opened.ok()) return opened.status();
  ExportReader& reader = **opened;
  ExportContents contents;
  for (;;) {
    Result<std::optional<ExportKeyRecord>> record = reader.next();
    if (!record.ok()) return record.status();
    if (!record->has_value()) break;
    auto& list = (*record)->list == KeyList::kKeys ? contents.keys : contents.revised_keys;
    list.push_back((*record)->key);
  }
  contents.metadata = reader.metadata();
  contents.signatures = reader.signatures();
  contents.digests = reader.digests();
  return contents;
}

}  // namespace

Result<ExportContents> read_export_path(const std::string& path, const ReaderLimits& limits) {
  return read_all(ExportReader::open_path(path, limits));
}

Result<ExportContents> read_export_bytes(ByteView data, const ReaderLimits& limits) {
  return read_all(ExportReader::open_bytes(data, limits));
}

}  // namespace exposure::keyfile
