// Fault-injection hook of the store's write transactions, for crash tests: a test sets a hook
// and the transaction layer (sqlite_db.cc) calls it at named points of every write
// transaction, so a test can kill the process at a point it chooses instead of by timing.
// Internal to the library (not part of include/exposure/); no hook is set unless a test sets
// one.
//
// Contract:
// - Every write transaction of every store (Transaction::begin with Kind::kWrite: ingesting
//   sightings, saving own keys, rotating the key, retention, schema set-up, and any state
//   written the same way later) passes through the same points, in this order:
//     kBegun       once, when BEGIN IMMEDIATE has taken the write lock; writes == 0.
//     kWrote       after each write that finished, writes == 1, 2, ...: a statement that can
//                  modify the database (INSERT, UPDATE, DELETE, DDL) stepped to completion,
//                  or one Database::exec call, inside the transaction.
//     kCommitting  once every write is done, just before COMMIT; writes == their total.
//     kCommitted   once COMMIT returned (the transaction is durable); writes == their total.
//   A transaction that rolls back (an error, or nothing to change) stops after its last
//   kWrote. Read transactions call no hook.
// - The same transaction on the same store contents passes the same points with the same
//   counts, so "kill after write 3 of the first transaction" names one place.
// - The hook runs on the thread that writes, inside the transaction: it must not use the
//   store. It may end the process (raise(SIGKILL) simulates kill -9 at that point).
// - set_write_hook affects every store in the process; nullptr removes the hook. Set it
//   while no transaction runs.
#pragma once

#include <cstdint>

namespace exposure::store_internal {

enum class WritePoint { kBegun, kWrote, kCommitting, kCommitted };

using WriteHook = void (*)(WritePoint point, uint64_t writes);

// Installs `hook` (nullptr: none) for every write transaction in the process.
void set_write_hook(WriteHook hook);

// Calls the installed hook, if any (the transaction layer's side of the contract).
void call_write_hook(WritePoint point, uint64_t writes);

}  // namespace exposure::store_internal
