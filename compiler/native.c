/* native.c - compiled evaluators as interpreters; see native.h. */
#include "native.h"
#include "codegen.h"
#include "compilation.h"
#include "diag.h"
#include <stdlib.h>
#include <string.h>

struct Native {
    const IrAgreement *ag;
    const Layout *lay;
    CgUnit *unit;       /* kept for the expression table of traces */
    CgJit *jit;
    const acc_module *m;
};

static Native *native_make(const IrAgreement *ag, const Layout *lay, const Compilation *cx, bool traced, bool columnar,
                           char *err, size_t errlen) {
    /* position-independent: JIT memory lies anywhere in the address space */
    CgOptions opt = {.opt_level = 2, .pic = true, .traced = traced, .host_cpu = true, .columnar = columnar, .source_hash = NULL, .cx = cx};
    const char *fault = getenv("ACCORD_CODEGEN_FAULT");
    opt.fault_ge_as_gt = fault && !strcmp(fault, "ge-as-gt");
    CgUnit *u = cg_compile(ag, lay, &opt, err, errlen);
    if (!u) return NULL;
    CgJit *j = cg_jit(u, err, errlen);
    if (!j) {
        cg_free(u);
        return NULL;
    }
    Native *n = xcalloc(1, sizeof *n);
    n->ag = ag;
    n->lay = lay;
    n->unit = u;
    n->jit = j;
    n->m = cg_jit_module(j);
    return n;
}

Native *native_new(const IrAgreement *ag, const Layout *lay, const Compilation *cx, bool traced, char *err, size_t errlen) {
    return native_make(ag, lay, cx, traced, false, err, errlen);
}

Native *native_new_columnar(const IrAgreement *ag, const Layout *lay, const Compilation *cx, char *err, size_t errlen) {
    return native_make(ag, lay, cx, false, true, err, errlen);
}

void native_free(Native *n) {
    if (!n) return;
    cg_jit_free(n->jit);
    cg_free(n->unit);
    free(n);
}

void *native_pack(const Native *n, const Value *kase, Arena *a) {
    return layout_pack(n->lay, n->ag->vocab->case_rec, kase, a);
}

static const IrRule *rule_at(const Native *n, int32_t i) {
    if (i < 0 || (size_t)i >= n->ag->rules.len) ICE("compiled code named rule %d of %zu", i, n->ag->rules.len);
    return n->ag->rules.items[i];
}

static void to_value(Value *v, const acc_value *a) { memcpy(v, a, sizeof *v); }

static void convert_trace(const Native *n, const acc_trace *at, Trace *tr) {
    for (size_t i = 0; i < at->n; i++) {
        const acc_trace_event *a = &at->ev[i];
        if (tr->n == tr->cap) {
            tr->cap = tr->cap ? tr->cap * 2 : 64;
            tr->ev = xrealloc(tr->ev, tr->cap * sizeof *tr->ev);
        }
        TraceEvent *e = &tr->ev[tr->n++];
        memset(e, 0, sizeof *e);
        e->kind = (TraceKind)a->kind;
        e->depth = tr->depth + a->depth;
        e->slot = a->slot;
        e->q = a->question >= 0 ? n->ag->questions.items[a->question] : NULL;
        e->rule = a->rule >= 0 ? rule_at(n, a->rule) : NULL;
        e->by = a->by >= 0 ? rule_at(n, a->by) : NULL;
        e->expr = a->expr >= 0 ? cg_expr(n->unit, a->expr) : NULL;
        to_value(&e->args[0], &a->args[0]);
        to_value(&e->args[1], &a->args[1]);
        to_value(&e->a, &a->a);
        to_value(&e->b, &a->b);
        to_value(&e->value, &a->value);
        e->outcome = (OutcomeKind)a->outcome;
    }
}

Outcome native_ask(const Native *n, const void *packed, const IrQuestion *q, const Value *args, Trace *tr) {
    acc_result r;
    const acc_question_desc *qd = &n->m->questions[q->id];
    acc_value av[8];
    memset(av, 0, sizeof av);
    for (int i = 0; i < q->nparams && i < 8; i++) memcpy(&av[i], &args[i], sizeof av[i]);
    if (tr) {
        if (!qd->ask_traced) ICE("native_ask: %s was compiled without traces", n->ag->id);
        acc_trace at;
        memset(&at, 0, sizeof at);
        qd->ask_traced(packed, av, &r, &at);
        convert_trace(n, &at, tr);
        acc_trace_free(&at);
    } else {
        qd->ask(packed, av, &r);
    }
    Outcome o;
    memset(&o, 0, sizeof o);
    o.kind = (OutcomeKind)r.kind;
    o.nrules = r.nrules;
    for (int i = 0; i < r.nrules && i < OUTCOME_MAX_RULES; i++) o.rules[i] = rule_at(n, r.rules[i]);
    if (o.kind == OUT_DECIDED) to_value(&o.value, &r.value);
    if (o.kind == OUT_CONFLICT) {
        to_value(&o.values[0], &r.values[0]);
        to_value(&o.values[1], &r.values[1]);
    }
    if (o.kind != OUT_DECIDED) acc_result_reason(&r, o.reason, sizeof o.reason);
    return o;
}

bool native_in_personal_scope(const Native *n, const void *packed) { return n->m->in_personal_scope(packed); }

const acc_module *native_module(const Native *n) { return n->m; }

bool native_traced(const Native *n) { return n->m->nquestions == 0 || n->m->questions[0].ask_traced != NULL; }

const acc_columnar *native_columnar(const Native *n) { return cg_jit_columnar(n->jit); }
