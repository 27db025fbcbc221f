// The LeaseStore contract (lease_store.h) on the test run's backend.
#include "storage/lease_store.h"

#include <gtest/gtest.h>

#include "tests/storage_fixture.h"

namespace exposure::server {
namespace {

using testing::StorageTest;

class LeaseStoreTest : public StorageTest {
 protected:
  bool acquire(const char* name, const char* holder, int64_t now) {
    bool held = false;
    EXPECT_TRUE(write([&](Transaction& tx) -> Status {
                  auto r = tx.leases().acquire_lease(name, holder, now, now + 100);
                  if (!r.ok()) return r.status();
                  held = *r;
                  return Status::Ok();
                }).ok());
    return held;
  }
  void release(const char* name, const char* holder) {
    EXPECT_TRUE(
        write([&](Transaction& tx) { return tx.leases().release_lease(name, holder); }).ok());
  }
};

TEST_F(LeaseStoreTest, OneHolderUntilItExpires) {
  EXPECT_TRUE(acquire("export", "a", 1000));   // free
  EXPECT_FALSE(acquire("export", "b", 1050));  // a holds it until 1100
  EXPECT_TRUE(acquire("export", "a", 1050));   // renewal: until 1150
  EXPECT_FALSE(acquire("export", "b", 1149));
  EXPECT_TRUE(acquire("export", "b", 1150));  // expired
  EXPECT_FALSE(acquire("export", "a", 1160));
  release("export", "a");
  EXPECT_FALSE(acquire("export", "c", 1170));  // a's release did not free b's lease
  release("export", "b");
  EXPECT_TRUE(acquire("export", "c", 1170));
}

TEST_F(LeaseStoreTest, LeasesOfDifferentNamesAreIndependent) {
  EXPECT_TRUE(acquire("export", "a", 1000));
  EXPECT_TRUE(acquire("federation-pull", "b", 1000));
  EXPECT_FALSE(acquire("federation-pull", "a", 1010));
  release("export", "a");
  EXPECT_FALSE(acquire("federation-pull", "a", 1020));
}

TEST_F(LeaseStoreTest, ConcurrentAcquiresOfAFreeLeaseHaveOneWinner) {
  std::atomic<int> leased{0};
  concurrently(6, [&](Storage& s, int i) {
    bool held = false;
    Status st = s.transaction([&](Transaction& tx) -> Status {
      auto r = tx.leases().acquire_lease("export", "holder" + std::to_string(i), 0, 100);
      if (!r.ok()) return r.status();
      held = *r;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.to_string();
    if (held) ++leased;
  });
  EXPECT_EQ(leased, 1);
}

}  // namespace
}  // namespace exposure::server
