/* crosscheck.h - differential testing of the LLVM back end (SPEC §14.5).
 *
 * Consumes: checked agreements (driver.h).  For each, compiles it (JIT),
 * draws cases from the boundary-biased generator (gencases.h) and asks
 * every question -- with argument tuples drawn from the parties, one
 * state that is not a party, and every branch -- of both the reference
 * interpreter (the oracle) and the compiled code.  Produces: the number of
 * questions compared and, for every difference in outcome kind, value,
 * deciding rules, conflict values or message (and, on a sample of cases,
 * in the trace), a report with the case in JSON so that it can become a
 * regression test.  Zero differences is the only passing result.
 */
#ifndef ACCORD_CROSSCHECK_H
#define ACCORD_CROSSCHECK_H
#include "driver.h"

typedef struct CrossOptions {
    long cases;          /* per agreement */
    uint64_t seed;
    int trace_every;     /* compare traces on every n-th case (0: never) */
    int max_reports;     /* differences printed in full, per agreement */
    int jobs;            /* threads (agreements are checked in parallel) */
} CrossOptions;

typedef struct CrossStats {
    long cases, asks, traces, mismatches;
} CrossStats;

/* Returns false if an agreement could not be compiled (message on out). */
bool crosscheck(const Loaded *l, const CrossOptions *opt, FILE *out, CrossStats *st);
#endif
