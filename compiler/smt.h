/* smt.h - Z3 for the conditions of the conflict checker that are not boxes (SPEC §13.3).
 *
 * Consumes: a conjunction of facts about one case, as the checker's
 * candidate regions state them: a scalar fact of the case (a field path)
 * or a question argument in a set of ordinals or an integer interval, and
 * "atoms", IR conditions (a comprehension over a list, a comparison of two
 * facts, a definition's body) that must be true or false.
 * Produces: SMT_SAT with a model, decoded on demand into a case Value (and
 * the question's arguments) for the checker to replay with the interpreter;
 * SMT_EMPTY when no valid case satisfies the facts, a proof (see below);
 * SMT_UNKNOWN otherwise (outside the encodable fragment, time out, budget
 * spent), with a reason.
 * Encoding: a bounded model of the case: booleans as Bool, dates and
 * integers and durations as Int, ratios and percentages as Real (exact),
 * countries and enum constants as integers 0..255, sets as 256 booleans (a
 * set of the case: an uninterpreted function on ordinals, decoded to the
 * members the query reads),
 * each list as K element slots (records whose fields are created when read)
 * and a length 0..K.  Every fact gets the domain a case read from JSON has
 * (valid country codes, enum ordinals, calendar dates, durations >= 0,
 * percentages 0..100%, periods that do not end before they start).  Outside
 * the fragment: money, nested questions, rounding and the days/months union
 * aggregates; the calendar functions are exact on 1900-03-01..2100-02-28
 * and a fresh integer outside (weaker; SPEC §13.3).
 * Guarantees: SMT_EMPTY only when the encoding is exact for the facts, or
 * weaker (a part left out, a calendar date outside the window, only the
 * conjuncts inside the fragment of a query that is no proof asked), and
 * the bound K is justified by the small-model argument of SPEC §13.3: every
 * list is read only by exists/forall comprehensions, counts compared with a
 * constant, first, sums of non-negative values compared with a constant (in
 * the direction a sub-list keeps, else as a free quantity at least the kept
 * elements' sum, positive only with a positive element), and sets made from
 * lists read by membership, a comprehension or their size compared with a
 * constant; one that needs a witness inside another list comprehension
 * reads no element bound around it (closed), or only the element of the
 * outermost one (open: its witnesses per element kept there, and apart
 * from that comprehension's range when over the same list); no integer or
 * rational arithmetic, which can overflow in the interpreter; and K is at
 * least the elements those occurrences keep (exists in positive, forall in
 * negative polarity, either at mixed polarity: one; first: one; a
 * membership of a set made from a list: one; a free sum: one; a count or a
 * set size compared with k: k or k + 1 by direction; an open occurrence:
 * its witnesses times the outer list's elements it may read; none for an
 * open membership in a closed set made from lists, asked once more reading
 * a free set that holds the slots' members when the bound is otherwise
 * more than 8; a conjunction at negative or a disjunction at positive
 * polarity outside every comprehension: its costliest operand's;
 * occurrences of one condition over one list share their elements), K at
 * most 8.
 * Z3's work is bounded per query by its deterministic resource limit and
 * the run by a number of queries.
 * Memory: the Z3 context lives in the Smt (smt_free); cases decoded by
 * smt_case live in the caller's arena.
 */
#ifndef ACCORD_SMT_H
#define ACCORD_SMT_H
#include "ir.h"

/* RULE, DIFFER, SCOPE state the outcome a candidate stands for, beyond its
 * boxes (which may be a hull, SPEC §13.2): a rule applies (its validity,
 * head patterns and condition; with truth false, it does not), a rule
 * decides with its own value (it applies, none of its exceptions and no
 * sibling of higher priority applies), two rules'
 * values differ, the agreement's scope holds (in force, personal scope),
 * the evaluation engine selects the agreement for the question (SPEC
 * §12.2: for applicable_legislation, every state of work is a party).
 * ALONE: a rule decides its agreement's answer alone (no sibling of its
 * priority answers another value: a conflict), for smt_refine.
 * A RULE with truth true is asserted conjunct by conjunct, each one outside
 * the fragment left out; the others are left out whole. */
/* BOX: the facts after it, up to the next BOX, are one box of a
 * disjunction: the facts before the first BOX and those of one of the boxes
 * hold (a candidate region asked in one query, not one per box). */
typedef enum { SMT_FIELD, SMT_ARG, SMT_ATOM, SMT_RULE, SMT_DECIDES, SMT_ALONE, SMT_DIFFER, SMT_SCOPE, SMT_SELECTED, SMT_BOX } SmtFactKind;

typedef struct SmtFact {
    SmtFactKind kind;
    const Type *type;        /* FIELD, ARG: the fact's type */
    const int *path;         /* FIELD: field indices from the case record */
    int npath;
    int arg;                 /* ARG: the parameter's index */
    bool is_set;             /* FIELD, ARG: the ordinals in `bits` (enum, country, bool), else [lo, hi] */
    uint64_t bits[4];
    int64_t lo, hi;
    const IrExpr *expr;      /* ATOM: a boolean condition */
    const IrAgreement *ag;   /* ATOM: its parties and parameters */
    const IrQuestion *q;     /* ATOM: locals 0..nparams-1 are the arguments; NULL: none */
    bool truth;              /* ATOM, RULE: the value it must have */
    const IrRule *rule;      /* RULE, DECIDES; DIFFER: its value differs from rule2's (rule's of ag, rule2's of ag2) */
    const IrRule *rule2;
    const IrAgreement *ag2;  /* RULE, SCOPE, SELECTED: the agreement is ag */
} SmtFact;

typedef enum { SMT_SAT, SMT_EMPTY, SMT_UNKNOWN } SmtAnswer;

typedef struct SmtStats {
    long queries, sat, empty, unknown;
    long refined;            /* smt_refine calls */
    double secs;             /* spent in Z3 */
} SmtStats;

typedef struct Smt Smt;
/* rlimit: Z3's resource limit of one query (a count of its steps, not a
 * time: the answers do not depend on the machine or its load);
 * max_queries: the queries of a unit of work (from smt_new or the last
 * smt_fresh), after which every answer is UNKNOWN. */
Smt *smt_new(const IrVocabulary *voc, unsigned rlimit, unsigned max_queries);
void smt_free(Smt *s);
/* The next query in a new Z3 context: the answers and models of what
 * follows do not depend on what was asked before (a unit of the checker's
 * work gives the same results whichever worker, after whichever units, does
 * it). */
void smt_fresh(Smt *s);
/* Whether a case and arguments of q (NULL: none) satisfy every fact. */
SmtAnswer smt_solve(Smt *s, const SmtFact *facts, int n, const IrQuestion *q);
/* After SMT_SAT: the same query with more facts (the model did not
 * replay): SMT_SAT with a new model, else SMT_UNKNOWN (never a proof), the
 * reason in smt_why.  Only when every fact is encoded whole; the new model
 * then satisfies the first facts too. */
SmtAnswer smt_refine(Smt *s, const SmtFact *facts, int n);
/* After SMT_SAT: the model as a case, the facts it does not mention taken
 * from base (the default case when NULL), and q's arguments (up to 8). */
bool smt_case(Smt *s, const Value *base, Arena *A, Value *kase, Value *args);
/* The calendar functions (period_months, months_between, years_between,
 * days_between) encoded in the queries that follow (on), or left out (off,
 * the default: they double a query's solving, and most models replay or
 * most regions are refuted without them); smt_calendared: the last query
 * (smt_solve) left one out, so that asking it again with them on may give
 * a model that replays, or a proof. */
void smt_calendar(Smt *s, bool on);
/* on (the default): an unsatisfiable query that is no proof is asked again
 * of its parts inside the fragment (smt.c solve_inside; SPEC §13.3), and the
 * round with open memberships read in free sets with up to 8 slots (off: up
 * to 7, smt.c FREE_SLOTS_DEFAULT); the checker switches it off unless `--thorough` (with the calendar
 * functions asked again, they make the shipped library's run about 1.4 to
 * 1.6 times longer) */
void smt_thorough(Smt *s, bool on);
bool smt_calendared(const Smt *s);
/* Why the last answer was SMT_UNKNOWN. */
const char *smt_why(const Smt *s);
SmtStats smt_stats(const Smt *s);
#endif
