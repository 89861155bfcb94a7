/*
 * Unit tests for runtime/calendar.c and runtime/periods.c (SPEC §5.1-§5.5).
 *
 * Where practical, results are cross-checked against deliberately naive
 * reference implementations (day-by-day counters, month-by-month loops, a
 * day bitmap) that share no code with the runtime, so an error in the
 * closed-form arithmetic cannot hide behind the same error in the oracle.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "accord_rt.h"

static acc_date D(int y, int m, int d)
{
    cr_assert(acc_date_valid_ymd(y, m, d), "test date %04d-%02d-%02d invalid", y, m, d);
    return acc_date_from_ymd(y, m, d);
}

/* ==== SPEC §5.1 dates ===================================================== */

Test(dates, epoch_and_range_ends)
{
    cr_assert_eq(acc_date_from_ymd(1970, 1, 1), 0);
    cr_assert_eq(acc_date_from_ymd(1970, 1, 2), 1);
    cr_assert_eq(acc_date_from_ymd(1969, 12, 31), -1);
    cr_assert_eq(acc_date_from_ymd(2000, 3, 1), 11017);
    cr_assert_eq(acc_date_min(), acc_date_from_ymd(1, 1, 1));
    cr_assert_eq(acc_date_max(), acc_date_from_ymd(9999, 12, 31));
    cr_assert_eq(acc_date_min(), -719162);
    cr_assert_eq(acc_date_max(), 2932896);
}

Test(dates, leap_and_month_lengths)
{
    cr_assert(acc_is_leap(2000));
    cr_assert(acc_is_leap(2020));
    cr_assert(acc_is_leap(4));
    cr_assert(!acc_is_leap(1900));
    cr_assert(!acc_is_leap(2100));
    cr_assert(!acc_is_leap(2021));
    cr_assert(!acc_is_leap(1));
    cr_assert_eq(acc_days_in_month(2020, 2), 29);
    cr_assert_eq(acc_days_in_month(2021, 2), 28);
    cr_assert_eq(acc_days_in_month(1900, 2), 28);
    cr_assert_eq(acc_days_in_month(2000, 2), 29);
    cr_assert_eq(acc_days_in_month(2021, 4), 30);
    cr_assert_eq(acc_days_in_month(2021, 12), 31);
    cr_assert_eq(acc_days_in_month(2021, 0), 0);
    cr_assert_eq(acc_days_in_month(2021, 13), 0);
}

Test(dates, valid_ymd)
{
    cr_assert(acc_date_valid_ymd(1, 1, 1));
    cr_assert(acc_date_valid_ymd(9999, 12, 31));
    cr_assert(acc_date_valid_ymd(2020, 2, 29));
    cr_assert(!acc_date_valid_ymd(2021, 2, 29));
    cr_assert(!acc_date_valid_ymd(0, 1, 1));
    cr_assert(!acc_date_valid_ymd(10000, 1, 1));
    cr_assert(!acc_date_valid_ymd(-5, 1, 1));
    cr_assert(!acc_date_valid_ymd(2020, 0, 1));
    cr_assert(!acc_date_valid_ymd(2020, 13, 1));
    cr_assert(!acc_date_valid_ymd(2020, 1, 0));
    cr_assert(!acc_date_valid_ymd(2020, 4, 31));
}

/* Every day of the valid range, walked with an independent y/m/d counter:
   checks to_ymd, from_ymd and valid_ymd against each other and against
   plain "next day" logic. */
Test(dates, exhaustive_round_trip)
{
    int cy = 1, cm = 1, cd = 1;  /* independent counter */
    long count = 0;
    for (int64_t t = acc_date_min(); t <= acc_date_max(); t++) {
        int y, m, d;
        acc_date_to_ymd((acc_date)t, &y, &m, &d);
        if (y != cy || m != cm || d != cd)
            cr_assert_fail("to_ymd(%lld) = %d-%d-%d, expected %d-%d-%d",
                           (long long)t, y, m, d, cy, cm, cd);
        if (!acc_date_valid_ymd(y, m, d))
            cr_assert_fail("to_ymd(%lld) gave invalid date", (long long)t);
        if (acc_date_from_ymd(y, m, d) != t)
            cr_assert_fail("from_ymd(to_ymd(%lld)) != t", (long long)t);
        /* advance the naive counter */
        int len = (cm == 2) ? (((cy % 4 == 0 && cy % 100 != 0) || cy % 400 == 0) ? 29 : 28)
                  : (cm == 4 || cm == 6 || cm == 9 || cm == 11) ? 30 : 31;
        if (++cd > len) {
            cd = 1;
            if (++cm > 12) {
                cm = 1;
                cy++;
            }
        }
        count++;
    }
    cr_assert_eq(cy, 10000);
    cr_assert_eq(count, 3652059L);  /* 9999 years * 365.2425 days */
}

Test(dates, to_ymd_total_on_int32)
{
    /* Out-of-range day numbers still convert without UB (ubsan checks) and
       round-trip through the internal arithmetic. */
    int y, m, d;
    acc_date_to_ymd(INT32_MAX, &y, &m, &d);
    cr_assert_gt(y, 9999);
    acc_date_to_ymd(INT32_MIN, &y, &m, &d);
    cr_assert_lt(y, 0);
    acc_date_to_ymd(acc_date_min() - 1, &y, &m, &d);
    cr_assert(y == 0 && m == 12 && d == 31);
}

static bool P(const char *s, acc_date *out)
{
    return acc_date_parse(s, strlen(s), out);
}

Test(dates, parse_rejects)
{
    acc_date t = 12345;
    cr_assert(!P("2021-02-29", &t));
    cr_assert(!P("2020-13-01", &t));
    cr_assert(!P("2020-1-01", &t));
    cr_assert(!P("20200101", &t));
    cr_assert(!P("2020-01-01x", &t));
    cr_assert(!P("", &t));
    cr_assert(!P("0000-01-01", &t));
    cr_assert(!P("2020-00-10", &t));
    cr_assert(!P("2020-01-00", &t));
    cr_assert(!P("2020-04-31", &t));
    cr_assert(!P("2020/01/01", &t));
    cr_assert(!P("+020-01-01", &t));
    cr_assert(!P(" 020-01-01", &t));
    cr_assert(!P("2020-01- 1", &t));
    cr_assert(!P("2020-0a-01", &t));
    cr_assert(!P("10000-01-01", &t));
    cr_assert(!P("2020-01-01 ", &t));
    cr_assert(!acc_date_parse("2020-01-01", 9, &t));  /* len too short */
    cr_assert(!acc_date_parse(NULL, 10, &t));
    cr_assert_eq(t, 12345, "out must be untouched on failure");
}

Test(dates, parse_accepts)
{
    acc_date t;
    cr_assert(P("2020-02-29", &t));
    cr_assert_eq(t, D(2020, 2, 29));
    cr_assert(P("1970-01-01", &t));
    cr_assert_eq(t, 0);
    cr_assert(P("0001-01-01", &t));
    cr_assert_eq(t, acc_date_min());
    cr_assert(P("9999-12-31", &t));
    cr_assert_eq(t, acc_date_max());
    cr_assert(P("2000-02-29", &t));
    /* not NUL-terminated: exactly 10 bytes, ASan flags any over-read */
    char raw[10];
    memcpy(raw, "2021-07-15", 10);
    cr_assert(acc_date_parse(raw, sizeof raw, &t));
    cr_assert_eq(t, D(2021, 7, 15));
    /* only the first len bytes count */
    cr_assert(acc_date_parse("2021-07-15trailing", 10, &t));
}

Test(dates, format)
{
    char buf[11];
    acc_date_format(D(2020, 2, 29), buf);
    cr_assert_str_eq(buf, "2020-02-29");
    acc_date_format(acc_date_min(), buf);
    cr_assert_str_eq(buf, "0001-01-01");
    acc_date_format(acc_date_max(), buf);
    cr_assert_str_eq(buf, "9999-12-31");
    acc_date_format(0, buf);
    cr_assert_str_eq(buf, "1970-01-01");
    acc_date_format(acc_date_max() + 1, buf);
    cr_assert_str_eq(buf, "0000-00-00");
    acc_date_format(INT32_MIN, buf);
    cr_assert_str_eq(buf, "0000-00-00");
    /* every date of the range, against acc_date_to_ymd and printf */
    for (int64_t t = acc_date_min(); t <= acc_date_max(); t++) {
        int y, m, d;
        char want[32];
        acc_date_to_ymd((acc_date)t, &y, &m, &d);
        snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
        acc_date_format((acc_date)t, buf);
        if (strcmp(buf, want)) cr_assert_fail("day %lld: %s, expected %s", (long long)t, buf, want);
    }
    /* format/parse round trip on a sample of the range */
    for (int64_t t = acc_date_min(); t <= acc_date_max(); t += 997) {
        acc_date back;
        acc_date_format((acc_date)t, buf);
        cr_assert(acc_date_parse(buf, 10, &back), "%s", buf);
        cr_assert_eq(back, t);
    }
}

/* ==== SPEC §5.2 month arithmetic ========================================== */

static acc_date AM(acc_date d, int64_t n)
{
    acc_date out = 0;
    cr_assert(acc_date_add_months(d, n, &out));
    return out;
}

Test(months, clamping)
{
    cr_assert_eq(AM(D(2020, 1, 31), 1), D(2020, 2, 29));
    cr_assert_eq(AM(D(2021, 1, 31), 1), D(2021, 2, 28));
    cr_assert_eq(AM(D(1900, 1, 31), 1), D(1900, 2, 28));
    cr_assert_eq(AM(D(2000, 1, 31), 1), D(2000, 2, 29));
    cr_assert_eq(AM(D(2020, 5, 31), 1), D(2020, 6, 30));
    cr_assert_eq(AM(D(2020, 1, 30), 1), D(2020, 2, 29));
    cr_assert_eq(AM(D(2020, 1, 28), 1), D(2020, 2, 28));
    cr_assert_eq(AM(D(2020, 2, 29), 12), D(2021, 2, 28));
    cr_assert_eq(AM(D(2020, 2, 29), 48), D(2024, 2, 29));
    cr_assert_eq(AM(D(2020, 1, 31), 0), D(2020, 1, 31));
    cr_assert_eq(AM(D(2020, 12, 15), 1), D(2021, 1, 15));
    cr_assert_eq(AM(D(2020, 8, 31), 6), D(2021, 2, 28));
    /* not associative: clamping loses the day */
    cr_assert_eq(AM(AM(D(2020, 1, 31), 1), 1), D(2020, 3, 29));
    cr_assert_eq(AM(D(2020, 1, 31), 2), D(2020, 3, 31));
}

Test(months, negative)
{
    cr_assert_eq(AM(D(2020, 3, 31), -1), D(2020, 2, 29));
    cr_assert_eq(AM(D(2019, 3, 31), -1), D(2019, 2, 28));
    cr_assert_eq(AM(D(2020, 1, 15), -1), D(2019, 12, 15));
    cr_assert_eq(AM(D(2020, 1, 15), -13), D(2018, 12, 15));
    cr_assert_eq(AM(D(2024, 2, 29), -48), D(2020, 2, 29));
    cr_assert_eq(AM(D(2024, 2, 29), -12), D(2023, 2, 28));
    cr_assert_eq(AM(D(2020, 7, 31), -1), D(2020, 6, 30));
}

Test(months, range_limits)
{
    acc_date out = 777;
    cr_assert_eq(AM(D(9999, 11, 30), 1), D(9999, 12, 30));
    cr_assert_eq(AM(D(9999, 12, 31), 0), acc_date_max());
    cr_assert(!acc_date_add_months(D(9999, 12, 1), 1, &out));
    cr_assert(!acc_date_add_months(D(9999, 1, 1), 12, &out));
    cr_assert_eq(AM(D(1, 2, 28), -1), D(1, 1, 28));
    cr_assert(!acc_date_add_months(D(1, 1, 31), -1, &out));
    cr_assert_eq(AM(D(1, 1, 31), 119987), acc_date_max());
    cr_assert(!acc_date_add_months(D(1, 1, 31), 119988, &out));
    cr_assert_eq(AM(D(9999, 12, 31), -119987), D(1, 1, 31));
    cr_assert(!acc_date_add_months(D(9999, 12, 31), -119988, &out));
    cr_assert(!acc_date_add_months(D(2020, 1, 1), INT64_MAX, &out));
    cr_assert(!acc_date_add_months(D(2020, 1, 1), INT64_MIN, &out));
    cr_assert(!acc_date_add_months(acc_date_max(), INT64_MAX, &out));
    cr_assert(!acc_date_add_months(acc_date_min(), INT64_MIN, &out));
    /* invalid input dates are rejected, not extrapolated */
    cr_assert(!acc_date_add_months(acc_date_max() + 1, -1, &out));
    cr_assert(!acc_date_add_months(INT32_MIN, 0, &out));
    cr_assert_eq(out, 777, "out must be untouched on failure");
}

/* Naive oracle: step the month one at a time, then clamp. */
static bool naive_add_months(acc_date d, int n, acc_date *out)
{
    int y, m, day;
    acc_date_to_ymd(d, &y, &m, &day);
    for (; n > 0; n--)
        if (++m > 12) { m = 1; y++; }
    for (; n < 0; n++)
        if (--m < 1) { m = 12; y--; }
    if (y < 1 || y > 9999)
        return false;
    int last = acc_days_in_month(y, m);
    *out = acc_date_from_ymd(y, m, day < last ? day : last);
    return true;
}

Test(months, cross_check_naive)
{
    for (acc_date d = D(1999, 1, 1); d <= D(2004, 12, 31); d += 3) {
        for (int n = -40; n <= 40; n++) {
            acc_date a = 0, b = 0;
            bool ok_a = acc_date_add_months(d, n, &a);
            bool ok_b = naive_add_months(d, n, &b);
            cr_assert_eq(ok_a, ok_b);
            cr_assert_eq(a, b, "d=%d n=%d", d, n);
        }
    }
}

Test(days, add_days)
{
    acc_date out = 555;
    cr_assert(acc_date_add_days(D(2020, 2, 28), 1, &out));
    cr_assert_eq(out, D(2020, 2, 29));
    cr_assert(acc_date_add_days(D(2020, 3, 1), -1, &out));
    cr_assert_eq(out, D(2020, 2, 29));
    cr_assert(acc_date_add_days(acc_date_min(), (int64_t)acc_date_max() - acc_date_min(), &out));
    cr_assert_eq(out, acc_date_max());
    out = 555;
    cr_assert(!acc_date_add_days(acc_date_max(), 1, &out));
    cr_assert(!acc_date_add_days(acc_date_min(), -1, &out));
    cr_assert(!acc_date_add_days(0, INT64_MAX, &out));
    cr_assert(!acc_date_add_days(0, INT64_MIN, &out));
    cr_assert(!acc_date_add_days(acc_date_max(), INT64_MAX, &out));
    cr_assert(!acc_date_add_days(acc_date_min(), INT64_MIN, &out));
    cr_assert(!acc_date_add_days(INT32_MAX, -1, &out));
    cr_assert_eq(out, 555);
}

/* ==== SPEC §5.3 durations ================================================= */

Test(durations, period_months_examples)
{
    cr_assert_eq(acc_period_months(D(2020, 1, 1), D(2021, 12, 31)), 24);
    cr_assert_eq(acc_period_months(D(2020, 1, 1), D(2022, 1, 1)), 25);
    cr_assert_eq(acc_period_months(D(2020, 1, 31), D(2020, 2, 28)), 1);
    cr_assert_eq(acc_period_months(D(2020, 1, 15), D(2020, 1, 15)), 1);
    cr_assert_eq(acc_period_months(D(2020, 1, 16), D(2020, 1, 15)), 0);
    cr_assert_eq(acc_period_months(D(2020, 1, 1), D(2020, 1, 31)), 1);
    cr_assert_eq(acc_period_months(D(2020, 1, 15), D(2020, 2, 14)), 1);
    cr_assert_eq(acc_period_months(D(2020, 1, 15), D(2020, 2, 15)), 2);
    /* clamping quirk of the definition: add_months(Jan 31, 1) = Feb 29 */
    cr_assert_eq(acc_period_months(D(2020, 1, 31), D(2020, 2, 29)), 2);
    cr_assert_eq(acc_period_months(acc_date_max(), acc_date_min()), 0);
    /* whole range: add_months(min, n) > max first at n = 119988 (out of range) */
    cr_assert_eq(acc_period_months(acc_date_min(), acc_date_max()), 119988);
    cr_assert_eq(acc_period_months(D(9999, 12, 31), D(9999, 12, 31)), 1);
    cr_assert_eq(acc_period_months(D(9999, 11, 30), D(9999, 12, 31)), 2);
}

Test(durations, months_between_examples)
{
    cr_assert_eq(acc_months_between(D(2020, 1, 15), D(2020, 1, 15)), 0);
    cr_assert_eq(acc_months_between(D(2020, 1, 15), D(2020, 2, 14)), 0);
    cr_assert_eq(acc_months_between(D(2020, 1, 15), D(2020, 2, 15)), 1);
    cr_assert_eq(acc_months_between(D(2020, 1, 16), D(2020, 1, 15)), 0);
    cr_assert_eq(acc_months_between(D(1957, 3, 10), D(2022, 3, 9)), 779);
    cr_assert_eq(acc_months_between(D(1957, 3, 10), D(2022, 3, 10)), 780);
    /* born 29 Feb: 12 months complete on 28 Feb of a common year */
    cr_assert_eq(acc_months_between(D(2000, 2, 29), D(2001, 2, 27)), 11);
    cr_assert_eq(acc_months_between(D(2000, 2, 29), D(2001, 2, 28)), 12);
    cr_assert_eq(acc_months_between(acc_date_min(), acc_date_max()), 119987);
}

/* Naive oracles, straight from the SPEC definitions. */
static int64_t naive_period_months(acc_date from, acc_date to)
{
    int64_t n = 0;
    for (;;) {
        acc_date r;
        if (!acc_date_add_months(from, n, &r) || r > to)
            return n;
        n++;
    }
}

static int64_t naive_months_between(acc_date from, acc_date to)
{
    if (to < from)
        return 0;
    int64_t n = 0;
    for (;;) {
        acc_date r;
        if (!acc_date_add_months(from, n + 1, &r) || r > to)
            return n;
        n++;
    }
}

/* Every from in 2019..2022, every to in [from - 3, from + 800]. */
Test(durations, period_months_cross_check)
{
    for (acc_date f = D(2019, 1, 1); f <= D(2022, 12, 31); f++)
        for (acc_date t = f - 3; t <= f + 800; t++) {
            int64_t got = acc_period_months(f, t);
            int64_t want = naive_period_months(f, t);
            if (got != want)
                cr_assert_fail("period_months(%d,%d) = %lld, want %lld", f, t,
                               (long long)got, (long long)want);
        }
}

Test(durations, months_between_cross_check)
{
    for (acc_date f = D(2019, 1, 1); f <= D(2022, 12, 31); f++)
        for (acc_date t = f - 3; t <= f + 800; t++) {
            int64_t got = acc_months_between(f, t);
            int64_t want = naive_months_between(f, t);
            if (got != want)
                cr_assert_fail("months_between(%d,%d) = %lld, want %lld", f, t,
                               (long long)got, (long long)want);
        }
}

/* The top of the range, where add_months(from, n) runs out of range. */
Test(durations, cross_check_range_end)
{
    for (acc_date f = D(9997, 1, 1); f <= acc_date_max(); f++)
        for (acc_date t = f; t <= acc_date_max(); t += 5) {
            cr_assert_eq(acc_period_months(f, t), naive_period_months(f, t));
            cr_assert_eq(acc_months_between(f, t), naive_months_between(f, t));
        }
}

/* The window of `period_months(x, y) <= n` (acc_months_window), by which the
 * columnar code decides a lane without x's civil date: its ends must be exactly
 * the least and the greatest add_months(x, n) - x over every x of a 400-year
 * cycle (the runtime's add_months), for n up to and beyond one cycle of months;
 * the columnar code's use of it is checked by test_columnar's tests of
 * period_months comparisons and posting_months_on_every_start_date.  The
 * oracle here is the runtime's own add_months (not a naive one, unlike the
 * rest of this file): add_months is itself checked against the naive
 * month-by-month loop above (months/cross_check_naive). */
Test(durations, months_window_is_the_least_and_greatest_length)
{
    static const long long ns[] = {0, 1, 2, 11, 24, 4799, 4800, 9623};
    acc_date x0 = acc_date_from_ymd(2000, 1, 1), x1 = acc_date_from_ymd(2400, 1, 1);
    for (size_t k = 0; k < sizeof ns / sizeof *ns; k++) {
        int64_t lo, hi, l = 0, h = 0;
        cr_assert(acc_months_window(ns[k], &lo, &hi));
        for (acc_date x = x0; x < x1; x++) {
            acc_date am;
            cr_assert(acc_date_add_months(x, ns[k], &am));
            int64_t d = am - x;
            if (x == x0 || d < l) l = d;
            if (x == x0 || d > h) h = d;
        }
        cr_assert(lo == l && hi == h, "n = %lld: window [%lld, %lld], add_months gives [%lld, %lld]", ns[k], (long long)lo, (long long)hi, (long long)l, (long long)h);
    }
    int64_t lo = -1, hi = -1;
    cr_assert(acc_months_window(24, &lo, &hi) && lo == 730 && hi == 731);
    cr_assert(!acc_months_window(-1, &lo, &hi) && !acc_months_window((int64_t)INT32_MAX + 1, &lo, &hi) && lo == 730);
    cr_assert(acc_months_window(INT32_MAX, &lo, &hi) && lo > 0 && hi >= lo);
}

Test(durations, period_days)
{
    cr_assert_eq(acc_period_days(D(2020, 1, 1), D(2020, 12, 31)), 366);
    cr_assert_eq(acc_period_days(D(2021, 1, 1), D(2021, 12, 31)), 365);
    cr_assert_eq(acc_period_days(D(2020, 1, 1), D(2020, 1, 1)), 1);
    cr_assert_eq(acc_period_days(D(2020, 1, 2), D(2020, 1, 1)), 0);
    cr_assert_eq(acc_period_days(acc_date_min(), acc_date_max()), 3652059);
    cr_assert_eq(acc_period_days(INT32_MIN, INT32_MAX), (int64_t)1 << 32);
}

/* ==== SPEC §5.4 aggregation =============================================== */

static int64_t U(const acc_date *f, const acc_date *t, size_t n,
                 const acc_date *xf, const acc_date *xt, size_t nx)
{
    acc_date scratch[2 * 64];
    cr_assert_leq(n + nx, 64u);
    return acc_union_days(f, t, n, xf, xt, nx, scratch);
}

Test(union, empty)
{
    acc_date scratch[4];
    cr_assert_eq(acc_union_days(NULL, NULL, 0, NULL, NULL, 0, scratch), 0);
    cr_assert_eq(acc_union_days(NULL, NULL, 0, NULL, NULL, 0, NULL), 0);
    acc_date xf[] = {1}, xt[] = {10};
    cr_assert_eq(U(NULL, NULL, 0, xf, xt, 1), 0);
    acc_date f[] = {10, 20}, t[] = {9, 5};  /* both empty (to < from) */
    cr_assert_eq(U(f, t, 2, NULL, NULL, 0), 0);
}

Test(union, single_nested_adjacent_overlapping)
{
    acc_date f1[] = {1}, t1[] = {5};
    cr_assert_eq(U(f1, t1, 1, NULL, NULL, 0), 5);
    acc_date fn[] = {1, 3, 2}, tn[] = {10, 4, 10};  /* nested */
    cr_assert_eq(U(fn, tn, 3, NULL, NULL, 0), 10);
    acc_date fa[] = {6, 1}, ta[] = {10, 5};  /* adjacent, unsorted */
    cr_assert_eq(U(fa, ta, 2, NULL, NULL, 0), 10);
    acc_date fo[] = {1, 4}, to[] = {5, 8};  /* overlapping */
    cr_assert_eq(U(fo, to, 2, NULL, NULL, 0), 8);
    acc_date fg[] = {1, 11}, tg[] = {5, 20};  /* gap of 5 days */
    cr_assert_eq(U(fg, tg, 2, NULL, NULL, 0), 15);
    acc_date fd[] = {1, 1, 1}, td[] = {5, 5, 5};  /* duplicates */
    cr_assert_eq(U(fd, td, 3, NULL, NULL, 0), 5);
    acc_date fe[] = {1, 7, 3}, te[] = {5, 6, 2};  /* mixed with empties */
    cr_assert_eq(U(fe, te, 3, NULL, NULL, 0), 5);
}

Test(union, exclusions)
{
    acc_date f[] = {1, 21}, t[] = {10, 30};
    acc_date xf1[] = {3}, xt1[] = {4};  /* part of first */
    cr_assert_eq(U(f, t, 2, xf1, xt1, 1), 18);
    acc_date xf2[] = {0}, xt2[] = {100};  /* everything */
    cr_assert_eq(U(f, t, 2, xf2, xt2, 1), 0);
    acc_date xf3[] = {8, 9, 11}, xt3[] = {22, 12, 20};  /* straddles gap, overlapping */
    cr_assert_eq(U(f, t, 2, xf3, xt3, 3), 7 + 8);
    acc_date xf4[] = {11}, xt4[] = {20};  /* only the gap */
    cr_assert_eq(U(f, t, 2, xf4, xt4, 1), 20);
    acc_date xf5[] = {5}, xt5[] = {4};  /* empty exclusion */
    cr_assert_eq(U(f, t, 2, xf5, xt5, 1), 20);
    acc_date xf6[] = {1, 21}, xt6[] = {10, 30};  /* exactly equal */
    cr_assert_eq(U(f, t, 2, xf6, xt6, 2), 0);
    acc_date xf7[] = {10, 21}, xt7[] = {10, 21};  /* single edge days */
    cr_assert_eq(U(f, t, 2, xf7, xt7, 2), 18);
}

Test(union, extreme_values)
{
    acc_date f[] = {INT32_MIN, 0}, t[] = {INT32_MAX, INT32_MAX};
    cr_assert_eq(U(f, t, 2, NULL, NULL, 0), (int64_t)1 << 32);
    acc_date xf[] = {INT32_MAX}, xt[] = {INT32_MAX};
    cr_assert_eq(U(f, t, 2, xf, xt, 1), ((int64_t)1 << 32) - 1);
    acc_date f2[] = {INT32_MAX - 1, INT32_MAX}, t2[] = {INT32_MAX, INT32_MAX};
    cr_assert_eq(U(f2, t2, 2, NULL, NULL, 0), 2);
}

Test(union, inputs_not_modified)
{
    acc_date f[] = {30, 1, 10}, t[] = {40, 5, 12};
    acc_date xf[] = {11, 2}, xt[] = {11, 3};
    acc_date scratch[10];
    cr_assert_eq(acc_union_days(f, t, 3, xf, xt, 2, scratch), 11 + 5 + 3 - 1 - 2);
    cr_assert(f[0] == 30 && f[1] == 1 && f[2] == 10);
    cr_assert(t[0] == 40 && t[1] == 5 && t[2] == 12);
    cr_assert(xf[0] == 11 && xf[1] == 2 && xt[0] == 11 && xt[1] == 3);
}

/* splitmix64: tiny, fixed-seed, deterministic across platforms. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int rng_range(uint64_t *s, int lo, int hi)  /* inclusive */
{
    return lo + (int)(rng_next(s) % (uint64_t)(hi - lo + 1));
}

#define WIN 2000

Test(union, randomised_vs_bitmap)
{
    uint64_t seed = 20240611u;
    const acc_date base = D(2015, 6, 1);
    for (int trial = 0; trial < 2000; trial++) {
        acc_date f[24], t[24], xf[12], xt[12];
        acc_date scratch[2 * (24 + 12)];
        /* bitmap covers [base-50, base+WIN+50) so intervals may stick out */
        static const int PAD = 50;
        unsigned char in[WIN + 2 * 50], ex[WIN + 2 * 50];
        memset(in, 0, sizeof in);
        memset(ex, 0, sizeof ex);
        size_t n = (size_t)rng_range(&seed, 0, 24);
        size_t nx = (size_t)rng_range(&seed, 0, 12);
        /* long intervals in some trials, short in others */
        int maxlen = rng_range(&seed, 0, 1) ? 40 : 600;
        for (size_t i = 0; i < n; i++) {
            f[i] = base + rng_range(&seed, -PAD, WIN - 1);
            t[i] = f[i] + rng_range(&seed, -5, maxlen);  /* some empty */
            if (t[i] > base + WIN + PAD - 1)
                t[i] = base + WIN + PAD - 1;
            for (acc_date dd = f[i]; dd <= t[i]; dd++)
                in[dd - base + PAD] = 1;
        }
        for (size_t j = 0; j < nx; j++) {
            xf[j] = base + rng_range(&seed, -PAD, WIN - 1);
            xt[j] = xf[j] + rng_range(&seed, -5, maxlen);
            if (xt[j] > base + WIN + PAD - 1)
                xt[j] = base + WIN + PAD - 1;
            for (acc_date dd = xf[j]; dd <= xt[j]; dd++)
                ex[dd - base + PAD] = 1;
        }
        int64_t want = 0;
        for (size_t k = 0; k < sizeof in; k++)
            want += in[k] && !ex[k];
        int64_t got = acc_union_days(f, t, n, xf, xt, nx, scratch);
        cr_assert_eq(got, want, "trial %d: got %lld want %lld", trial,
                     (long long)got, (long long)want);
    }
}

/* SPEC §5.4 year-by-year months (Reg. 987/2009 Art. 13(2)-(3)): the same
   random intervals, bucketed per calendar year by a naive day loop. */
Test(union, months_by_year_vs_naive)
{
    uint64_t seed = 777u;
    const acc_date base = D(2015, 6, 1);
    for (int trial = 0; trial < 2000; trial++) {
        acc_date f[16], t[16], xf[8], xt[8], scratch[2 * (16 + 8)];
        static unsigned char in[WIN + 100], ex[WIN + 100];
        memset(in, 0, sizeof in);
        memset(ex, 0, sizeof ex);
        size_t n = (size_t)rng_range(&seed, 0, 16), nx = (size_t)rng_range(&seed, 0, 8);
        for (size_t i = 0; i < n; i++) {
            f[i] = base + rng_range(&seed, 0, WIN - 1);
            t[i] = f[i] + rng_range(&seed, -3, 500);
            if (t[i] > base + WIN + 99) t[i] = base + WIN + 99;
            for (acc_date dd = f[i]; dd <= t[i]; dd++) in[dd - base] = 1;
        }
        for (size_t j = 0; j < nx; j++) {
            xf[j] = base + rng_range(&seed, 0, WIN - 1);
            xt[j] = xf[j] + rng_range(&seed, -3, 200);
            if (xt[j] > base + WIN + 99) xt[j] = base + WIN + 99;
            for (acc_date dd = xf[j]; dd <= xt[j]; dd++) ex[dd - base] = 1;
        }
        int64_t want = 0, days = 0;
        int year = -1;
        for (size_t k = 0; k < sizeof in; k++) {
            int y, m, d;
            acc_date_to_ymd(base + (acc_date)k, &y, &m, &d);
            if (y != year) {
                int64_t mm = (days + 29) / 30;
                want += mm > 12 ? 12 : mm;
                days = 0;
                year = y;
            }
            days += in[k] && !ex[k];
        }
        int64_t mm = (days + 29) / 30;
        want += mm > 12 ? 12 : mm;
        int64_t got = acc_union_months(f, t, n, xf, xt, nx, scratch);
        cr_assert_eq(got, want, "trial %d: got %lld want %lld", trial, (long long)got, (long long)want);
    }
}

/* SPEC §5.4 calendar months touched, against a naive per-day month set. */
Test(union, calendar_months_vs_naive)
{
    uint64_t seed = 4242u;
    const acc_date base = D(2015, 6, 1);
    for (int trial = 0; trial < 2000; trial++) {
        acc_date f[16], t[16], xf[8], xt[8], scratch[2 * (16 + 8)];
        static unsigned char in[WIN + 100], ex[WIN + 100], seen[200];
        memset(in, 0, sizeof in);
        memset(ex, 0, sizeof ex);
        memset(seen, 0, sizeof seen);
        size_t n = (size_t)rng_range(&seed, 0, 16), nx = (size_t)rng_range(&seed, 0, 8);
        for (size_t i = 0; i < n; i++) {
            f[i] = base + rng_range(&seed, 0, WIN - 1);
            t[i] = f[i] + rng_range(&seed, -3, 120);
            if (t[i] > base + WIN + 99) t[i] = base + WIN + 99;
            for (acc_date dd = f[i]; dd <= t[i]; dd++) in[dd - base] = 1;
        }
        for (size_t j = 0; j < nx; j++) {
            xf[j] = base + rng_range(&seed, 0, WIN - 1);
            xt[j] = xf[j] + rng_range(&seed, -3, 60);
            if (xt[j] > base + WIN + 99) xt[j] = base + WIN + 99;
            for (acc_date dd = xf[j]; dd <= xt[j]; dd++) ex[dd - base] = 1;
        }
        int64_t want = 0;
        for (size_t k = 0; k < sizeof in; k++) {
            if (!in[k] || ex[k]) continue;
            int y, m, d;
            acc_date_to_ymd(base + (acc_date)k, &y, &m, &d);
            int idx = (y - 2015) * 12 + m - 1;
            if (!seen[idx]) { seen[idx] = 1; want++; }
        }
        int64_t got = acc_union_calendar_months(f, t, n, xf, xt, nx, scratch);
        cr_assert_eq(got, want, "trial %d: got %lld want %lld", trial, (long long)got, (long long)want);
    }
}

Test(union, months_full_years_and_partial)
{
    acc_date scratch[8];
    acc_date f[2] = {D(2010, 1, 1), D(2012, 1, 1)}, t[2] = {D(2011, 12, 31), D(2012, 6, 30)};
    /* two full years are 24 months (not 25 as 730 / 30 rounded up would say);
       the first half of 2012 (182 days) rounds up to 7 */
    cr_expect_eq(acc_union_months(f, t, 1, NULL, NULL, 0, scratch), 24);
    cr_expect_eq(acc_union_months(f, t, 2, NULL, NULL, 0, scratch), 31);
    acc_date xf[1] = {D(2010, 1, 1)}, xt[1] = {D(2010, 12, 31)};
    cr_expect_eq(acc_union_months(f, t, 1, xf, xt, 1, scratch), 12);
    cr_expect_eq(acc_union_months(f, t, 0, NULL, NULL, 0, scratch), 0);
}

/* ==== SPEC §5.5 unit conversion =========================================== */

static int64_t D2M(int64_t days)
{
    int64_t m = -999;
    cr_assert(acc_days_to_months(days, &m));
    return m;
}

Test(conversion, days_to_months_rounds_up)
{
    cr_assert_eq(D2M(0), 0);
    cr_assert_eq(D2M(1), 1);
    cr_assert_eq(D2M(29), 1);
    cr_assert_eq(D2M(30), 1);
    cr_assert_eq(D2M(31), 2);
    cr_assert_eq(D2M(60), 2);
    cr_assert_eq(D2M(61), 3);
    cr_assert_eq(D2M(360), 12);
    cr_assert_eq(D2M(-1), 0);   /* ceiling of -1/30 */
    cr_assert_eq(D2M(-30), -1);
    cr_assert_eq(D2M(-31), -1);
    cr_assert_eq(D2M(INT64_MAX), INT64_MAX / 30 + 1);
    cr_assert_eq(D2M(INT64_MIN), INT64_MIN / 30);
}

Test(conversion, multiplications_and_overflow)
{
    int64_t r = 42;
    cr_assert(acc_months_to_days(0, &r));
    cr_assert_eq(r, 0);
    cr_assert(acc_months_to_days(12, &r));
    cr_assert_eq(r, 360);
    cr_assert(acc_months_to_days(-2, &r));
    cr_assert_eq(r, -60);
    cr_assert(acc_weeks_to_days(52, &r));
    cr_assert_eq(r, 364);
    cr_assert(acc_quarters_to_months(4, &r));
    cr_assert_eq(r, 12);

    cr_assert(acc_months_to_days(INT64_MAX / 30, &r));
    cr_assert_eq(r, INT64_MAX / 30 * 30);
    r = 42;
    cr_assert(!acc_months_to_days(INT64_MAX / 30 + 1, &r));
    cr_assert(!acc_months_to_days(INT64_MIN / 30 - 1, &r));
    cr_assert(!acc_months_to_days(INT64_MAX, &r));
    cr_assert(!acc_months_to_days(INT64_MIN, &r));
    cr_assert(!acc_weeks_to_days(INT64_MAX / 7 + 1, &r));
    cr_assert(!acc_weeks_to_days(INT64_MIN, &r));
    cr_assert(!acc_quarters_to_months(INT64_MAX / 3 + 1, &r));
    cr_assert(!acc_quarters_to_months(INT64_MIN / 3 - 1, &r));
    cr_assert_eq(r, 42, "out must be untouched on failure");
    cr_assert(acc_weeks_to_days(INT64_MIN / 7, &r));
    cr_assert_eq(r, INT64_MIN / 7 * 7);

    /* round trip months -> days -> months is the identity */
    for (int64_t m = -100; m <= 100; m++) {
        int64_t dd, back;
        cr_assert(acc_months_to_days(m, &dd));
        cr_assert(acc_days_to_months(dd, &back));
        cr_assert_eq(back, m);
    }
}
