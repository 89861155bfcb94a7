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
