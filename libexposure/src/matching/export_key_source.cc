#include "exposure/export_key_source.h"

namespace exposure {

ExportFilesKeySource::ExportFilesKeySource(std::vector<std::string> paths,
                                           std::vector<keyfile::CosignSet> cosign_sets,
                                           bool skip_verification)
    : paths_(std::move(paths)), cosign_sets_(std::move(cosign_sets)), skip_verification_(skip_verification) {}

ExportFilesKeySource::ExportFilesKeySource(std::vector<ExportBytes> archives,
                                           std::vector<keyfile::CosignSet> cosign_sets, bool skip_verification)
    : cosign_sets_(std::move(cosign_sets)), skip_verification_(skip_verification) {
  for (ExportBytes& a : archives) {
    paths_.push_back(std::move(a.name));
    bytes_.push_back(a.data);
  }
}

ExportFilesKeySource::~ExportFilesKeySource() = default;

Status ExportFilesKeySource::finish_current_file() {
  const std::string& path = paths_[next_file_ - 1];
  Status verified = skip_verification_ ? Status::Ok() : keyfile::verify_signatures(*reader_, cosign_sets_);
  reader_.reset();
  if (!verified.ok()) return Status(verified.code(), path + ": " + verified.message());
  return Status::Ok();
}

Result<std::optional<DiagnosisKey>> ExportFilesKeySource::next() {
  for (;;) {
    if (!reader_) {
      if (next_file_ == paths_.size()) return std::optional<DiagnosisKey>();
      const std::string& path = paths_[next_file_];
      auto opened = bytes_.empty() ? keyfile::ExportReader::open_path(path)
                                   : keyfile::ExportReader::open_bytes(bytes_[next_file_]);
      ++next_file_;
      if (!opened.ok()) return Status(opened.status().code(), path + ": " + opened.status().message());
      reader_ = std::move(*opened);
      ++stats_.files;
    }
    auto record = reader_->next();
    if (!record.ok()) {
      if (reader_->stream_failed()) {
        return Status(record.status().code(), paths_[next_file_ - 1] + ": " + record.status().message());
      }
      ++stats_.invalid_keys;  // one bad key; the reader continues with the next
      continue;
    }
    if (!record->has_value()) {
      EXPOSURE_RETURN_IF_ERROR(finish_current_file());
      continue;
    }
    if ((*record)->list == keyfile::KeyList::kRevisedKeys) {
      ++stats_.revised_keys;
      continue;
    }
    ++stats_.keys;
    return std::optional<DiagnosisKey>(std::move((*record)->key));
  }
}

}  // namespace exposure
