/* check.c - from raw syntax trees to the typed core IR; see check.h.
 *
 * The checker runs in passes over an agreement (SPEC §6):
 *   1. header: parties, dates, precedence declarations;
 *   2. declarations: articles (with their citations), parameters, the
 *      signatures of definitions, protocols (so that a rule can refer to
 *      anything declared anywhere in the file, in any order);
 *   3. bodies: definitions, rules, scope clauses, each expression checked
 *      against an expected type where one is known (bidirectional, so that
 *      `none`, `{}` and enum constants need no annotation);
 *   4. exception edges and their cycles, then the dependency graph of
 *      questions and definitions and its cycles;
 *   5. examples, which become constant case values.
 * Errors are recorded and checking continues with TY_ERROR, which every
 * rule below accepts silently so that one mistake gives one message.
 */
#include "check.h"
#include "accord_rt.h"
#include "diag.h"
#include "iso.h"
#include <inttypes.h>
#include <limits.h>
#include <string.h>

#define MAX_EXPR_DEPTH 400 /* SPEC §2.6 */
#define DATE_MIN INT32_MIN
#define DATE_MAX INT32_MAX

typedef struct Local {
    const char *name;
    int slot;
    const Type *type;
    struct Local *next;
} Local;

/* A string-keyed hash table in the arena, so that looking up articles, rule
 * labels and example names stays linear in the size of the agreement (a
 * 50,000-article file must not take minutes). */
typedef struct MapEntry {
    const char *key;
    void *val;
} MapEntry;
typedef struct Map {
    MapEntry *e;
    size_t cap, n;
} Map;

static uint64_t hash_str(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void *map_get(const Map *m, const char *key) {
    if (!m->cap) return NULL;
    for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->e[i].key) return NULL;
        if (strcmp(m->e[i].key, key) == 0) return m->e[i].val;
    }
}

/* Insert unless present; returns the value now stored under key. */
static void *map_add(Arena *A, Map *m, const char *key, void *val) {
    if (2 * (m->n + 1) > m->cap) {
        Map bigger = {arena_alloc(A, sizeof(MapEntry) * (m->cap ? m->cap * 2 : 64)), m->cap ? m->cap * 2 : 64, 0};
        for (size_t i = 0; i < m->cap; i++)
            if (m->e[i].key) map_add(A, &bigger, m->e[i].key, m->e[i].val);
        *m = bigger;
    }
    size_t i = hash_str(key) & (m->cap - 1);
    for (; m->e[i].key; i = (i + 1) & (m->cap - 1))
        if (strcmp(m->e[i].key, key) == 0) return m->e[i].val;
    m->e[i].key = key;
    m->e[i].val = val;
    m->n++;
    return val;
}

typedef struct Checker {
    Compilation *cx;
    Arena *A;
    IrVocabulary *voc;
    IrAgreement *ag;           /* NULL while checking the vocabulary */
    PtrVec defines;            /* IrDefine*: vocabulary's, then the agreement's */
    PtrVec define_asts;        /* AstItem* parallel to defines (bodies checked in pass 3) */
    Local *locals;
    int nslots, maxslots;
    /* context of the item being checked */
    const char *instrument;
    IrArticle *article;
    const char *cite;
    int32_t from, until;
    bool depth_reported;
    /* exception modifiers waiting for pass 4 */
    PtrVec pending_rules;      /* IrRule* */
    PtrVec pending_asts;       /* AstItem* */
    PtrVec ack_asts;           /* AstHeaderField*, one per ag->acks entry (their `by` and `where`) */
    Map articles;              /* "instrument\x01label" -> first IrArticle */
    Map article_of_item;       /* "%p" of the AstItem -> its IrArticle */
    Map labels;                /* rule label -> IrRule */
    Map example_names;         /* example name -> IrExample */
    bool protocols_now;        /* pass 0: the walk that declares protocols */
} Checker;

static IrExpr *check_expr(Checker *ck, const AstExpr *e, const Type *want);

/* ---- helpers ------------------------------------------------------------ */

static char tbuf1[128], tbuf2[128];
#define TN1(t) type_name((t), tbuf1, sizeof tbuf1)
#define TN2(t) type_name((t), tbuf2, sizeof tbuf2)

static IrExpr *ir_new(Checker *ck, IrKind k, const Type *t, Span sp) {
    IrExpr *e = arena_alloc(ck->A, sizeof *e);
    e->kind = k;
    e->type = t;
    e->span = sp;
    return e;
}

static IrExpr *ir_error(Checker *ck, Span sp) { return ir_new(ck, IR_CONST, &ty_error, sp); }

static const Type *mk_type(Checker *ck, TypeKind k, const Type *elem) {
    Type *t = arena_alloc(ck->A, sizeof *t);
    t->kind = k;
    t->elem = elem;
    return t;
}

static bool is_err(const Type *t) { return !t || t->kind == TY_ERROR; }

/* Levenshtein distance, for "did you mean" hints (small strings only). */
static int edit_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40) return 99;
    int d[41][41];
    for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c) c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c) c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[la][lb];
}

typedef struct Suggest {
    const char *best;
    int dist;
    const char *target;
} Suggest;
static void suggest(Suggest *s, const char *cand) {
    int d = edit_distance(s->target, cand);
    int limit = strlen(s->target) <= 3 ? 1 : 2;
    if (d <= limit && (!s->best || d < s->dist)) {
        s->best = cand;
        s->dist = d;
    }
}

static const IrEnum *find_enum(const IrVocabulary *voc, const char *name) {
    for (size_t i = 0; i < voc->enums.len; i++) {
        const IrEnum *en = voc->enums.items[i];
        if (strcmp(en->name, name) == 0) return en;
    }
    return NULL;
}
static const IrRecord *find_record(const IrVocabulary *voc, const char *name) {
    for (size_t i = 0; i < voc->records.len; i++) {
        const IrRecord *r = voc->records.items[i];
        if (strcmp(r->name, name) == 0) return r;
    }
    return NULL;
}
static int enum_ordinal(const IrEnum *en, const char *name) {
    for (int i = 0; i < en->n; i++)
        if (strcmp(en->consts[i], name) == 0) return i + 1;
    return 0;
}
static int field_index(const IrRecord *r, const char *name) {
    for (int i = 0; i < r->nfields; i++)
        if (strcmp(r->fields[i].name, name) == 0) return i;
    return -1;
}

static bool parse_date_report(Checker *ck, const AstExpr *e, int32_t *out, bool report) {
    acc_date d;
    if (!e || e->kind != EX_DATE) return false;
    if (acc_date_parse(e->text, strlen(e->text), &d)) {
        *out = d;
        return true;
    }
    if (!report) return false;
    int y = 0, m = 0, dd = 0;
    sscanf(e->text, "%d-%d-%d", &y, &m, &dd);
    if (m < 1 || m > 12)
        diag_error(ck->cx, e->span, "invalid date '%s': there is no month %d", e->text, m);
    else if (y < 1)
        diag_error(ck->cx, e->span, "invalid date '%s': years run from 0001 to 9999", e->text);
    else
        diag_error(ck->cx, e->span, "invalid date '%s': month %d of %d has %d days", e->text, m, y,
                   acc_days_in_month(y, m));
    return false;
}

static bool parse_date(Checker *ck, const AstExpr *e, int32_t *out) { return parse_date_report(ck, e, out, true); }

static int country_of(Checker *ck, const AstExpr *e) {
    int c = acc_country_lookup(e->name, strlen(e->name));
    if (c < 0) {
        diag_error(ck->cx, e->span, "unknown country code '%s'", e->name);
        if (strcmp(e->name, "UK") == 0) diag_hint(ck->cx, "the ISO 3166-1 code of the United Kingdom is GB");
        else if (strcmp(e->name, "EL") == 0) diag_hint(ck->cx, "the ISO 3166-1 code of Greece is GR");
        else diag_hint(ck->cx, "country codes are ISO 3166-1 alpha-2 codes such as DE, PH, US");
        return 0;
    }
    return c;
}

/* ---- types -------------------------------------------------------------- */

static const Type *resolve_type(Checker *ck, const AstType *t) {
    switch (t->kind) {
    case TS_DAYS: return &ty_days;
    case TS_MONTHS: return &ty_months;
    case TS_SET: {
        const Type *e = resolve_type(ck, t->elem);
        if (is_err(e)) return &ty_error;
        if (e->kind != TY_COUNTRY && e->kind != TY_ENUM) {
            diag_error(ck->cx, t->span, "a set holds countries or enum constants, not %s", TN1(e));
            return &ty_error;
        }
        return mk_type(ck, TY_SET, e);
    }
    case TS_LIST: {
        const Type *e = resolve_type(ck, t->elem);
        if (is_err(e)) return &ty_error;
        if (e->kind != TY_RECORD) {
            diag_error(ck->cx, t->span, "a list holds records, not %s", TN1(e));
            return &ty_error;
        }
        return mk_type(ck, TY_LIST, e);
    }
    case TS_NAME: break;
    }
    static const struct { const char *n; const Type *t; } builtin[] = {
        {"bool", &ty_bool}, {"int", &ty_int}, {"ratio", &ty_ratio}, {"percent", &ty_percent},
        {"date", &ty_date}, {"money", &ty_money}, {"country", &ty_country},
    };
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (strcmp(builtin[i].n, t->name) == 0) return builtin[i].t;
    const IrEnum *en = find_enum(ck->voc, t->name);
    if (en) {
        Type *ty = arena_alloc(ck->A, sizeof *ty);
        ty->kind = TY_ENUM;
        ty->en = en;
        return ty;
    }
    const IrRecord *r = find_record(ck->voc, t->name);
    if (r) {
        Type *ty = arena_alloc(ck->A, sizeof *ty);
        ty->kind = TY_RECORD;
        ty->rec = r;
        return ty;
    }
    diag_error(ck->cx, t->span, "unknown type '%s'", t->name);
    Suggest s = {0, 0, t->name};
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++) suggest(&s, builtin[i].n);
    suggest(&s, "days");
    suggest(&s, "months");
    for (size_t i = 0; i < ck->voc->enums.len; i++) suggest(&s, ((IrEnum *)ck->voc->enums.items[i])->name);
    for (size_t i = 0; i < ck->voc->records.len; i++) suggest(&s, ((IrRecord *)ck->voc->records.items[i])->name);
    if (s.best) diag_hint(ck->cx, "did you mean '%s'?", s.best);
    return &ty_error;
}

Value chk_default_value(Compilation *cx, const Type *t) { return value_default(&cx->arena, t); }

/* ---- locals ------------------------------------------------------------- */

static int local_push(Checker *ck, const char *name, const Type *t) {
    Local *l = arena_alloc(ck->A, sizeof *l);
    l->name = name;
    l->type = t;
    l->slot = ck->nslots++;
    if (ck->nslots > ck->maxslots) ck->maxslots = ck->nslots;
    l->next = ck->locals;
    ck->locals = l;
    return l->slot;
}
static void local_pop(Checker *ck) {
    ck->locals = ck->locals->next;
    ck->nslots--;
}
static void frame_begin(Checker *ck) {
    ck->locals = NULL;
    ck->nslots = ck->maxslots = 0;
}

/* ---- lookups -------------------------------------------------------------- */

static IrDefine *find_define(Checker *ck, const char *name) {
    for (size_t i = ck->defines.len; i-- > 0;) {
        IrDefine *d = ck->defines.items[i];
        if (strcmp(d->name, name) == 0) return d;
    }
    return NULL;
}
static IrParameter *find_parameter(Checker *ck, const char *name) {
    if (!ck->ag) return NULL;
    for (size_t i = 0; i < ck->ag->parameters.len; i++) {
        IrParameter *p = ck->ag->parameters.items[i];
        if (strcmp(p->name, name) == 0) return p;
    }
    return NULL;
}
static IrQuestion *find_question(Checker *ck, const char *name) {
    const PtrVec *qs = ck->ag ? &ck->ag->questions : &ck->voc->questions;
    for (size_t i = 0; i < qs->len; i++) {
        IrQuestion *q = qs->items[i];
        if (strcmp(q->name, name) == 0) return q;
    }
    return NULL;
}

/* An enum constant by name: with the expected enum if there is one, else
 * the unique enum that has it. */
static const IrEnum *enum_with_const(Checker *ck, const char *name, const Type *want, int *ord, bool *ambiguous) {
    *ambiguous = false;
    if (want && want->kind == TY_SET) want = want->elem;
    if (want && want->kind == TY_ENUM) {
        int o = enum_ordinal(want->en, name);
        if (o) { *ord = o; return want->en; }
    }
    const IrEnum *found = NULL;
    for (size_t i = 0; i < ck->voc->enums.len; i++) {
        const IrEnum *en = ck->voc->enums.items[i];
        int o = enum_ordinal(en, name);
        if (o) {
            if (found) *ambiguous = true;
            found = en;
            *ord = o;
        }
    }
    return found;
}

static const Type *enum_type(Checker *ck, const IrEnum *en) {
    Type *t = arena_alloc(ck->A, sizeof *t);
    t->kind = TY_ENUM;
    t->en = en;
    return t;
}

static void unknown_name(Checker *ck, Span sp, const char *name) {
    diag_error(ck->cx, sp, "unknown name '%s'", name);
    Suggest s = {0, 0, name};
    for (Local *l = ck->locals; l; l = l->next)
        if (l->name[0]) suggest(&s, l->name); /* "" marks a constant in a rule head */
    for (size_t i = 0; i < ck->defines.len; i++) suggest(&s, ((IrDefine *)ck->defines.items[i])->name);
    if (ck->ag)
        for (size_t i = 0; i < ck->ag->parameters.len; i++) suggest(&s, ((IrParameter *)ck->ag->parameters.items[i])->name);
    const IrRecord *cr = ck->voc->case_rec;
    if (cr)
        for (int i = 0; i < cr->nfields; i++) suggest(&s, cr->fields[i].name);
    for (size_t i = 0; i < ck->voc->enums.len; i++) {
        const IrEnum *en = ck->voc->enums.items[i];
        for (int j = 0; j < en->n; j++) suggest(&s, en->consts[j]);
    }
    if (s.best) diag_hint(ck->cx, "did you mean '%s'?", s.best);
}

/* ---- literals ------------------------------------------------------------ */

static IrExpr *const_expr(Checker *ck, Span sp, Value v, const Type *t) {
    IrExpr *e = ir_new(ck, IR_CONST, t, sp);
    e->cval = v;
    return e;
}

static IrExpr *check_money(Checker *ck, const AstExpr *e) {
    int cur = acc_currency_lookup(e->name, strlen(e->name));
    if (cur < 0) {
        diag_error(ck->cx, e->span, "unknown currency code '%s'", e->name);
        diag_hint(ck->cx, "currencies are ISO 4217 codes such as EUR, PHP, USD");
        return ir_error(ck, e->span);
    }
    Rat q;
    if (!rat_parse(e->text, &q)) {
        diag_error(ck->cx, e->span, "amount '%s' is too large", e->text);
        return ir_error(ck, e->span);
    }
    int exp = acc_currency_minor_units(cur);
    int64_t p = 1;
    for (int i = 0; i < exp; i++) p *= 10;
    Rat minor;
    if (!rat_mul(q, (Rat){p, 1}, &minor)) {
        diag_error(ck->cx, e->span, "amount '%s' is too large", e->text);
        return ir_error(ck, e->span);
    }
    if (minor.den != 1) {
        diag_error(ck->cx, e->span, "%s amounts have %d decimal place%s, '%s' has more", e->name, exp,
                   exp == 1 ? "" : "s", e->text);
        return ir_error(ck, e->span);
    }
    Value v = {0};
    v.kind = TY_MONEY;
    v.cur = (uint16_t)cur;
    v.q = minor;
    return const_expr(ck, e->span, v, &ty_money);
}

static IrExpr *check_duration(Checker *ck, const AstExpr *e) {
    Value v = {0};
    int64_t n = e->ival, mul = 1;
    const Type *t = &ty_months;
    switch (e->unit) {
    case UNIT_DAYS: t = &ty_days; break;
    case UNIT_WEEKS: t = &ty_days; mul = 7; break;
    case UNIT_MONTHS: break;
    case UNIT_QUARTERS: mul = 3; break;
    case UNIT_YEARS: mul = 12; break;
    }
    if (__builtin_mul_overflow(n, mul, &v.i)) {
        diag_error(ck->cx, e->span, "duration is too large");
        return ir_error(ck, e->span);
    }
    v.kind = t->kind;
    return const_expr(ck, e->span, v, t);
}

/* { a, b } of countries or enum constants */
static IrExpr *check_set(Checker *ck, const AstExpr *e, const Type *want) {
    if (want && is_err(want) && e->args.len == 0) return ir_error(ck, e->span); /* reported already */
    const Type *elem = want && want->kind == TY_SET ? want->elem : NULL;
    if (!elem && e->args.len == 0) {
        if (want && want->kind == TY_RECORD) {
            /* {} as an empty record literal: every field takes its default */
            return const_expr(ck, e->span, chk_default_value(ck->cx, want), want);
        }
        if (want && want->kind == TY_LIST) {
            Value v = {0};
            v.kind = TY_LIST;
            return const_expr(ck, e->span, v, want);
        }
        diag_error(ck->cx, e->span, "cannot tell the type of an empty set here");
        diag_hint(ck->cx, "compare it with a set whose type is known, or use 'size(s) == 0'");
        return ir_error(ck, e->span);
    }
    IrExpr **items = arena_alloc(ck->A, sizeof *items * (e->args.len + 1));
    bool all_const = true, bad = false;
    for (size_t i = 0; i < e->args.len; i++) {
        items[i] = check_expr(ck, e->args.items[i], elem);
        if (is_err(items[i]->type)) { bad = true; continue; }
        if (!elem) {
            elem = items[i]->type;
            if (elem->kind != TY_COUNTRY && elem->kind != TY_ENUM) {
                diag_error(ck->cx, items[i]->span, "a set holds countries or enum constants, not %s", TN1(elem));
                return ir_error(ck, e->span);
            }
        } else if (!type_eq(elem, items[i]->type)) {
            diag_error(ck->cx, items[i]->span, "set element has type %s, expected %s", TN1(items[i]->type), TN2(elem));
            bad = true;
        }
        if (items[i]->kind != IR_CONST) all_const = false;
    }
    if (bad) return ir_error(ck, e->span);
    const Type *t = mk_type(ck, TY_SET, elem);
    if (all_const) {
        Value v = {0};
        v.kind = TY_SET;
        for (size_t i = 0; i < e->args.len; i++) set_add(&v, (int)items[i]->cval.i);
        return const_expr(ck, e->span, v, t);
    }
    IrExpr *r = ir_new(ck, IR_SETLIT, t, e->span);
    r->args = items;
    r->nargs = (int)e->args.len;
    return r;
}

/* record and list literals: only as constants (examples, SPEC §8.2) */
static IrExpr *check_record(Checker *ck, const AstExpr *e, const Type *want) {
    if (!want || want->kind != TY_RECORD) {
        if (want && !is_err(want)) {
            diag_error(ck->cx, e->span, "a record is not a %s", TN1(want));
        } else {
            diag_error(ck->cx, e->span, "a record literal is only allowed where a record is expected");
        }
        return ir_error(ck, e->span);
    }
    Value v = chk_default_value(ck->cx, want);
    const IrRecord *r = want->rec;
    bool *seen = arena_alloc(ck->A, (size_t)r->nfields + 1);
    bool bad = false;
    for (size_t i = 0; i < e->args.len; i++) {
        const char *fname = e->names.items[i];
        Span fsp = *(Span *)e->name_spans.items[i];
        int fi = field_index(r, fname);
        if (fi < 0) {
            diag_error(ck->cx, fsp, "record '%s' has no field '%s'", r->name, fname);
            Suggest s = {0, 0, fname};
            for (int j = 0; j < r->nfields; j++) suggest(&s, r->fields[j].name);
            if (s.best) diag_hint(ck->cx, "did you mean '%s'?", s.best);
            bad = true;
            continue;
        }
        if (seen[fi]) {
            diag_error(ck->cx, fsp, "field '%s' is given twice", fname);
            bad = true;
            continue;
        }
        seen[fi] = true;
        IrExpr *x = check_expr(ck, e->args.items[i], r->fields[fi].type);
        if (is_err(x->type)) { bad = true; continue; }
        if (!type_eq(x->type, r->fields[fi].type)) {
            diag_error(ck->cx, x->span, "field '%s' has type %s, not %s", fname, TN1(r->fields[fi].type), TN2(x->type));
            bad = true;
            continue;
        }
        if (x->kind != IR_CONST) {
            diag_error(ck->cx, x->span, "a fact in an example must be a literal value");
            bad = true;
            continue;
        }
        v.agg.items[fi] = x->cval;
    }
    /* SPEC §8.2: a record with dates `from` and `to` (a period) gives both,
     * and does not end before it starts, as in case files (§12.1) */
    int fi = field_index(r, "from"), ti = field_index(r, "to");
    if (!bad && fi >= 0 && ti >= 0 && r->fields[fi].type->kind == TY_DATE && r->fields[ti].type->kind == TY_DATE) {
        if (!seen[fi] || !seen[ti]) {
            diag_error(ck->cx, e->span, "a %s needs both dates, 'from' and 'to'", r->name);
            bad = true;
        } else if (v.agg.items[ti].i < v.agg.items[fi].i) {
            diag_error(ck->cx, e->span, "this %s ends before it starts", r->name);
            bad = true;
        }
    }
    return bad ? ir_error(ck, e->span) : const_expr(ck, e->span, v, want);
}

static IrExpr *check_list(Checker *ck, const AstExpr *e, const Type *want) {
    if (!want || want->kind != TY_LIST) {
        diag_error(ck->cx, e->span, "a list literal is only allowed where a list is expected");
        return ir_error(ck, e->span);
    }
    Value v = {0};
    v.kind = TY_LIST;
    v.agg.n = (uint32_t)e->args.len;
    v.agg.items = arena_alloc(ck->A, sizeof(Value) * (e->args.len + 1));
    bool bad = false;
    for (size_t i = 0; i < e->args.len; i++) {
        IrExpr *x = check_expr(ck, e->args.items[i], want->elem);
        if (is_err(x->type)) { bad = true; continue; }
        v.agg.items[i] = x->cval;
    }
    return bad ? ir_error(ck, e->span) : const_expr(ck, e->span, v, want);
}

/* ---- operators (SPEC §5.6) ----------------------------------------------- */

static bool is_money(const Type *t) { return t->kind == TY_MONEY || t->kind == TY_EXACT_MONEY; }
static bool is_ordered(const Type *t) {
    switch (t->kind) {
    case TY_INT: case TY_RATIO: case TY_PERCENT: case TY_DATE: case TY_DAYS: case TY_MONTHS:
    case TY_MONEY: case TY_EXACT_MONEY: return true;
    default: return false;
    }
}
/* int and ratio mix (result ratio); money and exact money mix (result exact). */
static const Type *unify(const Type *a, const Type *b) {
    if (type_eq(a, b)) return a;
    if ((a->kind == TY_INT && b->kind == TY_RATIO) || (a->kind == TY_RATIO && b->kind == TY_INT)) return &ty_ratio;
    if (is_money(a) && is_money(b)) return &ty_exact_money;
    return NULL;
}

static void unit_hint(Checker *ck, const Type *a, const Type *b) {
    if ((a->kind == TY_DAYS && b->kind == TY_MONTHS) || (a->kind == TY_MONTHS && b->kind == TY_DAYS))
        diag_hint(ck->cx, "days and months never mix (SPEC §5.3); convert with in_months(days)");
    else if ((a->kind == TY_PERCENT && b->kind == TY_RATIO) || (a->kind == TY_RATIO && b->kind == TY_PERCENT))
        diag_hint(ck->cx, "write the percentage with '%%', e.g. 25%%");
    else if (is_money(a) != is_money(b) && (is_money(a) || is_money(b)))
        diag_hint(ck->cx, "money only combines with money of the same kind, or is scaled by a number");
}

static const Type *arith_type(Checker *ck, AstOp op, const Type *a, const Type *b, Span sp) {
    TypeKind x = a->kind, y = b->kind;
    switch (op) {
    case OP_ADD:
    case OP_SUB:
        if (x == TY_INT && y == TY_INT) return &ty_int;
        if ((x == TY_INT || x == TY_RATIO) && (y == TY_INT || y == TY_RATIO)) return &ty_ratio;
        if (x == TY_PERCENT && y == TY_PERCENT) return &ty_percent;
        if (x == TY_DAYS && y == TY_DAYS) return &ty_days;
        if (x == TY_MONTHS && y == TY_MONTHS) return &ty_months;
        if (x == TY_DATE && (y == TY_DAYS || y == TY_MONTHS)) return &ty_date;
        if (op == OP_ADD && (x == TY_DAYS || x == TY_MONTHS) && y == TY_DATE) return &ty_date;
        if (op == OP_SUB && x == TY_DATE && y == TY_DATE) return &ty_days;
        if (is_money(a) && is_money(b)) return x == TY_MONEY && y == TY_MONEY ? &ty_money : &ty_exact_money;
        if (x == TY_SET && type_eq(a, b)) return a;
        break;
    case OP_MUL:
        if (x == TY_INT && y == TY_INT) return &ty_int;
        if (type_is_numeric(a) && type_is_numeric(b)) {
            if ((x == TY_PERCENT && y == TY_INT) || (x == TY_INT && y == TY_PERCENT)) return &ty_percent;
            return &ty_ratio;
        }
        if ((x == TY_DAYS || x == TY_MONTHS) && y == TY_INT) return a;
        if (x == TY_INT && (y == TY_DAYS || y == TY_MONTHS)) return b;
        if (is_money(a) && y == TY_INT) return a;
        if (x == TY_INT && is_money(b)) return b;
        if (is_money(a) && type_is_numeric(b)) return &ty_exact_money;
        if (type_is_numeric(a) && is_money(b)) return &ty_exact_money;
        break;
    case OP_DIV:
        if (type_is_numeric(a) && type_is_numeric(b)) return &ty_ratio;
        if (x == TY_DAYS && y == TY_DAYS) return &ty_ratio;
        if (x == TY_MONTHS && y == TY_MONTHS) return &ty_ratio;
        if (is_money(a) && is_money(b)) return &ty_ratio;
        if (is_money(a) && type_is_numeric(b)) return &ty_exact_money;
        break;
    default: break;
    }
    diag_error(ck->cx, sp, "cannot apply '%s' to %s and %s", ast_op_name(op), TN1(a), TN2(b));
    unit_hint(ck, a, b);
    return &ty_error;
}

static IrOp ir_op(AstOp op) {
    switch (op) {
    case OP_NOT: return IOP_NOT;
    case OP_NEG: return IOP_NEG;
    case OP_EQ: return IOP_EQ;
    case OP_NE: return IOP_NE;
    case OP_LT: return IOP_LT;
    case OP_LE: return IOP_LE;
    case OP_GT: return IOP_GT;
    case OP_GE: return IOP_GE;
    case OP_IN: return IOP_IN;
    case OP_NOTIN: return IOP_NOTIN;
    case OP_ADD: return IOP_ADD;
    case OP_SUB: return IOP_SUB;
    case OP_MUL: return IOP_MUL;
    case OP_DIV: return IOP_DIV;
    default: UNREACHABLE();
    }
}

static IrExpr *check_binary(Checker *ck, const AstExpr *e) {
    if (e->op == OP_AND || e->op == OP_OR) {
        IrExpr *a = check_expr(ck, e->lhs, &ty_bool), *b = check_expr(ck, e->rhs, &ty_bool);
        if (!is_err(a->type) && a->type->kind != TY_BOOL)
            diag_error(ck->cx, a->span, "'%s' needs a bool on the left, not %s", ast_op_name(e->op), TN1(a->type));
        if (!is_err(b->type) && b->type->kind != TY_BOOL)
            diag_error(ck->cx, b->span, "'%s' needs a bool on the right, not %s", ast_op_name(e->op), TN1(b->type));
        IrExpr *r = ir_new(ck, e->op == OP_AND ? IR_AND : IR_OR, &ty_bool, e->span);
        r->a = a;
        r->b = b;
        return r;
    }
    IrExpr *a, *b;
    if (e->op == OP_IN || e->op == OP_NOTIN) {
        b = check_expr(ck, e->rhs, NULL);
        const Type *want = b->type->kind == TY_SET ? b->type->elem : NULL;
        a = check_expr(ck, e->lhs, want);
        if (is_err(a->type) || is_err(b->type)) return ir_error(ck, e->span);
        if (b->type->kind != TY_SET) {
            diag_error(ck->cx, b->span, "'in' needs a set on the right, not %s", TN1(b->type));
            return ir_error(ck, e->span);
        }
        if (!type_eq(a->type, b->type->elem)) {
            diag_error(ck->cx, e->span, "cannot look for a %s in a %s", TN1(a->type), TN2(b->type));
            return ir_error(ck, e->span);
        }
        IrExpr *r = ir_new(ck, IR_BINARY, &ty_bool, e->span);
        r->op = ir_op(e->op);
        r->a = a;
        r->b = b;
        return r;
    }
    /* Check first the side whose type does not depend on context, so that
     * it can type the other: `none`, `{}` and bare names (which may be enum
     * constants) take their type from the opposite side. */
    bool lhs_ctx = e->lhs->kind == EX_NONE || (e->lhs->kind == EX_SET && e->lhs->args.len == 0);
    bool rhs_ctx = e->rhs->kind == EX_NONE || (e->rhs->kind == EX_SET && e->rhs->args.len == 0);
    if (lhs_ctx && rhs_ctx) {
        diag_error(ck->cx, e->span, "neither side of '%s' says what type it has", ast_op_name(e->op));
        diag_hint(ck->cx, "'none' and '{}' take their type from the other side");
        return ir_error(ck, e->span);
    }
    if (lhs_ctx || (e->lhs->kind == EX_NAME && !rhs_ctx)) {
        b = check_expr(ck, e->rhs, NULL);
        a = check_expr(ck, e->lhs, is_err(b->type) ? NULL : b->type);
    } else {
        a = check_expr(ck, e->lhs, NULL);
        b = check_expr(ck, e->rhs, is_err(a->type) ? NULL : a->type);
    }
    if (is_err(a->type) || is_err(b->type)) return ir_error(ck, e->span);
    const Type *t;
    switch (e->op) {
    case OP_EQ: case OP_NE:
        if (!unify(a->type, b->type) || a->type->kind == TY_RECORD || a->type->kind == TY_LIST) {
            diag_error(ck->cx, e->span, "cannot compare %s with %s", TN1(a->type), TN2(b->type));
            unit_hint(ck, a->type, b->type);
            return ir_error(ck, e->span);
        }
        t = &ty_bool;
        break;
    case OP_LT: case OP_LE: case OP_GT: case OP_GE:
        if (!unify(a->type, b->type) || !is_ordered(a->type)) {
            diag_error(ck->cx, e->span, "cannot order %s and %s with '%s'", TN1(a->type), TN2(b->type), ast_op_name(e->op));
            unit_hint(ck, a->type, b->type);
            return ir_error(ck, e->span);
        }
        t = &ty_bool;
        break;
    default:
        t = arith_type(ck, e->op, a->type, b->type, e->span);
        if (is_err(t)) return ir_error(ck, e->span);
    }
    IrExpr *r = ir_new(ck, IR_BINARY, t, e->span);
    r->op = ir_op(e->op);
    r->a = a;
    r->b = b;
    return r;
}

/* ---- calls ------------------------------------------------------------------ */

typedef struct Builtin {
    const char *name;
    IrBuiltin id;
    int nargs;
    const char *sig;
} Builtin;
static const Builtin builtins[] = {
    {"min", BI_MIN, -1, "min(a, b, ...)"},
    {"max", BI_MAX, -1, "max(a, b, ...)"},
    {"round", BI_ROUND, 2, "round(amount, half_up|half_even|down|up|truncate)"},
    {"period_months", BI_PERIOD_MONTHS, 2, "period_months(from: date, to: date): months"},
    {"months_between", BI_MONTHS_BETWEEN, 2, "months_between(from: date, to: date): months"},
    {"days_between", BI_DAYS_BETWEEN, 2, "days_between(from: date, to: date): days"},
    {"years_between", BI_YEARS_BETWEEN, 2, "years_between(from: date, to: date): int"},
    {"size", BI_SIZE, 1, "size(s: set): int"},
    {"in_months", BI_IN_MONTHS, 1, "in_months(d: days): months"},
    {"abs", BI_ABS, 1, "abs(x)"},
};

static IrExpr *check_builtin(Checker *ck, const AstExpr *e, const Builtin *bi) {
    int n = (int)e->args.len;
    if (bi->nargs >= 0 && n != bi->nargs) {
        diag_error(ck->cx, e->span, "'%s' takes %d argument%s, not %d", bi->name, bi->nargs, bi->nargs == 1 ? "" : "s", n);
        diag_hint(ck->cx, "%s", bi->sig);
        return ir_error(ck, e->span);
    }
    if (bi->nargs < 0 && n < 2) {
        diag_error(ck->cx, e->span, "'%s' takes at least 2 arguments", bi->name);
        return ir_error(ck, e->span);
    }
    IrExpr *r = ir_new(ck, IR_BUILTIN, &ty_error, e->span);
    r->builtin = bi->id;
    r->nargs = n;
    r->args = arena_alloc(ck->A, sizeof *r->args * (size_t)(n + 1));
    if (bi->id == BI_ROUND) {
        r->args[0] = check_expr(ck, e->args.items[0], NULL);
        const AstExpr *m = e->args.items[1];
        static const struct { const char *n; RoundMode m; } modes[] = {
            {"half_up", ROUND_HALF_UP}, {"half_even", ROUND_HALF_EVEN}, {"down", ROUND_DOWN},
            {"up", ROUND_UP}, {"truncate", ROUND_TRUNCATE}};
        bool ok = false;
        if (m->kind == EX_NAME)
            for (size_t i = 0; i < 5; i++)
                if (strcmp(m->name, modes[i].n) == 0) { r->round = modes[i].m; ok = true; }
        if (!ok) {
            diag_error(ck->cx, m->span, "unknown rounding rule");
            diag_hint(ck->cx, "the rules are half_up, half_even, down, up, truncate (SPEC §5.7)");
            return ir_error(ck, e->span);
        }
        r->nargs = 1;
        const Type *t = r->args[0]->type;
        if (is_err(t)) return ir_error(ck, e->span);
        if (is_money(t)) r->type = &ty_money;
        else if (t->kind == TY_INT || t->kind == TY_RATIO) r->type = &ty_int;
        else if (t->kind == TY_PERCENT) {
            diag_error(ck->cx, r->args[0]->span, "cannot round a percentage");
            diag_hint(ck->cx, "25%% is the ratio 1/4: round a ratio, or compare the percentage itself");
            return ir_error(ck, e->span);
        } else {
            diag_error(ck->cx, r->args[0]->span, "cannot round %s", TN1(t));
            return ir_error(ck, e->span);
        }
        return r;
    }
    bool bad = false;
    for (int i = 0; i < n; i++) {
        r->args[i] = check_expr(ck, e->args.items[i], i > 0 ? r->args[0]->type : NULL);
        if (is_err(r->args[i]->type)) bad = true;
    }
    if (bad) return ir_error(ck, e->span);
    const Type *t0 = r->args[0]->type;
    switch (bi->id) {
    case BI_MIN: case BI_MAX: {
        const Type *t = t0;
        for (int i = 1; i < n && t; i++) t = unify(t, r->args[i]->type);
        if (!t || !is_ordered(t)) {
            diag_error(ck->cx, e->span, "'%s' needs arguments of one ordered type", bi->name);
            if (n >= 2) unit_hint(ck, t0, r->args[1]->type);
            return ir_error(ck, e->span);
        }
        r->type = t;
        return r;
    }
    case BI_PERIOD_MONTHS: case BI_MONTHS_BETWEEN: case BI_DAYS_BETWEEN: case BI_YEARS_BETWEEN:
        for (int i = 0; i < 2; i++)
            if (r->args[i]->type->kind != TY_DATE) {
                diag_error(ck->cx, r->args[i]->span, "'%s' needs dates, not %s", bi->name, TN1(r->args[i]->type));
                return ir_error(ck, e->span);
            }
        r->type = bi->id == BI_DAYS_BETWEEN ? &ty_days : bi->id == BI_YEARS_BETWEEN ? &ty_int : &ty_months;
        return r;
    case BI_SIZE:
        if (t0->kind != TY_SET && t0->kind != TY_LIST) {
            diag_error(ck->cx, r->args[0]->span, "'size' needs a set or a list, not %s", TN1(t0));
            return ir_error(ck, e->span);
        }
        r->type = &ty_int;
        return r;
    case BI_IN_MONTHS:
        if (t0->kind != TY_DAYS) {
            diag_error(ck->cx, r->args[0]->span, "'in_months' converts days, not %s", TN1(t0));
            return ir_error(ck, e->span);
        }
        r->type = &ty_months;
        return r;
    case BI_ABS:
        if (!is_ordered(t0) || t0->kind == TY_DATE) {
            diag_error(ck->cx, r->args[0]->span, "'abs' needs a number, a duration or money, not %s", TN1(t0));
            return ir_error(ck, e->span);
        }
        r->type = t0;
        return r;
    default: UNREACHABLE();
    }
}

static bool check_args(Checker *ck, const AstExpr *e, int nparams, const Type **ptypes, IrExpr **out, const char *what,
                       const char *name) {
    if ((int)e->args.len != nparams) {
        diag_error(ck->cx, e->span, "%s '%s' takes %d argument%s, not %zu", what, name, nparams, nparams == 1 ? "" : "s",
                   e->args.len);
        return false;
    }
    bool ok = true;
    for (int i = 0; i < nparams; i++) {
        out[i] = check_expr(ck, e->args.items[i], ptypes[i]);
        if (is_err(out[i]->type)) { ok = false; continue; }
        if (!type_eq(out[i]->type, ptypes[i])) {
            diag_error(ck->cx, out[i]->span, "argument %d of '%s' must be %s, not %s", i + 1, name, TN1(ptypes[i]),
                       TN2(out[i]->type));
            ok = false;
        }
    }
    return ok;
}

static IrExpr *check_call(Checker *ck, const AstExpr *e) {
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, e->name) == 0) return check_builtin(ck, e, &builtins[i]);
    IrDefine *d = find_define(ck, e->name);
    if (d) {
        IrExpr *r = ir_new(ck, IR_DEFINE, d->type, e->span);
        r->def = d;
        r->nargs = d->nparams;
        r->args = arena_alloc(ck->A, sizeof *r->args * (size_t)(d->nparams + 1));
        if (!check_args(ck, e, d->nparams, d->ptypes, r->args, "definition", d->name)) return ir_error(ck, e->span);
        return r;
    }
    IrQuestion *q = find_question(ck, e->name);
    if (q) {
        if (!ck->ag) {
            diag_error(ck->cx, e->span, "the vocabulary cannot ask question '%s': only agreements answer questions", q->name);
            return ir_error(ck, e->span);
        }
        IrExpr *r = ir_new(ck, IR_ASK, q->type, e->span);
        r->question = q;
        r->nargs = q->nparams;
        r->args = arena_alloc(ck->A, sizeof *r->args * (size_t)(q->nparams + 1));
        if (!check_args(ck, e, q->nparams, q->ptypes, r->args, "question", q->name)) return ir_error(ck, e->span);
        return r;
    }
    diag_error(ck->cx, e->name_span, "unknown function '%s'", e->name);
    Suggest s = {0, 0, e->name};
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) suggest(&s, builtins[i].name);
    for (size_t i = 0; i < ck->defines.len; i++) suggest(&s, ((IrDefine *)ck->defines.items[i])->name);
    for (size_t i = 0; i < ck->voc->questions.len; i++) suggest(&s, ((IrQuestion *)ck->voc->questions.items[i])->name);
    if (s.best) diag_hint(ck->cx, "did you mean '%s'?", s.best);
    return ir_error(ck, e->span);
}

/* ---- comprehensions (SPEC §4.8) ------------------------------------------ */

static IrExpr *check_compr(Checker *ck, const AstExpr *e) {
    IrExpr *list = check_expr(ck, e->lhs, NULL);
    if (is_err(list->type)) return ir_error(ck, e->span);
    if (list->type->kind != TY_LIST && list->type->kind != TY_SET) {
        diag_error(ck->cx, list->span, "'%s' ranges over a list or a set, not %s", ast_agg_name(e->agg), TN1(list->type));
        return ir_error(ck, e->span);
    }
    const Type *elem = list->type->elem;
    IrExpr *r = ir_new(ck, IR_AGG, &ty_error, e->span);
    r->a = list;
    static const IrAgg map[] = {AG_EXISTS, AG_FORALL, AG_COUNT, AG_SUM, AG_FIRST, AG_SET, AG_DAYS, AG_MONTHS, AG_CALENDAR_MONTHS}; /* ORDER AGG */
    r->agg = map[e->agg];
    for (Local *l = ck->locals; l; l = l->next)
        if (strcmp(l->name, e->name) == 0) {
            diag_error(ck->cx, e->name_span, "'%s' is already bound in this expression", e->name);
            diag_hint(ck->cx, "choose another name for the element");
            return ir_error(ck, e->span);
        }
    r->slot = local_push(ck, e->name, elem);
    bool bad = false;
    if (e->cond) {
        r->b = check_expr(ck, e->cond, &ty_bool);
        if (!is_err(r->b->type) && r->b->type->kind != TY_BOOL) {
            diag_error(ck->cx, r->b->span, "'where' needs a bool, not %s", TN1(r->b->type));
            bad = true;
        }
        if (is_err(r->b->type)) bad = true;
    }
    if (e->rhs) {
        r->c = check_expr(ck, e->rhs, NULL);
        if (is_err(r->c->type)) bad = true;
    }
    if (e->third) {
        const Type *want = e->agg >= AGG_DAYS ? &ty_bool : (r->c ? r->c->type : NULL);
        r->d = check_expr(ck, e->third, is_err(want) ? NULL : want);
        if (is_err(r->d->type)) bad = true;
    }
    local_pop(ck);
    if (bad) return ir_error(ck, e->span);
    switch (e->agg) {
    case AGG_EXISTS: case AGG_FORALL: r->type = &ty_bool; break;
    case AGG_COUNT: r->type = &ty_int; break;
    case AGG_SUM: {
        const Type *t = r->c->type;
        if (!(type_is_numeric(t) || t->kind == TY_DAYS || t->kind == TY_MONTHS || is_money(t))) {
            diag_error(ck->cx, r->c->span, "cannot sum %s", TN1(t));
            return ir_error(ck, e->span);
        }
        r->type = t;
        break;
    }
    case AGG_FIRST: {
        const Type *t = unify(r->c->type, r->d->type);
        if (!t || t->kind == TY_RECORD || t->kind == TY_LIST) {
            diag_error(ck->cx, r->d->span, "'else' gives %s but the element gives %s", TN1(r->d->type), TN2(r->c->type));
            return ir_error(ck, e->span);
        }
        r->type = t;
        break;
    }
    case AGG_SET: {
        const Type *t = r->c->type;
        if (t->kind != TY_COUNTRY && t->kind != TY_ENUM) {
            diag_error(ck->cx, r->c->span, "a set holds countries or enum constants, not %s", TN1(t));
            return ir_error(ck, e->span);
        }
        r->type = mk_type(ck, TY_SET, t);
        break;
    }
    case AGG_DAYS:
    case AGG_MONTHS:
    case AGG_CALENDAR_MONTHS: {
        int fi = elem->kind == TY_RECORD ? field_index(elem->rec, "from") : -1;
        int ti = elem->kind == TY_RECORD ? field_index(elem->rec, "to") : -1;
        if (fi < 0 || ti < 0 || elem->rec->fields[fi].type->kind != TY_DATE || elem->rec->fields[ti].type->kind != TY_DATE) {
            diag_error(ck->cx, list->span, "'%s' counts records with date fields 'from' and 'to', not %s", ast_agg_name(e->agg), TN1(elem));
            return ir_error(ck, e->span);
        }
        if (r->d && r->d->type->kind != TY_BOOL) {
            diag_error(ck->cx, r->d->span, "'minus' needs a condition (bool), not %s", TN1(r->d->type));
            return ir_error(ck, e->span);
        }
        r->field = fi;
        r->nargs = ti; /* index of 'to' */
        r->type = e->agg == AGG_DAYS ? &ty_days : &ty_months;
        break;
    }
    default: UNREACHABLE();
    }
    return r;
}

/* ---- names ------------------------------------------------------------------ */

static IrExpr *check_name(Checker *ck, const AstExpr *e, const Type *want) {
    for (Local *l = ck->locals; l; l = l->next)
        if (strcmp(l->name, e->name) == 0) {
            IrExpr *r = ir_new(ck, IR_LOCAL, l->type, e->span);
            r->slot = l->slot;
            return r;
        }
    /* an enum constant named by the expected type wins over anything global */
    if (want && (want->kind == TY_ENUM || (want->kind == TY_SET && want->elem->kind == TY_ENUM))) {
        const IrEnum *en = want->kind == TY_ENUM ? want->en : want->elem->en;
        int o = enum_ordinal(en, e->name);
        if (o) {
            Value v = {0};
            v.kind = TY_ENUM;
            v.i = o;
            return const_expr(ck, e->span, v, want->kind == TY_ENUM ? want : want->elem);
        }
    }
    IrParameter *p = find_parameter(ck, e->name);
    if (p) {
        IrExpr *r = ir_new(ck, IR_PARAMETER, p->type, e->span);
        r->param = p;
        return r;
    }
    IrDefine *d = find_define(ck, e->name);
    if (d) {
        if (d->nparams) {
            diag_error(ck->cx, e->span, "'%s' takes %d argument%s", d->name, d->nparams, d->nparams == 1 ? "" : "s");
            return ir_error(ck, e->span);
        }
        IrExpr *r = ir_new(ck, IR_DEFINE, d->type, e->span);
        r->def = d;
        return r;
    }
    const IrRecord *cr = ck->voc->case_rec;
    int fi = cr ? field_index(cr, e->name) : -1;
    if (fi >= 0) {
        IrExpr *c = ir_new(ck, IR_CASE, NULL, e->span);
        Type *ct = arena_alloc(ck->A, sizeof *ct);
        ct->kind = TY_RECORD;
        ct->rec = cr;
        c->type = ct;
        IrExpr *r = ir_new(ck, IR_FIELD, cr->fields[fi].type, e->span);
        r->a = c;
        r->field = fi;
        return r;
    }
    if (strcmp(e->name, "parties") == 0 && ck->ag) return ir_new(ck, IR_PARTIES, &ty_country_set, e->span);
    IrQuestion *q = find_question(ck, e->name);
    if (q && q->nparams == 0 && ck->ag) {
        IrExpr *r = ir_new(ck, IR_ASK, q->type, e->span);
        r->question = q;
        return r;
    }
    int ord;
    bool amb;
    const IrEnum *en = enum_with_const(ck, e->name, want, &ord, &amb);
    if (en) {
        if (amb) {
            diag_error(ck->cx, e->span, "'%s' is a constant of several enums; the context does not say which", e->name);
            return ir_error(ck, e->span);
        }
        Value v = {0};
        v.kind = TY_ENUM;
        v.i = ord;
        return const_expr(ck, e->span, v, enum_type(ck, en));
    }
    unknown_name(ck, e->span, e->name);
    return ir_error(ck, e->span);
}

static IrExpr *check_field(Checker *ck, const AstExpr *e) {
    IrExpr *a = check_expr(ck, e->lhs, NULL);
    if (is_err(a->type)) return ir_error(ck, e->span);
    if (a->type->kind != TY_RECORD) {
        diag_error(ck->cx, e->name_span, "%s has no fields, so '.%s' means nothing", TN1(a->type), e->name);
        if (a->type->kind == TY_LIST)
            diag_hint(ck->cx, "a list is read with exists(x in ...), count(...), sum(...) or first(...)");
        return ir_error(ck, e->span);
    }
    int fi = field_index(a->type->rec, e->name);
    if (fi < 0) {
        diag_error(ck->cx, e->name_span, "record '%s' has no field '%s'", a->type->rec->name, e->name);
        Suggest s = {0, 0, e->name};
        for (int j = 0; j < a->type->rec->nfields; j++) suggest(&s, a->type->rec->fields[j].name);
        if (s.best) diag_hint(ck->cx, "did you mean '%s'?", s.best);
        return ir_error(ck, e->span);
    }
    IrExpr *r = ir_new(ck, IR_FIELD, a->type->rec->fields[fi].type, e->span);
    r->a = a;
    r->field = fi;
    return r;
}

/* ---- expressions -------------------------------------------------------------- */

static IrExpr *check_expr(Checker *ck, const AstExpr *e, const Type *want) {
    if (e->depth > MAX_EXPR_DEPTH) {
        if (!ck->depth_reported) {
            diag_error(ck->cx, e->span, "expression nested deeper than %d levels", MAX_EXPR_DEPTH);
            diag_hint(ck->cx, "split it with 'define'");
            ck->depth_reported = true;
        }
        return ir_error(ck, e->span);
    }
    Value v = {0};
    switch (e->kind) {
    case EX_INT:
        v.kind = TY_INT;
        v.i = e->ival;
        return const_expr(ck, e->span, v, &ty_int);
    case EX_DECIMAL:
        v.kind = TY_RATIO;
        if (!rat_parse(e->text, &v.q)) {
            diag_error(ck->cx, e->span, "number '%s' has too many digits", e->text);
            return ir_error(ck, e->span);
        }
        return const_expr(ck, e->span, v, &ty_ratio);
    case EX_PERCENT: {
        Rat q;
        v.kind = TY_PERCENT;
        if (!rat_parse(e->text, &q) || !rat_div(q, (Rat){100, 1}, &v.q)) {
            diag_error(ck->cx, e->span, "percentage '%s%%' has too many digits", e->text);
            return ir_error(ck, e->span);
        }
        return const_expr(ck, e->span, v, &ty_percent);
    }
    case EX_MONEY: return check_money(ck, e);
    case EX_DURATION: return check_duration(ck, e);
    case EX_DATE: {
        int32_t d;
        if (!parse_date(ck, e, &d)) return ir_error(ck, e->span);
        v.kind = TY_DATE;
        v.i = d;
        return const_expr(ck, e->span, v, &ty_date);
    }
    case EX_BOOL:
        v.kind = TY_BOOL;
        v.b = e->ival != 0;
        return const_expr(ck, e->span, v, &ty_bool);
    case EX_STRING:
        diag_error(ck->cx, e->span, "a string is not a value that rules compute with");
        diag_hint(ck->cx, "strings appear only in titles, prose and example names");
        return ir_error(ck, e->span);
    case EX_COUNTRY: {
        int c = country_of(ck, e);
        if (!c) return ir_error(ck, e->span);
        v.kind = TY_COUNTRY;
        v.i = c;
        return const_expr(ck, e->span, v, &ty_country);
    }
    case EX_NONE:
        if (want && is_err(want)) return ir_error(ck, e->span); /* reported already */
        if (want && (want->kind == TY_COUNTRY || want->kind == TY_ENUM)) {
            v.kind = want->kind;
            return const_expr(ck, e->span, v, want);
        }
        if (want && want->kind == TY_SET) {
            diag_error(ck->cx, e->span, "'none' is not a set; the empty set is {}");
            return ir_error(ck, e->span);
        }
        diag_error(ck->cx, e->span, "'none' stands for no country or no enum constant, and the context expects neither");
        return ir_error(ck, e->span);
    case EX_NAME: return check_name(ck, e, want);
    case EX_FIELD: return check_field(ck, e);
    case EX_CALL: return check_call(ck, e);
    case EX_UNARY: {
        IrExpr *a = check_expr(ck, e->lhs, e->op == OP_NOT ? &ty_bool : want);
        if (is_err(a->type)) return ir_error(ck, e->span);
        if (e->op == OP_NOT && a->type->kind != TY_BOOL) {
            diag_error(ck->cx, e->span, "'not' needs a bool, not %s", TN1(a->type));
            return ir_error(ck, e->span);
        }
        if (e->op == OP_NEG && !(type_is_numeric(a->type) || a->type->kind == TY_DAYS || a->type->kind == TY_MONTHS ||
                                 is_money(a->type))) {
            diag_error(ck->cx, e->span, "cannot negate %s", TN1(a->type));
            return ir_error(ck, e->span);
        }
        if (a->kind == IR_CONST && e->op == OP_NEG) {
            /* fold, so that "-5 days" is a literal (parameters and examples need constants) */
            Value c = a->cval;
            if (c.kind == TY_INT || c.kind == TY_DAYS || c.kind == TY_MONTHS) c.i = -c.i;
            else c.q.num = -c.q.num;
            return const_expr(ck, e->span, c, a->type);
        }
        IrExpr *r = ir_new(ck, IR_UNARY, a->type, e->span);
        r->op = ir_op(e->op);
        r->a = a;
        return r;
    }
    case EX_BINARY: return check_binary(ck, e);
    case EX_IF: {
        IrExpr *c = check_expr(ck, e->lhs, &ty_bool);
        IrExpr *t = check_expr(ck, e->rhs, want);
        IrExpr *f = check_expr(ck, e->third, is_err(t->type) ? want : t->type);
        if (is_err(c->type) || is_err(t->type) || is_err(f->type)) return ir_error(ck, e->span);
        if (c->type->kind != TY_BOOL) {
            diag_error(ck->cx, c->span, "'if' needs a bool condition, not %s", TN1(c->type));
            return ir_error(ck, e->span);
        }
        const Type *u = unify(t->type, f->type);
        if (!u) {
            diag_error(ck->cx, e->span, "'then' gives %s but 'else' gives %s", TN1(t->type), TN2(f->type));
            unit_hint(ck, t->type, f->type);
            return ir_error(ck, e->span);
        }
        IrExpr *r = ir_new(ck, IR_IF, u, e->span);
        r->a = c;
        r->b = t;
        r->c = f;
        return r;
    }
    case EX_SET:
        return check_set(ck, e, want);
    case EX_LIST: return check_list(ck, e, want);
    case EX_RECORD: return check_record(ck, e, want);
    case EX_COMPR: return check_compr(ck, e);
    }
    UNREACHABLE();
}

/* Check `e` against a required type, accepting only that type. */
static IrExpr *check_typed(Checker *ck, const AstExpr *e, const Type *want, const char *what) {
    IrExpr *x = check_expr(ck, e, want);
    if (is_err(x->type) || is_err(want)) return x;
    if (!type_eq(x->type, want)) {
        diag_error(ck->cx, x->span, "%s must be %s, not %s", what, TN1(want), TN2(x->type));
        if (want->kind == TY_MONEY && x->type->kind == TY_EXACT_MONEY)
            diag_hint(ck->cx, "an exact amount must be rounded: round(..., half_up) (SPEC §5.7)");
        else
            unit_hint(ck, want, x->type);
        return ir_error(ck, e->span);
    }
    return x;
}

static bool require_const(Checker *ck, IrExpr *x, const char *what) {
    if (is_err(x->type)) return false;
    if (x->kind != IR_CONST) {
        diag_error(ck->cx, x->span, "%s must be a literal value", what);
        return false;
    }
    return true;
}

/* ---- the vocabulary (SPEC §7) ------------------------------------------------ */

/* SPEC §4.2: a declared name may not hide a fact of the case, a builtin, a
 * question or `parties`, because rules would silently read the wrong thing. */
static bool name_is_reserved(Checker *ck, const char *name, Span sp, const char *what) {
    const IrRecord *cr = ck->voc->case_rec;
    const char *clash = NULL;
    if (cr && field_index(cr, name) >= 0) clash = "a fact of the case";
    for (size_t i = 0; !clash && i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, name) == 0) clash = "a builtin function";
    if (!clash && find_question(ck, name)) clash = "a question";
    if (!clash && strcmp(name, "parties") == 0) clash = "the set of parties";
    if (!clash) return false;
    diag_error(ck->cx, sp, "%s '%s' would hide %s of the same name", what, name, clash);
    return true;
}

static void declare_define(Checker *ck, const AstItem *it) {
    if (name_is_reserved(ck, it->name, it->name_span, "definition")) return;
    if (find_define(ck, it->name) && !ck->ag) {
        diag_error(ck->cx, it->name_span, "'%s' is defined twice", it->name);
        return;
    }
    IrDefine *d = arena_alloc(ck->A, sizeof *d);
    d->id = (int)ck->defines.len;
    d->name = it->name;
    d->span = it->span;
    d->cite = ck->cite;
    d->nparams = (int)it->params.len;
    d->ptypes = arena_alloc(ck->A, sizeof *d->ptypes * (it->params.len + 1));
    for (size_t i = 0; i < it->params.len; i++) d->ptypes[i] = resolve_type(ck, ((AstParam *)it->params.items[i])->type);
    d->type = resolve_type(ck, it->type);
    if (d->type->kind == TY_RECORD || d->type->kind == TY_LIST) {
        diag_error(ck->cx, it->type->span, "a definition gives a value, not a %s", d->type->kind == TY_LIST ? "list" : "record");
        d->type = &ty_error;
    }
    ptrvec_push(ck->A, &ck->defines, d);
    ptrvec_push(ck->A, &ck->define_asts, (void *)it);
}

static void check_define_body(Checker *ck, IrDefine *d, const AstItem *it) {
    frame_begin(ck);
    if (is_err(d->type)) {
        /* the declared type was rejected: checking the body against it
         * would only repeat that error */
        d->body = ir_error(ck, it->span);
        return;
    }
    for (size_t i = 0; i < it->params.len; i++) {
        const AstParam *p = it->params.items[i];
        for (size_t j = 0; j < i; j++)
            if (strcmp(((AstParam *)it->params.items[j])->name, p->name) == 0)
                diag_error(ck->cx, p->span, "parameter '%s' is declared twice", p->name);
        local_push(ck, p->name, d->ptypes[i]);
    }
    d->body = check_typed(ck, it->expr, d->type, "the value of this definition");
    d->nslots = ck->maxslots;
}

IrVocabulary *chk_vocabulary(Compilation *cx, const AstFile *f) {
    Checker ckv = {0}, *ck = &ckv;
    ck->cx = cx;
    ck->A = &cx->arena;
    IrVocabulary *voc = arena_alloc(ck->A, sizeof *voc);
    ck->voc = voc;
    voc->name = f->name;
    if (f->kind != FILE_VOCABULARY) {
        diag_error(cx, f->span, "the prelude must be a vocabulary");
        return voc;
    }
    /* enums first, then records (fields may name any enum or earlier record) */
    for (size_t i = 0; i < f->items.len; i++) {
        const AstItem *it = f->items.items[i];
        if (it->kind != IT_ENUM) continue;
        if (find_enum(voc, it->name)) { diag_error(cx, it->name_span, "enum '%s' is declared twice", it->name); continue; }
        IrEnum *en = arena_alloc(ck->A, sizeof *en);
        en->name = it->name;
        en->span = it->span;
        en->n = (int)it->args.len;
        if (en->n > 255) { diag_error(cx, it->span, "an enum has at most 255 constants"); en->n = 255; }
        en->consts = arena_alloc(ck->A, sizeof *en->consts * (size_t)(en->n + 1));
        en->spans = arena_alloc(ck->A, sizeof *en->spans * (size_t)(en->n + 1));
        for (int j = 0; j < en->n; j++) {
            const AstExpr *c = it->args.items[j];
            for (int k = 0; k < j; k++)
                if (strcmp(en->consts[k], c->name) == 0) diag_error(cx, c->span, "constant '%s' appears twice", c->name);
            en->consts[j] = c->name;
            en->spans[j] = c->span;
        }
        ptrvec_push(ck->A, &voc->enums, en);
        if (strcmp(en->name, "branch") == 0) voc->branch = en;
    }
    for (size_t i = 0; i < f->items.len; i++) {
        const AstItem *it = f->items.items[i];
        if (it->kind != IT_RECORD) continue;
        if (find_record(voc, it->name)) { diag_error(cx, it->name_span, "record '%s' is declared twice", it->name); continue; }
        IrRecord *r = arena_alloc(ck->A, sizeof *r);
        r->name = it->name;
        r->span = it->span;
        r->nfields = (int)it->params.len;
        r->fields = arena_alloc(ck->A, sizeof *r->fields * (it->params.len + 1));
        for (size_t j = 0; j < it->params.len; j++) {
            const AstParam *p = it->params.items[j];
            for (size_t k = 0; k < j; k++)
                if (strcmp(r->fields[k].name, p->name) == 0) diag_error(cx, p->span, "field '%s' is declared twice", p->name);
            r->fields[j].name = p->name;
            r->fields[j].span = p->span;
            r->fields[j].words = p->words;
            r->fields[j].type = resolve_type(ck, p->type);
        }
        ptrvec_push(ck->A, &voc->records, r);
        if (strcmp(r->name, "case") == 0) voc->case_rec = r;
    }
    if (!voc->case_rec) diag_error(cx, f->name_span, "the vocabulary must declare 'record case'");
    if (!voc->branch) diag_error(cx, f->name_span, "the vocabulary must declare 'enum branch'");
    else if (voc->case_rec) {
        int di = field_index(voc->case_rec, "date");
        if (di < 0 || voc->case_rec->fields[di].type->kind != TY_DATE)
            diag_error(cx, voc->case_rec->span, "record 'case' must have a field 'date: date' (the determination date)");
    }
    for (size_t i = 0; i < f->items.len; i++) {
        const AstItem *it = f->items.items[i];
        switch (it->kind) {
        case IT_ENUM: case IT_RECORD: break;
        case IT_QUESTION: {
            if (find_question(ck, it->name)) { diag_error(cx, it->name_span, "question '%s' is declared twice", it->name); break; }
            IrQuestion *q = arena_alloc(ck->A, sizeof *q);
            q->id = (int)voc->questions.len;
            q->name = it->name;
            q->span = it->span;
            q->nparams = (int)it->params.len;
            q->pnames = arena_alloc(ck->A, sizeof *q->pnames * (it->params.len + 1));
            q->ptypes = arena_alloc(ck->A, sizeof *q->ptypes * (it->params.len + 1));
            q->branch_param = q->country_param = -1;
            if (it->params.len > 8) diag_error(cx, it->name_span, "a question takes at most 8 arguments");
            for (size_t j = 0; j < it->params.len; j++) {
                const AstParam *p = it->params.items[j];
                q->pnames[j] = p->name;
                q->ptypes[j] = resolve_type(ck, p->type);
                TypeKind k = q->ptypes[j]->kind;
                if (k != TY_COUNTRY && k != TY_ENUM && !is_err(q->ptypes[j]))
                    diag_error(cx, p->span, "a question's parameters are countries or enum constants, not %s", TN1(q->ptypes[j]));
                if (k == TY_ENUM && q->ptypes[j]->en == voc->branch && q->branch_param < 0) q->branch_param = (int)j;
                if (k == TY_COUNTRY && q->country_param < 0) q->country_param = (int)j;
            }
            q->type = resolve_type(ck, it->type);
            if (q->type->kind == TY_RECORD || q->type->kind == TY_LIST || q->type->kind == TY_EXACT_MONEY)
                diag_error(cx, it->type->span, "a question's answer is a value, not %s", TN1(q->type));
            ptrvec_push(ck->A, &voc->questions, q);
            break;
        }
        case IT_DEFINE: declare_define(ck, it); break;
        default:
            diag_error(cx, it->span, "a vocabulary declares enums, records, questions and definitions, not %s",
                       ast_item_kind_name(it->kind));
        }
    }
    for (size_t i = 0; i < ck->defines.len; i++) check_define_body(ck, ck->defines.items[i], ck->define_asts.items[i]);
    voc->defines = ck->defines;
    /* A stable fingerprint of the vocabulary source (FNV-1a 64), for later ABI checks. */
    voc->hash = arena_printf(ck->A, "%016" PRIx64, src_fingerprint(src_file(cx, f->file)));
    return voc;
}

/* ---- agreements: header (SPEC §3.2, §6.1) -------------------------------------- */

/* SPEC §13.5: an acknowledged checker finding names a kind of finding and a
 * question of the vocabulary, and explains itself. */
static void check_ack(Checker *ck, const AstHeaderField *h) {
    static const char *kinds[] = {"conflict", "gap", "dead_rule", "two_legislations", "no_legislation",
                                  "between_agreements", "unequal_treatment", "below_standard"};
    bool known = false;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) known |= !strcmp(kinds[i], h->ack_kind);
    if (!known) {
        diag_error(ck->cx, h->span, "unknown kind of finding '%s'", h->ack_kind);
        diag_hint(ck->cx, "the kinds are conflict, gap, dead_rule, two_legislations, no_legislation, between_agreements, "
                          "unequal_treatment and below_standard");
        return;
    }
    bool q = false;
    for (size_t i = 0; i < ck->voc->questions.len; i++) q |= !strcmp(((IrQuestion *)ck->voc->questions.items[i])->name, h->ack_question);
    if (!q) {
        diag_error(ck->cx, h->span, "'%s' is not a question of the vocabulary", h->ack_question);
        return;
    }
    if (!h->text || !h->text[0]) {
        diag_error(ck->cx, h->span, "an acknowledged finding needs an explanation");
        return;
    }
    IrAck *a = arena_alloc(ck->A, sizeof *a);
    a->kind = h->ack_kind;
    a->question = h->ack_question;
    a->other = h->ack_other;
    a->note = h->text;
    a->span = h->span;
    if (h->ack_rules.len && !strcmp(h->ack_kind, "gap")) {
        diag_error(ck->cx, h->span, "a gap is where no rule answers: it cannot be acknowledged 'by' rules");
        diag_hint(ck->cx, "restrict it to a region with 'where' (SPEC §13.5)");
        return;
    }
    ptrvec_push(ck->A, &ck->ag->acks, a);
    ptrvec_push(ck->A, &ck->ack_asts, (void *)h);
}

/* The precise forms (SPEC §13.5), once the rules and definitions exist: the
 * labels after `by` name rules of this agreement that answer the question,
 * and the condition after `where` is a condition over the case and the
 * question's parameters, as in a rule of that question. */
static void check_ack_details(Checker *ck) {
    for (size_t i = 0; i < ck->ag->acks.len; i++) {
        IrAck *a = ck->ag->acks.items[i];
        const AstHeaderField *h = ck->ack_asts.items[i];
        IrQuestion *q = find_question(ck, a->question);
        if (h->ack_rules.len) {
            a->rules = arena_alloc(ck->A, sizeof *a->rules * h->ack_rules.len);
            for (size_t j = 0; j < h->ack_rules.len; j++) {
                const AstExpr *n = h->ack_rules.items[j];
                const IrRule *r = map_get(&ck->labels, n->name);
                if (!r) {
                    diag_error(ck->cx, n->span, "no rule is labelled '%s' in this agreement", n->name);
                    diag_hint(ck->cx, "'by' names rules by their labels (rule LABEL: question = ...)");
                    continue;
                }
                if (r->q != q) {
                    diag_error(ck->cx, n->span, "rule '%s' answers '%s', not '%s'", n->name, r->q->name, a->question);
                    continue;
                }
                for (int k = 0; k < a->nrules; k++)
                    if (a->rules[k] == r) diag_error(ck->cx, n->span, "rule '%s' is named twice", n->name);
                a->rules[a->nrules++] = r;
            }
        }
        if (h->ack_where && q) {
            frame_begin(ck);
            for (int k = 0; k < q->nparams; k++) local_push(ck, q->pnames[k], q->ptypes[k]);
            a->where = check_typed(ck, h->ack_where, &ty_bool, "the condition after 'where'");
            a->nslots = ck->maxslots;
        }
    }
}

static void check_header(Checker *ck, const AstFile *f) {
    IrAgreement *ag = ck->ag;
    bool seen[10] = {0}, bad_party = false;
    static const char *names[] = {"title", "parties", "signed", "in force", "terminates", "supersedes", "yields to", "amends",
                                  "standard", "acknowledge"};
    for (size_t i = 0; i < f->header->fields.len; i++) {
        const AstHeaderField *h = f->header->fields.items[i];
        if (seen[h->kind] && h->kind != HD_SUPERSEDES && h->kind != HD_YIELDS && h->kind != HD_ACKNOWLEDGE) {
            diag_error(ck->cx, h->span, "'%s' is given twice in the header", names[h->kind]);
            continue;
        }
        seen[h->kind] = true;
        switch (h->kind) {
        case HD_TITLE: ag->title = h->text; break;
        case HD_PARTIES:
            ag->parties.kind = TY_SET;
            for (size_t j = 0; j < h->countries.len; j++) {
                const AstExpr *c = h->countries.items[j];
                int o = country_of(ck, c);
                if (!o) { bad_party = true; continue; }
                if (set_has(&ag->parties, o)) diag_error(ck->cx, c->span, "party %s is listed twice", c->name);
                set_add(&ag->parties, o);
                int32_t d;
                if (c->lhs && parse_date(ck, c->lhs, &d)) ag->party_from[o] = d;
                if (c->rhs && parse_date(ck, c->rhs, &d)) ag->party_until[o] = d;
                if (ag->party_from[o] >= ag->party_until[o])
                    diag_error(ck->cx, c->span, "party %s leaves before it joins", c->name);
            }
            break;
        case HD_SIGNED: { int32_t d; if (parse_date(ck, h->date, &d)) ag->signed_on = d; break; }
        case HD_IN_FORCE: { int32_t d; if (parse_date(ck, h->date, &d)) ag->in_force = d; break; }
        case HD_TERMINATES: {
            int32_t d;
            if (parse_date(ck, h->date, &d)) { ag->terminates = d; ag->has_terminates = true; }
            break;
        }
        case HD_SUPERSEDES:
            if (strcmp(h->text, ag->id) == 0) diag_error(ck->cx, h->span, "an agreement cannot supersede itself");
            ptrvec_push(ck->A, &ag->supersedes, (void *)h->text);
            break;
        case HD_YIELDS: {
            if (strcmp(h->yield->target, ag->id) == 0) diag_error(ck->cx, h->span, "an agreement cannot yield to itself");
            IrYield *y = arena_alloc(ck->A, sizeof *y);
            y->target = h->yield->target;
            y->unless_more_favourable = h->yield->unless_more_favourable;
            ptrvec_push(ck->A, &ag->yields, y);
            break;
        }
        case HD_AMENDS: break;
        case HD_STANDARD: ag->is_standard = true; break;
        case HD_ACKNOWLEDGE: check_ack(ck, h); break;
        }
    }
    if (!seen[HD_TITLE]) diag_error(ck->cx, f->name_span, "agreement '%s' has no title", ag->id);
    if (!seen[HD_PARTIES]) diag_error(ck->cx, f->name_span, "agreement '%s' names no parties", ag->id);
    else if (set_size(&ag->parties) < 2 && !bad_party) {
        diag_error(ck->cx, f->header->span, "an agreement needs at least two parties");
    }
    if (!seen[HD_SIGNED]) diag_error(ck->cx, f->name_span, "agreement '%s' has no date of signature ('signed')", ag->id);
    if (!seen[HD_IN_FORCE]) diag_error(ck->cx, f->name_span, "agreement '%s' has no date of entry into force ('in force')", ag->id);
    if (seen[HD_SIGNED] && seen[HD_IN_FORCE] && ag->in_force < ag->signed_on)
        diag_error(ck->cx, f->header->span, "the agreement enters into force before it is signed");
    if (ag->has_terminates && ag->terminates <= ag->in_force)
        diag_error(ck->cx, f->header->span, "the agreement terminates before it enters into force");
    if (!ag->has_terminates) ag->terminates = DATE_MAX;
}

/* ---- agreements: articles and rules (SPEC §6) ------------------------------------ */

static const char *cite_text(Checker *ck, const char *instrument, const char *article, const PtrVec *labels) {
    char buf[256];
    int n = snprintf(buf, sizeof buf, "%s%sArt. %s", instrument ? instrument : "", instrument ? " " : "", article);
    for (size_t i = 0; labels && i < labels->len && n < (int)sizeof buf; i++)
        n += snprintf(buf + n, sizeof buf - (size_t)n, "(%s)", (const char *)labels->items[i]);
    return arena_strdup(ck->A, buf);
}

static void apply_validity_mods(Checker *ck, const PtrVec *mods, int32_t *from, int32_t *until, bool allow_rule_mods,
                                Span item) {
    for (size_t i = 0; i < mods->len; i++) {
        const AstRuleMod *m = mods->items[i];
        int32_t d;
        if (m->kind == RM_FROM) {
            if (parse_date(ck, m->date, &d) && d > *from) *from = d;
        } else if (m->kind == RM_UNTIL) {
            if (parse_date(ck, m->date, &d) && d < *until) *until = d;
        } else if (!allow_rule_mods) {
            diag_error(ck->cx, m->span, "a scope clause takes only 'from' and 'until'");
        }
    }
    if (*from >= *until && *from != DATE_MIN)
        diag_error(ck->cx, mods->len ? ((AstRuleMod *)mods->items[mods->len - 1])->span : item,
                   "this provision can never apply: it starts on or after the date it ends");
}

static void check_rule(Checker *ck, const AstItem *it) {
    IrQuestion *q = find_question(ck, it->title);
    if (!q) {
        diag_error(ck->cx, it->label_span, "unknown question '%s'", it->title);
        Suggest s = {0, 0, it->title};
        for (size_t i = 0; i < ck->ag->questions.len; i++) suggest(&s, ((IrQuestion *)ck->ag->questions.items[i])->name);
        if (s.best) diag_hint(ck->cx, "did you mean '%s'?", s.best);
        else diag_hint(ck->cx, "rules answer the questions of the vocabulary (SPEC §7.3)");
        return;
    }
    IrRule *r = arena_alloc(ck->A, sizeof *r);
    r->id = (int)ck->ag->rules.len;
    r->label = it->name;
    r->cite = ck->cite;
    r->article = ck->article;
    r->span = it->span;
    r->q = q;
    r->from = ck->from;
    r->until = ck->until;
    if (it->name) {
        IrRule *o = map_add(ck->A, &ck->labels, it->name, r);
        if (o != r) {
            diag_error(ck->cx, it->name_span, "rule label '%s' is used twice", it->name);
            diag_note(ck->cx, o->span, "first used here");
        }
    }
    frame_begin(ck);
    if ((int)it->args.len != q->nparams) {
        diag_error(ck->cx, it->label_span, "question '%s' takes %d argument%s, not %zu", q->name, q->nparams,
                   q->nparams == 1 ? "" : "s", it->args.len);
        return;
    }
    /* slots 0..nparams-1 hold the question's arguments; a name in the head
     * that is not a constant of the parameter's type binds that slot */
    r->pattern = arena_alloc(ck->A, sizeof *r->pattern * (size_t)(q->nparams + 1));
    const char **binders = arena_alloc(ck->A, sizeof *binders * (size_t)(q->nparams + 1));
    for (int i = 0; i < q->nparams; i++) {
        const AstExpr *a = it->args.items[i];
        bool is_binder = a->kind == EX_NAME && !(q->ptypes[i]->kind == TY_ENUM && enum_ordinal(q->ptypes[i]->en, a->name));
        if (is_binder) {
            for (int j = 0; j < i; j++)
                if (binders[j] && strcmp(binders[j], a->name) == 0)
                    diag_error(ck->cx, a->span, "'%s' names two arguments of the head", a->name);
            binders[i] = a->name;
            /* a misspelt constant would silently bind every argument */
            if (q->ptypes[i]->kind == TY_ENUM && strlen(a->name) > 3) {
                Suggest s = {0, 0, a->name};
                for (int k = 0; k < q->ptypes[i]->en->n; k++) suggest(&s, q->ptypes[i]->en->consts[k]);
                if (s.best) {
                    diag_warning(ck->cx, a->span, "'%s' is not a %s: it stands for every %s", a->name,
                                 q->ptypes[i]->en->name, q->ptypes[i]->en->name);
                    diag_hint(ck->cx, "did you mean '%s'? otherwise choose a name less like a constant", s.best);
                }
            }
        }
    }
    for (int i = 0; i < q->nparams; i++) local_push(ck, binders[i] ? binders[i] : "", q->ptypes[i]);
    for (int i = 0; i < q->nparams; i++) {
        if (binders[i]) continue;
        IrExpr *x = check_typed(ck, it->args.items[i], q->ptypes[i], "this argument");
        if (require_const(ck, x, "an argument in a rule head")) r->pattern[i] = x;
    }
    r->value = check_typed(ck, it->expr, q->type, "the answer");
    if (it->cond) {
        r->cond = check_typed(ck, it->cond, &ty_bool, "the condition after 'when'");
    }
    for (size_t i = 0; i < it->mods.len; i++) {
        const AstRuleMod *m = it->mods.items[i];
        if (m->kind == RM_PRIORITY) r->priority = m->priority;
    }
    apply_validity_mods(ck, &it->mods, &r->from, &r->until, true, it->span);
    r->nslots = ck->maxslots;
    ptrvec_push(ck->A, &ck->ag->rules, r);
    ptrvec_push(ck->A, &q->rules, r);
    ptrvec_push(ck->A, &ck->pending_rules, r);
    ptrvec_push(ck->A, &ck->pending_asts, (void *)it);
}

static void declare_parameter(Checker *ck, const AstItem *it) {
    if (name_is_reserved(ck, it->name, it->name_span, "parameter")) return;
    if (find_parameter(ck, it->name)) {
        diag_error(ck->cx, it->name_span, "parameter '%s' is declared twice", it->name);
        return;
    }
    frame_begin(ck);
    const Type *want = it->type ? resolve_type(ck, it->type) : NULL;
    IrExpr *x = want ? check_typed(ck, it->expr, want, "the parameter's value") : check_expr(ck, it->expr, NULL);
    if (!require_const(ck, x, "a parameter's value")) return;
    IrParameter *p = arena_alloc(ck->A, sizeof *p);
    p->name = it->name;
    p->span = it->span;
    p->type = x->type;
    p->cite = ck->cite;
    p->n = 1;
    p->from = arena_alloc(ck->A, sizeof *p->from * 8);
    p->value = arena_alloc(ck->A, sizeof *p->value * 8);
    p->by = arena_alloc(ck->A, sizeof *p->by * 8);
    p->from[0] = DATE_MIN;
    p->value[0] = x->cval;
    ptrvec_push(ck->A, &ck->ag->parameters, p);
}

/* Walk the items of an article (or paragraph, or phase inside one). */
static void walk_article_items(Checker *ck, const PtrVec *items, const char *article_label, PtrVec *labels, int pass);

static void check_scope_clause(Checker *ck, const AstItem *it) {
    int32_t from = ck->from, until = ck->until;
    apply_validity_mods(ck, &it->mods, &from, &until, false, it->span);
    if (it->kind == IT_PERSONAL_SCOPE) {
        frame_begin(ck);
        IrScopeClause *c = arena_alloc(ck->A, sizeof *c);
        c->cond = check_typed(ck, it->expr, &ty_bool, "a personal scope clause");
        c->nslots = ck->maxslots;
        c->from = from;
        c->until = until;
        c->cite = ck->cite;
        c->span = it->span;
        ptrvec_push(ck->A, &ck->ag->personal_scope, c);
        return;
    }
    IrMaterialClause *m = arena_alloc(ck->A, sizeof *m);
    m->from = from;
    m->until = until;
    m->cite = ck->cite;
    m->span = it->span;
    m->branches.kind = TY_SET;
    if (it->country) {
        m->country = country_of(ck, it->country);
        if (m->country && !set_has(&ck->ag->parties, m->country))
            diag_error(ck->cx, it->country->span, "%s is not a party to this agreement", it->country->name);
    }
    for (size_t i = 0; i < it->args.len; i++) {
        const AstExpr *b = it->args.items[i];
        int o = ck->voc->branch ? enum_ordinal(ck->voc->branch, b->name) : 0;
        if (!o) {
            diag_error(ck->cx, b->span, "unknown branch '%s'", b->name);
            Suggest s = {0, 0, b->name};
            for (int j = 0; ck->voc->branch && j < ck->voc->branch->n; j++) suggest(&s, ck->voc->branch->consts[j]);
            if (s.best) diag_hint(ck->cx, "did you mean '%s'?", s.best);
            continue;
        }
        if (set_has(&m->branches, o)) diag_error(ck->cx, b->span, "branch '%s' is listed twice", b->name);
        set_add(&m->branches, o);
    }
    ptrvec_push(ck->A, &ck->ag->material_scope, m);
}

/* pass 0 declares parameters, pass 1 declares definitions, pass 2 checks rules, bodies and scope */
static void walk_article_items(Checker *ck, const PtrVec *items, const char *article_label, PtrVec *labels, int pass) {
    const char *saved_cite = ck->cite;
    int32_t saved_from = ck->from, saved_until = ck->until;
    for (size_t i = 0; i < items->len; i++) {
        const AstItem *it = items->items[i];
        switch (it->kind) {
        case IT_PROSE: break;
        case IT_PARAMETER: if (pass == 0) declare_parameter(ck, it); break;
        case IT_DEFINE: if (pass == 1) declare_define(ck, it); break;
        case IT_RULE: if (pass == 2) check_rule(ck, it); break;
        case IT_PERSONAL_SCOPE: case IT_MATERIAL_SCOPE: if (pass == 2) check_scope_clause(ck, it); break;
        case IT_PARAGRAPH: {
            for (size_t j = 0; j < items->len; j++) {
                const AstItem *o = items->items[j];
                if (j < i && o->kind == IT_PARAGRAPH && strcmp(o->label, it->label) == 0 && pass == 0) {
                    diag_error(ck->cx, it->label_span, "paragraph (%s) appears twice in this article", it->label);
                    break;
                }
            }
            ptrvec_push(ck->A, labels, (void *)it->label);
            ck->cite = cite_text(ck, ck->instrument, article_label, labels);
            walk_article_items(ck, &it->items, article_label, labels, pass);
            labels->len--;
            ck->cite = saved_cite;
            break;
        }
        case IT_PHASE: {
            int32_t d;
            /* the walk runs once per pass; report a bad date in the first only */
            if (parse_date_report(ck, it->date, &d, pass == 0) && d > ck->from) ck->from = d;
            walk_article_items(ck, &it->items, article_label, labels, pass);
            ck->from = saved_from;
            ck->until = saved_until;
            break;
        }
        default:
            if (pass == 0)
                diag_error(ck->cx, it->span, "an article cannot contain %s %s", strchr("aeiou", ast_item_kind_name(it->kind)[0]) ? "an" : "a",
                           ast_item_kind_name(it->kind));
        }
    }
}

static const char *article_key(Checker *ck, const char *instrument, const char *label) {
    return arena_printf(ck->A, "%s\x01%s", instrument ? instrument : "", label);
}

/* the first version of an article (a protocol may add later ones) */
static IrArticle *find_article(Checker *ck, const char *instrument, const char *label) {
    return map_get(&ck->articles, article_key(ck, instrument, label));
}

static const char *prose_of(const AstItem *it) {
    for (size_t i = 0; i < it->items.len; i++) {
        const AstItem *c = it->items.items[i];
        if (c->kind == IT_PROSE) return c->text;
    }
    return NULL;
}

static void check_article(Checker *ck, const AstItem *it, int pass, const char *protocol, int32_t from) {
    if (pass == 0) {
        IrArticle *old = find_article(ck, ck->instrument, it->label);
        if (old && !protocol) {
            diag_error(ck->cx, it->label_span, "article %s appears twice", it->label);
            diag_note(ck->cx, old->span, "first written here");
        }
        IrArticle *a = arena_alloc(ck->A, sizeof *a);
        a->label = it->label;
        a->title = it->title;
        a->prose = prose_of(it);
        a->instrument = ck->instrument;
        a->cite = cite_text(ck, ck->instrument, it->label, NULL);
        a->span = it->span;
        a->from = from;
        a->until = DATE_MAX;
        a->protocol = protocol;
        ptrvec_push(ck->A, &ck->ag->articles, a);
        map_add(ck->A, &ck->articles, article_key(ck, a->instrument, a->label), a);
        map_add(ck->A, &ck->article_of_item, arena_printf(ck->A, "%p", (const void *)it), a);
    }
    IrArticle *art = map_get(&ck->article_of_item, arena_printf(ck->A, "%p", (const void *)it));
    ck->article = art;
    ck->cite = art ? art->cite : NULL;
    ck->from = art ? art->from : DATE_MIN;
    ck->until = art ? art->until : DATE_MAX;
    PtrVec labels = {0};
    walk_article_items(ck, &it->items, it->label, &labels, pass);
    ck->article = NULL;
    ck->cite = NULL;
    ck->from = DATE_MIN;
    ck->until = DATE_MAX;
}

typedef struct ProtoCtx {
    const char *name;
    int32_t in_force;
} ProtoCtx;

static void walk_items(Checker *ck, const PtrVec *items, int pass);

static void check_protocol_items(Checker *ck, const PtrVec *items, int pass, const ProtoCtx *pc) {
    for (size_t i = 0; i < items->len; i++) {
        const AstItem *it = items->items[i];
        switch (it->kind) {
        case IT_AMEND_PARAMETER:
            if (pass != 2) break;
            {
                IrParameter *p = find_parameter(ck, it->name);
                if (!p) {
                    diag_error(ck->cx, it->name_span, "protocol '%s' amends unknown parameter '%s'", pc->name, it->name);
                    break;
                }
                frame_begin(ck);
                IrExpr *x = check_typed(ck, it->expr, p->type, "the amended value");
                if (!require_const(ck, x, "an amended parameter's value")) break;
                if (p->n >= 8) { diag_error(ck->cx, it->span, "a parameter can be amended at most 7 times"); break; }
                /* keep the pieces sorted by date */
                int k = p->n;
                while (k > 0 && p->from[k - 1] > pc->in_force) {
                    p->from[k] = p->from[k - 1];
                    p->value[k] = p->value[k - 1];
                    p->by[k] = p->by[k - 1];
                    k--;
                }
                if (k > 0 && p->from[k - 1] == pc->in_force) {
                    diag_error(ck->cx, it->span, "parameter '%s' is amended twice from the same date", it->name);
                    break;
                }
                p->from[k] = pc->in_force;
                p->value[k] = x->cval;
                p->by[k] = pc->name;
                p->n++;
            }
            break;
        case IT_AMEND_ARTICLE: {
            if (pass == 0) {
                IrArticle *old = find_article(ck, NULL, it->label);
                if (!old) {
                    diag_error(ck->cx, it->label_span, "protocol '%s' amends article %s, which does not exist", pc->name, it->label);
                    break;
                }
                /* the version in force until the protocol ends there (SPEC §3.6) */
                for (size_t j = 0; j < ck->ag->articles.len; j++) {
                    IrArticle *a = ck->ag->articles.items[j];
                    if (a->instrument == NULL && strcmp(a->label, it->label) == 0 && a->until > pc->in_force &&
                        a->from < pc->in_force)
                        a->until = pc->in_force;
                }
            }
            check_article(ck, it, pass, pc->name, pc->in_force);
            break;
        }
        case IT_ARTICLE: check_article(ck, it, pass, pc->name, pc->in_force); break;
        case IT_EXAMPLE: break; /* examples are checked with the agreement's */
        default: if (pass == 0) diag_error(ck->cx, it->span, "a protocol cannot contain %s", ast_item_kind_name(it->kind));
        }
    }
}

static void protocol_ctx(Checker *ck, const char *name, const AstHeader *h, Span sp, ProtoCtx *pc, bool record) {
    pc->name = name;
    pc->in_force = DATE_MAX;
    IrProtocol *p = arena_alloc(ck->A, sizeof *p);
    p->name = name;
    p->span = sp;
    bool has_force = false, force_given = false;
    for (size_t i = 0; h && i < h->fields.len; i++) {
        const AstHeaderField *f = h->fields.items[i];
        int32_t d;
        if (f->kind == HD_IN_FORCE) {
            force_given = true;
            if (parse_date_report(ck, f->date, &d, record)) { pc->in_force = p->in_force = d; has_force = true; }
        } else if (f->kind == HD_SIGNED) {
            if (parse_date_report(ck, f->date, &d, record)) p->signed_on = d;
        } else if (f->kind == HD_TITLE) {
            p->title = f->text;
        } else if (record) {
            diag_error(ck->cx, f->span, "a protocol's header has a title, 'signed' and 'in force' only");
        }
    }
    if (!force_given && record) diag_error(ck->cx, sp, "protocol '%s' has no date of entry into force", name);
    if (has_force && record && pc->in_force < ck->ag->in_force)
        diag_error(ck->cx, sp, "protocol '%s' enters into force before the agreement", name);
    if (record) {
        for (size_t i = 0; i < ck->ag->protocols.len; i++)
            if (strcmp(((IrProtocol *)ck->ag->protocols.items[i])->name, name) == 0) {
                diag_error(ck->cx, sp, "protocol '%s' is written twice", name);
                break;
            }
        ptrvec_push(ck->A, &ck->ag->protocols, p);
    }
}

static void walk_items(Checker *ck, const PtrVec *items, int pass) {
    for (size_t i = 0; i < items->len; i++) {
        const AstItem *it = items->items[i];
        if (pass == 0 && ck->protocols_now && it->kind != IT_PROTOCOL && it->kind != IT_INSTRUMENT && it->kind != IT_PHASE)
            continue;
        switch (it->kind) {
        case IT_ARTICLE: check_article(ck, it, pass, NULL, DATE_MIN); break;
        case IT_PARAMETER: if (pass == 0) declare_parameter(ck, it); break;
        case IT_DEFINE: if (pass == 1) declare_define(ck, it); break;
        case IT_INSTRUMENT: {
            const char *saved = ck->instrument;
            if (ck->instrument && pass == 0 && !ck->protocols_now) diag_error(ck->cx, it->span, "instruments do not nest");
            ck->instrument = it->title;
            walk_items(ck, &it->items, pass);
            ck->instrument = saved;
            break;
        }
        case IT_PHASE:
            /* a top-level phase shifts every article inside it */
            {
                int32_t d;
                if (pass == 0 && parse_date(ck, it->date, &d)) {
                    size_t before = ck->ag->articles.len;
                    walk_items(ck, &it->items, pass);
                    for (size_t j = before; j < ck->ag->articles.len; j++) {
                        IrArticle *a = ck->ag->articles.items[j];
                        if (d > a->from) a->from = d;
                    }
                } else if (pass != 0) {
                    walk_items(ck, &it->items, pass);
                }
            }
            break;
        case IT_PROTOCOL: {
            /* pass 0 declares protocols after every article (ck->protocols_now),
             * so a protocol may be written before the article it amends */
            if (pass == 0 && !ck->protocols_now) break;
            ProtoCtx pc;
            protocol_ctx(ck, it->name, it->header, it->span, &pc, pass == 0);
            check_protocol_items(ck, &it->items, pass, &pc);
            break;
        }
        case IT_EXAMPLE: break;
        case IT_ENUM: case IT_RECORD: case IT_QUESTION:
            if (pass == 0) {
                diag_error(ck->cx, it->span, "an agreement cannot declare %s %s: the vocabulary is shared (SPEC §7)",
                           it->kind == IT_ENUM ? "an" : "a", ast_item_kind_name(it->kind));
                diag_hint(ck->cx, "use 'define' for a fact derived from the standard vocabulary");
            }
            break;
        default:
            if (pass == 0) diag_error(ck->cx, it->span, "%s must be inside an article", ast_item_kind_name(it->kind));
        }
    }
}

/* ---- exceptions (SPEC §6.3) --------------------------------------------------------- */

static bool cite_within(const char *cite, const char *prefix) {
    size_t n = strlen(prefix);
    return strncmp(cite, prefix, n) == 0 && (cite[n] == 0 || cite[n] == '(');
}

static void link_exceptions(Checker *ck) {
    for (size_t i = 0; i < ck->pending_rules.len; i++) {
        IrRule *r = ck->pending_rules.items[i];
        const AstItem *it = ck->pending_asts.items[i];
        for (size_t j = 0; j < it->mods.len; j++) {
            const AstRuleMod *m = it->mods.items[j];
            if (m->kind == RM_EXCEPTION_LABEL) {
                IrRule *t = map_get(&ck->labels, m->label);
                if (!t) {
                    diag_error(ck->cx, m->span, "exception to unknown rule '%s'", m->label);
                    Suggest s = {0, 0, m->label};
                    for (size_t k = 0; k < ck->ag->rules.len; k++) {
                        IrRule *o = ck->ag->rules.items[k];
                        if (o->label) suggest(&s, o->label);
                    }
                    if (s.best) diag_hint(ck->cx, "did you mean '%s'?", s.best);
                    continue;
                }
                if (t == r) { diag_error(ck->cx, m->span, "a rule cannot be an exception to itself"); continue; }
                if (t->q != r->q) {
                    diag_error(ck->cx, m->span, "rule '%s' answers '%s', this rule answers '%s'", t->label, t->q->name, r->q->name);
                    diag_hint(ck->cx, "an exception answers the same question as the rule it overrides");
                    continue;
                }
                ptrvec_push(ck->A, &t->exceptions, r);
                ptrvec_push(ck->A, &r->overrides, t);
            } else if (m->kind == RM_EXCEPTION_ARTICLE) {
                const char *instr = m->cite->instrument ? m->cite->instrument : NULL;
                /* a reference without `of "..."` names the agreement's own
                 * articles, also from inside an instrument block (SPEC §3.4) */
                const char *want = cite_text(ck, instr, m->cite->article, &m->cite->labels);
                if (!find_article(ck, instr, m->cite->article)) {
                    diag_error(ck->cx, m->cite->span, "exception to %s, which does not exist", want);
                    continue;
                }
                int found = 0;
                for (size_t k = 0; k < ck->ag->rules.len; k++) {
                    IrRule *o = ck->ag->rules.items[k];
                    if (o == r || o->q != r->q || !o->cite || !cite_within(o->cite, want)) continue;
                    ptrvec_push(ck->A, &o->exceptions, r);
                    ptrvec_push(ck->A, &r->overrides, o);
                    found++;
                }
                if (!found) {
                    diag_error(ck->cx, m->cite->span, "%s has no rule answering '%s' to make an exception to", want, r->q->name);
                }
            }
        }
    }
    /* cycles: DFS over "is an exception to" edges */
    size_t n = ck->ag->rules.len;
    unsigned char *color = arena_alloc(ck->A, n + 1);
    IrRule **stack = arena_alloc(ck->A, sizeof *stack * (n + 1));
    size_t *iter = arena_alloc(ck->A, sizeof *iter * (n + 1));
    for (size_t s = 0; s < n; s++) {
        if (color[s]) continue;
        size_t sp = 0;
        stack[sp] = ck->ag->rules.items[s];
        iter[sp] = 0;
        color[s] = 1;
        sp++;
        while (sp) {
            IrRule *r = stack[sp - 1];
            if (iter[sp - 1] < r->overrides.len) {
                IrRule *t = r->overrides.items[iter[sp - 1]++];
                if (color[t->id] == 1) {
                    diag_error(ck->cx, r->span, "exceptions form a cycle: %s%s%s (%s) and %s%s%s (%s) override each other",
                               r->label ? "'" : "", r->label ? r->label : "rule", r->label ? "'" : "", r->cite ? r->cite : "",
                               t->label ? "'" : "", t->label ? t->label : "rule", t->label ? "'" : "", t->cite ? t->cite : "");
                    diag_note(ck->cx, t->span, "this rule is part of the cycle");
                    continue;
                }
                if (color[t->id] == 0) {
                    color[t->id] = 1;
                    stack[sp] = t;
                    iter[sp] = 0;
                    sp++;
                }
            } else {
                color[r->id] = 2;
                sp--;
            }
        }
    }
    for (size_t i = 0; i < ck->ag->questions.len; i++) {
        IrQuestion *q = ck->ag->questions.items[i];
        for (size_t j = 0; j < q->rules.len; j++) {
            IrRule *r = q->rules.items[j];
            if (!r->overrides.len) ptrvec_push(ck->A, &q->roots, r);
        }
    }
}

/* ---- dependency cycles (SPEC §6.7) ---------------------------------------------- */

typedef struct DepGraph {
    Checker *ck;
    int nq, nd;
    unsigned char *color; /* questions first, then definitions */
    bool reported;
} DepGraph;

static bool dep_visit_node(DepGraph *g, int node);

static bool dep_walk(DepGraph *g, const IrExpr *e) {
    if (!e) return true;
    if (e->kind == IR_ASK && !dep_visit_node(g, e->question->id)) {
        if (!g->reported) {
            diag_error(g->ck->cx, e->span, "question '%s' depends on itself through this call", e->question->name);
            g->reported = true;
        }
        return false;
    }
    if (e->kind == IR_DEFINE && !dep_visit_node(g, g->nq + e->def->id)) {
        if (!g->reported) {
            diag_error(g->ck->cx, e->span, "definition '%s' depends on itself", e->def->name);
            g->reported = true;
        }
        return false;
    }
    if (!dep_walk(g, e->a) || !dep_walk(g, e->b) || !dep_walk(g, e->c) || !dep_walk(g, e->d)) return false;
    for (int i = 0; i < e->nargs && e->args; i++)
        if (e->kind != IR_AGG && !dep_walk(g, e->args[i])) return false;
    return true;
}

/* Recursion depth is bounded by the number of questions plus definitions,
 * which the error cap and file size keep small. */
static bool dep_visit_node(DepGraph *g, int node) {
    if (g->color[node] == 2) return true;
    if (g->color[node] == 1) return false;
    g->color[node] = 1;
    bool ok = true;
    if (node < g->nq) {
        IrQuestion *q = g->ck->ag->questions.items[node];
        for (size_t i = 0; i < q->rules.len && ok; i++) {
            IrRule *r = q->rules.items[i];
            ok = dep_walk(g, r->cond) && dep_walk(g, r->value);
        }
    } else {
        IrDefine *d = g->ck->defines.items[node - g->nq];
        ok = dep_walk(g, d->body);
    }
    g->color[node] = 2;
    return ok;
}

/* Every question first checks the personal scope (SPEC §6.5), so a scope
 * clause that asks a question, directly or through definitions, is a cycle. */
static const IrExpr *find_ask(const IrExpr *e, unsigned char *seen_defs) {
    if (!e) return NULL;
    if (e->kind == IR_ASK) return e;
    if (e->kind == IR_DEFINE && !seen_defs[e->def->id]) {
        seen_defs[e->def->id] = 1;
        if (find_ask(e->def->body, seen_defs)) return e;
    }
    const IrExpr *kids[4] = {e->a, e->b, e->c, e->d};
    for (int i = 0; i < 4; i++) {
        const IrExpr *f = find_ask(kids[i], seen_defs);
        if (f) return f;
    }
    for (int i = 0; e->kind != IR_AGG && i < e->nargs; i++) {
        const IrExpr *f = find_ask(e->args[i], seen_defs);
        if (f) return f;
    }
    return NULL;
}

static void check_dependencies(Checker *ck) {
    DepGraph g = {ck, (int)ck->ag->questions.len, (int)ck->defines.len, NULL, false};
    g.color = arena_alloc(ck->A, (size_t)(g.nq + g.nd) + 1);
    for (int i = 0; i < g.nq + g.nd && !g.reported; i++) dep_visit_node(&g, i);
    if (g.reported) return; /* a define cycle would make find_ask loop over it */
    for (size_t i = 0; i < ck->ag->personal_scope.len; i++) {
        const IrScopeClause *c = ck->ag->personal_scope.items[i];
        unsigned char *seen = arena_alloc(ck->A, ck->defines.len + 1);
        const IrExpr *a = find_ask(c->cond, seen);
        if (a) {
            diag_error(ck->cx, a->span, "a personal scope clause cannot depend on the answer to a question");
            diag_hint(ck->cx, "every question first checks the personal scope (SPEC §6.5); test the facts instead");
        }
    }
}

/* ---- examples (SPEC §8) -------------------------------------------------------------- */

static void check_example(Checker *ck, const AstItem *it) {
    IrExample *ex = arena_alloc(ck->A, sizeof *ex);
    ex->name = it->title;
    ex->span = it->span;
    const IrRecord *cr = ck->voc->case_rec;
    Type *ct = arena_alloc(ck->A, sizeof *ct);
    ct->kind = TY_RECORD;
    ct->rec = cr;
    ex->kase = chk_default_value(ck->cx, ct);
    bool has_date = false;
    if (map_add(ck->A, &ck->example_names, ex->name, ex) != ex)
        diag_error(ck->cx, it->span, "two examples are called \"%s\"", ex->name);
    for (size_t i = 0; i < it->items.len; i++) {
        const AstItem *g = it->items.items[i];
        frame_begin(ck);
        if (g->kind == IT_GIVEN) {
            Value *slot = &ex->kase;
            const Type *t = ct;
            bool ok = true;
            for (size_t j = 0; j < g->names.len; j++) {
                const char *fname = g->names.items[j];
                Span fsp = *(Span *)g->name_spans.items[j];
                if (t->kind != TY_RECORD) {
                    diag_error(ck->cx, fsp, "%s has no field '%s'", TN1(t), fname);
                    ok = false;
                    break;
                }
                int fi = field_index(t->rec, fname);
                if (fi < 0) {
                    diag_error(ck->cx, fsp, "record '%s' has no field '%s'", t->rec->name, fname);
                    Suggest s = {0, 0, fname};
                    for (int k = 0; k < t->rec->nfields; k++) suggest(&s, t->rec->fields[k].name);
                    if (s.best) diag_hint(ck->cx, "did you mean '%s'?", s.best);
                    ok = false;
                    break;
                }
                slot = &slot->agg.items[fi];
                t = t->rec->fields[fi].type;
            }
            if (!ok) continue;
            if (g->names.len == 1 && strcmp(g->names.items[0], "date") == 0) has_date = true;
            IrExpr *x = check_typed(ck, g->expr, t, "this fact");
            if (require_const(ck, x, "a fact in an example")) *slot = x->cval;
        } else if (g->kind == IT_EXPECT) {
            IrQuestion *q = find_question(ck, g->name);
            if (!q) {
                diag_error(ck->cx, g->name_span, "unknown question '%s'", g->name);
                Suggest s = {0, 0, g->name};
                for (size_t k = 0; k < ck->ag->questions.len; k++) suggest(&s, ((IrQuestion *)ck->ag->questions.items[k])->name);
                if (s.best) diag_hint(ck->cx, "did you mean '%s'?", s.best);
                continue;
            }
            IrExpect *x = arena_alloc(ck->A, sizeof *x);
            x->span = g->span;
            x->q = q;
            x->kind = g->expect_kind == EXP_VALUE ? OUT_DECIDED : g->expect_kind == EXP_CONFLICT ? OUT_CONFLICT
                    : g->expect_kind == EXP_UNDETERMINED ? OUT_UNDETERMINED : OUT_NOT_COVERED;
            if (g->expect_kind == EXP_NOT_COVERED && strcmp(g->text, "covered") != 0) {
                diag_error(ck->cx, g->label_span, "expected 'covered' after 'is not'");
                continue;
            }
            if ((int)g->args.len != q->nparams) {
                diag_error(ck->cx, g->name_span, "question '%s' takes %d argument%s, not %zu", q->name, q->nparams,
                           q->nparams == 1 ? "" : "s", g->args.len);
                continue;
            }
            x->args = arena_alloc(ck->A, sizeof *x->args * (size_t)(q->nparams + 1));
            bool ok = true;
            for (int k = 0; k < q->nparams; k++) {
                IrExpr *a = check_typed(ck, g->args.items[k], q->ptypes[k], "this argument");
                if (require_const(ck, a, "an argument in an example")) x->args[k] = a->cval;
                else ok = false;
            }
            if (g->expect_kind == EXP_VALUE) {
                IrExpr *v = check_typed(ck, g->expr, q->type, "the expected answer");
                if (require_const(ck, v, "an expected answer")) x->value = v->cval;
                else ok = false;
            }
            x->ncites = (int)g->cites.len;
            x->cites = arena_alloc(ck->A, sizeof *x->cites * (g->cites.len + 1));
            x->cite_spans = arena_alloc(ck->A, sizeof *x->cite_spans * (g->cites.len + 1));
            for (size_t k = 0; k < g->cites.len; k++) {
                const AstCiteRef *c = g->cites.items[k];
                x->cites[k] = cite_text(ck, c->instrument, c->article, &c->labels);
                x->cite_spans[k] = c->span;
                if (!find_article(ck, c->instrument, c->article)) {
                    diag_error(ck->cx, c->span, "%s does not exist in this agreement", x->cites[k]);
                    continue;
                }
                bool has_rule = false;
                for (size_t m = 0; m < ck->ag->rules.len && !has_rule; m++) {
                    const IrRule *r = ck->ag->rules.items[m];
                    has_rule = r->cite && cite_within(r->cite, x->cites[k]);
                }
                if (!has_rule) diag_error(ck->cx, c->span, "no rule is written in %s, so it can never decide", x->cites[k]);
            }
            if (ok) ptrvec_push(ck->A, &ex->expects, x);
        }
    }
    if (!has_date) {
        diag_error(ck->cx, it->span, "example \"%s\" does not give the determination date", ex->name);
        diag_hint(ck->cx, "add: given date = YYYY-MM-DD;");
    }
    if (!it->items.len || !ex->expects.len) {
        bool any_expect = false;
        for (size_t i = 0; i < it->items.len; i++)
            if (((AstItem *)it->items.items[i])->kind == IT_EXPECT) any_expect = true;
        if (!any_expect) diag_error(ck->cx, it->span, "example \"%s\" expects nothing, so it tests nothing", ex->name);
    }
    ptrvec_push(ck->A, &ck->ag->examples, ex);
}

static void collect_examples(Checker *ck, const PtrVec *items) {
    for (size_t i = 0; i < items->len; i++) {
        const AstItem *it = items->items[i];
        if (it->kind == IT_EXAMPLE) check_example(ck, it);
        else if (it->kind == IT_INSTRUMENT || it->kind == IT_PHASE || it->kind == IT_PROTOCOL) collect_examples(ck, &it->items);
    }
}

/* SPEC §3.6: each version of an article (the original and those that
 * protocols bring) applies until the next version's date, whatever the
 * order in which the protocols are written. */
static void close_article_versions(Checker *ck) {
    Map groups = {0};
    for (size_t i = 0; i < ck->ag->articles.len; i++) {
        IrArticle *a = ck->ag->articles.items[i];
        const char *key = article_key(ck, a->instrument, a->label);
        PtrVec *g = map_get(&groups, key);
        if (!g) {
            g = arena_alloc(ck->A, sizeof *g);
            map_add(ck->A, &groups, key, g);
        }
        ptrvec_push(ck->A, g, a);
    }
    for (size_t i = 0; i < groups.cap; i++) {
        PtrVec *g = groups.e[i].val;
        if (!groups.e[i].key || g->len < 2) continue;
        for (size_t j = 0; j < g->len; j++) {
            IrArticle *a = g->items[j];
            for (size_t k = 0; k < g->len; k++) {
                IrArticle *b = g->items[k];
                if (b->from > a->from && b->from < a->until) a->until = b->from;
            }
        }
    }
}

IrAgreement *chk_agreement(Compilation *cx, const IrVocabulary *voc, const AstFile *f, const AstFile **protocols,
                           int nprotocols) {
    Checker ckv = {0}, *ck = &ckv;
    ck->cx = cx;
    ck->A = &cx->arena;
    ck->voc = (IrVocabulary *)voc;
    ck->from = DATE_MIN;
    ck->until = DATE_MAX;
    IrAgreement *ag = arena_alloc(ck->A, sizeof *ag);
    ck->ag = ag;
    ag->id = f->name;
    ag->span = f->span;
    ag->path = src_file(cx, f->file)->path;
    ag->vocab = voc;
    ag->parties.kind = TY_SET;
    ag->party_from = arena_alloc(ck->A, sizeof *ag->party_from * 256);
    ag->party_until = arena_alloc(ck->A, sizeof *ag->party_until * 256);
    for (int i = 0; i < 256; i++) {
        ag->party_from[i] = DATE_MIN;
        ag->party_until[i] = DATE_MAX;
    }
    if (f->kind != FILE_AGREEMENT) {
        diag_error(cx, f->span, "expected an agreement");
        return ag;
    }
    /* per-agreement copies of the questions: each agreement has its own rules */
    for (size_t i = 0; i < voc->questions.len; i++) {
        IrQuestion *q = arena_alloc(ck->A, sizeof *q);
        *q = *(IrQuestion *)voc->questions.items[i];
        memset(&q->rules, 0, sizeof q->rules);
        memset(&q->roots, 0, sizeof q->roots);
        ptrvec_push(ck->A, &ag->questions, q);
    }
    for (size_t i = 0; i < voc->defines.len; i++) ptrvec_push(ck->A, &ck->defines, voc->defines.items[i]);
    size_t nvocdefs = ck->defines.len;
    for (size_t i = 0; i < voc->defines.len; i++) ptrvec_push(ck->A, &ck->define_asts, NULL);
    check_header(ck, f);
    for (int pass = 0; pass < 3; pass++) {
        walk_items(ck, &f->items, pass);
        if (pass == 0) {
            ck->protocols_now = true;
            walk_items(ck, &f->items, pass);
            ck->protocols_now = false;
        }
        for (int p = 0; p < nprotocols; p++) {
            const AstFile *pf = protocols[p];
            ProtoCtx pc;
            protocol_ctx(ck, pf->name, pf->header, pf->span, &pc, pass == 0);
            check_protocol_items(ck, &pf->items, pass, &pc);
        }
        if (pass == 0) close_article_versions(ck);
        if (pass == 1)
            for (size_t i = nvocdefs; i < ck->defines.len; i++) {
                IrDefine *d = ck->defines.items[i];
                for (size_t j = 0; j < i; j++)
                    if (strcmp(((IrDefine *)ck->defines.items[j])->name, d->name) == 0) {
                        diag_error(cx, d->span, "'%s' is already defined%s", d->name, j < nvocdefs ? " by the vocabulary" : "");
                        break;
                    }
                if (find_parameter(ck, d->name)) diag_error(cx, d->span, "'%s' is already a parameter", d->name);
            }
    }
    for (size_t i = nvocdefs; i < ck->defines.len; i++) {
        check_define_body(ck, ck->defines.items[i], ck->define_asts.items[i]);
        ptrvec_push(ck->A, &ag->defines, ck->defines.items[i]);
    }
    link_exceptions(ck);
    check_ack_details(ck);
    check_dependencies(ck);
    collect_examples(ck, &f->items);
    for (int p = 0; p < nprotocols; p++) collect_examples(ck, &protocols[p]->items);
    return ag;
}
