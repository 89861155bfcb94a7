/* checker.h - the conflict and gap checker (SPEC §13): `accord conflicts`, `diff`, `gaps --against`.
 *
 * Consumes: checked agreements (driver.h), never modified.  Produces:
 * findings as jansson objects in the shared schema (findings-schema.md):
 * conflicts, gaps, dead rules, two/no legislations inside an agreement;
 * conflicts between agreements; every region where two agreements (or two
 * versions of one) answer differently; unequal treatment of the parties'
 * nationals; cases where an agreement falls below a minimum standard.
 * Method: each rule's applicability is translated into boxes (box.h) over
 * the question's arguments, the scalar facts of the case (date, residence,
 * role, ...) and "atoms", the sub-conditions that are not boxes (a
 * comprehension over a list, a comparison of two facts, a nested question),
 * each abstracted as a free boolean.  The default logic of SPEC §6.3 is then
 * computed on boxes: the exact region each rule decides.  Candidate regions
 * are exact when no atom occurs (the box fragment, SPEC §13.3) and
 * over-approximations otherwise.
 * Guarantees: no finding is reported unless a concrete witness case,
 * evaluated by the reference interpreter (interp_ask) or, between
 * agreements, by the evaluation engine (eval.h), reproduces it; a candidate
 * region for which no witness is found is listed under "unconfirmed" with
 * its region, never dropped silently (and never counted as a finding).
 * Memory: results are owned by the caller (json_decref); everything else
 * lives in a private arena freed before returning.
 */
#ifndef ACCORD_CHECKER_H
#define ACCORD_CHECKER_H
#include "driver.h"
#include <jansson.h>

typedef struct CheckerOptions {
    const char *question;   /* only this question; NULL: every question */
    int budget;             /* witness search: cases tried per candidate; <= 0: default */
    bool no_between;        /* conflicts: skip the pairs of agreements */
    bool no_equal;          /* conflicts: skip the equal-treatment proof */
    bool no_z3;             /* do not ask Z3 about regions the witness search leaves (faster; more stay unconfirmed) */
    bool one_worker;        /* conflicts: one process (else two workers, SPEC §13.3) */
    bool thorough;          /* Z3 asked harder (SPEC §13.3 --thorough): the calendar functions when a model does not
                               replay, a query that is no proof asked again of its parts inside the fragment; slower */
} CheckerOptions;

/* `accord conflicts`: findings inside each agreement of lib, between each
 * pair that overlaps, and unequal treatment.  Returns
 * {"findings": [...], "unconfirmed": [...], "summary": {...}}. */
json_t *checker_conflicts_json(const Loaded *lib, const CheckerOptions *opt);
/* `accord diff`: every region where A and B answer differently.  A and B
 * may come from two Loaded sets (two versions with the same id). */
json_t *checker_diff_json(const Loaded *la, const IrAgreement *a, const Loaded *lb, const IrAgreement *b,
                          const CheckerOptions *opt);
/* `accord gaps --against`: the cases where agreement `a` answers below the
 * standard `std` (a decided answer of the standard that the agreement does
 * not give, or gives less favourably). */
json_t *checker_against_json(const Loaded *ls, const IrAgreement *std, const Loaded *la, const IrAgreement *a,
                             const CheckerOptions *opt);
/* Merge the findings of src into dst (both result objects); src is consumed. */
void checker_merge(json_t *dst, json_t *src);
/* The readable form of a result object; returns the number of
 * unacknowledged findings. */
int checker_print(json_t *result, FILE *out);
#endif
