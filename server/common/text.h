// Small text helpers of the server: durations ("15m"), calendar dates, timestamps,
// random strings, and one-line logging.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/bytes.h"
#include "exposure/status.h"

namespace exposure::server {

// ---- durations --------------------------------------------------------------------------

// Parses a duration made of number+unit pairs, units ms, s, m, h, d ("90s", "1h30m",
// "14d"); returns milliseconds. A bare "0" is allowed. `what` names the setting in errors.
Result<int64_t> parse_duration_ms(std::string_view text, std::string_view what);
// The shortest exact spelling of a duration ("1h", "90s", "250ms").
std::string format_duration_ms(int64_t ms);

// ---- calendar ---------------------------------------------------------------------------

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
void civil_from_days(int64_t days, int64_t* year, unsigned* month, unsigned* day);
// "YYYY-MM-DD" -> day number. Rejects anything else, including impossible dates.
Result<int64_t> parse_iso_date(std::string_view text);
std::string format_iso_date(int64_t day_number);
// RFC 3339 timestamp ("2021-09-20T23:52:57.436+09:00", "...Z", fraction optional) ->
// Unix seconds (fraction dropped).
Result<int64_t> parse_rfc3339(std::string_view text);
// "Mon, 02 Jan 2006 15:04:05 UTC" (RFC 1123, as the verification server writes it).
std::string format_rfc1123(int64_t unix_seconds);
// Floor division for times before and after the epoch.
inline int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
inline int64_t floor_to(int64_t t, int64_t step) { return floor_div(t, step) * step; }

// ---- random -----------------------------------------------------------------------------

// Uniform integer in [0, bound) from the CSPRNG (no modulo bias). bound > 0.
uint64_t random_below(uint64_t bound);
// `n` random decimal digits.
std::string random_digits(size_t n);
// base64url without padding of `n` random bytes.
std::string random_base64url(size_t n);
// Random RFC 4122 version 4 UUID text.
std::string random_uuid();
// Standard base64 of min_bytes + random_below(range_bytes) random bytes (the response
// padding rule: 1024 + rand[0, 1024) by default).
std::string random_padding(size_t min_bytes, size_t range_bytes);

// ---- encoding ---------------------------------------------------------------------------

// base64url without padding (JWT segments).
std::string to_base64url(ByteView data);
// Lowercase ASCII.
std::string to_lower(std::string_view s);
// Splits on `sep`, dropping empty pieces and surrounding spaces.
std::vector<std::string> split_list(std::string_view s, char sep);
// A region code as the server takes it (apps, exports, federation): kRegionNameRule.
constexpr char kRegionNameRule[] = "1..32 of [A-Za-z0-9_-]";
bool is_region_name(std::string_view s);
// Printable-ASCII copy of untrusted text for error messages, at most `max` characters.
std::string printable(std::string_view s, size_t max = 64);

// ---- logging ----------------------------------------------------------------------------

// Writes "<UTC time> <level> <message>" as one line to stderr. Messages never carry client
// addresses, user agents, keys, codes or tokens.
void log_line(std::string_view level, std::string_view message);
inline void log_info(std::string_view m) { log_line("info", m); }
inline void log_warning(std::string_view m) { log_line("warning", m); }
inline void log_error(std::string_view m) { log_line("error", m); }

}  // namespace exposure::server
