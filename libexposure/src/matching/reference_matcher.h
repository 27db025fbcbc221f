// A second matcher written as plainly as possible from docs/matching.md, with
// none of the production matcher's shortcuts: every RPI of every key is derived one at a
// time and looked up in an ordered multimap. Tests compare the two on random data.
#pragma once

#include <span>

#include "exposure/matching.h"

namespace exposure::testing {

MatchResult reference_match(std::span<const DiagnosisKey> keys, std::span<const Sighting> sightings);

}  // namespace exposure::testing
