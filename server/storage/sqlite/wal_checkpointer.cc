#include "storage/sqlite/wal_checkpointer.h"

#include <signal.h>

#include <chrono>

namespace exposure::server::sqlite {

WalCheckpointer::WalCheckpointer(const std::string& path, int period_ms, std::mutex& writer_mutex)
    : period_ms_(period_ms), writer_mutex_(writer_mutex) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    sqlite3_close(db_);
    db_ = nullptr;
    return;
  }
  sqlite3_busy_timeout(db_, 1000);
  // A connection finds the WAL on its first read; before that a checkpoint does nothing.
  (void)sqlite3_exec(db_, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
  thread_ = std::thread([this] {
    // A background thread: process signals (SIGTERM, SIGINT) go to the server's own handler.
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
    loop();
  });
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  sqlite3_close(db_);
}

void WalCheckpointer::sync_file(int which) {
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(db_, "main", which, &file) == SQLITE_OK && file && file->pMethods) {
    (void)file->pMethods->xSync(file, SQLITE_SYNC_NORMAL);
  }
}

void WalCheckpointer::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(period_ms_), [this] { return stopping_; })) {
    lock.unlock();
    // Busy (another checkpoint running) or an error: the next period tries again.
    (void)sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    // A checkpoint that does not reach the end of the WAL leaves the pages it copied
    // unsynced; the one below, which does, would then flush them all to disk while the
    // writers wait. Flushed here first, it only has the last few frames to sync.
    sync_file(SQLITE_FCNTL_FILE_POINTER);
    sync_file(SQLITE_FCNTL_JOURNAL_POINTER);
    {
      std::lock_guard<std::mutex> writer(writer_mutex_);
      (void)sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
    lock.lock();
  }
}

}  // namespace exposure::server::sqlite
