// Clocks for the server. The real wall clock in production; for tests a clock read from a
// file, so a test can move the time of a running server process (--fake-clock-file).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "exposure/interval.h"
#include "exposure/status.h"

namespace exposure::server {

// A clock whose time is the integer (Unix seconds) written in a file. The file is read
// again whenever its modification time or size changes. When the file is missing or does
// not hold an integer, the last good value is kept (the initial value must be readable).
class FileClock final : public Clock {
 public:
  static Result<std::unique_ptr<FileClock>> open(const std::string& path);
  int64_t now_unix_seconds() const override;

 private:
  explicit FileClock(std::string path) : path_(std::move(path)) {}
  bool reload() const;

  std::string path_;
  mutable int64_t now_ = 0;
  // Identity of the file content last read: inode, mtime (ns) and size.
  mutable int64_t inode_ = -1, mtime_ns_ = -1, size_ = -1;
};

// The wall clock, or a FileClock when `fake_clock_file` is non-empty.
Result<std::unique_ptr<Clock>> make_clock(const std::string& fake_clock_file);

// Writes `unix_seconds` to `path` atomically (tests and tools use it to move a FileClock).
Status write_fake_clock(const std::string& path, int64_t unix_seconds);

}  // namespace exposure::server
