// Writing and signing export archives the way the reference key server does.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "exposure/keyfile_writer.h"
#include "keyfile/export.pb.h"
#include "proto_convert.h"
#include "zip_io.h"

namespace exposure::keyfile {
namespace {

using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedOutputStream;
using google::protobuf::io::StringOutputStream;

constexpr int kCompressionLevel = 1;

void write_keys(CodedOutputStream& out, int field, std::span<const DiagnosisKey> keys,
                pb::TemporaryExposureKey& message) {
  for (const auto& key : keys) {
    key_to_proto(key, &message);
    WireFormatLite::WriteTag(field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED, &out);
    out.WriteVarint32(static_cast<uint32_t>(message.ByteSizeLong()));
    message.SerializeWithCachedSizes(&out);
  }
}

// export.bin into a string (the form protobuf writes fastest).
std::string export_bin_string(const ExportMetadata& metadata, std::span<const DiagnosisKey> keys,
                              std::span<const DiagnosisKey> revised_keys) {
  pb::TemporaryExposureKeyExport head;
  head.set_start_timestamp(metadata.start_timestamp);
  head.set_end_timestamp(metadata.end_timestamp);
  head.set_region(metadata.region);
  if (metadata.batch_num) head.set_batch_num(*metadata.batch_num);
  if (metadata.batch_size) head.set_batch_size(*metadata.batch_size);
  for (const auto& info : metadata.signature_infos) {
    signature_info_to_proto(info, head.add_signature_infos());
  }
  std::string out(kExportBinHeader);
  out.reserve(out.size() + head.ByteSizeLong() + 32 * (keys.size() + revised_keys.size()));
  {
    StringOutputStream stream(&out);
    CodedOutputStream coded(&stream);
    // Fields 1..6 first (serialisation follows field numbers), then keys (7), revised (8):
    // the same bytes as one message holding everything.
    head.SerializeToCodedStream(&coded);
    pb::TemporaryExposureKey message;
    write_keys(coded, 7, keys, message);
    write_keys(coded, 8, revised_keys, message);
  }
  return out;
}

Result<Bytes> signed_archive(const ExportMetadata& metadata, std::span<const DiagnosisKey> keys,
                             std::span<const DiagnosisKey> revised_keys,
                             std::span<const SigningKey> signers) {
  std::string bin = export_bin_string(metadata, keys, revised_keys);
  ByteView bin_view = as_bytes(bin);
  Bytes sig = serialize_export_sig(sign_export_bin(bin_view, signers));
  return write_export_archive(bin_view, sig);
}

}  // namespace

void sort_by_key_bytes(std::vector<DiagnosisKey>& keys) {
  // Byte-wise order of 16 bytes = order of two big-endian 64-bit halves (faster than memcmp).
  auto half = [](const KeyData& k, size_t at) {
    uint64_t v;
    std::memcpy(&v, k.data() + at, sizeof v);
    return __builtin_bswap64(v);
  };
  auto less = [&](const DiagnosisKey& a, const DiagnosisKey& b) {
    uint64_t a0 = half(a.key_data, 0), b0 = half(b.key_data, 0);
    return a0 != b0 ? a0 < b0 : half(a.key_data, 8) < half(b.key_data, 8);
  };
  // Large inputs: the two halves on two threads, then a (stable) merge.
  constexpr size_t kParallelFrom = 1 << 16;
  if (keys.size() < kParallelFrom || std::thread::hardware_concurrency() < 2) {
    std::stable_sort(keys.begin(), keys.end(), less);
    return;
  }
  auto middle = keys.begin() + static_cast<std::ptrdiff_t>(keys.size() / 2);
  std::thread first([&] { std::stable_sort(keys.begin(), middle, less); });
  std::stable_sort(middle, keys.end(), less);
  first.join();
  std::inplace_merge(keys.begin(), middle, keys.end(), less);
}

Bytes serialize_export_bin(const ExportMetadata& metadata, std::span<const DiagnosisKey> keys,
                           std::span<const DiagnosisKey> revised_keys) {
  std::string bin = export_bin_string(metadata, keys, revised_keys);
  return Bytes(bin.begin(), bin.end());
}

Bytes serialize_export_sig(std::span<const TekSignature> signatures) {
  pb::TEKSignatureList list;
  for (const auto& s : signatures) tek_signature_to_proto(s, list.add_signatures());
  std::string bytes = list.SerializeAsString();
  return Bytes(bytes.begin(), bytes.end());
}

SignatureInfo signature_info_for(const SigningKey& signer) {
  return {signer.key_id, signer.key_version, std::string(kEcdsaSha256Oid)};
}

std::vector<TekSignature> sign_export_bin(ByteView export_bin,
                                          std::span<const SigningKey> signers) {
  crypto::Digest256 digest = crypto::sha256(export_bin);
  std::vector<TekSignature> out;
  for (const auto& signer : signers) {
    out.push_back({signature_info_for(signer), 1, 1, signer.private_key.sign_digest(digest)});
  }
  return out;
}

Result<Bytes> write_export_archive(ByteView export_bin, ByteView export_sig) {
  return write_zip(
      {{std::string(kExportBinEntry), export_bin}, {std::string(kExportSigEntry), export_sig}},
      kCompressionLevel);
}

Result<std::vector<Bytes>> build_export_archives(const ExportBatch& batch,
                                                 std::vector<DiagnosisKey> keys,
                                                 std::vector<DiagnosisKey> revised_keys,
                                                 std::span<const SigningKey> signers) {
  if (signers.empty()) return invalid_argument("no signing key");
  for (const auto& s : signers) {
    if (!is_key_name_part(s.key_id) || !is_key_name_part(s.key_version)) {
      return invalid_argument("signing key '" + s.key_id + "-" + s.key_version +
                              "': id and version must be letters, digits or '_'");
    }
  }
  if (batch.max_records_per_file == 0) return invalid_argument("max_records_per_file is 0");
  for (auto [list, name] : {std::pair{&keys, "keys"}, std::pair{&revised_keys, "revised_keys"}}) {
    for (size_t i = 0; i < list->size(); ++i) {
      Status valid = check_diagnosis_key((*list)[i]);
      if (!valid.ok()) {
        return invalid_argument(std::string(name) + "[" + std::to_string(i) +
                                "]: " + valid.message());
      }
    }
  }
  sort_by_key_bytes(keys);
  sort_by_key_bytes(revised_keys);

  const size_t total = keys.size() + revised_keys.size();
  const size_t per_file = batch.max_records_per_file;
  const size_t files = (total + per_file - 1) / per_file;
  std::vector<SignatureInfo> infos;
  for (const auto& s : signers) infos.push_back(signature_info_for(s));

  std::vector<Result<Bytes>> archives(files, Result<Bytes>(Bytes{}));
  auto build_file = [&](size_t f) {
    // Records [first, last) of keys followed by revised_keys.
    size_t first = f * per_file, last = std::min(total, first + per_file);
    size_t key_first = std::min(first, keys.size()), key_last = std::min(last, keys.size());
    size_t rev_first = first - key_first, rev_last = last - key_last;
    ExportMetadata metadata;
    metadata.start_timestamp = batch.start_timestamp;
    metadata.end_timestamp = batch.end_timestamp + (files > 1 ? f + 1 : 0);
    metadata.region = batch.region;
    metadata.batch_num = 1;
    metadata.batch_size = 1;
    metadata.signature_infos = infos;
    archives[f] = signed_archive(
        metadata, std::span<const DiagnosisKey>(keys).subspan(key_first, key_last - key_first),
        std::span<const DiagnosisKey>(revised_keys).subspan(rev_first, rev_last - rev_first),
        signers);
  };
  // Files are independent: build them on up to two threads.
  const size_t workers =
      std::min<size_t>(files, std::max(1u, std::min(2u, std::thread::hardware_concurrency())));
  std::vector<std::thread> threads;
  for (size_t w = 1; w < workers; ++w) {
    threads.emplace_back([&, w] {
      for (size_t f = w; f < files; f += workers) build_file(f);
    });
  }
  for (size_t f = 0; f < files; f += workers) build_file(f);
  for (auto& t : threads) t.join();

  std::vector<Bytes> out;
  out.reserve(files);
  for (auto& archive : archives) {
    if (!archive.ok()) return archive.status();
    out.push_back(std::move(*archive));
  }
  return out;
}

}  // namespace exposure::keyfile
