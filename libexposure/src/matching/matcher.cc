// The streaming matcher: reads keys into groups of one day each, so that the day's filter
// stays in cache while the group's keys are derived, and fans each group out to worker
// threads. See docs/matching.md for the design and its figures.
#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <thread>
#include <unordered_set>

#include "exposure/crypto.h"
#include "exposure/keys.h"
#include "exposure/matching.h"
#include "matching/day_batches.h"
#include "matching/key_sightings.h"
#include "matching/sighting_index.h"

namespace exposure {

struct Matcher::Index {
  explicit Index(std::span<const Sighting> sightings) : sightings(sightings) {}
  matching::SightingIndex sightings;
};

namespace {

using matching::PendingKey;

// Derives RPIs and probes the filter; one per thread, reused for every key.
class KeyWorker {
 public:
  explicit KeyWorker(const matching::SightingIndex& index)
      : index_(index), rpik_hkdf_(kRpikHkdfInfo), aes_(kZeroKey) {
    // The interval (bytes 12-15) is written per key by fill_padded().
    padded_.fill(rpi_padded_data(0));
  }

  void run(std::span<const PendingKey> keys, std::vector<KeyMatch>* out) {
    // Keys are taken a group at a time so their RPIKs can be derived together.
    for (size_t begin = 0; begin < keys.size(); begin += kGroup) {
      size_t n = std::min(kGroup, keys.size() - begin);
      size_t kept = 0;
      for (size_t k = 0; k < n; ++k) {
        const DiagnosisKey& key = keys[begin + k].key;
        uint32_t count = std::min<uint32_t>(key.rolling_period, kTekRollingPeriod);
        count = static_cast<uint32_t>(
            std::min<uint64_t>(count, uint64_t{UINT32_MAX} - key.rolling_start_interval_number));
        Runs& r = runs_[kept];
        r.count = index_.sighted_runs(key.rolling_start_interval_number, count, r.runs.data());
        if (r.count == 0) {
          ++stats_.keys_without_sightings_in_validity;
          continue;
        }
        r.key = &keys[begin + k];
        std::memcpy(teks_.data() + 16 * kept, key.key_data.data(), 16);
        ++kept;
      }
      rpik_hkdf_.derive_many(teks_.data(), kept, rpiks_.data());
      for (size_t k = 0; k < kept; ++k) probe(runs_[k], rpiks_.data() + 16 * k, out);
    }
  }

  const MatchStats& stats() const { return stats_; }

 private:
  static constexpr uint8_t kZeroKey[16] = {0};
  static constexpr size_t kGroup = 8;
  using IntervalRun = matching::SightingIndex::IntervalRun;

  // The intervals of a key that have sightings nearby (usually one run: all of them).
  struct Runs {
    const PendingKey* key = nullptr;
    size_t count = 0;
    std::array<IntervalRun, matching::SightingIndex::kMaxRunsPerKey> runs{};
  };

  // Writes the padded data of the runs' intervals, in order, to padded_; returns how many
  // blocks. Keys of a day usually share their only run, so that case is kept between keys.
  uint32_t fill_padded(const Runs& r) {
    if (r.count == 1 && r.runs[0].first == padded_first_ && r.runs[0].count <= padded_count_) return r.runs[0].count;
    uint32_t blocks = 0;
    for (size_t i = 0; i < r.count; ++i) {
      for (uint32_t j = 0; j < r.runs[i].count; ++j) {
        EnIntervalNumber interval = r.runs[i].first + j;
        std::memcpy(padded_[blocks++].data() + 12, &interval, 4);  // little-endian hosts only (below)
      }
    }
    padded_first_ = r.runs[0].first;
    padded_count_ = r.count == 1 ? blocks : 0;
    return blocks;
  }

  void probe(const Runs& r, const uint8_t* rpik, std::vector<KeyMatch>* out) {
    uint32_t blocks = fill_padded(r);
    aes_.rekey(rpik);
    aes_.encrypt_blocks(padded_[0].data(), rpis_[0].data(), blocks);
    stats_.rpis_derived += blocks;
    candidates_.clear();
    const Rpi* rpis = rpis_.data();
    for (size_t i = 0; i < r.count; ++i) {
      const IntervalRun run = r.runs[i];
      // One filter partition per UTC day of the RPIs' intervals.
      for (uint32_t j = 0; j < run.count;) {
        EnIntervalNumber interval = run.first + j;
        uint32_t day_end = std::min<uint32_t>(run.count, j + (kTekRollingPeriod - interval % kTekRollingPeriod));
        const auto* found = index_.partition_for(interval);
        if (found != nullptr) {
          const matching::SightingIndex::Partition part = *found;  // locals: no reload per probe
          const uint16_t* slots = index_.partition_slots(part);
          if (index_.may_contain_any(slots, part, rpis + j, day_end - j)) [[unlikely]] {
            for (uint32_t k = j; k < day_end; ++k) {
              if (index_.may_contain(slots, part, rpis[k])) candidates_.push_back({rpis[k], run.first + k});
            }
          }
        }
        j = day_end;
      }
      rpis += run.count;
    }
    if (candidates_.empty()) return;
    stats_.filter_hits += candidates_.size();
    auto match = matching::collect_key_sightings(index_, r.key->key, r.key->stream_position, candidates_, &stats_);
    if (match) out->push_back(std::move(*match));
  }

  static_assert(std::endian::native == std::endian::little,
                "PaddedData stores the interval little-endian by a plain copy");

  const matching::SightingIndex& index_;
  crypto::ZeroSaltHkdf16 rpik_hkdf_;
  crypto::Aes128Ecb aes_;
  std::array<Runs, kGroup> runs_{};
  std::array<uint8_t, 16 * kGroup> teks_{};
  std::array<uint8_t, 16 * kGroup> rpiks_{};
  alignas(64) std::array<std::array<uint8_t, 16>, kTekRollingPeriod> padded_{};
  EnIntervalNumber padded_first_ = 0;  // padded_[j] holds interval padded_first_ + j ...
  uint32_t padded_count_ = 0;          // ... for j < padded_count_
  alignas(64) std::array<Rpi, kTekRollingPeriod> rpis_{};
  std::vector<matching::RpiCandidate> candidates_;
  MatchStats stats_;
};

void add_stats(MatchStats& total, const MatchStats& part) {
  total.keys_without_sightings_in_validity += part.keys_without_sightings_in_validity;
  total.rpis_derived += part.rpis_derived;
  total.filter_hits += part.filter_hits;
  total.rpi_hits += part.rpi_hits;
}

// Runs `batch` (keys of one day) on `workers`, the first on the calling thread.
void run_batch(std::span<const PendingKey> batch, std::vector<std::unique_ptr<KeyWorker>>& workers,
               std::vector<std::vector<KeyMatch>>& found) {
  size_t n = workers.size();
  if (n == 1 || batch.size() < 64 * n) {
    workers[0]->run(batch, &found[0]);
    return;
  }
  std::vector<std::thread> threads;
  size_t chunk = (batch.size() + n - 1) / n;
  for (size_t t = 1; t < n; ++t) {
    size_t begin = std::min(batch.size(), t * chunk);
    size_t end = std::min(batch.size(), begin + chunk);
    threads.emplace_back([&, t, begin, end] { workers[t]->run(batch.subspan(begin, end - begin), &found[t]); });
  }
  workers[0]->run(batch.subspan(0, std::min(chunk, batch.size())), &found[0]);
  for (auto& thread : threads) thread.join();
}

}  // namespace

Matcher::Matcher(std::span<const Sighting> sightings) : index_(std::make_unique<Index>(sightings)) {}
Matcher::~Matcher() = default;
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;

size_t Matcher::index_bytes() const { return index_->sightings.memory_bytes(); }

Result<MatchResult> Matcher::match(DiagnosisKeySource& keys, const MatchOptions& options) const {
  if (options.threads == 0) return invalid_argument("threads must be at least 1");
  std::vector<std::unique_ptr<KeyWorker>> workers;
  for (unsigned t = 0; t < options.threads; ++t)
    workers.push_back(std::make_unique<KeyWorker>(index_->sightings));
  std::vector<std::vector<KeyMatch>> found(workers.size());

  MatchResult result;
  matching::DayBatches groups;
  auto run = [&](const std::vector<PendingKey>& group) {
    if (group.empty()) return;
    run_batch(group, workers, found);
    if (options.progress) options.progress(result.stats.keys_read);
  };
  for (;;) {
    auto next = keys.next();
    if (!next.ok()) return next.status();
    if (!next->has_value()) break;
    uint64_t position = result.stats.keys_read++;
    if ((*next)->report_type == ReportType::kRecursive) {
      ++result.stats.keys_skipped;
      continue;
    }
    run(groups.add({**next, position}));
  }
  while (true) {
    const std::vector<PendingKey>& group = groups.drain();
    if (group.empty()) break;
    run(group);
  }
  for (size_t t = 0; t < workers.size(); ++t) {
    add_stats(result.stats, workers[t]->stats());
    for (auto& match : found[t]) result.matches.push_back(std::move(match));
  }
  std::sort(result.matches.begin(), result.matches.end(),
            [](const KeyMatch& a, const KeyMatch& b) { return a.stream_position < b.stream_position; });
  // One result per key: a repeat of a key matched earlier in the stream is dropped.
  struct KeyHash {
    size_t operator()(const KeyData& k) const {
      size_t h;
      std::memcpy(&h, k.data(), sizeof h);
      return h;
    }
  };
  std::unordered_set<KeyData, KeyHash> seen;
  std::erase_if(result.matches, [&](const KeyMatch& m) {
    bool repeat = !seen.insert(m.key.key_data).second;
    if (repeat) ++result.stats.keys_skipped;
    return repeat;
  });
  return result;
}

}  // namespace exposure
