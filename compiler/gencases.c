/* gencases.c - random cases biased toward boundary values; see gencases.h.
 *
 * Two phases.  gen_new walks the agreements' IR once and fills sorted,
 * de-duplicated pools: dates, months, days, ints, percentages, ratios,
 * amounts, parties and the other countries the rules mention.  gen_next
 * walks the vocabulary's `case` record type and draws every field from
 * those pools (most of the time) or from a plausible random range (the
 * rest), so that a run crosses every threshold of every agreement from
 * both sides.  A fact may be left out (its default, SPEC §7.2): each case
 * draws how complete it is, so missing facts are exercised too.
 *
 * Per case, one agreement is the "focus": most countries are its parties
 * (a bilateral case), some are parties of other agreements, a few are any
 * ISO country or none.
 *
 * SHAPE HINTS: the only field names this file knows, each used to make
 * cases plausible, never needed for validity:
 *   - `date` of the case: the determination date (SPEC §7.1 requires it),
 *     drawn from the agreements' key dates; never the default 0001-01-01,
 *     which case_to_json would omit;
 *   - a record's `from`/`to` dates: an insurance period, both given and
 *     to >= from (the JSON reader requires it, SPEC §12.1), lengths drawn
 *     from the duration pools;
 *   - a record's `start`/`anticipated_end` dates: a posting, the end after
 *     the start most of the time, its length in calendar months drawn from
 *     the months pool (so posting limits are hit exactly and by one more);
 *   - `birth_date`: the determination date minus an age;
 *   - a record with a country field and money fields (an amount per state):
 *     its amounts are in the currency of that country, and a list of them
 *     names the focus agreement's parties in turn.
 * Structural (not name-based) habits: country fields of the case record
 * itself (special situations: benefit paid by, armed service, exception)
 * are given in one case of four; lists of periods hold 0-5 elements,
 * other lists 0-3.
 */
#include "gencases.h"
#include "accord_rt.h"
#include "iso.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct I64s {
    int64_t *v;
    size_t n, cap;
} I64s;
typedef struct Rats {
    Rat *v;
    size_t n, cap;
} Rats;
typedef struct Amt {
    int64_t minor;
    int cur;
} Amt;
typedef struct Amts {
    Amt *v;
    size_t n, cap;
} Amts;

struct Generator {
    const IrVocabulary *voc;
    uint64_t seed, s[4];
    long n;
    I64s dates;          /* every boundary date in the valid range */
    I64s keydates;       /* the same within 1900..2100: determination dates */
    I64s months, days, ints;
    Rats percents, ratios;
    Amts money;
    int nparties, parties[256];   /* the union of the agreements' parties */
    int nmentioned, mentioned[256];/* other countries named by the rules */
    int nag;
    int *agparties;      /* nag * 256: the parties of agreement i */
    int *agnparties;
    I64s *agdates;       /* nag: the key dates of agreement i (1900..2100) */
    int64_t *agfrom, *agto; /* nag: its time in force, within 1900..2100 */
    int collecting;      /* the agreement being collected, -1 for the vocabulary */
    int cur_of[256];     /* plausible currency per country ordinal (0: none known) */
    /* per case */
    int focus_ag;        /* index of the focus agreement, or -1 */
    const int *focus;
    int nfocus;
    int32_t date;
    int presence;        /* percent chance that an optional fact is given */
};

/* ---- PRNG: xoshiro256**, seeded by splitmix64 -------------------------------- */

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t rnd(Generator *g) {
    uint64_t *s = g->s;
    uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
}
/* 0 .. n-1 (0 when n == 0) */
static int64_t below(Generator *g, int64_t n) { return n > 0 ? (int64_t)(rnd(g) % (uint64_t)n) : 0; }
static bool chance(Generator *g, int pct) { return below(g, 100) < pct; }

/* ---- pools -------------------------------------------------------------------- */

static void push_i64(I64s *p, int64_t x) {
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->v = xrealloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n++] = x;
}
static void push_rat(Rats *p, Rat x) {
    rat_make(x.num, x.den, &x); /* one representation per number, so that de-duplication is exact */
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->v = xrealloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n++] = x;
}
static void push_amt(Amts *p, Amt x) {
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->v = xrealloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n++] = x;
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}
static int cmp_rat(const void *a, const void *b) { return rat_cmp(*(const Rat *)a, *(const Rat *)b); }
static int cmp_amt(const void *a, const void *b) {
    const Amt *x = a, *y = b;
    if (x->cur != y->cur) return (x->cur > y->cur) - (x->cur < y->cur);
    return (x->minor > y->minor) - (x->minor < y->minor);
}
static void uniq_i64(I64s *p) {
    if (!p->n) return;
    qsort(p->v, p->n, sizeof *p->v, cmp_i64);
    size_t k = 1;
    for (size_t i = 1; i < p->n; i++)
        if (p->v[i] != p->v[k - 1]) p->v[k++] = p->v[i];
    p->n = k;
}
static void uniq_rat(Rats *p) {
    if (!p->n) return;
    qsort(p->v, p->n, sizeof *p->v, cmp_rat);
    size_t k = 1;
    for (size_t i = 1; i < p->n; i++)
        if (rat_cmp(p->v[i], p->v[k - 1]) != 0) p->v[k++] = p->v[i];
    p->n = k;
}
static void uniq_amt(Amts *p) {
    if (!p->n) return;
    qsort(p->v, p->n, sizeof *p->v, cmp_amt);
    size_t k = 1;
    for (size_t i = 1; i < p->n; i++)
        if (cmp_amt(&p->v[i], &p->v[k - 1]) != 0) p->v[k++] = p->v[i];
    p->n = k;
}

static bool date_ok(int64_t d) { return d >= acc_date_min() && d <= acc_date_max(); }

/* a date and its neighbours: the day before and after, a month before and after */
static void add_date(Generator *g, int64_t d) {
    if (!date_ok(d)) return;
    acc_date x = (acc_date)d, y[5] = {x, x, x, x, x};
    int n = 1;
    if (acc_date_add_days(x, -1, &y[n])) n++;
    if (acc_date_add_days(x, 1, &y[n])) n++;
    if (acc_date_add_months(x, -1, &y[n])) n++;
    if (acc_date_add_months(x, 1, &y[n])) n++;
    for (int i = 0; i < n; i++) {
        push_i64(&g->dates, y[i]);
        if (g->collecting >= 0) push_i64(&g->agdates[g->collecting], y[i]);
    }
}

/* a count and its neighbours (+-1 unit); durations stay non-negative */
static void add_count(I64s *p, int64_t x, bool nonneg) {
    for (int64_t d = -1; d <= 1; d++) {
        int64_t y;
        if (__builtin_add_overflow(x, d, &y)) continue;
        if (nonneg && y < 0) continue;
        push_i64(p, y);
    }
}

/* Whether q * 10^k is an integer: a decimal the JSON form can spell exactly. */
static bool decimal_digits(Rat q, int k) {
    Rat s;
    int64_t p = 1;
    for (int i = 0; i < k; i++) p *= 10;
    return rat_mul(q, (Rat){p, 1}, &s) && s.den == 1;
}

/* a percentage and +-1 percentage point, kept within 0..100% and to two decimals of a percent */
static void add_percent(Generator *g, Rat q) {
    if (!decimal_digits(q, 4)) return;
    for (int d = -1; d <= 1; d++) {
        Rat r;
        if (!rat_add(q, (Rat){d, 100}, &r)) continue;
        if (r.num < 0 || rat_cmp(r, (Rat){1, 1}) > 0) continue;
        push_rat(&g->percents, r);
    }
}
static void add_ratio(Generator *g, Rat q) {
    if (!decimal_digits(q, 6)) return;
    for (int d = -1; d <= 1; d++) {
        Rat r;
        if (rat_add(q, (Rat){d, 1}, &r)) push_rat(&g->ratios, r);
    }
}

static void mention(Generator *g, int c) {
    if (c <= 0 || c > ACC_NCOUNTRIES) return;
    for (int i = 0; i < g->nmentioned; i++)
        if (g->mentioned[i] == c) return;
    if (g->nmentioned < 256) g->mentioned[g->nmentioned++] = c;
}

static void collect_value(Generator *g, const Value *v, const Type *t) {
    switch (v->kind) {
    case TY_DATE: add_date(g, v->i); break;
    case TY_MONTHS: add_count(&g->months, v->i, true); break;
    case TY_DAYS: add_count(&g->days, v->i, true); break;
    case TY_INT: add_count(&g->ints, v->i, false); break;
    case TY_PERCENT: add_percent(g, v->q); break;
    case TY_RATIO: add_ratio(g, v->q); break;
    case TY_MONEY: case TY_EXACT_MONEY:
        if (v->cur && v->q.den == 1)
            for (int64_t d = -1; d <= 1; d++)
                if (v->q.num + d >= 0 && v->q.num < INT64_MAX) push_amt(&g->money, (Amt){v->q.num + d, v->cur});
        break;
    case TY_COUNTRY: mention(g, (int)v->i); break;
    case TY_SET:
        if (t && t->elem && t->elem->kind == TY_COUNTRY)
            for (int c = 1; c < 256; c++)
                if (set_has(v, c)) mention(g, c);
        break;
    default: break;
    }
}

typedef struct Seen {
    const void **p;
    size_t n, cap;
} Seen;
static bool seen_add(Seen *s, const void *p) {
    for (size_t i = 0; i < s->n; i++)
        if (s->p[i] == p) return false;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->p = xrealloc(s->p, s->cap * sizeof *s->p);
    }
    s->p[s->n++] = p;
    return true;
}

static void collect_expr(Generator *g, const IrExpr *e, Seen *seen) {
    if (!e) return;
    if (e->kind == IR_CONST) collect_value(g, &e->cval, e->type);
    if (e->kind == IR_DEFINE && e->def && seen_add(seen, e->def)) collect_expr(g, e->def->body, seen);
    collect_expr(g, e->a, seen);
    collect_expr(g, e->b, seen);
    collect_expr(g, e->c, seen);
    collect_expr(g, e->d, seen);
    /* an aggregate keeps a field index in nargs and has no args */
    if (e->kind != IR_AGG && e->args)
        for (int i = 0; i < e->nargs; i++) collect_expr(g, e->args[i], seen);
}

static void collect_agreement(Generator *g, int ai, const IrAgreement *ag, Seen *seen) {
    int *mine = g->agparties + (size_t)ai * 256;
    for (int c = 1; c < 256; c++) {
        if (!set_has(&ag->parties, c)) continue;
        mine[g->agnparties[ai]++] = c;
        bool have = false;
        for (int i = 0; i < g->nparties; i++) have |= g->parties[i] == c;
        if (!have) g->parties[g->nparties++] = c;
        add_date(g, ag->party_from[c]);
        add_date(g, ag->party_until[c]);
    }
    add_date(g, ag->signed_on);
    add_date(g, ag->in_force);
    if (ag->has_terminates) add_date(g, ag->terminates);
    int64_t lo = acc_date_from_ymd(1900, 1, 1), hi = acc_date_from_ymd(2040, 12, 31);
    g->agfrom[ai] = ag->in_force > lo ? ag->in_force : lo;
    g->agto[ai] = ag->has_terminates && ag->terminates - 1 < hi ? ag->terminates - 1 : hi;
    if (g->agto[ai] < g->agfrom[ai]) g->agto[ai] = g->agfrom[ai];
    for (size_t i = 0; i < ag->protocols.len; i++) {
        const IrProtocol *p = ag->protocols.items[i];
        add_date(g, p->signed_on);
        add_date(g, p->in_force);
    }
    for (size_t i = 0; i < ag->articles.len; i++) {
        const IrArticle *a = ag->articles.items[i];
        add_date(g, a->from);
        add_date(g, a->until);
    }
    for (size_t i = 0; i < ag->parameters.len; i++) {
        const IrParameter *p = ag->parameters.items[i];
        for (int k = 0; k < p->n; k++) {
            add_date(g, p->from[k]);
            collect_value(g, &p->value[k], p->type);
        }
    }
    for (size_t i = 0; i < ag->defines.len; i++) {
        const IrDefine *d = ag->defines.items[i];
        if (seen_add(seen, d)) collect_expr(g, d->body, seen);
    }
    for (size_t i = 0; i < ag->rules.len; i++) {
        const IrRule *r = ag->rules.items[i];
        add_date(g, r->from);
        add_date(g, r->until);
        for (int k = 0; r->q && k < r->q->nparams; k++) collect_expr(g, r->pattern ? r->pattern[k] : NULL, seen);
        collect_expr(g, r->cond, seen);
        collect_expr(g, r->value, seen);
    }
    for (size_t i = 0; i < ag->personal_scope.len; i++) {
        const IrScopeClause *s = ag->personal_scope.items[i];
        add_date(g, s->from);
        add_date(g, s->until);
        collect_expr(g, s->cond, seen);
    }
    for (size_t i = 0; i < ag->material_scope.len; i++) {
        const IrMaterialClause *m = ag->material_scope.items[i];
        add_date(g, m->from);
        add_date(g, m->until);
    }
}

/* ---- currencies ---------------------------------------------------------------- */

/* Currencies shared by several countries; every other country's currency is
 * found by the ISO 4217 convention (the code starts with the country's code). */
static const char *const shared_currency[][2] = {
    {"EUR", "AD AT AX BE BL CY DE EE ES FI FR GF GP GR HR IE IT LT LU LV MC ME MF MQ MT NL PM PT RE SI SK SM TF VA YT"},
    {"XOF", "BF BJ CI GW ML NE SN TG"},
    {"XAF", "CF CG CM GA GQ TD"},
    {"XCD", "AG AI DM GD KN LC MS VC"},
    {"XPF", "NC PF WF"},
    {"USD", "AS BQ EC FM GU IO MH MP PR PW SV TC TL UM VG VI"},
    {"AUD", "CC CX HM KI NF NR TV"},
    {"NZD", "CK NU PN TK"},
    {"CHF", "LI"},
    {"DKK", "FO GL"},
    {"GBP", "GG IM JE"},
    {"NOK", "BV SJ"},
    {"MAD", "EH"},
    {"ANG", "CW SX"},
};

static void currency_table(Generator *g) {
    for (int c = 1; c <= ACC_NCOUNTRIES && c < 256; c++) {
        const char *code = acc_country_code(c);
        int cur = -1;
        for (size_t i = 0; i < sizeof shared_currency / sizeof *shared_currency && cur < 0; i++) {
            const char *list = shared_currency[i][1];
            for (const char *p = list; *p; p += p[2] ? 3 : 2)
                if (p[0] == code[0] && p[1] == code[1]) {
                    cur = acc_currency_lookup(shared_currency[i][0], 3);
                    break;
                }
        }
        for (int k = 1; k <= ACC_NCURRENCIES && cur < 0; k++) {
            const char *cc = acc_currency_code(k);
            if (cc && cc[0] == code[0] && cc[1] == code[1]) cur = k;
        }
        g->cur_of[c] = cur > 0 ? cur : 0;
    }
}

/* ---- construction ---------------------------------------------------------------- */

Generator *gen_new(const IrVocabulary *voc, const IrAgreement **ags, int nag, const GenOptions *opt) {
    Generator *g = xcalloc(1, sizeof *g);
    g->voc = voc;
    g->seed = opt ? opt->seed : 0;
    uint64_t x = g->seed;
    for (int i = 0; i < 4; i++) g->s[i] = splitmix64(&x);
    g->nag = nag > 0 ? nag : 0;
    g->agparties = xcalloc((size_t)(g->nag ? g->nag : 1) * 256, sizeof *g->agparties);
    g->agnparties = xcalloc((size_t)(g->nag ? g->nag : 1), sizeof *g->agnparties);
    g->agdates = xcalloc((size_t)(g->nag ? g->nag : 1), sizeof *g->agdates);
    g->agfrom = xcalloc((size_t)(g->nag ? g->nag : 1), sizeof *g->agfrom);
    g->agto = xcalloc((size_t)(g->nag ? g->nag : 1), sizeof *g->agto);
    g->collecting = -1;
    Seen seen = {0};
    for (size_t i = 0; i < voc->defines.len; i++) {
        const IrDefine *d = voc->defines.items[i];
        if (seen_add(&seen, d)) collect_expr(g, d->body, &seen);
    }
    for (int i = 0; i < g->nag; i++) {
        g->collecting = i;
        /* a definition shared with an earlier agreement is walked again for this one */
        seen.n = 0;
        collect_agreement(g, i, ags[i], &seen);
    }
    g->collecting = -1;
    free(seen.p);
    /* a party is not "another" country */
    int k = 0;
    for (int i = 0; i < g->nmentioned; i++) {
        bool party = false;
        for (int j = 0; j < g->nparties; j++) party |= g->parties[j] == g->mentioned[i];
        if (!party) g->mentioned[k++] = g->mentioned[i];
    }
    g->nmentioned = k;
    uniq_i64(&g->dates);
    uniq_i64(&g->months);
    uniq_i64(&g->days);
    uniq_i64(&g->ints);
    uniq_rat(&g->percents);
    uniq_rat(&g->ratios);
    uniq_amt(&g->money);
    int64_t lo = acc_date_from_ymd(1900, 1, 1), hi = acc_date_from_ymd(2100, 12, 31);
    for (size_t i = 0; i < g->dates.n; i++)
        if (g->dates.v[i] >= lo && g->dates.v[i] <= hi) push_i64(&g->keydates, g->dates.v[i]);
    for (int i = 0; i < g->nag; i++) {
        I64s *p = &g->agdates[i];
        uniq_i64(p);
        size_t n = 0;
        for (size_t j = 0; j < p->n; j++)
            if (p->v[j] >= lo && p->v[j] <= hi) p->v[n++] = p->v[j];
        p->n = n;
    }
    currency_table(g);
    return g;
}

void gen_free(Generator *g) {
    if (!g) return;
    free(g->dates.v);
    free(g->keydates.v);
    free(g->months.v);
    free(g->days.v);
    free(g->ints.v);
    free(g->percents.v);
    free(g->ratios.v);
    free(g->money.v);
    free(g->agparties);
    free(g->agnparties);
    for (int i = 0; i < g->nag; i++) free(g->agdates[i].v);
    free(g->agdates);
    free(g->agfrom);
    free(g->agto);
    free(g);
}

/* ---- drawing scalars -------------------------------------------------------------- */

static int gen_country(Generator *g) {
    int64_t r = below(g, 100);
    if (r < 68 && g->nfocus) return g->focus[below(g, g->nfocus)];
    if (r < 80 && g->nparties) return g->parties[below(g, g->nparties)];
    if (r < 86 && g->nmentioned) return g->mentioned[below(g, g->nmentioned)];
    if (r < 94) return 1 + (int)below(g, ACC_NCOUNTRIES);
    return 0;
}

static int64_t pick_i64(Generator *g, const I64s *p) { return p->v[below(g, (int64_t)p->n)]; }

static int64_t gen_months(Generator *g) {
    if (g->months.n && chance(g, 60)) return pick_i64(g, &g->months);
    return chance(g, 15) ? 0 : below(g, 481);
}
static int64_t gen_days(Generator *g) {
    if (g->days.n && chance(g, 60)) return pick_i64(g, &g->days);
    return chance(g, 10) ? 0 : below(g, 3651);
}
static int64_t gen_int(Generator *g) {
    if (g->ints.n && chance(g, 60)) return pick_i64(g, &g->ints);
    return below(g, 101);
}

static Rat reduced(int64_t num, int64_t den) {
    Rat q = {0, 1};
    rat_make(num, den, &q);
    return q;
}

static Rat gen_percent(Generator *g) {
    if (g->percents.n && chance(g, 50)) return g->percents.v[below(g, (int64_t)g->percents.n)];
    switch (below(g, 4)) {
    case 0: return reduced(chance(g, 50) ? 0 : 1, 1);
    case 1: return reduced(5 * below(g, 21), 100);           /* 0, 5, ..., 100 % */
    case 2: return reduced(below(g, 1001), 1000);            /* 0.0 .. 100.0 %, one decimal */
    default: return reduced(below(g, 101), 100);
    }
}
static Rat gen_ratio(Generator *g) {
    if (g->ratios.n && chance(g, 50)) return g->ratios.v[below(g, (int64_t)g->ratios.n)];
    return reduced(below(g, 41), 4);
}

static int64_t pow10i(int e) {
    int64_t p = 1;
    for (int i = 0; i < e; i++) p *= 10;
    return p;
}

/* An amount in currency `cur`, in minor units: a boundary amount of the
 * agreements (converted to cur's decimals when it was in another currency),
 * a random amount, or zero. */
static Value gen_money(Generator *g, int cur) {
    Value v;
    memset(&v, 0, sizeof v);
    v.kind = TY_MONEY;
    v.q = (Rat){0, 1};
    if (cur <= 0 || cur > ACC_NCURRENCIES) cur = acc_currency_lookup("EUR", 3);
    int e = acc_currency_minor_units(cur);
    if (e < 0) e = 0;
    int64_t minor = 0, r = below(g, 100);
    if (r < 30 && g->money.n) {
        Amt m = g->money.v[below(g, (int64_t)g->money.n)];
        int e0 = acc_currency_minor_units(m.cur);
        if (e0 < 0) e0 = 0;
        minor = m.minor;
        if (m.cur != cur) {
            if (e >= e0) {
                if (__builtin_mul_overflow(minor, pow10i(e - e0), &minor)) minor = 0;
            } else {
                minor /= pow10i(e0 - e);
            }
        }
    } else if (r < 90) {
        minor = below(g, 5001) * pow10i(e) + (chance(g, 50) ? below(g, pow10i(e)) : 0);
    }
    if (minor < 0 || minor > INT64_C(1000000000000000)) minor = 0;
    v.cur = (uint16_t)cur;
    v.q = (Rat){minor, 1};
    return v;
}

/* a date moved by months then days; `fallback` if that leaves the valid range */
static int64_t shift(int64_t d, int64_t months, int64_t days, int64_t fallback) {
    acc_date x;
    if (!date_ok(d) || !acc_date_add_months((acc_date)d, months, &x) || !acc_date_add_days(x, days, &x)) return fallback;
    return x;
}

static int64_t random_date(Generator *g, int y0, int y1) {
    int64_t lo = acc_date_from_ymd(y0, 1, 1), hi = acc_date_from_ymd(y1, 12, 31);
    return lo + below(g, hi - lo + 1);
}

/* Mostly a key date of the focus agreement (its entry into force and the
 * day before, a protocol, a party's accession, a rule's validity, a date
 * constant...), or a day in its time in force; sometimes any key date. */
static int64_t gen_determination_date(Generator *g) {
    int64_t r = below(g, 100), d;
    const I64s *mine = g->focus_ag >= 0 ? &g->agdates[g->focus_ag] : &g->keydates;
    if (!mine->n) mine = &g->keydates;
    if (r < 45 && mine->n) d = pick_i64(g, mine);
    else if (r < 60 && g->keydates.n) d = pick_i64(g, &g->keydates);
    else if (r < 75 && mine->n) d = shift(pick_i64(g, mine), 0, below(g, 121) - 60, 0);
    else if (r < 95 && g->focus_ag >= 0) d = g->agfrom[g->focus_ag] + below(g, g->agto[g->focus_ag] - g->agfrom[g->focus_ag] + 1);
    else d = random_date(g, 1990, 2035);
    if (!date_ok(d) || d == acc_date_min()) d = acc_date_from_ymd(2020, 1, 1);
    return d;
}

/* a date that is not part of a shape: near the determination date or a boundary */
static int64_t gen_other_date(Generator *g) {
    int64_t r = below(g, 100), min = acc_date_min();
    if (r < 20) return min;
    if (r < 45) return g->date;
    if (r < 75) return shift(g->date, below(g, 49) - 24, below(g, 31) - 15, min);
    if (g->dates.n) return pick_i64(g, &g->dates);
    return random_date(g, 1950, 2040);
}

static int64_t gen_birth_date(Generator *g) {
    int64_t r = below(g, 100), min = acc_date_min();
    if (r < 10) return min;
    if (r < 40) {
        /* an age at a boundary: an int constant in years, or a months constant */
        int64_t months = -1;
        if (g->ints.n && chance(g, 60)) {
            int64_t y = pick_i64(g, &g->ints);
            if (y >= 0 && y <= 110) months = 12 * y;
        } else if (g->months.n) {
            int64_t m = pick_i64(g, &g->months);
            if (m >= 0 && m <= 1320) months = m;
        }
        if (months >= 0) return shift(g->date, -months, below(g, 3) - 1, min);
    }
    return shift(g->date, -12 * (15 + below(g, 66)), -below(g, 366), min);
}

/* SHAPE: a posting's start and anticipated end */
static void gen_posting(Generator *g, Value *start, Value *end) {
    int64_t min = acc_date_min(), s, r = below(g, 100);
    if (r < 8) return; /* neither given */
    if (r < 53) s = shift(g->date, -below(g, 37), -below(g, 28), min);
    else if (r < 73 && g->dates.n) s = pick_i64(g, &g->dates);
    else if (r < 88) s = shift(g->date, below(g, 7), below(g, 28), min);
    else s = random_date(g, 1990, 2035);
    start->i = s;
    r = below(g, 100);
    if (r < 7) return; /* no anticipated end */
    if (s == min) {
        end->i = random_date(g, 1990, 2035);
        return;
    }
    if (r < 14) { /* ends before it starts */
        end->i = shift(s, 0, -1 - below(g, 400), min);
        return;
    }
    int64_t m = g->months.n && chance(g, 65) ? pick_i64(g, &g->months) : 1 + below(g, 72);
    if (m > 1200) m = 1200;
    if (r < 90) end->i = shift(s, m, -1, min);       /* exactly m calendar months */
    else if (r < 97) end->i = shift(s, m, 0, min);   /* m + 1 */
    else end->i = shift(s, 0, gen_days(g), min);
}

/* SHAPE: an insurance period: both dates given (never the default
 * 0001-01-01, which the canonical JSON omits), from <= to */
static void gen_interval(Generator *g, Value *from, Value *to) {
    int64_t min = acc_date_min(), f, t, r = below(g, 100);
    if (r < 45) f = shift(g->date, -below(g, 480), -below(g, 28), min);
    else if (r < 75 && g->dates.n) f = pick_i64(g, &g->dates);
    else if (r < 90) f = shift(g->date, -below(g, 24), 0, min);
    else f = random_date(g, 1950, 2035);
    if (f == min) f = random_date(g, 1950, 2035);
    r = below(g, 100);
    if (r < 45) t = shift(f, gen_months(g), -1, f);          /* a whole number of months */
    else if (r < 70) t = shift(f, 0, gen_days(g) - 1, f);    /* a number of days */
    else if (r < 85) t = shift(f, 0, below(g, 3650), f);
    else t = g->date;                                        /* insured until the determination date */
    from->i = f;
    to->i = t < f ? f : t;
}

/* ---- walking the vocabulary ------------------------------------------------------ */

static Value gen_type(Generator *g, Arena *a, const Type *t, int cur, bool rare);

static int field(const IrRecord *r, const char *name, TypeKind k) {
    for (int i = 0; i < r->nfields; i++)
        if (r->fields[i].type->kind == k && !strcmp(r->fields[i].name, name)) return i;
    return -1;
}
static int first_field(const IrRecord *r, TypeKind k) {
    for (int i = 0; i < r->nfields; i++)
        if (r->fields[i].type->kind == k) return i;
    return -1;
}
/* SHAPE: an amount per state (a country field beside money fields): the country field, else -1 */
static int amount_country(const IrRecord *r) {
    int c = first_field(r, TY_COUNTRY);
    return c >= 0 && first_field(r, TY_MONEY) >= 0 ? c : -1;
}
static bool is_interval(const IrRecord *r) { return field(r, "from", TY_DATE) >= 0 && field(r, "to", TY_DATE) >= 0; }

static int currency_of(Generator *g, int country) {
    if (country > 0 && country < 256 && g->cur_of[country]) return g->cur_of[country];
    for (int i = 0; i < g->nfocus; i++)
        if (g->cur_of[g->focus[i]]) return g->cur_of[g->focus[i]];
    return 0;
}

/* force_country >= 0: the amount-like record's country (a party in turn) */
static Value gen_record(Generator *g, Arena *a, const IrRecord *r, int force_country) {
    Type rt = {TY_RECORD, NULL, NULL, r};
    Value v = value_default(a, &rt);
    Value *it = v.agg.items;
    bool is_case = r == g->voc->case_rec;
    int fdate = is_case ? field(r, "date", TY_DATE) : -1;
    int ffrom = field(r, "from", TY_DATE), fto = field(r, "to", TY_DATE);
    int fstart = field(r, "start", TY_DATE), fend = field(r, "anticipated_end", TY_DATE);
    int fbirth = field(r, "birth_date", TY_DATE);
    if (ffrom < 0 || fto < 0) ffrom = fto = -1;
    if (fstart < 0 || fend < 0) fstart = fend = -1;
    if (fdate >= 0) g->date = (int32_t)(it[fdate].i = gen_determination_date(g));
    int fc = amount_country(r), cur = 0;
    if (fc >= 0) {
        if (force_country >= 0) it[fc].i = force_country;
        else if (chance(g, g->presence)) it[fc].i = gen_country(g);
        cur = currency_of(g, (int)it[fc].i);
        if (chance(g, 3) && g->nfocus) cur = currency_of(g, g->focus[below(g, g->nfocus)]); /* a mismatch, now and then */
    }
    for (int i = 0; i < r->nfields; i++) {
        const Type *t = r->fields[i].type;
        if (i == fdate || i == fc || i == ffrom || i == fto || i == fstart || i == fend) continue;
        if (i == fbirth) it[i].i = gen_birth_date(g);
        else if (t->kind == TY_DATE) it[i].i = gen_other_date(g);
        else it[i] = gen_type(g, a, t, cur, is_case && t->kind == TY_COUNTRY);
    }
    if (ffrom >= 0) gen_interval(g, &it[ffrom], &it[fto]);
    if (fstart >= 0) gen_posting(g, &it[fstart], &it[fend]);
    return v;
}

static Value gen_list(Generator *g, Arena *a, const Type *t) {
    Value v;
    memset(&v, 0, sizeof v);
    v.kind = TY_LIST;
    const Type *et = t->elem;
    bool rec = et && et->kind == TY_RECORD;
    int fc = rec ? amount_country(et->rec) : -1;
    int64_t n;
    int order[256], norder = 0;
    if (rec && is_interval(et->rec)) n = below(g, 6);
    else if (fc >= 0) {
        int k = g->nfocus < 3 ? g->nfocus : 3;
        n = below(g, k + 2);
        for (int i = 0; i < g->nfocus; i++) order[norder++] = g->focus[i];
        for (int i = 0; i < n && i < norder; i++) { /* partial Fisher-Yates: distinct parties in random order */
            int j = i + (int)below(g, norder - i), x = order[i];
            order[i] = order[j];
            order[j] = x;
        }
    } else
        n = below(g, 4);
    v.agg.n = (uint32_t)n;
    v.agg.items = arena_alloc(a, sizeof(Value) * (size_t)(n ? n : 1));
    for (int64_t i = 0; i < n; i++) {
        if (rec) {
            int force = fc >= 0 && i < norder && chance(g, 80) ? order[i] : -1;
            v.agg.items[i] = gen_record(g, a, et->rec, force);
        } else {
            v.agg.items[i] = gen_type(g, a, et, 0, false);
        }
    }
    return v;
}

/* A value of type t.  Scalars are left at their default (not given) unless
 * the case's presence draw says otherwise; `rare` facts (the case record's
 * own country fields) are given in one case of four. */
static Value gen_type(Generator *g, Arena *a, const Type *t, int cur, bool rare) {
    if (t->kind == TY_RECORD) return gen_record(g, a, t->rec, -1);
    if (t->kind == TY_LIST) return gen_list(g, a, t);
    Value v = value_default(a, t);
    if (!chance(g, rare ? 25 : g->presence)) return v;
    switch (t->kind) {
    case TY_BOOL: v.b = chance(g, 50); break;
    case TY_INT: v.i = gen_int(g); break;
    case TY_RATIO: v.q = gen_ratio(g); break;
    case TY_PERCENT: v.q = gen_percent(g); break;
    case TY_DATE: v.i = gen_other_date(g); break;
    case TY_DAYS: v.i = gen_days(g); break;
    case TY_MONTHS: v.i = gen_months(g); break;
    case TY_MONEY: case TY_EXACT_MONEY: v = gen_money(g, cur ? cur : currency_of(g, 0)); break;
    case TY_COUNTRY: v.i = gen_country(g); break;
    case TY_ENUM: v.i = chance(g, 6) ? 0 : 1 + below(g, t->en->n); break;
    case TY_SET: {
        if (t->elem->kind == TY_COUNTRY) {
            int64_t n = below(g, 4);
            for (int64_t i = 0; i < n; i++) {
                int c = gen_country(g);
                if (c > 0 && c < 256) set_add(&v, c);
            }
        } else if (t->elem->kind == TY_ENUM) {
            for (int i = 1; i <= t->elem->en->n && i < 256; i++)
                if (chance(g, 30)) set_add(&v, i);
        }
        break;
    }
    default: break; /* strings and other kinds are never facts */
    }
    return v;
}

Value gen_next(Generator *g, Arena *a, char *id, size_t idlen) {
    g->n++;
    if (id && idlen) snprintf(id, idlen, "g%" PRIu64 "-%ld", g->seed, g->n);
    g->focus_ag = -1;
    g->nfocus = 0;
    if (g->nag) {
        int ai = (int)below(g, g->nag);
        g->focus_ag = ai;
        g->focus = g->agparties + (size_t)ai * 256;
        g->nfocus = g->agnparties[ai];
    }
    if (!g->nfocus) {
        g->focus = g->parties;
        g->nfocus = g->nparties;
    }
    static const int presence[] = {40, 70, 90, 100};
    g->presence = presence[below(g, 4)];
    g->date = acc_date_from_ymd(2020, 1, 1);
    return gen_record(g, a, g->voc->case_rec, -1);
}
