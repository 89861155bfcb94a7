/*
 * The head of a compiled result: a decided result's kind, nrules, value kind
 * and currency are written by compiled code as one 16-byte store
 * (compiler/codegen.c, store_decided), into the host's acc_result, which is
 * only 8-byte aligned.  On generated cases, every question of the shipped
 * agreements, asked untraced (optimised, with the host's CPU) into a result
 * that lies 8 bytes past a 16-byte boundary: a decided result says kind
 * ACC_DECIDED, at least one rule, the question's value kind (currency 0 but
 * for money), no reason (acc_result_reason gives "" although the result's
 * `why` is left as it was, ABI 4) -- and the same as the traced entry
 * point, whose code writes the fields one by one.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "accord.h"
#include "iso.h"
#include "gencases.h"
#include "jit_fixture.h"

static void setup(void) { fixture_load("agreements"); }

/* the arguments of q: DE (a party of most agreements) and the first enum constant */
static void first_args(const acc_question_desc *q, acc_value *args) {
    for (uint32_t p = 0; p < q->nparams && p < 2; p++) {
        memset(&args[p], 0, sizeof args[p]);
        args[p].kind = q->params[p].kind;
        args[p].i = q->params[p].kind == ACC_T_COUNTRY ? acc_country_lookup("DE", 2) : 1;
    }
}

Test(result_head, decided_results_written_whole_at_8_byte_alignment, .init = setup, .fini = teardown) {
    const IrAgreement *ags[64];
    int nag = fixture_agreements(ags);
    GenOptions go = {11, 300};
    Generator *g = gen_new(lib.voc, ags, nag, &go);
    /* 8 bytes past a 16-byte boundary */
    _Alignas(16) unsigned char buf[sizeof(acc_result) + 16];
    acc_result *r = (acc_result *)(void *)(buf + 8);
    long decided = 0, kinds_seen = 0;
    bool seen[ACC_T_STRING + 1] = {0};
    for (int k = 0; k < nag; k++) {
        if (ags[k]->is_standard) continue;
        Compiled c = fixture_compile(ags[k], (CgOptions){.opt_level = 2, .pic = true, .traced = true, .host_cpu = true});
        for (int n = 0; n < 60; n++) {
            Arena A = {0};
            char id[64];
            Value kase = gen_next(g, &A, id, sizeof id);
            void *packed = layout_pack(lay, lib.voc->case_rec, &kase, &A);
            for (uint32_t q = 0; q < c.m->nquestions; q++) {
                const acc_question_desc *qd = &c.m->questions[q];
                acc_value args[2];
                first_args(qd, args);
                memset(buf, 0xa5, sizeof buf); /* what was there before is not read: */
                r->why.code = ACC_WHY_TEXT;     /* a stale reason, which a decided result leaves (ABI 4) */
                strcpy(r->why.text, "stale");
                qd->ask(packed, args, r);
                acc_result t;
                acc_trace tr;
                memset(&tr, 0, sizeof tr);
                qd->ask_traced(packed, args, &t, &tr);
                acc_trace_free(&tr);
                cr_assert_eq(r->kind, t.kind, "%s %s", ags[k]->id, qd->name);
                if (r->kind != ACC_DECIDED) continue;
                decided++;
                cr_assert_eq(r->value.kind, qd->result_kind, "%s %s: value kind %d", ags[k]->id, qd->name, r->value.kind);
                if (qd->result_kind != ACC_T_MONEY) cr_assert_eq(r->value.currency, 0, "%s %s", ags[k]->id, qd->name);
                cr_assert_eq(r->value.currency, t.value.currency, "%s %s", ags[k]->id, qd->name);
                cr_assert(r->nrules >= 1 && r->nrules == t.nrules, "%s %s: %d rules", ags[k]->id, qd->name, r->nrules);
                cr_assert_eq(r->rules[0], t.rules[0], "%s %s", ags[k]->id, qd->name);
                switch (qd->result_kind) { /* only the payload's own bytes are written */
                case ACC_T_BOOL: cr_assert_eq(r->value.b, t.value.b, "%s %s", ags[k]->id, qd->name); break;
                case ACC_T_RATIO: case ACC_T_PERCENT: case ACC_T_MONEY: case ACC_T_EXACT_MONEY:
                    cr_assert(r->value.q.num == t.value.q.num && r->value.q.den == t.value.q.den, "%s %s", ags[k]->id, qd->name);
                    break;
                case ACC_T_SET: cr_assert(!memcmp(r->value.bits, t.value.bits, sizeof t.value.bits), "%s %s", ags[k]->id, qd->name); break;
                default: cr_assert_eq(r->value.i, t.value.i, "%s %s", ags[k]->id, qd->name);
                }
                char why[ACC_REASON_MAX];
                cr_assert_str_eq(acc_result_reason(r, why, sizeof why), "", "%s %s", ags[k]->id, qd->name);
                if (!seen[qd->result_kind]) kinds_seen++;
                seen[qd->result_kind] = true;
            }
            arena_free_all(&A);
        }
        release(&c);
    }
    gen_free(g);
    cr_assert_gt(decided, 100, "%ld decided", decided);
    cr_assert_geq(kinds_seen, 3, "decided answers of %ld value kinds", kinds_seen); /* country, bool, months */
}
