/* wording.c - conditions and values in words; see wording.h.
 *
 * A condition is rendered by its shape, not its source: a comparison is
 * "A is B" / "A is at least B" / "A on or after D" (the operator flipped
 * when negated), `and`/`or` are joined (negated by De Morgan), a
 * comprehension `exists(x in L where C)` is "a <L> where <C>" (negated: "no
 * <L> where <C>"; `forall` "for every <L>, <C>", negated "a <L> where not <C>"), a definition call is its name read as words with its
 * arguments.  What has no sentence form falls back to the source text.
 */
#include "wording.h"
#include "accord_rt.h"
#include "arena.h"
#include "iso.h"
#include "value.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wb_printf(WordBuf *b, const char *fmt, ...) {
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) return;
        if (b->s && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        }
        b->cap = (b->cap + (size_t)k + 64) * 2;
        b->s = xrealloc(b->s, b->cap);
        if (b->n == 0) b->s[0] = 0;
    }
}

const char *words_name(const char *name, char *buf, size_t n) {
    size_t i = 0;
    for (; name[i] && i + 1 < n; i++) buf[i] = name[i] == '_' ? ' ' : name[i];
    buf[i] = 0;
    return buf;
}

const char *words_field(const IrField *f, char *buf, size_t n) {
    if (f->words) return f->words;
    return words_name(f->name, buf, n);
}

const char *words_ordinal(const Type *t, int o, char *buf, size_t n) {
    if (t->kind == TY_BOOL) return o ? "true" : "false";
    if (o == 0) return "none";
    if (t->kind == TY_COUNTRY) {
        const char *c = acc_country_code(o);
        return c ? c : "?";
    }
    if (t->kind == TY_ENUM && o <= t->en->n) return words_name(t->en->consts[o - 1], buf, n);
    snprintf(buf, n, "%d", o);
    return buf;
}

void words_ordinals(WordBuf *b, const Type *t, const uint64_t bits[4], const Value *parties) {
    if (parties && t->kind == TY_COUNTRY && !memcmp(bits, parties->bits, sizeof parties->bits)) {
        wb_printf(b, "a party");
        return;
    }
    int n = 0, k = 0;
    for (int o = 0; o < 256; o++) n += (int)((bits[o >> 6] >> (o & 63)) & 1);
    char tmp[96];
    for (int o = 0; o < 256; o++)
        if ((bits[o >> 6] >> (o & 63)) & 1) {
            k++;
            wb_printf(b, "%s%s", k == 1 ? "" : k == n ? " or " : ", ", words_ordinal(t, o, tmp, sizeof tmp));
        }
    if (!n) wb_printf(b, "nothing");
}

static bool is_date(const Type *t) { return t && t->kind == TY_DATE; }


static void words_value(WordBuf *b, const Value *v, const Type *t) {
    if (v->kind == TY_SET && t->kind == TY_SET) {
        words_ordinals(b, t->elem, v->bits, NULL);
        return;
    }
    char buf[128];
    value_format(buf, sizeof buf, v, t);
    /* enum constants read as words, without quotes */
    if (t->kind == TY_ENUM) {
        char tmp[96];
        wb_printf(b, "%s", words_ordinal(t, (int)v->i, tmp, sizeof tmp));
        return;
    }
    wb_printf(b, "%s", buf);
}

static void words_fallback(WordBuf *b, const WordCtx *w, const IrExpr *e) {
    const char *s = w->source ? w->source(w->ctx, e->span) : NULL;
    if (s) {
        wb_printf(b, "%s", s);
        return;
    }
    char *d = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&d, &n);
    if (f) {
        ir_expr_dump(e, f);
        fclose(f);
    }
    wb_printf(b, "%s", d ? d : "(a condition)");
    free(d);
}

/* the noun of a list: "activity" for `activities`, a field's phrase */
static void words_list(WordBuf *b, const WordCtx *w, const IrExpr *l) {
    char tmp[96];
    if (l->kind == IR_FIELD && l->a->type->kind == TY_RECORD) {
        wb_printf(b, "%s", words_field(&l->a->type->rec->fields[l->field], tmp, sizeof tmp));
        return;
    }
    if (l->kind == IR_DEFINE && l->nargs == 0) {
        wb_printf(b, "element of %s", words_name(l->def->name, tmp, sizeof tmp));
        return;
    }
    wb_printf(b, "element of ");
    words_term(b, w, l);
}

/* A noun phrase's first word in the plural: "activities", "elements of party links". */
static void words_plural(WordBuf *b, const char *noun) {
    size_t k = strcspn(noun, " ");
    if (k > 1 && noun[k - 1] == 'y' && !strchr("aeiou", noun[k - 2])) wb_printf(b, "%.*sies", (int)(k - 1), noun);
    else if (k > 0 && (noun[k - 1] == 's' || noun[k - 1] == 'x' || (k > 1 && noun[k - 1] == 'h' && strchr("cs", noun[k - 2]))))
        wb_printf(b, "%.*ses", (int)k, noun);
    else wb_printf(b, "%.*ss", (int)k, noun);
    wb_printf(b, "%s", noun + k);
}

static bool ends_with_preposition(const char *s) {
    static const char *preps[] = {" of", " in", " from", " to", " for", " at", " by", " with", " on"};
    size_t n = strlen(s);
    for (size_t i = 0; i < sizeof preps / sizeof *preps; i++) {
        size_t k = strlen(preps[i]);
        if (n >= k && !strcmp(s + n - k, preps[i])) return true;
    }
    return false;
}

/* Whether e is the element of a comprehension ("it"), not a question's argument. */
static bool is_element(const WordCtx *w, const IrExpr *e) {
    return e->kind == IR_LOCAL && !(w->q && e->slot < w->q->nparams);
}

/* A verb first ("works outside home state", "has ...", "is ..."): read
 * after its subject as it is; else a state the subject is in. */
static bool starts_with_verb(const char *s) {
    size_t k = strcspn(s, " ");
    if ((k == 2 && !strncmp(s, "is", 2)) || (k == 3 && !strncmp(s, "has", 3))) return true;
    /* a third-person verb: "works", "resides", "meets" (not "status", "less") */
    return k > 3 && s[k - 1] == 's' && s[k - 2] != 's' && s[k - 2] != 'u';
}

static void words_call(WordBuf *b, const WordCtx *w, const char *name, IrExpr **args, int nargs, bool negated) {
    char tmp[128];
    words_name(name, tmp, sizeof tmp);
    if (nargs == 1 && is_element(w, args[0]) && !ends_with_preposition(tmp)) {
        /* a definition of the element, as a condition: "it is considered",
           "it is not valid posting", "it works outside home state" */
        if (!starts_with_verb(tmp)) wb_printf(b, "it is %s%s", negated ? "not " : "", tmp);
        else if (!negated) wb_printf(b, "it %s", tmp);
        else if (!strncmp(tmp, "is ", 3)) wb_printf(b, "it is not %s", tmp + 3);
        else if (!strncmp(tmp, "has ", 4)) wb_printf(b, "it has no %s", tmp + 4);
        else wb_printf(b, "not (it %s)", tmp);
        return;
    }
    if (negated) {
        if (!strncmp(tmp, "is ", 3)) wb_printf(b, "is not %s", tmp + 3);
        else if (!strncmp(tmp, "has ", 4)) wb_printf(b, "has no %s", tmp + 4);
        else wb_printf(b, "not %s", tmp);
    } else {
        wb_printf(b, "%s", tmp);
    }
    if (!nargs) return;
    bool prep = ends_with_preposition(tmp);
    wb_printf(b, prep ? " " : " (");
    for (int i = 0; i < nargs; i++) {
        if (i) wb_printf(b, ", ");
        if (args[i]->kind == IR_PARTIES) wb_printf(b, "the parties");
        else words_term(b, w, args[i]);
    }
    if (!prep) wb_printf(b, ")");
}

void words_term(WordBuf *b, const WordCtx *w, const IrExpr *e) {
    char tmp[128];
    switch (e->kind) {
    case IR_CONST: words_value(b, &e->cval, e->type); return;
    case IR_PARTIES: wb_printf(b, "the parties"); return;
    case IR_PARAMETER: wb_printf(b, "%s", words_name(e->param->name, tmp, sizeof tmp)); return;
    case IR_LOCAL:
        /* a question's argument by its name in the question's declaration; a comprehension's element is "it" */
        if (w->q && e->slot < w->q->nparams) wb_printf(b, "%s", words_name(w->q->pnames[e->slot], tmp, sizeof tmp));
        else wb_printf(b, "it");
        return;
    case IR_FIELD:
        if (e->a->kind == IR_LOCAL || e->a->kind == IR_CASE || e->a->kind == IR_FIELD) {
            wb_printf(b, "%s", words_field(&e->a->type->rec->fields[e->field], tmp, sizeof tmp));
            return;
        }
        break;
    case IR_SETLIT:
        for (int i = 0; i < e->nargs; i++) {
            wb_printf(b, "%s", i == 0 ? "" : i + 1 == e->nargs ? " or " : ", ");
            words_term(b, w, e->args[i]);
        }
        return;
    case IR_DEFINE:
        if (e->nargs == 1 && is_element(w, e->args[0])) {
            /* a value of the element: "administration state of it" */
            wb_printf(b, "%s", words_name(e->def->name, tmp, sizeof tmp));
            wb_printf(b, "%s it", ends_with_preposition(tmp) ? "" : " of");
            return;
        }
        words_call(b, w, e->def->name, e->args, e->nargs, false);
        return;
    case IR_ASK:
        wb_printf(b, "the answer to ");
        words_call(b, w, e->question->name, e->args, e->nargs, false);
        return;
    case IR_BUILTIN:
        if (e->builtin == BI_SIZE && e->nargs == 1) {
            wb_printf(b, "the number of ");
            if (e->args[0]->kind == IR_DEFINE && !e->args[0]->nargs) wb_printf(b, "%s", words_name(e->args[0]->def->name, tmp, sizeof tmp));
            else words_term(b, w, e->args[0]);
            return;
        }
        break;
    case IR_AGG:
        if (e->agg == AG_COUNT) {
            wb_printf(b, "the number of ");
            WordBuf l = {0};
            words_list(&l, w, e->a);
            words_plural(b, l.s ? l.s : "element");
            free(l.s);
            if (e->b) {
                wb_printf(b, " where ");
                words_cond(b, w, e->b, false);
            }
            return;
        }
        break;
    default: break;
    }
    words_fallback(b, w, e);
}

static IrOp negate_op(IrOp op) {
    switch (op) {
    case IOP_EQ: return IOP_NE;
    case IOP_NE: return IOP_EQ;
    case IOP_LT: return IOP_GE;
    case IOP_GE: return IOP_LT;
    case IOP_LE: return IOP_GT;
    case IOP_GT: return IOP_LE;
    case IOP_IN: return IOP_NOTIN;
    case IOP_NOTIN: return IOP_IN;
    default: return op;
    }
}

static void words_compare(WordBuf *b, const WordCtx *w, const IrExpr *e, IrOp op) {
    bool date = is_date(e->a->type);
    const char *verb = "?";
    switch (op) {
    case IOP_EQ: verb = date ? "on" : "is"; break;
    case IOP_NE: verb = date ? "not on" : "is not"; break;
    case IOP_LT: verb = date ? "before" : "is less than"; break;
    case IOP_LE: verb = date ? "on or before" : "is at most"; break;
    case IOP_GT: verb = date ? "after" : "is more than"; break;
    case IOP_GE: verb = date ? "on or after" : "is at least"; break;
    case IOP_IN: verb = "is"; break;
    case IOP_NOTIN: verb = "is not"; break;
    default: break;
    }
    words_term(b, w, e->a);
    /* membership in a set of facts (not constants) reads "among"; two facts
       compared, "the same as" (not "employer seat is residence") */
    bool fact = e->b->kind != IR_SETLIT && e->b->kind != IR_CONST && e->b->kind != IR_PARTIES && e->b->kind != IR_PARAMETER;
    bool among = (op == IOP_IN || op == IOP_NOTIN) && fact;
    bool same = (op == IOP_EQ || op == IOP_NE) && fact && !date;
    wb_printf(b, " %s%s ", verb, among ? " among" : same ? " the same as" : "");
    if ((op == IOP_IN || op == IOP_NOTIN) && e->b->kind == IR_PARTIES) {
        wb_printf(b, "a party");
        return;
    }
    words_term(b, w, e->b);
}

void words_cond(WordBuf *b, const WordCtx *w, const IrExpr *e, bool negated) {
    switch (e->kind) {
    case IR_UNARY:
        if (e->op == IOP_NOT) {
            words_cond(b, w, e->a, !negated);
            return;
        }
        break;
    case IR_AND:
    case IR_OR: {
        bool conj = (e->kind == IR_AND) != negated;
        bool pa = e->a->kind == (conj ? IR_OR : IR_AND), pb = e->b->kind == (conj ? IR_OR : IR_AND);
        wb_printf(b, "%s", pa ? "(" : "");
        words_cond(b, w, e->a, negated);
        wb_printf(b, "%s %s %s", pa ? ")" : "", conj ? "and" : "or", pb ? "(" : "");
        words_cond(b, w, e->b, negated);
        wb_printf(b, "%s", pb ? ")" : "");
        return;
    }
    case IR_BINARY:
        if (e->op >= IOP_EQ && e->op <= IOP_NOTIN) {
            words_compare(b, w, e, negated ? negate_op(e->op) : e->op);
            return;
        }
        break;
    case IR_CONST:
        if (e->cval.kind == TY_BOOL) {
            wb_printf(b, "%s", (e->cval.b != 0) != negated ? "always" : "never");
            return;
        }
        break;
    case IR_FIELD:
    case IR_LOCAL:
        if (e->type->kind == TY_BOOL) {
            wb_printf(b, "%s", negated ? "not " : "");
            words_term(b, w, e);
            return;
        }
        break;
    case IR_DEFINE: words_call(b, w, e->def->name, e->args, e->nargs, negated); return;
    case IR_ASK:
        wb_printf(b, "%s", negated ? "not " : "");
        words_call(b, w, e->question->name, e->args, e->nargs, false);
        return;
    case IR_AGG:
        if (e->agg == AG_EXISTS || e->agg == AG_FORALL) {
            /* exists: "a L where C" / "no L where C"; forall: "every L where C" / "some L where not C" */
            bool ex = e->agg == AG_EXISTS;
            const IrExpr *c = e->b;
            WordBuf l = {0};
            words_list(&l, w, e->a);
            const char *noun = l.s ? l.s : "element";
            bool vowel = strchr("aeiouAEIOU", noun[0]) != NULL;
            if (!ex && !negated) wb_printf(b, "for every %s", noun);
            else wb_printf(b, "%s %s", ex && negated ? "no" : vowel ? "an" : "a", noun);
            free(l.s);
            if (c) {
                wb_printf(b, ex || negated ? " where " : ", ");
                words_cond(b, w, c, !ex && negated);
            }
            return;
        }
        break;
    default: break;
    }
    if (negated) wb_printf(b, "not (");
    words_fallback(b, w, e);
    if (negated) wb_printf(b, ")");
}
