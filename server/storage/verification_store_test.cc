// The VerificationStore contract (verification_store.h) on the test run's backend.
#include "storage/verification_store.h"

#include <gtest/gtest.h>

#include "tests/storage_fixture.h"

namespace exposure::server {
namespace {

using testing::StorageTest;

class VerificationStoreTest : public StorageTest {
 protected:
  static VerificationCode code(int64_t expires_at) {
    VerificationCode c;
    c.code_hash = random_hash();
    c.uuid = "uuid-" + std::to_string(expires_at);
    c.health_authority_id = 3;
    c.test_type = "likely";
    c.symptom_date = "2024-05-01";
    c.issued_at = 100;
    c.expires_at = expires_at;
    return c;
  }
  static VerificationToken token(int64_t expires_at) {
    VerificationToken t;
    t.token_hash = random_hash();
    t.health_authority_id = 3;
    t.test_type = "confirmed";
    t.test_date = "2024-05-02";
    t.issued_at = 100;
    t.expires_at = expires_at;
    return t;
  }
  std::optional<VerificationCode> find_code(const Hash& h) {
    return read([&](Transaction& tx) { return tx.verification().find_code(h); });
  }
  std::optional<VerificationToken> find_token(const Hash& h) {
    return read([&](Transaction& tx) { return tx.verification().find_token(h); });
  }
  int64_t count_failure(int64_t window) {
    int64_t count = -1;
    EXPECT_TRUE(write([&](Transaction& tx) -> Status {
                  auto c = tx.verification().count_code_failure(window);
                  if (!c.ok()) return c.status();
                  count = *c;
                  return Status::Ok();
                }).ok());
    return count;
  }
};

Status status_of(const Result<int64_t>& r) { return r.ok() ? Status::Ok() : r.status(); }

TEST_F(VerificationStoreTest, HealthAuthoritiesByKeyHashAndRevocation) {
  const Hash key = random_hash();
  ASSERT_TRUE(write([&](Transaction& tx) {
                return status_of(tx.verification().insert_health_authority("Lab", key, 1));
              }).ok());
  // The name or the key taken: kAlreadyExists.
  EXPECT_EQ(write([&](Transaction& tx) {
              return status_of(tx.verification().insert_health_authority("Lab", random_hash(), 1));
            }).code(),
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(write([&](Transaction& tx) {
              return status_of(tx.verification().insert_health_authority("Other", key, 1));
            }).code(),
            ErrorCode::kAlreadyExists);
  auto find_ha = [&]() {
    return read(
        [&](Transaction& tx) { return tx.verification().find_health_authority_by_key(key); });
  };
  ASSERT_TRUE(find_ha().has_value());
  EXPECT_EQ(find_ha()->name, "Lab");
  EXPECT_FALSE(read([&](Transaction& tx) {
                 return tx.verification().find_health_authority_by_key(random_hash());
               }).has_value());
  ASSERT_TRUE(write([&](Transaction& tx) {
                return tx.verification().revoke_health_authority("Lab", 2);
              }).ok());
  EXPECT_FALSE(find_ha().has_value());
  EXPECT_EQ(write([&](Transaction& tx) {
              return tx.verification().revoke_health_authority("Lab", 3);
            }).code(),
            ErrorCode::kNotFound);
  ASSERT_TRUE(write([&](Transaction& tx) {
                return status_of(
                    tx.verification().insert_health_authority("Clinic", random_hash(), 4));
              }).ok());
  auto all = read([](Transaction& tx) { return tx.verification().list_health_authorities(); });
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "Lab");
  EXPECT_EQ(all[0].revoked_at, std::optional<int64_t>(2));
  EXPECT_EQ(all[1].name, "Clinic");
  EXPECT_LT(all[0].id, all[1].id);
  EXPECT_FALSE(all[1].revoked_at.has_value());
}

TEST_F(VerificationStoreTest, AppsAreReplacedListedAndRemoved) {
  ASSERT_TRUE(
      write([](Transaction& tx) -> Status {
        EXPOSURE_RETURN_IF_ERROR(tx.verification().upsert_app(AuthorizedApp{"org.b", {"JP"}}));
        EXPOSURE_RETURN_IF_ERROR(tx.verification().upsert_app(AuthorizedApp{"org.a", {}}));
        return tx.verification().upsert_app(AuthorizedApp{"org.b", {"JP", "US"}});
      }).ok());
  auto b = read([](Transaction& tx) { return tx.verification().find_app("org.b"); });
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->regions, (std::vector<std::string>{"JP", "US"}));
  auto all = read([](Transaction& tx) { return tx.verification().list_apps(); });
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].app_id, "org.a");
  EXPECT_TRUE(all[0].regions.empty());
  ASSERT_TRUE(write([](Transaction& tx) { return tx.verification().remove_app("org.b"); }).ok());
  EXPECT_FALSE(
      read([](Transaction& tx) { return tx.verification().find_app("org.b"); }).has_value());
  EXPECT_EQ(write([](Transaction& tx) { return tx.verification().remove_app("org.b"); }).code(),
            ErrorCode::kNotFound);
}

TEST_F(VerificationStoreTest, CodesAreSingleUse) {
  const VerificationCode c = code(1000);
  ASSERT_TRUE(write([&](Transaction& tx) { return tx.verification().insert_code(c); }).ok());
  EXPECT_EQ(write([&](Transaction& tx) { return tx.verification().insert_code(c); }).code(),
            ErrorCode::kAlreadyExists);
  auto found = find_code(c.code_hash);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->uuid, c.uuid);
  EXPECT_EQ(found->health_authority_id, 3);
  EXPECT_EQ(found->test_type, "likely");
  EXPECT_EQ(found->symptom_date, "2024-05-01");
  EXPECT_EQ(found->test_date, "");
  EXPECT_EQ(found->expires_at, 1000);
  EXPECT_FALSE(found->claimed_at.has_value());
  EXPECT_TRUE(
      write([&](Transaction& tx) { return tx.verification().claim_code(c.code_hash, 5); }).ok());
  EXPECT_EQ(
      write([&](Transaction& tx) { return tx.verification().claim_code(c.code_hash, 6); }).code(),
      ErrorCode::kFailedPrecondition);
  EXPECT_EQ(find_code(c.code_hash)->claimed_at, std::optional<int64_t>(5));
  EXPECT_FALSE(find_code(random_hash()).has_value());
}

TEST_F(VerificationStoreTest, TokensAreSingleUse) {
  const VerificationToken t = token(1000);
  ASSERT_TRUE(write([&](Transaction& tx) { return tx.verification().insert_token(t); }).ok());
  EXPECT_EQ(write([&](Transaction& tx) { return tx.verification().insert_token(t); }).code(),
            ErrorCode::kAlreadyExists);
  auto found = find_token(t.token_hash);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->test_type, "confirmed");
  EXPECT_EQ(found->test_date, "2024-05-02");
  EXPECT_FALSE(found->used_at.has_value());
  EXPECT_TRUE(
      write([&](Transaction& tx) { return tx.verification().use_token(t.token_hash, 7); }).ok());
  EXPECT_EQ(
      write([&](Transaction& tx) { return tx.verification().use_token(t.token_hash, 8); }).code(),
      ErrorCode::kFailedPrecondition);
  EXPECT_EQ(find_token(t.token_hash)->used_at, std::optional<int64_t>(7));
}

TEST_F(VerificationStoreTest, CodeFailuresCountPerWindow) {
  EXPECT_EQ(count_failure(3600), 1);
  EXPECT_EQ(count_failure(3600), 2);
  EXPECT_EQ(count_failure(7200), 1);
  EXPECT_EQ(read([](Transaction& tx) { return tx.verification().code_failures(3600); }), 2);
  EXPECT_EQ(read([](Transaction& tx) { return tx.verification().code_failures(10800); }), 0);
}

TEST_F(VerificationStoreTest, ExpiredSecretsAreDeleted) {
  const VerificationCode old_code = code(999), live_code = code(1000);
  const VerificationToken old_token = token(500), live_token = token(2000);
  ASSERT_TRUE(write([&](Transaction& tx) -> Status {
                EXPOSURE_RETURN_IF_ERROR(tx.verification().insert_code(old_code));
                EXPOSURE_RETURN_IF_ERROR(tx.verification().insert_code(live_code));
                EXPOSURE_RETURN_IF_ERROR(tx.verification().insert_token(old_token));
                return tx.verification().insert_token(live_token);
              }).ok());
  count_failure(0);
  count_failure(1000);
  int64_t deleted = 0;
  ASSERT_TRUE(write([&](Transaction& tx) -> Status {
                auto d = tx.verification().delete_expired_secrets(1000);
                if (!d.ok()) return d.status();
                deleted = *d;
                return Status::Ok();
              }).ok());
  EXPECT_EQ(deleted, 3);
  EXPECT_FALSE(find_code(old_code.code_hash).has_value());
  EXPECT_TRUE(find_code(live_code.code_hash).has_value());
  EXPECT_FALSE(find_token(old_token.token_hash).has_value());
  EXPECT_TRUE(find_token(live_token.token_hash).has_value());
  EXPECT_EQ(read([](Transaction& tx) { return tx.verification().code_failures(0); }), 0);
  EXPECT_EQ(read([](Transaction& tx) { return tx.verification().code_failures(1000); }), 1);
}

TEST_F(VerificationStoreTest, OneJwtKeyPerPurpose) {
  EXPECT_FALSE(
      read([](Transaction& tx) { return tx.verification().find_jwt_key("token"); }).has_value());
  const JwtKeyRecord key{"token", "kid-1", Bytes{9, 8, 7}, 42};
  ASSERT_TRUE(write([&](Transaction& tx) { return tx.verification().insert_jwt_key(key); }).ok());
  EXPECT_EQ(write([&](Transaction& tx) {
              return tx.verification().insert_jwt_key(JwtKeyRecord{"token", "kid-2", Bytes{1}, 43});
            }).code(),
            ErrorCode::kAlreadyExists);
  auto found = read([](Transaction& tx) { return tx.verification().find_jwt_key("token"); });
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->kid, "kid-1");
  EXPECT_EQ(found->sealed_private_key, (Bytes{9, 8, 7}));
  EXPECT_EQ(found->created_at, 42);
  EXPECT_FALSE(read([](Transaction& tx) {
                 return tx.verification().find_jwt_key("certificate");
               }).has_value());
}

TEST_F(VerificationStoreTest, ConcurrentStartsCreateOneJwtKey) {
  // Each "instance" finds the key or creates it when absent, as the verification service does.
  std::atomic<int> created{0};
  concurrently(4, [&](Storage& s, int i) {
    bool create = false;
    Status st = s.transaction([&](Transaction& tx) -> Status {
      auto found = tx.verification().find_jwt_key("certificate");
      if (!found.ok()) return found.status();
      create = !found->has_value();
      if (!create) return Status::Ok();
      return tx.verification().insert_jwt_key(
          JwtKeyRecord{"certificate", "kid-" + std::to_string(i), Bytes{1}, 1});
    });
    EXPECT_TRUE(st.ok()) << st.to_string();
    if (create && st.ok()) ++created;
  });
  EXPECT_EQ(created, 1);
}

TEST_F(VerificationStoreTest, SigningKeysNewestFirst) {
  ASSERT_TRUE(write([](Transaction& tx) -> Status {
                EXPOSURE_RETURN_IF_ERROR(tx.verification().insert_signing_key(
                    SigningKeyRecord{"440", "v1", Bytes{1, 2}, "pem1", 10, true}));
                EXPOSURE_RETURN_IF_ERROR(tx.verification().insert_signing_key(
                    SigningKeyRecord{"440", "v2", Bytes{3}, "pem2", 10, true}));
                EXPOSURE_RETURN_IF_ERROR(tx.verification().insert_signing_key(
                    SigningKeyRecord{"310", "v1", Bytes{4}, "pem3", 5, true}));
                return tx.verification().set_signing_key_active("440", "v1", false);
              }).ok());
  EXPECT_EQ(write([](Transaction& tx) {
              return tx.verification().insert_signing_key(
                  SigningKeyRecord{"440", "v2", Bytes{5}, "pem4", 11, true});
            }).code(),
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(write([](Transaction& tx) {
              return tx.verification().set_signing_key_active("440", "v9", true);
            }).code(),
            ErrorCode::kNotFound);
  auto keys = read([](Transaction& tx) { return tx.verification().list_signing_keys(); });
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0].key_version, "v2");  // created_at 10, inserted after v1
  EXPECT_EQ(keys[1].key_version, "v1");
  EXPECT_EQ(keys[1].sealed_private_key, (Bytes{1, 2}));
  EXPECT_EQ(keys[1].public_key_pem, "pem1");
  EXPECT_FALSE(keys[1].active);
  EXPECT_EQ(keys[2].key_id, "310");  // created_at 5
  EXPECT_TRUE(keys[2].active);
}

TEST_F(VerificationStoreTest, ConcurrentClaimsOfOneCodeHaveOneWinner) {
  const VerificationCode c = code(1000);
  ASSERT_TRUE(write([&](Transaction& tx) { return tx.verification().insert_code(c); }).ok());
  std::atomic<int> claimed{0}, refused{0};
  concurrently(6, [&](Storage& s, int) {
    Status st = s.transaction([&](Transaction& tx) -> Status {
      auto found = tx.verification().find_code(c.code_hash);
      if (!found.ok()) return found.status();
      if (!*found || (*found)->claimed_at)
        return Status(ErrorCode::kFailedPrecondition, "seen claimed");
      return tx.verification().claim_code(c.code_hash, 5);
    });
    if (st.ok())
      ++claimed;
    else if (st.code() == ErrorCode::kFailedPrecondition)
      ++refused;
    else
      ADD_FAILURE() << st.to_string();
  });
  EXPECT_EQ(claimed, 1);
  EXPECT_EQ(refused, 5);
}

}  // namespace
}  // namespace exposure::server
