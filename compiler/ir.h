/* ir.h - the typed core IR (SPEC §9): the hub every back end consumes.
 *
 * Produced by check.c from the AST of a vocabulary and an agreement;
 * consumed by the reference interpreter (interp.c), and by the LLVM code
 * generator and the conflict checker of later stages.  It is designed for
 * those three consumers:
 *   - every expression has a resolved Type and a resolved operation (no
 *     name lookup, no overloading left);
 *   - rules are explicit (question, head patterns, condition, value,
 *     validity interval, priority, exception edges), so default logic is
 *     data, not control flow, and a symbolic checker can enumerate it;
 *   - locals live in numbered slots of a frame (comprehension variables,
 *     question and definition parameters), the way a code generator wants;
 *   - constants are Values; dates are day numbers; parameters amended by
 *     protocols are piecewise functions of the determination date.
 * Ensures (checked by ir_verify after every clean check): every IrExpr has a type
 * that is not TY_ERROR, every rule's value has its question's type, the
 * exception graph is acyclic, and no question depends on itself.
 * Memory: everything lives in the Compilation's arena.
 */
#ifndef ACCORD_IR_H
#define ACCORD_IR_H
#include "arena.h"
#include "source.h"
#include "value.h"

typedef struct IrEnum {
    const char *name;
    Span span;
    int n;
    const char **consts;  /* ordinal i+1 is consts[i]; ordinal 0 is none */
    Span *spans;
} IrEnum;

typedef struct IrField {
    const char *name;
    const Type *type;
    Span span;
    const char *words;       /* a phrase for drafters (SPEC §7.1), or NULL: the name is used */
} IrField;

typedef struct IrRecord {
    const char *name;
    Span span;
    int nfields;
    IrField *fields;
} IrRecord;

/* ORDER IR_KIND: interp.c and ir.c dispatch on this. */
typedef enum {
    IR_CONST,     /* cval */
    IR_CASE,      /* the case record being decided */
    IR_LOCAL,     /* slot: a comprehension variable or a parameter */
    IR_FIELD,     /* a.field (field index into a's record type) */
    IR_UNARY,     /* op a */
    IR_BINARY,    /* a op b; the operation is resolved by the operand types */
    IR_AND, IR_OR,/* short-circuit a, b */
    IR_IF,        /* if a then b else c */
    IR_SETLIT,    /* {args...} of country or enum */
    IR_BUILTIN,   /* builtin(args...) */
    IR_DEFINE,    /* call of a definition: def, args bound to its slots */
    IR_ASK,       /* the answer to another question: question, args */
    IR_PARAMETER, /* a parameter's value at the determination date */
    IR_PARTIES,   /* the agreement's parties, a set of country */
    IR_AGG        /* agg over list a, element in slot, where b, body c, else/minus d */
} IrKind;

typedef enum {
    BI_MIN, BI_MAX, BI_ROUND, BI_PERIOD_MONTHS, BI_MONTHS_BETWEEN, BI_DAYS_BETWEEN,
    BI_YEARS_BETWEEN, BI_SIZE, BI_IN_MONTHS, BI_ABS, /* ORDER BUILTIN: ir.c builtin_name */
    BI__COUNT
} IrBuiltin;

typedef enum { AG_EXISTS, AG_FORALL, AG_COUNT, AG_SUM, AG_FIRST, AG_SET, AG_DAYS, AG_MONTHS, AG_CALENDAR_MONTHS } IrAgg; /* ORDER AGG */

typedef enum {
    IOP_NOT, IOP_NEG,
    IOP_EQ, IOP_NE, IOP_LT, IOP_LE, IOP_GT, IOP_GE,
    IOP_IN, IOP_NOTIN, IOP_ADD, IOP_SUB, IOP_MUL, IOP_DIV
} IrOp;

struct IrQuestion;
struct IrDefine;
struct IrParameter;

typedef struct IrExpr IrExpr;
struct IrExpr {
    IrKind kind;
    const Type *type;
    Span span;
    IrOp op;
    IrBuiltin builtin;
    IrAgg agg;
    RoundMode round;
    int slot;                    /* IR_LOCAL; IR_AGG element slot */
    int field;                   /* IR_FIELD */
    Value cval;                  /* IR_CONST */
    struct IrQuestion *question; /* IR_ASK */
    struct IrDefine *def;        /* IR_DEFINE */
    struct IrParameter *param;   /* IR_PARAMETER */
    IrExpr *a, *b, *c, *d;
    IrExpr **args;
    int nargs;
};

typedef struct IrArticle {
    const char *label;       /* "12" */
    const char *title;
    const char *prose;       /* the drafter's paraphrase, may be NULL */
    const char *instrument;  /* NULL for the agreement's own articles */
    const char *cite;        /* "Art. 12" or "987/2009 Art. 14" */
    Span span;
    int32_t from, until;     /* validity by protocol amendment: [from, until) */
    const char *protocol;    /* the protocol that introduced this version */
} IrArticle;

typedef struct IrRule IrRule;
struct IrRule {
    int id;
    const char *label;       /* NULL when unlabelled */
    const char *cite;        /* "Art. 12(1)(a)" */
    IrArticle *article;
    Span span;
    struct IrQuestion *q;
    IrExpr **pattern;        /* per question parameter: NULL = binds slot i; else a constant */
    IrExpr *cond;            /* NULL: always */
    IrExpr *value;
    int nslots;
    int64_t priority;
    int32_t from, until;     /* SPEC §6.4 validity [from, until) of the determination date */
    PtrVec exceptions;       /* IrRule*: rules that are exceptions to this one */
    PtrVec overrides;        /* IrRule*: rules this one is an exception to */
};

typedef struct IrQuestion {
    int id;
    const char *name;
    Span span;
    int nparams;
    const char **pnames;
    const Type **ptypes;
    const Type *type;
    int branch_param;        /* index of a `branch` parameter, or -1 (material scope, SPEC §6.5) */
    int country_param;       /* index of a `country` parameter, or -1 */
    PtrVec rules;            /* IrRule*, in source order */
    PtrVec roots;            /* IrRule* that are not exceptions */
} IrQuestion;

typedef struct IrDefine {
    int id;
    const char *name;
    Span span;
    int nparams;
    const Type **ptypes;
    const Type *type;
    IrExpr *body;
    int nslots;
    const char *cite;        /* where it was defined, if in an article */
} IrDefine;

typedef struct IrParameter {
    const char *name;
    Span span;
    const Type *type;
    const char *cite;
    int n;                   /* pieces: value[i] applies from from[i] (ascending) */
    int32_t *from;
    Value *value;
    const char **by;         /* the protocol that set piece i, NULL for the original */
} IrParameter;

typedef struct IrScopeClause {
    IrExpr *cond;
    int32_t from, until;
    const char *cite;
    Span span;
    int nslots;
} IrScopeClause;

typedef struct IrMaterialClause {
    int country;             /* ordinal, 0 = every party */
    Value branches;          /* set of branch */
    int32_t from, until;
    const char *cite;
    Span span;
} IrMaterialClause;

typedef enum { OUT_DECIDED, OUT_CONFLICT, OUT_UNDETERMINED, OUT_NOT_COVERED, OUT_ERROR } OutcomeKind;

typedef struct IrExpect {
    Span span;
    IrQuestion *q;
    Value *args;
    OutcomeKind kind;        /* OUT_DECIDED with value, or the outcome kind expected */
    Value value;
    int ncites;
    const char **cites;      /* expected deciding article(s) */
    Span *cite_spans;
} IrExpect;

typedef struct IrExample {
    const char *name;
    Span span;
    Value kase;
    PtrVec expects;          /* IrExpect* */
} IrExample;

typedef struct IrYield {
    const char *target;
    bool unless_more_favourable;
} IrYield;

/* An acknowledged finding of the conflict checker (SPEC §13): a known ambiguity of
 * the text, explained, so that `accord conflicts` does not fail on it. */
typedef struct IrAck {
    const char *kind;        /* "gap", "conflict", "between_agreements", ... */
    const char *question;
    const char *other;       /* the other agreement, or NULL for any */
    const char *note;
    Span span;
    /* precise forms (SPEC §13.5): the finding's rules of this agreement are
     * all among these (NULL: any), and its region lies inside `where` */
    const IrRule **rules;
    int nrules;
    IrExpr *where;           /* a condition over the case and the question's parameters, or NULL */
    int nslots;              /* locals used by `where` */
} IrAck;

typedef struct IrProtocol {
    const char *name;
    const char *title;
    int32_t signed_on, in_force;
    Span span;
} IrProtocol;

/* The standard vocabulary (SPEC §7), checked once and shared. */
typedef struct IrVocabulary {
    const char *name;
    PtrVec enums, records, questions, defines;
    const IrRecord *case_rec;
    const IrEnum *branch;    /* the enum used for material scope */
    const char *hash;        /* hex digest of the vocabulary source (ABI check later) */
} IrVocabulary;

typedef struct IrAgreement {
    const char *id;
    const char *title;
    Span span;
    const char *path;
    Value parties;           /* set of country: every state that is ever a party */
    int32_t *party_from;     /* per country ordinal: a party from this date ... */
    int32_t *party_until;    /* ... until (excluded) this one; SPEC §6.1 */
    int32_t signed_on, in_force, terminates; /* terminates: INT32_MAX if none */
    bool has_terminates;
    bool is_standard;        /* a minimum standard to check against, not a treaty (SPEC §3.2) */
    PtrVec supersedes;       /* const char* */
    PtrVec yields;           /* IrYield* */
    PtrVec articles;         /* IrArticle* */
    PtrVec parameters;       /* IrParameter* */
    PtrVec defines;          /* IrDefine* (agreement's own) */
    PtrVec rules;            /* IrRule*, all questions */
    PtrVec personal_scope;   /* IrScopeClause*; empty = everyone */
    PtrVec material_scope;   /* IrMaterialClause*; empty = every branch */
    PtrVec examples;         /* IrExample* */
    PtrVec protocols;        /* IrProtocol* */
    PtrVec acks;             /* IrAck*: acknowledged checker findings */
    const IrVocabulary *vocab;
    PtrVec questions;        /* IrQuestion*: per-agreement copies (rules differ) */
} IrAgreement;

/* Validate the postconditions of check.c listed above; an internal error
 * (abort) on any violation.  The driver runs it after every clean check. */
void ir_verify(const IrAgreement *ag);
/* --dump-ir: a readable listing, stable for golden tests. */
void ir_dump(const IrAgreement *ag, FILE *out);
void ir_expr_dump(const IrExpr *e, FILE *out);
const char *ir_outcome_name(OutcomeKind k);
IrQuestion *ir_question(const IrAgreement *ag, const char *name);
/* x and y compute the same value: the same tree (kinds, types, operators,
 * fields, definitions, constants of bool, integer-like and ratio kinds;
 * aggregates and other constants are never the same), y's local sy standing
 * for x's sx (the element variables of two aggregates; -1: none).  Any other
 * local is the same only when other_locals and it is the same slot in both
 * (a caller whose frames give a slot one value throughout, e.g. a question's
 * parameters).  Used by the back ends to share walks and memoise (SPEC §14.4,
 * §14.6); false is always safe. */
bool ir_same_expr(const IrExpr *x, const IrExpr *y, int sx, int sy, bool other_locals);
#endif
