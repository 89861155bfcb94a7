/* libaccord.c - the host API of libaccord: loading compiled evaluators,
 * asking questions, reading results and traces; see accord.h ("libaccord:
 * the host API").  Depends on the C library, dlopen and iso.h/accord_rt.h
 * only, never on the compiler. */
#define _GNU_SOURCE /* dladdr, RTLD_NOLOAD */
#include "accord_cg.h"
#include "iso.h"
#include <dlfcn.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

static void seterr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...) {
    if (!err || !errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---- loading ------------------------------------------------------------- */

/* The size a field of this kind has in a case (runtime/accord.h, ABI 1);
 * 0 for a record, whose size is its record's. */
static uint32_t kind_size(int32_t kind) {
    switch (kind) {
    case ACC_T_BOOL: case ACC_T_COUNTRY: case ACC_T_ENUM: return 1;
    case ACC_T_DATE: return 4;
    case ACC_T_INT: case ACC_T_DAYS: case ACC_T_MONTHS: case ACC_T_STRING: return 8;
    case ACC_T_RATIO: case ACC_T_PERCENT: return sizeof(acc_rat);
    case ACC_T_MONEY: return sizeof(acc_money);
    case ACC_T_EXACT_MONEY: return sizeof(acc_exact_money);
    case ACC_T_SET: return sizeof(acc_set);
    case ACC_T_LIST: return sizeof(acc_list);
    default: return 0;
    }
}

/* The descriptor tables are read by the case reader and the printers:
 * check that every index and offset in them is in range, so that a damaged
 * or hand-made module is refused rather than read out of bounds. */
static bool check_tables(const acc_module *m, const char *where, char *err, size_t errlen) {
#define BAD(...)                                                                                                     \
    do {                                                                                                             \
        char what_[200];                                                                                             \
        snprintf(what_, sizeof what_, __VA_ARGS__);                                                                  \
        seterr(err, errlen, "%s: malformed evaluator descriptor: %s", where, what_);                                 \
        return false;                                                                                                \
    } while (0)
    if (!m->agreement_id || !m->vocab_hash || !m->source_hash) BAD("missing identity (agreement id or hashes)");
    if ((m->nrecords && !m->records) || (m->nenums && !m->enums) || (m->nquestions && !m->questions) ||
        (m->nrules && !m->rules) || (m->nexprs && !m->exprs))
        BAD("a table is missing");
    if (m->case_record >= m->nrecords) BAD("case record %u of %u records", m->case_record, m->nrecords);
    for (uint32_t e = 0; e < m->nenums; e++)
        if (!m->enums[e].name || (m->enums[e].n && !m->enums[e].consts) || m->enums[e].n > 255) BAD("enum %u", e);
    for (uint32_t r = 0; r < m->nrecords; r++) {
        const acc_record_desc *rd = &m->records[r];
        if (!rd->name || (rd->nfields && !rd->fields)) BAD("record %u", r);
        for (uint32_t f = 0; f < rd->nfields; f++) {
            const acc_field_desc *fd = &rd->fields[f];
            uint32_t want = kind_size(fd->kind);
            bool enum_ref = fd->kind == ACC_T_ENUM || (fd->kind == ACC_T_SET && fd->elem_kind == ACC_T_ENUM);
            bool rec_ref = fd->kind == ACC_T_RECORD || fd->kind == ACC_T_LIST;
            if (!fd->name) BAD("field %u of record %s has no name", f, rd->name);
            if (enum_ref && (fd->ref < 0 || (uint32_t)fd->ref >= m->nenums)) BAD("field %s.%s: enum %d", rd->name, fd->name, fd->ref);
            if (rec_ref && (fd->ref < 0 || (uint32_t)fd->ref >= m->nrecords || (uint32_t)fd->ref == r))
                BAD("field %s.%s: record %d", rd->name, fd->name, fd->ref);
            if (fd->kind == ACC_T_RECORD) want = m->records[fd->ref].size;
            if (!want || fd->size != want) BAD("field %s.%s: kind %d, size %u", rd->name, fd->name, fd->kind, fd->size);
            if (fd->offset > rd->size || rd->size - fd->offset < fd->size) BAD("field %s.%s: offset %u", rd->name, fd->name, fd->offset);
            if (fd->kind == ACC_T_SET && fd->elem_kind != ACC_T_COUNTRY && fd->elem_kind != ACC_T_ENUM)
                BAD("field %s.%s: a set of kind %d", rd->name, fd->name, fd->elem_kind);
        }
    }
    for (uint32_t q = 0; q < m->nquestions; q++) {
        const acc_question_desc *qd = &m->questions[q];
        if (!qd->name || (qd->nparams && !qd->params)) BAD("question %u", q);
        for (uint32_t p = 0; p < qd->nparams; p++)
            if (qd->params[p].kind == ACC_T_ENUM && (qd->params[p].ref < 0 || (uint32_t)qd->params[p].ref >= m->nenums))
                BAD("question %s: parameter %u", qd->name, p);
        bool enum_result = qd->result_kind == ACC_T_ENUM || qd->result_kind == ACC_T_SET;
        if (enum_result && qd->result_ref >= 0 && (uint32_t)qd->result_ref >= m->nenums) BAD("question %s: result", qd->name);
    }
    return true;
#undef BAD
}

bool acc_check(const acc_module *m, const char *expected_vocab_hash, const char *where, char *err, size_t errlen) {
    if (!where) where = m && m->agreement_id ? m->agreement_id : "evaluator";
    if (!m) {
        seterr(err, errlen, "%s: no evaluator descriptor", where);
        return false;
    }
    /* abi_version is the first member in every version: read it before anything else */
    if (m->abi_version != ACC_ABI_VERSION) {
        seterr(err, errlen,
               "%s: compiled for ABI version %" PRIu32 ", but this libaccord implements ABI version %d; "
               "rebuild it with `accord build` of this release",
               where, m->abi_version, ACC_ABI_VERSION);
        return false;
    }
    if (!check_tables(m, where, err, errlen)) return false;
    if (expected_vocab_hash && strcmp(m->vocab_hash, expected_vocab_hash) != 0) {
        seterr(err, errlen,
               "%s: agreement %s was compiled against the vocabulary %s, but this program expects the vocabulary %s; "
               "build the evaluator and the program's headers (`accord build`, `accord header`) from the same vocabulary",
               where, m->agreement_id, m->vocab_hash, expected_vocab_hash);
        return false;
    }
    return true;
}

const acc_module *acc_load(const char *path, const char *expected_vocab_hash, char *err, size_t errlen) {
    if (!path) {
        seterr(err, errlen, "acc_load: no path given");
        return NULL;
    }
    /* "ph_de.so" means the file here, not a search of the library path */
    char local[4096];
    const char *open_as = path;
    if (!strchr(path, '/') && snprintf(local, sizeof local, "./%s", path) < (int)sizeof local) open_as = local;
    if (access(open_as, F_OK) != 0) {
        seterr(err, errlen, "%s: no such file", path);
        return NULL;
    }
    void *h = dlopen(open_as, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        seterr(err, errlen, "%s: cannot load: %s", path, why ? why : "unknown error");
        return NULL;
    }
    const acc_module *m = (const acc_module *)dlsym(h, "accord_module");
    if (!m) {
        seterr(err, errlen, "%s: not a compiled Accord evaluator (it exports no symbol accord_module)", path);
        dlclose(h);
        return NULL;
    }
    if (!acc_check(m, expected_vocab_hash, path, err, errlen)) {
        dlclose(h);
        return NULL;
    }
    return m;
}

void acc_unload(const acc_module *m) {
    Dl_info info;
    if (!m || !dladdr(m, &info) || !info.dli_fname) return;
    /* the handle of the library holding m: RTLD_NOLOAD takes a reference
     * without loading; drop it and the one acc_load took */
    void *h = dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD);
    if (!h) return;
    dlclose(h);
    dlclose(h);
}

/* ---- questions and arguments -------------------------------------------- */

const acc_question_desc *acc_question(const acc_module *m, const char *name) {
    for (uint32_t i = 0; m && name && i < m->nquestions; i++)
        if (!strcmp(m->questions[i].name, name)) return &m->questions[i];
    return NULL;
}

bool acc_arg_parse(const acc_module *m, const acc_question_desc *q, uint32_t i, const char *text, acc_value *out,
                   char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    if (i >= q->nparams) {
        seterr(err, errlen, "%s takes %" PRIu32 " argument%s", q->name, q->nparams, q->nparams == 1 ? "" : "s");
        return false;
    }
    const acc_param_desc *p = &q->params[i];
    out->kind = p->kind;
    if (p->kind == ACC_T_COUNTRY) {
        int o = strcmp(text, "none") ? acc_country_lookup(text, strlen(text)) : 0;
        if (o < 0) {
            seterr(err, errlen, "%s: %s: unknown country code '%s' (ISO 3166-1 alpha-2 expected)", q->name, p->name, text);
            return false;
        }
        out->i = o;
        return true;
    }
    if (p->kind == ACC_T_ENUM) {
        const acc_enum_desc *e = &m->enums[p->ref];
        for (uint32_t k = 0; k < e->n; k++)
            if (!strcmp(e->consts[k], text)) {
                out->i = (int64_t)k + 1;
                return true;
            }
        seterr(err, errlen, "%s: %s: unknown %s '%s'", q->name, p->name, e->name, text);
        return false;
    }
    seterr(err, errlen, "%s: %s: only country and enum arguments can be given as text", q->name, p->name);
    return false;
}

static void no_entry(acc_result *out, const acc_question_desc *q, const char *what) {
    memset(out, 0, sizeof *out);
    out->kind = ACC_ERROR;
    out->why.code = ACC_WHY_TEXT;
    snprintf(out->why.text, sizeof out->why.text, "the evaluator has no %s entry point for %s", what, q ? q->name : "(no question)");
}

void acc_ask(const acc_module *m, const acc_question_desc *q, const void *kase, const acc_value *args, acc_result *out) {
    (void)m;
    if (!q || !q->ask) no_entry(out, q, "");
    else q->ask(kase, args, out);
}

void acc_ask_traced(const acc_module *m, const acc_question_desc *q, const void *kase, const acc_value *args,
                    acc_result *out, acc_trace *trace) {
    (void)m;
    if (!q || !q->ask_traced) no_entry(out, q, "traced");
    else q->ask_traced(kase, args, out, trace);
}

/* ---- values and results as text ----------------------------------------- */

const char *acc_outcome_name(int32_t kind) {
    static const char *const names[] = {"decided", "conflict", "undetermined", "not covered", "error"};
    return kind >= 0 && kind <= ACC_ERROR ? names[kind] : "unknown outcome";
}

/* An appending writer into a caller buffer: truncates, always terminated. */
typedef struct Buf {
    char *p;
    size_t n, len;
} Buf;

static void put(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(Buf *b, const char *fmt, ...) {
    if (!b->n || b->len >= b->n - 1) return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->p + b->len, b->n - b->len, fmt, ap);
    va_end(ap);
    if (k > 0) b->len = b->len + (size_t)k < b->n ? b->len + (size_t)k : b->n - 1;
}

/* num/den as a decimal when den is 2^a 5^b (at least `scale` digits after
 * the point), else as a fraction; exact, no floating point. */
static void put_decimal(Buf *b, int64_t num, int64_t den, int scale) {
    if (den == 0) den = 1; /* a zeroed acc_rat is 0 */
    acc_rat q;
    if (acc_rat_make(num, den, &q)) { /* reduced, den > 0 */
        num = q.num;
        den = q.den;
    }
    int64_t d = den;
    int twos = 0, fives = 0;
    while (d % 2 == 0) { d /= 2; twos++; }
    while (d % 5 == 0) { d /= 5; fives++; }
    if (d != 1 || twos > 18 || fives > 18) {
        put(b, "%" PRId64 "/%" PRId64, num, den);
        return;
    }
    int digits = twos > fives ? twos : fives;
    if (digits < scale) digits = scale;
    __int128 p10 = 1;
    for (int i = 0; i < digits; i++) p10 *= 10;
    __int128 scaled = (__int128)num * p10 / den;
    bool neg = scaled < 0;
    if (neg) scaled = -scaled;
    put(b, "%s%" PRId64, neg ? "-" : "", (int64_t)(scaled / p10));
    if (digits) put(b, ".%0*" PRId64, digits, (int64_t)(scaled % p10));
}

static void put_ordinal(Buf *b, const acc_module *m, int32_t kind, int32_t ref, int64_t o) {
    if (o == 0) {
        put(b, "none");
        return;
    }
    if (kind == ACC_T_COUNTRY) {
        const char *c = o > 0 && o <= ACC_NCOUNTRIES ? acc_country_code((int)o) : NULL;
        put(b, "%s", c ? c : "??");
        return;
    }
    if (m && ref >= 0 && (uint32_t)ref < m->nenums && o > 0 && (uint64_t)o <= m->enums[ref].n)
        put(b, "%s", m->enums[ref].consts[o - 1]);
    else
        put(b, "#%" PRId64, o);
}

static void put_value(Buf *b, const acc_module *m, int32_t kind, int32_t ref, const acc_value *v) {
    switch (kind) {
    case ACC_T_BOOL: put(b, "%s", v->b ? "true" : "false"); return;
    case ACC_T_INT: put(b, "%" PRId64, v->i); return;
    case ACC_T_RATIO: put_decimal(b, v->q.num, v->q.den, 0); return;
    case ACC_T_PERCENT: {
        __int128 n = (__int128)v->q.num * 100;
        int64_t den = v->q.den ? v->q.den : 1;
        if (n > INT64_MAX || n < -INT64_MAX) put(b, "<overflow>");
        else put_decimal(b, (int64_t)n, den, 0);
        put(b, "%%");
        return;
    }
    case ACC_T_DATE: {
        char d[11];
        acc_date_format((acc_date)v->i, d);
        put(b, "%s", d);
        return;
    }
    case ACC_T_DAYS: put(b, "%" PRId64 " day%s", v->i, v->i == 1 || v->i == -1 ? "" : "s"); return;
    case ACC_T_MONTHS: put(b, "%" PRId64 " month%s", v->i, v->i == 1 || v->i == -1 ? "" : "s"); return;
    case ACC_T_MONEY: case ACC_T_EXACT_MONEY: {
        int64_t num = v->q.num, den = v->q.den ? v->q.den : 1;
        const char *code = acc_currency_code(v->currency);
        if (!code) {
            /* a missing amount: zero, in no currency yet (SPEC §7.2) */
            put(b, num == 0 ? "0 (no currency)" : "<amount without currency>");
            return;
        }
        int e = acc_currency_minor_units(v->currency);
        int64_t p = 1;
        for (int i = 0; i < e; i++) p *= 10;
        __int128 dd = (__int128)den * p;
        if (dd > INT64_MAX) put(b, "<overflow>");
        else put_decimal(b, num, (int64_t)dd, e);
        put(b, " %s", code);
        return;
    }
    case ACC_T_COUNTRY: case ACC_T_ENUM: put_ordinal(b, m, kind, ref, v->i); return;
    case ACC_T_SET: {
        /* a set of enum has the enum's index as ref; a set of country has -1 */
        int32_t ek = ref >= 0 ? ACC_T_ENUM : ACC_T_COUNTRY;
        put(b, "{");
        bool first = true;
        for (int i = 0; i < 256; i++) {
            if (!((v->bits[i >> 6] >> (i & 63)) & 1)) continue;
            put(b, "%s", first ? "" : ", ");
            first = false;
            put_ordinal(b, m, ek, ref, i);
        }
        put(b, "}");
        return;
    }
    default: put(b, "<value of kind %d>", (int)kind); return;
    }
}

const char *acc_value_text(const acc_module *m, int32_t kind, int32_t ref, const acc_value *v, char *buf, size_t n) {
    Buf b = {buf, n, 0};
    if (n) buf[0] = 0;
    put_value(&b, m, kind, ref, v);
    return buf;
}

static void put_rule(Buf *b, const acc_module *m, int32_t rule) {
    if (rule < 0 || (uint32_t)rule >= m->nrules) {
        put(b, "rule #%d", (int)rule);
        return;
    }
    const acc_rule_desc *r = &m->rules[rule];
    put(b, "%s", r->cite && r->cite[0] ? r->cite : "(no article)");
    if (r->label) put(b, " (rule %s)", r->label);
}

const char *acc_result_citation(const acc_module *m, const acc_result *r, char *buf, size_t n) {
    Buf b = {buf, n, 0};
    if (n) buf[0] = 0;
    int k = r->nrules < 0 ? 0 : r->nrules > ACC_MAX_RULES ? ACC_MAX_RULES : r->nrules;
    for (int i = 0; i < k; i++) {
        int32_t x = r->rules[i];
        const char *cite = x >= 0 && (uint32_t)x < m->nrules && m->rules[x].cite ? m->rules[x].cite : NULL;
        if (!cite || !cite[0]) continue;
        bool seen = false; /* several rules of one article: cite it once */
        for (int j = 0; j < i; j++) {
            int32_t y = r->rules[j];
            if (y >= 0 && (uint32_t)y < m->nrules && m->rules[y].cite && !strcmp(m->rules[y].cite, cite)) seen = true;
        }
        if (!seen) put(&b, "%s%s", b.len ? ", " : "", cite);
    }
    return buf;
}

const char *acc_result_text(const acc_module *m, const acc_question_desc *q, const acc_result *r, char *buf, size_t n) {
    Buf b = {buf, n, 0};
    if (n) buf[0] = 0;
    if (r->kind == ACC_DECIDED) {
        put_value(&b, m, q->result_kind, q->result_ref, &r->value);
    } else if (r->kind == ACC_CONFLICT && r->nrules >= 2) {
        for (int i = 0; i < 2; i++) {
            put(&b, "%s", i ? " or " : "");
            put_value(&b, m, q->result_kind, q->result_ref, &r->values[i]);
            put(&b, " (");
            put_rule(&b, m, r->rules[i]);
            put(&b, ")");
        }
    } else {
        char why[ACC_REASON_MAX];
        acc_result_reason(r, why, sizeof why);
        put(&b, "%s", why[0] ? why : acc_outcome_name(r->kind));
    }
    return buf;
}

/* ---- traces --------------------------------------------------------------- */

static void put_call(Buf *b, const acc_module *m, int32_t qi, const acc_value *args) {
    if (qi < 0 || (uint32_t)qi >= m->nquestions) {
        put(b, "question #%d", (int)qi);
        return;
    }
    const acc_question_desc *q = &m->questions[qi];
    put(b, "%s", q->name);
    for (uint32_t p = 0; p < q->nparams && p < 2; p++) {
        put(b, "%s", p ? ", " : "(");
        put_value(b, m, q->params[p].kind, q->params[p].ref, &args[p]);
    }
    if (q->nparams) put(b, "%s)", q->nparams > 2 ? ", ..." : "");
}

static void put_expr(Buf *b, const acc_module *m, int32_t e) {
    if (e >= 0 && (uint32_t)e < m->nexprs && m->exprs[e].text)
        put(b, "`%s` (line %" PRIu32 ")", m->exprs[e].text, m->exprs[e].line);
    else
        put(b, "an expression");
}

void acc_trace_print(const acc_module *m, const acc_trace *t, FILE *out) {
    /* the question each rule event belongs to: the innermost question asked */
    int32_t stack[64];
    int top = 0;
    char line[1024];
    const acc_record_desc *cr = &m->records[m->case_record];
    uint64_t read[4] = {0}; /* the case's fields read, by index */
    for (size_t i = 0; i < t->n; i++) {
        const acc_trace_event *ev = &t->ev[i];
        Buf b = {line, sizeof line, 0};
        line[0] = 0;
        int32_t cur = ev->question >= 0 ? ev->question : top > 0 ? stack[top - 1] : -1;
        const acc_question_desc *q = cur >= 0 && (uint32_t)cur < m->nquestions ? &m->questions[cur] : NULL;
        put(&b, "%*s", (ev->depth > 0 && ev->depth < 40 ? ev->depth : 0) * 2, "");
        switch (ev->kind) {
        case ACC_TR_ASK:
            put(&b, "asks ");
            put_call(&b, m, ev->question, ev->args);
            if (top < 64) stack[top] = ev->question;
            top++;
            break;
        case ACC_TR_ANSWER:
            put_call(&b, m, ev->question, ev->args);
            put(&b, " is %s", acc_outcome_name(ev->outcome));
            if (ev->outcome == ACC_DECIDED && q) {
                put(&b, ": ");
                put_value(&b, m, q->result_kind, q->result_ref, &ev->value);
            }
            if (top > 0) top--;
            break;
        case ACC_TR_NOT_IN_FORCE: put_rule(&b, m, ev->rule); put(&b, ": not in force on the date"); break;
        case ACC_TR_HEAD_MISMATCH: put_rule(&b, m, ev->rule); put(&b, ": its head does not match"); break;
        case ACC_TR_COND_FALSE:
            put_rule(&b, m, ev->rule);
            put(&b, ": does not apply: ");
            put_expr(&b, m, ev->expr);
            put(&b, " is false");
            break;
        case ACC_TR_DECIDED:
            put_rule(&b, m, ev->rule);
            put(&b, ": applies, answer ");
            if (q) put_value(&b, m, q->result_kind, q->result_ref, &ev->value);
            else put_value(&b, m, ev->value.kind, -1, &ev->value);
            break;
        case ACC_TR_FAILED: put_rule(&b, m, ev->rule); put(&b, ": cannot answer (%s)", acc_outcome_name(ev->outcome)); break;
        case ACC_TR_OVERRIDDEN:
            put_rule(&b, m, ev->rule);
            put(&b, " gives way to its exception ");
            put_rule(&b, m, ev->by);
            break;
        case ACC_TR_ARITH:
            put(&b, "computes ");
            put_expr(&b, m, ev->expr);
            put(&b, ": ");
            put_value(&b, m, ev->a.kind, -1, &ev->a);
            if (ev->b.kind) {
                put(&b, " and ");
                put_value(&b, m, ev->b.kind, -1, &ev->b);
            }
            put(&b, " give ");
            put_value(&b, m, ev->value.kind, -1, &ev->value);
            break;
        case ACC_TR_FACT:
            /* listed once, at the end, as `accord explain` lists the facts used */
            if (ev->slot >= 0 && (uint32_t)ev->slot < cr->nfields && (uint32_t)ev->slot < sizeof read * 8)
                read[ev->slot >> 6] |= (uint64_t)1 << (ev->slot & 63);
            continue;
        default: put(&b, "event of kind %d", (int)ev->kind); break;
        }
        fprintf(out, "%s\n", line);
    }
    bool any = false;
    for (uint32_t f = 0; f < cr->nfields && f < sizeof read * 8; f++)
        if ((read[f >> 6] >> (f & 63)) & 1) {
            fprintf(out, "%s%s", any ? ", " : "facts used: ", cr->fields[f].name);
            any = true;
        }
    if (any) fputc('\n', out);
    if (t->oom) fprintf(out, "(the trace is incomplete: out of memory while recording it)\n");
}
