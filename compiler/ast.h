/* ast.h - the raw syntax tree (style G3, G6, G9).
 *
 * Consumes: nothing but constructors called from grammar/parser.y actions.
 * Produces: an AstFile per source file, every node allocated in the
 * Compilation's arena and carrying the span of the text it came from.
 * The tree is exactly what was written: no name is resolved, no type is
 * known, no date is checked (PostgreSQL's "raw parse tree").  check.c turns
 * it into the typed core IR (ir.h).  Nothing here is ever freed one by one.
 * Names in this file follow the grammar nonterminals of SPEC.md §3.
 */
#ifndef ACCORD_AST_H
#define ACCORD_AST_H
#include "compilation.h"
#include <stdint.h>
#include <stdio.h>

typedef struct AstExpr AstExpr;
typedef struct AstItem AstItem;

/* ORDER EXPR_KIND: keep ast.c's names table and check.c's switch in sync. */
#define AST_EXPR_KINDS(X)                                                     \
    X(INT, "int")             /* ival */                                     \
    X(DECIMAL, "decimal")     /* text: digits with one '.' */                \
    X(PERCENT, "percent")     /* text: the number before '%' */              \
    X(MONEY, "money")         /* text: number, name: currency code */        \
    X(DURATION, "duration")   /* ival, unit */                               \
    X(DATE, "date")           /* text: YYYY-MM-DD as written */              \
    X(BOOL, "bool")           /* ival 0/1 */                                 \
    X(STRING, "string")       /* text */                                     \
    X(COUNTRY, "country")     /* name: two capital letters */                \
    X(NONE, "none")           /* the absent country/enum value */            \
    X(NAME, "name")           /* name */                                     \
    X(FIELD, "field")         /* lhs.name */                                 \
    X(CALL, "call")           /* name(args) */                               \
    X(UNARY, "unary")         /* op lhs */                                   \
    X(BINARY, "binary")       /* lhs op rhs */                               \
    X(IF, "if")               /* if lhs then rhs else third */               \
    X(SET, "set")             /* {args} */                                   \
    X(LIST, "list")           /* [args] */                                   \
    X(RECORD, "record")       /* {fields = args}: names[i] = args[i] */      \
    X(COMPR, "comprehension") /* agg(var in lhs where cond : rhs else/minus third) */

typedef enum {
#define X(k, s) EX_##k,
    AST_EXPR_KINDS(X)
#undef X
} AstExprKind;

typedef enum {
    OP_OR, OP_AND, OP_NOT, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
    OP_IN, OP_NOTIN, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NEG
} AstOp;

typedef enum { UNIT_DAYS, UNIT_WEEKS, UNIT_MONTHS, UNIT_QUARTERS, UNIT_YEARS } AstUnit;

/* Comprehension aggregates (SPEC §4.8). ORDER AGG */
typedef enum { AGG_EXISTS, AGG_FORALL, AGG_COUNT, AGG_SUM, AGG_FIRST, AGG_SET, AGG_DAYS, AGG_MONTHS, AGG_CALENDAR_MONTHS } AstAgg;

struct AstExpr {
    AstExprKind kind;
    Span span;
    int depth;         /* height of this subtree; bounded by the checker (SPEC §2.6) */
    AstOp op;
    AstUnit unit;
    AstAgg agg;
    int64_t ival;
    const char *text;
    const char *name;
    Span name_span;
    AstExpr *lhs, *rhs, *third, *cond;
    PtrVec args;       /* AstExpr* */
    PtrVec names;      /* const char* (record field names) */
    PtrVec name_spans; /* Span* */
};

/* Type syntax: a name, days/months, or set of / list of. */
typedef struct AstType {
    Span span;
    enum { TS_NAME, TS_DAYS, TS_MONTHS, TS_SET, TS_LIST } kind;
    const char *name;
    struct AstType *elem;
} AstType;

typedef struct AstParam {
    Span span;
    const char *name;
    AstType *type;
    const char *words;   /* record fields: the phrase after the type, or NULL (SPEC §7.1) */
} AstParam;

/* "article 11(3)(a)" or "article 14 of \"987/2009\"": a citation reference. */
typedef struct AstCiteRef {
    Span span;
    const char *article;
    PtrVec labels;    /* const char* paragraph/point labels */
    const char *instrument; /* NULL: the agreement's own articles */
} AstCiteRef;

typedef enum { RM_EXCEPTION_ARTICLE, RM_EXCEPTION_LABEL, RM_PRIORITY, RM_FROM, RM_UNTIL } AstRuleModKind;
typedef struct AstRuleMod {
    Span span;
    AstRuleModKind kind;
    AstCiteRef *cite;     /* RM_EXCEPTION_ARTICLE */
    const char *label;    /* RM_EXCEPTION_LABEL */
    int64_t priority;     /* RM_PRIORITY */
    AstExpr *date;        /* RM_FROM / RM_UNTIL: an EX_DATE */
} AstRuleMod;

typedef enum { EXP_VALUE, EXP_CONFLICT, EXP_UNDETERMINED, EXP_NOT_COVERED } AstExpectKind;

/* ORDER ITEM_KIND */
#define AST_ITEM_KINDS(X)                                                        \
    X(ENUM, "enum")               /* name, args: constants (EX_NAME) */                  \
    X(RECORD, "record")           /* name, params: fields */                    \
    X(QUESTION, "question")       /* name, params, type */                      \
    X(DEFINE, "define")           /* name, params, type, expr */                \
    X(PARAMETER, "parameter")     /* name, type (optional), expr */             \
    X(ARTICLE, "article")         /* label, title, items */                     \
    X(PARAGRAPH, "paragraph")     /* label, items */                            \
    X(PROSE, "prose")             /* text */                                    \
    X(RULE, "rule")               /* name: label or NULL, title: question, args: head patterns, expr, cond, mods */ \
    X(PERSONAL_SCOPE, "personal scope")   /* expr, mods (from/until) */         \
    X(MATERIAL_SCOPE, "material scope")   /* country (optional), args: branches (EX_NAME), mods */ \
    X(PHASE, "phase")             /* title, date, items */                      \
    X(INSTRUMENT, "instrument")   /* title, items */                            \
    X(PROTOCOL, "protocol")       /* name, title, header, items */              \
    X(AMEND_PARAMETER, "amend parameter") /* name, expr */                      \
    X(AMEND_ARTICLE, "amend article")     /* label, title, items */             \
    X(EXAMPLE, "example")         /* title, items (GIVEN/EXPECT) */             \
    X(GIVEN, "given")             /* path (names), expr */                      \
    X(EXPECT, "expect")           /* name, args, expect_kind, expr, cites */

typedef enum {
#define X(k, s) IT_##k,
    AST_ITEM_KINDS(X)
#undef X
} AstItemKind;

typedef struct AstHeader AstHeader;

struct AstItem {
    AstItemKind kind;
    Span span;
    const char *name;      /* declared name, rule label, protocol name */
    Span name_span;
    const char *label;     /* article number / paragraph label */
    Span label_span;
    const char *title;
    const char *text;      /* prose */
    AstType *type;
    AstExpr *expr;         /* define/parameter value, rule value, given value, expect value, scope condition */
    AstExpr *cond;         /* rule 'when' */
    AstExpr *date;         /* phase start */
    AstExpr *country;      /* material scope party */
    PtrVec params;         /* AstParam* (question, define, record fields) */
    PtrVec args;           /* AstExpr*: rule head patterns, expect arguments */
    PtrVec names;          /* const char*: enum constants, branches, given path */
    PtrVec name_spans;     /* Span* for names */
    PtrVec mods;           /* AstRuleMod* */
    PtrVec items;          /* AstItem* children */
    PtrVec cites;          /* AstCiteRef* (expect ... by) */
    AstExpectKind expect_kind;
    AstHeader *header;     /* protocol header */
};

typedef struct AstYield {
    Span span;
    const char *target;
    bool unless_more_favourable;
} AstYield;

/* agreement header (SPEC §3.2) or protocol header */
typedef enum { HD_TITLE, HD_PARTIES, HD_SIGNED, HD_IN_FORCE, HD_TERMINATES, HD_SUPERSEDES, HD_YIELDS, HD_AMENDS, HD_STANDARD,
               HD_ACKNOWLEDGE } AstHeaderKind;
typedef struct AstHeaderField {
    AstHeaderKind kind;
    Span span;
    const char *text;      /* title; supersedes/amends target */
    AstExpr *date;
    PtrVec countries;      /* AstExpr* EX_COUNTRY */
    AstYield *yield;
    const char *ack_kind, *ack_question, *ack_other; /* HD_ACKNOWLEDGE (text: the explanation) */
    PtrVec ack_rules;      /* HD_ACKNOWLEDGE: AstExpr* EX_NAME, the rule labels after `by` (SPEC §13.5) */
    AstExpr *ack_where;    /* HD_ACKNOWLEDGE: the region after `where`, or NULL */
} AstHeaderField;

struct AstHeader {
    Span span;
    PtrVec fields;         /* AstHeaderField* */
};

typedef enum { FILE_AGREEMENT, FILE_VOCABULARY, FILE_PROTOCOL } AstFileKind;
typedef struct AstFile {
    AstFileKind kind;
    Span span;
    const char *name;      /* agreement or vocabulary identifier */
    Span name_span;
    const char *target;    /* FILE_PROTOCOL: the agreement amended */
    AstHeader *header;     /* NULL for a vocabulary */
    PtrVec items;
    uint32_t file;
} AstFile;

/* constructors: one per grammar production, called from parser.y */
AstExpr *ast_expr(Compilation *cx, AstExprKind k, Span sp);
AstExpr *ast_binary(Compilation *cx, Span sp, AstOp op, AstExpr *l, AstExpr *r);
AstExpr *ast_unary(Compilation *cx, Span sp, AstOp op, AstExpr *e);
AstExpr *ast_name(Compilation *cx, Span sp, const char *name);
AstExpr *ast_int(Compilation *cx, Span sp, const char *digits);
AstExpr *ast_field(Compilation *cx, Span sp, AstExpr *lhs, const char *name, Span name_span);
AstExpr *ast_call(Compilation *cx, Span sp, const char *name, Span name_span, PtrVec args);
AstExpr *ast_if(Compilation *cx, Span sp, AstExpr *c, AstExpr *t, AstExpr *e);
AstExpr *ast_list(Compilation *cx, AstExprKind k, Span sp, PtrVec args);
AstExpr *ast_record(Compilation *cx, Span sp, AstExpr *fields);
/* agg(var in list where cond : body else/minus third) */
AstExpr *ast_compr(Compilation *cx, Span sp, AstAgg agg, const char *var, Span var_span, AstExpr *list,
                   AstExpr *cond, AstExpr *body, AstExpr *third);
AstExpr *ast_suffixed(Compilation *cx, AstExprKind k, Span sp, const char *number, const char *suffix);
AstExpr *ast_duration(Compilation *cx, Span sp, const char *digits, AstUnit unit);
AstExpr *ast_text(Compilation *cx, AstExprKind k, Span sp, const char *text);
AstItem *ast_item(Compilation *cx, AstItemKind k, Span sp);
AstType *ast_type(Compilation *cx, Span sp, int kind, const char *name, AstType *elem);
AstParam *ast_param(Compilation *cx, Span sp, const char *name, AstType *t);
AstRuleMod *ast_rule_mod(Compilation *cx, Span sp, AstRuleModKind k);
AstCiteRef *ast_cite(Compilation *cx, Span sp, const char *article);
AstHeaderField *ast_header_field(Compilation *cx, Span sp, AstHeaderKind k);
AstHeader *ast_header(Compilation *cx, Span sp);
AstFile *ast_file(Compilation *cx, Span sp, AstFileKind k, const char *name);
void ast_push_name(Compilation *cx, PtrVec *names, PtrVec *spans, const char *name, Span sp);

const char *ast_expr_kind_name(AstExprKind k);
const char *ast_item_kind_name(AstItemKind k);
const char *ast_op_name(AstOp op);
const char *ast_agg_name(AstAgg a);
/* --dump-ast: an indented s-expression of the tree, stable for golden tests. */
void ast_dump(const AstFile *f, FILE *out);
#endif
