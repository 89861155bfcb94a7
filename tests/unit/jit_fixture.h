/* jit_fixture.h - what the unit tests of compiled code share: a library
 * loaded into one compilation with its case layout, an agreement compiled and
 * JIT-linked, and both freed.  Each test file includes it once (its state is
 * file-static, as Criterion runs each test in its own process). */
#ifndef ACCORD_TESTS_JIT_FIXTURE_H
#define ACCORD_TESTS_JIT_FIXTURE_H
#include <criterion/criterion.h>

#include "codegen.h"
#include "compilation.h"
#include "diag.h"
#include "driver.h"
#include "layout.h"

static Compilation cx;
static Loaded lib;
static Layout *lay;

/* load path (a file or a directory, from the repository root) */
static inline void fixture_load(const char *path) {
    cx_init(&cx);
    const char *paths[] = {path};
    DriverOptions opt = {0};
    cr_assert(drv_load(&cx, paths, 1, &opt, &lib), "%s loads (run the tests from the repository root)", path);
    cr_assert_eq(diag_error_count(&cx), 0);
    lay = layout_new(lib.voc, &cx.arena);
}
static inline void teardown(void) { cx_free(&cx); }

/* the library's agreements into ags (room for 64; more fails the test
 * rather than being left out): their count */
static inline int fixture_agreements(const IrAgreement *ags[64]) {
    int nag = (int)lib.agreements.len;
    cr_assert_leq(nag, 64, "%d agreements: the fixture holds 64", nag);
    for (int i = 0; i < nag; i++) ags[i] = lib.agreements.items[i];
    return nag;
}

typedef struct Compiled {
    CgUnit *u;
    CgJit *j;
    const acc_module *m;
} Compiled;

/* ag compiled with o (its cx set here) and JIT-linked */
static inline Compiled fixture_compile(const IrAgreement *ag, CgOptions o) {
    char err[512];
    o.cx = &cx;
    Compiled c = {0};
    c.u = cg_compile(ag, lay, &o, err, sizeof err);
    cr_assert_not_null(c.u, "%s: %s", ag->id, err);
    c.j = cg_jit(c.u, err, sizeof err);
    cr_assert_not_null(c.j, "%s: %s", ag->id, err);
    c.m = cg_jit_module(c.j);
    return c;
}
static inline void release(Compiled *c) {
    cg_jit_free(c->j);
    cg_free(c->u);
}
#endif
