/* The box algebra (box.h) by brute force: on a small space (two set
 * dimensions of 5 and 3 ordinals, two integer dimensions over 0..7), random
 * boxes are combined by union, difference and intersection, then coalesced
 * (boxset_merge); at every point of the grid, membership must be the set
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
    }
    arena_free_all(&A);
}

Test(box, coalescing_joins_a_cut_box) {
    Arena A = {0};
    BoxSpace s;
    space(&s, &A);
    /* the full space minus a small box, plus that box again: one box */
    Box *hole = box_full(&s);
    hole->d[0].bits[0] = 1u << 2;
    hole->d[1].lo = hole->d[1].hi = 3;
    hole->d[3].lo = 2;
    hole->d[3].hi = 5;
    BoxSet full = boxset_one(&s, box_full(&s)), h = boxset_one(&s, hole);
    BoxSet rest = boxset_sub(&s, &full, &h);
    cr_assert_gt(rest.n, 1);
    BoxSet all = boxset_union(&s, &rest, &h);
    boxset_merge(&s, &all);
    cr_assert_eq(all.n, 1, "%d boxes after coalescing", all.n);
    cr_assert(box_contains(&s, all.b[0], box_full(&s)));
    arena_free_all(&A);
}
