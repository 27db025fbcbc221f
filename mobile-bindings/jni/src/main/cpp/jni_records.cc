#include "jni_records.h"

#include <cstring>

namespace exposure::jni {
namespace {

class Writer {
 public:
  explicit Writer(size_t reserve) { out_.reserve(reserve); }
  void raw(const uint8_t* data, size_t n) { out_.insert(out_.end(), data, data + n); }
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void i32(int32_t v) { u32(static_cast<uint32_t>(v)); }
  void i8(int8_t v) { out_.push_back(static_cast<uint8_t>(v)); }
  std::vector<uint8_t> take() { return std::move(out_); }

 private:
  std::vector<uint8_t> out_;
};

// Reads one record; the caller checks there is a whole record left.
class Reader {
 public:
  explicit Reader(const uint8_t* p) : p_(p) {}
  void raw(uint8_t* out, size_t n) {
    std::memcpy(out, p_, n);
    p_ += n;
  }
  uint32_t u32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t{p_[i]} << (8 * i);
    p_ += 4;
    return v;
  }
  int32_t i32() { return static_cast<int32_t>(u32()); }
  int8_t i8() { return static_cast<int8_t>(*p_++); }

 private:
  const uint8_t* p_;
};

template <typename T, typename ReadOne>
std::vector<T> unpack(const std::vector<uint8_t>& bytes, size_t record, ReadOne read_one) {
  std::vector<T> out(bytes.size() / record);
  for (size_t i = 0; i < out.size(); ++i) {
    Reader in(bytes.data() + i * record);
    read_one(in, out[i]);
  }
  return out;
}

}  // namespace

std::vector<exposure_tek> unpack_teks(const std::vector<uint8_t>& bytes) {
  return unpack<exposure_tek>(bytes, kTekRecord, [](Reader& in, exposure_tek& k) {
    in.raw(k.key_data, sizeof k.key_data);
    k.rolling_start_interval_number = in.u32();
    k.rolling_period = in.u32();
  });
}

std::vector<uint8_t> pack_teks(const exposure_tek* keys, size_t count) {
  Writer out(count * kTekRecord);
  for (size_t i = 0; i < count; ++i) {
    out.raw(keys[i].key_data, sizeof keys[i].key_data);
    out.u32(keys[i].rolling_start_interval_number);
    out.u32(keys[i].rolling_period);
  }
  return out.take();
}

std::vector<exposure_sighting> unpack_sightings(const std::vector<uint8_t>& bytes) {
  return unpack<exposure_sighting>(bytes, kSightingRecord, [](Reader& in, exposure_sighting& s) {
    in.raw(s.beacon.rpi, sizeof s.beacon.rpi);
    in.raw(s.beacon.aem, sizeof s.beacon.aem);
    s.time = in.u32();
    s.previous_scan_time = in.u32();
    s.rssi = in.i8();
  });
}

std::vector<uint8_t> pack_sightings(const exposure_sighting* sightings, size_t count) {
  Writer out(count * kSightingRecord);
  for (size_t i = 0; i < count; ++i) {
    const exposure_sighting& s = sightings[i];
    out.raw(s.beacon.rpi, sizeof s.beacon.rpi);
    out.raw(s.beacon.aem, sizeof s.beacon.aem);
    out.u32(s.time);
    out.u32(s.previous_scan_time);
    out.i8(s.rssi);
  }
  return out.take();
}

std::vector<exposure_diagnosis_key> unpack_diagnosis_keys(const std::vector<uint8_t>& bytes) {
  return unpack<exposure_diagnosis_key>(bytes, kDiagnosisKeyRecord, [](Reader& in, exposure_diagnosis_key& k) {
    in.raw(k.key_data, sizeof k.key_data);
    k.rolling_start_interval_number = in.u32();
    k.rolling_period = in.u32();
    k.transmission_risk_level = in.i32();
    k.report_type = in.i32();
    k.has_days_since_onset = in.i32();
    k.days_since_onset_of_symptoms = in.i32();
  });
}

std::vector<uint8_t> pack_diagnosis_keys(const exposure_diagnosis_key* keys, size_t count) {
  Writer out(count * kDiagnosisKeyRecord);
  for (size_t i = 0; i < count; ++i) {
    const exposure_diagnosis_key& k = keys[i];
    out.raw(k.key_data, sizeof k.key_data);
    out.u32(k.rolling_start_interval_number);
    out.u32(k.rolling_period);
    out.i32(k.transmission_risk_level);
    out.i32(k.report_type);
    out.i32(k.has_days_since_onset);
    out.i32(k.days_since_onset_of_symptoms);
  }
  return out.take();
}

std::vector<exposure_key_metadata> unpack_key_metadata(const std::vector<uint8_t>& bytes) {
  return unpack<exposure_key_metadata>(bytes, kKeyMetadataRecord, [](Reader& in, exposure_key_metadata& m) {
    m.transmission_risk_level = in.i32();
    m.report_type = in.i32();
    m.has_days_since_onset = in.i32();
    m.days_since_onset = in.i32();
  });
}

}  // namespace exposure::jni
