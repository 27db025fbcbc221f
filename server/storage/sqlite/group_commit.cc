#include "storage/sqlite/group_commit.h"

#include "storage/sqlite/sqlite_storage.h"

namespace exposure::server::sqlite {

Status GroupCommit::run(const Body& body) {
  Pending me;
  me.body = &body;
  std::unique_lock<std::mutex> lock(queue_mutex_);
  queue_.push_back(&me);
  while (!me.done) {
    if (leader_active_ || queue_.front() != &me) {
      me.wake.wait(lock);
      continue;
    }
    leader_active_ = true;
    std::vector<Pending*> batch;
    batch.swap(queue_);
    lock.unlock();
    run_batch(batch);
    lock.lock();
    for (Pending* p : batch) {
      p->done = true;
      if (p != &me) p->wake.notify_one();
    }
    leader_active_ = false;
    if (!queue_.empty()) queue_.front()->wake.notify_one();
  }
  lock.unlock();
  if (me.exception) std::rethrow_exception(me.exception);
  return me.status;
}

bool GroupCommit::run_member(Pending& member, Transaction& tx) {
  try {
    member.status = (*member.body)(tx);
  } catch (...) {
    member.exception = std::current_exception();
    member.status = Status(ErrorCode::kInternal, "transaction body threw");
  }
  return member.status.ok();
}

void GroupCommit::run_batch(const std::vector<Pending*>& batch) {
  std::lock_guard<std::mutex> db_lock(db_mutex_);
  Status begin = db_.run("BEGIN IMMEDIATE");
  if (!begin.ok()) {
    for (Pending* p : batch) p->status = begin;
    return;
  }
  SqliteTransaction tx(db_);
  if (batch.size() == 1) {  // alone: no savepoint needed
    if (!run_member(*batch[0], tx)) {
      (void)db_.run("ROLLBACK");
      return;
    }
  } else {
    for (size_t i = 0; i < batch.size(); ++i) {
      Pending& member = *batch[i];
      // A failed statement may have ended the whole transaction (I/O error, disk full):
      // then no further body may run, as it would autocommit statement by statement.
      if (sqlite3_get_autocommit(db_.handle())) {
        member.status = Status(ErrorCode::kIoError, "sqlite: transaction aborted by an earlier statement");
        continue;
      }
      Status savepoint = db_.run("SAVEPOINT member");
      if (!savepoint.ok()) {
        member.status = savepoint;
        continue;
      }
      if (run_member(member, tx)) {
        Status released = db_.run("RELEASE member");
        if (!released.ok()) member.status = released;
      } else if (!sqlite3_get_autocommit(db_.handle())) {
        (void)db_.run("ROLLBACK TO member");
        (void)db_.run("RELEASE member");
      }
    }
  }
  Status commit = sqlite3_get_autocommit(db_.handle())
                      ? Status(ErrorCode::kIoError, "sqlite: transaction aborted by an earlier statement")
                      : db_.run("COMMIT");
  if (!commit.ok()) {
    if (!sqlite3_get_autocommit(db_.handle())) (void)db_.run("ROLLBACK");
    for (Pending* p : batch) {
      if (p->status.ok()) p->status = commit;
    }
  }
}

}  // namespace exposure::server::sqlite
