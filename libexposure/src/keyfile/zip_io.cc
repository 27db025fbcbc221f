#include "zip_io.h"

#include <minizip/unzip.h>
#include <minizip/zip.h>

#include <algorithm>
#include <cstring>

namespace exposure::keyfile {
namespace {

constexpr size_t kMaxEntryNameBytes = 1024;

// A byte buffer minizip reads from (`input`) or writes to (`output`), through ioapi.
struct MemoryFile {
  ByteView input;
  Bytes* output = nullptr;
  uint64_t position = 0;

  uint64_t size() const { return output ? output->size() : input.size(); }
};

voidpf ZCALLBACK memory_open(voidpf opaque, const void*, int) { return opaque; }

uLong ZCALLBACK memory_read(voidpf, voidpf stream, void* buf, uLong size) {
  auto* file = static_cast<MemoryFile*>(stream);
  uint64_t available = file->position < file->size() ? file->size() - file->position : 0;
  uLong n = static_cast<uLong>(std::min<uint64_t>(size, available));
  const uint8_t* base = file->output ? file->output->data() : file->input.data();
  if (n > 0) std::memcpy(buf, base + file->position, n);
  file->position += n;
  return n;
}

uLong ZCALLBACK memory_write(voidpf, voidpf stream, const void* buf, uLong size) {
  auto* file = static_cast<MemoryFile*>(stream);
  if (!file->output) return 0;
  Bytes& out = *file->output;
  if (file->position + size > out.size()) out.resize(file->position + size);
  std::memcpy(out.data() + file->position, buf, size);
  file->position += size;
  return size;
}

ZPOS64_T ZCALLBACK memory_tell(voidpf, voidpf stream) {
  return static_cast<MemoryFile*>(stream)->position;
}

long ZCALLBACK memory_seek(voidpf, voidpf stream, ZPOS64_T offset, int origin) {
  auto* file = static_cast<MemoryFile*>(stream);
  uint64_t base = 0;
  switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET:
      base = 0;
      break;
    case ZLIB_FILEFUNC_SEEK_CUR:
      base = file->position;
      break;
    case ZLIB_FILEFUNC_SEEK_END:
      base = file->size();
      break;
    default:
      return -1;
  }
  uint64_t target = base + offset;
  if (target < base || (!file->output && target > file->size())) return -1;
  file->position = target;
  return 0;
}

int ZCALLBACK memory_close(voidpf, voidpf) { return 0; }
int ZCALLBACK memory_error(voidpf, voidpf) { return 0; }

zlib_filefunc64_def memory_functions(MemoryFile* file) {
  zlib_filefunc64_def f{};
  f.zopen64_file = memory_open;
  f.zread_file = memory_read;
  f.zwrite_file = memory_write;
  f.ztell64_file = memory_tell;
  f.zseek64_file = memory_seek;
  f.zclose_file = memory_close;
  f.zerror_file = memory_error;
  f.opaque = file;
  return f;
}

Status not_a_zip() { return malformed("not a valid zip archive (no readable central directory)"); }

}  // namespace

struct ZipReader::Impl {
  MemoryFile memory;  // used by open_bytes only; must not move while unz is open
  unzFile unz = nullptr;
  bool entry_open = false;
  ~Impl() {
    if (unz) {
      if (entry_open) unzCloseCurrentFile(unz);
      unzClose(unz);
    }
  }
};

ZipReader::ZipReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ZipReader::~ZipReader() = default;

Result<std::unique_ptr<ZipReader>> ZipReader::open_path(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->unz = unzOpen64(path.c_str());
  if (!impl->unz) return not_a_zip();
  return std::unique_ptr<ZipReader>(new ZipReader(std::move(impl)));
}

Result<std::unique_ptr<ZipReader>> ZipReader::open_bytes(ByteView data) {
  auto impl = std::make_unique<Impl>();
  impl->memory.input = data;
  zlib_filefunc64_def functions = memory_functions(&impl->memory);
  impl->unz = unzOpen2_64("memory", &functions);
  if (!impl->unz) return not_a_zip();
  return std::unique_ptr<ZipReader>(new ZipReader(std::move(impl)));
}

Result<std::vector<ZipEntryInfo>> ZipReader::list_entries() {
  std::vector<ZipEntryInfo> entries;
  int rc = unzGoToFirstFile(impl_->unz);
  while (rc == UNZ_OK) {
    unz_file_info64 info{};
    char name[kMaxEntryNameBytes + 1];
    if (unzGetCurrentFileInfo64(impl_->unz, &info, name, sizeof name, nullptr, 0, nullptr, 0) !=
        UNZ_OK) {
      return malformed("zip entry " + std::to_string(entries.size()) + " is unreadable");
    }
    if (info.size_filename > kMaxEntryNameBytes) {
      return malformed("zip entry " + std::to_string(entries.size()) + " has a name of " +
                       std::to_string(info.size_filename) + " bytes");
    }
    ZipEntryInfo entry;
    entry.name.assign(name, info.size_filename);
    entry.compressed_size = info.compressed_size;
    entry.uncompressed_size = info.uncompressed_size;
    entry.encrypted = (info.flag & 1) != 0;
    entry.compression_method = static_cast<int>(info.compression_method);
    entry.dos_date = static_cast<uint32_t>(info.dosDate);
    entries.push_back(std::move(entry));
    rc = unzGoToNextFile(impl_->unz);
  }
  if (rc != UNZ_END_OF_LIST_OF_FILE) {
    return malformed("zip central directory is corrupt after entry " +
                     std::to_string(entries.size()));
  }
  return entries;
}

Status ZipReader::open_entry(std::string_view name) {
  if (impl_->entry_open) {
    unzCloseCurrentFile(impl_->unz);
    impl_->entry_open = false;
  }
  std::string wanted(name);
  if (unzLocateFile(impl_->unz, wanted.c_str(), 1) != UNZ_OK) {
    return malformed("archive has no " + wanted + " entry");
  }
  if (unzOpenCurrentFile(impl_->unz) != UNZ_OK) {
    return malformed(wanted + ": unsupported compression method or corrupt local header");
  }
  impl_->entry_open = true;
  return Status::Ok();
}

int ZipReader::read(uint8_t* out, int size) {
  if (!impl_->entry_open) return -1;
  int n = unzReadCurrentFile(impl_->unz, out, static_cast<unsigned>(size));
  return n < 0 ? -1 : n;
}

Status ZipReader::close_entry() {
  if (!impl_->entry_open) return Status::Ok();
  impl_->entry_open = false;
  int rc = unzCloseCurrentFile(impl_->unz);
  if (rc == UNZ_CRCERROR) return malformed("CRC mismatch");
  if (rc != UNZ_OK) return malformed("corrupt entry");
  return Status::Ok();
}

Result<Bytes> write_zip(const std::vector<ZipEntryData>& entries, int compression_level) {
  Bytes out;
  size_t expected = 256;
  for (const auto& e : entries) expected += e.data.size() + e.name.size() + 128;
  out.reserve(expected);
  MemoryFile file;
  file.output = &out;
  zlib_filefunc64_def functions = memory_functions(&file);
  zipFile zip = zipOpen2_64("memory", APPEND_STATUS_CREATE, nullptr, &functions);
  if (!zip) return Status(ErrorCode::kInternal, "zip: cannot start an archive");
  for (const auto& e : entries) {
    // zipfi = nullptr: DOS date and time 0, no file attributes. zip64 = 0: no extra field.
    int rc = zipOpenNewFileInZip3_64(zip, e.name.c_str(), nullptr, nullptr, 0, nullptr, 0, nullptr,
                                     Z_DEFLATED, compression_level, 0, -MAX_WBITS, 8,
                                     Z_DEFAULT_STRATEGY, nullptr, 0, 0);
    // zipWriteInFileInZip takes an unsigned length: write in pieces below 4 GiB.
    size_t offset = 0;
    while (rc == ZIP_OK && offset < e.data.size()) {
      unsigned piece = static_cast<unsigned>(std::min<size_t>(e.data.size() - offset, 1u << 30));
      rc = zipWriteInFileInZip(zip, e.data.data() + offset, piece);
      offset += piece;
    }
    if (rc == ZIP_OK) rc = zipCloseFileInZip(zip);
    if (rc != ZIP_OK) {
      zipClose(zip, nullptr);
      return Status(ErrorCode::kInternal, "zip: cannot write entry " + e.name);
    }
  }
  if (zipClose(zip, nullptr) != ZIP_OK)
    return Status(ErrorCode::kInternal, "zip: cannot finish the archive");
  return out;
}

}  // namespace exposure::keyfile
