// Group commit: write transactions that threads start at the same time are run as one
// SQLite transaction, so they share one BEGIN, one COMMIT and one write of each page they
// both touch (index tails, interior pages) to the WAL.
//
// The first caller to find no batch running becomes the leader: it takes every body
// queued so far and runs them one after the other on its thread, each inside its own
// SAVEPOINT (a body that fails is rolled back alone), then commits once, wakes the
// callers of the batch and hands the lead to the first caller queued meanwhile (callers
// arriving while a batch runs queue for the next one). Each caller gets the status of its
// own body, or the COMMIT's error when the commit failed (then nothing of the batch is
// stored). An exception thrown by a body is rethrown in its own caller's thread.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

#include "exposure/status.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/storage.h"

namespace exposure::server::sqlite {

class GroupCommit {
 public:
  using Body = std::function<Status(Transaction&)>;
  // `db_mutex` serialises every use of `db` (reads take it too).
  GroupCommit(Database& db, std::mutex& db_mutex) : db_(db), db_mutex_(db_mutex) {}

  // Runs `body` in a write transaction, batched with concurrent callers.
  Status run(const Body& body);

 private:
  struct Pending {
    const Body* body = nullptr;
    Status status;
    std::exception_ptr exception;
    bool done = false;
    // Signalled when `done` is set, or when this caller heads the queue and no batch runs
    // (it then leads the next one): only the threads that have something to do wake.
    std::condition_variable wake;
  };
  void run_batch(const std::vector<Pending*>& batch);
  // Runs one body and records its outcome; true when it succeeded.
  static bool run_member(Pending& member, Transaction& tx);

  Database& db_;
  std::mutex& db_mutex_;
  std::mutex queue_mutex_;
  std::vector<Pending*> queue_;
  bool leader_active_ = false;
};

}  // namespace exposure::server::sqlite
