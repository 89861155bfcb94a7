/*
 * The cold-path messages of compiled evaluators (runtime/cgsupport.c) that
 * are put together by hand rather than by printf: the same bytes as the
 * printf formats they replace (the reference interpreter's, compiler/interp.c),
 * truncated alike when they do not fit in acc_result.reason, and the rest of
 * the result zeroed (no rules, no values).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "accord_cg.h"

static void assert_clean(const acc_result *r, int32_t kind) {
    cr_assert_eq(r->kind, kind);
    cr_assert_eq(r->nrules, 0);
    static const acc_result zero;
    cr_assert(!memcmp(&r->value, &zero.value, sizeof r->value));
    cr_assert(!memcmp(r->rules, zero.rules, sizeof r->rules));
    cr_assert(!memcmp(r->values, zero.values, sizeof r->values));
}

/* a result whose every byte is garbage, as a caller's stack may hold */
static void dirty(acc_result *r) { memset(r, 0xA5, sizeof *r); }

Test(cgsupport, not_in_force_is_the_printf_message_on_every_date_1900_2100_and_the_ends) {
    acc_date from = acc_date_from_ymd(1900, 1, 1), to = acc_date_from_ymd(2100, 12, 31);
    acc_date extra[] = {acc_date_min(), acc_date_min() + 1, acc_date_max() - 1, acc_date_max(), acc_date_min() - 1,
                        acc_date_max() + 1};
    long n = 0;
    for (acc_date d = from; d <= to + 6; d++) {
        acc_date date = d <= to ? d : extra[d - to - 1];
        acc_result r;
        dirty(&r);
        acc_rt_not_in_force(&r, date);
        char db[11], want[256];
        acc_date_format(date, db);
        snprintf(want, sizeof want, "the agreement is not in force on %s", db);
        cr_assert_str_eq(r.reason, want);
        assert_clean(&r, ACC_NOT_COVERED);
        n++;
    }
    cr_assert_eq(n, to - from + 1 + 6);
}

/* s of length n: "abc...", cycling */
static void text(char *s, size_t n) {
    for (size_t i = 0; i < n; i++) s[i] = (char)('a' + i % 26);
    s[n] = '\0';
}

Test(cgsupport, fail_and_cite_are_the_printf_message_at_every_length) {
    char msg[400], cite[400];
    for (size_t lm = 0; lm < 300; lm += 1)
        for (size_t lc = 0; lc < 300; lc += lm < 240 ? 37 : 1) {
            text(msg, lm);
            text(cite, lc);
            acc_result r;
            dirty(&r);
            acc_rt_fail(&r, ACC_ERROR, msg);
            char want[256];
            cr_assert(snprintf(want, sizeof want, "%s", msg) >= 0); /* truncated on purpose */
            cr_assert_str_eq(r.reason, want);
            assert_clean(&r, ACC_ERROR);
            acc_rt_append_cite(&r, cite);
            size_t k = strlen(want);
            cr_assert(snprintf(want + k, sizeof want - k, " (in %s)", cite) >= 0);
            cr_assert_str_eq(r.reason, want, "message %zu, cite %zu", lm, lc);
        }
}

Test(cgsupport, personal_scope_messages_are_the_printf_ones) {
    char cite[400];
    for (size_t lc = 0; lc < 300; lc++)
        for (int valid = 0; valid < 2; valid++)
            for (int null = 0; null < 2; null++) {
                text(cite, lc);
                acc_result r;
                dirty(&r);
                acc_rt_not_personal(&r, valid, null ? NULL : cite);
                char want[256];
                snprintf(want, sizeof want,
                         valid ? "the person is outside the personal scope (%s)"
                               : "no category of persons is covered yet on this date (%s)",
                         null ? "personal scope" : cite);
                cr_assert_str_eq(r.reason, want);
                assert_clean(&r, ACC_NOT_COVERED);
            }
}
