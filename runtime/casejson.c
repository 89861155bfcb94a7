/* casejson.c - libaccord's case reader: JSON text (SPEC §12.1) into the C
 * layout of a compiled evaluator's case record, driven by the module's
 * record, field and enum descriptors; see accord.h ("Building a case").
 *
 * It reads the same format, with the same rules and messages, as the
 * compiler's case reader (compiler/caseio.c), but shares no code with it:
 * libaccord never depends on the compiler, and this reader knows only the
 * descriptors of one compiled module, not a checked vocabulary.
 * Memory: the case, its lists and its id live in one block: a first pass
 * over the JSON measures the lists, a second fills the zeroed block. */
#include "accord_cg.h"
#include "iso.h"
#include "jsonpath.h"
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIST 100000

/* What precedes a case in its block: the id, and nothing the host sees. */
typedef struct CaseHead {
    const char *id;
    _Alignas(16) unsigned char pad[16];
} CaseHead;

typedef struct Reader {
    const acc_module *m;
    AccJsonPath path;
    char *err;
    size_t errlen;
    char *next;          /* bump pointer into the block, for lists */
} Reader;

static bool fail(Reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(Reader *r, const char *fmt, ...) {
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->err && r->errlen) snprintf(r->err, r->errlen, "%.*s%s%s", (int)r->path.len, r->path.s, r->path.len ? ": " : "", msg);
    return false;
}


static size_t round16(size_t n) { return (n + 15) / 16 * 16; }

/* ---- pass 1: the bytes the lists need ------------------------------------ */

static size_t measure(const acc_module *m, uint32_t rec, json_t *obj) {
    if (!json_is_object(obj)) return 0;
    const acc_record_desc *rd = &m->records[rec];
    size_t total = 0;
    for (uint32_t f = 0; f < rd->nfields; f++) {
        const acc_field_desc *fd = &rd->fields[f];
        json_t *v = json_object_get(obj, fd->name);
        if (!v) continue;
        if (fd->kind == ACC_T_RECORD) total += measure(m, (uint32_t)fd->ref, v);
        if (fd->kind == ACC_T_LIST && json_is_array(v) && json_array_size(v) <= MAX_LIST) {
            total += round16((size_t)m->records[fd->ref].size * json_array_size(v));
            size_t i;
            json_t *e;
            json_array_foreach(v, i, e) total += measure(m, (uint32_t)fd->ref, e);
        }
    }
    return total;
}

/* ---- pass 2: values ------------------------------------------------------ */

/* "123", "12.5" exactly into num/den (reduced); false on anything else */
static bool parse_decimal(const char *s, size_t n, acc_rat *out) {
    __int128 num = 0, den = 1;
    bool dot = false, any = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.' && !dot) { dot = true; continue; }
        if (s[i] < '0' || s[i] > '9') return false;
        any = true;
        num = num * 10 + (s[i] - '0');
        if (dot) den *= 10;
        if (num > INT64_MAX || den > INT64_MAX) return false;
    }
    return any && acc_rat_make((int64_t)num, (int64_t)den, out);
}

static bool read_duration(Reader *r, json_t *j, int32_t kind, int64_t *out) {
    bool months = kind == ACC_T_MONTHS;
    int64_t n;
    if (json_is_integer(j)) {
        n = json_integer_value(j);
    } else if (json_is_string(j)) {
        const char *s = json_string_value(j), *p = s;
        bool ok = *p >= '0' && *p <= '9';
        __int128 v = 0;
        while (ok && *p >= '0' && *p <= '9' && v <= INT64_MAX) v = v * 10 + (*p++ - '0');
        while (*p == ' ') p++;
        int64_t mul = 0;
        if (!*p) mul = 1;
        else if (months && (!strcmp(p, "months") || !strcmp(p, "month"))) mul = 1;
        else if (months && (!strcmp(p, "years") || !strcmp(p, "year"))) mul = 12;
        else if (months && (!strcmp(p, "quarters") || !strcmp(p, "quarter"))) mul = 3;
        else if (!months && (!strcmp(p, "days") || !strcmp(p, "day"))) mul = 1;
        else if (!months && (!strcmp(p, "weeks") || !strcmp(p, "week"))) mul = 7;
        if (s[0] == '-') return fail(r, "negative duration (%s)", s);
        if (!ok || !mul || v * mul > INT64_MAX)
            return fail(r, "expected a duration in %s such as \"%s\", not \"%s\"", months ? "months" : "days",
                        months ? "24 months" : "30 days", s);
        n = (int64_t)(v * mul);
    } else {
        return fail(r, "expected a duration (an integer number of %s), not %s", months ? "months" : "days", acc_json_kind(j));
    }
    if (n < 0) return fail(r, "negative duration (%" PRId64 " %s)", n, months ? "months" : "days");
    *out = n;
    return true;
}

static bool read_percent(Reader *r, json_t *j, acc_rat *out) {
    acc_rat q;
    if (json_is_integer(j)) {
        q.num = json_integer_value(j);
        q.den = 1;
        if (q.num < 0) return fail(r, "negative percentage");
    } else if (json_is_string(j)) {
        const char *s = json_string_value(j);
        size_t n = strlen(s);
        if (n && s[n - 1] == '%') n--;
        if (s[0] == '-') return fail(r, "negative percentage");
        if (!parse_decimal(s, n, &q)) return fail(r, "expected a percentage such as 25 or \"12.5%%\", not \"%s\"", s);
    } else if (json_is_real(j)) {
        return fail(r, "a decimal percentage must be a string such as \"12.5%%\" (no binary floating point)");
    } else {
        return fail(r, "expected a percentage, not %s", acc_json_kind(j));
    }
    if ((__int128)q.num > (__int128)q.den * 100) return fail(r, "a share cannot exceed 100%%");
    if (!acc_rat_div(q.num, q.den, 100, 1, out)) return fail(r, "percentage out of range");
    return true;
}

static bool read_money(Reader *r, json_t *j, int64_t *minor, uint16_t *cur) {
    *minor = 0;
    *cur = 0;
    if (json_is_null(j)) return true;
    if (!json_is_string(j)) return fail(r, "expected an amount such as \"1234.56 EUR\", not %s", acc_json_kind(j));
    const char *s = json_string_value(j);
    const char *sp = strchr(s, ' ');
    if (!sp || strlen(sp + 1) != 3) return fail(r, "expected an amount such as \"1234.56 EUR\", not \"%s\"", s);
    int c = acc_currency_lookup(sp + 1, 3);
    if (c < 0) return fail(r, "unknown currency code '%s'", sp + 1);
    acc_rat q;
    if (!parse_decimal(s, (size_t)(sp - s), &q)) {
        if (s[0] == '-') return fail(r, "negative amount \"%s\"", s);
        return fail(r, "expected an amount such as \"1234.56 EUR\", not \"%s\"", s);
    }
    int e = acc_currency_minor_units(c);
    __int128 v = q.num;
    for (int i = 0; i < e; i++) v *= 10;
    if (v % q.den) return fail(r, "%s amounts have %d decimal place%s: \"%s\"", sp + 1, e, e == 1 ? "" : "s", s);
    v /= q.den;
    if (v > INT64_MAX) return fail(r, "amount too large");
    *minor = (int64_t)v;
    *cur = (uint16_t)c;
    return true;
}

static bool read_date(Reader *r, json_t *j, acc_cdate *out) {
    if (!json_is_string(j)) return fail(r, "expected a date \"YYYY-MM-DD\", not %s", acc_json_kind(j));
    const char *s = json_string_value(j);
    acc_date d;
    if (!acc_date_parse(s, strlen(s), &d)) {
        int y = 0, mo = 0, dd = 0;
        if (strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", &y, &mo, &dd) == 3 && mo >= 1 && mo <= 12 && y >= 1)
            return fail(r, "invalid date \"%s\": month %d of %d has %d days", s, mo, y, acc_days_in_month(y, mo));
        return fail(r, "invalid date \"%s\" (expected YYYY-MM-DD)", s);
    }
    *out = acc_cdate_from(d);
    return true;
}

/* a country code or an enum constant; null is none (0) */
static bool read_ordinal(Reader *r, json_t *j, int32_t kind, int32_t ref, uint8_t *out) {
    *out = 0;
    if (json_is_null(j)) return true;
    if (!json_is_string(j)) return fail(r, "expected %s, not %s", kind == ACC_T_COUNTRY ? "a country code" : "an enum constant", acc_json_kind(j));
    const char *s = json_string_value(j);
    if (kind == ACC_T_COUNTRY) {
        int o = acc_country_lookup(s, strlen(s));
        if (o < 0) return fail(r, "unknown country code '%s' (ISO 3166-1 alpha-2 expected)", s);
        *out = (uint8_t)o;
        return true;
    }
    const acc_enum_desc *e = &r->m->enums[ref];
    for (uint32_t k = 0; k < e->n; k++)
        if (!strcmp(e->consts[k], s)) {
            *out = (uint8_t)(k + 1);
            return true;
        }
    char list[200] = "";
    size_t n = 0;
    for (uint32_t k = 0; k < e->n && n < sizeof list - 40; k++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", k ? ", " : "", e->consts[k]);
    return fail(r, "unknown %s '%s' (one of: %s)", e->name, s, list);
}

static bool read_record(Reader *r, json_t *j, uint32_t rec, char *dst, bool is_case);

static bool read_field(Reader *r, json_t *j, const acc_field_desc *fd, char *dst) {
    switch (fd->kind) {
    case ACC_T_BOOL: {
        if (!json_is_boolean(j)) return fail(r, "expected true or false, not %s", acc_json_kind(j));
        bool b = json_is_true(j);
        memcpy(dst, &b, 1);
        return true;
    }
    case ACC_T_INT: {
        if (!json_is_integer(j)) return fail(r, "expected an integer, not %s", acc_json_kind(j));
        int64_t i = json_integer_value(j);
        memcpy(dst, &i, 8);
        return true;
    }
    case ACC_T_DAYS: case ACC_T_MONTHS: {
        int64_t n = 0;
        if (!read_duration(r, j, fd->kind, &n)) return false;
        memcpy(dst, &n, 8);
        return true;
    }
    case ACC_T_DATE: {
        acc_cdate d = 0;
        if (!read_date(r, j, &d)) return false;
        memcpy(dst, &d, 4);
        return true;
    }
    case ACC_T_RATIO: {
        acc_rat q = {0, 1};
        if (json_is_integer(j)) q.num = json_integer_value(j);
        else if (!json_is_string(j) || !parse_decimal(json_string_value(j), strlen(json_string_value(j)), &q))
            return fail(r, "expected a number such as 2 or \"0.5\"");
        memcpy(dst, &q, sizeof q);
        return true;
    }
    case ACC_T_PERCENT: {
        acc_rat q;
        if (!read_percent(r, j, &q)) return false;
        memcpy(dst, &q, sizeof q);
        return true;
    }
    case ACC_T_MONEY: {
        acc_money mo;
        memset(&mo, 0, sizeof mo);
        if (!read_money(r, j, &mo.minor, &mo.currency)) return false;
        memcpy(dst, &mo, sizeof mo);
        return true;
    }
    case ACC_T_EXACT_MONEY: {
        acc_exact_money mo;
        memset(&mo, 0, sizeof mo);
        if (!read_money(r, j, &mo.amount.num, &mo.currency)) return false;
        mo.amount.den = 1;
        memcpy(dst, &mo, sizeof mo);
        return true;
    }
    case ACC_T_COUNTRY: case ACC_T_ENUM: return read_ordinal(r, j, fd->kind, fd->ref, (uint8_t *)dst);
    case ACC_T_SET: {
        if (!json_is_array(j))
            return fail(r, "expected an array of %s, not %s", fd->elem_kind == ACC_T_COUNTRY ? "country codes" : "enum constants",
                        acc_json_kind(j));
        acc_set s;
        memset(&s, 0, sizeof s);
        size_t i;
        json_t *e;
        json_array_foreach(j, i, e) {
            size_t old = acc_jpath_index(&r->path, i);
            uint8_t o;
            if (json_is_null(e)) return fail(r, "null is not a member of a set");
            if (!read_ordinal(r, e, fd->elem_kind, fd->ref, &o)) return false;
            s.bits[o >> 6] |= (uint64_t)1 << (o & 63);
            acc_jpath_pop(&r->path, old);
        }
        memcpy(dst, &s, sizeof s);
        return true;
    }
    case ACC_T_LIST: {
        const acc_record_desc *er = &r->m->records[fd->ref];
        if (!json_is_array(j)) return fail(r, "expected an array of %s, not %s", er->name, acc_json_kind(j));
        size_t n = json_array_size(j);
        if (n > MAX_LIST) return fail(r, "more than %d elements", MAX_LIST);
        acc_list li;
        memset(&li, 0, sizeof li);
        li.n = (uint32_t)n;
        char *items = n ? r->next : NULL;
        r->next += round16((size_t)er->size * n);
        li.items = items;
        size_t i;
        json_t *e;
        json_array_foreach(j, i, e) {
            size_t old = acc_jpath_index(&r->path, i);
            if (!read_record(r, e, (uint32_t)fd->ref, items + (size_t)er->size * i, false)) return false;
            acc_jpath_pop(&r->path, old);
        }
        memcpy(dst, &li, sizeof li);
        return true;
    }
    case ACC_T_RECORD: return read_record(r, j, (uint32_t)fd->ref, dst, false);
    default: return fail(r, "this kind of fact cannot be given");
    }
}

static int find_field(const acc_record_desc *rd, const char *name, int32_t kind) {
    for (uint32_t f = 0; f < rd->nfields; f++)
        if (!strcmp(rd->fields[f].name, name) && (kind < 0 || rd->fields[f].kind == kind)) return (int)f;
    return -1;
}

static bool read_record(Reader *r, json_t *j, uint32_t rec, char *dst, bool is_case) {
    const acc_record_desc *rd = &r->m->records[rec];
    if (!json_is_object(j)) return fail(r, "expected an object (%s), not %s", rd->name, acc_json_kind(j));
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v) {
        int f = find_field(rd, key, -1);
        size_t old = acc_jpath_field(&r->path, key);
        if (f < 0) {
            /* the case's id travels beside the facts, not among them */
            if (is_case && !strcmp(key, "id")) {
                acc_jpath_pop(&r->path, old);
                continue;
            }
            char names[256] = "";
            size_t k = 0;
            for (uint32_t i = 0; i < rd->nfields && k < sizeof names - 40; i++)
                k += (size_t)snprintf(names + k, sizeof names - k, "%s%s", i ? ", " : "", rd->fields[i].name);
            return fail(r, "unknown field '%s' in %s (fields: %s)", key, rd->name, names);
        }
        if (!read_field(r, v, &rd->fields[f], dst + rd->fields[f].offset)) return false;
        acc_jpath_pop(&r->path, old);
    }
    /* SPEC §12.1: a record with dates `from` and `to` (a period) gives both,
     * and does not end before it starts */
    int ff = find_field(rd, "from", ACC_T_DATE), ft = find_field(rd, "to", ACC_T_DATE);
    if (ff >= 0 && ft >= 0) {
        bool has_f = json_object_get(j, "from") != NULL, has_t = json_object_get(j, "to") != NULL;
        if (!has_f || !has_t) {
            size_t old = acc_jpath_field(&r->path, has_f ? "to" : "from");
            bool ok = fail(r, "a %s needs both dates, 'from' and 'to' (the last day it covers)", rd->name);
            acc_jpath_pop(&r->path, old);
            return ok;
        }
        acc_cdate a, b;
        memcpy(&a, dst + rd->fields[ff].offset, 4);
        memcpy(&b, dst + rd->fields[ft].offset, 4);
        if (b < a) {
            char sa[11], sb[11];
            acc_date_format(acc_cdate_to(a), sa);
            acc_date_format(acc_cdate_to(b), sb);
            size_t old = acc_jpath_field(&r->path, "to");
            bool ok = fail(r, "the period ends (%s) before it starts (%s)", sb, sa);
            acc_jpath_pop(&r->path, old);
            return ok;
        }
    }
    return true;
}

void *acc_case_from_json(const acc_module *m, const char *json, size_t len, char *err, size_t errlen) {
    Reader r;
    memset(&r, 0, sizeof r);
    r.m = m;
    r.err = err;
    r.errlen = errlen;
    if (err && errlen) err[0] = 0;
    if (!m || !json) {
        fail(&r, "no module or no JSON text");
        return NULL;
    }
    json_error_t je;
    /* JSON_DECODE_ANY: a scalar parses, so that the message can say what it is */
    json_t *j = json_loadb(json, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!j) {
        fail(&r, "invalid JSON at line %d, column %d: %s", je.line, je.column, je.text);
        return NULL;
    }
    char *block = NULL;
    const acc_record_desc *cr = &m->records[m->case_record];
    json_t *jid = json_is_object(j) ? json_object_get(j, "id") : NULL;
    char idbuf[32] = "";
    const char *id = "";
    if (!json_is_object(j)) {
        fail(&r, "a case is a JSON object, not %s", acc_json_kind(j));
        goto out;
    }
    if (json_is_string(jid)) id = json_string_value(jid);
    else if (json_is_integer(jid)) snprintf(idbuf, sizeof idbuf, "%" JSON_INTEGER_FORMAT, json_integer_value(jid)), id = idbuf;
    else if (jid) {
        acc_jpath_field(&r.path, "id");
        fail(&r, "the id must be a string or an integer, not %s", acc_json_kind(jid));
        goto out;
    }
    if (find_field(cr, "date", ACC_T_DATE) >= 0 && !json_object_get(j, "date")) {
        acc_jpath_field(&r.path, "date");
        fail(&r, "every case needs its determination \"date\"");
        goto out;
    }
    size_t head = round16(sizeof(CaseHead)), body = round16(cr->size), lists = measure(m, m->case_record, j);
    size_t idlen = strlen(id) + 1;
    block = calloc(1, head + body + lists + idlen);
    if (!block) {
        fail(&r, "out of memory");
        goto out;
    }
    char *kase = block + head;
    char *idcopy = kase + body + lists;
    memcpy(idcopy, id, idlen);
    ((CaseHead *)block)->id = idcopy;
    r.next = kase + body;
    if (!read_record(&r, j, m->case_record, kase, true)) {
        free(block);
        block = NULL;
    }
out:
    json_decref(j);
    return block ? block + round16(sizeof(CaseHead)) : NULL;
}

const char *acc_case_id(const void *kase) {
    if (!kase) return "";
    return ((const CaseHead *)((const char *)kase - round16(sizeof(CaseHead))))->id;
}

void acc_case_free(void *kase) {
    if (kase) free((char *)kase - round16(sizeof(CaseHead)));
}
