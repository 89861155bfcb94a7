/* gaps.h - network analysis over a library of agreements (`accord gaps`, SPEC §15).
 *
 * Consumes: checked agreements (driver.h); `standard;` files are not
 * treaties and are left out.  Produces:
 *   - corridor coverage: for each pair of states, the agreements that
 *     coordinate it (both states parties while the agreement is in force),
 *     from when to when, and for which branches (material scope clauses, with
 *     the date each branch enters);
 *   - for each corridor (and each agreement on it) a witness case in the JSON
 *     case format of SPEC §12.1, replayed in process by the evaluation engine:
 *     the agreement answers applicable_legislation, or "no agreement" does;
 *   - findings (the JSON shape of the checker's findings, kinds
 *     "not_aggregated" and "excluded_persons"), each with a witness case
 *     replayed by the reference interpreter (aggregated periods with and
 *     without one state's periods; interp_in_personal_scope).
 * Guarantees: deterministic (states in ISO order inside region groups, agreements
 * in load order); nothing claimed that the replay did not confirm: a witness
 * that does not confirm its finding is reported with "confirmed": false.
 * Memory: a Coverage is owned by the caller (coverage_free); JSON results are
 * owned by the caller (json_decref).
 * Never: changes the agreements or the vocabulary.
 */
#ifndef ACCORD_GAPS_H
#define ACCORD_GAPS_H
#include "driver.h"
#include <jansson.h>

/* One agreement coordinating one corridor. */
typedef struct CorridorLink {
    const IrAgreement *ag;
    int32_t from, until;           /* both states are parties and it is in force: [from, until) */
    bool all_branches;             /* the agreement declares no material scope */
    Value branches;                /* set of branch: in material scope at some date of [from, until) */
    int32_t branch_from[256];      /* per branch ordinal: the first such date */
} CorridorLink;

typedef struct Corridor {
    int a, b;                      /* country ordinals, a < b */
    int nlinks;
    CorridorLink *links;           /* in load order */
} Corridor;

typedef struct Coverage {
    const IrVocabulary *voc;
    int nstates;
    int states[256];               /* country ordinals, grouped by region, ISO order inside a group */
    int group_of[256];             /* per position in states[]: its region group */
    int ngroups;
    const char *group_name[64];    /* the multilateral agreement that defines the group, or "other" */
    Corridor *corridors;           /* nstates * (nstates - 1) / 2, by coverage_corridor() */
} Coverage;

/* The states: `only` if not NULL (a set of country), else every party of
 * every treaty of the library.  Regions: each agreement with more than two
 * parties is a group (largest first); a state belongs to the first group
 * that has it; the others are grouped as "other". */
Coverage *coverage_build(const Loaded *lib, const Value *only);
/* The corridor of the states at positions i != j of cov->states. */
const Corridor *coverage_corridor(const Coverage *cov, int i, int j);
void coverage_free(Coverage *cov);
/* The branches a link coordinates, "old_age, invalidity" (or "every branch"). */
void coverage_branches_text(const Coverage *cov, const CorridorLink *l, char *buf, size_t n);

/* `accord gaps`: {"schema": "accord-gaps/1", "states", "groups", "corridors",
 * "findings", "summary"} (SPEC §15).  Returns NULL (message on stderr) only
 * when the evaluation engine cannot be built. */
json_t *gaps_json(const Loaded *lib, const Value *only);
/* The same as text for a person. */
void gaps_print(json_t *gaps, FILE *out);
#endif
