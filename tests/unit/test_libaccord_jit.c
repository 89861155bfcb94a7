/*
 * libaccord on real compiled evaluators: the shipped agreements compiled by
 * the LLVM back end (codegen.h, run in process by the JIT), read through
 * libaccord's host API alone.
 *   - every descriptor passes acc_check against the vocabulary's hash;
 *   - on generated cases, a case read by libaccord's JSON reader
 *     (acc_case_from_json, driven by the descriptors) gives, for every
 *     question without arguments, exactly the result of the same case read
 *     by the compiler (caseio.c) and packed by layout.c -- the two readers
 *     share no code, so this checks one against the other;
 *   - a posted worker under ph_de: the answer, its citation and the trace as
 *     a host prints them.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "accord.h"
#include "caseio.h"
#include "gencases.h"
#include "jit_fixture.h"

static void setup(void) { fixture_load("agreements"); }

static Compiled compile(const IrAgreement *ag) {
    return fixture_compile(ag, (CgOptions){.opt_level = 1, .pic = true, .traced = true, .host_cpu = true});
}

static bool same_result(const acc_result *a, const acc_result *b) {
    char ra[ACC_REASON_MAX], rb[ACC_REASON_MAX];
    if (a->kind != b->kind || a->nrules != b->nrules ||
        strcmp(acc_result_reason(a, ra, sizeof ra), acc_result_reason(b, rb, sizeof rb)))
        return false;
    for (int i = 0; i < a->nrules && i < ACC_MAX_RULES; i++)
        if (a->rules[i] != b->rules[i]) return false;
    return a->kind != ACC_DECIDED || !memcmp(&a->value, &b->value, sizeof a->value);
}

Test(libaccord_jit, json_reader_agrees_with_the_compiler, .init = setup, .fini = teardown) {
    const IrAgreement *ags[64];
    int nag = fixture_agreements(ags);
    GenOptions go = {7, 300};
    Generator *g = gen_new(lib.voc, ags, nag, &go);
    long compared = 0;
    for (int k = 0; k < nag; k++) {
        if (ags[k]->is_standard) continue;
        Compiled c = compile(ags[k]);
        char err[512];
        cr_assert(acc_check(c.m, lib.voc->hash, ags[k]->id, err, sizeof err), "%s", err);
        cr_assert_str_eq(c.m->agreement_id, ags[k]->id);
        for (int n = 0; n < 40; n++) {
            Arena A = {0};
            char id[64];
            Value kase = gen_next(g, &A, id, sizeof id);
            json_t *j = case_to_json(lib.voc, &kase, id, n % 2 == 0);
            char *text = json_dumps(j, JSON_COMPACT);
            json_decref(j);
            void *mine = acc_case_from_json(c.m, text, strlen(text), err, sizeof err);
            cr_assert_not_null(mine, "%s: %s", text, err);
            cr_assert_str_eq(acc_case_id(mine), id);
            void *theirs = layout_pack(lay, lib.voc->case_rec, &kase, &A);
            for (uint32_t q = 0; q < c.m->nquestions; q++) {
                const acc_question_desc *qd = &c.m->questions[q];
                if (qd->nparams) continue;
                acc_result r1, r2;
                acc_ask(c.m, qd, mine, NULL, &r1);
                acc_ask(c.m, qd, theirs, NULL, &r2);
                char t1[512], t2[512];
                cr_assert(same_result(&r1, &r2), "%s, %s: %s vs %s\n%s", ags[k]->id, qd->name,
                          acc_result_text(c.m, qd, &r1, t1, sizeof t1), acc_result_text(c.m, qd, &r2, t2, sizeof t2), text);
                compared++;
            }
            acc_case_free(mine);
            free(text);
            arena_free_all(&A);
        }
        release(&c);
    }
    gen_free(g);
    cr_assert_gt(compared, 100);
}

Test(libaccord_jit, posted_worker_under_ph_de, .init = setup, .fini = teardown) {
    const IrAgreement *ph_de = NULL;
    for (size_t i = 0; i < lib.agreements.len; i++)
        if (!strcmp(((IrAgreement *)lib.agreements.items[i])->id, "ph_de")) ph_de = lib.agreements.items[i];
    cr_assert_not_null(ph_de);
    Compiled c = compile(ph_de);
    char err[512], v[256], cite[256];
    const char *json = "{\"id\": \"posted-1\", \"date\": \"2024-03-01\", \"person\": {\"nationalities\": [\"PH\"], "
                       "\"residence\": \"PH\"}, \"activities\": [{\"state\": \"DE\", \"kind\": \"employed\", "
                       "\"employer_seat\": \"PH\", \"posted\": true, \"posting\": {\"sending_state\": \"PH\", "
                       "\"start\": \"2024-01-01\", \"anticipated_end\": \"2025-12-31\", \"months_insured_before\": 12, "
                       "\"employer_substantial_activity\": true}}]}";
    void *kase = acc_case_from_json(c.m, json, strlen(json), err, sizeof err);
    cr_assert_not_null(kase, "%s", err);
    const acc_question_desc *q = acc_question(c.m, "applicable_legislation");
    acc_result r;
    acc_ask(c.m, q, kase, NULL, &r);
    cr_assert_str_eq(acc_outcome_name(r.kind), "decided");
    cr_assert_str_eq(acc_result_text(c.m, q, &r, v, sizeof v), "PH");
    cr_assert_str_eq(acc_result_citation(c.m, &r, cite, sizeof cite), "Art. 7(1)");
    cr_assert(c.m->in_personal_scope(kase));

    acc_trace t;
    memset(&t, 0, sizeof t);
    acc_ask_traced(c.m, q, kase, NULL, &r, &t);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    acc_trace_print(c.m, &t, f);
    fclose(f);
    /* the steps `accord explain` shows for this case, and the facts used */
    cr_assert(strstr(out, "asks applicable_legislation\n"), "%s", out);
    cr_assert(strstr(out, "  Art. 7(1) (rule posting): applies, answer PH\n"), "%s", out);
    cr_assert(strstr(out, "  Art. 6(1) (rule lex_loci_de) gives way to its exception Art. 7(1) (rule posting)\n"), "%s", out);
    cr_assert(strstr(out, "applicable_legislation is decided: PH\n"), "%s", out);
    cr_assert(strstr(out, "facts used: date, person, activities, periods\n"), "%s", out);
    free(out);
    acc_trace_free(&t);

    /* a question with arguments, given as text */
    const acc_question_desc *b = acc_question(c.m, "covered");
    cr_assert_not_null(b);
    acc_value arg;
    cr_assert(acc_arg_parse(c.m, b, 0, "old_age", &arg, err, sizeof err), "%s", err);
    acc_ask(c.m, b, kase, &arg, &r);
    char why[ACC_REASON_MAX];
    cr_assert_neq(r.kind, ACC_ERROR, "%s", acc_result_reason(&r, why, sizeof why));
    acc_case_free(kase);
    release(&c);
}

/* A host that fills a case itself may leave a ratio unreduced (50/200) or
 * zeroed (den 0 reads as 1): runtime/accord.h's layout contract.  The
 * peer rules compare the residence share with 25 % (Art. 13(1)(a)/(b)):
 * every spelling of 25 % decides as 1/4 does, every spelling of 24 % as
 * 6/25, and a zeroed share counts as 0 %. */
static void setup_peer(void) { fixture_load("bench/peer-rules.accord"); }

static const acc_field_desc *field_of(const acc_module *m, uint32_t rec, const char *name) {
    const acc_record_desc *r = &m->records[rec];
    for (uint32_t i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i].name, name)) return &r->fields[i];
    cr_assert_fail("no field %s in %s", name, r->name);
    return NULL;
}

Test(libaccord_jit, host_ratios_unreduced_or_zeroed, .init = setup_peer, .fini = teardown) {
    cr_assert_eq(lib.agreements.len, 1);
    Compiled c = compile(lib.agreements.items[0]);
    char err[512], v[64], cite[64];
    const char *json = "{\"date\": \"2024-01-01\", \"person\": {\"residence\": \"BE\"}, \"activities\": ["
                       "{\"state\": \"BE\", \"kind\": \"employed\", \"employer_seat\": \"NL\", \"share\": \"25%\"},"
                       "{\"state\": \"NL\", \"kind\": \"employed\", \"employer_seat\": \"NL\", \"share\": \"75%\"}]}";
    void *kase = acc_case_from_json(c.m, json, strlen(json), err, sizeof err);
    cr_assert_not_null(kase, "%s", err);
    const acc_field_desc *acts = field_of(c.m, c.m->case_record, "activities");
    const acc_field_desc *share = field_of(c.m, (uint32_t)acts->ref, "share");
    const acc_list *l = (const acc_list *)((const char *)kase + acts->offset);
    cr_assert_eq(l->n, 2);
    acc_rat *s0 = (acc_rat *)((char *)l->items + share->offset);
    cr_assert(s0->num == 1 && s0->den == 4, "the JSON reader reduces: %lld/%lld", (long long)s0->num, (long long)s0->den);
    const acc_question_desc *q = acc_question(c.m, "applicable_legislation");
    static const struct { acc_rat share; const char *want, *cite; } cases[] = {
        {{1, 4}, "BE", "Art. 13(1)(a)"},      {{50, 200}, "BE", "Art. 13(1)(a)"},
        {{25, 100}, "BE", "Art. 13(1)(a)"},   {{6, 25}, "NL", "Art. 13(1)(b)"},
        {{48, 200}, "NL", "Art. 13(1)(b)"},   {{0, 0}, "NL", "Art. 13(1)(b)"},
        {{1, 1}, "BE", "Art. 13(1)(a)"},      {{999999, 4000000}, "NL", "Art. 13(1)(b)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        *s0 = cases[i].share;
        acc_result r;
        acc_ask(c.m, q, kase, NULL, &r);
        cr_assert_str_eq(acc_outcome_name(r.kind), "decided", "share %lld/%lld", (long long)cases[i].share.num,
                         (long long)cases[i].share.den);
        cr_assert_str_eq(acc_result_text(c.m, q, &r, v, sizeof v), cases[i].want, "share %lld/%lld",
                         (long long)cases[i].share.num, (long long)cases[i].share.den);
        cr_assert_str_eq(acc_result_citation(c.m, &r, cite, sizeof cite), cases[i].cite);
    }
    acc_case_free(kase);
    release(&c);
}
