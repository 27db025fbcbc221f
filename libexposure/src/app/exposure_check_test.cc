// The exposure check exchange without a network: index -> archives -> decision -> state, with
// archives signed here and the conformance archive; bad input leaves the state as it was.
#include <gtest/gtest.h>

#include "exposure/app.h"
#include "exposure/keyfile_writer.h"
#include "exposure/keys.h"
#include "exposure/metadata.h"
#include "keyfile/keyfile_test_support.h"
#include "support/temp_dir.h"

namespace exposure::app {
namespace {

using namespace exposure::keyfile::testing;

constexpr int64_t kDayStart = 1773100800;  // 2026-03-10
constexpr int64_t kContact = kDayStart + 10 * 3600;
constexpr int64_t kNow = kDayStart + 36 * 3600;

std::string text(const Bytes& b) { return std::string(b.begin(), b.end()); }

class CheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_unique<ManualClock>(kNow);
    StoreOptions options;
    options.clock = clock_.get();
    store_ = std::move(*Store::open(dir_.path(), generate_storage_key(), options));
    // A key the phone met for 20 minutes at 45 dB of attenuation.
    met_.key_data.fill(0x42);
    met_.rolling_start_interval_number = static_cast<uint32_t>(kDayStart / 600);
    met_.report_type = ReportType::kConfirmedTest;
    const auto rpik = derive_rpi_key(met_.key_data);
    const auto aemk = derive_aem_key(met_.key_data);
    std::vector<Sighting> heard;
    for (int64_t t = kContact; t <= kContact + 1200; t += 300) {
      Sighting s;
      s.rpi = rolling_proximity_id(rpik, interval_number(t));
      s.aem = encrypt_metadata(aemk, s.rpi, BluetoothMetadata{}.encode());
      s.time = static_cast<uint32_t>(t);
      s.previous_scan_time = t == kContact ? 0 : static_cast<uint32_t>(t - 300);
      s.rssi = -45;
      heard.push_back(s);
    }
    ASSERT_TRUE(store_->add_sightings(heard).ok());
  }

  Bytes archive(std::vector<DiagnosisKey> keys) {
    keyfile::ExportBatch batch;
    batch.region = "JP";
    batch.start_timestamp = kDayStart;
    batch.end_timestamp = kDayStart + 3600;
    std::vector<keyfile::SigningKey> signers;
    signers.push_back(server_example_signer());
    auto files = keyfile::build_export_archives(batch, std::move(keys), {}, signers);
    EXPECT_TRUE(files.ok() && files->size() == 1);
    return files.ok() ? files->at(0) : Bytes{};
  }

  CheckOptions options() {
    CheckOptions o;
    o.region = "JP";
    o.cosign_sets.push_back(single_key_set(kServerKeyName, kServerPublicPem));
    auto config = parse_risk_config(R"({"attenuationBucketThresholdDb": [55, 63, 70],
      "attenuationBucketWeights": [1.0, 1.0, 0.5, 0], "reportTypeWeights": [0, 1, 1, 1, 1, 0],
      "infectiousnessWeights": [0, 1, 1], "minimumDailyScore": 600})");
    o.config = std::move(*config);
    o.now = kNow;
    return o;
  }

  // Runs a check whose server answers `index` and then each archive named in `files`.
  Status check(const std::string& index, const std::map<std::string, std::string>& files,
               std::vector<std::string>* paths = nullptr, CheckOutcome* outcome = nullptr) {
    auto check = ExposureCheck::start(*store_, options());
    if (!check.ok()) return check.status();
    while (const HttpRequest* r = (*check)->next_request()) {
      if (paths) paths->push_back(r->path);
      HttpResponse response{404, ""};
      if (r->path == "/exports/JP/index.txt") response = {200, index};
      for (const auto& [name, body] : files) {
        if (r->path == "/exports/" + name) response = {200, body};
      }
      if (!(*check)->receive(response).ok()) break;
    }
    if (outcome && (*check)->status().ok()) *outcome = (*check)->outcome();
    return (*check)->status();
  }

  testing::TempDir dir_;
  std::unique_ptr<ManualClock> clock_;
  std::unique_ptr<Store> store_;
  DiagnosisKey met_;
};

TEST_F(CheckTest, NewArchivesAreMatchedOnceAndADayNotifiesOnce) {
  DiagnosisKey stranger = sample_key(0x07);
  const std::map<std::string, std::string> files = {{"JP/a.zip", text(archive({met_}))},
                                                    {"JP/b.zip", text(archive({stranger}))}};
  std::vector<std::string> paths;
  CheckOutcome first;
  ASSERT_TRUE(check("JP/a.zip\n", files, &paths, &first).ok());
  EXPECT_EQ(paths, (std::vector<std::string>{"/exports/JP/index.txt", "/exports/JP/a.zip"}));
  EXPECT_TRUE(first.decision.notify);
  EXPECT_EQ(first.decision.new_days, std::vector<int64_t>{kDayStart / 86400});
  ASSERT_EQ(first.matches.size(), 1u);
  EXPECT_EQ(first.keys_processed, 1u);

  // A new archive arrives; the earlier match is scored again, but its day was notified.
  paths.clear();
  CheckOutcome second;
  ASSERT_TRUE(check("JP/a.zip\nJP/b.zip\n", files, &paths, &second).ok());
  EXPECT_EQ(paths, (std::vector<std::string>{"/exports/JP/index.txt", "/exports/JP/b.zip"}));
  EXPECT_FALSE(second.decision.notify);
  ASSERT_EQ(second.decision.qualifying.size(), 1u);
  EXPECT_TRUE(second.decision.qualifying[0].notified_before);
  EXPECT_EQ(second.matches.size(), 1u);

  auto state = load_check_state(*store_);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->processed_archives, (std::set<std::string>{"JP/a.zip", "JP/b.zip"}));
  EXPECT_EQ(state->notified_days, std::set<int64_t>{kDayStart / 86400});
  EXPECT_EQ(state->matched_keys.size(), 1u);
}

TEST_F(CheckTest, TheConformanceArchiveVerifiesAndMatchesNothing) {
  CheckOutcome outcome;
  ASSERT_TRUE(check("JP/c.zip\n", {{"JP/c.zip", text(read_data_file(kServerArchive))}}, nullptr, &outcome).ok());
  EXPECT_EQ(outcome.keys_processed, 2u);
  EXPECT_TRUE(outcome.matches.empty());
  EXPECT_FALSE(outcome.decision.notify);
}

TEST_F(CheckTest, BadInputFailsWithOneLineAndLeavesTheStateForTheNextCheck) {
  std::string good = text(archive({met_}));
  std::string tampered = good;
  tampered[tampered.size() / 2] ^= 0x20;
  std::string unsigned_bin = text(read_data_file(kBare110));
  struct Case {
    std::string index;
    std::string body;
    ErrorCode code;
  } cases[] = {
      {"JP/a.zip\n", tampered, ErrorCode::kMalformed},
      {"JP/a.zip\n", good.substr(0, good.size() / 2), ErrorCode::kMalformed},
      {"JP/a.zip\n", unsigned_bin, ErrorCode::kMalformed},
      {"../../etc/passwd\n", good, ErrorCode::kMalformed},
      {"JP/missing.zip\n", good, ErrorCode::kRejected},
  };
  for (const Case& c : cases) {
    Status status = check(c.index, {{"JP/a.zip", c.body}});
    EXPECT_FALSE(status.ok()) << c.index;
    if (c.code != ErrorCode::kMalformed) {
      EXPECT_EQ(status.code(), c.code) << status.message();
    }
    EXPECT_NE(status.code(), ErrorCode::kOk);
    EXPECT_EQ(status.message().find('\n'), std::string::npos) << status.message();
    EXPECT_TRUE(load_check_state(*store_)->processed_archives.empty()) << status.message();
  }
  // With the good archive the next check notifies.
  CheckOutcome outcome;
  ASSERT_TRUE(check("JP/a.zip\n", {{"JP/a.zip", good}}, nullptr, &outcome).ok());
  EXPECT_TRUE(outcome.decision.notify);
}

TEST_F(CheckTest, AnArchiveSignedByAnotherKeyDoesNotVerify) {
  CheckOptions o = options();
  o.cosign_sets.clear();
  o.cosign_sets.push_back(single_key_set(kServerKeyName, kInternalsPublicPem));
  auto check = ExposureCheck::start(*store_, std::move(o));
  ASSERT_TRUE(check.ok());
  (*check)->next_request();
  ASSERT_TRUE((*check)->receive({200, "JP/a.zip\n"}).ok());
  (*check)->next_request();
  Status status = (*check)->receive({200, text(archive({met_}))});
  EXPECT_EQ(status.code(), ErrorCode::kVerificationFailed) << status.message();
  EXPECT_NE(status.message().find("JP/a.zip"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace exposure::app
