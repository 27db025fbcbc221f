#include "exposure/secure.h"

#include <sodium.h>

namespace exposure {

void secure_wipe(void* p, size_t size) { sodium_memzero(p, size); }

bool constant_time_equal(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace exposure
