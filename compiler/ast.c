/* ast.c - constructors and the --dump-ast printer; see ast.h. */
#include "ast.h"
#include "diag.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *expr_names[] = {
#define X(k, s) s,
    AST_EXPR_KINDS(X)
#undef X
};
static const char *item_names[] = {
#define X(k, s) s,
    AST_ITEM_KINDS(X)
#undef X
};
static const char *op_names[] = {"or", "and", "not", "==", "!=", "<", "<=", ">", ">=",
                                 "in", "not in", "+", "-", "*", "/", "neg"};
static const char *agg_names[] = {"exists", "forall", "count", "sum", "first", "set", "days", "months", "calendar months"};
static const char *unit_names[] = {"days", "weeks", "months", "quarters", "years"};

const char *ast_expr_kind_name(AstExprKind k) { return expr_names[k]; }
const char *ast_item_kind_name(AstItemKind k) { return item_names[k]; }
const char *ast_op_name(AstOp op) { return op_names[op]; }
const char *ast_agg_name(AstAgg a) { return agg_names[a]; }

AstExpr *ast_expr(Compilation *cx, AstExprKind k, Span sp) {
    AstExpr *e = arena_alloc(&cx->arena, sizeof *e);
    e->kind = k;
    e->span = sp;
    e->depth = 1;
    return e;
}

static int dmax(int a, const AstExpr *e) { return e && e->depth > a ? e->depth : a; }

/* Height of a node from its children; children are built first, so this is
 * O(1) per node and no pass ever needs to recurse to learn it. */
static AstExpr *seal(AstExpr *e) {
    int d = 0;
    d = dmax(d, e->lhs);
    d = dmax(d, e->rhs);
    d = dmax(d, e->third);
    d = dmax(d, e->cond);
    for (size_t i = 0; i < e->args.len; i++) d = dmax(d, e->args.items[i]);
    e->depth = d + 1;
    return e;
}

AstExpr *ast_binary(Compilation *cx, Span sp, AstOp op, AstExpr *l, AstExpr *r) {
    AstExpr *e = ast_expr(cx, EX_BINARY, sp);
    e->op = op;
    e->lhs = l;
    e->rhs = r;
    return seal(e);
}

AstExpr *ast_unary(Compilation *cx, Span sp, AstOp op, AstExpr *x) {
    AstExpr *e = ast_expr(cx, EX_UNARY, sp);
    e->op = op;
    e->lhs = x;
    return seal(e);
}

AstExpr *ast_field(Compilation *cx, Span sp, AstExpr *lhs, const char *name, Span name_span) {
    AstExpr *e = ast_expr(cx, EX_FIELD, sp);
    e->lhs = lhs;
    e->name = name;
    e->name_span = name_span;
    return seal(e);
}

AstExpr *ast_call(Compilation *cx, Span sp, const char *name, Span name_span, PtrVec args) {
    AstExpr *e = ast_expr(cx, EX_CALL, sp);
    e->name = name;
    e->name_span = name_span;
    e->args = args;
    return seal(e);
}

AstExpr *ast_if(Compilation *cx, Span sp, AstExpr *c, AstExpr *t, AstExpr *f) {
    AstExpr *e = ast_expr(cx, EX_IF, sp);
    e->lhs = c;
    e->rhs = t;
    e->third = f;
    return seal(e);
}

AstExpr *ast_list(Compilation *cx, AstExprKind k, Span sp, PtrVec args) {
    AstExpr *e = ast_expr(cx, k, sp);
    e->args = args;
    return seal(e);
}

/* `fields` is a temporary EX_RECORD accumulating names/args. */
AstExpr *ast_record(Compilation *cx, Span sp, AstExpr *fields) {
    (void)cx;
    fields->span = sp;
    return seal(fields);
}

AstExpr *ast_compr(Compilation *cx, Span sp, AstAgg agg, const char *var, Span var_span, AstExpr *list,
                   AstExpr *cond, AstExpr *body, AstExpr *third) {
    AstExpr *e = ast_expr(cx, EX_COMPR, sp);
    e->agg = agg;
    e->name = var;
    e->name_span = var_span;
    e->lhs = list;
    e->cond = cond;
    e->rhs = body;
    e->third = third;
    return seal(e);
}

AstExpr *ast_suffixed(Compilation *cx, AstExprKind k, Span sp, const char *number, const char *suffix) {
    AstExpr *e = ast_expr(cx, k, sp);
    e->text = number;
    e->name = suffix;
    e->depth = 1;
    return e;
}

AstExpr *ast_duration(Compilation *cx, Span sp, const char *digits, AstUnit unit) {
    AstExpr *e = ast_int(cx, sp, digits);
    e->kind = EX_DURATION;
    e->unit = unit;
    return e;
}

AstExpr *ast_name(Compilation *cx, Span sp, const char *name) {
    AstExpr *e = ast_expr(cx, EX_NAME, sp);
    e->name = name;
    e->name_span = sp;
    return e;
}

/* SPEC §2.4: integer literals must fit in 63 bits; larger ones are an error
 * here rather than a silent wrap. */
AstExpr *ast_int(Compilation *cx, Span sp, const char *digits) {
    AstExpr *e = ast_expr(cx, EX_INT, sp);
    int64_t v = 0;
    for (const char *p = digits; *p; p++) {
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *p - '0', &v)) {
            diag_error(cx, sp, "integer literal '%s' is too large (the limit is 9223372036854775807)", digits);
            v = 0;
            break;
        }
    }
    e->ival = v;
    e->text = digits;
    return e;
}

AstExpr *ast_text(Compilation *cx, AstExprKind k, Span sp, const char *text) {
    AstExpr *e = ast_expr(cx, k, sp);
    e->text = text;
    return e;
}

AstItem *ast_item(Compilation *cx, AstItemKind k, Span sp) {
    AstItem *it = arena_alloc(&cx->arena, sizeof *it);
    it->kind = k;
    it->span = sp;
    return it;
}

AstType *ast_type(Compilation *cx, Span sp, int kind, const char *name, AstType *elem) {
    AstType *t = arena_alloc(&cx->arena, sizeof *t);
    t->span = sp;
    t->kind = kind;
    t->name = name;
    t->elem = elem;
    return t;
}

AstParam *ast_param(Compilation *cx, Span sp, const char *name, AstType *t) {
    AstParam *p = arena_alloc(&cx->arena, sizeof *p);
    p->span = sp;
    p->name = name;
    p->type = t;
    return p;
}

AstRuleMod *ast_rule_mod(Compilation *cx, Span sp, AstRuleModKind k) {
    AstRuleMod *m = arena_alloc(&cx->arena, sizeof *m);
    m->span = sp;
    m->kind = k;
    return m;
}

AstCiteRef *ast_cite(Compilation *cx, Span sp, const char *article) {
    AstCiteRef *c = arena_alloc(&cx->arena, sizeof *c);
    c->span = sp;
    c->article = article;
    return c;
}

AstHeaderField *ast_header_field(Compilation *cx, Span sp, AstHeaderKind k) {
    AstHeaderField *h = arena_alloc(&cx->arena, sizeof *h);
    h->span = sp;
    h->kind = k;
    return h;
}

AstHeader *ast_header(Compilation *cx, Span sp) {
    AstHeader *h = arena_alloc(&cx->arena, sizeof *h);
    h->span = sp;
    return h;
}

AstFile *ast_file(Compilation *cx, Span sp, AstFileKind k, const char *name) {
    AstFile *f = arena_alloc(&cx->arena, sizeof *f);
    f->span = sp;
    f->kind = k;
    f->name = name;
    f->file = sp.file;
    return f;
}

void ast_push_name(Compilation *cx, PtrVec *names, PtrVec *spans, const char *name, Span sp) {
    ptrvec_push(&cx->arena, names, (void *)name);
    Span *s = arena_alloc(&cx->arena, sizeof *s);
    *s = sp;
    ptrvec_push(&cx->arena, spans, s);
}

/* ---- --dump-ast ---------------------------------------------------------- */

static void indent(FILE *out, int n) {
    for (int i = 0; i < n; i++) fputs("  ", out);
}

static void dump_expr(const AstExpr *e, FILE *out) {
    if (!e) { fputs("_", out); return; }
    if (e->depth > 1000) { fputs("(too deep)", out); return; }
    switch (e->kind) {
    case EX_INT: fprintf(out, "%" PRId64, e->ival); break;
    case EX_DECIMAL: fputs(e->text, out); break;
    case EX_PERCENT: fprintf(out, "%s%%", e->text); break;
    case EX_MONEY: fprintf(out, "(money %s %s)", e->text, e->name); break;
    case EX_DURATION: fprintf(out, "(%" PRId64 " %s)", e->ival, unit_names[e->unit]); break;
    case EX_DATE: fputs(e->text, out); break;
    case EX_BOOL: fputs(e->ival ? "true" : "false", out); break;
    case EX_STRING: fprintf(out, "\"%s\"", e->text); break;
    case EX_COUNTRY: fputs(e->name, out); break;
    case EX_NONE: fputs("none", out); break;
    case EX_NAME: fputs(e->name, out); break;
    case EX_FIELD: fputs("(. ", out); dump_expr(e->lhs, out); fprintf(out, " %s)", e->name); break;
    case EX_CALL:
        fprintf(out, "(call %s", e->name);
        for (size_t i = 0; i < e->args.len; i++) { fputc(' ', out); dump_expr(e->args.items[i], out); }
        fputc(')', out);
        break;
    case EX_UNARY: fprintf(out, "(%s ", op_names[e->op]); dump_expr(e->lhs, out); fputc(')', out); break;
    case EX_BINARY:
        fprintf(out, "(%s ", op_names[e->op]);
        dump_expr(e->lhs, out);
        fputc(' ', out);
        dump_expr(e->rhs, out);
        fputc(')', out);
        break;
    case EX_IF:
        fputs("(if ", out); dump_expr(e->lhs, out); fputc(' ', out);
        dump_expr(e->rhs, out); fputc(' ', out); dump_expr(e->third, out); fputc(')', out);
        break;
    case EX_SET: case EX_LIST:
        fputs(e->kind == EX_SET ? "{" : "[", out);
        for (size_t i = 0; i < e->args.len; i++) { if (i) fputc(' ', out); dump_expr(e->args.items[i], out); }
        fputs(e->kind == EX_SET ? "}" : "]", out);
        break;
    case EX_RECORD:
        fputs("{", out);
        for (size_t i = 0; i < e->args.len; i++) {
            if (i) fputc(' ', out);
            fprintf(out, "%s=", (const char *)e->names.items[i]);
            dump_expr(e->args.items[i], out);
        }
        fputs("}", out);
        break;
    case EX_COMPR:
        fprintf(out, "(%s %s ", agg_names[e->agg], e->name);
        dump_expr(e->lhs, out);
        if (e->cond) { fputs(" where ", out); dump_expr(e->cond, out); }
        if (e->rhs) { fputs(" : ", out); dump_expr(e->rhs, out); }
        if (e->third) { fputs(e->agg >= AGG_DAYS ? " minus " : " else ", out); dump_expr(e->third, out); }
        fputc(')', out);
        break;
    }
}

static void dump_type(const AstType *t, FILE *out) {
    if (!t) { fputs("_", out); return; }
    switch (t->kind) {
    case TS_NAME: fputs(t->name, out); break;
    case TS_DAYS: fputs("days", out); break;
    case TS_MONTHS: fputs("months", out); break;
    case TS_SET: fputs("set of ", out); dump_type(t->elem, out); break;
    case TS_LIST: fputs("list of ", out); dump_type(t->elem, out); break;
    }
}

static void dump_cite(const AstCiteRef *c, FILE *out) {
    fprintf(out, "article %s", c->article);
    for (size_t i = 0; i < c->labels.len; i++) fprintf(out, "(%s)", (const char *)c->labels.items[i]);
    if (c->instrument) fprintf(out, " of \"%s\"", c->instrument);
}

static void dump_items(const PtrVec *items, FILE *out, int depth);

static void dump_item(const AstItem *it, FILE *out, int depth) {
    indent(out, depth);
    fprintf(out, "(%s", item_names[it->kind]);
    if (it->name) fprintf(out, " %s", it->name);
    if (it->label) fprintf(out, " [%s]", it->label);
    if (it->title) fprintf(out, " \"%s\"", it->title);
    if (it->kind == IT_PROSE) fputs(" \"...\"", out);
    if (it->country) { fputc(' ', out); dump_expr(it->country, out); }
    if (it->date) { fputs(" from ", out); dump_expr(it->date, out); }
    for (size_t i = 0; i < it->params.len; i++) {
        const AstParam *p = it->params.items[i];
        fprintf(out, " (%s: ", p->name);
        dump_type(p->type, out);
        fputc(')', out);
    }
    if (it->type) { fputs(" : ", out); dump_type(it->type, out); }
    for (size_t i = 0; i < it->names.len; i++) fprintf(out, " %s", (const char *)it->names.items[i]);
    if (it->args.len) {
        fputs(" (", out);
        for (size_t i = 0; i < it->args.len; i++) { if (i) fputc(' ', out); dump_expr(it->args.items[i], out); }
        fputc(')', out);
    }
    if (it->kind == IT_EXPECT && it->expect_kind != EXP_VALUE) {
        static const char *ek[] = {"=", "is conflict", "is undetermined", "is not covered"};
        fprintf(out, " %s", ek[it->expect_kind]);
    }
    if (it->expr) { fputs(" = ", out); dump_expr(it->expr, out); }
    if (it->cond) { fputs(" when ", out); dump_expr(it->cond, out); }
    for (size_t i = 0; i < it->mods.len; i++) {
        const AstRuleMod *m = it->mods.items[i];
        switch (m->kind) {
        case RM_EXCEPTION_ARTICLE: fputs(" exception to ", out); dump_cite(m->cite, out); break;
        case RM_EXCEPTION_LABEL: fprintf(out, " exception to %s", m->label); break;
        case RM_PRIORITY: fprintf(out, " priority %" PRId64, m->priority); break;
        case RM_FROM: fputs(" from ", out); dump_expr(m->date, out); break;
        case RM_UNTIL: fputs(" until ", out); dump_expr(m->date, out); break;
        }
    }
    for (size_t i = 0; i < it->cites.len; i++) { fputs(" by ", out); dump_cite(it->cites.items[i], out); }
    if (it->items.len) {
        fputc('\n', out);
        dump_items(&it->items, out, depth + 1);
        indent(out, depth);
    }
    fputs(")\n", out);
}

static void dump_items(const PtrVec *items, FILE *out, int depth) {
    for (size_t i = 0; i < items->len; i++) dump_item(items->items[i], out, depth);
}

void ast_dump(const AstFile *f, FILE *out) {
    static const char *fk[] = {"agreement", "vocabulary", "protocol"};
    fprintf(out, "(%s %s", fk[f->kind], f->name ? f->name : "_");
    if (f->target) fprintf(out, " amends %s", f->target);
    fputc('\n', out);
    if (f->header) {
        for (size_t i = 0; i < f->header->fields.len; i++) {
            const AstHeaderField *h = f->header->fields.items[i];
            static const char *hk[] = {"title", "parties", "signed", "in force", "terminates", "supersedes", "yields to", "amends", "standard"};
            fprintf(out, "  (%s", hk[h->kind]);
            if (h->text) fprintf(out, " \"%s\"", h->text);
            if (h->date) { fputc(' ', out); dump_expr(h->date, out); }
            for (size_t j = 0; j < h->countries.len; j++) {
                const AstExpr *c = h->countries.items[j];
                fputc(' ', out);
                dump_expr(c, out);
                if (c->lhs) { fputs(" from ", out); dump_expr(c->lhs, out); }
                if (c->rhs) { fputs(" until ", out); dump_expr(c->rhs, out); }
            }
            if (h->yield) fprintf(out, " %s%s", h->yield->target, h->yield->unless_more_favourable ? " unless more favourable" : "");
            fputs(")\n", out);
        }
    }
    dump_items(&f->items, out, 1);
    fputs(")\n", out);
}
