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

/* ---- tracing (SPEC §12.6, `accord explain`) ------------------------------
 * With a Trace attached, the interpreter records what it did: each rule it
 * considered and why it did or did not answer (for a false `and` condition,
 * the first conjunct that failed), which exception replaced which rule, and
 * every arithmetic step on amounts and ratios.  Without one it records
 * nothing and pays one pointer test per rule. */
typedef enum {
    TR_ASK,          /* a question is asked (depth increases) */
    TR_ANSWER,       /* its outcome (depth decreases) */
    TR_NOT_IN_FORCE, /* rule outside its validity on the date */
    TR_HEAD_MISMATCH,/* a head pattern differs from the argument */
    TR_COND_FALSE,   /* `when` is false; expr = the first false conjunct */
    TR_DECIDED,      /* the rule answers value */
    TR_FAILED,       /* the rule's evaluation failed (outcome) */
    TR_OVERRIDDEN,   /* rule replaced by its exception `by` */
    TR_ARITH,        /* expr = a op b gives value (amounts, ratios, rounding) */
    TR_FACT          /* a fact of the case was read: field index in `slot` */
} TraceKind;

typedef struct TraceEvent {
    TraceKind kind;
    int depth;
    int slot;
    const IrQuestion *q;
    const IrRule *rule, *by;
    const IrExpr *expr;
    Value args[2];
    Value a, b, value;
    OutcomeKind outcome;
} TraceEvent;

typedef struct Trace {
    TraceEvent *ev;
    size_t n, cap;
    int depth;
} Trace;

void trace_free(Trace *t);

typedef struct Interp Interp;
Interp *interp_new(const IrAgreement *ag);
void interp_free(Interp *in);
/* Record into t (NULL: stop recording).  The caller owns t. */
void interp_set_trace(Interp *in, Trace *t);
/* args: one Value per question parameter */
Outcome interp_ask(Interp *in, const Value *kase, const IrQuestion *q, const Value *args);
/* Whether the case's person is within the agreement's personal scope on the
 * case's date (false also when the agreement is not in force then, or a
 * scope clause fails to evaluate). */
bool interp_in_personal_scope(Interp *in, const Value *kase);
/* "Art. 12(1)" or "Art. 12(1), Art. 13(1)" for the deciding rules */
void outcome_cites(const Outcome *o, char *buf, size_t n);
#endif
