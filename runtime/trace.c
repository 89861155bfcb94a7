/* trace.c - recording traces of compiled evaluators; see accord.h.
 * Called only by evaluators' traced entry points (ask_traced), never on the
 * untraced path. */
#include "accord.h"
#include <stdlib.h>
#include <string.h>

acc_trace_event *acc_trace_add(acc_trace *t, int32_t kind) {
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        acc_trace_event *ev = realloc(t->ev, cap * sizeof *ev);
        if (!ev) {
            t->oom = true;
            return NULL;
        }
        t->ev = ev;
        t->cap = cap;
    }
    acc_trace_event *e = &t->ev[t->n++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->depth = t->depth;
    e->question = e->rule = e->by = e->expr = -1;
    return e;
}

void acc_trace_free(acc_trace *t) {
    free(t->ev);
    memset(t, 0, sizeof *t);
}

/* ---- events written by compiled evaluators' traced entry points -------- */
#include "accord_cg.h"

static void put_args(acc_trace_event *e, int32_t nargs, const int64_t *args, int32_t k0, int32_t k1) {
    if (nargs > 0) { e->args[0].kind = k0; e->args[0].i = args[0]; }
    if (nargs > 1) { e->args[1].kind = k1; e->args[1].i = args[1]; }
}

void acc_rt_tr_ask(acc_trace *t, int32_t question, int32_t nargs, const int64_t *args, int32_t kind0, int32_t kind1) {
    acc_trace_event *e = acc_trace_add(t, ACC_TR_ASK);
    if (e) {
        e->question = question;
        put_args(e, nargs, args, kind0, kind1);
    }
    t->depth++;
}

void acc_rt_tr_answer(acc_trace *t, int32_t question, int32_t nargs, const int64_t *args, int32_t kind0, int32_t kind1,
                      const acc_result *o) {
    t->depth--;
    acc_trace_event *e = acc_trace_add(t, ACC_TR_ANSWER);
    if (!e) return;
    e->question = question;
    put_args(e, nargs, args, kind0, kind1);
    e->outcome = o->kind;
    if (o->kind == ACC_DECIDED) e->value = o->value;
    e->rule = o->nrules ? o->rules[0] : -1;
}

void acc_rt_tr_rule(acc_trace *t, int32_t kind, int32_t rule) {
    acc_trace_event *e = acc_trace_add(t, kind);
    if (e) e->rule = rule;
}

void acc_rt_tr_overridden(acc_trace *t, int32_t rule, const acc_result *by) {
    acc_trace_event *e = acc_trace_add(t, ACC_TR_OVERRIDDEN);
    if (!e) return;
    e->rule = rule;
    e->by = by->nrules ? by->rules[0] : -1;
}

void acc_rt_tr_cond_false(acc_trace *t, int32_t rule, int32_t expr) {
    acc_trace_event *e = acc_trace_add(t, ACC_TR_COND_FALSE);
    if (!e) return;
    e->rule = rule;
    e->expr = expr;
}

void acc_rt_tr_done(acc_trace *t, int32_t kind, int32_t rule, const acc_result *res) {
    acc_trace_event *e = acc_trace_add(t, kind);
    if (!e) return;
    e->rule = rule;
    if (res->kind == ACC_DECIDED) e->value = res->value;
    e->outcome = res->kind;
}

void acc_rt_tr_fact(acc_trace *t, int32_t field) {
    acc_trace_event *e = acc_trace_add(t, ACC_TR_FACT);
    if (e) e->slot = field;
}

void acc_rt_tr_arith(acc_trace *t, int32_t expr, int32_t rule, const acc_value *a, const acc_value *b, const acc_value *v) {
    acc_trace_event *e = acc_trace_add(t, ACC_TR_ARITH);
    if (!e) return;
    e->expr = expr;
    e->rule = rule;
    e->a = *a;
    if (b) e->b = *b;
    e->value = *v;
}
