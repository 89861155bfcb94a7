/* backend_bench.c - compiled code against the interpreter on one question
 * of one shipped agreement, on generated cases held in memory (issue 4's
 * benchmark for EU 883/2004's applicable legislation), and the compile time
 * of every agreement given (parse + check once; codegen at O2 and JIT per
 * agreement).  Figures go to bench/README.md by hand, with the machine.
 * usage: build/backend_bench DIR AGREEMENT_ID QUESTION [N] */
#include "compilation.h"
#include "diag.h"
#include "driver.h"
#include "gencases.h"
#include "interp.h"
#include "native.h"
#include "bench_common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: backend_bench DIR AGREEMENT_ID QUESTION [N]\n");
        return 2;
    }
    long n = argc > 4 ? atol(argv[4]) : 1000000;
    Compilation cx;
    cx_init(&cx);
    const char *paths[] = {argv[1]};
    DriverOptions opt = {0};
    Loaded l;
    double t0 = now();
    if (!drv_load(&cx, paths, 1, &opt, &l) || diag_error_count(&cx)) {
        diag_render(&cx, stderr, DIAG_FMT_HUMAN, false);
        return 2;
    }
    printf("parse + check of %zu agreements: %.3f s\n", l.agreements.len, now() - t0);
    Layout *lay = layout_new(l.voc, &cx.arena);
    const IrAgreement *ag = NULL;
    char err[512];
    for (size_t i = 0; i < l.agreements.len; i++) {
        const IrAgreement *x = l.agreements.items[i];
        if (!strcmp(x->id, argv[2])) ag = x;
        t0 = now();
        Native *nat = native_new(x, lay, &cx, false, err, sizeof err);
        double t1 = now();
        Native *nt = native_new(x, lay, &cx, true, err, sizeof err);
        printf("compile %-16s %4zu rules: %.3f s (O2, JIT), %.3f s with traced entry points\n", x->id, x->rules.len, t1 - t0,
               now() - t1);
        native_free(nat);
        native_free(nt);
    }
    if (!ag) {
        fprintf(stderr, "backend_bench: no agreement %s\n", argv[2]);
        return 2;
    }
    const IrQuestion *q = ir_question(ag, argv[3]);
    if (!q || q->nparams) {
        fprintf(stderr, "backend_bench: %s has no question %s without parameters\n", ag->id, argv[3]);
        return 2;
    }
    Native *nat = native_new(ag, lay, &cx, false, err, sizeof err);
    if (!nat) {
        fprintf(stderr, "backend_bench: %s\n", err);
        return 2;
    }
    GenOptions go = {7, n};
    Generator *g = gen_new(l.voc, &ag, 1, &go);
    Arena A = {0};
    Value *cases = xmalloc(sizeof *cases * (size_t)n);
    void **packed = xmalloc(sizeof *packed * (size_t)n);
    for (long i = 0; i < n; i++) {
        cases[i] = gen_next(g, &A, NULL, 0);
        packed[i] = native_pack(nat, &cases[i], &A);
    }
    Interp *in = interp_new(ag);
    long mism = 0, decided = 0;
    for (long i = 0; i < n; i++) {
        Outcome a = interp_ask(in, &cases[i], q, NULL), b = native_ask(nat, packed[i], q, NULL, NULL);
        if (a.kind != b.kind || (a.kind == OUT_DECIDED && !value_eq(&a.value, &b.value))) mism++;
        decided += a.kind == OUT_DECIDED;
    }
    printf("%s %s: %ld cases (%ld decided), %ld mismatches\n", ag->id, q->name, n, decided, mism);
    acc_ask_fn ask = native_module(nat)->questions[q->id].ask;
    volatile long sink = 0;
    int reps = 5;
    t0 = now();
    for (int r = 0; r < reps; r++)
        for (long i = 0; i < n; i++) {
            acc_result res;
            ask(packed[i], NULL, &res);
            sink += res.kind;
        }
    double compiled = (now() - t0) / reps;
    t0 = now();
    for (long i = 0; i < n; i++) sink += interp_ask(in, &cases[i], q, NULL).kind;
    double interp = now() - t0;
    printf("compiled (LLVM JIT):   %12.0f cases/s\n", n / compiled);
    printf("reference interpreter: %12.0f cases/s\n", n / interp);
    printf("ratio interpreter / compiled: %.0fx\n", interp / compiled);
    interp_free(in);
    native_free(nat);
    gen_free(g);
    free(cases);
    free(packed);
    arena_free_all(&A);
    cx_free(&cx);
    return mism ? 1 : 0;
}
