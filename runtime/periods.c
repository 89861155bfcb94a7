/*
 * periods.c -- SPEC §5.3 durations of periods, §5.4 aggregation of insurance
 * periods, §5.5 unit conversion. Exact integer arithmetic, no allocation.
 */
#include "accord_rt.h"

/* ---- SPEC §5.3 durations ------------------------------------------------ */

/* SPEC §5.3 -- smallest n >= 0 with add_months(from, n) > to.
   Because add_months(from, n) lies in the n-th month after from's month and
   is strictly increasing in n, only n0 = (month distance from -> to) and
   n0 + 1 are candidates: add_months(from, n0 - 1) is in the month before
   to's month (so <= to), add_months(from, n0 + 1) in the month after (> to).
   add_months(from, n0) is (ty, tm, min(fd, days_in_month(ty, tm))), which
   is <= to exactly when that clamped day is <= td. This needs no date
   construction, so it is O(1) and cannot hit the range limit: a result of
   n0 + 1 whose date would lie beyond 9999-12-31 is "> to" by definition. */
int64_t acc_period_months(acc_date from, acc_date to)
{
    int fy, fm, fd, ty, tm, td;
    if (to < from)
        return 0;
    acc_date_to_ymd(from, &fy, &fm, &fd);
    acc_date_to_ymd(to, &ty, &tm, &td);
    const int64_t n0 = ((int64_t)ty - fy) * 12 + (tm - fm);  /* >= 0 */
    const int last = acc_days_in_month(ty, tm);
    const int clamped = fd < last ? fd : last;
    return clamped <= td ? n0 + 1 : n0;
}

/* SPEC §5.3 -- largest n >= 0 with add_months(from, n) <= to. By the
   monotonicity argued above this is exactly period_months - 1 whenever
   from <= to (period_months is then >= 1, since add_months(from, 0) = from
   <= to). Consequence worth knowing: someone born on 29 Feb completes
   12 months on 28 Feb of a non-leap year (clamping). */
int64_t acc_months_between(acc_date from, acc_date to)
{
    if (to < from)
        return 0;
    return acc_period_months(from, to) - 1;
}

/* SPEC §5.3 -- inclusive day count; int64 so no int32 difference overflows. */
int64_t acc_period_days(acc_date from, acc_date to)
{
    if (to < from)
        return 0;
    return (int64_t)to - from + 1;
}

/* Within a month X, add_months(x, n) - x is greatest on the 1st (t0 - x0,
   the 1sts of X and of T, the n-th month after) and least on X's last day
   when X is longer than T (t0 - x0 - (dX - dT): the day clamps to T's last);
   the calendar repeats every 4,800 months (146,097 days), so one cycle of
   first days gives the window, and each further cycle adds 146,097 days. */
bool acc_months_window(int64_t n, int64_t *lo, int64_t *hi)
{
    if (n < 0 || n > INT32_MAX) return false;
    int64_t q = n / 4800, l = 0, h = 0;
    int r = (int)(n % 4800);
    for (int k = 0; k < 4800; k++) {
        int t = k + r;
        int64_t x0 = acc_date_from_ymd(2000 + k / 12, 1 + k % 12, 1), t0 = acc_date_from_ymd(2000 + t / 12, 1 + t % 12, 1);
        int64_t dx = acc_days_in_month(2000 + k / 12, 1 + k % 12), dt = acc_days_in_month(2000 + t / 12, 1 + t % 12);
        int64_t least = t0 - x0 - (dx > dt ? dx - dt : 0), most = t0 - x0;
        if (k == 0 || least < l) l = least;
        if (k == 0 || most > h) h = most;
    }
    *lo = l + q * 146097;
    *hi = h + q * 146097;
    return true;
}

/* ---- SPEC §5.4 aggregation ---------------------------------------------- */

/* Intervals are stored as pairs (start, end) in consecutive acc_date slots of
   the caller's scratch buffer. Heapsort on the pairs: in place, O(k log k)
   worst case and allocation-free. qsort would offer none of these
   guarantees portably (glibc's may malloc), and order among equal starts is
   irrelevant to the merge below, so stability is not needed. */

/* SPEC §5.4 */
static void swap_pair(acc_date *p, size_t i, size_t j)
{
    const acc_date s = p[2 * i], e = p[2 * i + 1];
    p[2 * i] = p[2 * j];
    p[2 * i + 1] = p[2 * j + 1];
    p[2 * j] = s;
    p[2 * j + 1] = e;
}

/* SPEC §5.4 -- restore the max-heap property (keyed on start) below root. */
static void sift_down(acc_date *p, size_t root, size_t k)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= k)
            return;
        if (child + 1 < k && p[2 * (child + 1)] > p[2 * child])
            child++;
        if (p[2 * child] <= p[2 * root])
            return;
        swap_pair(p, root, child);
        root = child;
    }
}

/* SPEC §5.4 -- sort k pairs ascending by start. */
static void sort_pairs(acc_date *p, size_t k)
{
    if (k < 2)
        return;
    for (size_t i = k / 2; i-- > 0;)
        sift_down(p, i, k);
    for (size_t end = k - 1; end > 0; end--) {
        swap_pair(p, 0, end);
        sift_down(p, 0, end);
    }
}

/* SPEC §5.4 -- coalesce sorted pairs in place into disjoint, non-adjacent
   intervals ascending by start; returns the new pair count. Adjacent
   intervals are merged too ([1,5] + [6,10] -> [1,10]); that does not change
   the count but keeps the list minimal. The +1 is done in int64 so an end
   of INT32_MAX cannot overflow. */
static size_t merge_pairs(acc_date *p, size_t k)
{
    if (k == 0)
        return 0;
    size_t w = 0;
    for (size_t i = 1; i < k; i++) {
        const acc_date s = p[2 * i], e = p[2 * i + 1];
        if ((int64_t)s <= (int64_t)p[2 * w + 1] + 1) {
            if (e > p[2 * w + 1])
                p[2 * w + 1] = e;
        } else {
            w++;
            p[2 * w] = s;
            p[2 * w + 1] = e;
        }
    }
    return w + 1;
}

/* SPEC §5.4 -- copy the non-empty intervals of (a, b) as pairs into dst. */
static size_t collect_pairs(const acc_date *a, const acc_date *b, size_t n,
                            acc_date *dst)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (b[i] < a[i])
            continue;  /* to < from: empty interval, contributes nothing */
        dst[2 * k] = a[i];
        dst[2 * k + 1] = b[i];
        k++;
    }
    return k;
}

/* SPEC §5.4 -- the spans of union(included) minus union(excluded), in
   ascending order, each passed to `visit`.  Both unions are first normalised
   to sorted disjoint lists (the sorts dominate the cost); the difference is
   then one linear two-pointer sweep.  Every aggregate below is a fold over
   these spans, so overlap and exclusion are handled in exactly one place. */
typedef void (*span_visit)(acc_date s, acc_date e, void *ctx);

static void sweep_difference(const acc_date *from, const acc_date *to, size_t n,
                             const acc_date *xfrom, const acc_date *xto, size_t nx,
                             acc_date *scratch, span_visit visit, void *ctx)
{
    if (n == 0)
        return;  /* nothing included: scratch and exclusions are irrelevant */
    size_t k = collect_pairs(from, to, n, scratch);
    acc_date *x = scratch + 2 * k;  /* exclusions packed right after */
    size_t kx = nx > 0 ? collect_pairs(xfrom, xto, nx, x) : 0;
    sort_pairs(scratch, k);
    k = merge_pairs(scratch, k);
    sort_pairs(x, kx);
    kx = merge_pairs(x, kx);
    size_t j = 0;
    for (size_t i = 0; i < k; i++) {
        acc_date s = scratch[2 * i];
        const acc_date e = scratch[2 * i + 1];
        /* An exclusion that ends before s cannot meet any later span either:
           both lists are sorted and disjoint. */
        while (s <= e) {
            while (j < kx && x[2 * j + 1] < s)
                j++;
            if (j == kx || x[2 * j] > e) {
                visit(s, e, ctx);
                break;
            }
            if (x[2 * j] > s)
                visit(s, x[2 * j] - 1, ctx);
            if (x[2 * j + 1] >= e)
                break;
            s = x[2 * j + 1] + 1;
        }
    }
}

static void count_days(acc_date s, acc_date e, void *ctx)
{
    *(int64_t *)ctx += (int64_t)e - s + 1;
}

/* SPEC §5.4 -- |union(included) minus union(excluded)|.  The result is at
   most the span of int32 (< 2^32 days), so the int64 sum cannot overflow. */
int64_t acc_union_days(const acc_date *from, const acc_date *to, size_t n,
                       const acc_date *xfrom, const acc_date *xto, size_t nx,
                       acc_date *scratch)
{
    int64_t total = 0;
    sweep_difference(from, to, n, xfrom, xto, nx, scratch, count_days, &total);
    return total;
}

/* ---- SPEC §5.5 unit conversion (Reg. 987/2009 Art. 13, 7-day scheme) ---- */

#define ACC_DAYS_PER_MONTH 30
#define ACC_DAYS_PER_WEEK 7
#define ACC_MONTHS_PER_QUARTER 3

/* SPEC §5.5 -- exact multiplication with overflow detection done by
   comparing against the quotient bounds before multiplying (factor > 0).
   INT64_MIN / f truncates toward zero, so v >= INT64_MIN / f guarantees
   v * f >= INT64_MIN. */
static bool mul_checked(int64_t v, int64_t f, int64_t *out)
{
    if (v > INT64_MAX / f || v < INT64_MIN / f)
        return false;
    *out = v * f;
    return true;
}

/* SPEC §5.5 -- ceiling division by 30. C division truncates toward zero,
   which already is the ceiling for negative quotients, so only a positive
   remainder bumps the result. |days / 30| is far from INT64_MAX, so this
   never overflows; the bool return is kept for a uniform interface. */
bool acc_days_to_months(int64_t days, int64_t *months)
{
    int64_t q = days / ACC_DAYS_PER_MONTH;
    if (days % ACC_DAYS_PER_MONTH > 0)
        q++;
    *months = q;
    return true;
}

/* SPEC §5.5 */
bool acc_months_to_days(int64_t months, int64_t *days)
{
    return mul_checked(months, ACC_DAYS_PER_MONTH, days);
}

/* SPEC §5.5 */
bool acc_weeks_to_days(int64_t weeks, int64_t *days)
{
    return mul_checked(weeks, ACC_DAYS_PER_WEEK, days);
}

/* SPEC §5.5 */
bool acc_quarters_to_months(int64_t quarters, int64_t *months)
{
    return mul_checked(quarters, ACC_MONTHS_PER_QUARTER, months);
}

/* ---- SPEC §5.4 calendar-year conversion (Reg. 987/2009 Art. 13(2), (3)) ---- */

/* Days are converted to months year by year: in each calendar year the
   covered days become ceil(days / 30) months (the 7-day scheme, a fraction
   rounded up), capped at 12, the yearly maximum of Art. 13(2).  So a full
   calendar year is 12 months, not 13.  The spans arrive in ascending order,
   so one running (year, days) pair is enough. */
static int64_t year_months(int64_t days)
{
    int64_t m = (days + ACC_DAYS_PER_MONTH - 1) / ACC_DAYS_PER_MONTH;
    return m > 12 ? 12 : m;
}

typedef struct YearCount {
    int year;
    int64_t days, total;
} YearCount;

static void count_year_months(acc_date s, acc_date e, void *ctx)
{
    YearCount *c = ctx;
    while (s <= e) {
        int y, m, d;
        acc_date_to_ymd(s, &y, &m, &d);
        acc_date year_end = acc_date_valid_ymd(y, 12, 31) ? acc_date_from_ymd(y, 12, 31) : e;
        acc_date piece_end = e < year_end ? e : year_end;
        if (y != c->year) {
            c->total += year_months(c->days);
            c->year = y;
            c->days = 0;
        }
        c->days += (int64_t)piece_end - s + 1;
        if (piece_end == e)
            break;
        s = piece_end + 1;
    }
}

int64_t acc_union_months(const acc_date *from, const acc_date *to, size_t n,
                         const acc_date *xfrom, const acc_date *xto, size_t nx,
                         acc_date *scratch)
{
    YearCount c = {INT32_MIN, 0, 0};
    sweep_difference(from, to, n, xfrom, xto, nx, scratch, count_year_months, &c);
    return c.total + year_months(c.days);
}

/* ---- SPEC §5.4 calendar months touched ------------------------------------ */

/* Month number of a date: 12 * year + month - 1. */
static int64_t month_index(acc_date d)
{
    int y, m, dd;
    acc_date_to_ymd(d, &y, &m, &dd);
    return (int64_t)y * 12 + m - 1;
}

typedef struct MonthCount {
    int64_t last, total;
} MonthCount;

/* Spans arrive in ascending order: a month already counted is skipped. */
static void count_calendar_months(acc_date s, acc_date e, void *ctx)
{
    MonthCount *c = ctx;
    int64_t first = month_index(s), last = month_index(e);
    if (first <= c->last)
        first = c->last + 1;
    if (last >= first)
        c->total += last - first + 1;
    if (last > c->last)
        c->last = last;
}

/* The number of distinct calendar months that hold at least one day of
   union(included) minus union(excluded): how national schemes that count
   "months of contributions" count (a period from 15 January to 14 May
   touches five months).  Same scratch requirement as acc_union_days. */
int64_t acc_union_calendar_months(const acc_date *from, const acc_date *to, size_t n,
                                  const acc_date *xfrom, const acc_date *xto, size_t nx,
                                  acc_date *scratch)
{
    MonthCount c = {INT64_MIN, 0};
    sweep_difference(from, to, n, xfrom, xto, nx, scratch, count_calendar_months, &c);
    return c.total;
}
