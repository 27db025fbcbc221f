// The FederationStore contract (federation_store.h), run against the backend of the test
// run (SQLite, or PostgreSQL: server/tests/test_database.h).
#include "storage/federation_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "exposure/crypto.h"
#include "storage/storage.h"
#include "tests/test_database.h"

namespace exposure::server {
namespace {

class FederationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/exposure-federation-store-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    db_ = std::make_unique<testing::TestDatabase>(dir_);
    auto s = open_storage(db_->url());
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    storage_ = std::move(*s);
  }
  void TearDown() override {
    storage_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  Status write(const std::function<Status(FederationStore&)>& body) {
    return storage_->transaction([&](Transaction& tx) { return body(tx.federation()); });
  }
  template <typename T>
  T read(const std::function<Result<T>(FederationStore&)>& body) {
    T out{};
    Status st = storage_->read([&](Transaction& tx) -> Status {
      auto r = body(tx.federation());
      if (!r.ok()) return r.status();
      out = std::move(*r);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.to_string();
    return out;
  }
  std::vector<FederationPartner> partners() {
    return read<std::vector<FederationPartner>>(
        [](FederationStore& f) { return f.list_partners(); });
  }
  std::vector<std::string> files(const std::string& partner) {
    return read<std::vector<std::string>>(
        [&](FederationStore& f) { return f.imported_files(partner); });
  }
  std::vector<KeyProvenance> provenance(const std::vector<KeyData>& keys) {
    return read<std::vector<KeyProvenance>>(
        [&](FederationStore& f) { return f.find_provenance(keys); });
  }
  static std::vector<KeyData> random_keys(int n) {
    std::vector<KeyData> keys(static_cast<size_t>(n));
    for (KeyData& k : keys) crypto::random_bytes(k);
    return keys;
  }

  std::string dir_;
  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<Storage> storage_;
};

TEST_F(FederationStoreTest, PartnersAreAddedReplacedAndRemoved) {
  FederationPartner a{
      "a", "http://a.example/federation", {"JP", "US"}, {{"1-v1", "PEM1"}, {"1-v2", "PEM2"}}, 100};
  FederationPartner b{"b", "https://b.example/f", {"JP"}, {{"9-v1", "PEM9"}}, 200};
  ASSERT_TRUE(write([&](FederationStore& f) {
                EXPOSURE_RETURN_IF_ERROR(f.upsert_partner(b));
                return f.upsert_partner(a);
              }).ok());
  EXPECT_EQ(partners(), (std::vector<FederationPartner>{a, b}));

  // Replacing keeps created_at and the imported-file records, replaces URL, regions, keys.
  ASSERT_TRUE(write([&](FederationStore& f) {
                return f.insert_imported_file(ImportedFile{"a", "JP/1.zip", "JP", 150, 3});
              }).ok());
  FederationPartner a2{"a", "http://a2.example/federation", {"DE"}, {{"1-v3", "PEM3"}}, 999};
  ASSERT_TRUE(write([&](FederationStore& f) { return f.upsert_partner(a2); }).ok());
  a2.created_at = 100;
  EXPECT_EQ(partners(), (std::vector<FederationPartner>{a2, b}));
  EXPECT_EQ(files("a"), std::vector<std::string>{"JP/1.zip"});

  // Removing drops its file records too; removing again is kNotFound.
  ASSERT_TRUE(write([](FederationStore& f) { return f.remove_partner("a"); }).ok());
  EXPECT_EQ(partners(), std::vector<FederationPartner>{b});
  EXPECT_TRUE(files("a").empty());
  EXPECT_EQ(write([](FederationStore& f) { return f.remove_partner("a"); }).code(),
            ErrorCode::kNotFound);
}

TEST_F(FederationStoreTest, AFileIsRecordedOncePerPartnerAndExpires) {
  ImportedFile f1{"a", "JP/1.zip", "JP", 100, 5}, f2{"a", "JP/2.zip", "JP", 200, 0},
      other{"b", "JP/1.zip", "JP", 100, 1};
  ASSERT_TRUE(write([&](FederationStore& f) {
                EXPOSURE_RETURN_IF_ERROR(f.insert_imported_file(f2));
                EXPOSURE_RETURN_IF_ERROR(f.insert_imported_file(f1));
                return f.insert_imported_file(other);
              }).ok());
  EXPECT_EQ(files("a"), (std::vector<std::string>{"JP/1.zip", "JP/2.zip"}));
  EXPECT_EQ(write([&](FederationStore& f) { return f.insert_imported_file(f1); }).code(),
            ErrorCode::kAlreadyExists);
  int64_t deleted = 0;
  ASSERT_TRUE(write([&](FederationStore& f) -> Status {
                auto n = f.delete_imported_files_before(150);
                if (!n.ok()) return n.status();
                deleted = *n;
                return Status::Ok();
              }).ok());
  EXPECT_EQ(deleted, 2);
  EXPECT_EQ(files("a"), std::vector<std::string>{"JP/2.zip"});
}

TEST_F(FederationStoreTest, ProvenanceIsRecordedOnceFoundAndExpires) {
  const auto keys = random_keys(300);
  const std::vector<KeyData> first(keys.begin(), keys.begin() + 200),
      second(keys.begin() + 200, keys.end());
  ASSERT_TRUE(write([&](FederationStore& f) {
                EXPOSURE_RETURN_IF_ERROR(
                    f.insert_provenance(ImportedFile{"a", "JP/1.zip", "JP", 100, 0}, first));
                return f.insert_provenance(ImportedFile{"b", "US/7.zip", "US", 300, 0}, second);
              }).ok());
  const std::vector<KeyData> probe = {keys[0], random_keys(1)[0], keys[250]};
  auto found = provenance(probe);
  ASSERT_EQ(found.size(), 2u);
  std::sort(found.begin(), found.end(),
            [](const KeyProvenance& x, const KeyProvenance& y) { return x.partner < y.partner; });
  EXPECT_EQ(found[0], (KeyProvenance{keys[0], "a", "JP/1.zip", "JP", 100}));
  EXPECT_EQ(found[1], (KeyProvenance{keys[250], "b", "US/7.zip", "US", 300}));
  EXPECT_EQ(provenance(keys).size(), keys.size());

  // A key recorded already fails the whole insert, and its transaction leaves nothing.
  const auto fresh = random_keys(2);
  const std::vector<KeyData> with_recorded = {fresh[0], keys[5], fresh[1]};
  Status dup = write([&](FederationStore& f) {
    EXPOSURE_RETURN_IF_ERROR(f.insert_imported_file(ImportedFile{"c", "X/1.zip", "X", 400, 2}));
    return f.insert_provenance(ImportedFile{"c", "X/1.zip", "X", 400, 0}, with_recorded);
  });
  EXPECT_EQ(dup.code(), ErrorCode::kAlreadyExists) << dup.to_string();
  EXPECT_TRUE(provenance(fresh).empty());
  EXPECT_TRUE(files("c").empty());

  int64_t deleted = 0;
  ASSERT_TRUE(write([&](FederationStore& f) -> Status {
                auto n = f.delete_provenance_before(200);
                if (!n.ok()) return n.status();
                deleted = *n;
                return Status::Ok();
              }).ok());
  EXPECT_EQ(deleted, 200);
  EXPECT_EQ(provenance(keys).size(), 100u);
  EXPECT_TRUE(provenance({}).empty());
}

}  // namespace
}  // namespace exposure::server
