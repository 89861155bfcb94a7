/* interp.c - evaluating the core IR on one case; see interp.h.
 *
 * Expressions evaluate to a Value or fail; a failure carries an Outcome
 * (an arithmetic error, or the non-decided outcome of a question that was
 * asked inside the expression, SPEC §6.6), which becomes the outcome of the
 * rule being evaluated.  Rules are evaluated by the default-logic semantics
 * of SPEC §6.3: a rule's exceptions are tried first; if any of them gives an
 * answer it replaces the rule's own; siblings at one level are combined by
 * priority, and two different answers of equal priority are a conflict.
 */
#include "interp.h"
#include "accord_rt.h"
#include "diag.h"
#include "iso.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define STACK_SLOTS 4096
#define MAX_ASK_DEPTH 64

struct Interp {
    const IrAgreement *ag;
    int date_field;          /* index of `date` in the case record, found once */
    Trace *trace;
    Value stack[STACK_SLOTS];
    int sp;
    int ask_depth;
    const Value *kase;
};

typedef struct Ctx {
    Interp *in;
    Value *frame;
    int32_t date;
    Outcome *fail;          /* set when evaluation fails */
    const IrRule *rule;     /* rule being evaluated, for messages */
} Ctx;

Interp *interp_new(const IrAgreement *ag) {
    Interp *in = xcalloc(1, sizeof *in);
    in->ag = ag;
    const IrRecord *cr = ag->vocab->case_rec;
    for (int i = 0; i < cr->nfields; i++)
        if (strcmp(cr->fields[i].name, "date") == 0) in->date_field = i;
    return in;
}

void interp_free(Interp *in) { free(in); }

void interp_set_trace(Interp *in, Trace *t) { in->trace = t; }

void trace_free(Trace *t) {
    free(t->ev);
    memset(t, 0, sizeof *t);
}

static TraceEvent *trace_add(Trace *t, TraceKind k) {
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->ev = xrealloc(t->ev, t->cap * sizeof *t->ev);
    }
    TraceEvent *e = &t->ev[t->n++];
    memset(e, 0, sizeof *e);
    e->kind = k;
    e->depth = t->depth;
    return e;
}

static bool fail(Ctx *c, OutcomeKind k, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(Ctx *c, OutcomeKind k, const char *fmt, ...) {
    memset(c->fail, 0, sizeof *c->fail);
    c->fail->kind = k;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->fail->reason, sizeof c->fail->reason, fmt, ap);
    va_end(ap);
    if (c->rule && c->rule->cite) {
        size_t n = strlen(c->fail->reason);
        snprintf(c->fail->reason + n, sizeof c->fail->reason - n, " (in %s)", c->rule->cite);
    }
    return false;
}

static bool overflow(Ctx *c) { return fail(c, OUT_ERROR, "arithmetic overflow"); }

static bool eval(Ctx *c, const IrExpr *e, Value *out);
static Outcome ask(Interp *in, const IrQuestion *q, const Value *args);
static Outcome ask_traced(Interp *in, const IrQuestion *q, const Value *args);

/* ---- arithmetic (SPEC §5.6) ------------------------------------------------------ */

/* Where the checker unified two types (int with ratio, money with exact
 * money: SPEC §5.6), give the value the representation of the wider one. */
static void coerce(Value *v, TypeKind k) {
    if (k == TY_RATIO && v->kind == TY_INT) v->q = (Rat){v->i, 1};
    v->kind = k;
}

static Rat to_rat(const Value *v) {
    if (v->kind == TY_INT || v->kind == TY_DAYS || v->kind == TY_MONTHS) return (Rat){v->i, 1};
    return v->q;
}
static bool is_money(TypeKind k) { return k == TY_MONEY || k == TY_EXACT_MONEY; }

/* Two amounts must be in one currency; an amount with no currency (the
 * default of a missing fact) must be zero and takes the other's. */
static bool same_currency(Ctx *c, const Value *a, const Value *b, uint16_t *cur) {
    if (a->cur == b->cur) { *cur = a->cur; return true; }
    if (a->cur == 0 && a->q.num == 0) { *cur = b->cur; return true; }
    if (b->cur == 0 && b->q.num == 0) { *cur = a->cur; return true; }
    return fail(c, OUT_ERROR, "cannot combine amounts in %s and %s", acc_currency_code(a->cur) ? acc_currency_code(a->cur) : "no currency",
                acc_currency_code(b->cur) ? acc_currency_code(b->cur) : "no currency");
}

/* ordering of two values of unifiable ordered types: -1, 0, 1; false on error */
static bool compare(Ctx *c, const Value *a, const Value *b, int *r) {
    if (is_money(a->kind)) {
        uint16_t cur;
        if (!same_currency(c, a, b, &cur)) return false;
        *r = rat_cmp(a->q, b->q);
        return true;
    }
    switch (a->kind) {
    case TY_INT: case TY_RATIO: case TY_PERCENT: *r = rat_cmp(to_rat(a), to_rat(b)); return true;
    case TY_BOOL: *r = (a->b > b->b) - (a->b < b->b); return true;
    case TY_SET: *r = memcmp(a->bits, b->bits, sizeof a->bits) != 0; return true;
    default: *r = (a->i > b->i) - (a->i < b->i); return true;
    }
}

static bool arith(Ctx *c, const IrExpr *e, const Value *a, const Value *b, Value *out) {
    memset(out, 0, sizeof *out);
    out->kind = e->type->kind;
    TypeKind x = a->kind, y = b->kind;
    IrOp op = e->op;
    /* integer-valued results */
    if (out->kind == TY_INT || ((out->kind == TY_DAYS || out->kind == TY_MONTHS) && x != TY_DATE && y != TY_DATE)) {
        int64_t l = x == TY_DATE ? a->i : a->i, r = b->i, v;
        bool ovf = false;
        switch (op) {
        case IOP_ADD: ovf = __builtin_add_overflow(l, r, &v); break;
        case IOP_SUB: ovf = __builtin_sub_overflow(l, r, &v); break;
        case IOP_MUL: ovf = __builtin_mul_overflow(l, r, &v); break;
        default: UNREACHABLE();
        }
        if (ovf) return overflow(c);
        out->i = v;
        return true;
    }
    if (out->kind == TY_DAYS) { /* date - date */
        out->i = a->i - b->i;
        return true;
    }
    if (out->kind == TY_DATE) {
        const Value *d = x == TY_DATE ? a : b, *n = x == TY_DATE ? b : a;
        int64_t k = n->i;
        if (op == IOP_SUB) {
            if (k == INT64_MIN) return overflow(c);
            k = -k;
        }
        acc_date r;
        bool ok = n->kind == TY_MONTHS ? acc_date_add_months((acc_date)d->i, k, &r) : acc_date_add_days((acc_date)d->i, k, &r);
        if (!ok) return fail(c, OUT_ERROR, "date arithmetic leaves the years 0001-9999");
        out->i = r;
        return true;
    }
    if (out->kind == TY_SET) {
        for (int i = 0; i < 4; i++) out->bits[i] = op == IOP_ADD ? a->bits[i] | b->bits[i] : a->bits[i] & ~b->bits[i];
        return true;
    }
    Rat l = to_rat(a), r = to_rat(b), v;
    if (is_money(x) && is_money(y) && (op == IOP_ADD || op == IOP_SUB || op == IOP_DIV)) {
        uint16_t cur;
        if (!same_currency(c, a, b, &cur)) return false;
        out->cur = cur;
    } else if (is_money(x)) {
        out->cur = a->cur;
    } else if (is_money(y)) {
        out->cur = b->cur;
    }
    bool ok;
    switch (op) {
    case IOP_ADD: ok = rat_add(l, r, &v); break;
    case IOP_SUB: ok = rat_sub(l, r, &v); break;
    case IOP_MUL: ok = rat_mul(l, r, &v); break;
    case IOP_DIV:
        if (r.num == 0) return fail(c, OUT_ERROR, "division by zero");
        ok = rat_div(l, r, &v);
        break;
    default: UNREACHABLE();
    }
    if (!ok) return overflow(c);
    if (out->kind == TY_RATIO || out->kind == TY_PERCENT || out->kind == TY_EXACT_MONEY) {
        out->q = v;
        if (out->kind != TY_EXACT_MONEY) out->cur = 0;
        return true;
    }
    if (out->kind == TY_MONEY) {
        if (v.den != 1) ICE("money result is not whole");
        out->q = v;
        return true;
    }
    ICE("arith: unexpected result type %d", out->kind);
}

static bool binary(Ctx *c, const IrExpr *e, Value *out) {
    Value a, b;
    if (!eval(c, e->a, &a) || !eval(c, e->b, &b)) return false;
    memset(out, 0, sizeof *out);
    switch (e->op) {
    case IOP_IN: case IOP_NOTIN:
        out->kind = TY_BOOL;
        out->b = set_has(&b, (int)a.i) == (e->op == IOP_IN);
        return true;
    case IOP_EQ: case IOP_NE: case IOP_LT: case IOP_LE: case IOP_GT: case IOP_GE: {
        int r;
        if (!compare(c, &a, &b, &r)) return false;
        out->kind = TY_BOOL;
        switch (e->op) {
        case IOP_EQ: out->b = r == 0; break;
        case IOP_NE: out->b = r != 0; break;
        case IOP_LT: out->b = r < 0; break;
        case IOP_LE: out->b = r <= 0; break;
        case IOP_GT: out->b = r > 0; break;
        default: out->b = r >= 0; break;
        }
        return true;
    }
    default:
        if (!arith(c, e, &a, &b, out)) return false;
        if (c->in->trace && (out->kind == TY_MONEY || out->kind == TY_EXACT_MONEY || out->kind == TY_RATIO ||
                             out->kind == TY_PERCENT)) {
            TraceEvent *t = trace_add(c->in->trace, TR_ARITH);
            t->expr = e;
            t->a = a;
            t->b = b;
            t->value = *out;
            t->rule = c->rule;
        }
        return true;
    }
}

/* ---- builtins ---------------------------------------------------------------------- */

static bool builtin(Ctx *c, const IrExpr *e, Value *out) {
    Value v[8];
    int n = e->nargs < 8 ? e->nargs : 8;
    if (e->builtin == BI_MIN || e->builtin == BI_MAX) {
        Value best;
        for (int i = 0; i < e->nargs; i++) {
            Value x;
            if (!eval(c, e->args[i], &x)) return false;
            if (i == 0) { best = x; continue; }
            int r;
            if (!compare(c, &x, &best, &r)) return false;
            if ((e->builtin == BI_MIN && r < 0) || (e->builtin == BI_MAX && r > 0)) best = x;
        }
        *out = best;
        coerce(out, e->type->kind);
        return true;
    }
    for (int i = 0; i < n; i++)
        if (!eval(c, e->args[i], &v[i])) return false;
    memset(out, 0, sizeof *out);
    out->kind = e->type->kind;
    switch (e->builtin) {
    case BI_ROUND: {
        int64_t r = v[0].kind == TY_INT ? v[0].i : rat_round(v[0].q, e->round);
        if (out->kind == TY_MONEY) { out->q = (Rat){r, 1}; out->cur = v[0].cur; }
        else out->i = r;
        if (c->in->trace) {
            TraceEvent *t = trace_add(c->in->trace, TR_ARITH);
            t->expr = e;
            t->a = v[0];
            t->value = *out;
            t->rule = c->rule;
        }
        return true;
    }
    case BI_PERIOD_MONTHS: out->i = acc_period_months((acc_date)v[0].i, (acc_date)v[1].i); return true;
    case BI_MONTHS_BETWEEN: out->i = acc_months_between((acc_date)v[0].i, (acc_date)v[1].i); return true;
    case BI_DAYS_BETWEEN: out->i = v[1].i - v[0].i; return true;
    case BI_YEARS_BETWEEN: out->i = acc_months_between((acc_date)v[0].i, (acc_date)v[1].i) / 12; return true;
    case BI_SIZE: out->i = v[0].kind == TY_SET ? set_size(&v[0]) : (int64_t)v[0].agg.n; return true;
    case BI_IN_MONTHS:
        if (!acc_days_to_months(v[0].i, &out->i)) return overflow(c);
        return true;
    case BI_ABS:
        *out = v[0];
        if (v[0].kind == TY_INT || v[0].kind == TY_DAYS || v[0].kind == TY_MONTHS) {
            if (v[0].i == INT64_MIN) return overflow(c);
            out->i = v[0].i < 0 ? -v[0].i : v[0].i;
        } else if (out->q.num < 0) {
            out->q.num = -out->q.num;
        }
        return true;
    default: ICE("builtin %d", e->builtin);
    }
}

/* ---- comprehensions ------------------------------------------------------------------ */

static bool elements(const Value *list, uint32_t *n) {
    *n = list->kind == TY_LIST ? list->agg.n : 256;
    return true;
}
/* element i of a list, or the i-th ordinal of a set (false if absent) */
static bool element(const Value *list, const Type *elem, uint32_t i, Value *out) {
    if (list->kind == TY_LIST) {
        *out = list->agg.items[i];
        return true;
    }
    if (!set_has(list, (int)i)) return false;
    memset(out, 0, sizeof *out);
    out->kind = elem->kind;
    out->i = i;
    return true;
}

static bool aggregate(Ctx *c, const IrExpr *e, Value *out) {
    Value list;
    if (!eval(c, e->a, &list)) return false;
    uint32_t n;
    elements(&list, &n);
    memset(out, 0, sizeof *out);
    out->kind = e->type->kind;
    const Type *elem = e->a->type->elem;
    Value *slot = &c->frame[e->slot];
    acc_date *from = NULL, *to = NULL, *xfrom = NULL, *xto = NULL;
    size_t nin = 0, nx = 0;
    if (e->agg >= AG_DAYS && n) {
        from = xmalloc(sizeof *from * n * 4);
        to = from + n;
        xfrom = to + n;
        xto = xfrom + n;
    }
    bool first_found = false, ok = true;
    if (e->agg == AG_FORALL) out->b = true;
    if (e->type->kind == TY_RATIO || e->type->kind == TY_PERCENT || is_money(e->type->kind)) out->q = (Rat){0, 1};
    for (uint32_t i = 0; i < n && ok && e->agg != AG_FORALL; i++) {
        Value x;
        if (!element(&list, elem, i, &x)) continue;
        *slot = x;
        bool take = true;
        if (e->b) {
            Value w;
            if (!eval(c, e->b, &w)) { ok = false; break; }
            take = w.b;
        }
        if (e->agg >= AG_DAYS) {
            if (take) {
                from[nin] = (acc_date)x.agg.items[e->field].i;
                to[nin] = (acc_date)x.agg.items[e->nargs].i;
                nin++;
            }
            if (e->d) {
                Value m;
                if (!eval(c, e->d, &m)) { ok = false; break; }
                if (m.b) {
                    xfrom[nx] = (acc_date)x.agg.items[e->field].i;
                    xto[nx] = (acc_date)x.agg.items[e->nargs].i;
                    nx++;
                }
            }
            continue;
        }
        if (!take) continue;
        switch (e->agg) {
        case AG_EXISTS: out->b = true; i = n; break;
        case AG_COUNT: out->i++; break;
        case AG_SUM: {
            Value v, acc = *out;
            if (!eval(c, e->c, &v)) { ok = false; break; }
            IrExpr add = {0};
            add.kind = IR_BINARY;
            add.op = IOP_ADD;
            add.type = e->type;
            if (!arith(c, &add, &acc, &v, out)) ok = false;
            break;
        }
        case AG_FIRST:
            if (!eval(c, e->c, out)) { ok = false; break; }
            first_found = true;
            i = n;
            break;
        case AG_SET: {
            Value v;
            if (!eval(c, e->c, &v)) { ok = false; break; }
            set_add(out, (int)v.i);
            break;
        }
        default: UNREACHABLE();
        }
    }
    if (ok && e->agg == AG_FORALL) {
        /* forall(x in L where C): every element satisfies C (true for an empty list) */
        out->b = true;
        for (uint32_t i = 0; i < n && e->b; i++) {
            Value x, w;
            if (!element(&list, elem, i, &x)) continue;
            *slot = x;
            if (!eval(c, e->b, &w)) { ok = false; break; }
            if (!w.b) { out->b = false; break; }
        }
    }
    if (ok && e->agg == AG_FIRST && !first_found) {
        ok = eval(c, e->d, out);
    }
    if (ok && e->agg >= AG_DAYS) {
        acc_date *scratch = xmalloc(sizeof *scratch * 2 * (nin + nx + 1));
        out->i = e->agg == AG_DAYS     ? acc_union_days(from, to, nin, xfrom, xto, nx, scratch)
                 : e->agg == AG_MONTHS ? acc_union_months(from, to, nin, xfrom, xto, nx, scratch)
                                       : acc_union_calendar_months(from, to, nin, xfrom, xto, nx, scratch);
        free(scratch);
    }
    if (ok) coerce(out, e->type->kind);
    free(from);
    return ok;
}

/* ---- expressions ----------------------------------------------------------------------- */

static bool call_define(Ctx *c, const IrExpr *e, Value *out) {
    const IrDefine *d = e->def;
    Interp *in = c->in;
    if (in->sp + d->nslots + 1 > STACK_SLOTS) return fail(c, OUT_ERROR, "evaluation too deep");
    /* reserve the callee's frame first: evaluating an argument may call
     * another definition, whose frame must go above this one */
    int saved = in->sp;
    Value *frame = &in->stack[in->sp];
    in->sp += d->nslots + 1;
    for (int i = 0; i < d->nparams; i++) {
        Value v;
        if (!eval(c, e->args[i], &v)) {
            in->sp = saved;
            return false;
        }
        frame[i] = v;
    }
    Value *saved_frame = c->frame;
    c->frame = frame;
    bool ok = eval(c, d->body, out);
    c->frame = saved_frame;
    in->sp = saved;
    return ok;
}

static bool eval(Ctx *c, const IrExpr *e, Value *out) {
    switch (e->kind) {
    case IR_CONST: *out = e->cval; return true;
    case IR_CASE: *out = *c->in->kase; return true;
    case IR_LOCAL: *out = c->frame[e->slot]; return true;
    case IR_FIELD: {
        Value r;
        if (!eval(c, e->a, &r)) return false;
        *out = r.agg.items[e->field];
        if (c->in->trace && e->a->kind == IR_CASE) trace_add(c->in->trace, TR_FACT)->slot = e->field;
        return true;
    }
    case IR_UNARY: {
        Value a;
        if (!eval(c, e->a, &a)) return false;
        *out = a;
        if (e->op == IOP_NOT) { out->b = !a.b; return true; }
        if (a.kind == TY_INT || a.kind == TY_DAYS || a.kind == TY_MONTHS) {
            if (a.i == INT64_MIN) return overflow(c);
            out->i = -a.i;
        } else {
            out->q.num = -a.q.num;
        }
        return true;
    }
    case IR_BINARY: return binary(c, e, out);
    case IR_AND: case IR_OR: {
        Value a;
        if (!eval(c, e->a, &a)) return false;
        if (a.b == (e->kind == IR_OR)) { *out = a; return true; }
        return eval(c, e->b, out);
    }
    case IR_IF: {
        Value a;
        if (!eval(c, e->a, &a)) return false;
        if (!eval(c, a.b ? e->b : e->c, out)) return false;
        coerce(out, e->type->kind);
        return true;
    }
    case IR_SETLIT:
        memset(out, 0, sizeof *out);
        out->kind = TY_SET;
        for (int i = 0; i < e->nargs; i++) {
            Value x;
            if (!eval(c, e->args[i], &x)) return false;
            set_add(out, (int)x.i);
        }
        return true;
    case IR_BUILTIN: return builtin(c, e, out);
    case IR_DEFINE: return call_define(c, e, out);
    case IR_ASK: {
        Value args[8];
        for (int i = 0; i < e->nargs && i < 8; i++)
            if (!eval(c, e->args[i], &args[i])) return false;
        Outcome o = ask_traced(c->in, e->question, args);
        if (o.kind == OUT_DECIDED) {
            *out = o.value;
            return true;
        }
        /* the rule cannot be decided when a question it needs is not (SPEC §6.6) */
        char a[128] = "";
        size_t k = 0;
        for (int i = 0; i < e->nargs && i < 8; i++) {
            if (i) k += (size_t)snprintf(a + k, sizeof a - k, ", ");
            value_format(a + k, sizeof a - k, &args[i], e->question->ptypes[i]);
            k = strlen(a);
        }
        const char *reason = o.reason;
        OutcomeKind kind = o.kind;
        Outcome saved = o;
        fail(c, kind, "%s%s%s%s is %s%s%s", e->question->name, e->nargs ? "(" : "", a, e->nargs ? ")" : "",
             ir_outcome_name(kind), reason[0] ? ": " : "", reason);
        c->fail->nrules = saved.nrules;
        memcpy(c->fail->rules, saved.rules, sizeof saved.rules);
        memcpy(c->fail->values, saved.values, sizeof saved.values);
        return false;
    }
    case IR_PARAMETER: {
        const IrParameter *p = e->param;
        int k = 0;
        for (int i = 0; i < p->n; i++)
            if (p->from[i] <= c->date) k = i;
        *out = p->value[k];
        return true;
    }
    case IR_PARTIES: {
        /* the states that are parties on the determination date */
        const IrAgreement *ag = c->in->ag;
        *out = ag->parties;
        for (int i = 1; i < 256; i++)
            if (set_has(out, i) && (c->date < ag->party_from[i] || c->date >= ag->party_until[i]))
                out->bits[i >> 6] &= ~((uint64_t)1 << (i & 63));
        return true;
    }
    case IR_AGG: return aggregate(c, e, out);
    }
    UNREACHABLE();
}

/* ---- default logic (SPEC §6.3) ------------------------------------------------------------ */

typedef enum { R_NONE, R_SOME } RState;
typedef struct RResult {
    RState state;
    Outcome o;
    int64_t priority;   /* of the rule at the level where it is combined */
} RResult;

typedef struct AskCtx {
    Interp *in;
    const IrQuestion *q;
    const Value *args;
    int32_t date;
    RResult *memo;
    unsigned char *done;
} AskCtx;

static void add_rule(Outcome *o, const IrRule *r) {
    for (int i = 0; i < o->nrules; i++)
        if (o->rules[i] == r) return;
    if (o->nrules < OUTCOME_MAX_RULES) o->rules[o->nrules++] = r;
}

static RResult combine(AskCtx *a, const PtrVec *rules);

static RResult eval_rule(AskCtx *a, const IrRule *r) {
    if (a->done[r->id]) return a->memo[r->id];
    RResult res;
    memset(&res, 0, sizeof res);
    res.priority = r->priority;
    a->done[r->id] = 1; /* acyclic by check.c; marks in-progress as "no answer" */
    a->memo[r->id] = res;
    Trace *tr = a->in->trace;
    if (a->date < r->from || a->date >= r->until) {
        if (tr) trace_add(tr, TR_NOT_IN_FORCE)->rule = r;
        goto done;
    }
    for (int i = 0; i < a->q->nparams; i++)
        if (r->pattern[i] && !value_eq(&r->pattern[i]->cval, &a->args[i])) {
            if (tr) trace_add(tr, TR_HEAD_MISMATCH)->rule = r;
            goto done;
        }
    if (r->exceptions.len) {
        RResult ex = combine(a, &r->exceptions);
        if (ex.state == R_SOME) {
            res = ex;
            res.priority = r->priority;
            if (tr) {
                TraceEvent *t = trace_add(tr, TR_OVERRIDDEN);
                t->rule = r;
                t->by = ex.o.nrules ? ex.o.rules[0] : NULL;
            }
            goto done;
        }
    }
    {
        Interp *in = a->in;
        if (in->sp + r->nslots + 1 > STACK_SLOTS) {
            res.state = R_SOME;
            res.o.kind = OUT_ERROR;
            snprintf(res.o.reason, sizeof res.o.reason, "evaluation too deep");
            goto done;
        }
        Value *frame = &in->stack[in->sp];
        for (int i = 0; i < a->q->nparams; i++) frame[i] = a->args[i];
        int saved = in->sp;
        in->sp += r->nslots + 1;
        Ctx c = {in, frame, a->date, &res.o, r};
        Value v;
        bool ok = true;
        if (r->cond) {
            ok = eval(&c, r->cond, &v);
            if (ok && !v.b) {
                if (tr) {
                    /* name the first conjunct of an `and` chain that is false */
                    const IrExpr *part = r->cond;
                    while (part->kind == IR_AND) {
                        Value w;
                        if (!eval(&c, part->a, &w) || !w.b) { part = part->a; continue; }
                        part = part->b;
                    }
                    TraceEvent *t = trace_add(tr, TR_COND_FALSE);
                    t->rule = r;
                    t->expr = part;
                }
                in->sp = saved;
                goto done;
            }
        }
        if (ok) ok = eval(&c, r->value, &res.o.value);
        in->sp = saved;
        res.state = R_SOME;
        if (ok) {
            res.o.kind = OUT_DECIDED;
            res.o.nrules = 1;
            res.o.rules[0] = r;
        } else if (res.o.nrules == 0) {
            add_rule(&res.o, r);
        }
        if (tr) {
            TraceEvent *t = trace_add(tr, ok ? TR_DECIDED : TR_FAILED);
            t->rule = r;
            t->value = res.o.value;
            t->outcome = res.o.kind;
        }
    }
done:
    a->memo[r->id] = res;
    return res;
}

/* Combine the answers of sibling rules: the highest priority among those
 * that answer wins; equal answers agree; different answers conflict. */
static RResult combine(AskCtx *a, const PtrVec *rules) {
    RResult best;
    memset(&best, 0, sizeof best);
    /* first pass: evaluate every sibling (memoised), find the top priority
     * among those that decide */
    int64_t maxp = INT64_MIN;
    for (size_t i = 0; i < rules->len; i++) {
        RResult r = eval_rule(a, rules->items[i]);
        if (r.state == R_SOME && r.o.kind == OUT_DECIDED && r.priority > maxp) maxp = r.priority;
    }
    /* a sibling that fails (an error, or a question it asks is not decided)
     * cannot be ignored unless a rule of higher priority decided: we do not
     * know what it would have said (SPEC §6.3) */
    for (size_t i = 0; i < rules->len; i++) {
        RResult r = eval_rule(a, rules->items[i]);
        if (r.state == R_SOME && r.o.kind != OUT_DECIDED && r.priority >= maxp) return r;
    }
    /* second pass: the answers of top priority must agree */
    for (size_t i = 0; i < rules->len; i++) {
        RResult r = eval_rule(a, rules->items[i]);
        if (r.state == R_NONE || r.priority != maxp) continue;
        if (best.state == R_NONE) {
            best = r;
            continue;
        }
        if (value_eq(&best.o.value, &r.o.value)) {
            for (int k = 0; k < r.o.nrules; k++) add_rule(&best.o, r.o.rules[k]);
            continue;
        }
        RResult cf;
        memset(&cf, 0, sizeof cf);
        cf.state = R_SOME;
        cf.priority = maxp;
        cf.o.kind = OUT_CONFLICT;
        cf.o.nrules = 2;
        cf.o.rules[0] = best.o.rules[0];
        cf.o.rules[1] = r.o.rules[0];
        cf.o.values[0] = best.o.value;
        cf.o.values[1] = r.o.value;
        return cf;
    }
    return best;
}

static void not_covered(Outcome *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void not_covered(Outcome *o, const char *fmt, ...) {
    o->kind = OUT_NOT_COVERED;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->reason, sizeof o->reason, fmt, ap);
    va_end(ap);
}

/* SPEC §6.5: true when the person is within the personal scope on `date`;
 * otherwise *o is the not-covered (or error) outcome. */
static bool personal_scope(Interp *in, int32_t date, Outcome *o) {
    const IrAgreement *ag = in->ag;
    if (!ag->personal_scope.len) return true;
    bool any_valid = false;
    for (size_t i = 0; i < ag->personal_scope.len; i++) {
        const IrScopeClause *s = ag->personal_scope.items[i];
        if (date < s->from || date >= s->until) continue;
        any_valid = true;
        Value *frame = &in->stack[in->sp];
        int saved = in->sp;
        in->sp += s->nslots + 1;
        Outcome f;
        memset(&f, 0, sizeof f);
        Ctx c = {in, frame, date, &f, NULL};
        Value v;
        in->ask_depth++;
        bool ok = eval(&c, s->cond, &v);
        in->ask_depth--;
        in->sp = saved;
        if (!ok) {
            *o = f;
            return false;
        }
        if (v.b) return true;
    }
    const IrScopeClause *s0 = ag->personal_scope.items[0];
    not_covered(o, any_valid ? "the person is outside the personal scope (%s)"
                             : "no category of persons is covered yet on this date (%s)",
                s0->cite ? s0->cite : "personal scope");
    return false;
}

bool interp_in_personal_scope(Interp *in, const Value *kase) {
    int32_t date = (int32_t)kase->agg.items[in->date_field].i;
    if (date < in->ag->in_force || date >= in->ag->terminates) return false;
    in->kase = kase;
    in->sp = 0;
    in->ask_depth = 0;
    Outcome o;
    memset(&o, 0, sizeof o);
    return personal_scope(in, date, &o);
}

static Outcome ask(Interp *in, const IrQuestion *q, const Value *args) {
    const IrAgreement *ag = in->ag;
    Outcome o;
    memset(&o, 0, sizeof o);
    int32_t date = (int32_t)in->kase->agg.items[in->date_field].i;
    char db[11]; /* the date in messages only */
    /* SPEC §6.5: time, personal scope, material scope */
    if (date < ag->in_force || date >= ag->terminates) {
        acc_date_format(date, db);
        not_covered(&o, "the agreement is not in force on %s", db);
        return o;
    }
    if (in->ask_depth >= MAX_ASK_DEPTH) {
        o.kind = OUT_ERROR;
        snprintf(o.reason, sizeof o.reason, "questions nested deeper than %d", MAX_ASK_DEPTH);
        return o;
    }
    if (!personal_scope(in, date, &o)) return o;
    if (q->country_param >= 0) {
        int c = (int)args[q->country_param].i;
        const char *cc = acc_country_code(c);
        if (!set_has(&ag->parties, c)) {
            not_covered(&o, "%s is not a party to %s", cc ? cc : "none", ag->id);
            return o;
        }
        if (date < ag->party_from[c] || date >= ag->party_until[c]) {
            acc_date_format(date, db);
            not_covered(&o, "%s is not a party to %s on %s", cc, ag->id, db);
            return o;
        }
    }
    if (q->branch_param >= 0 && ag->material_scope.len) {
        int b = (int)args[q->branch_param].i;
        int country = q->country_param >= 0 ? (int)args[q->country_param].i : 0;
        bool covered = false;
        const char *cite = NULL;
        for (size_t i = 0; i < ag->material_scope.len; i++) {
            const IrMaterialClause *m = ag->material_scope.items[i];
            cite = cite ? cite : m->cite;
            if (date < m->from || date >= m->until) continue;
            if (country && m->country && m->country != country) continue;
            if (set_has(&m->branches, b)) covered = true;
        }
        if (!covered) {
            const char *bn = b > 0 && b <= ag->vocab->branch->n ? ag->vocab->branch->consts[b - 1] : "none";
            if (country)
                not_covered(&o, "branch %s is outside the material scope for %s%s%s%s", bn, acc_country_code(country),
                            cite ? " (" : "", cite ? cite : "", cite ? ")" : "");
            else
                not_covered(&o, "branch %s is outside the material scope%s%s%s", bn, cite ? " (" : "", cite ? cite : "",
                            cite ? ")" : "");
            return o;
        }
    }
    size_t nr = ag->rules.len;
    /* memo[i] is read only once done[i] is set (eval_rule): only done is zeroed */
    AskCtx a = {in, q, args, date, xmalloc((nr + 1) * sizeof(RResult)), xcalloc(nr + 1, 1)};
    in->ask_depth++;
    RResult r = combine(&a, &q->roots);
    in->ask_depth--;
    free(a.memo);
    free(a.done);
    if (r.state == R_NONE) {
        o.kind = OUT_UNDETERMINED;
        snprintf(o.reason, sizeof o.reason, "no rule answers %s for this case", q->name);
        return o;
    }
    return r.o;
}

static Outcome ask_traced(Interp *in, const IrQuestion *q, const Value *args) {
    Trace *tr = in->trace;
    if (!tr) return ask(in, q, args);
    TraceEvent *t = trace_add(tr, TR_ASK);
    t->q = q;
    for (int i = 0; i < q->nparams && i < 2; i++) t->args[i] = args[i];
    tr->depth++;
    Outcome o = ask(in, q, args);
    tr->depth--;
    t = trace_add(tr, TR_ANSWER);
    t->q = q;
    for (int i = 0; i < q->nparams && i < 2; i++) t->args[i] = args[i];
    t->outcome = o.kind;
    t->value = o.value;
    t->rule = o.nrules ? o.rules[0] : NULL;
    return o;
}

Outcome interp_ask(Interp *in, const Value *kase, const IrQuestion *q, const Value *args) {
    in->kase = kase;
    in->sp = 0;
    in->ask_depth = 0;
    return ask_traced(in, q, args);
}

void outcome_cites(const Outcome *o, char *buf, size_t n) {
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < o->nrules && k < n; i++) {
        const IrRule *r = o->rules[i];
        k += (size_t)snprintf(buf + k, n - k, "%s%s", i ? ", " : "", r->cite ? r->cite : "(no article)");
    }
}
