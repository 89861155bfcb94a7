/* ir.c - printing the core IR (--dump-ir) and small queries; see ir.h. */
#include "ir.h"
#include "diag.h"
#include "accord_rt.h"
#include "iso.h"
#include <inttypes.h>
#include <string.h>

const char *ir_outcome_name(OutcomeKind k) {
    static const char *n[] = {"decided", "conflict", "undetermined", "not covered", "error"};
    return n[k];
}

IrQuestion *ir_question(const IrAgreement *ag, const char *name) {
    for (size_t i = 0; i < ag->questions.len; i++) {
        IrQuestion *q = ag->questions.items[i];
        if (strcmp(q->name, name) == 0) return q;
    }
    return NULL;
}

static const char *op_name(IrOp op) {
    static const char *n[] = {"not", "neg", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "+", "-", "*", "/"};
    return n[op];
}
static const char *builtin_name(IrBuiltin b) {
    static const char *n[] = {"min", "max", "round", "period_months", "months_between", "days_between",
                              "years_between", "size", "in_months", "abs"};
    return n[b];
}
static const char *agg_name(IrAgg a) {
    static const char *n[] = {"exists", "forall", "count", "sum", "first", "set", "days", "months", "calendar months"};
    return n[a];
}

static void date_print(FILE *out, int32_t d) {
    char b[11];
    acc_date_format(d, b);
    fputs(b, out);
}

static void validity(FILE *out, int32_t from, int32_t until) {
    if (from != INT32_MIN) { fputs(" from ", out); date_print(out, from); }
    if (until != INT32_MAX) { fputs(" until ", out); date_print(out, until); }
}

void ir_expr_dump(const IrExpr *e, FILE *out) {
    if (!e) { fputs("_", out); return; }
    char tb[96];
    switch (e->kind) {
    case IR_CONST: value_print(out, &e->cval, e->type); return;
    case IR_CASE: fputs("case", out); return;
    case IR_LOCAL: fprintf(out, "$%d", e->slot); return;
    case IR_FIELD: ir_expr_dump(e->a, out); fprintf(out, ".%s", e->a->type->rec->fields[e->field].name); return;
    case IR_UNARY: fprintf(out, "(%s ", op_name(e->op)); ir_expr_dump(e->a, out); fputc(')', out); return;
    case IR_BINARY:
        fprintf(out, "(%s:%s ", op_name(e->op), type_name(e->type, tb, sizeof tb));
        ir_expr_dump(e->a, out);
        fputc(' ', out);
        ir_expr_dump(e->b, out);
        fputc(')', out);
        return;
    case IR_AND: case IR_OR:
        fprintf(out, "(%s ", e->kind == IR_AND ? "and" : "or");
        ir_expr_dump(e->a, out);
        fputc(' ', out);
        ir_expr_dump(e->b, out);
        fputc(')', out);
        return;
    case IR_IF:
        fputs("(if ", out);
        ir_expr_dump(e->a, out); fputc(' ', out);
        ir_expr_dump(e->b, out); fputc(' ', out);
        ir_expr_dump(e->c, out); fputc(')', out);
        return;
    case IR_SETLIT:
        fputc('{', out);
        for (int i = 0; i < e->nargs; i++) { if (i) fputs(", ", out); ir_expr_dump(e->args[i], out); }
        fputc('}', out);
        return;
    case IR_BUILTIN:
        fprintf(out, "(%s", builtin_name(e->builtin));
        for (int i = 0; i < e->nargs; i++) { fputc(' ', out); ir_expr_dump(e->args[i], out); }
        fputc(')', out);
        return;
    case IR_DEFINE: case IR_ASK:
        fprintf(out, "(%s %s", e->kind == IR_ASK ? "ask" : "call", e->kind == IR_ASK ? e->question->name : e->def->name);
        for (int i = 0; i < e->nargs; i++) { fputc(' ', out); ir_expr_dump(e->args[i], out); }
        fputc(')', out);
        return;
    case IR_PARAMETER: fprintf(out, "param:%s", e->param->name); return;
    case IR_PARTIES: fputs("parties", out); return;
    case IR_AGG:
        fprintf(out, "(%s $%d in ", agg_name(e->agg), e->slot);
        ir_expr_dump(e->a, out);
        if (e->b) { fputs(" where ", out); ir_expr_dump(e->b, out); }
        if (e->c) { fputs(" : ", out); ir_expr_dump(e->c, out); }
        if (e->d) { fputs(e->agg >= AG_DAYS ? " minus " : " else ", out); ir_expr_dump(e->d, out); }
        fputc(')', out);
        return;
    }
}


void ir_dump(const IrAgreement *ag, FILE *out) {
    char tb[96];
    fprintf(out, "agreement %s \"%s\"\n  parties ", ag->id, ag->title ? ag->title : "");
    value_print(out, &ag->parties, &ty_country_set);
    for (int c = 1; c < 256; c++) {
        if (!set_has(&ag->parties, c) || (ag->party_from[c] == INT32_MIN && ag->party_until[c] == INT32_MAX)) continue;
        fprintf(out, " %s", acc_country_code(c));
        validity(out, ag->party_from[c], ag->party_until[c]);
    }
    if (ag->is_standard) fputs("\n  standard", out);
    fputs("\n  in force ", out);
    date_print(out, ag->in_force);
    if (ag->has_terminates) { fputs(" terminates ", out); date_print(out, ag->terminates); }
    fputc('\n', out);
    for (size_t i = 0; i < ag->supersedes.len; i++) fprintf(out, "  supersedes %s\n", (const char *)ag->supersedes.items[i]);
    for (size_t i = 0; i < ag->yields.len; i++) {
        const IrYield *y = ag->yields.items[i];
        fprintf(out, "  yields to %s%s\n", y->target, y->unless_more_favourable ? " unless more favourable" : "");
    }
    for (size_t i = 0; i < ag->protocols.len; i++) {
        const IrProtocol *p = ag->protocols.items[i];
        fprintf(out, "  protocol %s in force ", p->name);
        date_print(out, p->in_force);
        fputc('\n', out);
    }
    for (size_t i = 0; i < ag->parameters.len; i++) {
        const IrParameter *p = ag->parameters.items[i];
        fprintf(out, "  parameter %s: %s", p->name, type_name(p->type, tb, sizeof tb));
        for (int k = 0; k < p->n; k++) {
            fputs(k ? "; " : " = ", out);
            value_print(out, &p->value[k], p->type);
            if (p->from[k] != INT32_MIN) { fputs(" from ", out); date_print(out, p->from[k]); }
        }
        fprintf(out, "  [%s]\n", p->cite ? p->cite : "");
    }
    for (size_t i = 0; i < ag->defines.len; i++) {
        const IrDefine *d = ag->defines.items[i];
        fprintf(out, "  define %s/%d: %s = ", d->name, d->nparams, type_name(d->type, tb, sizeof tb));
        ir_expr_dump(d->body, out);
        fputc('\n', out);
    }
    for (size_t i = 0; i < ag->personal_scope.len; i++) {
        const IrScopeClause *s = ag->personal_scope.items[i];
        fputs("  personal scope ", out);
        ir_expr_dump(s->cond, out);
        validity(out, s->from, s->until);
        fprintf(out, "  [%s]\n", s->cite ? s->cite : "");
    }
    for (size_t i = 0; i < ag->material_scope.len; i++) {
        const IrMaterialClause *m = ag->material_scope.items[i];
        Type bt = {TY_SET, NULL, NULL, NULL};
        Type et = {TY_ENUM, NULL, ag->vocab->branch, NULL};
        bt.elem = &et;
        fprintf(out, "  material scope %s ", m->country ? acc_country_code(m->country) : "*");
        value_print(out, &m->branches, &bt);
        validity(out, m->from, m->until);
        fprintf(out, "  [%s]\n", m->cite ? m->cite : "");
    }
    for (size_t i = 0; i < ag->questions.len; i++) {
        const IrQuestion *q = ag->questions.items[i];
        if (!q->rules.len) continue;
        fprintf(out, "  question %s: %s\n", q->name, type_name(q->type, tb, sizeof tb));
        for (size_t j = 0; j < q->rules.len; j++) {
            const IrRule *r = q->rules.items[j];
            fprintf(out, "    rule #%d%s%s [%s]", r->id, r->label ? " " : "", r->label ? r->label : "", r->cite ? r->cite : "");
            if (r->priority) fprintf(out, " priority %" PRId64, r->priority);
            validity(out, r->from, r->until);
            for (size_t k = 0; k < r->overrides.len; k++) fprintf(out, " overrides #%d", ((IrRule *)r->overrides.items[k])->id);
            fputs("\n      head (", out);
            for (int k = 0; k < q->nparams; k++) {
                if (k) fputs(", ", out);
                if (r->pattern[k]) ir_expr_dump(r->pattern[k], out);
                else fprintf(out, "$%d", k);
            }
            fputs(")\n", out);
            if (r->cond) { fputs("      when ", out); ir_expr_dump(r->cond, out); fputc('\n', out); }
            fputs("      then ", out);
            ir_expr_dump(r->value, out);
            fputc('\n', out);
        }
    }
    fprintf(out, "  examples %zu\n", ag->examples.len);
}

/* ---- ir_verify (style G9) ------------------------------------------------ */

static void verify_expr(const IrExpr *e, int nslots) {
    if (!e) return;
    ASSERT(e->type && e->type->kind != TY_ERROR);
    switch (e->kind) {
    case IR_LOCAL: ASSERT(e->slot >= 0 && e->slot < nslots); break;
    case IR_FIELD: ASSERT(e->a->type->kind == TY_RECORD && e->field >= 0 && e->field < e->a->type->rec->nfields); break;
    case IR_AGG:
        ASSERT(e->slot >= 0 && e->slot < nslots);
        ASSERT(e->a->type->kind == TY_LIST || e->a->type->kind == TY_SET);
        break;
    case IR_ASK: ASSERT(e->question && e->nargs == e->question->nparams); break;
    case IR_DEFINE: ASSERT(e->def && e->nargs == e->def->nparams); break;
    case IR_PARAMETER: ASSERT(e->param && e->param->n >= 1); break;
    case IR_CONST: ASSERT(e->cval.kind == e->type->kind || (e->type->kind == TY_ENUM && e->cval.kind == TY_ENUM)); break;
    default: break;
    }
    verify_expr(e->a, nslots);
    verify_expr(e->b, nslots);
    verify_expr(e->c, nslots);
    verify_expr(e->d, nslots);
    if (e->kind != IR_AGG)
        for (int i = 0; i < e->nargs; i++) verify_expr(e->args[i], nslots);
}

void ir_verify(const IrAgreement *ag) {
    for (size_t i = 0; i < ag->rules.len; i++) {
        const IrRule *r = ag->rules.items[i];
        ASSERT(r->q && r->value && r->nslots >= r->q->nparams);
        ASSERT(type_eq(r->value->type, r->q->type));
        if (r->cond) ASSERT(r->cond->type->kind == TY_BOOL);
        for (int k = 0; k < r->q->nparams; k++)
            if (r->pattern[k]) ASSERT(r->pattern[k]->kind == IR_CONST && type_eq(r->pattern[k]->type, r->q->ptypes[k]));
        verify_expr(r->cond, r->nslots);
        verify_expr(r->value, r->nslots);
        for (size_t k = 0; k < r->overrides.len; k++) ASSERT(((IrRule *)r->overrides.items[k])->q == r->q);
    }
    for (size_t i = 0; i < ag->defines.len; i++) {
        const IrDefine *d = ag->defines.items[i];
        ASSERT(type_eq(d->body->type, d->type));
        verify_expr(d->body, d->nslots);
    }
    for (size_t i = 0; i < ag->personal_scope.len; i++) {
        const IrScopeClause *s = ag->personal_scope.items[i];
        verify_expr(s->cond, s->nslots);
    }
    for (size_t i = 0; i < ag->parameters.len; i++) {
        const IrParameter *p = ag->parameters.items[i];
        for (int k = 1; k < p->n; k++) ASSERT(p->from[k - 1] < p->from[k]);
    }
}

static bool same_const(const IrExpr *x, const IrExpr *y) {
    switch (x->type->kind) {
    case TY_BOOL: return x->cval.b == y->cval.b;
    case TY_INT: case TY_DAYS: case TY_MONTHS: case TY_DATE: case TY_COUNTRY: case TY_ENUM: return x->cval.i == y->cval.i;
    case TY_RATIO: case TY_PERCENT: return x->cval.q.num == y->cval.q.num && x->cval.q.den == y->cval.q.den;
    default: return false;
    }
}

bool ir_same_expr(const IrExpr *x, const IrExpr *y, int sx, int sy, bool other_locals) {
    if (!x || !y) return x == y;
    if (x->kind != y->kind || !type_eq(x->type, y->type) || x->op != y->op || x->builtin != y->builtin ||
        x->agg != y->agg || x->round != y->round || x->field != y->field || x->nargs != y->nargs ||
        x->question != y->question || x->def != y->def || x->param != y->param)
        return false;
    switch (x->kind) {
    case IR_LOCAL:
        if (x->slot == sx || y->slot == sy) return x->slot == sx && y->slot == sy;
        return other_locals && x->slot == y->slot;
    case IR_AGG: return false;
    case IR_CONST: return same_const(x, y);
    case IR_FIELD:
        if (x->a->type->rec != y->a->type->rec) return false;
        break;
    default: break;
    }
    if (!ir_same_expr(x->a, y->a, sx, sy, other_locals) || !ir_same_expr(x->b, y->b, sx, sy, other_locals) ||
        !ir_same_expr(x->c, y->c, sx, sy, other_locals) || !ir_same_expr(x->d, y->d, sx, sy, other_locals))
        return false;
    for (int i = 0; i < x->nargs; i++)
        if (!ir_same_expr(x->args[i], y->args[i], sx, sy, other_locals)) return false;
    return true;
}
