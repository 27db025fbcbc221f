// make_padding_keys: fake keys that hide how many people uploaded in a small batch.
#include <sodium.h>

#include <algorithm>

#include "exposure/keyfile_writer.h"

namespace exposure::keyfile {

std::vector<DiagnosisKey> make_padding_keys(std::span<const DiagnosisKey> real, size_t min_records,
                                            size_t padding_range, size_t max_records) {
  if (real.empty() || real.size() >= min_records) return {};
  size_t extra = 0;
  if (padding_range > 0) {
    uint32_t bound = static_cast<uint32_t>(std::min<size_t>(padding_range, UINT32_MAX - 1) + 1);
    extra = randombytes_uniform(bound);  // uniform in [0, padding_range]
  }
  size_t target = std::min(min_records + extra, max_records);
  if (target <= real.size()) return {};
  std::vector<DiagnosisKey> fake(target - real.size());
  Bytes random(fake.size() * 16);
  crypto::random_bytes(random);
  for (size_t i = 0; i < fake.size(); ++i) {
    fake[i] = real[i % real.size()];  // metadata round-robin from the real keys
    std::copy_n(random.begin() + static_cast<std::ptrdiff_t>(16 * i), 16, fake[i].key_data.begin());
  }
  return fake;
}

}  // namespace exposure::keyfile
