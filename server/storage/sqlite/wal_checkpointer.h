// Moves WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside
// the COMMIT that crosses the threshold, with the connection's lock held and an fsync, so
// every writer queued behind it waits. The serving connection turns it off
// (wal_autocheckpoint=0) and this thread, on a connection of its own, runs a PASSIVE
// checkpoint (which never blocks readers or the writer) every `period_ms`. Writers keep
// appending while it copies, so such a checkpoint never catches up and the WAL would grow
// without end (each new page zero-filled by the kernel); a second PASSIVE checkpoint with
// the serving connection's lock held copies the few frames added meanwhile, so the next
// writer can start the WAL over. The database file and the WAL are synced between the two,
// so the fsyncs that the second checkpoint does with the lock held have little left to do.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace exposure::server::sqlite {

class WalCheckpointer {
 public:
  // Starts checkpointing the database file at `path`; does nothing if it cannot be opened
  // (the serving connection's automatic checkpoint should then stay on: see started()).
  // `writer_mutex` is the lock the serving connection holds while it writes.
  WalCheckpointer(const std::string& path, int period_ms, std::mutex& writer_mutex);
  // Stops the thread and closes its connection.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  bool started() const { return db_ != nullptr; }

 private:
  void loop();
  // Syncs the database file (SQLITE_FCNTL_FILE_POINTER) or the WAL
  // (SQLITE_FCNTL_JOURNAL_POINTER) of the checkpointing connection; errors are left to the
  // checkpoint's own sync.
  void sync_file(int which);

  sqlite3* db_ = nullptr;
  const int period_ms_;
  std::mutex& writer_mutex_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace exposure::server::sqlite
