/* eval.h - deciding cases against a library of agreements (SPEC §12).
 *
 * Consumes: checked agreements (driver.h) and cases (caseio.h).  Produces,
 * per case: the agreements that apply to it (in force on its date, two or
 * more of the states it involves among their parties), and for each question
 * asked the combined answer, with precedence between agreements applied
 * (supersedes; yields to ... unless more favourable) and a conflict between
 * agreements reported, never resolved by an arbitrary pick.
 * The batch evaluator streams JSON Lines or CSV in and JSON Lines or CSV
 * out with constant memory, on N threads, output in input order; every
 * input line gives exactly one output line (an error record for bad input).
 * Memory: results are jansson objects owned by the caller; per-case values
 * live in a per-thread arena reset after each case.
 */
#ifndef ACCORD_EVAL_H
#define ACCORD_EVAL_H
#include "caseio.h"
#include "driver.h"
#include "interp.h"

#define EVAL_MAX_AGREEMENTS 64

/* A question to ask: by name, with explicit arguments or (nargs == 0 for a
 * question with parameters) every relevant argument (SPEC §12.4). */
typedef struct QSpec {
    const char *name;
    int nargs;
    const char *argtext[8];
} QSpec;

typedef struct EvalOptions {
    QSpec *questions;       /* NULL: every question of the vocabulary */
    int nquestions;
    Value branches;         /* set of branch; empty = the agreements' material scope */
    int jobs;               /* threads; <= 0: the number of cores */
    bool csv_out;
    bool progress;          /* a progress line on stderr */
    bool interp;            /* decide with the reference interpreter, not compiled code (SPEC §14) */
} EvalOptions;

typedef struct Engine Engine;
/* Returns NULL and prints a message on a bad --question (usage error). */
Engine *engine_new(const Loaded *lib, const EvalOptions *opt);
void engine_free(Engine *e);

typedef struct EvalStats {
    long cases, errors;
    long outcomes[6];       /* decided, conflict, undetermined, not covered, error, no agreement */
} EvalStats;

/* The batch command: cases from `in` (JSON Lines, or CSV when csv_in with an
 * optional periods file), results to `out`.  Returns the exit status (0, or
 * 1 if any line failed). */
int engine_run(Engine *e, FILE *in, bool csv_in, FILE *periods, FILE *out, EvalStats *stats);

/* Evaluate one case into a result object (the JSON Lines output record). */
json_t *engine_eval_case(Engine *e, int worker, const Value *kase, const char *id, long line, EvalStats *st);

/* `accord explain`: a readable (or JSON, SPEC §12.6) account of one case. */
/* The accord-explain/1 document (SPEC §12.6) that both renderings, and the
 * HTML page of report.h, are made from; the caller owns it. */
json_t *engine_explain_json(Engine *e, const Value *kase, const char *id);
int engine_explain(Engine *e, const Value *kase, const char *id, bool json, FILE *out);
#endif
