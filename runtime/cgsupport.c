/* cgsupport.c - the cold paths of compiled evaluators; see accord_cg.h.
 * Every message here is the reference interpreter's (compiler/interp.c),
 * produced by the same format strings, so that compiled and interpreted
 * outcomes agree to the byte; tests compare the two on generated cases. */
#include "accord_cg.h"
#include "iso.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* r becomes an outcome of `kind` with no rules and an empty reason: all but
 * the reason's unused tail is zeroed */
static void begin(acc_result *r, int32_t kind) {
    memset(r, 0, offsetof(acc_result, reason) + 1);
    r->kind = kind;
}

static void set(acc_result *r, int32_t kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set(acc_result *r, int32_t kind, const char *fmt, ...) {
    begin(r, kind);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof r->reason, fmt, ap);
    va_end(ap);
}

/* The frequent messages (not in force, outside the personal scope, a
 * failure's text and its citation) are put together by hand: vsnprintf cost
 * more than the decision they explain.  Same bytes as the printf formats
 * (tests/unit/test_cgsupport.c compares them), truncated alike at
 * sizeof reason - 1 characters. */
static size_t put(acc_result *r, size_t n, const char *s) {
    size_t k = strnlen(s, sizeof r->reason - 1 - n);
    memcpy(r->reason + n, s, k);
    r->reason[n + k] = '\0';
    return n + k;
}

void acc_rt_fail(acc_result *r, int32_t kind, const char *msg) {
    begin(r, kind);
    put(r, 0, msg);
}

void acc_rt_fail_currency(acc_result *r, uint16_t a, uint16_t b) {
    set(r, ACC_ERROR, "cannot combine amounts in %s and %s", acc_currency_code(a) ? acc_currency_code(a) : "no currency",
        acc_currency_code(b) ? acc_currency_code(b) : "no currency");
}

/* an argument as the interpreter's value_format writes it: a country code
 * or an enum constant (questions take only these) */
static void arg_text(char *buf, size_t n, const acc_module *m, const acc_param_desc *p, int64_t v) {
    if (p->kind == ACC_T_COUNTRY) {
        const char *c = acc_country_code((int)v);
        snprintf(buf, n, "%s", c ? c : "??");
    } else if (v == 0 || p->ref < 0) {
        snprintf(buf, n, "%s", v == 0 ? "none" : "?");
    } else {
        const acc_enum_desc *e = &m->enums[p->ref];
        snprintf(buf, n, "%s", v >= 1 && v <= (int64_t)e->n ? e->consts[v - 1] : "?");
    }
}

void acc_rt_fail_ask(acc_result *r, const acc_module *m, int32_t question, const int64_t *args,
                     const acc_result *inner) {
    const acc_question_desc *q = &m->questions[question];
    char a[128] = "";
    size_t k = 0;
    for (uint32_t i = 0; i < q->nparams && i < 8; i++) {
        if (i) k += (size_t)snprintf(a + k, sizeof a - k, ", ");
        if (k >= sizeof a) k = sizeof a - 1;
        arg_text(a + k, sizeof a - k, m, &q->params[i], args[i]);
        k = strlen(a);
    }
    acc_result saved = *inner;
    set(r, inner->kind, "%s%s%s%s is %s%s%s", q->name, q->nparams ? "(" : "", a, q->nparams ? ")" : "",
        acc_outcome_name(saved.kind), saved.reason[0] ? ": " : "", saved.reason);
    r->nrules = saved.nrules;
    memcpy(r->rules, saved.rules, sizeof saved.rules);
    memcpy(r->values, saved.values, sizeof saved.values);
}

void acc_rt_append_cite(acc_result *r, const char *cite) {
    size_t n = strnlen(r->reason, sizeof r->reason - 1);
    n = put(r, n, " (in ");
    n = put(r, n, cite);
    put(r, n, ")");
}

/* a literal at the start of the reason (it fits) */
#define PUT_LITERAL(r, s) (memcpy((r)->reason, s, sizeof s), sizeof s - 1)

void acc_rt_not_in_force(acc_result *r, acc_date date) {
    begin(r, ACC_NOT_COVERED);
    acc_date_format(date, r->reason + PUT_LITERAL(r, "the agreement is not in force on ")); /* 10 digits and '\0' */
}

void acc_rt_not_party(acc_result *r, int64_t country, const char *agreement, bool has_date, acc_date date) {
    const char *cc = acc_country_code((int)country);
    if (!has_date) {
        set(r, ACC_NOT_COVERED, "%s is not a party to %s", cc ? cc : "none", agreement);
        return;
    }
    char db[11];
    acc_date_format(date, db);
    set(r, ACC_NOT_COVERED, "%s is not a party to %s on %s", cc, agreement, db);
}

void acc_rt_not_material(acc_result *r, const acc_enum_desc *branch_enum, int64_t b, int64_t country, const char *cite) {
    const char *bn = b > 0 && b <= (int64_t)branch_enum->n ? branch_enum->consts[b - 1] : "none";
    if (country)
        set(r, ACC_NOT_COVERED, "branch %s is outside the material scope for %s%s%s%s", bn, acc_country_code((int)country),
            cite ? " (" : "", cite ? cite : "", cite ? ")" : "");
    else
        set(r, ACC_NOT_COVERED, "branch %s is outside the material scope%s%s%s", bn, cite ? " (" : "", cite ? cite : "",
            cite ? ")" : "");
}

void acc_rt_not_personal(acc_result *r, bool any_valid, const char *cite) {
    begin(r, ACC_NOT_COVERED);
    size_t n = any_valid ? PUT_LITERAL(r, "the person is outside the personal scope (")
                         : PUT_LITERAL(r, "no category of persons is covered yet on this date (");
    n = put(r, n, cite ? cite : "personal scope");
    put(r, n, ")");
}

/* ---- default logic bookkeeping (SPEC §6.3): citations of agreeing rules and
 * the record of a conflict; the decision itself is made by generated code */
void acc_rt_merge_rules(acc_result *dst, const acc_result *src) {
    for (int32_t k = 0; k < src->nrules; k++) {
        int32_t r = src->rules[k], i;
        for (i = 0; i < dst->nrules; i++)
            if (dst->rules[i] == r) break;
        if (i == dst->nrules && dst->nrules < ACC_MAX_RULES) dst->rules[dst->nrules++] = r;
    }
}

void acc_rt_conflict(acc_result *dst, const acc_result *other) {
    acc_result best = *dst;
    memset(dst, 0, sizeof *dst);
    dst->kind = ACC_CONFLICT;
    dst->nrules = 2;
    dst->rules[0] = best.rules[0];
    dst->rules[1] = other->rules[0];
    dst->values[0] = best.value;
    dst->values[1] = other->value;
}
