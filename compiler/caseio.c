/* caseio.c - JSON and CSV case data <-> Values; see caseio.h and SPEC §12. */
#include "caseio.h"
#include "accord_rt.h"
#include "iso.h"
#include "jsonpath.h"
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct Conv {
    const IrVocabulary *voc;
    Arena *a;
    CaseError *err;
    AccJsonPath path;
} Conv;

static bool fail(Conv *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(Conv *c, const char *fmt, ...) {
    snprintf(c->err->path, sizeof c->err->path, "%.*s", (int)c->path.len, c->path.s);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err->message, sizeof c->err->message, fmt, ap);
    va_end(ap);
    return false;
}



/* "123", "12.5" exactly; false on anything else */
static bool parse_decimal(const char *s, size_t n, Rat *out) {
    char buf[64];
    if (n == 0 || n >= sizeof buf) return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    return rat_parse(buf, out);
}

static const char *skip_ws(const char *s) {
    while (*s == ' ') s++;
    return s;
}

static bool conv_duration(Conv *c, json_t *j, const Type *t, Value *out) {
    int64_t n;
    if (json_is_integer(j)) {
        n = json_integer_value(j);
    } else if (json_is_string(j)) {
        const char *s = json_string_value(j);
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        const char *unit = skip_ws(end);
        int64_t mul = 1;
        bool ok = end != s && errno == 0;
        if (ok && t->kind == TY_MONTHS) {
            if (!strcmp(unit, "months") || !strcmp(unit, "month") || !*unit) mul = 1;
            else if (!strcmp(unit, "years") || !strcmp(unit, "year")) mul = 12;
            else if (!strcmp(unit, "quarters") || !strcmp(unit, "quarter")) mul = 3;
            else ok = false;
        } else if (ok) {
            if (!strcmp(unit, "days") || !strcmp(unit, "day") || !*unit) mul = 1;
            else if (!strcmp(unit, "weeks") || !strcmp(unit, "week")) mul = 7;
            else ok = false;
        }
        if (!ok || __builtin_mul_overflow((int64_t)v, mul, &n))
            return fail(c, "expected a duration in %s such as \"%s\", not \"%s\"", t->kind == TY_MONTHS ? "months" : "days",
                        t->kind == TY_MONTHS ? "24 months" : "30 days", s);
    } else {
        return fail(c, "expected a duration (an integer number of %s), not %s", t->kind == TY_MONTHS ? "months" : "days",
                    acc_json_kind(j));
    }
    if (n < 0) return fail(c, "negative duration (%" PRId64 " %s)", n, t->kind == TY_MONTHS ? "months" : "days");
    out->kind = t->kind;
    out->i = n;
    return true;
}

static bool conv_percent(Conv *c, json_t *j, Value *out) {
    Rat q;
    if (json_is_integer(j)) {
        q = (Rat){json_integer_value(j), 1};
    } else if (json_is_string(j)) {
        const char *s = json_string_value(j);
        size_t n = strlen(s);
        if (n && s[n - 1] == '%') n--;
        if (!parse_decimal(s, n, &q)) return fail(c, "expected a percentage such as 25 or \"12.5%%\", not \"%s\"", s);
    } else if (json_is_real(j)) {
        return fail(c, "a decimal percentage must be a string such as \"12.5%%\" (no binary floating point)");
    } else {
        return fail(c, "expected a percentage, not %s", acc_json_kind(j));
    }
    if (q.num < 0) return fail(c, "negative percentage");
    if (rat_cmp(q, (Rat){100, 1}) > 0) return fail(c, "a share cannot exceed 100%%");
    out->kind = TY_PERCENT;
    if (!rat_div(q, (Rat){100, 1}, &out->q)) return fail(c, "percentage out of range");
    return true;
}

static bool conv_money(Conv *c, json_t *j, Value *out) {
    out->kind = TY_MONEY;
    out->q = (Rat){0, 1};
    if (json_is_null(j)) return true;
    if (!json_is_string(j))
        return fail(c, "expected an amount such as \"1234.56 EUR\", not %s", acc_json_kind(j));
    const char *s = json_string_value(j);
    const char *sp = strchr(s, ' ');
    if (!sp || strlen(sp + 1) != 3) return fail(c, "expected an amount such as \"1234.56 EUR\", not \"%s\"", s);
    int cur = acc_currency_lookup(sp + 1, 3);
    if (cur < 0) return fail(c, "unknown currency code '%s'", sp + 1);
    Rat q;
    if (!parse_decimal(s, (size_t)(sp - s), &q)) {
        if (s[0] == '-') return fail(c, "negative amount \"%s\"", s);
        return fail(c, "expected an amount such as \"1234.56 EUR\", not \"%s\"", s);
    }
    int e = acc_currency_minor_units(cur);
    int64_t p = 1;
    for (int i = 0; i < e; i++) p *= 10;
    Rat minor;
    if (!rat_mul(q, (Rat){p, 1}, &minor)) return fail(c, "amount too large");
    if (minor.den != 1) return fail(c, "%s amounts have %d decimal place%s: \"%s\"", sp + 1, e, e == 1 ? "" : "s", s);
    out->q = minor;
    out->cur = (uint16_t)cur;
    return true;
}

static bool conv_date(Conv *c, json_t *j, Value *out) {
    if (!json_is_string(j)) return fail(c, "expected a date \"YYYY-MM-DD\", not %s", acc_json_kind(j));
    const char *s = json_string_value(j);
    acc_date d;
    if (!acc_date_parse(s, strlen(s), &d)) {
        int y = 0, m = 0, dd = 0;
        if (strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", &y, &m, &dd) == 3 && m >= 1 && m <= 12 && y >= 1)
            return fail(c, "invalid date \"%s\": month %d of %d has %d days", s, m, y, acc_days_in_month(y, m));
        return fail(c, "invalid date \"%s\" (expected YYYY-MM-DD)", s);
    }
    out->kind = TY_DATE;
    out->i = d;
    return true;
}

static bool conv(Conv *c, json_t *j, const Type *t, Value *out);

static bool conv_ordinal(Conv *c, json_t *j, const Type *t, int *ord) {
    if (json_is_null(j)) {
        *ord = 0;
        return true;
    }
    if (!json_is_string(j)) return fail(c, "expected %s code, not %s", t->kind == TY_COUNTRY ? "a country" : "an enum", acc_json_kind(j));
    const char *s = json_string_value(j);
    if (t->kind == TY_COUNTRY) {
        int o = acc_country_lookup(s, strlen(s));
        if (o < 0) return fail(c, "unknown country code '%s' (ISO 3166-1 alpha-2 expected)", s);
        *ord = o;
        return true;
    }
    for (int i = 0; i < t->en->n; i++)
        if (!strcmp(t->en->consts[i], s)) {
            *ord = i + 1;
            return true;
        }
    char list[200] = "";
    size_t k = 0;
    for (int i = 0; i < t->en->n && k < sizeof list - 40; i++)
        k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", t->en->consts[i]);
    return fail(c, "unknown %s '%s' (one of: %s)", t->en->name, s, list);
}

static bool conv_record(Conv *c, json_t *j, const Type *t, Value *out) {
    if (!json_is_object(j)) return fail(c, "expected an object (%s), not %s", t->rec->name, acc_json_kind(j));
    *out = value_default(c->a, t);
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v) {
        int fi = -1;
        for (int i = 0; i < t->rec->nfields; i++)
            if (!strcmp(t->rec->fields[i].name, key)) fi = i;
        size_t old = acc_jpath_field(&c->path, key);
        if (fi < 0) {
            /* the case's id travels beside the facts, not among them */
            if (c->path.len == strlen(key) && t->rec == c->voc->case_rec && !strcmp(key, "id")) {
                acc_jpath_pop(&c->path, old);
                continue;
            }
            char names[256] = "";
            size_t k = 0;
            for (int i = 0; i < t->rec->nfields && k < sizeof names - 40; i++)
                k += (size_t)snprintf(names + k, sizeof names - k, "%s%s", i ? ", " : "", t->rec->fields[i].name);
            return fail(c, "unknown field '%s' in %s (fields: %s)", key, t->rec->name, names);
        }
        if (!conv(c, v, t->rec->fields[fi].type, &out->agg.items[fi])) return false;
        acc_jpath_pop(&c->path, old);
    }
    /* SPEC §12.1: a record with dates `from` and `to` must not end before it starts */
    int f = -1, to = -1;
    for (int i = 0; i < t->rec->nfields; i++) {
        if (!strcmp(t->rec->fields[i].name, "from") && t->rec->fields[i].type->kind == TY_DATE) f = i;
        if (!strcmp(t->rec->fields[i].name, "to") && t->rec->fields[i].type->kind == TY_DATE) to = i;
    }
    if (f >= 0 && to >= 0) {
        /* a period without one of its dates would silently count for nothing
         * (or for one day in year 1): both are required (SPEC §12.1) */
        bool has_f = json_object_get(j, "from") != NULL, has_t = json_object_get(j, "to") != NULL;
        if (!has_f || !has_t) {
            size_t old = acc_jpath_field(&c->path, has_f ? "to" : "from");
            bool r = fail(c, "a %s needs both dates, 'from' and 'to' (the last day it covers)", t->rec->name);
            acc_jpath_pop(&c->path, old);
            return r;
        }
    }
    if (f >= 0 && to >= 0 && json_object_get(j, "to") && out->agg.items[to].i < out->agg.items[f].i) {
        size_t old = acc_jpath_field(&c->path, "to");
        char a[11], b[11];
        acc_date_format((acc_date)out->agg.items[f].i, a);
        acc_date_format((acc_date)out->agg.items[to].i, b);
        bool r = fail(c, "the period ends (%s) before it starts (%s)", b, a);
        acc_jpath_pop(&c->path, old);
        return r;
    }
    return true;
}

static bool conv(Conv *c, json_t *j, const Type *t, Value *out) {
    memset(out, 0, sizeof *out);
    out->kind = t->kind;
    switch (t->kind) {
    case TY_BOOL:
        if (!json_is_boolean(j)) return fail(c, "expected true or false, not %s", acc_json_kind(j));
        out->b = json_is_true(j);
        return true;
    case TY_INT:
        if (!json_is_integer(j)) return fail(c, "expected an integer, not %s", acc_json_kind(j));
        out->i = json_integer_value(j);
        return true;
    case TY_RATIO: {
        if (json_is_integer(j)) {
            out->q = (Rat){json_integer_value(j), 1};
            return true;
        }
        const char *s = json_is_string(j) ? json_string_value(j) : NULL;
        if (!s || !parse_decimal(s, strlen(s), &out->q)) return fail(c, "expected a number such as 2 or \"0.5\"");
        return true;
    }
    case TY_PERCENT: return conv_percent(c, j, out);
    case TY_DATE: return conv_date(c, j, out);
    case TY_DAYS: case TY_MONTHS: return conv_duration(c, j, t, out);
    case TY_MONEY: case TY_EXACT_MONEY: return conv_money(c, j, out);
    case TY_COUNTRY: case TY_ENUM: {
        int o;
        if (!conv_ordinal(c, j, t, &o)) return false;
        out->i = o;
        return true;
    }
    case TY_SET: {
        if (!json_is_array(j)) return fail(c, "expected an array of %s codes, not %s", t->elem->kind == TY_COUNTRY ? "country" : "enum",
                                          acc_json_kind(j));
        size_t i;
        json_t *e;
        json_array_foreach(j, i, e) {
            size_t old = acc_jpath_index(&c->path, i);
            int o;
            if (json_is_null(e)) return fail(c, "null is not a member of a set");
            if (!conv_ordinal(c, e, t->elem, &o)) return false;
            set_add(out, o);
            acc_jpath_pop(&c->path, old);
        }
        return true;
    }
    case TY_LIST: {
        if (!json_is_array(j)) return fail(c, "expected an array of %s, not %s", t->elem->rec->name, acc_json_kind(j));
        size_t n = json_array_size(j);
        if (n > 100000) return fail(c, "more than 100000 elements");
        out->agg.n = (uint32_t)n;
        out->agg.items = arena_alloc(c->a, sizeof(Value) * (n ? n : 1));
        size_t i;
        json_t *e;
        json_array_foreach(j, i, e) {
            size_t old = acc_jpath_index(&c->path, i);
            if (!conv(c, e, t->elem, &out->agg.items[i])) return false;
            acc_jpath_pop(&c->path, old);
        }
        return true;
    }
    case TY_RECORD: return conv_record(c, j, t, out);
    default: return fail(c, "this kind of fact cannot be given");
    }
}

bool case_from_json(const IrVocabulary *voc, Arena *a, json_t *obj, Value *out, const char **id, CaseError *err) {
    Conv c = {voc, a, err, {"", 0}};
    memset(err, 0, sizeof *err);
    *id = NULL;
    if (!json_is_object(obj)) return fail(&c, "a case is a JSON object, not %s", acc_json_kind(obj));
    json_t *jid = json_object_get(obj, "id");
    if (json_is_string(jid)) *id = arena_strdup(a, json_string_value(jid));
    else if (json_is_integer(jid)) *id = arena_printf(a, "%" JSON_INTEGER_FORMAT, json_integer_value(jid));
    else {
        acc_jpath_field(&c.path, "id");
        return fail(&c, jid ? "the id must be a string or an integer, not %s" : "every case needs an \"id\"%s",
                    jid ? acc_json_kind(jid) : "");
    }
    if (!json_object_get(obj, "date")) {
        acc_jpath_field(&c.path, "date");
        return fail(&c, "every case needs its determination \"date\"");
    }
    Type ct = {TY_RECORD, NULL, NULL, voc->case_rec};
    return conv_record(&c, obj, &ct, out);
}

bool case_from_line(const IrVocabulary *voc, Arena *a, const char *line, size_t len, Value *out, const char **id,
                    CaseError *err) {
    json_error_t je;
    memset(err, 0, sizeof *err);
    *id = NULL;
    /* JSON_DECODE_ANY: a scalar parses, so that case_from_json can say
     * "a case is a JSON object, not an integer" */
    json_t *j = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!j) {
        if (json_error_code(&je) == json_error_invalid_utf8)
            snprintf(err->message, sizeof err->message, "invalid JSON at column %d: the line is not valid UTF-8 (%s)",
                     je.column, je.text);
        else
            snprintf(err->message, sizeof err->message, "invalid JSON at column %d: %s", je.column, je.text);
        return false;
    }
    bool ok = case_from_json(voc, a, j, out, id, err);
    json_decref(j);
    return ok;
}

/* ---- Values to JSON --------------------------------------------------------- */

static json_t *rat_json(Rat q, const char *suffix) {
    if (q.den == 1 && !*suffix) return json_integer(q.num);
    char buf[96];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    Value v = {0};
    v.kind = TY_RATIO;
    v.q = q;
    value_print(f, &v, &ty_ratio);
    fputs(suffix, f);
    fclose(f);
    buf[sizeof buf - 1] = 0;
    return json_string(buf);
}

static bool is_default(const Value *v) {
    switch (v->kind) {
    case TY_BOOL: return !v->b;
    case TY_DATE: return v->i == acc_date_min();
    case TY_RATIO: case TY_PERCENT: case TY_MONEY: case TY_EXACT_MONEY: return v->q.num == 0 && v->cur == 0;
    case TY_SET: return set_size(v) == 0;
    case TY_LIST: return v->agg.n == 0;
    case TY_RECORD:
        for (uint32_t i = 0; i < v->agg.n; i++)
            if (!is_default(&v->agg.items[i])) return false;
        return true;
    default: return v->i == 0;
    }
}

static json_t *to_json(const Value *v, const Type *t, bool full) {
    char buf[128];
    switch (v->kind) {
    case TY_BOOL: return json_boolean(v->b);
    case TY_INT: case TY_DAYS: case TY_MONTHS: return json_integer(v->i);
    case TY_RATIO: return rat_json(v->q, "");
    case TY_PERCENT: {
        Rat p;
        if (!rat_mul(v->q, (Rat){100, 1}, &p)) return json_null();
        return p.den == 1 ? json_integer(p.num) : rat_json(p, "%");
    }
    case TY_DATE: acc_date_format((acc_date)v->i, buf); return json_string(buf);
    case TY_MONEY: case TY_EXACT_MONEY:
        if (v->cur == 0) return json_null(); /* zero, no currency yet */
        value_format(buf, sizeof buf, v, t);
        return json_string(buf);
    case TY_COUNTRY: return v->i ? json_string(acc_country_code((int)v->i)) : json_null();
    case TY_ENUM: return v->i && t && t->en ? json_string(t->en->consts[v->i - 1]) : json_null();
    case TY_SET: {
        json_t *a = json_array();
        for (int i = 1; i < 256; i++) {
            if (!set_has(v, i)) continue;
            Value e = {0};
            e.kind = t->elem->kind;
            e.i = i;
            json_array_append_new(a, to_json(&e, t->elem, full));
        }
        return a;
    }
    case TY_LIST: {
        json_t *a = json_array();
        for (uint32_t i = 0; i < v->agg.n; i++) json_array_append_new(a, to_json(&v->agg.items[i], t->elem, full));
        return a;
    }
    case TY_RECORD: {
        json_t *o = json_object();
        for (uint32_t i = 0; i < v->agg.n; i++) {
            if (!full && is_default(&v->agg.items[i])) continue;
            json_object_set_new(o, t->rec->fields[i].name, to_json(&v->agg.items[i], t->rec->fields[i].type, full));
        }
        return o;
    }
    default: return json_null();
    }
}

json_t *value_to_json(const Value *v, const Type *t) { return to_json(v, t, true); }

json_t *case_to_json(const IrVocabulary *voc, const Value *kase, const char *id, bool full) {
    Type ct = {TY_RECORD, NULL, NULL, voc->case_rec};
    json_t *facts = to_json(kase, &ct, full);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(id ? id : ""));
    json_object_update(o, facts); /* "date" first among the facts: vocabulary order */
    json_decref(facts);
    return o;
}
