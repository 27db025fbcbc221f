#include "file_checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace exposure::doctor {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kStart = 1773144000;  // 2026-03-10T12:00:00Z, a whole hour
constexpr int64_t kHour = 3600;

// Builds signed archives of one window with its own signing key "440-v1".
class Archiver {
 public:
  Archiver() : signer_{"440", "v1", crypto::EcPrivateKey::generate()} {}

  // `keys` expired daily keys, the last one valid until `last_valid_until`.
  std::string archive(int64_t start, int64_t end, int keys, int64_t last_valid_until) const {
    std::vector<DiagnosisKey> list(static_cast<size_t>(keys));
    for (int i = 0; i < keys; ++i) {
      list[i].key_data[0] = static_cast<uint8_t>(i);
      list[i].rolling_start_interval_number =
          static_cast<EnIntervalNumber>((last_valid_until - (keys - i) * 86400) / kIntervalSeconds);
      list[i].transmission_risk_level = 2;
    }
    keyfile::ExportBatch batch{"JP", static_cast<uint64_t>(start), static_cast<uint64_t>(end)};
    auto files = keyfile::build_export_archives(batch, list, {}, std::span(&signer_, 1));
    EXPECT_TRUE(files.ok() && files->size() == 1u);
    return std::string(files->front().begin(), files->front().end());
  }
  crypto::EcPublicKey public_key() const { return signer_.private_key.public_key(); }

 private:
  keyfile::SigningKey signer_;
};

class FileChecksTest : public ::testing::Test {
 protected:
  FileChecksTest() {
    cosign_sets_.emplace_back();
    cosign_sets_.back().push_back(keyfile::VerificationKey{"440-v1", archiver_.public_key()});
  }

  std::string archive(int64_t start, int64_t end, int keys, int64_t last_valid_until) const {
    return archiver_.archive(start, end, keys, last_valid_until);
  }

  FileReport inspect(const std::string& name, const std::string& body) {
    return inspect_file(name, Fetched{"http://h/" + name, 200, "application/zip", body, ""},
                        cosign_sets_, rules_);
  }

  // A healthy window starting at `start`, as its one file.
  std::vector<FileReport> healthy(int64_t start) {
    return {
        inspect("JP/" + std::to_string(start) + "-" + std::to_string(start + kHour) + "-00001.zip",
                archive(start, start + kHour, 3, start))};
  }

  Archiver archiver_;
  std::vector<keyfile::CosignSet> cosign_sets_;
  ExportRules rules_;
};

TEST_F(FileChecksTest, HealthyFilesPassEveryCheck) {
  std::vector<FileReport> files = healthy(kStart);
  files.push_back(healthy(kStart + kHour)[0]);
  for (const FileReport& f : files) {
    EXPECT_TRUE(f.parsed()) << f.parse_problem;
    EXPECT_EQ(f.signature_problem, "");
    EXPECT_EQ(f.keys, 3u);
  }
  const int64_t now = kStart + 5 * kHour;
  for (const Verdict& v :
       {check_downloads("JP", files), check_parsing("JP", files), check_signatures("JP", files),
        check_duplicates("JP", files), check_batches("JP", files),
        check_windows("JP", files, rules_, now), check_freshness("JP", files, now, 4 * kHour)}) {
    EXPECT_EQ(v.outcome, Outcome::kOk) << v.check << ": " << v.summary;
  }
  EXPECT_EQ(check_freshness("JP", files, now, 4 * kHour).summary,
            "newest file JP/1773147600-1773151200-00001.zip ended 3h ago (limit 4h)");
  EXPECT_THAT(check_signatures("JP", files).summary, HasSubstr("(signed by 440-v1)"));
}

TEST_F(FileChecksTest, WrongKeyTamperingAndBadDownloadsAreNamed) {
  Archiver other;
  std::vector<FileReport> files{
      inspect("JP/a.zip", other.archive(kStart, kStart + kHour, 3, kStart))};
  std::string tampered = archive(kStart, kStart + kHour, 3, kStart);
  tampered[tampered.size() / 2] ^= 0x40;
  files.push_back(inspect("JP/b.zip", tampered));
  files.push_back(inspect_file("JP/c.zip", Fetched{"http://h/JP/c.zip", 404, "text/plain", "", ""},
                               cosign_sets_, rules_));
  files.push_back(inspect_file("JP/d.zip",
                               Fetched{"http://h/JP/d.zip", 200, "text/html",
                                       archive(kStart + kHour, kStart + 2 * kHour, 1, kStart), ""},
                               cosign_sets_, rules_));

  Verdict download = check_downloads("JP", files);
  EXPECT_EQ(download.outcome, Outcome::kFail);
  EXPECT_EQ(download.problems,
            (std::vector<std::string>{
                "GET http://h/JP/c.zip: HTTP 404",
                "GET http://h/JP/d.zip: content type 'text/html', expected 'application/zip'"}));
  Verdict signature = check_signatures("JP", files);
  EXPECT_EQ(signature.outcome, Outcome::kFail);
  ASSERT_GE(signature.problems.size(), 2u);
  EXPECT_THAT(signature.problems[0], HasSubstr("JP/a.zip: "));
  EXPECT_THAT(signature.problems[0], HasSubstr("440-v1"));
  EXPECT_THAT(signature.problems[1], HasSubstr("JP/b.zip: "));
  EXPECT_THAT(signature.summary, HasSubstr("files do not verify"));
}

TEST_F(FileChecksTest, DuplicatesAndGapsInNumbering) {
  const std::string body = archive(kStart, kStart + kHour, 3, kStart);
  std::vector<FileReport> files{inspect("JP/1773144000-1773147600-00001.zip", body),
                                inspect("JP/1773144000-1773147600-00003.zip", body)};
  Verdict duplicates = check_duplicates("JP", files);
  EXPECT_EQ(duplicates.outcome, Outcome::kFail);
  EXPECT_EQ(duplicates.problems[0],
            "JP/1773144000-1773147600-00001.zip and JP/1773144000-1773147600-00003.zip have "
            "identical content");
  Verdict batches = check_batches("JP", files);
  EXPECT_EQ(batches.outcome, Outcome::kFail);
  EXPECT_THAT(batches.summary,
              HasSubstr("window 1773144000-1773147600: file number(s) 2 missing (highest 3)"));

  // A name that disagrees with the window inside.
  std::vector<FileReport> renamed{inspect("JP/1773147600-1773151200-00001.zip", body)};
  EXPECT_THAT(
      check_batches("JP", renamed).summary,
      HasSubstr(
          "the name says window 1773147600-1773151200 but export.bin says 1773144000-1773147600"));
}

TEST_F(FileChecksTest, KeysStillValidAndMisalignedWindowsFail) {
  // The last key is valid until an hour after the window's end.
  std::vector<FileReport> files{
      inspect("JP/x.zip", archive(kStart, kStart + kHour, 2, kStart + 2 * kHour))};
  Verdict windows = check_windows("JP", files, rules_, kStart + 5 * kHour);
  EXPECT_EQ(windows.outcome, Outcome::kFail);
  EXPECT_THAT(
      windows.summary,
      HasSubstr("JP/x.zip: keys[1] is valid until 2026-03-10T14:00:00Z, after the window end "
                "2026-03-10T13:00:00Z (published while still valid)"));

  std::vector<FileReport> misaligned{
      inspect("JP/y.zip", archive(kStart + 60, kStart + 60 + kHour, 2, kStart))};
  EXPECT_THAT(check_windows("JP", misaligned, rules_, kStart + 5 * kHour).summary,
              HasSubstr("is not one aligned 1h export period"));
  rules_.export_period_seconds = 4 * kHour;
  EXPECT_THAT(check_windows("JP", healthy(kStart), rules_, kStart + 5 * kHour).summary,
              HasSubstr("(1h) is not one aligned 4h export period"));
  EXPECT_THAT(check_windows("KR", healthy(kStart), ExportRules{}, kStart + 5 * kHour).summary,
              HasSubstr("region field 'JP' in a file listed for 'KR'"));
  EXPECT_THAT(check_windows("JP", healthy(kStart), ExportRules{}, kStart).summary,
              HasSubstr("in the future"));
}

TEST_F(FileChecksTest, FreshnessFailsWhenStaleOrEmpty) {
  std::vector<FileReport> files = healthy(kStart);
  Verdict stale = check_freshness("JP", files, kStart + kHour + 2 * 86400 + 30 * 60, 4 * kHour);
  EXPECT_EQ(stale.outcome, Outcome::kFail);
  EXPECT_THAT(stale.summary, HasSubstr("ended 2d ago, more than 4h (--max-age)"));
  Verdict empty = check_freshness("JP", {}, kStart, 4 * kHour);
  EXPECT_EQ(empty.outcome, Outcome::kFail);
  EXPECT_THAT(empty.summary, HasSubstr("index.txt lists no export file"));
}

}  // namespace
}  // namespace exposure::doctor
