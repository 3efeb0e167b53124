// Helper threads that stay awake for a short while after a parallel region,
// so that the next region starts without waking anyone.
//
// Why: a prange inside a serial loop (Floyd-Warshall's rows for each k,
// Gaussian elimination's row updates for each pivot) runs hundreds of regions
// of a few microseconds each. Through TBB alone, every region went back to
// TBB's market to have its sleeping worker woken (2-4 us on this machine's
// VMs), and two threads ran such loops slower than one. A helper that spins
// on the team's region counter joins a new region within a few hundred
// nanoseconds. The helpers are TBB tasks in the pool's arena (TBB's own
// threads, no second pool) that return to TBB once they have seen no region
// for kLingerMicroseconds.
#pragma once

#include <oneapi/tbb/task_arena.h>

#include "numjit/runtime/chunk_claims.h"

namespace numjit::runtime {

// Runs `claims` on the calling thread and up to `helpers` helper threads of
// `arena`, and returns once every chunk has finished. Returns false, having
// run nothing, where the team is already running a region (a prange nested
// in a chunk, or another Python thread's region): the caller then goes
// through TBB's own scheduling.
bool run_on_team(ChunkClaims& claims, int helpers, tbb::task_arena& arena);

// Sends the lingering helpers back to TBB and waits (briefly) for them: before
// fork(), whose child must not inherit a spinning thread's state.
void dismiss_team();

// In a fork()'s child, which has none of the parent's helper threads: the
// team starts empty and free.
void forget_team();

}  // namespace numjit::runtime
