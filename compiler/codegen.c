/* codegen.c - core IR -> LLVM IR -> native code; see codegen.h.
 *
 * The generated code follows interp.c step by step, because the
 * interpreter is the definition: an expression either yields a value or
 * fails (the failure is written into the acc_result of the rule being
 * evaluated and control jumps to the rule's failure block); rules are
 * evaluated lazily and memoised per question asked; siblings are combined
 * by priority.  Two differences, neither visible in results:
 *   - values have static LLVM types (the IR is fully typed), never tags;
 *   - untraced code evaluates siblings by decreasing priority and skips a
 *     rule once a sibling of strictly higher priority has decided (its
 *     answer or failure could no longer count, SPEC §6.3), which is what
 *     makes "first match wins" rule sets as fast as hand-written C: until a
 *     sibling fails, the first group of equal priority that answers is the
 *     answer, found without run-time bookkeeping (gen_first_match).  Traced
 *     code evaluates every sibling in source order, as the interpreter
 *     does, so that traces are identical.
 * Untraced code also computes a definition without parameters once per
 * question asked when it is named more than once (definition_uses), and
 * lets walks of a list for the first element satisfying the same
 * condition share what the first of them found (shared_walk): expressions
 * are pure, so neither is visible in results either.  Nor is counting the
 * size of a set comprehension during its walk (gen_set_size), computing a
 * definition that is one sum in place (memo_inline), or adding a whole
 * number and a fraction in 64 bits (rat_add_whole; traced code too).
 * Likewise untraced code generates a small definition given `parties` or a
 * constant set where it is named (inline_define), and knows the fast path's
 * call of a rule that is a sibling in one list only to be its first
 * evaluation (once_listed).  Membership in `parties` or in a constant set
 * builds no set (party_member, const_member).  Untraced code also computes
 * memoised definitions walking the same list in one walk (fuse_groups),
 * a definition applied to a walk's element once per element (ElemCache),
 * and a walk inside a definition with parameters that depends on the case
 * and date alone once per ask (closed_walks).
 * Every function exists twice, untraced and traced (suffix _t); the
 * untraced one contains no trace code at all.
 */
#include "codegen.h"
#include "accord_cg.h"
#include "codegen_batch.h"
#include "compilation.h"
#include "diag.h"
#include "jit_perf.h"
#include <llvm-c/Analysis.h>
#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h>
#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACC_DATE_MIN_DAYS (-719162) /* 0001-01-01: a zeroed date in a case struct */

struct CgUnit {
    LLVMOrcThreadSafeContextRef tsc;
    LLVMContextRef C;
    LLVMModuleRef M;
    LLVMTargetMachineRef TM;
    char *symbol;
    bool columnar;              /* the columnar descriptor was generated (CgOptions.columnar) */
    const IrExpr **exprs;       /* trace expression indices */
    size_t nexprs, capexprs;
};

typedef struct Cg {
    CgUnit *u;
    const IrAgreement *ag;
    const Layout *lay;
    const CgOptions *opt;
    LLVMContextRef C;
    LLVMModuleRef M;
    LLVMBuilderRef B;
    LLVMTypeRef t_i1, t_i8, t_i16, t_i32, t_i64, t_i128, t_i256, t_ptr, t_void, t_rat, t_money, t_list;
    LLVMTypeRef t_result;       /* acc_result as an opaque byte array of the right size */
    bool traced;
    /* the function being generated */
    LLVMValueRef fn, p_case, p_date, p_trace, p_fail, p_args;
    LLVMBasicBlockRef entry, fail_bb;
    LLVMValueRef *slots;
    int nslots;
    const IrRule *rule;         /* rule being evaluated, or NULL */
    LLVMValueRef p_rule;        /* its index (i32), -1 outside rules */
    /* per question: functions [traced] */
    LLVMValueRef *ask_fn[2];
    LLVMTypeRef ask_ty[2]; /* untraced ask(case, args, out); traced ask(case, args, out, trace) */
    LLVMValueRef *def_fn[2];
    LLVMTypeRef *def_ty;
    LLVMValueRef *rule_fn[2];
    LLVMTypeRef rule_ty;
    LLVMValueRef scope_fn[2];
    LLVMTypeRef scope_ty;
    LLVMValueRef copy_fn;
    LLVMTypeRef copy_ty;
    LLVMValueRef module_desc;   /* the acc_module global */
    LLVMValueRef enums;         /* the enum descriptors (initialised last) */
    LLVMValueRef branch_enum;   /* &enums[branch] */
    LLVMValueRef party_from, party_until; /* [256 x i32] */
    /* runtime declarations */
    LLVMValueRef rt[64];
    LLVMTypeRef rt_ty[64];
    /* per ask: the frame (rule states and results) */
    LLVMValueRef states, results;
    /* untraced asks: the rule states and memo of the general code of the
     * roots' combine, filled from the fast path's own at the switch to it
     * (fast_frame_to_general); NULL elsewhere */
    LLVMValueRef general_states, general_memo;
    /* set while the general walk of a sum of ratios is generated (gen_rat_sum:
     * its fallback, which must not take the fast walk again) */
    bool sum_generic;
    /* per ask, untraced code only: the values of definitions without
     * parameters, computed once (they depend on the case and date alone) */
    LLVMValueRef memo;          /* the current function's memo pointer (NULL in traced code) */
    long long *memo_off;        /* per definition id: its flag index, or -1 */
    long long memo_flags, memo_size;
    long long *memo_val;        /* per definition id: offset of its value */
    const IrQuestion *q;
    int *local;                 /* rule id -> index within its question */
    /* untraced code: the walks of the current function that look for the
     * first element of a list satisfying a predicate, with what they found
     * (see shared_walk) */
    struct Walk { const IrExpr *agg; LLVMValueRef state, elem; } walks[8];
    int nwalks;
    /* untraced code, inside a walk: the definitions applied to the element,
     * evaluated once per element (see elem_define) */
    struct ElemCache *ec;
    /* untraced code: the walks in definitions with parameters that depend on
     * the case and date alone, kept in the ask's memo (see gen_agg) */
    struct { const IrExpr *agg; long long flag, val; } closed[16];
    int nclosed;
    /* untraced code: per definition id, the group of memoised definitions
     * computed by one walk that it belongs to, or -1 (see fuse_groups) */
    int *fuse_of;
    struct Fused *fused;
    int nfused;
    LLVMTypeRef fuse_ty;
    /* untraced code: the exceptions of rules that share the very same list
     * (Arts 12-13 and 16(1) of EU 883/2004 are exceptions to every point of
     * Art. 11(3)) are combined once per ask; the outcome is kept in the
     * frame past the rules, at exset[rule id] (-1: not shared) */
    int *exset;
    size_t *frame_len;          /* per question: rules + shared exception lists */
    bool popcnt;                /* the target counts the bits of a 64-bit word in one instruction */
    /* untraced code, while a definition is generated inline (inline_define):
     * per slot, the argument a parameter stands for (`parties` or a constant
     * set), or NULL */
    const IrExpr **alias;
    /* untraced code: per rule id, whether the rule is a sibling in one list
     * only (once_listed): its call on the fast path of combine is then its
     * first evaluation in the ask */
    bool *once;
} Cg;

/* runtime functions called by generated code (accord_cg.h, accord_rt.h) */
enum {
    RT_RAT_ADD, RT_RAT_SUB, RT_RAT_MUL, RT_RAT_DIV, RT_RAT_ROUND, RT_FAIL, RT_FAIL_CURRENCY, RT_FAIL_ASK,
    RT_APPEND_CITE, RT_NOT_IN_FORCE, RT_NOT_PARTY, RT_NOT_MATERIAL, RT_NOT_PERSONAL, RT_MERGE, RT_CONFLICT,
    RT_TR_ASK, RT_TR_ANSWER, RT_TR_RULE, RT_TR_OVERRIDDEN, RT_TR_COND_FALSE, RT_TR_DONE, RT_TR_FACT, RT_TR_ARITH,
    RT_ADD_MONTHS, RT_ADD_DAYS, RT_PERIOD_MONTHS, RT_MONTHS_BETWEEN, RT_DAYS_TO_MONTHS, RT_UNION_DAYS,
    RT_UNION_MONTHS, RT_UNION_CAL_MONTHS, RT_MALLOC, RT_FREE, RT__COUNT
};

/* ---- small helpers ---------------------------------------------------------------- */

static LLVMValueRef ci(LLVMTypeRef t, long long v) { return LLVMConstInt(t, (unsigned long long)v, 1); }
static LLVMValueRef i64c(Cg *g, long long v) { return ci(g->t_i64, v); }
static LLVMValueRef i32c(Cg *g, long long v) { return ci(g->t_i32, v); }

LLVMValueRef cg_const_string(LLVMModuleRef M, const char *s) {
    LLVMContextRef C = LLVMGetModuleContext(M);
    if (!s) return LLVMConstNull(LLVMPointerTypeInContext(C, 0));
    LLVMValueRef init = LLVMConstStringInContext(C, s, (unsigned)strlen(s), 0);
    LLVMValueRef gv = LLVMAddGlobal(M, LLVMTypeOf(init), ".str");
    LLVMSetInitializer(gv, init);
    LLVMSetGlobalConstant(gv, 1);
    LLVMSetLinkage(gv, LLVMPrivateLinkage);
    LLVMSetUnnamedAddress(gv, LLVMGlobalUnnamedAddr);
    LLVMSetAlignment(gv, 1);
    return gv;
}

static LLVMValueRef cstr(Cg *g, const char *s) { return cg_const_string(g->M, s); }

static LLVMBasicBlockRef block(Cg *g, const char *name) { return LLVMAppendBasicBlockInContext(g->C, g->fn, name); }

/* an alloca in the entry block (so that mem2reg/SROA promote it) */
static LLVMValueRef local_var(Cg *g, LLVMTypeRef t, const char *name) {
    LLVMBuilderRef b = LLVMCreateBuilderInContext(g->C);
    LLVMValueRef first = LLVMGetFirstInstruction(g->entry);
    if (first) LLVMPositionBuilderBefore(b, first);
    else LLVMPositionBuilderAtEnd(b, g->entry);
    LLVMValueRef v = LLVMBuildAlloca(b, t, name);
    LLVMDisposeBuilder(b);
    return v;
}

static LLVMValueRef gep(Cg *g, LLVMValueRef p, long long off) {
    if (!off) return p;
    LLVMValueRef idx = i64c(g, off);
    return LLVMBuildInBoundsGEP2(g->B, g->t_i8, p, &idx, 1, "");
}
static LLVMValueRef gepv(Cg *g, LLVMValueRef p, LLVMValueRef off) {
    return LLVMBuildInBoundsGEP2(g->B, g->t_i8, p, &off, 1, "");
}
static LLVMValueRef load(Cg *g, LLVMTypeRef t, LLVMValueRef p, long long off) {
    return LLVMBuildLoad2(g->B, t, gep(g, p, off), "");
}
static void store(Cg *g, LLVMValueRef v, LLVMValueRef p, long long off) { LLVMBuildStore(g->B, v, gep(g, p, off)); }

static LLVMValueRef call(Cg *g, int rt, LLVMValueRef *args, unsigned n) {
    return LLVMBuildCall2(g->B, g->rt_ty[rt], g->rt[rt], args, n, "");
}

static LLVMValueRef intrinsic(Cg *g, const char *name, LLVMTypeRef *tys, unsigned ntys, LLVMValueRef *args,
                              unsigned nargs) {
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    LLVMValueRef f = LLVMGetIntrinsicDeclaration(g->M, id, tys, ntys);
    LLVMTypeRef ft = LLVMIntrinsicGetType(g->C, id, tys, ntys);
    return LLVMBuildCall2(g->B, ft, f, args, nargs, "");
}

static LLVMValueRef ev(Cg *g, LLVMValueRef agg, unsigned i) { return LLVMBuildExtractValue(g->B, agg, i, ""); }
static LLVMValueRef mkstruct(Cg *g, LLVMTypeRef t, LLVMValueRef *vals, unsigned n) {
    LLVMValueRef v = LLVMGetUndef(t);
    for (unsigned i = 0; i < n; i++) v = LLVMBuildInsertValue(g->B, v, vals[i], i, "");
    return v;
}
static LLVMValueRef mkrat(Cg *g, LLVMValueRef n, LLVMValueRef d) {
    LLVMValueRef v[2] = {n, d};
    return mkstruct(g, g->t_rat, v, 2);
}
static LLVMValueRef mkmoney(Cg *g, LLVMValueRef n, LLVMValueRef d, LLVMValueRef cur) {
    LLVMValueRef v[3] = {n, d, cur};
    return mkstruct(g, g->t_money, v, 3);
}

/* at the current block: v0 coming from b0, v1 from b1 */
static LLVMValueRef phi2(Cg *g, LLVMTypeRef t, LLVMValueRef v0, LLVMBasicBlockRef b0, LLVMValueRef v1, LLVMBasicBlockRef b1) {
    LLVMValueRef phi = LLVMBuildPhi(g->B, t, "");
    LLVMValueRef vals[2] = {v0, v1};
    LLVMBasicBlockRef blocks[2] = {b0, b1};
    LLVMAddIncoming(phi, vals, blocks, 2);
    return phi;
}

/* date outside [from, until): the validity test of rules, articles, scope
 * clauses, parties and the agreement itself (SPEC §6.4) */
static LLVMValueRef outside(Cg *g, LLVMValueRef date, long long from, long long until) {
    return LLVMBuildOr(g->B, LLVMBuildICmp(g->B, LLVMIntSLT, date, i64c(g, from), ""),
                       LLVMBuildICmp(g->B, LLVMIntSGE, date, i64c(g, until), ""), "");
}

static bool is_money(TypeKind k) { return k == TY_MONEY || k == TY_EXACT_MONEY; }
static bool is_rat(TypeKind k) { return k == TY_RATIO || k == TY_PERCENT; }
static bool is_intish(TypeKind k) {
    return k == TY_INT || k == TY_DAYS || k == TY_MONTHS || k == TY_DATE || k == TY_COUNTRY || k == TY_ENUM;
}

static LLVMTypeRef ty(Cg *g, const Type *t) {
    switch (t->kind) {
    case TY_BOOL: return g->t_i1;
    case TY_INT: case TY_DAYS: case TY_MONTHS: case TY_DATE: case TY_COUNTRY: case TY_ENUM: return g->t_i64;
    case TY_RATIO: case TY_PERCENT: return g->t_rat;
    case TY_MONEY: case TY_EXACT_MONEY: return g->t_money;
    case TY_SET: return g->t_i256;
    case TY_LIST: return g->t_list;
    case TY_RECORD: case TY_STRING: return g->t_ptr;
    case TY_ERROR: break;
    }
    ICE("codegen: type kind %d", t->kind);
}

static LLVMValueRef set_const(Cg *g, const uint64_t bits[4]) {
    return LLVMConstIntOfArbitraryPrecision(g->t_i256, 4, bits);
}

/* Sets are i256 values, but a variable shift of an i256 is expanded by the
 * back end into some thirty instructions (through the stack): one member and
 * membership are built from the four 64-bit words instead (a handful of
 * selects, all in registers).  x: an ordinal (any integer type); ordinals
 * outside 0..255 are in no set. */
static LLVMValueRef ordinal64(Cg *g, LLVMValueRef x) {
    return LLVMGetIntTypeWidth(LLVMTypeOf(x)) < 64 ? LLVMBuildZExt(g->B, x, g->t_i64, "") : x;
}
static LLVMValueRef set_single(Cg *g, LLVMValueRef x) {
    x = ordinal64(g, x);
    LLVMValueRef w = LLVMBuildLShr(g->B, x, i64c(g, 6), "");
    LLVMValueRef bit = LLVMBuildShl(g->B, i64c(g, 1), LLVMBuildAnd(g->B, x, i64c(g, 63), ""), "");
    LLVMValueRef s = LLVMConstNull(g->t_i256);
    for (int i = 0; i < 4; i++) {
        LLVMValueRef wi = LLVMBuildSelect(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, w, i64c(g, i), ""), bit, i64c(g, 0), "");
        s = LLVMBuildOr(g->B, s, LLVMBuildShl(g->B, LLVMBuildZExt(g->B, wi, g->t_i256, ""), ci(g->t_i256, 64 * i), ""), "");
    }
    return s;
}
static LLVMValueRef set_member(Cg *g, LLVMValueRef set, LLVMValueRef x) {
    x = ordinal64(g, x);
    LLVMValueRef w = LLVMBuildLShr(g->B, x, i64c(g, 6), "");
    LLVMValueRef word = i64c(g, 0); /* w >= 4: no member */
    for (int i = 3; i >= 0; i--) {
        LLVMValueRef wi = LLVMBuildTrunc(g->B, LLVMBuildLShr(g->B, set, ci(g->t_i256, 64 * i), ""), g->t_i64, "");
        word = LLVMBuildSelect(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, w, i64c(g, i), ""), wi, word, "");
    }
    LLVMValueRef bit = LLVMBuildLShr(g->B, word, LLVMBuildAnd(g->B, x, i64c(g, 63), ""), "");
    return LLVMBuildTrunc(g->B, bit, g->t_i1, "");
}

/* the number of members: with a popcnt instruction, the sum of the four
 * words' counts; the count of the i256 itself is compared with a constant
 * (size(s) == 1) through the borrows of s - 1 over four words, some twenty
 * instructions where the counts take eight */
static LLVMValueRef set_count(Cg *g, LLVMValueRef set) {
    if (!g->popcnt) return LLVMBuildTrunc(g->B, intrinsic(g, "llvm.ctpop", &g->t_i256, 1, &set, 1), g->t_i64, "");
    LLVMValueRef n = NULL;
    for (int i = 0; i < 4; i++) {
        LLVMValueRef w = LLVMBuildTrunc(g->B, LLVMBuildLShr(g->B, set, ci(g->t_i256, 64 * i), ""), g->t_i64, "");
        LLVMValueRef c = intrinsic(g, "llvm.ctpop", &g->t_i64, 1, &w, 1);
        n = n ? LLVMBuildAdd(g->B, n, c, "") : c;
    }
    return n;
}

/* x in a constant set: the selects of set_member cost a dozen instructions
 * where a constant set needs one 64-bit word: the word itself when every
 * member lies in one word (a range test and a bit test), else a load from a
 * constant table of the four words (indexed by x >> 6 once x is known to be
 * below 256).  Shift amounts are masked to 0..63, so no value is poison. */
static LLVMValueRef const_member(Cg *g, const uint64_t bits[4], LLVMValueRef x) {
    x = ordinal64(g, x);
    int words = 0, k = 0;
    for (int i = 0; i < 4; i++)
        if (bits[i]) words++, k = i;
    if (!words) return ci(g->t_i1, 0);
    LLVMValueRef word, off = x, in;
    if (words == 1) {
        off = LLVMBuildSub(g->B, x, i64c(g, 64 * k), "");
        in = LLVMBuildICmp(g->B, LLVMIntULT, off, i64c(g, 64), "");
        word = i64c(g, (long long)bits[k]);
    } else {
        LLVMValueRef w[4];
        for (int i = 0; i < 4; i++) w[i] = i64c(g, (long long)bits[i]);
        LLVMValueRef table = cg_const_array(g->M, g->t_i64, w, 4, "set_words");
        LLVMSetUnnamedAddress(table, LLVMGlobalUnnamedAddr); /* identical tables are merged */
        in = LLVMBuildICmp(g->B, LLVMIntULT, x, i64c(g, 256), "");
        LLVMValueRef idx[2] = {i64c(g, 0), LLVMBuildAnd(g->B, LLVMBuildLShr(g->B, x, i64c(g, 6), ""), i64c(g, 3), "")};
        word = LLVMBuildLoad2(g->B, g->t_i64, LLVMBuildInBoundsGEP2(g->B, LLVMArrayType(g->t_i64, 4), table, idx, 2, ""), "");
    }
    LLVMValueRef bit = LLVMBuildLShr(g->B, word, LLVMBuildAnd(g->B, off, i64c(g, 63), ""), "");
    return LLVMBuildAnd(g->B, in, LLVMBuildTrunc(g->B, bit, g->t_i1, ""), "");
}

/* ---- record constants (a record literal given to a definition) --------------------
 * Laid out as in a case: a packed struct of byte runs, with pointers to
 * further constants for the items of lists. */
typedef struct Segs {
    LLVMValueRef *v;
    size_t n, cap;
    unsigned char bytes[512];   /* the pending run of plain bytes */
    size_t nbytes;
} Segs;

static void segs_push(Segs *s, LLVMValueRef v) {
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = v;
}

static void segs_flush(Cg *g, Segs *s) {
    if (!s->nbytes) return;
    segs_push(s, LLVMConstStringInContext(g->C, (const char *)s->bytes, (unsigned)s->nbytes, 1));
    s->nbytes = 0;
}

static void segs_bytes(Cg *g, Segs *s, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        if (s->nbytes == sizeof s->bytes) segs_flush(g, s);
        s->bytes[s->nbytes++] = b[i];
    }
}

static LLVMValueRef const_record_global(Cg *g, const Value *v, const Type *t, uint32_t count);

/* the bytes of one value of type t at its layout, into the segments */
static void const_layout(Cg *g, Segs *s, const Value *v, const Type *t) {
    if (t->kind == TY_RECORD) {
        const RecLayout *rl = layout_of(g->lay, t->rec);
        uint32_t at = 0;
        unsigned char zero[64] = {0};
        for (int f = 0; f < rl->rec->nfields; f++) {
            while (at < rl->offset[f]) {
                uint32_t k = rl->offset[f] - at < sizeof zero ? rl->offset[f] - at : (uint32_t)sizeof zero;
                segs_bytes(g, s, zero, k);
                at += k;
            }
            const Type *ft = rl->rec->fields[f].type;
            uint32_t sz, al;
            layout_type(g->lay, ft, &sz, &al);
            const_layout(g, s, &v->agg.items[f], ft);
            at += sz;
        }
        while (at < rl->size) {
            segs_bytes(g, s, zero, 1);
            at++;
        }
        return;
    }
    if (t->kind == TY_LIST) {
        /* acc_list: items pointer, n, padding */
        segs_flush(g, s);
        segs_push(s, v->agg.n ? const_record_global(g, v, t->elem, v->agg.n) : LLVMConstNull(g->t_ptr));
        uint32_t n = v->agg.n;
        segs_bytes(g, s, &n, sizeof n);
        unsigned char pad[sizeof(acc_list) - sizeof(void *) - sizeof(uint32_t)] = {0};
        segs_bytes(g, s, pad, sizeof pad);
        return;
    }
    unsigned char buf[64];
    uint32_t sz, al;
    layout_type(g->lay, t, &sz, &al);
    memset(buf, 0, sizeof buf);
    layout_pack_value(g->lay, t, v, buf, NULL);
    segs_bytes(g, s, buf, sz);
}

/* a private constant holding `count` records of type t (a list's items, or
 * one record when count is 1 and v is the record itself) */
static LLVMValueRef const_record_global(Cg *g, const Value *v, const Type *t, uint32_t count) {
    Segs s;
    memset(&s, 0, sizeof s);
    bool list = v->kind == TY_LIST;
    for (uint32_t i = 0; i < count; i++) const_layout(g, &s, list ? &v->agg.items[i] : v, t);
    segs_flush(g, &s);
    LLVMValueRef init = LLVMConstStructInContext(g->C, s.v, (unsigned)s.n, 1);
    free(s.v);
    LLVMValueRef gv = LLVMAddGlobal(g->M, LLVMTypeOf(init), "record");
    LLVMSetInitializer(gv, init);
    LLVMSetGlobalConstant(gv, 1);
    LLVMSetLinkage(gv, LLVMPrivateLinkage);
    LLVMSetAlignment(gv, 8);
    return gv;
}

static LLVMValueRef const_value(Cg *g, const Value *v, const Type *t) {
    switch (t->kind) {
    case TY_RECORD: return const_record_global(g, v, t, 1);
    case TY_LIST: {
        LLVMValueRef items = v->agg.n ? const_record_global(g, v, t->elem, v->agg.n) : LLVMConstNull(g->t_ptr);
        return LLVMConstStructInContext(g->C, (LLVMValueRef[]){items, i64c(g, v->agg.n)}, 2, 0);
    }
    case TY_BOOL: return ci(g->t_i1, v->b);
    case TY_INT: case TY_DAYS: case TY_MONTHS: case TY_DATE: case TY_COUNTRY: case TY_ENUM: return i64c(g, v->i);
    case TY_RATIO: case TY_PERCENT: {
        if (v->kind == TY_INT) return LLVMConstStructInContext(g->C, (LLVMValueRef[]){i64c(g, v->i), i64c(g, 1)}, 2, 0);
        return LLVMConstStructInContext(g->C, (LLVMValueRef[]){i64c(g, v->q.num), i64c(g, v->q.den)}, 2, 0);
    }
    case TY_MONEY: case TY_EXACT_MONEY:
        if (v->kind == TY_INT) return LLVMConstStructInContext(g->C, (LLVMValueRef[]){i64c(g, v->i), i64c(g, 1), i64c(g, 0)}, 3, 0);
        return LLVMConstStructInContext(g->C, (LLVMValueRef[]){i64c(g, v->q.num), i64c(g, v->q.den), i64c(g, v->cur)}, 3, 0);
    case TY_SET: return set_const(g, v->bits);
    default: break;
    }
    ICE("codegen: constant of type kind %d", t->kind);
}

/* ---- failures ---------------------------------------------------------------------- */

/* Branch on ok; on the bad side the caller emits the message, then jumps to
 * the failure block. Returns the bad block (builder left at the ok block). */
static void guard(Cg *g, LLVMValueRef ok, void (*emit)(Cg *, void *), void *arg) {
    LLVMBasicBlockRef good = block(g, "ok"), bad = block(g, "fail");
    LLVMBuildCondBr(g->B, ok, good, bad);
    LLVMPositionBuilderAtEnd(g->B, bad);
    emit(g, arg);
    LLVMBuildBr(g->B, g->fail_bb);
    LLVMPositionBuilderAtEnd(g->B, good);
}

typedef struct Msg { int kind; const char *text; } Msg;
static void emit_msg(Cg *g, void *arg) {
    Msg *m = arg;
    LLVMValueRef a[3] = {g->p_fail, i32c(g, m->kind), cstr(g, m->text)};
    call(g, RT_FAIL, a, 3);
}
static void fail_unless(Cg *g, LLVMValueRef ok, const char *text) {
    Msg m = {OUT_ERROR, text};
    guard(g, ok, emit_msg, &m);
}

/* ---- conversions between representations ------------------------------------------ */

static LLVMValueRef to_rat(Cg *g, LLVMValueRef v, const Type *t) {
    if (is_intish(t->kind)) return mkrat(g, v, i64c(g, 1));
    if (is_rat(t->kind)) return v;
    if (is_money(t->kind)) return mkrat(g, ev(g, v, 0), ev(g, v, 1));
    ICE("codegen: to_rat of kind %d", t->kind);
}

/* where the checker unified two types (int with ratio): the wider form */
static LLVMValueRef coerce(Cg *g, LLVMValueRef v, const Type *from, const Type *to) {
    if (is_rat(to->kind) && !is_rat(from->kind)) return to_rat(g, v, from);
    if (is_money(to->kind) && !is_money(from->kind)) {
        LLVMValueRef r = to_rat(g, v, from);
        return mkmoney(g, ev(g, r, 0), ev(g, r, 1), i64c(g, 0));
    }
    return v;
}

static void store_payload(Cg *g, LLVMValueRef p, const Type *t, LLVMValueRef v);

/* store a value into an acc_value in memory (kind, currency, payload) */
static void store_value(Cg *g, LLVMValueRef p, const Type *t, LLVMValueRef v) {
    /* kind and currency (little-endian, the padding after them zeroed) in
     * one 8-byte store: a result is written on every ask */
    _Static_assert(offsetof(acc_value, kind) == 0 && offsetof(acc_value, currency) == 4 && offsetof(acc_value, i) == 8,
                   "acc_value layout");
    LLVMValueRef head = i64c(g, t->kind);
    if (is_money(t->kind))
        head = LLVMBuildOr(g->B, head, LLVMBuildShl(g->B, LLVMBuildAnd(g->B, ev(g, v, 2), i64c(g, 0xffff), ""), i64c(g, 32), ""), "");
    store(g, head, p, 0);
    store_payload(g, p, t, v);
}

/* the payload of an acc_value at p: only its own bytes */
static void store_payload(Cg *g, LLVMValueRef p, const Type *t, LLVMValueRef v) {
    long long u = offsetof(acc_value, i);
    switch (t->kind) {
    case TY_BOOL: store(g, LLVMBuildZExt(g->B, v, g->t_i8, ""), p, u); break;
    case TY_RATIO: case TY_PERCENT:
        store(g, ev(g, v, 0), p, u);
        store(g, ev(g, v, 1), p, u + 8);
        break;
    case TY_MONEY: case TY_EXACT_MONEY:
        store(g, ev(g, v, 0), p, u);
        store(g, ev(g, v, 1), p, u + 8);
        break;
    case TY_SET: store(g, v, p, u); break;
    default:
        if (is_intish(t->kind)) { store(g, v, p, u); break; }
        ICE("codegen: store_value of kind %d", t->kind);
    }
}

static LLVMValueRef load_value(Cg *g, LLVMValueRef p, const Type *t) {
    long long u = offsetof(acc_value, i);
    switch (t->kind) {
    case TY_BOOL: return LLVMBuildICmp(g->B, LLVMIntNE, load(g, g->t_i8, p, u), ci(g->t_i8, 0), "");
    case TY_RATIO: case TY_PERCENT: return mkrat(g, load(g, g->t_i64, p, u), load(g, g->t_i64, p, u + 8));
    case TY_MONEY: case TY_EXACT_MONEY:
        return mkmoney(g, load(g, g->t_i64, p, u), load(g, g->t_i64, p, u + 8),
                       LLVMBuildZExt(g->B, load(g, g->t_i16, p, offsetof(acc_value, currency)), g->t_i64, ""));
    case TY_SET: return load(g, g->t_i256, p, u);
    default:
        if (is_intish(t->kind)) return load(g, g->t_i64, p, u);
        ICE("codegen: load_value of kind %d", t->kind);
    }
}

/* a value materialised as an acc_value on the stack (trace events) */
static LLVMValueRef boxed(Cg *g, const Type *t, LLVMValueRef v) {
    LLVMValueRef p = local_var(g, LLVMArrayType(g->t_i8, sizeof(acc_value)), "boxed");
    LLVMBuildMemSet(g->B, p, ci(g->t_i8, 0), i64c(g, sizeof(acc_value)), 8);
    store_value(g, p, t, v);
    return p;
}

/* load a case field of type t at p + off, in the internal representation */
static LLVMValueRef load_field(Cg *g, LLVMValueRef p, uint32_t off, const Type *t) {
    switch (t->kind) {
    case TY_BOOL: return LLVMBuildICmp(g->B, LLVMIntNE, load(g, g->t_i8, p, off), ci(g->t_i8, 0), "");
    case TY_COUNTRY: case TY_ENUM: return LLVMBuildZExt(g->B, load(g, g->t_i8, p, off), g->t_i64, "");
    case TY_DATE:
        return LLVMBuildAdd(g->B, LLVMBuildSExt(g->B, load(g, g->t_i32, p, off), g->t_i64, ""), i64c(g, ACC_DATE_MIN_DAYS), "");
    case TY_INT: case TY_DAYS: case TY_MONTHS: return load(g, g->t_i64, p, off);
    case TY_RATIO: case TY_PERCENT: {
        LLVMValueRef n = load(g, g->t_i64, p, off), d = load(g, g->t_i64, p, off + 8);
        d = LLVMBuildSelect(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, d, i64c(g, 0), ""), i64c(g, 1), d, "");
        return mkrat(g, n, d);
    }
    case TY_MONEY:
        return mkmoney(g, load(g, g->t_i64, p, off), i64c(g, 1),
                       LLVMBuildZExt(g->B, load(g, g->t_i16, p, off + offsetof(acc_money, currency)), g->t_i64, ""));
    case TY_EXACT_MONEY: {
        LLVMValueRef n = load(g, g->t_i64, p, off), d = load(g, g->t_i64, p, off + 8);
        d = LLVMBuildSelect(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, d, i64c(g, 0), ""), i64c(g, 1), d, "");
        return mkmoney(g, n, d,
                       LLVMBuildZExt(g->B, load(g, g->t_i16, p, off + offsetof(acc_exact_money, currency)), g->t_i64, ""));
    }
    case TY_SET: {
        LLVMValueRef v = LLVMBuildLoad2(g->B, g->t_i256, gep(g, p, off), "");
        LLVMSetAlignment(v, 8);
        return v;
    }
    case TY_LIST: {
        LLVMValueRef items = load(g, g->t_ptr, p, off);
        LLVMValueRef n = LLVMBuildZExt(g->B, load(g, g->t_i32, p, off + offsetof(acc_list, n)), g->t_i64, "");
        LLVMValueRef v[2] = {items, n};
        return mkstruct(g, g->t_list, v, 2);
    }
    case TY_RECORD: return gep(g, p, off);
    case TY_STRING: return load(g, g->t_ptr, p, off);
    case TY_ERROR: break;
    }
    ICE("codegen: field of kind %d", t->kind);
}

/* ---- expressions ------------------------------------------------------------------------ */

static LLVMValueRef gen(Cg *g, const IrExpr *e);

static int expr_index(Cg *g, const IrExpr *e) {
    CgUnit *u = g->u;
    for (size_t i = 0; i < u->nexprs; i++)
        if (u->exprs[i] == e) return (int)i;
    if (u->nexprs == u->capexprs) {
        u->capexprs = u->capexprs ? 2 * u->capexprs : 64;
        u->exprs = xrealloc(u->exprs, u->capexprs * sizeof *u->exprs);
    }
    u->exprs[u->nexprs++] = e;
    return (int)u->nexprs - 1;
}

/* the rule being evaluated, for trace events (a parameter inside definitions) */
static LLVMValueRef rule_index(Cg *g) { return g->p_rule; }

static void trace_arith(Cg *g, const IrExpr *e, const Type *ta, LLVMValueRef a, const Type *tb, LLVMValueRef b,
                        LLVMValueRef v) {
    LLVMValueRef args[6] = {g->p_trace, i32c(g, expr_index(g, e)), rule_index(g), boxed(g, ta, a),
                            tb ? boxed(g, tb, b) : LLVMConstNull(g->t_ptr), boxed(g, e->type, v)};
    call(g, RT_TR_ARITH, args, 6);
}

typedef struct CurMsg { LLVMValueRef a, b; } CurMsg;
static void emit_currency(Cg *g, void *arg) {
    CurMsg *m = arg;
    LLVMValueRef a[3] = {g->p_fail, LLVMBuildTrunc(g->B, m->a, g->t_i16, ""), LLVMBuildTrunc(g->B, m->b, g->t_i16, "")};
    call(g, RT_FAIL_CURRENCY, a, 3);
}

/* two amounts in one currency: an amount with no currency must be zero and
 * takes the other's (interp.c same_currency) */
static LLVMValueRef same_currency(Cg *g, LLVMValueRef a, LLVMValueRef b) {
    LLVMValueRef ca = ev(g, a, 2), cb = ev(g, b, 2);
    LLVMValueRef eq = LLVMBuildICmp(g->B, LLVMIntEQ, ca, cb, "");
    LLVMValueRef a0 = LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, ca, i64c(g, 0), ""),
                                   LLVMBuildICmp(g->B, LLVMIntEQ, ev(g, a, 0), i64c(g, 0), ""), "");
    LLVMValueRef b0 = LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, cb, i64c(g, 0), ""),
                                   LLVMBuildICmp(g->B, LLVMIntEQ, ev(g, b, 0), i64c(g, 0), ""), "");
    CurMsg m = {ca, cb};
    guard(g, LLVMBuildOr(g->B, eq, LLVMBuildOr(g->B, a0, b0, ""), ""), emit_currency, &m);
    return LLVMBuildSelect(g->B, eq, ca, LLVMBuildSelect(g->B, a0, cb, ca, ""), "");
}

/* rational comparison without overflow: an*bd op bn*ad (denominators are
 * positive).  Both products are first formed in 64 bits with an overflow
 * test: when neither overflows they are the exact products, so comparing
 * them is comparing the 128-bit ones; only when one overflows are they
 * formed in 128 bits, where they cannot (|x*y| < 2^126).  The operands of
 * shares and percentages are small, so the wide multiplications (and, for
 * constant operands, the 128-bit shifts and compares) are skipped. */
static LLVMValueRef gen_rat_cmp(Cg *g, LLVMValueRef a, LLVMValueRef b, LLVMIntPredicate pred) {
    LLVMValueRef an = ev(g, a, 0), ad = ev(g, a, 1), bn = ev(g, b, 0), bd = ev(g, b, 1);
    if (LLVMIsConstant(a) || LLVMIsConstant(b)) {
        /* one side constant (`share >= 25%`): the products in 128 bits
         * without a branch -- about as many instructions as the 64-bit path
         * and its overflow test, and one comparison of two values that the
         * same comparison made again, or its complement (the peer rules'
         * `>= 25%` then `< 25%` on one memoised sum), is known from */
        LLVMValueRef l = LLVMBuildMul(g->B, LLVMBuildSExt(g->B, an, g->t_i128, ""), LLVMBuildSExt(g->B, bd, g->t_i128, ""), "");
        LLVMValueRef r = LLVMBuildMul(g->B, LLVMBuildSExt(g->B, bn, g->t_i128, ""), LLVMBuildSExt(g->B, ad, g->t_i128, ""), "");
        return LLVMBuildICmp(g->B, pred, l, r, "");
    }
    LLVMValueRef la[2] = {an, bd}, ra[2] = {bn, ad};
    LLVMValueRef l = intrinsic(g, "llvm.smul.with.overflow", &g->t_i64, 1, la, 2);
    LLVMValueRef r = intrinsic(g, "llvm.smul.with.overflow", &g->t_i64, 1, ra, 2);
    LLVMBasicBlockRef narrow = block(g, "cmp64"), wide = block(g, "cmp128"), join = block(g, "cmp_join");
    LLVMBuildCondBr(g->B, LLVMBuildOr(g->B, ev(g, l, 1), ev(g, r, 1), ""), wide, narrow);
    LLVMPositionBuilderAtEnd(g->B, narrow);
    LLVMValueRef c64 = LLVMBuildICmp(g->B, pred, ev(g, l, 0), ev(g, r, 0), "");
    LLVMBuildBr(g->B, join);
    LLVMPositionBuilderAtEnd(g->B, wide);
    LLVMValueRef l128 = LLVMBuildMul(g->B, LLVMBuildSExt(g->B, an, g->t_i128, ""), LLVMBuildSExt(g->B, bd, g->t_i128, ""), "");
    LLVMValueRef r128 = LLVMBuildMul(g->B, LLVMBuildSExt(g->B, bn, g->t_i128, ""), LLVMBuildSExt(g->B, ad, g->t_i128, ""), "");
    LLVMValueRef c128 = LLVMBuildICmp(g->B, pred, l128, r128, "");
    LLVMBuildBr(g->B, join);
    LLVMPositionBuilderAtEnd(g->B, join);
    return phi2(g, g->t_i1, c64, narrow, c128, wide);
}

static LLVMIntPredicate pred_of(IrOp op) {
    switch (op) {
    case IOP_EQ: return LLVMIntEQ;
    case IOP_NE: return LLVMIntNE;
    case IOP_LT: return LLVMIntSLT;
    case IOP_LE: return LLVMIntSLE;
    case IOP_GT: return LLVMIntSGT;
    default: return LLVMIntSGE;
    }
}

/* a op b for ordered/equality comparisons (interp.c compare) */
static LLVMValueRef compare(Cg *g, IrOp op, const Type *ta, LLVMValueRef a, const Type *tb, LLVMValueRef b) {
    /* a planted miscompilation (>= compiled as >), to show that the
     * differential tests catch one: tests/run_codegen.sh */
    if (g->opt->fault_ge_as_gt && op == IOP_GE) op = IOP_GT;
    LLVMIntPredicate p = pred_of(op);
    if (is_money(ta->kind)) {
        same_currency(g, a, b);
        return gen_rat_cmp(g, to_rat(g, a, ta), to_rat(g, b, tb), p);
    }
    if (is_rat(ta->kind) || is_rat(tb->kind)) return gen_rat_cmp(g, to_rat(g, a, ta), to_rat(g, b, tb), p);
    if (ta->kind == TY_BOOL) {
        LLVMIntPredicate up = p == LLVMIntSLT ? LLVMIntULT : p == LLVMIntSLE ? LLVMIntULE : p == LLVMIntSGT ? LLVMIntUGT
                              : p == LLVMIntSGE                            ? LLVMIntUGE
                                                                           : p;
        return LLVMBuildICmp(g->B, up, a, b, "");
    }
    if (ta->kind == TY_SET) {
        /* sets are only equal or not (interp: r = memcmp != 0) */
        LLVMValueRef ne = LLVMBuildICmp(g->B, LLVMIntNE, a, b, "");
        LLVMValueRef r = LLVMBuildZExt(g->B, ne, g->t_i64, "");
        return LLVMBuildICmp(g->B, p, r, i64c(g, 0), "");
    }
    return LLVMBuildICmp(g->B, p, a, b, "");
}

/* a + b or a - b when one operand is whole (denominator 1) and the other's
 * denominator is positive, in 64-bit integers: w + n/d = (w*d + n)/d,
 * n/d - w = (n - w*d)/d, w - n/d = (w*d - n)/d.  Exact whenever no step
 * overflows; and gcd(w*d +- n, d) = gcd(n, d), so the result is reduced when
 * the fraction is, as acc_rat_add would give it (values are reduced: the
 * interpreter's always, a case's as read; a host's unreduced ratio stays
 * unreduced here, as a field read passes it on).  A numerator INT64_MIN is
 * refused as acc_rat_add refuses it.  Otherwise (neither whole, or an
 * overflow) the runtime computes it in 128 bits, which fails only if the
 * exact reduced result does not fit.  This makes sums of shares and of
 * amounts (an accumulator starting at 0/1, whole amounts in minor units)
 * free of calls and of 128-bit arithmetic. */
static void rat_add_whole(Cg *g, IrOp op, LLVMValueRef a, LLVMValueRef b, bool a_whole, LLVMBasicBlockRef slow,
                          LLVMBasicBlockRef join, LLVMValueRef phi) {
    LLVMValueRef an = ev(g, a, 0), ad = ev(g, a, 1), bn = ev(g, b, 0), bd = ev(g, b, 1);
    LLVMValueRef w = a_whole ? an : bn, fn = a_whole ? bn : an, fd = a_whole ? bd : ad;
    LLVMValueRef ma[2] = {w, fd};
    LLVMValueRef m = intrinsic(g, "llvm.smul.with.overflow", &g->t_i64, 1, ma, 2);
    /* the product's overflow tested on its own: with the two overflow bits
     * or-ed, LLVM multiplied twice (once for the flag, after the addition
     * had overwritten it), keeping w alive past the new numerator, so a sum's
     * accumulator needed register copies on every step of its loop */
    LLVMBasicBlockRef mul_ok = block(g, "mul_ok");
    LLVMBuildCondBr(g->B, ev(g, m, 1), slow, mul_ok);
    LLVMPositionBuilderAtEnd(g->B, mul_ok);
    LLVMValueRef wd = ev(g, m, 0), s;
    if (op == IOP_ADD) {
        LLVMValueRef sa[2] = {wd, fn};
        s = intrinsic(g, "llvm.sadd.with.overflow", &g->t_i64, 1, sa, 2);
    } else {
        LLVMValueRef sa[2] = {a_whole ? wd : fn, a_whole ? fn : wd};
        s = intrinsic(g, "llvm.ssub.with.overflow", &g->t_i64, 1, sa, 2);
    }
    LLVMValueRef sn = ev(g, s, 0);
    LLVMValueRef bad = LLVMBuildOr(g->B, ev(g, s, 1), LLVMBuildICmp(g->B, LLVMIntEQ, sn, i64c(g, INT64_MIN), ""), "");
    LLVMValueRef v = mkrat(g, sn, fd);
    LLVMBasicBlockRef here = LLVMGetInsertBlock(g->B);
    LLVMBuildCondBr(g->B, bad, slow, join);
    LLVMAddIncoming(phi, &v, &here, 1);
}

/* a op b (+ or -) when one operand is whole (rat_add_whole), in 64 bits:
 * returns the result at the builder's new position; every case that is not
 * (neither whole, a denominator not positive, an overflow) branches to
 * `slow` instead */
static LLVMValueRef rat_add_fast(Cg *g, IrOp op, LLVMValueRef a, LLVMValueRef b, LLVMBasicBlockRef slow) {
    LLVMBasicBlockRef aw = block(g, "a_whole"), try_b = block(g, "b_whole?"), bw = block(g, "b_whole");
    LLVMBasicBlockRef join = block(g, "rat_join");
    LLVMBasicBlockRef here = LLVMGetInsertBlock(g->B);
    LLVMPositionBuilderAtEnd(g->B, join);
    LLVMValueRef phi = LLVMBuildPhi(g->B, g->t_rat, "");
    LLVMPositionBuilderAtEnd(g->B, here);
    LLVMValueRef one = i64c(g, 1), zero = i64c(g, 0), ad = ev(g, a, 1), bd = ev(g, b, 1);
    LLVMBuildCondBr(g->B, LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, ad, one, ""), LLVMBuildICmp(g->B, LLVMIntSGT, bd, zero, ""), ""), aw, try_b);
    LLVMPositionBuilderAtEnd(g->B, aw);
    rat_add_whole(g, op, a, b, true, slow, join, phi);
    LLVMPositionBuilderAtEnd(g->B, try_b);
    LLVMBuildCondBr(g->B, LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, bd, one, ""), LLVMBuildICmp(g->B, LLVMIntSGT, ad, zero, ""), ""), bw, slow);
    LLVMPositionBuilderAtEnd(g->B, bw);
    rat_add_whole(g, op, a, b, false, slow, join, phi);
    LLVMPositionBuilderAtEnd(g->B, join);
    return phi;
}

/* exact rational a op b through the runtime (after rat_add_fast for + and
 * -); fails on overflow / division by zero */
static LLVMValueRef rat_op(Cg *g, IrOp op, LLVMValueRef a, LLVMValueRef b) {
    if (op == IOP_DIV) fail_unless(g, LLVMBuildICmp(g->B, LLVMIntNE, ev(g, b, 0), i64c(g, 0), ""), "division by zero");
    LLVMBasicBlockRef join = NULL, slow = NULL, fast_end = NULL;
    LLVMValueRef fast = NULL;
    if (op == IOP_ADD || op == IOP_SUB) {
        slow = block(g, "rat_call");
        fast = rat_add_fast(g, op, a, b, slow);
        fast_end = LLVMGetInsertBlock(g->B);
        join = block(g, "rat_done");
        LLVMBuildBr(g->B, join);
        LLVMPositionBuilderAtEnd(g->B, slow);
    }
    int rt = op == IOP_ADD ? RT_RAT_ADD : op == IOP_SUB ? RT_RAT_SUB : op == IOP_MUL ? RT_RAT_MUL : RT_RAT_DIV;
    LLVMValueRef out = local_var(g, g->t_rat, "rat");
    LLVMValueRef args[5] = {ev(g, a, 0), ev(g, a, 1), ev(g, b, 0), ev(g, b, 1), out};
    LLVMValueRef ok = call(g, rt, args, 5);
    fail_unless(g, LLVMBuildICmp(g->B, LLVMIntNE, ok, ci(g->t_i8, 0), ""), "arithmetic overflow");
    LLVMValueRef v = LLVMBuildLoad2(g->B, g->t_rat, out, "");
    if (!join) return v;
    LLVMBasicBlockRef slow_end = LLVMGetInsertBlock(g->B);
    LLVMBuildBr(g->B, join);
    LLVMPositionBuilderAtEnd(g->B, join);
    return phi2(g, g->t_rat, fast, fast_end, v, slow_end);
}

static LLVMValueRef ovf_op(Cg *g, IrOp op, LLVMValueRef l, LLVMValueRef r) {
    const char *name = op == IOP_ADD ? "llvm.sadd.with.overflow" : op == IOP_SUB ? "llvm.ssub.with.overflow"
                                                                                  : "llvm.smul.with.overflow";
    LLVMValueRef args[2] = {l, r};
    LLVMValueRef res = intrinsic(g, name, &g->t_i64, 1, args, 2);
    fail_unless(g, LLVMBuildNot(g->B, ev(g, res, 1), ""), "arithmetic overflow");
    return ev(g, res, 0);
}

/* interp.c arith: e->op over a (type ta) and b (type tb), result type e->type */
static LLVMValueRef arith(Cg *g, const IrExpr *e, const Type *ta, LLVMValueRef a, const Type *tb, LLVMValueRef b) {
    TypeKind out = e->type->kind, x = ta->kind, y = tb->kind;
    IrOp op = e->op;
    if (out == TY_INT || ((out == TY_DAYS || out == TY_MONTHS) && x != TY_DATE && y != TY_DATE)) {
        LLVMValueRef l = is_rat(x) || is_money(x) ? ev(g, a, 0) : a, r = is_rat(y) || is_money(y) ? ev(g, b, 0) : b;
        return ovf_op(g, op, l, r);
    }
    if (out == TY_DAYS) return LLVMBuildSub(g->B, a, b, "");
    if (out == TY_DATE) {
        LLVMValueRef d = x == TY_DATE ? a : b, n = x == TY_DATE ? b : a;
        TypeKind nk = x == TY_DATE ? y : x;
        if (op == IOP_SUB) {
            fail_unless(g, LLVMBuildICmp(g->B, LLVMIntNE, n, i64c(g, INT64_MIN), ""), "arithmetic overflow");
            n = LLVMBuildNeg(g->B, n, "");
        }
        LLVMValueRef o = local_var(g, g->t_i32, "date");
        LLVMValueRef args[3] = {LLVMBuildTrunc(g->B, d, g->t_i32, ""), n, o};
        LLVMValueRef ok = call(g, nk == TY_MONTHS ? RT_ADD_MONTHS : RT_ADD_DAYS, args, 3);
        fail_unless(g, LLVMBuildICmp(g->B, LLVMIntNE, ok, ci(g->t_i8, 0), ""), "date arithmetic leaves the years 0001-9999");
        return LLVMBuildSExt(g->B, LLVMBuildLoad2(g->B, g->t_i32, o, ""), g->t_i64, "");
    }
    if (out == TY_SET)
        return op == IOP_ADD ? LLVMBuildOr(g->B, a, b, "") : LLVMBuildAnd(g->B, a, LLVMBuildNot(g->B, b, ""), "");
    LLVMValueRef cur = i64c(g, 0);
    if (is_money(x) && is_money(y) && (op == IOP_ADD || op == IOP_SUB || op == IOP_DIV)) cur = same_currency(g, a, b);
    else if (is_money(x)) cur = ev(g, a, 2);
    else if (is_money(y)) cur = ev(g, b, 2);
    LLVMValueRef r = rat_op(g, op, to_rat(g, a, ta), to_rat(g, b, tb));
    if (out == TY_RATIO || out == TY_PERCENT) return r;
    if (is_money(out)) return mkmoney(g, ev(g, r, 0), ev(g, r, 1), cur);
    ICE("codegen: arith result kind %d", out);
}

static LLVMValueRef party_member(Cg *g, LLVMValueRef x);

static LLVMValueRef gen_binary(Cg *g, const IrExpr *e) {
    LLVMValueRef a = gen(g, e->a);
    const IrExpr *set = e->b;
    if (set->kind == IR_LOCAL && g->alias && set->slot >= 0 && set->slot < g->nslots && g->alias[set->slot])
        set = g->alias[set->slot];
    if ((e->op == IOP_IN || e->op == IOP_NOTIN) && (set->kind == IR_PARTIES || set->kind == IR_CONST)) {
        /* membership in the parties or in a constant set: no set is built */
        LLVMValueRef bit = set->kind == IR_PARTIES ? party_member(g, a) : const_member(g, set->cval.bits, a);
        return e->op == IOP_IN ? bit : LLVMBuildNot(g->B, bit, "");
    }
    LLVMValueRef b = gen(g, e->b);
    switch (e->op) {
    case IOP_IN: case IOP_NOTIN: {
        LLVMValueRef bit = set_member(g, b, a);
        return e->op == IOP_IN ? bit : LLVMBuildNot(g->B, bit, "");
    }
    case IOP_EQ: case IOP_NE: case IOP_LT: case IOP_LE: case IOP_GT: case IOP_GE:
        return compare(g, e->op, e->a->type, a, e->b->type, b);
    default: {
        LLVMValueRef v = arith(g, e, e->a->type, a, e->b->type, b);
        TypeKind k = e->type->kind;
        if (g->traced && (is_money(k) || is_rat(k))) trace_arith(g, e, e->a->type, a, e->b->type, b, v);
        return v;
    }
    }
}

static const IrExpr *set_comprehension(Cg *g, const IrExpr *e, const IrDefine **through);
static LLVMValueRef gen_set_size_of(Cg *g, const IrExpr *set, const IrDefine *through);

static LLVMValueRef gen_builtin(Cg *g, const IrExpr *e) {
    if (e->builtin == BI_MIN || e->builtin == BI_MAX) {
        LLVMValueRef best = gen(g, e->args[0]);
        const Type *bt = e->args[0]->type;
        for (int i = 1; i < e->nargs; i++) {
            LLVMValueRef x = gen(g, e->args[i]);
            LLVMValueRef better = compare(g, e->builtin == BI_MIN ? IOP_LT : IOP_GT, e->args[i]->type, x, bt, best);
            /* the operands may differ in representation (int with ratio) */
            LLVMValueRef xc = coerce(g, x, e->args[i]->type, e->type), bc = coerce(g, best, bt, e->type);
            best = LLVMBuildSelect(g->B, better, xc, bc, "");
            bt = e->type;
        }
        return coerce(g, best, bt, e->type);
    }
    if (e->builtin == BI_SIZE) {
        const IrDefine *through;
        const IrExpr *set = set_comprehension(g, e->args[0], &through);
        if (set) return gen_set_size_of(g, set, through);
    }
    LLVMValueRef v[8];
    for (int i = 0; i < e->nargs && i < 8; i++) v[i] = gen(g, e->args[i]);
    const Type *t0 = e->nargs ? e->args[0]->type : NULL;
    switch (e->builtin) {
    case BI_ROUND: {
        LLVMValueRef r;
        if (t0->kind == TY_INT) r = v[0];
        else {
            LLVMValueRef q = to_rat(g, v[0], t0);
            LLVMValueRef args[3] = {ev(g, q, 0), ev(g, q, 1), i32c(g, e->round)};
            r = call(g, RT_RAT_ROUND, args, 3);
        }
        LLVMValueRef out = e->type->kind == TY_MONEY ? mkmoney(g, r, i64c(g, 1), ev(g, v[0], 2)) : r;
        if (g->traced) trace_arith(g, e, t0, v[0], NULL, NULL, out);
        return out;
    }
    case BI_PERIOD_MONTHS: case BI_MONTHS_BETWEEN: case BI_YEARS_BETWEEN: {
        LLVMValueRef args[2] = {LLVMBuildTrunc(g->B, v[0], g->t_i32, ""), LLVMBuildTrunc(g->B, v[1], g->t_i32, "")};
        LLVMValueRef r = call(g, e->builtin == BI_PERIOD_MONTHS ? RT_PERIOD_MONTHS : RT_MONTHS_BETWEEN, args, 2);
        return e->builtin == BI_YEARS_BETWEEN ? LLVMBuildSDiv(g->B, r, i64c(g, 12), "") : r;
    }
    case BI_DAYS_BETWEEN: return LLVMBuildSub(g->B, v[1], v[0], "");
    case BI_SIZE:
        if (t0->kind == TY_SET) return set_count(g, v[0]);
        return ev(g, v[0], 1);
    case BI_IN_MONTHS: {
        LLVMValueRef o = local_var(g, g->t_i64, "months");
        LLVMValueRef args[2] = {v[0], o};
        LLVMValueRef ok = call(g, RT_DAYS_TO_MONTHS, args, 2);
        fail_unless(g, LLVMBuildICmp(g->B, LLVMIntNE, ok, ci(g->t_i8, 0), ""), "arithmetic overflow");
        return LLVMBuildLoad2(g->B, g->t_i64, o, "");
    }
    case BI_ABS:
        if (is_intish(t0->kind)) {
            fail_unless(g, LLVMBuildICmp(g->B, LLVMIntNE, v[0], i64c(g, INT64_MIN), ""), "arithmetic overflow");
            return LLVMBuildSelect(g->B, LLVMBuildICmp(g->B, LLVMIntSLT, v[0], i64c(g, 0), ""), LLVMBuildNeg(g->B, v[0], ""),
                                   v[0], "");
        } else {
            LLVMValueRef n = ev(g, v[0], 0);
            LLVMValueRef an = LLVMBuildSelect(g->B, LLVMBuildICmp(g->B, LLVMIntSLT, n, i64c(g, 0), ""), LLVMBuildNeg(g->B, n, ""),
                                              n, "");
            return LLVMBuildInsertValue(g->B, v[0], an, 0, "");
        }
    default: break;
    }
    ICE("codegen: builtin %d", e->builtin);
}

/* a loop over the elements of a list (record pointers) or a set (ordinals,
 * ascending, as the interpreter visits them); `next` continues, `exit` ends
 * the loop early */
typedef struct Loop {
    LLVMBasicBlockRef head, next, exit;
    LLVMValueRef idx;           /* list: i64 index; set: the i256 of ordinals not yet visited */
    bool is_set;
} Loop;

static LLVMValueRef loop_begin(Cg *g, Loop *l, const Type *listty, LLVMValueRef list) {
    l->is_set = listty->kind != TY_LIST;
    l->idx = local_var(g, l->is_set ? g->t_i256 : g->t_i64, "i");
    LLVMBuildStore(g->B, l->is_set ? list : i64c(g, 0), l->idx);
    l->head = block(g, "loop");
    LLVMBasicBlockRef body = block(g, "body");
    l->next = block(g, "next");
    l->exit = block(g, "done");
    LLVMBuildBr(g->B, l->head);
    LLVMPositionBuilderAtEnd(g->B, l->head);
    if (l->is_set) {
        /* only the members: the lowest remaining ordinal, not all 256 */
        LLVMValueRef rem = LLVMBuildLoad2(g->B, g->t_i256, l->idx, "");
        LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntNE, rem, LLVMConstNull(g->t_i256), ""), body, l->exit);
        LLVMPositionBuilderAtEnd(g->B, body);
        LLVMValueRef args[2] = {rem, ci(g->t_i1, 1)};
        LLVMValueRef low = intrinsic(g, "llvm.cttz", &g->t_i256, 1, args, 2);
        return LLVMBuildTrunc(g->B, low, g->t_i64, "");
    }
    LLVMValueRef i = LLVMBuildLoad2(g->B, g->t_i64, l->idx, "");
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntULT, i, ev(g, list, 1), ""), body, l->exit);
    LLVMPositionBuilderAtEnd(g->B, body);
    uint32_t sz, al;
    layout_type(g->lay, listty->elem, &sz, &al);
    return gepv(g, ev(g, list, 0), LLVMBuildMul(g->B, i, i64c(g, sz), ""));
}

/* ---- walks that share their first match ----------------------------------------------
 * `exists(a in L where P)` then `first(a in L where P : v else d)` in one
 * rule (a common way to write "the first X, if there is one") would walk L
 * twice up to the same element.  Within one generated function, walks over
 * the same list with the same predicate share what the first of them to
 * complete found: state 0 (no walk completed yet), 1 (the first element
 * satisfying P is at `elem`) or 2 (no element satisfies P).  A later walk
 * then does not walk: exists is state == 1, first is v of `elem` or d.
 * Exact: L and P depend only on the case, the date and the walk's own
 * element (closed_expr), and expressions are pure, so every walk of the
 * function sees the same L and the same value of P on each element, and
 * the walk that completed evaluated P without failure on every element up
 * to the one found; v and d are evaluated as the walk would evaluate them.
 * Traced code always walks (its trace events must be the interpreter's). */

/* does e mention no local variable except `bound`, and bind none itself? */
static bool closed_expr(const IrExpr *e, int bound) {
    if (!e) return true;
    if (e->kind == IR_LOCAL) return e->slot == bound;
    if (e->kind == IR_AGG) return false;
    if (!closed_expr(e->a, bound) || !closed_expr(e->b, bound) || !closed_expr(e->c, bound) || !closed_expr(e->d, bound))
        return false;
    for (int i = 0; i < e->nargs; i++)
        if (!closed_expr(e->args[i], bound)) return false;
    return true;
}

/* x and y the same expression, local sx of x standing for local sy of y
 * (conservative: false when unsure) */
static bool same_expr(const IrExpr *x, const IrExpr *y, int sx, int sy) { return ir_same_expr(x, y, sx, sy, false); }

/* the record shared by walks like e (an exists or first with a predicate
 * over a list), its state 0 at the function's entry; NULL when e cannot
 * share */
static struct Walk *shared_walk(Cg *g, const IrExpr *e) {
    if (g->traced || !e->b || e->a->type->kind != TY_LIST || !closed_expr(e->a, -1) || !closed_expr(e->b, e->slot))
        return NULL;
    for (int i = 0; i < g->nwalks; i++) {
        const IrExpr *w = g->walks[i].agg;
        if (same_expr(w->a, e->a, -1, -1) && same_expr(w->b, e->b, w->slot, e->slot)) return &g->walks[i];
    }
    if (g->nwalks == (int)(sizeof g->walks / sizeof g->walks[0])) return NULL;
    struct Walk *w = &g->walks[g->nwalks++];
    w->agg = e;
    w->elem = local_var(g, g->t_ptr, "walk_elem");
    w->state = local_var(g, g->t_i8, "walk_state");
    LLVMBuilderRef b = LLVMCreateBuilderInContext(g->C);
    LLVMPositionBuilder(b, g->entry, LLVMGetNextInstruction(w->state));
    LLVMBuildStore(b, ci(g->t_i8, 0), w->state);
    LLVMDisposeBuilder(b);
    return w;
}

/* ---- definitions applied to a walk's element ------------------------------------------
 * `set(a in L where considered(a) and place_of(a) in parties : place_of(a))`
 * names place_of(a) twice on each element taken, and the walks of
 * definitions computed together (fuse_groups) name considered(a) once each.
 * Untraced code evaluates a definition applied to the walk's element (its
 * arguments mention no other local) once per element: the first evaluation
 * keeps its value in a local and sets a flag, cleared as each element
 * begins; later ones on the same element read the local.  Exact:
 * expressions are pure, so the definition gives the same value each time
 * on the same element; a failing evaluation keeps nothing and leaves the
 * walk, as it would have. */
struct ElemCache {
    LLVMValueRef *slots;        /* the walk's slots (inline_define and set sizes use others) */
    int slot;                   /* the element's slot */
    LLVMBasicBlockRef reset;    /* runs as each element begins: clears the flags */
    int n;
    struct { const IrExpr *e; int slot; LLVMValueRef known, val; } ent[16];
};

/* memoised definitions computed by one walk (see fuse_groups) */
struct Fused {
    const IrDefine *defs[8];
    int n;
    LLVMValueRef fn;            /* i1 fuse(case, date, trace, memo): false when some part failed */
};

/* the element x begins (the builder is at the walk's body): returns the
 * enclosing walk's cache, for elem_end */
static struct ElemCache *elem_begin(Cg *g, struct ElemCache *ec, int slot) {
    struct ElemCache *outer = g->ec;
    if (g->traced) return outer;
    ec->slots = g->slots;
    ec->slot = slot;
    ec->n = 0;
    ec->reset = block(g, "element");
    LLVMBuildBr(g->B, ec->reset);
    LLVMPositionBuilderAtEnd(g->B, ec->reset);
    LLVMBasicBlockRef body = block(g, "element_body");
    LLVMBuildBr(g->B, body);
    LLVMPositionBuilderAtEnd(g->B, body);
    g->ec = ec;
    return outer;
}

static void elem_end(Cg *g, struct ElemCache *outer) { g->ec = outer; }

static LLVMValueRef gen_define_call(Cg *g, const IrExpr *e);

/* a definition named in the current walk: evaluated once per element when
 * it is applied to the element (see ElemCache) */
static LLVMValueRef gen_define(Cg *g, const IrExpr *e) {
    struct ElemCache *ec = g->ec;
    if (!ec || ec->slots != g->slots || !e->def->nparams || !closed_expr(e, ec->slot)) return gen_define_call(g, e);
    int i = 0;
    while (i < ec->n && !same_expr(ec->ent[i].e, e, ec->ent[i].slot, ec->slot)) i++;
    if (i == ec->n) {
        if (ec->n == (int)(sizeof ec->ent / sizeof ec->ent[0])) return gen_define_call(g, e);
        ec->n++;
        ec->ent[i].e = e;
        ec->ent[i].slot = ec->slot;
        ec->ent[i].known = local_var(g, g->t_i1, "elem_known");
        ec->ent[i].val = local_var(g, ty(g, e->def->type), "elem_val");
        LLVMBuilderRef b = LLVMCreateBuilderInContext(g->C);
        LLVMPositionBuilderBefore(b, LLVMGetBasicBlockTerminator(ec->reset));
        LLVMBuildStore(b, ci(g->t_i1, 0), ec->ent[i].known);
        LLVMDisposeBuilder(b);
    }
    LLVMBasicBlockRef miss = block(g, "elem_miss"), join = block(g, "elem_join");
    LLVMBuildCondBr(g->B, LLVMBuildLoad2(g->B, g->t_i1, ec->ent[i].known, ""), join, miss);
    LLVMPositionBuilderAtEnd(g->B, miss);
    LLVMBuildStore(g->B, gen_define_call(g, e), ec->ent[i].val);
    LLVMBuildStore(g->B, ci(g->t_i1, 1), ec->ent[i].known);
    LLVMBuildBr(g->B, join);
    LLVMPositionBuilderAtEnd(g->B, join);
    return LLVMBuildLoad2(g->B, ty(g, e->def->type), ec->ent[i].val, "");
}

/* A walk's loop is not unrolled: lists in cases are short (a person's
 * activities, periods, amounts), and LLVM's runtime unrolling by two of a
 * loop of unknown length adds a test of the length's parity and a second
 * exit before the first element (the peer rules' count of activity States:
 * about 8 instructions an ask more than the plain loop).  The metadata is
 * LLVM's `llvm.loop` node, self-referential, on the loop's back edge. */
static void no_unroll(Cg *g, LLVMValueRef backedge) {
    LLVMMetadataRef self = LLVMTemporaryMDNode(g->C, NULL, 0);
    LLVMMetadataRef off = LLVMMDStringInContext2(g->C, "llvm.loop.unroll.disable", strlen("llvm.loop.unroll.disable"));
    LLVMMetadataRef ops[2] = {self, LLVMMDNodeInContext2(g->C, &off, 1)};
    LLVMMetadataRef loop = LLVMMDNodeInContext2(g->C, ops, 2);
    LLVMMetadataReplaceAllUsesWith(self, loop);
    LLVMSetMetadata(backedge, LLVMGetMDKindIDInContext(g->C, "llvm.loop", 9), LLVMMetadataAsValue(g->C, loop));
}

static void loop_end(Cg *g, Loop *l) {
    LLVMBuildBr(g->B, l->next);
    LLVMPositionBuilderAtEnd(g->B, l->next);
    if (l->is_set) {
        LLVMValueRef rem = LLVMBuildLoad2(g->B, g->t_i256, l->idx, "");
        LLVMBuildStore(g->B, LLVMBuildAnd(g->B, rem, LLVMBuildSub(g->B, rem, LLVMConstInt(g->t_i256, 1, 0), ""), ""), l->idx);
    } else {
        LLVMValueRef i = LLVMBuildLoad2(g->B, g->t_i64, l->idx, "");
        LLVMBuildStore(g->B, LLVMBuildAdd(g->B, i, i64c(g, 1), ""), l->idx);
    }
    no_unroll(g, LLVMBuildBr(g->B, l->head));
    LLVMPositionBuilderAtEnd(g->B, l->exit);
}

/* if (cond) { from[*n] = f; to[*n] = t; ++*n; } */
static void append_period(Cg *g, LLVMValueRef cond, LLVMValueRef f, LLVMValueRef t, LLVMValueRef from, LLVMValueRef to,
                          LLVMValueRef n) {
    LLVMBasicBlockRef yes = block(g, "append"), after = block(g, "appended");
    LLVMBuildCondBr(g->B, cond, yes, after);
    LLVMPositionBuilderAtEnd(g->B, yes);
    LLVMValueRef k = LLVMBuildLoad2(g->B, g->t_i64, n, "");
    LLVMBuildStore(g->B, f, LLVMBuildInBoundsGEP2(g->B, g->t_i32, from, &k, 1, ""));
    LLVMBuildStore(g->B, t, LLVMBuildInBoundsGEP2(g->B, g->t_i32, to, &k, 1, ""));
    LLVMBuildStore(g->B, LLVMBuildAdd(g->B, k, i64c(g, 1), ""), n);
    LLVMBuildBr(g->B, after);
    LLVMPositionBuilderAtEnd(g->B, after);
}

static LLVMValueRef gen_periods(Cg *g, const IrExpr *e, LLVMValueRef list) {
    /* days/months/calendar months of the union of the selected periods, minus
     * the excluded ones (interp.c aggregate, AG_DAYS..): arrays sized by the
     * list, on the stack when small, else on the heap */
    LLVMValueRef n = ev(g, list, 1);
    LLVMValueRef saved = intrinsic(g, "llvm.stacksave", NULL, 0, NULL, 0);
    LLVMValueRef cells = LLVMBuildMul(g->B, n, i64c(g, 8), ""); /* from,to,xfrom,xto + scratch 2*(n+n) */
    cells = LLVMBuildAdd(g->B, cells, i64c(g, 2), "");
    LLVMValueRef small = LLVMBuildICmp(g->B, LLVMIntULE, n, i64c(g, 256), "");
    LLVMValueRef bytes = LLVMBuildMul(g->B, cells, i64c(g, 4), "");
    LLVMBasicBlockRef bs = block(g, "stack"), bh = block(g, "heap"), bj = block(g, "arrays");
    LLVMBuildCondBr(g->B, small, bs, bh);
    LLVMPositionBuilderAtEnd(g->B, bs);
    LLVMValueRef sp = LLVMBuildArrayAlloca(g->B, g->t_i32, cells, "periods");
    LLVMBuildBr(g->B, bj);
    LLVMPositionBuilderAtEnd(g->B, bh);
    LLVMValueRef hp = call(g, RT_MALLOC, &bytes, 1);
    fail_unless(g, LLVMBuildICmp(g->B, LLVMIntNE, hp, LLVMConstNull(g->t_ptr), ""), "out of memory");
    LLVMBasicBlockRef bh_end = LLVMGetInsertBlock(g->B);
    LLVMBuildBr(g->B, bj);
    LLVMPositionBuilderAtEnd(g->B, bj);
    LLVMValueRef arr = LLVMBuildPhi(g->B, g->t_ptr, "arr");
    LLVMValueRef inc[2] = {sp, hp};
    LLVMBasicBlockRef incb[2] = {bs, bh_end};
    LLVMAddIncoming(arr, inc, incb, 2);
    LLVMValueRef nb = LLVMBuildMul(g->B, n, i64c(g, 4), "");
    LLVMValueRef from = arr, to = gepv(g, arr, nb), xfrom = gepv(g, to, nb), xto = gepv(g, xfrom, nb),
                 scratch = gepv(g, xto, nb);
    LLVMValueRef nin = local_var(g, g->t_i64, "nin"), nx = local_var(g, g->t_i64, "nx");
    LLVMBuildStore(g->B, i64c(g, 0), nin);
    LLVMBuildStore(g->B, i64c(g, 0), nx);
    /* a failure inside the loop must release the heap array first */
    LLVMBasicBlockRef outer_fail = g->fail_bb, inner_fail = block(g, "free_fail");
    g->fail_bb = inner_fail;
    Loop l;
    LLVMValueRef x = loop_begin(g, &l, e->a->type, list);
    g->slots[e->slot] = x;
    const RecLayout *rl = layout_of(g->lay, e->a->type->elem->rec);
    const Type *ft = rl->rec->fields[e->field].type, *tt = rl->rec->fields[e->nargs].type;
    LLVMValueRef f = LLVMBuildTrunc(g->B, load_field(g, x, rl->offset[e->field], ft), g->t_i32, "");
    LLVMValueRef t = LLVMBuildTrunc(g->B, load_field(g, x, rl->offset[e->nargs], tt), g->t_i32, "");
    /* the period joins the union when `where` holds, the exclusions when `minus` does */
    append_period(g, e->b ? gen(g, e->b) : ci(g->t_i1, 1), f, t, from, to, nin);
    if (e->d) append_period(g, gen(g, e->d), f, t, xfrom, xto, nx);
    loop_end(g, &l);
    g->fail_bb = outer_fail;
    int rt = e->agg == AG_DAYS ? RT_UNION_DAYS : e->agg == AG_MONTHS ? RT_UNION_MONTHS : RT_UNION_CAL_MONTHS;
    LLVMValueRef args[7] = {from, to, LLVMBuildLoad2(g->B, g->t_i64, nin, ""), xfrom, xto,
                            LLVMBuildLoad2(g->B, g->t_i64, nx, ""), scratch};
    LLVMValueRef r = call(g, rt, args, 7);
    LLVMBasicBlockRef fr = block(g, "free"), done = block(g, "freed");
    LLVMBuildCondBr(g->B, small, done, fr);
    LLVMPositionBuilderAtEnd(g->B, fr);
    call(g, RT_FREE, &arr, 1);
    LLVMBuildBr(g->B, done);
    LLVMPositionBuilderAtEnd(g->B, done);
    intrinsic(g, "llvm.stackrestore", NULL, 0, &saved, 1);
    /* the failure path: free when on the heap, then the outer failure */
    LLVMBasicBlockRef cont = LLVMGetInsertBlock(g->B);
    LLVMPositionBuilderAtEnd(g->B, inner_fail);
    LLVMBasicBlockRef ff = block(g, "fail_free");
    LLVMBuildCondBr(g->B, small, outer_fail, ff);
    LLVMPositionBuilderAtEnd(g->B, ff);
    call(g, RT_FREE, &arr, 1);
    LLVMBuildBr(g->B, outer_fail);
    LLVMPositionBuilderAtEnd(g->B, cont);
    return r;
}

/* ---- size of a set built by a comprehension --------------------------------------------
 * `size(set(a in L where P : v))` (directly, or through a definition without
 * parameters computed where it is named: definition_uses) counts the
 * distinct ordinals as the walk adds them, instead of building the set and
 * counting its bits afterwards: a member whose bit is not yet set in its
 * word of the set (in memory, as gen_agg builds it) sets it and adds one
 * to the count.  Exact: each bit of the final set changes from 0 to 1
 * exactly once during the walk, so the count is the number of its bits
 * (the size); ordinals outside 0..255 set no bit, as in gen_agg.  Untraced
 * code only: traced code builds the set, as the interpreter does. */
static const IrExpr *set_comprehension(Cg *g, const IrExpr *e, const IrDefine **through) {
    *through = NULL;
    if (g->traced) return NULL;
    if (e->kind == IR_DEFINE && e->def->nparams == 0 && g->memo_off[e->def->id] < 0) {
        *through = e->def;
        e = e->def->body;
    }
    return e->kind == IR_AGG && e->agg == AG_SET ? e : NULL;
}

/* the 64-bit word of the set `acc` (in memory, little-endian, as sets are
 * laid out in cases) that the member v belongs to, and v's bit in it (no
 * bit: ordinals outside 0..255 are no members) */
static LLVMValueRef set_word(Cg *g, LLVMValueRef acc, LLVMValueRef v, LLVMValueRef *bit) {
    LLVMValueRef o = ordinal64(g, v);
    LLVMValueRef in = LLVMBuildICmp(g->B, LLVMIntULT, o, i64c(g, 256), "");
    *bit = LLVMBuildSelect(g->B, in, LLVMBuildShl(g->B, i64c(g, 1), LLVMBuildAnd(g->B, o, i64c(g, 63), ""), ""), i64c(g, 0), "");
    /* the word indexed as a word (not a byte offset): a load and a store
     * of it then share one scaled address */
    LLVMValueRef w = LLVMBuildAnd(g->B, LLVMBuildLShr(g->B, o, i64c(g, 6), ""), i64c(g, 3), "");
    return LLVMBuildInBoundsGEP2(g->B, g->t_i64, acc, &w, 1, "");
}

/* v joins the set `acc` (its bit ored into its word) */
static void set_join(Cg *g, LLVMValueRef acc, LLVMValueRef v) {
    LLVMValueRef bit, word = set_word(g, acc, v, &bit);
    LLVMBuildStore(g->B, LLVMBuildOr(g->B, LLVMBuildLoad2(g->B, g->t_i64, word, ""), bit, ""), word);
}

/* v joins the set `acc`; when it is a new member (its bit not yet set), one
 * more to `count`, else on to `next` (the builder is left after the count) */
static void size_step(Cg *g, LLVMValueRef acc, LLVMValueRef count, LLVMValueRef v, LLVMBasicBlockRef next) {
    LLVMValueRef bit, word = set_word(g, acc, v, &bit);
    LLVMValueRef old = LLVMBuildLoad2(g->B, g->t_i64, word, "");
    LLVMBasicBlockRef add = block(g, "new_member");
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntNE, LLVMBuildAnd(g->B, old, bit, ""), bit, ""), add, next);
    LLVMPositionBuilderAtEnd(g->B, add);
    LLVMBuildStore(g->B, LLVMBuildOr(g->B, old, bit, ""), word);
    LLVMBuildStore(g->B, LLVMBuildAdd(g->B, LLVMBuildLoad2(g->B, g->t_i64, count, ""), i64c(g, 1), ""), count);
}

/* the loop of comprehension e over list, at an element that satisfies e's
 * condition (the others go on to the next): returns the enclosing walk's
 * cache, for elem_end */
static struct ElemCache *walk_begin(Cg *g, const IrExpr *e, LLVMValueRef list, Loop *l, struct ElemCache *ec) {
    g->slots[e->slot] = loop_begin(g, l, e->a->type, list);
    struct ElemCache *outer = elem_begin(g, ec, e->slot);
    if (e->b) {
        LLVMBasicBlockRef take = block(g, "take");
        LLVMBuildCondBr(g->B, gen(g, e->b), take, l->next);
        LLVMPositionBuilderAtEnd(g->B, take);
    }
    return outer;
}

static LLVMValueRef gen_set_size(Cg *g, const IrExpr *e) {
    LLVMValueRef list = gen(g, e->a);
    LLVMValueRef acc = local_var(g, g->t_i256, "set"), count = local_var(g, g->t_i64, "size");
    LLVMBuildStore(g->B, LLVMConstNull(g->t_i256), acc);
    LLVMBuildStore(g->B, i64c(g, 0), count);
    Loop l;
    struct ElemCache ec, *outer = walk_begin(g, e, list, &l, &ec);
    size_step(g, acc, count, gen(g, e->c), l.next);
    elem_end(g, outer);
    loop_end(g, &l);
    return LLVMBuildLoad2(g->B, g->t_i64, count, "");
}

static LLVMValueRef gen_set_size_of(Cg *g, const IrExpr *set, const IrDefine *through) {
    if (!through) return gen_set_size(g, set);
    /* the definition's body here, in its own slots (it has no parameters:
     * it reads only the case, the date and its own comprehension's element) */
    LLVMValueRef *slots = g->slots;
    int nslots = g->nslots;
    g->nslots = through->nslots + 1;
    g->slots = xcalloc((size_t)g->nslots, sizeof *g->slots);
    LLVMValueRef n = gen_set_size(g, set);
    free(g->slots);
    g->slots = slots;
    g->nslots = nslots;
    return n;
}

/* the accumulator of aggregate e, holding its value for the empty list */
static LLVMValueRef agg_init(Cg *g, const IrExpr *e) {
    LLVMValueRef acc = local_var(g, ty(g, e->type), "acc");
    switch (e->agg) {
    case AG_EXISTS: LLVMBuildStore(g->B, ci(g->t_i1, 0), acc); break;
    case AG_FORALL: LLVMBuildStore(g->B, ci(g->t_i1, 1), acc); break;
    case AG_COUNT: LLVMBuildStore(g->B, i64c(g, 0), acc); break;
    case AG_SUM:
        if (is_rat(e->type->kind)) LLVMBuildStore(g->B, mkrat(g, i64c(g, 0), i64c(g, 1)), acc);
        else if (is_money(e->type->kind)) LLVMBuildStore(g->B, mkmoney(g, i64c(g, 0), i64c(g, 1), i64c(g, 0)), acc);
        else LLVMBuildStore(g->B, i64c(g, 0), acc);
        break;
    case AG_SET: LLVMBuildStore(g->B, LLVMConstNull(g->t_i256), acc); break;
    case AG_FIRST: break;
    default: UNREACHABLE();
    }
    return acc;
}

/* acc += the value of sum e on the current element (arith: exact, or fails) */
static void sum_step(Cg *g, const IrExpr *e, LLVMValueRef acc) {
    LLVMValueRef v = gen(g, e->c);
    IrExpr add;
    memset(&add, 0, sizeof add);
    add.kind = IR_BINARY;
    add.op = IOP_ADD;
    add.type = e->type;
    LLVMValueRef s = arith(g, &add, e->type, LLVMBuildLoad2(g->B, ty(g, e->type), acc, ""), e->c->type, v);
    LLVMBuildStore(g->B, coerce(g, s, e->type, e->type), acc);
}

/* A sum of ratios in untraced code: first walked with the accumulator in
 * 64 bits and only rat_add_fast's whole-number cases (every addend, or the
 * sum so far, whole: a sum of shares starts at 0/1), so that the loop makes
 * no call.  The first element that needs more (two fractions, an overflow,
 * a denominator not positive) leaves that walk for the general one
 * (sum_step: the runtime's exact arithmetic), which starts again at the
 * first element.  Exact: the fast walk's partial sums are the values the
 * general walk computes (the same operation on the same operands), and
 * expressions are pure, so the general walk sees the same elements and
 * values and fails, if it fails, where the interpreter does; a failure of a
 * condition or value in the fast walk is the interpreter's at that element,
 * every earlier step having succeeded there too.  Why: with acc_rat_add
 * called inside the loop, LLVM kept the walk's values in callee-saved
 * registers and spilled the ask's own around it (the peer rules'
 * residence_share: 14 instructions before the walk, 9 per element). */
static LLVMValueRef gen_walk(Cg *g, const IrExpr *e);
static LLVMValueRef gen_rat_sum(Cg *g, const IrExpr *e, LLVMValueRef list) {
    LLVMValueRef acc = agg_init(g, e);
    LLVMBasicBlockRef general = block(g, "sum_general"), join = block(g, "sum_join");
    Loop l;
    struct ElemCache ec, *outer = walk_begin(g, e, list, &l, &ec);
    LLVMValueRef v = to_rat(g, gen(g, e->c), e->c->type);
    LLVMBuildStore(g->B, rat_add_fast(g, IOP_ADD, LLVMBuildLoad2(g->B, g->t_rat, acc, ""), v, general), acc);
    elem_end(g, outer);
    loop_end(g, &l);
    LLVMValueRef fast = LLVMBuildLoad2(g->B, g->t_rat, acc, "");
    LLVMBasicBlockRef fast_end = LLVMGetInsertBlock(g->B);
    LLVMBuildBr(g->B, join);
    LLVMPositionBuilderAtEnd(g->B, general);
    bool outer_generic = g->sum_generic;
    g->sum_generic = true;
    LLVMValueRef slow = gen_walk(g, e);
    g->sum_generic = outer_generic;
    LLVMBasicBlockRef slow_end = LLVMGetInsertBlock(g->B);
    LLVMBuildBr(g->B, join);
    LLVMPositionBuilderAtEnd(g->B, join);
    return phi2(g, g->t_rat, fast, fast_end, slow, slow_end);
}

static LLVMValueRef gen_walk(Cg *g, const IrExpr *e) {
    LLVMValueRef list = gen(g, e->a);
    if (e->agg >= AG_DAYS) return gen_periods(g, e, list);
    if (e->agg == AG_SUM && !g->traced && !g->sum_generic && is_rat(e->type->kind)) return gen_rat_sum(g, e, list);
    const Type *lt = e->a->type;
    LLVMTypeRef rt = ty(g, e->type);
    LLVMValueRef acc = agg_init(g, e);
    LLVMBasicBlockRef not_found = NULL, join = NULL;
    if (e->agg == AG_FIRST) {
        not_found = block(g, "first_else");
        join = block(g, "first_join");
    }
    struct Walk *sw = e->agg == AG_EXISTS || e->agg == AG_FIRST ? shared_walk(g, e) : NULL;
    LLVMBasicBlockRef after = NULL; /* exists: where the known answer and the walk meet */
    if (sw) {
        LLVMValueRef st = LLVMBuildLoad2(g->B, g->t_i8, sw->state, "");
        LLVMBasicBlockRef walk = block(g, "walk"), known = block(g, "walked");
        LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, st, ci(g->t_i8, 0), ""), walk, known);
        LLVMPositionBuilderAtEnd(g->B, known);
        LLVMValueRef found = LLVMBuildICmp(g->B, LLVMIntEQ, st, ci(g->t_i8, 1), "");
        if (e->agg == AG_EXISTS) {
            after = block(g, "exists_join");
            LLVMBuildStore(g->B, found, acc);
            LLVMBuildBr(g->B, after);
        } else {
            LLVMBasicBlockRef at = block(g, "walked_found");
            LLVMBuildCondBr(g->B, found, at, not_found);
            LLVMPositionBuilderAtEnd(g->B, at);
            g->slots[e->slot] = LLVMBuildLoad2(g->B, g->t_ptr, sw->elem, "");
            LLVMBuildStore(g->B, coerce(g, gen(g, e->c), e->c->type, e->type), acc);
            LLVMBuildBr(g->B, join);
        }
        LLVMPositionBuilderAtEnd(g->B, walk);
    }
    Loop l;
    LLVMValueRef x = loop_begin(g, &l, lt, list);
    g->slots[e->slot] = x;
    struct ElemCache ec, *outer = elem_begin(g, &ec, e->slot);
    if (e->agg == AG_FORALL) {
        if (e->b) {
            LLVMValueRef w = gen(g, e->b);
            LLVMBasicBlockRef no = block(g, "forall_no");
            LLVMBasicBlockRef yes = block(g, "forall_yes");
            LLVMBuildCondBr(g->B, w, yes, no);
            LLVMPositionBuilderAtEnd(g->B, no);
            LLVMBuildStore(g->B, ci(g->t_i1, 0), acc);
            LLVMBuildBr(g->B, l.exit);
            LLVMPositionBuilderAtEnd(g->B, yes);
        }
        elem_end(g, outer);
        loop_end(g, &l);
        return LLVMBuildLoad2(g->B, rt, acc, "");
    }
    if (e->b) {
        LLVMValueRef w = gen(g, e->b);
        LLVMBasicBlockRef take = block(g, "take");
        LLVMBuildCondBr(g->B, w, take, l.next);
        LLVMPositionBuilderAtEnd(g->B, take);
    }
    switch (e->agg) {
    case AG_EXISTS:
        LLVMBuildStore(g->B, ci(g->t_i1, 1), acc);
        if (sw) {
            LLVMBuildStore(g->B, x, sw->elem);
            LLVMBuildStore(g->B, ci(g->t_i8, 1), sw->state);
        }
        LLVMBuildBr(g->B, l.exit);
        LLVMPositionBuilderAtEnd(g->B, block(g, "dead"));
        break;
    case AG_COUNT:
        LLVMBuildStore(g->B, LLVMBuildAdd(g->B, LLVMBuildLoad2(g->B, rt, acc, ""), i64c(g, 1), ""), acc);
        break;
    case AG_SUM: sum_step(g, e, acc); break;
    case AG_FIRST: {
        LLVMValueRef v = coerce(g, gen(g, e->c), e->c->type, e->type);
        LLVMBuildStore(g->B, v, acc);
        if (sw) {
            LLVMBuildStore(g->B, x, sw->elem);
            LLVMBuildStore(g->B, ci(g->t_i8, 1), sw->state);
        }
        LLVMBuildBr(g->B, join);
        LLVMPositionBuilderAtEnd(g->B, block(g, "dead"));
        break;
    }
    case AG_SET: {
        /* or the member's bit into its 64-bit word of the accumulator in
         * memory: cheaper than an i256 value updated in registers */
        set_join(g, acc, gen(g, e->c));
        break;
    }
    default: UNREACHABLE();
    }
    elem_end(g, outer);
    loop_end(g, &l);
    if (sw) { /* none found (exists: or found, state 1 already stored) */
        LLVMValueRef none = ci(g->t_i8, 2);
        if (e->agg == AG_EXISTS) none = LLVMBuildSelect(g->B, LLVMBuildLoad2(g->B, rt, acc, ""), ci(g->t_i8, 1), none, "");
        LLVMBuildStore(g->B, none, sw->state);
    }
    if (after) {
        LLVMBuildBr(g->B, after);
        LLVMPositionBuilderAtEnd(g->B, after);
    }
    if (e->agg == AG_FIRST) {
        LLVMBuildBr(g->B, not_found);
        LLVMPositionBuilderAtEnd(g->B, not_found);
        LLVMValueRef d = coerce(g, gen(g, e->d), e->d->type, e->type);
        LLVMBuildStore(g->B, d, acc);
        LLVMBuildBr(g->B, join);
        LLVMPositionBuilderAtEnd(g->B, join);
    }
    return LLVMBuildLoad2(g->B, rt, acc, "");
}

static LLVMValueRef gen_ask(Cg *g, const IrExpr *e);

/* ---- walks in definitions with parameters that do not depend on them -----------------
 * EU 883/2004's considered(a) reads `forall(x in activities where not
 * gainful(x) or x.marginal)`, which does not depend on a: named in a walk
 * over the activities, it would walk them again for each element.  In
 * untraced code such a walk -- in the body of a definition with
 * parameters, mentioning no local but its own element -- is evaluated at
 * most once per question asked: its value is kept in the ask's memo like
 * that of a definition without parameters (closed_walks gives it a flag
 * and a place; gen_agg reads it).  Exact: the walk depends on the case and
 * the date alone, and expressions are pure; it is evaluated where the
 * interpreter first evaluates it, so a failure surfaces there (and is not
 * kept: evaluating it again fails again). */

/* a walk over a list or set that mentions no local but its own element */
static bool closed_walk(const IrExpr *e) {
    return e->kind == IR_AGG && closed_expr(e->a, -1) && closed_expr(e->b, e->slot) && closed_expr(e->c, e->slot) &&
           closed_expr(e->d, e->agg >= AG_DAYS ? e->slot : -1);
}

/* the closed walks in e, given a memo flag each (up to the table's size) */
static void find_closed_walks(Cg *g, const IrExpr *e) {
    if (!e) return;
    if (e->kind == IR_AGG && closed_walk(e)) {
        if (g->nclosed < (int)(sizeof g->closed / sizeof g->closed[0])) {
            g->closed[g->nclosed].agg = e;
            g->closed[g->nclosed++].flag = g->memo_flags++;
        }
        return;
    }
    find_closed_walks(g, e->a);
    find_closed_walks(g, e->b);
    find_closed_walks(g, e->c);
    find_closed_walks(g, e->d);
    if (e->kind != IR_AGG)
        for (int i = 0; i < e->nargs; i++) find_closed_walks(g, e->args[i]);
}

/* the memo flags (values == NULL) or places of the closed walks of the
 * definitions with parameters, after those of the definitions without */
static void closed_walks(Cg *g, const PtrVec *const *dvs, LLVMTargetDataRef values) {
    if (!values) {
        g->nclosed = 0;
        for (int v = 0; v < 2; v++)
            for (size_t i = 0; i < dvs[v]->len; i++) {
                const IrDefine *d = dvs[v]->items[i];
                if (d->nparams) find_closed_walks(g, d->body);
            }
        return;
    }
    for (int i = 0; i < g->nclosed; i++) {
        g->closed[i].val = g->memo_size;
        g->memo_size += ((long long)LLVMABISizeOfType(values, ty(g, g->closed[i].agg->type)) + 15) / 16 * 16;
    }
}

static LLVMValueRef gen_agg(Cg *g, const IrExpr *e) {
    int i = 0;
    while (i < g->nclosed && g->closed[i].agg != e) i++;
    if (g->traced || i == g->nclosed) return gen_walk(g, e);
    LLVMValueRef flag = gep(g, g->memo, g->closed[i].flag), val = gep(g, g->memo, g->closed[i].val);
    LLVMBasicBlockRef miss = block(g, "closed_walk"), join = block(g, "closed_walked");
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntNE, LLVMBuildLoad2(g->B, g->t_i8, flag, ""), ci(g->t_i8, 0), ""), join, miss);
    LLVMPositionBuilderAtEnd(g->B, miss);
    LLVMBuildStore(g->B, gen_walk(g, e), val);
    LLVMBuildStore(g->B, ci(g->t_i8, 1), flag);
    LLVMBuildBr(g->B, join);
    LLVMPositionBuilderAtEnd(g->B, join);
    return LLVMBuildLoad2(g->B, ty(g, e->type), val, "");
}

/* the size of e in IR nodes (the definitions it names counted as one),
 * counted up to `limit` */
static int expr_size(const IrExpr *e, int limit) {
    if (!e || limit <= 0) return 0;
    int n = 1;
    const IrExpr *sub[4] = {e->a, e->b, e->c, e->d};
    for (int i = 0; i < 4 && n < limit; i++) n += expr_size(sub[i], limit - n);
    if (e->kind != IR_AGG) /* an aggregate's nargs is a field index, not arguments */
        for (int i = 0; i < e->nargs && n < limit; i++) n += expr_size(e->args[i], limit - n);
    return n;
}

/* Untraced code: a small definition given `parties` or a constant set as an
 * argument (the prelude's is_national_of(parties)) is generated where it is
 * named, its parameter standing for that argument, so that `x in states`
 * tests the party's dates or a constant word (gen_binary) instead of a
 * 256-bit set built for the call.  Expressions are pure, and a failure goes
 * where the call's would, so results are those of the call.  NULL when the
 * definition is called instead. */
static LLVMValueRef inline_define(Cg *g, const IrExpr *e) {
    const IrDefine *d = e->def;
    bool fixed = false;
    for (int i = 0; i < d->nparams && i < e->nargs; i++)
        fixed = fixed || e->args[i]->kind == IR_PARTIES || (e->args[i]->kind == IR_CONST && e->args[i]->type->kind == TY_SET);
    if (g->traced || !fixed || expr_size(d->body, 25) > 24) return NULL;
    int n = (d->nslots > d->nparams ? d->nslots : d->nparams) + 1;
    LLVMValueRef *slots = xcalloc((size_t)n, sizeof *slots);
    const IrExpr **alias = xcalloc((size_t)n, sizeof *alias);
    for (int i = 0; i < d->nparams; i++) {
        const IrExpr *a = e->args[i];
        if (a->kind == IR_PARTIES || (a->kind == IR_CONST && a->type->kind == TY_SET)) alias[i] = a;
        else slots[i] = gen(g, a);
    }
    LLVMValueRef *saved_slots = g->slots;
    const IrExpr **saved_alias = g->alias;
    int saved_n = g->nslots;
    g->slots = slots, g->alias = alias, g->nslots = n;
    LLVMValueRef v = coerce(g, gen(g, d->body), d->body->type, d->type);
    g->slots = saved_slots, g->alias = saved_alias, g->nslots = saved_n;
    free(slots);
    free(alias);
    return v;
}


static void call_attr(Cg *g, LLVMValueRef call, const char *name);

/* A memoised definition that is one sum over a list is inlined where it is
 * computed: its call (saving and restoring registers, its rational result
 * through memory) costs as much as the walk itself on short lists (the peer
 * rules' residence_share: 141 -> 136 instructions per ask).  Not the other
 * walks: inlining every count, exists, forall and first made EU 883/2004's
 * asks slower (callgrind, bench/README.md). */
static bool memo_inline(const IrDefine *d) {
    const IrExpr *b = d->body;
    return b->kind == IR_AGG && b->agg == AG_SUM && b->a->type->kind == TY_LIST;
}

static LLVMValueRef gen_define_call(Cg *g, const IrExpr *e) {
    const IrDefine *d = e->def;
    LLVMValueRef inl = inline_define(g, e);
    if (inl) return inl;
    LLVMValueRef args[16];
    int k = 0;
    args[k++] = g->p_case;
    args[k++] = g->p_date;
    args[k++] = g->p_trace;
    args[k++] = g->p_fail;
    args[k++] = rule_index(g);
    for (int i = 0; i < d->nparams && k < 14; i++) args[k++] = gen(g, e->args[i]);
    if (!g->traced && g->memo_off[d->id] >= 0) {
        /* computed at most once per question asked: the value lives in the
         * ask's memo, its flag says whether it is there (a failure is not
         * kept: evaluating again fails again) */
        LLVMValueRef flag = gep(g, g->memo, g->memo_off[d->id]), val = gep(g, g->memo, g->memo_val[d->id]);
        LLVMBasicBlockRef hit = block(g, "memo_hit"), miss = block(g, "memo_miss"), join = block(g, "memo_join");
        LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntNE, LLVMBuildLoad2(g->B, g->t_i8, flag, ""), ci(g->t_i8, 0), ""), hit, miss);
        LLVMPositionBuilderAtEnd(g->B, miss);
        if (g->fuse_of && g->fuse_of[d->id] >= 0) {
            /* computed with the definitions walking the same list; alone
             * when that walk failed (see gen_fused_fn) */
            LLVMValueRef fa[4] = {g->p_case, g->p_date, LLVMConstNull(g->t_ptr), g->memo};
            LLVMValueRef fok = LLVMBuildCall2(g->B, g->fuse_ty, g->fused[g->fuse_of[d->id]].fn, fa, 4, "");
            LLVMBasicBlockRef alone = block(g, "fused_failed");
            LLVMBuildCondBr(g->B, fok, join, alone);
            LLVMPositionBuilderAtEnd(g->B, alone);
        }
        /* the value comes back in a local of its own, then goes into the
         * memo: a pointer into the memo given to the definition would let
         * it, for the optimiser, change the memo's flags too */
        LLVMValueRef out = local_var(g, ty(g, d->type), "defout");
        args[k++] = out;
        args[k++] = g->memo;
        LLVMValueRef ok = LLVMBuildCall2(g->B, g->def_ty[d->id], g->def_fn[0][d->id], args, (unsigned)k, "");
        if (memo_inline(d)) call_attr(g, ok, "alwaysinline");
        LLVMBasicBlockRef good = block(g, "def_ok");
        LLVMBuildCondBr(g->B, ok, good, g->fail_bb);
        LLVMPositionBuilderAtEnd(g->B, good);
        LLVMBuildStore(g->B, LLVMBuildLoad2(g->B, ty(g, d->type), out, ""), val);
        LLVMBuildStore(g->B, ci(g->t_i8, 1), flag);
        LLVMBuildBr(g->B, join);
        LLVMPositionBuilderAtEnd(g->B, hit);
        LLVMBuildBr(g->B, join);
        LLVMPositionBuilderAtEnd(g->B, join);
        return LLVMBuildLoad2(g->B, ty(g, d->type), val, "");
    }
    LLVMValueRef out = local_var(g, ty(g, d->type), "defout");
    args[k++] = out;
    args[k++] = g->traced ? LLVMConstNull(g->t_ptr) : g->memo;
    LLVMValueRef ok = LLVMBuildCall2(g->B, g->def_ty[d->id], g->def_fn[g->traced][d->id], args, (unsigned)k, "");
    LLVMBasicBlockRef good = block(g, "def_ok");
    LLVMBuildCondBr(g->B, ok, good, g->fail_bb);
    LLVMPositionBuilderAtEnd(g->B, good);
    return LLVMBuildLoad2(g->B, ty(g, d->type), out, "");
}

/* ---- which definitions need the ask's memo ----------------------------------------------
 * A definition without parameters is computed at most once per question
 * asked through the memo (gen_define).  The memo costs a flag cleared per
 * ask and a store of the value (which also keeps a set's words in memory):
 * not worth it for a definition named once in the whole agreement, at a
 * place itself evaluated at most once per ask -- a rule's condition or
 * value (a rule is evaluated at most once per ask: its state), a scope
 * clause, or the body of a definition without parameters -- and outside
 * the per-element parts of a comprehension.  Such a definition is computed
 * where it is named, once.  (Expressions are pure, so this is a matter of
 * cost only: a definition computed twice gives the same value twice.) */
static void count_uses(const IrExpr *e, bool repeated, int *uses) {
    if (!e) return;
    if (e->kind == IR_DEFINE) uses[e->def->id] += repeated ? 2 : 1;
    bool each = e->kind == IR_AGG; /* where, body, minus: per element */
    count_uses(e->a, repeated, uses);
    count_uses(e->b, repeated || each, uses);
    count_uses(e->c, repeated || each, uses);
    count_uses(e->d, repeated || each, uses);
    if (each) return; /* an aggregate's nargs is a field index (periods), not arguments */
    for (int i = 0; i < e->nargs; i++) count_uses(e->args[i], repeated, uses);
}

/* uses[id]: 0 (not named), 1 (named once, evaluated at most once per ask), 2 or more */
static void definition_uses(const IrAgreement *ag, int *uses) {
    for (size_t i = 0; i < ag->rules.len; i++) {
        const IrRule *r = ag->rules.items[i];
        count_uses(r->cond, false, uses);
        count_uses(r->value, false, uses);
    }
    for (size_t i = 0; i < ag->personal_scope.len; i++)
        count_uses(((const IrScopeClause *)ag->personal_scope.items[i])->cond, false, uses);
    const PtrVec *dvs[2] = {&ag->vocab->defines, &ag->defines};
    for (int v = 0; v < 2; v++)
        for (size_t i = 0; i < dvs[v]->len; i++) {
            const IrDefine *d = dvs[v]->items[i];
            count_uses(d->body, d->nparams > 0, uses);
        }
}

/* a zeroed memo for the current function (untraced code) */
static void new_memo(Cg *g) {
    if (g->traced) {
        g->memo = LLVMConstNull(g->t_ptr);
        return;
    }
    g->memo = local_var(g, LLVMArrayType(g->t_i128, (unsigned)((g->memo_size + 15) / 16)), "memo");
    LLVMSetAlignment(g->memo, 16);
    if (g->memo_flags) LLVMBuildMemSet(g->B, g->memo, ci(g->t_i8, 0), i64c(g, g->memo_flags), 16);
}

/* party i of ag is a party on every date (it neither joins nor leaves) */
static bool party_always(const IrAgreement *ag, int i) {
    return ag->party_from[i] <= INT32_MIN + 1 && ag->party_until[i] == INT32_MAX;
}

static LLVMValueRef gen_parties(Cg *g) {
    const IrAgreement *ag = g->ag;
    LLVMValueRef v = set_const(g, ag->parties.bits);
    for (int i = 1; i < 256; i++) {
        if (!set_has(&ag->parties, i)) continue;
        if (party_always(ag, i)) continue;
        uint64_t bits[4] = {0};
        bits[i >> 6] = (uint64_t)1 << (i & 63);
        for (int w = 0; w < 4; w++) bits[w] = ~bits[w];
        LLVMValueRef out = outside(g, g->p_date, ag->party_from[i], ag->party_until[i]);
        v = LLVMBuildSelect(g->B, out, LLVMBuildAnd(g->B, v, set_const(g, bits), ""), v, "");
    }
    return v;
}

/* x in parties on the ask's date, without building the set: a party's dates
 * are in the tables party_from/party_until (a country that is no party has
 * the empty interval [0, 0) there); with no party joining or leaving, the
 * parties are a constant set */
static LLVMValueRef party_member(Cg *g, LLVMValueRef x) {
    const IrAgreement *ag = g->ag;
    bool varies = false;
    for (int i = 1; i < 256 && !varies; i++)
        varies = set_has(&ag->parties, i) && !party_always(ag, i);
    if (!varies) return const_member(g, ag->parties.bits, x);
    x = ordinal64(g, x);
    LLVMValueRef in = LLVMBuildICmp(g->B, LLVMIntULT, x, i64c(g, 256), "");
    LLVMValueRef idx[2] = {i64c(g, 0), LLVMBuildAnd(g->B, x, i64c(g, 255), "")};
    LLVMTypeRef at = LLVMArrayType(g->t_i32, 256);
    LLVMValueRef from = LLVMBuildLoad2(g->B, g->t_i32, LLVMBuildInBoundsGEP2(g->B, at, g->party_from, idx, 2, ""), "");
    LLVMValueRef until = LLVMBuildLoad2(g->B, g->t_i32, LLVMBuildInBoundsGEP2(g->B, at, g->party_until, idx, 2, ""), "");
    LLVMValueRef within = LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntSGE, g->p_date, LLVMBuildSExt(g->B, from, g->t_i64, ""), ""),
                                       LLVMBuildICmp(g->B, LLVMIntSLT, g->p_date, LLVMBuildSExt(g->B, until, g->t_i64, ""), ""), "");
    return LLVMBuildAnd(g->B, in, within, "");
}

static LLVMValueRef gen(Cg *g, const IrExpr *e) {
    switch (e->kind) {
    case IR_CONST: return const_value(g, &e->cval, e->type);
    case IR_CASE: return g->p_case;
    case IR_LOCAL:
        if (g->alias && e->slot >= 0 && e->slot < g->nslots && g->alias[e->slot]) return gen(g, g->alias[e->slot]);
        if (e->slot < 0 || e->slot >= g->nslots || !g->slots[e->slot]) ICE("codegen: unbound slot %d", e->slot);
        return g->slots[e->slot];
    case IR_FIELD: {
        LLVMValueRef r = gen(g, e->a);
        const RecLayout *rl = layout_of(g->lay, e->a->type->rec);
        LLVMValueRef v = load_field(g, r, rl->offset[e->field], e->type);
        if (g->traced && e->a->kind == IR_CASE) {
            LLVMValueRef args[2] = {g->p_trace, i32c(g, e->field)};
            call(g, RT_TR_FACT, args, 2);
        }
        return v;
    }
    case IR_UNARY: {
        LLVMValueRef a = gen(g, e->a);
        if (e->op == IOP_NOT) return LLVMBuildNot(g->B, a, "");
        if (is_intish(e->a->type->kind)) {
            fail_unless(g, LLVMBuildICmp(g->B, LLVMIntNE, a, i64c(g, INT64_MIN), ""), "arithmetic overflow");
            return LLVMBuildNeg(g->B, a, "");
        }
        return LLVMBuildInsertValue(g->B, a, LLVMBuildNeg(g->B, ev(g, a, 0), ""), 0, "");
    }
    case IR_BINARY: return gen_binary(g, e);
    case IR_AND: case IR_OR: {
        LLVMValueRef a = gen(g, e->a);
        LLVMBasicBlockRef from = LLVMGetInsertBlock(g->B), rhs = block(g, "rhs"), join = block(g, "join");
        if (e->kind == IR_AND) LLVMBuildCondBr(g->B, a, rhs, join);
        else LLVMBuildCondBr(g->B, a, join, rhs);
        LLVMPositionBuilderAtEnd(g->B, rhs);
        LLVMValueRef b = gen(g, e->b);
        LLVMBasicBlockRef rhs_end = LLVMGetInsertBlock(g->B);
        LLVMBuildBr(g->B, join);
        LLVMPositionBuilderAtEnd(g->B, join);
        return phi2(g, g->t_i1, a, from, b, rhs_end);
    }
    case IR_IF: {
        LLVMValueRef c = gen(g, e->a);
        LLVMBasicBlockRef bt = block(g, "then"), bf = block(g, "else"), join = block(g, "endif");
        LLVMBuildCondBr(g->B, c, bt, bf);
        LLVMPositionBuilderAtEnd(g->B, bt);
        LLVMValueRef vt = coerce(g, gen(g, e->b), e->b->type, e->type);
        LLVMBasicBlockRef bt_end = LLVMGetInsertBlock(g->B);
        LLVMBuildBr(g->B, join);
        LLVMPositionBuilderAtEnd(g->B, bf);
        LLVMValueRef vf = coerce(g, gen(g, e->c), e->c->type, e->type);
        LLVMBasicBlockRef bf_end = LLVMGetInsertBlock(g->B);
        LLVMBuildBr(g->B, join);
        LLVMPositionBuilderAtEnd(g->B, join);
        return phi2(g, ty(g, e->type), vt, bt_end, vf, bf_end);
    }
    case IR_SETLIT: {
        LLVMValueRef s = LLVMConstNull(g->t_i256);
        for (int i = 0; i < e->nargs; i++) {
            LLVMValueRef x = gen(g, e->args[i]);
            s = LLVMBuildOr(g->B, s, set_single(g, x), "");
        }
        return s;
    }
    case IR_BUILTIN: return gen_builtin(g, e);
    case IR_DEFINE: return gen_define(g, e);
    case IR_ASK: return gen_ask(g, e);
    case IR_PARAMETER: {
        const IrParameter *p = e->param;
        LLVMValueRef v = const_value(g, &p->value[0], p->type);
        for (int i = 1; i < p->n; i++)
            v = LLVMBuildSelect(g->B, LLVMBuildICmp(g->B, LLVMIntSGE, g->p_date, i64c(g, p->from[i]), ""),
                                const_value(g, &p->value[i], p->type), v, "");
        return coerce(g, v, p->type, e->type);
    }
    case IR_PARTIES: return gen_parties(g);
    case IR_AGG: return gen_agg(g, e);
    }
    UNREACHABLE();
}

/* ---- questions asked inside expressions ------------------------------------------------ */

static LLVMValueRef gen_ask(Cg *g, const IrExpr *e) {
    const IrQuestion *q = e->question;
    LLVMValueRef args = local_var(g, LLVMArrayType(g->t_i64, (unsigned)(q->nparams ? q->nparams : 1)), "args");
    for (int i = 0; i < e->nargs; i++) store(g, gen(g, e->args[i]), args, 8 * i);
    LLVMValueRef res = local_var(g, g->t_result, "asked");
    LLVMValueRef cargs[4] = {g->p_case, args, res, g->p_trace};
    LLVMBuildCall2(g->B, g->ask_ty[g->traced], g->ask_fn[g->traced][q->id], cargs, g->traced ? 4 : 3, "");
    LLVMValueRef kind = load(g, g->t_i32, res, offsetof(acc_result, kind));
    LLVMBasicBlockRef good = block(g, "asked_ok"), bad = block(g, "asked_fail");
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, kind, i32c(g, OUT_DECIDED), ""), good, bad);
    LLVMPositionBuilderAtEnd(g->B, bad);
    LLVMValueRef fargs[5] = {g->p_fail, g->module_desc, i32c(g, q->id), args, res};
    call(g, RT_FAIL_ASK, fargs, 5);
    LLVMBuildBr(g->B, g->fail_bb);
    LLVMPositionBuilderAtEnd(g->B, good);
    return coerce(g, load_value(g, gep(g, res, offsetof(acc_result, value)), q->type), q->type, e->type);
}

/* ---- functions ------------------------------------------------------------------------- */

/* Traced code serves `explain`, one case at a time: not worth optimising,
 * and leaving it alone halves the compile time (SPEC §14.4). */
static void mark_unoptimised(Cg *g, LLVMValueRef fn) {
    const char *names[2] = {"optnone", "noinline"};
    for (int i = 0; i < 2; i++) {
        unsigned k = LLVMGetEnumAttributeKindForName(names[i], strlen(names[i]));
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(g->C, k, 0));
    }
}

static void begin_fn(Cg *g, LLVMValueRef fn, int nslots) {
    if (g->traced) mark_unoptimised(g, fn);
    g->fn = fn;
    g->entry = block(g, "entry");
    LLVMPositionBuilderAtEnd(g->B, g->entry);
    g->p_case = LLVMGetParam(fn, 0);
    g->p_date = LLVMGetParam(fn, 1);
    g->p_trace = LLVMGetParam(fn, 2);
    g->p_args = LLVMCountParams(fn) > 3 ? LLVMGetParam(fn, 3) : NULL;
    g->nslots = nslots + 1;
    g->slots = xcalloc((size_t)g->nslots, sizeof *g->slots);
    g->nwalks = 0;
}

static void end_fn(Cg *g) {
    free(g->slots);
    g->slots = NULL;
}

/* define D: i1 def(case, date, trace, fail, rule, params..., out*) */
static void gen_define_fn(Cg *g, const IrDefine *d) {
    LLVMValueRef fn = g->def_fn[g->traced][d->id];
    begin_fn(g, fn, d->nslots > d->nparams ? d->nslots : d->nparams);
    g->p_fail = LLVMGetParam(fn, 3);
    g->rule = NULL;
    g->p_rule = LLVMGetParam(fn, 4); /* traced arithmetic inside definitions names the calling rule */
    for (int i = 0; i < d->nparams; i++) g->slots[i] = LLVMGetParam(fn, (unsigned)(5 + i));
    LLVMValueRef out = LLVMGetParam(fn, (unsigned)(5 + d->nparams));
    g->memo = LLVMGetParam(fn, (unsigned)(6 + d->nparams));
    g->fail_bb = block(g, "failed");
    LLVMValueRef v = coerce(g, gen(g, d->body), d->body->type, d->type);
    LLVMBuildStore(g->B, v, out);
    LLVMBuildRet(g->B, ci(g->t_i1, 1));
    LLVMPositionBuilderAtEnd(g->B, g->fail_bb);
    LLVMBuildRet(g->B, ci(g->t_i1, 0));
    end_fn(g);
}

/* ---- memoised definitions computed by one walk -----------------------------------------
 * EU 883/2004's work_places, all_at_sea, employed_places,
 * self_employed_places and employer_seats each walk `activities` testing
 * considered(a) (and place_of(a)) on every element.  Untraced code computes
 * the memoised definitions (no parameters, named more than once:
 * definition_uses) whose bodies are aggregates over the same list -- exists,
 * forall, count, sum, first, set, or the size of a set comprehension -- and
 * whose conditions name a common definition applied to the element, in one
 * walk, the first time one of them is needed in an ask (gen_define), and
 * keeps all their values in the ask's memo.  (Without a common definition
 * there is nothing to evaluate once instead of several times, and the walk
 * computes definitions the ask may not need: fusing the peer rules'
 * number_of_activity_states and residence_share, which needs the sum only
 * for two States or more, took 133 to 158 instructions per ask, callgrind,
 * bench/README.md.)  On each element the walk
 * evaluates each definition's own condition and value as the definition's
 * own walk would (a first, exists or forall stops once decided), so each
 * value is the one its own walk gives; a definition applied to the element
 * is evaluated once for all of them (ElemCache).  The walk must not make a
 * definition fail that the rules never read: when any part of it fails it
 * keeps nothing (the failure is written to a scratch result), and the
 * definition asked for is computed alone, by its own function, failing or
 * not exactly as without the walk.  A definition whose walk names (directly
 * or through other definitions) a memoised definition is left alone: the
 * walk then never calls a memoised definition, so never a fused function,
 * itself included (it reads and writes the memo only for closed walks). */

/* does e name, directly or through the definitions it names, a definition
 * kept in the memo?  (true when unsure: deeper than `depth`) */
static bool names_memoised(Cg *g, const IrExpr *e, int depth) {
    if (!e) return false;
    if (depth <= 0) return true;
    if (e->kind == IR_DEFINE && (g->memo_off[e->def->id] >= 0 || names_memoised(g, e->def->body, depth - 1))) return true;
    if (names_memoised(g, e->a, depth) || names_memoised(g, e->b, depth) || names_memoised(g, e->c, depth) ||
        names_memoised(g, e->d, depth))
        return true;
    if (e->kind != IR_AGG)
        for (int i = 0; i < e->nargs; i++)
            if (names_memoised(g, e->args[i], depth)) return true;
    return false;
}

/* the aggregate over a list that memoised definition d is (*size: d counts
 * the members of this set comprehension, named directly or through a
 * definition computed in place, *through), or NULL when d cannot join a walk */
static const IrExpr *fusable(Cg *g, const IrDefine *d, bool *size, const IrDefine **through) {
    *size = false;
    *through = NULL;
    if (g->traced || d->nparams || g->memo_off[d->id] < 0) return NULL;
    const IrExpr *e = d->body;
    if (e->kind == IR_BUILTIN && e->builtin == BI_SIZE && e->nargs == 1) {
        e = set_comprehension(g, e->args[0], through);
        *size = true;
    }
    if (!e || e->kind != IR_AGG || e->agg >= AG_DAYS || e->a->type->kind != TY_LIST || !closed_expr(e->a, -1) ||
        !closed_expr(e->b, e->slot) || !closed_expr(e->c, e->slot) || !closed_expr(e->d, -1))
        return NULL;
    const IrExpr *parts[4] = {e->a, e->b, e->c, e->d};
    for (int i = 0; i < 4; i++)
        if (names_memoised(g, parts[i], 16)) return NULL;
    return e;
}

/* does e (in a walk over element `slot`) name definition call x (in a walk
 * over element xslot), applied to the element? */
static bool names_call(const IrExpr *e, int slot, const IrExpr *x, int xslot) {
    if (!e) return false;
    if (e->kind == IR_DEFINE && e->def->nparams && same_expr(x, e, xslot, slot)) return true;
    if (names_call(e->a, slot, x, xslot) || names_call(e->b, slot, x, xslot) || names_call(e->c, slot, x, xslot) ||
        names_call(e->d, slot, x, xslot))
        return true;
    if (e->kind != IR_AGG)
        for (int i = 0; i < e->nargs; i++)
            if (names_call(e->args[i], slot, x, xslot)) return true;
    return false;
}

/* do walks x and y name a common definition applied to their element?
 * (searched in x's condition, then each call found in y) */
static bool share_call(const IrExpr *x, const IrExpr *e, const IrExpr *y) {
    if (!e) return false;
    if (e->kind == IR_DEFINE && e->def->nparams && closed_expr(e, x->slot) && (names_call(y->b, y->slot, e, x->slot) || names_call(y->c, y->slot, e, x->slot)))
        return true;
    if (share_call(x, e->a, y) || share_call(x, e->b, y) || share_call(x, e->c, y) || share_call(x, e->d, y)) return true;
    if (e->kind != IR_AGG)
        for (int i = 0; i < e->nargs; i++)
            if (share_call(x, e->args[i], y)) return true;
    return false;
}

/* group the memoised definitions walking the same list whose conditions
 * name a definition applied to the element that the group's first member
 * names (groups of one are computed alone); declare each group's function */
static void fuse_groups(Cg *g, const PtrVec *const *dvs, int maxdef) {
    g->fuse_of = xcalloc((size_t)maxdef + 2, sizeof *g->fuse_of);
    g->fused = xcalloc((size_t)maxdef + 2, sizeof *g->fused);
    g->nfused = 0;
    for (int i = 0; i <= maxdef; i++) g->fuse_of[i] = -1;
    bool size;
    const IrDefine *through;
    for (int v = 0; v < 2; v++)
        for (size_t i = 0; i < dvs[v]->len; i++) {
            const IrDefine *d = dvs[v]->items[i];
            const IrExpr *e = fusable(g, d, &size, &through);
            if (!e) continue;
            int k = 0;
            while (k < g->nfused) {
                const IrExpr *f0 = fusable(g, g->fused[k].defs[0], &size, &through);
                if (same_expr(f0->a, e->a, -1, -1) && share_call(f0, f0->b, e)) break;
                k++;
            }
            if (k == g->nfused) g->nfused++;
            struct Fused *f = &g->fused[k];
            if (f->n < (int)(sizeof f->defs / sizeof f->defs[0])) f->defs[f->n++] = d;
        }
    LLVMTypeRef pt[4] = {g->t_ptr, g->t_i64, g->t_ptr, g->t_ptr};
    g->fuse_ty = LLVMFunctionType(g->t_i1, pt, 4, 0);
    for (int k = 0; k < g->nfused; k++) {
        struct Fused *f = &g->fused[k];
        if (f->n < 2) continue;
        char name[300];
        snprintf(name, sizeof name, "fuse_%s", f->defs[0]->name);
        f->fn = LLVMAddFunction(g->M, name, g->fuse_ty);
        LLVMSetLinkage(f->fn, LLVMInternalLinkage);
        for (int i = 0; i < f->n; i++) g->fuse_of[f->defs[i]->id] = k;
    }
}

/* the walk of group f: true with every member's value and flag in the memo,
 * or false (nothing kept) */
static void gen_fused_fn(Cg *g, const struct Fused *f) {
    const IrExpr *agg[8];
    bool size[8];
    LLVMValueRef acc[8], count[8], done[8];
    int nslots = 0;
    for (int i = 0; i < f->n; i++) {
        const IrDefine *through;
        agg[i] = fusable(g, f->defs[i], &size[i], &through);
        int ns = through && through->nslots > f->defs[i]->nslots ? through->nslots : f->defs[i]->nslots;
        if (ns > nslots) nslots = ns;
    }
    int *fuse_of = g->fuse_of;
    g->fuse_of = NULL; /* (never needed: no member names a memoised definition) */
    begin_fn(g, f->fn, nslots);
    g->p_fail = local_var(g, g->t_result, "discarded");
    g->rule = NULL;
    g->p_rule = i32c(g, -1);
    g->memo = LLVMGetParam(f->fn, 3);
    g->fail_bb = block(g, "failed");
    LLVMValueRef list = gen(g, agg[0]->a);
    for (int i = 0; i < f->n; i++) {
        const IrExpr *e = agg[i];
        done[i] = count[i] = NULL;
        if (size[i]) {
            acc[i] = local_var(g, g->t_i256, "set");
            count[i] = local_var(g, g->t_i64, "size");
            LLVMBuildStore(g->B, LLVMConstNull(g->t_i256), acc[i]);
            LLVMBuildStore(g->B, i64c(g, 0), count[i]);
        } else acc[i] = agg_init(g, e);
        if (!size[i] && (e->agg == AG_EXISTS || e->agg == AG_FORALL || e->agg == AG_FIRST)) {
            done[i] = local_var(g, g->t_i1, "decided");
            LLVMBuildStore(g->B, ci(g->t_i1, 0), done[i]);
        }
    }
    Loop l;
    LLVMValueRef x = loop_begin(g, &l, agg[0]->a->type, list);
    struct ElemCache ec, *outer = elem_begin(g, &ec, agg[0]->slot);
    for (int i = 0; i < f->n; i++) {
        const IrExpr *e = agg[i];
        LLVMBasicBlockRef next = block(g, "member_done"), take = block(g, "take");
        if (done[i]) {
            LLVMBasicBlockRef live = block(g, "member");
            LLVMBuildCondBr(g->B, LLVMBuildLoad2(g->B, g->t_i1, done[i], ""), next, live);
            LLVMPositionBuilderAtEnd(g->B, live);
        }
        g->slots[e->slot] = x;
        ec.slot = e->slot;
        LLVMValueRef w = e->b ? gen(g, e->b) : ci(g->t_i1, 1);
        if (!size[i] && e->agg == AG_FORALL) LLVMBuildCondBr(g->B, w, next, take);
        else LLVMBuildCondBr(g->B, w, take, next);
        LLVMPositionBuilderAtEnd(g->B, take);
        if (size[i]) size_step(g, acc[i], count[i], gen(g, e->c), next);
        else switch (e->agg) {
        case AG_EXISTS: case AG_FORALL: LLVMBuildStore(g->B, ci(g->t_i1, e->agg == AG_EXISTS), acc[i]); break;
        case AG_FIRST: LLVMBuildStore(g->B, coerce(g, gen(g, e->c), e->c->type, e->type), acc[i]); break;
        case AG_COUNT: LLVMBuildStore(g->B, LLVMBuildAdd(g->B, LLVMBuildLoad2(g->B, g->t_i64, acc[i], ""), i64c(g, 1), ""), acc[i]); break;
        case AG_SUM: sum_step(g, e, acc[i]); break;
        case AG_SET: set_join(g, acc[i], gen(g, e->c)); break;
        default: UNREACHABLE();
        }
        if (done[i]) LLVMBuildStore(g->B, ci(g->t_i1, 1), done[i]);
        LLVMBuildBr(g->B, next);
        LLVMPositionBuilderAtEnd(g->B, next);
    }
    elem_end(g, outer);
    loop_end(g, &l);
    for (int i = 0; i < f->n; i++) {
        const IrExpr *e = agg[i];
        const IrDefine *d = f->defs[i];
        if (!size[i] && e->agg == AG_FIRST) { /* none found: the default */
            LLVMBasicBlockRef none = block(g, "first_else"), join = block(g, "first_join");
            LLVMBuildCondBr(g->B, LLVMBuildLoad2(g->B, g->t_i1, done[i], ""), join, none);
            LLVMPositionBuilderAtEnd(g->B, none);
            LLVMBuildStore(g->B, coerce(g, gen(g, e->d), e->d->type, e->type), acc[i]);
            LLVMBuildBr(g->B, join);
            LLVMPositionBuilderAtEnd(g->B, join);
        }
        LLVMValueRef v = size[i] ? LLVMBuildLoad2(g->B, g->t_i64, count[i], "") : LLVMBuildLoad2(g->B, ty(g, e->type), acc[i], "");
        store(g, coerce(g, v, d->body->type, d->type), g->memo, g->memo_val[d->id]);
    }
    for (int i = 0; i < f->n; i++) store(g, ci(g->t_i8, 1), g->memo, g->memo_off[f->defs[i]->id]);
    LLVMBuildRet(g->B, ci(g->t_i1, 1));
    LLVMPositionBuilderAtEnd(g->B, g->fail_bb);
    LLVMBuildRet(g->B, ci(g->t_i1, 0));
    end_fn(g);
    g->fuse_of = fuse_of;
}

static bool same_rules(const PtrVec *a, const PtrVec *b) {
    if (a->len != b->len) return false;
    for (size_t i = 0; i < a->len; i++)
        if (a->items[i] != b->items[i]) return false;
    return true;
}

/* exset[rule id] for the rules of q: the frame index of its exception list
 * when another rule of q has the same list (same rules, same order), else
 * -1; returns the frame's length (q's rules, then one entry per shared
 * list) */
static size_t share_exceptions(const IrQuestion *q, int *exset) {
    size_t n = q->rules.len;
    for (size_t k = 0; k < q->rules.len; k++) exset[((IrRule *)q->rules.items[k])->id] = -1;
    for (size_t k = 0; k < q->rules.len; k++) {
        const IrRule *r = q->rules.items[k];
        if (!r->exceptions.len || exset[r->id] >= 0) continue;
        for (size_t j = k + 1; j < q->rules.len; j++) {
            const IrRule *o = q->rules.items[j];
            if (exset[o->id] < 0 && same_rules(&r->exceptions, &o->exceptions)) {
                if (exset[r->id] < 0) exset[r->id] = (int)n++;
                exset[o->id] = exset[r->id];
            }
        }
    }
    return n;
}

/* once[rule id]: the rule is a sibling in exactly one list of q combined
 * at most once per ask -- the roots, the exceptions of one rule (a rule's
 * body runs at most once per ask: its state), or a list several rules
 * share (combined once, exset) -- so that nothing evaluates it before the
 * fast path of that combine does (gen_first_match) */
static void once_listed(const IrQuestion *q, const int *exset, bool *once) {
    int *lists = xcalloc(q->rules.len + 1, sizeof *lists); /* by index within q */
    const PtrVec *seen[64];
    size_t nseen = 0;
    for (size_t k = 0; k <= q->rules.len; k++) {
        const PtrVec *list = k < q->rules.len ? &((IrRule *)q->rules.items[k])->exceptions : &q->roots;
        if (k < q->rules.len && exset[((IrRule *)q->rules.items[k])->id] >= 0) {
            bool again = false;
            for (size_t j = 0; j < nseen; j++) again = again || same_rules(seen[j], list);
            if (again) continue;
            if (nseen == sizeof seen / sizeof seen[0]) goto give_up;
            seen[nseen++] = list;
        }
        for (size_t i = 0; i < list->len; i++)
            for (size_t j = 0; j < q->rules.len; j++)
                if (q->rules.items[j] == list->items[i]) lists[j]++;
    }
    for (size_t j = 0; j < q->rules.len; j++) once[((IrRule *)q->rules.items[j])->id] = lists[j] == 1;
give_up:
    free(lists);
}

static LLVMValueRef result_ptr(Cg *g, const IrRule *r) {
    return gep(g, g->results, (long long)g->local[r->id] * (long long)sizeof(acc_result));
}
static LLVMValueRef state_ptr(Cg *g, const IrRule *r) { return gep(g, g->states, g->local[r->id]); }

static void copy_result(Cg *g, LLVMValueRef dst, LLVMValueRef src) {
    LLVMValueRef a[2] = {dst, src};
    LLVMBuildCall2(g->B, g->copy_ty, g->copy_fn, a, 2, "");
}

/* value_eq of two acc_values of the question's type */
static LLVMValueRef values_equal(Cg *g, const Type *t, LLVMValueRef pa, LLVMValueRef pb) {
    LLVMValueRef a = load_value(g, pa, t), b = load_value(g, pb, t);
    switch (t->kind) {
    case TY_RATIO: case TY_PERCENT: return gen_rat_cmp(g, a, b, LLVMIntEQ);
    case TY_MONEY: case TY_EXACT_MONEY: {
        LLVMValueRef zero = LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, ev(g, a, 0), i64c(g, 0), ""),
                                         LLVMBuildICmp(g->B, LLVMIntEQ, ev(g, b, 0), i64c(g, 0), ""), "");
        LLVMValueRef same = LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, ev(g, a, 2), ev(g, b, 2), ""),
                                         gen_rat_cmp(g, to_rat(g, a, t), to_rat(g, b, t), LLVMIntEQ), "");
        return LLVMBuildOr(g->B, zero, same, "");
    }
    default: return LLVMBuildICmp(g->B, LLVMIntEQ, a, b, "");
    }
}

/* acc_rt_merge_rules(dst, src): the rules of agreeing answers united.  The
 * frequent case inline: one rule cited on each side (two rules deciding
 * alike), the same rule or a second one appended; else the call */
static void merge_rules(Cg *g, LLVMValueRef dst, LLVMValueRef src) {
    _Static_assert(ACC_MAX_RULES >= 2, "a second rule always fits");
    LLVMValueRef nd = load(g, g->t_i32, dst, offsetof(acc_result, nrules)), ns = load(g, g->t_i32, src, offsetof(acc_result, nrules));
    LLVMBasicBlockRef one = block(g, "merge_one"), add = block(g, "merge_add"), other = block(g, "merge_call"),
                      done = block(g, "merged");
    LLVMBuildCondBr(g->B, LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, nd, i32c(g, 1), ""),
                                       LLVMBuildICmp(g->B, LLVMIntEQ, ns, i32c(g, 1), ""), ""), one, other);
    LLVMPositionBuilderAtEnd(g->B, one);
    LLVMValueRef r = load(g, g->t_i32, src, offsetof(acc_result, rules));
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, load(g, g->t_i32, dst, offsetof(acc_result, rules)), r, ""), done, add);
    LLVMPositionBuilderAtEnd(g->B, add);
    store(g, r, dst, offsetof(acc_result, rules) + sizeof(int32_t));
    store(g, i32c(g, 2), dst, offsetof(acc_result, nrules));
    LLVMBuildBr(g->B, done);
    LLVMPositionBuilderAtEnd(g->B, other);
    LLVMValueRef a[2] = {dst, src};
    call(g, RT_MERGE, a, 2);
    LLVMBuildBr(g->B, done);
    LLVMPositionBuilderAtEnd(g->B, done);
}

/* evaluate rule r (memoised); its outcome is written to `target` (its own
 * slot of the frame, or the question's acc_result on the fast path of the
 * roots, see gen_combine) */
static LLVMValueRef call_rule(Cg *g, const IrRule *r, LLVMValueRef target) {
    LLVMValueRef a[8] = {g->p_case, g->p_date, g->p_trace, g->p_args, g->states, g->results, g->memo, target};
    return LLVMBuildCall2(g->B, g->rule_ty, g->rule_fn[g->traced][r->id], a, 8, "");
}

/* an attribute (alwaysinline, noinline) on one call */
static void call_attr(Cg *g, LLVMValueRef call, const char *name) {
    unsigned k = LLVMGetEnumAttributeKindForName(name, strlen(name));
    LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(g->C, k, 0));
}

static int cmp_priority(const void *x, const void *y) {
    const IrRule *a = *(IrRule *const *)x, *b = *(IrRule *const *)y;
    if (a->priority != b->priority) return a->priority > b->priority ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static bool alone_at_priority(IrRule *const *order, size_t n, const IrRule *r) {
    for (size_t k = 0; k < n; k++)
        if (order[k] != r && order[k]->priority == r->priority) return false;
    return true;
}

/* The fast path of combine (untraced code): the siblings by decreasing
 * priority, a group of equal priority at a time.  Until one of them fails,
 * every group evaluated so far gave no answer, so the first group in which
 * some sibling decides gives the answer: the deciding siblings of the group
 * agree (one answer, every agreeing rule cited) or conflict (the first two
 * in source order that differ), exactly as interp.c combine finds them,
 * since no failure of priority >= the group's exists and a lower priority
 * counts no more.  A failure leaves the decision to the general code
 * (`slow`), which finds the siblings already evaluated in the frame.
 * Nothing is counted at run time on this path.  A sibling alone at its
 * priority at the roots of a question (`direct`) writes its outcome
 * straight into the question's acc_result instead of its slot of the frame;
 * a failure is then copied to the slot, where the general code reads it. */
static void gen_first_match(Cg *g, const PtrVec *rules, IrRule *const *order, size_t n, LLVMValueRef dst, bool direct,
                            LLVMValueRef state, LLVMBasicBlockRef ret, LLVMBasicBlockRef slow) {
    const Type *qt = g->q->type;
    IrRule **group = xmalloc(sizeof *group * (n ? n : 1));
    LLVMValueRef *sts = xmalloc(sizeof *sts * (n ? n : 1));
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i; j < n && order[j]->priority == order[i]->priority; j++) continue;
        size_t ng = 0; /* the group, in source order */
        for (size_t k = 0; k < n; k++)
            if (((IrRule *)rules->items[k])->priority == order[i]->priority) group[ng++] = rules->items[k];
        bool one = ng == 1;
        for (size_t k = 0; k < ng; k++) {
            const IrRule *r = group[k];
            LLVMValueRef target = direct && one ? dst : result_ptr(g, r);
            if (g->once[r->id]) {
                /* its first evaluation: the inlined check of its state folds away */
                LLVMValueRef fresh = LLVMBuildICmp(g->B, LLVMIntEQ, LLVMBuildLoad2(g->B, g->t_i8, state_ptr(g, r), ""), ci(g->t_i8, 0), "");
                intrinsic(g, "llvm.assume", NULL, 0, &fresh, 1);
            }
            sts[k] = call_rule(g, r, target);
            call_attr(g, sts[k], "alwaysinline"); /* the general code calls the rule out of line */
            LLVMBasicBlockRef some = block(g, "fm_some"), dec = block(g, "fm_decided"), fail = block(g, "fm_failed"),
                              next = block(g, "fm_next");
            LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, sts[k], ci(g->t_i8, 2), ""), some, next);
            LLVMPositionBuilderAtEnd(g->B, some);
            LLVMValueRef kind = load(g, g->t_i32, target, offsetof(acc_result, kind));
            LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, kind, i32c(g, OUT_DECIDED), ""), one ? dec : next, fail);
            LLVMPositionBuilderAtEnd(g->B, fail);
            if (target != result_ptr(g, r)) copy_result(g, result_ptr(g, r), target);
            LLVMBuildBr(g->B, slow);
            LLVMPositionBuilderAtEnd(g->B, dec);
            if (one) {
                if (target != dst) copy_result(g, dst, target);
                LLVMBuildStore(g->B, ci(g->t_i8, 2), state);
                LLVMBuildBr(g->B, ret);
            } else {
                LLVMBuildUnreachable(g->B);
            }
            LLVMPositionBuilderAtEnd(g->B, next);
        }
        if (one) continue;
        /* every sibling of the group gave no answer or decided: the deciding
         * ones agree or conflict */
        LLVMValueRef have = local_var(g, g->t_i1, "fm_have");
        LLVMBuildStore(g->B, ci(g->t_i1, 0), have);
        for (size_t k = 0; k < ng; k++) {
            const IrRule *r = group[k];
            LLVMValueRef src = result_ptr(g, r);
            LLVMBasicBlockRef yes = block(g, "fm_top"), next = block(g, "fm_nottop"), first = block(g, "fm_first"),
                              again = block(g, "fm_again"), merge = block(g, "fm_agree"), conflict = block(g, "fm_conflict");
            LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, sts[k], ci(g->t_i8, 2), ""), yes, next);
            LLVMPositionBuilderAtEnd(g->B, yes);
            LLVMBuildCondBr(g->B, LLVMBuildLoad2(g->B, g->t_i1, have, ""), again, first);
            LLVMPositionBuilderAtEnd(g->B, first);
            copy_result(g, dst, src);
            LLVMBuildStore(g->B, ci(g->t_i1, 1), have);
            LLVMBuildBr(g->B, next);
            LLVMPositionBuilderAtEnd(g->B, again);
            LLVMValueRef eq = values_equal(g, qt, gep(g, dst, offsetof(acc_result, value)), gep(g, src, offsetof(acc_result, value)));
            LLVMBuildCondBr(g->B, eq, merge, conflict);
            LLVMValueRef ma[2] = {dst, src};
            LLVMPositionBuilderAtEnd(g->B, merge);
            merge_rules(g, dst, src);
            LLVMBuildBr(g->B, next);
            LLVMPositionBuilderAtEnd(g->B, conflict);
            call(g, RT_CONFLICT, ma, 2);
            LLVMBuildStore(g->B, ci(g->t_i8, 2), state);
            LLVMBuildBr(g->B, ret);
            LLVMPositionBuilderAtEnd(g->B, next);
        }
        LLVMBasicBlockRef answered = block(g, "fm_group_answered"), on = block(g, "fm_group_none");
        LLVMBuildCondBr(g->B, LLVMBuildLoad2(g->B, g->t_i1, have, ""), answered, on);
        LLVMPositionBuilderAtEnd(g->B, answered);
        LLVMBuildStore(g->B, ci(g->t_i8, 2), state);
        LLVMBuildBr(g->B, ret);
        LLVMPositionBuilderAtEnd(g->B, on);
    }
    free(group);
    free(sts);
    /* no sibling answered */
    LLVMBuildStore(g->B, ci(g->t_i8, 1), state);
    LLVMBuildBr(g->B, ret);
}

/* Untraced asks keep two copies of the rule states and the memo.  The fast
 * path of the roots' combine (gen_first_match) inlines every rule it
 * evaluates, so its copy is only ever addressed at constant offsets inside
 * the ask and SROA keeps it in registers: no clearing of the states and
 * memo flags in memory at entry, no stores of states and memoised values
 * on the way to the answer.  The general code calls rules out of line with
 * a pointer to the frame, so it gets a copy in memory, made here where a
 * sibling's failure leads to it -- the rare path.  (Where the fast path
 * itself passes its copy out of line -- a definition called, the general
 * code of a rule's exceptions -- SROA leaves it in memory; the outcome is
 * the same either way.) */
static void fast_frame_to_general(Cg *g) {
    if (!g->general_states) return;
    size_t nr = g->frame_len[g->q->id];
    LLVMBuildMemCpy(g->B, g->general_states, 1, g->states, 1, i64c(g, (long long)(nr ? nr : 1)));
    LLVMBuildMemCpy(g->B, g->general_memo, 16, g->memo, 16, i64c(g, g->memo_size));
    g->states = g->general_states;
    g->memo = g->general_memo;
}

/* combine(rules) into dst: returns i8 1 (no answer) or 2 (an outcome in dst);
 * interp.c combine, see the file comment for the evaluation order.  `root`:
 * the roots of the question, dst its acc_result. */
static LLVMValueRef gen_combine(Cg *g, const PtrVec *rules, LLVMValueRef dst, bool root) {
    size_t n = rules->len;
    IrRule **order = xmalloc(sizeof *order * (n ? n : 1));
    if (n) memcpy(order, rules->items, sizeof *order * n); /* a question without rules has no items (NULL) */
    if (!g->traced) qsort(order, n, sizeof *order, cmp_priority);
    LLVMBasicBlockRef ret = block(g, "combined");
    LLVMValueRef state = local_var(g, g->t_i8, "state");
    if (!g->traced) {
        LLVMBasicBlockRef slow = block(g, "combine_general");
        gen_first_match(g, rules, order, n, dst, root, state, ret, slow);
        LLVMPositionBuilderAtEnd(g->B, slow);
        if (root) fast_frame_to_general(g);
    }
    LLVMValueRef maxp = local_var(g, g->t_i64, "maxp");
    LLVMBuildStore(g->B, i64c(g, INT64_MIN), maxp);
    /* untraced: has any sibling failed yet? (the first-match shortcut below) */
    LLVMValueRef anyfail = g->traced ? NULL : local_var(g, g->t_i1, "anyfail");
    if (anyfail) LLVMBuildStore(g->B, ci(g->t_i1, 0), anyfail);
    for (size_t i = 0; i < n; i++) {
        const IrRule *r = order[i];
        LLVMBasicBlockRef eval_bb = block(g, "sib"), after = block(g, "sib_done");
        if (!g->traced) {
            LLVMValueRef skip = LLVMBuildICmp(g->B, LLVMIntSGT, LLVMBuildLoad2(g->B, g->t_i64, maxp, ""), i64c(g, r->priority), "");
            LLVMBuildCondBr(g->B, skip, after, eval_bb);
        } else {
            LLVMBuildBr(g->B, eval_bb);
        }
        LLVMPositionBuilderAtEnd(g->B, eval_bb);
        LLVMValueRef st = call_rule(g, r, result_ptr(g, r));
        if (!g->traced) call_attr(g, st, "noinline"); /* after a failure or a tie: rare, see gen_first_match */
        LLVMValueRef kind = load(g, g->t_i32, result_ptr(g, r), offsetof(acc_result, kind));
        LLVMValueRef dec = LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, st, ci(g->t_i8, 2), ""),
                                        LLVMBuildICmp(g->B, LLVMIntEQ, kind, i32c(g, OUT_DECIDED), ""), "");
        LLVMValueRef cur = LLVMBuildLoad2(g->B, g->t_i64, maxp, "");
        LLVMValueRef higher = LLVMBuildAnd(g->B, dec, LLVMBuildICmp(g->B, LLVMIntSGT, i64c(g, r->priority), cur, ""), "");
        LLVMBuildStore(g->B, LLVMBuildSelect(g->B, higher, i64c(g, r->priority), cur, ""), maxp);
        if (anyfail) {
            bool alone = alone_at_priority(order, n, r);
            LLVMValueRef failed = LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, st, ci(g->t_i8, 2), ""),
                                               LLVMBuildICmp(g->B, LLVMIntNE, kind, i32c(g, OUT_DECIDED), ""), "");
            LLVMValueRef af = LLVMBuildOr(g->B, LLVMBuildLoad2(g->B, g->t_i1, anyfail, ""), failed, "");
            LLVMBuildStore(g->B, af, anyfail);
            if (alone) {
                /* r decided, alone at its priority, after no failure: every
                 * sibling evaluated so far ranks higher and gave nothing, the
                 * rest rank lower and cannot count -- r's answer is the answer */
                LLVMBasicBlockRef first = block(g, "first_match");
                LLVMBuildCondBr(g->B, LLVMBuildAnd(g->B, dec, LLVMBuildNot(g->B, af, ""), ""), first, after);
                LLVMPositionBuilderAtEnd(g->B, first);
                copy_result(g, dst, result_ptr(g, r));
                LLVMBuildStore(g->B, ci(g->t_i8, 2), state);
                LLVMBuildBr(g->B, ret);
                LLVMPositionBuilderAtEnd(g->B, after);
                continue;
            }
        }
        LLVMBuildBr(g->B, after);
        LLVMPositionBuilderAtEnd(g->B, after);
    }
    free(order);
    LLVMBuildStore(g->B, ci(g->t_i8, 1), state);
    LLVMValueRef mp = LLVMBuildLoad2(g->B, g->t_i64, maxp, "");
    /* a failure of priority >= maxp wins, the first in source order */
    for (size_t i = 0; i < n; i++) {
        const IrRule *r = rules->items[i];
        LLVMValueRef st = LLVMBuildLoad2(g->B, g->t_i8, state_ptr(g, r), "");
        LLVMValueRef kind = load(g, g->t_i32, result_ptr(g, r), offsetof(acc_result, kind));
        LLVMValueRef failed = LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, st, ci(g->t_i8, 2), ""),
                                           LLVMBuildICmp(g->B, LLVMIntNE, kind, i32c(g, OUT_DECIDED), ""), "");
        failed = LLVMBuildAnd(g->B, failed, LLVMBuildICmp(g->B, LLVMIntSGE, i64c(g, r->priority), mp, ""), "");
        LLVMBasicBlockRef take = block(g, "failure"), next = block(g, "nofailure");
        LLVMBuildCondBr(g->B, failed, take, next);
        LLVMPositionBuilderAtEnd(g->B, take);
        copy_result(g, dst, result_ptr(g, r));
        LLVMBuildStore(g->B, ci(g->t_i8, 2), state);
        LLVMBuildBr(g->B, ret);
        LLVMPositionBuilderAtEnd(g->B, next);
    }
    /* the answers of top priority must agree */
    const Type *qt = g->q->type;
    for (size_t i = 0; i < n; i++) {
        const IrRule *r = rules->items[i];
        LLVMValueRef st = LLVMBuildLoad2(g->B, g->t_i8, state_ptr(g, r), "");
        LLVMValueRef top = LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, st, ci(g->t_i8, 2), ""),
                                        LLVMBuildICmp(g->B, LLVMIntEQ, i64c(g, r->priority), mp, ""), "");
        LLVMBasicBlockRef yes = block(g, "top"), next = block(g, "nottop"), first = block(g, "first"), again = block(g, "again");
        LLVMBuildCondBr(g->B, top, yes, next);
        LLVMPositionBuilderAtEnd(g->B, yes);
        LLVMValueRef have = LLVMBuildICmp(g->B, LLVMIntEQ, LLVMBuildLoad2(g->B, g->t_i8, state, ""), ci(g->t_i8, 2), "");
        LLVMBuildCondBr(g->B, have, again, first);
        LLVMPositionBuilderAtEnd(g->B, first);
        copy_result(g, dst, result_ptr(g, r));
        LLVMBuildStore(g->B, ci(g->t_i8, 2), state);
        LLVMBuildBr(g->B, next);
        LLVMPositionBuilderAtEnd(g->B, again);
        LLVMValueRef src = result_ptr(g, r);
        LLVMValueRef eq = values_equal(g, qt, gep(g, dst, offsetof(acc_result, value)), gep(g, src, offsetof(acc_result, value)));
        LLVMBasicBlockRef merge = block(g, "agree"), conflict = block(g, "conflict");
        LLVMBuildCondBr(g->B, eq, merge, conflict);
        LLVMPositionBuilderAtEnd(g->B, merge);
        LLVMValueRef ma[2] = {dst, src};
        merge_rules(g, dst, src);
        LLVMBuildBr(g->B, next);
        LLVMPositionBuilderAtEnd(g->B, conflict);
        call(g, RT_CONFLICT, ma, 2);
        LLVMBuildBr(g->B, ret);
        LLVMPositionBuilderAtEnd(g->B, next);
    }
    LLVMBuildBr(g->B, ret);
    LLVMPositionBuilderAtEnd(g->B, ret);
    return LLVMBuildLoad2(g->B, g->t_i8, state, "");
}

/* the first false conjunct of a false `and` chain, as interp.c finds it
 * (re-evaluating, which repeats trace events exactly as the interpreter) */
static void gen_find_false(Cg *g, const IrExpr *part, LLVMBasicBlockRef done) {
    if (part->kind != IR_AND) {
        LLVMValueRef a[3] = {g->p_trace, i32c(g, g->rule->id), i32c(g, expr_index(g, part))};
        call(g, RT_TR_COND_FALSE, a, 3);
        LLVMBuildBr(g->B, done);
        return;
    }
    LLVMBasicBlockRef saved = g->fail_bb, failed = block(g, "cf_fail"), into_a = block(g, "cf_a"), into_b = block(g, "cf_b");
    g->fail_bb = failed;
    LLVMValueRef w = gen(g, part->a);
    g->fail_bb = saved;
    LLVMBuildCondBr(g->B, w, into_b, into_a);
    LLVMPositionBuilderAtEnd(g->B, failed);
    LLVMBuildBr(g->B, into_a);
    LLVMPositionBuilderAtEnd(g->B, into_a);
    gen_find_false(g, part->a, done);
    LLVMPositionBuilderAtEnd(g->B, into_b);
    gen_find_false(g, part->b, done);
}

/* the rule gives no answer when `cond` holds (not in force, head mismatch):
 * the trace says why, then on to `none` */
static void no_answer_if(Cg *g, LLVMValueRef cond, int trace_kind, const IrRule *r, LLVMBasicBlockRef none) {
    LLVMBasicBlockRef no = block(g, "no_answer"), go = block(g, "go_on");
    LLVMBuildCondBr(g->B, cond, no, go);
    LLVMPositionBuilderAtEnd(g->B, no);
    if (g->traced) {
        LLVMValueRef a[3] = {g->p_trace, i32c(g, trace_kind), i32c(g, r->id)};
        call(g, RT_TR_RULE, a, 3);
    }
    LLVMBuildBr(g->B, none);
    LLVMPositionBuilderAtEnd(g->B, go);
}

/* the exceptions of r, a list other rules of the question share: combined
 * by the first of them to ask, into the list's entry of the frame; the
 * others copy the outcome (interp.c combines the list each time: the
 * rules in it are memoised, so each time gives the same outcome) */
static LLVMValueRef shared_exceptions(Cg *g, const IrRule *r, LLVMValueRef res) {
    int at = g->exset[r->id];
    LLVMValueRef sp = gep(g, g->states, at), rp = gep(g, g->results, (long long)at * (long long)sizeof(acc_result));
    LLVMValueRef out = local_var(g, g->t_i8, "exc");
    LLVMValueRef st = LLVMBuildLoad2(g->B, g->t_i8, sp, "");
    LLVMBasicBlockRef known = block(g, "exc_known"), fresh = block(g, "exc_fresh"), answer = block(g, "exc_answer"),
                      done = block(g, "exc_done");
    LLVMBuildStore(g->B, st, out);
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntNE, st, ci(g->t_i8, 0), ""), known, fresh);
    LLVMPositionBuilderAtEnd(g->B, known);
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, st, ci(g->t_i8, 2), ""), answer, done);
    LLVMPositionBuilderAtEnd(g->B, answer);
    copy_result(g, res, rp);
    LLVMBuildBr(g->B, done);
    LLVMPositionBuilderAtEnd(g->B, fresh);
    LLVMValueRef ex = gen_combine(g, &r->exceptions, res, false);
    LLVMBuildStore(g->B, ex, sp);
    LLVMBuildStore(g->B, ex, out);
    LLVMBasicBlockRef keep = block(g, "exc_keep");
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, ex, ci(g->t_i8, 2), ""), keep, done);
    LLVMPositionBuilderAtEnd(g->B, keep);
    copy_result(g, rp, res);
    LLVMBuildBr(g->B, done);
    LLVMPositionBuilderAtEnd(g->B, done);
    return LLVMBuildLoad2(g->B, g->t_i8, out, "");
}

/* res becomes r's decision, v of type t (no reason is written: ABI 4).
 * The result is written on every ask: its first 16 bytes -- kind, nrules,
 * the value's kind and currency -- are constants (but for money's
 * currency), written as one vector store instead of the three stores
 * before (kind, nrules, the value's head) */
static void store_decided(Cg *g, LLVMValueRef res, const IrRule *r, const Type *t, LLVMValueRef v) {
    _Static_assert(offsetof(acc_result, kind) == 0 && offsetof(acc_result, nrules) == 4 && offsetof(acc_result, value) == 8 &&
                       offsetof(acc_value, kind) == 0 && offsetof(acc_value, currency) == 4 && offsetof(acc_value, i) == 8,
                   "acc_result layout");
    store(g, i32c(g, r->id), res, offsetof(acc_result, rules));
    if (g->traced || is_money(t->kind)) {
        store(g, i32c(g, OUT_DECIDED), res, offsetof(acc_result, kind));
        store(g, i32c(g, 1), res, offsetof(acc_result, nrules));
        store_value(g, gep(g, res, offsetof(acc_result, value)), t, v);
        return;
    }
    LLVMValueRef head[2] = {i64c(g, (long long)((uint64_t)1 << 32 | (uint32_t)OUT_DECIDED)), i64c(g, t->kind)};
    LLVMSetAlignment(LLVMBuildStore(g->B, LLVMConstVector(head, 2), res), _Alignof(acc_result)); /* not 16: a host's result */
    store_payload(g, gep(g, res, offsetof(acc_result, value)), t, v);
}

/* rule R: i8 rule(case, date, trace, args, states, results, memo, target): 1 none, 2 some */
static void gen_rule_fn(Cg *g, const IrRule *r) {
    LLVMValueRef fn = g->rule_fn[g->traced][r->id];
    const IrQuestion *q = r->q;
    begin_fn(g, fn, r->nslots > q->nparams ? r->nslots : q->nparams);
    LLVMValueRef args = LLVMGetParam(fn, 3);
    g->states = LLVMGetParam(fn, 4);
    g->results = LLVMGetParam(fn, 5);
    g->memo = LLVMGetParam(fn, 6);
    g->rule = r;
    g->q = q;
    g->p_rule = i32c(g, r->id);
    /* the outcome goes to `res`: the rule's slot, or where the caller says
     * (gen_first_match); a memoised outcome is in the slot */
    LLVMValueRef slot = result_ptr(g, r), res = LLVMGetParam(fn, 7), stp = state_ptr(g, r);
    g->p_fail = res;
    LLVMBasicBlockRef memo = block(g, "memo"), fresh = block(g, "fresh"), none = block(g, "none"), some = block(g, "some");
    LLVMValueRef st = LLVMBuildLoad2(g->B, g->t_i8, stp, "");
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntNE, st, ci(g->t_i8, 0), ""), memo, fresh);
    LLVMPositionBuilderAtEnd(g->B, memo);
    {
        LLVMBasicBlockRef copy = block(g, "memo_copy"), back = block(g, "memo_ret");
        LLVMValueRef elsewhere = LLVMBuildAnd(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, st, ci(g->t_i8, 2), ""),
                                              LLVMBuildICmp(g->B, LLVMIntNE, res, slot, ""), "");
        LLVMBuildCondBr(g->B, elsewhere, copy, back);
        LLVMPositionBuilderAtEnd(g->B, copy);
        copy_result(g, res, slot);
        LLVMBuildBr(g->B, back);
        LLVMPositionBuilderAtEnd(g->B, back);
    }
    LLVMBuildRet(g->B, st);
    LLVMPositionBuilderAtEnd(g->B, fresh);
    LLVMBuildStore(g->B, ci(g->t_i8, 1), stp);
    /* validity on the determination date */
    if (r->from > INT32_MIN || r->until < INT32_MAX)
        no_answer_if(g, outside(g, g->p_date, r->from, r->until), ACC_TR_NOT_IN_FORCE, r, none);
    for (int i = 0; i < q->nparams; i++) {
        LLVMValueRef av = load(g, g->t_i64, args, 8 * i);
        g->slots[i] = av;
        if (!r->pattern[i]) continue;
        no_answer_if(g, LLVMBuildICmp(g->B, LLVMIntNE, av, i64c(g, r->pattern[i]->cval.i), ""), ACC_TR_HEAD_MISMATCH, r, none);
    }
    if (r->exceptions.len) {
        LLVMValueRef ex = g->traced || g->exset[r->id] < 0 ? gen_combine(g, &r->exceptions, res, false)
                                                           : shared_exceptions(g, r, res);
        LLVMBasicBlockRef over = block(g, "overridden"), own = block(g, "own");
        LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, ex, ci(g->t_i8, 2), ""), over, own);
        LLVMPositionBuilderAtEnd(g->B, over);
        if (g->traced) {
            LLVMValueRef a[3] = {g->p_trace, i32c(g, r->id), res};
            call(g, RT_TR_OVERRIDDEN, a, 3);
        }
        LLVMBuildBr(g->B, some);
        LLVMPositionBuilderAtEnd(g->B, own);
    }
    LLVMBasicBlockRef failed = block(g, "failed");
    g->fail_bb = failed;
    if (r->cond) {
        LLVMValueRef c = gen(g, r->cond);
        LLVMBasicBlockRef yes = block(g, "cond_true"), no = block(g, "cond_false");
        LLVMBuildCondBr(g->B, c, yes, no);
        LLVMPositionBuilderAtEnd(g->B, no);
        if (g->traced) gen_find_false(g, r->cond, none);
        else LLVMBuildBr(g->B, none);
        LLVMPositionBuilderAtEnd(g->B, yes);
        g->fail_bb = failed;
    }
    LLVMValueRef v = coerce(g, gen(g, r->value), r->value->type, q->type);
    store_decided(g, res, r, q->type, v);
    if (g->traced) {
        LLVMValueRef a[4] = {g->p_trace, i32c(g, ACC_TR_DECIDED), i32c(g, r->id), res};
        call(g, RT_TR_DONE, a, 4);
    }
    LLVMBuildBr(g->B, some);
    /* failed: the rule's outcome is the failure, citing the rule unless a
     * question it asked named its own rules; the message names the rule */
    LLVMPositionBuilderAtEnd(g->B, failed);
    LLVMValueRef nr = load(g, g->t_i32, res, offsetof(acc_result, nrules));
    LLVMBasicBlockRef cite = block(g, "cite_self"), cited = block(g, "cited");
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, nr, i32c(g, 0), ""), cite, cited);
    LLVMPositionBuilderAtEnd(g->B, cite);
    store(g, i32c(g, 1), res, offsetof(acc_result, nrules));
    store(g, i32c(g, r->id), res, offsetof(acc_result, rules));
    LLVMBuildBr(g->B, cited);
    LLVMPositionBuilderAtEnd(g->B, cited);
    if (r->cite) {
        LLVMValueRef a[2] = {res, cstr(g, r->cite)};
        call(g, RT_APPEND_CITE, a, 2);
    }
    if (g->traced) {
        LLVMValueRef a[4] = {g->p_trace, i32c(g, ACC_TR_FAILED), i32c(g, r->id), res};
        call(g, RT_TR_DONE, a, 4);
    }
    LLVMBuildBr(g->B, some);
    LLVMPositionBuilderAtEnd(g->B, none);
    LLVMBuildRet(g->B, ci(g->t_i8, 1));
    LLVMPositionBuilderAtEnd(g->B, some);
    LLVMBuildStore(g->B, ci(g->t_i8, 2), stp);
    LLVMBuildRet(g->B, ci(g->t_i8, 2));
    g->rule = NULL;
    end_fn(g);
}

/* personal scope: i8 scope(case, date, trace, out): 1 within; else 0 and out
 * holds the not-covered (or error) outcome (interp.c personal_scope) */
static void gen_scope_fn(Cg *g) {
    const IrAgreement *ag = g->ag;
    LLVMValueRef fn = g->scope_fn[g->traced];
    int ns = 0;
    for (size_t i = 0; i < ag->personal_scope.len; i++) {
        const IrScopeClause *s = ag->personal_scope.items[i];
        if (s->nslots > ns) ns = s->nslots;
    }
    begin_fn(g, fn, ns);
    g->p_fail = LLVMGetParam(fn, 3);
    g->rule = NULL;
    g->p_rule = i32c(g, -1);
    new_memo(g);
    LLVMBasicBlockRef yes = block(g, "within"), failed = block(g, "failed");
    LLVMValueRef any = local_var(g, g->t_i1, "any_valid");
    LLVMBuildStore(g->B, ci(g->t_i1, 0), any);
    g->fail_bb = failed;
    for (size_t i = 0; i < ag->personal_scope.len; i++) {
        const IrScopeClause *s = ag->personal_scope.items[i];
        LLVMBasicBlockRef valid = block(g, "valid"), next = block(g, "next");
        LLVMBuildCondBr(g->B, outside(g, g->p_date, s->from, s->until), next, valid);
        LLVMPositionBuilderAtEnd(g->B, valid);
        LLVMBuildStore(g->B, ci(g->t_i1, 1), any);
        LLVMValueRef c = gen(g, s->cond);
        LLVMBuildCondBr(g->B, c, yes, next);
        LLVMPositionBuilderAtEnd(g->B, next);
    }
    const IrScopeClause *s0 = ag->personal_scope.len ? ag->personal_scope.items[0] : NULL;
    if (s0) {
        LLVMValueRef a[3] = {g->p_fail, LLVMBuildZExt(g->B, LLVMBuildLoad2(g->B, g->t_i1, any, ""), g->t_i8, ""), cstr(g, s0->cite)};
        call(g, RT_NOT_PERSONAL, a, 3);
        LLVMBuildRet(g->B, ci(g->t_i8, 0));
    } else {
        LLVMBuildBr(g->B, yes);
    }
    LLVMPositionBuilderAtEnd(g->B, failed);
    LLVMBuildRet(g->B, ci(g->t_i8, 0));
    LLVMPositionBuilderAtEnd(g->B, yes);
    LLVMBuildRet(g->B, ci(g->t_i8, 1));
    end_fn(g);
}

static void trace_ask_event(Cg *g, const IrQuestion *q, LLVMValueRef args, LLVMValueRef out, bool answer) {
    LLVMValueRef a[7] = {g->p_trace, i32c(g, q->id), i32c(g, q->nparams), args,
                         i32c(g, q->nparams > 0 ? q->ptypes[0]->kind : 0), i32c(g, q->nparams > 1 ? q->ptypes[1]->kind : 0),
                         out};
    call(g, answer ? RT_TR_ANSWER : RT_TR_ASK, a, answer ? 7 : 6);
}

/* the date of a case, read from the case record */
static LLVMValueRef case_date(Cg *g, LLVMValueRef kase) {
    const RecLayout *cr = layout_of(g->lay, g->ag->vocab->case_rec);
    for (int i = 0; i < cr->rec->nfields; i++)
        if (strcmp(cr->rec->fields[i].name, "date") == 0) return load_field(g, kase, cr->offset[i], cr->rec->fields[i].type);
    ICE("codegen: the case record has no date");
}

/* question Q: void ask(case, args, out[, trace]) (interp.c ask) */
static void gen_ask_fn(Cg *g, const IrQuestion *q) {
    const IrAgreement *ag = g->ag;
    LLVMValueRef fn = g->ask_fn[g->traced][q->id];
    begin_fn(g, fn, 0);
    /* ask(case, args, out), the exported entry point's parameters; traced code
     * takes the trace after them.  The date is the case's own (what every
     * caller would pass), read from the case, so that a question without
     * parameters is exported as the ask function itself (gen_entry) */
    LLVMValueRef args = LLVMGetParam(fn, 1), out = LLVMGetParam(fn, 2);
    g->p_args = args;
    g->p_date = case_date(g, g->p_case);
    g->p_trace = g->traced ? LLVMGetParam(fn, 3) : LLVMConstNull(g->t_ptr);
    g->p_fail = out;
    g->q = q;
    g->rule = NULL;
    g->p_rule = i32c(g, -1);
    LLVMBasicBlockRef ret = block(g, "return");
    if (g->traced) trace_ask_event(g, q, args, out, false);
    /* SPEC §6.5: time, personal scope, material scope */
    {
        LLVMBasicBlockRef no = block(g, "not_in_force"), yes = block(g, "in_force");
        LLVMBuildCondBr(g->B, outside(g, g->p_date, ag->in_force, ag->terminates), no, yes);
        LLVMPositionBuilderAtEnd(g->B, no);
        LLVMValueRef a[2] = {out, LLVMBuildTrunc(g->B, g->p_date, g->t_i32, "")};
        call(g, RT_NOT_IN_FORCE, a, 2);
        LLVMBuildBr(g->B, ret);
        LLVMPositionBuilderAtEnd(g->B, yes);
    }
    if (ag->personal_scope.len) {
        LLVMValueRef a[4] = {g->p_case, g->p_date, g->p_trace, out};
        LLVMValueRef in = LLVMBuildCall2(g->B, g->scope_ty, g->scope_fn[g->traced], a, 4, "");
        if (!g->traced) call_attr(g, in, "alwaysinline"); /* once per ask: its prologue cost more than a test */
        LLVMBasicBlockRef yes = block(g, "in_scope");
        LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntNE, in, ci(g->t_i8, 0), ""), yes, ret);
        LLVMPositionBuilderAtEnd(g->B, yes);
    }
    LLVMValueRef country = i64c(g, 0);
    if (q->country_param >= 0) {
        country = load(g, g->t_i64, args, 8 * q->country_param);
        LLVMValueRef party = const_member(g, ag->parties.bits, country);
        LLVMBasicBlockRef no = block(g, "not_party"), yes = block(g, "party");
        LLVMBuildCondBr(g->B, party, yes, no);
        LLVMPositionBuilderAtEnd(g->B, no);
        LLVMValueRef a[5] = {out, country, cstr(g, ag->id), ci(g->t_i8, 0), i32c(g, 0)};
        call(g, RT_NOT_PARTY, a, 5);
        LLVMBuildBr(g->B, ret);
        LLVMPositionBuilderAtEnd(g->B, yes);
        LLVMValueRef idx[2] = {i64c(g, 0), LLVMBuildAnd(g->B, country, i64c(g, 255), "")};
        LLVMValueRef from = LLVMBuildLoad2(g->B, g->t_i32, LLVMBuildInBoundsGEP2(g->B, LLVMArrayType(g->t_i32, 256), g->party_from, idx, 2, ""), "");
        LLVMValueRef until = LLVMBuildLoad2(g->B, g->t_i32, LLVMBuildInBoundsGEP2(g->B, LLVMArrayType(g->t_i32, 256), g->party_until, idx, 2, ""), "");
        LLVMValueRef d32 = LLVMBuildTrunc(g->B, g->p_date, g->t_i32, "");
        LLVMValueRef outside = LLVMBuildOr(g->B, LLVMBuildICmp(g->B, LLVMIntSLT, d32, from, ""),
                                           LLVMBuildICmp(g->B, LLVMIntSGE, d32, until, ""), "");
        LLVMBasicBlockRef no2 = block(g, "not_party_then"), yes2 = block(g, "party_then");
        LLVMBuildCondBr(g->B, outside, no2, yes2);
        LLVMPositionBuilderAtEnd(g->B, no2);
        LLVMValueRef a2[5] = {out, country, cstr(g, ag->id), ci(g->t_i8, 1), d32};
        call(g, RT_NOT_PARTY, a2, 5);
        LLVMBuildBr(g->B, ret);
        LLVMPositionBuilderAtEnd(g->B, yes2);
    }
    if (q->branch_param >= 0 && ag->material_scope.len) {
        LLVMValueRef b = load(g, g->t_i64, args, 8 * q->branch_param);
        LLVMValueRef covered = ci(g->t_i1, 0);
        const char *cite = NULL;
        for (size_t i = 0; i < ag->material_scope.len; i++) {
            const IrMaterialClause *m = ag->material_scope.items[i];
            cite = cite ? cite : m->cite;
            LLVMValueRef c = LLVMBuildNot(g->B, outside(g, g->p_date, m->from, m->until), "");
            if (m->country)
                c = LLVMBuildAnd(g->B, c, LLVMBuildOr(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, country, i64c(g, 0), ""),
                                                      LLVMBuildICmp(g->B, LLVMIntEQ, country, i64c(g, m->country), ""), ""), "");
            LLVMValueRef has = const_member(g, m->branches.bits, b);
            covered = LLVMBuildOr(g->B, covered, LLVMBuildAnd(g->B, c, has, ""), "");
        }
        LLVMBasicBlockRef no = block(g, "not_material"), yes = block(g, "material");
        LLVMBuildCondBr(g->B, covered, yes, no);
        LLVMPositionBuilderAtEnd(g->B, no);
        LLVMValueRef a[5] = {out, g->branch_enum, b, country, cstr(g, cite)};
        call(g, RT_NOT_MATERIAL, a, 5);
        LLVMBuildBr(g->B, ret);
        LLVMPositionBuilderAtEnd(g->B, yes);
    }
    /* the frame of default logic: per rule of Q, its state and result; then
     * per shared list of exceptions (share_exceptions), its combined outcome */
    size_t nr = g->frame_len[q->id];
    g->states = local_var(g, LLVMArrayType(g->t_i8, (unsigned)(nr ? nr : 1)), "states");
    g->results = local_var(g, LLVMArrayType(g->t_result, (unsigned)(nr ? nr : 1)), "results");
    LLVMBuildMemSet(g->B, g->states, ci(g->t_i8, 0), i64c(g, (long long)(nr ? nr : 1)), 1);
    new_memo(g);
    g->general_states = g->general_memo = NULL;
    if (!g->traced) { /* see fast_frame_to_general */
        g->general_states = local_var(g, LLVMArrayType(g->t_i8, (unsigned)(nr ? nr : 1)), "general_states");
        g->general_memo = local_var(g, LLVMArrayType(g->t_i128, (unsigned)((g->memo_size + 15) / 16)), "general_memo");
        LLVMSetAlignment(g->general_memo, 16);
    }
    /* rule functions take the args pointer where the ask takes it */
    LLVMValueRef st = gen_combine(g, &q->roots, out, true);
    g->general_states = g->general_memo = NULL;
    /* a decided result's reason is not written (ABI 4: acc_result_reason
     * looks at the kind first) -- one store less on every ask */
    LLVMBasicBlockRef undet = block(g, "undetermined");
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, st, ci(g->t_i8, 2), ""), ret, undet);
    LLVMPositionBuilderAtEnd(g->B, undet);
    {
        char msg[256];
        snprintf(msg, sizeof msg, "no rule answers %s for this case", q->name);
        LLVMValueRef a[3] = {out, i32c(g, OUT_UNDETERMINED), cstr(g, msg)};
        call(g, RT_FAIL, a, 3);
        LLVMBuildBr(g->B, ret);
    }
    LLVMPositionBuilderAtEnd(g->B, ret);
    if (g->traced) trace_ask_event(g, q, args, out, true);
    LLVMBuildRetVoid(g->B);
    g->q = NULL;
    end_fn(g);
}

/* copy_result(dst, src): the header, value and rules always; the conflict
 * values and the reason only when not decided */
static void gen_copy_fn(Cg *g) {
    LLVMValueRef fn = g->copy_fn;
    g->fn = fn;
    g->entry = block(g, "entry");
    LLVMPositionBuilderAtEnd(g->B, g->entry);
    LLVMValueRef dst = LLVMGetParam(fn, 0), src = LLVMGetParam(fn, 1);
    size_t head = offsetof(acc_result, values);
    LLVMBuildMemCpy(g->B, dst, 8, src, 8, i64c(g, (long long)head));
    LLVMBasicBlockRef rest = block(g, "rest"), done = block(g, "done");
    LLVMValueRef kind = load(g, g->t_i32, src, offsetof(acc_result, kind));
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, kind, i32c(g, OUT_DECIDED), ""), done, rest);
    LLVMPositionBuilderAtEnd(g->B, rest);
    LLVMBuildMemCpy(g->B, gep(g, dst, (long long)head), 8, gep(g, src, (long long)head), 8,
                    i64c(g, (long long)(sizeof(acc_result) - head)));
    LLVMBuildBr(g->B, done);
    LLVMPositionBuilderAtEnd(g->B, done);
    LLVMBuildRetVoid(g->B);
}

/* the exported entry points: void <id>__<q>(const void *case, const acc_value *args, acc_result *out) */
static LLVMValueRef gen_entry(Cg *g, const IrQuestion *q, bool traced) {
    char name[256];
    snprintf(name, sizeof name, "accord_%s__%s%s", g->ag->id, q->name, traced ? "__traced" : "");
    LLVMTypeRef pt[4] = {g->t_ptr, g->t_ptr, g->t_ptr, g->t_ptr};
    LLVMTypeRef ft = LLVMFunctionType(g->t_void, pt, traced ? 4 : 3, 0);
    if (!traced && q->nparams == 0) /* ask(case, args, out) does not read args */
        return LLVMAddAlias2(g->M, ft, 0, g->ask_fn[0][q->id], name);
    LLVMValueRef fn = LLVMAddFunction(g->M, name, ft);
    g->fn = fn;
    g->entry = block(g, "entry");
    LLVMPositionBuilderAtEnd(g->B, g->entry);
    LLVMValueRef kase = LLVMGetParam(fn, 0), in = LLVMGetParam(fn, 1), out = LLVMGetParam(fn, 2);
    LLVMValueRef args = local_var(g, LLVMArrayType(g->t_i64, (unsigned)(q->nparams ? q->nparams : 1)), "args");
    for (int i = 0; i < q->nparams; i++)
        store(g, load(g, g->t_i64, in, (long long)(i * sizeof(acc_value) + offsetof(acc_value, i))), args, 8 * i);
    LLVMValueRef a[4] = {kase, args, out, traced ? LLVMGetParam(fn, 3) : NULL};
    LLVMBuildCall2(g->B, g->ask_ty[traced], g->ask_fn[traced][q->id], a, traced ? 4 : 3, "");
    LLVMBuildRetVoid(g->B);
    return fn;
}

/* void <id>__<q>__batch(const void *cases, size_t stride, size_t n, const acc_value *args, acc_decision *out):
 * one loop over the cases around the (inlined) question */
static LLVMValueRef gen_batch(Cg *g, const IrQuestion *q) {
    char name[256];
    snprintf(name, sizeof name, "accord_%s__%s__batch", g->ag->id, q->name);
    LLVMTypeRef pt[5] = {g->t_ptr, g->t_i64, g->t_i64, g->t_ptr, g->t_ptr};
    LLVMValueRef fn = LLVMAddFunction(g->M, name, LLVMFunctionType(g->t_void, pt, 5, 0));
    g->fn = fn;
    g->entry = block(g, "entry");
    LLVMPositionBuilderAtEnd(g->B, g->entry);
    LLVMValueRef cases = LLVMGetParam(fn, 0), stride = LLVMGetParam(fn, 1), n = LLVMGetParam(fn, 2),
                 in = LLVMGetParam(fn, 3), out = LLVMGetParam(fn, 4);
    LLVMValueRef args = local_var(g, LLVMArrayType(g->t_i64, (unsigned)(q->nparams ? q->nparams : 1)), "args");
    for (int i = 0; i < q->nparams; i++)
        store(g, load(g, g->t_i64, in, (long long)(i * sizeof(acc_value) + offsetof(acc_value, i))), args, 8 * i);
    LLVMValueRef res = local_var(g, g->t_result, "result");
    LLVMValueRef idx = local_var(g, g->t_i64, "i");
    LLVMBuildStore(g->B, i64c(g, 0), idx);
    LLVMBasicBlockRef head = block(g, "loop"), body = block(g, "body"), done = block(g, "done");
    LLVMBuildBr(g->B, head);
    LLVMPositionBuilderAtEnd(g->B, head);
    LLVMValueRef i = LLVMBuildLoad2(g->B, g->t_i64, idx, "");
    LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntULT, i, n, ""), body, done);
    LLVMPositionBuilderAtEnd(g->B, body);
    LLVMValueRef kase = gepv(g, cases, LLVMBuildMul(g->B, i, stride, ""));
    LLVMValueRef a[3] = {kase, args, res};
    LLVMBuildCall2(g->B, g->ask_ty[0], g->ask_fn[0][q->id], a, 3, "");
    LLVMValueRef o = gepv(g, out, LLVMBuildMul(g->B, i, i64c(g, sizeof(acc_decision)), ""));
    LLVMValueRef kind = load(g, g->t_i32, res, offsetof(acc_result, kind));
    store(g, kind, o, offsetof(acc_decision, kind));
    LLVMValueRef nr = load(g, g->t_i32, res, offsetof(acc_result, nrules));
    store(g, LLVMBuildSelect(g->B, LLVMBuildICmp(g->B, LLVMIntSGT, nr, i32c(g, 0), ""), load(g, g->t_i32, res, offsetof(acc_result, rules)),
                             i32c(g, -1), ""),
          o, offsetof(acc_decision, rule));
    LLVMBuildMemCpy(g->B, gep(g, o, offsetof(acc_decision, value)), 8, gep(g, res, offsetof(acc_result, value)), 8,
                    i64c(g, sizeof(acc_value)));
    LLVMBuildStore(g->B, LLVMBuildAdd(g->B, i, i64c(g, 1), ""), idx);
    LLVMBuildBr(g->B, head);
    LLVMPositionBuilderAtEnd(g->B, done);
    LLVMBuildRetVoid(g->B);
    return fn;
}

/* ---- the module descriptor -------------------------------------------------------------- */

static LLVMValueRef const_struct(Cg *g, LLVMValueRef *v, unsigned n) { return LLVMConstStructInContext(g->C, v, n, 0); }

LLVMValueRef cg_const_array(LLVMModuleRef M, LLVMTypeRef elem, LLVMValueRef *v, unsigned n, const char *name) {
    LLVMValueRef init = LLVMConstArray(elem, v, n);
    LLVMValueRef gv = LLVMAddGlobal(M, LLVMTypeOf(init), name);
    LLVMSetInitializer(gv, init);
    LLVMSetGlobalConstant(gv, 1);
    LLVMSetLinkage(gv, LLVMPrivateLinkage);
    return gv;
}

static int enum_index(const IrVocabulary *voc, const IrEnum *en) {
    for (size_t i = 0; i < voc->enums.len; i++)
        if (voc->enums.items[i] == en) return (int)i;
    return -1;
}

static int type_ref(Cg *g, const Type *t) {
    const IrVocabulary *voc = g->ag->vocab;
    if (t->kind == TY_ENUM) return enum_index(voc, t->en);
    if (t->kind == TY_SET && t->elem->kind == TY_ENUM) return enum_index(voc, t->elem->en);
    if (t->kind == TY_RECORD) return layout_index(g->lay, t->rec);
    if (t->kind == TY_LIST) return layout_index(g->lay, t->elem->rec);
    return -1;
}

typedef struct DescTypes {
    LLVMTypeRef en, field, rec, param, question, rule, expr, module;
} DescTypes;

static void desc_types(Cg *g, DescTypes *d) {
    LLVMTypeRef P = g->t_ptr, I = g->t_i32;
    d->en = LLVMStructTypeInContext(g->C, (LLVMTypeRef[]){P, I, P}, 3, 0);
    d->field = LLVMStructTypeInContext(g->C, (LLVMTypeRef[]){P, I, I, I, I, I}, 6, 0);
    d->rec = LLVMStructTypeInContext(g->C, (LLVMTypeRef[]){P, I, I, I, P}, 5, 0);
    d->param = LLVMStructTypeInContext(g->C, (LLVMTypeRef[]){P, I, I}, 3, 0);
    d->question = LLVMStructTypeInContext(g->C, (LLVMTypeRef[]){P, I, P, I, I, P, P, P}, 8, 0);
    d->rule = LLVMStructTypeInContext(g->C, (LLVMTypeRef[]){P, P, P, I}, 4, 0);
    d->expr = LLVMStructTypeInContext(g->C, (LLVMTypeRef[]){P, I, I}, 3, 0);
    d->module = LLVMStructTypeInContext(g->C, (LLVMTypeRef[]){I, P, P, P, P, P, P, I, I, I, I, I, I, P, P, P, P, P, P}, 19, 0);
}

static void check_size(LLVMTargetDataRef td, LLVMTypeRef t, size_t c, const char *what) {
    if (LLVMABISizeOfType(td, t) != c) ICE("codegen: %s is %llu bytes in LLVM, %zu in C", what, LLVMABISizeOfType(td, t), c);
}

static const char *src_text(Cg *g, Span s, char *buf, size_t n) {
    const SourceFile *f = g->opt->cx ? src_file(g->opt->cx, s.file) : NULL;
    if (!f || s.end < s.start || s.end > f->len) return "";
    size_t len = s.end - s.start;
    if (len >= n) len = n - 1;
    memcpy(buf, f->text + s.start, len);
    buf[len] = 0;
    return buf;
}

static void src_pos(Cg *g, Span s, const char **file, uint32_t *line, uint32_t *col) {
    const SourceFile *f = g->opt->cx ? src_file(g->opt->cx, s.file) : NULL;
    *file = f ? f->path : "";
    *line = *col = 0;
    if (f) src_linecol(f, s.start, line, col);
}

static void gen_descriptor(Cg *g, LLVMValueRef *entries, LLVMValueRef *traced_entries, LLVMValueRef *batch_entries,
                           LLVMValueRef in_scope, LLVMTargetDataRef td) {
    const IrAgreement *ag = g->ag;
    const IrVocabulary *voc = ag->vocab;
    DescTypes d;
    desc_types(g, &d);
    check_size(td, d.en, sizeof(acc_enum_desc), "acc_enum_desc");
    check_size(td, d.field, sizeof(acc_field_desc), "acc_field_desc");
    check_size(td, d.rec, sizeof(acc_record_desc), "acc_record_desc");
    check_size(td, d.param, sizeof(acc_param_desc), "acc_param_desc");
    check_size(td, d.question, sizeof(acc_question_desc), "acc_question_desc");
    check_size(td, d.rule, sizeof(acc_rule_desc), "acc_rule_desc");
    check_size(td, d.expr, sizeof(acc_expr_desc), "acc_expr_desc");
    check_size(td, d.module, sizeof(acc_module), "acc_module");
    /* enums */
    size_t ne = voc->enums.len;
    LLVMValueRef *ens = xcalloc(ne + 1, sizeof *ens);
    for (size_t i = 0; i < ne; i++) {
        const IrEnum *en = voc->enums.items[i];
        LLVMValueRef *cs = xcalloc((size_t)en->n + 1, sizeof *cs);
        for (int k = 0; k < en->n; k++) cs[k] = cstr(g, en->consts[k]);
        LLVMValueRef arr = cg_const_array(g->M, g->t_ptr, cs, (unsigned)en->n, "enum_consts");
        free(cs);
        LLVMValueRef f[3] = {cstr(g, en->name), i32c(g, en->n), arr};
        ens[i] = const_struct(g, f, 3);
    }
    LLVMValueRef enums = g->enums;
    LLVMSetInitializer(enums, LLVMConstArray(d.en, ens, (unsigned)ne));
    free(ens);
    /* records */
    LLVMValueRef *recs = xcalloc((size_t)g->lay->nrecords + 1, sizeof *recs);
    for (int i = 0; i < g->lay->nrecords; i++) {
        const RecLayout *rl = &g->lay->recs[i];
        LLVMValueRef *fs = xcalloc((size_t)rl->rec->nfields + 1, sizeof *fs);
        for (int k = 0; k < rl->rec->nfields; k++) {
            const Type *t = rl->rec->fields[k].type;
            uint32_t sz, al;
            layout_type(g->lay, t, &sz, &al);
            LLVMValueRef f[6] = {cstr(g, rl->rec->fields[k].name), i32c(g, t->kind),
                                 i32c(g, t->elem ? t->elem->kind : 0), i32c(g, type_ref(g, t)), i32c(g, rl->offset[k]),
                                 i32c(g, sz)};
            fs[k] = const_struct(g, f, 6);
        }
        LLVMValueRef arr = cg_const_array(g->M, d.field, fs, (unsigned)rl->rec->nfields, "fields");
        free(fs);
        LLVMValueRef r[5] = {cstr(g, rl->rec->name), i32c(g, rl->size), i32c(g, rl->align), i32c(g, rl->rec->nfields), arr};
        recs[i] = const_struct(g, r, 5);
    }
    LLVMValueRef records = cg_const_array(g->M, d.rec, recs, (unsigned)g->lay->nrecords, "records");
    free(recs);
    /* questions */
    size_t nq = ag->questions.len;
    LLVMValueRef *qs = xcalloc(nq + 1, sizeof *qs);
    for (size_t i = 0; i < nq; i++) {
        const IrQuestion *q = ag->questions.items[i];
        LLVMValueRef ps[8];
        for (int k = 0; k < q->nparams && k < 8; k++) {
            LLVMValueRef p[3] = {cstr(g, q->pnames[k]), i32c(g, q->ptypes[k]->kind), i32c(g, type_ref(g, q->ptypes[k]))};
            ps[k] = const_struct(g, p, 3);
        }
        LLVMValueRef params = cg_const_array(g->M, d.param, ps, (unsigned)q->nparams, "params");
        LLVMValueRef f[8] = {cstr(g, q->name), i32c(g, q->nparams), params, i32c(g, q->type->kind), i32c(g, type_ref(g, q->type)),
                             entries[i], traced_entries[i], batch_entries[i]};
        qs[i] = const_struct(g, f, 8);
    }
    LLVMValueRef questions = cg_const_array(g->M, d.question, qs, (unsigned)nq, "questions");
    free(qs);
    /* rules */
    size_t nr = ag->rules.len;
    LLVMValueRef *rs = xcalloc(nr + 1, sizeof *rs);
    for (size_t i = 0; i < nr; i++) {
        const IrRule *r = ag->rules.items[i];
        const char *file;
        uint32_t line, col;
        src_pos(g, r->span, &file, &line, &col);
        LLVMValueRef f[4] = {cstr(g, r->label), cstr(g, r->cite), cstr(g, file), i32c(g, line)};
        rs[i] = const_struct(g, f, 4);
    }
    LLVMValueRef rules = cg_const_array(g->M, d.rule, rs, (unsigned)nr, "rules");
    free(rs);
    /* expressions named by traces */
    size_t nx = g->u->nexprs;
    LLVMValueRef *xs = xcalloc(nx + 1, sizeof *xs);
    for (size_t i = 0; i < nx; i++) {
        const IrExpr *e = g->u->exprs[i];
        char buf[512];
        const char *file;
        uint32_t line, col;
        src_pos(g, e->span, &file, &line, &col);
        LLVMValueRef f[3] = {cstr(g, src_text(g, e->span, buf, sizeof buf)), i32c(g, line), i32c(g, col)};
        xs[i] = const_struct(g, f, 3);
    }
    LLVMValueRef exprs = cg_const_array(g->M, d.expr, xs, (unsigned)nx, "exprs");
    free(xs);
    char in_force[11];
    acc_date_format(ag->in_force, in_force);
    LLVMValueRef m[19] = {i32c(g, ACC_ABI_VERSION), cstr(g, ag->id), cstr(g, ag->title), cstr(g, in_force),
                          cstr(g, g->opt->source_hash ? g->opt->source_hash : ""), cstr(g, voc->hash),
                          cstr(g, ACCORD_VERSION), i32c(g, layout_index(g->lay, voc->case_rec)),
                          i32c(g, g->lay->nrecords), i32c(g, (long long)ne), i32c(g, (long long)nq), i32c(g, (long long)nr),
                          i32c(g, (long long)nx), records, enums, questions, rules, exprs, in_scope};
    LLVMSetInitializer(g->module_desc, const_struct(g, m, 19));
}

/* ---- the unit ------------------------------------------------------------------------------ */

static void declare_runtime(Cg *g) {
    LLVMTypeRef P = g->t_ptr, I64 = g->t_i64, I32 = g->t_i32, I8 = g->t_i8, I16 = g->t_i16, V = g->t_void;
    struct { int id; const char *name; LLVMTypeRef ret; int n; LLVMTypeRef p[7]; } d[] = {
        {RT_RAT_ADD, "acc_rat_add", I8, 5, {I64, I64, I64, I64, P}},
        {RT_RAT_SUB, "acc_rat_sub", I8, 5, {I64, I64, I64, I64, P}},
        {RT_RAT_MUL, "acc_rat_mul", I8, 5, {I64, I64, I64, I64, P}},
        {RT_RAT_DIV, "acc_rat_div", I8, 5, {I64, I64, I64, I64, P}},
        {RT_RAT_ROUND, "acc_rat_round", I64, 3, {I64, I64, I32}},
        {RT_FAIL, "acc_rt_fail", V, 3, {P, I32, P}},
        {RT_FAIL_CURRENCY, "acc_rt_fail_currency", V, 3, {P, I16, I16}},
        {RT_FAIL_ASK, "acc_rt_fail_ask", V, 5, {P, P, I32, P, P}},
        {RT_APPEND_CITE, "acc_rt_append_cite", V, 2, {P, P}},
        {RT_NOT_IN_FORCE, "acc_rt_not_in_force", V, 2, {P, I32}},
        {RT_NOT_PARTY, "acc_rt_not_party", V, 5, {P, I64, P, I8, I32}},
        {RT_NOT_MATERIAL, "acc_rt_not_material", V, 5, {P, P, I64, I64, P}},
        {RT_NOT_PERSONAL, "acc_rt_not_personal", V, 3, {P, I8, P}},
        {RT_MERGE, "acc_rt_merge_rules", V, 2, {P, P}},
        {RT_CONFLICT, "acc_rt_conflict", V, 2, {P, P}},
        {RT_TR_ASK, "acc_rt_tr_ask", V, 6, {P, I32, I32, P, I32, I32}},
        {RT_TR_ANSWER, "acc_rt_tr_answer", V, 7, {P, I32, I32, P, I32, I32, P}},
        {RT_TR_RULE, "acc_rt_tr_rule", V, 3, {P, I32, I32}},
        {RT_TR_OVERRIDDEN, "acc_rt_tr_overridden", V, 3, {P, I32, P}},
        {RT_TR_COND_FALSE, "acc_rt_tr_cond_false", V, 3, {P, I32, I32}},
        {RT_TR_DONE, "acc_rt_tr_done", V, 4, {P, I32, I32, P}},
        {RT_TR_FACT, "acc_rt_tr_fact", V, 2, {P, I32}},
        {RT_TR_ARITH, "acc_rt_tr_arith", V, 6, {P, I32, I32, P, P, P}},
        {RT_ADD_MONTHS, "acc_date_add_months", I8, 3, {I32, I64, P}},
        {RT_ADD_DAYS, "acc_date_add_days", I8, 3, {I32, I64, P}},
        {RT_PERIOD_MONTHS, "acc_period_months", I64, 2, {I32, I32}},
        {RT_MONTHS_BETWEEN, "acc_months_between", I64, 2, {I32, I32}},
        {RT_DAYS_TO_MONTHS, "acc_days_to_months", I8, 2, {I64, P}},
        {RT_UNION_DAYS, "acc_union_days", I64, 7, {P, P, I64, P, P, I64, P}},
        {RT_UNION_MONTHS, "acc_union_months", I64, 7, {P, P, I64, P, P, I64, P}},
        {RT_UNION_CAL_MONTHS, "acc_union_calendar_months", I64, 7, {P, P, I64, P, P, I64, P}},
        {RT_MALLOC, "malloc", P, 1, {I64}},
        {RT_FREE, "free", V, 1, {P}},
    };
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
        g->rt_ty[d[i].id] = LLVMFunctionType(d[i].ret, d[i].p, (unsigned)d[i].n, 0);
        g->rt[d[i].id] = LLVMAddFunction(g->M, d[i].name, g->rt_ty[d[i].id]);
    }
    /* the failure writers are cold: keep them out of the hot path's layout */
    unsigned cold = LLVMGetEnumAttributeKindForName("cold", 4);
    for (int i = RT_FAIL; i <= RT_NOT_PERSONAL; i++)
        LLVMAddAttributeAtIndex(g->rt[i], LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(g->C, cold, 0));
    /* What the arithmetic helpers touch (runtime/rational.c, calendar.c,
     * periods.c; acc_rt_fail writes only its result): nothing but their
     * pointer arguments, or nothing at all; and they return.  Without this
     * a call to one of them could, for all the optimiser knows, change the
     * ask's memo (whose address the out-of-line rules receive), so a memo
     * flag just stored would be loaded and tested again after it.  LLVM's
     * memory attribute: two bits (1 read, 2 write) per location, argument
     * memory in bits 0-1, everything else in bits 2-5. */
    static const struct { int id; uint64_t mem; } pure[] = {
        {RT_RAT_ADD, 3}, {RT_RAT_SUB, 3}, {RT_RAT_MUL, 3}, {RT_RAT_DIV, 3}, {RT_RAT_ROUND, 0}, {RT_FAIL, 3},
        {RT_ADD_MONTHS, 3 | 4 | 16}, {RT_ADD_DAYS, 3 | 4 | 16}, {RT_DAYS_TO_MONTHS, 3}, {RT_PERIOD_MONTHS, 1 | 4 | 16},
        {RT_MONTHS_BETWEEN, 1 | 4 | 16},
    };
    unsigned memory = LLVMGetEnumAttributeKindForName("memory", 6), nounwind = LLVMGetEnumAttributeKindForName("nounwind", 8),
             willreturn = LLVMGetEnumAttributeKindForName("willreturn", 10);
    for (size_t i = 0; i < sizeof pure / sizeof pure[0]; i++) {
        LLVMValueRef f = g->rt[pure[i].id];
        LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(g->C, memory, pure[i].mem));
        LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(g->C, nounwind, 0));
        LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(g->C, willreturn, 0));
    }
}

static void init_llvm(void) {
    LLVMInitializeNativeTarget();
    LLVMInitializeNativeAsmPrinter();
}

static LLVMTargetMachineRef target_machine(bool host, bool pic, int opt, char *err, size_t errlen) {
    /* once per process: compilations may run on several threads */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_llvm);
    char *triple = LLVMGetDefaultTargetTriple();
    LLVMTargetRef T;
    char *msg = NULL;
    if (LLVMGetTargetFromTriple(triple, &T, &msg)) {
        snprintf(err, errlen, "no LLVM target for %s: %s", triple, msg ? msg : "");
        LLVMDisposeMessage(msg);
        LLVMDisposeMessage(triple);
        return NULL;
    }
    char *cpu = host ? LLVMGetHostCPUName() : NULL, *features = host ? LLVMGetHostCPUFeatures() : NULL;
    LLVMTargetMachineRef tm = LLVMCreateTargetMachine(T, triple, cpu ? cpu : "generic", features ? features : "",
                                                      opt >= 2 ? LLVMCodeGenLevelDefault : LLVMCodeGenLevelNone,
                                                      pic ? LLVMRelocPIC : LLVMRelocDefault, LLVMCodeModelDefault);
    if (cpu) LLVMDisposeMessage(cpu);
    if (features) LLVMDisposeMessage(features);
    LLVMDisposeMessage(triple);
    return tm;
}

static CgUnit *compile(const IrAgreement *ag, const Layout *lay, const CgOptions *opt, bool host, char *err, size_t errlen) {
    CgUnit *u = xcalloc(1, sizeof *u);
    u->TM = target_machine(host, opt->pic, opt->opt_level, err, errlen);
    if (!u->TM) {
        free(u);
        return NULL;
    }
    u->tsc = LLVMOrcCreateNewThreadSafeContext();
    u->C = LLVMOrcThreadSafeContextGetContext(u->tsc);
    u->M = LLVMModuleCreateWithNameInContext(ag->id, u->C);
    LLVMTargetDataRef td = LLVMCreateTargetDataLayout(u->TM);
    LLVMSetModuleDataLayout(u->M, td);
    char *triple = LLVMGetTargetMachineTriple(u->TM);
    LLVMSetTarget(u->M, triple);
    LLVMDisposeMessage(triple);

    Cg g0, *g = &g0;
    memset(g, 0, sizeof *g);
    g->u = u;
    char *features = LLVMGetTargetMachineFeatureString(u->TM);
    g->popcnt = features && strstr(features, "+popcnt");
    LLVMDisposeMessage(features);
    g->ag = ag;
    g->lay = lay;
    g->opt = opt;
    g->C = u->C;
    g->M = u->M;
    g->B = LLVMCreateBuilderInContext(g->C);
    g->t_i1 = LLVMInt1TypeInContext(g->C);
    g->t_i8 = LLVMInt8TypeInContext(g->C);
    g->t_i16 = LLVMInt16TypeInContext(g->C);
    g->t_i32 = LLVMInt32TypeInContext(g->C);
    g->t_i64 = LLVMInt64TypeInContext(g->C);
    g->t_i128 = LLVMIntTypeInContext(g->C, 128);
    g->t_i256 = LLVMIntTypeInContext(g->C, 256);
    g->t_ptr = LLVMPointerTypeInContext(g->C, 0);
    g->t_void = LLVMVoidTypeInContext(g->C);
    g->t_rat = LLVMStructTypeInContext(g->C, (LLVMTypeRef[]){g->t_i64, g->t_i64}, 2, 0);
    g->t_money = LLVMStructTypeInContext(g->C, (LLVMTypeRef[]){g->t_i64, g->t_i64, g->t_i64}, 3, 0);
    g->t_list = LLVMStructTypeInContext(g->C, (LLVMTypeRef[]){g->t_ptr, g->t_i64}, 2, 0);
    /* acc_result as an array of i64: its size and 8-byte alignment */
    g->t_result = LLVMArrayType(g->t_i64, sizeof(acc_result) / 8);
    declare_runtime(g);

    char sym[256];
    snprintf(sym, sizeof sym, "accord_module_%s", ag->id);
    u->symbol = strdup(sym);
    u->columnar = opt->columnar;
    DescTypes dt;
    desc_types(g, &dt);
    g->module_desc = LLVMAddGlobal(g->M, dt.module, sym);
    LLVMSetGlobalConstant(g->module_desc, 1);
    /* the enum table is named by the material-scope message: declare it now */
    size_t nenums = ag->vocab->enums.len;
    g->enums = LLVMAddGlobal(g->M, LLVMArrayType(dt.en, (unsigned)nenums), "enums");
    LLVMSetGlobalConstant(g->enums, 1);
    LLVMSetLinkage(g->enums, LLVMPrivateLinkage);
    g->branch_enum = LLVMConstNull(g->t_ptr);
    if (ag->vocab->branch)
        g->branch_enum = LLVMConstInBoundsGEP2(LLVMArrayType(dt.en, (unsigned)nenums), g->enums,
                                               (LLVMValueRef[]){i32c(g, 0), i32c(g, enum_index(ag->vocab, ag->vocab->branch))}, 2);

    /* parties' dates, per country ordinal */
    LLVMValueRef pf[256], pu[256];
    for (int i = 0; i < 256; i++) {
        pf[i] = i32c(g, set_has(&ag->parties, i) ? ag->party_from[i] : 0);
        pu[i] = i32c(g, set_has(&ag->parties, i) ? ag->party_until[i] : 0);
    }
    g->party_from = cg_const_array(g->M, g->t_i32, pf, 256, "party_from");
    g->party_until = cg_const_array(g->M, g->t_i32, pu, 256, "party_until");

    /* declare every function first: they call each other */
    size_t nq = ag->questions.len, nd = ag->vocab->defines.len + ag->defines.len, nr = ag->rules.len;
    LLVMTypeRef P = g->t_ptr, I64 = g->t_i64;
    g->ask_ty[0] = LLVMFunctionType(g->t_void, (LLVMTypeRef[]){P, P, P}, 3, 0);
    g->ask_ty[1] = LLVMFunctionType(g->t_void, (LLVMTypeRef[]){P, P, P, P}, 4, 0);
    g->rule_ty = LLVMFunctionType(g->t_i8, (LLVMTypeRef[]){P, I64, P, P, P, P, P, P}, 8, 0);
    g->scope_ty = LLVMFunctionType(g->t_i8, (LLVMTypeRef[]){P, I64, P, P}, 4, 0);
    g->copy_ty = LLVMFunctionType(g->t_void, (LLVMTypeRef[]){P, P}, 2, 0);
    g->copy_fn = LLVMAddFunction(g->M, "copy_result", g->copy_ty);
    LLVMSetLinkage(g->copy_fn, LLVMInternalLinkage);
    g->local = xcalloc(nr + 1, sizeof *g->local);
    g->exset = xcalloc(nr + 1, sizeof *g->exset);
    g->frame_len = xcalloc(nq + 1, sizeof *g->frame_len);
    for (size_t i = 0; i < nq; i++) {
        const IrQuestion *q = ag->questions.items[i];
        if (q->id != (int)i) ICE("codegen: question %s has id %d at %zu", q->name, q->id, i);
        for (size_t k = 0; k < q->rules.len; k++) g->local[((IrRule *)q->rules.items[k])->id] = (int)k;
        g->frame_len[i] = share_exceptions(q, g->exset);
    }
    g->once = xcalloc(nr + 1, sizeof *g->once);
    for (size_t i = 0; i < nq; i++) once_listed(ag->questions.items[i], g->exset, g->once);
    /* definitions are numbered across the vocabulary and the agreement */
    int maxdef = -1;
    const PtrVec *dvs[2] = {&ag->vocab->defines, &ag->defines};
    for (int v = 0; v < 2; v++)
        for (size_t i = 0; i < dvs[v]->len; i++) {
            const IrDefine *d = dvs[v]->items[i];
            if (d->id > maxdef) maxdef = d->id;
        }
    (void)nd;
    g->def_ty = xcalloc((size_t)maxdef + 2, sizeof *g->def_ty);
    /* the memo of definitions without parameters: their flags first (zeroed
     * per ask), then their values, each 16-byte aligned */
    g->memo_off = xcalloc((size_t)maxdef + 2, sizeof *g->memo_off);
    g->memo_val = xcalloc((size_t)maxdef + 2, sizeof *g->memo_val);
    for (int i = 0; i <= maxdef; i++) g->memo_off[i] = -1;
    int *uses = xcalloc((size_t)maxdef + 2, sizeof *uses);
    definition_uses(ag, uses);
    for (int v = 0; v < 2; v++)
        for (size_t i = 0; i < dvs[v]->len; i++) {
            const IrDefine *d = dvs[v]->items[i];
            if (d->nparams == 0 && uses[d->id] > 1) g->memo_off[d->id] = g->memo_flags++;
        }
    free(uses);
    closed_walks(g, dvs, NULL);
    g->memo_size = (g->memo_flags + 15) / 16 * 16;
    for (int v = 0; v < 2; v++)
        for (size_t i = 0; i < dvs[v]->len; i++) {
            const IrDefine *d = dvs[v]->items[i];
            if (g->memo_off[d->id] < 0) continue;
            g->memo_val[d->id] = g->memo_size;
            g->memo_size += ((long long)LLVMABISizeOfType(td, ty(g, d->type)) + 15) / 16 * 16;
        }
    closed_walks(g, dvs, td);
    if (!g->memo_size) g->memo_size = 16;
    g->traced = false;
    fuse_groups(g, dvs, maxdef);
    for (int t = 0; t < (opt->traced ? 2 : 1); t++) {
        const char *sfx = t ? "_t" : "";
        char name[300];
        g->ask_fn[t] = xcalloc(nq + 1, sizeof(LLVMValueRef));
        g->rule_fn[t] = xcalloc(nr + 1, sizeof(LLVMValueRef));
        g->def_fn[t] = xcalloc((size_t)maxdef + 2, sizeof(LLVMValueRef));
        for (size_t i = 0; i < nq; i++) {
            const IrQuestion *q = ag->questions.items[i];
            snprintf(name, sizeof name, "ask_%s%s", q->name, sfx);
            g->ask_fn[t][i] = LLVMAddFunction(g->M, name, g->ask_ty[t]);
            LLVMSetLinkage(g->ask_fn[t][i], LLVMInternalLinkage);
        }
        for (size_t i = 0; i < nr; i++) {
            const IrRule *r = ag->rules.items[i];
            if (r->id != (int)i) ICE("codegen: rule id %d at %zu", r->id, i);
            snprintf(name, sizeof name, "rule_%zu%s", i, sfx);
            g->rule_fn[t][i] = LLVMAddFunction(g->M, name, g->rule_ty);
            LLVMSetLinkage(g->rule_fn[t][i], LLVMInternalLinkage);
        }
        for (int v = 0; v < 2; v++)
            for (size_t i = 0; i < dvs[v]->len; i++) {
                const IrDefine *d = dvs[v]->items[i];
                LLVMTypeRef pt[16];
                int k = 0;
                pt[k++] = P;
                pt[k++] = I64;
                pt[k++] = P;
                pt[k++] = P;
                pt[k++] = g->t_i32;
                for (int a = 0; a < d->nparams && k < 14; a++) pt[k++] = ty(g, d->ptypes[a]);
                pt[k++] = P; /* out */
                pt[k++] = P; /* memo */
                g->def_ty[d->id] = LLVMFunctionType(g->t_i1, pt, (unsigned)k, 0);
                snprintf(name, sizeof name, "def_%s%s", d->name, sfx);
                g->def_fn[t][d->id] = LLVMAddFunction(g->M, name, g->def_ty[d->id]);
                LLVMSetLinkage(g->def_fn[t][d->id], LLVMInternalLinkage);
            }
        snprintf(name, sizeof name, "personal_scope%s", sfx);
        g->scope_fn[t] = LLVMAddFunction(g->M, name, g->scope_ty);
        LLVMSetLinkage(g->scope_fn[t], LLVMInternalLinkage);
    }
    gen_copy_fn(g);
    for (int t = 0; t < (opt->traced ? 2 : 1); t++) {
        g->traced = t;
        for (int v = 0; v < 2; v++)
            for (size_t i = 0; i < dvs[v]->len; i++) gen_define_fn(g, dvs[v]->items[i]);
        for (int k = 0; k < g->nfused && !t; k++)
            if (g->fused[k].fn) gen_fused_fn(g, &g->fused[k]);
        gen_scope_fn(g);
        for (size_t i = 0; i < nr; i++) gen_rule_fn(g, ag->rules.items[i]);
        for (size_t i = 0; i < nq; i++) gen_ask_fn(g, ag->questions.items[i]);
    }
    g->traced = false;
    /* the exported functions */
    LLVMValueRef *entries = xcalloc(nq + 1, sizeof *entries), *tentries = xcalloc(nq + 1, sizeof *tentries),
                 *bentries = xcalloc(nq + 1, sizeof *bentries);
    for (size_t i = 0; i < nq; i++) {
        bentries[i] = gen_batch(g, ag->questions.items[i]);
        entries[i] = gen_entry(g, ag->questions.items[i], false);
        tentries[i] = opt->traced ? gen_entry(g, ag->questions.items[i], true) : LLVMConstNull(g->t_ptr);
    }
    /* bool in_personal_scope(const void *case) */
    LLVMValueRef in_scope = LLVMAddFunction(g->M, "in_personal_scope", LLVMFunctionType(g->t_i1, &P, 1, 0));
    LLVMSetLinkage(in_scope, LLVMInternalLinkage);
    {
        g->fn = in_scope;
        g->entry = block(g, "entry");
        LLVMPositionBuilderAtEnd(g->B, g->entry);
        LLVMValueRef kase = LLVMGetParam(in_scope, 0);
        LLVMValueRef date = case_date(g, kase);
        LLVMBasicBlockRef no = block(g, "no"), yes = block(g, "yes");
        LLVMBuildCondBr(g->B, outside(g, date, ag->in_force, ag->terminates), no, yes);
        LLVMPositionBuilderAtEnd(g->B, no);
        LLVMBuildRet(g->B, ci(g->t_i1, 0));
        LLVMPositionBuilderAtEnd(g->B, yes);
        LLVMValueRef res = local_var(g, g->t_result, "scope_result");
        LLVMValueRef a[4] = {kase, date, LLVMConstNull(P), res};
        LLVMValueRef in = LLVMBuildCall2(g->B, g->scope_ty, g->scope_fn[0], a, 4, "");
        LLVMBuildRet(g->B, LLVMBuildICmp(g->B, LLVMIntNE, in, ci(g->t_i8, 0), ""));
    }
    gen_descriptor(g, entries, tentries, bentries, in_scope, td);
    free(entries);
    free(tentries);
    free(bentries);
    /* a shared library also exports the descriptor under a fixed name, for
     * dlopen; object files do not, so that several link into one host */
    if (opt->shared_alias) LLVMAddAlias2(g->M, dt.module, 0, g->module_desc, "accord_module");
    /* the columnar batch entry points and their descriptor (codegen_batch.c),
     * on request only: they cost compile time (about 13 % on EU 883/2004) and are
     * not yet faster than the single-case entry point (bench/README.md) */
    if (opt->columnar) cgb_generate(g->M, ag, lay, g->module_desc, opt->shared_alias);
    for (int t = 0; t < 2; t++) {
        free(g->ask_fn[t]);
        free(g->rule_fn[t]);
        free(g->def_fn[t]);
    }
    free(g->def_ty);
    free(g->memo_off);
    free(g->fuse_of);
    free(g->fused);
    free(g->memo_val);
    free(g->local);
    free(g->exset);
    free(g->once);
    free(g->frame_len);
    LLVMDisposeBuilder(g->B);
    LLVMDisposeTargetData(td);

    char *msg = NULL;
    if (LLVMVerifyModule(u->M, LLVMReturnStatusAction, &msg)) {
        snprintf(err, errlen, "internal error: the generated module for %s does not verify: %.400s", ag->id, msg ? msg : "");
        LLVMDisposeMessage(msg);
        cg_free(u);
        return NULL;
    }
    LLVMDisposeMessage(msg);
    if (opt->opt_level > 0) {
        /* after LLVM's pipeline, one more early-cse: the pipeline's last
         * jump threading duplicates blocks (rules inlined into the ask,
         * first match) and leaves in them a condition that a dominating
         * branch already decided, or its complement (the peer rules' rule 6
         * testing `number_of_activity_states >= 2` again, and `share < 25%`
         * after rule 5 took the false edge of `share >= 25%`); early-cse
         * replaces such a condition by the edge's constant.  Cheap: no
         * memory SSA, one walk of the dominator tree (bench/README.md,
         * session 10) */
        LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
        LLVMErrorRef e = LLVMRunPasses(u->M, opt->opt_level >= 3 ? "default<O3>,function(early-cse)" : "default<O2>,function(early-cse)",
                                       u->TM, po);
        LLVMDisposePassBuilderOptions(po);
        if (e) {
            char *em = LLVMGetErrorMessage(e);
            snprintf(err, errlen, "internal error: optimising %s: %s", ag->id, em);
            LLVMDisposeErrorMessage(em);
            cg_free(u);
            return NULL;
        }
    }
    return u;
}

CgUnit *cg_compile(const IrAgreement *ag, const Layout *lay, const CgOptions *opt, char *err, size_t errlen) {
    return compile(ag, lay, opt, opt->host_cpu, err, errlen);
}

void cg_free(CgUnit *u) {
    if (!u) return;
    if (u->M) LLVMDisposeModule(u->M);
    if (u->tsc) LLVMOrcDisposeThreadSafeContext(u->tsc);
    if (u->TM) LLVMDisposeTargetMachine(u->TM);
    free(u->symbol);
    free(u->exprs);
    free(u);
}

const char *cg_module_symbol(const CgUnit *u) { return u->symbol; }

const IrExpr *cg_expr(const CgUnit *u, int index) {
    return index >= 0 && (size_t)index < u->nexprs ? u->exprs[index] : NULL;
}

bool cg_write(CgUnit *u, CgFormat fmt, const char *path, char *err, size_t errlen) {
    char *msg = NULL;
    if (!u->M) {
        snprintf(err, errlen, "the module was handed to the JIT");
        return false;
    }
    if (fmt == CG_LLVM_IR) {
        if (LLVMPrintModuleToFile(u->M, path, &msg)) {
            snprintf(err, errlen, "cannot write %s: %s", path, msg ? msg : "");
            LLVMDisposeMessage(msg);
            return false;
        }
        return true;
    }
    if (LLVMTargetMachineEmitToFile(u->TM, u->M, (char *)path, fmt == CG_OBJECT ? LLVMObjectFile : LLVMAssemblyFile, &msg)) {
        snprintf(err, errlen, "cannot write %s: %s", path, msg ? msg : "");
        LLVMDisposeMessage(msg);
        return false;
    }
    return true;
}

/* ---- JIT ---------------------------------------------------------------------------------- */

struct CgJit {
    LLVMOrcLLJITRef jit;
    const acc_module *module;
    const acc_columnar *columnar;
};

static bool jit_error(LLVMErrorRef e, const char *what, char *err, size_t errlen) {
    char *m = LLVMGetErrorMessage(e);
    snprintf(err, errlen, "JIT: %s: %s", what, m);
    LLVMDisposeErrorMessage(m);
    return false;
}

CgJit *cg_jit(CgUnit *u, char *err, size_t errlen) {
    CgJit *j = xcalloc(1, sizeof *j);
    LLVMOrcLLJITBuilderRef b = LLVMOrcCreateLLJITBuilder();
    LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(b, LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(u->TM));
    u->TM = NULL; /* consumed */
    jit_perf_builder(b); /* ACCORD_PERF_JIT=1: perf can name the JIT's code (jit_perf.h) */
    LLVMErrorRef e = LLVMOrcCreateLLJIT(&j->jit, b);
    if (e) {
        jit_error(e, "creating the JIT", err, errlen);
        free(j);
        return NULL;
    }
    LLVMOrcJITDylibRef jd = LLVMOrcLLJITGetMainJITDylib(j->jit);
    LLVMOrcDefinitionGeneratorRef gen;
    e = LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(&gen, LLVMOrcLLJITGetGlobalPrefix(j->jit), NULL, NULL);
    if (e) {
        jit_error(e, "resolving the runtime", err, errlen);
        cg_jit_free(j);
        return NULL;
    }
    LLVMOrcJITDylibAddGenerator(jd, gen);
    LLVMOrcThreadSafeModuleRef tsm = LLVMOrcCreateNewThreadSafeModule(u->M, u->tsc);
    u->M = NULL; /* owned by the JIT now */
    e = LLVMOrcLLJITAddLLVMIRModule(j->jit, jd, tsm);
    if (e) {
        jit_error(e, "adding the module", err, errlen);
        cg_jit_free(j);
        return NULL;
    }
    LLVMOrcExecutorAddress addr = 0;
    e = LLVMOrcLLJITLookup(j->jit, &addr, u->symbol);
    if (e) {
        jit_error(e, "looking up the module descriptor", err, errlen);
        cg_jit_free(j);
        return NULL;
    }
    j->module = (const acc_module *)(uintptr_t)addr;
    if (u->columnar) {
        char csym[256];
        snprintf(csym, sizeof csym, "accord_columnar_%s", j->module->agreement_id);
        e = LLVMOrcLLJITLookup(j->jit, &addr, csym);
        if (e) {
            jit_error(e, "looking up the columnar descriptor", err, errlen);
            cg_jit_free(j);
            return NULL;
        }
        j->columnar = (const acc_columnar *)(uintptr_t)addr;
    }
    return j;
}

const acc_columnar *cg_jit_columnar(const CgJit *j) { return j->columnar; }

const acc_module *cg_jit_module(const CgJit *j) { return j->module; }

void cg_jit_free(CgJit *j) {
    if (!j) return;
    if (j->jit) LLVMOrcDisposeLLJIT(j->jit);
    free(j);
}
