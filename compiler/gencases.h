/* gencases.h - random cases biased toward the agreements' boundary values.
 *
 * Consumes: the checked vocabulary and agreements (driver.h).  gen_new
 * collects their boundary values (dates, durations, percentages, amounts,
 * ints, parties); gen_next walks the vocabulary's `case` record type and
 * draws every field, mostly from those values, so that a run of cases
 * crosses every threshold of every agreement from both sides.
 * Produces: an unbounded stream of `case` Values, each valid input:
 * case_to_json, then case_from_json, gives the same case back.
 * Memory: the Generator owns its pools (gen_free); the vocabulary must
 * outlive it, the agreements need not; each case lives in the caller's arena.
 * Determinism: xoshiro256** seeded by splitmix64, no global state: a seed
 * gives the same cases on every platform, whatever GenOptions.count.
 */
#ifndef ACCORD_GENCASES_H
#define ACCORD_GENCASES_H
#include "ir.h"
#include <stddef.h>
#include <stdint.h>

typedef struct GenOptions {
    uint64_t seed;
    long count;  /* how many cases the caller means to draw (informational: gen_next never stops) */
} GenOptions;

typedef struct Generator Generator;

/* Collect boundary values from the agreements: every date literal and parameter value
   (and each of them +-1 day / +-1 month), every months/days/percent/money/int constant in
   rule conditions and values (and +-1 unit), the agreements' entry-into-force, termination,
   party accession/withdrawal and protocol dates (and the day before), their parties.
   nag may be 0 (the pools then hold a few generic values). */
Generator *gen_new(const IrVocabulary *voc, const IrAgreement **ags, int nag, const GenOptions *opt);
/* The next case as a Value of the vocabulary's `case` record, allocated in `a`; its id
   ("g<seed>-<n>") is written to id (idlen bytes, may be NULL/0). Deterministic for a seed. */
Value gen_next(Generator *g, Arena *a, char *id, size_t idlen);
void gen_free(Generator *g);
#endif
