/* cgsupport.c - the cold paths of compiled evaluators; see accord_cg.h.
 * Every message here is the reference interpreter's (compiler/interp.c),
 * produced by the same format strings, so that compiled and interpreted
 * outcomes agree to the byte; tests compare the two on generated cases.
 * Also acc_result_reason (accord.h), which makes the text of a recorded
 * reason. */
#include "accord_cg.h"
#include "iso.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* r becomes an outcome of `kind` with no rules and no reason.  Only what a
 * reader of this outcome may look at is written (kind, nrules, value, the
 * reason's code and arguments, an empty text): the rules past nrules and
 * the conflict's values mean nothing here, and zeroing them too (a rep stos
 * of 217 bytes) cost more than recording the reason. */
static void begin(acc_result *r, int32_t kind) {
    r->kind = kind;
    r->nrules = 0;
    memset(&r->value, 0, sizeof r->value);
    memset(&r->why, 0, offsetof(acc_why, text) + 1);
}

/* the rare messages are written out at once (ACC_WHY_TEXT) */
static void set(acc_result *r, int32_t kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set(acc_result *r, int32_t kind, const char *fmt, ...) {
    begin(r, kind);
    r->why.code = ACC_WHY_TEXT;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->why.text, sizeof r->why.text, fmt, ap);
    va_end(ap);
}

/* The frequent reasons (not in force, outside the personal scope, a
 * failure's message and its citation) are only recorded: a code and its
 * arguments, the text made by acc_result_reason when a host asks.  It is
 * put together by hand, with the same bytes as the interpreter's printf
 * formats (tests/unit/test_cgsupport.c compares them), truncated alike at
 * ACC_REASON_MAX - 1 characters. */
static size_t put(char *buf, size_t n, const char *s) {
    size_t k = strnlen(s, ACC_REASON_MAX - 1 - n);
    memcpy(buf + n, s, k);
    buf[n + k] = '\0';
    return n + k;
}

/* the reason of r into buf (ACC_REASON_MAX bytes) */
static void reason_text(const acc_why *w, char *buf) {
    size_t n = 0;
    buf[0] = '\0';
    switch (w->code) {
    case ACC_WHY_TEXT: put(buf, 0, w->text); return;
    case ACC_WHY_MESSAGE:
        n = put(buf, 0, w->str ? w->str : "");
        break;
    case ACC_WHY_NOT_IN_FORCE:
        /* 33 characters, 10 digits and '\0': it fits */
        acc_date_format(w->date, buf + put(buf, 0, "the agreement is not in force on "));
        return;
    case ACC_WHY_NOT_PERSONAL:
    case ACC_WHY_NO_CATEGORY:
        n = put(buf, 0, w->code == ACC_WHY_NOT_PERSONAL ? "the person is outside the personal scope ("
                                                        : "no category of persons is covered yet on this date (");
        n = put(buf, n, w->cite ? w->cite : "personal scope");
        put(buf, n, ")");
        return;
    default: return; /* ACC_WHY_NONE, or a code of a newer ABI: no text */
    }
    if (w->cite) {
        n = put(buf, n, " (in ");
        n = put(buf, n, w->cite);
        put(buf, n, ")");
    }
}

const char *acc_result_reason(const acc_result *r, char *buf, size_t n) {
    if (!n) return buf;
    if (r->kind == ACC_DECIDED || r->why.code == ACC_WHY_NONE) { /* a decided result's why is not written (ABI 4) */
        buf[0] = '\0';
        return buf;
    }
    char t[ACC_REASON_MAX];
    reason_text(&r->why, t);
    size_t k = strnlen(t, n - 1);
    memcpy(buf, t, k);
    buf[k] = '\0';
    return buf;
}

void acc_rt_fail(acc_result *r, int32_t kind, const char *msg) {
    begin(r, kind);
    r->why.code = ACC_WHY_MESSAGE;
    r->why.str = msg;
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
    char why[ACC_REASON_MAX];
    reason_text(&saved.why, why);
    set(r, saved.kind, "%s%s%s%s is %s%s%s", q->name, q->nparams ? "(" : "", a, q->nparams ? ")" : "",
        acc_outcome_name(saved.kind), why[0] ? ": " : "", why);
    r->nrules = saved.nrules;
    memcpy(r->rules, saved.rules, sizeof saved.rules);
    memcpy(r->values, saved.values, sizeof saved.values);
}

void acc_rt_append_cite(acc_result *r, const char *cite) {
    if (r->why.code == ACC_WHY_MESSAGE && !r->why.cite) { /* the frequent case: recorded too */
        r->why.cite = cite;
        return;
    }
    if (r->why.code != ACC_WHY_TEXT) { /* write out what was recorded, then append */
        char t[ACC_REASON_MAX];
        reason_text(&r->why, t);
        memcpy(r->why.text, t, sizeof t);
        r->why.code = ACC_WHY_TEXT;
    }
    size_t n = strnlen(r->why.text, ACC_REASON_MAX - 1);
    n = put(r->why.text, n, " (in ");
    n = put(r->why.text, n, cite);
    put(r->why.text, n, ")");
}

void acc_rt_not_in_force(acc_result *r, acc_date date) {
    begin(r, ACC_NOT_COVERED);
    r->why.code = ACC_WHY_NOT_IN_FORCE;
    r->why.date = date;
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
    r->why.code = any_valid ? ACC_WHY_NOT_PERSONAL : ACC_WHY_NO_CATEGORY;
    r->why.cite = cite;
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
