/* checker.c - conflicts, gaps, dead rules, diffs and standards on boxes; see checker.h.
 *
 * Pipeline per question: translate (IR condition -> BoxSet, atoms for the
 * rest), decide (SPEC §6.3 default logic on boxes: Pieces, a partition of
 * the case space by outcome), compare (pieces of one agreement against its
 * own scope, or against another agreement's pieces), confirm (a witness
 * case built from the region and replayed by the interpreter or the
 * engine), report.
 */
#include "checker.h"
#include "box.h"
#include "caseio.h"
#include "eval.h"
#include "gencases.h"
#include "interp.h"
#include "smt.h"
#include "accord_rt.h"
#include "iso.h"
#include "wording.h"
#include <inttypes.h>
#include <errno.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h> /* mallopt */
#endif
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#define DEFAULT_BUDGET 600
#define POOL_GENERATED 1500
/* as many agreeing rules as an outcome of the interpreter lists (a rule past them is not shown there either) */
#define MAX_RES_RULES OUTCOME_MAX_RULES
/* The pairwise fallback searches witnesses for at most this many candidate
 * pairs per question (the rest are counted in its `unanalysed` entry). */
#define MAX_PAIRWISE 100

/* ---- dimensions -------------------------------------------------------------------- */

/* DK_NAT: the person's one nationality, only while equal treatment is proved (SPEC §13.4);
 * DK_TERM: an integer value that is not a fact (a count, a size, a sum of
 * months) compared with constants: one integer dimension, so that its
 * comparisons are intervals of one quantity, not independent atoms (SPEC §13.3) */
typedef enum { DK_ARG, DK_FIELD, DK_ATOM, DK_NAT, DK_TERM } DimRole;

typedef struct Dim {
    DimRole role;
    const char *key;     /* identity: "f:person.residence", "a:benefit:0", "t:<dump>" */
    const char *words;   /* identity for tools (a key of `boxes`): a field path, a parameter name, the atom's source text */
    const char *phrase;  /* for drafters (SPEC §13.2): the fields' phrases, or NULL: words */
    const IrExpr *expr;  /* DK_ATOM: the condition, rendered as a sentence (wording.h) and encoded for Z3 (smt.h);
                            DK_TERM: the integer value */
    const IrExpr *cmp;   /* DK_TERM: a comparison that read it (a boolean IR node to copy for Z3) */
    const IrAgreement *ag; /* DK_ATOM, DK_TERM: its agreement */
    const IrQuestion *q;   /* DK_ATOM, DK_TERM: its question when its locals 0.. are the question's arguments, else NULL */
    const Type *type;    /* DK_ARG, DK_FIELD, DK_TERM */
    int path[6], npath;  /* DK_FIELD: field indices from the case record */
    int arg;             /* DK_ARG */
} Dim;

typedef struct SigMemo {
    const IrExpr *e;     /* NULL: free */
    const IrAgreement *ag;
    uint64_t h;
} SigMemo;

typedef struct Ck {
    Arena A;             /* per unit of work (one question of one agreement or pair): boxes, dimensions */
    Arena P;             /* for the whole run: the witness pool */
    BoxSpace bs;
    PtrVec dims;
    const IrVocabulary *voc;
    const IrAgreement *ags[EVAL_MAX_AGREEMENTS * 2];
    const Compilation *cxs[EVAL_MAX_AGREEMENTS * 2];
    int nags;
    PtrVec pool;         /* Value*: witness bases */
    bool pool_ready;
    uint64_t *pool_h;    /* per base, two hashes of it (value_hash), made when first needed */
    /* while set: the case at this address is the one `key` stands for (a
       base of the pool and the values set on it, find_witness), so that
       ck_ask hashes a few values, not the whole case, for each replay */
    const Value *keyed;
    uint64_t key[2];
    const Loaded *libs[2];
    int budget;
    json_t *findings, *unconfirmed, *unanalysed;
    json_t *refuted;     /* candidate regions Z3 proved empty (SPEC §13.3) */
    json_t *atoms;       /* the atoms named in `boxes`, by id (atom_id) */
    json_t *atom_keys;   /* id -> the atom's identity (Dim.key), to tell two atoms of one hash apart */
    json_t *unit_named;  /* the ids the current unit names (each unit all of its own, in the order it names them) */
    bool collided;       /* two atoms of one hash met: an id that depends on which was named first */
    bool no_z3;          /* CheckerOptions.no_z3 */
    bool thorough;       /* CheckerOptions.thorough */
    Smt *smt;            /* created at the first region the witness search cannot confirm */
    SmtStats zmore;      /* the Z3 statistics of the other worker (checker_conflicts_json) */
    bool zmore_any;
    int dims_run;        /* > 0: the largest box space of the run's units (`accord conflicts`), whichever worker did them */
    long replays;
    const IrAgreement *wag; /* the agreement whose finding is being worded (its parties read "a party") */
    PtrVec acks_used;    /* const IrAck*: acknowledgements that covered a finding (SPEC §13.5) */
    /* equal treatment (SPEC §13.4): while nat_on, reads of person.nationalities are translated
       on the nationality dimension (a person with one nationality); nat_inexact: a sub-condition
       under a bound nationality was left an atom */
    bool nat_on, nat_inexact;
    const char *nat_why;  /* the first such atom, in words */
    int nat_person, nat_field;
    const Type *nat_type;
    json_t *equal;       /* per agreement, how equal treatment was established */
    struct Memo *memo;   /* outcomes replayed in this unit, by case (ck_ask) */
    size_t memo_n, memo_cap;
    SigMemo *sig;        /* expr_sig by expression, for the run */
    size_t sig_n, sig_cap;
} Ck;

/* Box memory for one question (dimension slots of 48 bytes: about 50 MB)
 * before its exact partition is given up (the pairwise fallback then still
 * finds conflicts, see SPEC §13.3). */
#define BOX_BUDGET 1000000
/* ... and intersections tested (a fraction of a second) */
#define MEET_BUDGET 5000000

static const Compilation *cx_of(Ck *ck, const IrAgreement *ag) {
    for (int i = 0; i < ck->nags; i++)
        if (ck->ags[i] == ag) return ck->cxs[i];
    return NULL;
}

static void ck_add_lib(Ck *ck, const Loaded *l) {
    for (size_t i = 0; i < l->agreements.len && ck->nags < EVAL_MAX_AGREEMENTS * 2; i++) {
        ck->ags[ck->nags] = l->agreements.items[i];
        ck->cxs[ck->nags++] = l->cx;
    }
    if (!ck->libs[0]) ck->libs[0] = l;
    else if (ck->libs[0] != l) ck->libs[1] = l;
}

/* A fresh space for a unit of work: boxes never outlive the question they describe. */
static void ck_unit(Ck *ck) {
    arena_free_all(&ck->A);
    ck->memo = NULL;
    ck->memo_n = ck->memo_cap = 0;
    box_space_init(&ck->bs, &ck->A);
    memset(&ck->dims, 0, sizeof ck->dims);
    ck->bs.budget = BOX_BUDGET;
    ck->bs.meet_budget = MEET_BUDGET;
}

static void ck_init(Ck *ck, const Loaded *l, const CheckerOptions *opt) {
    memset(ck, 0, sizeof *ck);
    box_space_init(&ck->bs, &ck->A);
    ck->voc = l->voc;
    ck->budget = opt && opt->budget > 0 ? opt->budget : DEFAULT_BUDGET;
    ck->no_z3 = opt && opt->no_z3;
    ck->thorough = opt && opt->thorough;
    ck->findings = json_array();
    ck->unconfirmed = json_array();
    ck->unanalysed = json_array();
    ck->refuted = json_array();
    ck->atoms = json_object();
    ck->atom_keys = json_object();
    ck_add_lib(ck, l);
}

/* The source text of a span, whitespace collapsed. */
static const char *span_words(Ck *ck, const IrAgreement *ag, Span sp) {
    const Compilation *cx = cx_of(ck, ag);
    const SourceFile *f = cx ? src_file(cx, sp.file) : NULL;
    if (!f || sp.end <= sp.start || sp.end > f->len) return NULL;
    char *s = arena_alloc(&ck->A, sp.end - sp.start + 1);
    size_t n = 0;
    bool space = false;
    for (uint32_t i = sp.start; i < sp.end; i++) {
        char c = f->text[i];
        if (c == '\n' || c == '\t' || c == '\r' || c == ' ') { space = n > 0; continue; }
        if (space) s[n++] = ' ';
        space = false;
        s[n++] = c;
    }
    s[n] = 0;
    return s;
}

static int span_line(Ck *ck, const IrAgreement *ag, Span sp) {
    const Compilation *cx = cx_of(ck, ag);
    const SourceFile *f = cx ? src_file(cx, sp.file) : NULL;
    if (!f) return 0;
    uint32_t line, col;
    src_linecol(f, sp.start, &line, &col);
    return (int)line;
}

static int dim_find(Ck *ck, const char *key) {
    for (size_t i = 0; i < ck->dims.len; i++)
        if (!strcmp(((Dim *)ck->dims.items[i])->key, key)) return (int)i;
    return -1;
}

static int set_card(const Type *t) {
    if (t->kind == TY_BOOL) return 2;
    if (t->kind == TY_COUNTRY) return 256;
    if (t->kind == TY_ENUM) return t->en->n + 1;
    return 0;
}
static bool int_like(const Type *t) {
    return t->kind == TY_DATE || t->kind == TY_INT || t->kind == TY_DAYS || t->kind == TY_MONTHS;
}

static int dim_new(Ck *ck, Dim *d) {
    int i = dim_find(ck, d->key);
    if (i >= 0) return i;
    Dim *n = arena_alloc(&ck->A, sizeof *n);
    *n = *d;
    ptrvec_push(&ck->A, &ck->dims, n);
    int card = d->role == DK_ATOM ? 2 : set_card(d->type);
    return box_dim_add(&ck->bs, card ? DIM_SET : DIM_INT, card);
}

/* A scalar fact of the case (a chain of record fields from `case`): its dimension, or -1. */
static int field_dim(Ck *ck, const IrExpr *e) {
    if (!(set_card(e->type) || int_like(e->type))) return -1;
    int path[6], n = 0;
    const IrExpr *x = e;
    while (x->kind == IR_FIELD && n < 6) {
        path[n++] = x->field;
        x = x->a;
    }
    if (x->kind != IR_CASE || n == 0 || n == 6) return -1;
    Dim d;
    memset(&d, 0, sizeof d);
    d.role = DK_FIELD;
    d.type = e->type;
    d.npath = n;
    char buf[160];
    size_t k = 0;
    const IrRecord *r = ck->voc->case_rec;
    for (int i = 0; i < n; i++) {
        d.path[i] = path[n - 1 - i];
        const IrField *f = &r->fields[d.path[i]];
        k += (size_t)snprintf(buf + k, sizeof buf - (k < sizeof buf ? k : sizeof buf), "%s%s", i ? "." : "", f->name);
        if (f->type->kind == TY_RECORD) r = f->type->rec;
        else if (i + 1 < n) return -1;
        if (k >= sizeof buf) return -1;
    }
    d.words = arena_strdup(&ck->A, buf);
    d.key = arena_printf(&ck->A, "f:%s", buf);
    /* the phrase: the last field's, qualified by the record it is in when that is not the case itself
       ("claim date"); a declared phrase is used as it is */
    char pb[96], qb[96];
    const IrRecord *pr = ck->voc->case_rec, *pp = NULL;
    for (int i = 0; i + 1 < n; i++) {
        pp = pr;
        pr = pr->fields[d.path[i]].type->rec;
    }
    const IrField *last = &pr->fields[d.path[n - 1]];
    if (last->words || !pp || !strcmp(pp->fields[d.path[n - 2]].name, "person"))
        d.phrase = arena_strdup(&ck->A, words_field(last, pb, sizeof pb));
    else
        d.phrase = arena_printf(&ck->A, "%s %s", words_field(&pp->fields[d.path[n - 2]], qb, sizeof qb), words_field(last, pb, sizeof pb));
    return dim_new(ck, &d);
}

static int date_dim(Ck *ck) {
    const IrRecord *r = ck->voc->case_rec;
    for (int i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i].name, "date")) {
            Dim d;
            memset(&d, 0, sizeof d);
            d.role = DK_FIELD;
            d.type = r->fields[i].type;
            d.npath = 1;
            d.path[0] = i;
            d.words = "date";
            d.key = "f:date";
            char pb[96];
            d.phrase = arena_strdup(&ck->A, words_field(&r->fields[i], pb, sizeof pb));
            return dim_new(ck, &d);
        }
    return -1;
}

static int arg_dim(Ck *ck, const IrQuestion *q, int i) {
    Dim d;
    memset(&d, 0, sizeof d);
    d.role = DK_ARG;
    d.type = q->ptypes[i];
    d.arg = i;
    d.words = q->pnames[i];
    d.key = arena_printf(&ck->A, "a:%s:%d", q->name, i);
    return dim_new(ck, &d);
}

/* ---- translation: IR condition -> boxes ------------------------------------------------ */

typedef struct Bind Bind;
typedef struct Tx {
    Ck *ck;
    const IrAgreement *ag;
    const IrQuestion *q;  /* NULL in a scope clause */
    bool top;             /* locals 0..nparams-1 are the question's arguments */
    const Bind *env;      /* equal treatment only: locals bound to the nationality or to an argument */
} Tx;

/* A local of a definition's body bound to its argument (translated in the
 * caller's context), or a comprehension variable over the nationalities
 * bound to the nationality dimension (SPEC §13.4). */
struct Bind {
    int slot;
    int dim;              /* >= 0: the nationality dimension */
    const IrExpr *arg;    /* else: the argument, in ctx */
    Tx *ctx;
    const Bind *next;
};

static const Bind *bind_of(const Tx *t, const IrExpr *e) {
    if (e->kind != IR_LOCAL) return NULL;
    for (const Bind *b = t->env; b; b = b->next)
        if (b->slot == e->slot) return b;
    return NULL;
}

static bool specific(const IrExpr *e, bool *locals) {
    if (!e) return false;
    bool s = false;
    switch (e->kind) {
    case IR_PARTIES: case IR_PARAMETER: case IR_ASK: s = true; break;
    case IR_DEFINE: s = true; break;
    case IR_LOCAL: *locals = true; break;
    default: break;
    }
    s |= specific(e->a, locals) | specific(e->b, locals) | specific(e->c, locals) | specific(e->d, locals);
    for (int i = 0; e->kind != IR_AGG && i < e->nargs; i++) s |= specific(e->args[i], locals);
    return s;
}

static char *dump_text(const IrExpr *e) {
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f) return NULL;
    ir_expr_dump(e, f);
    fclose(f);
    return buf;
}

/* What the parameters, definitions, nested questions and parties that e
 * reaches mean, written to f (each expanded once): the IR text names them
 * only, and two versions of one agreement (`accord diff`, one id) may give
 * one name two meanings. */
typedef struct SigSeen {
    const void *p[512];
    int n;
} SigSeen;

static bool sig_first(SigSeen *seen, const void *p) {
    for (int i = 0; i < seen->n; i++)
        if (seen->p[i] == p) return false;
    if (seen->n < (int)(sizeof seen->p / sizeof seen->p[0])) seen->p[seen->n++] = p;
    return true;
}

static void sig_walk(FILE *f, const IrAgreement *ag, const IrExpr *e, SigSeen *seen) {
    if (!e) return;
    switch (e->kind) {
    case IR_PARAMETER:
        if (sig_first(seen, e->param)) {
            fprintf(f, "[param %s", e->param->name);
            for (int i = 0; i < e->param->n; i++) {
                fprintf(f, " %d:", (int)e->param->from[i]);
                value_print(f, &e->param->value[i], e->param->type);
            }
            fputc(']', f);
        }
        break;
    case IR_PARTIES:
        if (sig_first(seen, &ag->parties)) {
            fputs("[parties", f);
            for (int c = 1; c < 256; c++)
                if (set_has(&ag->parties, c)) fprintf(f, " %d:%d-%d", c, (int)ag->party_from[c], (int)ag->party_until[c]);
            fputc(']', f);
        }
        break;
    case IR_DEFINE:
        if (sig_first(seen, e->def)) {
            fprintf(f, "[def %s ", e->def->name);
            ir_expr_dump(e->def->body, f);
            sig_walk(f, ag, e->def->body, seen);
            fputc(']', f);
        }
        break;
    case IR_ASK:
        if (sig_first(seen, e->question)) {
            /* the nested answer: the question's rules and the agreement's scopes */
            fprintf(f, "[ask %s %d-%d", e->question->name, (int)ag->in_force, (int)ag->terminates);
            for (size_t i = 0; i < ag->material_scope.len; i++) {
                const IrMaterialClause *m = ag->material_scope.items[i];
                fprintf(f, " material %d %d-%d %" PRIx64 "%" PRIx64 "%" PRIx64 "%" PRIx64, m->country, (int)m->from,
                        (int)m->until, m->branches.bits[0], m->branches.bits[1], m->branches.bits[2], m->branches.bits[3]);
            }
            for (size_t i = 0; i < ag->personal_scope.len; i++) {
                const IrScopeClause *c = ag->personal_scope.items[i];
                fprintf(f, " scope %d-%d ", (int)c->from, (int)c->until);
                ir_expr_dump(c->cond, f);
                sig_walk(f, ag, c->cond, seen);
            }
            for (size_t i = 0; i < e->question->rules.len; i++) {
                const IrRule *r = e->question->rules.items[i];
                fprintf(f, " rule %d %" PRId64 " %d-%d %zu/%zu ", r->id, r->priority, (int)r->from, (int)r->until,
                        r->exceptions.len, r->overrides.len);
                for (int k = 0; k < e->question->nparams; k++) ir_expr_dump(r->pattern ? r->pattern[k] : NULL, f);
                ir_expr_dump(r->cond, f);
                ir_expr_dump(r->value, f);
                sig_walk(f, ag, r->cond, seen);
                sig_walk(f, ag, r->value, seen);
            }
            fputc(']', f);
        }
        break;
    default: break;
    }
    sig_walk(f, ag, e->a, seen);
    sig_walk(f, ag, e->b, seen);
    sig_walk(f, ag, e->c, seen);
    sig_walk(f, ag, e->d, seen);
    for (int i = 0; e->kind != IR_AGG && i < e->nargs; i++) sig_walk(f, ag, e->args[i], seen);
}

/* A 64-bit FNV-1a hash of what e reaches (sig_walk). */
static uint64_t expr_sig(const IrAgreement *ag, const IrExpr *e) {
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f) return 0;
    SigSeen *seen = xcalloc(1, sizeof *seen);
    sig_walk(f, ag, e, seen);
    fclose(f);
    free(seen);
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)buf[i]) * 0x100000001B3u;
    free(buf);
    return h;
}

/* expr_sig, remembered for the run by expression (the same conditions are
 * translated for every question and pair that reads them). */
static uint64_t expr_sig_cached(Ck *ck, const IrAgreement *ag, const IrExpr *e) {
    if ((ck->sig_n + 1) * 2 > ck->sig_cap) {
        size_t cap = ck->sig_cap ? ck->sig_cap * 2 : 256;
        SigMemo *nm = arena_alloc(&ck->P, sizeof *nm * cap);
        for (size_t j = 0; j < ck->sig_cap; j++) {
            if (!ck->sig[j].e) continue;
            size_t i = ((uintptr_t)ck->sig[j].e >> 4) & (cap - 1);
            while (nm[i].e) i = (i + 1) & (cap - 1);
            nm[i] = ck->sig[j];
        }
        ck->sig = nm;
        ck->sig_cap = cap;
    }
    size_t i = ((uintptr_t)e >> 4) & (ck->sig_cap - 1);
    for (; ck->sig[i].e; i = (i + 1) & (ck->sig_cap - 1))
        if (ck->sig[i].e == e && ck->sig[i].ag == ag) return ck->sig[i].h;
    ck->sig[i] = (SigMemo){e, ag, expr_sig(ag, e)};
    ck->sig_n++;
    return ck->sig[i].h;
}

/* An identity for an expression: its IR text, qualified by the agreement
 * (parties, parameters, definitions and questions differ between
 * agreements) and the question (locals) when it depends on them; and by
 * what those mean (expr_sig): two versions of one agreement share an atom
 * only when it reads the same definitions and values. */
static const char *expr_key(Tx *t, const char *tag, const IrExpr *e) {
    bool locals = false;
    bool spec = specific(e, &locals);
    char *d = dump_text(e);
    char sig[24] = "";
    if (spec) snprintf(sig, sizeof sig, "%016" PRIx64 "/", expr_sig_cached(t->ck, t->ag, e));
    const char *k = arena_printf(&t->ck->A, "%s:%s%s%s%s%s%s", tag, spec ? t->ag->id : "", spec ? "/" : "", sig,
                                 locals && t->q ? t->q->name : "", locals ? "/" : "", d ? d : "?");
    free(d);
    return k;
}

static BoxSet bs_full(Ck *ck) { return boxset_one(&ck->bs, box_full(&ck->bs)); }
/* Join boxes that differ in one dimension (same points, fewer boxes): keeps
 * the regions small as they are refined rule by rule. */
static void bs_tidy(Ck *ck, BoxSet *r) {
    if (r->n > 1) boxset_merge(&ck->bs, r);
}
static BoxSet bs_dim(Ck *ck, int dim, const BoxDim *v) {
    BoxSet r = {0};
    boxset_add(&ck->bs, &r, box_with(&ck->bs, box_full(&ck->bs), dim, v));
    return r;
}
static BoxSet bs_bit(Ck *ck, int dim, int ord) {
    BoxDim v;
    memset(&v, 0, sizeof v);
    v.bits[ord >> 6] |= (uint64_t)1 << (ord & 63);
    return bs_dim(ck, dim, &v);
}
static BoxSet bs_interval(Ck *ck, int dim, int64_t lo, int64_t hi) {
    BoxDim v;
    memset(&v, 0, sizeof v);
    v.lo = lo;
    v.hi = hi;
    return bs_dim(ck, dim, &v);
}

static bool nat_reads(const Ck *ck, const IrExpr *e);

/* Whether e reads a local bound to the nationality, directly or through an
 * argument bound to a definition's parameter (equal treatment only). */
static bool uses_bound_nat(const Tx *t, const IrExpr *e) {
    if (!e) return false;
    const Bind *bd = bind_of(t, e);
    if (bd) return bd->dim >= 0 || nat_reads(t->ck, bd->arg) || uses_bound_nat(bd->ctx, bd->arg);
    if (uses_bound_nat(t, e->a) || uses_bound_nat(t, e->b) || uses_bound_nat(t, e->c) || uses_bound_nat(t, e->d)) return true;
    for (int i = 0; e->kind != IR_AGG && i < e->nargs; i++)
        if (uses_bound_nat(t, e->args[i])) return true;
    return false;
}

/* The dimension of a sub-expression read as a whole (an atom, a term): keyed by
 * its meaning (expr_key), named by its source text. */
static int expr_dim(Tx *t, DimRole role, const IrExpr *e, const IrExpr *cmp) {
    Dim d;
    memset(&d, 0, sizeof d);
    d.role = role;
    d.key = expr_key(t, role == DK_TERM ? "n" : "t", e);
    const char *w = span_words(t->ck, t->ag, e->span);
    if (!w) { /* no source text (a negation made positive): the IR text */
        char *dump = dump_text(e);
        w = dump ? arena_strdup(&t->ck->A, dump) : NULL;
        free(dump);
    }
    d.words = w ? w : d.key + 2;
    d.expr = e;
    d.cmp = cmp;
    d.type = role == DK_TERM ? e->type : NULL;
    d.ag = t->ag;
    d.q = t->top ? t->q : NULL;
    if (t->env && !t->ck->nat_inexact && uses_bound_nat(t, e)) { /* it reads a bound nationality */
        t->ck->nat_inexact = true;
        t->ck->nat_why = d.words;
    }
    return dim_new(t->ck, &d);
}

static BoxSet atom(Tx *t, const IrExpr *e) { return bs_bit(t->ck, expr_dim(t, DK_ATOM, e, NULL), 1); }

/* A term for x, an integer value compared with a constant in cmp (DK_TERM):
 * its dimension, or -1 when x is not one (a fact has its own dimension, a
 * constant is no dimension, a date is left to atoms: its comparisons read
 * as dates, not quantities). */
static int term_int_dim(Tx *t, const IrExpr *x, const IrExpr *cmp) {
    TypeKind k = x->type->kind;
    if (!(k == TY_INT || k == TY_DAYS || k == TY_MONTHS)) return -1;
    return expr_dim(t, DK_TERM, x, cmp);
}

static bool constval(const IrAgreement *ag, const IrExpr *e, Value *v) {
    switch (e->kind) {
    case IR_CONST: *v = e->cval; return true;
    case IR_PARAMETER:
        if (e->param->n != 1) return false;
        *v = e->param->value[0];
        return true;
    case IR_SETLIT:
        memset(v, 0, sizeof *v);
        v->kind = TY_SET;
        for (int i = 0; i < e->nargs; i++) {
            Value x;
            if (!constval(ag, e->args[i], &x)) return false;
            set_add(v, (int)x.i);
        }
        return true;
    case IR_PARTIES:
        /* constant while the agreement is in force unless a party joins or leaves */
        for (int c = 1; c < 256; c++)
            if (set_has(&ag->parties, c) && (ag->party_from[c] > ag->in_force || ag->party_until[c] < ag->terminates))
                return false;
        *v = ag->parties;
        return true;
    case IR_BINARY:
        if (e->type->kind == TY_SET && (e->op == IOP_ADD || e->op == IOP_SUB)) {
            Value a, b;
            if (!constval(ag, e->a, &a) || !constval(ag, e->b, &b)) return false;
            *v = a;
            for (int w = 0; w < 4; w++) v->bits[w] = e->op == IOP_ADD ? a.bits[w] | b.bits[w] : a.bits[w] & ~b.bits[w];
            return true;
        }
        return false;
    default: return false;
    }
}

/* A dimension for a term: a question argument or a scalar fact. */
static int term_dim(Tx *t, const IrExpr *e) {
    const Bind *bd = bind_of(t, e);
    if (bd) return bd->dim >= 0 ? bd->dim : term_dim(bd->ctx, bd->arg);
    if (e->kind == IR_LOCAL && t->top && t->q && e->slot < t->q->nparams) return arg_dim(t->ck, t->q, e->slot);
    if (e->kind == IR_FIELD) return field_dim(t->ck, e);
    return -1;
}

static IrOp flip(IrOp op) {
    switch (op) {
    case IOP_LT: return IOP_GT;
    case IOP_LE: return IOP_GE;
    case IOP_GT: return IOP_LT;
    case IOP_GE: return IOP_LE;
    default: return op;
    }
}

static BoxSet tx(Tx *t, const IrExpr *e);

/* constval, through a local bound to a constant argument */
static bool tx_const(const Tx *t, const IrExpr *e, Value *v) {
    const Bind *bd = bind_of(t, e);
    if (bd) return bd->dim < 0 && tx_const(bd->ctx, bd->arg, v);
    return constval(t->ag, e, v);
}
static bool nat_tx(Tx *t, const IrExpr *e, BoxSet *out);

static bool compare_boxes(Tx *t, int dim, IrOp op, const Value *c, BoxSet *out) {
    Ck *ck = t->ck;
    BoxSpace *s = &ck->bs;
    if (s->kind[dim] == DIM_SET) {
        BoxDim v;
        memset(&v, 0, sizeof v);
        BoxDim full = dim_full(s, dim);
        if (op == IOP_IN || op == IOP_NOTIN) {
            if (c->kind != TY_SET) return false;
            for (int w = 0; w < 4; w++) v.bits[w] = (op == IOP_IN ? c->bits[w] : ~c->bits[w]) & full.bits[w];
        } else if (op == IOP_EQ || op == IOP_NE) {
            int64_t o = c->kind == TY_BOOL ? c->b : c->i;
            if (o < 0 || o > 255) return false;
            v.bits[o >> 6] |= (uint64_t)1 << (o & 63);
            if (op == IOP_NE)
                for (int w = 0; w < 4; w++) v.bits[w] = ~v.bits[w] & full.bits[w];
        } else {
            return false;
        }
        *out = bs_dim(ck, dim, &v);
        return true;
    }
    if (!(c->kind == TY_DATE || c->kind == TY_INT || c->kind == TY_DAYS || c->kind == TY_MONTHS)) return false;
    int64_t k = c->i;
    switch (op) {
    case IOP_EQ: *out = bs_interval(ck, dim, k, k); return true;
    case IOP_NE: {
        BoxSet a = k > INT64_MIN ? bs_interval(ck, dim, INT64_MIN, k - 1) : (BoxSet){0};
        if (k < INT64_MAX) boxset_add(s, &a, bs_interval(ck, dim, k + 1, INT64_MAX).b[0]);
        *out = a;
        return true;
    }
    case IOP_LT: *out = k > INT64_MIN ? bs_interval(ck, dim, INT64_MIN, k - 1) : (BoxSet){0}; return true;
    case IOP_LE: *out = bs_interval(ck, dim, INT64_MIN, k); return true;
    case IOP_GT: *out = k < INT64_MAX ? bs_interval(ck, dim, k + 1, INT64_MAX) : (BoxSet){0}; return true;
    case IOP_GE: *out = bs_interval(ck, dim, k, INT64_MAX); return true;
    default: return false;
    }
}

/* A condition whose boxes would exceed this is abstracted as one atom
 * (sound, but its region is then no longer exact: SPEC §13.3). */
#define TX_LIMIT 256

static BoxSet tx_exact(Tx *t, const IrExpr *e);
static BoxSet tx(Tx *t, const IrExpr *e) {
    BoxSet r = tx_exact(t, e);
    return r.n > TX_LIMIT ? atom(t, e) : r;
}

static BoxSet tx_exact(Tx *t, const IrExpr *e) {
    Ck *ck = t->ck;
    BoxSpace *s = &ck->bs;
    switch (e->kind) {
    case IR_CONST:
        if (e->cval.kind == TY_BOOL) return e->cval.b ? bs_full(ck) : (BoxSet){0};
        break;
    case IR_AND: {
        BoxSet a = tx(t, e->a);
        if (boxset_empty(&a)) return a;
        BoxSet b = tx(t, e->b);
        return boxset_meet(s, &a, &b);
    }
    case IR_OR: {
        BoxSet a = tx(t, e->a), b = tx(t, e->b);
        return boxset_union(s, &a, &b);
    }
    case IR_UNARY:
        if (e->op == IOP_NOT) {
            BoxSet a = tx(t, e->a);
            return boxset_complement(s, &a);
        }
        break;
    case IR_IF: {
        if (e->type->kind != TY_BOOL) break;
        BoxSet c = tx(t, e->a), a = tx(t, e->b), b = tx(t, e->c);
        BoxSet nc = boxset_complement(s, &c);
        BoxSet x = boxset_meet(s, &c, &a), y = boxset_meet(s, &nc, &b);
        return boxset_union(s, &x, &y);
    }
    case IR_FIELD:
    case IR_LOCAL: {
        int d = term_dim(t, e);
        if (d >= 0 && e->type->kind == TY_BOOL) return bs_bit(ck, d, 1);
        break;
    }
    case IR_DEFINE:
        if (e->def->nparams == 0 && e->def->body) {
            Tx in = *t;
            in.top = false;
            in.env = NULL;
            return tx(&in, e->def->body);
        }
        break;
    case IR_BINARY: {
        Value c;
        int d;
        BoxSet out;
        if ((d = term_dim(t, e->a)) >= 0 && tx_const(t, e->b, &c) && compare_boxes(t, d, e->op, &c, &out)) return out;
        if (e->op != IOP_IN && e->op != IOP_NOTIN && (d = term_dim(t, e->b)) >= 0 && tx_const(t, e->a, &c) &&
            compare_boxes(t, d, flip(e->op), &c, &out))
            return out;
        break;
    }
    default: break;
    }
    BoxSet nb;
    if (ck->nat_on && nat_tx(t, e, &nb)) return nb;
    if (e->kind == IR_BINARY && e->op >= IOP_EQ && e->op <= IOP_GE) {
        /* a count, size or sum compared with a constant: an interval of its term */
        Value c, other;
        int d;
        BoxSet out;
        if (tx_const(t, e->b, &c) && !tx_const(t, e->a, &other) && (d = term_int_dim(t, e->a, e)) >= 0 &&
            compare_boxes(t, d, e->op, &c, &out))
            return out;
        if (tx_const(t, e->a, &c) && !tx_const(t, e->b, &other) && (d = term_int_dim(t, e->b, e)) >= 0 &&
            compare_boxes(t, d, flip(e->op), &c, &out))
            return out;
    }
    if (e->kind == IR_BINARY && (e->op == IOP_NOTIN || e->op == IOP_NE || e->op == IOP_GE || e->op == IOP_GT)) {
        /* `x not in S` is the negation of `x in S` (`!=` of `==`, `>=` of `<`,
           `>` of `<=`): one atom for both, so that a rule and its opposite do
           not meet in a region no case is in.  The positive form has no source
           text of its own (its words and id come from its IR). */
        IrExpr *pos = arena_alloc(&ck->A, sizeof *pos);
        *pos = *e;
        pos->op = e->op == IOP_NOTIN ? IOP_IN : e->op == IOP_NE ? IOP_EQ : e->op == IOP_GE ? IOP_LT : IOP_LE;
        pos->span = (Span){0, 0, 0};
        BoxSet a = tx(t, pos);
        return boxset_complement(s, &a);
    }
    return atom(t, e);
}

/* ---- outcomes on boxes (SPEC §6.3) ----------------------------------------------------- */

typedef enum { RS_DECIDED, RS_CONFLICT, RS_UNDETERMINED, RS_NOT_COVERED } ResState;

typedef struct Res {
    ResState state;
    bool maybe;             /* conflict only where the two computed values differ */
    int64_t prio;
    const char *vkey;       /* decided: identity of the value */
    const char *vwords;     /* decided: the value for drafters */
    bool vconst;
    Value v;                /* decided, vconst */
    int nrules;
    const IrRule *rules[MAX_RES_RULES];
} Res;

typedef struct Piece {
    Region region;          /* as cells (box.h): boxes are made for what is reported */
    const Res *res;
    bool owned;             /* region's storage is this piece's own (appended to in place) */
} Piece;

typedef struct Pieces {
    Piece *p;
    int n, cap;
    /* combine_rules: the union of the regions as the list of the rules' own
       boxes (a few each; they may overlap), not from the pieces, which are
       cut finer: subtracting it cuts less */
    BoxSet cover;
    int *idx, idx_cap;      /* past a few pieces: piece index + 1 by Res pointer (open addressing) */
} Pieces;

static size_t res_hash(const Res *r) { return ((uintptr_t)r >> 4) * 0x9E3779B97F4A7C15u; }

/* The piece of ps with outcome res, or -1. */
static int pieces_find(const Pieces *ps, const Res *res) {
    if (!ps->idx) {
        for (int i = 0; i < ps->n; i++)
            if (ps->p[i].res == res) return i;
        return -1;
    }
    for (size_t h = res_hash(res) & (size_t)(ps->idx_cap - 1);; h = (h + 1) & (size_t)(ps->idx_cap - 1)) {
        if (!ps->idx[h]) return -1;
        if (ps->p[ps->idx[h] - 1].res == res) return ps->idx[h] - 1;
    }
}

static void pieces_index(Ck *ck, Pieces *ps) {
    if (ps->n < 16 || (ps->idx && ps->n * 2 < ps->idx_cap)) {
        if (ps->idx) {
            size_t h = res_hash(ps->p[ps->n - 1].res) & (size_t)(ps->idx_cap - 1);
            while (ps->idx[h]) h = (h + 1) & (size_t)(ps->idx_cap - 1);
            ps->idx[h] = ps->n;
        }
        return;
    }
    ps->idx_cap = 64;
    while (ps->idx_cap < ps->n * 4) ps->idx_cap *= 2;
    ps->idx = arena_alloc(&ck->A, sizeof *ps->idx * (size_t)ps->idx_cap);
    for (int i = 0; i < ps->n; i++) {
        size_t h = res_hash(ps->p[i].res) & (size_t)(ps->idx_cap - 1);
        while (ps->idx[h]) h = (h + 1) & (size_t)(ps->idx_cap - 1);
        ps->idx[h] = i + 1;
    }
}

static void pieces_put(Ck *ck, Pieces *ps, Region region, const Res *res) {
    if (ps->n == ps->cap) {
        int cap = ps->cap ? ps->cap * 2 : 8;
        Piece *np = arena_alloc(&ck->A, sizeof *np * (size_t)cap);
        if (ps->n) memcpy(np, ps->p, sizeof *np * (size_t)ps->n);
        ps->p = np;
        ps->cap = cap;
    }
    ps->p[ps->n].region = region;
    ps->p[ps->n].owned = false;
    ps->p[ps->n++].res = res;
    pieces_index(ck, ps);
}

static void pieces_add(Ck *ck, Pieces *ps, Region region, const Res *res) {
    if (region_empty(&region)) return;
    int i = pieces_find(ps, res);
    if (i >= 0) {
        if (!ps->p[i].owned) {
            /* never into storage another piece may share */
            Region r = {0};
            region_append(&ck->bs, &r, &ps->p[i].region);
            ps->p[i].region = r;
            ps->p[i].owned = true;
        }
        region_append(&ck->bs, &ps->p[i].region, &region);
        return;
    }
    pieces_put(ck, ps, region, res);
}

/* The not-covered piece of a partition: its region (the complement of the
 * scope) is left implicit, see region_meet. */
static void pieces_add_outside(Ck *ck, Pieces *ps, const Res *nc) { pieces_put(ck, ps, (Region){0}, nc); }

static void res_add_rule(Res *r, const IrRule *x) {
    for (int i = 0; i < r->nrules; i++)
        if (r->rules[i] == x) return;
    if (r->nrules < MAX_RES_RULES) r->rules[r->nrules++] = x;
}

static bool res_same(const Res *a, const Res *b) {
    if (a == b) return true;
    if (a->state != b->state || a->maybe != b->maybe || a->prio != b->prio || a->nrules != b->nrules) return false;
    if ((a->vkey == NULL) != (b->vkey == NULL) || (a->vkey && strcmp(a->vkey, b->vkey))) return false;
    for (int i = 0; i < a->nrules; i++)
        if (a->rules[i] != b->rules[i]) return false;
    return true;
}

/* Canonical Res pointers, so that pieces with equal outcomes coalesce. */
typedef struct ResPool {
    PtrVec all;
} ResPool;

static const Res *res_intern(Ck *ck, ResPool *rp, const Res *r) {
    for (size_t i = 0; i < rp->all.len; i++)
        if (res_same(rp->all.items[i], r)) return rp->all.items[i];
    Res *n = arena_alloc(&ck->A, sizeof *n);
    *n = *r;
    ptrvec_push(&ck->A, &rp->all, n);
    return n;
}

/* 1: the same value, 0: different, -1: depends on the case */
static int values_equal(const Res *a, const Res *b) {
    if (a->vconst && b->vconst) return value_eq(&a->v, &b->v);
    if (!strcmp(a->vkey, b->vkey)) return 1;
    return -1;
}

/* Two sibling outcomes combined as interp.c's combine() does. */
static Res res_merge(const Res *a, const Res *b) {
    Res r;
    if (a->state == RS_DECIDED && b->state == RS_DECIDED) {
        if (a->prio != b->prio) return a->prio > b->prio ? *a : *b;
        int eq = values_equal(a, b);
        if (eq == 1) {
            r = *a;
            for (int i = 0; i < b->nrules; i++) res_add_rule(&r, b->rules[i]);
            return r;
        }
        memset(&r, 0, sizeof r);
        r.state = RS_CONFLICT;
        r.maybe = eq < 0;
        r.prio = a->prio;
        res_add_rule(&r, a->rules[0]);
        res_add_rule(&r, b->rules[0]);
        return r;
    }
    const Res *c = a->state == RS_CONFLICT ? a : b, *o = c == a ? b : a;
    if (o->state == RS_DECIDED) return o->prio > c->prio ? *o : *c;
    /* two conflicts: the higher one (equal: the first) */
    return o->prio > c->prio ? *o : *c;
}

typedef struct Decide {
    Ck *ck;
    const IrAgreement *ag;
    const IrQuestion *q;
    ResPool rp;
    int ddim;
} Decide;

static Pieces combine_rules(Decide *dc, const PtrVec *rules);

static BoxSet rule_applies(Decide *dc, const IrRule *r) {
    Ck *ck = dc->ck;
    BoxSet app = bs_full(ck);
    if (r->from != INT32_MIN || r->until != INT32_MAX) {
        BoxSet d = bs_interval(ck, dc->ddim, r->from, (int64_t)r->until - 1);
        app = boxset_meet(&ck->bs, &app, &d);
    }
    for (int i = 0; i < dc->q->nparams; i++)
        if (r->pattern[i]) {
            BoxSet p = bs_bit(ck, arg_dim(ck, dc->q, i), (int)r->pattern[i]->cval.i);
            app = boxset_meet(&ck->bs, &app, &p);
        }
    if (r->cond && !boxset_empty(&app)) {
        Tx t = {ck, dc->ag, dc->q, true, NULL};
        BoxSet c = tx(&t, r->cond);
        app = boxset_meet(&ck->bs, &app, &c);
    }
    return app;
}

static Res rule_res(Decide *dc, const IrRule *r) {
    Res x;
    memset(&x, 0, sizeof x);
    x.state = RS_DECIDED;
    x.prio = r->priority;
    x.nrules = 1;
    x.rules[0] = r;
    Tx t = {dc->ck, dc->ag, dc->q, true, NULL};
    if (constval(dc->ag, r->value, &x.v)) {
        x.vconst = true;
        char b[128];
        value_format(b, sizeof b, &x.v, dc->q->type);
        x.vkey = arena_printf(&dc->ck->A, "c:%s", b);
        x.vwords = arena_strdup(&dc->ck->A, b);
    } else {
        x.vkey = expr_key(&t, "v", r->value);
        const char *w = span_words(dc->ck, dc->ag, r->value->span);
        x.vwords = w ? w : "(computed)";
    }
    return x;
}

static Pieces rule_pieces(Decide *dc, const IrRule *r) {
    Ck *ck = dc->ck;
    Pieces out = {0};
    BoxSet taken = {0};
    if (r->exceptions.len) {
        Pieces ex = combine_rules(dc, &r->exceptions);
        for (int i = 0; i < ex.n; i++) {
            Res x = *ex.p[i].res;
            x.prio = r->priority;
            pieces_add(ck, &out, ex.p[i].region, res_intern(ck, &dc->rp, &x));
        }
        taken = ex.cover;
    }
    BoxSet app = rule_applies(dc, r);
    Region ra = region_of(&ck->bs, &app);
    Region own = region_sub(&ck->bs, &ra, &taken);
    Res x = rule_res(dc, r);
    pieces_add(ck, &out, own, res_intern(ck, &dc->rp, &x));
    out.cover = boxset_join(&ck->bs, &taken, &app);
    return out;
}

static Pieces combine_rules(Decide *dc, const PtrVec *rules) {
    Ck *ck = dc->ck;
    Pieces acc = {0};
    for (size_t k = 0; k < rules->len; k++) {
        if (ck->bs.over) return acc;
        Pieces rp = rule_pieces(dc, rules->items[k]);
        if (!rp.n) continue;
        if (!acc.n) { acc = rp; continue; }
        Pieces next = {0};
        BoxSet ua = acc.cover, ub = rp.cover;
        /* the boxes of each piece of rp, made when a piece of acc must be cut by it */
        BoxSet *rpb = arena_alloc(&ck->A, sizeof *rpb * (size_t)rp.n);
        bool *made = arena_alloc(&ck->A, sizeof *made * (size_t)rp.n);
        for (int i = 0; i < acc.n; i++) {
            /* where rp's outcome merged with acc's is acc's own (a conflict
               absorbs another rule of its standing, a higher rule one of
               lower standing), the piece is not cut: only the parts of rp
               that change the outcome are taken out of it */
            bool all = true;
            const Res *same[64];
            int nsame = 0;
            for (int j = 0; j < rp.n; j++) {
                Res x = res_merge(acc.p[i].res, rp.p[j].res);
                if (res_same(&x, acc.p[i].res) && nsame < 64) {
                    same[nsame++] = rp.p[j].res;
                    all = false;
                    continue;
                }
                Region m = region_meet(&ck->bs, &acc.p[i].region, &rp.p[j].region);
                if (region_empty(&m)) continue;
                pieces_add(ck, &next, m, res_intern(ck, &dc->rp, &x));
            }
            BoxSet cut = ub;
            if (!all) {
                cut = (BoxSet){0};
                for (int j = 0; j < rp.n; j++) {
                    bool kept = false;
                    for (int t = 0; t < nsame; t++) kept |= same[t] == rp.p[j].res;
                    if (kept) continue;
                    if (!made[j]) region_boxes(&ck->bs, &rp.p[j].region, 0, &rpb[j]);
                    made[j] = true;
                    for (int t = 0; t < rpb[j].n; t++) boxset_add(&ck->bs, &cut, rpb[j].b[t]);
                }
            }
            pieces_add(ck, &next, region_sub(&ck->bs, &acc.p[i].region, &cut), acc.p[i].res);
        }
        for (int j = 0; j < rp.n; j++) pieces_add(ck, &next, region_sub(&ck->bs, &rp.p[j].region, &ua), rp.p[j].res);
        next.cover = boxset_join(&ck->bs, &ua, &ub);
        acc = next;
    }
    return acc;
}

/* SPEC §6.5: where the agreement answers q at all (time, personal scope,
 * parties for a country argument, material scope for a branch argument). */
static BoxSet scope_region(Ck *ck, const IrAgreement *ag, const IrQuestion *q, int ddim) {
    BoxSpace *s = &ck->bs;
    BoxSet r = bs_interval(ck, ddim, ag->in_force, (int64_t)ag->terminates - 1);
    for (int i = 0; q && i < q->nparams; i++) {
        /* an argument is never `none` (SPEC §12.4) */
        int d = arg_dim(ck, q, i);
        BoxDim v = dim_full(&ck->bs, d);
        v.bits[0] &= ~(uint64_t)1;
        BoxSet x = bs_dim(ck, d, &v);
        r = boxset_meet(s, &r, &x);
    }
    if (ag->personal_scope.len) {
        BoxSet ps = {0};
        for (size_t i = 0; i < ag->personal_scope.len; i++) {
            const IrScopeClause *c = ag->personal_scope.items[i];
            Tx t = {ck, ag, NULL, false, NULL};
            BoxSet x = tx(&t, c->cond);
            BoxSet d = bs_interval(ck, ddim, c->from, (int64_t)c->until - 1);
            x = boxset_meet(s, &x, &d);
            ps = boxset_union(s, &ps, &x);
        }
        bs_tidy(ck, &ps);
        r = boxset_meet(s, &r, &ps);
    }
    if (q && q->country_param >= 0) {
        int cd = arg_dim(ck, q, q->country_param);
        BoxSet cs = {0};
        for (int c = 1; c < 256; c++) {
            if (!set_has(&ag->parties, c)) continue;
            BoxSet x = bs_bit(ck, cd, c);
            BoxSet d = bs_interval(ck, ddim, ag->party_from[c], (int64_t)ag->party_until[c] - 1);
            x = boxset_meet(s, &x, &d);
            cs = boxset_union(s, &cs, &x);
        }
        bs_tidy(ck, &cs);
        r = boxset_meet(s, &r, &cs);
    }
    if (q && q->branch_param >= 0 && ag->material_scope.len) {
        int bd = arg_dim(ck, q, q->branch_param);
        BoxSet ms = {0};
        for (size_t i = 0; i < ag->material_scope.len; i++) {
            const IrMaterialClause *m = ag->material_scope.items[i];
            BoxDim v;
            memset(&v, 0, sizeof v);
            memcpy(v.bits, m->branches.bits, sizeof v.bits);
            BoxSet x = bs_dim(ck, bd, &v);
            BoxSet d = bs_interval(ck, ddim, m->from, (int64_t)m->until - 1);
            x = boxset_meet(s, &x, &d);
            if (m->country && q->country_param >= 0) {
                BoxSet c = bs_bit(ck, arg_dim(ck, q, q->country_param), m->country);
                x = boxset_meet(s, &x, &c);
            }
            ms = boxset_union(s, &ms, &x);
        }
        bs_tidy(ck, &ms);
        r = boxset_meet(s, &r, &ms);
    }
    bs_tidy(ck, &r);
    return r;
}

/* The whole partition of the case space for q in ag: decided and conflict
 * pieces inside the scope, undetermined for the rest of the scope, not
 * covered outside it. */
typedef struct Partition {
    Pieces in;        /* decided / conflict pieces (inside scope) */
    BoxSet scope;
    Region undetermined;
    /* not covered: the complement of scope, never computed (it can take many
       boxes); a region meets it as the region minus the scope (region_meet) */
    const Res *und, *nc;
    bool over;        /* incomplete: the box budget ran out (pairwise fallback) */
} Partition;

static Partition partition(Ck *ck, const IrAgreement *ag, const IrQuestion *q) {
    Decide dc = {ck, ag, q, {{0}}, date_dim(ck)};
    for (int i = 0; i < q->nparams; i++) arg_dim(ck, q, i);
    Partition p;
    memset(&p, 0, sizeof p);
    p.scope = scope_region(ck, ag, q, dc.ddim);
    Pieces all = combine_rules(&dc, &q->roots);

    for (int i = 0; i < all.n; i++)
        pieces_add(ck, &p.in, region_meet_boxes(&ck->bs, &all.p[i].region, &p.scope), all.p[i].res);
    Region sr = region_of(&ck->bs, &p.scope);
    p.undetermined = region_sub(&ck->bs, &sr, &all.cover);
    Res x;
    memset(&x, 0, sizeof x);
    x.state = RS_UNDETERMINED;
    p.und = res_intern(ck, &dc.rp, &x);
    x.state = RS_NOT_COVERED;
    p.nc = res_intern(ck, &dc.rp, &x);
    p.over = ck->bs.over;
    return p;
}

/* ---- words ------------------------------------------------------------------------- */

static void sb_printf(char **buf, size_t *n, size_t *cap, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void sb_printf(char **buf, size_t *n, size_t *cap, const char *fmt, ...) {
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(*buf ? *buf + *n : NULL, *buf ? *cap - *n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) return;
        if (*buf && *n + (size_t)k < *cap) { *n += (size_t)k; return; }
        *cap = (*cap + (size_t)k + 64) * 2;
        *buf = xrealloc(*buf, *cap);
        if (*n == 0) (*buf)[0] = 0;
    }
}

static const char *ord_name(const Type *t, int o, char *b, size_t n) {
    if (t->kind == TY_BOOL) return o ? "true" : "false";
    if (o == 0) return "none";
    if (t->kind == TY_COUNTRY) {
        const char *c = acc_country_code(o);
        return c ? c : "?";
    }
    if (t->kind == TY_ENUM && o <= t->en->n) return t->en->consts[o - 1];
    snprintf(b, n, "%d", o);
    return b;
}

static void int_words(const Type *t, int64_t v, char *b, size_t n) {
    if (t->kind == TY_DATE) acc_date_format((acc_date)v, b);
    else if (t->kind == TY_MONTHS) snprintf(b, n, "%" PRId64 " month%s", v, v == 1 ? "" : "s");
    else if (t->kind == TY_DAYS) snprintf(b, n, "%" PRId64 " day%s", v, v == 1 ? "" : "s");
    else snprintf(b, n, "%" PRId64, v);
}

/* The source text of a span of the atom's agreement (wording.h's fallback). */
typedef struct SrcCtx {
    Ck *ck;
    const IrAgreement *ag;
} SrcCtx;
static const char *src_of(void *ctx, Span sp) {
    SrcCtx *c = ctx;
    return span_words(c->ck, c->ag, sp);
}

static void int_range_words(WordBuf *b, const Type *t, const BoxDim *d) {
    char b1[32], b2[32];
    bool date = t->kind == TY_DATE;
    bool open_lo = d->lo == INT64_MIN || (date && d->lo <= INT32_MIN) || (!date && t->kind != TY_INT && d->lo <= 0);
    bool open_hi = d->hi == INT64_MAX || (date && d->hi >= INT32_MAX - 1);
    int_words(t, d->lo, b1, sizeof b1);
    int_words(t, d->hi, b2, sizeof b2);
    if (open_lo && open_hi) wb_printf(b, "any");
    else if (d->lo == d->hi) wb_printf(b, "%s%s", date ? "on " : "", b1);
    else if (open_lo) wb_printf(b, "%s %s", date ? "until" : "at most", b2);
    else if (open_hi) wb_printf(b, "%s %s", date ? "from" : "at least", b1);
    else if (date) wb_printf(b, "from %s to %s", b1, b2);
    else {
        /* "25 to 48 months": the unit once */
        char n1[32];
        snprintf(n1, sizeof n1, "%" PRId64, d->lo);
        wb_printf(b, "%s to %s", n1, b2);
    }
}

/* A term's interval: "is 2", "is at least 2", "is at most 1", "is 25 to 48 months"
 * (int_range_words); a term never below 0 (a count, a size, days, months) is read
 * from 0: "at most 1", not "-9223372036854775808 to 1". */
static void term_range_words(WordBuf *b, const Dim *dm, const BoxDim *d) {
    const IrExpr *x = dm->expr;
    bool nonneg = dm->type->kind != TY_INT || (x->kind == IR_AGG && x->agg == AG_COUNT) ||
                  (x->kind == IR_BUILTIN && x->builtin == BI_SIZE);
    BoxDim r = *d;
    if (nonneg && r.lo <= 0) r.lo = r.hi == 0 ? 0 : INT64_MIN;
    wb_printf(b, "is ");
    int_range_words(b, dm->type, &r);
}

/* One dimension of a box in words: "stateless", "residence is a party",
 * "date from 2021-01-01", "anticipated posting at least 25 months", an atom as a
 * sentence, a term with its interval ("the number of work states is at least 2"). */
static void dim_words(Ck *ck, int i, const BoxDim *d, WordBuf *b) {
    const Dim *dm = ck->dims.items[i];
    const char *ph = dm->phrase ? dm->phrase : dm->words;
    if (dm->role == DK_ATOM || dm->role == DK_TERM) {
        SrcCtx sc = {ck, dm->ag};
        WordCtx w = {dm->ag, dm->q, src_of, &sc};
        if (dm->role == DK_ATOM) {
            words_cond(b, &w, dm->expr, !((d->bits[0] >> 1) & 1));
        } else {
            words_term(b, &w, dm->expr);
            wb_printf(b, " ");
            term_range_words(b, dm, d);
        }
        /* two versions of one agreement (`accord diff`) may each have an atom
           of these words that means something else: say whose it is */
        for (int j = 0; j < ck->bs.n; j++) {
            const Dim *o = ck->dims.items[j];
            if (j != i && o->role == dm->role && o->ag != dm->ag && !strcmp(o->words, dm->words)) {
                wb_printf(b, " (in %s)", dm->ag->path ? dm->ag->path : dm->ag->id);
                break;
            }
        }
        return;
    }
    if (ck->bs.kind[i] == DIM_INT) {
        wb_printf(b, "%s ", ph);
        int_range_words(b, dm->type, d);
        return;
    }
    int card = ck->bs.card[i], in = 0;
    for (int o = 0; o < card; o++) in += (int)((d->bits[o >> 6] >> (o & 63)) & 1);
    if (dm->type->kind == TY_BOOL) {
        bool t = (d->bits[0] >> 1) & 1;
        wb_printf(b, "%s%s", t ? "" : "not ", ph);
        return;
    }
    /* the smaller side: the values in the region, or the values outside it */
    BoxDim v = *d;
    bool neg = in > card - in;
    if (dm->role == DK_ARG) v.bits[0] &= ~(uint64_t)1; /* an argument is never none */
    if (neg) {
        BoxDim full = dim_full(&ck->bs, i);
        for (int w = 0; w < 4; w++) v.bits[w] = full.bits[w] & ~d->bits[w];
        if (dm->role == DK_ARG) v.bits[0] &= ~(uint64_t)1;
    }
    const Value *parties = ck->wag && dm->type->kind == TY_COUNTRY ? &ck->wag->parties : NULL;
    wb_printf(b, "%s is %s", ph, neg ? "not " : "");
    words_ordinals(b, dm->type, v.bits, parties);
}

/* A box in words, without the dimensions marked in skip (may be NULL). */
static char *box_words(Ck *ck, const Box *b, const bool *skip) {
    WordBuf w = {0};
    bool any = false;
    for (int i = 0; i < ck->bs.n; i++) {
        if (skip && skip[i]) continue;
        BoxDim d = box_get(&ck->bs, b, i);
        if (((const Dim *)ck->dims.items[i])->role == DK_ARG) d.bits[0] &= ~(uint64_t)1; /* an argument is never none */
        BoxDim full = dim_full(&ck->bs, i);
        if (((const Dim *)ck->dims.items[i])->role == DK_ARG) full.bits[0] &= ~(uint64_t)1;
        if (!memcmp(&d, &full, sizeof d)) continue;
        if (any) wb_printf(&w, ", ");
        dim_words(ck, i, &d, &w);
        any = true;
    }
    if (!any) wb_printf(&w, "every case");
    return w.s;
}

/* an atom's entry in `atoms`: its words, the agreement and file naming it */
static json_t *atom_words(const Dim *dm) {
    return json_pack("{s:s, s:s, s:s}", "text", dm->words, "agreement", dm->ag->id, "file", dm->ag->path ? dm->ag->path : "");
}
/* An atom's key in `boxes`: "atom:" and a hash of its identity (its IR
 * text, agreement and meaning, expr_key), with its source text once in the
 * result's `atoms` (SPEC §13.2): the text, often a line long, is not
 * repeated in every box of every region. */
static const char *atom_id(Ck *ck, const Dim *dm) {
    uint32_t h = 2166136261u;
    for (const char *c = dm->key; *c; c++) h = (h ^ (unsigned char)*c) * 16777619u;
    char id[24];
    for (;; h++) { /* another atom with this hash (rare): the next free value */
        snprintf(id, sizeof id, "%s:%08" PRIx32, dm->role == DK_TERM ? "term" : "atom", h);
        json_t *k = json_object_get(ck->atom_keys, id);
        if (k && !strcmp(json_string_value(k), dm->key)) break;
        if (k) {
            ck->collided = true;
            continue;
        }
        json_object_set_new(ck->atom_keys, id, json_string(dm->key));
        json_object_set_new(ck->atoms, id, atom_words(dm));
        break;
    }
    /* the unit's own words for it (the agreement that named it first in the
       unit: another unit may have named the same expression elsewhere) */
    if (ck->unit_named && !json_object_get(ck->unit_named, id))
        json_object_set_new(ck->unit_named, id, atom_words(dm));
    return arena_strdup(&ck->A, id);
}

static json_t *box_json(Ck *ck, const Box *b) {
    json_t *obj = json_object();
    for (int i = 0; i < ck->bs.n; i++) {
        BoxDim d = box_get(&ck->bs, b, i);
        if (dim_is_full(&ck->bs, i, &d)) continue;
        const Dim *dm = ck->dims.items[i];
        json_t *v = json_array();
        if (ck->bs.kind[i] == DIM_INT) {
            json_array_append_new(v, d.lo == INT64_MIN ? json_null() : json_integer(d.lo));
            json_array_append_new(v, d.hi == INT64_MAX ? json_null() : json_integer(d.hi));
        } else {
            /* the shorter side: the values in the box, or {"not": [the values outside it]}
               ("every country but none" is one value, not 250) */
            int card = ck->bs.card[i], in = 0;
            for (int o = 0; o < card; o++) in += (int)((d.bits[o >> 6] >> (o & 63)) & 1);
            bool neg = dm->role != DK_ATOM && in > card - in;
            char b1[32];
            for (int o = 0; o < card; o++)
                if ((int)((d.bits[o >> 6] >> (o & 63)) & 1) != neg)
                    json_array_append_new(v, dm->role == DK_ATOM ? json_boolean(o) : json_string(ord_name(dm->type, o, b1, sizeof b1)));
            if (neg) {
                json_t *x = json_object();
                json_object_set_new(x, "not", v);
                v = x;
            }
        }
        json_object_set_new(obj, dm->role == DK_ATOM || dm->role == DK_TERM ? atom_id(ck, dm) : dm->key + 2, v);
    }
    return obj;
}

/* ---- witnesses ------------------------------------------------------------------------ */

static void pool_hash(Ck *ck);
static void pool_build(Ck *ck) {
    if (ck->pool_ready) return;
    ck->pool_ready = true;
    Value *d = arena_alloc(&ck->P, sizeof *d);
    Type ct = {.kind = TY_RECORD, .rec = ck->voc->case_rec};
    *d = value_default(&ck->P, &ct);
    ptrvec_push(&ck->P, &ck->pool, d);
    for (int i = 0; i < ck->nags; i++)
        for (size_t j = 0; j < ck->ags[i]->examples.len; j++) {
            IrExample *ex = ck->ags[i]->examples.items[j];
            ptrvec_push(&ck->P, &ck->pool, &ex->kase);
        }
    GenOptions go = {.seed = 5, .count = POOL_GENERATED};
    Generator *g = gen_new(ck->voc, ck->ags, ck->nags, &go);
    for (int i = 0; i < POOL_GENERATED; i++) {
        Value *v = arena_alloc(&ck->P, sizeof *v);
        *v = gen_next(g, &ck->P, NULL, 0);
        ptrvec_push(&ck->P, &ck->pool, v);
    }
    gen_free(g);
    pool_hash(ck);
}

/* Copy the records on a path so that the field can be set without touching the base. */
static void set_path(Arena *a, Value *kase, const Dim *d, Value v) {
    Value *rec = kase;
    for (int i = 0; i < d->npath; i++) {
        Value *items = arena_alloc_raw(a, sizeof *items * rec->agg.n); /* copied whole below */
        memcpy(items, rec->agg.items, sizeof *items * rec->agg.n);
        rec->agg.items = items;
        if (i + 1 == d->npath) items[d->path[i]] = v;
        else rec = &items[d->path[i]];
    }
}

static const Value *get_path(const Value *kase, const Dim *d) {
    const Value *v = kase;
    for (int i = 0; i < d->npath; i++) v = &v->agg.items[d->path[i]];
    return v;
}

static Value ord_value(const Type *t, int64_t o) {
    Value v;
    memset(&v, 0, sizeof v);
    v.kind = t->kind;
    if (t->kind == TY_BOOL) v.b = o != 0;
    else v.i = o;
    return v;
}

/* A value of dimension d in box b, as near the base value as possible
 * (the base itself when it lies in b; else the nearest bound, a boundary of the region). */
static int64_t pick(Ck *ck, int i, const BoxDim *d0, int64_t base, int nth) {
    BoxDim dd = *d0, *d = &dd;
    if (ck->bs.kind[i] == DIM_INT) {
        /* a case holds calendar dates (0001-01-01 .. 9999-12-31) and durations >= 0 */
        const Dim *dm = ck->dims.items[i];
        int64_t lo = dm->type->kind == TY_DATE ? acc_date_from_ymd(1, 1, 1) : (dm->type->kind == TY_INT ? INT64_MIN : 0);
        int64_t hi = dm->type->kind == TY_DATE ? acc_date_from_ymd(9999, 12, 31) : INT64_MAX;
        if (d->lo < lo) d->lo = lo;
        if (d->hi > hi) d->hi = hi;
        if (d->lo > d->hi) return base;
        if (nth == 0 && base >= d->lo && base <= d->hi) return base;
        if (d->lo != INT64_MIN && (nth % 2 == 0 || d->hi == INT64_MAX)) return d->lo;
        return d->hi;
    }
    if (nth == 0 && base >= 0 && base < 256 && ((d->bits[base >> 6] >> (base & 63)) & 1)) return base;
    int seen = 0, first = -1;
    for (int o = 0; o < ck->bs.card[i]; o++)
        if ((d->bits[o >> 6] >> (o & 63)) & 1) {
            if (first < 0) first = o;
            if (seen++ == nth) return o;
        }
    return first;
}

/* ---- replays, remembered -------------------------------------------------------------
 * The candidates of one question are searched on the same base cases, and
 * their regions mostly fix the same facts (the scope's), differing in atoms
 * the search cannot set: nine replays in ten repeat a case already asked.
 * Outcomes are remembered per unit by a 128-bit hash of (interpreter,
 * question, case, arguments).  A remembered outcome may reject a case, but
 * never confirms a finding: the rep functions ask the interpreter again
 * before they accept (so a hash collision could cost a witness, never add
 * a finding). */

typedef struct Memo {
    uint64_t h1, h2;     /* h1 == 0: free */
    Outcome o;
} Memo;

#define MEMO_MAX (1u << 16) /* outcomes remembered per unit, at most */

/* Two independent hashes of a value in one walk (FNV-1a-like steps with two multipliers). */
static void mix(uint64_t h[2], uint64_t x) {
    h[0] = (h[0] ^ x) * 0x100000001B3u;
    h[1] = (h[1] ^ x) * 0xC2B2AE3D27D4EB4Fu;
}

static void value_hash(const Value *v, uint64_t h[2]) {
    mix(h, (uint64_t)v->kind);
    switch (v->kind) {
    case TY_BOOL: mix(h, v->b); return;
    case TY_RATIO: case TY_PERCENT: case TY_MONEY: case TY_EXACT_MONEY:
        mix(h, v->cur);
        mix(h, (uint64_t)v->q.num);
        mix(h, (uint64_t)v->q.den);
        return;
    case TY_SET:
        for (int w = 0; w < 4; w++) mix(h, v->bits[w]);
        return;
    case TY_LIST: case TY_RECORD:
        mix(h, v->agg.n);
        for (uint32_t i = 0; i < v->agg.n; i++) {
            /* a record's scalars here, the same steps as below without a
               call each (every replay hashes its case) */
            const Value *x = &v->agg.items[i];
            switch (x->kind) {
            case TY_INT: case TY_DATE: case TY_DAYS: case TY_MONTHS: case TY_COUNTRY: case TY_ENUM:
                mix(h, (uint64_t)x->kind);
                mix(h, (uint64_t)x->i);
                break;
            case TY_BOOL:
                mix(h, (uint64_t)x->kind);
                mix(h, x->b);
                break;
            default: value_hash(x, h);
            }
        }
        return;
    default: mix(h, (uint64_t)v->i); return;
    }
}

/* The bases' hashes, the start of each key (find_witness). */
static void pool_hash(Ck *ck) {
    ck->pool_h = arena_alloc(&ck->P, sizeof *ck->pool_h * 2 * (ck->pool.len ? ck->pool.len : 1));
    for (size_t p = 0; p < ck->pool.len; p++) {
        uint64_t h[2] = {0xcbf29ce484222325u, 0x9E3779B97F4A7C15u};
        value_hash(ck->pool.items[p], h);
        ck->pool_h[2 * p] = h[0];
        ck->pool_h[2 * p + 1] = h[1];
    }
}

/* interp_ask, remembered: *remembered says whether the outcome came from the memo. */
static Outcome ck_ask(Ck *ck, Interp *in, const Value *k, const IrQuestion *q, const Value *args, bool *remembered) {
    *remembered = false;
    /* an answer that is a list or a record points into the interpreter's memory: not kept */
    if (q->type->kind == TY_LIST || q->type->kind == TY_RECORD) return interp_ask(in, k, q, args);
    uint64_t h[2] = {0xcbf29ce484222325u, 0x9E3779B97F4A7C15u};
    mix(h, (uint64_t)(uintptr_t)in);
    mix(h, (uint64_t)(uintptr_t)q);
    /* a keyed case by its key (another family of hashes than value_hash's:
       the same case keyed and not is remembered twice, never confused) */
    if (k == ck->keyed) {
        mix(h, 0x6b657965645f6b79u);
        mix(h, ck->key[0]);
        mix(h, ck->key[1]);
    } else {
        value_hash(k, h);
    }
    for (int i = 0; i < q->nparams; i++) value_hash(&args[i], h);
    uint64_t h1 = h[0] | 1, h2 = h[1];
    if (ck->memo_cap) {
        for (size_t i = h1 & (ck->memo_cap - 1);; i = (i + 1) & (ck->memo_cap - 1)) {
            Memo *e = &ck->memo[i];
            if (!e->h1) break;
            if (e->h1 == h1 && e->h2 == h2) {
                *remembered = true;
                return e->o;
            }
        }
    }
    Outcome o = interp_ask(in, k, q, args);
    if (ck->memo_n >= MEMO_MAX) return o;
    if ((ck->memo_n + 1) * 2 > ck->memo_cap) {
        size_t cap = ck->memo_cap ? ck->memo_cap * 2 : 1024;
        Memo *nm = arena_alloc(&ck->A, sizeof *nm * cap);
        for (size_t j = 0; j < ck->memo_cap; j++) {
            if (!ck->memo[j].h1) continue;
            size_t i = ck->memo[j].h1 & (cap - 1);
            while (nm[i].h1) i = (i + 1) & (cap - 1);
            nm[i] = ck->memo[j];
        }
        ck->memo = nm;
        ck->memo_cap = cap;
    }
    size_t i = h1 & (ck->memo_cap - 1);
    while (ck->memo[i].h1) i = (i + 1) & (ck->memo_cap - 1);
    ck->memo[i] = (Memo){h1, h2, o};
    ck->memo_n++;
    return o;
}

typedef bool (*Reproduce)(Ck *ck, const Value *kase, const Value *args, void *ctx);

/* Whether case k with arguments a reproduces the finding; then the witness
 * is what is printed: a valid case in the JSON format (SPEC §12.1), read
 * back and replayed again, in *kase and args (it outlives scratch arenas). */
static bool confirm(Ck *ck, const Value *k, const Value *a, Reproduce rep, void *ctx, Value *kase, Value *args) {
    ck->replays++;
    if (!rep(ck, k, a, ctx)) return false;
    json_t *j = case_to_json(ck->voc, k, "witness", false);
    Value kv;
    const char *id;
    CaseError err;
    bool valid = case_from_json(ck->voc, &ck->A, j, &kv, &id, &err);
    json_decref(j);
    /* replayed again unless it came back identical (the replay is
       deterministic: the same case has the same outcome) */
    if (!valid || (!value_identical(&kv, k) && !rep(ck, &kv, a, ctx))) return false;
    *kase = kv;
    memcpy(args, a, sizeof(Value) * 8);
    return true;
}

/* The dimensions find_witness sets in box b: the fields b does not leave
 * full and the arguments of q, in the order of the dimensions (the order
 * the key is mixed in).  Found once a search, not once a replay. */
typedef struct WitDim {
    int i;
    BoxDim d;
} WitDim;

static int witness_dims(Ck *ck, const Box *b, const IrQuestion *q, Arena *A, WitDim **out) {
    int nargs = q ? q->nparams : 0, n = 0;
    size_t qlen = q ? strlen(q->name) : 0;
    WitDim *w = arena_alloc_raw(A, sizeof *w * (size_t)(ck->bs.n ? ck->bs.n : 1));
    for (int i = 0; i < ck->bs.n; i++) {
        const Dim *dm = ck->dims.items[i];
        BoxDim d = box_get(&ck->bs, b, i);
        if (dm->role == DK_FIELD) {
            if (dim_is_full(&ck->bs, i, &d)) continue;
        } else if (!(dm->role == DK_ARG && q && dm->arg < nargs && !strncmp(dm->key + 2, q->name, qlen) &&
                     dm->key[2 + qlen] == ':')) {
            continue;
        }
        w[n].i = i;
        w[n++].d = d;
    }
    *out = w;
    return n;
}

/* Search a case in box b (and arguments of q) for which rep() holds. */
static bool find_witness(Ck *ck, const Box *b, const IrQuestion *q, Reproduce rep, void *ctx, Value *kase, Value *args,
                         int *budget, long *pos) {
    pool_build(ck);
    Arena scratch = {0};
    bool found = false;
    WitDim *w = NULL;
    int nw = 0, ndims = -1;
    /* *pos: the cases already tried in this box (variant by variant, base by base) */
    for (; *pos < 3 * (long)ck->pool.len && !found && *budget > 0; (*pos)++) {
        /* found again only if a replay added dimensions (it does not: a guard) */
        if (ndims != ck->bs.n) {
            nw = witness_dims(ck, b, q, &scratch, &w);
            ndims = ck->bs.n;
        }
        int variant = (int)(*pos / (long)ck->pool.len);
        size_t p = (size_t)(*pos % (long)ck->pool.len);
            Value k = *(const Value *)ck->pool.items[p];
            Value a[8];
            memset(a, 0, sizeof a);
            /* the key of k: its base, then each value set on it (by dimension) */
            uint64_t key[2] = {ck->pool_h[2 * p], ck->pool_h[2 * p + 1]};
            for (int j = 0; j < nw; j++) {
                int i = w[j].i;
                const Dim *dm = ck->dims.items[i];
                if (dm->role == DK_FIELD) {
                    const Value *cur = get_path(&k, dm);
                    int64_t base = cur->kind == TY_BOOL ? cur->b : cur->i;
                    int64_t v = pick(ck, i, &w[j].d, base, variant);
                    if (v != base) {
                        set_path(&scratch, &k, dm, ord_value(dm->type, v));
                        mix(key, (uint64_t)i);
                        mix(key, (uint64_t)v);
                    }
                } else {
                    /* arguments: vary over the pool so that several are tried */
                    int64_t v = pick(ck, i, &w[j].d, -1, (int)((p + (size_t)variant) % 4));
                    a[dm->arg] = ord_value(dm->type, v);
                }
            }
            (*budget)--;
            ck->keyed = &k;
            ck->key[0] = key[0];
            ck->key[1] = key[1];
            found = confirm(ck, &k, a, rep, ctx, kase, args);
            ck->keyed = NULL;
        }
    arena_free_all(&scratch);
    return found;
}

/* ---- findings ------------------------------------------------------------------------- */

static json_t *args_json(const IrQuestion *q, const Value *args) {
    json_t *a = json_array();
    for (int i = 0; q && i < q->nparams; i++) json_array_append_new(a, value_to_json(&args[i], q->ptypes[i]));
    return a;
}

static json_t *rule_json(Ck *ck, const IrAgreement *ag, const IrRule *r) {
    json_t *o = json_object();
    json_object_set_new(o, "agreement", json_string(ag->id));
    char lb[32];
    if (!r->label) snprintf(lb, sizeof lb, "r%d", r->id);
    json_object_set_new(o, "rule", json_string(r->label ? r->label : lb));
    json_object_set_new(o, "cite", json_string(r->cite ? r->cite : ""));
    json_object_set_new(o, "file", json_string(ag->path ? ag->path : ""));
    json_object_set_new(o, "line", json_integer(span_line(ck, ag, r->span)));
    return o;
}

static json_t *outcome_answer(const IrAgreement *ag, const IrQuestion *q, const Outcome *o) {
    json_t *x = json_object();
    json_object_set_new(x, "agreement", json_string(ag->id));
    json_object_set_new(x, "outcome", json_string(ir_outcome_name(o->kind)));
    char cites[512];
    if (o->kind == OUT_DECIDED) {
        json_object_set_new(x, "value", value_to_json(&o->value, q->type));
        outcome_cites(o, cites, sizeof cites);
        json_object_set_new(x, "cite", json_string(cites));
    } else if (o->kind == OUT_CONFLICT) {
        json_t *v = json_array();
        for (int i = 0; i < 2; i++) json_array_append_new(v, value_to_json(&o->values[i], q->type));
        json_object_set_new(x, "values", v);
        outcome_cites(o, cites, sizeof cites);
        json_object_set_new(x, "cite", json_string(cites));
    } else if (o->reason[0]) {
        json_object_set_new(x, "reason", json_string(o->reason));
    }
    return x;
}

typedef struct Finding {
    const char *kind;
    const IrAgreement *ag, *other;
    const IrQuestion *q;
    const IrRule *rules[MAX_RES_RULES * 2];
    const IrAgreement *rule_ag[MAX_RES_RULES * 2];
    int nrules;
    const char *region;      /* when not from boxes */
    BoxSet boxes;
    bool exact;              /* the region is exact (no atom, constant values) */
    bool pairwise;           /* a candidate of the pairwise fallback: a quarter of the budget */
    bool search_only;        /* a search for a witness (a quarter of the budget), not a candidate region:
                                nothing is listed as unconfirmed when none is found */
    bool spread;             /* the budget shared by the boxes, not spent on the first (equal treatment) */
    const Region *cells;     /* the region as cells (region_for_report), or NULL */
} Finding;

/* Reported regions of more boxes than this are given by the boxes of their
 * cells before the cut (box.h): an over-approximation, said in words. */
#define REPORT_BOXES 64
/* A region with atoms (an over-approximation already: SPEC §13.3) is
 * printed so past this many boxes, once its witness search is done on all
 * of them: its boxes are other combinations of the atoms, which a drafter
 * cannot read by the dozen (the EU's regions: thousands of lines each). */
#define PRINT_BOXES_ATOMS 16
/* ... and an unconfirmed candidate (no case found in it) past this many */
#define PRINT_BOXES_UNCONFIRMED 4

/* f->boxes for region r.  The partition is complete when this is called,
 * and each reported region gets the box budget anew.  A region that needs
 * more than REPORT_BOXES boxes (or than the budget) is given by its cells'
 * boxes before the cases where a rule of precedence applies are taken out,
 * or, when those too are more than REPORT_BOXES, by the smallest box that
 * holds them (so it holds every case of the region, and more): not exact,
 * and the words say so; the witness replayed decides what is reported. */
/* The boxes of r's cells before the cut, joined, or (more than max) the
 * smallest box holding them: every case of r, and more. */
static BoxSet coarse_boxes(Ck *ck, const Region *r, int max, bool *hull) {
    BoxSet out = {0};
    for (int i = 0; i < r->n; i++) {
        bool dup = false;
        for (int j = 0; j < out.n && !dup; j++) dup = out.b[j] == r->c[i].pos;
        if (!dup) boxset_add(&ck->bs, &out, r->c[i].pos);
    }
    /* joining boxes that differ in one dimension keeps their union, overlapping or not */
    boxset_merge(&ck->bs, &out);
    *hull = out.n > max;
    if (*hull) out = boxset_one(&ck->bs, boxset_hull(&ck->bs, &out));
    return out;
}

static void region_for_report(Ck *ck, const Region *r, Finding *f) {
    ck->bs.allocated = ck->bs.meets = 0;
    ck->bs.over = false;
    f->cells = r;
    bool ok = region_boxes(&ck->bs, r, REPORT_BOXES, &f->boxes);
    ck->bs.over = false;
    if (ok) return;
    bool hull;
    f->boxes = coarse_boxes(ck, r, REPORT_BOXES, &hull);
    f->exact = false;
    f->region = arena_printf(&ck->A, "(over-approximated: the exact region, these cases minus those where a rule that "
                                     "takes precedence applies, needs more than %d boxes%s)", REPORT_BOXES,
                             hull ? "; this is the smallest box holding it" : "");
}

static void finding_rules_from(Finding *f, const IrAgreement *ag, const Res *r) {
    for (int i = 0; r && i < r->nrules && f->nrules < MAX_RES_RULES * 2; i++) {
        f->rule_ag[f->nrules] = ag;
        f->rules[f->nrules++] = r->rules[i];
    }
}

/* ---- acknowledgements (SPEC §13.5) ------------------------------------------------------ */

/* `by`: the finding names rules of ag, and every one of them is listed. */
static bool ack_rules_match(const IrAck *a, const Finding *f, const IrAgreement *ag) {
    if (!a->rules) return true;
    int mine = 0;
    for (int i = 0; i < f->nrules; i++) {
        if (f->rule_ag[i] != ag) continue;
        mine++;
        bool listed = false;
        for (int k = 0; k < a->nrules && !listed; k++) listed = a->rules[k] == f->rules[i];
        if (!listed) return false;
    }
    return mine > 0;
}

/* `where`: every box of the finding lies inside the condition's region (a
 * sub-condition that is not a box is the same atom as in the rules: a box
 * of the finding that leaves it free is not inside). */
static bool ack_region_covers(Ck *ck, const IrAck *a, const IrAgreement *ag, const Finding *f) {
    if (!a->where) return true;
    const IrQuestion *q = f->q ? ir_question(ag, f->q->name) : NULL;
    Tx t = {ck, ag, q, q != NULL, NULL};
    BoxSet w = tx(&t, a->where);
    BoxSet out = boxset_sub(&ck->bs, &f->boxes, &w);
    return boxset_empty(&out) && !ck->bs.over;
}

static void ack_mark_used(Ck *ck, const IrAck *a) {
    for (size_t i = 0; i < ck->acks_used.len; i++)
        if (ck->acks_used.items[i] == a) return;
    ptrvec_push(&ck->P, &ck->acks_used, (void *)a);
}

/* The first acknowledgement of ag (for a finding between agreements, of
 * either) that covers f; every one that covers it is marked used. */
static const IrAck *find_ack_in(Ck *ck, const IrAgreement *ag, const IrAgreement *other, const Finding *f) {
    const IrAck *found = NULL;
    for (size_t i = 0; ag && i < ag->acks.len; i++) {
        const IrAck *a = ag->acks.items[i];
        if (strcmp(a->kind, f->kind) || strcmp(a->question, f->q ? f->q->name : "")) continue;
        if (a->other && (!other || strcmp(a->other, other->id))) continue;
        if (!ack_rules_match(a, f, ag) || !ack_region_covers(ck, a, ag, f)) continue;
        ack_mark_used(ck, a);
        if (!found) found = a;
    }
    return found;
}

static const IrAck *find_ack(Ck *ck, const Finding *f) {
    const IrAck *a = find_ack_in(ck, f->ag, f->other, f);
    const IrAck *b = f->other ? find_ack_in(ck, f->other, f->ag, f) : NULL;
    return a ? a : b;
}

static bool box_has_atom(Ck *ck, const Box *b) {
    for (int i = 0; i < ck->bs.n; i++) {
        const Dim *dm = ck->dims.items[i];
        if (dm->role != DK_ATOM && dm->role != DK_TERM) continue;
        BoxDim d = box_get(&ck->bs, b, i);
        if (!dim_is_full(&ck->bs, i, &d)) return true;
    }
    return false;
}

/* Between agreements: the first rule of each agreement in f, else NULL. */
static void between_rules(const Finding *f, const IrRule **a, const IrRule **b) {
    *a = *b = NULL;
    if (strcmp(f->kind, "between_agreements") || !f->other) return;
    for (int i = 0; i < f->nrules; i++) {
        if (!*a && f->rule_ag[i] == f->ag) *a = f->rules[i];
        if (!*b && f->rule_ag[i] == f->other) *b = f->rules[i];
    }
}

/* Z3 (smt.h) on a region the witness search could not confirm: its boxes
 * (each with its atoms' IR) SMT_GROUP at a time, as one disjunction per
 * query (smt.h SMT_BOX).  1: a model replays
 * (the witness in *kase, args); -1: every box proved empty (SPEC §13.3);
 * 0: neither.  A dimension Z3 is not told about (an argument of another
 * question) only widens the query: its answers stay sound. */
/* The outcome f stands for, beyond its boxes (a hull may hold cases out of
 * scope or where an exception decides): for a conflict (of one agreement
 * or between two) its two rules decide (smt.h) with different values; the scopes
 * hold; between agreements the engine selects both (smt.h).  Each is
 * necessary for the replay to reproduce f, so an
 * unsatisfiable query still proves the candidate empty.  Returns the
 * number of facts written (at most 7). */
static int smt_outcome(const Finding *f, SmtFact *x) {
    const IrRule *a = NULL, *b = NULL;
    const IrAgreement *aa = f->ag, *ab = f->other ? f->other : f->ag;
    int n = 0;
    bool pair = !strcmp(f->kind, "conflict") || !strcmp(f->kind, "two_legislations");
    if (pair && f->nrules >= 2) {
        a = f->rules[0];
        b = f->rules[1];
    } else {
        between_rules(f, &a, &b);
    }
    memset(x, 0, sizeof *x * 7);
    if (a && b) {
        x[n++] = (SmtFact){.kind = SMT_DECIDES, .rule = a, .ag = aa};
        x[n++] = (SmtFact){.kind = SMT_DECIDES, .rule = b, .ag = ab};
        x[n++] = (SmtFact){.kind = SMT_DIFFER, .rule = a, .ag = aa, .rule2 = b, .ag2 = ab};
    }

    x[n++] = (SmtFact){.kind = SMT_SCOPE, .ag = f->ag};
    if (f->other) x[n++] = (SmtFact){.kind = SMT_SCOPE, .ag = f->other};
    if (!strcmp(f->kind, "between_agreements") && f->other) { /* replayed by the engine (SPEC §12.2) */
        x[n++] = (SmtFact){.kind = SMT_SELECTED, .ag = f->ag};
        x[n++] = (SmtFact){.kind = SMT_SELECTED, .ag = f->other};
    }
    return n;
}

/* A term's interval for Z3: x == lo, or x >= lo and/or x <= hi, as the
 * comparisons of a constant the atoms of the fragment are (SPEC §13.3). */
static IrExpr *term_cmp(Ck *ck, const Dim *dm, IrOp op, int64_t k) {
    IrExpr *c = arena_alloc(&ck->A, sizeof *c), *e = arena_alloc(&ck->A, sizeof *e);
    memset(c, 0, sizeof *c);
    c->kind = IR_CONST;
    c->type = dm->expr->type;
    c->span = dm->expr->span;
    c->cval.kind = dm->expr->type->kind;
    c->cval.i = k;
    *e = *dm->cmp;
    e->op = op;
    e->a = (IrExpr *)dm->expr;
    e->b = c;
    return e;
}
/* Returns the number of facts written (at most 2). */
static int term_facts(Ck *ck, const Dim *dm, const BoxDim *d, SmtFact *x) {
    int n = 0;
    if (d->lo == d->hi) {
        x[n++] = (SmtFact){.kind = SMT_ATOM, .expr = term_cmp(ck, dm, IOP_EQ, d->lo), .ag = dm->ag, .q = dm->q, .truth = true};
        return n;
    }
    if (d->lo != INT64_MIN)
        x[n++] = (SmtFact){.kind = SMT_ATOM, .expr = term_cmp(ck, dm, IOP_GE, d->lo), .ag = dm->ag, .q = dm->q, .truth = true};
    if (d->hi != INT64_MAX)
        x[n++] = (SmtFact){.kind = SMT_ATOM, .expr = term_cmp(ck, dm, IOP_LE, d->hi), .ag = dm->ag, .q = dm->q, .truth = true};
    return n;
}

/* What a model of f's query that does not replay is refined with: between
 * agreements, each agreement's rule decides alone (smt.h SMT_ALONE: a
 * sibling of its priority answering another value would make its answer a
 * conflict), which the query leaves out: it costs encoding every such
 * sibling, for the few models that need it.  Returns the number written. */
static bool pair_conflicted(const void *ctx);
static int smt_refinement(const Finding *f, SmtFact *x, const void *ctx) {
    const IrRule *a, *b;
    between_rules(f, &a, &b);
    if (!a || !b) return 0;
    /* between agreements ctx is the pair (check_between): only a replay
       where an agreement answered with a conflict is what SMT_ALONE excludes */
    if (!pair_conflicted(ctx)) return 0;
    memset(x, 0, sizeof *x * 2);
    x[0] = (SmtFact){.kind = SMT_ALONE, .rule = a, .ag = f->ag};
    x[1] = (SmtFact){.kind = SMT_ALONE, .rule = b, .ag = f->other};
    return 2;
}

/* The facts of box b of f's region (its constrained dimensions, atoms
 * with the IR they stand for) from facts[0]; returns how many (at most
 * 2 per dimension: a term's two bounds). */
static int box_facts(Ck *ck, const Finding *f, const Box *b, SmtFact *facts) {
    int n = 0;
    for (int i = 0; i < ck->bs.n; i++) {
        const Dim *dm = ck->dims.items[i];
        BoxDim d = box_get(&ck->bs, b, i);
        if (dim_is_full(&ck->bs, i, &d)) continue;
        SmtFact *x = &facts[n];
        memset(x, 0, sizeof *x);
        if (dm->role == DK_ATOM) {
            x->kind = SMT_ATOM;
            x->expr = dm->expr;
            x->ag = dm->ag;
            x->q = dm->q;
            x->truth = (d.bits[0] >> 1) & 1;
        } else if (dm->role == DK_TERM) {
            /* its interval as comparisons with constants (one when it is one value) */
            n += term_facts(ck, dm, &d, x) - 1;
        } else {
            if (dm->role == DK_ARG && (!f->q || strncmp(dm->key + 2, f->q->name, strlen(f->q->name)) ||
                                       dm->key[2 + strlen(f->q->name)] != ':'))
                continue;
            x->kind = dm->role == DK_ARG ? SMT_ARG : SMT_FIELD;
            x->type = dm->type;
            x->path = dm->path;
            x->npath = dm->npath;
            x->arg = dm->arg;
            x->is_set = ck->bs.kind[i] == DIM_SET;
            memcpy(x->bits, d.bits, sizeof x->bits);
            x->lo = d.lo;
            x->hi = d.hi;
        }
        n++;
    }
    return n;
}

#define SMT_RLIMIT 2000000
#define SMT_QUERIES 600
#define SMT_BASES 4
#define SMT_GROUP 16
#define SMT_ROUNDS 3
#define SMT_EXCLUDE 8
/* The rules the last replay (of rep, on ctx) answered with that f does not
 * name, as facts that they do not apply (at most SMT_EXCLUDE). */
static int replay_outcomes(Reproduce rep, const void *ctx, const Outcome **o, const IrAgreement **ag);
/* An exclusion already stated in an earlier round of the same query is not
 * stated again: the solver keeps it (smt_refine), and stating it again
 * would only ask for the model Z3 gave (a rule the query encodes only in
 * part can answer again).  done[0..*ndone) holds the rounds' facts. */
static int smt_exclusions(const Finding *f, Reproduce rep, const void *ctx, SmtFact *x, SmtFact *done, int *ndone) {
    const Outcome *o[2];
    const IrAgreement *ag[2];
    int no = replay_outcomes(rep, ctx, o, ag), n = 0;
    for (int k = 0; k < no; k++)
        for (int i = 0; i < o[k]->nrules && n < SMT_EXCLUDE; i++) {
            const IrRule *r = o[k]->rules[i];
            bool named = false;
            for (int j = 0; j < f->nrules && !named; j++) named = f->rules[j] == r;
            for (int j = 0; j < *ndone && !named; j++) named = done[j].rule == r && done[j].ag == ag[k];
            if (named) continue;
            x[n++] = (SmtFact){.kind = SMT_RULE, .rule = r, .ag = ag[k], .truth = false};
            done[(*ndone)++] = x[n - 1];
        }
    return n;
}
/* SMT_MODELS: the model that did not replay (on the first base) and the
 * outcomes its replay gave, on stderr: why a candidate stays unconfirmed
 * (bench/README.md). */
static void smt_model_dump(Ck *ck, const Finding *f, Reproduce rep, const void *ctx) {
    Value k, a[8];
    memset(a, 0, sizeof a);
    if (!ck->pool.len || !smt_case(ck->smt, ck->pool.items[0], &ck->A, &k, a)) return;
    json_t *j = case_to_json(ck->voc, &k, "model", false);
    char *t = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    fprintf(stderr, "  %s %s (%s): model %s\n", f->kind, f->ag->id, f->other ? f->other->id : "", t ? t : "?");
    free(t);
    json_decref(j);
    for (int i = 0; f->q && i < f->q->nparams && i < 8; i++) fprintf(stderr, "  arg %d = %lld\n", i, (long long)a[i].i);
    const Outcome *o[2];
    const IrAgreement *ag[2];
    int no = replay_outcomes(rep, ctx, o, ag);
    for (int i = 0; i < no; i++) {
        fprintf(stderr, "  %s: outcome %d (%s)", ag[i]->id, (int)o[i]->kind, o[i]->reason);
        for (int r = 0; r < o[i]->nrules; r++) fprintf(stderr, " %s", o[i]->rules[r]->label ? o[i]->rules[r]->label : "?");
        fprintf(stderr, "\n");
    }
}
/* One query of f's region (facts[0..n)): 1 its model (or a refined one)
 * replays, into *kase and args; -1 proved empty; 0 no answer (*why); 2 a
 * model that does not replay, after the refinement rounds (*why). */
static int smt_group(Ck *ck, const Finding *f, Reproduce rep, void *ctx, const SmtFact *facts, int n, Value *kase, Value *args,
                     const char **why) {
    SmtAnswer r = smt_solve(ck->smt, facts, n, f->q);
    if (r == SMT_EMPTY) return -1;
    if (r == SMT_UNKNOWN) {
        *why = smt_why(ck->smt);
        return 0;
    }
    /* the model fixes what the region reads; the rest from a few witness
       bases.  A model that does not replay is refined (never a proof):
       the first time with the ALONE facts (between agreements, when the
       model's replay gave a conflict in an agreement), and up to SMT_ROUNDS
       times with the rules its replay answered with that f does not name:
       they do not apply (a rule of the other agreement, or another rule,
       deciding where the query left it free) */
    SmtFact more[2 + SMT_EXCLUDE], done[SMT_ROUNDS * SMT_EXCLUDE];
    int nmore = 0, ndone = 0;
    for (int round = 0;; round++) {
        for (size_t p = 0; p < ck->pool.len && p < SMT_BASES; p++) {
            Value k, a[8];
            memset(a, 0, sizeof a);
            if (smt_case(ck->smt, ck->pool.items[p], &ck->A, &k, a) && confirm(ck, &k, a, rep, ctx, kase, args)) {
                if (getenv("SMT_PROFILE")) fprintf(stderr, "smt query %ld: its model replays (round %d)\n", smt_stats(ck->smt).queries, round);
                return 1;
            }
        }
        /* SMT_PROFILE: which rounds confirm anything (bench/README.md) */
        if (getenv("SMT_PROFILE")) fprintf(stderr, "smt query %ld: its model does not replay (round %d)\n", smt_stats(ck->smt).queries, round);
        if (getenv("SMT_MODELS")) smt_model_dump(ck, f, rep, ctx);
        if (round == SMT_ROUNDS) break;
        /* the ALONE facts after the model's own replay (its outcomes
           say whether an agreement answered with a conflict) */
        if (round == 0) nmore = smt_refinement(f, more, ctx);
        nmore += smt_exclusions(f, rep, ctx, more + nmore, done, &ndone);
        if (!nmore || smt_refine(ck->smt, more, nmore) != SMT_SAT) break;
        nmore = 0;
    }
    *why = "Z3 found a case in the region, but it does not reproduce the finding (a computed value equal, or another rule deciding)";
    return 2;
}

static int smt_region(Ck *ck, const Finding *f, Reproduce rep, void *ctx, Value *kase, Value *args, const char **why) {
    if (ck->no_z3) {
        *why = "Z3 not asked (--no-z3)";
        return 0;
    }
    if (!ck->smt) {
        ck->smt = smt_new(ck->voc, SMT_RLIMIT, SMT_QUERIES);
        smt_thorough(ck->smt, ck->thorough);
    }
    pool_build(ck);
    bool empty = f->boxes.n > 0;
    /* the boxes go to Z3 SMT_GROUP at a time, as one disjunction (smt.h SMT_BOX) */
    SmtFact *facts = arena_alloc(&ck->A, sizeof *facts * (size_t)((2 * ck->bs.n + 1) * SMT_GROUP + 8)); /* a term: two bounds */
    int nout = smt_outcome(f, facts);
    for (int b0 = 0; b0 < f->boxes.n; b0 += SMT_GROUP) {
        int n = nout;
        for (int bi = b0; bi < f->boxes.n && bi < b0 + SMT_GROUP; bi++) {
            facts[n++] = (SmtFact){.kind = SMT_BOX};
            n += box_facts(ck, f, f->boxes.b[bi], facts + n);
        }
        int r = smt_group(ck, f, rep, ctx, facts, n, kase, args, why);
        if (r == 2 && ck->thorough && smt_calendared(ck->smt)) {
            /* its model does not replay, and the query left a calendar
               function out: asked again with them (smt.h smt_calendar; a
               posting's months, mostly), which may give a model that
               replays, or a proof; only with --thorough, it costs about a
               third of the run's time */
            smt_calendar(ck->smt, true);
            r = smt_group(ck, f, rep, ctx, facts, n, kase, args, why);
            smt_calendar(ck->smt, false);
        }
        if (r == -1) continue;
        empty = false;
        /* no answer: the region cannot be refuted any more, the budget goes to other regions */
        return r == 1;
    }
    return empty ? -1 : 0;
}

/* The witness search on f's boxes, in order, the budget going on to the next box. */
static bool search_boxes(Ck *ck, Finding *f, Reproduce rep, void *ctx, Value *kase, Value *args, int budget) {
    bool found = false;
    for (int i = 0; i < f->boxes.n && !found && budget > 0; i++) {
        long pos = 0;
        /* spread: each box its share, what it leaves going on (the scope of
           an equal-treatment search is many boxes, the witness in any) */
        int share = f->spread ? budget / (f->boxes.n - i) : budget;
        if (share < 1) share = 1;
        int left = budget - share;
        found = find_witness(ck, f->boxes.b[i], f->q, rep, ctx, kase, args, &share, &pos);
        budget = left + share;
    }
    return found;
}

/* Report f: search a witness in its boxes; with one, a finding (with the
 * answers of the witness as `answers`), else an unconfirmed region. */
static bool report(Ck *ck, Finding *f, Reproduce rep, void *ctx, json_t *(*answers)(Ck *, void *, const Value *, const Value *)) {
    boxset_merge(&ck->bs, &f->boxes);
    int budget = f->search_only || f->pairwise ? ck->budget / 4 : ck->budget;
    Value kase, args[8];
    bool found = false;
    if (f->boxes.n == 0 && !f->region) return false;
    /* the budget spread over the boxes (a witness is often in a later box:
       another combination of atoms), what a box leaves going to the next */
    found = search_boxes(ck, f, rep, ctx, &kase, args, budget);
    if (!f->boxes.n) {
        long pos = 0;
        found = find_witness(ck, box_full(&ck->bs), f->q, rep, ctx, &kase, args, &budget, &pos);
    }
    if (!found && f->search_only) return false;
    const char *zwhy = NULL;
    int smt = found ? 0 : smt_region(ck, f, rep, ctx, &kase, args, &zwhy);
    found |= smt == 1;
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(f->kind));
    json_object_set_new(o, "agreement", json_string(f->ag->id));
    json_object_set_new(o, "file", json_string(f->ag->path ? f->ag->path : ""));
    if (f->other) json_object_set_new(o, "other", json_string(f->other->id));
    json_object_set_new(o, "question", json_string(f->q ? f->q->name : ""));
    json_object_set_new(o, "args", found ? args_json(f->q, args) : json_array());
    json_t *rs = json_array();
    for (int i = 0; i < f->nrules; i++) json_array_append_new(rs, rule_json(ck, f->rule_ag[i], f->rules[i]));
    json_object_set_new(o, "rules", rs);
    char *buf = NULL;
    size_t n = 0, cap = 0;
    json_t *boxes = json_array();
    bool atoms = false;
    for (int i = 0; i < f->boxes.n; i++) atoms |= box_has_atom(ck, f->boxes.b[i]);
    ck->wag = f->ag;
    /* what is printed: the boxes searched, or coarser ones (PRINT_BOXES_ATOMS) */
    BoxSet shown = f->boxes;
    const char *region = f->region;
    int shown_max = found ? PRINT_BOXES_ATOMS : PRINT_BOXES_UNCONFIRMED;
    if (atoms && f->boxes.n > shown_max) {
        bool hull = true;
        if (f->cells && !f->region) shown = coarse_boxes(ck, f->cells, shown_max, &hull);
        else shown = boxset_one(&ck->bs, boxset_hull(&ck->bs, &f->boxes));
        /* an equal-treatment search keeps its words ("a national of KH instead of BN") */
        bool itself = f->region && !f->spread;
        region = arena_printf(&ck->A, "%s%s(over-approximated: the region is %d boxes%s; %s)", f->spread ? f->region : "",
                              f->spread ? ", " : "", f->boxes.n, itself ? ", itself over-approximated" : " of conditions that are not boxes",
                              hull ? "this is the smallest box holding them"
                                   : "these are the cases where its rules apply, before those where a rule that "
                                     "takes precedence applies are taken out");
    }
    if (region) sb_printf(&buf, &n, &cap, "%s", region);
    /* the conditions every box shares are said once: "C, and either: B1; or B2" */
    bool *common = shown.n > 1 ? arena_alloc(&ck->A, sizeof *common * (size_t)ck->bs.n) : NULL;
    Box *shared = NULL;
    for (int d = 0; common && d < ck->bs.n; d++) {
        BoxDim x = box_get(&ck->bs, shown.b[0], d);
        common[d] = !dim_is_full(&ck->bs, d, &x);
        for (int i = 1; i < shown.n && common[d]; i++) {
            BoxDim y = box_get(&ck->bs, shown.b[i], d);
            common[d] = !memcmp(&x, &y, sizeof x);
        }
        if (common[d]) shared = box_with(&ck->bs, shared ? shared : box_full(&ck->bs), d, &x);
    }
    if (shared) {
        bool *rest = arena_alloc(&ck->A, sizeof *rest * (size_t)ck->bs.n);
        for (int d = 0; d < ck->bs.n; d++) rest[d] = !common[d];
        char *w = box_words(ck, shared, rest);
        sb_printf(&buf, &n, &cap, "%s%s, and either: ", region ? ", within: " : "", w);
        free(w);
    }
    for (int i = 0; i < shown.n; i++) {
        char *w = box_words(ck, shown.b[i], shared ? common : NULL);
        sb_printf(&buf, &n, &cap, "%s%s", i ? "; or " : region && !shared ? ", within: " : "", w);
        free(w);
        json_array_append_new(boxes, box_json(ck, shown.b[i]));
    }
    json_object_set_new(o, "region", json_string(buf ? buf : ""));
    free(buf);
    json_object_set_new(o, "boxes", boxes);
    json_object_set_new(o, "exact", json_boolean(f->exact && !atoms));
    if (found) {
        const IrAck *ack = find_ack(ck, f);
        json_object_set_new(o, "answers", answers(ck, ctx, &kase, args));
        json_object_set_new(o, "witness", case_to_json(ck->voc, &kase, "witness", false));
        json_object_set_new(o, "acknowledged", json_boolean(ack != NULL));
        if (ack) json_object_set_new(o, "note", json_string(ack->note));
        json_array_append_new(ck->findings, o);
    } else if (smt < 0) {
        json_object_set_new(o, "reason", json_string("Z3 proved every box of the region empty (SPEC §13.3)"));
        json_array_append_new(ck->refuted, o);
    } else {
        /* an acknowledgement that covers an unconfirmed candidate is not
           stale: whether the region holds a case is not known (SPEC §13.5) */
        const IrAck *ack = find_ack(ck, f);
        if (ack) json_object_set_new(o, "acknowledged_by", json_string(ack->note));
        if (zwhy) json_object_set_new(o, "z3", json_string(zwhy));
        json_object_set_new(o, "reason", json_string(f->boxes.n && !atoms && f->exact
                                                         ? "no witness found in the search budget (an exact region: report as a checker bug)"
                                                         : "no witness case found in the search budget: the region may be empty (its atoms may exclude each other)"));
        json_array_append_new(ck->unconfirmed, o);
    }
    return found;
}

/* ---- inside one agreement ------------------------------------------------------------- */

typedef struct One {
    const IrAgreement *ag;
    const IrQuestion *q;
    Interp *in;
    OutcomeKind want;
    const IrRule *rule;     /* dead rule */
    const IrRule *pair[2];  /* conflict */
    bool none_value;        /* no legislation: decided none */
    Outcome last;           /* the outcome of the last replay (the witness's, once found) */
} One;

static json_t *one_answers(Ck *ck, void *ctx, const Value *k, const Value *args) {
    (void)ck;
    (void)k;
    (void)args;
    One *c = ctx;
    json_t *a = json_array();
    json_array_append_new(a, outcome_answer(c->ag, c->q, &c->last));
    return a;
}

static bool one_matches(const One *c, const Outcome *o) {
    if (c->none_value) /* decided `none`, by the rule of the region */
        return o->kind == OUT_DECIDED && o->value.kind == TY_COUNTRY && o->value.i == 0 && o->nrules && o->rules[0] == c->rule;
    if (o->kind != c->want) return false;
    if (c->want == OUT_CONFLICT) {
        /* the two rules named by the region are the two in conflict */
        int hit = 0;
        for (int i = 0; i < o->nrules && i < 2; i++)
            if (o->rules[i] == c->pair[0] || o->rules[i] == c->pair[1]) hit++;
        return hit == 2;
    }
    return true;
}

static bool rep_outcome(Ck *ck, const Value *k, const Value *args, void *ctx) {
    One *c = ctx;
    bool remembered;
    c->last = ck_ask(ck, c->in, k, c->q, args, &remembered);
    if (!one_matches(c, &c->last)) return false;
    if (remembered) c->last = interp_ask(c->in, k, c->q, args); /* a finding is confirmed by a replay */
    return one_matches(c, &c->last);
}

/* A dead rule's witness: a case where its condition holds, yet another
 * rule decides (the rule is always overridden).  Read from the trace. */
static bool rep_dead(Ck *ck, const Value *k, const Value *args, void *ctx) {
    (void)ck;
    One *c = ctx;
    Trace t = {0};
    interp_set_trace(c->in, &t);
    Outcome o = interp_ask(c->in, k, c->q, args);
    c->last = o;
    interp_set_trace(c->in, NULL);
    bool applied = false;
    for (size_t i = 0; i < t.n; i++)
        if (t.ev[i].rule == c->rule && t.ev[i].depth == 1 &&
            (t.ev[i].kind == TR_DECIDED || t.ev[i].kind == TR_OVERRIDDEN))
            applied = true;
    trace_free(&t);
    if (!applied) return false;
    for (int i = 0; i < o.nrules; i++)
        if (o.rules[i] == c->rule) return false;
    return o.kind == OUT_DECIDED || o.kind == OUT_CONFLICT;
}

static void unanalysed(Ck *ck, const IrAgreement *a, const IrAgreement *b, const IrQuestion *q, const char *what) {
    json_t *o = json_object();
    json_object_set_new(o, "agreement", json_string(a->id));
    if (b) json_object_set_new(o, "other", json_string(b->id));
    json_object_set_new(o, "question", json_string(q->name));
    json_object_set_new(o, "reason", json_string(what));
    json_array_append_new(ck->unanalysed, o);
}

/* Every rule of q with the region where it applies (its exceptions and
 * siblings ignored): the pairwise fallback when the exact partition is too
 * big.  Over-approximations: every candidate is confirmed by a witness. */
typedef struct Applied {
    const IrRule *r;
    BoxSet app;
    Res res;
} Applied;

static Applied *applied_rules(Ck *ck, const IrAgreement *ag, const IrQuestion *q, const BoxSet *scope) {
    Decide dc = {ck, ag, q, {{0}}, date_dim(ck)};
    Applied *v = arena_alloc(&ck->A, sizeof *v * (q->rules.len + 1));
    for (size_t i = 0; i < q->rules.len; i++) {
        v[i].r = q->rules.items[i];
        BoxSet a = rule_applies(&dc, v[i].r);
        v[i].app = boxset_meet(&ck->bs, &a, scope);
        v[i].res = rule_res(&dc, v[i].r);
    }
    return v;
}

static bool siblings(const IrRule *a, const IrRule *b) {
    if (a->priority != b->priority) return false;
    if (!a->overrides.len && !b->overrides.len) return true;
    for (size_t i = 0; i < a->overrides.len; i++)
        for (size_t j = 0; j < b->overrides.len; j++)
            if (a->overrides.items[i] == b->overrides.items[j]) return true;
    return false;
}

static bool is_legislation(const IrQuestion *q) { return !strcmp(q->name, "applicable_legislation"); }

static void check_pairwise(Ck *ck, const IrAgreement *ag, const IrQuestion *q, Interp *in) {
    ck_unit(ck);
    BoxSet scope = scope_region(ck, ag, q, date_dim(ck));
    Applied *v = applied_rules(ck, ag, q, &scope);
    long searched = 0, skipped = 0;
    for (size_t i = 0; i < q->rules.len; i++)
        for (size_t j = i + 1; j < q->rules.len; j++) {
            if (!siblings(v[i].r, v[j].r) || values_equal(&v[i].res, &v[j].res) == 1) continue;
            BoxSet m = boxset_meet(&ck->bs, &v[i].app, &v[j].app);
            if (ck->bs.over) break;
            if (boxset_empty(&m)) continue;
            if (searched++ >= MAX_PAIRWISE) {
                skipped++;
                continue;
            }
            Finding f;
            memset(&f, 0, sizeof f);
            f.kind = is_legislation(q) ? "two_legislations" : "conflict";
            f.ag = ag;
            f.q = q;
            f.boxes = m;
            f.rules[0] = v[i].r;
            f.rules[1] = v[j].r;
            f.rule_ag[0] = f.rule_ag[1] = ag;
            f.nrules = 2;
            f.pairwise = true;
            One c = {ag, q, in, OUT_CONFLICT, NULL, {v[i].r, v[j].r}, false, {.kind = OUT_DECIDED}};
            report(ck, &f, rep_outcome, &c, one_answers);
        }
    char why[320];
    snprintf(why, sizeof why,
             "the exact partition needs more boxes than the budget: conflicts were checked rule pair by rule pair "
             "(%ld further candidate pairs not searched); gaps and dead rules of this question were not analysed",
             skipped);
    unanalysed(ck, ag, NULL, q, why);
}

static void check_one_question(Ck *ck, const IrAgreement *ag, const IrQuestion *q) {
    ck_unit(ck);
    Partition p = partition(ck, ag, q);
    Interp *in = interp_new(ag);
    bool leg = is_legislation(q);
    if (p.over) {
        check_pairwise(ck, ag, q, in);
        interp_free(in);
        return;
    }
    /* conflicts: one finding per pair of rules */
    for (int i = 0; i < p.in.n; i++) {
        const Res *r = p.in.p[i].res;
        if (r->state != RS_CONFLICT) continue;
        Finding f;
        memset(&f, 0, sizeof f);
        f.kind = leg ? "two_legislations" : "conflict";
        f.ag = ag;
        f.q = q;
        f.exact = !r->maybe;
        region_for_report(ck, &p.in.p[i].region, &f);
        finding_rules_from(&f, ag, r);
        One c = {ag, q, in, OUT_CONFLICT, NULL, {r->rules[0], r->rules[1]}, false, {.kind = OUT_DECIDED}};
        report(ck, &f, rep_outcome, &c, one_answers);
    }
    /* gaps: in scope, no rule answers */
    if (!region_empty(&p.undetermined)) {
        Finding f;
        memset(&f, 0, sizeof f);
        f.kind = leg ? "no_legislation" : "gap";
        f.ag = ag;
        f.q = q;
        f.exact = true;
        region_for_report(ck, &p.undetermined, &f);
        One c = {ag, q, in, OUT_UNDETERMINED, NULL, {NULL, NULL}, false, {.kind = OUT_DECIDED}};
        report(ck, &f, rep_outcome, &c, one_answers);
    }
    /* no legislation: a rule that answers `none` */
    if (leg)
        for (int i = 0; i < p.in.n; i++) {
            const Res *r = p.in.p[i].res;
            if (r->state != RS_DECIDED || (r->vconst && r->v.i != 0)) continue;
            Finding f;
            memset(&f, 0, sizeof f);
            f.kind = "no_legislation";
            f.ag = ag;
            f.q = q;
            f.exact = r->vconst;
            region_for_report(ck, &p.in.p[i].region, &f);
            finding_rules_from(&f, ag, r);
            One c = {ag, q, in, OUT_DECIDED, r->rules[0], {NULL, NULL}, true, {.kind = OUT_DECIDED}};
            /* a computed value is `none` only in part of its region: a search, not a candidate */
            f.search_only = !r->vconst;
            report(ck, &f, rep_outcome, &c, one_answers);
        }
    /* dead rules: a rule that never takes part in the outcome */
    for (size_t k = 0; k < q->rules.len; k++) {
        const IrRule *r = q->rules.items[k];
        bool live = false;
        for (int i = 0; i < p.in.n && !live; i++)
            for (int j = 0; j < p.in.p[i].res->nrules; j++)
                if (p.in.p[i].res->rules[j] == r) live = true;
        if (live) continue;
        Decide dc = {ck, ag, q, {{0}}, date_dim(ck)};
        BoxSet app = rule_applies(&dc, r);
        app = boxset_meet(&ck->bs, &app, &p.scope);
        Finding f;
        memset(&f, 0, sizeof f);
        f.kind = "dead_rule";
        f.ag = ag;
        f.q = q;
        f.rules[0] = r;
        f.rule_ag[0] = ag;
        f.nrules = 1;
        f.exact = true;
        if (boxset_empty(&app)) {
            /* unsatisfiable inside the scope: there is no case to show; the empty region is the proof */
            json_t *o = json_object();
            json_object_set_new(o, "kind", json_string("dead_rule"));
            json_object_set_new(o, "agreement", json_string(ag->id));
            json_object_set_new(o, "question", json_string(q->name));
            json_object_set_new(o, "args", json_array());
            json_t *rs = json_array();
            json_array_append_new(rs, rule_json(ck, ag, r));
            json_object_set_new(o, "rules", rs);
            json_object_set_new(o, "region",
                                json_string("no case in the agreement's scope satisfies the rule's condition and head"));
            json_object_set_new(o, "boxes", json_array());
            json_object_set_new(o, "exact", json_true());
            json_object_set_new(o, "witness", json_null());
            f.boxes = (BoxSet){0};
            const IrAck *ack = find_ack(ck, &f);
            json_object_set_new(o, "acknowledged", json_boolean(ack != NULL));
            if (ack) json_object_set_new(o, "note", json_string(ack->note));
            json_array_append_new(ck->findings, o);
            continue;
        }
        f.boxes = app;
        One c = {ag, q, in, OUT_DECIDED, r, {NULL, NULL}, false, {.kind = OUT_DECIDED}};
        report(ck, &f, rep_dead, &c, one_answers);
    }
    interp_free(in);
}

/* ---- between agreements --------------------------------------------------------------- */

typedef struct Two {
    const IrAgreement *a, *b;
    const Res *ra, *rb;      /* the outcomes the finding's region stands for */
    Outcome last[2];         /* the outcomes of the last replay (the witness's, once found) */
    const IrQuestion *qa, *qb;
    Interp *ia, *ib;
    Engine *engine[1];
    Loaded lib;
    bool engine_ready;
    bool remembered;         /* ask_both: an outcome came from the memo */
} Two;

static json_t *two_answers(Ck *ck, void *ctx, const Value *k, const Value *args) {
    (void)ck;
    (void)k;
    (void)args;
    Two *c = ctx;
    /* the witness was the last case replayed: its outcomes are kept */
    json_t *a = json_array();
    json_array_append_new(a, outcome_answer(c->a, c->qa, &c->last[0]));
    json_array_append_new(a, outcome_answer(c->b, c->qb, &c->last[1]));
    return a;
}

/* The witness's outcome is the one the region stands for: the same kind,
 * decided by one of the region's rules; a conflict between two of its
 * rules (a conflict elsewhere is another region's). */
static bool outcome_is(const Outcome *o, const Res *r) {
    if (!r) return true;
    switch (r->state) {
    case RS_UNDETERMINED: return o->kind == OUT_UNDETERMINED;
    case RS_NOT_COVERED: return o->kind == OUT_NOT_COVERED;
    case RS_CONFLICT: {
        if (o->kind != OUT_CONFLICT) return false;
        int n = o->nrules < 2 ? o->nrules : 2, hit = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < r->nrules; j++)
                if (o->rules[i] == r->rules[j]) {
                    hit++;
                    break;
                }
        return hit == n;
    }
    case RS_DECIDED:
        if (o->kind != OUT_DECIDED) return false;
        for (int i = 0; i < o->nrules; i++)
            for (int j = 0; j < r->nrules; j++)
                if (o->rules[i] == r->rules[j]) return true;
        return false;
    }
    return false;
}

static const char *arg_text(const Value *v, const Type *t, char *b, size_t n) { return ord_name(t, (int)v->i, b, n); }

/* Both outcomes of a replay (into c->last), the side with fewer rules asked
 * first: when its outcome is not the one the region stands for, the other
 * side is not asked (false).  Most replays of a search fail here, and the
 * interpreter is most of the checker's time. */
static bool ask_both(Ck *ck, Two *c, const Value *k, const Value *args, bool replay) {
    bool a_first = c->qa->rules.len <= c->qb->rules.len, remembered;
    c->remembered = false;
    for (int t = 0; t < 2; t++) {
        if ((t == 0) == a_first) {
            c->last[0] = replay ? interp_ask(c->ia, k, c->qa, args) : ck_ask(ck, c->ia, k, c->qa, args, &remembered);
            c->remembered |= !replay && remembered;
            if (!outcome_is(&c->last[0], c->ra)) return false;
        } else {
            c->last[1] = replay ? interp_ask(c->ib, k, c->qb, args) : ck_ask(ck, c->ib, k, c->qb, args, &remembered);
            c->remembered |= !replay && remembered;
            if (!outcome_is(&c->last[1], c->rb)) return false;
        }
    }
    return true;
}

/* Whether pred holds on both outcomes of case k: asked through the memo,
 * and asked again when an outcome came from it (a finding is confirmed by a
 * replay, not by remembered outcomes). */
/* The last replay of a pair (a Two) gave a conflict in either agreement. */
static bool pair_conflicted(const void *ctx) {
    const Two *c = ctx;
    return c->last[0].kind == OUT_CONFLICT || c->last[1].kind == OUT_CONFLICT;
}

static bool rep_between(Ck *ck, const Value *k, const Value *args, void *ctx);
static int replay_outcomes(Reproduce rep, const void *ctx, const Outcome **o, const IrAgreement **ag) {
    if (rep == rep_outcome) {
        const One *c = ctx;
        o[0] = &c->last;
        ag[0] = c->ag;
        return 1;
    }
    if (rep != rep_between) return 0;
    const Two *c = ctx;
    o[0] = &c->last[0];
    o[1] = &c->last[1];
    ag[0] = c->a;
    ag[1] = c->b;
    return 2;
}

static bool both_hold(Ck *ck, Two *c, const Value *k, const Value *args, bool (*pred)(const Two *)) {
    if (!ask_both(ck, c, k, args, false) || !pred(c)) return false;
    return !c->remembered || (ask_both(ck, c, k, args, true) && pred(c));
}

/* Replay with the evaluation engine on the pair: the case must come out as
 * a conflict between the two agreements (SPEC §12.5). */
static bool differ_decided(const Two *c) {
    const Outcome *oa = &c->last[0], *ob = &c->last[1];
    return oa->kind == OUT_DECIDED && ob->kind == OUT_DECIDED && !value_eq(&oa->value, &ob->value);
}

static bool rep_between(Ck *ck, const Value *k, const Value *args, void *ctx) {
    Two *c = ctx;
    if (!both_hold(ck, c, k, args, differ_decided)) return false;
    QSpec qs;
    memset(&qs, 0, sizeof qs);
    qs.name = c->qa->name;
    char ab[8][32];
    for (int i = 0; i < c->qa->nparams; i++) qs.argtext[qs.nargs++] = arg_text(&args[i], c->qa->ptypes[i], ab[i], sizeof ab[i]);
    EvalOptions eo;
    memset(&eo, 0, sizeof eo);
    eo.questions = &qs;
    eo.nquestions = 1;
    eo.jobs = 1;
    eo.branches.kind = TY_SET;
    /* one witness: the interpreter (the oracle) answers at once, where
     * compiling the agreements would cost seconds (SPEC §14.1) */
    eo.interp = true;
    Engine *e = engine_new(&c->lib, &eo);
    if (!e) return false;
    json_t *r = engine_eval_case(e, 0, k, "witness", 0, NULL);
    engine_free(e);
    json_t *answers = json_object_get(r, "answers");
    const char *key;
    json_t *v, *ans = NULL;
    json_object_foreach(answers, key, v) ans = v;
    bool ok = false;
    if (ans && json_is_string(json_object_get(ans, "outcome")) &&
        !strcmp(json_string_value(json_object_get(ans, "outcome")), "conflict")) {
        json_t *between = json_object_get(ans, "between");
        int hit = 0;
        size_t i;
        json_array_foreach(between, i, v) {
            const char *id = json_string_value(json_object_get(v, "agreement"));
            if (id && (!strcmp(id, c->a->id) || !strcmp(id, c->b->id))) hit++;
        }
        ok = hit == 2;
    }
    json_decref(r);
    return ok;
}

static bool supersedes_or_yields(const IrAgreement *a, const IrAgreement *b) {
    for (size_t i = 0; i < a->supersedes.len; i++)
        if (!strcmp(a->supersedes.items[i], b->id)) return true;
    for (size_t i = 0; i < a->yields.len; i++)
        if (!strcmp(((IrYield *)a->yields.items[i])->target, b->id)) return true;
    return false;
}

static bool overlap(const IrAgreement *a, const IrAgreement *b) {
    if (a->in_force >= b->terminates || b->in_force >= a->terminates) return false;
    for (int w = 0; w < 4; w++)
        if (a->parties.bits[w] & b->parties.bits[w]) return true;
    return false;
}

/* Pairs of decided pieces of a and b that may differ: each a finding of `kind`. */
static void compare_pairwise(Ck *ck, const char *kind, Two *c, Reproduce rep) {
    ck_unit(ck);
    BoxSet sa = scope_region(ck, c->a, c->qa, date_dim(ck)), sb = scope_region(ck, c->b, c->qb, date_dim(ck));
    Applied *va = applied_rules(ck, c->a, c->qa, &sa), *vb = applied_rules(ck, c->b, c->qb, &sb);
    long searched = 0, skipped = 0;
    for (size_t i = 0; i < c->qa->rules.len && !ck->bs.over; i++)
        for (size_t j = 0; j < c->qb->rules.len && !ck->bs.over; j++) {
            if (values_equal(&va[i].res, &vb[j].res) == 1) continue;
            BoxSet m = boxset_meet(&ck->bs, &va[i].app, &vb[j].app);
            if (boxset_empty(&m) || ck->bs.over) continue;
            if (searched++ >= MAX_PAIRWISE) {
                skipped++;
                continue;
            }
            Finding f;
            memset(&f, 0, sizeof f);
            f.kind = kind;
            f.ag = c->a;
            f.other = c->b;
            f.q = c->qa;
            f.boxes = m;
            f.pairwise = true;
            finding_rules_from(&f, c->a, &va[i].res);
            finding_rules_from(&f, c->b, &vb[j].res);
            c->ra = &va[i].res;
            c->rb = &vb[j].res;
            report(ck, &f, rep, c, two_answers);
        }
    char why[320];
    snprintf(why, sizeof why,
             "the exact partitions need more boxes than the budget: the answers were compared rule pair by rule pair "
             "(%ld further candidate pairs not searched; decided against decided only: regions where one side is "
             "undetermined or not covered were not analysed)",
             skipped);
    unanalysed(ck, c->a, c->b, c->qa, why);
}

/* The intersection of a piece of pa and a piece of pb; the not-covered
 * pieces are the complements of the scopes (at most one of the two: both
 * not covered is the same outcome). */
static Region piece_meet(Ck *ck, const Partition *pa, const Piece *x, const Partition *pb, const Piece *y) {
    if (x->res == pa->nc) return region_sub(&ck->bs, &y->region, &pa->scope);
    if (y->res == pb->nc) return region_sub(&ck->bs, &x->region, &pb->scope);
    return region_meet(&ck->bs, &x->region, &y->region);
}

static void compare_partitions(Ck *ck, const char *kind, Partition *pa, Partition *pb, Two *c, bool with_undecided,
                               Reproduce rep) {
    if (pa->over || pb->over) {
        compare_pairwise(ck, kind, c, rep);
        return;
    }
    /* every piece of each side, the non-decided ones included for a diff */
    Pieces A = pa->in, B = pb->in;
    if (with_undecided) {
        Pieces x = {0}, y = {0};
        for (int i = 0; i < A.n; i++) pieces_add(ck, &x, A.p[i].region, A.p[i].res);
        pieces_add(ck, &x, pa->undetermined, pa->und);
        pieces_add_outside(ck, &x, pa->nc);
        for (int i = 0; i < B.n; i++) pieces_add(ck, &y, B.p[i].region, B.p[i].res);
        pieces_add(ck, &y, pb->undetermined, pb->und);
        pieces_add_outside(ck, &y, pb->nc);
        A = x;
        B = y;
    }
    /* the smallest box holding each piece (NULL: not covered, the implicit
       complement of the scope): most pairs of pieces are disjoint, which
       their hulls show at the cost of one test */
    Arena tmp = {0};
    Box **ha = arena_alloc(&ck->A, sizeof *ha * (size_t)(A.n + 1)), **hb = arena_alloc(&ck->A, sizeof *hb * (size_t)(B.n + 1));
    for (int i = 0; i < A.n; i++) ha[i] = A.p[i].res == pa->nc ? NULL : region_hull(&ck->bs, &A.p[i].region);
    for (int j = 0; j < B.n; j++) hb[j] = B.p[j].res == pb->nc ? NULL : region_hull(&ck->bs, &B.p[j].region);
    for (int i = 0; i < A.n; i++)
        for (int j = 0; j < B.n; j++) {
            const Res *ra = A.p[i].res, *rb = B.p[j].res;
            if (ha[i] && hb[j] && !box_overlaps(&ck->bs, ha[i], hb[j])) continue;
            bool exact = true;
            if (ra->state == RS_DECIDED && rb->state == RS_DECIDED) {
                int eq = values_equal(ra, rb);
                if (eq == 1) continue;
                exact = eq == 0;
            } else if (ra->state == rb->state) {
                continue;
            } else if (!with_undecided) {
                continue;
            }
            if (ra->maybe || rb->maybe) exact = false;
            /* each pair of pieces gets the intersection budget anew, as each
               reported region does (the partitions are complete here): the
               budget bounds one intersection, not the sum of the empty ones */
            ck->bs.meets = 0;
            /* the boxes of one pair and of its report are scratch: freed after it */
            BoxMark mark = box_space_borrow(&ck->bs, &tmp);
            Region m = piece_meet(ck, pa, &A.p[i], pb, &B.p[j]);
            if (ck->bs.over) {
                box_space_return(&ck->bs, mark);
                arena_free_all(&tmp);
                compare_pairwise(ck, kind, c, rep);
                return;
            }
            if (region_empty(&m)) {
                box_space_return(&ck->bs, mark);
                arena_free_all(&tmp);
                continue;
            }
            Finding f;
            memset(&f, 0, sizeof f);
            f.kind = kind;
            f.ag = c->a;
            f.other = c->b;
            f.q = c->qa;
            f.exact = exact;
            region_for_report(ck, &m, &f);
            finding_rules_from(&f, c->a, ra);
            finding_rules_from(&f, c->b, rb);
            c->ra = ra;
            c->rb = rb;
            report(ck, &f, rep, c, two_answers);
            box_space_return(&ck->bs, mark);
            arena_free_all(&tmp);
        }
}

static void check_between(Ck *ck, const IrAgreement *a, const IrAgreement *b, const CheckerOptions *opt) {
    Two c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.b = b;
    c.ia = interp_new(a);
    c.ib = interp_new(b);
    c.lib = *ck->libs[0];
    memset(&c.lib.agreements, 0, sizeof c.lib.agreements);
    ptrvec_push(&ck->P, &c.lib.agreements, (void *)a);
    ptrvec_push(&ck->P, &c.lib.agreements, (void *)b);
    for (size_t k = 0; k < a->questions.len; k++) {
        c.qa = a->questions.items[k];
        if (opt && opt->question && strcmp(opt->question, c.qa->name)) continue;
        c.qb = ir_question(b, c.qa->name);
        if (!c.qb || !c.qa->rules.len || !c.qb->rules.len) continue;
        ck_unit(ck);
        Partition pa = partition(ck, a, c.qa), pb = partition(ck, b, c.qb);
        compare_partitions(ck, "between_agreements", &pa, &pb, &c, false, rep_between);
    }
    interp_free(c.ia);
    interp_free(c.ib);
}

/* ---- equal treatment (SPEC §13.4) ------------------------------------------------------ */

static bool reads_nationality(const IrExpr *e, int nat_field, int person_field, int depth) {
    if (!e) return false;
    if (depth > 64) return true; /* too deep to tell: say it reads (the proofs rely on "no") */
    if (e->kind == IR_FIELD && e->field == nat_field && e->a->kind == IR_FIELD && e->a->field == person_field &&
        e->a->a->kind == IR_CASE)
        return true;
    /* the same field of a person reached another way (a record passed to a definition) */
    if (e->kind == IR_FIELD && e->field == nat_field && e->a->type->kind == TY_RECORD && e->a->type->rec->nfields > nat_field &&
        !strcmp(e->a->type->rec->fields[nat_field].name, "nationalities"))
        return true;
    if (e->kind == IR_DEFINE && reads_nationality(e->def->body, nat_field, person_field, depth + 1)) return true;
    if (e->kind == IR_ASK)
        for (size_t i = 0; i < e->question->rules.len; i++) {
            const IrRule *r = e->question->rules.items[i];
            if (reads_nationality(r->cond, nat_field, person_field, depth + 1) ||
                reads_nationality(r->value, nat_field, person_field, depth + 1))
                return true;
        }
    if (reads_nationality(e->a, nat_field, person_field, depth) || reads_nationality(e->b, nat_field, person_field, depth) ||
        reads_nationality(e->c, nat_field, person_field, depth) || reads_nationality(e->d, nat_field, person_field, depth))
        return true;
    for (int i = 0; e->kind != IR_AGG && i < e->nargs; i++)
        if (reads_nationality(e->args[i], nat_field, person_field, depth)) return true;
    return false;
}

static bool nat_reads(const Ck *ck, const IrExpr *e) { return reads_nationality(e, ck->nat_field, ck->nat_person, 0); }

static int field_index(const IrRecord *r, const char *name) {
    for (int i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i].name, name)) return i;
    return -1;
}

typedef struct Eq {
    const IrAgreement *ag;
    const IrQuestion *q;
    Interp *in;
    int person, nat;
    int from, to;         /* the two nationalities swapped */
    int64_t lo, hi;       /* the search: the dates on which both are parties (SPEC §13.4) */
    int date;             /* the search: the case's date field */
    bool both_covered;    /* the search: only a witness inside the personal scope for both nationals */
} Eq;

static Value with_nationality(Arena *A, const Value *k, int person, int nat, int c) {
    Value x = *k;
    Value *items = arena_alloc(A, sizeof *items * x.agg.n);
    memcpy(items, x.agg.items, sizeof *items * x.agg.n);
    x.agg.items = items;
    Value *p = &items[person];
    Value *pitems = arena_alloc(A, sizeof *pitems * p->agg.n);
    memcpy(pitems, p->agg.items, sizeof *pitems * p->agg.n);
    p->agg.items = pitems;
    Value s;
    memset(&s, 0, sizeof s);
    s.kind = TY_SET;
    set_add(&s, c);
    pitems[nat] = s;
    return x;
}

static bool outcome_same(const Outcome *a, const Outcome *b) {
    if (a->kind != b->kind) return false;
    return a->kind != OUT_DECIDED || value_eq(&a->value, &b->value);
}

static bool rep_unequal(Ck *ck, const Value *k, const Value *args, void *ctx) {
    Eq *c = ctx;
    /* only on a date where both nationalities are of parties */
    if (c->date >= 0 && (k->agg.items[c->date].i < c->lo || k->agg.items[c->date].i > c->hi)) return false;
    Value x = with_nationality(&ck->A, k, c->person, c->nat, c->from), y = with_nationality(&ck->A, k, c->person, c->nat, c->to);
    bool ra, rb;
    /* a keyed case's two swaps keyed too: its key and the nationality set */
    const Value *kk = ck->keyed;
    uint64_t key[2] = {ck->key[0], ck->key[1]};
    if (kk == k) {
        ck->keyed = &x;
        mix(ck->key, 0x6e6174696f6e616cu ^ ((uint64_t)c->person << 32) ^ (uint64_t)c->nat);
        mix(ck->key, (uint64_t)c->from);
    }
    Outcome a = ck_ask(ck, c->in, &x, c->q, args, &ra);
    if (kk == k) {
        ck->keyed = &y;
        ck->key[0] = key[0];
        ck->key[1] = key[1];
        mix(ck->key, 0x6e6174696f6e616cu ^ ((uint64_t)c->person << 32) ^ (uint64_t)c->nat);
        mix(ck->key, (uint64_t)c->to);
    }
    Outcome b = ck_ask(ck, c->in, &y, c->q, args, &rb);
    ck->keyed = kk;
    ck->key[0] = key[0];
    ck->key[1] = key[1];
    if (outcome_same(&a, &b)) return false;
    if (c->both_covered && (a.kind == OUT_NOT_COVERED || b.kind == OUT_NOT_COVERED)) return false;
    if (!ra && !rb) return true;
    /* a finding is confirmed by a replay, not by remembered outcomes */
    a = interp_ask(c->in, &x, c->q, args);
    b = interp_ask(c->in, &y, c->q, args);
    return !outcome_same(&a, &b) && !(c->both_covered && (a.kind == OUT_NOT_COVERED || b.kind == OUT_NOT_COVERED));
}

static json_t *eq_answers(Ck *ck, void *ctx, const Value *k, const Value *args) {
    Eq *c = ctx;
    json_t *arr = json_array();
    int who[2] = {c->from, c->to};
    for (int i = 0; i < 2; i++) {
        Value x = with_nationality(&ck->A, k, c->person, c->nat, who[i]);
        Outcome o = interp_ask(c->in, &x, c->q, args);
        json_t *a = outcome_answer(c->ag, c->q, &o);
        json_object_set_new(a, "nationality", json_string(acc_country_code(who[i])));
        json_array_append_new(arr, a);
    }
    return arr;
}

/* ---- equal treatment on boxes (SPEC §13.4) ----------------------------------------------- */

static bool is_nat_field(const Ck *ck, const IrExpr *e) {
    return e && e->kind == IR_FIELD && e->field == ck->nat_field && e->a->kind == IR_FIELD && e->a->field == ck->nat_person &&
           e->a->a->kind == IR_CASE;
}

/* The person's one nationality (a country dimension): the cases compared
 * are those whose nationalities are one country. */
static int nat_dim(Ck *ck) {
    Dim d;
    memset(&d, 0, sizeof d);
    d.role = DK_NAT;
    d.key = "n:person.nationality";
    d.words = "nationality";
    d.type = ck->nat_type;
    return dim_new(ck, &d);
}

/* The expression a local stands for (through bound arguments), and its context. */
static const IrExpr *nat_resolve(Tx **t, const IrExpr *e) {
    const Bind *bd;
    while ((bd = bind_of(*t, e)) && bd->dim < 0) {
        e = bd->arg;
        *t = bd->ctx;
    }
    return e;
}

/* Reads of person.nationalities as boxes on the nationality dimension (while
 * ck->nat_on): a definition with arguments that reads them is translated
 * through its body with the arguments bound; exists/forall over the
 * nationalities is its condition on the one nationality; `C in
 * person.nationalities` is nationality == C; `n in parties` for the bound
 * nationality is n in every state that is a party at some time: the proof
 * compares nationals of x and y only on dates where both are parties
 * (eq_diff), where the two agree, so parties joining or leaving do not cut
 * the space by date. */
static bool nat_tx(Tx *t, const IrExpr *e, BoxSet *out) {
    Ck *ck = t->ck;
    if (e->kind == IR_DEFINE && e->def->nparams > 0 && e->def->nparams <= 8 && e->def->body &&
        reads_nationality(e->def->body, ck->nat_field, ck->nat_person, 0)) {
        Bind b[8];
        for (int i = 0; i < e->def->nparams; i++) b[i] = (Bind){i, -1, e->args[i], t, i + 1 < e->def->nparams ? &b[i + 1] : NULL};
        Tx in = {ck, t->ag, NULL, false, b};
        *out = tx(&in, e->def->body);
        return true;
    }
    if (e->kind == IR_AGG && (e->agg == AG_EXISTS || e->agg == AG_FORALL) && is_nat_field(ck, e->a)) {
        if (!e->b) { /* one nationality: exists is true, and so is forall */
            *out = bs_full(ck);
            return true;
        }
        Bind b = {e->slot, nat_dim(ck), NULL, t, t->env};
        Tx in = *t;
        in.env = &b;
        *out = tx(&in, e->b);
        return true;
    }
    if (e->kind != IR_BINARY || (e->op != IOP_IN && e->op != IOP_NOTIN)) return false;
    Value c;
    if (is_nat_field(ck, e->b)) {
        if (!tx_const(t, e->a, &c)) return false;
        return compare_boxes(t, nat_dim(ck), e->op == IOP_IN ? IOP_EQ : IOP_NE, &c, out);
    }
    Tx *pt = t;
    const Bind *bd = bind_of(t, e->a);
    if (!bd || bd->dim < 0 || nat_resolve(&pt, e->b)->kind != IR_PARTIES) return false;
    c = pt->ag->parties; /* every state that is ever a party */
    return compare_boxes(t, bd->dim, e->op, &c, out);
}

/* Whether two outcomes of the partition give the person the same answer
 * (the notion of rep_unequal: the same kind, and the same value when
 * decided): 1 yes, 0 no, -1 it depends on computed values. */
static int same_answer(const Res *a, const Res *b) {
    if (a == b) return 1; /* one outcome: its computed values do not read the nationality */
    if (a->state == RS_DECIDED && b->state == RS_DECIDED) return values_equal(a, b);
    bool va = a->state == RS_DECIDED || (a->state == RS_CONFLICT && a->maybe);
    bool vb = b->state == RS_DECIDED || (b->state == RS_CONFLICT && b->maybe);
    if (va && vb) return -1;  /* a conflict only where two computed values differ */
    return a->state == b->state ? 1 : 0;
}

/* The cases (the nationality dimension left free) whose answer for a
 * national of y differs from the answer for a national of x, the rest of the
 * case the same, on the dates where both are parties: the image of each
 * piece at x under the transposition x <-> y, met with the pieces at y
 * whose answer differs.  *maybe: some of it depends on computed values. */
/* A partition's pieces as disjoint boxes (the proof maps boxes through the
 * transposition; the partition keeps cells, box.h). */
typedef struct EqPiece {
    BoxSet region;
    const Res *res;
} EqPiece;

typedef struct EqPieces {
    EqPiece *p;
    int n;
} EqPieces;

static BoxSet eq_diff(Ck *ck, const IrAgreement *ag, const EqPieces *all, int nd, int ddim, int x, int y, bool *maybe) {
    BoxSet out = {0};
    int64_t lo = ag->party_from[x] > ag->party_from[y] ? ag->party_from[x] : ag->party_from[y];
    int64_t hi = (int64_t)(ag->party_until[x] < ag->party_until[y] ? ag->party_until[x] : ag->party_until[y]) - 1;
    if (lo > hi) return out;
    BoxSet live = bs_interval(ck, ddim, lo, hi), atx = bs_bit(ck, nd, x), aty = bs_bit(ck, nd, y);
    atx = boxset_meet(&ck->bs, &atx, &live);
    aty = boxset_meet(&ck->bs, &aty, &live);
    BoxDim vy;
    memset(&vy, 0, sizeof vy);
    vy.bits[y >> 6] |= (uint64_t)1 << (y & 63);
    BoxDim full = dim_full(&ck->bs, nd);
    BoxSet *py = arena_alloc(&ck->A, sizeof *py * (size_t)(all->n + 1));
    for (int j = 0; j < all->n; j++) py[j] = boxset_meet(&ck->bs, &all->p[j].region, &aty);
    for (int i = 0; i < all->n && !ck->bs.over; i++) {
        BoxSet rx = boxset_meet(&ck->bs, &all->p[i].region, &atx), img = {0};
        for (int k = 0; k < rx.n; k++) boxset_add(&ck->bs, &img, box_with(&ck->bs, rx.b[k], nd, &vy));
        if (boxset_empty(&img)) continue;
        for (int j = 0; j < all->n; j++) {
            int eq = same_answer(all->p[i].res, all->p[j].res);
            if (eq == 1) continue;
            BoxSet m = boxset_meet(&ck->bs, &img, &py[j]);
            if (boxset_empty(&m)) continue;
            *maybe |= eq < 0;
            for (int k = 0; k < m.n; k++) boxset_add(&ck->bs, &out, box_with(&ck->bs, m.b[k], nd, &full));
        }
    }
    return out;
}

/* Why the boxes cannot prove equal treatment of q, or NULL (the box
 * fragment of SPEC §13.4: every read of the nationality translated). */
static const char *eq_outside(Ck *ck, const IrQuestion *q, const Partition *p) {
    if (p->over) return "the partition needs more boxes than the budget";
    if (ck->nat_inexact) return arena_printf(&ck->A, "the nationality is read under a condition that is not a box: %s", ck->nat_why);
    for (size_t i = 0; i < ck->dims.len; i++) {
        const Dim *dm = ck->dims.items[i];
        if ((dm->role == DK_ATOM || dm->role == DK_TERM) && reads_nationality(dm->expr, ck->nat_field, ck->nat_person, 0))
            return arena_printf(&ck->A, "the nationality is read in a condition that is not a box: %s", dm->words);
    }
    for (size_t i = 0; i < q->rules.len; i++) {
        const IrRule *r = q->rules.items[i];
        if (reads_nationality(r->value, ck->nat_field, ck->nat_person, 0))
            return arena_printf(&ck->A, "an answer is computed from the nationality (rule %s)", r->label ? r->label : "unlabelled");
    }
    return NULL;
}

static void eq_status(json_t *qs, const IrQuestion *q, const char *status, const char *method, const char *reason) {
    json_t *o = json_object();
    json_object_set_new(o, "question", json_string(q->name));
    json_object_set_new(o, "status", json_string(status));
    if (method) json_object_set_new(o, "method", json_string(method));
    if (reason) json_object_set_new(o, "reason", json_string(reason));
    json_array_append_new(qs, o);
}

static void eq_mark_method(Ck *ck, const char *method) {
    json_t *f = json_array_get(ck->findings, json_array_size(ck->findings) - 1);
    if (f) json_object_set_new(f, "method", json_string(method));
}

/* The proof of q on boxes: the parties fall into classes of nationals
 * treated alike (each party compared with one national of each class found
 * so far: answering the same is an equivalence); each class after the first
 * is an unequal_treatment finding against the first party's nationals.
 * Returns the status; *why its reason. */
static const char *eq_classes(Ck *ck, const IrAgreement *ag, const IrQuestion *q, Interp *in, const EqPieces *pieces,
                              const char *method, const char **why);

static const char *eq_prove(Ck *ck, const IrAgreement *ag, const IrQuestion *q, Interp *in, const Partition *p, const char **why) {
    EqPieces all = {arena_alloc(&ck->A, sizeof *all.p * (size_t)(p->in.n + 2)), 0};
    bool fits = true;
    for (int i = 0; i < p->in.n + 1 && fits; i++) {
        const Region *r = i < p->in.n ? &p->in.p[i].region : &p->undetermined;
        EqPiece *e = &all.p[all.n];
        e->res = i < p->in.n ? p->in.p[i].res : p->und;
        e->region = (BoxSet){0};
        if (!region_empty(r)) fits = region_boxes(&ck->bs, r, 0, &e->region);
        if (!boxset_empty(&e->region)) all.n++;
    }
    /* not covered: the complement of the scope (the partition leaves it implicit) */
    all.p[all.n].res = p->nc;
    all.p[all.n].region = boxset_complement(&ck->bs, &p->scope);
    if (!boxset_empty(&all.p[all.n].region)) all.n++;
    if (!fits || ck->bs.over) {
        *why = "the comparison needs more boxes than the budget";
        return NULL;
    }
    return eq_classes(ck, ag, q, in, &all, "boxes", why);
}

/* When no rule of q (condition, value, definitions and questions reached)
 * reads the nationality but the personal scope does, a case's answer is
 * "not covered" outside the scope and, inside, the same whatever the one
 * nationality: comparing the scope alone proves equal treatment, without the
 * partition of the rules (which may exceed the box budget: EU 883/2004's
 * applicable_legislation).  Returns the status, or NULL (*why) when the scope
 * is outside the box fragment. */
static const char *eq_prove_scope(Ck *ck, const IrAgreement *ag, const IrQuestion *q, Interp *in, const char **why) {
    ck_unit(ck);
    ck->nat_on = true;
    ck->nat_inexact = false;
    nat_dim(ck);
    BoxSet sc = scope_region(ck, ag, q, date_dim(ck));
    ck->nat_on = false;
    Partition p;
    memset(&p, 0, sizeof p);
    p.over = ck->bs.over;
    if ((*why = eq_outside(ck, q, &p))) return NULL;
    ResPool rp = {{0}};
    Res x;
    memset(&x, 0, sizeof x);
    x.state = RS_UNDETERMINED; /* stands for "whatever the rules answer": the same for every nationality */
    const Res *inside = res_intern(ck, &rp, &x);
    x.state = RS_NOT_COVERED;
    const Res *outside = res_intern(ck, &rp, &x);
    EqPiece two[2] = {{sc, inside}, {boxset_complement(&ck->bs, &sc), outside}};
    EqPieces all = {two, 2};
    if (ck->bs.over) {
        *why = "the comparison needs more boxes than the budget";
        return NULL;
    }
    return eq_classes(ck, ag, q, in, &all, "scope", why);
}

/* The comparison of SPEC §13.4 on pieces (disjoint boxes, each with its
 * outcome): classes of parties whose nationals are treated alike. */
static const char *eq_classes(Ck *ck, const IrAgreement *ag, const IrQuestion *q, Interp *in, const EqPieces *pieces,
                              const char *method, const char **why) {
    const EqPieces all = *pieces;
    int nd = nat_dim(ck), ddim = date_dim(ck);
    int reps[256], nreps = 0, found = 0, unconfirmed = 0;
    for (int y = 1; y < 256; y++) {
        if (!set_has(&ag->parties, y)) continue;
        bool alike = false, maybe0 = false;
        BoxSet d0 = {0};
        for (int r = 0; r < nreps && !alike; r++) {
            bool maybe = false;
            BoxSet d = eq_diff(ck, ag, &all, nd, ddim, reps[r], y, &maybe);
            if (ck->bs.over) break;
            if (r == 0) {
                d0 = d;
                maybe0 = maybe;
            }
            alike = boxset_empty(&d);
        }
        if (ck->bs.over) {
            *why = "the comparison needs more boxes than the budget";
            return NULL;
        }
        if (alike) continue;
        reps[nreps++] = y;
        if (nreps == 1 || boxset_empty(&d0)) continue; /* the first class, or treated like the first on other dates only */
        Eq c = {ag, q, in, ck->nat_person, ck->nat_field, reps[0], y, 0, 0, -1, false};
        Finding f;
        memset(&f, 0, sizeof f);
        f.kind = "unequal_treatment";
        f.ag = ag;
        f.q = q;
        f.boxes = d0;
        /* by the scope alone, "inside" stands for any answer of the rules,
         * which a failure propagated from a nested question could make "not
         * covered" too: the region may hold cases answered alike */
        f.exact = !maybe0 && strcmp(method, "scope") != 0;
        f.region = arena_printf(&ck->A, "a national of %s instead of %s", acc_country_code(y), acc_country_code(reps[0]));
        if (report(ck, &f, rep_unequal, &c, eq_answers)) {
            eq_mark_method(ck, method);
            found++;
        } else {
            unconfirmed++;
        }
    }
    if (found) {
        *why = arena_printf(&ck->A, "%d class%s of nationals treated differently from %s's", nreps - 1, nreps == 2 ? "" : "es",
                            acc_country_code(reps[0]));
        return "unequal";
    }
    if (unconfirmed) {
        *why = arena_printf(&ck->A, "%d candidate region%s without a witness (computed values or atoms)", unconfirmed,
                            unconfirmed == 1 ? "" : "s");
        return "not proved";
    }
    *why = NULL;
    return "proved";
}

/* Equal treatment declared (a rule answers equal_treatment): every answer
 * must be the same for a national of any party.  Proved by the IR when no
 * rule, scope clause or definition reachable from the question reads the
 * nationalities; else proved on boxes when every read of them translates
 * (eq_prove); otherwise each pair of parties is searched for a witness. */
static void check_equal(Ck *ck, const IrAgreement *ag, const CheckerOptions *opt) {
    const IrQuestion *et = ir_question(ag, "equal_treatment");
    if (!et || !et->rules.len) return;
    const IrRecord *cr = ck->voc->case_rec;
    int person = field_index(cr, "person");
    if (person < 0 || cr->fields[person].type->kind != TY_RECORD) return;
    int nat = field_index(cr->fields[person].type->rec, "nationalities");
    if (nat < 0 || cr->fields[person].type->rec->fields[nat].type->kind != TY_SET) return;
    ck->nat_person = person;
    ck->nat_field = nat;
    ck->nat_type = cr->fields[person].type->rec->fields[nat].type->elem;
    if (!ck->equal) ck->equal = json_array();
    json_t *qs = json_array(), *eo = json_object();
    json_object_set_new(eo, "agreement", json_string(ag->id));
    json_object_set_new(eo, "questions", qs);
    json_array_append_new(ck->equal, eo);
    bool scope_reads = false;
    for (size_t i = 0; i < ag->personal_scope.len; i++)
        scope_reads |= reads_nationality(((IrScopeClause *)ag->personal_scope.items[i])->cond, nat, person, 0);
    int parties[256], np = 0;
    for (int c = 1; c < 256; c++)
        if (set_has(&ag->parties, c)) parties[np++] = c;
    for (size_t k = 0; k < ag->questions.len; k++) {
        const IrQuestion *q = ag->questions.items[k];
        if (opt && opt->question && strcmp(opt->question, q->name)) continue;
        bool rules_read = false;
        for (size_t i = 0; i < q->rules.len && !rules_read; i++) {
            const IrRule *r = q->rules.items[i];
            rules_read = reads_nationality(r->cond, nat, person, 0) || reads_nationality(r->value, nat, person, 0);
        }
        if (!scope_reads && !rules_read) { /* proved: no answer of q depends on nationality */
            eq_status(qs, q, "proved (does not read nationality)", "ir", NULL);
            continue;
        }
        Interp *in = interp_new(ag);
        if (!rules_read) { /* only the personal scope reads it: compare the scope */
            const char *why = NULL, *status = eq_prove_scope(ck, ag, q, in, &why);
            if (status) {
                eq_status(qs, q, status, "scope", why);
                interp_free(in);
                continue;
            }
        }
        ck_unit(ck);
        ck->nat_on = true;
        ck->nat_inexact = false;
        nat_dim(ck);
        Partition p = partition(ck, ag, q);
        ck->nat_on = false;
        const char *why = eq_outside(ck, q, &p), *status = NULL;
        if (!why) status = eq_prove(ck, ag, q, in, &p, &why);
        if (status) {
            eq_status(qs, q, status, "boxes", why);
            interp_free(in);
            continue;
        }
        const char *outside = arena_strdup(&ck->P, why);
        ck_unit(ck);
        p = partition(ck, ag, q);
        /* first a witness both nationals are covered in (they are treated
           differently by the agreement), then one the swap takes out of the
           personal scope (a scope that turns on nationality: a migrant-worker
           instrument does not cover the host State's own nationals) */
        bool done = false;
        for (int phase = 0; phase < 2 && !done; phase++)
            for (int i = 0; i < np && !done; i++)
                for (int j = i + 1; j < np && !done && j < i + 4; j++) {
                    /* on the dates where both are parties, as on boxes (eq_diff) */
                    int x = parties[i], y = parties[j];
                    int64_t lo = ag->party_from[x] > ag->party_from[y] ? ag->party_from[x] : ag->party_from[y];
                    int64_t hi = (int64_t)(ag->party_until[x] < ag->party_until[y] ? ag->party_until[x] : ag->party_until[y]) - 1;
                    if (lo > hi) continue;
                    Eq c = {ag, q, in, person, nat, x, y, lo, hi, field_index(ck->voc->case_rec, "date"), phase == 0};
                    Finding f;
                    memset(&f, 0, sizeof f);
                    f.kind = "unequal_treatment";
                    f.ag = ag;
                    f.q = q;
                    BoxSet both = bs_interval(ck, date_dim(ck), lo, hi);
                    f.boxes = boxset_meet(&ck->bs, &p.scope, &both);
                    if (boxset_empty(&f.boxes)) continue;
                    f.exact = false;
                    char reg[160];
                    snprintf(reg, sizeof reg, "a national of %s instead of %s%s", acc_country_code(parties[j]),
                             acc_country_code(parties[i]), phase ? " (outside the personal scope for one of them)" : "");
                    f.region = reg;
                    f.search_only = true;
                    f.spread = true;
                    done = report(ck, &f, rep_unequal, &c, eq_answers);
                }
        if (done) eq_mark_method(ck, "search");
        eq_status(qs, q, done ? "unequal" : "searched (not proved)", "search", outside);
        interp_free(in);
    }
}

/* ---- entry points ---------------------------------------------------------------------- */

static json_t *result(Ck *ck, const char *command, double secs) {
    json_t *r = json_object();
    size_t i;
    json_t *v;
    int unack = 0;
    json_array_foreach(ck->findings, i, v) if (!json_is_true(json_object_get(v, "acknowledged"))) unack++;
    json_t *s = json_object();
    json_object_set_new(s, "command", json_string(command));
    json_object_set_new(s, "findings", json_integer((json_int_t)json_array_size(ck->findings)));
    json_object_set_new(s, "unacknowledged", json_integer(unack));
    json_object_set_new(s, "unconfirmed", json_integer((json_int_t)json_array_size(ck->unconfirmed)));
    json_object_set_new(s, "dimensions", json_integer(ck->dims_run > 0 ? ck->dims_run : ck->bs.n));
    json_object_set_new(s, "replays", json_integer(ck->replays));
    json_object_set_new(s, "refuted", json_integer((json_int_t)json_array_size(ck->refuted)));
    if (ck->smt || ck->zmore_any) {
        SmtStats st = ck->smt ? smt_stats(ck->smt) : (SmtStats){0};
        st.queries += ck->zmore.queries;
        st.sat += ck->zmore.sat;
        st.empty += ck->zmore.empty;
        st.unknown += ck->zmore.unknown;
        st.refined += ck->zmore.refined;
        json_t *z = json_object();
        json_object_set_new(z, "queries", json_integer(st.queries));
        json_object_set_new(z, "sat", json_integer(st.sat));
        json_object_set_new(z, "empty", json_integer(st.empty));
        json_object_set_new(z, "unknown", json_integer(st.unknown));
        json_object_set_new(z, "refined", json_integer(st.refined));
        json_object_set_new(s, "z3", z);
        smt_free(ck->smt);
        ck->smt = NULL;
    }
    json_object_set_new(r, "refuted", ck->refuted);
    (void)secs;
    json_object_set_new(r, "findings", ck->findings);
    json_object_set_new(r, "unconfirmed", ck->unconfirmed);
    json_object_set_new(r, "unanalysed", ck->unanalysed);
    json_object_set_new(r, "atoms", ck->atoms);
    json_decref(ck->atom_keys);
    if (ck->equal) json_object_set_new(r, "equal_treatment", ck->equal);
    json_object_set_new(s, "unanalysed", json_integer((json_int_t)json_array_size(ck->unanalysed)));
    json_object_set_new(r, "summary", s);
    arena_free_all(&ck->A);
    arena_free_all(&ck->P);
    return r;
}

/* Whether the unit that could produce a finding of a was analysed in full:
 * its question asked, the kind checked by `conflicts`, the other agreement
 * compared, the question not left to the pairwise fallback. */
static bool ack_judged(Ck *ck, const Loaded *lib, const IrAgreement *ag, const IrAck *a, const CheckerOptions *opt) {
    if (opt && opt->question && strcmp(opt->question, a->question)) return false;
    if (!strcmp(a->kind, "below_standard")) return false;
    if (!strcmp(a->kind, "unequal_treatment") && opt && opt->no_equal) return false;
    size_t i;
    json_t *u;
    json_array_foreach(ck->unanalysed, i, u) {
        const char *x = json_string_value(json_object_get(u, "agreement")), *y = json_string_value(json_object_get(u, "other"));
        if (strcmp(json_string_value(json_object_get(u, "question")), a->question)) continue;
        /* a question of this agreement, or (between agreements) a pair with it */
        bool pair = !strcmp(a->kind, "between_agreements");
        if (pair ? y && (!strcmp(x, ag->id) || !strcmp(y, ag->id)) : !y && !strcmp(x, ag->id)) return false;
    }
    if (strcmp(a->kind, "between_agreements")) return true;
    if (opt && opt->no_between) return false;
    for (size_t k = 0; k < lib->agreements.len; k++) {
        const IrAgreement *b = lib->agreements.items[k];
        if (b == ag || b->is_standard || !overlap(ag, b) || supersedes_or_yields(ag, b) || supersedes_or_yields(b, ag)) continue;
        if (!a->other || !strcmp(a->other, b->id)) return true;
    }
    return false;
}

/* A stale acknowledgement (SPEC §13.5): a finding of its own, never acknowledged. */
static void stale_finding(Ck *ck, const IrAgreement *ag, const IrAck *a) {
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string("stale_acknowledgement"));
    json_object_set_new(o, "agreement", json_string(ag->id));
    json_object_set_new(o, "file", json_string(ag->path ? ag->path : ""));
    json_object_set_new(o, "line", json_integer(span_line(ck, ag, a->span)));
    if (a->other) json_object_set_new(o, "other", json_string(a->other));
    json_object_set_new(o, "question", json_string(a->question));
    json_object_set_new(o, "args", json_array());
    json_object_set_new(o, "rules", json_array());
    const char *src = span_words(ck, ag, a->span);
    json_object_set_new(o, "region", json_string(arena_printf(&ck->A, "no %s finding is covered by: %s", a->kind,
                                                              src ? src : a->note)));
    json_object_set_new(o, "boxes", json_array());
    json_object_set_new(o, "exact", json_true());
    json_object_set_new(o, "witness", json_null());
    json_object_set_new(o, "acknowledged", json_false());
    json_object_set_new(o, "note", json_string(a->note));
    json_array_append_new(ck->findings, o);
}

static bool ack_used(const Ck *ck, const IrAck *a) {
    for (size_t j = 0; j < ck->acks_used.len; j++)
        if (ck->acks_used.items[j] == a) return true;
    return false;
}

/* SPEC §13.5: an acknowledgement that covers no finding is stale (the text
 * or the checker changed).  `conflicts` judges the kinds it produces (not
 * `below_standard`; `diff` cannot be acknowledged). */
static void check_stale(Ck *ck, const Loaded *lib, const CheckerOptions *opt) {
    for (size_t i = 0; i < lib->agreements.len; i++) {
        const IrAgreement *ag = lib->agreements.items[i];
        if (ag->is_standard) continue;
        for (size_t k = 0; k < ag->acks.len; k++) {
            const IrAck *a = ag->acks.items[k];
            if (ack_used(ck, a) || !ack_judged(ck, lib, ag, a, opt)) continue;
            stale_finding(ck, ag, a);
        }
    }
}

/* The same for `gaps --against` (SPEC §13.5): the `below_standard`
 * acknowledgements of ag for the standard compared (`for` absent or naming
 * it), on a question asked that the standard answers and that was analysed
 * in full. */
static void check_stale_below(Ck *ck, const IrAgreement *ag, const IrAgreement *std, const CheckerOptions *opt) {
    for (size_t k = 0; k < ag->acks.len; k++) {
        const IrAck *a = ag->acks.items[k];
        if (strcmp(a->kind, "below_standard") || (a->other && strcmp(a->other, std->id)) || ack_used(ck, a)) continue;
        if (opt && opt->question && strcmp(opt->question, a->question)) continue;
        const IrQuestion *qa = ir_question(ag, a->question), *qs = ir_question(std, a->question);
        if (!qa || !qs || !qs->rules.len) continue;
        bool full = true;
        size_t i;
        json_t *u;
        json_array_foreach(ck->unanalysed, i, u) full &= strcmp(json_string_value(json_object_get(u, "question")), a->question) != 0;
        if (full) stale_finding(ck, ag, a);
    }
}

/* ---- two workers (SPEC §13.3, "Two workers") ------------------------------------------------- */

/* A unit of `accord conflicts`: one question of one agreement, its equal
 * treatment, or a pair of agreements; what it appends to the result's
 * arrays (NARR of them) is its slice. */
typedef enum { U_QUESTION, U_EQUAL, U_PAIR } UnitKind;
#define NARR 5
typedef struct Unit {
    UnitKind kind;
    const IrAgreement *a, *b;
    const IrQuestion *q;
    long cost;               /* the rule pairs it compares: its share of the work, estimated */
    int worker;              /* 0: this process, 1: the child */
    bool ran;                /* done by this process (`worker` 0), or by the child in the child */
    int dims;                /* the dimensions of its box space, after it */
    json_t *atoms;           /* the atoms it names, id -> its words, in the order it names them first */
    json_t *slice[NARR];     /* its results, in order */
} Unit;

static json_t **arrays(Ck *ck, json_t **v) {
    if (!ck->equal) ck->equal = json_array();
    v[0] = ck->findings, v[1] = ck->unconfirmed, v[2] = ck->unanalysed, v[3] = ck->refuted, v[4] = ck->equal;
    return v;
}

/* Run u, its results taken into its slices (the arrays are empty before). */
static double cpu_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); /* CPU time: the profile is read on a shared machine */
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
static void run_unit(Ck *ck, Unit *u, const CheckerOptions *opt) {
    json_t *v[NARR];
    double t0 = cpu_now();
    long q0 = ck->smt ? smt_stats(ck->smt).queries : 0, r0 = ck->replays;
    if (ck->smt) smt_fresh(ck->smt);
    ck->unit_named = json_object();
    if (u->kind == U_QUESTION) check_one_question(ck, u->a, u->q);
    else if (u->kind == U_EQUAL) check_equal(ck, u->a, opt);
    else check_between(ck, u->a, u->b, opt);
    arrays(ck, v);
    for (int k = 0; k < NARR; k++) {
        u->slice[k] = json_copy(v[k]);
        json_array_clear(v[k]);
    }
    u->dims = ck->bs.n;
    u->atoms = ck->unit_named;
    ck->unit_named = NULL;
    /* CHECKER_PROFILE=1: a line per unit (CPU seconds, Z3 queries, replays): the balance of the two workers */
    if (getenv("CHECKER_PROFILE"))
        fprintf(stderr, "unit %s%s%s %s (worker %d, cost %ld): %.3f s, %ld queries, %ld replays\n", u->a->id, u->b ? " x " : "",
                u->b ? u->b->id : "", u->kind == U_EQUAL ? "equal treatment" : u->q ? u->q->name : "", u->worker, u->cost,
                cpu_now() - t0, (ck->smt ? smt_stats(ck->smt).queries : 0) - q0, ck->replays - r0);
}

/* The child's part: its units' slices, what it registered that the result
 * keeps (atoms, acknowledgements used, dimensions), its counts. */
static json_t *worker_result(Ck *ck, Unit *us, int n) {
    json_t *r = json_object(), *sl = json_array(), *acks = json_array(), *took = json_array();
    for (int i = 0; i < n; i++) {
        if (us[i].worker != 1) continue;
        json_array_append_new(took, json_integer(i));
        json_t *one = json_array();
        for (int k = 0; k < NARR; k++) json_array_append(one, us[i].slice[k]);
        json_array_append_new(one, json_integer(us[i].dims));
        json_array_append(one, us[i].atoms);
        json_array_append_new(sl, one);
    }
    for (size_t i = 0; i < ck->acks_used.len; i++) json_array_append_new(acks, json_integer((json_int_t)(uintptr_t)ck->acks_used.items[i]));
    SmtStats st = ck->smt ? smt_stats(ck->smt) : (SmtStats){0};
    json_object_set_new(r, "slices", sl);
    json_object_set_new(r, "took", took);
    json_object_set_new(r, "collided", json_boolean(ck->collided));
    json_object_set_new(r, "acks", acks);
    json_object_set_new(r, "atoms", json_copy(ck->atoms));
    json_object_set_new(r, "atom_keys", json_copy(ck->atom_keys));
    json_object_set_new(r, "replays", json_integer(ck->replays));
    json_object_set_new(r, "z3", json_pack("{s:I, s:I, s:I, s:I, s:I, s:b}", "queries", (json_int_t)st.queries, "sat", (json_int_t)st.sat,
                                           "empty", (json_int_t)st.empty, "unknown", (json_int_t)st.unknown, "refined",
                                           (json_int_t)st.refined, "any", ck->smt != NULL));
    return r;
}

/* Take the child's part in: false (nothing taken) when it does not fit, an
 * atom id of the child naming another atom here (a hash collision the two
 * workers resolved apart). */
static bool take_worker(Ck *ck, Unit *us, int n, json_t *r) {
    json_t *sl = json_object_get(r, "slices"), *keys = json_object_get(r, "atom_keys"), *atoms = json_object_get(r, "atoms");
    const char *id;
    json_t *k;
    json_t *took = json_object_get(r, "took");
    ck->collided |= json_is_true(json_object_get(r, "collided"));
    if (!json_is_array(sl) || !json_is_object(keys) || !json_is_object(atoms) || !json_is_array(took)) return false;
    /* the units it took: in order, none done here, and with those every unit */
    size_t t = 0;
    for (int i = 0; i < n; i++) {
        json_t *x = json_array_get(took, t);
        bool its = json_is_integer(x) && json_integer_value(x) == i;
        if (its == us[i].ran) return false;
        t += its;
    }
    if (t != json_array_size(took)) return false;
    for (int i = 0; i < n; i++) us[i].worker = !us[i].ran;
    json_object_foreach(keys, id, k) {
        json_t *mine = json_object_get(ck->atom_keys, id);
        if (mine && !json_equal(mine, k)) return ck->collided = true, false;
    }
    size_t j = 0;
    for (int i = 0; i < n; i++) {
        if (us[i].worker != 1) continue;
        json_t *one = json_array_get(sl, j++);
        if (json_array_size(one) != NARR + 2) return false;
    }
    if (j != json_array_size(sl)) return false;
    j = 0;
    for (int i = 0; i < n; i++) {
        if (us[i].worker != 1) continue;
        json_t *one = json_array_get(sl, j++);
        for (int k2 = 0; k2 < NARR; k2++) us[i].slice[k2] = json_incref(json_array_get(one, (size_t)k2));
        us[i].dims = (int)json_integer_value(json_array_get(one, NARR));
        json_decref(us[i].atoms);
        us[i].atoms = json_incref(json_array_get(one, NARR + 1));
    }
    json_object_foreach(keys, id, k) {
        if (json_object_get(ck->atom_keys, id)) continue;
        json_object_set(ck->atom_keys, id, k);
        json_object_set(ck->atoms, id, json_object_get(atoms, id));
    }
    json_t *v;
    size_t i;
    json_array_foreach(json_object_get(r, "acks"), i, v) ack_mark_used(ck, (const IrAck *)(uintptr_t)json_integer_value(v));
    ck->replays += json_integer_value(json_object_get(r, "replays"));
    json_t *z = json_object_get(r, "z3");
    ck->zmore.queries += json_integer_value(json_object_get(z, "queries"));
    ck->zmore.sat += json_integer_value(json_object_get(z, "sat"));
    ck->zmore.empty += json_integer_value(json_object_get(z, "empty"));
    ck->zmore.unknown += json_integer_value(json_object_get(z, "unknown"));
    ck->zmore.refined += json_integer_value(json_object_get(z, "refined"));
    ck->zmore_any |= json_is_true(json_object_get(z, "any"));
    return true;
}

/* The units the worker `me` takes, one at a time, until none is left: the
 * places in the order come from a pipe both workers read (each read of
 * an int takes one place: the places are written once, whole, before the
 * fork, and Linux serialises reads of a pipe, so a 4-byte read never splits
 * an int; POSIX promises atomicity for writes only), or from the order
 * itself when there is none (fd < 0). */
static void take_units(Ck *ck, Unit *us, int n, const int *order, int fd, int me, const CheckerOptions *opt) {
    for (int k = 0;; k++) {
        int i;
        if (fd >= 0) {
            ssize_t got;
            do got = read(fd, &i, sizeof i);
            while (got < 0 && errno == EINTR);
            if (got != (ssize_t)sizeof i || i < 0 || i >= n) break;
        } else {
            if (k >= n) break;
            i = order[k];
        }
        us[i].worker = me;
        us[i].ran = true;
        run_unit(ck, &us[i], opt);
    }
}

/* The child: units taken from the state both workers start with, its part on fd. */
static void worker_child(Ck *ck, Unit *us, int n, const int *order, int places, const CheckerOptions *opt, int fd) {
    /* ACCORD_CHECKER_CHILD_FAIL=1 (tests/checker/run.sh): the child exits at
       once, as a crashed one would, so that the fallback (the first worker
       does the child's units) is tested; =2: it takes the largest unit
       and exits before it sends anything */
    const char *fail = getenv("ACCORD_CHECKER_CHILD_FAIL");
    if (fail && !strcmp(fail, "1")) _exit(3);
    if (fail && !strcmp(fail, "2")) {
        int i;
        _exit(read(places, &i, sizeof i) == (ssize_t)sizeof i ? 3 : 4);
    }
    take_units(ck, us, n, order, places, 1, opt);
    json_t *r = worker_result(ck, us, n);
    FILE *f = fdopen(fd, "w");
    int ok = f && json_dumpf(r, f, JSON_COMPACT) == 0 && fflush(f) == 0;
    /* closed before exiting: the first worker reads to the end of the part,
       which would otherwise come only once the kernel has taken this
       process's memory back (200 MB: 25-45 ms of the run's wall time) */
    if (f && fclose(f) != 0) ok = 0;
    _exit(ok ? 0 : 1);
}

/* The units, in the order of the report: per agreement its questions and
 * its equal treatment, then the pairs that overlap. */
static int units_of(const Loaded *lib, const CheckerOptions *opt, Arena *A, Unit **out) {
    size_t cap = 16;
    for (size_t i = 0; i < lib->agreements.len; i++) cap += ((const IrAgreement *)lib->agreements.items[i])->questions.len + 1 + lib->agreements.len;
    Unit *us = arena_alloc(A, sizeof *us * cap);
    int n = 0;
    for (size_t i = 0; i < lib->agreements.len; i++) {
        const IrAgreement *ag = lib->agreements.items[i];
        if (ag->is_standard) continue;
        long all = 0;
        for (size_t k = 0; k < ag->questions.len; k++) {
            const IrQuestion *q = ag->questions.items[k];
            if (opt && opt->question && strcmp(opt->question, q->name)) continue;
            if (!q->rules.len) continue; /* the agreement does not deal with this question */
            long r = (long)q->rules.len;
            all += r;
            us[n++] = (Unit){.kind = U_QUESTION, .a = ag, .q = q, .cost = r * (r - 1) / 2 + 1};
        }
        if (!opt || !opt->no_equal) us[n++] = (Unit){.kind = U_EQUAL, .a = ag, .cost = all + 1};
    }
    if (!opt || !opt->no_between)
        for (size_t i = 0; i < lib->agreements.len; i++)
            for (size_t j = i + 1; j < lib->agreements.len; j++) {
                const IrAgreement *a = lib->agreements.items[i], *b = lib->agreements.items[j];
                if (a->is_standard || b->is_standard || !overlap(a, b)) continue;
                if (supersedes_or_yields(a, b) || supersedes_or_yields(b, a)) continue;
                /* a pair partitions each agreement's question again, then compares them */
                long c = 1;
                for (size_t k = 0; k < a->questions.len; k++) {
                    const IrQuestion *q = a->questions.items[k];
                    const IrQuestion *qb = ir_question(b, q->name);
                    long ra = (long)q->rules.len, rb = qb ? (long)qb->rules.len : 0;
                    if (rb && (!opt || !opt->question || !strcmp(opt->question, q->name)))
                        c += ra * (ra - 1) / 2 + rb * (rb - 1) / 2 + ra * rb;
                }
                us[n++] = (Unit){.kind = U_PAIR, .a = a, .b = b, .cost = c};
            }
    *out = us;
    return n;
}

/* The order in which the workers take the units: the largest estimated
 * first (ties: the order of the report), so that the last units taken, when
 * one worker may wait for the other, are small.  Which worker takes which
 * unit then follows timing (each takes the next when it is free): the
 * report does not depend on it, a unit's results depending on the unit only
 * (SPEC §13.3, "Two workers").  Without by_cost (one worker): the order of
 * the report. */
static int *take_order(Unit *us, int n, bool by_cost, Arena *A) {
    int *order = arena_alloc(A, sizeof *order * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        int j = i;
        for (; by_cost && j > 0 && us[order[j - 1]].cost < us[i].cost; j--) order[j] = order[j - 1];
        order[j] = i;
    }
    return order;
}

/* The second worker, reaped once the report is printed (at exit, or at
 * the next run): it exits after its part is sent, and giving its memory
 * back to the kernel takes 25-45 ms that the first worker spends merging
 * and printing instead of waiting.  Reaped, not left: its CPU time is then
 * counted in this process's children's (time(1), bench/). */
static pid_t reap_pid = -1;
static void reap_worker(void) {
    if (reap_pid <= 0) return;
    int status;
    while (waitpid(reap_pid, &status, 0) < 0 && errno == EINTR) {}
    reap_pid = -1;
}
static void reap_later(pid_t pid) {
    static bool registered;
    reap_worker();
    reap_pid = pid;
    if (!registered) registered = atexit(reap_worker) == 0;
    if (!registered) reap_worker();
}

/* One run: two workers taking units as they are free (two), or one doing
 * them in the order of the report; *collided: an atom id depended on the
 * order the units were done in (a hash shared by two atoms). */
static json_t *conflicts_run(const Loaded *lib, const CheckerOptions *opt, bool two, bool *collided) {
    Ck ck;
    ck_init(&ck, lib, opt);
    Arena UA = {0};
    Unit *us;
    int n = units_of(lib, opt, &UA, &us);
    int *order = take_order(us, n, two, &UA);
    /* the places to take, all written before the fork (a few hundred bytes:
       within the pipe's buffer), read by both workers; the child takes
       units while this process does; a failed fork or pipe, a child that
       fails or a part that does not fit: the units this process did not do
       are done here, after its own */
    int fd[2] = {-1, -1}, places[2] = {-1, -1};
    pid_t pid = -1;
    if (two && n > 1 && (size_t)n * sizeof(int) <= PIPE_BUF * 8 && pipe(places) == 0) {
        /* not blocking: a pipe made past the user's pipe-pages limit holds
           one page, and no reader exists yet (a short write: one worker) */
        bool full = fcntl(places[1], F_SETFL, O_NONBLOCK) == 0 &&
                    write(places[1], order, sizeof *order * (size_t)n) == (ssize_t)(sizeof *order * (size_t)n);
        close(places[1]);
        if (!full) {
            close(places[0]);
            places[0] = -1;
        }
    }
    if (places[0] >= 0 && pipe(fd) == 0) {
        fflush(NULL);
        pid = fork();
        if (pid == 0) {
            close(fd[0]);
            worker_child(&ck, us, n, order, places[0], opt, fd[1]);
        }
        close(fd[1]);
        if (pid < 0) close(fd[0]);
    }
    if (pid < 0 && places[0] >= 0) {
        close(places[0]);
        places[0] = -1;
    }
    /* =2 (the test of a worker failing after it took a unit): this process
       waits for the child to exit (its end of fd closed) before taking any,
       so that the child surely took the first place, the largest unit */
    const char *fail = getenv("ACCORD_CHECKER_CHILD_FAIL");
    if (pid > 0 && fail && !strcmp(fail, "2"))
        for (char c; read(fd[0], &c, 1) > 0;) {}
    take_units(&ck, us, n, order, places[0], 0, opt);
    if (places[0] >= 0) close(places[0]);
    if (pid > 0) {
        FILE *f = fdopen(fd[0], "r");
        json_error_t err;
        json_t *r = f ? json_loadf(f, 0, &err) : NULL;
        if (f) fclose(f);
        else close(fd[0]);
        /* a part read whole is the child's result (it writes it last, all
           or nothing parses); the child is reaped at the end, while it
           gives its memory back */
        bool ok = r && take_worker(&ck, us, n, r);
        json_decref(r);
        if (!ok)
            for (int i = 0; i < n; i++)
                if (!us[i].ran) {
                    us[i].worker = 0;
                    run_unit(&ck, &us[i], opt);
                }
    }
    /* the results in the order of the report */
    json_t *v[NARR];
    arrays(&ck, v);
    bool equal = false;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < NARR; k++) {
            json_array_extend(v[k], us[i].slice[k]);
            equal |= k == 4 && json_array_size(us[i].slice[k]) > 0;
            json_decref(us[i].slice[k]);
        }
    if (!equal) {
        json_decref(ck.equal);
        ck.equal = NULL;
    }
    /* the atoms in the order the units name them first, as one worker would */
    json_t *atoms = json_object();
    for (int i = 0; i < n; i++) {
        const char *id;
        json_t *x;
        json_object_foreach(us[i].atoms, id, x) if (!json_object_get(atoms, id)) json_object_set(atoms, id, x);
        json_decref(us[i].atoms);
    }
    json_decref(ck.atoms);
    ck.atoms = atoms;
    /* the run's dimensions: its largest unit's space (each unit has its own) */
    for (int i = 0; i < n; i++)
        if (us[i].dims > ck.dims_run) ck.dims_run = us[i].dims;
    arena_free_all(&UA);
    check_stale(&ck, lib, opt);
    *collided = ck.collided;
    json_t *res = result(&ck, "conflicts", 0);
    if (pid > 0) reap_later(pid);
    return res;
}

json_t *checker_conflicts_json(const Loaded *lib, const CheckerOptions *opt) {
#ifdef __GLIBC__
    /* each unit's arenas and Z3 context are freed and made again: memory
       freed stays in the process (no trim, no mmap of large blocks) instead
       of going back to the kernel to be faulted in again, zeroed, by the
       next unit (on the shipped library 72,000 -> 44,000 page faults, about
       half the system time) */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
    bool two = !(opt && opt->one_worker), collided = false;
    json_t *r = conflicts_run(lib, opt, two, &collided);
    /* two atoms of one hash (rare): their ids depended on which worker named
       which first, so the run is done again as one worker does it */
    if (two && collided) {
        json_decref(r);
        r = conflicts_run(lib, opt, false, &collided);
    }
    return r;
}

/* A comparison of a (from la) with b (from lb): one checker, one interpreter each. */
static void two_begin(Ck *ck, Two *c, const Loaded *la, const IrAgreement *a, const Loaded *lb, const IrAgreement *b,
                      const CheckerOptions *opt) {
    ck_init(ck, la, opt);
    ck_add_lib(ck, lb);
    memset(c, 0, sizeof *c);
    c->a = a;
    c->b = b;
    c->ia = interp_new(a);
    c->ib = interp_new(b);
}

/* The k-th question of a, when it is asked (and, with `ruled`, a has rules for it); a fresh unit. */
static bool two_next(Ck *ck, Two *c, size_t k, const CheckerOptions *opt, bool ruled) {
    c->qa = c->a->questions.items[k];
    if (opt && opt->question && strcmp(opt->question, c->qa->name)) return false;
    c->qb = ir_question(c->b, c->qa->name);
    if (!c->qb || (ruled && !c->qa->rules.len)) return false;
    ck_unit(ck);
    return true;
}

static bool answers_differ(const Two *c) { return !outcome_same(&c->last[0], &c->last[1]); }

static bool rep_diff(Ck *ck, const Value *k, const Value *args, void *ctx) { return both_hold(ck, ctx, k, args, answers_differ); }

json_t *checker_diff_json(const Loaded *la, const IrAgreement *a, const Loaded *lb, const IrAgreement *b,
                          const CheckerOptions *opt) {
    Ck ck;
    Two c;
    two_begin(&ck, &c, la, a, lb, b, opt);
    for (size_t k = 0; k < a->questions.len; k++) {
        if (!two_next(&ck, &c, k, opt, false)) continue;
        Partition pa = partition(&ck, a, c.qa), pb = partition(&ck, b, c.qb);
        compare_partitions(&ck, "diff", &pa, &pb, &c, true, rep_diff);
    }
    interp_free(c.ia);
    interp_free(c.ib);
    return result(&ck, "diff", 0);
}

static bool more_favourable(const Value *x, const Value *y) {
    switch (x->kind) {
    case TY_BOOL: return x->b && !y->b;
    case TY_INT: case TY_DAYS: case TY_MONTHS: return x->i > y->i;
    case TY_MONEY: return x->cur == y->cur && rat_cmp(x->q, y->q) > 0;
    default: return !value_eq(x, y);
    }
}

/* The case involves one of the agreement's parties (SPEC §12.2, a residence, an activity or a period there). */
static bool involves(Ck *ck, const IrAgreement *ag, const Value *k) {
    const IrRecord *cr = ck->voc->case_rec;
    int person = field_index(cr, "person"), acts = field_index(cr, "activities"), pers = field_index(cr, "periods");
    if (person >= 0) {
        int res = field_index(cr->fields[person].type->rec, "residence");
        if (res >= 0 && set_has(&ag->parties, (int)k->agg.items[person].agg.items[res].i)) return true;
    }
    int lists[2] = {acts, pers};
    for (int l = 0; l < 2; l++) {
        if (lists[l] < 0) continue;
        const Value *v = &k->agg.items[lists[l]];
        int st = field_index(cr->fields[lists[l]].type->elem->rec, "state");
        for (uint32_t i = 0; st >= 0 && i < v->agg.n; i++)
            if (set_has(&ag->parties, (int)v->agg.items[i].agg.items[st].i)) return true;
    }
    return false;
}

/* The standard's answer (last[0]) is decided and the agreement's (last[1]) is none or less favourable. */
static bool below(const Two *c) {
    const Outcome *os = &c->last[0], *oa = &c->last[1];
    if (os->kind != OUT_DECIDED) return false;
    if (oa->kind != OUT_DECIDED) return true;
    return more_favourable(&os->value, &oa->value);
}

static bool rep_below(Ck *ck, const Value *k, const Value *args, void *ctx) {
    Two *c = ctx;
    return involves(ck, c->b, k) && both_hold(ck, c, k, args, below);
}

json_t *checker_against_json(const Loaded *ls, const IrAgreement *std, const Loaded *la, const IrAgreement *a,
                             const CheckerOptions *opt) {
    Ck ck;
    Two c;
    two_begin(&ck, &c, ls, std, la, a, opt);
    for (size_t k = 0; k < std->questions.len; k++) {
        if (!two_next(&ck, &c, k, opt, true)) continue;
        Partition ps = partition(&ck, std, c.qa), pa = partition(&ck, a, c.qb);
        /* where the standard decides and the agreement, in force, does not give that answer */
        BoxSet live = bs_interval(&ck, date_dim(&ck), a->in_force, (int64_t)a->terminates - 1);
        if (c.qb->country_param >= 0) {
            BoxDim v;
            memset(&v, 0, sizeof v);
            memcpy(v.bits, a->parties.bits, sizeof v.bits);
            BoxSet cs = bs_dim(&ck, arg_dim(&ck, c.qb, c.qb->country_param), &v);
            live = boxset_meet(&ck.bs, &live, &cs);
        }
        for (int i = 0; i < ps.in.n; i++) {
            const Res *rs = ps.in.p[i].res;
            if (rs->state != RS_DECIDED) continue;
            Region sreg = region_meet_boxes(&ck.bs, &ps.in.p[i].region, &live);
            /* the agreement: each of its pieces, and its undetermined and not-covered regions */
            Pieces ap = {0};
            for (int j = 0; j < pa.in.n; j++) pieces_add(&ck, &ap, pa.in.p[j].region, pa.in.p[j].res);
            pieces_add(&ck, &ap, pa.undetermined, pa.und);
            pieces_add_outside(&ck, &ap, pa.nc);
            for (int j = 0; j < ap.n; j++) {
                const Res *ra = ap.p[j].res;
                bool exact = true;
                if (ra->state == RS_DECIDED) {
                    if (rs->vconst && ra->vconst) {
                        if (!more_favourable(&rs->v, &ra->v)) continue;
                    } else {
                        exact = false;
                    }
                }
                Region m = ra == pa.nc ? region_sub(&ck.bs, &sreg, &pa.scope) : region_meet(&ck.bs, &sreg, &ap.p[j].region);
                if (region_empty(&m)) continue;
                Finding f;
                memset(&f, 0, sizeof f);
                f.kind = "below_standard";
                f.ag = a;
                f.other = std;
                f.q = c.qa;
                f.exact = exact;
                region_for_report(&ck, &m, &f);
                finding_rules_from(&f, std, rs);
                finding_rules_from(&f, a, ra);
                c.ra = rs;
                c.rb = ra;
                report(&ck, &f, rep_below, &c, two_answers);
            }
        }
    }
    interp_free(c.ia);
    interp_free(c.ib);
    check_stale_below(&ck, a, std, opt);
    return result(&ck, "gaps --against", 0);
}

void checker_merge(json_t *dst, json_t *src) {
    const char *keys[] = {"findings", "unconfirmed", "refuted"};
    for (int k = 0; k < 3; k++) json_array_extend(json_object_get(dst, keys[k]), json_object_get(src, keys[k]));
    json_object_update_missing(json_object_get(dst, "atoms"), json_object_get(src, "atoms"));
    json_t *ds = json_object_get(dst, "summary"), *ss = json_object_get(src, "summary");
    const char *nums[] = {"findings", "unacknowledged", "unconfirmed", "replays", "refuted"};
    for (int k = 0; k < 5; k++)
        json_object_set_new(ds, nums[k], json_integer(json_integer_value(json_object_get(ds, nums[k])) +
                                                      json_integer_value(json_object_get(ss, nums[k]))));
    json_decref(src);
}

/* One line per agreement declaring equal treatment (SPEC §13.4): how many
 * questions are proved and how, and which are not, with the first reason. */
static void print_equal(json_t *e, FILE *out) {
    int boxes = 0, scope = 0, ir = 0, n = 0;
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(e, "questions"), i, q) {
        const char *st = json_string_value(json_object_get(q, "status"));
        const char *m = json_string_value(json_object_get(q, "method"));
        n++;
        if (!strcmp(st, "proved")) boxes++, scope += m && !strcmp(m, "scope");
        else if (!strncmp(st, "proved", 6)) ir++;
    }
    fprintf(out, "equal treatment in %s: proved for %d of %d questions (%d on boxes", json_string_value(json_object_get(e, "agreement")),
            boxes + ir, n, boxes);
    if (scope) fprintf(out, ", %d of them by the personal scope alone", scope);
    fprintf(out, ", %d not reading nationality)", ir);
    const char *kinds[] = {"unequal", "not proved", "searched (not proved)"};
    for (int k = 0; k < 3; k++) {
        const char *reason = NULL, *sep = "; ";
        json_array_foreach(json_object_get(e, "questions"), i, q) {
            if (strcmp(json_string_value(json_object_get(q, "status")), kinds[k])) continue;
            fprintf(out, "%s%s%s", sep, sep[0] == ';' ? kinds[k] : "", sep[0] == ';' ? ": " : "");
            fprintf(out, "%s", json_string_value(json_object_get(q, "question")));
            if (!reason) reason = json_string_value(json_object_get(q, "reason"));
            sep = ", ";
        }
        if (reason) fprintf(out, " (%s)", reason);
    }
    fprintf(out, "\n");
}

/* Past a few questions' worth of findings, a line per question: where a
 * drafter starts reading a long diff. */
static void print_per_question(json_t *r, FILE *out) {
    json_t *fs = json_object_get(r, "findings"), *us = json_object_get(r, "unconfirmed");
    if (json_array_size(fs) + json_array_size(us) < 10) return;
    json_t *seen = json_object();
    json_t *lists[2] = {fs, us};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *f;
        json_array_foreach(lists[l], i, f) {
            const char *q = json_string_value(json_object_get(f, "question"));
            json_t *c = json_object_get(seen, q ? q : "");
            if (!c) {
                c = json_pack("[ii]", 0, 0);
                json_object_set_new(seen, q ? q : "", c);
            }
            json_array_set_new(c, (size_t)l, json_integer(json_integer_value(json_array_get(c, (size_t)l)) + 1));
        }
    }
    const char *q;
    json_t *c;
    json_object_foreach(seen, q, c) {
        json_int_t nf = json_integer_value(json_array_get(c, 0)), nu = json_integer_value(json_array_get(c, 1));
        fprintf(out, "per question: %s: %d finding%s, %d unconfirmed region%s\n", *q ? q : "(none)", (int)nf, nf == 1 ? "" : "s",
                (int)nu, nu == 1 ? "" : "s");
    }
    json_decref(seen);
}

int checker_print(json_t *r, FILE *out) {
    size_t i;
    json_t *f;
    int unack = 0;
    json_array_foreach(json_object_get(r, "findings"), i, f) {
        json_t *rules = json_object_get(f, "rules");
        json_t *r0 = json_array_get(rules, 0);
        const char *file = r0 ? json_string_value(json_object_get(r0, "file")) : json_string_value(json_object_get(f, "file"));
        bool ack = json_is_true(json_object_get(f, "acknowledged"));
        if (!ack) unack++;
        fprintf(out, "%s:%d: %s%s: %s", file && *file ? file : json_string_value(json_object_get(f, "agreement")),
                (int)json_integer_value(json_object_get(r0 ? r0 : f, "line")), json_string_value(json_object_get(f, "kind")),
                ack ? " (acknowledged)" : "", json_string_value(json_object_get(f, "question")));
        json_t *args = json_object_get(f, "args");
        if (json_array_size(args)) {
            char *a = json_dumps(args, JSON_COMPACT);
            fprintf(out, "%s", a);
            free(a);
        }
        const char *other = json_string_value(json_object_get(f, "other"));
        fprintf(out, " in %s%s%s\n", json_string_value(json_object_get(f, "agreement")), other ? " and " : "", other ? other : "");
        size_t j;
        json_t *a;
        json_array_foreach(json_object_get(f, "answers"), j, a) {
            const char *v = NULL;
            char *vs = json_object_get(a, "value") ? json_dumps(json_object_get(a, "value"), JSON_ENCODE_ANY) : NULL;
            v = vs;
            const char *nat = json_string_value(json_object_get(a, "nationality"));
            fprintf(out, "  %s%s%s says %s%s%s%s%s\n", json_string_value(json_object_get(a, "agreement")), nat ? " for a national of " : "",
                    nat ? nat : "", json_string_value(json_object_get(a, "outcome")), v ? " " : "", v ? v : "",
                    json_object_get(a, "cite") ? " by " : "", json_object_get(a, "cite") ? json_string_value(json_object_get(a, "cite")) : "");
            free(vs);
        }
        json_array_foreach(json_object_get(f, "rules"), j, a)
            fprintf(out, "  rule %s (%s) %s:%d\n", json_string_value(json_object_get(a, "rule")),
                    json_string_value(json_object_get(a, "cite")), json_string_value(json_object_get(a, "file")),
                    (int)json_integer_value(json_object_get(a, "line")));
        fprintf(out, "  region: %s\n", json_string_value(json_object_get(f, "region")));
        json_t *w = json_object_get(f, "witness");
        if (w && !json_is_null(w)) {
            char *ws = json_dumps(w, JSON_COMPACT);
            fprintf(out, "  witness: %s\n", ws);
            free(ws);
        }
        if (ack) fprintf(out, "  acknowledged: %s\n", json_string_value(json_object_get(f, "note")));
    }
    json_array_foreach(json_object_get(r, "unconfirmed"), i, f) {
        /* the full regions are in --format json; a line each here: the rules, and the
           region's start (past the note on its over-approximation) */
        const char *reg = json_string_value(json_object_get(f, "region"));
        const char *within = strstr(reg, "), within: ");
        if (reg[0] == '(' && within) reg = within + 11;
        const char *other = json_string_value(json_object_get(f, "other"));
        fprintf(out, "unconfirmed: %s %s in %s%s%s", json_string_value(json_object_get(f, "kind")),
                json_string_value(json_object_get(f, "question")), json_string_value(json_object_get(f, "agreement")),
                other ? " and " : "", other ? other : "");
        size_t j;
        json_t *a;
        json_array_foreach(json_object_get(f, "rules"), j, a) fprintf(out, "%s%s", j ? ", " : " (", json_string_value(json_object_get(a, "rule")));
        fprintf(out, "%s: %.160s%s\n", json_array_size(json_object_get(f, "rules")) ? ")" : "", reg, strlen(reg) > 160 ? "..." : "");
    }
    print_per_question(r, out);
    json_array_foreach(json_object_get(r, "unanalysed"), i, f)
        fprintf(out, "unanalysed: %s in %s: %s\n", json_string_value(json_object_get(f, "question")),
                json_string_value(json_object_get(f, "agreement")), json_string_value(json_object_get(f, "reason")));
    json_array_foreach(json_object_get(r, "equal_treatment"), i, f) print_equal(f, out);
    json_t *s = json_object_get(r, "summary");
    json_int_t refuted = json_integer_value(json_object_get(s, "refuted"));
    if (refuted) fprintf(out, "%d candidate region%s proved empty by Z3 (refuted; listed in --format json)\n", (int)refuted, refuted == 1 ? "" : "s");
    fprintf(out, "%d finding%s, %d unacknowledged, %d unconfirmed region%s\n", (int)json_integer_value(json_object_get(s, "findings")),
            json_integer_value(json_object_get(s, "findings")) == 1 ? "" : "s", unack,
            (int)json_integer_value(json_object_get(s, "unconfirmed")),
            json_integer_value(json_object_get(s, "unconfirmed")) == 1 ? "" : "s");
    return unack;
}
