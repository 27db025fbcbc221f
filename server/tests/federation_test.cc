// Two real exposure-server processes on loopback, each with its own database, federating in
// both directions: keys uploaded to A reach B's export for its apps exactly once, and the
// other way round; each side verifies the other's files with the other's key, and keys
// imported from a partner are never offered back to it (no ping-pong), however many
// export and import passes run.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "tests/flows.h"

namespace exposure::server::testing {
namespace {

constexpr int64_t kHour = 3600;

// "440-v1,BASE64" (signing-key add) -> "440-v1=BASE64" (federation add --public-key).
std::string public_key_flag(const std::string& line) {
  std::string flag = line;
  flag[flag.find(',')] = '=';
  return flag;
}

// How often each key appears in the keys (field 7) of `files`.
std::map<KeyData, int> key_counts(const std::vector<keyfile::ExportContents>& files) {
  std::map<KeyData, int> counts;
  for (const keyfile::ExportContents& f : files) {
    for (const DiagnosisKey& k : f.keys) counts[k.key_data] += 1;
  }
  return counts;
}

KeyData key_data(const UploadKey& k) {
  KeyData d;
  std::copy(k.key.begin(), k.key.end(), d.begin());
  return d;
}

// The partner archives of a region (GET /federation/REGION/...), verified with `public_key`.
std::vector<keyfile::ExportContents> download_feed(const ServerHarness& server,
                                                   const std::string& region,
                                                   const std::string& public_key) {
  std::vector<keyfile::ExportContents> out;
  auto client = server.client();
  auto key = app_client::parse_public_key_line(public_key);
  EXPECT_TRUE(key.ok());
  std::vector<keyfile::CosignSet> sets(1);
  sets[0].push_back(std::move(*key));
  auto index = client->Get("/federation/" + region + "/index.txt");
  EXPECT_TRUE(index && index->status == 200);
  if (!index || index->status != 200) return out;
  std::istringstream lines(index->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    auto file = client->Get("/federation/" + line);
    EXPECT_TRUE(file && file->status == 200) << line;
    if (!file || file->status != 200) continue;
    Status verified = keyfile::verify_export_bytes(as_bytes(file->body), sets);
    EXPECT_TRUE(verified.ok()) << line << ": " << verified.to_string();
    auto contents = keyfile::read_export_bytes(as_bytes(file->body));
    EXPECT_TRUE(contents.ok()) << line;
    if (contents.ok()) out.push_back(std::move(*contents));
  }
  return out;
}

struct Side {
  std::unique_ptr<ServerHarness> server;
  std::string api_key;
  std::string public_key;
  std::vector<UploadKey> uploaded;
};

void run_ok(const ServerHarness& server, const std::string& args) {
  auto r = server.run(args);
  ASSERT_EQ(r.exit_code, 0) << args << ": " << r.err;
}

TEST(Federation, TwoServersExchangeKeysExactlyOnceInBothDirections) {
  const int64_t t0 = test_start_time();
  Side a{std::make_unique<ServerHarness>(t0)}, b{std::make_unique<ServerHarness>(t0)};
  // Both serve regions A and B: each imports the other's keys for both.
  for (Side* side : {&a, &b}) {
    side->api_key = side->server->add_health_authority("Lab");
    side->server->add_app("com.example.app", {"A", "B"});
    side->public_key = side->server->add_signing_key("440", "v1");
    side->server->start({"--no-export-worker", "--no-federation-worker", "--federation-feed"});
    run_ok(*side->server, "export --once");
  }
  auto partner_flags = [](const Side& other) {
    return "--url http://127.0.0.1:" + std::to_string(other.server->port()) +
           "/federation --region A --region B --public-key '" + public_key_flag(other.public_key) +
           "'";
  };
  run_ok(*a.server, "federation add b " + partner_flags(b));
  run_ok(*b.server, "federation add a " + partner_flags(a));

  auto advance = [&](int64_t seconds) {
    a.server->advance(seconds);
    b.server->advance(seconds);
  };
  auto pass = [&] {  // an export pass on both, then an import pass on both
    run_ok(*a.server, "export --once");
    run_ok(*b.server, "export --once");
    run_ok(*a.server, "federation --once");
    run_ok(*b.server, "federation --once");
  };

  a.uploaded = daily_keys(3, t0 - 86400);
  b.uploaded = daily_keys(2, t0 - 86400);
  for (Side* side : {&a, &b}) {
    auto published =
        google_upload(*side->server->client(), side->api_key, side->uploaded, GoogleUpload{});
    ASSERT_EQ(published.status, 200) << published.raw;
  }
  // The upload window is exported 3 h later and imported by the partner; the partner
  // exports the imported keys in its next window. Further passes find nothing new.
  advance(3 * kHour);
  pass();
  advance(3 * kHour);
  pass();
  advance(3 * kHour);
  pass();

  for (Side* side : {&a, &b}) {
    // Each side's apps get every key of both sides, once per region.
    for (const std::string region : {"A", "B"}) {
      const auto counts =
          key_counts(download_exports(*side->server->client(), region, side->public_key));
      for (const Side* origin : {&a, &b}) {
        for (const UploadKey& k : origin->uploaded) {
          auto it = counts.find(key_data(k));
          EXPECT_TRUE(it != counts.end() && it->second == 1)
              << (side == &a ? "A" : "B") << "'s export of " << region << " has a key uploaded to "
              << (origin == &a ? "A" : "B") << " " << (it == counts.end() ? 0 : it->second)
              << " times";
        }
      }
    }
    // What it offers its partner holds only its own keys, signed with its own key.
    const Side& other = side == &a ? b : a;
    for (const std::string region : {"A", "B"}) {
      const auto offered = key_counts(download_feed(*side->server, region, side->public_key));
      for (const UploadKey& k : side->uploaded) EXPECT_EQ(offered.count(key_data(k)), 1u) << region;
      for (const UploadKey& k : other.uploaded)
        EXPECT_EQ(offered.count(key_data(k)), 0u) << "re-exported";
      EXPECT_EQ(offered.size(), side->uploaded.size())
          << "padding or imported keys in the partner feed";
    }
  }
  // Every file each side offered was imported once by the other.
  for (Side* side : {&a, &b}) {
    auto list = side->server->run("federation list");
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("A,B\t440-v1\t"), std::string::npos) << list.out;
    auto again = side->server->run("federation --once");
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("0 files imported"), std::string::npos) << again.out;
  }
}

TEST(Federation, PartnerCommandsCheckTheirInputAndNameWhatIsWrong) {
  ServerHarness server(test_start_time());
  const std::string key = public_key_flag(server.add_signing_key("440", "v1"));
  auto bad_url = server.run("federation add p --url ftp://x --region JP --public-key '" + key + "'");
  EXPECT_EQ(bad_url.exit_code, 2);
  EXPECT_EQ(bad_url.err, "exposure-server: federation add: --url ftp://x: scheme must be http or https\n");
  auto bad_key = server.run("federation add p --url http://x/f --region JP --public-key 440-v1=nonsense");
  EXPECT_EQ(bad_key.exit_code, 2);
  EXPECT_NE(bad_key.err.find("--public-key: public key 440-v1: "), std::string::npos) << bad_key.err;
  EXPECT_EQ(server.run("federation list").out, "");

  run_ok(server, "federation add p --url http://x/f --region JP --public-key '" + key + "'");
  EXPECT_EQ(server.run("federation list").out, "p\thttp://x/f\tJP\t440-v1\t0 files imported\n");
  run_ok(server, "federation remove p");
  auto again = server.run("federation remove p");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.err, "exposure-server: no federation partner named \"p\"\n");
  EXPECT_EQ(server.run("federation").exit_code, 2);
}

}  // namespace
}  // namespace exposure::server::testing
