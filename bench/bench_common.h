/* bench_common.h - what the benchmark programs share (bench/README.md).
 *
 * now(): a monotonic clock in seconds.  run_compiled(): the timed loop of
 * single-case asks of a compiled evaluator over an array of cases in its ABI
 * layout, a function apart (noinline) so that `valgrind --tool=callgrind
 * "--toggle-collect=run_*" build/<bench> N` counts the compiled asks alone
 * (divide by reps * N); each program's run_hand counts its hand-written C.
 * Header-only: each benchmark is one program (one that times no compiled
 * asks leaves run_compiled unused).
 */
#ifndef ACCORD_BENCH_COMMON_H
#define ACCORD_BENCH_COMMON_H
#include "accord.h"
#include <time.h>

static inline double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline, unused)) static long run_compiled(acc_ask_fn ask, const void *const *cases, long n, int reps) {
    long sink = 0;
    for (int r = 0; r < reps; r++)
        for (long i = 0; i < n; i++) {
            acc_result res;
            ask(cases[i], NULL, &res);
            sink += res.value.i;
        }
    return sink;
}
#endif
