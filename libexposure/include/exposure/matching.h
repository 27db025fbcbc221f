// On-device matching: which diagnosis keys produced which of the device's sightings, with the
// exact filters of the deployed implementation (docs/matching.md):
//
//  * only the first rolling_period RPIs of a key count;
//  * a sighting of the RPI of interval i counts when floor(time / 600) is in [i - 12, i + 12];
//  * replay guard: per RPI, sightings more than 1200 s after its first remaining sighting are
//    dropped;
//  * the AEM is decrypted with the key's AEMK (IV = RPI); sightings whose TX power is below
//    -50 or above 20 dBm are dropped; attenuation = max(TX power - RSSI, 0);
//  * the v1 path additionally keeps, per scan (sightings at most 25.5 s apart), only the
//    sighting with the highest RSSI.
//
// Keys are streamed (memory does not grow with their number); sightings are indexed once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "exposure/diagnosis_key.h"
#include "exposure/metadata.h"
#include "exposure/sighting.h"
#include "exposure/status.h"

namespace exposure {

// Matching constants of the deployed implementation (ContactTracingFeature).
inline constexpr uint32_t kMatchingToleranceIntervals = 12;       // +-2 h
inline constexpr uint32_t kReplayWindowSeconds = 1200;            // 2 x 10 min
inline constexpr uint32_t kSameScanMaxGapSeconds = 25;            // "<= 25.5 s" on whole seconds
inline constexpr int kMinTxPowerDbm = -50;
inline constexpr int kMaxTxPowerDbm = 20;

// A stream of diagnosis keys (from export files, a server response, a test).
class DiagnosisKeySource {
 public:
  virtual ~DiagnosisKeySource() = default;
  // The next key, std::nullopt at the end. An error ends matching with that error.
  virtual Result<std::optional<DiagnosisKey>> next() = 0;
};

// Keys held in memory. `keys` must outlive the source.
class SpanKeySource final : public DiagnosisKeySource {
 public:
  explicit SpanKeySource(std::span<const DiagnosisKey> keys) : keys_(keys) {}
  Result<std::optional<DiagnosisKey>> next() override {
    if (position_ == keys_.size()) return std::optional<DiagnosisKey>();
    return std::optional<DiagnosisKey>(keys_[position_++]);
  }

 private:
  std::span<const DiagnosisKey> keys_;
  size_t position_ = 0;
};

// One sighting that survived every filter for a key.
struct MatchedSighting {
  uint32_t time = 0;                // unix seconds
  uint32_t previous_scan_time = 0;  // 0 = unknown
  EnIntervalNumber interval = 0;    // interval of the key's RPI it carried
  uint32_t sighting_index = 0;      // position in the sightings given to the Matcher
  int8_t rssi = 0;
  int8_t tx_power_dbm = 0;           // from the decrypted AEM
  uint8_t attenuation_db = 0;        // max(tx_power - rssi, 0)
  CalibrationConfidence calibration_confidence = CalibrationConfidence::kLowest;

  bool operator==(const MatchedSighting&) const = default;
};

// A key with at least one surviving sighting. Both lists are sorted by (time, interval,
// sighting_index).
struct KeyMatch {
  DiagnosisKey key;
  uint64_t stream_position = 0;             // 0-based position of the key in the stream
  std::vector<MatchedSighting> sightings;   // every survivor (Exposure Windows)
  std::vector<MatchedSighting> per_scan;    // highest RSSI per scan (v1 exposure records)

  bool operator==(const KeyMatch&) const = default;
};

struct MatchStats {
  uint64_t keys_read = 0;          // keys the source delivered
  uint64_t keys_skipped = 0;       // RECURSIVE keys and repeats of a key already matched
  uint64_t keys_without_sightings_in_validity = 0;  // skipped before any derivation
  uint64_t rpis_derived = 0;       // RPIs computed and looked up
  uint64_t filter_hits = 0;        // lookups that passed the filter
  uint64_t rpi_hits = 0;           // lookups that found the RPI among the sightings
};

struct MatchResult {
  std::vector<KeyMatch> matches;   // in stream order
  MatchStats stats;
};

struct MatchOptions {
  // Worker threads for derivation and lookup (the key stream is read by the calling
  // thread). 1 = everything on the calling thread.
  unsigned threads = 1;
  // Called now and then from the calling thread with the number of keys read so far.
  std::function<void(uint64_t keys_read)> progress;
};

// The sightings of a device, indexed for matching. Building the index costs about 12 bytes
// per sighting on top of the sightings themselves; the sightings are not copied and must
// outlive the matcher.
class Matcher {
 public:
  explicit Matcher(std::span<const Sighting> sightings);
  ~Matcher();
  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;

  // Matches every key of `keys` against the sightings. Keys of report type RECURSIVE are
  // skipped, as on the platforms; a key whose 16 bytes were already matched earlier in the
  // stream is skipped too (the platforms keep one result per key). Fails only when the
  // source fails, or when options.threads is 0.
  Result<MatchResult> match(DiagnosisKeySource& keys, const MatchOptions& options = {}) const;

  // Bytes held by the index (not counting the sightings).
  size_t index_bytes() const;

 private:
  struct Index;
  std::unique_ptr<Index> index_;
};

}  // namespace exposure
