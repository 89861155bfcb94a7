/* The box algebra (box.h) by brute force: on a small space (two set
 * dimensions of 5 and 3 ordinals, two integer dimensions over 0..7), random
 * boxes are combined by union, difference and intersection, then coalesced
 * (boxset_merge), and joined (boxset_join); at every point of the grid, membership must be the set
 * operation's, and a BoxSet must stay a partition (no point in two boxes).
 * Coalescing must also actually join what it can: boxes cut along one
 * dimension come back as one box. */
#include "box.h"
#include <criterion/criterion.h>
#include <string.h>

static uint64_t rng = 88172645463325252u;
static int rnd(int n) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (int)(rng % (uint64_t)n);
}

static void space(BoxSpace *s, Arena *A) {
    box_space_init(s, A);
    box_dim_add(s, DIM_SET, 5);
    box_dim_add(s, DIM_INT, 0);
    box_dim_add(s, DIM_SET, 3);
    box_dim_add(s, DIM_INT, 0);
}

/* A random box: each dimension full, or a random subset / interval inside the grid. */
static Box *random_box(BoxSpace *s) {
    Box *b = box_full(s);
    for (int i = 0; i < s->n; i++) {
        if (rnd(3) == 0) continue;
        if (s->kind[i] == DIM_INT) {
            int lo = rnd(8), hi = lo + rnd(8 - lo);
            b->d[i].lo = lo;
            b->d[i].hi = hi;
        } else {
            uint64_t bits = 0;
            while (!bits) bits = (uint64_t)rnd(1 << s->card[i]);
            b->d[i].bits[0] = bits;
        }
    }
    return b;
}

static BoxSet random_set(BoxSpace *s, int n) {
    BoxSet r = {0};
    for (int i = 0; i < n; i++) {
        BoxSet one = boxset_one(s, random_box(s));
        r = boxset_union(s, &r, &one);
    }
    return r;
}

/* How many boxes of a hold the point; integer dimensions are probed on -1..8
 * so that the unbounded ends are covered too. */
static int count(const BoxSpace *s, const BoxSet *a, const int64_t *pt) {
    int c = 0;
    for (int i = 0; i < a->n; i++) c += box_has_point(s, a->b[i], pt);
    return c;
}

typedef bool (*Op)(bool, bool);
static bool op_union(bool x, bool y) { return x || y; }
static bool op_sub(bool x, bool y) { return x && !y; }
static bool op_meet(bool x, bool y) { return x && y; }

static void check_grid(const BoxSpace *s, const BoxSet *a, const BoxSet *b, const BoxSet *r, Op op) {
    int64_t pt[4];
    for (pt[0] = 0; pt[0] < 5; pt[0]++)
        for (pt[1] = -1; pt[1] <= 8; pt[1]++)
            for (pt[2] = 0; pt[2] < 3; pt[2]++)
                for (pt[3] = -1; pt[3] <= 8; pt[3]++) {
                    int ca = count(s, a, pt), cb = count(s, b, pt), cr = count(s, r, pt);
                    cr_assert(ca <= 1 && cb <= 1 && cr <= 1, "a box set is not a partition");
                    cr_assert_eq(cr == 1, op(ca == 1, cb == 1), "membership differs at (%ld,%ld,%ld,%ld)", (long)pt[0],
                                 (long)pt[1], (long)pt[2], (long)pt[3]);
                }
}

Test(box, operations_and_coalescing_are_exact_on_a_grid) {
    Arena A = {0};
    BoxSpace s;
    space(&s, &A);
    for (int round = 0; round < 200; round++) {
        BoxSet a = random_set(&s, 1 + rnd(6)), b = random_set(&s, 1 + rnd(6));
        BoxSet u = boxset_union(&s, &a, &b), d = boxset_sub(&s, &a, &b), m = boxset_meet(&s, &a, &b);
        BoxSet um = u, dm = d, mm = m;
        boxset_merge(&s, &um);
        boxset_merge(&s, &dm);
        boxset_merge(&s, &mm);
        cr_assert(um.n <= u.n && dm.n <= d.n && mm.n <= m.n, "coalescing added boxes");
        check_grid(&s, &a, &b, &u, op_union);
        check_grid(&s, &a, &b, &um, op_union);
        check_grid(&s, &a, &b, &d, op_sub);
        check_grid(&s, &a, &b, &dm, op_sub);
        check_grid(&s, &a, &b, &m, op_meet);
        check_grid(&s, &a, &b, &mm, op_meet);
        /* boxset_join: the union, as a partition or as the two lists */
        BoxSet j = boxset_join(&s, &a, &b);
        cr_assert(j.n <= a.n + b.n);
        int64_t pt[4];
        for (pt[0] = 0; pt[0] < 5; pt[0]++)
            for (pt[1] = -1; pt[1] <= 8; pt[1]++)
                for (pt[2] = 0; pt[2] < 3; pt[2]++)
                    for (pt[3] = -1; pt[3] <= 8; pt[3]++)
                        cr_assert_eq(count(&s, &j, pt) > 0, count(&s, &a, pt) + count(&s, &b, pt) > 0);
    }
    arena_free_all(&A);
}

/* A box inside the grid, cut on three dimensions. */
static Box *small_box(BoxSpace *s) {
    Box *b = box_full(s);
    b->d[0].bits[0] = 1u << 2;
    b->d[1].lo = b->d[1].hi = 3;
    b->d[3].lo = 2;
    b->d[3].hi = 5;
    return b;
}

Test(box, a_cut_box_coalesces_and_region_boxes_stops_past_max) {
    Arena A = {0};
    BoxSpace s;
    space(&s, &A);
    /* the full space minus a small box, plus that box again: one box */
    Box *hole = small_box(&s);
    BoxSet full = boxset_one(&s, box_full(&s)), h = boxset_one(&s, hole);
    BoxSet rest = boxset_sub(&s, &full, &h);
    cr_assert_gt(rest.n, 1);
    BoxSet all = boxset_union(&s, &rest, &h);
    boxset_merge(&s, &all);
    cr_assert_eq(all.n, 1, "%d boxes after coalescing", all.n);
    cr_assert(box_contains(&s, all.b[0], box_full(&s)));
    /* the same difference as one cell: its boxes, refused past max */
    Region r = region_of(&s, &full);
    r = region_sub(&s, &r, &h);
    cr_assert_eq(r.n, 1);
    BoxSet b;
    cr_assert(region_boxes(&s, &r, 0, &b));
    cr_assert_gt(b.n, 1);
    BoxSet c;
    cr_assert_not(region_boxes(&s, &r, 1, &c));
    cr_assert(region_boxes(&s, &r, b.n, &c));
    /* a hole that covers everything: no cell */
    Region e = region_sub(&s, &r, &full);
    cr_assert_eq(e.n, 0);
    arena_free_all(&A);
}

/* Regions as differences (cells): meets and differences of regions, made
 * from random box sets, must hold the points the same operations on box
 * sets hold; every cell must hold a point (empty cells are dropped when
 * made); region_boxes gives them back as a partition, or refuses past max. */
static bool in_region(const BoxSpace *s, const Region *r, const int64_t *pt) {
    int c = 0;
    for (int i = 0; i < r->n; i++) {
        bool in = box_has_point(s, r->c[i].pos, pt);
        for (int j = 0; in && j < r->c[i].neg.n; j++) in = !box_has_point(s, r->c[i].neg.b[j], pt);
        c += in;
    }
    cr_assert(c <= 1, "two cells of a region hold one point");
    return c == 1;
}

static bool cell_has_point(const BoxSpace *s, const Cell *c) {
    int64_t pt[4];
    for (pt[0] = 0; pt[0] < 5; pt[0]++)
        for (pt[1] = -1; pt[1] <= 8; pt[1]++)
            for (pt[2] = 0; pt[2] < 3; pt[2]++)
                for (pt[3] = -1; pt[3] <= 8; pt[3]++) {
                    bool in = box_has_point(s, c->pos, pt);
                    for (int j = 0; in && j < c->neg.n; j++) in = !box_has_point(s, c->neg.b[j], pt);
                    if (in) return true;
                }
    return false;
}

static void check_region(const BoxSpace *s, const Region *r, const BoxSet *expect) {
    for (int i = 0; i < r->n; i++) cr_assert(cell_has_point(s, &r->c[i]), "an empty cell was kept");
    BoxSet b;
    cr_assert(region_boxes(s, r, 0, &b));
    int64_t pt[4];
    for (pt[0] = 0; pt[0] < 5; pt[0]++)
        for (pt[1] = -1; pt[1] <= 8; pt[1]++)
            for (pt[2] = 0; pt[2] < 3; pt[2]++)
                for (pt[3] = -1; pt[3] <= 8; pt[3]++) {
                    bool want = count(s, expect, pt) == 1;
                    cr_assert_eq(in_region(s, r, pt), want);
                    int cb = count(s, &b, pt);
                    cr_assert(cb <= 1, "region_boxes is not a partition");
                    cr_assert_eq(cb == 1, want);
                }
}

Test(box, regions_of_cells_are_exact_on_a_grid) {
    Arena A = {0};
    BoxSpace s;
    space(&s, &A);
    for (int round = 0; round < 150; round++) {
        BoxSet a = random_set(&s, 1 + rnd(4)), b = random_set(&s, 1 + rnd(4)), c = random_set(&s, 1 + rnd(6));
        Region ra = region_of(&s, &a), rb = region_of(&s, &b);
        /* (a - c) meet (b - c'), where c' is c's boxes listed with overlaps */
        BoxSet c2 = {0};
        for (int i = 0; i < c.n; i++) boxset_add(&s, &c2, c.b[i]);
        for (int i = 0; i < 2; i++) boxset_add(&s, &c2, random_box(&s));
        Region sa = region_sub(&s, &ra, &c), sb = region_sub(&s, &rb, &c2);
        Region m = region_meet(&s, &sa, &sb);
        BoxSet ea = boxset_sub(&s, &a, &c), eb = boxset_sub(&s, &b, &c2), em = boxset_meet(&s, &ea, &eb);
        check_region(&s, &sa, &ea);
        check_region(&s, &sb, &eb);
        check_region(&s, &m, &em);
        Region mb = region_meet_boxes(&s, &sa, &b);
        BoxSet emb = boxset_meet(&s, &ea, &b);
        check_region(&s, &mb, &emb);
    }
    arena_free_all(&A);
}

/* Hulls and the overlap pre-test (used to skip pairs of pieces that cannot
 * meet): every point of a set is in its hull, a box overlaps another iff
 * their meet is not empty; and boxes made while the space borrows a scratch
 * arena are exact too, and the space works on after it is returned and
 * the scratch arena freed. */
Test(box, hulls_overlaps_and_borrowed_arenas) {
    Arena A = {0};
    BoxSpace s;
    space(&s, &A);
    for (int round = 0; round < 200; round++) {
        BoxSet a = random_set(&s, 1 + rnd(4));
        Box *h = boxset_hull(&s, &a);
        Region ra = region_of(&s, &a);
        Box *rh = region_hull(&s, &ra);
        cr_assert(h && rh);
        for (int i = 0; i < a.n; i++) cr_assert(box_contains(&s, h, a.b[i]) && box_contains(&s, rh, a.b[i]));
        Box *x = random_box(&s), *y = random_box(&s);
        cr_assert_eq(box_overlaps(&s, x, y), box_meet(&s, x, y) != NULL);

        Arena tmp = {0};
        BoxMark m = box_space_borrow(&s, &tmp);
        BoxSet b = random_set(&s, 1 + rnd(4)), c = random_set(&s, 1 + rnd(4));
        Region rb = region_of(&s, &b);
        Region sb = region_sub(&s, &rb, &c);
        BoxSet eb = boxset_sub(&s, &b, &c);
        check_region(&s, &sb, &eb);
        box_space_return(&s, m);
        arena_free_all(&tmp);
        cr_assert(s.A == &A);
        /* the space's working boxes are its own again */
        Region sa = region_sub(&s, &ra, &a);
        cr_assert(region_empty(&sa));
    }
    cr_assert_null(boxset_hull(&s, &(BoxSet){0}));
    arena_free_all(&A);
}

/* A wide set dimension (200 ordinals: four words, as a country) and
 * one-value dimensions: the covering test's shortcuts (a set read in its
 * first word only when the others are empty, a dimension of one value never
 * chosen to cut, a box cut on one dimension retested on that one alone,
 * dimensions tested last to first) must keep regions exact.  Probed on the
 * ordinals the random boxes use, on both sides of each word boundary. */
static const int wide_ord[] = {0, 1, 62, 63, 64, 65, 127, 128, 190, 199};
#define NWIDE (int)(sizeof wide_ord / sizeof *wide_ord)

static void wide_space(BoxSpace *s, Arena *A) {
    box_space_init(s, A);
    box_dim_add(s, DIM_SET, 200);
    box_dim_add(s, DIM_INT, 0);
    box_dim_add(s, DIM_SET, 2);
    box_dim_add(s, DIM_SET, 130);
}

static Box *wide_box(BoxSpace *s) {
    Box *b = box_full(s);
    for (int i = 0; i < s->n; i++) {
        if (rnd(3) == 0) continue;
        if (s->kind[i] == DIM_INT) {
            int lo = rnd(4), hi = rnd(2) ? lo : lo + rnd(4 - lo); /* often one value */
            b->d[i].lo = lo;
            b->d[i].hi = hi;
            continue;
        }
        memset(b->d[i].bits, 0, sizeof b->d[i].bits);
        int k = 1 + rnd(rnd(2) ? 1 : NWIDE); /* often one ordinal */
        for (int j = 0; j < k; j++) {
            int o = wide_ord[rnd(NWIDE)] % s->card[i];
            b->d[i].bits[o >> 6] |= (uint64_t)1 << (o & 63);
        }
    }
    return b;
}

static BoxSet wide_set(BoxSpace *s, int n) {
    BoxSet r = {0};
    for (int i = 0; i < n; i++) {
        BoxSet one = boxset_one(s, wide_box(s));
        r = boxset_union(s, &r, &one);
    }
    return r;
}

static void check_wide(const BoxSpace *s, const Region *r, const BoxSet *expect) {
    BoxSet b;
    cr_assert(region_boxes(s, r, 0, &b));
    int64_t pt[4];
    for (int a = 0; a < NWIDE; a++)
        for (pt[1] = -1; pt[1] <= 4; pt[1]++)
            for (pt[2] = 0; pt[2] < 2; pt[2]++)
                for (int d = 0; d < NWIDE; d++) {
                    pt[0] = wide_ord[a];
                    pt[3] = wide_ord[d] % 130;
                    bool want = count(s, expect, pt) == 1;
                    cr_assert_eq(in_region(s, r, pt), want, "a region of wide sets differs from the box sets");
                    int cb = count(s, &b, pt);
                    cr_assert(cb <= 1, "region_boxes is not a partition");
                    cr_assert_eq(cb == 1, want, "region_boxes differs from the region");
                }
}

Test(box, regions_with_wide_sets_and_single_values_are_exact) {
    Arena A = {0};
    BoxSpace s;
    wide_space(&s, &A);
    for (int round = 0; round < 300; round++) {
        BoxSet a = wide_set(&s, 1 + rnd(4)), b = wide_set(&s, 1 + rnd(4)), c = wide_set(&s, 1 + rnd(8));
        Region ra = region_of(&s, &a), rb = region_of(&s, &b);
        Region sa = region_sub(&s, &ra, &c), sb = region_sub(&s, &rb, &c);
        Region m = region_meet(&s, &sa, &sb);
        BoxSet ea = boxset_sub(&s, &a, &c), eb = boxset_sub(&s, &b, &c), em = boxset_meet(&s, &ea, &eb);
        check_wide(&s, &sa, &ea);
        check_wide(&s, &sb, &eb);
        check_wide(&s, &m, &em);
        Box *x = wide_box(&s), *y = wide_box(&s);
        cr_assert_eq(box_overlaps(&s, x, y), box_meet(&s, x, y) != NULL);
        Box *z = box_meet(&s, x, y);
        if (z) cr_assert(box_contains(&s, x, z) && box_contains(&s, y, z));
    }
    arena_free_all(&A);
}

/* Boxes are allocated unzeroed (arena_alloc_raw): every dimension must be
 * written by box_full / box_copy / box_meet / box_with / boxset_hull before it
 * is read.  The arena here starts on memory just filled with 0xA5 and handed
 * back to malloc (ASan's allocator fills new blocks itself), so a dimension
 * left unwritten shows as a wrong bound or bit set; arena_alloc next to the
 * dirty blocks must still give zeroes. */
Test(box, unzeroed_boxes_write_every_dimension) {
    Arena dirty = {0};
    for (int i = 0; i < 8; i++) memset(arena_alloc_raw(&dirty, 60000), 0xA5, 60000);
    arena_free_all(&dirty);
    Arena A = {0};
    BoxSpace s;
    space(&s, &A);
    for (int i = 0; i < 4; i++) box_dim_add(&s, i % 2 ? DIM_INT : DIM_SET, 7);
    unsigned char *z = arena_alloc(&A, 4096);
    for (int i = 0; i < 4096; i++) cr_assert_eq(z[i], 0);
    unsigned char *r = arena_alloc_raw(&A, 33);
    cr_assert_eq((uintptr_t)r % 16, 0);
    Box *f = box_full(&s);
    for (int i = 0; i < s.n; i++) cr_assert(dim_is_full(&s, i, &f->d[i]), "dimension %d of a full box", i);
    for (int round = 0; round < 300; round++) {
        Box *x = random_box(&s), *y = random_box(&s);
        Box *c = box_copy(&s, x);
        for (int i = 0; i < s.n; i++) cr_assert(!memcmp(&c->d[i], &x->d[i], sizeof c->d[i]));
        Box *m = box_meet(&s, x, y);
        if (m) {
            cr_assert(box_contains(&s, x, m) && box_contains(&s, y, m));
            for (int i = 0; i < s.n; i++) {
                if (s.kind[i] == DIM_INT) {
                    cr_assert_eq(m->d[i].lo, x->d[i].lo > y->d[i].lo ? x->d[i].lo : y->d[i].lo);
                    cr_assert_eq(m->d[i].hi, x->d[i].hi < y->d[i].hi ? x->d[i].hi : y->d[i].hi);
                } else {
                    for (int w = 0; w < 4; w++) cr_assert_eq(m->d[i].bits[w], x->d[i].bits[w] & y->d[i].bits[w]);
                }
            }
        }
        BoxDim v = box_get(&s, y, 1);
        Box *wv = box_with(&s, x, 1, &v);
        for (int i = 0; i < s.n; i++)
            cr_assert(!memcmp(&wv->d[i], i == 1 ? &y->d[1] : &x->d[i], sizeof wv->d[i]), "dimension %d of box_with", i);
        BoxSet two = {0};
        boxset_add(&s, &two, x);
        Box *h = boxset_hull(&s, &two);
        for (int i = 0; i < s.n; i++) cr_assert(!memcmp(&h->d[i], &x->d[i], sizeof h->d[i]));
    }
    arena_free_all(&A);
}
