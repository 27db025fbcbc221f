// What importing one verified partner archive changes, decided from its keys and what is
// stored already, without touching storage (federation_importer.cc applies it in one
// transaction). The rules, per key data (the first occurrence in the file wins):
//  * a key whose age an upload would refuse (publish/key_transform.h) is refused;
//  * a key not stored is inserted into `region`, of non-local provenance, with created_at
//    as an upload at `now` would get it (so it is exported in a window not yet cut); the
//    caller records its provenance (partner, file, region);
//  * a key stored from this partner that lacks `region` gains it;
//  * a revised key (revised_keys) of this partner that is stored unrevised with another
//    report type is revised once (revised type, onset and risk; revised_at = now truncated
//    to the window); a revised key not stored is inserted with its revised values;
//  * everything else (keys stored from uploads or other partners, repeats) is a duplicate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exposure/diagnosis_key.h"
#include "publish/key_transform.h"
#include "storage/federation_store.h"
#include "storage/records.h"

namespace exposure::server {

struct ImportSource {
  std::string partner;
  std::string file;    // the index line
  std::string region;  // the region folder read, and the region the keys are imported into
  int64_t now = 0;
};

struct ImportPlan {
  std::vector<Exposure> inserts;  // each gets a provenance record (source)
  std::vector<Exposure> updates;  // stored keys with their new revision fields / regions
  int64_t duplicates = 0;
  int64_t refused = 0;
};

// The key data of every key and revised key, in file order (for the storage lookups).
std::vector<KeyData> keys_of(const std::vector<DiagnosisKey>& keys,
                             const std::vector<DiagnosisKey>& revised);

// `stored`: the stored exposures among the file's keys; `provenance`: their provenance
// records (keys of uploads have none).
ImportPlan plan_import(const std::vector<DiagnosisKey>& keys,
                       const std::vector<DiagnosisKey>& revised,
                       const std::vector<Exposure>& stored,
                       const std::vector<KeyProvenance>& provenance, const ImportSource& source,
                       const PublishSettings& publish);

}  // namespace exposure::server
