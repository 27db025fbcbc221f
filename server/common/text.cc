#include "common/text.h"

#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "exposure/crypto.h"
#include "exposure/secure.h"

namespace exposure::server {

// ---- durations --------------------------------------------------------------------------

Result<int64_t> parse_duration_ms(std::string_view text, std::string_view what) {
  auto bad = [&](const std::string& why) {
    return invalid_argument(std::string(what) + ": " + why + " in duration \"" + printable(text) +
                            "\" (use e.g. 90s, 15m, 1h, 14d)");
  };
  if (text == "0") return int64_t{0};
  if (text.empty()) return bad("empty");
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    int64_t value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (value > 1'000'000'000) return bad("number too large");
      value = value * 10 + (text[i] - '0');
      ++i;
    }
    if (i == start) return bad("missing number");
    size_t unit_start = i;
    while (i < text.size() && text[i] >= 'a' && text[i] <= 'z') ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    int64_t scale = 0;
    if (unit == "ms") scale = 1;
    else if (unit == "s") scale = 1000;
    else if (unit == "m") scale = 60'000;
    else if (unit == "h") scale = 3'600'000;
    else if (unit == "d") scale = 86'400'000;
    else return bad("unknown unit \"" + printable(unit) + "\"");
    total += value * scale;
    if (total > int64_t{100} * 365 * 86'400'000) return bad("longer than 100 years");
  }
  return total;
}

std::string format_duration_ms(int64_t ms) {
  if (ms == 0) return "0";
  struct Unit {
    int64_t scale;
    const char* name;
  };
  static const Unit kUnits[] = {{86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}};
  for (const Unit& u : kUnits) {
    if (ms % u.scale == 0) return std::to_string(ms / u.scale) + u.name;
  }
  return std::to_string(ms) + "ms";
}

// ---- calendar (H. Hinnant's civil-date algorithms) ---------------------------------------

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t* year, unsigned* month, unsigned* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = y + (*month <= 2);
}

namespace {

bool read_digits(std::string_view s, size_t pos, size_t n, int64_t* out) {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool valid_date(int64_t y, int64_t m, int64_t d) {
  if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int64_t max = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= max;
}

}  // namespace

Result<int64_t> parse_iso_date(std::string_view s) {
  int64_t y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !read_digits(s, 0, 4, &y) || !read_digits(s, 5, 2, &m) ||
      !read_digits(s, 8, 2, &d) || !valid_date(y, m, d)) {
    return invalid_argument("date \"" + printable(s) + "\" is not a valid YYYY-MM-DD date");
  }
  return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::string format_iso_date(int64_t day_number) {
  int64_t y;
  unsigned m, d;
  civil_from_days(day_number, &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

Result<int64_t> parse_rfc3339(std::string_view s) {
  auto bad = [&] { return invalid_argument("timestamp \"" + printable(s) + "\" is not RFC 3339"); };
  int64_t y, mo, d, h, mi, sec;
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
      s[16] != ':' || !read_digits(s, 0, 4, &y) || !read_digits(s, 5, 2, &mo) || !read_digits(s, 8, 2, &d) ||
      !read_digits(s, 11, 2, &h) || !read_digits(s, 14, 2, &mi) || !read_digits(s, 17, 2, &sec) ||
      !valid_date(y, mo, d) || h > 23 || mi > 59 || sec > 60) {
    return bad();
  }
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    if (digits == 0 || digits > 9) return bad();
  }
  int64_t offset = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int64_t oh, om;
    if (s.size() != i + 6 || s[i + 3] != ':' || !read_digits(s, i + 1, 2, &oh) || !read_digits(s, i + 4, 2, &om) ||
        oh > 23 || om > 59) {
      return bad();
    }
    offset = (oh * 60 + om) * 60 * (s[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return bad();
  }
  if (i != s.size()) return bad();
  int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return days * 86400 + h * 3600 + mi * 60 + sec - offset;
}

std::string format_rfc1123(int64_t t) {
  static const char* kWeekdays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int64_t days = floor_div(t, 86400);
  int64_t secs = t - days * 86400;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  int64_t weekday = ((days % 7) + 7) % 7;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04lld %02lld:%02lld:%02lld UTC", kWeekdays[weekday], d, kMonths[m - 1],
                static_cast<long long>(y), static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return buf;
}

// ---- random -----------------------------------------------------------------------------

uint64_t random_below(uint64_t bound) {
  if (bound <= 1) return 0;
  const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;  // reject the biased tail
  while (true) {
    uint64_t v = 0;
    crypto::random_bytes(MutableByteView(reinterpret_cast<uint8_t*>(&v), sizeof v));
    if (v < limit) return v % bound;
  }
}

std::string random_digits(size_t n) {
  // Up to 18 digits per draw (one CSPRNG call): a uniform number below 10^k written with
  // k digits is k uniform digits.
  std::string out;
  out.reserve(n);
  while (out.size() < n) {
    const size_t k = std::min<size_t>(n - out.size(), 18);
    uint64_t bound = 1;
    for (size_t i = 0; i < k; ++i) bound *= 10;
    uint64_t v = random_below(bound);
    char digits[18];
    for (size_t i = k; i-- > 0; v /= 10) digits[i] = static_cast<char>('0' + v % 10);
    out.append(digits, k);
  }
  return out;
}

std::string random_base64url(size_t n) {
  Bytes b(n);
  crypto::random_bytes(b);
  return to_base64url(b);
}

std::string random_uuid() {
  Bytes b(16);
  crypto::random_bytes(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  std::string hex = to_hex(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

std::string random_padding(size_t min_bytes, size_t range_bytes) {
  // One draw from the CSPRNG seeds a ChaCha20 stream for the bulk (a padded reply would
  // otherwise cost a kilobyte or two from the DRBG, under its lock).
  SecretArray<randombytes_SEEDBYTES> seed;
  crypto::random_bytes(MutableByteView(seed.data(), seed.size()));
  Bytes b(min_bytes + random_below(range_bytes));
  randombytes_buf_deterministic(b.data(), b.size(), seed.data());
  return to_base64(b);
}

// ---- encoding ---------------------------------------------------------------------------

std::string to_base64url(ByteView data) {
  std::string s = to_base64(data);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return s;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<std::string> split_list(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view piece = s.substr(start, end - start);
    while (!piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
    while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
    if (!piece.empty()) out.emplace_back(piece);
    start = end + 1;
  }
  return out;
}

bool is_region_name(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string printable(std::string_view s, size_t max) {
  std::string out;
  for (char c : s.substr(0, max)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > max) out += "...";
  return out;
}

// ---- logging ----------------------------------------------------------------------------

void log_line(std::string_view level, std::string_view message) {
  static std::mutex mutex;
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm {};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::string line = std::string(stamp) + " " + std::string(level) + " " + std::string(message) + "\n";
  std::lock_guard<std::mutex> lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace exposure::server
