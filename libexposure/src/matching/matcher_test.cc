// The matcher's filters, one rule at a time, on hand-made sightings.
#include "exposure/matching.h"

#include <gtest/gtest.h>

#include "support/test_vectors.h"

namespace exposure {
namespace {

const KeyData kTek = *fixed_from_hex<16>("75c734c6dd1a782de7a965da5eb93125", "tek");
constexpr EnIntervalNumber kStart = 2642976;  // the official vectors' day

DiagnosisKey key_at(EnIntervalNumber start, uint32_t period = 144, const KeyData& data = kTek) {
  DiagnosisKey k;
  k.key_data = data;
  k.rolling_start_interval_number = start;
  k.rolling_period = period;
  k.report_type = ReportType::kConfirmedTest;
  return k;
}

// A sighting of `data`'s RPI for `interval`, received at `time`, with this TX power.
Sighting heard(EnIntervalNumber interval, uint32_t time, int8_t rssi = -60, int tx_power = 8,
               const KeyData& data = kTek) {
  Sighting s;
  s.rpi = rolling_proximity_id(derive_rpi_key(data), interval);
  BluetoothMetadata metadata;
  metadata.tx_power_dbm = static_cast<int8_t>(tx_power);
  metadata.minor_version = 1;
  metadata.calibration_confidence = CalibrationConfidence::kMedium;
  s.aem = encrypt_metadata(derive_aem_key(data), s.rpi, metadata.encode());
  s.time = time;
  s.rssi = rssi;
  return s;
}

MatchResult run(std::span<const Sighting> sightings, std::vector<DiagnosisKey> keys, unsigned threads = 1) {
  Matcher matcher(sightings);
  SpanKeySource source(keys);
  MatchOptions options;
  options.threads = threads;
  auto result = matcher.match(source, options);
  EXPECT_TRUE(result.ok());
  return std::move(*result);
}

std::vector<uint32_t> times(const std::vector<MatchedSighting>& list) {
  std::vector<uint32_t> out;
  for (const auto& m : list) out.push_back(m.time);
  return out;
}

TEST(Matcher, OfficialVectorKeyMatchesItsOwnAdvertisement) {
  auto v = testing::load_official_vectors();
  Sighting s;
  s.rpi = *fixed_from_hex<16>(v.lines[10].rpi_hex, "rpi");
  s.aem = *fixed_from_hex<4>(v.lines[10].aem_hex, "aem");  // metadata 40 08 00 00: TX +8 dBm
  s.time = v.lines[10].interval * 600 + 30;
  s.rssi = -70;
  std::vector<Sighting> sightings{s};
  auto result = run(sightings, {key_at(kStart)});
  ASSERT_EQ(result.matches.size(), 1u);
  const auto& m = result.matches[0].sightings.at(0);
  EXPECT_EQ(m.interval, kStart + 10);
  EXPECT_EQ(m.tx_power_dbm, 8);
  EXPECT_EQ(m.attenuation_db, 78);
  EXPECT_EQ(result.stats.keys_read, 1u);
}

TEST(Matcher, ToleranceIsTwelveIntervalsEitherSide) {
  EnIntervalNumber i = kStart + 50;
  std::vector<Sighting> sightings{
      heard(i, (i - 12) * 600 - 1), heard(i, (i - 12) * 600),        // just outside, just inside
      heard(i, (i + 12) * 600 + 599), heard(i, (i + 13) * 600),      // inside, outside
  };
  auto result = run(sightings, {key_at(kStart)});
  ASSERT_EQ(result.matches.size(), 1u);
  EXPECT_EQ(times(result.matches[0].sightings), (std::vector<uint32_t>{(i - 12) * 600}));
  // The replay guard removed the later in-tolerance sighting (more than 1200 s after the
  // first); alone it matches.
  std::vector<Sighting> late{heard(i, (i + 12) * 600 + 599), heard(i, (i + 13) * 600)};
  auto late_result = run(late, {key_at(kStart)});
  ASSERT_EQ(late_result.matches.size(), 1u);
  EXPECT_EQ(times(late_result.matches[0].sightings), (std::vector<uint32_t>{(i + 12) * 600 + 599}));
}

TEST(Matcher, OnlyTheFirstRollingPeriodRpisCount) {
  std::vector<Sighting> beyond{heard(kStart + 10, (kStart + 10) * 600)};
  EXPECT_TRUE(run(beyond, {key_at(kStart, 10)}).matches.empty());
  std::vector<Sighting> last{heard(kStart + 9, (kStart + 10) * 600)};
  EXPECT_EQ(run(last, {key_at(kStart, 10)}).matches.size(), 1u);
}

TEST(Matcher, ReplayGuardKeepsTwentyMinutesAfterTheFirstSighting) {
  EnIntervalNumber i = kStart + 70;
  uint32_t t0 = i * 600 + 100;
  std::vector<Sighting> sightings{heard(i, t0 + 1201), heard(i, t0), heard(i, t0 + 1200)};
  auto result = run(sightings, {key_at(kStart)});
  ASSERT_EQ(result.matches.size(), 1u);
  EXPECT_EQ(times(result.matches[0].sightings), (std::vector<uint32_t>{t0, t0 + 1200}));
}

TEST(Matcher, TxPowerOutsideMinus50To20IsDropped) {
  std::vector<Sighting> sightings;
  int powers[] = {-51, -50, 20, 21};
  for (int p = 0; p < 4; ++p) {
    EnIntervalNumber i = kStart + 10 + 5 * p;
    sightings.push_back(heard(i, i * 600, -60, powers[p]));
  }
  auto result = run(sightings, {key_at(kStart)});
  ASSERT_EQ(result.matches.size(), 1u);
  std::vector<int> kept;
  for (const auto& m : result.matches[0].sightings) kept.push_back(m.tx_power_dbm);
  EXPECT_EQ(kept, (std::vector<int>{-50, 20}));
  EXPECT_EQ(result.matches[0].sightings[0].attenuation_db, 10);  // -50 - (-60)
  EXPECT_EQ(result.matches[0].sightings[1].calibration_confidence, CalibrationConfidence::kMedium);
}

TEST(Matcher, AttenuationNeverNegative) {
  std::vector<Sighting> sightings{heard(kStart + 3, (kStart + 3) * 600, 20, 8)};
  auto result = run(sightings, {key_at(kStart)});
  ASSERT_EQ(result.matches.size(), 1u);
  EXPECT_EQ(result.matches[0].sightings[0].attenuation_db, 0);
}

TEST(Matcher, PerScanListKeepsTheLoudestSightingOfEachScan) {
  EnIntervalNumber i = kStart + 20;
  uint32_t t = i * 600;
  std::vector<Sighting> sightings{heard(i, t, -70), heard(i, t + 10, -60), heard(i, t + 35, -65),
                                  heard(i, t + 61, -80), heard(i, t + 61, -80)};
  auto result = run(sightings, {key_at(kStart)});
  ASSERT_EQ(result.matches.size(), 1u);
  EXPECT_EQ(result.matches[0].sightings.size(), 5u);
  // t+35 is 25 s after t+10: same scan; t+61 is 26 s after: a new scan (tie: the first).
  std::vector<uint32_t> loudest;
  for (const auto& m : result.matches[0].per_scan) loudest.push_back(m.sighting_index);
  EXPECT_EQ(loudest, (std::vector<uint32_t>{1, 3}));
}

TEST(Matcher, SkipsRecursiveKeysAndRepeatsOfMatchedKeys) {
  std::vector<Sighting> sightings{heard(kStart + 1, (kStart + 1) * 600)};
  DiagnosisKey recursive = key_at(kStart);
  recursive.report_type = ReportType::kRecursive;
  DiagnosisKey other = key_at(kStart);
  other.key_data[0] ^= 1;
  auto result = run(sightings, {other, recursive, key_at(kStart), key_at(kStart)});
  ASSERT_EQ(result.matches.size(), 1u);
  EXPECT_EQ(result.matches[0].stream_position, 2u);
  EXPECT_EQ(result.stats.keys_read, 4u);
  EXPECT_EQ(result.stats.keys_skipped, 2u);
}

TEST(Matcher, KeysAwayFromEverySightingAreNotDerived) {
  std::vector<Sighting> sightings{heard(kStart + 1, (kStart + 1) * 600)};
  auto result = run(sightings, {key_at(kStart + 5 * 144), key_at(kStart - 2 * 144), key_at(kStart)});
  EXPECT_EQ(result.matches.size(), 1u);
  EXPECT_EQ(result.stats.keys_without_sightings_in_validity, 2u);
  EXPECT_EQ(result.stats.rpis_derived, 14u);  // intervals kStart .. kStart+13 are within reach
}

TEST(Matcher, NoSightingsOrNoKeys) {
  EXPECT_TRUE(run({}, {key_at(kStart)}).matches.empty());
  std::vector<Sighting> sightings{heard(kStart + 1, (kStart + 1) * 600)};
  EXPECT_TRUE(run(sightings, {}).matches.empty());
}

TEST(Matcher, ExtremeTimesAndIntervalsDoNotBreakIt) {
  KeyData other = kTek;
  other[15] ^= 0xff;
  std::vector<Sighting> sightings{heard(0, 0), heard(UINT32_MAX / 600, UINT32_MAX, -60, 8, other)};
  auto result = run(sightings, {key_at(0), key_at(UINT32_MAX - 10, 144, other),
                                key_at(UINT32_MAX / 600 - 3, 144, other)});
  ASSERT_EQ(result.matches.size(), 2u);
  EXPECT_EQ(result.matches[1].stream_position, 2u);
}

class FailingSource : public DiagnosisKeySource {
 public:
  Result<std::optional<DiagnosisKey>> next() override {
    if (calls_++ == 0) return std::optional<DiagnosisKey>(key_at(kStart));
    return malformed("keys[1]: truncated");
  }

 private:
  int calls_ = 0;
};

TEST(Matcher, SourceErrorsAndBadOptionsAreReported) {
  std::vector<Sighting> sightings{heard(kStart + 1, (kStart + 1) * 600)};
  Matcher matcher(sightings);
  FailingSource failing;
  auto result = matcher.match(failing);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(), "keys[1]: truncated");
  SpanKeySource none({});
  MatchOptions options;
  options.threads = 0;
  EXPECT_EQ(matcher.match(none, options).status().code(), ErrorCode::kInvalidArgument);
}

TEST(Matcher, ProgressIsReported) {
  std::vector<DiagnosisKey> keys(40000, key_at(kStart));
  for (size_t i = 0; i < keys.size(); ++i) keys[i].key_data[0] = static_cast<uint8_t>(i);
  Matcher matcher({});
  SpanKeySource source(keys);
  MatchOptions options;
  std::vector<uint64_t> reports;
  options.progress = [&](uint64_t n) { reports.push_back(n); };
  ASSERT_TRUE(matcher.match(source, options).ok());
  ASSERT_GE(reports.size(), 2u);
  EXPECT_EQ(reports.back(), 40000u);
}

}  // namespace
}  // namespace exposure
