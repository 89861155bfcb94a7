/* codegen_batch.c - columnar batch entry points as array code; see codegen_batch.h.
 *
 * How a question becomes array code.  Cases are taken CH at a time (a
 * chunk: m <= CH lanes, lane i = case base + i).  The columns are in the
 * block layout (runtime/accord.h): element k of every case's list lies in
 * one contiguous run of rows, lane-aligned with the cases, so an
 * expression about a list element is evaluated at one position k at a
 * time with the same lanes as the cases (lane i active when k < its
 * length), reading element columns contiguously: no gathers, no scatters.
 * Every IR node is one loop over the lanes writing one column (an alloca
 * of i64): no control flow inside, only selects, so that the loop
 * vectoriser (which only vectorises innermost loops) turns each loop into
 * vector code; consecutive loops are fused.  An aggregate over a list is
 * a loop over positions k (outer, up to the chunk's longest list) around
 * that fused loop over lanes, which also reduces into the accumulator
 * lanes (exists/forall/count/sum/first/set are lane-wise reductions with
 * masks).  A group of rules of one priority whose lanes are all decided
 * already (or outside the scope) is skipped as a whole (a branch per
 * chunk).
 *
 * Lane width.  A question is generated first with 32-bit scalar lanes
 * (twice the lanes per vector instruction); a constant that does not fit
 * (or anything else outside the fragment) makes it start over with 64-bit
 * lanes, then as the single-case path.  In 32-bit lanes a value read from
 * the case that does not fit -- an int, days or months beyond 32 bits, a
 * date outside 0001-01-01 .. 9999-12-31, a ratio whose scaled value
 * reaches 2^29, a list of 2^31 elements -- flags its lane (the single-case
 * path decides the case), and products are exact only below 2^15 per
 * factor (else flagged), as the 64-bit lanes do below 2^31.
 *
 * Values in lanes: bool 0/-1 (all bits set: a compare's result), int, days, months, dates (day numbers),
 * country/enum ordinals as lane integers; sets as four i64 words; ratios and
 * percentages as exact integers over the fixed denominator RAT_D (a value
 * whose denominator does not divide RAT_D, or whose numerator is large,
 * flags its lane).  Nothing fails in array code: whatever the scalar code
 * would have to fail on (overflow, dates out of range, ...) and every
 * outcome but "one rule decides" (conflicts, undetermined, not covered, not
 * in force) sets the lane's fallback flag, and flagged cases are decided
 * again by the single-case entry point: the flag may be raised more often
 * than needed (it is computed under the masks of `and`, `or`, `if` and the
 * rules' priorities, but not lazily), never less.
 *
 * The fragment (anything else leaves the whole question to the single-case
 * path): questions whose answer is bool/int/days/months/date/country/enum
 * and whose rules have no exceptions; expressions: constants, case fields,
 * fields of list elements (lists of the case, not lists inside elements),
 * not/and/or/if, comparisons, `in` sets, + - * on integers and + - on
 * ratios, set literals, size, min/max, abs, period_months, months_between,
 * years_between, days_between, parameters, definitions (inlined; those
 * without parameters computed once per chunk), and exists/forall/count/sum/
 * first/set over a list of the case with at most one list element bound at
 * a time.
 */
#include "codegen_batch.h"
#include "accord.h"
#include "diag.h"
#include <llvm-c/DebugInfo.h>
#include <llvm-c/Target.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CH 64                 /* cases per chunk: the block of the columns' list layout (accord.h) */
#define NT_MIN 65536          /* from this many cases on, decisions are written past the cache */
#define RAT_D ((long long)ACC_COL_RAT_D) /* 2^6 3^2 5^5 7: the fixed denominator of ratios in lanes (below 2^24: see load_entry) */
#define RAT_NUM_MAX (1LL << 21) /* numerators beyond this leave the fast range */
#define ACC_DATE_MIN_DAYS (-719162)
#define ACC_DATE_MAX_DAYS 2932896

/* ---- the column table ------------------------------------------------------------ */

typedef struct BCol {
    char path[160];
    char key[64];              /* field indices from the struct holding it: "3.1" */
    const Type *type;
    int kind, list;
    uint32_t size, offset, elem_size, end;
    int encoding;              /* ACC_COL_* (accord.h) */
} BCol;

typedef struct Cols {
    BCol *v;
    int n, cap;
} Cols;

static int col_add(Cols *c) {
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 32;
        c->v = xrealloc(c->v, sizeof *c->v * (size_t)c->cap);
    }
    memset(&c->v[c->n], 0, sizeof c->v[c->n]);
    return c->n++;
}

static void walk_rec(Cols *c, const Layout *lay, const IrRecord *rec, int list, const char *path, const char *key,
                     uint32_t base);

static void walk_field(Cols *c, const Layout *lay, const Type *t, int list, const char *path, const char *key, uint32_t off) {
    if (t->kind == TY_RECORD) {
        walk_rec(c, lay, t->rec, list, path, key, off);
        return;
    }
    int i = col_add(c);
    BCol *b = &c->v[i];
    snprintf(b->path, sizeof b->path, "%s", path);
    snprintf(b->key, sizeof b->key, "%s", key);
    b->type = t;
    b->kind = t->kind;
    b->list = list;
    b->offset = off;
    uint32_t size, align;
    layout_type(lay, t, &size, &align);
    b->size = size;
    b->end = (uint32_t)i + 1;
    if (t->kind == TY_INT || t->kind == TY_DAYS || t->kind == TY_MONTHS || t->kind == TY_RATIO || t->kind == TY_PERCENT) {
        /* its narrow copy, next (what 32-bit lanes read: a quarter or half the bytes) */
        int n = col_add(c);
        BCol *w = &c->v[i], *nb = &c->v[n];
        *nb = *w;
        snprintf(nb->path, sizeof nb->path, "%s:i32", path);
        snprintf(nb->key, sizeof nb->key, "%s#", key); /* found only through its wide column */
        nb->size = 4;
        nb->encoding = ACC_COL_NARROW;
        nb->end = (uint32_t)n + 1;
        return;
    }
    if (t->kind != TY_LIST) return;
    b->size = 8; /* {first, count} */
    uint32_t es, ea;
    layout_type(lay, t->elem, &es, &ea);
    b->elem_size = es;
    walk_field(c, lay, t->elem, i, path, "", 0);
    c->v[i].end = (uint32_t)c->n;
}

static void walk_rec(Cols *c, const Layout *lay, const IrRecord *rec, int list, const char *path, const char *key,
                     uint32_t base) {
    const RecLayout *rl = layout_of(lay, rec);
    for (int f = 0; f < rec->nfields; f++) {
        char p[160], k[64];
        snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", rec->fields[f].name);
        snprintf(k, sizeof k, "%s%s%d", key, *key ? "." : "", f);
        walk_field(c, lay, rec->fields[f].type, list, p, k, base + rl->offset[f]);
    }
}

static int col_find(const Cols *c, int list, const char *key) {
    for (int i = 0; i < c->n; i++)
        if (c->v[i].list == list && strcmp(c->v[i].key, key) == 0) return i;
    return -1;
}

/* ---- the generator --------------------------------------------------------------- */

/* A column of lanes: p an alloca of nw words of `stride` i64, or uniform values u. */
typedef struct Lanes {
    LLVMValueRef p;
    LLVMValueRef u[4];
    int nw;
    int level;                 /* -1: case lanes; else the list column at whose position k these element lanes are */
} Lanes;

enum { BK_NONE, BK_VAL, BK_ELEM };
typedef struct Bind {
    int kind;
    Lanes v;                   /* BK_VAL */
    int list;                  /* BK_ELEM: the list */
    LLVMValueRef row;          /* BK_ELEM: i64, the row of lane 0's element at the current position */
} Bind;

typedef struct ListInfo {      /* a list of the case in the current chunk */
    bool ready;
    LLVMValueRef first0;       /* i64: the row of lane 0's element 0 (lane i's is first0 + i) */
    LLVMValueRef maxlen;       /* i64: the longest list of the chunk */
    Lanes len;                 /* case lanes: length */
} ListInfo;

typedef struct Cached {
    LLVMValueRef p;
    int w;
    LLVMValueRef v;
} Cached;

typedef struct Loop {
    LLVMValueRef var, var2;    /* var2: the loop's index value (compact_begin) */
    LLVMBasicBlockRef head, exit;
    bool hint;                 /* a map loop: in 32-bit lanes, MAP_VF wide and not interleaved (lp_end) */
} Loop;

typedef struct G {
    LLVMContextRef C;
    LLVMModuleRef M;
    LLVMBuilderRef B, Ba;      /* B: code; Ba: allocas in the entry block */
    const IrAgreement *ag;
    const Layout *lay;
    Cols cols;
    LLVMTypeRef i1, i8, i16, i32, i64, ptr, vd;
    LLVMTypeRef L;             /* the type of a scalar lane: i32 (narrow lanes) or i64; set words are i64 */
    bool narrow;               /* L is i32 (see "Lane width" above) */
    LLVMValueRef fn, p_cols, p_args;
    LLVMValueRef base, m;      /* i64: first case of the chunk, lanes in it */
    LLVMValueRef *colp;        /* per column: its pointer (loaded in the entry) */
    bool *used;                /* per column: read by the chunk's code (prefetched for the next chunk) */
    bool *need_list;           /* per column: a list of the case that the question aggregates over (need_lists) */
    Lanes fb;                  /* case lanes: fallback flags */
    LLVMValueRef mask;         /* current level's mask column, or NULL (all lanes) */
    int level;                 /* -1: case lanes; else the list at whose position k the element lanes are */
    int cond;                  /* inside code that may not run (a loop over positions, a skipped group): no memo */
    Lanes found;               /* after an AG_FIRST aggregate: its lanes where an element was taken (0/-1) */
    const IrExpr *pre_e;       /* an aggregate computed already (shared_first), for the lanes of the current rule */
    Lanes pre;                 /* its lanes */
    LLVMValueRef nlanes;       /* lanes at the current level */
    Bind *slots;
    int nslots;
    Lanes *memo;               /* per define id: its case lanes, once computed (p or u set) */
    bool *has_memo;
    ListInfo *lists;           /* per column index */
    Lanes date;                /* case lanes: the determination date */
    bool date_ready;
    int nloops;                /* loops generated (ACCORD_BATCH_DEBUG) */
    bool open;                 /* a map loop is open (see close_map) */
    int map_level;
    Loop map;
    LLVMValueRef map_i;
    Cached *cache;             /* values put in the open map's iteration */
    int ncache, capcache;
    bool bad;                  /* left the fragment */
    const char *why;
    int cwidth;                /* generating the compact entry point: bytes of a value (1 or 8); else 0 */
    LLVMValueRef p_rule;       /* the compact entry point's rule array (its value array: `out`) */
    bool compact_bool;         /* the compact values are bools (the single-case path's is acc_value.b) */
    LLVMValueRef dtmp;         /* the compact single-case path's acc_decision (an alloca) */
} G;

static LLVMValueRef c64(G *g, long long v) { return LLVMConstInt(g->i64, (unsigned long long)v, 1); }

static void bail(G *g, const char *why) {
    if (!g->bad) g->why = why;
    g->bad = true;
}

/* the largest and smallest value of a scalar lane */
static long long lane_max(const G *g) { return g->narrow ? INT32_MAX : INT64_MAX; }
static long long lane_min(const G *g) { return g->narrow ? INT32_MIN : INT64_MIN; }
/* a constant scalar lane value; one that does not fit narrow lanes leaves
 * them (the question is generated again with 64-bit lanes) */
static LLVMValueRef cl(G *g, long long v) {
    if (v > lane_max(g) || v < lane_min(g)) {
        bail(g, "constant beyond 32-bit lanes");
        v = 0;
    }
    return LLVMConstInt(g->L, (unsigned long long)v, 1);
}
/* an integer value as a scalar lane (truncating or sign-extending: the
 * caller has made sure that it fits), and a scalar lane as an i64 */
static LLVMValueRef to_l(G *g, LLVMValueRef v) { return LLVMBuildIntCast2(g->B, v, g->L, 1, ""); }
static LLVMValueRef to_w(G *g, LLVMValueRef v) { return LLVMBuildIntCast2(g->B, v, g->i64, 1, ""); }

static LLVMValueRef alloca_in_entry(G *g, LLVMTypeRef t) {
    LLVMValueRef a = LLVMBuildAlloca(g->Ba, t, "");
    LLVMSetAlignment(a, 64);
    return a;
}

/* the type of the words of l: i64 for a set's four words, else a scalar lane */
static LLVMTypeRef wtype(const G *g, Lanes l) { return l.nw == 1 ? g->L : g->i64; }

static Lanes new_lanes(G *g, int nw) {
    Lanes l = {0};
    l.nw = nw;
    l.level = g->level;
    l.p = alloca_in_entry(g, LLVMArrayType(wtype(g, l), (unsigned)(nw * CH)));
    return l;
}

static Lanes uniform(G *g, LLVMValueRef v) {
    Lanes l = {0};
    l.nw = 1;
    l.u[0] = v;
    l.level = g->level;
    return l;
}

static LLVMValueRef lane_ptr(G *g, Lanes l, int w, LLVMValueRef i) {
    LLVMValueRef idx = LLVMBuildAdd(g->B, i, c64(g, (long long)w * CH), "");
    return LLVMBuildInBoundsGEP2(g->B, wtype(g, l), l.p, &idx, 1, "");
}
static LLVMValueRef get(G *g, Lanes l, int w, LLVMValueRef i) {
    if (!l.p) return l.u[w] ? l.u[w] : LLVMConstNull(wtype(g, l)); /* no value: only after leaving the fragment (g->bad) */
    if (g->open && i == g->map_i)
        for (int k = g->ncache - 1; k >= 0; k--)
            if (g->cache[k].p == l.p && g->cache[k].w == w) return g->cache[k].v;
    return LLVMBuildLoad2(g->B, wtype(g, l), lane_ptr(g, l, w, i), "");
}
static void put(G *g, Lanes l, int w, LLVMValueRef i, LLVMValueRef v) {
    LLVMBuildStore(g->B, v, lane_ptr(g, l, w, i));
    if (g->open && i == g->map_i) {
        if (g->ncache == g->capcache) {
            g->capcache = g->capcache ? 2 * g->capcache : 256;
            g->cache = xrealloc(g->cache, sizeof *g->cache * (size_t)g->capcache);
        }
        g->cache[g->ncache++] = (Cached){l.p, w, v};
    }
}

/* Loops.  Most loops are maps over the lanes of the current level, and
 * consecutive maps of one level are fused into one loop (the "open map"):
 * map_begin reuses it, so that a whole expression becomes one loop body
 * whose intermediate values stay in registers (get() returns the value a
 * put() stored in the same iteration; the stores to columns nobody reads
 * again are removed by LLVM).  Anything else -- a loop of another kind or
 * trip count, code that must run once per chunk -- closes the open map
 * first (close_map; lp_begin does it). */
static void close_map(G *g);
/* for (i = 0; i < n; i++) { body }: lp_begin returns i, the builder in the body */
static LLVMValueRef lp_begin(G *g, Loop *L, LLVMValueRef n) {
    close_map(g);
    g->nloops++;
    L->hint = false;
    L->var = alloca_in_entry(g, g->i64);
    LLVMBuildStore(g->B, c64(g, 0), L->var);
    L->head = LLVMAppendBasicBlockInContext(g->C, g->fn, "lanes");
    LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(g->C, g->fn, "lane");
    L->exit = LLVMAppendBasicBlockInContext(g->C, g->fn, "lanes_done");
    LLVMBuildBr(g->B, L->head);
    LLVMPositionBuilderAtEnd(g->B, L->head);
    LLVMValueRef i = LLVMBuildLoad2(g->B, g->i64, L->var, "");
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntSLT, i, n, ""), body, L->exit);
    LLVMPositionBuilderAtEnd(g->B, body);
    return i;
}
/* A map loop in 32-bit lanes is vectorised 16 lanes wide (one zmm register
 * of i32 on AVX-512, two ymm on AVX2) and not interleaved: one vector per
 * column an iteration.  Measured, not derived: LLVM's own choice (per loop;
 * many of its loops were 16 wide already) gave the peer question's compact
 * entry point 8.8-9.0 ns a case in cache, this 8.45-8.5, 8 wide 11.8, 32
 * wide 8.6, 16 wide interleaved twice 9.0-9.2 (bench/README.md) */
#define MAP_VF 16
static void loop_hints(G *g, LLVMValueRef br, int vf);
static void lp_end(G *g, Loop *L, LLVMValueRef i) {
    LLVMBuildStore(g->B, LLVMBuildAdd(g->B, i, c64(g, 1), ""), L->var);
    LLVMValueRef br = LLVMBuildBr(g->B, L->head);
    if (L->hint && g->narrow) loop_hints(g, br, MAP_VF);
    LLVMPositionBuilderAtEnd(g->B, L->exit);
}

static void close_map(G *g) {
    if (!g->open) return;
    g->open = false;
    g->ncache = 0;
    lp_end(g, &g->map, g->map_i);
}
static LLVMValueRef map_begin(G *g) {
    if (g->open && g->map_level == g->level) return g->map_i;
    close_map(g);
    g->map_i = lp_begin(g, &g->map, g->nlanes);
    g->map.hint = true;
    g->open = true;
    g->map_level = g->level;
    return g->map_i;
}
static void map_end(G *g) { (void)g; }

/* a bool in lanes is 0 or -1 (all bits set), what a vector compare gives:
 * no shift to 0/1 after each compare, no shift back before each select */
static LLVMValueRef b2i(G *g, LLVMValueRef b) { return LLVMBuildSExt(g->B, b, g->L, ""); }
static LLVMValueRef ltrue(G *g) { return LLVMConstAllOnes(g->L); }
static LLVMValueRef i2b(G *g, LLVMValueRef v) { return LLVMBuildICmp(g->B, LLVMIntNE, v, LLVMConstNull(LLVMTypeOf(v)), ""); }
static LLVMValueRef sel(G *g, LLVMValueRef c, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildSelect(g->B, c, a, b, ""); }

static Lanes mask_lanes(G *g, LLVMValueRef p) {
    Lanes l = {0};
    l.p = p;
    l.nw = 1;
    l.level = g->level;
    return l;
}

/* raise the fallback flag of lane i (current level) where bad (i1) and the mask hold */
static void flag(G *g, LLVMValueRef i, LLVMValueRef bad) {
    Lanes f = g->fb;
    LLVMValueRef b = b2i(g, bad);
    if (g->mask) b = LLVMBuildAnd(g->B, b, get(g, mask_lanes(g, g->mask), 0, i), "");
    put(g, f, 0, i, LLVMBuildOr(g->B, get(g, f, 0, i), b, ""));
}

/* a mask column: the current mask and (c, or not c) */
static LLVMValueRef mask_with(G *g, Lanes c, bool negate) {
    Lanes r = new_lanes(g, 1);
    LLVMValueRef i = map_begin(g);
    LLVMValueRef v = get(g, c, 0, i);
    if (negate) v = LLVMBuildNot(g->B, v, "");
    if (g->mask) v = LLVMBuildAnd(g->B, v, get(g, mask_lanes(g, g->mask), 0, i), "");
    put(g, r, 0, i, v);
    map_end(g);
    return r.p;
}

static bool is_intish(TypeKind k) {
    return k == TY_BOOL || k == TY_INT || k == TY_DATE || k == TY_DAYS || k == TY_MONTHS || k == TY_COUNTRY || k == TY_ENUM;
}
static bool is_rat(TypeKind k) { return k == TY_RATIO || k == TY_PERCENT; }
static bool lane_type(const Type *t) { return is_intish(t->kind) || is_rat(t->kind) || t->kind == TY_SET; }

/* a constant as lanes (RAT_D-scaled for ratios); false if it does not fit */
static bool const_lanes(G *g, const Value *v, const Type *t, Lanes *out) {
    *out = uniform(g, NULL);
    if (t->kind == TY_SET) {
        out->nw = 4;
        for (int w = 0; w < 4; w++) out->u[w] = LLVMConstInt(g->i64, v->bits[w], 0);
        return true;
    }
    if (is_rat(t->kind)) {
        int64_t num = v->q.num, den = v->q.den ? v->q.den : 1;
        if (den <= 0 || RAT_D % den != 0) return false;
        __int128 s = (__int128)num * (RAT_D / den);
        if (s > lane_max(g) / 4 || s < lane_min(g) / 4) return false;
        out->u[0] = cl(g, (long long)s);
        return true;
    }
    if (t->kind == TY_BOOL) {
        out->u[0] = v->b ? ltrue(g) : cl(g, 0);
        return true;
    }
    if (is_intish(t->kind)) {
        out->u[0] = cl(g, v->i);
        return true;
    }
    return false;
}

/* int lanes -> ratio lanes where the checker unified the two */
static Lanes coerce(G *g, Lanes a, const Type *from, const Type *to) {
    if (!(is_rat(to->kind) && !is_rat(from->kind))) return a;
    if (!is_intish(from->kind)) {
        bail(g, "coercion");
        return a;
    }
    Lanes r = new_lanes(g, 1);
    LLVMValueRef i = map_begin(g);
    LLVMValueRef x = get(g, a, 0, i);
    /* |x| <= lim: x * RAT_D fits a quarter of the lane (2^30 * RAT_D < 2^62; 42 * RAT_D < 2^29) */
    long long lim = g->narrow ? 42 : 1LL << 30;
    LLVMValueRef big = LLVMBuildICmp(g->B, LLVMIntUGT, LLVMBuildAdd(g->B, x, cl(g, lim), ""), cl(g, 2 * lim), "");
    flag(g, i, big);
    put(g, r, 0, i, LLVMBuildMul(g->B, sel(g, big, cl(g, 0), x), cl(g, RAT_D), ""));
    map_end(g);
    return r;
}

static Lanes gen(G *g, const IrExpr *e);
static Lanes date_lanes(G *g);

/* case lanes as lanes of the current level: the same lanes (element k of
 * every case's list is lane-aligned with its case), so nothing moves */
static Lanes lift(G *g, Lanes a) {
    a.level = g->level;
    return a;
}

/* ---- reading columns --------------------------------------------------------------- */

static LLVMValueRef colptr(G *g, int c) {
    g->used[c] = true;
    return g->colp[c];
}

/* one entry of column c at row `row` (i64 index), as lane words; rat: flag */
static void load_entry(G *g, int c, LLVMValueRef row, LLVMValueRef lane, Lanes out) {
    const BCol *b = &g->cols.v[c];
    if (g->narrow && c + 1 < g->cols.n && g->cols.v[c + 1].encoding == ACC_COL_NARROW) {
        /* 32-bit lanes read the narrow copy: the value (a ratio already over
         * RAT_D), or ACC_COL_WIDE where it does not fit: the single-case path */
        LLVMValueRef off = LLVMBuildMul(g->B, row, c64(g, 4), "");
        LLVMValueRef x = LLVMBuildLoad2(g->B, g->i32, LLVMBuildInBoundsGEP2(g->B, g->i8, colptr(g, c + 1), &off, 1, ""), "");
        LLVMValueRef wide = LLVMBuildICmp(g->B, LLVMIntEQ, x, LLVMConstInt(g->i32, (unsigned long long)(long long)ACC_COL_WIDE, 1), "");
        flag(g, lane, wide);
        put(g, out, 0, lane, sel(g, wide, cl(g, 0), x));
        return;
    }
    LLVMValueRef off = LLVMBuildMul(g->B, row, c64(g, b->size), "");
    LLVMValueRef p = LLVMBuildInBoundsGEP2(g->B, g->i8, colptr(g, c), &off, 1, "");
#define AT(t, o) LLVMBuildLoad2(g->B, t, LLVMBuildInBoundsGEP2(g->B, g->i8, p, (LLVMValueRef[]){c64(g, o)}, 1, ""), "")
    switch (b->kind) {
    case TY_BOOL: put(g, out, 0, lane, b2i(g, LLVMBuildICmp(g->B, LLVMIntNE, AT(g->i8, 0), LLVMConstInt(g->i8, 0, 0), ""))); break;
    case TY_COUNTRY: case TY_ENUM: put(g, out, 0, lane, LLVMBuildZExt(g->B, AT(g->i8, 0), g->L, "")); break;
    case TY_DATE:
        if (g->narrow) {
            /* narrow lanes: only dates of 0001-01-01 .. 9999-12-31 (0 ..
             * 3652058 days since 0001-01-01): the day number fits, and so
             * does the difference of two; others take the single-case path */
            LLVMValueRef cd = AT(g->i32, 0);
            LLVMValueRef out_of = LLVMBuildICmp(g->B, LLVMIntUGT, cd, LLVMConstInt(g->i32, ACC_DATE_MAX_DAYS - ACC_DATE_MIN_DAYS, 0), "");
            flag(g, lane, out_of);
            put(g, out, 0, lane, LLVMBuildAdd(g->B, sel(g, out_of, LLVMConstInt(g->i32, 0, 0), cd), cl(g, ACC_DATE_MIN_DAYS), ""));
        } else
            put(g, out, 0, lane, LLVMBuildAdd(g->B, LLVMBuildSExt(g->B, AT(g->i32, 0), g->i64, ""), c64(g, ACC_DATE_MIN_DAYS), ""));
        break;
    case TY_INT: case TY_DAYS: case TY_MONTHS: {
        LLVMValueRef x = AT(g->i64, 0);
        if (g->narrow) {
            /* narrow lanes: a value beyond 32 bits takes the single-case path */
            LLVMValueRef t = LLVMBuildTrunc(g->B, x, g->L, "");
            flag(g, lane, LLVMBuildICmp(g->B, LLVMIntNE, LLVMBuildSExt(g->B, t, g->i64, ""), x, ""));
            x = t;
        }
        put(g, out, 0, lane, x);
        break;
    }
    case TY_SET:
        for (int w = 0; w < 4; w++) put(g, out, w, lane, AT(g->i64, 8 * w));
        break;
    case TY_RATIO: case TY_PERCENT: {
        LLVMValueRef num = AT(g->i64, 0), den = AT(g->i64, 8);
        den = sel(g, LLVMBuildICmp(g->B, LLVMIntEQ, den, c64(g, 0), ""), c64(g, 1), den);
        /* RAT_D / den through a float division, checked: den <= RAT_D < 2^24
         * is exact as a float, and when den divides RAT_D the quotient is an
         * integer below 2^24, which the correctly rounded division gives
         * exactly; otherwise q * den != RAT_D and the lane is flagged.  (A
         * float division: half the cost of a double one in vector code) */
        LLVMTypeRef dbl = LLVMFloatTypeInContext(g->C);
        LLVMValueRef okden = LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntSGT, den, c64(g, 0), ""),
                                          LLVMBuildICmp(g->B, LLVMIntSLE, den, c64(g, RAT_D), ""), "");
        LLVMValueRef sden = sel(g, okden, den, c64(g, 1));
        LLVMValueRef q = LLVMBuildFPToSI(
            g->B, LLVMBuildFDiv(g->B, LLVMConstReal(dbl, (double)RAT_D), LLVMBuildSIToFP(g->B, sden, dbl, ""), ""), g->i64, "");
        LLVMValueRef exact = LLVMBuildICmp(g->B, LLVMIntEQ, LLVMBuildMul(g->B, q, sden, ""), c64(g, RAT_D), "");
        LLVMValueRef small = LLVMBuildICmp(g->B, LLVMIntULE, LLVMBuildAdd(g->B, num, c64(g, RAT_NUM_MAX), ""),
                                           c64(g, 2 * RAT_NUM_MAX), "");
        LLVMValueRef ok = LLVMBuildAnd(g->B, LLVMBuildAnd(g->B, okden, exact, ""), small, "");
        LLVMValueRef v = LLVMBuildMul(g->B, num, q, "");
        if (g->narrow) /* |v| < 2^29: sums of a few stay far from overflow (checked anyway) */
            ok = LLVMBuildAnd(g->B, ok, LLVMBuildICmp(g->B, LLVMIntULT, LLVMBuildAdd(g->B, v, c64(g, 1LL << 29), ""), c64(g, 1LL << 30), ""), "");
        flag(g, lane, LLVMBuildNot(g->B, ok, ""));
        put(g, out, 0, lane, to_l(g, sel(g, ok, v, c64(g, 0))));
        break;
    }
    default: bail(g, "field type"); break;
    }
#undef AT
}

/* a field chain down to the case or to a bound list element: the column */
static int field_column(G *g, const IrExpr *e, int *owner, LLVMValueRef *erow) {
    int idx[16], n = 0;
    const IrExpr *x = e;
    while (x->kind == IR_FIELD && n < 16) {
        idx[n++] = x->field;
        x = x->a;
    }
    if (x->kind == IR_CASE) *owner = -1;
    else if (x->kind == IR_LOCAL && x->slot >= 0 && x->slot < g->nslots && g->slots[x->slot].kind == BK_ELEM) {
        *owner = g->slots[x->slot].list;
        if (erow) *erow = g->slots[x->slot].row;
    } else return -1;
    char key[64] = "";
    size_t k = 0;
    for (int i = n - 1; i >= 0; i--) k += (size_t)snprintf(key + k, sizeof key - k, "%s%d", i == n - 1 ? "" : ".", idx[i]);
    return col_find(&g->cols, *owner, key);
}

static Lanes gen_field(G *g, const IrExpr *e) {
    int owner;
    LLVMValueRef erow = NULL;
    int c = field_column(g, e, &owner, &erow);
    if (c < 0 || !lane_type(e->type)) {
        bail(g, "field");
        return uniform(g, cl(g, 0));
    }
    /* an element bound by this aggregate or an enclosing one: the same lanes */
    Lanes r = new_lanes(g, e->type->kind == TY_SET ? 4 : 1);
    LLVMValueRef i = map_begin(g);
    LLVMValueRef row = owner < 0 ? LLVMBuildAdd(g->B, g->base, i, "") : LLVMBuildAdd(g->B, erow, i, "");
    load_entry(g, c, row, i, r);
    map_end(g);
    return lift(g, r);
}

/* ---- operations -------------------------------------------------------------------- */

typedef enum { OP_CMP, OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_OR, OP_IN, OP_NOTIN } Op;

static const LLVMIntPredicate cmp_pred[] = {[IOP_EQ] = LLVMIntEQ, [IOP_NE] = LLVMIntNE, [IOP_LT] = LLVMIntSLT,
                                            [IOP_LE] = LLVMIntSLE, [IOP_GT] = LLVMIntSGT, [IOP_GE] = LLVMIntSGE};

/* a op b on int64 lanes; an overflow flags the lane.  Written without the
 * *.with.overflow intrinsics, which the loop vectoriser does not handle; a
 * product is only computed exactly when both factors are below 2^31 (else
 * the lane is flagged, which is conservative) */
static LLVMValueRef ovf(G *g, IrOp op, LLVMValueRef a, LLVMValueRef b, LLVMValueRef lane) {
    LLVMBuilderRef B = g->B;
    LLVMValueRef r, bad;
    if (op == IOP_ADD) {
        r = LLVMBuildAdd(B, a, b, "");
        bad = LLVMBuildAnd(B, LLVMBuildXor(B, a, r, ""), LLVMBuildXor(B, b, r, ""), "");
        bad = LLVMBuildICmp(B, LLVMIntSLT, bad, cl(g, 0), "");
    } else if (op == IOP_SUB) {
        r = LLVMBuildSub(B, a, b, "");
        bad = LLVMBuildAnd(B, LLVMBuildXor(B, a, b, ""), LLVMBuildXor(B, a, r, ""), "");
        bad = LLVMBuildICmp(B, LLVMIntSLT, bad, cl(g, 0), "");
    } else {
        /* both factors in [-2^(h-1), 2^(h-1)), h half the lane's bits: the product fits */
        int h = g->narrow ? 16 : 32;
        LLVMValueRef lim = cl(g, 1LL << (h - 1));
        LLVMValueRef big = LLVMBuildOr(B, LLVMBuildICmp(B, LLVMIntUGE, LLVMBuildAdd(B, a, lim, ""), cl(g, 1LL << h), ""),
                                       LLVMBuildICmp(B, LLVMIntUGE, LLVMBuildAdd(B, b, lim, ""), cl(g, 1LL << h), ""), "");
        r = LLVMBuildMul(B, a, b, "");
        bad = big;
    }
    flag(g, lane, bad);
    return r;
}

/* a bit of a set in lanes: (w0..w3 >> x) & 1, x an ordinal (a scalar lane); a scalar lane */
static LLVMValueRef set_bit(G *g, Lanes s, LLVMValueRef i, LLVMValueRef x) {
    x = to_w(g, x);
    LLVMValueRef w = LLVMBuildLShr(g->B, x, c64(g, 6), "");
    LLVMValueRef word = get(g, s, 3, i);
    for (int k = 2; k >= 0; k--) word = sel(g, LLVMBuildICmp(g->B, LLVMIntEQ, w, c64(g, k), ""), get(g, s, k, i), word);
    LLVMValueRef bit = LLVMBuildAnd(g->B, LLVMBuildLShr(g->B, word, LLVMBuildAnd(g->B, x, c64(g, 63), ""), ""), c64(g, 1), "");
    /* ordinals are below 256; anything else is not in the set */
    return b2i(g, LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntULT, x, c64(g, 256), ""), i2b(g, bit), ""));
}

/* comparisons of period_months with a constant (below, after the calendar) */
typedef struct CmpK {
    IrOp op;           /* IOP_LT .. IOP_GE: x op k */
    long long k;
} CmpK;
static bool period_compare(G *g, const IrExpr *e, CmpK *c, const IrExpr **x);
static Lanes gen_cmpk(G *g, const IrExpr *x, const IrExpr *ifx, const void *ctx);

static Lanes gen_binary(G *g, const IrExpr *e) {
    const Type *ta = e->a->type, *tb = e->b->type;
    CmpK ck;
    const IrExpr *px;
    if (period_compare(g, e, &ck, &px)) return gen_cmpk(g, px, NULL, &ck);
    Lanes a = gen(g, e->a), b = gen(g, e->b);
    if (g->bad) return a;
    Lanes r = new_lanes(g, e->type->kind == TY_SET ? 4 : 1);
    bool rat = is_rat(ta->kind) || is_rat(tb->kind);
    if (e->op == IOP_IN || e->op == IOP_NOTIN) {
        if (tb->kind != TY_SET || !is_intish(ta->kind) || ta->kind == TY_BOOL) bail(g, "in");
    } else if (e->op >= IOP_EQ && e->op <= IOP_GE) {
        if (ta->kind == TY_SET || tb->kind == TY_SET) {
            if (e->op != IOP_EQ && e->op != IOP_NE) bail(g, "set order");
        } else if (rat) {
            a = coerce(g, a, ta, tb);
            b = coerce(g, b, tb, ta);
        } else if (!is_intish(ta->kind) || !is_intish(tb->kind)) bail(g, "compare");
    } else if (e->type->kind == TY_SET) {
        if (e->op != IOP_ADD && e->op != IOP_SUB) bail(g, "set arith");
    } else if (is_rat(e->type->kind)) {
        if (e->op != IOP_ADD && e->op != IOP_SUB) bail(g, "ratio arith");
        a = coerce(g, a, ta, e->type);
        b = coerce(g, b, tb, e->type);
    } else if (e->type->kind == TY_INT || e->type->kind == TY_MONTHS || e->type->kind == TY_DAYS) {
        bool dates = ta->kind == TY_DATE || tb->kind == TY_DATE;
        if (rat || (dates && !(e->type->kind == TY_DAYS && ta->kind == TY_DATE && tb->kind == TY_DATE && e->op == IOP_SUB)))
            bail(g, "arith");
        if (!is_intish(ta->kind) || !is_intish(tb->kind) || e->op == IOP_DIV) bail(g, "arith");
    } else bail(g, "arith");
    if (g->bad) return r;
    LLVMValueRef i = map_begin(g);
    switch (e->op) {
    case IOP_IN: case IOP_NOTIN: {
        LLVMValueRef bit = set_bit(g, b, i, get(g, a, 0, i));
        put(g, r, 0, i, e->op == IOP_IN ? bit : LLVMBuildNot(g->B, bit, ""));
        break;
    }
    case IOP_EQ: case IOP_NE: case IOP_LT: case IOP_LE: case IOP_GT: case IOP_GE:
        if (ta->kind == TY_SET) {
            LLVMValueRef ne = LLVMConstInt(g->i1, 0, 0);
            for (int w = 0; w < 4; w++) ne = LLVMBuildOr(g->B, ne, LLVMBuildICmp(g->B, LLVMIntNE, get(g, a, w, i), get(g, b, w, i), ""), "");
            put(g, r, 0, i, b2i(g, e->op == IOP_NE ? ne : LLVMBuildNot(g->B, ne, "")));
        } else {
            LLVMIntPredicate p = cmp_pred[e->op];
            if (ta->kind == TY_BOOL)
                p = p == LLVMIntSLT ? LLVMIntULT : p == LLVMIntSLE ? LLVMIntULE : p == LLVMIntSGT ? LLVMIntUGT : p == LLVMIntSGE ? LLVMIntUGE : p;
            put(g, r, 0, i, b2i(g, LLVMBuildICmp(g->B, p, get(g, a, 0, i), get(g, b, 0, i), "")));
        }
        break;
    default:
        if (e->type->kind == TY_SET) {
            for (int w = 0; w < 4; w++) {
                LLVMValueRef x = get(g, a, w, i), y = get(g, b, w, i);
                put(g, r, w, i, e->op == IOP_ADD ? LLVMBuildOr(g->B, x, y, "") : LLVMBuildAnd(g->B, x, LLVMBuildNot(g->B, y, ""), ""));
            }
        } else if (e->type->kind == TY_DAYS && ta->kind == TY_DATE) {
            put(g, r, 0, i, LLVMBuildSub(g->B, get(g, a, 0, i), get(g, b, 0, i), ""));
        } else {
            put(g, r, 0, i, ovf(g, e->op, get(g, a, 0, i), get(g, b, 0, i), i));
        }
        break;
    }
    map_end(g);
    return r;
}

/* and/or: the right operand under the mask where it decides */
static Lanes gen_andor(G *g, const IrExpr *e) {
    Lanes a = gen(g, e->a);
    if (g->bad) return a;
    LLVMValueRef saved = g->mask;
    g->mask = mask_with(g, a, e->kind == IR_OR);
    Lanes b = gen(g, e->b);
    g->mask = saved;
    if (g->bad) return a;
    Lanes r = new_lanes(g, 1);
    LLVMValueRef i = map_begin(g);
    LLVMValueRef x = get(g, a, 0, i), y = get(g, b, 0, i);
    put(g, r, 0, i, e->kind == IR_AND ? LLVMBuildAnd(g->B, x, y, "") : LLVMBuildOr(g->B, x, y, ""));
    map_end(g);
    return r;
}

/* if/then/else, each branch generated by `branch` under the mask where it is taken */
typedef Lanes (*BranchFn)(G *g, const IrExpr *x, const IrExpr *ifx, const void *ctx);
static Lanes if_with(G *g, const IrExpr *e, BranchFn branch, const void *ctx) {
    Lanes c = gen(g, e->a);
    if (g->bad) return c;
    LLVMValueRef saved = g->mask;
    LLVMValueRef mt = mask_with(g, c, false), mf = mask_with(g, c, true);
    g->mask = mt;
    Lanes t = branch(g, e->b, e, ctx);
    g->mask = mf;
    Lanes f = branch(g, e->c, e, ctx);
    g->mask = saved;
    if (g->bad) return c;
    Lanes r = new_lanes(g, t.nw);
    LLVMValueRef i = map_begin(g);
    LLVMValueRef cc = i2b(g, get(g, c, 0, i));
    for (int w = 0; w < t.nw; w++) put(g, r, w, i, sel(g, cc, get(g, t, w, i), get(g, f, w, i)));
    map_end(g);
    return r;
}
static Lanes if_branch(G *g, const IrExpr *x, const IrExpr *ifx, const void *ctx) {
    (void)ctx;
    return coerce(g, gen(g, x), x->type, ifx->type);
}
static Lanes gen_if(G *g, const IrExpr *e) { return if_with(g, e, if_branch, NULL); }

/* The calendar in vector code, in doubles: a division by a constant c of
 * an integer 0 <= x < 2^22 is floor(x * (1/c) + 0.5/c), exact: x/c is
 * q + r/c with 0 <= r <= c-1, the product's error is far below 0.5/c, so
 * the sum lies in (q, q+1).  (Integer division by a constant in vector
 * code is a multiply-high that AVX-512 lacks for 32-bit lanes, emulated
 * with shuffles; this is 2 instructions.)  Checked against the runtime's
 * calendar on every day of 0001..9999 by tests/unit/test_columnar.c. */
static LLVMValueRef fdivc(G *g, LLVMValueRef x, double c) {
    LLVMTypeRef dbl = LLVMDoubleTypeInContext(g->C);
    LLVMValueRef v = LLVMBuildFAdd(g->B, LLVMBuildFMul(g->B, x, LLVMConstReal(dbl, 1.0 / c), ""), LLVMConstReal(dbl, 0.5 / c), "");
    /* floor of a non-negative value below 2^23 is its truncation: through
     * i64 and back rather than llvm.floor, which without SSE4.1 (a generic
     * x86-64 `accord build`) is a call to libm's floor per lane, and an
     * undefined symbol for a host that does not link -lm.  Lanes outside
     * the range (masked off by the caller) stay far inside i64. */
    LLVMTypeRef ty = LLVMTypeOf(v), ity = LLVMGetTypeKind(ty) == LLVMVectorTypeKind
                                               ? LLVMVectorType(LLVMInt64TypeInContext(g->C), LLVMGetVectorSize(ty))
                                               : LLVMInt64TypeInContext(g->C);
    return LLVMBuildSIToFP(g->B, LLVMBuildFPToSI(g->B, v, ity, ""), ty, "");
}
static LLVMValueRef fk(G *g, double v) { return LLVMConstReal(LLVMDoubleTypeInContext(g->C), v); }

/* civil_from_days (runtime/calendar.c), in doubles (above); days must lie
 * in 0001-01-01 .. 9999-12-31 (the caller checks).  y, m, d: doubles. */
static void ymd(G *g, LLVMValueRef days, LLVMValueRef *y, LLVMValueRef *m, LLVMValueRef *d) {
    LLVMBuilderRef B = g->B;
    LLVMTypeRef dbl = LLVMDoubleTypeInContext(g->C);
    LLVMValueRef z = LLVMBuildSIToFP(B, LLVMBuildAdd(B, days, cl(g, 719468), ""), dbl, "");
    LLVMValueRef era = fdivc(g, z, 146097);
    LLVMValueRef doe = LLVMBuildFSub(B, z, LLVMBuildFMul(B, era, fk(g, 146097), ""), "");
    LLVMValueRef t = LLVMBuildFSub(B, LLVMBuildFAdd(B, LLVMBuildFSub(B, doe, fdivc(g, doe, 1460), ""), fdivc(g, doe, 36524), ""),
                                   fdivc(g, doe, 146096), "");
    LLVMValueRef yoe = fdivc(g, t, 365);
    LLVMValueRef yy = LLVMBuildFAdd(B, yoe, LLVMBuildFMul(B, era, fk(g, 400), ""), "");
    LLVMValueRef doy = LLVMBuildFSub(
        B, doe, LLVMBuildFSub(B, LLVMBuildFAdd(B, LLVMBuildFMul(B, yoe, fk(g, 365), ""), fdivc(g, yoe, 4), ""), fdivc(g, yoe, 100), ""), "");
    LLVMValueRef mp = fdivc(g, LLVMBuildFAdd(B, LLVMBuildFMul(B, doy, fk(g, 5), ""), fk(g, 2), ""), 153);
    *d = LLVMBuildFAdd(B, LLVMBuildFSub(B, doy, fdivc(g, LLVMBuildFAdd(B, LLVMBuildFMul(B, mp, fk(g, 153), ""), fk(g, 2), ""), 5), ""), fk(g, 1), "");
    LLVMValueRef early = LLVMBuildFCmp(B, LLVMRealOLT, mp, fk(g, 10), "");
    *m = sel(g, early, LLVMBuildFAdd(B, mp, fk(g, 3), ""), LLVMBuildFSub(B, mp, fk(g, 9), ""));
    *y = sel(g, early, yy, LLVMBuildFAdd(B, yy, fk(g, 1), ""));
}

/* days in month m of year y (doubles, y >= 1) */
static LLVMValueRef days_in_month(G *g, LLVMValueRef y, LLVMValueRef m) {
    LLVMBuilderRef B = g->B;
#define DIVIDES(c) LLVMBuildFCmp(B, LLVMRealOEQ, LLVMBuildFMul(B, fdivc(g, y, c), fk(g, c), ""), y, "")
    LLVMValueRef leap = LLVMBuildAnd(B, DIVIDES(4), LLVMBuildOr(B, LLVMBuildNot(B, DIVIDES(100), ""), DIVIDES(400), ""), "");
#undef DIVIDES
#define IS(v) LLVMBuildFCmp(B, LLVMRealOEQ, m, fk(g, v), "")
    LLVMValueRef thirty = LLVMBuildOr(B, LLVMBuildOr(B, IS(4), IS(6), ""), LLVMBuildOr(B, IS(9), IS(11), ""), "");
    LLVMValueRef feb = sel(g, leap, fk(g, 29), fk(g, 28));
    LLVMValueRef r = sel(g, IS(2), feb, sel(g, thirty, fk(g, 30), fk(g, 31)));
#undef IS
    return r;
}

/* The operands of a calendar function: dates outside 0001..9999 flag lane
 * i, or (lane NULL) are returned in *badp; *f, *t: the operands, 0 (a date
 * inside the range) where they are outside */
static void calendar_operands(G *g, LLVMValueRef from, LLVMValueRef to, LLVMValueRef lane, LLVMValueRef *badp, LLVMValueRef *f,
                              LLVMValueRef *t) {
    LLVMBuilderRef B = g->B;
    LLVMValueRef span = cl(g, (long long)ACC_DATE_MAX_DAYS - ACC_DATE_MIN_DAYS);
    LLVMValueRef bad = LLVMBuildOr(B, LLVMBuildICmp(B, LLVMIntUGT, LLVMBuildSub(B, from, cl(g, ACC_DATE_MIN_DAYS), ""), span, ""),
                                   LLVMBuildICmp(B, LLVMIntUGT, LLVMBuildSub(B, to, cl(g, ACC_DATE_MIN_DAYS), ""), span, ""), "");
    if (lane) flag(g, lane, bad);
    else *badp = bad;
    *f = sel(g, bad, cl(g, 0), from);
    *t = sel(g, bad, cl(g, 0), to);
}

/* acc_period_months (runtime/periods.c) inline; dates outside 0001..9999:
 * see calendar_operands */
static LLVMValueRef period_months(G *g, LLVMValueRef from, LLVMValueRef to, LLVMValueRef lane, LLVMValueRef *badp) {
    LLVMBuilderRef B = g->B;
    LLVMValueRef f, t;
    calendar_operands(g, from, to, lane, badp, &f, &t);
    LLVMValueRef fy, fm, fd, ty, tm, td;
    ymd(g, f, &fy, &fm, &fd);
    ymd(g, t, &ty, &tm, &td);
    LLVMValueRef n0 = LLVMBuildFAdd(B, LLVMBuildFMul(B, LLVMBuildFSub(B, ty, fy, ""), fk(g, 12), ""), LLVMBuildFSub(B, tm, fm, ""), "");
    LLVMValueRef last = days_in_month(g, ty, tm);
    LLVMValueRef clamped = sel(g, LLVMBuildFCmp(B, LLVMRealOLT, fd, last, ""), fd, last);
    LLVMValueRef r = sel(g, LLVMBuildFCmp(B, LLVMRealOLE, clamped, td, ""), LLVMBuildFAdd(B, n0, fk(g, 1), ""), n0);
    return sel(g, LLVMBuildICmp(B, LLVMIntSLT, t, f, ""), cl(g, 0), LLVMBuildFPToSI(B, r, g->L, ""));
}

/* Comparisons of period_months with a constant, `period_months(x, y) <= N`
 * and the like, are computed as a comparison of y with add_months(x, N): one
 * civil date (x's) instead of two, and the rest in integer lanes.
 *
 * Why it is the same (SPEC §5.2, §5.3; runtime/periods.c): period_months(x,
 * y) is the smallest n >= 0 with add_months(x, n) > y (0 when y < x: n = 0
 * qualifies, add_months(x, 0) = x > y).  add_months(x, n) lies in the n-th
 * month after x's (its day clamped to that month's length, SPEC §5.2's
 * month-end rule), so it is strictly increasing in n: the n with
 * add_months(x, n) > y are all n from period_months(x, y) on.  Hence, for
 * N >= 0,
 *     period_months(x, y) <= N   iff   add_months(x, N) > y,
 * a date beyond 9999-12-31 being later than every y (as periods.c counts
 * it); for N < 0 it never holds (period_months >= 0).  The other orders
 * follow on integers: pm < N iff pm <= N - 1; pm > N iff not pm <= N; pm >= N
 * iff not pm <= N - 1.  (== and != are two such tests: not rewritten.)
 * Checked against acc_period_months on every pair of dates of windows around
 * month ends, leap days, century years and the range ends, for N from 0 to
 * 25 and beyond the range (tests/unit/test_columnar.c). */
#define PM_BEYOND 120000 /* months: add_months(x, N) of a date x >= 0001-01-01 lies after 9999-12 from here on */

/* add_months(from, n) as a day number, 0 <= n <= PM_BEYOND, from inside
 * 0001..9999 (calendar_operands), computed by the proleptic calendar up to
 * the year 19999: a date beyond 9999-12-31 is a day number beyond every
 * date of the range, as periods.c counts it.  x's civil date in doubles (ymd),
 * the rest in integer lanes, divisions by constants as exact multiply-shifts
 * (each checked over its whole operand range: year <= 19999, serial / 4 <
 * 2^16, 153 * month + 2 <= 1685; products below 2^32, day numbers below
 * 2^23): the month serial y*12 + m-1 + n (at most
 * 239,999), the new year and month, the day clamped to the month's length
 * (a leap year: divisible by 4, and not by 100 unless by 400), and
 * days_from_civil (runtime/calendar.c) of the result. */
static LLVMValueRef add_months_days(G *g, LLVMValueRef from, long long n) {
    LLVMBuilderRef B = g->B;
    LLVMValueRef fy, fm, fd;
    ymd(g, from, &fy, &fm, &fd);
    LLVMValueRef y = LLVMBuildFPToSI(B, fy, g->L, ""), m = LLVMBuildFPToSI(B, fm, g->L, ""), d = LLVMBuildFPToSI(B, fd, g->L, "");
#define MULSHR(x, k, s) LLVMBuildLShr(B, LLVMBuildMul(B, (x), cl(g, k), ""), cl(g, s), "")
    LLVMValueRef ns = LLVMBuildAdd(B, LLVMBuildAdd(B, LLVMBuildMul(B, y, cl(g, 12), ""), m, ""), cl(g, n - 1), "");
    LLVMValueRef ny = MULSHR(LLVMBuildLShr(B, ns, cl(g, 2), ""), 43691, 17); /* ns / 12 = (ns / 4) / 3 */
    LLVMValueRef nm = LLVMBuildAdd(B, LLVMBuildSub(B, ns, LLVMBuildMul(B, ny, cl(g, 12), ""), ""), cl(g, 1), "");
    LLVMValueRef c100 = MULSHR(ny, 5243, 19); /* ny / 100 */
    LLVMValueRef leap = LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntEQ, LLVMBuildAnd(B, ny, cl(g, 3), ""), cl(g, 0), ""),
                                     LLVMBuildOr(B, LLVMBuildICmp(B, LLVMIntNE, LLVMBuildMul(B, c100, cl(g, 100), ""), ny, ""),
                                                 LLVMBuildICmp(B, LLVMIntEQ, LLVMBuildAnd(B, c100, cl(g, 3), ""), cl(g, 0), ""), ""),
                                     "");
    /* the month's length: 28 + two bits of 0x3bbeecc at 2*month (Jan 3, Feb 0, Mar 3, Apr 2, ...), + 1 for a leap February */
    LLVMValueRef len = LLVMBuildAnd(B, LLVMBuildLShr(B, cl(g, 0x3bbeecc), LLVMBuildShl(B, nm, cl(g, 1), ""), ""), cl(g, 3), "");
    LLVMValueRef feb29 = LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntEQ, nm, cl(g, 2), ""), leap, "");
    len = LLVMBuildAdd(B, LLVMBuildAdd(B, len, cl(g, 28), ""), LLVMBuildZExt(B, feb29, g->L, ""), "");
    LLVMValueRef day = sel(g, LLVMBuildICmp(B, LLVMIntSLT, d, len, ""), d, len);
    /* days_from_civil(ny, nm, day): the year from 1 March */
    LLVMValueRef early = LLVMBuildICmp(B, LLVMIntULE, nm, cl(g, 2), "");
    LLVMValueRef yy = LLVMBuildSub(B, ny, LLVMBuildZExt(B, early, g->L, ""), ""); /* >= 0 */
    LLVMValueRef era = LLVMBuildLShr(B, MULSHR(yy, 5243, 19), cl(g, 2), "");  /* yy / 400 = (yy / 100) / 4 */
    LLVMValueRef yoe = LLVMBuildSub(B, yy, LLVMBuildMul(B, era, cl(g, 400), ""), "");
    LLVMValueRef mp = sel(g, early, LLVMBuildAdd(B, nm, cl(g, 9), ""), LLVMBuildSub(B, nm, cl(g, 3), ""));
    LLVMValueRef doy = LLVMBuildAdd(B, MULSHR(LLVMBuildAdd(B, LLVMBuildMul(B, mp, cl(g, 153), ""), cl(g, 2), ""), 52429, 18),
                                    LLVMBuildSub(B, day, cl(g, 1), ""), ""); /* (153 mp + 2) / 5 + day - 1 */
    LLVMValueRef doe = LLVMBuildAdd(B, LLVMBuildSub(B, LLVMBuildAdd(B, LLVMBuildMul(B, yoe, cl(g, 365), ""), LLVMBuildLShr(B, yoe, cl(g, 2), ""), ""),
                                                    MULSHR(yoe, 5243, 19), ""),
                                    doy, "");
#undef MULSHR
    return LLVMBuildAdd(B, LLVMBuildMul(B, era, cl(g, 146097), ""), LLVMBuildSub(B, doe, cl(g, 719468), ""), "");
}

/* period_months(from, to) <= n, 0 <= n (i1); dates outside 0001..9999: see calendar_operands */
static LLVMValueRef period_at_most(G *g, LLVMValueRef from, LLVMValueRef to, long long n, LLVMValueRef lane, LLVMValueRef *badp) {
    LLVMValueRef f, t;
    calendar_operands(g, from, to, lane, badp, &f, &t);
    LLVMValueRef am = add_months_days(g, f, n > PM_BEYOND ? PM_BEYOND : n);
    return LLVMBuildICmp(g->B, LLVMIntSLT, t, am, "");
}

/* The calendar functions are costly (two civil dates per lane) and mostly
 * asked under a mask that few lanes pass (a posting of an activity that
 * exists, of a case still open...): they are computed for those lanes
 * only.  The mask becomes a bit mask (a vector compare per vector of
 * lanes); the operands of its lanes are packed into dense rows (a scalar
 * loop over its set bits only), the function is computed over the dense
 * rows (a plain loop, padded to a multiple of its vector width: vector
 * code with every lane busy), and the results and flags are put back (a
 * loop over the set bits again).  (AVX-512's compressing stores would do
 * the packing, but with a memory operand they are microcoded on AMD Zen 4:
 * measured slower.)  compact_begin packs and opens the dense loop (returns
 * its row j; *x, *y: the operands there); compact_end stores the result and
 * the flag (i1) of row j and unpacks. */
typedef struct Compact {
    Loop L;
    LLVMValueRef bits;           /* i64: the mask's lanes */
    Lanes x, y, out, bad;        /* dense */
    Lanes r;                     /* the result's lanes */
} Compact;

#define PACK_VF 8 /* the dense loop's vector width: 8 doubles (one zmm); rows are padded to a multiple */
_Static_assert(CH == 64, "the mask of a chunk's lanes is one 64-bit word");

static LLVMValueRef intrinsic(G *g, const char *name, LLVMTypeRef ty, LLVMTypeRef *ft) {
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    *ft = LLVMIntrinsicGetType(g->C, id, &ty, 1);
    return LLVMGetIntrinsicDeclaration(g->M, id, &ty, 1);
}

/* the lanes (< m) where mask column p is set, as the bits of an i64 */
static LLVMValueRef mask_bits(G *g, LLVMValueRef p) {
    LLVMTypeRef vt = LLVMVectorType(g->L, CH);
    LLVMValueRef mv = LLVMBuildLoad2(g->B, vt, p, "");
    LLVMValueRef bits = LLVMBuildBitCast(g->B, LLVMBuildICmp(g->B, LLVMIntNE, mv, LLVMConstNull(vt), ""), g->i64, "");
    /* lanes beyond m hold stale values: cleared (m = 64: shift by 63, twice, to stay defined) */
    LLVMValueRef all = LLVMBuildShl(g->B, LLVMBuildShl(g->B, c64(g, 1), LLVMBuildSub(g->B, g->m, c64(g, 1), ""), ""), c64(g, 1), "");
    return LLVMBuildAnd(g->B, bits, LLVMBuildSub(g->B, all, c64(g, 1), ""), "");
}

/* hints on a loop's back edge br: vectorise vf wide, do not interleave */
static void loop_hints(G *g, LLVMValueRef br, int vf) {
    LLVMMetadataRef hint[2][2] = {{LLVMMDStringInContext2(g->C, "llvm.loop.vectorize.width", 25), LLVMValueAsMetadata(LLVMConstInt(g->i32, (unsigned)vf, 0))},
                                  {LLVMMDStringInContext2(g->C, "llvm.loop.interleave.count", 26), LLVMValueAsMetadata(LLVMConstInt(g->i32, 1, 0))}};
    LLVMMetadataRef tmp = LLVMTemporaryMDNode(g->C, NULL, 0);
    LLVMMetadataRef ops[3] = {tmp, LLVMMDNodeInContext2(g->C, hint[1], 2), LLVMMDNodeInContext2(g->C, hint[0], 2)};
    LLVMMetadataRef id = LLVMMDNodeInContext2(g->C, ops, 3);
    LLVMMetadataReplaceAllUsesWith(tmp, id);
    LLVMSetMetadata(br, LLVMGetMDKindIDInContext(g->C, "llvm.loop", 9), LLVMMetadataAsValue(g->C, id));
}

/* for each set bit of `bits` (ascending): body(i = its lane, j = its rank); returns the loop's exit state */
typedef struct BitLoop {
    LLVMBasicBlockRef head, body, exit;
    LLVMValueRef b, j, i;
} BitLoop;
static void bits_begin(G *g, BitLoop *L, LLVMValueRef bits) {
    close_map(g);
    LLVMTypeRef ft;
    LLVMValueRef ctz = intrinsic(g, "llvm.cttz", g->i64, &ft);
    LLVMBasicBlockRef pre = LLVMGetInsertBlock(g->B);
    L->head = LLVMAppendBasicBlockInContext(g->C, g->fn, "bits");
    L->body = LLVMAppendBasicBlockInContext(g->C, g->fn, "bit");
    L->exit = LLVMAppendBasicBlockInContext(g->C, g->fn, "bits_done");
    LLVMBuildBr(g->B, L->head);
    LLVMPositionBuilderAtEnd(g->B, L->head);
    L->b = LLVMBuildPhi(g->B, g->i64, "");
    L->j = LLVMBuildPhi(g->B, g->i64, "");
    LLVMValueRef z[2] = {bits, c64(g, 0)};
    LLVMAddIncoming(L->b, &z[0], &pre, 1);
    LLVMAddIncoming(L->j, &z[1], &pre, 1);
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntNE, L->b, c64(g, 0), ""), L->body, L->exit);
    LLVMPositionBuilderAtEnd(g->B, L->body);
    LLVMValueRef a[2] = {L->b, LLVMConstInt(g->i1, 1, 0)};
    L->i = LLVMBuildCall2(g->B, ft, ctz, a, 2, "");
}
static void bits_end(G *g, BitLoop *L) {
    LLVMValueRef nb = LLVMBuildAnd(g->B, L->b, LLVMBuildSub(g->B, L->b, c64(g, 1), ""), "");
    LLVMValueRef nj = LLVMBuildAdd(g->B, L->j, c64(g, 1), "");
    LLVMBasicBlockRef cur = LLVMGetInsertBlock(g->B);
    LLVMAddIncoming(L->b, &nb, &cur, 1);
    LLVMAddIncoming(L->j, &nj, &cur, 1);
    LLVMBuildBr(g->B, L->head);
    LLVMPositionBuilderAtEnd(g->B, L->exit);
}

/* zero: r's lanes outside the mask become 0; else they keep what they hold */
static LLVMValueRef compact_begin(G *g, Compact *k, Lanes a, Lanes b, Lanes r, LLVMValueRef *x, LLVMValueRef *y, bool zero) {
    k->r = r;
    if (zero) {
        LLVMValueRef i = map_begin(g);
        put(g, r, 0, i, cl(g, 0));
        map_end(g);
    }
    close_map(g);
    k->x = new_lanes(g, 1);
    k->y = new_lanes(g, 1);
    k->out = new_lanes(g, 1);
    k->bad = new_lanes(g, 1);
    k->bits = mask_bits(g, g->mask);
    BitLoop P;
    bits_begin(g, &P, k->bits);
    put(g, k->x, 0, P.j, get(g, a, 0, P.i));
    put(g, k->y, 0, P.j, get(g, b, 0, P.i));
    bits_end(g, &P);
    LLVMTypeRef ft;
    LLVMValueRef pop = intrinsic(g, "llvm.ctpop", g->i64, &ft);
    LLVMValueRef n = LLVMBuildCall2(g->B, ft, pop, &k->bits, 1, "");
    /* rows np .. the next multiple of PACK_VF hold stale operands: computed, never unpacked */
    LLVMValueRef padded = LLVMBuildAnd(g->B, LLVMBuildAdd(g->B, n, c64(g, PACK_VF - 1), ""), c64(g, -PACK_VF), "");
    LLVMValueRef j = lp_begin(g, &k->L, padded);
    k->L.var2 = j;
    *x = get(g, k->x, 0, j);
    *y = get(g, k->y, 0, j);
    return j;
}

static void compact_end(G *g, Compact *k, LLVMValueRef out, LLVMValueRef bad) {
    LLVMValueRef j = k->L.var2;
    put(g, k->out, 0, j, out);
    put(g, k->bad, 0, j, b2i(g, bad));
    /* lp_end, with loop hints on the back edge: PACK_VF wide, not interleaved
     * (the padded trip count is a multiple of it: no scalar remainder runs) */
    LLVMBuildStore(g->B, LLVMBuildAdd(g->B, j, c64(g, 1), ""), k->L.var);
    loop_hints(g, LLVMBuildBr(g->B, k->L.head), PACK_VF);
    LLVMPositionBuilderAtEnd(g->B, k->L.exit);
    BitLoop U;
    bits_begin(g, &U, k->bits);
    put(g, k->r, 0, U.i, get(g, k->out, 0, U.j));
    put(g, g->fb, 0, U.i, LLVMBuildOr(g->B, get(g, g->fb, 0, U.i), get(g, k->bad, 0, U.j), ""));
    bits_end(g, &U);
}

/* the number of elements of set lanes s at lane i, a scalar lane (at most 256) */
static LLVMValueRef lanes_size(G *g, Lanes s, LLVMValueRef i) {
    LLVMTypeRef ft;
    LLVMValueRef pop = intrinsic(g, "llvm.ctpop", g->i64, &ft), n = c64(g, 0);
    for (int w = 0; w < 4; w++) {
        LLVMValueRef x = get(g, s, w, i);
        n = LLVMBuildAdd(g->B, n, LLVMBuildCall2(g->B, ft, pop, &x, 1, ""), "");
    }
    return to_l(g, n);
}

static const IrExpr *distinct_set(G *g, const IrExpr *x, const IrDefine **owner);
static Lanes gen_distinct(G *g, const IrExpr *e, const IrDefine *owner);

static Lanes gen_builtin(G *g, const IrExpr *e) {
    Lanes v[4];
    const IrDefine *sdef = NULL;
    const IrExpr *sagg = e->builtin == BI_SIZE && e->nargs == 1 ? distinct_set(g, e->args[0], &sdef) : NULL;
    if (sagg) return gen_distinct(g, sagg, sdef);
    if (e->nargs > 4) {
        bail(g, "builtin arity");
        return uniform(g, cl(g, 0));
    }
    for (int k = 0; k < e->nargs; k++) {
        v[k] = gen(g, e->args[k]);
        if (e->builtin == BI_MIN || e->builtin == BI_MAX) v[k] = coerce(g, v[k], e->args[k]->type, e->type);
    }
    if (g->bad) return uniform(g, cl(g, 0));
    const Type *t0 = e->nargs ? e->args[0]->type : NULL;
    switch (e->builtin) {
    case BI_MIN: case BI_MAX:
        if ((!is_intish(e->type->kind) && !is_rat(e->type->kind)) || e->type->kind == TY_BOOL) bail(g, "min/max");
        break;
    case BI_SIZE:
        if (t0->kind != TY_SET) bail(g, "size of a list");
        break;
    case BI_ABS:
        if (!is_intish(t0->kind) || t0->kind == TY_BOOL) bail(g, "abs");
        break;
    case BI_PERIOD_MONTHS: case BI_MONTHS_BETWEEN: case BI_YEARS_BETWEEN: case BI_DAYS_BETWEEN: break;
    default: bail(g, "builtin");
    }
    if (g->bad) return uniform(g, cl(g, 0));
    Lanes r = new_lanes(g, 1);
    bool calendar = e->builtin == BI_PERIOD_MONTHS || e->builtin == BI_MONTHS_BETWEEN || e->builtin == BI_YEARS_BETWEEN;
    if (calendar && e->nargs != 2) {
        bail(g, "calendar arity");
        return r;
    }
    bool packed = calendar && g->mask;
    LLVMValueRef i, x, y = NULL, cbad = NULL, out = NULL;
    Compact K;
    if (packed) i = compact_begin(g, &K, v[0], v[1], r, &x, &y, true);
    else {
        i = map_begin(g);
        x = get(g, v[0], 0, i);
    }
    switch (e->builtin) {
    case BI_MIN: case BI_MAX:
        out = x;
        for (int k = 1; k < e->nargs; k++) {
            LLVMValueRef yk = get(g, v[k], 0, i);
            out = sel(g, LLVMBuildICmp(g->B, e->builtin == BI_MIN ? LLVMIntSLT : LLVMIntSGT, yk, out, ""), yk, out);
        }
        break;
    case BI_SIZE: out = lanes_size(g, v[0], i); break;
    case BI_ABS:
        flag(g, i, LLVMBuildICmp(g->B, LLVMIntEQ, x, cl(g, lane_min(g)), ""));
        out = sel(g, LLVMBuildICmp(g->B, LLVMIntSLT, x, cl(g, 0), ""), LLVMBuildNeg(g->B, x, ""), x);
        break;
    case BI_DAYS_BETWEEN: out = LLVMBuildSub(g->B, get(g, v[1], 0, i), x, ""); break;
    default: {
        if (!packed) y = get(g, v[1], 0, i);
        out = period_months(g, x, y, packed ? NULL : i, &cbad);
        if (e->builtin != BI_PERIOD_MONTHS) {
            /* months_between: period_months - 1 when from <= to, else 0 */
            out = sel(g, LLVMBuildICmp(g->B, LLVMIntSLT, y, x, ""), cl(g, 0), LLVMBuildSub(g->B, out, cl(g, 1), ""));
            if (e->builtin == BI_YEARS_BETWEEN) out = LLVMBuildSDiv(g->B, out, cl(g, 12), "");
        }
        break;
    }
    }
    if (packed) compact_end(g, &K, out, cbad);
    else {
        put(g, r, 0, i, out);
        map_end(g);
    }
    return r;
}

static Lanes gen_setlit(G *g, const IrExpr *e) {
    Lanes a[32];
    if (e->nargs > 32) {
        bail(g, "set literal");
        return uniform(g, cl(g, 0));
    }
    for (int k = 0; k < e->nargs; k++) a[k] = gen(g, e->args[k]);
    if (g->bad) return uniform(g, cl(g, 0));
    Lanes r = new_lanes(g, 4);
    LLVMValueRef i = map_begin(g);
    LLVMValueRef w[4] = {c64(g, 0), c64(g, 0), c64(g, 0), c64(g, 0)};
    for (int k = 0; k < e->nargs; k++) {
        LLVMValueRef x = to_w(g, get(g, a[k], 0, i)), hi = LLVMBuildLShr(g->B, x, c64(g, 6), "");
        LLVMValueRef bit = LLVMBuildShl(g->B, c64(g, 1), LLVMBuildAnd(g->B, x, c64(g, 63), ""), "");
        for (int q = 0; q < 4; q++)
            w[q] = LLVMBuildOr(g->B, w[q], sel(g, LLVMBuildICmp(g->B, LLVMIntEQ, hi, c64(g, q), ""), bit, c64(g, 0)), "");
    }
    for (int q = 0; q < 4; q++) put(g, r, q, i, w[q]);
    map_end(g);
    return r;
}

/* ---- lists and aggregates --------------------------------------------------------- */

/* entry f of row `row` of a list column (0: first, 1: count; two i32 per row), as i64 */
static LLVMValueRef list_entry(G *g, LLVMValueRef entp, LLVMValueRef row, int f) {
    LLVMValueRef ix = LLVMBuildMul(g->B, row, c64(g, 2), "");
    if (f) ix = LLVMBuildAdd(g->B, ix, c64(g, f), "");
    return LLVMBuildZExt(g->B, LLVMBuildLoad2(g->B, g->i32, LLVMBuildInBoundsGEP2(g->B, g->i32, entp, &ix, 1, ""), ""), g->i64, "");
}

/* The chunk's view of every list of the case, once per chunk at case level
 * (before any code that may not run): the lengths, the longest, and the
 * row of lane 0's first element.  The layout puts lane i's first element
 * at first0 + i (accord.h); a chunk whose entries do not (columns a host
 * built otherwise, a range not starting at a block) is reported in *ok
 * (i1) and takes the single-case path. */
static LLVMValueRef lists_of_chunk(G *g) {
    LLVMValueRef ok = LLVMConstInt(g->i1, 1, 0);
    for (int c = 0; c < g->cols.n; c++) {
        if (g->cols.v[c].kind != TY_LIST || g->cols.v[c].list != -1 || !g->need_list[c]) continue;
        ListInfo *li = &g->lists[c];
        LLVMValueRef entp = colptr(g, c);
        li->first0 = list_entry(g, entp, g->base, 0);
        li->len = new_lanes(g, 1);
        LLVMValueRef mx = alloca_in_entry(g, g->i64), bad = alloca_in_entry(g, g->i64);
        LLVMBuildStore(g->B, c64(g, 0), mx);
        LLVMBuildStore(g->B, c64(g, 0), bad);
        Loop L;
        LLVMValueRef i = lp_begin(g, &L, g->m);
        LLVMValueRef row = LLVMBuildAdd(g->B, g->base, i, "");
        LLVMValueRef first = list_entry(g, entp, row, 0), len = list_entry(g, entp, row, 1);
        put(g, li->len, 0, i, to_l(g, len)); /* narrow lanes: below 2^31 (checked below) */
        LLVMValueRef cur = LLVMBuildLoad2(g->B, g->i64, mx, "");
        LLVMBuildStore(g->B, sel(g, LLVMBuildICmp(g->B, LLVMIntUGT, len, cur, ""), len, cur), mx);
        LLVMValueRef off = LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntNE, len, c64(g, 0), ""),
                                        LLVMBuildICmp(g->B, LLVMIntNE, first, LLVMBuildAdd(g->B, li->first0, i, ""), ""), "");
        LLVMBuildStore(g->B, LLVMBuildOr(g->B, LLVMBuildLoad2(g->B, g->i64, bad, ""), LLVMBuildZExt(g->B, off, g->i64, ""), ""), bad);
        lp_end(g, &L, i);
        li->maxlen = LLVMBuildLoad2(g->B, g->i64, mx, "");
        /* narrow lanes hold lengths and counts below 2^31; a longer list: the single-case path */
        if (g->narrow) ok = LLVMBuildAnd(g->B, ok, LLVMBuildICmp(g->B, LLVMIntULE, li->maxlen, c64(g, INT32_MAX), ""), "");
        ok = LLVMBuildAnd(g->B, ok, LLVMBuildICmp(g->B, LLVMIntEQ, LLVMBuildLoad2(g->B, g->i64, bad, ""), c64(g, 0), ""), "");
        li->ready = true;
    }
    return ok;
}

static Lanes gen_set_exists(G *g, const IrExpr *e);
/* An aggregate over a list of the case: a loop over positions k up to the
 * chunk's longest list; at position k the element lanes are the cases'
 * k-th elements (lane i active when k < its length, under the case mask),
 * read contiguously; where/value are evaluated there and reduced lane-wise
 * into the accumulator, in the same loop over lanes.  Flags raised at an
 * element reach the case directly (the mask holds the active lanes). */
static Lanes gen_agg(G *g, const IrExpr *e) {
    if (e->a->type->kind == TY_SET && g->level < 0) return gen_set_exists(g, e);
    /* (an aggregate inside another's element expression would work the same
     * way, a loop over its positions inside the other's; not tested yet, so
     * outside the fragment) */
    if (e->agg >= AG_DAYS || e->a->type->kind != TY_LIST || g->level >= 0) {
        bail(g, e->agg >= AG_DAYS ? "aggregate of periods" : g->level >= 0 ? "aggregate inside an aggregate" : "aggregate over a set");
        return uniform(g, cl(g, 0));
    }
    int owner, c = field_column(g, e->a, &owner, NULL);
    if (c < 0 || owner != -1 || e->slot < 0 || e->slot >= g->nslots || !g->lists[c].ready) {
        bail(g, "aggregate over this list");
        return uniform(g, cl(g, 0));
    }
    if ((e->c && !lane_type(e->c->type)) || (e->agg != AG_SET && e->type->kind == TY_SET)) {
        bail(g, "aggregate value");
        return uniform(g, cl(g, 0));
    }
    ListInfo *li = &g->lists[c];
    Lanes dflt = {0};
    if (e->agg == AG_FIRST) dflt = coerce(g, gen(g, e->d), e->d->type, e->type);
    if (g->bad) return uniform(g, cl(g, 0));
    int nw = e->agg == AG_SET ? 4 : 1;
    Lanes acc = new_lanes(g, nw), found = new_lanes(g, 1);
    {
        LLVMValueRef i = map_begin(g);
        long long init = e->agg == AG_FORALL ? -1 : 0; /* true, false */
        for (int q = 0; q < nw; q++) put(g, acc, q, i, LLVMConstInt(wtype(g, acc), (unsigned long long)init, 1));
        put(g, found, 0, i, cl(g, 0));
        map_end(g);
    }
    LLVMValueRef case_mask = g->mask;
    int outer = g->level; /* -1, or an enclosing aggregate's list: the same lanes either way */
    Loop J;
    /* first without `where' is element 0's value, when there is one: the
     * position loop stops after position 0 (later elements are never
     * looked at, by the single-case code either: no flag of theirs counts) */
    close_map(g);
    LLVMValueRef npos = li->maxlen;
    if (e->agg == AG_FIRST && !e->b) npos = sel(g, LLVMBuildICmp(g->B, LLVMIntUGT, npos, c64(g, 1), ""), c64(g, 1), npos);
    LLVMValueRef k = lp_begin(g, &J, npos);
    g->cond++;
    Bind saved = g->slots[e->slot];
    g->slots[e->slot] = (Bind){.kind = BK_ELEM, .list = c, .row = LLVMBuildAdd(g->B, li->first0, LLVMBuildMul(g->B, k, c64(g, CH), ""), "")};
    g->level = c;
    /* the active lanes */
    Lanes act = new_lanes(g, 1);
    {
        LLVMValueRef i = map_begin(g);
        /* k < maxlen, which fits a lane (lists_of_chunk): unsigned compare */
        LLVMValueRef a = b2i(g, LLVMBuildICmp(g->B, LLVMIntULT, to_l(g, k), get(g, li->len, 0, i), ""));
        if (case_mask) a = LLVMBuildAnd(g->B, a, get(g, mask_lanes(g, case_mask), 0, i), "");
        put(g, act, 0, i, a);
        map_end(g);
    }
    g->mask = act.p;
    Lanes w = uniform(g, ltrue(g)), v = uniform(g, cl(g, 0));
    if (e->b) w = gen(g, e->b);
    if (!g->bad && e->c && e->agg != AG_EXISTS && e->agg != AG_FORALL && e->agg != AG_COUNT) {
        if (e->b) g->mask = mask_with(g, w, false);
        v = coerce(g, gen(g, e->c), e->c->type, e->type);
        g->mask = act.p;
    }
    if (!g->bad) {
        LLVMValueRef i = map_begin(g);
        LLVMValueRef on = i2b(g, get(g, act, 0, i)), wk = i2b(g, get(g, w, 0, i));
        LLVMValueRef take = LLVMBuildAnd(g->B, on, wk, "");
        LLVMValueRef a0 = get(g, acc, 0, i);
        g->mask = NULL; /* the sum's overflow: `take` already says where it counts */
        switch (e->agg) {
        case AG_EXISTS: put(g, acc, 0, i, LLVMBuildOr(g->B, a0, b2i(g, take), "")); break;
        case AG_FORALL: put(g, acc, 0, i, LLVMBuildAnd(g->B, a0, b2i(g, LLVMBuildOr(g->B, LLVMBuildNot(g->B, on, ""), wk, "")), "")); break;
        case AG_COUNT: put(g, acc, 0, i, LLVMBuildSub(g->B, a0, b2i(g, take), "")); break; /* true is -1 */
        case AG_SUM: {
            g->mask = act.p;
            put(g, acc, 0, i, ovf(g, IOP_ADD, a0, sel(g, take, get(g, v, 0, i), cl(g, 0)), i));
            break;
        }
        case AG_FIRST: {
            LLVMValueRef f = get(g, found, 0, i);
            LLVMValueRef now = LLVMBuildAnd(g->B, take, LLVMBuildICmp(g->B, LLVMIntEQ, f, cl(g, 0), ""), "");
            put(g, acc, 0, i, sel(g, now, get(g, v, 0, i), a0));
            put(g, found, 0, i, LLVMBuildOr(g->B, f, b2i(g, take), ""));
            break;
        }
        case AG_SET: {
            LLVMValueRef x = to_w(g, get(g, v, 0, i)), hi = LLVMBuildLShr(g->B, x, c64(g, 6), "");
            LLVMValueRef bit = LLVMBuildShl(g->B, c64(g, 1), LLVMBuildAnd(g->B, x, c64(g, 63), ""), "");
            for (int q = 0; q < 4; q++) {
                LLVMValueRef on2 = LLVMBuildAnd(g->B, take, LLVMBuildICmp(g->B, LLVMIntEQ, hi, c64(g, q), ""), "");
                put(g, acc, q, i, LLVMBuildOr(g->B, get(g, acc, q, i), sel(g, on2, bit, c64(g, 0)), ""));
            }
            break;
        }
        default: UNREACHABLE();
        }
        map_end(g);
    }
    close_map(g);
    g->slots[e->slot] = saved;
    g->level = outer;
    g->mask = case_mask;
    g->cond--;
    lp_end(g, &J, k);
    if (g->bad) return uniform(g, cl(g, 0));
    if (e->agg == AG_FIRST) {
        LLVMValueRef i = map_begin(g);
        put(g, acc, 0, i, sel(g, i2b(g, get(g, found, 0, i)), get(g, acc, 0, i), get(g, dflt, 0, i)));
        map_end(g);
        g->found = found;
    }
    return acc;
}

/* The size of a set built from a list, size(set(a in L where W : V)) with
 * V a country or an enum (number_of_activity_states): the number of
 * distinct values, without the set.  The set in lanes is four i64 words per
 * lane, a shift and an or per word and element, and four popcounts; a list
 * of a few elements is cheaper as compares: element k counts where it is
 * taken (k below the lane's length, W holds) and no earlier taken element j
 * has the same value, O(K^2) lane compares for the chunk's longest list K.
 * Exact: set_add (value.h) keeps an ordinal once, whatever it is (none
 * included), which is what "no earlier equal value" counts.  Chunks whose
 * longest list exceeds DISTINCT_K take the set path (gen_agg, then size). */
#define DISTINCT_K 8

/* the AG_SET aggregate that x is, directly or through definitions without
 * parameters (none of them computed already: else the set is at hand), with
 * a country or enum value over a list of the case; *owner: the definition
 * whose body it is (its frame holds the aggregate's slot), or NULL */
static const IrExpr *distinct_set(G *g, const IrExpr *x, const IrDefine **owner) {
    *owner = NULL;
    for (int depth = 0; x && depth < 16; depth++) {
        if (x->kind == IR_DEFINE) {
            if (x->def->nparams != 0 || g->has_memo[x->def->id]) return NULL;
            *owner = x->def;
            x = x->def->body;
            continue;
        }
        if (x->kind != IR_AGG || x->agg != AG_SET || x->a->type->kind != TY_LIST || !x->c ||
            (x->c->type->kind != TY_COUNTRY && x->c->type->kind != TY_ENUM) || g->level >= 0)
            return NULL;
        return x;
    }
    return NULL;
}

/* element (position k, lane i) of an array of DISTINCT_K columns of scalar lanes */
static LLVMValueRef kcol_ptr(G *g, LLVMValueRef arr, LLVMValueRef k, LLVMValueRef i) {
    LLVMValueRef idx = LLVMBuildAdd(g->B, LLVMBuildMul(g->B, k, c64(g, CH), ""), i, "");
    return LLVMBuildInBoundsGEP2(g->B, g->L, arr, &idx, 1, "");
}

static Lanes gen_distinct(G *g, const IrExpr *e, const IrDefine *owner) {
    Bind *saved = g->slots;
    int savedn = g->nslots;
    Bind *frame = NULL;
    if (owner) {
        frame = xcalloc((size_t)owner->nslots + 1, sizeof *frame);
        g->slots = frame;
        g->nslots = owner->nslots;
    }
    int lo, c = field_column(g, e->a, &lo, NULL);
    Lanes r = new_lanes(g, 1);
    if (c < 0 || lo != -1 || e->slot < 0 || e->slot >= g->nslots || !g->lists[c].ready) {
        bail(g, "aggregate over this list");
        goto done;
    }
    ListInfo *li = &g->lists[c];
    close_map(g);
    LLVMBasicBlockRef pw = LLVMAppendBasicBlockInContext(g->C, g->fn, "distinct_pairs"),
                      st = LLVMAppendBasicBlockInContext(g->C, g->fn, "distinct_set"),
                      join = LLVMAppendBasicBlockInContext(g->C, g->fn, "distinct_done");
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntULE, li->maxlen, c64(g, DISTINCT_K), ""), pw, st);
    g->cond++;
    /* a few elements: compares */
    LLVMPositionBuilderAtEnd(g->B, pw);
    {
        LLVMValueRef vals = alloca_in_entry(g, LLVMArrayType(g->L, DISTINCT_K * CH));
        LLVMValueRef took = alloca_in_entry(g, LLVMArrayType(g->L, DISTINCT_K * CH));
        LLVMValueRef i = map_begin(g);
        put(g, r, 0, i, cl(g, 0));
        map_end(g);
        LLVMValueRef case_mask = g->mask;
        Loop J;
        LLVMValueRef k = lp_begin(g, &J, li->maxlen);
        Bind sv = g->slots[e->slot];
        g->slots[e->slot] = (Bind){.kind = BK_ELEM, .list = c, .row = LLVMBuildAdd(g->B, li->first0, LLVMBuildMul(g->B, k, c64(g, CH), ""), "")};
        g->level = c;
        Lanes act = new_lanes(g, 1);
        i = map_begin(g);
        LLVMValueRef a = b2i(g, LLVMBuildICmp(g->B, LLVMIntULT, to_l(g, k), get(g, li->len, 0, i), ""));
        if (case_mask) a = LLVMBuildAnd(g->B, a, get(g, mask_lanes(g, case_mask), 0, i), "");
        put(g, act, 0, i, a);
        map_end(g);
        g->mask = act.p;
        Lanes w = e->b ? gen(g, e->b) : uniform(g, ltrue(g));
        if (!g->bad && e->b) g->mask = mask_with(g, w, false);
        Lanes v = g->bad ? w : gen(g, e->c);
        g->mask = NULL;
        if (!g->bad) {
            i = map_begin(g);
            LLVMValueRef on = LLVMBuildAnd(g->B, get(g, act, 0, i), get(g, w, 0, i), "");
            LLVMBuildStore(g->B, on, kcol_ptr(g, took, k, i));
            LLVMBuildStore(g->B, get(g, v, 0, i), kcol_ptr(g, vals, k, i));
            map_end(g);
            /* dup: an earlier taken element has the same value */
            Lanes dup = new_lanes(g, 1);
            i = map_begin(g);
            put(g, dup, 0, i, cl(g, 0));
            map_end(g);
            Loop P;
            LLVMValueRef j = lp_begin(g, &P, k);
            i = map_begin(g);
            LLVMValueRef same = b2i(g, LLVMBuildICmp(g->B, LLVMIntEQ, LLVMBuildLoad2(g->B, g->L, kcol_ptr(g, vals, j, i), ""),
                                                     LLVMBuildLoad2(g->B, g->L, kcol_ptr(g, vals, k, i), ""), ""));
            LLVMValueRef hit = LLVMBuildAnd(g->B, same, LLVMBuildLoad2(g->B, g->L, kcol_ptr(g, took, j, i), ""), "");
            put(g, dup, 0, i, LLVMBuildOr(g->B, get(g, dup, 0, i), hit, ""));
            map_end(g);
            close_map(g);
            lp_end(g, &P, j);
            i = map_begin(g);
            LLVMValueRef fresh = LLVMBuildAnd(g->B, LLVMBuildLoad2(g->B, g->L, kcol_ptr(g, took, k, i), ""),
                                              LLVMBuildNot(g->B, get(g, dup, 0, i), ""), "");
            put(g, r, 0, i, LLVMBuildSub(g->B, get(g, r, 0, i), fresh, "")); /* fresh is 0 or -1 */
            map_end(g);
        }
        close_map(g);
        g->slots[e->slot] = sv;
        g->level = -1;
        g->mask = case_mask;
        lp_end(g, &J, k);
        LLVMBuildBr(g->B, join);
    }
    /* longer lists: the set, and its size */
    LLVMPositionBuilderAtEnd(g->B, st);
    if (!g->bad) {
        Lanes s = gen_agg(g, e);
        if (!g->bad) {
            LLVMValueRef i = map_begin(g);
            put(g, r, 0, i, lanes_size(g, s, i));
            map_end(g);
        }
    }
    close_map(g);
    LLVMBuildBr(g->B, join);
    LLVMPositionBuilderAtEnd(g->B, join);
    g->cond--;
done:
    g->slots = saved;
    g->nslots = savedn;
    free(frame);
    return r;
}

/* ---- definitions, parameters -------------------------------------------------------- */

/* A definition's body is generated in its own frame of slots, its
 * parameters bound to the arguments' lanes (an element bound as such) */
typedef struct DefFrame {
    Bind *saved, *frame;
    int savedn;
    LLVMValueRef savedm;
} DefFrame;
static void define_enter(G *g, const IrExpr *e, bool memo, DefFrame *f) {
    const IrDefine *d = e->def;
    f->frame = xcalloc((size_t)(d->nslots > d->nparams ? d->nslots : d->nparams) + 1, sizeof *f->frame);
    for (int i = 0; i < d->nparams && !g->bad; i++) {
        const IrExpr *a = e->args[i];
        if (a->kind == IR_LOCAL && a->slot >= 0 && a->slot < g->nslots && g->slots[a->slot].kind == BK_ELEM) f->frame[i] = g->slots[a->slot];
        else if (lane_type(a->type)) f->frame[i] = (Bind){.kind = BK_VAL, .v = gen(g, a)};
        else bail(g, "definition argument");
    }
    f->saved = g->slots;
    f->savedn = g->nslots;
    f->savedm = g->mask;
    if (memo) g->mask = NULL; /* computed once for all lanes: its flags hold for all */
    g->slots = f->frame;
    g->nslots = d->nslots > d->nparams ? d->nslots : d->nparams;
}
static void define_leave(G *g, DefFrame *f) {
    g->slots = f->saved;
    g->nslots = f->savedn;
    g->mask = f->savedm;
    free(f->frame);
}

static Lanes gen_define(G *g, const IrExpr *e) {
    const IrDefine *d = e->def;
    if (!lane_type(d->type)) {
        bail(g, "definition type");
        return uniform(g, cl(g, 0));
    }
    if (d->nparams == 0 && g->has_memo[d->id]) return lift(g, g->memo[d->id]);
    bool memo = d->nparams == 0 && g->level < 0 && g->cond == 0;
    DefFrame f;
    define_enter(g, e, memo, &f);
    Lanes r = g->bad ? uniform(g, cl(g, 0)) : gen(g, d->body);
    define_leave(g, &f);
    if (memo && !g->bad) {
        g->memo[d->id] = r;
        g->has_memo[d->id] = true;
    }
    return r;
}

static Lanes date_lanes(G *g);

static Lanes gen_parameter(G *g, const IrExpr *e) {
    const IrParameter *p = e->param;
    Lanes v[64];
    if (p->n > 64) {
        bail(g, "parameter pieces");
        return uniform(g, cl(g, 0));
    }
    for (int k = 0; k < p->n; k++)
        if (!const_lanes(g, &p->value[k], p->type, &v[k]) || v[k].nw != 1) {
            bail(g, "parameter value");
            return uniform(g, cl(g, 0));
        }
    Lanes r;
    if (p->n == 1) r = v[0];
    else {
        Lanes date = date_lanes(g);
        r = new_lanes(g, 1);
        LLVMValueRef i = map_begin(g);
        LLVMValueRef d = get(g, date, 0, i), x = v[0].u[0];
        for (int k = 1; k < p->n; k++) x = sel(g, LLVMBuildICmp(g->B, LLVMIntSGE, d, cl(g, p->from[k]), ""), v[k].u[0], x);
        put(g, r, 0, i, x);
        map_end(g);
    }
    return coerce(g, r, p->type, e->type);
}

/* the agreement's parties on each case's date (interp.c: the parties whose
 * membership [from, until) holds the date) */
static Lanes gen_parties(G *g) {
    const IrAgreement *ag = g->ag;
    Lanes date = date_lanes(g);
    Lanes r = new_lanes(g, 4);
    LLVMValueRef i = map_begin(g);
    LLVMValueRef w[4];
    for (int k = 0; k < 4; k++) w[k] = LLVMConstInt(g->i64, ag->parties.bits[k], 0);
    LLVMValueRef d = get(g, date, 0, i);
    for (int c = 1; c < 256; c++) {
        if (!(ag->parties.bits[c >> 6] >> (c & 63) & 1)) continue;
        if (ag->party_from[c] <= INT32_MIN + 1 && ag->party_until[c] == INT32_MAX) continue;
        LLVMValueRef out = LLVMBuildOr(g->B, LLVMBuildICmp(g->B, LLVMIntSLT, d, cl(g, ag->party_from[c]), ""),
                                       LLVMBuildICmp(g->B, LLVMIntSGE, d, cl(g, ag->party_until[c]), ""), "");
        LLVMValueRef cleared = LLVMBuildAnd(g->B, w[c >> 6], LLVMConstInt(g->i64, ~((uint64_t)1 << (c & 63)), 0), "");
        w[c >> 6] = sel(g, out, cleared, w[c >> 6]);
    }
    for (int k = 0; k < 4; k++) put(g, r, k, i, w[k]);
    map_end(g);
    return r;
}

/* exists(n in S where n in T), S a set: S and T intersect */
static Lanes gen_set_exists(G *g, const IrExpr *e) {
    const IrExpr *w = e->b;
    if (e->agg != AG_EXISTS || !w || w->kind != IR_BINARY || w->op != IOP_IN || w->a->kind != IR_LOCAL || w->a->slot != e->slot ||
        w->b->type->kind != TY_SET) {
        bail(g, "aggregate over a set");
        return uniform(g, cl(g, 0));
    }
    Lanes a = gen(g, e->a), b = gen(g, w->b);
    if (g->bad) return a;
    Lanes r = new_lanes(g, 1);
    LLVMValueRef i = map_begin(g);
    LLVMValueRef any = c64(g, 0);
    for (int k = 0; k < 4; k++) any = LLVMBuildOr(g->B, any, LLVMBuildAnd(g->B, get(g, a, k, i), get(g, b, k, i), ""), "");
    put(g, r, 0, i, b2i(g, LLVMBuildICmp(g->B, LLVMIntNE, any, c64(g, 0), "")));
    map_end(g);
    return r;
}

/* ---- comparisons of period_months with a constant (see add_months_days) ---- */

/* x is period_months(.., ..), or reaches one through the branches of ifs and
 * the bodies of definitions with parameters (posting_months) */
static bool reaches_period(const IrExpr *x, int depth) {
    if (!x || depth > 16) return false;
    if (x->kind == IR_BUILTIN) return x->builtin == BI_PERIOD_MONTHS && x->nargs == 2;
    if (x->kind == IR_IF) return reaches_period(x->b, depth + 1) || reaches_period(x->c, depth + 1);
    if (x->kind == IR_DEFINE) return x->def->nparams > 0 && reaches_period(x->def->body, depth + 1);
    return false;
}

/* period_months(a, b) op k as period_months(a, b) <= n, negated or not: by
 * the window of acc_months_window for every lane (a subtraction and two
 * compares: with d = y - x, d < lo gives true, d >= hi false, since
 * period_months(x, y) <= n iff y < add_months(x, n), SPEC §5.3; an
 * add_months beyond 9999-12-31 counts as later than every y, so `false' is
 * never concluded for it), and by add_months_days for the lanes inside the
 * window only, packed (compact_begin): for rule 7's posting limit, 0 to 2
 * lanes of a position where before every posted lane of the position took
 * the calendar */
static Lanes period_cmpk(G *g, const IrExpr *x, const CmpK *c) {
    bool neg = c->op == IOP_GT || c->op == IOP_GE;
    long long n = c->op == IOP_LE || c->op == IOP_GT ? c->k : c->k - 1; /* k > LLONG_MIN (period_compare) */
    Lanes a = gen(g, x->args[0]), b = gen(g, x->args[1]); /* (their own flags, whatever n is) */
    if (g->bad) return a;
    /* period_months >= 0 for any dates (periods.c: total); true is -1 in a lane */
    if (n < 0) return uniform(g, neg ? ltrue(g) : cl(g, 0));
    if (n > PM_BEYOND) n = PM_BEYOND;
    int64_t lo, hi;
    acc_months_window(n, &lo, &hi); /* 0 <= n <= PM_BEYOND: true */
    Lanes r = new_lanes(g, 1), inside = new_lanes(g, 1);
    LLVMValueRef i = map_begin(g), from, to, bad = NULL, le;
    /* dates outside 0001..9999 flag the lane (under the mask); 0 in their place */
    calendar_operands(g, get(g, a, 0, i), get(g, b, 0, i), i, NULL, &from, &to);
    LLVMValueRef d = LLVMBuildSub(g->B, to, from, "");
    le = LLVMBuildICmp(g->B, LLVMIntSLT, d, cl(g, lo), "");
    LLVMValueRef in = LLVMBuildAnd(g->B, LLVMBuildNot(g->B, le, ""), LLVMBuildICmp(g->B, LLVMIntSLT, d, cl(g, hi), ""), "");
    LLVMValueRef inl = b2i(g, in);
    if (g->mask) inl = LLVMBuildAnd(g->B, inl, get(g, mask_lanes(g, g->mask), 0, i), "");
    put(g, inside, 0, i, inl);
    put(g, r, 0, i, b2i(g, neg ? LLVMBuildNot(g->B, le, "") : le));
    map_end(g);
    if (lo == hi) return r;
    /* the lanes inside the window (and the mask), packed: the calendar */
    LLVMValueRef saved = g->mask;
    g->mask = inside.p;
    Compact K;
    compact_begin(g, &K, a, b, r, &from, &to, false);
    le = period_at_most(g, from, to, n, NULL, &bad);
    compact_end(g, &K, b2i(g, neg ? LLVMBuildNot(g->B, le, "") : le), bad);
    g->mask = saved;
    return r;
}

/* x op k (bool lanes), k a constant, x reaching period_months through ifs and definitions */
static Lanes gen_cmpk(G *g, const IrExpr *x, const IrExpr *ifx, const void *ctx) {
    (void)ifx;
    const CmpK *c = ctx;
    if (x->kind == IR_IF && reaches_period(x, 0)) return if_with(g, x, gen_cmpk, ctx);
    if (x->kind == IR_DEFINE && reaches_period(x, 0)) {
        DefFrame f;
        define_enter(g, x, false, &f);
        Lanes r = g->bad ? uniform(g, cl(g, 0)) : gen_cmpk(g, x->def->body, NULL, ctx);
        define_leave(g, &f);
        return r;
    }
    if (x->kind == IR_BUILTIN && reaches_period(x, 0)) return period_cmpk(g, x, c);
    Lanes a = gen(g, x);
    if (g->bad) return a;
    Lanes r = new_lanes(g, 1);
    LLVMValueRef i = map_begin(g);
    /* k fits the lane (period_compare) */
    put(g, r, 0, i, b2i(g, LLVMBuildICmp(g->B, cmp_pred[c->op], get(g, a, 0, i), cl(g, c->k), "")));
    map_end(g);
    return r;
}

/* e is `x op k` or `k op x` with op an order, k an integer constant within
 * the lanes and x reaching period_months: *c, *x */
static bool period_compare(G *g, const IrExpr *e, CmpK *c, const IrExpr **x) {
    static const IrOp flip[] = {[IOP_LT] = IOP_GT, [IOP_LE] = IOP_GE, [IOP_GT] = IOP_LT, [IOP_GE] = IOP_LE};
    if (e->op != IOP_LT && e->op != IOP_LE && e->op != IOP_GT && e->op != IOP_GE) return false;
    const IrExpr *k = e->b->kind == IR_CONST ? e->b : e->a->kind == IR_CONST ? e->a : NULL;
    if (!k || (k->type->kind != TY_MONTHS && k->type->kind != TY_INT)) return false;
    *x = k == e->b ? e->a : e->b;
    if (!reaches_period(*x, 0) || (*x)->type->kind != k->type->kind) return false;
    /* k within the lanes, and k - 1 too */
    if (k->cval.i > lane_max(g) || k->cval.i <= lane_min(g)) return false;
    c->op = k == e->b ? e->op : flip[e->op];
    c->k = k->cval.i;
    return true;
}

static Lanes gen(G *g, const IrExpr *e) {
    if (g->bad) return uniform(g, cl(g, 0));
    /* a case expression inside an element expression needs nothing
     * special: its lanes are the element lanes' cases */
    switch (e->kind) {
    case IR_CONST: {
        Lanes r;
        if (!const_lanes(g, &e->cval, e->type, &r)) bail(g, "constant");
        return r;
    }
    case IR_LOCAL:
        if (e->slot >= 0 && e->slot < g->nslots && g->slots[e->slot].kind == BK_VAL) return lift(g, g->slots[e->slot].v);
        bail(g, "local");
        return uniform(g, cl(g, 0));
    case IR_FIELD: return gen_field(g, e);
    case IR_UNARY: {
        Lanes a = gen(g, e->a);
        if (g->bad) return a;
        if (e->op != IOP_NOT && !is_intish(e->a->type->kind) && !is_rat(e->a->type->kind)) {
            bail(g, "negation");
            return a;
        }
        Lanes r = new_lanes(g, 1);
        LLVMValueRef i = map_begin(g);
        LLVMValueRef x = get(g, a, 0, i);
        if (e->op == IOP_NOT) put(g, r, 0, i, LLVMBuildNot(g->B, x, ""));
        else {
            flag(g, i, LLVMBuildICmp(g->B, LLVMIntEQ, x, cl(g, lane_min(g)), ""));
            put(g, r, 0, i, LLVMBuildNeg(g->B, x, ""));
        }
        map_end(g);
        return r;
    }
    case IR_BINARY: return gen_binary(g, e);
    case IR_AND: case IR_OR: return gen_andor(g, e);
    case IR_IF: return gen_if(g, e);
    case IR_SETLIT: return gen_setlit(g, e);
    case IR_BUILTIN: return gen_builtin(g, e);
    case IR_DEFINE: return gen_define(g, e);
    case IR_PARAMETER: return gen_parameter(g, e);
    case IR_AGG: return e == g->pre_e ? g->pre : gen_agg(g, e);
    case IR_PARTIES: return gen_parties(g);
    case IR_CASE: case IR_ASK: break;
    }
    bail(g, "expression kind");
    return uniform(g, cl(g, 0));
}

/* ---- questions ------------------------------------------------------------------------ */

static int date_column(G *g) {
    const IrRecord *cr = g->ag->vocab->case_rec;
    for (int i = 0; i < cr->nfields; i++)
        if (strcmp(cr->fields[i].name, "date") == 0) {
            char k[16];
            snprintf(k, sizeof k, "%d", i);
            return col_find(&g->cols, -1, k);
        }
    return -1;
}

static Lanes date_lanes(G *g) {
    if (g->date_ready) return g->level < 0 ? g->date : lift(g, g->date);
    bail(g, "date");
    return uniform(g, cl(g, 0));
}

/* lanes where date is outside [from, until) get the flag (under the current mask) */
static void flag_outside(G *g, Lanes date, long long from, long long until) {
    if (from <= INT32_MIN && until >= INT32_MAX) return;
    /* dates lie within 32 bits: bounds beyond are clamped (same comparisons) */
    from = from < INT32_MIN ? INT32_MIN : from;
    until = until > INT32_MAX ? INT32_MAX : until;
    LLVMValueRef i = map_begin(g);
    LLVMValueRef d = get(g, date, 0, i);
    flag(g, i, LLVMBuildOr(g->B, LLVMBuildICmp(g->B, LLVMIntSLT, d, cl(g, from), ""), LLVMBuildICmp(g->B, LLVMIntSGE, d, cl(g, until), ""), ""));
    map_end(g);
}

/* a and b are the same expression (ir_same_expr), b's local sb standing for
 * a's sa (the element variables of two aggregates); other locals are the
 * question's parameters, one value each in the whole chunk */
static bool same_expr(const IrExpr *a, const IrExpr *b, int sa, int sb) { return ir_same_expr(a, b, sa, sb, true); }

/* A rule whose condition is `exists(y in L where P)` and whose value holds
 * `first(x in L where P : V ...)` (rules 2 and 3 of the peer rules: the first
 * element that makes the rule apply gives its answer): the exists is that
 * first's `found', so one walk over L's positions computes both, under the
 * rule's open lanes (a superset of the firing ones the value is computed
 * for: a lane's value does not depend on the mask; the first's flags may be
 * raised on more lanes, which is allowed, never on fewer).  The first is
 * looked for in the value's operands, not inside aggregates or definitions
 * (other slots).  cgb_shared_first(rule): that first, or NULL. */
static const IrExpr *first_of_exists(const IrExpr *v, const IrExpr *c, int depth) {
    if (!v || depth > 16) return NULL;
    if (v->kind == IR_AGG)
        return v->agg == AG_FIRST && v->b && same_expr(c->a, v->a, -1, -1) && same_expr(v->b, c->b, v->slot, c->slot) ? v : NULL;
    if (v->kind != IR_IF && v->kind != IR_BINARY && v->kind != IR_UNARY && v->kind != IR_AND && v->kind != IR_OR) return NULL;
    const IrExpr *sub[3] = {v->a, v->b, v->c}, *r = NULL;
    for (int k = 0; k < 3 && !r; k++) r = first_of_exists(sub[k], c, depth + 1);
    return r;
}
const IrExpr *cgb_shared_first(const IrRule *rule) {
    const IrExpr *c = rule->cond;
    if (!c || c->kind != IR_AGG || c->agg != AG_EXISTS || !c->b || c->a->kind != IR_FIELD) return NULL;
    return first_of_exists(rule->value, c, 0);
}

static int cmp_priority(const void *x, const void *y) {
    const IrRule *a = *(IrRule *const *)x, *b = *(IrRule *const *)y;
    if (a->priority != b->priority) return a->priority > b->priority ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* interp.c combine over `rules` for the lanes of `scope` (a mask column, or
 * NULL: all): by decreasing priority, a group of equal priority decides when
 * exactly one of its rules answers (several: merge or conflict, flagged for
 * the single-case path); lower rules are only looked at where nothing has
 * answered (their flags do not matter elsewhere).  A rule with exceptions
 * answers with their combined answer where they give one (SPEC §6.3).
 * dec: -1 where answered (a bool lane); rid, val: the deciding rule and its value. */
static void combine(G *g, const IrQuestion *q, const PtrVec *rules, LLVMValueRef scope, Lanes *dec, Lanes *rid_out, Lanes *val_out) {
    size_t n = rules->len;
    IrRule **order = xmalloc(sizeof *order * (n ? n : 1));
    if (n) memcpy(order, rules->items, sizeof *order * n);
    qsort(order, n, sizeof *order, cmp_priority);
    *dec = new_lanes(g, 1);
    *rid_out = new_lanes(g, 1);
    *val_out = new_lanes(g, 1);
    g->mask = NULL;
    LLVMValueRef i = map_begin(g);
    put(g, *dec, 0, i, cl(g, 0));
    put(g, *rid_out, 0, i, cl(g, -1));
    put(g, *val_out, 0, i, cl(g, 0));
    map_end(g);
    for (size_t k = 0; k < n && !g->bad;) {
        size_t end = k;
        while (end < n && order[end]->priority == order[k]->priority) end++;
        Lanes fires[16], vals[16], rids[16];
        if (end - k > 16) {
            bail(g, "rules of one priority");
            break;
        }
        g->mask = scope;
        LLVMValueRef open = mask_with(g, *dec, true); /* in scope, not yet answered */
        /* no lane open: the group's code is skipped (it could neither decide
         * nor flag a lane) */
        close_map(g);
        LLVMValueRef anyp = alloca_in_entry(g, g->i64);
        LLVMBuildStore(g->B, c64(g, 0), anyp);
        {
            Loop L;
            LLVMValueRef li = lp_begin(g, &L, g->m);
            LLVMBuildStore(g->B, LLVMBuildOr(g->B, LLVMBuildLoad2(g->B, g->i64, anyp, ""), to_w(g, get(g, mask_lanes(g, open), 0, li)), ""), anyp);
            lp_end(g, &L, li);
        }
        LLVMBasicBlockRef grp = LLVMAppendBasicBlockInContext(g->C, g->fn, "group"), after = LLVMAppendBasicBlockInContext(g->C, g->fn, "group_done");
        LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntNE, LLVMBuildLoad2(g->B, g->i64, anyp, ""), c64(g, 0), ""), grp, after);
        LLVMPositionBuilderAtEnd(g->B, grp);
        g->cond++;
        for (size_t r = k; r < end && !g->bad; r++) {
            const IrRule *rule = order[r];
            Bind *saved = g->slots;
            int savedn = g->nslots;
            int ns = rule->nslots > q->nparams ? rule->nslots : q->nparams;
            Bind *frame = xcalloc((size_t)ns + 1, sizeof *frame);
            memcpy(frame, g->slots, sizeof *frame * (size_t)q->nparams);
            g->slots = frame;
            g->nslots = ns;
            /* applies: in force, head matches (uniform), open */
            Lanes app = new_lanes(g, 1);
            g->mask = NULL;
            i = map_begin(g);
            LLVMValueRef d = get(g, g->date, 0, i);
            LLVMValueRef a = i2b(g, get(g, mask_lanes(g, open), 0, i));
            if (rule->from > INT32_MIN) a = LLVMBuildAnd(g->B, a, LLVMBuildICmp(g->B, LLVMIntSGE, d, cl(g, rule->from), ""), "");
            if (rule->until < INT32_MAX) a = LLVMBuildAnd(g->B, a, LLVMBuildICmp(g->B, LLVMIntSLT, d, cl(g, rule->until), ""), "");
            for (int p = 0; p < q->nparams; p++)
                if (rule->pattern[p])
                    a = LLVMBuildAnd(g->B, a, LLVMBuildICmp(g->B, LLVMIntEQ, get(g, frame[p].v, 0, i), cl(g, rule->pattern[p]->cval.i), ""), "");
            put(g, app, 0, i, b2i(g, a));
            map_end(g);
            /* exceptions first: where they answer, theirs is the rule's answer */
            Lanes edec = uniform(g, cl(g, 0)), erid = edec, eval = edec;
            LLVMValueRef own = app.p;
            if (rule->exceptions.len) {
                combine(g, q, &rule->exceptions, app.p, &edec, &erid, &eval);
                g->mask = app.p;
                own = mask_with(g, edec, true);
            }
            g->mask = own;
            const IrExpr *sf = cgb_shared_first(rule);
            Lanes c = !rule->cond ? uniform(g, ltrue(g)) : sf ? (g->pre = gen(g, sf), g->pre_e = sf, g->found) : gen(g, rule->cond);
            if (!g->bad) {
                Lanes f = new_lanes(g, 1);
                g->mask = NULL;
                i = map_begin(g);
                put(g, f, 0, i, LLVMBuildAnd(g->B, get(g, mask_lanes(g, own), 0, i), get(g, c, 0, i), ""));
                map_end(g);
                g->mask = f.p;
                Lanes v = coerce(g, gen(g, rule->value), rule->value->type, q->type);
                g->mask = NULL;
                Lanes fa = new_lanes(g, 1), ra = new_lanes(g, 1), va = new_lanes(g, 1);
                i = map_begin(g);
                LLVMValueRef ex = i2b(g, LLVMBuildAnd(g->B, get(g, app, 0, i), get(g, edec, 0, i), ""));
                put(g, fa, 0, i, LLVMBuildOr(g->B, get(g, f, 0, i), b2i(g, ex), ""));
                put(g, ra, 0, i, sel(g, ex, get(g, erid, 0, i), cl(g, rule->id)));
                put(g, va, 0, i, sel(g, ex, get(g, eval, 0, i), get(g, v, 0, i)));
                map_end(g);
                fires[r - k] = fa;
                rids[r - k] = ra;
                vals[r - k] = va;
            }
            g->pre_e = NULL;
            g->mask = NULL;
            g->slots = saved;
            g->nslots = savedn;
            free(frame);
        }
        if (g->bad) break;
        g->mask = scope;
        i = map_begin(g);
        LLVMValueRef cnt = cl(g, 0), rid = cl(g, -1), val = cl(g, 0);
        for (size_t r = k; r < end; r++) {
            LLVMValueRef f = get(g, fires[r - k], 0, i);
            cnt = LLVMBuildSub(g->B, cnt, f, ""); /* fires are 0 or -1 */
            LLVMValueRef on = i2b(g, f);
            rid = sel(g, on, get(g, rids[r - k], 0, i), rid);
            val = sel(g, on, get(g, vals[r - k], 0, i), val);
        }
        LLVMValueRef was = i2b(g, get(g, *dec, 0, i));
        LLVMValueRef one = LLVMBuildAnd(g->B, LLVMBuildNot(g->B, was, ""), LLVMBuildICmp(g->B, LLVMIntEQ, cnt, cl(g, 1), ""), "");
        /* two or more rules answering: merged or in conflict (the single-case
         * path); a group of one rule answers at most once (fires are 0 or -1) */
        if (end - k > 1) flag(g, i, LLVMBuildAnd(g->B, LLVMBuildNot(g->B, was, ""), LLVMBuildICmp(g->B, LLVMIntSGE, cnt, cl(g, 2), ""), ""));
        put(g, *rid_out, 0, i, sel(g, one, rid, get(g, *rid_out, 0, i)));
        put(g, *val_out, 0, i, sel(g, one, val, get(g, *val_out, 0, i)));
        put(g, *dec, 0, i, b2i(g, LLVMBuildOr(g->B, was, LLVMBuildICmp(g->B, LLVMIntSGT, cnt, cl(g, 0), ""), "")));
        map_end(g);
        close_map(g);
        g->cond--;
        LLVMBuildBr(g->B, after);
        LLVMPositionBuilderAtEnd(g->B, after);
        k = end;
    }
    g->mask = NULL;
    free(order);
}

/* every definition without parameters that e reaches (through the bodies
 * of definitions), computed and memoised at case level */
static void predefine(G *g, const IrExpr *e, int depth) {
    if (!e || g->bad || depth > 64) return;
    const IrDefine *sdef;
    const IrExpr *sagg = e->kind == IR_BUILTIN && e->builtin == BI_SIZE && e->nargs == 1 ? distinct_set(g, e->args[0], &sdef) : NULL;
    if (sagg) {
        /* size(set(...)): counted without the set (gen_distinct); only what
         * its element expressions use is computed ahead */
        predefine(g, sagg->b, depth + 1);
        predefine(g, sagg->c, depth + 1);
        return;
    }
    if (e->kind == IR_DEFINE) {
        const IrDefine *d = e->def;
        if (d->nparams == 0 && g->has_memo[d->id]) return;
        predefine(g, d->body, depth + 1);
        if (d->nparams == 0 && lane_type(d->type) && !g->bad) (void)gen_define(g, e);
    }
    predefine(g, e->a, depth + 1);
    predefine(g, e->b, depth + 1);
    predefine(g, e->c, depth + 1);
    predefine(g, e->d, depth + 1);
    for (int i = 0; e->kind != IR_AGG && i < e->nargs; i++) predefine(g, e->args[i], depth + 1); /* as need_lists */
}
static void predefine_rule(G *g, const IrRule *r, int depth) {
    predefine(g, r->cond, depth);
    predefine(g, r->value, depth);
    for (size_t k = 0; k < r->exceptions.len; k++) predefine_rule(g, r->exceptions.items[k], depth + 1);
}

/* The lists of the case that aggregates of e reach (through definitions):
 * lists_of_chunk reads only their entries (a case has several lists; a
 * question mostly aggregates over one).  A list missed here would only
 * leave the fragment (gen_agg finds it not ready): never a wrong answer. */
static void need_lists(G *g, const IrExpr *e, int depth) {
    if (!e || depth > 64) return;
    if (e->kind == IR_AGG && e->a && e->a->type->kind == TY_LIST) {
        int owner, c = field_column(g, e->a, &owner, NULL);
        if (c >= 0 && owner == -1) g->need_list[c] = true;
    }
    if (e->kind == IR_DEFINE) need_lists(g, e->def->body, depth + 1);
    need_lists(g, e->a, depth + 1);
    need_lists(g, e->b, depth + 1);
    need_lists(g, e->c, depth + 1);
    need_lists(g, e->d, depth + 1);
    for (int i = 0; e->kind != IR_AGG && i < e->nargs; i++) need_lists(g, e->args[i], depth + 1); /* an aggregate: nargs is not a count of args (check.c) */
}
static void need_lists_rule(G *g, const IrRule *r, int depth) {
    need_lists(g, r->cond, depth);
    need_lists(g, r->value, depth);
    for (size_t k = 0; k < r->exceptions.len && depth < 64; k++) need_lists_rule(g, r->exceptions.items[k], depth + 1);
}

/* the body of one chunk: fallback flags, and the decision lanes */
static void gen_chunk(G *g, const IrQuestion *q, Lanes *dec_rule, Lanes *dec_val) {
    const IrAgreement *ag = g->ag;
    g->level = -1;
    g->nlanes = g->m;
    g->mask = NULL;
    LLVMValueRef i = map_begin(g);
    put(g, g->fb, 0, i, cl(g, 0));
    map_end(g);
    /* the date, and the agreement in force */
    int dc = date_column(g);
    if (dc < 0) {
        bail(g, "no date");
        return;
    }
    g->date = new_lanes(g, 1);
    i = map_begin(g);
    load_entry(g, dc, LLVMBuildAdd(g->B, g->base, i, ""), i, g->date);
    map_end(g);
    g->date_ready = true;
    flag_outside(g, g->date, ag->in_force, ag->terminates);
    /* the question's parameters: the same for every case */
    close_map(g);
    for (int k = 0; k < q->nparams; k++) {
        LLVMValueRef off = c64(g, (long long)(k * sizeof(acc_value) + offsetof(acc_value, i)));
        LLVMValueRef p = LLVMBuildInBoundsGEP2(g->B, g->i8, g->p_args, &off, 1, "");
        LLVMValueRef x = LLVMBuildLoad2(g->B, g->i64, p, "");
        if (g->narrow) {
            /* an argument beyond 32 bits (not an ordinal): the single-case path */
            LLVMValueRef t = LLVMBuildTrunc(g->B, x, g->L, "");
            LLVMValueRef wide = LLVMBuildICmp(g->B, LLVMIntNE, LLVMBuildSExt(g->B, t, g->i64, ""), x, "");
            i = map_begin(g);
            flag(g, i, wide);
            map_end(g);
            close_map(g);
            x = t;
        }
        /* a bool argument would need its acc_value.b as 0/-1 lanes: no
         * vocabulary asks one, so it is left outside the fragment */
        if (q->ptypes[k] && q->ptypes[k]->kind == TY_BOOL) {
            bail(g, "bool parameter");
            return;
        }
        g->slots[k] = (Bind){.kind = BK_VAL, .v = uniform(g, x)};
    }
    /* party and material scope depend on the arguments: not in the fragment */
    if (q->country_param >= 0 || (q->branch_param >= 0 && ag->material_scope.len)) {
        bail(g, "party or material scope");
        return;
    }
    /* personal scope: within when a clause valid on the date holds */
    if (ag->personal_scope.len) {
        Lanes within = new_lanes(g, 1);
        i = map_begin(g);
        put(g, within, 0, i, cl(g, 0));
        map_end(g);
        for (size_t s = 0; s < ag->personal_scope.len && !g->bad; s++) {
            const IrScopeClause *sc = ag->personal_scope.items[s];
            Lanes valid = new_lanes(g, 1);
            i = map_begin(g);
            LLVMValueRef d = get(g, g->date, 0, i);
            /* dates lie within 32 bits: bounds beyond are clamped (same comparisons) */
            long long from = sc->from < INT32_MIN ? INT32_MIN : sc->from, until = sc->until > INT32_MAX ? INT32_MAX : sc->until;
            LLVMValueRef in = LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntSGE, d, cl(g, from), ""), LLVMBuildICmp(g->B, LLVMIntSLT, d, cl(g, until), ""), "");
            /* a clause is only looked at while none before it held */
            in = LLVMBuildAnd(g->B, in, LLVMBuildICmp(g->B, LLVMIntEQ, get(g, within, 0, i), cl(g, 0), ""), "");
            put(g, valid, 0, i, b2i(g, in));
            map_end(g);
            Bind *saved = g->slots;
            int savedn = g->nslots;
            Bind *frame = xcalloc((size_t)sc->nslots + 1, sizeof *frame);
            g->slots = frame;
            g->nslots = sc->nslots;
            g->mask = valid.p;
            Lanes c = gen(g, sc->cond);
            g->mask = NULL;
            g->slots = saved;
            g->nslots = savedn;
            free(frame);
            if (g->bad) return;
            i = map_begin(g);
            put(g, within, 0, i, LLVMBuildOr(g->B, get(g, within, 0, i), LLVMBuildAnd(g->B, get(g, valid, 0, i), get(g, c, 0, i), ""), ""));
            map_end(g);
        }
        i = map_begin(g);
        flag(g, i, LLVMBuildICmp(g->B, LLVMIntEQ, get(g, within, 0, i), cl(g, 0), ""));
        map_end(g);
    }
    /* the definitions without parameters the rules use, once per chunk for
     * every lane, before any code that may be skipped */
    g->mask = NULL;
    for (size_t r = 0; r < q->roots.len && !g->bad; r++) predefine_rule(g, q->roots.items[r], 0);
    Lanes dec;
    combine(g, q, &q->roots, NULL, &dec, dec_rule, dec_val);
    if (g->bad) return;
    /* nothing decided: undetermined (its reason text is the single-case path's) */
    i = map_begin(g);
    flag(g, i, LLVMBuildICmp(g->B, LLVMIntEQ, get(g, dec, 0, i), cl(g, 0), ""));
    map_end(g);
}

typedef struct Shared {
    LLVMValueRef columnar;     /* the acc_columnar global */
    LLVMValueRef fallback;     /* acc_columns_fallback */
    LLVMTypeRef fallback_ty;
} Shared;

/* the single-case path for case `row` (i64) */
static void call_fallback(G *g, const Shared *sh, int qi, LLVMValueRef row, LLVMValueRef out) {
    LLVMValueRef at = LLVMBuildMul(g->B, row, c64(g, sizeof(acc_decision)), "");
    LLVMValueRef a[6] = {sh->columnar, LLVMConstInt(g->i32, (unsigned long long)qi, 0), g->p_cols, row, g->p_args,
                         g->cwidth ? g->dtmp : LLVMBuildInBoundsGEP2(g->B, g->i8, out, &at, 1, "")};
    LLVMBuildCall2(g->B, sh->fallback_ty, sh->fallback, a, 6, "");
    if (!g->cwidth) return;
    /* compact (accord.h): the decision's rule, or minus its kind; its value or 0 */
#define FLD(t, off) LLVMBuildLoad2(g->B, t, LLVMBuildInBoundsGEP2(g->B, g->i8, g->dtmp, (LLVMValueRef[]){c64(g, off)}, 1, ""), "")
    LLVMValueRef kind = FLD(g->i32, offsetof(acc_decision, kind)), rule = FLD(g->i32, offsetof(acc_decision, rule));
    size_t vo = offsetof(acc_decision, value);
    LLVMValueRef v = g->cwidth == 1 ? FLD(g->i8, vo + (g->compact_bool ? offsetof(acc_value, b) : offsetof(acc_value, i)))
                                    : FLD(g->i64, vo + offsetof(acc_value, i));
#undef FLD
    LLVMValueRef decided = LLVMBuildICmp(g->B, LLVMIntEQ, kind, LLVMConstInt(g->i32, ACC_DECIDED, 0), "");
    if (g->compact_bool) v = LLVMBuildZExt(g->B, LLVMBuildICmp(g->B, LLVMIntNE, v, LLVMConstInt(g->i8, 0, 0), ""), g->i8, "");
    v = sel(g, decided, v, LLVMConstNull(LLVMTypeOf(v)));
    rule = sel(g, decided, rule, LLVMBuildNeg(g->B, kind, ""));
    LLVMBuildStore(g->B, v, LLVMBuildInBoundsGEP2(g->B, LLVMTypeOf(v), out, &row, 1, ""));
    LLVMBuildStore(g->B, rule, LLVMBuildInBoundsGEP2(g->B, g->i32, g->p_rule, &row, 1, ""));
}

/* the compact arrays (accord.h) for the chunk's lanes: rule lanes, value lanes */
static void write_compact(G *g, Lanes rule, Lanes val, LLVMValueRef out) {
    Loop L;
    LLVMValueRef i = lp_begin(g, &L, g->m);
    LLVMValueRef row = LLVMBuildAdd(g->B, g->base, i, "");
    LLVMTypeRef vt = g->cwidth == 1 ? g->i8 : g->i64;
    LLVMValueRef v = LLVMBuildIntCast2(g->B, get(g, val, 0, i), vt, 1, ""); /* an ordinal below 256, or a bool (0/-1: to 0/1) */
    if (g->compact_bool) v = LLVMBuildAnd(g->B, v, LLVMConstInt(vt, 1, 0), "");
    LLVMBuildStore(g->B, v, LLVMBuildInBoundsGEP2(g->B, vt, out, &row, 1, ""));
    LLVMBuildStore(g->B, LLVMBuildIntCast2(g->B, get(g, rule, 0, i), g->i32, 1, ""), LLVMBuildInBoundsGEP2(g->B, g->i32, g->p_rule, &row, 1, ""));
    lp_end(g, &L, i);
}

/* acc_decision as six 64-bit words: {kind, rule}, {value.kind, currency},
 * the payload word (an answer's i, or its bool in the low byte of a
 * zeroed word: little-endian only, checked below), three zero words */
_Static_assert(sizeof(acc_decision) == 48 && offsetof(acc_decision, rule) == 4 && offsetof(acc_decision, value) == 8 &&
                   offsetof(acc_value, currency) == 4 && offsetof(acc_value, i) == 8 && offsetof(acc_value, b) == 8,
               "acc_decision layout assumed by write_decisions");

/* out[base + i] for the chunk's lanes; nt: non-temporal stores */
/* v (a scalar) in every element of a vector of vl */
static LLVMValueRef splat(G *g, LLVMValueRef v, int vl) {
    LLVMTypeRef vt = LLVMVectorType(LLVMTypeOf(v), (unsigned)vl);
    LLVMValueRef one = LLVMBuildInsertElement(g->B, LLVMGetPoison(vt), v, LLVMConstInt(g->i32, 0, 0), "");
    return LLVMBuildShuffleVector(g->B, one, LLVMGetPoison(vt), LLVMConstNull(LLVMVectorType(g->i32, (unsigned)vl)), "");
}

/* the six words of lane i's decision (little-endian): {kind, rule}, {value.kind, currency},
 * the payload word (an answer's i, or its bool in the low byte of a zeroed word), zeros */
static void decision_words(G *g, const IrQuestion *q, LLVMValueRef rule, LLVMValueRef val, LLVMValueRef *w0, LLVMValueRef *w2) {
    LLVMTypeRef t = LLVMTypeOf(val);
    LLVMValueRef r = LLVMBuildIntCast2(g->B, rule, LLVMGetTypeKind(t) == LLVMVectorTypeKind ? LLVMVectorType(g->i64, LLVMGetVectorSize(t)) : g->i64, 1, "");
    LLVMValueRef v = LLVMBuildIntCast2(g->B, val, LLVMTypeOf(r), 1, "");
    LLVMTypeRef wt = LLVMTypeOf(r);
#define K(x) (LLVMGetTypeKind(wt) == LLVMVectorTypeKind ? splat(g, c64(g, x), (int)LLVMGetVectorSize(wt)) : c64(g, x))
    *w0 = LLVMBuildOr(g->B, K(ACC_DECIDED), LLVMBuildShl(g->B, LLVMBuildAnd(g->B, r, K(0xffffffff), ""), K(32), ""), "");
    *w2 = q->type->kind == TY_BOOL ? LLVMBuildAnd(g->B, v, K(1), "") : v;
#undef K
}

/* out[base + i] for the chunk's lanes; nt: non-temporal stores.  Little-endian:
 * four decisions at a time as one vector of 24 words (three 64-byte stores,
 * aligned when out is: four decisions are 192 bytes and base a multiple of
 * 64), the rest one by one.  out64: out is 64-byte aligned (non-temporal
 * vector stores need it; else LLVM writes the words one by one). */
static void write_decisions(G *g, const IrQuestion *q, Lanes rule, Lanes val, LLVMValueRef out, bool nt, bool out64) {
    bool little = LLVMByteOrder(LLVMGetModuleDataLayout(g->M)) == LLVMLittleEndian;
    unsigned ntk = LLVMGetMDKindIDInContext(g->C, "nontemporal", 11);
    LLVMMetadataRef one = LLVMValueAsMetadata(LLVMConstInt(g->i32, 1, 0));
    LLVMValueRef md = LLVMMetadataAsValue(g->C, LLVMMDNodeInContext2(g->C, &one, 1));
    LLVMValueRef start = c64(g, 0);
    Loop L;
    LLVMValueRef i, row, o;
    if (little) {
        LLVMValueRef t = lp_begin(g, &L, LLVMBuildLShr(g->B, g->m, c64(g, 2), ""));
        i = LLVMBuildMul(g->B, t, c64(g, 4), "");
        LLVMTypeRef vt = LLVMVectorType(g->L, 4);
        LLVMValueRef rv = LLVMBuildLoad2(g->B, vt, lane_ptr(g, rule, 0, i), ""), vv;
        LLVMSetAlignment(rv, 4);
        if (val.p) {
            vv = LLVMBuildLoad2(g->B, vt, lane_ptr(g, val, 0, i), "");
            LLVMSetAlignment(vv, 4);
        } else vv = splat(g, get(g, val, 0, NULL), 4);
        LLVMValueRef w0, w2;
        decision_words(g, q, rv, vv, &w0, &w2);
        LLVMValueRef ab = LLVMBuildShuffleVector(g->B, w0, w2, LLVMConstVector((LLVMValueRef[]){
            LLVMConstInt(g->i32, 0, 0), LLVMConstInt(g->i32, 1, 0), LLVMConstInt(g->i32, 2, 0), LLVMConstInt(g->i32, 3, 0),
            LLVMConstInt(g->i32, 4, 0), LLVMConstInt(g->i32, 5, 0), LLVMConstInt(g->i32, 6, 0), LLVMConstInt(g->i32, 7, 0)}, 8), "");
        LLVMValueRef kz[8];
        for (int k = 0; k < 8; k++) kz[k] = c64(g, k == 0 ? q->type->kind : 0);
        LLVMValueRef idx[24];
        for (int d = 0; d < 4; d++) {
            int e[6] = {d, 8, 4 + d, 9, 9, 9};
            for (int k = 0; k < 6; k++) idx[6 * d + k] = LLVMConstInt(g->i32, (unsigned long long)e[k], 0);
        }
        LLVMValueRef words = LLVMBuildShuffleVector(g->B, ab, LLVMConstVector(kz, 8), LLVMConstVector(idx, 24), "");
        row = LLVMBuildAdd(g->B, g->base, i, "");
        o = LLVMBuildInBoundsGEP2(g->B, g->i8, out, (LLVMValueRef[]){LLVMBuildMul(g->B, row, c64(g, sizeof(acc_decision)), "")}, 1, "");
        LLVMValueRef st = LLVMBuildStore(g->B, words, o);
        LLVMSetAlignment(st, out64 ? 64 : 8);
        if (nt) LLVMSetMetadata(st, ntk, md);
        lp_end(g, &L, t);
        start = LLVMBuildAnd(g->B, g->m, c64(g, ~3LL), "");
    }
    LLVMValueRef t = lp_begin(g, &L, LLVMBuildSub(g->B, g->m, start, ""));
    i = LLVMBuildAdd(g->B, start, t, "");
    row = LLVMBuildAdd(g->B, g->base, i, "");
    o = LLVMBuildInBoundsGEP2(g->B, g->i8, out, (LLVMValueRef[]){LLVMBuildMul(g->B, row, c64(g, sizeof(acc_decision)), "")}, 1, "");
#define FLD(off) LLVMBuildInBoundsGEP2(g->B, g->i8, o, (LLVMValueRef[]){c64(g, off)}, 1, "")
    if (!little) {
        LLVMValueRef v = to_w(g, get(g, val, 0, i));
        LLVMBuildStore(g->B, LLVMConstInt(g->i32, ACC_DECIDED, 0), FLD(offsetof(acc_decision, kind)));
        LLVMBuildStore(g->B, LLVMBuildIntCast2(g->B, get(g, rule, 0, i), g->i32, 1, ""), FLD(offsetof(acc_decision, rule)));
        size_t vo = offsetof(acc_decision, value);
        LLVMBuildStore(g->B, LLVMConstInt(g->i32, (unsigned long long)q->type->kind, 0), FLD(vo + offsetof(acc_value, kind)));
        LLVMBuildStore(g->B, LLVMConstInt(g->i16, 0, 0), FLD(vo + offsetof(acc_value, currency)));
        for (size_t w = 0; w < 4; w++) LLVMBuildStore(g->B, c64(g, 0), FLD(vo + offsetof(acc_value, bits) + 8 * w));
        if (q->type->kind == TY_BOOL) LLVMBuildStore(g->B, LLVMBuildAnd(g->B, LLVMBuildTrunc(g->B, v, g->i8, ""), LLVMConstInt(g->i8, 1, 0), ""), FLD(vo + offsetof(acc_value, b)));
        else LLVMBuildStore(g->B, v, FLD(vo + offsetof(acc_value, i)));
    } else {
        LLVMValueRef w[6];
        decision_words(g, q, get(g, rule, 0, i), get(g, val, 0, i), &w[0], &w[2]);
        w[1] = c64(g, q->type->kind); /* currency 0, padding 0 */
        w[3] = w[4] = w[5] = c64(g, 0);
        for (int k = 0; k < 6; k++) {
            LLVMValueRef st = LLVMBuildStore(g->B, w[k], FLD(8 * k));
            if (nt) LLVMSetMetadata(st, ntk, md);
        }
    }
#undef FLD
    lp_end(g, &L, t);
}

/* Prefetching the columns the chunk's code reads, for the next chunk (when
 * `more`: two more chunks follow, so the entries of both exist): its case
 * rows, and for a list of the case the element rows between the next
 * chunk's first element row and the one after's.  The hardware prefetcher
 * follows a few streams; a chunk reads one per column. */
static void gen_prefetch(G *g, LLVMValueRef more) {
    LLVMBasicBlockRef go = LLVMAppendBasicBlockInContext(g->C, g->fn, "pf_go"), done = LLVMAppendBasicBlockInContext(g->C, g->fn, "pf_done");
    LLVMBuildCondBr(g->B, more, go, done);
    LLVMPositionBuilderAtEnd(g->B, go);
    LLVMTypeRef ft;
    LLVMValueRef pref = intrinsic(g, "llvm.prefetch", g->ptr, &ft);
    LLVMValueRef nb = LLVMBuildAdd(g->B, g->base, c64(g, CH), ""), nb2 = LLVMBuildAdd(g->B, g->base, c64(g, 2 * CH), "");
    for (int c = 0; c < g->cols.n; c++) {
        const BCol *b = &g->cols.v[c];
        if (!g->used[c]) continue;
        LLVMValueRef from, to;
        if (b->list < 0) {
            from = LLVMBuildMul(g->B, nb, c64(g, b->size), "");
            to = LLVMBuildMul(g->B, nb2, c64(g, b->size), "");
        } else if (g->cols.v[b->list].list < 0) {
            LLVMValueRef ent = g->colp[b->list];
            from = LLVMBuildMul(g->B, list_entry(g, ent, nb, 0), c64(g, b->size), "");
            to = LLVMBuildMul(g->B, list_entry(g, ent, nb2, 0), c64(g, b->size), "");
        } else continue;
        /* one prefetch per cache line of [from, to) */
        LLVMBasicBlockRef pre = LLVMGetInsertBlock(g->B), head = LLVMAppendBasicBlockInContext(g->C, g->fn, "pf_line"),
                          body = LLVMAppendBasicBlockInContext(g->C, g->fn, "pf_line_body"), exit = LLVMAppendBasicBlockInContext(g->C, g->fn, "pf_lines_done");
        LLVMBuildBr(g->B, head);
        LLVMPositionBuilderAtEnd(g->B, head);
        LLVMValueRef off = LLVMBuildPhi(g->B, g->i64, "");
        LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntULT, off, to, ""), body, exit);
        LLVMPositionBuilderAtEnd(g->B, body);
        LLVMValueRef a[4] = {LLVMBuildInBoundsGEP2(g->B, g->i8, g->colp[c], &off, 1, ""), LLVMConstInt(g->i32, 0, 0), LLVMConstInt(g->i32, 3, 0),
                             LLVMConstInt(g->i32, 1, 0)};
        LLVMBuildCall2(g->B, ft, pref, a, 4, "");
        LLVMValueRef next = LLVMBuildAdd(g->B, off, c64(g, 64), "");
        LLVMBasicBlockRef cur = LLVMGetInsertBlock(g->B);
        LLVMBuildBr(g->B, head);
        LLVMAddIncoming(off, &from, &pre, 1);
        LLVMAddIncoming(off, &next, &cur, 1);
        LLVMPositionBuilderAtEnd(g->B, exit);
    }
    LLVMBuildBr(g->B, done);
    LLVMPositionBuilderAtEnd(g->B, done);
}

/* One chunk of a question: void chunk(cols, base, m, args, out, nt) decides
 * cases base .. base+m-1 (m <= CH); nt: write decisions past the cache.  The
 * entry point calls it for every full chunk with m the constant CH and once
 * more for the rest; both calls are inlined (alwaysinline), so that the
 * loops over the lanes of a full chunk have a constant trip count: the
 * vectoriser then needs no remainder loop nor runtime checks (measured
 * about 1.15x on the peer rule set). */
static LLVMValueRef gen_chunk_fn(G *g, const Shared *sh, int qi, const IrQuestion *q, bool vector, bool narrow) {
    char name[256];
    snprintf(name, sizeof name, "accord_%s__%s__chunk%s", g->ag->id, q->name, g->cwidth ? "_compact" : "");
    /* the compact chunk: (..., value, rule) instead of (..., out, nt) */
    LLVMTypeRef pt[7] = {g->ptr, g->i64, g->i64, g->ptr, g->ptr, g->cwidth ? g->ptr : g->i1, g->i1};
    LLVMValueRef fn = LLVMAddFunction(g->M, name, LLVMFunctionType(g->vd, pt, 7, 0));
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    unsigned ai = LLVMGetEnumAttributeKindForName("alwaysinline", 12);
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(g->C, ai, 0));
    g->fn = fn;
    g->p_cols = LLVMGetParam(fn, 0);
    g->base = LLVMGetParam(fn, 1);
    g->m = LLVMGetParam(fn, 2);
    g->nlanes = g->m;
    g->p_args = LLVMGetParam(fn, 3);
    LLVMValueRef out = LLVMGetParam(fn, 4), ntp = LLVMGetParam(fn, 5);
    g->p_rule = ntp;
    LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(g->C, fn, "entry");
    LLVMBasicBlockRef pro = LLVMAppendBasicBlockInContext(g->C, fn, "prologue");
    LLVMPositionBuilderAtEnd(g->Ba, entry);
    LLVMPositionBuilderAtEnd(g->B, pro);
    g->bad = !vector;
    if (vector) g->why = NULL;
    g->narrow = vector && narrow;
    g->nloops = 0;
    g->L = g->narrow ? g->i32 : g->i64;
    g->open = false;
    g->ncache = 0;
    g->level = -1;
    g->date_ready = false;
    /* the column pointers, once */
    g->colp = xcalloc((size_t)g->cols.n + 1, sizeof *g->colp);
    for (int c = 0; c < g->cols.n; c++) {
        LLVMValueRef ix = c64(g, c);
        g->colp[c] = LLVMBuildLoad2(g->B, g->ptr, LLVMBuildInBoundsGEP2(g->B, g->ptr, g->p_cols, &ix, 1, ""), "");
    }
    g->used = xcalloc((size_t)g->cols.n + 1, sizeof *g->used);
    /* the next chunk's columns are prefetched first (block pf, filled once
     * the chunk's code is generated: then the columns it reads are known) */
    LLVMBasicBlockRef pf = LLVMAppendBasicBlockInContext(g->C, fn, "prefetch"), pf_done = LLVMAppendBasicBlockInContext(g->C, fn, "prefetched");
    LLVMBuildBr(g->B, pf);
    LLVMPositionBuilderAtEnd(g->B, pf_done);
    g->lists = xcalloc((size_t)g->cols.n + 1, sizeof *g->lists);
    /* define ids are global to the compilation: size the memo by the largest */
    int maxid = 0;
    const PtrVec *dvs[2] = {&g->ag->vocab->defines, &g->ag->defines};
    for (int v = 0; v < 2; v++)
        for (size_t k = 0; k < dvs[v]->len; k++) {
            const IrDefine *d = dvs[v]->items[k];
            if (d->id > maxid) maxid = d->id;
        }
    g->memo = xcalloc((size_t)maxid + 1, sizeof *g->memo);
    g->has_memo = xcalloc((size_t)maxid + 1, sizeof *g->has_memo);
    g->nslots = q->nparams;
    g->slots = xcalloc((size_t)q->nparams + 1, sizeof *g->slots);
    g->fb = new_lanes(g, 1);
    g->need_list = xcalloc((size_t)g->cols.n + 1, sizeof *g->need_list);
    for (size_t r = 0; r < q->roots.len; r++) need_lists_rule(g, q->roots.items[r], 0);
    for (size_t k = 0; k < g->ag->personal_scope.len; k++) need_lists(g, ((const IrScopeClause *)g->ag->personal_scope.items[k])->cond, 0);
    g->dtmp = g->cwidth ? alloca_in_entry(g, LLVMArrayType(g->i8, sizeof(acc_decision))) : NULL;
    LLVMBasicBlockRef slowchunk = NULL;
    if (!g->bad) {
        /* the chunk's lists; a chunk not in the block layout: the single-case path */
        LLVMValueRef ok = lists_of_chunk(g);
        LLVMBasicBlockRef fast = LLVMAppendBasicBlockInContext(g->C, fn, "fast");
        slowchunk = LLVMAppendBasicBlockInContext(g->C, fn, "slow_chunk");
        LLVMBuildCondBr(g->B, ok, fast, slowchunk);
        LLVMPositionBuilderAtEnd(g->B, fast);
    }
    Lanes rule = {0}, val = {0};
    if (!g->bad) gen_chunk(g, q, &rule, &val);
    close_map(g);
    LLVMBasicBlockRef step = LLVMAppendBasicBlockInContext(g->C, fn, "step");
    if (g->bad) {
        /* outside the fragment: the function starts over as a plain loop of single-case calls */
        if (vector) {
            LLVMDeleteFunction(fn);
            free(g->used);
            free(g->need_list);
            free(g->colp);
            free(g->lists);
            free(g->memo);
            free(g->has_memo);
            free(g->slots);
            /* narrow lanes first, then 64-bit lanes, then the single-case path */
            return gen_chunk_fn(g, sh, qi, q, narrow, false);
        }
        Loop L;
        LLVMValueRef i = lp_begin(g, &L, g->m);
        LLVMValueRef row = LLVMBuildAdd(g->B, g->base, i, "");
        call_fallback(g, sh, qi, row, out);
        lp_end(g, &L, i);
        LLVMBuildBr(g->B, step);
    } else {
        /* the decisions; then the flagged lanes again, one by one.  Many
         * cases at once: stores that bypass the cache (the output would
         * only evict the columns, and is not read before the end) */
        if (g->cwidth) write_compact(g, rule, val, out); /* narrow arrays: plain stores */
        else {
            LLVMBasicBlockRef big = LLVMAppendBasicBlockInContext(g->C, fn, "out_nt"), small = LLVMAppendBasicBlockInContext(g->C, fn, "out"),
                              written = LLVMAppendBasicBlockInContext(g->C, fn, "written");
            LLVMBuildCondBr(g->B, ntp, big, small);
            LLVMPositionBuilderAtEnd(g->B, big);
            LLVMBasicBlockRef al = LLVMAppendBasicBlockInContext(g->C, fn, "out_nt64"), un = LLVMAppendBasicBlockInContext(g->C, fn, "out_nt8");
            LLVMValueRef a64 = LLVMBuildICmp(g->B, LLVMIntEQ, LLVMBuildAnd(g->B, LLVMBuildPtrToInt(g->B, out, g->i64, ""), c64(g, 63), ""), c64(g, 0), "");
            LLVMBuildCondBr(g->B, a64, al, un);
            LLVMPositionBuilderAtEnd(g->B, al);
            write_decisions(g, q, rule, val, out, true, true);
            LLVMBuildBr(g->B, written);
            LLVMPositionBuilderAtEnd(g->B, un);
            write_decisions(g, q, rule, val, out, true, false);
            LLVMBuildBr(g->B, written);
            LLVMPositionBuilderAtEnd(g->B, small);
            write_decisions(g, q, rule, val, out, false, false);
            LLVMBuildBr(g->B, written);
            LLVMPositionBuilderAtEnd(g->B, written);
        }
        Loop L;
        LLVMValueRef i, row;
        /* any flagged lane at all (a vector reduction): else no scalar pass */
        LLVMValueRef anyp = alloca_in_entry(g, g->i64);
        LLVMBuildStore(g->B, c64(g, 0), anyp);
        i = lp_begin(g, &L, g->m);
        LLVMBuildStore(g->B, LLVMBuildOr(g->B, LLVMBuildLoad2(g->B, g->i64, anyp, ""), to_w(g, get(g, g->fb, 0, i)), ""), anyp);
        lp_end(g, &L, i);
        LLVMBasicBlockRef flagged = LLVMAppendBasicBlockInContext(g->C, fn, "flagged");
        LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntNE, LLVMBuildLoad2(g->B, g->i64, anyp, ""), c64(g, 0), ""), flagged, step);
        LLVMPositionBuilderAtEnd(g->B, flagged);
        i = lp_begin(g, &L, g->m);
        row = LLVMBuildAdd(g->B, g->base, i, "");
        LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(g->C, fn, "slow"), next = LLVMAppendBasicBlockInContext(g->C, fn, "next");
        LLVMBuildCondBr(g->B, i2b(g, get(g, g->fb, 0, i)), slow, next);
        LLVMPositionBuilderAtEnd(g->B, slow);
        call_fallback(g, sh, qi, row, out);
        LLVMBuildBr(g->B, next);
        LLVMPositionBuilderAtEnd(g->B, next);
        lp_end(g, &L, i);
        LLVMBuildBr(g->B, step);
        LLVMPositionBuilderAtEnd(g->B, slowchunk);
        i = lp_begin(g, &L, g->m);
        call_fallback(g, sh, qi, LLVMBuildAdd(g->B, g->base, i, ""), out);
        lp_end(g, &L, i);
        LLVMBuildBr(g->B, step);
    }
    LLVMPositionBuilderAtEnd(g->B, step);
    LLVMBuildRetVoid(g->B);
    LLVMPositionBuilderAtEnd(g->B, pf);
    gen_prefetch(g, LLVMGetParam(fn, 6));
    LLVMBuildBr(g->B, pf_done);
    LLVMPositionBuilderAtEnd(g->Ba, entry);
    LLVMBuildBr(g->Ba, pro);
    free(g->used);
    free(g->need_list);
    free(g->colp);
    free(g->lists);
    free(g->memo);
    free(g->has_memo);
    free(g->slots);
    g->slots = NULL;
    free(g->cache);
    g->cache = NULL;
    g->capcache = 0;
    return fn;
}

/* void accord_<id>__<q>__columns(const void *const *cols, size_t n, const acc_value *args, acc_decision *out),
 * or (g->cwidth set) void accord_<id>__<q>__columns_compact(cols, n, args, void *value, int32_t *rule):
 * the full chunks (m = CH, a constant), then the rest */
static LLVMValueRef gen_question(G *g, const Shared *sh, int qi, const IrQuestion *q, bool vector) {
    LLVMValueRef chunk = gen_chunk_fn(g, sh, qi, q, vector, true);
    LLVMTypeRef cpt[7] = {g->ptr, g->i64, g->i64, g->ptr, g->ptr, g->cwidth ? g->ptr : g->i1, g->i1};
    LLVMTypeRef cty = LLVMFunctionType(g->vd, cpt, 7, 0);
    char name[256];
    snprintf(name, sizeof name, "accord_%s__%s__columns%s", g->ag->id, q->name, g->cwidth ? "_compact" : "");
    LLVMTypeRef pt[5] = {g->ptr, g->i64, g->ptr, g->ptr, g->ptr};
    LLVMValueRef fn = LLVMAddFunction(g->M, name, LLVMFunctionType(g->vd, pt, g->cwidth ? 5 : 4, 0));
    LLVMValueRef cols = LLVMGetParam(fn, 0), n = LLVMGetParam(fn, 1), args = LLVMGetParam(fn, 2), out = LLVMGetParam(fn, 3);
    LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(g->C, fn, "entry"), head = LLVMAppendBasicBlockInContext(g->C, fn, "chunk"),
                      body = LLVMAppendBasicBlockInContext(g->C, fn, "chunk_body"), tail = LLVMAppendBasicBlockInContext(g->C, fn, "tail"),
                      last = LLVMAppendBasicBlockInContext(g->C, fn, "last"), done = LLVMAppendBasicBlockInContext(g->C, fn, "done");
    LLVMPositionBuilderAtEnd(g->B, entry);
    LLVMValueRef nt = g->cwidth ? LLVMGetParam(fn, 4) : LLVMBuildICmp(g->B, LLVMIntUGE, n, c64(g, NT_MIN), ""); /* compact: the rule array */
    LLVMValueRef full = LLVMBuildAnd(g->B, n, c64(g, ~(long long)(CH - 1)), "");
    LLVMBuildBr(g->B, head);
    LLVMPositionBuilderAtEnd(g->B, head);
    LLVMValueRef base = LLVMBuildPhi(g->B, g->i64, "base");
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntULT, base, full, ""), body, tail);
    LLVMPositionBuilderAtEnd(g->B, body);
    LLVMValueRef more = LLVMBuildICmp(g->B, LLVMIntULT, LLVMBuildAdd(g->B, base, c64(g, 2 * CH), ""), n, "");
    LLVMValueRef a[7] = {cols, base, c64(g, CH), args, out, nt, more};
    LLVMBuildCall2(g->B, cty, chunk, a, 7, "");
    LLVMValueRef nb = LLVMBuildAdd(g->B, base, c64(g, CH), "");
    LLVMBuildBr(g->B, head);
    LLVMValueRef inv[2] = {c64(g, 0), nb};
    LLVMBasicBlockRef inb[2] = {entry, body};
    LLVMAddIncoming(base, inv, inb, 2);
    LLVMPositionBuilderAtEnd(g->B, tail);
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntULT, full, n, ""), last, done);
    LLVMPositionBuilderAtEnd(g->B, last);
    LLVMValueRef b[7] = {cols, full, LLVMBuildSub(g->B, n, full, ""), args, out, nt, LLVMConstInt(g->i1, 0, 0)};
    LLVMBuildCall2(g->B, cty, chunk, b, 7, "");
    LLVMBuildBr(g->B, done);
    LLVMPositionBuilderAtEnd(g->B, done);
    LLVMBuildRetVoid(g->B);
    return fn;
}

/* bytes of a compact value (accord.h): 1 for bool, country, enum; 8 for int,
 * days, months, date; 0: no compact entry point */
static int compact_width(const IrQuestion *q) {
    switch (q->type->kind) {
    case TY_BOOL: case TY_COUNTRY: case TY_ENUM: return 1;
    case TY_INT: case TY_DAYS: case TY_MONTHS: case TY_DATE: return 8;
    default: return 0;
    }
}

/* the answer types of the array code are those with a compact value */
static bool answer_in_fragment(const IrQuestion *q) { return compact_width(q) != 0; }

void cgb_generate(LLVMModuleRef M, const IrAgreement *ag, const Layout *lay, LLVMValueRef module_desc, bool shared_alias) {
    G g0, *g = &g0;
    memset(g, 0, sizeof *g);
    g->M = M;
    g->C = LLVMGetModuleContext(M);
    g->B = LLVMCreateBuilderInContext(g->C);
    g->Ba = LLVMCreateBuilderInContext(g->C);
    g->ag = ag;
    g->lay = lay;
    g->i1 = LLVMInt1TypeInContext(g->C);
    g->i8 = LLVMInt8TypeInContext(g->C);
    g->i16 = LLVMInt16TypeInContext(g->C);
    g->i32 = LLVMInt32TypeInContext(g->C);
    g->i64 = LLVMInt64TypeInContext(g->C);
    g->ptr = LLVMPointerTypeInContext(g->C, 0);
    g->vd = LLVMVoidTypeInContext(g->C);
    walk_rec(&g->cols, lay, ag->vocab->case_rec, -1, "", "", 0);
    /* the descriptor's types (runtime/accord.h) */
    LLVMTypeRef cdt[8] = {g->ptr, g->i32, g->i32, g->i32, g->i32, g->i32, g->i32, g->i32};
    LLVMTypeRef coldesc = LLVMStructTypeInContext(g->C, cdt, 8, 0);
    LLVMTypeRef czt[8] = {g->ptr, g->i32, g->ptr, g->ptr, g->ptr, g->i32, g->ptr, g->ptr};
    LLVMTypeRef cz = LLVMStructTypeInContext(g->C, czt, 8, 0);
    char name[256];
    snprintf(name, sizeof name, "accord_columnar_%s", ag->id);
    Shared sh;
    sh.columnar = LLVMAddGlobal(M, cz, name);
    LLVMSetGlobalConstant(sh.columnar, 1);
    LLVMTypeRef fpt[6] = {g->ptr, g->i32, g->ptr, g->i64, g->ptr, g->ptr};
    sh.fallback_ty = LLVMFunctionType(g->vd, fpt, 6, 0);
    sh.fallback = LLVMGetNamedFunction(M, "acc_columns_fallback");
    if (!sh.fallback) sh.fallback = LLVMAddFunction(M, "acc_columns_fallback", sh.fallback_ty);
    size_t nq = ag->questions.len;
    LLVMValueRef *fns = xcalloc(nq + 1, sizeof *fns), *vec = xcalloc(nq + 1, sizeof *vec);
    LLVMValueRef *cfns = xcalloc(nq + 1, sizeof *cfns), *cw = xcalloc(nq + 1, sizeof *cw);
    for (size_t k = 0; k < nq; k++) {
        const IrQuestion *q = ag->questions.items[k];
        /* the compact entry point first, then the other (whose state the debug line reports) */
        g->cwidth = compact_width(q);
        g->compact_bool = q->type->kind == TY_BOOL;
        cfns[k] = g->cwidth ? gen_question(g, &sh, (int)k, q, true) : LLVMConstNull(g->ptr);
        cw[k] = LLVMConstInt(g->i8, (unsigned long long)g->cwidth, 0);
        g->cwidth = 0;
        fns[k] = gen_question(g, &sh, (int)k, q, answer_in_fragment(q));
        if (!answer_in_fragment(q)) g->why = "answer type";
        vec[k] = LLVMConstInt(g->i8, g->bad ? 0 : g->narrow ? 2 : 1, 0);
        /* ACCORD_BATCH_DEBUG: which questions are array code, and why not */
        if (getenv("ACCORD_BATCH_DEBUG"))
            fprintf(stderr, "%s.%s: %s (%d loops)\n", ag->id, q->name,
                    g->bad ? g->why : g->narrow ? "array code, 32-bit lanes" : "array code, 64-bit lanes", g->nloops);
        g->nloops = 0;
    }
    LLVMValueRef *cd = xcalloc((size_t)g->cols.n + 1, sizeof *cd);
    for (int c = 0; c < g->cols.n; c++) {
        const BCol *b = &g->cols.v[c];
        LLVMValueRef f[8] = {cg_const_string(g->M, b->path), LLVMConstInt(g->i32, (unsigned long long)b->kind, 0),
                             LLVMConstInt(g->i32, (unsigned long long)(long long)b->list, 1), LLVMConstInt(g->i32, b->size, 0),
                             LLVMConstInt(g->i32, b->offset, 0), LLVMConstInt(g->i32, b->elem_size, 0), LLVMConstInt(g->i32, b->end, 0),
                             LLVMConstInt(g->i32, (unsigned long long)b->encoding, 0)};
        cd[c] = LLVMConstStructInContext(g->C, f, 8, 0);
    }
    LLVMValueRef init[8] = {module_desc, LLVMConstInt(g->i32, (unsigned long long)g->cols.n, 0),
                            cg_const_array(g->M, coldesc, cd, (unsigned)g->cols.n, "columns"), cg_const_array(g->M, g->ptr, fns, (unsigned)nq, "column_entries"),
                            cg_const_array(g->M, g->i8, vec, (unsigned)nq, "vectorised"), LLVMConstInt(g->i32, CH, 0),
                            cg_const_array(g->M, g->ptr, cfns, (unsigned)nq, "compact_entries"), cg_const_array(g->M, g->i8, cw, (unsigned)nq, "compact_width")};
    LLVMSetInitializer(sh.columnar, LLVMConstStructInContext(g->C, init, 8, 0));
    if (shared_alias) LLVMAddAlias2(M, cz, 0, sh.columnar, "accord_columnar");
    free(cd);
    free(fns);
    free(vec);
    free(cfns);
    free(cw);
    free(g->cols.v);
    LLVMDisposeBuilder(g->B);
    LLVMDisposeBuilder(g->Ba);
}
