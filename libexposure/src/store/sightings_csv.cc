#include "exposure/sightings_csv.h"

#include <charconv>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "exposure/bytes.h"

namespace exposure {
namespace {

constexpr int kMinRssi = -127;
constexpr int kMaxRssi = 126;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Splits one CSV line into trimmed fields, undoing RFC 4180 quoting. Returns an error message
// for an unterminated quote or text after a closing quote.
std::optional<std::string> split_fields(std::string_view line, std::vector<std::string>* fields) {
  fields->clear();
  size_t i = 0;
  for (;;) {
    std::string field;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && line[i] == '"') {
      const size_t column = fields->size() + 1;
      ++i;
      for (;;) {
        if (i >= line.size()) return "unterminated quote in field " + std::to_string(column);
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(line[i++]);
      }
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i < line.size() && line[i] != ',') {
        return "text after the closing quote of field " + std::to_string(column);
      }
    } else {
      const size_t end = std::min(line.find(',', i), line.size());
      field = std::string(trim(line.substr(i, end - i)));
      i = end;
    }
    fields->push_back(std::move(field));
    if (i >= line.size()) return std::nullopt;
    ++i;  // the comma
  }
}

// Column positions found in the header.
struct Columns {
  size_t count = 0;
  size_t rpi = 0, aem = 0, time = 0, rssi = 0;
  std::optional<size_t> previous_scan_time;
};

std::optional<std::string> parse_header(const std::vector<std::string>& names, Columns* columns) {
  std::optional<size_t> rpi, aem, time, rssi, previous;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string name = lowercase(names[i]);
    std::optional<size_t>* slot = name == "rpi"                  ? &rpi
                                  : name == "aem"                ? &aem
                                  : name == "time"               ? &time
                                  : name == "rssi"               ? &rssi
                                  : name == "previous_scan_time" ? &previous
                                                                 : nullptr;
    if (slot == nullptr) continue;
    if (slot->has_value()) return "column '" + name + "' appears twice";
    *slot = i;
  }
  for (auto [slot, name] :
       {std::pair{&rpi, "rpi"}, {&aem, "aem"}, {&time, "time"}, {&rssi, "rssi"}}) {
    if (!slot->has_value()) {
      return std::string("header lacks the column '") + name + "' (expected rpi,aem,time,rssi)";
    }
  }
  *columns = Columns{names.size(), *rpi, *aem, *time, *rssi, previous};
  return std::nullopt;
}

std::optional<std::string> parse_u32(std::string_view text, std::string_view what, uint32_t* out) {
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return std::string(what) + ": '" + std::string(text) +
           "' is not a unix time in seconds (0..4294967295)";
  }
  *out = value;
  return std::nullopt;
}

std::optional<std::string> parse_row(const std::vector<std::string>& fields, const Columns& c,
                                     Sighting* s) {
  auto rpi = fixed_from_hex<16>(fields[c.rpi], "rpi");
  if (!rpi.ok()) return rpi.status().message();
  auto aem = fixed_from_hex<4>(fields[c.aem], "aem");
  if (!aem.ok()) return aem.status().message();
  s->rpi = *rpi;
  s->aem = *aem;
  if (auto error = parse_u32(fields[c.time], "time", &s->time)) return error;
  const std::string_view rssi_text = fields[c.rssi];
  int rssi = 0;
  const char* begin = rssi_text.data() + (rssi_text.starts_with('+') ? 1 : 0);
  auto [end, ec] = std::from_chars(begin, rssi_text.data() + rssi_text.size(), rssi);
  if (rssi_text.empty() || ec != std::errc() || end != rssi_text.data() + rssi_text.size() ||
      rssi < kMinRssi || rssi > kMaxRssi) {
    return "rssi: '" + std::string(rssi_text) + "' is not an integer in -127..126";
  }
  s->rssi = static_cast<int8_t>(rssi);
  s->previous_scan_time = 0;
  if (c.previous_scan_time && !fields[*c.previous_scan_time].empty()) {
    if (auto error = parse_u32(fields[*c.previous_scan_time], "previous_scan_time",
                               &s->previous_scan_time)) {
      return error;
    }
  }
  return std::nullopt;
}

Status line_error(uint64_t line, const std::string& what) {
  return malformed("line " + std::to_string(line) + ": " + what);
}

}  // namespace

Status read_sightings_csv(std::istream& in, std::vector<Sighting>* out) {
  const size_t original_size = out->size();
  auto fail = [&](uint64_t line, const std::string& what) {
    out->resize(original_size);
    return line_error(line, what);
  };
  std::string line;
  std::vector<std::string> fields;
  std::optional<Columns> columns;
  uint64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    if (trim(line).empty()) continue;
    if (auto error = split_fields(line, &fields)) return fail(number, *error);
    if (!columns) {
      Columns parsed;
      if (auto error = parse_header(fields, &parsed)) return fail(number, *error);
      columns = parsed;
      continue;
    }
    if (fields.size() != columns->count) {
      return fail(number, std::to_string(fields.size()) + " fields, the header has " +
                              std::to_string(columns->count));
    }
    Sighting s;
    if (auto error = parse_row(fields, *columns, &s)) return fail(number, *error);
    out->push_back(s);
  }
  if (in.bad()) return fail(number + 1, "read error");
  if (!columns) return fail(1, "no header (expected rpi,aem,time,rssi)");
  return Status::Ok();
}

Status read_sightings_csv_file(const std::string& path, std::vector<Sighting>* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {ErrorCode::kIoError, path + ": cannot open"};
  Status status = read_sightings_csv(in, out);
  if (!status.ok()) return {status.code(), path + ": " + status.message()};
  return status;
}

std::string sighting_csv_line(const Sighting& s) {
  return to_hex(s.rpi) + "," + to_hex(s.aem) + "," + std::to_string(s.time) + "," +
         std::to_string(int{s.rssi}) + "," + std::to_string(s.previous_scan_time);
}

void write_sightings_csv(std::ostream& out, std::span<const Sighting> sightings) {
  out << kSightingsCsvHeader << '\n';
  for (const Sighting& s : sightings) out << sighting_csv_line(s) << '\n';
}

}  // namespace exposure
