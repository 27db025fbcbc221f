// Exposure Notification time base: 10-minute ENIntervalNumbers, UTC days, and an
// injectable clock.
#pragma once

#include <cstdint>
#include <string>

namespace exposure {

// 10-minute slots since 1970-01-01T00:00Z.
using EnIntervalNumber = uint32_t;

inline constexpr int64_t kIntervalSeconds = 600;
inline constexpr int64_t kSecondsPerDay = 86400;
// Intervals in one TEK rolling period (24 h).
inline constexpr uint32_t kTekRollingPeriod = 144;

// floor(unix_seconds / 600). Times before 1970 map to interval 0.
EnIntervalNumber interval_number(int64_t unix_seconds);
// First second of an interval.
inline int64_t interval_start_seconds(EnIntervalNumber i) { return int64_t{i} * kIntervalSeconds; }
// The interval rounded down to UTC midnight (a multiple of 144).
inline EnIntervalNumber day_start_interval(EnIntervalNumber i) {
  return i - i % kTekRollingPeriod;
}
// UTC day number (days since the epoch) of an interval.
inline int64_t day_number(EnIntervalNumber i) { return i / kTekRollingPeriod; }
// "YYYY-MM-DD" of a UTC day number (days since 1970-01-01; 0 before it).
std::string format_utc_day(int64_t day_number);

// Source of the current time. Everything that depends on "now" takes a Clock so tests can
// drive it.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_unix_seconds() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  int64_t now_unix_seconds() const override;
};

// A clock that only moves when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t unix_seconds) : now_(unix_seconds) {}
  int64_t now_unix_seconds() const override { return now_; }
  void set(int64_t unix_seconds) { now_ = unix_seconds; }
  void advance(int64_t seconds) { now_ += seconds; }

 private:
  int64_t now_;
};

}  // namespace exposure
