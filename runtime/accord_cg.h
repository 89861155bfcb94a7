/*
 * accord_cg.h -- the helpers compiled evaluators call in libaccord.
 *
 * Contract of this layer:
 *  - Consumed only by code that `accord build` generates (and by the
 *    reference interpreter, for the arithmetic, so that both compute with
 *    the very same functions); not part of the host-facing API (accord.h).
 *  - Two families: exact arithmetic shared with the interpreter (rationals,
 *    rounding; the calendar and period helpers are in accord_rt.h), and the
 *    cold paths that record why a question was not decided in an
 *    acc_result (acc_why: the frequent reasons as a code and arguments, the
 *    rare ones written out; acc_result_reason gives the same messages, byte
 *    for byte, as the interpreter's).
 *  - No allocation, no global state, thread-safe.
 */
#ifndef ACCORD_CG_H
#define ACCORD_CG_H
#include "accord.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- exact rationals: false on overflow (or division by zero) ---------- */
bool acc_rat_make(int64_t num, int64_t den, acc_rat *out);
bool acc_rat_add(int64_t an, int64_t ad, int64_t bn, int64_t bd, acc_rat *out);
bool acc_rat_sub(int64_t an, int64_t ad, int64_t bn, int64_t bd, acc_rat *out);
bool acc_rat_mul(int64_t an, int64_t ad, int64_t bn, int64_t bd, acc_rat *out);
bool acc_rat_div(int64_t an, int64_t ad, int64_t bn, int64_t bd, acc_rat *out);
int acc_rat_cmp(int64_t an, int64_t ad, int64_t bn, int64_t bd);
/* SPEC §5.7, modes in the order of the compiler's RoundMode */
enum { ACC_ROUND_HALF_UP, ACC_ROUND_HALF_EVEN, ACC_ROUND_DOWN, ACC_ROUND_UP, ACC_ROUND_TRUNCATE };
int64_t acc_rat_round(int64_t num, int64_t den, int32_t mode);

/* ---- why a question was not decided (cold paths) ----------------------- */
/* r becomes an outcome of `kind` with the message msg (no rules); msg must
 * outlive r (the module's static text): it is recorded, not copied. */
void acc_rt_fail(acc_result *r, int32_t kind, const char *msg);
/* "cannot combine amounts in EUR and PHP" */
void acc_rt_fail_currency(acc_result *r, uint16_t a, uint16_t b);
/* a question asked inside a rule was not decided: "q(DE, old_age) is not
 * covered: <inner reason>", with the inner outcome's rules and values. */
void acc_rt_fail_ask(acc_result *r, const acc_module *m, int32_t question, const int64_t *args,
                     const acc_result *inner);
/* " (in Art. 12(1))" appended to the reason, as the interpreter does for a
 * failure inside a rule (recorded when the reason is a message without a
 * citation, else written out); cite must outlive r. */
void acc_rt_append_cite(acc_result *r, const char *cite);
/* "the agreement is not in force on 2020-01-01" */
void acc_rt_not_in_force(acc_result *r, acc_date date);
/* "DE is not a party to X", or with has_date "DE is not a party to X on DATE" */
void acc_rt_not_party(acc_result *r, int64_t country, const char *agreement, bool has_date, acc_date date);
/* "branch B is outside the material scope[ for DE] (cite)" */
void acc_rt_not_material(acc_result *r, const acc_enum_desc *branch_enum, int64_t branch, int64_t country, const char *cite);
/* the person is outside the personal scope */
void acc_rt_not_personal(acc_result *r, bool any_valid, const char *cite);

/* ---- default-logic bookkeeping ----------------------------------------- */
/* add src's deciding rules to dst's (two rules that agree are both cited) */
void acc_rt_merge_rules(acc_result *dst, const acc_result *src);
/* dst (decided) and other (decided, a different answer) conflict: dst
 * becomes the conflict outcome naming both */
void acc_rt_conflict(acc_result *dst, const acc_result *other);

/* ---- traces (only the traced entry points call these) ------------------ */
/* ACC_TR_ASK; depth increases after it.  kinds: the kinds of args[0..1]. */
void acc_rt_tr_ask(acc_trace *t, int32_t question, int32_t nargs, const int64_t *args, int32_t kind0, int32_t kind1);
/* depth decreases, then ACC_TR_ANSWER with the outcome */
void acc_rt_tr_answer(acc_trace *t, int32_t question, int32_t nargs, const int64_t *args, int32_t kind0, int32_t kind1,
                      const acc_result *o);
/* ACC_TR_NOT_IN_FORCE, ACC_TR_HEAD_MISMATCH */
void acc_rt_tr_rule(acc_trace *t, int32_t kind, int32_t rule);
void acc_rt_tr_overridden(acc_trace *t, int32_t rule, const acc_result *by);
void acc_rt_tr_cond_false(acc_trace *t, int32_t rule, int32_t expr);
/* ACC_TR_DECIDED or ACC_TR_FAILED with the rule's result */
void acc_rt_tr_done(acc_trace *t, int32_t kind, int32_t rule, const acc_result *res);
void acc_rt_tr_fact(acc_trace *t, int32_t field);
/* b may be NULL (rounding) */
void acc_rt_tr_arith(acc_trace *t, int32_t expr, int32_t rule, const acc_value *a, const acc_value *b, const acc_value *v);

#ifdef __cplusplus
}
#endif
#endif /* ACCORD_CG_H */
