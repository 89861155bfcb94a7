/* smt_fixture.h - what the unit tests of the Z3 encoder share: one test
 * agreement loaded into one compilation, its `exportable` question (whose
 * rules' conditions are the atoms the tests ask about), and a rule of a
 * question by label.  Each test file includes it once (its state is
 * file-static, as Criterion runs each test in its own process). */
#ifndef ACCORD_TESTS_SMT_FIXTURE_H
#define ACCORD_TESTS_SMT_FIXTURE_H
#include <criterion/criterion.h>
#include <string.h>

#include "diag.h"
#include "driver.h"

static Compilation cx;
static Loaded lib;
static const IrAgreement *ag;
static const IrQuestion *q;

/* path (from the repository root): its first agreement and `exportable` */
static inline void load(const char *path) {
    cx_init(&cx);
    DriverOptions opt = {0};
    bool ok = drv_load(&cx, &path, 1, &opt, &lib);
    cr_assert(ok && diag_error_count(&cx) == 0, "%s loads (run from the repository root)", path);
    ag = lib.agreements.items[0];
    q = ir_question(ag, "exportable");
    cr_assert(q);
}
static inline void teardown(void) { cx_free(&cx); }

/* the rule labelled so among question in's rules (the test fails without one) */
static inline const IrRule *rule_of(const IrQuestion *in, const char *label) {
    for (size_t i = 0; i < in->rules.len; i++) {
        const IrRule *r = in->rules.items[i];
        if (r->label && !strcmp(r->label, label)) return r;
    }
    cr_assert_fail("no rule %s", label);
    return NULL;
}
static inline const IrRule *rule(const char *label) { return rule_of(q, label); }
#endif
