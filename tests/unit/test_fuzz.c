/* A deterministic fuzz loop over the whole front end and the interpreter
 * (style G12): random bytes and mutations of a valid agreement go through
 * parse -> check -> run examples in-process.  Nothing may crash, hang or
 * trip a sanitizer; every rejected input must carry at least one error.
 * `make fuzz` runs a coverage-guided libFuzzer version for longer. */
#include "diag.h"
#include "driver.h"
#include "interp.h"
#include "../fuzz/fuzz_one.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

AstFile *parse_file(Compilation *cx, uint32_t file);

static const char seed_text[] =
    "agreement ph_de {\n"
    "  title \"T\"; parties PH, DE; signed 2014-09-19; in force 2018-06-01;\n"
    "}\n"
    "article 6 \"General rule\" {\n"
    "  prose \"\"\"The employment state.\"\"\";\n"
    "  personal scope: true;\n"
    "  material scope for DE: old_age, invalidity;\n"
    "  material scope for PH: old_age;\n"
    "  rule lex: applicable_legislation = first(a in activities : a.state else none) when count(a in activities) == 1;\n"
    "  rule covered(b) = b in {old_age, invalidity} when not (person.residence == none);\n"
    "}\n"
    "article 7 \"Posting\" {\n"
    "  parameter max_posting = 48 months;\n"
    "  paragraph 1 { rule post: applicable_legislation = PH\n"
    "     when exists(a in activities where a.posted and posting_months(a) <= max_posting) exception to article 6 priority 2; }\n"
    "}\n"
    "article 8 \"Amounts\" {\n"
    "  define own(s: country): money = sum(m in claim.amounts where m.state == s : m.independent);\n"
    "  rule benefit(s, b) = round(own(s) * 3 / 4 + 0.5 * own(s), half_up) when b == old_age and days(p in periods where p.state == s minus p.type == voluntary) > 30 days;\n"
    "  rule aggregated_periods(s, b) = in_months(days(p in periods where p.branch == b));\n"
    "}\n"
    "protocol p1 { in force 2020-01-01; amend parameter max_posting = 60 months; }\n"
    "example \"e\" {\n"
    "  given date = 2020-01-01; given person.residence = DE;\n"
    "  given activities = [{ state = DE, kind = employed, posted = true,\n"
    "     posting = { sending_state = PH, start = 2020-01-01, anticipated_end = 2021-08-31 } }];\n"
    "  given periods = [{ state = DE, branch = old_age, from = 2000-01-01, to = 2009-12-31, type = contribution }];\n"
    "  given claim.amounts = [{ state = DE, theoretical = 100.00 EUR, independent = 80.00 EUR }];\n"
    "  expect applicable_legislation = PH by article 7(1);\n"
    "  expect benefit(DE, old_age) = 100.00 EUR;\n"
    "  expect covered(invalidity) = true;\n"
    "  expect covered(sickness) is not covered;\n"
    "}\n";

static const char *tokens[] = {
    "(", ")", "{", "}", "[", "]", ";", ",", ":", ".", "=", "==", "<", "+", "-", "*", "/", "%", "not in", "and",
    "or", "not", "article", "rule", "exception to article 6", "priority 1", "from 2019-01-01", "until 2030-01-01",
    "paragraph 2 {", "example \"x\" {", "given date = 2021-01-01;", "expect applicable_legislation = DE;",
    "\"", "\"\"\"", "/*", "*/", "//", "2020-02-30", "99999999999999999999", "1.005 EUR", "25%", "12 months",
    "3 days", "XX", "none", "{}", "exists(x in activities where", "days(p in periods", "if true then 1 else",
    "define d: int = d;", "rule applicable_legislation = DE;", "phase \"p\" from 2025-01-01 {", "\xff\xfe", "\0",
};

static uint64_t rng_state;
static uint64_t rnd(void) {
    /* splitmix64: deterministic across platforms */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void run_one(const char *text, size_t len) {
    cr_assert(fuzz_one(text, len), "rejected without a diagnostic");
}

Test(fuzz, the_seed_is_valid_and_passes) {
    Compilation cx;
    cx_init(&cx);
    int pid = src_add_text(&cx, "prelude", (const char *)accord_prelude_text, accord_prelude_len);
    IrVocabulary *voc = chk_vocabulary(&cx, parse_file(&cx, (uint32_t)pid));
    int id = src_add_text(&cx, "seed.accord", seed_text, sizeof seed_text - 1);
    AstFile *f = parse_file(&cx, (uint32_t)id);
    cr_assert(f);
    IrAgreement *ag = chk_agreement(&cx, voc, f, NULL, 0);
    diag_render(&cx, stderr, DIAG_FMT_HUMAN, false);
    cr_assert_eq(diag_error_count(&cx), 0);
    Loaded l = {0};
    l.cx = &cx;
    ptrvec_push(&cx.arena, &l.agreements, ag);
    unsigned p, q;
    drv_run_examples(&l, stderr, false, false, &p, &q);
    cr_expect_eq(p, 1);
    cr_expect_eq(q, 0);
    cx_free(&cx);
}

Test(fuzz, random_bytes) {
    rng_state = 1;
    char buf[512];
    for (int i = 0; i < 1500; i++) {
        size_t n = rnd() % sizeof buf;
        for (size_t k = 0; k < n; k++) buf[k] = (char)(rnd() & 0xff);
        run_one(buf, n);
    }
}

Test(fuzz, mutations_of_a_valid_agreement, .timeout = 120) {
    rng_state = 42;
    size_t cap = 4 * sizeof seed_text + 1024;
    char *buf = malloc(cap);
    for (int i = 0; i < 20000; i++) {
        size_t n = sizeof seed_text - 1;
        memcpy(buf, seed_text, n);
        int edits = 1 + (int)(rnd() % 4);
        for (int e = 0; e < edits; e++) {
            size_t at = n ? rnd() % n : 0;
            switch (rnd() % 5) {
            case 0: if (n) buf[at] = (char)(rnd() & 0xff); break;                 /* flip a byte */
            case 1: { size_t k = rnd() % 40; if (at + k > n) k = n - at;          /* delete a run */
                      memmove(buf + at, buf + at + k, n - at - k); n -= k; break; }
            case 2: { const char *t = tokens[rnd() % (sizeof tokens / sizeof *tokens)]; /* insert a token */
                      size_t k = strlen(t) ? strlen(t) : 1;
                      if (n + k + 1 >= cap) break;
                      memmove(buf + at + k, buf + at, n - at); memcpy(buf + at, t, k); n += k; break; }
            case 3: n = at; break;                                                /* truncate */
            case 4: { size_t k = rnd() % 60, from = n ? rnd() % n : 0;            /* duplicate a run */
                      if (from + k > n) k = n - from;
                      if (n + k + 1 >= cap) break;
                      memmove(buf + at + k, buf + at, n - at); memmove(buf + at, buf + from + (from >= at ? k : 0), k);
                      n += k; break; }
            }
        }
        run_one(buf, n);
    }
    free(buf);
}
