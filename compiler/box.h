/* box.h - box algebra over a finite-and-integer case space (the checker's exact core).
 *
 * Consumes: a BoxSpace, a list of dimensions, each either a finite set of
 * ordinals (0..card-1: an enum, a country, a boolean, an abstracted atom)
 * or an integer line (a date as a day number, a duration, an int).
 * Produces: boxes (per dimension a bitset or a closed interval) and sets of
 * pairwise disjoint boxes, with intersection, difference, union and
 * complement, all exact: a point is in the result iff it is in the operands
 * by the set operation named.  Boxes are the region representation of the
 * conflict checker (checker.h); they know nothing about the IR.
 * Dimensions may be added to a space after boxes exist: a box with fewer
 * dimensions than the space is full in the missing ones.
 * Memory: boxes and box sets live in the caller's arena; nothing is freed
 * individually.  A BoxSet's storage grows in the arena.
 */
#ifndef ACCORD_BOX_H
#define ACCORD_BOX_H
#include "arena.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum { DIM_SET, DIM_INT } DimKind;

typedef struct BoxDim {
    uint64_t bits[4]; /* DIM_SET: ordinals present (card <= 256) */
    int64_t lo, hi;   /* DIM_INT: closed interval, lo <= hi */
} BoxDim;

typedef struct BoxSpace {
    Arena *A;         /* boxes and box sets (box_space_borrow may point it elsewhere for a while) */
    Arena *home;      /* the space's own tables: its dimensions */
    int n, cap;
    DimKind *kind;
    int *card;        /* DIM_SET: number of ordinals */
    BoxDim *full;     /* per dimension, its whole range (computed once) */
    long allocated;   /* dimension slots allocated so far (boxes x dimensions) */
    long budget;      /* > 0: past this many slots, `over` is set and set operations stop early */
    long meets, meet_budget; /* intersections tested, and (> 0) how many may be before `over` is set */
    bool over;        /* results computed since are incomplete: the caller must not use them as exact */
    struct Box *scratch;  /* the covering test's working box */
    struct Box *meet_box; /* a meet before it is known to be kept */
    const struct Box **stk; /* the covering test's stack of boxes (LIFO: each call pops what it pushed) */
    int stk_top, stk_cap;
} BoxSpace;

typedef struct Box {
    int n;            /* dimensions present; the rest are full */
    BoxDim d[];
} Box;

typedef struct BoxSet {
    Box **b;
    int n, cap;
} BoxSet;

void box_space_init(BoxSpace *s, Arena *A);
/* Scratch work: boxes made between box_space_borrow and box_space_return
 * live in tmp (which the caller then frees), so that the memory of one
 * reported region does not add up over thousands of them.  Nothing made in
 * between may be kept; dimensions may still be added (they live in home). */
typedef struct BoxMark {
    Arena *A;
    struct Box *scratch, *meet_box;
    const struct Box **stk;
    int stk_top, stk_cap;
} BoxMark;
BoxMark box_space_borrow(BoxSpace *s, Arena *tmp);
void box_space_return(BoxSpace *s, BoxMark m);
/* Add a dimension; returns its index. */
int box_dim_add(BoxSpace *s, DimKind k, int card);

Box *box_full(const BoxSpace *s);
Box *box_copy(const BoxSpace *s, const Box *b);
/* The dimension i of b (full when b does not have it yet). */
BoxDim box_get(const BoxSpace *s, const Box *b, int i);
/* A copy of b with dimension i replaced by v (NULL when v is empty). */
Box *box_with(const BoxSpace *s, const Box *b, int i, const BoxDim *v);
bool dim_is_full(const BoxSpace *s, int i, const BoxDim *d);
bool dim_is_empty(const BoxSpace *s, int i, const BoxDim *d);
BoxDim dim_full(const BoxSpace *s, int i);
/* Intersection; NULL when empty. */
Box *box_meet(const BoxSpace *s, const Box *a, const Box *b);
bool box_contains(const BoxSpace *s, const Box *outer, const Box *inner);
/* Whether a point (one ordinal or integer per dimension) lies in b. */
bool box_has_point(const BoxSpace *s, const Box *b, const int64_t *pt);

void boxset_add(const BoxSpace *s, BoxSet *set, Box *b); /* b must be disjoint from set */
BoxSet boxset_one(const BoxSpace *s, Box *b);
/* a \ b, as pairwise disjoint boxes appended to out */
void box_sub(const BoxSpace *s, const Box *a, const Box *b, BoxSet *out);
BoxSet boxset_sub(const BoxSpace *s, const BoxSet *a, const BoxSet *b);
BoxSet boxset_meet(const BoxSpace *s, const BoxSet *a, const BoxSet *b);
BoxSet boxset_union(const BoxSpace *s, const BoxSet *a, const BoxSet *b);
BoxSet boxset_complement(const BoxSpace *s, const BoxSet *a);
BoxSet boxset_meet_box(const BoxSpace *s, const BoxSet *a, const Box *b);
/* Merge boxes that differ in one dimension only (where the union of that
 * dimension is again a box), until none can be merged: same points, fewer boxes. */
void boxset_merge(const BoxSpace *s, BoxSet *a);
static inline bool boxset_empty(const BoxSet *a) { return a->n == 0; }
/* The smallest box holding every box of a (NULL when a is empty). */
Box *boxset_hull(const BoxSpace *s, const BoxSet *a);
/* Whether a and b share a point; not counted against the meet budget (a
 * cheap pre-test, not part of a set operation). */
bool box_overlaps(const BoxSpace *s, const Box *a, const Box *b);

/* Regions as differences: a Cell is the points of `pos` outside every box
 * of `neg` (each neg box meets pos); a Region is pairwise disjoint cells,
 * each with at least one point (checked when it is made).  "Rule r applies
 * and none of r's twenty exceptions does" is one cell, where disjoint boxes
 * need a product of cuts; boxes are made (region_boxes) only for what is
 * reported.  Every operation is exact, as the BoxSet ones. */
typedef struct Cell {
    Box *pos;
    BoxSet neg;
} Cell;

typedef struct Region {
    Cell *c;
    int n, cap;
} Region;

Region region_of(const BoxSpace *s, const BoxSet *a);
/* Append src's cells to dst (the two must be disjoint). */
void region_append(const BoxSpace *s, Region *dst, const Region *src);
Region region_meet(const BoxSpace *s, const Region *a, const Region *b);
Region region_meet_boxes(const BoxSpace *s, const Region *a, const BoxSet *b);
/* a minus the union of the boxes of b (which need not be disjoint). */
Region region_sub(const BoxSpace *s, const Region *a, const BoxSet *b);
/* The region as pairwise disjoint boxes, coalesced, into out; false (out
 * unset) when they are more than max (max > 0) or the space ran over its budget. */
bool region_boxes(const BoxSpace *s, const Region *a, int max, BoxSet *out);
static inline bool region_empty(const Region *a) { return a->n == 0; }
/* The smallest box holding every cell of a (NULL when a is empty): two
 * regions whose hulls do not meet are disjoint. */
Box *region_hull(const BoxSpace *s, const Region *a);
/* The union of a and b as a list of boxes: disjoint and coalesced when that
 * takes no more boxes than the two lists, else the two lists (overlapping:
 * for use only as what is subtracted, where overlaps do not matter). */
BoxSet boxset_join(const BoxSpace *s, const BoxSet *a, const BoxSet *b);
#endif
