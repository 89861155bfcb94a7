/*
 * Unit tests for libaccord's host API (runtime/libaccord.c, casejson.c),
 * against the hand-written evaluator of tests/cabi/mini_module.c: the case
 * reader (every field kind, located errors), descriptor checks, questions
 * and arguments, result and value texts, citations and trace printing.
 * Loading from a shared library (acc_load) is tested by tests/run_cabi.sh.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../cabi/mini_module.c"
#include "iso.h"

static char err[512];

static mini_case *J(const char *json) {
    err[0] = 0;
    return acc_case_from_json(&accord_module_mini, json, strlen(json), err, sizeof err);
}

/* the error for a bad case (the case must be refused) */
static const char *E(const char *json) {
    void *c = J(json);
    cr_assert_null(c, "accepted: %s", json);
    return err;
}

static int CO(const char *s) { return acc_country_lookup(s, strlen(s)); }

Test(casejson, every_field_kind) {
    mini_case *c = J("{\"id\": 7, \"date\": \"2024-03-01\", \"nationalities\": [\"PH\", \"DE\"],"
                     " \"branches\": [\"sickness\"], \"income\": \"1234.56 EUR\", \"rate\": \"0.25\", \"days\": \"2 weeks\","
                     " \"count\": -3, \"bonus\": \"100 JPY\","
                     " \"activities\": [{\"state\": \"DE\", \"kind\": \"self_employed\", \"share\": \"12.5%\", \"posted\": true,"
                     "   \"posting\": {\"sending_state\": \"PH\", \"start\": \"2023-01-31\", \"months\": \"2 years\"}},"
                     "  {\"state\": null, \"share\": 40}],"
                     " \"periods\": [{\"state\": \"FR\", \"branch\": \"old_age\", \"from\": \"2000-01-01\", \"to\": \"2000-12-31\"}]}");
    cr_assert_not_null(c, "%s", err);
    cr_assert_str_eq(acc_case_id(c), "7");
    cr_assert_eq(acc_cdate_to(c->date), acc_date_from_ymd(2024, 3, 1));
    cr_assert(c->nationalities.bits[CO("PH") >> 6] & (1ull << (CO("PH") & 63)));
    cr_assert(c->nationalities.bits[CO("DE") >> 6] & (1ull << (CO("DE") & 63)));
    cr_assert_eq(c->branches.bits[0], 1ull << 2);
    cr_assert_eq(c->income.minor, 123456);
    cr_assert_str_eq(acc_currency_code(c->income.currency), "EUR");
    cr_assert_eq(c->rate.num, 1);
    cr_assert_eq(c->rate.den, 4);
    cr_assert_eq(c->days, 14);
    cr_assert_eq(c->count, -3);
    cr_assert_eq(c->bonus.amount.num, 100);
    cr_assert_eq(c->bonus.amount.den, 1);
    cr_assert_eq(c->activities.n, 2);
    const mini_activity *a = c->activities.items;
    cr_assert_eq(a[0].state, CO("DE"));
    cr_assert_eq(a[0].kind, 2);
    cr_assert_eq(a[0].share.num, 1);
    cr_assert_eq(a[0].share.den, 8);
    cr_assert(a[0].posted);
    cr_assert_eq(a[0].posting.sending_state, CO("PH"));
    cr_assert_eq(acc_cdate_to(a[0].posting.start), acc_date_from_ymd(2023, 1, 31));
    cr_assert_eq(a[0].posting.months, 24);
    cr_assert_eq(a[1].state, 0);
    cr_assert_eq(a[1].share.num, 2);
    cr_assert_eq(a[1].share.den, 5);
    cr_assert_eq(c->periods.n, 1);
    const mini_period *p = c->periods.items;
    cr_assert_eq(p->branch, 1);
    cr_assert_eq(acc_cdate_to(p->to), acc_date_from_ymd(2000, 12, 31));
    acc_case_free(c);
}

Test(casejson, missing_facts_are_zero) {
    mini_case *c = J("{\"date\": \"2024-03-01\"}");
    cr_assert_not_null(c, "%s", err);
    cr_assert_str_eq(acc_case_id(c), "");
    cr_assert_eq(c->activities.n, 0);
    cr_assert_null(c->activities.items);
    cr_assert_eq(c->income.currency, 0);
    cr_assert_eq(c->rate.den, 0); /* reads as 1: zero */
    acc_case_free(c);
}

Test(casejson, located_errors) {
    cr_assert_str_eq(E("{\"date\": \"2024-03-01\", \"activities\": [{\"state\": \"XX\"}]}"),
                     "activities[0].state: unknown country code 'XX' (ISO 3166-1 alpha-2 expected)");
    cr_assert_str_eq(E("{\"date\": \"2024-03-01\", \"activities\": [{}, {\"kind\": \"retired\"}]}"),
                     "activities[1].kind: unknown activity_kind 'retired' (one of: employed, self_employed)");
    cr_assert_str_eq(E("{\"date\": \"2024-03-01\", \"activities\": [{\"colour\": 1}]}"),
                     "activities[0].colour: unknown field 'colour' in activity (fields: state, kind, share, posted, posting)");
    cr_assert_str_eq(E("{\"date\": \"2024-03-01\", \"hobby\": true}"),
                     "hobby: unknown field 'hobby' in case (fields: date, nationalities, branches, activities, periods, income, "
                     "rate, days, count, bonus)");
    cr_assert_str_eq(E("{\"id\": \"x\"}"), "date: every case needs its determination \"date\"");
    cr_assert_str_eq(E("{\"date\": \"2025-02-30\"}"), "date: invalid date \"2025-02-30\": month 2 of 2025 has 28 days");
    cr_assert_str_eq(E("{\"date\": \"2024-03-01\", \"days\": -1}"), "days: negative duration (-1 days)");
    cr_assert_str_eq(E("{\"date\": \"2024-03-01\", \"rate\": 0.5}"), "rate: expected a number such as 2 or \"0.5\"");
    cr_assert_str_eq(E("{\"date\": \"2024-03-01\", \"activities\": [{\"share\": 0.5}]}"),
                     "activities[0].share: a decimal percentage must be a string such as \"12.5%\" (no binary floating point)");
    cr_assert_str_eq(E("{\"date\": \"2024-03-01\", \"activities\": [{\"share\": 101}]}"),
                     "activities[0].share: a share cannot exceed 100%");
    cr_assert_str_eq(E("{\"date\": \"2024-03-01\", \"income\": \"12.345 EUR\"}"),
                     "income: EUR amounts have 2 decimal places: \"12.345 EUR\"");
    cr_assert_str_eq(E("{\"date\": \"2024-03-01\", \"income\": \"12 XYZ\"}"), "income: unknown currency code 'XYZ'");
    cr_assert_str_eq(E("{\"date\": \"2024-03-01\", \"nationalities\": [\"DE\", null]}"),
                     "nationalities[1]: null is not a member of a set");
    cr_assert_str_eq(E("{\"date\": \"2024-03-01\", \"periods\": [{\"state\": \"DE\", \"from\": \"2000-01-01\"}]}"),
                     "periods[0].to: a period needs both dates, 'from' and 'to' (the last day it covers)");
    cr_assert_str_eq(E("{\"date\": \"2024-03-01\", \"periods\": [{\"from\": \"2000-01-02\", \"to\": \"2000-01-01\"}]}"),
                     "periods[0].to: the period ends (2000-01-01) before it starts (2000-01-02)");
    cr_assert_str_eq(E("{\"date\": \"2024-03-01\", \"date\": \"2024-03-02\"}"),
                     "invalid JSON at line 1, column 29: duplicate object key near '\"date\"'");
    cr_assert_str_eq(E("[1]"), "a case is a JSON object, not an array");
    cr_assert_str_eq(E("{\"id\": [], \"date\": \"2024-03-01\"}"), "id: the id must be a string or an integer, not an array");
    cr_assert_str_eq(E("{\"date\": \"2024-03-01\", \"activities\": {}}"), "activities: expected an array of activity, not an object");
}

Test(casejson, truncated_text) {
    const char *s = "{\"date\": \"2024-03-01\", \"activities\": [{\"state\": \"DE\"}]}";
    for (size_t n = 0; n < strlen(s); n++) {
        void *c = acc_case_from_json(&accord_module_mini, s, n, err, sizeof err);
        cr_assert_null(c, "a prefix of %zu bytes was accepted", n);
        cr_assert(strstr(err, "invalid JSON"), "%s", err);
    }
}

Test(module, checks) {
    cr_assert(acc_check(&accord_module_mini, "mini-vocab-1", NULL, err, sizeof err), "%s", err);
    cr_assert(acc_check(&accord_module_mini, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert_not(acc_check(&accord_module_mini, "0123456789abcdef", "here.so", err, sizeof err));
    cr_assert(strstr(err, "here.so: agreement mini was compiled against the vocabulary mini-vocab-1, but this program "
                          "expects the vocabulary 0123456789abcdef"),
              "%s", err);
    acc_module bad = accord_module_mini;
    bad.abi_version = ACC_ABI_VERSION + 1;
    cr_assert_not(acc_check(&bad, NULL, "x.so", err, sizeof err));
    cr_assert(strstr(err, "x.so: compiled for ABI version 5, but this libaccord implements ABI version 4"), "%s", err);
    bad = accord_module_mini;
    bad.case_record = 9;
    cr_assert_not(acc_check(&bad, NULL, "y.so", err, sizeof err));
    cr_assert(strstr(err, "y.so: malformed evaluator descriptor: case record 9 of 4 records"), "%s", err);
    acc_record_desc recs[4];
    memcpy(recs, mini_records, sizeof recs);
    acc_field_desc fields[10];
    memcpy(fields, case_fields, sizeof fields);
    fields[9].offset = 4096; /* beyond the record */
    recs[3].fields = fields;
    bad = accord_module_mini;
    bad.records = recs;
    cr_assert_not(acc_check(&bad, NULL, "z.so", err, sizeof err));
    cr_assert(strstr(err, "field case.bonus: offset 4096"), "%s", err);
}

/* ask a question without arguments; check the outcome, its text and citation */
static void answer(mini_case *c, const char *question, const char *outcome, const char *text, const char *cite) {
    const acc_module *m = &accord_module_mini;
    const acc_question_desc *q = acc_question(m, question);
    cr_assert_not_null(q);
    acc_result r;
    char v[128], ct[128];
    acc_ask(m, q, c, NULL, &r);
    cr_assert_str_eq(acc_outcome_name(r.kind), outcome);
    cr_assert_str_eq(acc_result_text(m, q, &r, v, sizeof v), text);
    cr_assert_str_eq(acc_result_citation(m, &r, ct, sizeof ct), cite);
}

Test(ask, decided_with_citation_and_trace) {
    const acc_module *m = &accord_module_mini;
    mini_case *c = J("{\"date\": \"2024-03-01\", \"activities\": [{\"state\": \"DE\", \"posted\": true,"
                     " \"posting\": {\"sending_state\": \"PH\"}}], \"branches\": [\"old_age\"]}");
    cr_assert_not_null(c, "%s", err);
    answer(c, "applicable_legislation", "decided", "PH", "Art. 12(1)");
    cr_assert_null(acc_question(m, "no_such_question"));
    const acc_question_desc *q = acc_question(m, "applicable_legislation");
    acc_result r;
    char v[128];

    acc_trace t = {0};
    acc_ask_traced(m, q, c, NULL, &r, &t);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    acc_trace_print(m, &t, f);
    fclose(f);
    cr_assert_str_eq(text, "asks applicable_legislation\n"
                           "  Art. 11(3)(a) gives way to its exception Art. 12(1) (rule posting)\n"
                           "  Art. 12(1) (rule posting): applies, answer PH\n"
                           "applicable_legislation is decided: PH\n"
                           "facts used: activities\n");
    free(text);
    acc_trace_free(&t);

    const acc_question_desc *cov = acc_question(m, "covered");
    acc_value arg;
    cr_assert(acc_arg_parse(m, cov, 0, "old_age", &arg, err, sizeof err), "%s", err);
    acc_ask(m, cov, c, &arg, &r);
    cr_assert_str_eq(acc_result_text(m, cov, &r, v, sizeof v), "true");
    cr_assert_not(acc_arg_parse(m, cov, 0, "holidays", &arg, err, sizeof err));
    cr_assert_str_eq(err, "covered: branch: unknown branch 'holidays'");
    /* no traced entry point: an error outcome, not a crash */
    acc_ask_traced(m, cov, c, &arg, &r, &t);
    cr_assert_eq(r.kind, ACC_ERROR);
    char why[ACC_REASON_MAX];
    cr_assert_str_eq(acc_result_reason(&r, why, sizeof why), "the evaluator has no traced entry point for covered");
    acc_case_free(c);
}

Test(ask, undetermined_reason) {
    mini_case *c = J("{\"date\": \"2024-03-01\"}");
    answer(c, "applicable_legislation", "undetermined", "no rule applies", "");
    acc_case_free(c);
}

Test(values, text) {
    const acc_module *m = &accord_module_mini;
    char b[64];
    acc_value v;
    memset(&v, 0, sizeof v);
    v.i = 24;
    cr_assert_str_eq(acc_value_text(m, ACC_T_MONTHS, -1, &v, b, sizeof b), "24 months");
    v.i = 1;
    cr_assert_str_eq(acc_value_text(m, ACC_T_DAYS, -1, &v, b, sizeof b), "1 day");
    v.i = 0;
    cr_assert_str_eq(acc_value_text(m, ACC_T_COUNTRY, -1, &v, b, sizeof b), "none");
    v.i = 2;
    cr_assert_str_eq(acc_value_text(m, ACC_T_ENUM, 0, &v, b, sizeof b), "sickness");
    v.q = (acc_rat){123456, 1};
    v.currency = (uint16_t)acc_currency_lookup("EUR", 3);
    cr_assert_str_eq(acc_value_text(m, ACC_T_MONEY, -1, &v, b, sizeof b), "1234.56 EUR");
    v.q = (acc_rat){-5, 1};
    cr_assert_str_eq(acc_value_text(m, ACC_T_MONEY, -1, &v, b, sizeof b), "-0.05 EUR");
    v.currency = (uint16_t)acc_currency_lookup("JPY", 3);
    v.q = (acc_rat){1001, 2};
    cr_assert_str_eq(acc_value_text(m, ACC_T_EXACT_MONEY, -1, &v, b, sizeof b), "500.5 JPY");
    v.currency = 0;
    v.q = (acc_rat){0, 1};
    cr_assert_str_eq(acc_value_text(m, ACC_T_MONEY, -1, &v, b, sizeof b), "0 (no currency)");
    v.q = (acc_rat){1, 8};
    cr_assert_str_eq(acc_value_text(m, ACC_T_PERCENT, -1, &v, b, sizeof b), "12.5%");
    v.q = (acc_rat){1, 3};
    cr_assert_str_eq(acc_value_text(m, ACC_T_RATIO, -1, &v, b, sizeof b), "1/3");
    v.i = acc_date_from_ymd(2024, 2, 29);
    cr_assert_str_eq(acc_value_text(m, ACC_T_DATE, -1, &v, b, sizeof b), "2024-02-29");
    memset(&v, 0, sizeof v);
    int de = CO("DE"), ph = CO("PH");
    v.bits[de >> 6] |= 1ull << (de & 63);
    v.bits[ph >> 6] |= 1ull << (ph & 63);
    cr_assert_str_eq(acc_value_text(m, ACC_T_SET, -1, &v, b, sizeof b), "{DE, PH}");
    memset(&v, 0, sizeof v);
    v.bits[0] = 6;
    cr_assert_str_eq(acc_value_text(m, ACC_T_SET, 0, &v, b, sizeof b), "{old_age, sickness}");
    /* truncation keeps the buffer terminated */
    cr_assert_str_eq(acc_value_text(m, ACC_T_SET, 0, &v, b, 5), "{old");
}
