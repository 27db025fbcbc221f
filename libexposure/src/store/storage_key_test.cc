#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "exposure/store.h"
#include "support/temp_dir.h"

namespace exposure {
namespace {

const std::string kHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

void write_file(const std::string& path, const std::string& contents) {
  std::ofstream(path, std::ios::binary) << contents;
}

TEST(StorageKey, ParsesRawAndHexForms) {
  std::string raw;
  for (int i = 0; i < 32; ++i) raw.push_back(static_cast<char>(i));
  auto from_raw = parse_storage_key(as_bytes(raw));
  ASSERT_TRUE(from_raw.ok());
  for (const std::string& text : {kHex, kHex + "\n", kHex + "\r\n", "  " + kHex + " \n"}) {
    auto from_hex = parse_storage_key(as_bytes(text));
    ASSERT_TRUE(from_hex.ok()) << text;
    EXPECT_EQ(*from_hex, *from_raw);
  }
  std::string upper = kHex;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  EXPECT_EQ(*parse_storage_key(as_bytes(upper)), *from_raw);
}

TEST(StorageKey, RejectsOtherFormsWithoutEchoingThem) {
  for (const std::string& text : {std::string(31, 'a'), std::string(33, 'a'), kHex.substr(2),
                                  kHex + "00", kHex.substr(0, 63) + "g", std::string()}) {
    auto key = parse_storage_key(as_bytes(text));
    ASSERT_FALSE(key.ok()) << text;
    EXPECT_EQ(key.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(key.status().message().find("expected 32 raw bytes or 64 hex digits"),
              std::string::npos);
    if (text.size() > 8) {
      EXPECT_EQ(key.status().message().find(text.substr(0, 8)), std::string::npos);
    }
  }
}

TEST(StorageKey, WritesHexFileOwnerOnlyAndNeverOverwrites) {
  testing::TempDir dir;
  const std::string path = dir.file("key");
  StorageKey key = generate_storage_key();
  ASSERT_TRUE(write_storage_key_file(path, key).ok());
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 65);
  auto read = read_storage_key_file(path);
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  EXPECT_EQ(*read, key);
  EXPECT_EQ(write_storage_key_file(path, generate_storage_key()).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(*read_storage_key_file(path), key);
}

TEST(StorageKey, FileErrorsNameThePath) {
  testing::TempDir dir;
  auto missing = read_storage_key_file(dir.file("absent"));
  EXPECT_EQ(missing.status().code(), ErrorCode::kIoError);
  EXPECT_NE(missing.status().message().find("absent"), std::string::npos);
  write_file(dir.file("long"), std::string(1000, 'a'));
  EXPECT_EQ(read_storage_key_file(dir.file("long")).status().code(), ErrorCode::kInvalidArgument);
  write_file(dir.file("short"), "abcd");
  auto short_key = read_storage_key_file(dir.file("short"));
  EXPECT_EQ(short_key.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(short_key.status().message().find("short"), std::string::npos);
}

TEST(StorageKey, GeneratedKeysDiffer) {
  EXPECT_FALSE(generate_storage_key() == generate_storage_key());
}

}  // namespace
}  // namespace exposure
