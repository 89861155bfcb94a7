/* value.c - exact arithmetic and value printing; see value.h. */
#include "value.h"
#include "accord_cg.h"
#include "accord_rt.h"
#include "iso.h"
#include "ir.h"
#include "arena.h"
#include <inttypes.h>
#include <string.h>

const Type ty_error = {TY_ERROR, 0, 0, 0}, ty_bool = {TY_BOOL, 0, 0, 0}, ty_int = {TY_INT, 0, 0, 0},
           ty_ratio = {TY_RATIO, 0, 0, 0}, ty_percent = {TY_PERCENT, 0, 0, 0}, ty_date = {TY_DATE, 0, 0, 0},
           ty_days = {TY_DAYS, 0, 0, 0}, ty_months = {TY_MONTHS, 0, 0, 0}, ty_money = {TY_MONEY, 0, 0, 0},
           ty_exact_money = {TY_EXACT_MONEY, 0, 0, 0}, ty_country = {TY_COUNTRY, 0, 0, 0},
           ty_string = {TY_STRING, 0, 0, 0}, ty_country_set = {TY_SET, &ty_country, 0, 0};

bool type_eq(const Type *a, const Type *b) {
    if (a == b) return true;
    if (!a || !b || a->kind != b->kind) return false;
    switch (a->kind) {
    case TY_ENUM: return a->en == b->en;
    case TY_RECORD: return a->rec == b->rec;
    case TY_SET: case TY_LIST: return type_eq(a->elem, b->elem);
    default: return true;
    }
}

bool type_is_numeric(const Type *t) {
    return t->kind == TY_INT || t->kind == TY_RATIO || t->kind == TY_PERCENT;
}

const char *type_name(const Type *t, char *buf, size_t n) {
    static const char *names[] = {"<error>", "bool", "int", "ratio", "percent", "date", "days", "months",
                                  "money", "exact money", "country", "enum", "set", "list", "record", "string"};
    char inner[96];
    switch (t->kind) {
    case TY_ENUM: snprintf(buf, n, "%s", t->en->name); break;
    case TY_RECORD: snprintf(buf, n, "%s", t->rec->name); break;
    case TY_SET: snprintf(buf, n, "set of %s", type_name(t->elem, inner, sizeof inner)); break;
    case TY_LIST: snprintf(buf, n, "list of %s", type_name(t->elem, inner, sizeof inner)); break;
    default: snprintf(buf, n, "%s", names[t->kind]);
    }
    return buf;
}

/* ---- rationals ---------------------------------------------------------- */

/* The arithmetic itself is the runtime's (runtime/rational.c), shared with
 * compiled evaluators so that both compute with the same code. */
static bool rat_from128(__int128 num, __int128 den, Rat *out) {
    if (den == 0) return false;
    if (den < 0) { num = -num; den = -den; }
    if (num > INT64_MAX || num < -INT64_MAX || den > INT64_MAX) {
        /* reduce first: the fraction may still fit */
        __int128 a = num < 0 ? -num : num, b = den;
        while (b) {
            __int128 t = a % b;
            a = b;
            b = t;
        }
        num /= a;
        den /= a;
        if (num > INT64_MAX || num < -INT64_MAX || den > INT64_MAX) return false;
    }
    return acc_rat_make((int64_t)num, (int64_t)den, (acc_rat *)out);
}

bool rat_make(int64_t num, int64_t den, Rat *out) { return acc_rat_make(num, den, (acc_rat *)out); }
bool rat_add(Rat a, Rat b, Rat *o) { return acc_rat_add(a.num, a.den, b.num, b.den, (acc_rat *)o); }
bool rat_sub(Rat a, Rat b, Rat *o) { return acc_rat_sub(a.num, a.den, b.num, b.den, (acc_rat *)o); }
bool rat_mul(Rat a, Rat b, Rat *o) { return acc_rat_mul(a.num, a.den, b.num, b.den, (acc_rat *)o); }
bool rat_div(Rat a, Rat b, Rat *o) { return acc_rat_div(a.num, a.den, b.num, b.den, (acc_rat *)o); }
int rat_cmp(Rat a, Rat b) { return acc_rat_cmp(a.num, a.den, b.num, b.den); }

bool rat_parse(const char *s, Rat *out) {
    __int128 num = 0, den = 1;
    bool dot = false, any = false;
    for (const char *p = s; *p; p++) {
        if (*p == '.' && !dot) { dot = true; continue; }
        if (*p < '0' || *p > '9') return false;
        any = true;
        num = num * 10 + (*p - '0');
        if (dot) den *= 10;
        if (num > INT64_MAX || den > INT64_MAX) return false;
    }
    return any && rat_from128(num, den, out);
}

int64_t rat_round(Rat a, RoundMode m) { return acc_rat_round(a.num, a.den, (int32_t)m); }

Value value_default(Arena *a, const Type *t) {
    Value v;
    memset(&v, 0, sizeof v);
    v.kind = t->kind;
    switch (t->kind) {
    case TY_RATIO: case TY_PERCENT: case TY_MONEY: case TY_EXACT_MONEY: v.q.den = 1; break;
    case TY_DATE: v.i = acc_date_min(); break;
    case TY_RECORD:
        v.agg.n = (uint32_t)t->rec->nfields;
        v.agg.items = arena_alloc(a, sizeof(Value) * (size_t)(t->rec->nfields ? t->rec->nfields : 1));
        for (int i = 0; i < t->rec->nfields; i++) v.agg.items[i] = value_default(a, t->rec->fields[i].type);
        break;
    default: break;
    }
    return v;
}

int set_size(const Value *v) {
    int n = 0;
    for (int i = 0; i < 4; i++) n += __builtin_popcountll(v->bits[i]);
    return n;
}

/* strict: to the bit, as value_identical; else as value_eq. */
static bool eq(const Value *a, const Value *b, bool strict) {
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case TY_BOOL: return a->b == b->b;
    case TY_RATIO: case TY_PERCENT: case TY_MONEY: case TY_EXACT_MONEY:
        if (strict) return a->cur == b->cur && a->q.num == b->q.num && a->q.den == b->q.den;
        if (a->kind == TY_RATIO || a->kind == TY_PERCENT) return rat_cmp(a->q, b->q) == 0;
        /* zero is zero in every currency (a missing amount has no currency) */
        if (a->q.num == 0 && b->q.num == 0) return true;
        return a->cur == b->cur && rat_cmp(a->q, b->q) == 0;
    case TY_SET: return memcmp(a->bits, b->bits, sizeof a->bits) == 0;
    case TY_LIST: case TY_RECORD:
        if (a->agg.n != b->agg.n) return false;
        for (uint32_t i = 0; i < a->agg.n; i++)
            if (!eq(&a->agg.items[i], &b->agg.items[i], strict)) return false;
        return true;
    default: return a->i == b->i;
    }
}

bool value_eq(const Value *a, const Value *b) { return eq(a, b, false); }
bool value_identical(const Value *a, const Value *b) { return eq(a, b, true); }

/* Print num/den as a decimal when the denominator is 2^a 5^b, else as a fraction. */
static void print_rat_decimal(FILE *out, Rat q, int scale_digits) {
    int64_t den = q.den;
    int twos = 0, fives = 0;
    while (den % 2 == 0) { den /= 2; twos++; }
    while (den % 5 == 0) { den /= 5; fives++; }
    if (den != 1 || twos > 18 || fives > 18) {
        fprintf(out, "%" PRId64 "/%" PRId64, q.num, q.den);
        return;
    }
    int digits = twos > fives ? twos : fives;
    if (digits < scale_digits) digits = scale_digits;
    __int128 scaled = (__int128)q.num;
    __int128 p10 = 1;
    for (int i = 0; i < digits; i++) p10 *= 10;
    scaled = scaled * p10 / q.den;
    bool neg = scaled < 0;
    if (neg) scaled = -scaled;
    int64_t ip = (int64_t)(scaled / p10), fp = (int64_t)(scaled % p10);
    fprintf(out, "%s%" PRId64, neg ? "-" : "", ip);
    if (digits) fprintf(out, ".%0*" PRId64, digits, fp);
}

void value_print(FILE *out, const Value *v, const Type *t) {
    switch (v->kind) {
    case TY_ERROR: fputs("<error>", out); break;
    case TY_BOOL: fputs(v->b ? "true" : "false", out); break;
    case TY_INT: fprintf(out, "%" PRId64, v->i); break;
    case TY_RATIO: print_rat_decimal(out, v->q, 0); break;
    case TY_PERCENT: {
        Rat p;
        if (rat_mul(v->q, (Rat){100, 1}, &p)) print_rat_decimal(out, p, 0);
        else fputs("<overflow>", out);
        fputc('%', out);
        break;
    }
    case TY_DATE: {
        char b[11];
        acc_date_format((acc_date)v->i, b);
        fputs(b, out);
        break;
    }
    case TY_DAYS: fprintf(out, "%" PRId64 " day%s", v->i, v->i == 1 || v->i == -1 ? "" : "s"); break;
    case TY_MONTHS: fprintf(out, "%" PRId64 " month%s", v->i, v->i == 1 || v->i == -1 ? "" : "s"); break;
    case TY_MONEY: case TY_EXACT_MONEY: {
        if (v->cur == 0) {
            /* a missing amount: zero, in no currency yet (SPEC §7.2) */
            if (v->q.num == 0) fputs("0 (no currency)", out);
            else fputs("<amount without currency>", out);
            break;
        }
        int e = acc_currency_minor_units(v->cur);
        Rat major;
        int64_t p = 1;
        for (int i = 0; i < e; i++) p *= 10;
        if (rat_div(v->q, (Rat){p, 1}, &major)) print_rat_decimal(out, major, e);
        else fputs("<overflow>", out);
        fprintf(out, " %s", acc_currency_code(v->cur) ? acc_currency_code(v->cur) : "???");
        break;
    }
    case TY_COUNTRY: fputs(acc_country_code((int)v->i) ? acc_country_code((int)v->i) : "??", out); break;
    case TY_ENUM:
        if (v->i == 0 || !t || !t->en) fputs(v->i == 0 ? "none" : "?", out);
        else fputs(t->en->consts[v->i - 1], out);
        break;
    case TY_SET: {
        fputc('{', out);
        bool first = true;
        for (int i = 0; i < 256; i++) {
            if (!set_has(v, i)) continue;
            if (!first) fputs(", ", out);
            first = false;
            Value e = {0};
            e.kind = t && t->elem ? t->elem->kind : TY_COUNTRY;
            e.i = i;
            value_print(out, &e, t ? t->elem : NULL);
        }
        fputc('}', out);
        break;
    }
    case TY_LIST:
        fputc('[', out);
        for (uint32_t i = 0; i < v->agg.n; i++) {
            if (i) fputs(", ", out);
            value_print(out, &v->agg.items[i], t ? t->elem : NULL);
        }
        fputc(']', out);
        break;
    case TY_RECORD:
        fputc('{', out);
        for (uint32_t i = 0; i < v->agg.n; i++) {
            if (i) fputs(", ", out);
            if (t && t->rec) fprintf(out, "%s = ", t->rec->fields[i].name);
            value_print(out, &v->agg.items[i], t && t->rec ? t->rec->fields[i].type : NULL);
        }
        fputc('}', out);
        break;
    case TY_STRING: fputs("<string>", out); break;
    }
}

void value_format(char *buf, size_t n, const Value *v, const Type *t) {
    FILE *f = fmemopen(buf, n, "w");
    if (!f) { if (n) buf[0] = 0; return; }
    value_print(f, v, t);
    fclose(f);
    buf[n - 1] = 0;
}
