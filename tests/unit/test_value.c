/* Unit tests for exact arithmetic (SPEC §5.6, §5.7). */
#include "value.h"
#include <criterion/criterion.h>
#include <stdint.h>

static Rat R(int64_t n, int64_t d) {
    Rat r;
    cr_assert(rat_make(n, d, &r));
    return r;
}

Test(rat, reduces_and_normalises_sign) {
    Rat r = R(6, -4);
    cr_expect_eq(r.num, -3);
    cr_expect_eq(r.den, 2);
    Rat z;
    cr_expect(!rat_make(1, 0, &z), "zero denominator is refused");
}

Test(rat, arithmetic_is_exact) {
    Rat r;
    cr_assert(rat_add(R(1, 3), R(1, 6), &r));
    cr_expect(r.num == 1 && r.den == 2);
    cr_assert(rat_sub(R(1, 3), R(1, 2), &r));
    cr_expect(r.num == -1 && r.den == 6);
    cr_assert(rat_mul(R(2, 3), R(9, 4), &r));
    cr_expect(r.num == 3 && r.den == 2);
    cr_assert(rat_div(R(2, 3), R(4, 9), &r));
    cr_expect(r.num == 3 && r.den == 2);
    cr_expect(!rat_div(R(1, 1), R(0, 1), &r), "division by zero is refused");
}

Test(rat, overflow_is_reported_not_wrapped) {
    Rat r;
    cr_expect(!rat_mul(R(INT64_MAX, 1), R(2, 1), &r));
    cr_expect(!rat_add(R(INT64_MAX, 1), R(1, 1), &r));
    /* large intermediate products that reduce back into range are fine */
    cr_assert(rat_mul(R(INT64_MAX, 3), R(3, INT64_MAX), &r));
    cr_expect(r.num == 1 && r.den == 1);
}

Test(rat, parse_decimal_exactly) {
    Rat r;
    cr_assert(rat_parse("1234.56", &r));
    cr_expect(r.num == 30864 && r.den == 25);
    cr_assert(rat_parse("0.1", &r));
    cr_expect(r.num == 1 && r.den == 10);
    cr_expect(!rat_parse("1.2.3", &r));
    cr_expect(!rat_parse("", &r));
    cr_expect(!rat_parse("99999999999999999999", &r), "too many digits");
}

Test(rat, rounding_modes_at_halfway_and_negative) {
    /* SPEC §5.7 */
    cr_expect_eq(rat_round(R(5, 2), ROUND_HALF_UP), 3);
    cr_expect_eq(rat_round(R(-5, 2), ROUND_HALF_UP), -3);
    cr_expect_eq(rat_round(R(5, 2), ROUND_HALF_EVEN), 2);
    cr_expect_eq(rat_round(R(7, 2), ROUND_HALF_EVEN), 4);
    cr_expect_eq(rat_round(R(-5, 2), ROUND_HALF_EVEN), -2);
    cr_expect_eq(rat_round(R(7, 3), ROUND_DOWN), 2);
    cr_expect_eq(rat_round(R(-7, 3), ROUND_DOWN), -3);
    cr_expect_eq(rat_round(R(7, 3), ROUND_UP), 3);
    cr_expect_eq(rat_round(R(-7, 3), ROUND_UP), -2);
    cr_expect_eq(rat_round(R(-7, 3), ROUND_TRUNCATE), -2);
    cr_expect_eq(rat_round(R(8, 3), ROUND_HALF_UP), 3);
    cr_expect_eq(rat_round(R(4, 3), ROUND_HALF_UP), 1);
    cr_expect_eq(rat_round(R(6, 1), ROUND_UP), 6);
}

Test(rat, rounding_agrees_with_a_slow_reference) {
    for (int64_t d = 1; d <= 12; d++)
        for (int64_t n = -60; n <= 60; n++) {
            Rat r = R(n, d);
            /* reference: floor via loop */
            int64_t fl = 0;
            while (fl * r.den > r.num) fl--;
            while ((fl + 1) * r.den <= r.num) fl++;
            int64_t ce = fl * r.den == r.num ? fl : fl + 1;
            cr_assert_eq(rat_round(r, ROUND_DOWN), fl, "%ld/%ld", (long)n, (long)d);
            cr_assert_eq(rat_round(r, ROUND_UP), ce, "%ld/%ld", (long)n, (long)d);
            int64_t twice_frac = 2 * (r.num - fl * r.den); /* compare to den */
            int64_t hu = twice_frac > r.den ? ce : twice_frac < r.den ? fl : (r.num < 0 ? fl : ce);
            cr_assert_eq(rat_round(r, ROUND_HALF_UP), hu, "half_up %ld/%ld", (long)n, (long)d);
        }
}

Test(set, add_has_size) {
    Value v = {0};
    v.kind = TY_SET;
    set_add(&v, 0);
    set_add(&v, 63);
    set_add(&v, 64);
    set_add(&v, 255);
    cr_expect(set_has(&v, 63) && set_has(&v, 64) && set_has(&v, 255) && set_has(&v, 0));
    cr_expect(!set_has(&v, 1));
    cr_expect_eq(set_size(&v), 4);
}

Test(value, print_money_percent_dates) {
    char buf[64];
    Value m = {0};
    m.kind = TY_MONEY;
    m.cur = 0;
    Value p = {0};
    p.kind = TY_PERCENT;
    p.q = R(1, 8);
    value_format(buf, sizeof buf, &p, &ty_percent);
    cr_expect_str_eq(buf, "12.5%");
    Value d = {0};
    d.kind = TY_DATE;
    d.i = 0;
    value_format(buf, sizeof buf, &d, &ty_date);
    cr_expect_str_eq(buf, "1970-01-01");
    Value q = {0};
    q.kind = TY_RATIO;
    q.q = R(1, 3);
    value_format(buf, sizeof buf, &q, &ty_ratio);
    cr_expect_str_eq(buf, "1/3");
    (void)m;
}

/* value_eq holds zero amounts of two currencies equal; value_identical (to
 * the bit) does not, and sees through lists to their items. */
Test(value, identical_is_stricter_than_eq) {
    Value a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.kind = b.kind = TY_MONEY;
    a.cur = 1;
    b.cur = 2;
    a.q = b.q = (Rat){0, 1};
    cr_expect(value_eq(&a, &b));
    cr_expect(!value_identical(&a, &b));
    b.cur = 1;
    cr_expect(value_identical(&a, &b));
    a.q = b.q = (Rat){25, 1};
    cr_expect(value_identical(&a, &b));
    b.q = (Rat){26, 1};
    cr_expect(!value_eq(&a, &b));
    cr_expect(!value_identical(&a, &b));
    Value la = {0}, lb = {0};
    la.kind = lb.kind = TY_LIST;
    la.agg.n = lb.agg.n = 1;
    la.agg.items = &a;
    lb.agg.items = &b;
    cr_expect(!value_identical(&la, &lb));
    b.q = a.q;
    cr_expect(value_identical(&la, &lb));
}
