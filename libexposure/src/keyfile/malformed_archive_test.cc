// Broken archives each give their own error, never a crash.
#include <gtest/gtest.h>

#include "keyfile_test_support.h"
#include "support/temp_dir.h"

namespace exposure::keyfile {
namespace {

using namespace testing;

struct Parts {
  Bytes bin = *from_hex(kServerExportBinHex);
  Bytes sig = zip_entry(read_data_file(kServerArchive), "export.sig");
};

// The first error a reader gives: at open or while reading every key.
Status read_error(ByteView data, const ReaderLimits& limits = {}) {
  auto contents = read_export_bytes(data, limits);
  return contents.ok() ? Status::Ok() : contents.status();
}

void expect_error(ByteView data, ErrorCode code, const std::string& message,
                  const ReaderLimits& limits = {}) {
  Status s = read_error(data, limits);
  EXPECT_EQ(s.code(), code) << s.to_string();
  EXPECT_NE(s.message().find(message), std::string::npos) << s.message();
}

TEST(MalformedArchive, TheOriginalIsFine) {
  Parts p;
  EXPECT_TRUE(read_error(make_zip({{"export.bin", p.bin}, {"export.sig", p.sig}})).ok());
  // Entry order is not significant.
  EXPECT_TRUE(read_error(make_zip({{"export.sig", p.sig}, {"export.bin", p.bin}})).ok());
}

TEST(MalformedArchive, MissingEntry) {
  Parts p;
  expect_error(make_zip({{"export.bin", p.bin}}), ErrorCode::kMalformed,
               "archive has no export.sig entry");
  expect_error(make_zip({{"export.sig", p.sig}}), ErrorCode::kMalformed,
               "archive has no export.bin entry");
  expect_error(make_zip({}), ErrorCode::kMalformed, "not a valid zip archive");  // no entry at all
}

TEST(MalformedArchive, ExtraOrDuplicateEntry) {
  Parts p;
  expect_error(make_zip({{"export.bin", p.bin}, {"export.sig", p.sig}, {"readme.txt", {1, 2}}}),
               ErrorCode::kMalformed, "unexpected entry 'readme.txt'");
  expect_error(make_zip({{"export.bin", p.bin}, {"export.sig", p.sig}, {"export.bin", p.bin}}),
               ErrorCode::kMalformed, "duplicate entry export.bin");
}

TEST(MalformedArchive, PathComponent) {
  Parts p;
  expect_error(make_zip({{"dir/export.bin", p.bin}, {"export.sig", p.sig}}), ErrorCode::kMalformed,
               "entry 'dir/export.bin' has a path component");
  expect_error(make_zip({{"export.bin", p.bin}, {"../export.sig", p.sig}}), ErrorCode::kMalformed,
               "entry '../export.sig' has a path component");
  expect_error(make_zip({{"export.bin", p.bin}, {"..\\export.sig", p.sig}}), ErrorCode::kMalformed,
               "has a path component");
}

TEST(MalformedArchive, BadHeader) {
  Parts p;
  Bytes bin = p.bin;
  bin[11] = '2';  // "EK Export v2"
  expect_error(make_zip({{"export.bin", bin}, {"export.sig", p.sig}}), ErrorCode::kMalformed,
               "export.bin: header is not \"EK Export v1    \"");
  Bytes shorter(p.bin.begin(), p.bin.begin() + 10);
  expect_error(make_zip({{"export.bin", shorter}, {"export.sig", p.sig}}), ErrorCode::kMalformed,
               "export.bin: shorter than its 16-byte header");
  // A bare export.bin with a bad header.
  expect_error(bin, ErrorCode::kMalformed, "header is not");
}

TEST(MalformedArchive, TruncatedProtobuf) {
  Parts p;
  Bytes cut(p.bin.begin(), p.bin.begin() + 100);  // inside the first key
  expect_error(make_zip({{"export.bin", cut}, {"export.sig", p.sig}}), ErrorCode::kMalformed,
               "export.bin: truncated keys[0] at offset 77");
  Bytes in_region(p.bin.begin(), p.bin.begin() + 36);
  expect_error(in_region, ErrorCode::kMalformed, "export.bin: truncated region at offset 34");
  Bytes in_varint = p.bin;
  in_varint.push_back(0x48);  // field 9, varint...
  in_varint.push_back(0xf2);  // ...that never ends
  expect_error(in_varint, ErrorCode::kMalformed,
               "export.bin: malformed or truncated field 9 at offset 135");
  // Inside a key the framing still holds: that key is malformed, not the stream.
  Bytes in_key = p.bin;
  in_key.back() = 0xf2;
  expect_error(in_key, ErrorCode::kMalformed, "keys[1]: not a valid TemporaryExposureKey");
}

TEST(MalformedArchive, SignatureListIsNotAProtobuf) {
  Parts p;
  expect_error(make_zip({{"export.bin", p.bin}, {"export.sig", {0x0a, 0x7f, 0x01}}}),
               ErrorCode::kMalformed, "export.sig: not a valid TEKSignatureList");
}

// A valid export.bin of `size` bytes: the header, then one unknown field (9) of zeros.
Bytes zero_filled_export_bin(size_t size) {
  Bytes bin(kExportBinHeader.begin(), kExportBinHeader.end());
  size_t payload = size - bin.size() - 5;
  bin.push_back(0x4a);
  for (int i = 0; i < 4; ++i)
    bin.push_back(static_cast<uint8_t>(((payload >> (7 * i)) & 0x7f) | (i < 3 ? 0x80 : 0)));
  bin.resize(size, 0);
  EXPECT_TRUE(read_export_bytes(bin, ReaderLimits{.max_export_bin_bytes = size}).ok());
  return bin;
}

TEST(MalformedArchive, OversizedEntriesStopAtTheLimit) {
  Parts p;
  ReaderLimits limits;
  limits.max_export_bin_bytes = 100;
  expect_error(make_zip({{"export.bin", p.bin}, {"export.sig", p.sig}}),
               ErrorCode::kResourceExhausted,
               "export.bin declares 135 bytes, over the limit of 100", limits);
  limits = {};
  limits.max_export_sig_bytes = 64;
  expect_error(make_zip({{"export.bin", p.bin}, {"export.sig", p.sig}}),
               ErrorCode::kResourceExhausted, "export.sig declares 115 bytes, over the limit of 64",
               limits);

  // A zip bomb: 8 MiB that deflate to a few KiB, against a 1 MiB limit.
  Bytes bomb = zero_filled_export_bin(8u << 20);
  Bytes bomb_zip = make_zip({{"export.bin", bomb}, {"export.sig", p.sig}});
  ASSERT_LT(bomb_zip.size(), 64u << 10);
  limits = {};
  limits.max_export_bin_bytes = 1 << 20;
  expect_error(bomb_zip, ErrorCode::kResourceExhausted, "over the limit of 1048576", limits);
  // The bare form is counted while streaming.
  expect_error(bomb, ErrorCode::kResourceExhausted,
               "export.bin: more than the limit of 1048576 bytes", limits);
}

// Rewrites every 32-bit size field of `name` in the local header and the central directory.
void forge_uncompressed_size(Bytes& zip, const std::string& name, uint32_t size) {
  auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) zip[at + i] = static_cast<uint8_t>(v >> (8 * i));
  };
  for (size_t i = 0; i + 46 < zip.size(); ++i) {
    bool local = zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4;
    bool central = zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2;
    size_t name_at = local ? i + 30 : i + 46;
    if ((local || central) &&
        std::string(zip.begin() + static_cast<long>(name_at),
                    zip.begin() + static_cast<long>(name_at + name.size())) == name) {
      put32(local ? i + 22 : i + 24, size);
    }
  }
}

TEST(MalformedArchive, ABombThatLiesAboutItsSizeStopsAtTheDeclaredSize) {
  Parts p;
  Bytes bomb = zero_filled_export_bin(8u << 20);
  Bytes zip = make_zip({{"export.bin", bomb}, {"export.sig", p.sig}});
  forge_uncompressed_size(zip, "export.bin", 1000);
  expect_error(zip, ErrorCode::kMalformed, "export.bin: CRC mismatch");
}

TEST(MalformedArchive, CorruptCompressedDataOrNotAZip) {
  Parts p;
  Bytes zip = make_zip({{"export.bin", p.bin}, {"export.sig", p.sig}});
  // The deflate stream of export.bin starts after the 30-byte local header and its name.
  for (size_t i = 40; i < 60; ++i) zip[i] ^= 0xa5;
  Status s = read_error(zip);
  EXPECT_EQ(s.code(), ErrorCode::kMalformed) << s.to_string();
  EXPECT_NE(s.message().find("export.bin: "), std::string::npos) << s.message();

  Bytes not_zip = {'P', 'K', 3, 4, 0, 0, 0, 0};
  expect_error(not_zip, ErrorCode::kMalformed, "not a valid zip archive");
}

TEST(MalformedArchive, ErrorsFromAPathNameTheProblemToo) {
  Parts p;
  exposure::testing::TempDir dir;
  std::string path = dir.file("extra-entry.zip");
  write_file(path, make_zip({{"export.bin", p.bin}, {"export.sig", p.sig}, {"x", {}}}));
  auto r = read_export_path(path);
  EXPECT_EQ(r.status().message(),
            "unexpected entry 'x' (an archive holds only export.bin and export.sig)");
}

}  // namespace
}  // namespace exposure::keyfile
