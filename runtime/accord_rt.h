/*
 * accord_rt.h -- Accord runtime: exact calendar and insurance-period arithmetic.
 *
 * Contract of this layer:
 *  - Consumes plain integers (dates as day numbers, counts as int64) and, for
 *    parsing, caller-supplied byte ranges; produces integers, booleans and
 *    formatted dates in caller-supplied buffers.
 *  - Guarantees: exact integer arithmetic only (no floating point anywhere),
 *    no undefined behaviour for any argument values (overflow is reported via
 *    a false return, never by wrapping), identical results on every platform.
 *  - Pure functions: no global or static mutable state, no I/O, no locale.
 *  - Memory: never allocates; every buffer (format output, union scratch) is
 *    owned by the caller and only borrowed for the duration of the call.
 *  - Shared by the reference interpreter and LLVM-compiled evaluators; it
 *    never calls the compiler and depends on nothing but the C11 library.
 */
#ifndef ACCORD_RT_H
#define ACCORD_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Days since 1970-01-01 (day 0), proleptic Gregorian calendar. */
typedef int32_t acc_date;

/* ---- SPEC §5.1 dates: valid dates are 0001-01-01 .. 9999-12-31 ---------- */

bool acc_is_leap(int y);                                   /* SPEC §5.1 */
/* 0 if m is not in 1..12. */
int acc_days_in_month(int y, int m);                       /* SPEC §5.1 */
bool acc_date_valid_ymd(int y, int m, int d);              /* SPEC §5.1 */
/* Requires acc_date_valid_ymd(y, m, d). */
acc_date acc_date_from_ymd(int y, int m, int d);           /* SPEC §5.1 */
/* Exact for every acc_date value (even outside the valid range). */
void acc_date_to_ymd(acc_date t, int *y, int *m, int *d);  /* SPEC §5.1 */
/* Parse exactly "YYYY-MM-DD": len must be 10 (s need not be NUL-terminated).
   Returns false on any malformation or invalid date; *out untouched then. */
bool acc_date_parse(const char *s, size_t len, acc_date *out);  /* SPEC §5.1 */
/* Writes "YYYY-MM-DD" + NUL into buf. A date outside the valid range is
   written as "0000-00-00" (which acc_date_parse rejects). */
void acc_date_format(acc_date t, char buf[11]);            /* SPEC §5.1 */
acc_date acc_date_min(void);  /* 0001-01-01, SPEC §5.1 */
acc_date acc_date_max(void);  /* 9999-12-31, SPEC §5.1 */

/* ---- SPEC §5.2 month arithmetic ----------------------------------------- */

/* d + n months moves the month by n keeping the day; if the day does not
   exist in the target month it is clamped to that month's last day
   (31 Jan + 1 month = 28/29 Feb). Returns false if d is not a valid date or
   the result is outside the valid range. n may be negative. */
bool acc_date_add_months(acc_date d, int64_t n, acc_date *out);  /* SPEC §5.2 */
/* Returns false if d is not a valid date or the result is out of range. */
bool acc_date_add_days(acc_date d, int64_t n, acc_date *out);    /* SPEC §5.2 */

/* ---- SPEC §5.3 durations of periods ------------------------------------- */

/* Length in calendar months of the inclusive period [from, to]: the smallest
   n >= 0 such that add_months(from, n) > to (a result beyond 9999-12-31
   counts as > to). from > to gives 0. O(1).
   [2020-01-01, 2021-12-31] = 24; [2020-01-01, 2022-01-01] = 25;
   [2020-01-31, 2020-02-28] = 1;  [2020-01-15, 2020-01-15] = 1. */
int64_t acc_period_months(acc_date from, acc_date to);      /* SPEC §5.3 */
/* Whole calendar months completed from `from` to `to` (age-like): the
   largest n >= 0 with add_months(from, n) <= to; 0 if to < from. O(1). */
int64_t acc_months_between(acc_date from, acc_date to);     /* SPEC §5.3 */
/* Inclusive day count of [from, to]; 0 if to < from. */
int64_t acc_period_days(acc_date from, acc_date to);        /* SPEC §5.3 */
/* The window of period_months(x, y) <= n in days: *lo and *hi are the least
   and greatest add_months(x, n) - x over every date x, so the comparison
   holds when y - x < *lo and fails when y - x >= *hi, whatever x is (only in
   between does it need x's civil date).  For n = 24: [730, 731).  Returns
   false (outputs untouched) if n < 0 or n > INT32_MAX.  Used by the columnar
   code (SPEC §14.6); O(4,800). */
bool acc_months_window(int64_t n, int64_t *lo, int64_t *hi);  /* SPEC §14.6 */

/* ---- SPEC §5.4 aggregation of insurance periods ------------------------- */

/* Number of distinct calendar days in the union of the inclusive intervals
   [from[i], to[i]] (i < n), minus the days that also lie in the union of the
   nx exclusion intervals [xfrom[j], xto[j]]. Intervals with to < from are
   empty; overlapping days are counted once. `scratch` must have room for
   2*(n+nx) acc_date values (caller-owned; copies are sorted there, inputs are
   not modified). Pointers may be NULL when the matching count is 0.
   O((n+nx) log(n+nx)) worst case, no allocation. */
int64_t acc_union_days(const acc_date *from, const acc_date *to, size_t n,
                       const acc_date *xfrom, const acc_date *xto, size_t nx,
                       acc_date *scratch);

/* SPEC §5.4: the same union as acc_union_days, converted to months year by
   year (Reg. 987/2009 Art. 13(2)-(3)): in each calendar year the covered days
   give ceil(days / 30) months, at most 12.  Same scratch requirement. */
int64_t acc_union_months(const acc_date *from, const acc_date *to, size_t n,
                         const acc_date *xfrom, const acc_date *xto, size_t nx,
                         acc_date *scratch);

/* SPEC §5.4: the number of distinct calendar months holding at least one
   day of the same union (a period from 15 January to 14 May touches five
   months).  Same scratch requirement. */
int64_t acc_union_calendar_months(const acc_date *from, const acc_date *to, size_t n,
                                  const acc_date *xfrom, const acc_date *xto, size_t nx,
                                  acc_date *scratch);                  /* SPEC §5.4 */

/* ---- SPEC §5.5 unit conversion ------------------------------------------ */
/* Reg. 987/2009 Art. 13, 7-day scheme (used for calendar days):
   one month = 30 days, one week = 7 days, one quarter = 3 months. A
   fractional days -> months result is rounded UP to the next whole month
   (mathematical ceiling, also for negative inputs). All return false (and
   leave *out untouched) on int64 overflow. */
bool acc_days_to_months(int64_t days, int64_t *months);     /* SPEC §5.5 */
bool acc_months_to_days(int64_t months, int64_t *days);     /* SPEC §5.5 */
bool acc_weeks_to_days(int64_t weeks, int64_t *days);       /* SPEC §5.5 */
bool acc_quarters_to_months(int64_t quarters, int64_t *months); /* SPEC §5.5 */

#ifdef __cplusplus
}
#endif

#endif /* ACCORD_RT_H */
