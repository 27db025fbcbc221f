// exposure derive: prints the RPI and AEM of a TEK for consecutive intervals, in the form
// of the official test vectors ("ENIN RPI_HEX AEM_HEX").
#include <cstdio>

#include "commands.h"
#include "exposure/keys.h"

namespace exposure::cli {

Command add_derive_command(CLI::App& app) {
  struct Options {
    std::string tek;
    uint32_t interval = 0;
    uint32_t count = 144;
    std::string metadata = "40080000";
  };
  auto options = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("derive", "Print RPI and AEM for consecutive intervals of a TEK");
  sub->add_option("--tek", options->tek, "Temporary Exposure Key, 32 hex digits")->required();
  sub->add_option("--interval", options->interval, "First ENIntervalNumber")->required();
  sub->add_option("--count", options->count, "Number of intervals (1..1000000)")
      ->check(CLI::Range(1u, 1000000u))
      ->capture_default_str();
  sub->add_option("--metadata", options->metadata, "4-byte metadata, 8 hex digits")
      ->capture_default_str();

  return {sub, [options] {
            require_hex("--tek", options->tek, 16);
            require_hex("--metadata", options->metadata, 4);
            KeyData tek = *fixed_from_hex<16>(options->tek, "--tek");
            MetadataBytes metadata = *fixed_from_hex<4>(options->metadata, "--metadata");
            auto rpik = derive_rpi_key(tek);
            auto aemk = derive_aem_key(tek);
            secure_wipe(tek.data(), tek.size());
            std::vector<Rpi> rpis(options->count);
            rolling_proximity_ids(rpik, options->interval, rpis.size(), rpis.data());
            for (uint32_t i = 0; i < options->count; ++i) {
              Aem aem = encrypt_metadata(aemk, rpis[i], metadata);
              std::printf("%u %s %s\n", options->interval + i, to_hex(rpis[i]).c_str(),
                          to_hex(aem).c_str());
            }
            return kExitOk;
          }};
}

}  // namespace exposure::cli
