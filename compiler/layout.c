/* layout.c - record layout and packing; see layout.h. */
#include "layout.h"
#include "accord.h"
#include "diag.h"
#include <string.h>

void layout_type(const Layout *l, const Type *t, uint32_t *size, uint32_t *align) {
    switch (t->kind) {
    case TY_BOOL: case TY_COUNTRY: case TY_ENUM: *size = *align = 1; return;
    case TY_DATE: *size = *align = 4; return;
    case TY_INT: case TY_DAYS: case TY_MONTHS: case TY_STRING: *size = *align = 8; return;
    case TY_RATIO: case TY_PERCENT: *size = sizeof(acc_rat); *align = 8; return;
    case TY_MONEY: *size = sizeof(acc_money); *align = 8; return;
    case TY_EXACT_MONEY: *size = sizeof(acc_exact_money); *align = 8; return;
    case TY_SET: *size = sizeof(acc_set); *align = 8; return;
    case TY_LIST: *size = sizeof(acc_list); *align = 8; return;
    case TY_RECORD: {
        const RecLayout *r = layout_of(l, t->rec);
        *size = r->size;
        *align = r->align;
        return;
    }
    case TY_ERROR: break;
    }
    ICE("layout of type kind %d", t->kind);
}

int layout_index(const Layout *l, const IrRecord *rec) {
    for (int i = 0; i < l->nrecords; i++)
        if (l->recs[i].rec == rec) return i;
    ICE("record %s has no layout", rec->name);
}

const RecLayout *layout_of(const Layout *l, const IrRecord *rec) { return &l->recs[layout_index(l, rec)]; }

/* Records may only contain records declared before them (the checker
 * forbids recursive records), so one pass in dependency order suffices;
 * compute lazily to be independent of declaration order. */
static void compute(Layout *l, int i, int depth) {
    RecLayout *r = &l->recs[i];
    if (r->size || depth > 64) return;
    uint32_t off = 0, align = 1;
    for (int f = 0; f < r->rec->nfields; f++) {
        const Type *t = r->rec->fields[f].type;
        if (t->kind == TY_RECORD) compute(l, layout_index(l, t->rec), depth + 1);
        uint32_t sz, al;
        layout_type(l, t, &sz, &al);
        off = (off + al - 1) / al * al;
        r->offset[f] = off;
        off += sz;
        if (al > align) align = al;
    }
    if (off == 0) off = 1; /* an empty record still has an address */
    r->size = (off + align - 1) / align * align;
    r->align = align;
}

Layout *layout_new(const IrVocabulary *voc, Arena *a) {
    Layout *l = arena_alloc(a, sizeof *l);
    l->voc = voc;
    l->nrecords = (int)voc->records.len;
    l->recs = arena_alloc(a, sizeof *l->recs * (size_t)(l->nrecords ? l->nrecords : 1));
    for (int i = 0; i < l->nrecords; i++) {
        RecLayout *r = &l->recs[i];
        memset(r, 0, sizeof *r);
        r->rec = voc->records.items[i];
        r->offset = arena_alloc(a, sizeof(uint32_t) * (size_t)(r->rec->nfields ? r->rec->nfields : 1));
    }
    for (int i = 0; i < l->nrecords; i++) compute(l, i, 0);
    return l;
}

void layout_pack_value(const Layout *l, const Type *t, const Value *v, void *dst, Arena *a) {
    switch (t->kind) {
    case TY_BOOL: { bool b = v->b; memcpy(dst, &b, 1); return; }
    case TY_COUNTRY: case TY_ENUM: { uint8_t o = (uint8_t)v->i; memcpy(dst, &o, 1); return; }
    case TY_DATE: { acc_cdate d = (acc_cdate)(v->i - acc_date_min()); memcpy(dst, &d, 4); return; }
    case TY_INT: case TY_DAYS: case TY_MONTHS: memcpy(dst, &v->i, 8); return;
    case TY_STRING: memset(dst, 0, 8); return;
    case TY_RATIO: case TY_PERCENT: { acc_rat q = {v->q.num, v->q.den}; memcpy(dst, &q, sizeof q); return; }
    case TY_MONEY: {
        acc_money m;
        memset(&m, 0, sizeof m);
        m.minor = v->q.num;
        m.currency = v->cur;
        memcpy(dst, &m, sizeof m);
        return;
    }
    case TY_EXACT_MONEY: {
        acc_exact_money m;
        memset(&m, 0, sizeof m);
        m.amount = (acc_rat){v->q.num, v->q.den};
        m.currency = v->cur;
        memcpy(dst, &m, sizeof m);
        return;
    }
    case TY_SET: memcpy(dst, v->bits, sizeof(acc_set)); return;
    case TY_LIST: {
        acc_list li;
        memset(&li, 0, sizeof li);
        const RecLayout *er = layout_of(l, t->elem->rec);
        li.n = v->agg.n;
        if (li.n) {
            char *items = arena_alloc(a, (size_t)er->size * li.n);
            memset(items, 0, (size_t)er->size * li.n);
            for (uint32_t i = 0; i < li.n; i++)
                layout_pack_value(l, t->elem, &v->agg.items[i], items + (size_t)er->size * i, a);
            li.items = items;
        }
        memcpy(dst, &li, sizeof li);
        return;
    }
    case TY_RECORD: {
        const RecLayout *r = layout_of(l, t->rec);
        for (int f = 0; f < r->rec->nfields; f++)
            layout_pack_value(l, r->rec->fields[f].type, &v->agg.items[f], (char *)dst + r->offset[f], a);
        return;
    }
    case TY_ERROR: break;
    }
    ICE("pack of type kind %d", t->kind);
}

void *layout_pack(const Layout *l, const IrRecord *rec, const Value *v, Arena *a) {
    const RecLayout *r = layout_of(l, rec);
    void *p = arena_alloc(a, r->size);
    memset(p, 0, r->size);
    Type t = {.kind = TY_RECORD, .rec = rec};
    layout_pack_value(l, &t, v, p, a);
    return p;
}

/* The ABI (runtime/accord.h) mirrors the compiler's own representations so
 * that values cross between compiled code and the compiler without
 * conversion; these fail to compile if the two drift apart. */
#include "interp.h"
#include "accord_cg.h"
#include <stddef.h>
_Static_assert(sizeof(Rat) == sizeof(acc_rat) && offsetof(Rat, den) == offsetof(acc_rat, den), "Rat is acc_rat");
_Static_assert(sizeof(Value) == sizeof(acc_value) && offsetof(Value, cur) == offsetof(acc_value, currency) &&
                   offsetof(Value, i) == offsetof(acc_value, i) && offsetof(Value, bits) == offsetof(acc_value, bits),
               "Value is acc_value");
_Static_assert((int)TY_BOOL == (int)ACC_T_BOOL && (int)TY_INT == (int)ACC_T_INT && (int)TY_RATIO == (int)ACC_T_RATIO && (int)TY_PERCENT == (int)ACC_T_PERCENT &&
                   (int)TY_DATE == (int)ACC_T_DATE && (int)TY_DAYS == (int)ACC_T_DAYS && (int)TY_MONTHS == (int)ACC_T_MONTHS &&
                   (int)TY_MONEY == (int)ACC_T_MONEY && (int)TY_EXACT_MONEY == (int)ACC_T_EXACT_MONEY && (int)TY_COUNTRY == (int)ACC_T_COUNTRY &&
                   (int)TY_ENUM == (int)ACC_T_ENUM && (int)TY_SET == (int)ACC_T_SET && (int)TY_LIST == (int)ACC_T_LIST && (int)TY_RECORD == (int)ACC_T_RECORD &&
                   (int)TY_STRING == (int)ACC_T_STRING,
               "type kinds");
_Static_assert((int)OUT_DECIDED == (int)ACC_DECIDED && (int)OUT_CONFLICT == (int)ACC_CONFLICT && (int)OUT_UNDETERMINED == (int)ACC_UNDETERMINED &&
                   (int)OUT_NOT_COVERED == (int)ACC_NOT_COVERED && (int)OUT_ERROR == (int)ACC_ERROR,
               "outcome kinds");
_Static_assert((int)ROUND_HALF_UP == (int)ACC_ROUND_HALF_UP && (int)ROUND_HALF_EVEN == (int)ACC_ROUND_HALF_EVEN && (int)ROUND_DOWN == (int)ACC_ROUND_DOWN &&
                   (int)ROUND_UP == (int)ACC_ROUND_UP && (int)ROUND_TRUNCATE == (int)ACC_ROUND_TRUNCATE,
               "rounding modes");
_Static_assert((int)TR_ASK == (int)ACC_TR_ASK && (int)TR_ANSWER == (int)ACC_TR_ANSWER && (int)TR_NOT_IN_FORCE == (int)ACC_TR_NOT_IN_FORCE &&
                   (int)TR_HEAD_MISMATCH == (int)ACC_TR_HEAD_MISMATCH && (int)TR_COND_FALSE == (int)ACC_TR_COND_FALSE &&
                   (int)TR_DECIDED == (int)ACC_TR_DECIDED && (int)TR_FAILED == (int)ACC_TR_FAILED && (int)TR_OVERRIDDEN == (int)ACC_TR_OVERRIDDEN &&
                   (int)TR_ARITH == (int)ACC_TR_ARITH && (int)TR_FACT == (int)ACC_TR_FACT,
               "trace kinds");
