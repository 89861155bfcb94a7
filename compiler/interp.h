/* interp.h - the reference interpreter: the semantic oracle (SPEC §6).
 *
 * Consumes: a checked IrAgreement (no errors) and a case, a Value of the
 * vocabulary's `case` record.  Produces: for one question and its
 * arguments, an Outcome: decided (a value and the rule(s) that decided it),
 * conflict (two rules of the same standing with different answers),
 * undetermined (no rule applies), not covered (outside the agreement's
 * time, personal or material scope) or error (an arithmetic failure such as
 * an overflow or two currencies added together), never a crash.
 * It evaluates the IR directly and simply, so that it can be the oracle the
 * LLVM back end and the conflict checker are tested against: no caching
 * across questions, no optimisation, exact arithmetic only.
 * Memory: an Interp owns a value stack and scratch buffers, freed by
 * interp_free; Outcome values may point into the case or the IR, never into
 * the Interp.  An Interp is not thread-safe; use one per thread.
 */
#ifndef ACCORD_INTERP_H
#define ACCORD_INTERP_H
#include "ir.h"

/* SPEC §6.3: at most this many agreeing rules are cited for one answer */
#define OUTCOME_MAX_RULES 16

typedef struct Outcome {
    OutcomeKind kind;
    Value value;                 /* OUT_DECIDED */
    int nrules;                  /* deciding rules (decided, all agreeing), or the two in conflict */
    const IrRule *rules[OUTCOME_MAX_RULES];
    Value values[2];             /* OUT_CONFLICT: the two answers */
    char reason[256];            /* for not covered, undetermined, error; empty otherwise */
} Outcome;

typedef struct Interp Interp;
Interp *interp_new(const IrAgreement *ag);
void interp_free(Interp *in);
/* args: one Value per question parameter */
Outcome interp_ask(Interp *in, const Value *kase, const IrQuestion *q, const Value *args);
/* "Art. 12(1)" or "Art. 12(1), Art. 13(1)" for the deciding rules */
void outcome_cites(const Outcome *o, char *buf, size_t n);
#endif
