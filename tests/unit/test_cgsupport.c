/*
 * The cold-path messages of compiled evaluators (runtime/cgsupport.c):
 * recorded as a code and its arguments (ABI 2) and made into text by
 * acc_result_reason, which must give the same bytes as the printf formats of
 * the reference interpreter (compiler/interp.c), truncated alike at
 * ACC_REASON_MAX - 1 characters, with no rules and a zero value.  Every
 * reason code is covered here.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "accord_cg.h"
#include "iso.h"

/* what a reader of a result not decided may look at: no rules, a zero value
 * (the rules past nrules and the conflict's values are left as they were) */
static void assert_clean(const acc_result *r, int32_t kind) {
    cr_assert_eq(r->kind, kind);
    cr_assert_eq(r->nrules, 0);
    static const acc_result zero;
    cr_assert(!memcmp(&r->value, &zero.value, sizeof r->value));
}

/* a result whose every byte is garbage, as a caller's stack may hold */
static void dirty(acc_result *r) { memset(r, 0xA5, sizeof *r); }

/* the reason of r as a host reads it */
static const char *why(const acc_result *r) {
    static char buf[ACC_REASON_MAX];
    return acc_result_reason(r, buf, sizeof buf);
}

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
        cr_assert_str_eq(why(&r), want);
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
            cr_assert_str_eq(why(&r), want);
            assert_clean(&r, ACC_ERROR);
            acc_rt_append_cite(&r, cite);
            size_t k = strlen(want);
            cr_assert(snprintf(want + k, sizeof want - k, " (in %s)", cite) >= 0);
            cr_assert_str_eq(why(&r), want, "message %zu, cite %zu", lm, lc);
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
                cr_assert_str_eq(why(&r), want);
                assert_clean(&r, ACC_NOT_COVERED);
            }
}

Test(cgsupport, frequent_reasons_are_recorded_not_written) {
    acc_result r;
    dirty(&r);
    acc_rt_not_in_force(&r, acc_date_from_ymd(2009, 1, 1));
    cr_assert_eq(r.why.code, ACC_WHY_NOT_IN_FORCE);
    cr_assert_eq(r.why.text[0], '\0');
    dirty(&r);
    acc_rt_fail(&r, ACC_UNDETERMINED, "no rule answers q for this case");
    cr_assert_eq(r.why.code, ACC_WHY_MESSAGE);
    acc_rt_append_cite(&r, "Art. 1");
    cr_assert_eq(r.why.code, ACC_WHY_MESSAGE);
    cr_assert_str_eq(why(&r), "no rule answers q for this case (in Art. 1)");
    /* a second citation (a failure passed on through a rule of a rule) is written out */
    acc_rt_append_cite(&r, "Art. 2");
    cr_assert_eq(r.why.code, ACC_WHY_TEXT);
    cr_assert_str_eq(why(&r), "no rule answers q for this case (in Art. 1) (in Art. 2)");
    /* a citation after a recorded reason of another kind */
    dirty(&r);
    acc_rt_not_in_force(&r, acc_date_from_ymd(2009, 1, 1));
    acc_rt_append_cite(&r, "Art. 3");
    cr_assert_str_eq(why(&r), "the agreement is not in force on 2009-01-01 (in Art. 3)");
}

Test(cgsupport, no_reason_when_decided_or_in_conflict) {
    acc_result a, b;
    dirty(&a);
    acc_rt_not_in_force(&a, 0);
    dirty(&b);
    acc_rt_not_in_force(&b, 0);
    acc_rt_conflict(&a, &b);
    cr_assert_eq(a.why.code, ACC_WHY_NONE);
    cr_assert_str_eq(why(&a), "");
    memset(&b, 0, sizeof b);
    b.kind = ACC_DECIDED;
    cr_assert_str_eq(why(&b), "");
    /* a code this libaccord does not know (a newer evaluator): no text, no crash */
    b.why.code = 99;
    cr_assert_str_eq(why(&b), "");
}

Test(cgsupport, reason_cut_to_a_small_buffer) {
    acc_result r;
    dirty(&r);
    acc_rt_not_in_force(&r, acc_date_from_ymd(2009, 1, 1));
    char small[8] = "xxxxxxx";
    cr_assert_str_eq(acc_result_reason(&r, small, sizeof small), "the agr");
    char one[1] = {'x'};
    acc_result_reason(&r, one, sizeof one);
    cr_assert_eq(one[0], '\0');
    cr_assert_eq(acc_result_reason(&r, NULL, 0), NULL);
}

/* a question asked inside a rule failed: its reason (recorded) is written
 * out inside the message of the asking rule, as interp.c words it */
static const char *const consts[] = {"old_age", "sickness"};
static const acc_enum_desc enums[] = {{"branch", 2, consts}};
static const acc_param_desc params[] = {{"state", ACC_T_COUNTRY, -1}, {"branch", ACC_T_ENUM, 0}};
static const acc_question_desc questions[] = {{.name = "covered", .nparams = 2, .params = params}};
static const acc_module module = {.nenums = 1, .enums = enums, .nquestions = 1, .questions = questions};

Test(cgsupport, failed_question_quotes_the_recorded_reason) {
    int64_t args[2] = {acc_country_lookup("DE", 2), 2};
    acc_result inner, r;
    dirty(&inner);
    acc_rt_not_in_force(&inner, acc_date_from_ymd(2009, 1, 1));
    dirty(&r);
    acc_rt_fail_ask(&r, &module, 0, args, &inner);
    cr_assert_eq(r.kind, ACC_NOT_COVERED);
    cr_assert_str_eq(why(&r), "covered(DE, sickness) is not covered: the agreement is not in force on 2009-01-01");
    dirty(&inner);
    acc_rt_fail(&inner, ACC_UNDETERMINED, "no rule answers covered for this case");
    acc_rt_append_cite(&inner, "Art. 5");
    acc_rt_fail_ask(&r, &module, 0, args, &inner);
    cr_assert_str_eq(why(&r), "covered(DE, sickness) is undetermined: no rule answers covered for this case (in Art. 5)");
    /* the outer rule's citation follows */
    acc_rt_append_cite(&r, "Art. 6");
    cr_assert_str_eq(why(&r),
                     "covered(DE, sickness) is undetermined: no rule answers covered for this case (in Art. 5) (in Art. 6)");
    /* in place (the result of the asking rule is the inner one's slot) */
    dirty(&r);
    acc_rt_not_personal(&r, true, "Art. 2");
    acc_rt_fail_ask(&r, &module, 0, args, &r);
    cr_assert_str_eq(why(&r), "covered(DE, sickness) is not covered: the person is outside the personal scope (Art. 2)");
}

Test(cgsupport, written_out_reasons) {
    acc_result r;
    dirty(&r);
    acc_rt_fail_currency(&r, 0, 0);
    cr_assert_eq(r.why.code, ACC_WHY_TEXT);
    cr_assert_str_eq(why(&r), "cannot combine amounts in no currency and no currency");
    dirty(&r);
    acc_rt_not_party(&r, acc_country_lookup("DE", 2), "eu", true, acc_date_from_ymd(2001, 2, 3));
    cr_assert_str_eq(why(&r), "DE is not a party to eu on 2001-02-03");
    assert_clean(&r, ACC_NOT_COVERED);
    dirty(&r);
    acc_rt_not_party(&r, 0, "eu", false, 0);
    cr_assert_str_eq(why(&r), "none is not a party to eu");
    dirty(&r);
    acc_rt_not_material(&r, &enums[0], 1, acc_country_lookup("PH", 2), "Art. 3");
    cr_assert_str_eq(why(&r), "branch old_age is outside the material scope for PH (Art. 3)");
    dirty(&r);
    acc_rt_not_material(&r, &enums[0], 0, 0, NULL);
    cr_assert_str_eq(why(&r), "branch none is outside the material scope");
}
