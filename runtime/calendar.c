/*
 * calendar.c -- SPEC §5.1 dates and §5.2 month/day arithmetic.
 *
 * Dates are day numbers relative to 1970-01-01 in the proleptic Gregorian
 * calendar. Conversion to and from (year, month, day) uses Howard Hinnant's
 * days_from_civil / civil_from_days algorithms: branch-light, exact integer
 * arithmetic, and valid far beyond the 0001..9999 range the SPEC admits, so
 * acc_date_to_ymd is total over all int32 values. Intermediate values are
 * computed in int64_t so no argument can overflow them.
 */
#include "accord_rt.h"
#include <string.h>

/* Day numbers of the SPEC §5.1 range ends, precomputed with days_from_civil
   (checked by the unit tests against acc_date_from_ymd). */
#define ACC_DATE_MIN_DAYS (-719162)  /* 0001-01-01 */
#define ACC_DATE_MAX_DAYS 2932896    /* 9999-12-31 */

/* Months are also handled as a single serial number y*12 + (m-1), which turns
   month arithmetic into plain integer addition. Range of valid serials: */
#define ACC_MSERIAL_MIN ((int64_t)1 * 12 + 0)      /* 0001-01 */
#define ACC_MSERIAL_MAX ((int64_t)9999 * 12 + 11)  /* 9999-12 */

/* SPEC §5.1 -- Hinnant's days_from_civil. The year is shifted so that it
   starts on 1 March: the leap day then falls at the very end of the
   computational year and the month lengths Mar..Feb follow the 153/5
   pattern. Requires 1 <= m <= 12 and a day in 1..31; y any int. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;      /* floor(y/400) */
    const int64_t yoe = y - era * 400;                     /* [0, 399] */
    const int64_t mp = m > 2 ? m - 3 : m + 9;              /* Mar = 0 */
    const int64_t doy = (153 * mp + 2) / 5 + d - 1;        /* [0, 365] */
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
    return era * 146097 + doe - 719468;  /* 719468 = days 0000-03-01..1970-01-01 */
}

/* The day of a 400-year era (doe, [0, 146096]) as year of the era, month and
   day: the part of civil_from_days below the era, in unsigned 32-bit
   arithmetic (its values are small and non-negative, so divisions by
   constants need no sign fix-ups; acc_date_format is on compiled
   evaluators' hot path).  The calendar year is the era's year plus
   *m <= 2. */
static inline void civil_from_doe(uint32_t doe, uint32_t *yoe, int *m, int *d)
{
    const uint32_t y = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    const uint32_t doy = doe - (365 * y + y / 4 - y / 100);   /* [0, 365] */
    const uint32_t mp = (5 * doy + 2) / 153;                  /* [0, 11] */
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *yoe = y;
}

/* SPEC §5.1 -- Hinnant's civil_from_days, the exact inverse of the above. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;   /* floor */
    uint32_t yoe;
    civil_from_doe((uint32_t)(z - era * 146097), &yoe, m, d);
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* SPEC §5.1 */
static bool date_in_range(int64_t t)
{
    return t >= ACC_DATE_MIN_DAYS && t <= ACC_DATE_MAX_DAYS;
}

/* SPEC §5.1 */
bool acc_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* SPEC §5.1 */
int acc_days_in_month(int y, int m)
{
    static const unsigned char len[12] = {31, 28, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return (m == 2 && acc_is_leap(y)) ? 29 : len[m - 1];
}

/* SPEC §5.1 */
bool acc_date_valid_ymd(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
           d <= acc_days_in_month(y, m);
}

/* SPEC §5.1 -- precondition: acc_date_valid_ymd(y, m, d). The result always
   fits acc_date for valid input; the cast is the documented narrowing. */
acc_date acc_date_from_ymd(int y, int m, int d)
{
    return (acc_date)days_from_civil(y, m, d);
}

/* SPEC §5.1 */
void acc_date_to_ymd(acc_date t, int *y, int *m, int *d)
{
    int64_t yy;
    civil_from_days(t, &yy, m, d);
    /* |yy| <= ~5.9 million for any int32 t, so it always fits int. */
    *y = (int)yy;
}

/* SPEC §5.1 */
acc_date acc_date_min(void) { return ACC_DATE_MIN_DAYS; }

/* SPEC §5.1 */
acc_date acc_date_max(void) { return ACC_DATE_MAX_DAYS; }

/* SPEC §5.1 -- reads n ASCII digits; false on any non-digit. Deliberately not
   isdigit(): that is locale-dependent and UB for negative char values. */
static bool parse_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        const char c = s[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
}

/* SPEC §5.1 -- exactly "YYYY-MM-DD": fixed width, no sign, no whitespace,
   no trailing characters (len must be exactly 10). */
bool acc_date_parse(const char *s, size_t len, acc_date *out)
{
    int y, m, d;
    if (s == NULL || len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    if (!parse_digits(s, 4, &y) || !parse_digits(s + 5, 2, &m) ||
        !parse_digits(s + 8, 2, &d))
        return false;
    if (!acc_date_valid_ymd(y, m, d))  /* rejects 0000, month 13, 02-29 ... */
        return false;
    *out = acc_date_from_ymd(y, m, d);
    return true;
}

/* SPEC §5.1 -- writes the digits by hand: no snprintf, hence no locale and
   no truncation warnings; the output is always exactly 10 chars + NUL. */
/* Compiled evaluators format a date into every "not in force on DATE" reason
   (a large share of a caseload), so this is on their hot path: inside the
   SPEC range the day count shifted to 0000-03-01 is non-negative and below
   2^22, so the era too is found in unsigned 32-bit arithmetic before
   civil_from_doe; the digits are written two at a time from a table.
   Checked against acc_date_to_ymd on every date of the range
   (tests/unit/test_calendar.c). */
static const char two_digits[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

void acc_date_format(acc_date t, char buf[11])
{
    unsigned y = 0;
    int m = 0, d = 0;
    if (date_in_range(t)) {
        const uint32_t z = (uint32_t)((int64_t)t + 719468);   /* days since 0000-03-01 */
        const uint32_t era = z / 146097;
        uint32_t yoe;
        civil_from_doe(z - era * 146097, &yoe, &m, &d);
        y = yoe + era * 400 + (m <= 2);
    }
    /* else: "0000-00-00", a sentinel that can never be parsed back. */
    memcpy(buf, two_digits + 2 * (y / 100), 2);
    memcpy(buf + 2, two_digits + 2 * (y % 100), 2);
    buf[4] = '-';
    memcpy(buf + 5, two_digits + 2 * m, 2);
    buf[7] = '-';
    memcpy(buf + 8, two_digits + 2 * d, 2);
    buf[10] = '\0';
}

/* SPEC §5.2 -- month arithmetic with end-of-month clamping. The month serial
   of d is small (< 120000), so comparing n against the distance to each end
   of the serial range decides overflow before any addition is performed:
   no int64 overflow is possible for any n. */
bool acc_date_add_months(acc_date d, int64_t n, acc_date *out)
{
    int y, m, day;
    if (!date_in_range(d))
        return false;
    acc_date_to_ymd(d, &y, &m, &day);
    const int64_t serial = (int64_t)y * 12 + (m - 1);
    if (n > ACC_MSERIAL_MAX - serial || n < ACC_MSERIAL_MIN - serial)
        return false;
    const int64_t ns = serial + n;             /* in [12, 119999] */
    const int ny = (int)(ns / 12);
    const int nm = (int)(ns % 12) + 1;
    const int last = acc_days_in_month(ny, nm);
    *out = acc_date_from_ymd(ny, nm, day < last ? day : last);
    return true;
}

/* SPEC §5.2 -- same idea: bound n by the distance to each range end first. */
bool acc_date_add_days(acc_date d, int64_t n, acc_date *out)
{
    if (!date_in_range(d))
        return false;
    if (n > (int64_t)ACC_DATE_MAX_DAYS - d || n < (int64_t)ACC_DATE_MIN_DAYS - d)
        return false;
    *out = (acc_date)(d + n);
    return true;
}
