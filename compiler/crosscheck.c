/* crosscheck.c - compiled code against the interpreter; see crosscheck.h. */
#include "crosscheck.h"
#include "caseio.h"
#include "compilation.h"
#include "gencases.h"
#include "iso.h"
#include "native.h"
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static bool same_value(const Value *a, const Value *b) { return a->kind == b->kind && value_eq(a, b); }

/* what differs between two outcomes, or NULL */
static const char *differs(const Outcome *a, const Outcome *b) {
    if (a->kind != b->kind) return "outcome kind";
    if (a->kind == OUT_DECIDED && !same_value(&a->value, &b->value)) return "value";
    if (a->nrules != b->nrules) return "number of deciding rules";
    for (int i = 0; i < a->nrules; i++)
        if (a->rules[i] != b->rules[i]) return "deciding rule";
    if (a->kind == OUT_CONFLICT && (!same_value(&a->values[0], &b->values[0]) || !same_value(&a->values[1], &b->values[1])))
        return "conflicting values";
    if (strcmp(a->reason, b->reason)) return "message";
    return NULL;
}

static const char *trace_differs(const Trace *a, const Trace *b, size_t *at) {
    size_t n = a->n < b->n ? a->n : b->n;
    for (size_t i = 0; i < n; i++) {
        const TraceEvent *x = &a->ev[i], *y = &b->ev[i];
        *at = i;
        if (x->kind != y->kind) return "event kind";
        if (x->depth != y->depth) return "depth";
        if (x->rule != y->rule || x->by != y->by) return "rule";
        if (x->q != y->q) return "question";
        if (x->expr != y->expr) return "expression";
        if (x->slot != y->slot) return "fact";
        if (x->outcome != y->outcome) return "outcome";
        if (x->kind == TR_DECIDED || x->kind == TR_ANSWER) {
            if (x->outcome == OUT_DECIDED && !value_eq(&x->value, &y->value)) return "value";
        }
        if (x->kind == TR_ARITH && (!value_eq(&x->a, &y->a) || !value_eq(&x->value, &y->value))) return "arithmetic";
    }
    *at = n;
    return a->n != b->n ? "number of events" : NULL;
}

static uint64_t mix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* one argument for parameter i of q: a party, a state that is not one, or a
 * constant of the enum (every constant and none) */
static Value draw_arg(const IrAgreement *ag, const IrQuestion *q, int i, uint64_t r, int outsider) {
    Value v;
    memset(&v, 0, sizeof v);
    const Type *t = q->ptypes[i];
    v.kind = t->kind;
    if (t->kind == TY_COUNTRY) {
        int np = set_size(&ag->parties), k = (int)(r % (uint64_t)(np + 1));
        if (k == np) { v.i = outsider; return v; }
        for (int c = 1; c < 256; c++)
            if (set_has(&ag->parties, c) && k-- == 0) { v.i = c; return v; }
    }
    if (t->kind == TY_ENUM) v.i = (int64_t)(r % (uint64_t)(t->en->n + 1));
    return v;
}

/* the case, in the JSON case format, so that it can become a regression test */
static void print_case(FILE *out, const Loaded *l, const Value *kase) {
    json_t *j = case_to_json(l->voc, kase, "mismatch", false);
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
    fprintf(out, "  case %s\n", s);
    free(s);
    json_decref(j);
}

static void report(FILE *out, const Loaded *l, const IrAgreement *ag, const IrQuestion *q, const Value *args,
                   const Value *kase, const char *what, const Outcome *oi, const Outcome *oc) {
    fprintf(out, "MISMATCH %s: %s", ag->id, q->name);
    for (int i = 0; i < q->nparams; i++) {
        fputs(i ? ", " : "(", out);
        value_print(out, &args[i], q->ptypes[i]);
    }
    fprintf(out, "%s differs in %s\n", q->nparams ? ")" : "", what);
    const Outcome *os[2] = {oi, oc};
    const char *who[2] = {"interpreter", "compiled"};
    for (int k = 0; k < 2; k++) {
        char cites[256];
        outcome_cites(os[k], cites, sizeof cites);
        fprintf(out, "  %-11s %s", who[k], ir_outcome_name(os[k]->kind));
        if (os[k]->kind == OUT_DECIDED) {
            fputs(" ", out);
            value_print(out, &os[k]->value, q->type);
        }
        fprintf(out, " [%s] %s\n", cites, os[k]->reason);
    }
    print_case(out, l, kase);
}

/* one agreement: compile, generate, compare; output into its own buffer */
typedef struct Job {
    const Loaded *l;
    const CrossOptions *opt;
    const Layout *lay;
    size_t ai;
    char *text;
    size_t textlen;
    CrossStats st;
    bool ok;
} Job;

static void check_agreement(Job *jb) {
    const Loaded *l = jb->l;
    const CrossOptions *opt = jb->opt;
    size_t ai = jb->ai;
    CrossStats *st = &jb->st;
    FILE *out = open_memstream(&jb->text, &jb->textlen);
    const IrAgreement *ag = l->agreements.items[ai];
    char err[512];
    Native *nat = native_new(ag, jb->lay, l->cx, opt->trace_every > 0, err, sizeof err);
    jb->ok = nat != NULL;
    if (!nat) {
        fprintf(out, "accord crosscheck: %s: %s\n", ag->id, err);
        fclose(out);
        return;
    }
    Interp *in = interp_new(ag);
    int outsider = 1;
    while (outsider < 255 && set_has(&ag->parties, outsider)) outsider++;
    GenOptions go = {opt->seed + ai, opt->cases};
    Generator *gen = gen_new(l->voc, &ag, 1, &go);
    long mism = 0;
    for (long c = 0; c < opt->cases; c++) {
        Arena A = {0};
        char id[64];
        Value kase = gen_next(gen, &A, id, sizeof id);
        void *packed = native_pack(nat, &kase, &A);
        if (interp_in_personal_scope(in, &kase) != native_in_personal_scope(nat, packed)) {
            st->mismatches++;
            if (++mism <= opt->max_reports) {
                fprintf(out, "MISMATCH %s: personal scope differs (interpreter %s, compiled %s)\n", ag->id,
                        interp_in_personal_scope(in, &kase) ? "within" : "outside",
                        native_in_personal_scope(nat, packed) ? "within" : "outside");
                print_case(out, l, &kase);
            }
        }
        bool traced = opt->trace_every > 0 && c % opt->trace_every == 0;
        for (size_t qi = 0; qi < ag->questions.len; qi++) {
            const IrQuestion *q = ag->questions.items[qi];
            int tuples = q->nparams ? 3 : 1;
            for (int t = 0; t < tuples; t++) {
                Value args[8];
                uint64_t r = mix(opt->seed ^ ((uint64_t)c << 20) ^ (qi << 8) ^ (uint64_t)t);
                for (int i = 0; i < q->nparams && i < 8; i++) args[i] = draw_arg(ag, q, i, mix(r + (uint64_t)i), outsider);
                Outcome oi = interp_ask(in, &kase, q, args);
                Outcome oc = native_ask(nat, packed, q, args, NULL);
                st->asks++;
                const char *what = differs(&oi, &oc);
                if (what) {
                    st->mismatches++;
                    if (++mism <= opt->max_reports) report(out, l, ag, q, args, &kase, what, &oi, &oc);
                }
                if (traced) {
                    Trace ti = {0}, tc = {0};
                    interp_set_trace(in, &ti);
                    interp_ask(in, &kase, q, args);
                    interp_set_trace(in, NULL);
                    native_ask(nat, packed, q, args, &tc);
                    size_t at;
                    const char *tw = trace_differs(&ti, &tc, &at);
                    st->traces++;
                    if (tw) {
                        st->mismatches++;
                        if (++mism <= opt->max_reports) {
                            char what2[96];
                            snprintf(what2, sizeof what2, "trace (%s at event %zu of %zu/%zu)", tw, at, ti.n, tc.n);
                            report(out, l, ag, q, args, &kase, what2, &oi, &oc);
                        }
                    }
                    trace_free(&ti);
                    trace_free(&tc);
                }
            }
        }
        arena_free_all(&A);
        st->cases++;
    }
    fprintf(out, "%s: %ld cases, %ld mismatches\n", ag->id, opt->cases, mism);
    gen_free(gen);
    interp_free(in);
    native_free(nat);
    fclose(out);
}

typedef struct Pool {
    Job *jobs;
    size_t n, next;
    pthread_mutex_t lock;
} Pool;

static void *work(void *arg) {
    Pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n) return NULL;
        check_agreement(&p->jobs[i]);
    }
}

bool crosscheck(const Loaded *l, const CrossOptions *opt, FILE *out, CrossStats *st) {
    memset(st, 0, sizeof *st);
    Layout *lay = layout_new(l->voc, &l->cx->arena);
    Pool p = {xcalloc(l->agreements.len + 1, sizeof(Job)), l->agreements.len, 0, PTHREAD_MUTEX_INITIALIZER};
    for (size_t i = 0; i < p.n; i++) p.jobs[i] = (Job){.l = l, .opt = opt, .lay = lay, .ai = i};
    int nt = opt->jobs > 0 ? opt->jobs : 1;
    pthread_t th[64];
    if (nt > 64) nt = 64;
    for (int t = 1; t < nt; t++) pthread_create(&th[t], NULL, work, &p);
    work(&p);
    for (int t = 1; t < nt; t++) pthread_join(th[t], NULL);
    bool ok = true;
    for (size_t i = 0; i < p.n; i++) {
        Job *jb = &p.jobs[i];
        fwrite(jb->text, 1, jb->textlen, out);
        free(jb->text);
        ok &= jb->ok;
        st->cases += jb->st.cases;
        st->asks += jb->st.asks;
        st->traces += jb->st.traces;
        st->mismatches += jb->st.mismatches;
    }
    free(p.jobs);
    return ok;
}
