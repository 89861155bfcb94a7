/* box.c - exact set operations on boxes; see box.h.
 *
 * a \ b is cut dimension by dimension (the usual splitting): for dimension
 * i, the part of a that agrees with b on dimensions < i and lies outside b
 * on dimension i.  The pieces are disjoint by construction, so a BoxSet is
 * always a partition of its points and never needs deduplication.
 */
#include "box.h"
#include <stdlib.h>
#include <string.h>

void box_space_init(BoxSpace *s, Arena *A) {
    memset(s, 0, sizeof *s);
    s->A = A;
    s->home = A;
}

BoxMark box_space_borrow(BoxSpace *s, Arena *tmp) {
    BoxMark m = {s->A, s->scratch, s->meet_box, s->stk, s->stk_top, s->stk_cap};
    s->A = tmp;
    return m;
}

void box_space_return(BoxSpace *s, BoxMark m) {
    /* the working boxes and stack chunk made meanwhile are in tmp: back to the old ones */
    s->A = m.A;
    s->scratch = m.scratch;
    s->meet_box = m.meet_box;
    s->stk = m.stk;
    s->stk_top = m.stk_top;
    s->stk_cap = m.stk_cap;
}

int box_dim_add(BoxSpace *s, DimKind k, int card) {
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 32;
        DimKind *nk = arena_alloc(s->home, sizeof *nk * (size_t)cap);
        int *nc = arena_alloc(s->home, sizeof *nc * (size_t)cap);
        BoxDim *nf = arena_alloc(s->home, sizeof *nf * (size_t)cap);
        if (s->n) {
            memcpy(nk, s->kind, sizeof *nk * (size_t)s->n);
            memcpy(nc, s->card, sizeof *nc * (size_t)s->n);
            memcpy(nf, s->full, sizeof *nf * (size_t)s->n);
        }
        s->kind = nk;
        s->card = nc;
        s->full = nf;
        s->cap = cap;
    }
    s->kind[s->n] = k;
    s->card[s->n] = card > 256 ? 256 : card;
    BoxDim *f = &s->full[s->n];
    memset(f, 0, sizeof *f);
    if (k == DIM_INT) {
        f->lo = INT64_MIN;
        f->hi = INT64_MAX;
    } else {
        for (int o = 0; o < s->card[s->n]; o++) f->bits[o >> 6] |= (uint64_t)1 << (o & 63);
    }
    return s->n++;
}

BoxDim dim_full(const BoxSpace *s, int i) { return s->full[i]; }

bool dim_is_full(const BoxSpace *s, int i, const BoxDim *d) {
    BoxDim f = dim_full(s, i);
    if (s->kind[i] == DIM_INT) return d->lo == f.lo && d->hi == f.hi;
    return memcmp(d->bits, f.bits, sizeof f.bits) == 0;
}

bool dim_is_empty(const BoxSpace *s, int i, const BoxDim *d) {
    if (s->kind[i] == DIM_INT) return d->lo > d->hi;
    return !(d->bits[0] | d->bits[1] | d->bits[2] | d->bits[3]);
}

static Box *box_alloc(const BoxSpace *s) {
    BoxSpace *m = (BoxSpace *)s; /* the counters are bookkeeping, not the space's meaning */
    m->allocated += s->n > 0 ? s->n : 1;
    if (m->allocated > m->budget && m->budget > 0) m->over = true;
    /* not zeroed: every caller writes each of the n dimensions before the box is read */
    Box *b = arena_alloc_raw(s->A, sizeof *b + sizeof(BoxDim) * (size_t)s->n);
    b->n = s->n;
    return b;
}

BoxDim box_get(const BoxSpace *s, const Box *b, int i) { return i < b->n ? b->d[i] : dim_full(s, i); }
/* The same without a copy (the hot loops of the covering test). */
static inline const BoxDim *dim_of(const BoxSpace *s, const Box *b, int i) { return i < b->n ? &b->d[i] : &s->full[i]; }

Box *box_full(const BoxSpace *s) {
    Box *b = box_alloc(s);
    for (int i = 0; i < s->n; i++) b->d[i] = dim_full(s, i);
    return b;
}

Box *box_copy(const BoxSpace *s, const Box *a) {
    Box *b = box_alloc(s);
    for (int i = 0; i < s->n; i++) b->d[i] = box_get(s, a, i);
    return b;
}

static BoxDim dim_meet(const BoxSpace *s, int i, const BoxDim *a, const BoxDim *b) {
    BoxDim r;
    memset(&r, 0, sizeof r);
    if (s->kind[i] == DIM_INT) {
        r.lo = a->lo > b->lo ? a->lo : b->lo;
        r.hi = a->hi < b->hi ? a->hi : b->hi;
    } else {
        for (int w = 0; w < 4; w++) r.bits[w] = a->bits[w] & b->bits[w];
    }
    return r;
}

Box *box_with(const BoxSpace *s, const Box *b, int i, const BoxDim *v) {
    if (dim_is_empty(s, i, v)) return NULL;
    Box *r = box_copy(s, b);
    r->d[i] = *v;
    return r;
}

/* Whether a and b share a point (counted as a meet), without memory. */
static bool box_meets(const BoxSpace *s, const Box *a, const Box *b) {
    BoxSpace *ms = (BoxSpace *)s; /* bookkeeping only */
    if (++ms->meets > ms->meet_budget && ms->meet_budget > 0) ms->over = true;
    int n = a->n < b->n ? a->n : b->n;
    /* the last dimensions first: the atoms and terms, added last, part boxes most often */
    for (int i = n - 1; i >= 0; i--) {
        const BoxDim *x = &a->d[i], *y = &b->d[i];
        if (s->kind[i] == DIM_INT) {
            if ((x->lo > y->lo ? x->lo : y->lo) > (x->hi < y->hi ? x->hi : y->hi)) return false;
        } else if (!(x->bits[0] & y->bits[0]) && /* most meet in the first word already */
                   !((x->bits[1] & y->bits[1]) | (x->bits[2] & y->bits[2]) | (x->bits[3] & y->bits[3]))) {
            return false;
        }
    }
    return true;
}

bool box_overlaps(const BoxSpace *s, const Box *a, const Box *b) {
    int n = a->n < b->n ? a->n : b->n;
    for (int i = 0; i < n; i++) {
        BoxDim m = dim_meet(s, i, &a->d[i], &b->d[i]);
        if (dim_is_empty(s, i, &m)) return false;
    }
    return true;
}

static void hull_add(const BoxSpace *s, Box *h, const Box *b) {
    for (int d = 0; d < s->n; d++) {
        BoxDim x = box_get(s, b, d);
        if (s->kind[d] == DIM_INT) {
            if (x.lo < h->d[d].lo) h->d[d].lo = x.lo;
            if (x.hi > h->d[d].hi) h->d[d].hi = x.hi;
        } else {
            for (int w = 0; w < 4; w++) h->d[d].bits[w] |= x.bits[w];
        }
    }
}

Box *boxset_hull(const BoxSpace *s, const BoxSet *a) {
    if (!a->n) return NULL;
    Box *h = box_copy(s, a->b[0]);
    for (int i = 1; i < a->n; i++) hull_add(s, h, a->b[i]);
    return h;
}

Box *box_meet(const BoxSpace *s, const Box *a, const Box *b) {
    /* test first: most meets in a refinement are empty, and need no memory */
    if (!box_meets(s, a, b)) return NULL;
    Box *r = box_alloc(s);
    for (int i = 0; i < s->n; i++) {
        BoxDim x = box_get(s, a, i), y = box_get(s, b, i);
        r->d[i] = dim_meet(s, i, &x, &y);
        if (dim_is_empty(s, i, &r->d[i])) return NULL;
    }
    return r;
}

bool box_contains(const BoxSpace *s, const Box *outer, const Box *inner) {
    /* past outer's own dimensions it is full: it contains anything there;
       the last dimensions first (as box_meets) */
    for (int i = outer->n - 1; i >= 0; i--) {
        const BoxDim *o = &outer->d[i], *n = dim_of(s, inner, i);
        if (s->kind[i] == DIM_INT) {
            if (n->lo < o->lo || n->hi > o->hi) return false;
        } else if ((n->bits[0] & ~o->bits[0]) | (n->bits[1] & ~o->bits[1]) | (n->bits[2] & ~o->bits[2]) |
                   (n->bits[3] & ~o->bits[3])) {
            return false;
        }
    }
    return true;
}

bool box_has_point(const BoxSpace *s, const Box *b, const int64_t *pt) {
    for (int i = 0; i < s->n; i++) {
        BoxDim d = box_get(s, b, i);
        if (s->kind[i] == DIM_INT) {
            if (pt[i] < d.lo || pt[i] > d.hi) return false;
        } else if (pt[i] < 0 || pt[i] > 255 || !((d.bits[pt[i] >> 6] >> (pt[i] & 63)) & 1)) {
            return false;
        }
    }
    return true;
}

void boxset_add(const BoxSpace *s, BoxSet *set, Box *b) {
    (void)s;
    if (!b) return;
    if (set->n == set->cap) {
        int cap = set->cap ? set->cap * 2 : 4;
        Box **nb = arena_alloc_raw(s->A, sizeof *nb * (size_t)cap); /* read below n only */
        if (set->n) memcpy(nb, set->b, sizeof *nb * (size_t)set->n);
        set->b = nb;
        set->cap = cap;
    }
    set->b[set->n++] = b;
}

BoxSet boxset_one(const BoxSpace *s, Box *b) {
    BoxSet r = {0};
    boxset_add(s, &r, b);
    return r;
}

void box_sub(const BoxSpace *s, const Box *a, const Box *b, BoxSet *out) {
    if (!box_meets(s, a, b)) {
        boxset_add(s, out, (Box *)a); /* boxes are never changed once made: share it */
        return;
    }
    Box *rest = box_copy(s, a); /* a restricted to b on the dimensions done so far */
    for (int i = 0; i < s->n; i++) {
        BoxDim x = box_get(s, rest, i), y = box_get(s, b, i);
        if (s->kind[i] == DIM_INT) {
            if (x.lo < y.lo) {
                BoxDim p = x;
                p.hi = y.lo - 1;
                boxset_add(s, out, box_with(s, rest, i, &p));
            }
            if (x.hi > y.hi) {
                BoxDim p = x;
                p.lo = y.hi + 1;
                boxset_add(s, out, box_with(s, rest, i, &p));
            }
        } else {
            BoxDim p = x;
            for (int w = 0; w < 4; w++) p.bits[w] = x.bits[w] & ~y.bits[w];
            if (!dim_is_empty(s, i, &p)) boxset_add(s, out, box_with(s, rest, i, &p));
        }
        BoxDim in = dim_meet(s, i, &x, &y);
        rest->d[i] = in;
    }
}

BoxSet boxset_sub(const BoxSpace *s, const BoxSet *a, const BoxSet *b) {
    BoxSet cur = {0};
    for (int i = 0; i < a->n; i++) boxset_add(s, &cur, a->b[i]);
    for (int j = 0; j < b->n && cur.n && !s->over; j++) {
        BoxSet next = {0};
        for (int i = 0; i < cur.n; i++) box_sub(s, cur.b[i], b->b[j], &next);
        cur = next;
    }
    return cur;
}

BoxSet boxset_meet(const BoxSpace *s, const BoxSet *a, const BoxSet *b) {
    BoxSet r = {0};
    for (int i = 0; i < a->n && !s->over; i++)
        for (int j = 0; j < b->n; j++) boxset_add(s, &r, box_meet(s, a->b[i], b->b[j]));
    return r;
}

BoxSet boxset_meet_box(const BoxSpace *s, const BoxSet *a, const Box *b) {
    BoxSet r = {0};
    for (int i = 0; i < a->n; i++) boxset_add(s, &r, box_meet(s, a->b[i], b));
    return r;
}

BoxSet boxset_union(const BoxSpace *s, const BoxSet *a, const BoxSet *b) {
    BoxSet r = boxset_sub(s, b, a);
    for (int i = 0; i < a->n; i++) boxset_add(s, &r, a->b[i]);
    return r;
}

BoxSet boxset_complement(const BoxSpace *s, const BoxSet *a) {
    BoxSet full = boxset_one(s, box_full(s));
    return boxset_sub(s, &full, a);
}

/* Coalescing (boxset_merge): for each dimension k in turn, the boxes that
 * agree on every other dimension are found by hashing those dimensions and
 * sorting (not by comparing every pair); each such group is merged on k:
 * a set dimension is their union (the boxes are disjoint, so the union of
 * the bitsets is exactly the union of the boxes), an integer dimension the
 * runs of adjacent intervals.  Repeated until a round merges nothing.  Only
 * boxes are joined, never cut, so the points and the disjointness are kept. */

static uint64_t dim_hash(const BoxSpace *s, int i, const BoxDim *d) {
    uint64_t h;
    if (s->kind[i] == DIM_INT) h = (uint64_t)d->lo * 0x9E3779B97F4A7C15u ^ (uint64_t)d->hi * 0xC2B2AE3D27D4EB4Fu;
    else h = d->bits[0] * 0x9E3779B97F4A7C15u ^ d->bits[1] * 0xC2B2AE3D27D4EB4Fu ^ d->bits[2] * 0x165667B19E3779F9u ^
             d->bits[3] * 0x27D4EB2F165667C5u;
    return h ^ (h >> 29);
}

static bool dim_same(const BoxSpace *s, int i, const BoxDim *x, const BoxDim *y) {
    if (s->kind[i] == DIM_INT) return x->lo == y->lo && x->hi == y->hi;
    return x->bits[0] == y->bits[0] && x->bits[1] == y->bits[1] && x->bits[2] == y->bits[2] && x->bits[3] == y->bits[3];
}

typedef struct MergeKey {
    uint64_t h;   /* hash of every dimension but k */
    int64_t lo;   /* dimension k's lower bound (integer dimensions: runs in order) */
    int idx;
} MergeKey;

static int mergekey_cmp(const void *pa, const void *pb) {
    const MergeKey *a = pa, *b = pb;
    if (a->h != b->h) return a->h < b->h ? -1 : 1;
    if (a->lo != b->lo) return a->lo < b->lo ? -1 : 1;
    return a->idx - b->idx;
}

static bool same_but(const BoxSpace *s, const Box *a, const Box *b, int k) {
    for (int i = 0; i < s->n; i++) {
        if (i == k) continue;
        BoxDim x = box_get(s, a, i), y = box_get(s, b, i);
        if (!dim_same(s, i, &x, &y)) return false;
    }
    return true;
}

/* Whether two of the n hashes are equal (an open-addressing table): most
 * rounds find none and need no sort.  The working memory of coalescing is
 * the heap's, freed at once (it would otherwise stay in the arena until
 * the end of the question, and a diff coalesces thousands of regions). */
static bool any_equal(const uint64_t *h, int n) {
    size_t cap = 16;
    while (cap < (size_t)n * 2) cap *= 2;
    uint64_t *t = xmalloc(sizeof *t * cap);
    bool *used = xcalloc(cap, sizeof *used);
    bool found = false;
    for (int j = 0; j < n && !found; j++) {
        size_t i = (size_t)(h[j] ^ (h[j] >> 31)) & (cap - 1);
        for (; used[i] && !found; i = (i + 1) & (cap - 1)) found = t[i] == h[j];
        used[i] = true;
        t[i] = h[j];
    }
    free(t);
    free(used);
    return found;
}

/* One round on dimension k; returns whether anything merged.  tot[j] is the
 * combination of box j's dimension hashes dh (a sum: one term taken out
 * gives the hash of the other dimensions). */
static bool merge_on(const BoxSpace *s, BoxSet *a, int k, const uint64_t *dh, const uint64_t *tot, MergeKey *keys,
                     uint64_t *hk) {
    int n = a->n;
    for (int j = 0; j < n; j++) hk[j] = tot[j] - dh[(size_t)j * (size_t)s->n + (size_t)k];
    if (!any_equal(hk, n)) return false;
    for (int j = 0; j < n; j++) {
        BoxDim x = box_get(s, a->b[j], k);
        keys[j] = (MergeKey){hk[j], s->kind[k] == DIM_INT ? x.lo : 0, j};
    }
    qsort(keys, (size_t)n, sizeof *keys, mergekey_cmp);
    bool any = false;
    Box **out = xmalloc(sizeof *out * (size_t)(n ? n : 1));
    int *first = xmalloc(sizeof *first * (size_t)(n ? n : 1)); /* per merged box: its first original index */
    bool *used = xcalloc((size_t)(n ? n : 1), sizeof *used);  /* by position in keys */
    int m = 0;
    for (int g = 0; g < n;) {
        /* a run of boxes with one hash: merge each box into the current one while possible */
        int e = g;
        while (e < n && keys[e].h == keys[g].h) e++;
        for (int x = g; x < e; x++) {
            if (used[x]) continue;
            const Box *base = a->b[keys[x].idx];
            int lowest = keys[x].idx;
            Box *cur = NULL;
            BoxDim acc = box_get(s, base, k);
            for (int y = x + 1; y < e; y++) {
                if (used[y]) continue;
                const Box *o = a->b[keys[y].idx];
                BoxDim d = box_get(s, o, k);
                if (s->kind[k] == DIM_INT) {
                    /* sorted by lo: adjacent when it starts right after the current end */
                    if (acc.hi == INT64_MAX || acc.hi + 1 != d.lo) continue;
                }
                if (!same_but(s, base, o, k)) continue;
                if (s->kind[k] == DIM_INT) acc.hi = d.hi;
                else
                    for (int w = 0; w < 4; w++) acc.bits[w] |= d.bits[w];
                used[y] = true;
                if (keys[y].idx < lowest) lowest = keys[y].idx;
                cur = cur ? cur : box_copy(s, base);
                any = true;
            }
            if (cur) cur->d[k] = acc;
            first[m] = lowest;
            out[m++] = cur ? cur : (Box *)base;
        }
        g = e;
    }
    if (any) {
        /* the merged set in the order of the boxes' first appearance (the
           witness search tries boxes in order: keep it independent of hashes) */
        for (int j = 0; j < m; j++) keys[j] = (MergeKey){0, first[j], j};
        qsort(keys, (size_t)m, sizeof *keys, mergekey_cmp);
        Box **sorted = arena_alloc_raw(s->A, sizeof *sorted * (size_t)m); /* all m written */
        for (int j = 0; j < m; j++) sorted[j] = out[keys[j].idx];
        a->b = sorted;
        a->n = m;
        a->cap = m;
    } /* else the order is kept: the caller's hashes stay valid */
    free(out);
    free(first);
    free(used);
    return any;
}

void boxset_merge(const BoxSpace *s, BoxSet *a) {
    if (a->n < 2 || s->n == 0) return;
    bool again = true;
    while (again && a->n > 1) {
        again = false;
        size_t n = (size_t)a->n;
        uint64_t *dh = xmalloc(sizeof *dh * n * (size_t)s->n);
        uint64_t *tot = xcalloc(n, sizeof *tot), *hk = xmalloc(sizeof *hk * n);
        MergeKey *keys = xmalloc(sizeof *keys * n);
        for (size_t j = 0; j < n; j++)
            for (int i = 0; i < s->n; i++) {
                BoxDim d = box_get(s, a->b[j], i);
                /* mixed with the dimension's index: equal values in two dimensions do not cancel */
                uint64_t h = dim_hash(s, i, &d) ^ ((uint64_t)(i + 1) * 0xD6E8FEB86659FD93u);
                h *= 0x9E3779B97F4A7C15u;
                dh[j * (size_t)s->n + (size_t)i] = h ^ (h >> 32);
                tot[j] += dh[j * (size_t)s->n + (size_t)i];
            }
        for (int k = 0; k < s->n && a->n > 1; k++) {
            if (k > 0 && a->n != (int)n) {
                /* boxes changed: rehash */
                again = true;
                break;
            }
            again |= merge_on(s, a, k, dh, tot, keys, hk);
        }
        free(dh);
        free(tot);
        free(hk);
        free(keys);
    }
}

/* ---- regions as differences ---------------------------------------------------------- */


/* Covering tests, as a SAT solver splits: keep the boxes of neg that meet
 * x; none: x is uncovered; one that contains x: covered; else x is split
 * in two on the dimension that the most of them constrain inside x, at the
 * bound of one of them, and both halves are tested.  x has every dimension
 * of the space and is cut in place (and restored). */
/* Room for n box pointers on the space's stack.  The caller pops by
 * restoring stk, stk_top and stk_cap as they were (stack_mark). */
static const Box **stack_push(const BoxSpace *s, int n) {
    BoxSpace *ms = (BoxSpace *)s; /* bookkeeping only */
    if (ms->stk_top + n > ms->stk_cap) {
        /* a fresh chunk: the frames below keep theirs */
        ms->stk_cap = 2 * (n > ms->stk_cap ? n : ms->stk_cap) + 64;
        /* not zeroed: a frame reads only the entries it wrote (split's live[0..m)) */
        ms->stk = arena_alloc_raw(s->A, sizeof *ms->stk * (size_t)ms->stk_cap);
        ms->stk_top = 0;
    }
    const Box **p = ms->stk + ms->stk_top;
    ms->stk_top += n;
    return p;
}

typedef struct StackMark {
    const Box **stk;
    int top, cap;
} StackMark;
static StackMark stack_mark(const BoxSpace *s) { return (StackMark){s->stk, s->stk_top, s->stk_cap}; }
static void stack_pop(const BoxSpace *s, StackMark m) {
    BoxSpace *ms = (BoxSpace *)s;
    ms->stk = m.stk;
    ms->stk_top = m.top;
    ms->stk_cap = m.cap;
}

typedef struct Split {
    const Box **live; /* the boxes meeting x */
    int m;
    bool inside;      /* x lies inside one of them */
    int dim;
    BoxDim in, out;   /* the two halves on dim */
} Split;

/* Whether b meets x, knowing that it meets a box x was cut from on
 * dimension cut alone: only that dimension can have parted them (counted as
 * a meet, as box_meets: the budget is the same whichever test runs). */
static bool box_meets_on(const BoxSpace *s, const Box *x, const Box *b, int cut) {
    BoxSpace *ms = (BoxSpace *)s; /* bookkeeping only */
    if (++ms->meets > ms->meet_budget && ms->meet_budget > 0) ms->over = true;
    if (cut >= b->n || cut >= x->n) return true; /* full there */
    const BoxDim *p = &x->d[cut], *q = &b->d[cut];
    if (s->kind[cut] == DIM_INT) return (p->lo > q->lo ? p->lo : q->lo) <= (p->hi < q->hi ? p->hi : q->hi);
    return ((p->bits[0] & q->bits[0]) | (p->bits[1] & q->bits[1]) | (p->bits[2] & q->bits[2]) | (p->bits[3] & q->bits[3])) != 0;
}

/* cut: the dimension on which x was cut from the box every one of neg
 * meets (the covering test's recursion), or -1 when not known */
static Split split(const BoxSpace *s, const Box *x, const Box *const *neg, int n, int cut) {
    Split sp;
    memset(&sp, 0, sizeof sp);
    sp.live = stack_push(s, n); /* the boxes meeting x (popped by the caller) */
    for (int j = 0; j < n; j++) {
        if (!(cut < 0 ? box_meets(s, x, neg[j]) : box_meets_on(s, x, neg[j], cut))) continue;
        if (box_contains(s, neg[j], x)) {
            sp.inside = true;
            return sp;
        }
        sp.live[sp.m++] = neg[j];
    }
    if (!sp.m) return sp;
    /* the dimension most of them cut inside x (one at least: they meet x and do not contain it) */
    int bestc = 0;
    for (int i = 0; i < s->n; i++) {
        const BoxDim *xd = dim_of(s, x, i);
        int c = 0;
        /* the hot loop of the covering test: the kind tested once per
           dimension, not per box; a dimension where x is one value is cut by
           none of them (each meets x); a set dimension whose ordinals are all
           below 64 is one word */
        if (s->kind[i] == DIM_INT) {
            if (xd->lo == xd->hi) continue;
            for (int j = 0; j < sp.m; j++) {
                if (i >= sp.live[j]->n) continue; /* full there: cuts nothing */
                const BoxDim *nd = &sp.live[j]->d[i];
                c += nd->lo > xd->lo || nd->hi < xd->hi;
            }
        } else if (!(xd->bits[1] | xd->bits[2] | xd->bits[3])) {
            uint64_t x0 = xd->bits[0];
            if (!(x0 & (x0 - 1))) continue;
            for (int j = 0; j < sp.m; j++)
                if (i < sp.live[j]->n) c += (x0 & ~sp.live[j]->d[i].bits[0]) != 0;
        } else {
            for (int j = 0; j < sp.m; j++) {
                if (i >= sp.live[j]->n) continue;
                const BoxDim *nd = &sp.live[j]->d[i];
                c += ((xd->bits[0] & ~nd->bits[0]) | (xd->bits[1] & ~nd->bits[1]) | (xd->bits[2] & ~nd->bits[2]) |
                      (xd->bits[3] & ~nd->bits[3])) != 0;
            }
        }
        if (c > bestc) {
            bestc = c;
            sp.dim = i;
        }
    }
    BoxDim xd = box_get(s, x, sp.dim);
    sp.in = sp.out = xd;
    for (int j = 0; j < sp.m; j++) {
        BoxDim nd = box_get(s, sp.live[j], sp.dim);
        if (s->kind[sp.dim] == DIM_INT) {
            if (nd.lo > xd.lo) {
                sp.in.hi = nd.lo - 1;
                sp.out.lo = nd.lo;
                break;
            }
            if (nd.hi < xd.hi) {
                sp.in.hi = nd.hi;
                sp.out.lo = nd.hi + 1;
                break;
            }
        } else if ((xd.bits[0] & ~nd.bits[0]) | (xd.bits[1] & ~nd.bits[1]) | (xd.bits[2] & ~nd.bits[2]) |
                   (xd.bits[3] & ~nd.bits[3])) {
            for (int w = 0; w < 4; w++) {
                sp.in.bits[w] = xd.bits[w] & nd.bits[w];
                sp.out.bits[w] = xd.bits[w] & ~nd.bits[w];
            }
            break;
        }
    }
    return sp;
}

/* A corner of x (each dimension at its first ordinal or lower bound, or,
 * with last, its last ordinal or upper bound) that no box of neg holds:
 * most cells hold one, found without splitting. */
static bool corner_uncovered(const BoxSpace *s, const Box *x, const Box *const *neg, int n, bool last) {
    for (int j = 0; j < n; j++) {
        bool holds = true;
        for (int i = 0; i < neg[j]->n && holds; i++) {
            const BoxDim *xd = dim_of(s, x, i), *nd = &neg[j]->d[i];
            if (s->kind[i] == DIM_INT) {
                int64_t v = last ? xd->hi : xd->lo;
                holds = v >= nd->lo && v <= nd->hi;
            } else {
                int o = -1;
                if (last) {
                    for (int w = 3; w >= 0 && o < 0; w--)
                        if (xd->bits[w]) o = w * 64 + 63 - __builtin_clzll(xd->bits[w]);
                } else {
                    for (int w = 0; w < 4 && o < 0; w++)
                        if (xd->bits[w]) o = w * 64 + __builtin_ctzll(xd->bits[w]);
                }
                holds = o >= 0 && ((nd->bits[o >> 6] >> (o & 63)) & 1);
            }
        }
        if (holds) return false;
    }
    return true;
}

static bool covered_split(const BoxSpace *s, Box *x, const Split *sp);
static void uncovered_split(const BoxSpace *s, Box *x, const Split *sp, BoxSet *out, int max);

/* Whether neg covers x.  Stops (answering "covered", which the caller must
 * not use) once the space is over its budget. */
static bool covered(const BoxSpace *s, Box *x, const Box *const *neg, int n, int cut) {
    if (s->over) return true;
    StackMark mark = stack_mark(s);
    Split sp = split(s, x, neg, n, cut);
    bool r = covered_split(s, x, &sp);
    stack_pop(s, mark);
    return r;
}

static bool covered_split(const BoxSpace *s, Box *x, const Split *spp) {
    Split sp = *spp;
    if (sp.inside) return true;
    if (!sp.m) return false;
    BoxDim save = x->d[sp.dim];
    bool r = true;
    if (!dim_is_empty(s, sp.dim, &sp.in)) {
        x->d[sp.dim] = sp.in;
        r = covered(s, x, sp.live, sp.m, sp.dim);
    }
    if (r && !dim_is_empty(s, sp.dim, &sp.out)) {
        x->d[sp.dim] = sp.out;
        r = covered(s, x, sp.live, sp.m, sp.dim);
    }
    x->d[sp.dim] = save;
    return r;
}

/* The part of x that neg does not cover, as disjoint boxes appended to out
 * (stops past max boxes when max > 0). */
static void uncovered(const BoxSpace *s, Box *x, const Box *const *neg, int n, BoxSet *out, int max, int cut) {
    if (s->over || (max > 0 && out->n > max)) return;
    StackMark mark = stack_mark(s);
    Split sp = split(s, x, neg, n, cut);
    uncovered_split(s, x, &sp, out, max);
    stack_pop(s, mark);
}

static void uncovered_split(const BoxSpace *s, Box *x, const Split *spp, BoxSet *out, int max) {
    Split sp = *spp;
    if (sp.inside) return;
    if (!sp.m) {
        boxset_add(s, out, box_copy(s, x));
        return;
    }
    BoxDim save = x->d[sp.dim];
    if (!dim_is_empty(s, sp.dim, &sp.in)) {
        x->d[sp.dim] = sp.in;
        uncovered(s, x, sp.live, sp.m, out, max, sp.dim);
    }
    if (!dim_is_empty(s, sp.dim, &sp.out)) {
        x->d[sp.dim] = sp.out;
        uncovered(s, x, sp.live, sp.m, out, max, sp.dim);
    }
    x->d[sp.dim] = save;
}

/* A copy of b in the space's scratch box (every dimension present), for the
 * covering test, which cuts it in place: no memory per test. */
static Box *scratch(const BoxSpace *s, const Box *b) {
    BoxSpace *m = (BoxSpace *)s; /* the scratch box is bookkeeping, not the space's meaning */
    if (!m->scratch || m->scratch->n != s->n) m->scratch = box_copy(s, b);
    for (int i = 0; i < s->n; i++) m->scratch->d[i] = *dim_of(s, b, i);
    return m->scratch;
}

/* a meet b in the space's second working box (kept only if the cell is):
 * NULL when empty. */
static const Box *meet_into(const BoxSpace *s, const Box *a, const Box *b) {
    if (!box_meets(s, a, b)) return NULL;
    BoxSpace *m = (BoxSpace *)s; /* bookkeeping only */
    if (!m->meet_box || m->meet_box->n != s->n) m->meet_box = box_full(s);
    for (int i = 0; i < s->n; i++) {
        BoxDim x = box_get(s, a, i), y = box_get(s, b, i);
        m->meet_box->d[i] = dim_meet(s, i, &x, &y);
        if (dim_is_empty(s, i, &m->meet_box->d[i])) return NULL;
    }
    return m->meet_box;
}

static void region_put(const BoxSpace *s, Region *r, Box *pos, BoxSet neg) {
    if (r->n == r->cap) {
        int cap = r->cap ? r->cap * 2 : 4;
        Cell *nc = arena_alloc(s->A, sizeof *nc * (size_t)cap);
        if (r->n) memcpy(nc, r->c, sizeof *nc * (size_t)r->n);
        r->c = nc;
        r->cap = cap;
    }
    r->c[r->n].pos = pos;
    r->c[r->n++].neg = neg;
}

/* The cell pos minus (the boxes of n1 and n2 that meet pos), added to r unless empty. */
static void cell_add(const BoxSpace *s, Region *r, const Box *pos, bool copy, const BoxSet *n1, const BoxSet *n2) {
    if (s->over) return;
    StackMark mark = stack_mark(s);
    const Box **nb = stack_push(s, (n1 ? n1->n : 0) + (n2 ? n2->n : 0));
    int m = 0;
    bool keep = true;
    const BoxSet *from[2] = {n1, n2};
    for (int k = 0; k < 2 && keep; k++)
        for (int i = 0; from[k] && i < from[k]->n && keep; i++) {
            const Box *b = from[k]->b[i];
            if (!box_meets(s, pos, b)) continue;
            if (box_contains(s, b, pos)) keep = false; /* all of pos is taken out */
            else nb[m++] = b;
        }
    if (keep && m && !corner_uncovered(s, pos, nb, m, false) && !corner_uncovered(s, pos, nb, m, true))
        keep = !covered(s, scratch(s, pos), nb, m, -1);
    if (keep && !s->over) {
        /* boxes are never changed once made: the subtracted ones are shared */
        BoxSet neg = {0};
        if (m) {
            neg.b = arena_alloc_raw(s->A, sizeof *neg.b * (size_t)m); /* copied whole below */
            memcpy(neg.b, nb, sizeof *neg.b * (size_t)m);
            neg.n = neg.cap = m;
        }
        region_put(s, r, copy ? box_copy(s, pos) : (Box *)pos, neg);
    }
    stack_pop(s, mark);
}

Region region_of(const BoxSpace *s, const BoxSet *a) {
    Region r = {0};
    for (int i = 0; i < a->n; i++) region_put(s, &r, a->b[i], (BoxSet){0});
    return r;
}

void region_append(const BoxSpace *s, Region *dst, const Region *src) {
    for (int i = 0; i < src->n; i++) region_put(s, dst, src->c[i].pos, src->c[i].neg);
}

Region region_meet(const BoxSpace *s, const Region *a, const Region *b) {
    Region r = {0};
    for (int i = 0; i < a->n && !s->over; i++)
        for (int j = 0; j < b->n; j++) {
            const Box *pos = meet_into(s, a->c[i].pos, b->c[j].pos);
            if (pos) cell_add(s, &r, pos, true, &a->c[i].neg, &b->c[j].neg);
        }
    return r;
}

Region region_meet_boxes(const BoxSpace *s, const Region *a, const BoxSet *b) {
    Region rb = region_of(s, b);
    return region_meet(s, a, &rb);
}

Region region_sub(const BoxSpace *s, const Region *a, const BoxSet *b) {
    Region r = {0};
    for (int i = 0; i < a->n && !s->over; i++) {
        /* nothing of b meets the cell's box: the cell is kept as it is (it holds a case) */
        bool meets = false;
        for (int j = 0; j < b->n && !meets; j++) meets = box_meets(s, a->c[i].pos, b->b[j]);
        if (meets) cell_add(s, &r, a->c[i].pos, false, &a->c[i].neg, b);
        else region_put(s, &r, a->c[i].pos, a->c[i].neg);
    }
    return r;
}

Box *region_hull(const BoxSpace *s, const Region *a) {
    if (!a->n) return NULL;
    Box *h = box_copy(s, a->c[0].pos);
    for (int i = 1; i < a->n; i++) hull_add(s, h, a->c[i].pos);
    return h;
}

bool region_boxes(const BoxSpace *s, const Region *a, int max, BoxSet *out) {
    /* before coalescing there may be more boxes than after: cut at four times max */
    int lim = max > 0 ? 4 * max : 0;
    BoxSet r = {0};
    for (int i = 0; i < a->n && !s->over; i++) {
        if (!a->c[i].neg.n) boxset_add(s, &r, a->c[i].pos);
        else uncovered(s, box_copy(s, a->c[i].pos), (const Box *const *)a->c[i].neg.b, a->c[i].neg.n, &r, lim, -1);
        if (lim > 0 && r.n > lim) return false;
    }
    boxset_merge(s, &r);
    if (s->over || (max > 0 && r.n > max)) return false;
    *out = r;
    return true;
}

BoxSet boxset_join(const BoxSpace *s, const BoxSet *a, const BoxSet *b) {
    BoxSet r = {0};
    int max = a->n + b->n;
    /* b minus a, cut by cut, given up once it outgrows the two lists */
    BoxSet cur = {0};
    for (int i = 0; i < b->n; i++) boxset_add(s, &cur, b->b[i]);
    for (int j = 0; j < a->n && cur.n && cur.n + a->n <= max && !s->over; j++) {
        BoxSet next = {0};
        for (int i = 0; i < cur.n; i++) box_sub(s, cur.b[i], a->b[j], &next);
        cur = next;
    }
    if (cur.n + a->n <= max && !s->over) {
        for (int i = 0; i < a->n; i++) boxset_add(s, &cur, a->b[i]);
        boxset_merge(s, &cur);
        return cur;
    }
    for (int i = 0; i < a->n; i++) boxset_add(s, &r, a->b[i]);
    for (int i = 0; i < b->n; i++) boxset_add(s, &r, b->b[i]);
    return r;
}
