/* smt.c - candidate regions of the checker as Z3 queries; see smt.h and SPEC §13.3.
 *
 * The only user of Z3.  One context per Smt (a checker run), a fresh
 * solver per query: Z3's simple solver (its SMT core without the
 * preprocessing tactics of the default solver, which cost more than they
 * save on queries this small: about a third of the time on the shipped
 * library, the same answers), given the query as one conjunction.  A query encodes each fact over a symbolic case (Sym):
 * a tree of records whose fields are created when an expression reads them,
 * so that the model speaks only about what the facts read, and the decoded
 * witness keeps every other fact of its base case.
 */
#include "smt.h"
#include "accord_rt.h"
#include "iso.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <z3.h>

/* list slots of a query when the small-model bound asks for fewer (a
 * satisfying case then may need more elements; SAT needs no bound) */
#define MIN_SLOTS 2
/* the bound is justified up to this many existential occurrences per list */
#define MAX_SLOTS 6
/* an unsatisfiable query whose bound needs more is asked again with the
   slots it needs, up to this many: a proof then (SPEC §13.3) */
#define MAX_PROOF_SLOTS 8
/* The free-set round (SPEC §13.3, open memberships) is asked with up to
 * MAX_PROOF_SLOTS slots under --thorough, up to FREE_SLOTS_DEFAULT otherwise:
 * measured on the shipped library (callgrind, one worker), session 9: up to
 * 6 slots refute 11 candidates for 8 % more instructions, up to 8 another
 * 32 for 28 % more again; session 10, with closed comprehensions encoded
 * once: up to 6 24,029 M, up to 7 (9 more refuted) 25,040 M, up to 8 (32
 * more) about 29,300 M, against session 9's 27,680 M with up to 6 (27,613 M
 * in session 9's own measurement). */
#define FREE_SLOTS_DEFAULT 7
#define MAX_FRAME 64
#define UNIT_LISTS 16 /* the lists a query's units follow (solve_inside) */
#define MAX_AROUND 8
#define MAX_PARTS 4
#define CONTEXT_QUERIES 50
#define MAX_INLINE 32
#define IN_BITS_MEMO 1024
#define SMALL_INTS 16
#define MEMO_SIZE 256 /* buckets of the closed comprehensions encoded this query (memo) */

typedef struct Sym Sym;
struct SetUse;
static void occurrence(struct Smt *s, Sym *y, Z3_ast f, int need, const IrExpr *const *wit, int nwit);
static int leaves_over(const struct SetUse *u, const Sym *y, const IrExpr **out);
static void open_occurrence(struct Smt *s, Sym *y, const struct SetUse *u, const IrExpr *e, Z3_ast f, int need, uint64_t read, int level);
struct Sym {
    const Type *type;   /* TY_RECORD or TY_LIST */
    /* record: per field, its term, empty until read */
    struct Term *val;
    /* list */
    Z3_ast len;
    Sym **items;
    int nexists;        /* existential occurrences over this list */
};

typedef struct Term {
    Z3_ast a;           /* a scalar */
    Sym *s;             /* a record or a list */
    Z3_ast *set;        /* a set, dense: per ordinal, whether it is a member (Bool) */
    /* a set of the case as read (dense, set[o] = fn(o)): a member x is fn(x)
       and one of its ordinals, one term instead of one per ordinal */
    Z3_func_decl fn;
    const uint64_t *fdom;
    /* a set, sparse (a comprehension's or a literal's, a few elements):
       o is a member iff some i has ec[i] and ev[i] == o */
    int n;
    Z3_ast *ec, *ev;
    const Type *elem;
} Term;

struct Smt {
    const IrVocabulary *voc;
    unsigned rlimit, max_queries;
    long unit_q0;       /* st.queries when the unit began (smt_fresh): max_queries is per unit */
    double t_enc, t_check; /* SMT_PROFILE: where the time goes */
    Z3_context z;
    Z3_sort sb, si, sr, s8;
    Z3_ast tt, ff;      /* true and false: compared by pointer to fold constants */
    /* the ordinals and small integers, made once a context (Z3 returns the
       same term for a numeral made again, but making it costs: a sixth of
       the encoding on the shipped library) */
    Z3_ast ords[256], ints[SMALL_INTS];
    SmtStats st;
    int in_context;     /* queries asked in this context */
    char why[240];
    uint64_t countries[4]; /* valid country ordinals, none (0) included */
    /* the current query */
    Arena P;            /* the whole run: atoms found outside the fragment */
    PtrVec bad;
    int dropped;        /* atoms of the query left out */
    Arena A;
    Z3_solver sol;
    Z3_model model;
    Sym *kase;
    Z3_ast date;        /* the determination date */
    Z3_ast args[8];
    const IrQuestion *q;
    const IrAgreement *ag;
    PtrVec lists;       /* Sym*: every list read */
    PtrVec occs;        /* Occ*: the existential occurrences counted */
    PtrVec held;        /* Z3_ast: the constraints (hold) */
    PtrVec atoms;       /* Seen*: the atoms encoded */
    PtrVec *group;      /* the constraints of the current box of a disjunction (SMT_BOX) */
    const IrAgreement *parties_of[4]; /* the parties' sets built in this query */
    Z3_ast *parties[4];
    int nparties;
    PtrVec nice;        /* Z3_ast: what a case needs to survive JSON (its date, both period dates given) */
    PtrVec fns;         /* Z3_func_decl: the sets of the case read, as functions (Term.fn) */
    PtrVec seen;        /* Z3_ast: after SAT, the applications of fns in the query (observed) */
    /* the terms of held[0..walked) visited to find them: a refinement's
       model walks only what the refinement added */
    struct Walk {
        unsigned *ids;
        size_t cap, n;
    } walk;
    size_t walked;
    struct InBits *inbits[IN_BITS_MEMO]; /* in_bits's terms this query */
    int slots;
    bool proof;         /* unsat is a proof (SPEC §13.3) */
    const char *noproof; /* why not */
    int body;           /* the list comprehensions around the expression being encoded */
    /* the list comprehensions' elements the encoding read since the
       innermost comprehension began (bit d: the element bound at depth d):
       a comprehension over a list inside another's condition or value is in
       the fragment only when it reads no element of those around it (SPEC
       §13.3, a closed comprehension) */
    uint64_t touch;
    /* a count compared with a constant k (SPEC §13.3): the comprehension
       that may read a list, and the elements it needs (k + 1) */
    const IrExpr *counted;
    int count_need;
    /* counted is the set a count with a condition reads (count(y in S
       where c)): its elements kept are those of the members where c holds,
       an occurrence of its own, never the set's (SPEC §13.3) */
    bool count_filtered;
    /* a sum of non-negative values compared with a constant where a sub-list
       keeps the comparison's truth (SPEC §13.3): the sum, which needs no slot */
    const IrExpr *summed;
    bool sum_free;      /* summed: compared where a sub-list may not keep it (a free quantity, sum_free) */
    PtrVec sums;        /* Z3_ast pairs: a sum over the slots, the free quantity standing for it */
    /* a set made from lists, consumed as the lists are (SPEC §13.3): a
       membership `x in S`, a comprehension over S or its size compared with
       a constant is an exists, forall or count over the lists */
    struct SetUse {
        const IrExpr *leaf[MAX_PARTS]; /* the set comprehensions the consumer reads */
        int nleaf;
        struct Sym *from[MAX_PARTS];   /* the lists they were made from, once read */
        int nfrom;
        struct Sym *leaf_list[MAX_PARTS]; /* per leaf, its list once read (NULL: not a list) */
    } use;
    /* the list comprehensions around the expression being encoded, per
       depth, and the element each is at: the outer one an open occurrence
       reads (SPEC §13.3, open comprehensions) */
    struct Around {
        const IrExpr *e;
        struct Sym *list;      /* over a list, or */
        struct SetUse src;     /* over a set made from lists */
        int index;             /* the slot (or set element) being encoded */
    } around[MAX_AROUND];
    PtrVec opens;       /* Open*: occurrences that read the element around them */
    PtrVec excl;        /* in P, per unit: triples (a, b, a or NULL): whether exclusive(a, b) */
    int inlined;
    PtrVec civil;       /* Civil*: the dates decomposed this query (calendar) */
    /* the query's conjuncts inside the fragment (solve_inside): each
       rule's applying or not (a DECIDES fact split), each other fact, the
       boxes' disjunction whole, when its encoding kept the proof */
    bool collect, proof_only;
    bool thorough;      /* smt_thorough: solve_inside asked */
    int inside_exists[UNIT_LISTS]; /* per list, the occurrences of the units kept */
    /* the calendar functions are encoded (smt_calendar); deferred: one was
       met while they are not, in the expression being encoded; calendared:
       in the query */
    bool calendar_on, deferred, calendared;
    SmtFact *inside;
    int ninside, capinside;
    /* open memberships in a closed set made from a list (SPEC §13.3, *open
       memberships*): free_open: they read a free set per set (frees: pairs
       of the slots' set term and its function) and keep no witness;
       member_open: the open occurrence being counted is one of them, which
       a query with free_open would not count (Open.member) */
    bool free_open, member_open;
    PtrVec frees;
    /* choices (SPEC §13.3, *choices*): a conjunction at negative or a
       disjunction at positive polarity outside every comprehension holds
       by one of its operands; each operand is a scope, whose occurrences
       count only when it is the costliest of its choice.  scopes: per
       scope (1...), its choice's index + 1 (0: none); choices: per
       choice, its parent scope; scope: the one being encoded (0: the
       query's) */
    PtrVec scopes, choices;
    int scope, in_agg;
    /* the occurrence being counted, when its elements kept may be shared
       with others of the same condition (SPEC §13.3, *shared witnesses*):
       SHARE_ANY (any elements where the condition holds), SHARE_FIRST (the
       first of them), SHARE_VALUES (one per value of a set made with it);
       key: the condition, as the index of the first slot where it holds */
    int share;
    Z3_ast share_key;
    /* a set read by a count with a condition (count_filtered): its
       occurrence, left to that count to name by its own term */
    struct Pending {
        Sym *list;
        struct SetUse u;
        const IrExpr *e;
        int need;
    } pending;
    /* closed comprehensions encoded once a query (aggregate): per bucket
       the encodings made; log: what the encodings being recorded counted
       (Logged*, replayed on a hit); recording: how many are being
       recorded; np_first: where the innermost records its first no_proof;
       unshared: outside() calls and fresh constants no memo gives again
       (an encoding that made one is not kept); inl_peak: the deepest
       definition nesting a recorded encoding reached */
    struct Memo *memo[MEMO_SIZE];
    PtrVec log;
    /* per definition nesting depth, the frame its body is encoded in
       (define): reused, no term keeps a frame */
    struct Env *frames[MAX_INLINE];
    PtrVec params;      /* pairs: a parameter or a constant set, its Term this query (parameter, enc) */
    int recording, inl_peak;
    const char **np_first;
    unsigned long unshared;
    /* per comprehension, whether it is closed (memo_closed), for the run */
    struct ClosedAt {
        const IrExpr *e;
        bool closed;
    } *closed;
    size_t nclosed, capclosed;
};

static void on_error(Z3_context z, Z3_error_code e) {
    (void)z;
    (void)e; /* checked after each query (Z3_get_error_code) */
}

static bool outside(Smt *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The marks a consumer (a count or sum compared with a constant, a set's
 * reader) leaves for the node it reads.  They hold on the path from the
 * consumer to that node only: an argument of a definition, an operand of a
 * difference or comparison of sets, a comprehension's condition, value or
 * default met on the way is encoded with none, and all of them (the need and
 * the flags too: an argument's own count would otherwise overwrite them) are
 * put back after. */
typedef struct Marks {
    const IrExpr *counted, *summed;
    int count_need;
    bool count_filtered, sum_free;
    struct SetUse use;
} Marks;
static Marks marks_clear(Smt *s) {
    Marks m = {s->counted, s->summed, s->count_need, s->count_filtered, s->sum_free, s->use};
    s->counted = s->summed = NULL;
    memset(&s->use, 0, sizeof s->use);
    return m;
}
static void marks_put(Smt *s, const Marks *m) {
    s->counted = m->counted, s->summed = m->summed, s->count_need = m->count_need;
    s->count_filtered = m->count_filtered, s->sum_free = m->sum_free, s->use = m->use;
}

static bool outside(Smt *s, const char *fmt, ...) {
    s->unshared++; /* its words are the encoding's: a memo would not say them again */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->why, sizeof s->why, fmt, ap);
    va_end(ap);
    return false;
}

Smt *smt_new(const IrVocabulary *voc, unsigned rlimit, unsigned max_queries) {
    Smt *s = xmalloc(sizeof *s);
    memset(s, 0, sizeof *s);
    s->voc = voc;
    s->rlimit = rlimit;
    s->max_queries = max_queries;
    s->thorough = true;
    s->countries[0] = 1;
    for (int c = 1; c < 256; c++)
        if (acc_country_code(c)) s->countries[c >> 6] |= (uint64_t)1 << (c & 63);
    return s;
}

void smt_free(Smt *s) {
    if (!s) return;
    if (s->z) {
        if (s->model) Z3_model_dec_ref(s->z, s->model);
        if (s->sol) Z3_solver_dec_ref(s->z, s->sol);
        Z3_del_context(s->z);
    }
    if (getenv("SMT_PROFILE"))
        fprintf(stderr, "smt: %ld queries, encoding %.3f s, solving %.3f s\n", s->st.queries, s->t_enc, s->t_check);
    arena_free_all(&s->A);
    arena_free_all(&s->P);
    free(s->inside);
    free(s->closed);
    free(s);
}

static void query_end(Smt *s);
void smt_fresh(Smt *s) {
    query_end(s);
    if (s->z) Z3_del_context(s->z);
    s->z = NULL;
    /* the atoms found outside the fragment too: one found again costs a
       failed encoding, whose terms are part of the context's history */
    arena_free_all(&s->P);
    s->unit_q0 = s->st.queries;
    memset(&s->bad, 0, sizeof s->bad);
    memset(&s->excl, 0, sizeof s->excl);
}

const char *smt_why(const Smt *s) { return s->why; }
void smt_calendar(Smt *s, bool on) { s->calendar_on = on; }
void smt_thorough(Smt *s, bool on) { s->thorough = on; }
bool smt_calendared(const Smt *s) { return s->calendared; }

SmtStats smt_stats(const Smt *s) { return s->st; }

static bool ready(Smt *s) {
    if (s->z) return true;
    Z3_config cfg = Z3_mk_config();
    Z3_set_param_value(cfg, "model", "true");
    s->z = Z3_mk_context(cfg);
    Z3_del_config(cfg);
    if (!s->z) return outside(s, "Z3 could not start");
    Z3_set_error_handler(s->z, on_error);
    s->in_context = 0;
    s->sb = Z3_mk_bool_sort(s->z);
    s->si = Z3_mk_int_sort(s->z);
    s->sr = Z3_mk_real_sort(s->z);
    s->s8 = s->si;
    s->tt = Z3_mk_true(s->z);
    s->ff = Z3_mk_false(s->z);
    memset(s->ords, 0, sizeof s->ords);
    memset(s->ints, 0, sizeof s->ints);
    return true;
}

/* ---- terms ------------------------------------------------------------------------------ */

/* unsatisfiability of this query is not a proof (SPEC §13.3): the first reason */
static void no_proof(Smt *s, const char *why) {
    if (s->np_first && !*s->np_first) *s->np_first = why; /* a recorded encoding's first (memo) */
    if (s->proof) s->noproof = why;
    s->proof = false;
}

/* A constraint of the query: held until the encoding is complete, then
 * given to the solver as one conjunction (each assert costs Z3 work). */
static void hold(Smt *s, Z3_ast c) {
    if (c != s->tt) ptrvec_push(&s->A, s->group ? s->group : &s->held, c);
}
/* A constraint of the domain of the case (a fact's valid values): held for
 * the whole query, also when it is first read in one box of a disjunction */
static void hold_dom(Smt *s, Z3_ast c) {
    if (c != s->tt) ptrvec_push(&s->A, &s->held, c);
}

/* Boolean connectives that fold the constants (sets are mostly constant) */
static Z3_ast and2(Smt *s, Z3_ast a, Z3_ast b) {
    if (a == s->ff || b == s->ff) return s->ff;
    if (a == s->tt) return b;
    if (b == s->tt) return a;
    Z3_ast v[2] = {a, b};
    return Z3_mk_and(s->z, 2, v);
}
static Z3_ast or2(Smt *s, Z3_ast a, Z3_ast b) {
    if (a == s->tt || b == s->tt) return s->tt;
    if (a == s->ff) return b;
    if (b == s->ff) return a;
    Z3_ast v[2] = {a, b};
    return Z3_mk_or(s->z, 2, v);
}
static Z3_ast not1(Smt *s, Z3_ast a) { return a == s->tt ? s->ff : a == s->ff ? s->tt : Z3_mk_not(s->z, a); }
static Z3_ast ite(Smt *s, Z3_ast c, Z3_ast a, Z3_ast b) {
    if (c == s->tt || a == b) return a;
    if (c == s->ff) return b;
    return Z3_mk_ite(s->z, c, a, b);
}
static Z3_ast add2(Smt *s, Z3_ast a, Z3_ast b) {
    Z3_ast v[2] = {a, b};
    return Z3_mk_add(s->z, 2, v);
}
static Z3_ast int_(Smt *s, int64_t v) {
    if (v < 0 || v >= SMALL_INTS) return Z3_mk_int64(s->z, v, s->si);
    if (!s->ints[v]) s->ints[v] = Z3_mk_int64(s->z, v, s->si);
    return s->ints[v];
}
/* 0 as a rational (real) or an integer */
static Z3_ast zero(Smt *s, bool real) { return real ? Z3_mk_numeral(s->z, "0", s->sr) : int_(s, 0); }
static Z3_ast ord(Smt *s, int64_t o) {
    if (o < 0 || o > 255) return Z3_mk_int64(s->z, o, s->s8);
    if (!s->ords[o]) s->ords[o] = Z3_mk_int64(s->z, o, s->s8);
    return s->ords[o];
}
static bool has_bit(const uint64_t *b, int o) { return (b[o >> 6] >> (o & 63)) & 1; }

static Z3_ast *set_new(Smt *s) {
    Z3_ast *v = arena_alloc(&s->A, sizeof *v * 256);
    for (int o = 0; o < 256; o++) v[o] = s->ff;
    return v;
}
static Z3_ast *set_const(Smt *s, const uint64_t *bits) {
    Z3_ast *v = set_new(s);
    for (int o = 0; o < 256; o++)
        if (has_bit(bits, o)) v[o] = s->tt;
    return v;
}
/* ordinal x is in the constant set `bits`: runs of ordinals as intervals */
/* the disjunction of d[0..n) as one term: the nested binary disjunctions
 * or2 makes cost a term each, and Z3 flattens them again when asserting */
static Z3_ast or_n(Smt *s, Z3_ast *d, int n) {
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (d[i] == s->tt) return s->tt;
        if (d[i] != s->ff) d[m++] = d[i];
    }
    return m == 0 ? s->ff : m == 1 ? d[0] : Z3_mk_or(s->z, (unsigned)m, d);
}
/* the runs of ordinals of `bits` that x is in, into d (at most 128) */
static int bits_runs(Smt *s, Z3_ast x, const uint64_t *bits, Z3_ast *d) {
    int n = 0;
    for (int o = 0; o < 256; o++) {
        if (!has_bit(bits, o)) continue;
        int hi = o;
        while (hi + 1 < 256 && has_bit(bits, hi + 1)) hi++;
        d[n++] = o == hi ? Z3_mk_eq(s->z, x, ord(s, o)) : and2(s, Z3_mk_ge(s->z, x, ord(s, o)), Z3_mk_le(s->z, x, ord(s, hi)));
        o = hi;
    }
    return n;
}
/* in_bits is asked again and again for the same term and set (a state
 * against the parties in every rule that reads it): remembered per query,
 * the same term as making it again would give (Z3 shares equal terms) */
/* a pointer's hash (the memos' buckets) */
static size_t ptr_hash(const void *p) { return ((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15u; }
typedef struct InBits {
    Z3_ast x, r;
    uint64_t bits[4];
    const Z3_ast *v; /* member(x, v)'s, NULL: in_bits(x, bits)'s */
    struct InBits *next;
} InBits;

static Z3_ast in_bits(Smt *s, Z3_ast x, const uint64_t *bits) {
    size_t h = ptr_hash(x);
    for (int i = 0; i < 4; i++) h = (h ^ bits[i]) * 0x100000001B3u;
    h = (h >> 32) & (IN_BITS_MEMO - 1);
    for (InBits *m = s->inbits[h]; m; m = m->next)
        if (m->x == x && !m->v && !memcmp(m->bits, bits, sizeof m->bits)) return m->r;
    Z3_ast d[128];
    InBits *m = arena_alloc(&s->A, sizeof *m);
    m->x = x;
    memcpy(m->bits, bits, sizeof m->bits);
    m->r = or_n(s, d, bits_runs(s, x, bits, d));
    m->next = s->inbits[h];
    s->inbits[h] = m;
    return m->r;
}
/* ordinal x is in set v: remembered per query with in_bits's (a set is
 * never changed once made; a state against the parties in every slot) */
static Z3_ast member(Smt *s, Z3_ast x, const Z3_ast *v) {
    uint64_t u;
    if (Z3_is_numeral_ast(s->z, x) && Z3_get_numeral_uint64(s->z, x, &u) && u < 256) return v[u];
    size_t h = ((((uintptr_t)x >> 4) ^ ((uintptr_t)v >> 4) * 0x100000001B3u) * 0x9E3779B97F4A7C15u >> 32) & (IN_BITS_MEMO - 1);
    for (InBits *m = s->inbits[h]; m; m = m->next)
        if (m->x == x && m->v == v) return m->r;
    InBits *m = arena_alloc(&s->A, sizeof *m);
    m->x = x;
    m->v = v;
    m->next = s->inbits[h];
    s->inbits[h] = m;
    uint64_t con[4] = {0};
    Z3_ast d[256 + 128];
    int n = 0;
    for (int o = 0; o < 256; o++) {
        if (v[o] == s->tt) con[o >> 6] |= (uint64_t)1 << (o & 63);
        else if (v[o] != s->ff) d[n++] = and2(s, Z3_mk_eq(s->z, x, ord(s, o)), v[o]);
    }
    n += bits_runs(s, x, con, d + n);
    return m->r = or_n(s, d, n);
}
/* the ordinals an element of type elem may be */
static void ordinals(Smt *s, const Type *elem, uint64_t *dom) {
    memset(dom, 0, sizeof(uint64_t) * 4);
    if (elem->kind == TY_COUNTRY) memcpy(dom, s->countries, sizeof(uint64_t) * 4);
    else
        for (int o = 0; o <= elem->en->n && o < 256; o++) dom[o >> 6] |= (uint64_t)1 << (o & 63);
}
static bool numeral(Smt *s, Z3_ast x, uint64_t *u) {
    return Z3_is_numeral_ast(s->z, x) && Z3_get_numeral_uint64(s->z, x, u) && *u < 256;
}
static Z3_ast eq_ord(Smt *s, Z3_ast a, Z3_ast b) {
    uint64_t u, v;
    if (numeral(s, a, &u) && numeral(s, b, &v)) return u == v ? s->tt : s->ff;
    return Z3_mk_eq(s->z, a, b);
}
static bool is_set(const Term *t) { return t->set || t->ec; }
static void sparse_init(Smt *s, Term *t, int cap, const Type *elem) {
    memset(t, 0, sizeof *t);
    t->ec = arena_alloc(&s->A, sizeof *t->ec * (size_t)(cap ? cap : 1));
    t->ev = arena_alloc(&s->A, sizeof *t->ev * (size_t)(cap ? cap : 1));
    t->elem = elem;
}
static void sparse_add(Term *t, Z3_ast c, Z3_ast v) {
    t->ec[t->n] = c;
    t->ev[t->n++] = v;
}
/* element i of a sparse set is not a repetition of an earlier one */
static Z3_ast sparse_first(Smt *s, const Term *t, int i) {
    Z3_ast r = t->ec[i];
    for (int j = 0; j < i; j++) r = and2(s, r, not1(s, and2(s, t->ec[j], eq_ord(s, t->ev[j], t->ev[i]))));
    return r;
}
static void densify(Smt *s, Term *t) {
    if (t->set || !t->ec) return;
    Z3_ast *v = set_new(s);
    uint64_t dom[4], u;
    ordinals(s, t->elem, dom);
    for (int i = 0; i < t->n; i++) {
        if (numeral(s, t->ev[i], &u)) {
            v[u] = or2(s, v[u], t->ec[i]);
            continue;
        }
        for (int o = 0; o < 256; o++)
            if (has_bit(dom, o)) v[o] = or2(s, v[o], and2(s, t->ec[i], Z3_mk_eq(s->z, t->ev[i], ord(s, o))));
    }
    t->set = v;
    t->ec = t->ev = NULL;
    t->n = 0;
}
static Z3_ast member_of(Smt *s, Z3_ast x, const Term *t) {
    uint64_t u;
    if (t->fn && !numeral(s, x, &u)) return and2(s, Z3_mk_app(s->z, t->fn, 1, &x), in_bits(s, x, t->fdom));
    if (t->set) return member(s, x, t->set);
    Z3_ast r = s->ff;
    for (int i = 0; i < t->n; i++) r = or2(s, r, and2(s, t->ec[i], eq_ord(s, x, t->ev[i])));
    return r;
}

static Z3_sort_kind kind_of(Smt *s, Z3_ast a) { return Z3_get_sort_kind(s->z, Z3_get_sort(s->z, a)); }

/* Int and Real operands of one operation, as the interpreter's to_rat does */
static void same_sort(Smt *s, Z3_ast *a, Z3_ast *b) {
    Z3_sort_kind x = kind_of(s, *a), y = kind_of(s, *b);
    if (x == Z3_INT_SORT && y == Z3_REAL_SORT) *a = Z3_mk_int2real(s->z, *a);
    if (y == Z3_INT_SORT && x == Z3_REAL_SORT) *b = Z3_mk_int2real(s->z, *b);
}
static Z3_ast to_type(Smt *s, Z3_ast a, const Type *t) {
    if ((t->kind == TY_RATIO || t->kind == TY_PERCENT) && kind_of(s, a) == Z3_INT_SORT) return Z3_mk_int2real(s->z, a);
    return a;
}

static bool const_term(Smt *s, const Value *v, const Type *t, Z3_ast *out) {
    if (t->kind == TY_SET) return outside(s, "a set where a scalar is expected");
    char b[64];
    switch (t->kind) {
    case TY_BOOL: *out = v->b ? Z3_mk_true(s->z) : Z3_mk_false(s->z); return true;
    case TY_INT: case TY_DATE: case TY_DAYS: case TY_MONTHS:
        *out = int_(s, v->kind == TY_RATIO ? v->q.num : v->i);
        return true;
    case TY_RATIO: case TY_PERCENT:
        if (v->kind == TY_INT) snprintf(b, sizeof b, "%lld", (long long)v->i);
        else snprintf(b, sizeof b, "%lld/%lld", (long long)v->q.num, (long long)v->q.den);
        *out = Z3_mk_numeral(s->z, b, s->sr);
        return true;
    case TY_COUNTRY: case TY_ENUM: *out = ord(s, v->i); return true;
    default: {
        char tn[64];
        return outside(s, "a constant of type %s", type_name(t, tn, sizeof tn));
    }
    }
}
static bool const_val(Smt *s, const Value *v, const Type *t, Term *out) {
    memset(out, 0, sizeof *out);
    if (t->kind == TY_SET) {
        out->set = set_const(s, v->bits);
        return true;
    }
    return const_term(s, v, t, &out->a);
}

/* ---- the symbolic case ------------------------------------------------------------------ */

static Sym *sym_new(Smt *s, const Type *t) {
    Sym *y = arena_alloc(&s->A, sizeof *y);
    memset(y, 0, sizeof *y);
    y->type = t;
    if (t->kind == TY_RECORD) {
        y->val = arena_alloc(&s->A, sizeof *y->val * (size_t)t->rec->nfields);
        memset(y->val, 0, sizeof *y->val * (size_t)t->rec->nfields);
    } else {
        y->len = Z3_mk_fresh_const(s->z, "len", s->si);
        hold_dom(s, Z3_mk_ge(s->z, y->len, int_(s, 0)));
        hold_dom(s, Z3_mk_le(s->z, y->len, int_(s, s->slots)));
        y->items = arena_alloc(&s->A, sizeof *y->items * (size_t)s->slots);
        for (int i = 0; i < s->slots; i++) y->items[i] = sym_new(s, t->elem);
        ptrvec_push(&s->A, &s->lists, y);
    }
    return y;
}

/* A scalar fact with the domain a case read from JSON gives it (caseio.h). */
static bool scalar_new(Smt *s, const Type *t, const char *name, Term *out) {
    Z3_context z = s->z;
    Z3_ast x = NULL;
    memset(out, 0, sizeof *out);
    switch (t->kind) {
    case TY_BOOL: x = Z3_mk_fresh_const(z, name, s->sb); break;
    case TY_INT: case TY_DATE: case TY_DAYS: case TY_MONTHS:
        x = Z3_mk_fresh_const(z, name, s->si);
        hold_dom(s, Z3_mk_ge(z, x, int_(s, t->kind == TY_DATE ? acc_date_min() : t->kind == TY_INT ? INT64_MIN : 0)));
        hold_dom(s, Z3_mk_le(z, x, int_(s, t->kind == TY_DATE ? acc_date_max() : INT64_MAX)));
        break;
    case TY_PERCENT:
        x = Z3_mk_fresh_const(z, name, s->sr);
        hold_dom(s, Z3_mk_ge(z, x, Z3_mk_numeral(z, "0", s->sr)));
        hold_dom(s, Z3_mk_le(z, x, Z3_mk_numeral(z, "1", s->sr)));
        break;
    case TY_RATIO: x = Z3_mk_fresh_const(z, name, s->sr); break;
    case TY_COUNTRY: case TY_ENUM:
        x = Z3_mk_fresh_const(z, name, s->s8);
        if (t->kind == TY_ENUM) hold_dom(s, and2(s, Z3_mk_ge(z, x, ord(s, 0)), Z3_mk_le(z, x, ord(s, t->en->n))));
        else hold_dom(s, in_bits(s, x, s->countries));
        break;
    case TY_SET: {
        /* members: valid codes, never none (caseio.h) */
        uint64_t *dom = arena_alloc(&s->A, sizeof(uint64_t) * 4);
        ordinals(s, t->elem, dom);
        dom[0] &= ~(uint64_t)1;
        out->fn = Z3_mk_fresh_func_decl(z, name, 1, &s->s8, s->sb);
        out->fdom = dom;
        ptrvec_push(&s->A, &s->fns, out->fn);
        out->set = set_new(s);
        for (int o = 1; o < 256; o++)
            if (has_bit(dom, o)) {
                Z3_ast k = ord(s, o);
                out->set[o] = Z3_mk_app(z, out->fn, 1, &k);
            }
        return true;
    }
    default: {
        char tn[64];
        return outside(s, "a fact of type %s (%s)", type_name(t, tn, sizeof tn), name);
    }
    }
    out->a = x;
    return true;
}

static int field_named(const IrRecord *r, const char *name, TypeKind k) {
    for (int i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i].name, name) && r->fields[i].type->kind == k) return i;
    return -1;
}

static bool field_term(Smt *s, Sym *rec, int fi, Term *out);

/* SPEC §12.1: a record with dates `from` and `to` ends no earlier than it starts, both given. */
static bool period_dates(Smt *s, Sym *rec) {
    const IrRecord *r = rec->type->rec;
    int f = field_named(r, "from", TY_DATE), t = field_named(r, "to", TY_DATE);
    if (f < 0 || t < 0 || (rec->val[f].a && rec->val[t].a)) return true;
    Term a, b;
    if (!field_term(s, rec, f, &a) || !field_term(s, rec, t, &b)) return false;
    hold_dom(s, Z3_mk_ge(s->z, b.a, a.a));
    /* given in JSON only when not the default (case_to_json) */
    ptrvec_push(&s->A, &s->nice, Z3_mk_gt(s->z, a.a, int_(s, acc_date_min())));
    return true;
}

static bool field_term(Smt *s, Sym *rec, int fi, Term *out) {
    const IrField *f = &rec->type->rec->fields[fi];
    memset(out, 0, sizeof *out);
    if (f->type->kind == TY_RECORD || f->type->kind == TY_LIST) {
        if (!rec->val[fi].s) rec->val[fi].s = sym_new(s, f->type);
        *out = rec->val[fi];
        return true;
    }
    if (!rec->val[fi].a && !rec->val[fi].set) {
        if (!scalar_new(s, f->type, f->name, &rec->val[fi])) return false;
        if (!period_dates(s, rec)) return false;
    }
    *out = rec->val[fi];
    return true;
}

/* ---- expressions ------------------------------------------------------------------------ */

typedef struct Env {
    Term slot[MAX_FRAME];
    uint64_t dep[MAX_FRAME]; /* per local: the list elements (Smt.touch bits) its value was made from */
} Env;

static bool enc(Smt *s, Env *env, const IrExpr *e, int pol, Term *out);

static bool scalar(Smt *s, Env *env, const IrExpr *e, int pol, Z3_ast *out) {
    Term t;
    if (!enc(s, env, e, pol, &t)) return false;
    if (!t.a) return outside(s, "a record, list or set used as a scalar");
    *out = t.a;
    return true;
}
static bool set_of(Smt *s, Env *env, const IrExpr *e, Term *out) {
    if (!enc(s, env, e, 0, out)) return false;
    if (!is_set(out)) return outside(s, "a set expected");
    if (!out->elem) out->elem = e->type->elem;
    return true;
}

/* the Term of a parameter or constant set made this query (Smt.params) */
static bool known_term(Smt *s, const void *key, Term *out) {
    for (size_t i = 0; i + 1 < s->params.len; i += 2)
        if (s->params.items[i] == key) {
            *out = *(const Term *)s->params.items[i + 1];
            return true;
        }
    return false;
}
static bool keep_term(Smt *s, const void *key, const Term *t) {
    Term *k = arena_alloc(&s->A, sizeof *k);
    *k = *t;
    ptrvec_push(&s->A, &s->params, (void *)key);
    ptrvec_push(&s->A, &s->params, k);
    return true;
}
/* the value of a piecewise parameter on the determination date (interp.c) */
static bool parameter(Smt *s, const IrParameter *p, Term *out) {
    if (p->n < 1) return outside(s, "parameter %s without a value", p->name);
    /* once a query: the same terms (a set made once, read by member()'s memo) */
    if (known_term(s, p, out)) return true;
    if (!const_val(s, &p->value[0], p->type, out)) return false;
    for (int i = 1; i < p->n; i++) {
        Term v;
        if (!const_val(s, &p->value[i], p->type, &v)) return false;
        Z3_ast c = Z3_mk_ge(s->z, s->date, int_(s, p->from[i]));
        if (out->set) {
            Z3_ast *r = set_new(s);
            for (int o = 0; o < 256; o++) r[o] = ite(s, c, v.set[o], out->set[o]);
            out->set = r;
        } else {
            out->a = ite(s, c, v.a, out->a);
        }
    }
    return keep_term(s, p, out);
}

/* the parties on the determination date */
static Z3_ast *parties(Smt *s) {
    const IrAgreement *ag = s->ag;
    for (int i = 0; i < s->nparties; i++) /* built once a query: an agreement reads it in every comprehension */
        if (s->parties_of[i] == ag) return s->parties[i];
    Z3_ast *v = set_new(s);
    for (int c = 1; c < 256; c++) {
        if (!set_has(&ag->parties, c)) continue;
        Z3_ast in = s->tt;
        if (ag->party_from[c] != INT32_MIN) in = and2(s, in, Z3_mk_ge(s->z, s->date, int_(s, ag->party_from[c])));
        if (ag->party_until[c] != INT32_MAX) in = and2(s, in, Z3_mk_lt(s->z, s->date, int_(s, ag->party_until[c])));
        v[c] = in;
    }
    if (s->nparties < 4) {
        s->parties_of[s->nparties] = ag;
        s->parties[s->nparties++] = v;
    }
    return v;
}

static bool compare(Smt *s, IrOp op, Z3_ast a, Z3_ast b, Z3_ast *out) {
    Z3_context z = s->z;
    same_sort(s, &a, &b);
    Z3_sort_kind k = kind_of(s, a);
    if (op == IOP_EQ || op == IOP_NE) {
        Z3_ast eq = Z3_mk_eq(z, a, b);
        *out = op == IOP_EQ ? eq : not1(s, eq);
        return true;
    }
    if (k == Z3_INT_SORT || k == Z3_REAL_SORT) {
        switch (op) {
        case IOP_LT: *out = Z3_mk_lt(z, a, b); return true;
        case IOP_LE: *out = Z3_mk_le(z, a, b); return true;
        case IOP_GT: *out = Z3_mk_gt(z, a, b); return true;
        default: *out = Z3_mk_ge(z, a, b); return true;
        }
    }
    if (k == Z3_BV_SORT) { /* ordinals */
        switch (op) {
        case IOP_LT: *out = Z3_mk_bvult(z, a, b); return true;
        case IOP_LE: *out = Z3_mk_bvule(z, a, b); return true;
        case IOP_GT: *out = Z3_mk_bvugt(z, a, b); return true;
        default: *out = Z3_mk_bvuge(z, a, b); return true;
        }
    }
    return outside(s, "an ordering of booleans");
}

/* The comprehension a count reads, seen through definitions: count(x in L
 * where c), size(set(x in L where c : v)), count(y in set(x in L ...) where
 * c); NULL for anything else. */
static const IrExpr *counting(const IrExpr *e, bool *filtered) {
    for (int depth = 0; e && depth < MAX_INLINE; depth++) {
        if (e->kind == IR_DEFINE) e = e->def->body;
        else if (e->kind == IR_BUILTIN && e->builtin == BI_SIZE && e->nargs == 1) {
            const IrExpr *size = e;
            e = e->args[0];
            while (e && e->kind == IR_DEFINE) e = e->def->body;
            /* a union of sets made from lists: the size itself (builtin) */
            const IrExpr *r = e && e->kind == IR_AGG && e->agg == AG_SET ? e : e && e->kind == IR_BINARY && e->op == IOP_ADD ? size : NULL;
            if (r) *filtered = false;
            return r;
        } else if (e->kind == IR_AGG && e->agg == AG_COUNT) {
            const IrExpr *src = e->a;
            while (src && src->kind == IR_DEFINE) src = src->def->body;
            if (!(src && src->kind == IR_AGG && src->agg == AG_SET)) return *filtered = false, e;
            *filtered = e->b != NULL; /* only the members where its condition holds */
            return src;
        } else return NULL;
    }
    return NULL;
}
/* `count ⋈ k`, k an integer constant: a sub-list keeping min(count, k + 1)
 * of the counted elements keeps the comparison's truth (SPEC §13.3), so the
 * count needs k + 1 slots and the bound still holds.  Fewer in the direction
 * a sub-list keeps: a count on a sub-list (each kept element keeping its
 * condition's truth) is at most the list's, so a count below a bound stays
 * below it with no element kept, and one at least k needs only k. */
static void count_bound(Smt *s, const IrExpr *e, int pol) {
    const IrExpr *a = e->a, *b = e->b;
    IrOp op = e->op;
    if (a->kind == IR_CONST) {
        const IrExpr *t = a;
        a = b;
        b = t;
        op = op == IOP_LT ? IOP_GT : op == IOP_LE ? IOP_GE : op == IOP_GT ? IOP_LT : op == IOP_GE ? IOP_LE : op;
    }
    s->counted = NULL;
    if (b->kind != IR_CONST || b->type->kind != TY_INT || !(s->counted = counting(a, &s->count_filtered))) return;
    int64_t k = b->cval.i;
    /* past the slots a query is ever asked with, any k needs too many (and
       k + 1 below must not overflow) */
    if (k > MAX_PROOF_SLOTS) k = MAX_PROOF_SLOTS + 1;
    /* as `count >= lo` (at least lo kept when true) or `count <= hi` (hi + 1
       kept when false), at the polarities where the truth must be kept */
    int64_t at_least = 0, above = 0; /* elements kept: for true `>= lo`, for false `<= hi` */
    switch (op) {
    case IOP_GE: at_least = pol >= 0 ? k : 0; break;
    case IOP_GT: at_least = pol >= 0 ? k + 1 : 0; break;
    case IOP_LE: above = pol <= 0 ? k + 1 : 0; break;
    case IOP_LT: above = pol <= 0 ? k : 0; break;
    case IOP_EQ: at_least = pol >= 0 ? k : 0, above = pol <= 0 ? k + 1 : 0; break;
    default: at_least = pol <= 0 ? k : 0, above = pol >= 0 ? k + 1 : 0; break; /* != */
    }
    int64_t need = at_least > above ? at_least : above;
    s->count_need = need < 0 ? 0 : need > MAX_PROOF_SLOTS ? MAX_PROOF_SLOTS + 1 : (int)need;
}

/* sum(x in L where c : x.f), f a percentage or a duration (>= 0 in every
 * case): the sum seen through definitions, else NULL */
static const IrExpr *summing(const IrExpr *e) {
    for (int depth = 0; e && e->kind == IR_DEFINE && depth < MAX_INLINE; depth++) e = e->def->body;
    if (!e || e->kind != IR_AGG || e->agg != AG_SUM || !e->c || e->c->kind != IR_FIELD) return NULL;
    TypeKind k = e->c->type->kind;
    if (k != TY_PERCENT && k != TY_DAYS && k != TY_MONTHS) return NULL;
    const IrExpr *b = e->c;
    while (b->kind == IR_FIELD) b = b->a;
    return b->kind == IR_LOCAL && b->slot == e->slot ? e : NULL;
}
/* The set comprehensions a set expression is the union of, seen through
 * definitions (its other parts, sets of the case or constants, are exact);
 * false when one is inside anything else or there are too many. */
static bool setting(const IrExpr *e, struct SetUse *u, int depth) {
    while (e && e->kind == IR_DEFINE && depth++ < MAX_INLINE) e = e->def->body;
    if (!e || depth >= MAX_INLINE) return false;
    if (e->kind == IR_AGG && e->agg == AG_SET) {
        if (u->nleaf >= MAX_PARTS) return false;
        u->leaf[u->nleaf++] = e;
        return true;
    }
    if (e->kind == IR_BINARY && e->op == IOP_ADD) return setting(e->a, u, depth + 1) && setting(e->b, u, depth + 1);
    return true;
}
/* Encode the set a consumer reads (s->use): afterwards u holds the lists its
 * comprehensions were made from, on which the caller counts the occurrence. */
static bool set_from_list(Smt *s, Env *env, const IrExpr *e, Term *out, struct SetUse *u) {
    struct SetUse outer = s->use;
    memset(&s->use, 0, sizeof s->use);
    if (!setting(e, &s->use, 0)) s->use.nleaf = 0;
    bool ok = enc(s, env, e, 0, out);
    *u = s->use;
    if (!ok || !is_set(out)) u->nfrom = 0;
    s->use = outer;
    return ok;
}
/* A consumer of sets made from lists (set_from_list) that needs `need`
 * witnesses: its formula f is an occurrence over each of those lists, and
 * must be closed (it read, `read`, no element of a list comprehension
 * around it, SPEC §13.3). */
static void consumed(Smt *s, const struct SetUse *u, Z3_ast f, int need, uint64_t read) {
    if (!need || !u->nfrom) return;
    int level = s->body < 63 ? s->body : 63;
    if (read & (((uint64_t)1 << level) - 1)) open_occurrence(s, NULL, u, NULL, f, need, read, level);
    else
        for (int i = 0; i < u->nfrom; i++) {
            const IrExpr *w[MAX_PARTS];
            occurrence(s, u->from[i], f, need, w, leaves_over(u, u->from[i], w));
        }
}

/* `sum ⋈ k` at polarity pol, k a constant or a parameter: a sub-list's sum of
 * non-negative values is at most the list's, so `sum < k` and `sum <= k`
 * stay true (at positive polarity) and `sum > k`, `sum >= k` stay false (at
 * negative polarity) on any sub-list: the sum needs no element kept.  In the
 * other direction (or at mixed polarity) the sum is a free quantity
 * (sum_free), which a sub-list does not change. */
static void sum_bound(Smt *s, const IrExpr *e, int pol) {
    const IrExpr *a = e->a, *b = e->b;
    IrOp op = e->op;
    s->summed = NULL;
    if (summing(b)) {
        a = e->b;
        b = e->a;
        op = op == IOP_LT ? IOP_GT : op == IOP_LE ? IOP_GE : op == IOP_GT ? IOP_LT : op == IOP_GE ? IOP_LE : op;
    }
    if (b->kind != IR_CONST && b->kind != IR_PARAMETER) return;
    bool down = op == IOP_LT || op == IOP_LE, up = op == IOP_GT || op == IOP_GE;
    s->summed = summing(a);
    s->sum_free = !((down && pol > 0) || (up && pol < 0));
}

/* A sum of non-negative values compared where a sub-list may not keep the
 * comparison (`sum >= 25 %` true), SPEC §13.3: the comparison reads a fresh
 * quantity v instead, the case's sum, with what every case gives it and a
 * sub-list keeps: v is at least the sum over the elements kept (each kept
 * element keeps its condition's truth, mixed polarity), and v > 0 only with
 * an element whose condition holds and whose value is positive (one
 * existential occurrence, `some`).  Not a proof of anything about v beyond
 * that: v may exceed any sum of the slots.  The same sum (one Z3 term, the
 * same bindings) gets the same v; a model is asked, first, to make v the
 * slots' sum (s->nice), so that it replays. */
static Z3_ast sum_free(Smt *s, Z3_ast acc, Z3_ast some, bool real) {
    for (size_t i = 0; i + 1 < s->sums.len; i += 2)
        if (s->sums.items[i] == acc) return s->sums.items[i + 1];
    Z3_ast v = Z3_mk_fresh_const(s->z, "sum", real ? s->sr : s->si);
    hold_dom(s, Z3_mk_ge(s->z, v, acc));
    hold_dom(s, Z3_mk_implies(s->z, Z3_mk_gt(s->z, v, zero(s, real)), some));
    ptrvec_push(&s->A, &s->nice, Z3_mk_eq(s->z, v, acc));
    ptrvec_push(&s->A, &s->sums, acc);
    ptrvec_push(&s->A, &s->sums, v);
    return v;
}

/* An open membership `x in S`, S a closed set made from lists (sparse: its
 * slots' members), read with free_open (SPEC §13.3, open memberships): a
 * free set F, one per set (one Z3 term of its slots, the same set in every
 * case), of which the query states only what every case gives it and a
 * sub-list keeps: every member the slots give S is in F.  A case's own S
 * is such an F whatever elements are kept, so the membership keeps its
 * truth with no witness kept.  The round's models are never taken
 * (attempt): F may hold members no element gives. */
static Z3_ast set_term(Smt *s, const Term *t);
static Z3_ast free_member(Smt *s, Z3_ast x, const Term *set) {
    Z3_ast key = set_term(s, set);
    Z3_func_decl fn = NULL;
    for (size_t i = 0; i + 1 < s->frees.len && !fn; i += 2)
        if (s->frees.items[i] == key) fn = s->frees.items[i + 1];
    if (!fn) {
        fn = Z3_mk_fresh_func_decl(s->z, "free_set", 1, &s->s8, s->sb);
        for (int i = 0; i < set->n; i++) hold_dom(s, Z3_mk_implies(s->z, set->ec[i], Z3_mk_app(s->z, fn, 1, &set->ev[i])));
        ptrvec_push(&s->A, &s->frees, key);
        ptrvec_push(&s->A, &s->frees, fn);
    }
    return Z3_mk_app(s->z, fn, 1, &x);
}

static bool binary(Smt *s, Env *env, const IrExpr *e, int pol, Term *out) {
    Z3_context z = s->z;
    Z3_ast a = NULL, b = NULL;
    Term X, Y;
    memset(out, 0, sizeof *out);
    if (e->op == IOP_IN || e->op == IOP_NOTIN) {
        uint64_t touch = s->touch;
        s->touch = 0;
        struct SetUse u;
        if (!scalar(s, env, e->a, 0, &a)) return false;
        uint64_t read_x = s->touch;
        s->touch = 0;
        if (!set_from_list(s, env, e->b, &Y, &u)) return false;
        uint64_t read_set = s->touch;
        s->touch |= read_x;
        if (!is_set(&Y)) return outside(s, "a set expected");
        if (!Y.elem) Y.elem = e->b->type->elem;
        /* an open membership in a closed set made from lists: with
           free_open, a free set's (SPEC §13.3, open memberships) */
        int level = s->body < 63 ? s->body : 63;
        uint64_t around = ((uint64_t)1 << level) - 1;
        bool member_open = u.nfrom && Y.ec && (read_x & around) && !(read_set & around);
        if (member_open && s->free_open) {
            out->a = free_member(s, a, &Y);
            s->touch |= touch;
            if (e->op == IOP_NOTIN) out->a = not1(s, out->a);
            return true;
        }
        out->a = member_of(s, a, &Y);
        /* x in set(y in L where c : v) is exists(y in L where c and v == x):
           at positive or mixed polarity one witness (SPEC §13.3) */
        int p = e->op == IOP_IN ? pol : -pol;
        s->member_open = member_open;
        consumed(s, &u, out->a, p >= 0, s->touch);
        s->member_open = false;
        s->touch |= touch;
        if (e->op == IOP_NOTIN) out->a = not1(s, out->a);
        return true;
    }
    if (e->a->type->kind == TY_SET) {
        /* a union's parts are read as the union is (setting); the operands
           of a difference or a comparison are not on a consumer's path */
        Marks m = {0};
        if (e->op != IOP_ADD) m = marks_clear(s);
        bool both = set_of(s, env, e->a, &X) && set_of(s, env, e->b, &Y);
        if (e->op != IOP_ADD) marks_put(s, &m);
        if (!both) return false;
        if (e->op == IOP_ADD && X.ec && Y.ec) { /* union of two sparse sets */
            sparse_init(s, out, X.n + Y.n, X.elem);
            for (int i = 0; i < X.n; i++) sparse_add(out, X.ec[i], X.ev[i]);
            for (int i = 0; i < Y.n; i++) sparse_add(out, Y.ec[i], Y.ev[i]);
            return true;
        }
        densify(s, &X);
        densify(s, &Y);
        Z3_ast *x = X.set, *y = Y.set;
        if (e->op == IOP_EQ || e->op == IOP_NE) {
            Z3_ast eq = s->tt;
            for (int o = 0; o < 256; o++)
                if (x[o] != y[o]) eq = and2(s, eq, x[o] == s->ff ? not1(s, y[o]) : y[o] == s->ff ? not1(s, x[o]) : Z3_mk_eq(z, x[o], y[o]));
            out->a = e->op == IOP_EQ ? eq : not1(s, eq);
            return true;
        }
        if (e->op != IOP_ADD && e->op != IOP_SUB) return outside(s, "an ordering of sets");
        out->set = set_new(s);
        for (int o = 0; o < 256; o++) out->set[o] = e->op == IOP_ADD ? or2(s, x[o], y[o]) : and2(s, x[o], not1(s, y[o]));
        return true;
    }
    bool cmp = e->op == IOP_EQ || e->op == IOP_NE || e->op == IOP_LT || e->op == IOP_LE || e->op == IOP_GT || e->op == IOP_GE;
    if (cmp) {
        count_bound(s, e, pol);
        sum_bound(s, e, pol);
    }
    bool ok = scalar(s, env, e->a, 0, &a) && scalar(s, env, e->b, 0, &b);
    s->counted = s->summed = NULL;
    if (!ok) return false;
    if (cmp) return compare(s, e->op, a, b, &out->a);
    TypeKind t = e->type->kind;
    if (e->a->type->kind == TY_DATE || e->b->type->kind == TY_DATE) {
        if (t == TY_DAYS && e->op == IOP_SUB) { /* date - date: no overflow between calendar dates */
            Z3_ast v[2] = {a, b};
            out->a = Z3_mk_sub(z, 2, v);
            return true;
        }
        return outside(s, "calendar arithmetic on dates");
    }
    if (!(t == TY_INT || t == TY_DAYS || t == TY_MONTHS || t == TY_RATIO || t == TY_PERCENT))
        return outside(s, "arithmetic on amounts");
    /* the interpreter fails on an overflow where Z3 computes on: not a proof */
    no_proof(s, "arithmetic");
    same_sort(s, &a, &b);
    Z3_ast v[2] = {a, b};
    switch (e->op) {
    case IOP_ADD: out->a = Z3_mk_add(z, 2, v); break;
    case IOP_SUB: out->a = Z3_mk_sub(z, 2, v); break;
    case IOP_MUL: out->a = Z3_mk_mul(z, 2, v); break;
    default: return outside(s, "division");
    }
    out->a = to_type(s, out->a, e->type);
    return true;
}

static Z3_ast popcount(Smt *s, const Term *t) {
    Z3_ast sum = int_(s, 0);
    if (t->ec) {
        for (int i = 0; i < t->n; i++) sum = add2(s, sum, ite(s, sparse_first(s, t, i), int_(s, 1), int_(s, 0)));
        return sum;
    }
    const Z3_ast *v = t->set;
    int64_t k = 0;
    for (int o = 0; o < 256; o++) {
        if (v[o] == s->tt) k++;
        else if (v[o] != s->ff) sum = add2(s, sum, ite(s, v[o], int_(s, 1), int_(s, 0)));
    }
    return add2(s, sum, int_(s, k));
}

static bool calendar(Smt *s, Env *env, const IrExpr *e, Z3_ast *out);
static bool builtin(Smt *s, Env *env, const IrExpr *e, Z3_ast *out) {
    switch (e->builtin) {
    case BI_PERIOD_MONTHS: case BI_MONTHS_BETWEEN: case BI_YEARS_BETWEEN: case BI_DAYS_BETWEEN: return calendar(s, env, e, out);
    case BI_MIN: case BI_MAX: {
        Z3_ast best = NULL;
        if (!scalar(s, env, e->args[0], 0, &best)) return false;
        for (int i = 1; i < e->nargs; i++) {
            Z3_ast x = NULL, c = NULL;
            if (!scalar(s, env, e->args[i], 0, &x)) return false;
            same_sort(s, &x, &best);
            if (!compare(s, e->builtin == BI_MIN ? IOP_LT : IOP_GT, x, best, &c)) return false;
            best = ite(s, c, x, best);
        }
        *out = to_type(s, best, e->type);
        return true;
    }
    case BI_SIZE: {
        Term t;
        if (e == s->counted) { /* the size of a union compared with a constant (count_bound) */
            int need = s->count_need;
            s->counted = NULL;
            uint64_t touch = s->touch;
            s->touch = 0;
            struct SetUse u;
            if (!set_from_list(s, env, e->args[0], &t, &u)) return false;
            if (!is_set(&t)) return outside(s, "size of a scalar");
            *out = popcount(s, &t);
            consumed(s, &u, *out, need, s->touch);
            s->touch |= touch;
            return true;
        }
        if (!enc(s, env, e->args[0], 0, &t)) return false;
        if (t.s) { /* the length of a list: not monotone under taking elements away */
            no_proof(s, "the length of a list");
            *out = t.s->len;
            return true;
        }
        if (!is_set(&t)) return outside(s, "size of a scalar");
        *out = popcount(s, &t);
        return true;
    }
    default: return outside(s, "a calendar builtin or rounding");
    }
}

/* a scope an occurrence is met in, with its need there */
typedef struct OccAt {
    int scope, need;
    struct OccAt *next;
} OccAt;
/* An existential occurrence over list y needing `need` elements (SPEC
 * §13.3).  The same formula met again (one Z3 term: Z3 shares equal terms,
 * the same condition of the same bindings, as when a rule's condition
 * repeats an atom of its box) is one occurrence: the elements kept for it
 * serve every copy. */
enum { SHARE_NONE, SHARE_ANY, SHARE_FIRST, SHARE_VALUES };
typedef struct Occ {
    const Sym *y;
    unsigned id;
    int need;
    OccAt *at;
    int share;               /* SHARE_*, and the condition's term (Smt.share_key) */
    unsigned key;
    /* the comprehensions whose condition every witness satisfies (none
       known: a forall's counter-example), for open occurrences (bound_need) */
    const IrExpr *wit[MAX_PARTS];
    int nwit;
} Occ;
static void occur_at(Smt *s, Occ *o, int need) {
    for (OccAt *a = o->at; a; a = a->next)
        if (a->scope == s->scope) {
            if (need > a->need) a->need = need;
            return;
        }
    OccAt *a = arena_alloc(&s->A, sizeof *a);
    *a = (OccAt){s->scope, need, o->at};
    o->at = a;
}
static void log_occurrence(Smt *s, Sym *y, Z3_ast f, int need, const IrExpr *const *wit, int nwit);
static void occurrence(Smt *s, Sym *y, Z3_ast f, int need, const IrExpr *const *wit, int nwit) {
    if (s->recording) log_occurrence(s, y, f, need, wit, nwit);
    {
        unsigned id = Z3_get_ast_id(s->z, f);
        for (size_t i = 0; i < s->occs.len; i++) {
            Occ *o = s->occs.items[i];
            if (o->y != y || o->id != id) continue;
            if (need > o->need) {
                y->nexists += need - o->need;
                o->need = need;
            }
            occur_at(s, o, need);
            return;
        }
        Occ *o = arena_alloc(&s->A, sizeof *o);
        memset(o, 0, sizeof *o);
        *o = (Occ){.y = y, .id = id, .need = need, .nwit = nwit, .share = s->share};
        if (s->share) o->key = Z3_get_ast_id(s->z, s->share_key);
        for (int i = 0; i < nwit && i < MAX_PARTS; i++) o->wit[i] = wit[i];
        occur_at(s, o, need);
        ptrvec_push(&s->A, &s->occs, o);
    }
    y->nexists += need;
}

/* ---- open comprehensions: witnesses per element around them (SPEC §13.3) ---------------- */

/* An occurrence over list y that reads the element of the list comprehension
 * at depth 0 around it (at `index`, the slot being encoded there): it needs
 * `need` witnesses per element of o, the outer list, kept.  wit: the
 * comprehensions whose condition every witness satisfies (none known: a
 * forall's counter-example); rng: those whose condition every element the
 * outer comprehension reads satisfies (its own condition, or the conditions
 * of the set comprehensions it ranges over). */
typedef struct Open {
    Sym *y, *o;
    int need, index;
    unsigned id;
    const IrExpr *wit[MAX_PARTS], *rng[MAX_PARTS];
    int nwit, nrng;
    bool member; /* an open membership free_open reads in a free set instead */
} Open;

/* the set comprehensions of u over list y */
static int leaves_over(const struct SetUse *u, const Sym *y, const IrExpr **out) {
    int n = 0;
    for (int i = 0; i < u->nleaf; i++)
        if (u->leaf_list[i] == y) out[n++] = u->leaf[i];
    return n;
}

static void open_push(Smt *s, Open *o);
static void open_occurrence(Smt *s, Sym *y, const struct SetUse *u, const IrExpr *e, Z3_ast f, int need, uint64_t read, int level) {
    /* only the element of the outermost list comprehension, itself at depth 0 */
    if ((read & (((uint64_t)1 << level) - 1)) != 1) {
        no_proof(s, "a list read inside a condition over another list, reading the elements of two lists around it");
        return;
    }
    const struct Around *a = &s->around[0];
    Sym *inner[MAX_PARTS], *outer[MAX_PARTS];
    int ni = 0, no = 0;
    if (y) inner[ni++] = y;
    else
        for (int i = 0; i < u->nfrom; i++) inner[ni++] = u->from[i];
    if (a->list) outer[no++] = a->list;
    else
        for (int i = 0; i < a->src.nfrom; i++) outer[no++] = a->src.from[i];
    unsigned id = Z3_get_ast_id(s->z, f);
    for (int i = 0; i < ni; i++)
        for (int j = 0; j < no; j++) {
            Open *o = arena_alloc(&s->A, sizeof *o);
            memset(o, 0, sizeof *o);
            *o = (Open){.y = inner[i], .o = outer[j], .need = need, .index = a->index, .id = id, .member = s->member_open};
            if (y) {
                if (e && e->agg != AG_FORALL) o->wit[o->nwit++] = e;
            } else {
                o->nwit = leaves_over(u, inner[i], o->wit);
            }
            if (a->list) {
                if (a->e->agg != AG_FORALL) o->rng[o->nrng++] = a->e;
            } else {
                o->nrng = leaves_over(&a->src, outer[j], o->rng);
            }
            open_push(s, o);
        }
}

/* Whether a condition on an element is the same on every sub-list of the
 * case: it reads the element's and the case's scalar facts, constants,
 * parameters, through definitions, never a list. */
static bool pure(const IrExpr *e, int depth) {
    if (!e) return true;
    if (depth > MAX_INLINE) return false;
    switch (e->kind) {
    /* not IR_PARTIES: its set is the agreement being encoded (s->ag), which
       exclusive() does not know, and its answer is cached by node */
    case IR_CONST: case IR_PARAMETER: case IR_CASE: case IR_LOCAL: return true;
    case IR_FIELD: return e->type->kind != TY_LIST && pure(e->a, depth + 1);
    case IR_UNARY: return e->op == IOP_NOT && pure(e->a, depth + 1);
    case IR_BINARY:
        if (!(e->op == IOP_EQ || e->op == IOP_NE || e->op == IOP_LT || e->op == IOP_LE || e->op == IOP_GT || e->op == IOP_GE ||
              e->op == IOP_IN || e->op == IOP_NOTIN || (e->type->kind == TY_SET && (e->op == IOP_ADD || e->op == IOP_SUB))))
            return false;
        return pure(e->a, depth + 1) && pure(e->b, depth + 1);
    case IR_AND: case IR_OR: return pure(e->a, depth + 1) && pure(e->b, depth + 1);
    case IR_IF: return pure(e->a, depth + 1) && pure(e->b, depth + 1) && pure(e->c, depth + 1);
    case IR_SETLIT: case IR_DEFINE:
        for (int i = 0; i < e->nargs; i++)
            if (!pure(e->args[i], depth + 1)) return false;
        return e->kind == IR_SETLIT || (e->def->body && pure(e->def->body, depth + 1));
    default: return false;
    }
}

/* What condition c implies of one element, in env: its conjuncts (through
 * `and` and definitions) that are pure, the others left out (true). */
static Z3_ast guard(Smt *s, Env *env, const IrExpr *c, int depth) {
    if (!c || depth > MAX_INLINE) return s->tt;
    if (c->kind == IR_AND) return and2(s, guard(s, env, c->a, depth + 1), guard(s, env, c->b, depth + 1));
    if (c->kind == IR_DEFINE && c->def->body && c->def->nparams <= MAX_FRAME && !pure(c, 0)) {
        Env *in = arena_alloc(&s->A, sizeof *in);
        memset(in, 0, sizeof *in);
        for (int i = 0; i < c->def->nparams && i < c->nargs; i++)
            if (!pure(c->args[i], 0) || !enc(s, env, c->args[i], 0, &in->slot[i])) return s->tt;
        return guard(s, in, c->def->body, depth + 1);
    }
    Z3_ast x = NULL;
    if (!pure(c, 0) || !scalar(s, env, c, 0, &x)) return s->tt;
    return x;
}

/* Whether no element satisfies the conditions of both comprehensions a and
 * b (over lists of one type), as far as their pure conjuncts tell: asked of
 * Z3 on one fresh element, exactly (no list is read). */
static bool exclusive(Smt *s, const IrExpr *a, const IrExpr *b) {
    const Type *ta = a->a->type, *tb = b->a->type;
    if (ta->kind != TY_LIST || tb->kind != TY_LIST || ta->elem != tb->elem || ta->elem->kind != TY_RECORD) return false;
    if (a->slot < 0 || a->slot >= MAX_FRAME || b->slot < 0 || b->slot >= MAX_FRAME) return false;
    char why[sizeof s->why];
    memcpy(why, s->why, sizeof why);
    uint64_t touch = s->touch;
    /* the element's (and any case fact's first read here) domains join the
       query's constraints: true of every case, they change no answer */
    Sym *y = sym_new(s, ta->elem);
    Env *ea = arena_alloc(&s->A, sizeof *ea), *eb = arena_alloc(&s->A, sizeof *eb);
    memset(ea, 0, sizeof *ea);
    memset(eb, 0, sizeof *eb);
    ea->slot[a->slot].s = y;
    eb->slot[b->slot].s = y;
    Z3_ast both = and2(s, guard(s, ea, a->b, 0), guard(s, eb, b->b, 0));
    s->touch = touch;
    memcpy(s->why, why, sizeof why);
    if (both == s->ff) return true;
    if (both == s->tt) return false;
    Z3_context z = s->z;
    Z3_solver sol = Z3_mk_simple_solver(z);
    Z3_solver_inc_ref(z, sol);
    Z3_params p = Z3_mk_params(z);
    Z3_params_inc_ref(z, p);
    Z3_params_set_uint(z, p, Z3_mk_string_symbol(z, "rlimit"), s->rlimit);
    Z3_solver_set_params(z, sol, p);
    Z3_params_dec_ref(z, p);
    Z3_solver_assert(z, sol, both);
    Z3_lbool r = Z3_solver_check(z, sol);
    Z3_solver_dec_ref(z, sol);
    return Z3_get_error_code(z) == Z3_OK && r == Z3_L_FALSE;
}

/* Whether the elements kept for w (its witnesses' conditions) are never
 * elements the outer comprehension of open occurrence r reads (its
 * range's conditions): an element of either is not one of the other. */
static bool apart(Smt *s, const IrExpr *const *wit, int nwit, const Open *r) {
    if (nwit <= 0 || r->nrng <= 0) return false;
    for (int a = 0; a < nwit; a++)
        for (int b = 0; b < r->nrng; b++) {
            int known = -1;
            for (size_t d = 0; d + 2 < s->excl.len && known < 0; d += 3)
                if (s->excl.items[d] == wit[a] && s->excl.items[d + 1] == r->rng[b]) known = s->excl.items[d + 2] != NULL;
            if (known < 0) {
                known = exclusive(s, wit[a], r->rng[b]);
                ptrvec_push(&s->P, &s->excl, (void *)wit[a]);
                ptrvec_push(&s->P, &s->excl, (void *)r->rng[b]);
                ptrvec_push(&s->P, &s->excl, known ? (void *)wit[a] : NULL);
            }
            if (!known) return false;
        }
    return true;
}

/* The options of a scope or choice (SPEC §13.3, choices): sets of the
 * occurrences over one list (a bit each, in s->occs' order, at most 64)
 * that one way of
 * holding keeps.  A scope keeps the occurrences met in it and one option of
 * each choice inside it; a choice one option of one of its operands.  Past
 * MAX_OPTIONS, or too deep, one option: the union of all (as if every
 * operand held, never fewer elements). */
#define MAX_OPTIONS 32
typedef struct Options {
    uint64_t m[MAX_OPTIONS];
    int n;
} Options;
static uint64_t occ_bits(const Smt *s, const Sym *y, int sc, bool below) {
    uint64_t m = 0;
    int bit = 0;
    for (size_t i = 0; i < s->occs.len && bit < 64; i++) {
        const Occ *o = s->occs.items[i];
        if (o->y != y) continue;
        for (const OccAt *a = o->at; a; a = a->next) {
            bool in = a->scope == sc;
            for (int p = a->scope; below && !in && p > 0;) { /* sc around it */
                intptr_t c = (intptr_t)s->scopes.items[p - 1];
                p = (int)(intptr_t)s->choices.items[c - 1];
                in = p == sc;
            }
            if (in && a->need > 0) m |= (uint64_t)1 << bit;
        }
        bit++;
    }
    return m;
}
static void option_add(Options *r, uint64_t m) {
    for (int i = 0; i < r->n; i++) {
        if ((m & r->m[i]) == m) return; /* kept by a larger one */
        if ((m & r->m[i]) == r->m[i]) { r->m[i] = m; return; }
    }
    if (r->n < MAX_OPTIONS) r->m[r->n++] = m;
    else r->m[0] |= m; /* hull: more than any option */
}
static void scope_options(const Smt *s, const Sym *y, int sc, int depth, Options *r);
static void choice_options(const Smt *s, const Sym *y, size_t c, int depth, Options *r) {
    r->n = 0;
    for (size_t b = 0; b < s->scopes.len; b++) {
        if ((size_t)(intptr_t)s->scopes.items[b] != c + 1) continue;
        Options o;
        scope_options(s, y, (int)b + 1, depth + 1, &o);
        for (int i = 0; i < o.n; i++) option_add(r, o.m[i]);
    }
    if (!r->n) r->m[r->n++] = 0;
}
static void scope_options(const Smt *s, const Sym *y, int sc, int depth, Options *r) {
    r->n = 1;
    if (depth > 16) {
        r->m[0] = occ_bits(s, y, sc, true);
        return;
    }
    r->m[0] = occ_bits(s, y, sc, false);
    for (size_t c = 0; c < s->choices.len; c++) {
        if ((int)(intptr_t)s->choices.items[c] != sc) continue;
        Options in, prod = {.n = 0};
        choice_options(s, y, c, depth, &in);
        for (int i = 0; i < r->n; i++)
            for (int j = 0; j < in.n; j++) option_add(&prod, r->m[i] | in.m[j]);
        *r = prod;
    }
}
/* The elements kept for the occurrences of m over y: each its own, but
 * those of one condition shared (SPEC §13.3, shared witnesses): any a
 * elements where it holds (exists, counts), its first element, and one
 * element per value for sizes of sets made with it: one such size keeps
 * the first elements of its first values (the first element among them),
 * two of at most 2 each a pair for both (not always with the first), more
 * their sum; all of them the larger of a and what those keep. */
static int weight(const Smt *s, const Sym *y, uint64_t m) {
    int k = 0, bit = 0;
    const Occ *occ[64];
    int n = 0;
    for (size_t i = 0; i < s->occs.len && bit < 64; i++) {
        const Occ *o = s->occs.items[i];
        if (o->y != y) continue;
        if (m >> bit & 1) occ[n++] = o;
        bit++;
    }
    bool done[64] = {false};
    for (int i = 0; i < n; i++) {
        if (done[i]) continue;
        if (!occ[i]->share) {
            k += occ[i]->need;
            continue;
        }
        int any = 0, nvals = 0, most = 0, sum = 0;
        bool first = false;
        for (int j = i; j < n; j++) {
            const Occ *o = occ[j];
            if (done[j] || !o->share || o->key != occ[i]->key) continue;
            done[j] = true;
            if (o->share == SHARE_ANY && o->need > any) any = o->need;
            if (o->share == SHARE_FIRST) first = true;
            if (o->share == SHARE_VALUES) {
                nvals++; /* occurrences of one set are merged: one per values */
                sum += o->need;
                if (o->need > most) most = o->need;
            }
        }
        int vals = nvals <= 1 ? sum : nvals == 2 && most <= 2 ? most : sum;
        bool with_first = nvals == 1 ? sum >= 1 : nvals == 2 && most <= 2 ? most <= 1 : nvals > 0;
        int kept = vals + (first && !with_first ? 1 : 0);
        k += kept > any ? kept : any;
    }
    return k;
}
/* The elements the closed occurrences over y keep, the most of any way the
 * query's choices may hold (each occurrence once), and never more than all
 * of them (y->nexists). */
static int scope_cost(const Smt *s, const Sym *y) {
    int n = 0;
    for (size_t i = 0; i < s->occs.len; i++) n += ((const Occ *)s->occs.items[i])->y == y;
    if (n > 64) return y->nexists;
    Options r;
    scope_options(s, y, 0, 0, &r);
    int most = 0;
    for (int i = 0; i < r.n; i++) {
        int k = weight(s, y, r.m[i]);
        if (k > most) most = k;
    }
    return most < y->nexists ? most : y->nexists;
}

/* The elements the bound keeps of the most demanding list (SPEC §13.3): per
 * list, its closed occurrences' witnesses, and per open occurrence over it
 * `need` per element of the outer list that its outer comprehension may
 * read: per closed witness of that list, unless apart (the witnesses of open
 * occurrences are apart from every outer range, open_inert). */
static int bound_need(Smt *s, bool free) {
    int need = 0;
    for (size_t i = 0; i < s->lists.len; i++) {
        const Sym *y = s->lists.items[i];
        int k = scope_cost(s, y);
        /* per outer list o and element index: the opens at it, each formula once */
        for (size_t j = 0; j < s->opens.len; j++) {
            const Open *o = s->opens.items[j];
            if (o->y != y || (free && o->member)) continue;
            bool first = true;
            for (size_t m = 0; m < j && first; m++) {
                const Open *p = s->opens.items[m];
                first = !(p->y == y && p->o == o->o);
            }
            if (!first) continue;
            int most = 0;
            for (size_t m = j; m < s->opens.len; m++) {
                const Open *p = s->opens.items[m];
                if (p->y != y || p->o != o->o || (free && p->member)) continue;
                bool counted = false;
                for (size_t r = j; r < m && !counted; r++) {
                    const Open *q = s->opens.items[r];
                    counted = q->y == y && q->o == o->o && q->index == p->index;
                }
                if (counted) continue;
                int sum = 0;
                for (size_t r = m; r < s->opens.len; r++) {
                    const Open *q = s->opens.items[r];
                    if (q->y != y || q->o != o->o || q->index != p->index || (free && q->member)) continue;
                    bool again = false;
                    for (size_t t = m; t < r && !again; t++) {
                        const Open *w = s->opens.items[t];
                        again = w->y == y && w->o == o->o && w->index == q->index && w->id == q->id;
                    }
                    if (again) continue;
                    /* the elements of o its outer comprehension may read */
                    int read = 0;
                    for (size_t c = 0; c < s->occs.len; c++) {
                        const Occ *x = s->occs.items[c];
                        if (x->y == o->o && !apart(s, x->wit, x->nwit, q)) read += x->need;
                    }
                    sum += q->need * read;
                }
                if (sum > most) most = sum;
            }
            k += most;
        }
        if (k > need) need = k;
    }
    return need;
}

/* After an unsatisfiable query: whether the witnesses of its open
 * occurrences are never elements an outer comprehension of an open
 * occurrence reads (else no proof, the reason in s->noproof).  Asked only
 * then: it costs a Z3 check per pair of conditions. */
static bool open_inert(Smt *s) {
    for (size_t j = 0; j < s->opens.len && s->proof; j++) {
        const Open *w = s->opens.items[j];
        for (size_t m = 0; m < s->opens.len && s->proof; m++) {
            const Open *r = s->opens.items[m];
            if (w->y != r->o) continue;
            if (!apart(s, w->wit, w->nwit, r)) no_proof(s, "a list read inside a condition over another list, reading its element, where a witness may be an element read around it");
        }
    }
    return s->proof;
}

/* a sparse set as one term, to compare occurrences (its members, in order) */
static Z3_ast set_term(Smt *s, const Term *t) {
    Z3_ast r = s->tt;
    for (int i = t->n - 1; i >= 0; i--) r = ite(s, t->ec[i], Z3_mk_eq(s->z, t->ev[i], t->ev[i]), r);
    return r;
}

/* the index of the first of take[0..n) that holds, -1 when none does: the
 * element kept for occurrences of one condition (shared witnesses) */
static Z3_ast first_taken(Smt *s, Z3_ast const *take, int n) {
    Z3_ast r = int_(s, -1);
    for (int i = n - 1; i >= 0; i--) r = ite(s, take[i], int_(s, i), r);
    return r;
}

/* An occurrence over list l, or over the lists a set was made from */
static void occurs(Smt *s, Sym *l, const struct SetUse *u, const IrExpr *e, Z3_ast f, int need) {
    const IrExpr *w[MAX_PARTS];
    if (l) {
        w[0] = e;
        occurrence(s, l, f, need, w, e->agg != AG_FORALL);
    } else {
        for (int i = 0; i < u->nfrom; i++) occurrence(s, u->from[i], f, need, w, leaves_over(u, u->from[i], w));
    }
}

/* A set comprehension a consumer reads (used): the list it was made from,
 * l (NULL: a set), for the consumer's occurrence (set_from_list) */
static void set_used(Smt *s, const IrExpr *e, bool used, Sym *l) {
    bool known = !l;
    for (int i = 0; i < s->use.nfrom; i++) known |= s->use.from[i] == l;
    for (int i = 0; used && i < s->use.nleaf; i++)
        if (s->use.leaf[i] == e) s->use.leaf_list[i] = l;
    if (used && !known) {
        if (s->use.nfrom < MAX_PARTS) s->use.from[s->use.nfrom++] = l;
        else no_proof(s, "a union of too many sets");
    }
}

/* exists, forall, count, sum, first, set over a list (slots) or a set
 * (ordinals); *list: the list it ranges over (NULL: a set) */
static bool aggregate_enc(Smt *s, Env *env, const IrExpr *e, int pol, Term *out, Sym **list) {
    Z3_context z = s->z;
    memset(out, 0, sizeof *out);
    if (e->agg >= AG_DAYS) return outside(s, "the days/months of a union of periods");
    if (e->slot < 0 || e->slot >= MAX_FRAME) return outside(s, "a frame too large");
    Term l;
    /* read by a consumer (set_from_list), as the list it is made from */
    bool used = false;
    for (int i = 0; e->agg == AG_SET && i < s->use.nleaf; i++) used |= s->use.leaf[i] == e;
    /* what this comprehension reads of the elements around it (closed or not) */
    uint64_t touch = s->touch;
    s->touch = 0;
    int level = s->body;
    /* over a set made from lists: the lists' elements */
    struct SetUse u = {0};
    if (e->agg == AG_EXISTS || e->agg == AG_FORALL || e->agg == AG_FIRST) {
        if (!set_from_list(s, env, e->a, &l, &u)) return false;
    } else if (!enc(s, env, e->a, 0, &l)) return false;
    /* a count with a condition over a set whose occurrence it names */
    struct Pending pending = s->pending;
    memset(&s->pending, 0, sizeof s->pending);
    uint64_t src = s->touch; /* the elements the list or set itself comes from */
    if (!l.s && !is_set(&l)) return outside(s, "a comprehension over a scalar");
    int n = l.s ? s->slots : l.ec ? l.n : 256, need = 0;
    bool over = l.s || u.nfrom; /* the elements bound are those of lists */
    bool filtered = false; /* read by a count with a condition: an occurrence never merged */
    if (over) {
        if (level >= 63) no_proof(s, "comprehensions over lists nested too deep");
        if (e->agg == AG_EXISTS || e->agg == AG_FORALL) {
            if (!((e->agg == AG_EXISTS && pol < 0) || (e->agg == AG_FORALL && pol > 0))) need = 1;
        } else if (e == s->counted && (e->agg == AG_COUNT || e->agg == AG_SET)) {
            need = s->count_need;
            filtered = e->agg == AG_SET && s->count_filtered;
        } else if (e->agg == AG_FIRST) {
            need = 1; /* the first element taken: kept, it stays the first */
        } else if (e->agg == AG_SUM && e == s->summed) {
            /* sum_bound: a sub-list keeps the comparison's truth, or the sum
               is free but for its positive element (sum_free) */
            need = s->sum_free ? 1 : 0;
        } else if (used) {
            need = 0; /* its consumer counts the occurrence */
        } else {
            no_proof(s, "a comprehension over a list the bound does not cover (not exists, forall, first, a count or set size compared with a constant, a set read by its consumer, or a sum in the direction a sub-list keeps)");
        }
    }
    bool real = e->type->kind == TY_RATIO || e->type->kind == TY_PERCENT;
    bool free_sum = over && e->agg == AG_SUM && e == s->summed && s->sum_free;
    Z3_ast some = s->ff; /* free_sum: an element taken with a positive value */
    int bpol = e->agg == AG_EXISTS || e->agg == AG_FORALL ? pol : 0;
    Term saved = env->slot[e->slot];
    uint64_t saved_dep = env->dep[e->slot];
    Z3_ast acc = NULL;
    switch (e->agg) {
    case AG_EXISTS: acc = s->ff; break;
    case AG_FORALL: acc = s->tt; break;
    case AG_COUNT: acc = int_(s, 0); break;
    case AG_SUM:
        if (!(e->type->kind == TY_INT || e->type->kind == TY_DAYS || e->type->kind == TY_MONTHS || real))
            return outside(s, "a sum of amounts");
        acc = zero(s, real);
        if (e != s->summed) no_proof(s, "a sum over a list");
        break;
    case AG_SET: sparse_init(s, out, n, e->type->elem); break;
    case AG_FIRST: break;
    default: return outside(s, "an aggregate");
    }
    Z3_ast *firsts = NULL, *takes = NULL, *keys = NULL;
    if (e->agg == AG_FIRST) {
        /* one per element at most (n: the slots, a sparse set's elements or 256 ordinals) */
        firsts = arena_alloc(&s->A, sizeof *firsts * (size_t)(n ? n : 1));
        takes = arena_alloc(&s->A, sizeof *takes * (size_t)(n ? n : 1));
        keys = arena_alloc(&s->A, sizeof *keys * (size_t)(n ? n : 1));
    }
    int nf = 0;
    bool ok = true;
    Z3_ast *tk = l.s ? arena_alloc(&s->A, sizeof *tk * (size_t)(n ? n : 1)) : NULL; /* per slot, whether it is taken */
    /* The marks a consumer left for one node (s->use, s->counted, s->summed)
       are for the path from the consumer to it (definitions' bodies, unions,
       a count's source), never for this comprehension's condition, value or
       default: the same node met there (a definition named again) is
       another occurrence, counted on its own (or no proof). */
    Marks marks = marks_clear(s);
    if (over && level < MAX_AROUND) s->around[level] = (struct Around){e, l.s, u, 0};
    if (over) s->body++;
    s->in_agg++; /* no choice inside: each element may hold by another operand */
    for (int i = 0; i < n && ok; i++) {
        Z3_ast present;
        if (over && level < MAX_AROUND) s->around[level].index = i;
        memset(&env->slot[e->slot], 0, sizeof env->slot[e->slot]);
        /* an element of a list is bound at this depth; an element of a set
           is made from what the set is */
        env->dep[e->slot] = over && level < 63 ? src | (uint64_t)1 << level : src;
        if (l.s) {
            env->slot[e->slot].s = l.s->items[i];
            present = Z3_mk_gt(z, l.s->len, int_(s, i));
        } else if (l.ec) {
            /* an element repeated counts once (count, sum) */
            env->slot[e->slot].a = l.ev[i];
            present = e->agg == AG_EXISTS || e->agg == AG_FORALL || e->agg == AG_SET || e->agg == AG_FIRST ? l.ec[i] : sparse_first(s, &l, i);
        } else {
            if (l.set[i] == s->ff) continue;
            env->slot[e->slot].a = ord(s, i);
            present = l.set[i];
        }
        Z3_ast cond = s->tt, v = NULL;
        if (e->b && !(ok = scalar(s, env, e->b, bpol, &cond))) break;
        Z3_ast take = and2(s, present, cond);
        if (tk) tk[i] = take;
        switch (e->agg) {
        case AG_EXISTS: acc = or2(s, acc, take); break;
        case AG_FORALL: acc = and2(s, acc, or2(s, not1(s, present), cond)); break;
        case AG_COUNT: acc = add2(s, acc, ite(s, take, int_(s, 1), int_(s, 0))); break;
        case AG_SUM:
            if (!(ok = scalar(s, env, e->c, 0, &v))) break;
            v = to_type(s, v, e->type);
            acc = add2(s, acc, ite(s, take, v, zero(s, real)));
            if (free_sum) some = or2(s, some, and2(s, take, Z3_mk_gt(z, v, zero(s, real))));
            break;
        case AG_SET:
            if (!(ok = scalar(s, env, e->c, 0, &v))) break;
            if (take != s->ff) sparse_add(out, take, v);
            break;
        default: /* AG_FIRST: the chain is built from the last element */
            if (!(ok = scalar(s, env, e->c, 0, &v))) break;
            firsts[nf] = to_type(s, v, e->type);
            keys[nf] = env->slot[e->slot].a;
            takes[nf++] = take;
            break;
        }
    }
    if (over) s->body--;
    s->in_agg--;
    if (ok && e->agg == AG_FIRST) {
        ok = scalar(s, env, e->d, 0, &acc);
        if (ok) acc = to_type(s, acc, e->type);
    }
    marks_put(s, &marks);
    env->slot[e->slot] = saved;
    env->dep[e->slot] = saved_dep;
    uint64_t read = s->touch;
    s->touch = touch | read;
    if (!ok) return false;
    /* one that needs witnesses inside another list comprehension: a proof
       only when closed (SPEC §13.3) */
    /* one that needs witnesses inside another list comprehension and reads
       its element: witnesses per element around it (SPEC §13.3) */
    bool open = need && level > 0 && level < 63 && (read & (((uint64_t)1 << level) - 1));
    if (free_sum) acc = sum_free(s, acc, some, real);
    if (filtered || pending.e) s->unshared++; /* a fresh occurrence each time (memo) */
    Z3_ast occ = filtered ? Z3_mk_fresh_const(z, "count", s->sb) : e->agg == AG_SET ? set_term(s, out) : free_sum ? some : acc;
    if (pending.e) /* the occurrence is this count, its condition's (never another's) */
        occurs(s, pending.list, &pending.u, pending.e, e->agg == AG_COUNT ? acc : Z3_mk_fresh_const(z, "count", s->sb), pending.need);
    if (need && filtered && !open) /* counted by the count that reads it (pending) */
        s->pending = (struct Pending){l.s, u, e, need};
    else if (need && e->agg != AG_FIRST) {
        if (open) open_occurrence(s, l.s, &u, e, occ, need, read, level);
        else {
            /* over a list directly: elements kept where the condition
               holds, shared with others of that condition (weight) */
            if (l.s && ((e->agg == AG_EXISTS && pol >= 0) || e->agg == AG_COUNT || (e->agg == AG_SET && !filtered))) {
                s->share = e->agg == AG_SET ? SHARE_VALUES : SHARE_ANY;
                s->share_key = first_taken(s, tk, n);
            }
            occurs(s, l.s, &u, e, occ, need);
            s->share = SHARE_NONE;
        }
    }
    *list = l.s;
    if (e->agg == AG_SET) {
        set_used(s, e, used, l.s);
        return true;
    }
    if (e->agg == AG_FIRST) {
        if (l.ec) {
            /* a sparse set in the order of the ordinals: the element taken
               that no other element taken precedes (equal ones give one value) */
            for (int i = nf - 1; i >= 0; i--) {
                Z3_ast least = takes[i];
                for (int j = 0; j < nf; j++)
                    if (j != i) least = and2(s, least, or2(s, not1(s, takes[j]), Z3_mk_le(z, keys[i], keys[j])));
                acc = ite(s, least, firsts[i], acc);
            }
        } else {
            for (int i = nf - 1; i >= 0; i--) acc = ite(s, takes[i], firsts[i], acc);
        }
        /* over a list the element kept is the first taken, whatever value
           is read of it: firsts of one condition (of the same bindings)
           keep one element, the occurrence is its index */
        Z3_ast which = l.s ? first_taken(s, takes, nf) : acc;
        if (need && open) open_occurrence(s, l.s, &u, e, which, need, read, level);
        else if (need) {
            s->share = l.s ? SHARE_FIRST : SHARE_NONE;
            s->share_key = which;
            occurs(s, l.s, &u, e, which, need);
            s->share = SHARE_NONE;
        }
    }
    out->a = acc;
    return true;
}

/* ---- closed comprehensions encoded once a query (SPEC §13.3) --------------------------- */

/* A comprehension over a list of the case that reads no local bound
 * outside it (directly or through a definition's argument; a definition's
 * body reads only its parameters) gives the same terms wherever it is
 * encoded in one query: the same list slots, the same facts.  So does what
 * it counts for the bound, given what it is encoded under: its polarity,
 * the comprehensions around it (their number: it reads none of their
 * elements), the marks a consumer left for it, the agreement (its
 * parties), the free sets and the calendar.  Such an encoding is made once
 * a query and given again (EU 883/2004's `considered(a)` reads
 * `forall(x in activities where ...)` once per activity slot, in every set
 * of Arts 11(3) and 13): its term, the elements it read (Smt.touch), and,
 * replayed in order, the occurrences it counted, the open occurrences it
 * made and its first reason of no proof, each as the encoding made again
 * would give them (occurrence() keeps one occurrence of one term, whichever
 * call names it).  Not kept: an encoding that failed or left something out
 * (outside: its words), or made a fresh constant (a calendar function: every
 * period_months/months_between/years_between makes one; a count with a condition over a set: made again, a
 * different constant), or left a count its occurrence (pending). */
typedef struct Logged {
    Open *open;          /* an open occurrence, or */
    Sym *y;              /* an occurrence: occurrence()'s arguments */
    Z3_ast f, share_key;
    int need, nwit, share;
    const IrExpr *wit[MAX_PARTS];
} Logged;
static void log_occurrence(Smt *s, Sym *y, Z3_ast f, int need, const IrExpr *const *wit, int nwit) {
    Logged *g = arena_alloc(&s->A, sizeof *g);
    *g = (Logged){.y = y, .f = f, .share_key = s->share_key, .need = need, .nwit = nwit, .share = s->share};
    for (int i = 0; i < nwit && i < MAX_PARTS; i++) g->wit[i] = wit[i];
    ptrvec_push(&s->A, &s->log, g);
}
static void open_push(Smt *s, Open *o) {
    ptrvec_push(&s->A, &s->opens, o);
    if (s->recording) {
        Logged *g = arena_alloc(&s->A, sizeof *g);
        g->open = o;
        ptrvec_push(&s->A, &s->log, g);
    }
}

typedef struct Memo {
    /* the key: what the encoding depends on besides the comprehension */
    const IrExpr *e;
    const IrAgreement *ag;
    int pol, level, count, sum;
    bool used, free_open, calendar_on;
    /* the encoding */
    Term out;
    Sym *list;
    uint64_t read;
    size_t from, to;     /* its entries in Smt.log */
    const char *why;     /* its first no_proof */
    int depth;           /* the definitions it nests below where it is */
    struct Memo *next;
} Memo;

/* x reads no local but those in `bound` (slots) and those bound inside it */
static bool closed_in(const IrExpr *x, uint64_t bound, int depth) {
    if (!x) return true;
    if (depth > 4 * MAX_INLINE) return false;
    switch (x->kind) {
    case IR_LOCAL: return x->slot >= 0 && x->slot < 64 && ((bound >> x->slot) & 1);
    case IR_ASK: return false;
    case IR_AGG: {
        if (x->slot < 0 || x->slot >= 64) return false;
        uint64_t in = bound | (uint64_t)1 << x->slot;
        return closed_in(x->a, bound, depth + 1) && closed_in(x->b, in, depth + 1) && closed_in(x->c, in, depth + 1) &&
               closed_in(x->d, bound, depth + 1);
    }
    default:
        if (!closed_in(x->a, bound, depth + 1) || !closed_in(x->b, bound, depth + 1) || !closed_in(x->c, bound, depth + 1) ||
            !closed_in(x->d, bound, depth + 1))
            return false;
        for (int i = 0; i < x->nargs; i++) /* a definition's arguments; its body reads only them */
            if (!closed_in(x->args[i], bound, depth + 1)) return false;
        return true;
    }
}
/* a node's place in the closed table of cap entries */
static size_t closed_slot(const IrExpr *e, size_t cap) { return (ptr_hash(e) >> 20) & (cap - 1); }
/* e is a comprehension the memo keeps: over a list of the case (a chain of
 * fields, which reads no mark a consumer leaves), closed (remembered for
 * the run: the IR outlives it) */
static bool memo_closed(Smt *s, const IrExpr *e) {
    for (size_t i = s->capclosed ? closed_slot(e, s->capclosed) : 0; s->capclosed; i = (i + 1) & (s->capclosed - 1))
        if (!s->closed[i].e) break;
        else if (s->closed[i].e == e) return s->closed[i].closed;
    if (2 * (s->nclosed + 1) > s->capclosed) {
        size_t cap = s->capclosed ? 2 * s->capclosed : 256;
        struct ClosedAt *t = xcalloc(cap, sizeof *t);
        for (size_t j = 0; j < s->capclosed; j++) {
            if (!s->closed[j].e) continue;
            size_t i = closed_slot(s->closed[j].e, cap);
            while (t[i].e) i = (i + 1) & (cap - 1);
            t[i] = s->closed[j];
        }
        free(s->closed);
        s->closed = t;
        s->capclosed = cap;
    }
    const IrExpr *a = e->a;
    while (a && a->kind == IR_FIELD) a = a->a;
    bool closed = e->agg < AG_DAYS && a && a->kind == IR_CASE && e->slot >= 0 && e->slot < 64 &&
                  closed_in(e->b, (uint64_t)1 << e->slot, 0) && closed_in(e->c, (uint64_t)1 << e->slot, 0) && closed_in(e->d, 0, 0);
    size_t i = closed_slot(e, s->capclosed);
    while (s->closed[i].e) i = (i + 1) & (s->capclosed - 1);
    s->closed[i] = (struct ClosedAt){e, closed};
    s->nclosed++;
    return closed;
}

static bool aggregate(Smt *s, Env *env, const IrExpr *e, int pol, Term *out) {
    if (s->pending.e || !memo_closed(s, e)) return aggregate_enc(s, env, e, pol, out, &(Sym *){NULL});
    Memo k = {.e = e, .ag = s->ag, .pol = pol, .level = s->body, .free_open = s->free_open, .calendar_on = s->calendar_on,
              .count = e == s->counted ? 2 * s->count_need + s->count_filtered : -1, .sum = e == s->summed ? s->sum_free : -1};
    for (int i = 0; e->agg == AG_SET && i < s->use.nleaf; i++) k.used |= s->use.leaf[i] == e;
    size_t h = ((ptr_hash(e) ^ (uintptr_t)k.ag) * 0x100000001B3u) ^ (size_t)(k.pol + 2) ^ (size_t)k.level << 2;
    Memo **b = &s->memo[(h >> 24) & (MEMO_SIZE - 1)];
    for (Memo *m = *b; m; m = m->next) {
        if (m->e != e || m->ag != k.ag || m->pol != pol || m->level != k.level || m->count != k.count || m->sum != k.sum ||
            m->used != k.used || m->free_open != k.free_open || m->calendar_on != k.calendar_on)
            continue;
        if (s->inlined + m->depth >= MAX_INLINE) break; /* deeper than it was: made again (and fails as it would) */
        if (s->inlined + m->depth > s->inl_peak) s->inl_peak = s->inlined + m->depth;
        *out = m->out;
        s->touch |= m->read;
        for (size_t i = m->from; i < m->to; i++) {
            const Logged *g = s->log.items[i];
            if (g->open) {
                open_push(s, g->open);
                continue;
            }
            int share = s->share;
            Z3_ast key = s->share_key;
            s->share = g->share, s->share_key = g->share_key;
            occurrence(s, g->y, g->f, g->need, g->wit, g->nwit);
            s->share = share, s->share_key = key;
        }
        if (m->why) no_proof(s, m->why);
        if (e->agg == AG_SET) set_used(s, e, k.used, m->list);
        return true;
    }
    uint64_t touch = s->touch;
    unsigned long unshared = s->unshared;
    const char *why = NULL, **np = s->np_first;
    int peak = s->inl_peak;
    s->touch = 0;
    s->np_first = &why;
    s->inl_peak = s->inlined;
    s->recording++;
    size_t from = s->log.len;
    Sym *list = NULL;
    bool ok = aggregate_enc(s, env, e, pol, out, &list);
    s->recording--;
    uint64_t read = s->touch;
    s->touch = touch | read;
    s->np_first = np;
    if (np && why && !*np) *np = why;
    int depth = s->inl_peak - s->inlined;
    if (peak > s->inl_peak) s->inl_peak = peak;
    if (!ok || s->unshared != unshared || s->pending.e) return ok;
    Memo *m = arena_alloc(&s->A, sizeof *m);
    *m = k;
    m->out = *out;
    m->list = list;
    m->read = read;
    m->from = from;
    m->to = s->log.len;
    m->why = why;
    m->depth = depth;
    m->next = *b;
    *b = m;
    return true;
}

static bool define(Smt *s, Env *env, const IrExpr *e, int pol, Term *out) {
    const IrDefine *d = e->def;
    if (!d->body) return outside(s, "definition %s without a body", d->name);
    if (s->inlined >= MAX_INLINE) return outside(s, "definitions nested too deep");
    if (d->nparams > MAX_FRAME) return outside(s, "a frame too large");
    if (s->inlined > s->inl_peak) s->inl_peak = s->inlined;
    /* the arguments, encoded in the caller's frame (a definition they call
       takes this depth's frame too: the body's is taken after them) */
    Term arg[MAX_FRAME];
    uint64_t dep[MAX_FRAME];
    int na = d->nparams < e->nargs ? d->nparams : e->nargs;
    /* a count or sum being compared, or a set a consumer reads, is in the
       body, never in an argument */
    Marks marks = marks_clear(s);
    uint64_t touch = s->touch;
    for (int i = 0; i < na; i++) {
        s->touch = 0;
        if (!enc(s, env, e->args[i], 0, &arg[i])) {
            marks_put(s, &marks);
            return false;
        }
        dep[i] = s->touch; /* the argument carries the elements it was made from into the body */
        touch |= s->touch;
    }
    s->touch = touch;
    marks_put(s, &marks);
    /* the body's frame: every slot it binds (d->nslots, its parameters and
       its comprehensions' elements) unbound but the parameters */
    Env *in = s->frames[s->inlined];
    int used = d->nslots > MAX_FRAME || d->nslots < na ? MAX_FRAME : d->nslots;
    if (!in) in = s->frames[s->inlined] = arena_alloc(&s->A, sizeof *in);
    else {
        memset(in->slot, 0, sizeof *in->slot * (size_t)used);
        memset(in->dep, 0, sizeof *in->dep * (size_t)used);
    }
    memcpy(in->slot, arg, sizeof *arg * (size_t)na);
    memcpy(in->dep, dep, sizeof *dep * (size_t)na);
    s->inlined++;
    bool ok = enc(s, in, d->body, pol, out);
    s->inlined--;
    if (ok && out->a) out->a = to_type(s, out->a, d->type);
    return ok;
}

static bool enc(Smt *s, Env *env, const IrExpr *e, int pol, Term *out) {
    memset(out, 0, sizeof *out);
    switch (e->kind) {
    case IR_CONST:
        if (e->type->kind == TY_SET) { /* made once a query, as a parameter's value (member()'s memo reads it) */
            if (known_term(s, e, out)) return true;
            return const_val(s, &e->cval, e->type, out) && keep_term(s, e, out);
        }
        return const_val(s, &e->cval, e->type, out);
    case IR_CASE: out->s = s->kase; return true;
    case IR_LOCAL:
        if (e->slot < 0 || e->slot >= MAX_FRAME || !(env->slot[e->slot].a || env->slot[e->slot].s || is_set(&env->slot[e->slot])))
            return outside(s, "a local that is not bound");
        *out = env->slot[e->slot];
        s->touch |= env->dep[e->slot];
        return true;
    case IR_FIELD: {
        Term r;
        if (!enc(s, env, e->a, 0, &r)) return false;
        if (!r.s || r.s->type->kind != TY_RECORD) return outside(s, "a field of a value that is not a record");
        return field_term(s, r.s, e->field, out);
    }
    case IR_UNARY: {
        Z3_ast a = NULL;
        if (e->op == IOP_NOT) {
            if (!scalar(s, env, e->a, -pol, &a)) return false;
            out->a = not1(s, a);
            return true;
        }
        if (!scalar(s, env, e->a, 0, &a)) return false;
        if (kind_of(s, a) != Z3_INT_SORT && kind_of(s, a) != Z3_REAL_SORT) return outside(s, "a negated amount");
        no_proof(s, "a negation of a number");
        out->a = Z3_mk_unary_minus(s->z, a);
        return true;
    }
    case IR_BINARY: return binary(s, env, e, pol, out);
    case IR_AND: case IR_OR: {
        Z3_ast a = NULL, b = NULL;
        if (!s->in_agg && ((e->kind == IR_AND && pol < 0) || (e->kind == IR_OR && pol > 0))) {
            /* holds by one of its operands: a choice, each a scope (SPEC §13.3) */
            int around = s->scope;
            ptrvec_push(&s->A, &s->choices, (void *)(intptr_t)around);
            intptr_t c = (intptr_t)s->choices.len;
            ptrvec_push(&s->A, &s->scopes, (void *)c);
            s->scope = (int)s->scopes.len;
            bool ok = scalar(s, env, e->a, pol, &a);
            ptrvec_push(&s->A, &s->scopes, (void *)c);
            s->scope = (int)s->scopes.len;
            ok = ok && scalar(s, env, e->b, pol, &b);
            s->scope = around;
            if (!ok) return false;
            out->a = e->kind == IR_AND ? and2(s, a, b) : or2(s, a, b);
            return true;
        }
        if (!scalar(s, env, e->a, pol, &a) || !scalar(s, env, e->b, pol, &b)) return false;
        out->a = e->kind == IR_AND ? and2(s, a, b) : or2(s, a, b);
        return true;
    }
    case IR_IF: {
        Z3_ast c = NULL;
        Term a, b;
        if (!scalar(s, env, e->a, 0, &c) || !enc(s, env, e->b, pol, &a) || !enc(s, env, e->c, pol, &b)) return false;
        if (is_set(&a) && is_set(&b)) {
            if (a.ec && b.ec) {
                sparse_init(s, out, a.n + b.n, e->type->elem);
                for (int i = 0; i < a.n; i++) sparse_add(out, and2(s, c, a.ec[i]), a.ev[i]);
                for (int i = 0; i < b.n; i++) sparse_add(out, and2(s, not1(s, c), b.ec[i]), b.ev[i]);
                return true;
            }
            a.elem = b.elem = e->type->elem;
            densify(s, &a);
            densify(s, &b);
            out->set = set_new(s);
            for (int o = 0; o < 256; o++) out->set[o] = ite(s, c, a.set[o], b.set[o]);
            return true;
        }
        if (!a.a || !b.a) return outside(s, "a choice between records or lists");
        out->a = ite(s, c, to_type(s, a.a, e->type), to_type(s, b.a, e->type));
        return true;
    }
    case IR_SETLIT: {
        Term r;
        sparse_init(s, &r, e->nargs, e->type->elem);
        for (int i = 0; i < e->nargs; i++) {
            Z3_ast x = NULL;
            if (!scalar(s, env, e->args[i], 0, &x)) return false;
            sparse_add(&r, s->tt, x);
        }
        *out = r;
        return true;
    }
    case IR_BUILTIN: return builtin(s, env, e, &out->a);
    case IR_DEFINE: return define(s, env, e, pol, out);
    case IR_ASK: return outside(s, "the answer to another question (%s)", e->question->name);
    case IR_PARAMETER: return parameter(s, e->param, out);
    case IR_PARTIES: out->set = parties(s); return true;
    case IR_AGG: return aggregate(s, env, e, pol, out);
    }
    return outside(s, "an expression");
}

/* ---- the calendar (SPEC §5.3) ----------------------------------------------------------- */

/* A date x as its month (a serial number: consecutive months differ by
 * one), day and the length of its month, for the calendar functions.
 * Exact on 1900-03-01 .. 2100-02-28, where every 4th year is a leap year
 * (1900 and 2100 are not, 2000 is): x is 1461 q + r days (4 years, the
 * leap day last: years counted from 1 March) after 1900-03-01, r's year,
 * month and day then thresholds on r, linear (one integer multiple, not
 * the divisions and remainders of the full Gregorian rule, which cost Z3
 * more than a query's resource limit).  Outside that window serial, day and
 * len are meaningless (r leaves 0..1460): calendar() makes a function of
 * such a date a fresh integer, weaker than the calendar there, never
 * stronger, so an unsatisfiable query stays a proof (SPEC §13.3); a model
 * with such a date may not replay (the checker replays every model).  The
 * constraints hold for the whole query (an atom's term is shared between
 * the boxes of a disjunction). */
typedef struct Civil {
    Z3_ast x, in, serial, day, len; /* in: x inside the window */
} Civil;
static const Civil *civil_of(Smt *s, Z3_ast x) {
    for (size_t i = 0; i < s->civil.len; i++)
        if (((const Civil *)s->civil.items[i])->x == x) return s->civil.items[i];
    Z3_context z = s->z;
    acc_date lo = acc_date_from_ymd(1900, 3, 1), hi = acc_date_from_ymd(2100, 2, 28);
    Z3_ast in = and2(s, Z3_mk_ge(z, x, int_(s, lo)), Z3_mk_le(z, x, int_(s, hi)));
    Z3_ast q = Z3_mk_fresh_const(z, "quad", s->si);
    Z3_ast r = Z3_mk_sub(z, 3, (Z3_ast[]){x, int_(s, lo), Z3_mk_mul(z, 2, (Z3_ast[]){int_(s, 1461), q})});
    hold_dom(s, Z3_mk_implies(z, in, and2(s, Z3_mk_ge(z, r, int_(s, 0)), Z3_mk_le(z, r, int_(s, 1460)))));
    /* a model's dates in the window where its months are the calendar's */
    ptrvec_push(&s->A, &s->nice, in);
    /* the year of the four (from 1 March), the day of that year */
    Z3_ast yy = ite(s, Z3_mk_lt(z, r, int_(s, 365)), int_(s, 0),
                    ite(s, Z3_mk_lt(z, r, int_(s, 730)), int_(s, 1), ite(s, Z3_mk_lt(z, r, int_(s, 1095)), int_(s, 2), int_(s, 3))));
    Z3_ast doy = Z3_mk_sub(z, 2, (Z3_ast[]){r, Z3_mk_mul(z, 2, (Z3_ast[]){int_(s, 365), yy})});
    /* months from March: the days of the year before each, and its length */
    static const int before[12] = {0, 31, 61, 92, 122, 153, 184, 214, 245, 275, 306, 337};
    static const int len[12] = {31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28};
    Z3_ast mp = int_(s, 0), cum = int_(s, 0), ml = int_(s, len[0]);
    for (int k = 1; k < 12; k++) {
        Z3_ast past = Z3_mk_ge(z, doy, int_(s, before[k]));
        mp = ite(s, past, int_(s, k), mp);
        cum = ite(s, past, int_(s, before[k]), cum);
        ml = ite(s, past, k == 11 ? ite(s, Z3_mk_eq(z, yy, int_(s, 3)), int_(s, 29), int_(s, 28)) : int_(s, len[k]), ml);
    }
    Civil *c = arena_alloc(&s->A, sizeof *c);
    c->x = x;
    c->in = in;
    Z3_ast years = Z3_mk_add(z, 2, (Z3_ast[]){Z3_mk_mul(z, 2, (Z3_ast[]){int_(s, 4), q}), yy});
    c->serial = Z3_mk_add(z, 2, (Z3_ast[]){Z3_mk_mul(z, 2, (Z3_ast[]){int_(s, 12), years}), mp});
    c->day = Z3_mk_add(z, 2, (Z3_ast[]){Z3_mk_sub(z, 2, (Z3_ast[]){doy, cum}), int_(s, 1)});
    c->len = ml;
    ptrvec_push(&s->A, &s->civil, c);
    return c;
}

/* period_months, months_between, years_between and days_between of two
 * dates (SPEC §5.3; runtime/periods.c): period_months(from, to) is 0 when
 * to < from, else the months from from's month to to's, plus one when
 * from's day, clamped to the length of to's month, is <= to's day.  Exact
 * when both dates are in civil_of's window (or to < from), a fresh integer outside
 * it: a query using them can still be refuted. */
static bool calendar(Smt *s, Env *env, const IrExpr *e, Z3_ast *out) {
    Z3_context z = s->z;
    Z3_ast from = NULL, to = NULL;
    if (!s->calendar_on) {
        s->deferred = s->calendared = true;
        return outside(s, "a calendar function (encoded only when asked again: smt_calendar)");
    }
    if (e->nargs != 2 || !scalar(s, env, e->args[0], 0, &from) || !scalar(s, env, e->args[1], 0, &to)) return false;
    if (Z3_get_sort_kind(z, Z3_get_sort(z, from)) != Z3_INT_SORT || Z3_get_sort_kind(z, Z3_get_sort(z, to)) != Z3_INT_SORT)
        return outside(s, "a calendar function of a non-date");
    if (e->builtin == BI_DAYS_BETWEEN) {
        *out = Z3_mk_sub(z, 2, (Z3_ast[]){to, from});
        return true;
    }
    const Civil *f = civil_of(s, from), *t = civil_of(s, to);
    Z3_ast clamped = ite(s, Z3_mk_lt(z, f->day, t->len), f->day, t->len);
    Z3_ast n0 = Z3_mk_sub(z, 2, (Z3_ast[]){t->serial, f->serial});
    Z3_ast months = ite(s, Z3_mk_le(z, clamped, t->day), Z3_mk_add(z, 2, (Z3_ast[]){n0, int_(s, 1)}), n0);
    if (e->builtin != BI_PERIOD_MONTHS) months = Z3_mk_sub(z, 2, (Z3_ast[]){months, int_(s, 1)});
    /* a date outside the window: any value (the four-year cycle's figures
       there are not the calendar's; until the review of session 8 they were
       used, and 2100-01-17..2100-08-17 could not be 8 months: a wrong proof) */
    s->unshared++; /* a fresh integer per call: an encoding with one is made again, never shared (memo) */
    months = ite(s, and2(s, f->in, t->in), months, Z3_mk_fresh_const(z, "months", s->si));
    Z3_ast v = ite(s, Z3_mk_lt(z, to, from), int_(s, 0), months);
    /* months_between >= 0 here: div rounds down as the interpreter's / does */
    if (e->builtin == BI_YEARS_BETWEEN) v = Z3_mk_div(z, v, int_(s, 12));
    *out = v;
    return true;
}

/* ---- queries ---------------------------------------------------------------------------- */

static Z3_ast in_dim(Smt *s, Z3_ast x, const SmtFact *f) {
    Z3_context z = s->z;
    if (f->is_set) {
        if (f->type->kind == TY_BOOL) {
            bool f0 = f->bits[0] & 1, t1 = (f->bits[0] >> 1) & 1;
            return f0 && t1 ? s->tt : f0 ? not1(s, x) : t1 ? x : s->ff;
        }
        return in_bits(s, x, f->bits);
    }
    return and2(s, Z3_mk_ge(z, x, int_(s, f->lo)), Z3_mk_le(z, x, int_(s, f->hi)));
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); /* CPU time: the profile is read on a shared machine */
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void query_end(Smt *s) {
    if (s->model) Z3_model_dec_ref(s->z, s->model);
    if (s->sol) Z3_solver_dec_ref(s->z, s->sol);
    s->model = NULL;
    s->sol = NULL;
    arena_free_all(&s->A);
    memset(&s->lists, 0, sizeof s->lists);
    memset(&s->occs, 0, sizeof s->occs);
    memset(&s->sums, 0, sizeof s->sums);
    memset(&s->opens, 0, sizeof s->opens);
    memset(&s->frees, 0, sizeof s->frees);
    memset(&s->scopes, 0, sizeof s->scopes);
    memset(&s->choices, 0, sizeof s->choices);
    s->scope = s->in_agg = 0;
    memset(&s->pending, 0, sizeof s->pending);
    memset(&s->held, 0, sizeof s->held);
    memset(&s->atoms, 0, sizeof s->atoms);
    s->group = NULL;
    s->nparties = 0;
    memset(&s->nice, 0, sizeof s->nice);
    memset(&s->fns, 0, sizeof s->fns);
    memset(&s->seen, 0, sizeof s->seen);
    memset(&s->civil, 0, sizeof s->civil);
    memset(&s->walk, 0, sizeof s->walk);
    memset(s->inbits, 0, sizeof s->inbits);
    s->walked = 0;
    s->kase = NULL;
    memset(s->memo, 0, sizeof s->memo); /* the closed comprehensions' encodings are this query's */
    memset(&s->log, 0, sizeof s->log);
    memset(s->frames, 0, sizeof s->frames);
    memset(&s->params, 0, sizeof s->params);
}

/* ---- the outcome a candidate stands for (smt.h: RULE, DIFFER, SCOPE) ------------------- */

static bool is_bad(const Smt *s, const IrExpr *e) {
    for (size_t k = 0; k < s->bad.len; k++)
        if (s->bad.items[k] == e) return true;
    return false;
}

/* e is outside the fragment and left out of the query: remembered for the
 * run, unless only because the calendar functions are not asked for
 * (smt_calendar); the query's proof flag back to what it was before e (a
 * part left out only weakens the query); with SMT_MODELS, where e is and
 * why, on stderr (once a run: bench/README.md) */
static void leave_out(Smt *s, const IrExpr *e, bool proof) {
    if (!s->deferred) ptrvec_push(&s->P, &s->bad, (void *)e);
    s->deferred = false;
    s->proof = proof;
    if (getenv("SMT_MODELS"))
        fprintf(stderr, "  left out: %s@%u:%u-%u (%s)\n", s->ag ? s->ag->path : "", e->span.file, e->span.start, e->span.end, s->why);
}

/* c, the encoding of condition e with the given truth, or NULL when e is
 * outside the fragment (remembered, so that it costs once a run) */
static Z3_ast cond_of(Smt *s, Env *env, const IrExpr *e, bool truth) {
    if (is_bad(s, e)) return NULL;
    bool proof = s->proof;
    Z3_ast c = NULL;
    if (!scalar(s, env, e, truth ? 1 : -1, &c)) {
        leave_out(s, e, proof);
        return NULL;
    }
    return truth ? c : not1(s, c);
}

/* Assert e (true), conjunct by conjunct: a conjunct outside the fragment is
 * left out, which only weakens the query. */
static void assert_conj(Smt *s, Env *env, const IrExpr *e) {
    if (e->kind == IR_AND) {
        assert_conj(s, env, e->a);
        assert_conj(s, env, e->b);
        return;
    }
    Z3_ast c = cond_of(s, env, e, true);
    if (c) hold(s, c);
    else s->dropped++;
}

static Z3_ast in_dates(Smt *s, int32_t from, int32_t until) {
    Z3_ast c = s->tt;
    if (from > acc_date_min()) c = and2(s, c, Z3_mk_ge(s->z, s->date, int_(s, from)));
    if (until <= acc_date_max()) c = and2(s, c, Z3_mk_lt(s->z, s->date, int_(s, until)));
    return c;
}

/* the frame of a rule: locals 0.. are the question's arguments */
static Env *args_env(Smt *s) {
    Env *env = arena_alloc_raw(&s->A, sizeof *env); /* zeroed once, here */
    memset(env, 0, sizeof *env);
    for (int k = 0; s->q && k < s->q->nparams && k < 8; k++) env->slot[k].a = s->args[k];
    return env;
}

/* r's validity on the date and its head patterns; NULL outside the fragment */
static Z3_ast head_of(Smt *s, Env *env, const IrRule *r) {
    Z3_ast c = in_dates(s, r->from, r->until);
    for (int i = 0; r->q && i < r->q->nparams && i < 8; i++) {
        Z3_ast v = NULL;
        if (!r->pattern[i]) continue;
        if (!s->args[i] || !scalar(s, env, r->pattern[i], 0, &v)) return NULL;
        c = and2(s, c, Z3_mk_eq(s->z, s->args[i], v));
    }
    return c;
}

/* A conjunct of the query encoded on its own account (solve_inside): the
 * proof flag of the query is the conjunction of the units'. */
typedef struct Unit {
    bool proof;
    const char *noproof;
    int exists[UNIT_LISTS]; /* each list's existential occurrences before the unit */
    size_t opens;           /* the open occurrences before the unit */
} Unit;
static Unit unit_begin(Smt *s) {
    Unit u = {s->proof, s->noproof, {0}, s->opens.len};
    for (size_t i = 0; i < s->lists.len && i < UNIT_LISTS; i++) u.exists[i] = ((const Sym *)s->lists.items[i])->nexists;
    s->proof = true;
    return u;
}
/* the unit ends: its facts (n from f) are kept for solve_inside when its
 * encoding kept the proof (a part left out only weakens it, and is left
 * out again) */
static void unit_end(Smt *s, Unit u, const SmtFact *f, int n) {
    /* a unit with open occurrences (a comprehension reading the element
       around it) needs witnesses per outer element (bound_need): more than
       the estimate below follows, so it is not asked alone */
    bool inside = s->proof && s->opens.len == u.opens;
    s->proof = u.proof && s->proof;
    if (!u.proof) s->noproof = u.noproof;
    if (!s->collect || !inside) return;
    /* the occurrences the unit added (an occurrence shared with an earlier
       unit is that unit's): their sum over the units kept estimates what
       they need asked alone (solve, which asks them only when it is small);
       a decides fact's unit (n == 0) adds none: its rules' units hold them */
    for (size_t i = 0; n > 0 && i < s->lists.len; i++) {
        int k = ((const Sym *)s->lists.items[i])->nexists - (i < UNIT_LISTS ? u.exists[i] : 0);
        if (i < UNIT_LISTS) s->inside_exists[i] += k;
        else s->inside_exists[UNIT_LISTS - 1] = MAX_SLOTS + 4; /* too many lists to follow: not asked (solve) */
    }
    if (s->ninside + n > s->capinside) {
        s->capinside = 2 * (s->ninside + n) + 16;
        s->inside = xrealloc(s->inside, sizeof *s->inside * (size_t)s->capinside);
    }
    memcpy(s->inside + s->ninside, f, sizeof *f * (size_t)n);
    s->ninside += n;
}

/* rule r of ag applies (truth) or not: its validity, head patterns, condition */
static void rule_fact(Smt *s, const IrRule *r, const IrAgreement *ag, bool truth) {
    s->ag = ag;
    Env *env = args_env(s);
    Z3_ast c = head_of(s, env, r);
    if (!c) {
        s->dropped++;
        return;
    }
    if (truth) {
        hold(s, c);
        if (r->cond) assert_conj(s, env, r->cond);
        return;
    }
    /* the condition is encoded false (negative polarity: its comprehensions
       count their witnesses as they occur, SPEC §13.3), not true and negated */
    Z3_ast k = r->cond ? cond_of(s, env, r->cond, false) : s->ff;
    if (!k) {
        s->dropped++;
        return;
    }
    hold(s, or2(s, not1(s, c), k));
}

/* The lists r is combined with (interp.c combine): the question's roots, or
 * the exceptions of each rule r is an exception to (at most 8). */
static int siblings(const IrRule *r, const PtrVec **sib) {
    int n = 0;
    if (!r->overrides.len) sib[n++] = &r->q->roots;
    for (size_t i = 0; i < r->overrides.len && n < 8; i++) sib[n++] = &((const IrRule *)r->overrides.items[i])->exceptions;
    return n;
}

/* rule r of ag decides with its own value (interp.c, SPEC §6.3): it applies,
 * none of its exceptions applies (one would replace it), and no sibling of
 * higher priority applies (one would decide, or fail, above it) */
static void rule_unit(Smt *s, const IrRule *r, const IrAgreement *ag, bool truth) {
    if (s->group) { /* inside a box, one disjunct's: no conjunct of the query */
        rule_fact(s, r, ag, truth);
        return;
    }
    Unit u = unit_begin(s);
    rule_fact(s, r, ag, truth);
    SmtFact f = {.kind = SMT_RULE, .rule = r, .ag = ag, .truth = truth};
    unit_end(s, u, &f, 1);
}
static void decides_fact(Smt *s, const IrRule *r, const IrAgreement *ag) {
    rule_unit(s, r, ag, true);
    for (size_t i = 0; i < r->exceptions.len; i++) rule_unit(s, r->exceptions.items[i], ag, false);
    const PtrVec *sib[8];
    int n = siblings(r, sib);
    for (int k = 0; k < n; k++)
        for (size_t i = 0; i < sib[k]->len; i++) {
            const IrRule *x = sib[k]->items[i];
            if (x != r && x->priority > r->priority) rule_unit(s, x, ag, false);
        }
}

static bool value_of(Smt *s, const IrRule *r, const IrAgreement *ag, Term *out);

/* x's value is v (a scalar); NULL when either is outside the fragment */
static Z3_ast value_is(Smt *s, const IrRule *x, const IrAgreement *ag, const Term *v) {
    Term t;
    if (!v->a || !value_of(s, x, ag, &t) || !t.a) return NULL;
    Z3_ast a = t.a, b = v->a;
    same_sort(s, &a, &b);
    if (Z3_get_sort(s->z, a) != Z3_get_sort(s->z, b)) return NULL;
    return Z3_mk_eq(s->z, a, b);
}

static Z3_ast yields_any(Smt *s, const PtrVec *rules, const IrAgreement *ag, const Term *v, int depth);
/* Exception e's subtree may answer v (interp.c eval_rule: valid, and one of
 * its exceptions answers v, or its condition holds and its value is v): a
 * necessary condition, each part outside the fragment taken as true. */
static Z3_ast yields(Smt *s, const IrRule *e, const IrAgreement *ag, const Term *v, int depth) {
    if (depth > MAX_INLINE) return s->tt;
    s->ag = ag;
    Env *env = args_env(s);
    Z3_ast h = head_of(s, env, e);
    Z3_ast k = e->cond ? cond_of(s, env, e->cond, true) : s->tt;
    Z3_ast eq = value_is(s, e, ag, v);
    Z3_ast own = and2(s, k ? k : s->tt, eq ? eq : s->tt);
    return and2(s, h ? h : s->tt, or2(s, yields_any(s, &e->exceptions, ag, v, depth + 1), own));
}
static Z3_ast yields_any(Smt *s, const PtrVec *rules, const IrAgreement *ag, const Term *v, int depth) {
    Z3_ast r = s->ff;
    for (size_t i = 0; i < rules->len; i++) r = or2(s, r, yields(s, rules->items[i], ag, v, depth));
    return r;
}

/* Rule x's subtree answers nothing or v, as a refinement states it (it
 * never proves anything, so it may be stronger than needed): x is not
 * valid, or every exception's subtree answers nothing or v (one answering
 * another value replaces x, or conflicts with the answer v, SPEC §6.3: an
 * exception applies even where x's condition does not hold) and, unless an
 * exception may answer v for x, x's condition is false or its value is v.
 * A part outside the fragment is taken as true. */
static Z3_ast only_v(Smt *s, const IrRule *x, const IrAgreement *ag, const Term *v, int depth) {
    if (depth > MAX_INLINE) return s->tt;
    s->ag = ag;
    Env *env = args_env(s);
    Z3_ast h = head_of(s, env, x);
    if (!h) return s->tt;
    Z3_ast c = x->cond ? cond_of(s, env, x->cond, false) : s->ff;
    Z3_ast eq = value_is(s, x, ag, v);
    Z3_ast own = c && eq ? or2(s, c, eq) : s->tt;
    Z3_ast exc = s->tt;
    for (size_t i = 0; i < x->exceptions.len; i++) exc = and2(s, exc, only_v(s, x->exceptions.items[i], ag, v, depth + 1));
    return or2(s, not1(s, h), and2(s, exc, or2(s, yields_any(s, &x->exceptions, ag, v, 0), own)));
}

/* Rule r of ag decides the question alone (smt.h SMT_ALONE): every sibling
 * x of r's priority answers nothing or r's value v, else the siblings
 * conflict (interp.c combine): only_v, exceptions included (a model where
 * an exception of a sibling answered another value was refined once per
 * exception, SMT_ROUNDS too few for the EU's exceptions to Art. 11(3)(a)).
 * For smt_refine, which never proves anything. */
static void alone_fact(Smt *s, const IrRule *r, const IrAgreement *ag) {
    Term v;
    if (!value_of(s, r, ag, &v) || !v.a) {
        s->dropped++;
        return;
    }
    const PtrVec *sib[8];
    int n = siblings(r, sib);
    for (int k = 0; k < n; k++)
        for (size_t i = 0; i < sib[k]->len; i++) {
            const IrRule *x = sib[k]->items[i];
            if (x == r || x->priority != r->priority) continue;
            hold(s, only_v(s, x, ag, &v, 0));
        }
}

/* a rule's value, or false when it is outside the fragment */
static bool value_of(Smt *s, const IrRule *r, const IrAgreement *ag, Term *out) {
    s->ag = ag;
    if (is_bad(s, r->value)) return false;
    bool proof = s->proof;
    if (!enc(s, args_env(s), r->value, 0, out) || (!out->a && !is_set(out))) {
        leave_out(s, r->value, proof);
        return false;
    }
    if (out->a) out->a = to_type(s, out->a, r->q->type);
    return true;
}

/* the two rules' values differ (value_eq: sets by their members) */
static void differ_fact(Smt *s, const SmtFact *f) {
    Term a, b;
    if (!value_of(s, f->rule, f->ag, &a) || !value_of(s, f->rule2, f->ag2, &b)) {
        s->dropped++;
        return;
    }
    Z3_ast c = NULL;
    if (a.a && b.a) {
        Z3_ast x = a.a, y = b.a;
        same_sort(s, &x, &y);
        if (Z3_get_sort(s->z, x) != Z3_get_sort(s->z, y)) {
            s->dropped++;
            return;
        }
        c = not1(s, Z3_mk_eq(s->z, x, y));
    } else if (is_set(&a) && is_set(&b)) {
        if (!a.elem) a.elem = f->rule->q->type->elem;
        if (!b.elem) b.elem = f->rule2->q->type->elem;
        densify(s, &a);
        densify(s, &b);
        c = s->ff;
        for (int o = 0; o < 256; o++)
            if (a.set[o] != b.set[o]) c = or2(s, c, not1(s, Z3_mk_eq(s->z, a.set[o], b.set[o])));
    } else {
        s->dropped++;
        return;
    }
    hold(s, c);
}

/* the agreement is in force and the person within its personal scope (interp.c) */
static void scope_fact(Smt *s, const IrAgreement *ag) {
    s->ag = ag;
    hold(s, in_dates(s, ag->in_force, ag->has_terminates ? ag->terminates : INT32_MAX));
    if (!ag->personal_scope.len) return;
    Z3_ast any = s->ff;
    for (size_t i = 0; i < ag->personal_scope.len; i++) {
        const IrScopeClause *c = ag->personal_scope.items[i];
        Env *env = arena_alloc(&s->A, sizeof *env);
        memset(env, 0, sizeof *env);
        Z3_ast k = cond_of(s, env, c->cond, true);
        if (!k) { /* a clause outside the fragment: the scope is left out */
            s->dropped++;
            return;
        }
        any = or2(s, any, and2(s, in_dates(s, c->from, c->until), k));
    }
    hold(s, any);
}

/* state c is none or a party of ag on the date */
static Z3_ast none_or_party(Smt *s, const IrAgreement *ag, Z3_ast c) {
    s->ag = ag;
    return or2(s, eq_ord(s, c, ord(s, 0)), member(s, c, parties(s)));
}

/* SPEC §12.2, condition 2 (applicable_legislation only): the engine
 * selects the agreement only when the state of every activity and every
 * posting's sending state is one of its parties on the date.  A
 * constraint on every element, not a comprehension: a sub-list keeps it,
 * so the bound of SPEC §13.3 is unchanged. */
static void selected_fact(Smt *s, const IrAgreement *ag, const IrQuestion *q) {
    if (!q || strcmp(q->name, "applicable_legislation")) return;
    const IrRecord *cr = s->voc->case_rec;
    int li = field_named(cr, "activities", TY_LIST);
    Term l;
    if (li < 0 || !field_term(s, s->kase, li, &l) || !l.s || l.s->type->elem->kind != TY_RECORD) {
        s->dropped++;
        return;
    }
    const IrRecord *ar = l.s->type->elem->rec;
    int st = field_named(ar, "state", TY_COUNTRY), po = field_named(ar, "posting", TY_RECORD);
    int se = po < 0 ? -1 : field_named(ar->fields[po].type->rec, "sending_state", TY_COUNTRY);
    for (int i = 0; i < s->slots; i++) {
        Sym *a = l.s->items[i];
        Z3_ast ok = s->tt;
        Term t, p;
        if (st >= 0 && field_term(s, a, st, &t)) ok = and2(s, ok, none_or_party(s, ag, t.a));
        if (se >= 0 && field_term(s, a, po, &p) && p.s && field_term(s, p.s, se, &t)) ok = and2(s, ok, none_or_party(s, ag, t.a));
        hold(s, or2(s, Z3_mk_le(s->z, l.s->len, int_(s, i)), ok));
    }
}

/* An atom encoded in this query, at the polarity of its truth: its term
 * (the boxes of a disjunction repeat most of their atoms) */
typedef struct Seen {
    const IrExpr *expr;
    const IrAgreement *ag;
    const IrQuestion *q;
    bool truth;
    Z3_ast c;
} Seen;
static Z3_ast atom_seen(Smt *s, const SmtFact *f) {
    for (size_t i = 0; i < s->atoms.len; i++) {
        const Seen *m = s->atoms.items[i];
        if (m->expr == f->expr && m->ag == f->ag && m->q == f->q && m->truth == f->truth) return m->c;
    }
    return NULL;
}
static void box_end(Smt *s, PtrVec *boxes) {
    if (!s->group) return;
    Z3_ast c = s->group->len ? Z3_mk_and(s->z, (unsigned)s->group->len, (Z3_ast *)s->group->items) : s->tt;
    ptrvec_push(&s->A, boxes, c);
    s->group = NULL;
}
/* Hold the facts, over the symbolic case of the query. */
static bool encode_facts(Smt *s, const SmtFact *facts, int n, const IrQuestion *q) {
    PtrVec boxes = {0};  /* SMT_BOX: the conjunction of each box, one of them holds */
    s->ninside = 0;
    memset(s->inside_exists, 0, sizeof s->inside_exists);
    /* units (solve_inside): each fact before the first box, the boxes together */
    Unit u = unit_begin(s);
    int first_box = -1;
    for (int i = 0; i < n; i++) {
        const SmtFact *f = &facts[i];
        Z3_ast c = NULL;
        if (i > 0 && first_box < 0) { /* a DECIDES fact's units are its rules' (decides_fact) */
            unit_end(s, u, &facts[i - 1], facts[i - 1].kind == SMT_DECIDES ? 0 : 1);
            u = unit_begin(s);
        }
        if (f->kind == SMT_BOX && first_box < 0) first_box = i;
        if (f->kind == SMT_BOX) {
            box_end(s, &boxes);
            s->group = arena_alloc_raw(&s->A, sizeof *s->group); /* zeroed once, here */
            memset(s->group, 0, sizeof *s->group);
            continue;
        }
        if (f->kind == SMT_FIELD) {
            Sym *rec = s->kase;
            Term t = {0};
            for (int k = 0; k < f->npath; k++) {
                if (!rec || rec->type->kind != TY_RECORD) return outside(s, "a field path through a list");
                if (!field_term(s, rec, f->path[k], &t)) return false;
                rec = t.s;
            }
            if (!t.a) return outside(s, "a field path to a record");
            c = in_dim(s, t.a, f);
        } else if (f->kind == SMT_RULE) {
            rule_fact(s, f->rule, f->ag, f->truth);
            continue;
        } else if (f->kind == SMT_DECIDES) {
            decides_fact(s, f->rule, f->ag);
            continue;
        } else if (f->kind == SMT_ALONE) {
            alone_fact(s, f->rule, f->ag);
            continue;
        } else if (f->kind == SMT_DIFFER) {
            differ_fact(s, f);
            continue;
        } else if (f->kind == SMT_SCOPE) {
            scope_fact(s, f->ag);
            continue;
        } else if (f->kind == SMT_SELECTED) {
            selected_fact(s, f->ag, q);
            continue;
        } else if (f->kind == SMT_ARG) {
            if (f->arg < 0 || f->arg >= 8 || !s->args[f->arg]) return outside(s, "an argument of another question");
            c = in_dim(s, s->args[f->arg], f);
        } else if ((c = atom_seen(s, f))) {
            /* the same atom at the same polarity in another box: the same
               term and occurrences (SPEC §13.3: counted once) */
            if (!f->truth) c = not1(s, c);
        } else {
            Env *env = arena_alloc_raw(&s->A, sizeof *env); /* zeroed once, here */
            memset(env, 0, sizeof *env);
            for (int k = 0; f->q && k < f->q->nparams && k < 8; k++) env->slot[k].a = s->args[k];
            s->ag = f->ag;
            /* an atom outside the fragment is left out: the query is then
               weaker than the region (still sound for SMT_EMPTY; a model is
               replayed anyway); remembered, so that it costs once a run */
            bool bad = false;
            for (size_t k = 0; k < s->bad.len && !bad; k++) bad = s->bad.items[k] == f->expr;
            if (bad) {
                s->dropped++;
                continue;
            }
            bool proof = s->proof;
            if (!scalar(s, env, f->expr, f->truth ? 1 : -1, &c)) {
                leave_out(s, f->expr, proof);
                s->dropped++;
                continue;
            }
            Seen *m = arena_alloc(&s->A, sizeof *m);
            *m = (Seen){f->expr, f->ag, f->q, f->truth, c};
            ptrvec_push(&s->A, &s->atoms, m);
            if (!f->truth) c = not1(s, c);
        }
        hold(s, c);
    }
    box_end(s, &boxes);
    if (boxes.len) hold(s, boxes.len == 1 ? boxes.items[0] : Z3_mk_or(s->z, (unsigned)boxes.len, (Z3_ast *)boxes.items));
    if (first_box >= 0) unit_end(s, u, facts + first_box, n - first_box);
    else unit_end(s, u, n ? &facts[n - 1] : NULL, n && facts[n - 1].kind != SMT_DECIDES ? 1 : 0);
    return true;
}

/* Encode the facts with `slots` elements per list. */
static bool encode(Smt *s, const SmtFact *facts, int n, const IrQuestion *q) {
    Z3_context z = s->z;
    s->proof = true;
    s->noproof = NULL;
    s->body = s->inlined = s->dropped = 0;
    s->q = q;
    Type ct = {.kind = TY_RECORD, .rec = s->voc->case_rec};
    Type *cp = arena_alloc(&s->A, sizeof *cp);
    *cp = ct;
    s->kase = sym_new(s, cp);
    int di = field_named(s->voc->case_rec, "date", TY_DATE);
    if (di < 0) return outside(s, "a vocabulary without a determination date");
    Term d;
    if (!field_term(s, s->kase, di, &d)) return false;
    s->date = d.a;
    ptrvec_push(&s->A, &s->nice, Z3_mk_gt(z, d.a, int_(s, acc_date_min())));
    memset(s->args, 0, sizeof s->args);
    for (int i = 0; q && i < q->nparams && i < 8; i++) {
        /* an argument is never none (SPEC §12.4) */
        Term t;
        if (!scalar_new(s, q->ptypes[i], q->pnames[i], &t)) return false;
        if (!t.a) return outside(s, "a set argument");
        s->args[i] = t.a;
        if (q->ptypes[i]->kind == TY_COUNTRY || q->ptypes[i]->kind == TY_ENUM)
            hold_dom(s, not1(s, Z3_mk_eq(z, s->args[i], ord(s, 0))));
    }
    if (!encode_facts(s, facts, n, q)) return false;
    return Z3_get_error_code(z) == Z3_OK || outside(s, "Z3: %s", Z3_get_error_msg(z, Z3_get_error_code(z)));
}

/* The encoded query into a new solver, once its bound is settled (an
 * encoding made again with more slots never reaches Z3: asserting rewrites
 * the formula, a cost in proportion to its size). */
static bool assert_held(Smt *s) {
    Z3_context z = s->z;
    s->sol = Z3_mk_simple_solver(z);
    Z3_solver_inc_ref(z, s->sol);
    if (s->held.len) Z3_solver_assert(z, s->sol, Z3_mk_and(z, (unsigned)s->held.len, (Z3_ast *)s->held.items));
    return Z3_get_error_code(z) == Z3_OK || outside(s, "Z3: %s", Z3_get_error_msg(z, Z3_get_error_code(z)));
}

/* Z3's resource limit, not a time out: the same answers on any machine under any load */
static Z3_lbool check(Smt *s) {
    Z3_context z = s->z;
    Z3_params p = Z3_mk_params(z);
    Z3_params_inc_ref(z, p);
    Z3_params_set_uint(z, p, Z3_mk_string_symbol(z, "rlimit"), s->rlimit);
    /* Z3's older arithmetic solver (2; the default is 6): about 30 % less
       solving on the shipped library's queries, the same answers */
    Z3_params_set_uint(z, p, Z3_mk_string_symbol(z, "arith.solver"), 2);
    Z3_solver_set_params(z, s->sol, p);
    Z3_params_dec_ref(z, p);
    double t0 = now();
    Z3_lbool r = Z3_solver_check(z, s->sol);
    s->t_check += now() - t0;
    if (Z3_get_error_code(z) != Z3_OK) {
        outside(s, "Z3: %s", Z3_get_error_msg(z, Z3_get_error_code(z)));
        return Z3_L_UNDEF;
    }
    if (r == Z3_L_UNDEF) outside(s, "Z3 gave no answer within its resource limit (rlimit %u)", s->rlimit);
    return r;
}

/* The applications of the case's set functions in the query (the
 * points of each function the query observes), into s->seen: a walk of
 * the query's DAG, each term once (a hash set of term ids). */
typedef struct Walk Walk;
static bool walk_first(Smt *s, Walk *w, unsigned id) {
    if (2 * (w->n + 1) > w->cap) {
        Walk g = {arena_alloc(&s->A, sizeof *g.ids * (w->cap ? 2 * w->cap : 4096)), w->cap ? 2 * w->cap : 4096, 0};
        memset(g.ids, 0xff, sizeof *g.ids * g.cap);
        for (size_t i = 0; i < w->cap; i++)
            if (w->ids[i] != UINT32_MAX) (void)walk_first(s, &g, w->ids[i]);
        *w = g;
    }
    size_t h = (id * 2654435761u) & (w->cap - 1);
    while (w->ids[h] != UINT32_MAX) {
        if (w->ids[h] == id) return false;
        h = (h + 1) & (w->cap - 1);
    }
    w->ids[h] = id;
    w->n++;
    return true;
}
static void walk(Smt *s, Walk *w, Z3_ast a) {
    if (Z3_get_ast_kind(s->z, a) != Z3_APP_AST || !walk_first(s, w, Z3_get_ast_id(s->z, a))) return;
    Z3_app app = Z3_to_app(s->z, a);
    unsigned n = Z3_get_app_num_args(s->z, app);
    if (n == 1) {
        Z3_func_decl d = Z3_get_app_decl(s->z, app);
        for (size_t i = 0; i < s->fns.len; i++)
            if (Z3_is_eq_func_decl(s->z, d, s->fns.items[i])) {
                ptrvec_push(&s->A, &s->seen, a);
                return;
            }
    }
    for (unsigned i = 0; i < n; i++) walk(s, w, Z3_get_app_arg(s->z, app, i));
}

/* The model, preferring one that survives the JSON round trip. */
static void take_model(Smt *s) {
    Z3_context z = s->z;
    s->model = Z3_solver_get_model(z, s->sol);
    Z3_model_inc_ref(z, s->model);
    if (s->fns.len)
        for (; s->walked < s->held.len; s->walked++) walk(s, &s->walk, s->held.items[s->walked]);
    if (!s->nice.len) return;
    Z3_ast all = Z3_mk_and(z, (unsigned)s->nice.len, (Z3_ast *)s->nice.items), v;
    if (Z3_model_eval(z, s->model, all, true, &v) && Z3_get_bool_value(z, v) == Z3_L_TRUE) return;
    Z3_solver_push(z, s->sol);
    Z3_solver_assert(z, s->sol, all);
    double t0 = now();
    Z3_lbool nice = check(s);
    if (getenv("SMT_PROFILE"))
        fprintf(stderr, "smt query %ld: its model asked again for values that survive JSON: %.1f ms, %s\n", s->st.queries, (now() - t0) * 1e3,
                nice == Z3_L_TRUE ? "sat" : nice == Z3_L_FALSE ? "unsat" : "unknown");
    if (nice == Z3_L_TRUE) {
        Z3_model_dec_ref(z, s->model);
        s->model = Z3_solver_get_model(z, s->sol);
        Z3_model_inc_ref(z, s->model);
    }
    Z3_solver_pop(z, s->sol, 1);
}

static bool encode_facts(Smt *s, const SmtFact *facts, int n, const IrQuestion *q);
static SmtAnswer solve(Smt *s, const SmtFact *facts, int n, const IrQuestion *q);
SmtAnswer smt_solve(Smt *s, const SmtFact *facts, int n, const IrQuestion *q) {
    double t0 = now();
    SmtAnswer r = solve(s, facts, n, q);
    s->st.secs += now() - t0;
    return r;
}

enum { ATTEMPT_SAT, ATTEMPT_EMPTY, ATTEMPT_UNSAT, ATTEMPT_UNKNOWN };
static int attempt(Smt *s, const SmtFact *facts, int n, const IrQuestion *q);
static int solve_inside(Smt *s, const IrQuestion *q);
static SmtAnswer solve(Smt *s, const SmtFact *facts, int n, const IrQuestion *q) {
    query_end(s);
    s->why[0] = 0;
    if (s->st.queries - s->unit_q0 >= s->max_queries) {
        outside(s, "the Z3 budget of the unit of work (%u queries) is spent", s->max_queries);
        s->st.unknown++;
        return SMT_UNKNOWN;
    }
    if (s->z && s->in_context >= CONTEXT_QUERIES) {
        /* terms live as long as their context: a new one now and then
           bounds the memory (at fixed queries: the run stays deterministic) */
        Z3_del_context(s->z);
        s->z = NULL;
    }
    if (!ready(s)) {
        s->st.unknown++;
        return SMT_UNKNOWN;
    }
    s->st.queries++;
    s->in_context++;
    s->calendared = false;
    s->collect = true;
    int r = attempt(s, facts, n, q);
    s->collect = false;
    int inside_need = 0;
    for (int i = 0; i < UNIT_LISTS; i++)
        if (s->inside_exists[i] > inside_need) inside_need = s->inside_exists[i];
    /* (a filter, not a bound: on the shipped library an estimate of 7 was
       asked alone with 6 or fewer, of 9 once, of 10 or more never) */
    if (s->thorough && r == ATTEMPT_UNSAT && s->ninside > 0 && inside_need <= MAX_SLOTS + 3) {
        /* unsatisfiable, yet not a proof: the conjuncts inside the fragment
           alone (solve_inside) may be */
        char why[sizeof s->why];
        memcpy(why, s->why, sizeof why);
        r = solve_inside(s, q);
        if (r != ATTEMPT_EMPTY) {
            memcpy(s->why, why, sizeof why);
            r = ATTEMPT_UNSAT;
        }
    }
    if (r == ATTEMPT_SAT) {
        s->st.sat++;
        return SMT_SAT;
    }
    if (r == ATTEMPT_EMPTY) {
        s->st.empty++;
        return SMT_EMPTY;
    }
    s->st.unknown++;
    return SMT_UNKNOWN;
}

/* The query (its encoding, its bound, Z3) once the budget and context are settled */
static int attempt(Smt *s, const SmtFact *facts, int n, const IrQuestion *q) {
    /* the bound: as many slots as existential occurrences over a list (SPEC §13.3) */
    s->slots = MIN_SLOTS;
    bool proving = false; /* the round asked again with the slots the bound needs */
    int wide = 0;          /* the bound before open memberships were read in free sets */
    s->free_open = false;
    for (int round = 0; round < 3; round++) {
        double t0 = now();
        bool ok = encode(s, facts, n, q);
        s->t_enc += now() - t0;
        if (!ok) break;
        int need = bound_need(s, s->free_open);
        if (s->proof && need > s->slots && need <= MAX_SLOTS && round == 0) {
            query_end(s);
            s->slots = need;
            continue;
        }
        /* solve_inside asks for a proof only: none here, Z3 is not asked */
        if (s->proof_only && (!s->proof || need > s->slots)) return ATTEMPT_UNSAT;
        if (!assert_held(s)) break;
        double t1 = now();
        Z3_lbool r = check(s);
        if (getenv("SMT_PROFILE")) {
            double used = 0;
            Z3_stats st = Z3_solver_get_statistics(s->z, s->sol);
            Z3_stats_inc_ref(s->z, st);
            for (unsigned k = 0; k < Z3_stats_size(s->z, st); k++)
                if (!strcmp(Z3_stats_get_key(s->z, st, k), "rlimit count"))
                    used = Z3_stats_is_uint(s->z, st, k) ? Z3_stats_get_uint_value(s->z, st, k) : Z3_stats_get_double_value(s->z, st, k);
            Z3_stats_dec_ref(s->z, st);
            fprintf(stderr, "smt query %ld (%s): encoding %.1f ms, solving %.1f ms, rlimit %.0f, %d slots (need %d, %s), %s\n", s->st.queries,
                    q ? q->name : "", (t1 - t0) * 1e3, (now() - t1) * 1e3, used, s->slots, need, s->proof ? "" : s->noproof,
                    r == Z3_L_TRUE ? "sat" : r == Z3_L_FALSE ? "unsat" : "unknown");
        }
        if (r == Z3_L_TRUE && s->free_open) { /* the free round's models are not asked for (SPEC §13.3) */
            s->free_open = false;
            return outside(s, "no case with lists of at most %d elements; the bound needs %d, more than the %d it is asked with; "
                           "with open memberships read in free sets a case with %d elements may exist", MIN_SLOTS, wide, MAX_PROOF_SLOTS, s->slots), ATTEMPT_UNSAT;
        }
        if (r == Z3_L_TRUE) {
            take_model(s);
            return ATTEMPT_SAT;
        }
        if (r == Z3_L_FALSE) {
            if (s->proof && need <= s->slots && open_inert(s)) {
                s->free_open = false;
                return ATTEMPT_EMPTY;
            }
            /* open memberships read in free sets need no witness (SPEC
               §13.3, open memberships): asked once more when that bound is
               small enough */
            int free_need = s->free_open ? need : bound_need(s, true);
            if (s->proof && !proving && need > MAX_PROOF_SLOTS && free_need <= (s->thorough ? MAX_PROOF_SLOTS : FREE_SLOTS_DEFAULT)) {
                query_end(s);
                wide = need;
                s->slots = free_need > MIN_SLOTS ? free_need : MIN_SLOTS;
                s->free_open = proving = true;
                continue;
            }
            s->free_open = false;
            if (s->proof && !proving && need > s->slots && need <= MAX_PROOF_SLOTS && open_inert(s)) {
                query_end(s);
                s->slots = need;
                proving = true;
                continue;
            }
            if (wide)
                outside(s, "no case with lists of at most %d elements; the bound needs %d, more than the %d it is asked with; "
                        "with open memberships read in free sets, none with %d, no proof (%s)", MIN_SLOTS, wide, MAX_PROOF_SLOTS, s->slots,
                        s->proof ? (s->noproof ? s->noproof : "a witness may be an element read around it") : s->noproof);
            else if (s->proof && !s->thorough && need > MAX_PROOF_SLOTS && free_need <= MAX_PROOF_SLOTS)
                outside(s, "no case with lists of at most %d elements; the bound needs %d, more than the %d it is asked with; "
                        "with open memberships read in free sets %d, asked with --thorough", s->slots, need, MAX_PROOF_SLOTS, free_need);
            else if (s->proof)
                outside(s, "no case with lists of at most %d elements; the bound needs %d, more than the %d it is asked with", s->slots,
                        need, MAX_PROOF_SLOTS);
            else
                outside(s, "no case with lists of at most %d elements, outside the fragment where that bound is a proof (%s)", s->slots,
                        s->noproof);
            return ATTEMPT_UNSAT;
        }
        break;
    }
    return ATTEMPT_UNKNOWN;
}

/* After an unsatisfiable query that is no proof (a conjunct outside the
 * fragment where the bound is one, SPEC §13.3): the same question asked of
 * its conjuncts whose encoding kept the proof and left nothing out
 * (encode_facts: each fact, each rule of a DECIDES fact, the boxes'
 * disjunction whole; unit_end), a weaker query.  The query implies them, so when they are
 * proved empty (by the same bound, computed for them alone) so is the
 * query.  Once per query, never for smt_refine: bounded. */
static int solve_inside(Smt *s, const IrQuestion *q) {
    int n = s->ninside;
    SmtFact *sub = xmalloc(sizeof *sub * (size_t)n);
    memcpy(sub, s->inside, sizeof *sub * (size_t)n);
    query_end(s);
    s->proof_only = true;
    int r = attempt(s, sub, n, q);
    s->proof_only = false;
    if (getenv("SMT_PROFILE"))
        fprintf(stderr, "smt query %ld: its %d conjuncts inside the fragment: %s\n", s->st.queries, n,
                r == ATTEMPT_EMPTY ? "empty" : r == ATTEMPT_SAT ? "sat" : "no proof");
    free(sub);
    return r;
}

SmtAnswer smt_refine(Smt *s, const SmtFact *facts, int n) {
    double t0 = now();
    SmtAnswer r = SMT_UNKNOWN;
    if (!s->model || !s->sol || !s->kase) return outside(s, "no model to refine"), r;
    Z3_context z = s->z;
    size_t held = s->held.len;
    s->st.refined++;
    bool ok = encode_facts(s, facts, n, s->q);
    double t1 = now();
    s->t_enc += t1 - t0;
    if (ok && s->held.len > held) {
        Z3_solver_push(z, s->sol);
        Z3_solver_assert(z, s->sol, Z3_mk_and(z, (unsigned)(s->held.len - held), (Z3_ast *)s->held.items + held));
        Z3_lbool a = Z3_get_error_code(z) == Z3_OK ? check(s) : Z3_L_UNDEF;
        if (getenv("SMT_PROFILE"))
            fprintf(stderr, "smt refinement of query %ld: encoding %.1f ms, solving %.1f ms, %s\n", s->st.queries, (t1 - t0) * 1e3,
                    (now() - t1) * 1e3, a == Z3_L_TRUE ? "sat" : a == Z3_L_FALSE ? "unsat" : "unknown");
        if (a == Z3_L_TRUE) {
            Z3_model_dec_ref(z, s->model);
            take_model(s);
            r = SMT_SAT;
        } else if (a == Z3_L_FALSE) {
            outside(s, "no case where the facts of the refinement hold as well");
        }
        /* the solver keeps the refinement: the query ends with this model */
    } else if (!s->why[0]) {
        outside(s, "the refinement adds nothing Z3 is told about");
    }
    s->st.secs += now() - t0;
    return r;
}

/* ---- models as cases -------------------------------------------------------------------- */

static bool decode_scalar(Smt *s, Z3_ast x, const Type *t, Value *out) {
    Z3_context z = s->z;
    Z3_ast v = NULL;
    if (!Z3_model_eval(z, s->model, x, true, &v)) return false;
    memset(out, 0, sizeof *out);
    out->kind = t->kind;
    switch (t->kind) {
    case TY_BOOL: out->b = Z3_get_bool_value(z, v) == Z3_L_TRUE; return true;
    case TY_INT: case TY_DATE: case TY_DAYS: case TY_MONTHS: return Z3_get_numeral_int64(z, v, &out->i);
    case TY_RATIO: case TY_PERCENT: {
        int64_t num, den;
        if (!Z3_get_numeral_rational_int64(z, v, &num, &den) || den <= 0) return false;
        return rat_make(num, den, &out->q);
    }
    case TY_COUNTRY: case TY_ENUM: {
        uint64_t u;
        if (!Z3_get_numeral_uint64(z, v, &u)) return false;
        out->i = (int64_t)u;
        return true;
    }
    default: return false;
    }
}

static bool decode(Smt *s, Sym *y, Arena *A, Value *v) {
    if (y->type->kind == TY_LIST) {
        Z3_ast lv = NULL;
        int64_t n;
        if (!Z3_model_eval(s->z, s->model, y->len, true, &lv) || !Z3_get_numeral_int64(s->z, lv, &n) || n < 0 || n > s->slots)
            return false;
        memset(v, 0, sizeof *v);
        v->kind = TY_LIST;
        v->agg.n = (uint32_t)n;
        v->agg.items = arena_alloc(A, sizeof *v->agg.items * (size_t)(n ? n : 1));
        for (int64_t i = 0; i < n; i++) {
            v->agg.items[i] = value_default(A, y->type->elem);
            if (!decode(s, y->items[i], A, &v->agg.items[i])) return false;
        }
        return true;
    }
    const IrRecord *r = y->type->rec;
    Value *items = arena_alloc(A, sizeof *items * (size_t)r->nfields);
    memcpy(items, v->agg.items, sizeof *items * (size_t)r->nfields);
    v->agg.items = items;
    for (int i = 0; i < r->nfields; i++) {
        const Term *t = &y->val[i];
        if (t->a && !decode_scalar(s, t->a, r->fields[i].type, &items[i])) return false;
        if (t->s && !decode(s, t->s, A, &items[i])) return false;
        if (t->fn) {
            /* the members the query observes: a point of the function it
               does not read is left out (the model's default for the rest
               is arbitrary; a set read from JSON is as small as the case
               allows) */
            memset(&items[i], 0, sizeof items[i]);
            items[i].kind = TY_SET;
            for (size_t k = 0; k < s->seen.len; k++) {
                Z3_app app = Z3_to_app(s->z, s->seen.items[k]);
                if (!Z3_is_eq_func_decl(s->z, Z3_get_app_decl(s->z, app), t->fn)) continue;
                Z3_ast b = NULL, x = NULL;
                uint64_t o;
                if (!Z3_model_eval(s->z, s->model, s->seen.items[k], true, &b) ||
                    !Z3_model_eval(s->z, s->model, Z3_get_app_arg(s->z, app, 0), true, &x) || !Z3_get_numeral_uint64(s->z, x, &o))
                    return false;
                if (Z3_get_bool_value(s->z, b) == Z3_L_TRUE && o < 256 && has_bit(t->fdom, (int)o)) set_add(&items[i], (int)o);
            }
        } else if (t->set) {
            memset(&items[i], 0, sizeof items[i]);
            items[i].kind = TY_SET;
            for (int o = 0; o < 256; o++) {
                Z3_ast b = NULL;
                if (t->set[o] == s->ff) continue;
                if (!Z3_model_eval(s->z, s->model, t->set[o], true, &b)) return false;
                if (Z3_get_bool_value(s->z, b) == Z3_L_TRUE) set_add(&items[i], o);
            }
        }
    }
    return true;
}

bool smt_case(Smt *s, const Value *base, Arena *A, Value *kase, Value *args) {
    if (!s->model || !s->kase) return false;
    Type ct = {.kind = TY_RECORD, .rec = s->voc->case_rec};
    *kase = base ? *base : value_default(A, &ct);
    if (!decode(s, s->kase, A, kase)) return false;
    for (int i = 0; s->q && i < s->q->nparams && i < 8; i++)
        if (!decode_scalar(s, s->args[i], s->q->ptypes[i], &args[i])) return false;
    return true;
}
