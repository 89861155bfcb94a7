/*
 * accord.h -- the C ABI of compiled Accord evaluators (libaccord).
 *
 * Contract of this layer:
 *  - An evaluator compiled by `accord build` (a shared library, or an object
 *    file linked into a host) exports one acc_module descriptor: the
 *    agreement's identity (id, title, in-force date, source hash), the
 *    vocabulary hash and ABI version it was compiled against, the layout of
 *    the case record (so that a host, or libaccord's case reader, can fill
 *    it by name), and one entry point per question.
 *  - A case is a plain C struct laid out by the rules below (the generated
 *    header accord_vocab.h spells it out field by field); a zeroed struct is
 *    the case with every fact missing (SPEC §7.2 defaults).  The evaluator
 *    only reads it.
 *  - Entry points are pure functions of the case and the arguments: no
 *    global state, no allocation, thread-safe; the decision itself runs
 *    entirely in generated code.  Shared helpers (exact rational
 *    arithmetic, calendar and period aggregation, message formatting, trace
 *    recording) live in libaccord and are called off the hot path or for
 *    the arithmetic they share with the reference interpreter.
 *  - Results (acc_result) say how the question was settled, with the same
 *    outcome kinds, values and deciding rules as the reference interpreter
 *    (SPEC §6); rules are indices into the module's rule table, which
 *    gives each rule's citation and source location.  Why a question was
 *    not decided is recorded as a code with its arguments (acc_why), made
 *    into text only when the host asks (acc_result_reason): ABI 2; ABI 1
 *    wrote the text into every result.  A decided result's `why` is not
 *    written at all (ABI 4: one store less per ask; acc_result_reason
 *    gives "" for it); ABI 3 set its code to ACC_WHY_NONE.
 *
 * Layout of a case (the same in ABI versions 1 to 4), natural C alignment:
 *   bool                      -> bool (1 byte)
 *   int, days, months         -> int64_t
 *   date                      -> acc_cdate (int32_t, days since 0001-01-01, so that
 *                                a zeroed field is 0001-01-01, the missing date)
 *   country, enum constants   -> uint8_t ordinal (0 = none)
 *   ratio, percent            -> acc_rat (den 0 reads as 1: a zeroed field is 0;
 *                                otherwise den > 0, not necessarily reduced: compiled
 *                                comparisons cross-multiply, so a negative den would
 *                                reverse them; acc_case_from_json gives reduced, den > 0)
 *   money                     -> acc_money (minor units, currency ordinal)
 *   set of country / of enum  -> acc_set (256-bit set of ordinals)
 *   list of R                 -> acc_list (items: an array of R, n of them)
 *   record R                  -> the struct of R, inline
 */
#ifndef ACCORD_H
#define ACCORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "accord_rt.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ACC_ABI_VERSION 4

/* Value kinds: the numbering of the compiler's TypeKind (value.h). */
enum {
    ACC_T_BOOL = 1, ACC_T_INT, ACC_T_RATIO, ACC_T_PERCENT, ACC_T_DATE, ACC_T_DAYS, ACC_T_MONTHS,
    ACC_T_MONEY, ACC_T_EXACT_MONEY, ACC_T_COUNTRY, ACC_T_ENUM, ACC_T_SET, ACC_T_LIST, ACC_T_RECORD,
    ACC_T_STRING
};

/* A date inside a case struct: days since 0001-01-01 (acc_date is days since
 * 1970-01-01, as everywhere else in the runtime). */
typedef int32_t acc_cdate;
static inline acc_cdate acc_cdate_from(acc_date d) { return (acc_cdate)(d - acc_date_min()); }
static inline acc_date acc_cdate_to(acc_cdate d) { return (acc_date)(d + acc_date_min()); }

typedef struct acc_rat { int64_t num, den; } acc_rat;
typedef struct acc_money { int64_t minor; uint16_t currency; } acc_money;
typedef struct acc_exact_money { acc_rat amount; uint16_t currency; } acc_exact_money;
typedef struct acc_set { uint64_t bits[4]; } acc_set;
typedef struct acc_list { const void *items; uint32_t n; } acc_list;

/* One value of any type: a question's answer or argument.  `i` holds bool,
 * int, durations, dates, country and enum ordinals; `q` ratios,
 * percentages and amounts (money: q.den == 1, minor units); `bits` sets. */
typedef struct acc_value {
    int32_t kind;         /* ACC_T_* */
    uint16_t currency;    /* money: currency ordinal (acc_currency_code) */
    union {
        bool b;
        int64_t i;
        acc_rat q;
        uint64_t bits[4];
        struct { uint32_t n; void *items; } agg; /* unused by evaluators; keeps the layout of the compiler's Value */
    };
} acc_value;

/* How a question was settled (SPEC §6.6). */
enum { ACC_DECIDED, ACC_CONFLICT, ACC_UNDETERMINED, ACC_NOT_COVERED, ACC_ERROR };

/* Why a question was not decided, as the evaluator records it (ABI 2): what
 * to say (a code and its arguments), not the text.  Formatting the reason
 * cost more than the decision it explains, and most hosts never read it;
 * acc_result_reason writes the text when asked.  The text is the reference
 * interpreter's, byte for byte, and at most ACC_REASON_MAX - 1 characters. */
enum {
    ACC_WHY_NONE,                  /* a conflict: no reason (a decided result's why is not written, ABI 4) */
    ACC_WHY_TEXT,                  /* the text itself, in why.text (the rare messages) */
    ACC_WHY_MESSAGE,               /* why.str, then " (in <why.cite>)" when cite is not NULL */
    ACC_WHY_NOT_IN_FORCE,          /* "the agreement is not in force on <why.date>" */
    ACC_WHY_NOT_PERSONAL,          /* "the person is outside the personal scope (<why.cite>)" */
    ACC_WHY_NO_CATEGORY            /* "no category of persons is covered yet on this date (<why.cite>)" */
};
#define ACC_REASON_MAX 256
typedef struct acc_why {
    int32_t code;                  /* ACC_WHY_* */
    int32_t date;                  /* ACC_WHY_NOT_IN_FORCE: an acc_date */
    const char *str;               /* ACC_WHY_MESSAGE: the message (static text of the module) */
    const char *cite;              /* a citation (static text of the module), or NULL */
    char text[ACC_REASON_MAX];     /* ACC_WHY_TEXT: the reason written out */
} acc_why;

#define ACC_MAX_RULES 16
typedef struct acc_result {
    int32_t kind;                  /* ACC_DECIDED ... ACC_ERROR */
    int32_t nrules;                /* deciding rules (all agreeing), or the two in conflict */
    acc_value value;               /* ACC_DECIDED: the answer (zero otherwise) */
    int32_t rules[ACC_MAX_RULES];  /* the first nrules: indices into acc_module.rules (the rest unspecified) */
    acc_value values[2];           /* ACC_CONFLICT: the two answers (unspecified otherwise) */
    acc_why why;                   /* why not decided (ACC_WHY_NONE for a conflict; unspecified when decided, ABI 4): read it with acc_result_reason */
} acc_result;

/* ---- tracing (the schema of `accord explain`, SPEC §12.6) -------------- */
enum {
    ACC_TR_ASK, ACC_TR_ANSWER, ACC_TR_NOT_IN_FORCE, ACC_TR_HEAD_MISMATCH, ACC_TR_COND_FALSE,
    ACC_TR_DECIDED, ACC_TR_FAILED, ACC_TR_OVERRIDDEN, ACC_TR_ARITH, ACC_TR_FACT
};
typedef struct acc_trace_event {
    int32_t kind;          /* ACC_TR_* */
    int32_t depth;         /* nesting of questions */
    int32_t slot;          /* ACC_TR_FACT: index of the case field read */
    int32_t question;      /* index into acc_module.questions, or -1 */
    int32_t rule, by;      /* indices into acc_module.rules, or -1 */
    int32_t expr;          /* index into acc_module.exprs (the expression concerned), or -1 */
    int32_t outcome;       /* ACC_ANSWER, ACC_DECIDED, ACC_FAILED: the outcome kind */
    acc_value args[2];     /* ACC_TR_ASK, ACC_TR_ANSWER: the question's first arguments */
    acc_value a, b, value; /* operands and result (ACC_TR_ARITH), the answer */
} acc_trace_event;
typedef struct acc_trace {
    acc_trace_event *ev;
    size_t n, cap;
    int32_t depth;
    bool oom;              /* an event could not be recorded (out of memory) */
} acc_trace;
/* Append an event (kind, depth set; the rest zero/-1); NULL if out of memory. */
acc_trace_event *acc_trace_add(acc_trace *t, int32_t kind);
void acc_trace_free(acc_trace *t);

/* ---- the module descriptor --------------------------------------------- */
typedef struct acc_enum_desc {
    const char *name;
    uint32_t n;                    /* constants; ordinal i+1 is consts[i] */
    const char *const *consts;
} acc_enum_desc;

typedef struct acc_field_desc {
    const char *name;
    int32_t kind;                  /* ACC_T_* */
    int32_t elem_kind;             /* ACC_T_SET, ACC_T_LIST: the element's kind */
    int32_t ref;                   /* ENUM (or set of enum): enum index; RECORD/LIST: record index; else -1 */
    uint32_t offset, size;
} acc_field_desc;

typedef struct acc_record_desc {
    const char *name;
    uint32_t size, align;
    uint32_t nfields;
    const acc_field_desc *fields;
} acc_record_desc;

typedef struct acc_param_desc {
    const char *name;
    int32_t kind;                  /* ACC_T_COUNTRY or ACC_T_ENUM (questions take these) ... */
    int32_t ref;                   /* enum index, or -1 */
} acc_param_desc;

/* The compact answer of the batch entry points: no message, the first
 * deciding rule only (ask the single-case entry point for the rest). */
typedef struct acc_decision {
    int32_t kind;                  /* ACC_DECIDED ... ACC_ERROR */
    int32_t rule;                  /* first deciding rule, or -1 */
    acc_value value;               /* ACC_DECIDED: the answer */
} acc_decision;

/* args: one acc_value per parameter (kind and i set). */
typedef void (*acc_ask_fn)(const void *kase, const acc_value *args, acc_result *out);
/* n cases laid out `stride` bytes apart, the same arguments for each. */
typedef void (*acc_batch_fn)(const void *cases, size_t stride, size_t n, const acc_value *args, acc_decision *out);
typedef void (*acc_ask_traced_fn)(const void *kase, const acc_value *args, acc_result *out, acc_trace *trace);

typedef struct acc_question_desc {
    const char *name;
    uint32_t nparams;
    const acc_param_desc *params;
    int32_t result_kind;           /* ACC_T_* */
    int32_t result_ref;            /* enum index (enum results, sets of enum), or -1 */
    acc_ask_fn ask;
    acc_ask_traced_fn ask_traced;  /* NULL when built with --no-trace */
    acc_batch_fn batch;
} acc_question_desc;

typedef struct acc_rule_desc {
    const char *label;             /* NULL when unlabelled */
    const char *cite;              /* "Art. 12(1)" */
    const char *file;
    uint32_t line;
} acc_rule_desc;

typedef struct acc_expr_desc {     /* expressions named by traces */
    const char *text;              /* the expression as written (source text) */
    uint32_t line, col;
} acc_expr_desc;

typedef struct acc_module {
    uint32_t abi_version;          /* ACC_ABI_VERSION of the compiler */
    const char *agreement_id;
    const char *title;
    const char *in_force;          /* "YYYY-MM-DD" */
    const char *source_hash;       /* hex digest of the agreement's source (and protocols) */
    const char *vocab_hash;        /* hex digest of the vocabulary */
    const char *compiler_version;
    uint32_t case_record;          /* index of the `case` record */
    uint32_t nrecords, nenums, nquestions, nrules, nexprs;
    const acc_record_desc *records;
    const acc_enum_desc *enums;
    const acc_question_desc *questions;
    const acc_rule_desc *rules;
    const acc_expr_desc *exprs;
    /* Whether the person is within the personal scope on the case's date
     * (false also when not in force then, or when a scope clause fails). */
    bool (*in_personal_scope)(const void *kase);
} acc_module;

/* ==== libaccord: the host API (runtime/libaccord.c, runtime/casejson.c) ====
 *
 * What an institution's program calls.  Link with libaccord (pkg-config
 * accord).  Every function is thread-safe; none keeps global state.  Errors
 * are returned as text in a caller-given buffer (err, errlen), one line,
 * naming the file, field or value concerned.
 *
 * Loading a compiled evaluator.  acc_load dlopens a shared library built by
 * `accord build`, finds its descriptor (symbol `accord_module`) and refuses
 * it, with a message naming both versions or hashes and the file, when it
 * was compiled for another ABI version or (if expected_vocab_hash is not
 * NULL) another vocabulary; pass ACCV_VOCAB_HASH from accord_vocab.h when
 * the host fills cases as structs.  A module linked into the host
 * (accord_module_<id>) is checked the same way by acc_check. */
const acc_module *acc_load(const char *path, const char *expected_vocab_hash, char *err, size_t errlen);
bool acc_check(const acc_module *m, const char *expected_vocab_hash, const char *where, char *err, size_t errlen);
/* Only for modules returned by acc_load; m is invalid afterwards. */
void acc_unload(const acc_module *m);

/* Questions by name ("applicable_legislation"); NULL if the module has none. */
const acc_question_desc *acc_question(const acc_module *m, const char *name);
/* An argument from its text ("DE", "old_age") for parameter i of q: false
 * with a message on an unknown code or constant. */
bool acc_arg_parse(const acc_module *m, const acc_question_desc *q, uint32_t i, const char *text, acc_value *out,
                   char *err, size_t errlen);
/* Ask q about the case (a struct of the module's case record, e.g. an
 * accv_case) with one acc_value per parameter (NULL when none).  The traced
 * variant appends the evaluation's events to *trace (start with a zeroed
 * acc_trace; free it with acc_trace_free). */
void acc_ask(const acc_module *m, const acc_question_desc *q, const void *kase, const acc_value *args, acc_result *out);
void acc_ask_traced(const acc_module *m, const acc_question_desc *q, const void *kase, const acc_value *args,
                    acc_result *out, acc_trace *trace);

/* Reading results.  "decided", "conflict", "undetermined", "not covered", "error". */
const char *acc_outcome_name(int32_t kind);
/* A value as Accord writes it: "DE", "none", "24 months", "1234.56 EUR",
 * "12.5%", "{DE, PH}", "old_age", "2024-03-01".  kind and ref as in the
 * descriptors (a question's result_kind/result_ref); returns buf. */
const char *acc_value_text(const acc_module *m, int32_t kind, int32_t ref, const acc_value *v, char *buf, size_t n);
/* The answer as text: the value when decided, "A (Art. 1) or B (Art. 2)"
 * for a conflict, else the reason; returns buf. */
const char *acc_result_text(const acc_module *m, const acc_question_desc *q, const acc_result *r, char *buf, size_t n);
/* Why the question was not decided, as text ("the agreement is not in force
 * on 2009-01-01", "no rule answers q for this case"...); "" when decided or
 * a conflict.  The same text as the reference interpreter's (at most
 * ACC_REASON_MAX - 1 characters; cut to n - 1 when the buffer is smaller).
 * Valid while the module that produced r is loaded (a recorded reason
 * points into its static text); returns buf. */
const char *acc_result_reason(const acc_result *r, char *buf, size_t n);
/* The citation of the deciding article(s) from the rule table, "Art. 12(1)",
 * several joined by ", "; "" when no rule decided; returns buf. */
const char *acc_result_citation(const acc_module *m, const acc_result *r, char *buf, size_t n);
/* A readable listing of a trace (the steps of `accord explain`), one event
 * a line, indented by nesting; then the case's fields read ("facts used"). */
void acc_trace_print(const acc_module *m, const acc_trace *t, FILE *out);

/* Building a case in memory.  As a struct: fill an accv_case (accord_vocab.h).
 * From JSON text (SPEC §12.1, the format of `accord eval`): one object with
 * the case record's fields ("id" optional here, "date" required), checked
 * against the module's record descriptors; unknown fields, codes and
 * constants, impossible dates, negative durations and decimals written as
 * JSON numbers are errors with their path ("activities[0].state: unknown
 * country code 'XX'").  Returns the case (a struct of the module's case
 * record, lists included, in one allocation owned by the caller: free it
 * with acc_case_free), or NULL with the message in err. */
void *acc_case_from_json(const acc_module *m, const char *json, size_t len, char *err, size_t errlen);
/* The "id" of a case read by acc_case_from_json ("" if it had none). */
const char *acc_case_id(const void *kase);
void acc_case_free(void *kase);


/* ==== columnar batches (structure of arrays) ==============================
 *
 * A second batch entry point per question takes N cases held column by
 * column, the layout in which the generated code evaluates whole chunks of
 * cases with vector instructions (SPEC §12.9, §14.4).
 *
 * Columns.  The case record is flattened depth-first, field by field in
 * declaration order: a field of a scalar type (bool, int, date, ..., set)
 * is one column; a field of record type contributes its own fields'
 * columns, in place; a field of type list of R is one list column
 * followed by the columns of R's fields (recursively), the element
 * columns.  acc_columnar.columns lists them in that order, each with its
 * path ("person.residence", "activities", "activities.posting.start").
 *   - a case column (list == -1) holds N entries, one per case;
 *   - a list column (kind ACC_T_LIST) holds one entry per row of its
 *     parent (a case, or an element of the enclosing list), 8 bytes:
 *     uint32_t first, count; element k of the row is row
 *     first + k * acc_columnar.chunk of the element columns;
 *   - an element column (list == index of its list column) holds the
 *     element rows.
 * The block layout (what acc_columns_from_cases produces, and what the
 * array code reads without gathers): the rows of a table (the cases, or
 * a list's element rows) are taken in blocks of `chunk` rows; the
 * elements of a block take maxlen * chunk rows of the element table
 * (maxlen: the block's longest list; the last position only as many
 * rows as the block has), row l of the block having first = start + l,
 * so that element k of every row of the block is one contiguous run of
 * rows.  Rows no element uses are zero (padding).  The entry points
 * evaluate cases in chunks starting at case 0, `chunk` cases each; a
 * chunk whose entries are not in the block layout (first of row l !=
 * first of row 0 + l for a non-empty list) is evaluated case by case by
 * the single-case path: still exact, not faster.  (Hence pass the
 * columns of a range starting at a multiple of `chunk` for speed.)
 * An entry has exactly the bytes of the field in the case struct (the
 * table of the ABI above: bool 1 byte, int64_t, acc_cdate, uint8_t
 * ordinal, acc_rat, acc_money, acc_set, ...), `size` bytes, packed with no
 * gaps.  A host passes `const void *const cols[ncolumns]`, one pointer per
 * column (NULL is allowed for an element column when no case has an
 * element in that list, and for every column when n is 0).
 *
 * Entry points.  acc_columnar.questions[q] (and its compact form
 * acc_columnar.compact[q], below) evaluates question q of the
 * module for cases 0 .. n-1 and writes n acc_decision, exactly what the
 * single-case entry point gives (kind, first deciding rule, value).  When
 * acc_columnar.vectorised[q] is not 0 the question lies in the fragment the
 * array code covers: cases are evaluated by chunks with vector
 * instructions (2: in 32-bit lanes, when every constant of the question
 * fits; a value read from a case that does not -- an int beyond 32 bits, a
 * date outside 0001..9999 -- sends that case to the single-case path),
 * and a case whose evaluation leaves that fragment (an
 * outcome other than one rule deciding, an overflow, a rational whose
 * denominator does not divide the fixed one, a list longer than the fast
 * range...) is evaluated again by the single-case entry point; otherwise
 * (0) every case takes that path.  Entry points are pure and thread-safe,
 * like the others; they do not allocate unless a case takes the single-case
 * path and has lists (its struct is then rebuilt in memory from malloc).
 * From 65,536 cases on, decisions are written with non-temporal stores,
 * four at a time as vectors when `out` is 64-byte aligned (aligned_alloc):
 * faster than the 8-byte stores of an unaligned `out`.
 *
 * Finding it.  An object file exports the descriptor as
 * `accord_columnar_<id>`; a shared library built by `accord build` also as
 * `accord_columnar`; acc_columnar_of finds it for a module from acc_load. */
typedef struct acc_column_desc {
    const char *path;              /* "activities.posting.start" */
    int32_t kind;                  /* ACC_T_*; ACC_T_LIST: a list column */
    int32_t list;                  /* index of the list column of the list holding it, or -1 */
    uint32_t size;                 /* bytes per entry (8 for a list column: first, count) */
    uint32_t offset;               /* of the field in the struct holding it (case, or the list's element) */
    uint32_t elem_size;            /* list column: the size of an element struct; else 0 */
    uint32_t end;                  /* list column: one past its last element column; else index + 1 */
    int32_t encoding;              /* ACC_COL_STRUCT, or ACC_COL_NARROW: the narrow copy of the column before it */
} acc_column_desc;

/* Column encodings.  ACC_COL_STRUCT: an entry is the field's bytes in the
 * case struct.  ACC_COL_NARROW: a second column right after an int, days,
 * months, ratio or percent column (path "<path>:i32", same list, offset of
 * the same field), int32_t per entry: the value (a ratio or percent as its
 * numerator over ACC_COL_RAT_D) when it fits (an int in (INT32_MIN,
 * INT32_MAX]; a ratio whose denominator divides ACC_COL_RAT_D and whose
 * scaled value lies in (-2^29, 2^29)), else ACC_COL_WIDE.  The array code
 * in 32-bit lanes reads it instead of the wide column (a quarter or half
 * the bytes, no division); a case with an ACC_COL_WIDE entry it reads takes
 * the single-case path, which reads the wide column.  acc_columns_from_cases
 * fills both; a host filling columns itself must fill both, consistently
 * (acc_column_narrow_entry gives the narrow entry of a field). */
enum { ACC_COL_STRUCT = 0, ACC_COL_NARROW = 1 };
#define ACC_COL_RAT_D 12600000         /* 2^6 3^2 5^5 7 */
#define ACC_COL_WIDE INT32_MIN
/* The narrow entry of a value of kind `kind` held as in the case struct at `field`. */
int32_t acc_column_narrow_entry(int32_t kind, const void *field);

/* cols: one pointer per column; out: n decisions. */
typedef void (*acc_columns_fn)(const void *const *cols, size_t n, const acc_value *args, acc_decision *out);

/* The compact entry points (ABI 3).  The same evaluation as the entry point
 * above, written into two narrow arrays instead of n acc_decision (48 bytes
 * each, most of them zero: the stores cost more than many decisions):
 *   rule[i]   int32_t: >= 0: decided, by this rule (the first deciding rule,
 *             an index of acc_module.rules, as acc_decision.rule); < 0: not
 *             decided, -rule[i] is the outcome kind (ACC_CONFLICT ..
 *             ACC_ERROR; ask the single-case entry point for the rest);
 *   value[i]  the answer when decided, else 0, in compact_width[q] bytes:
 *             1 for bool (0 or 1), country and enum answers (the ordinal,
 *             uint8_t); 8 for int, days and months (int64_t) and dates (the
 *             day number of acc_value.i, int64_t).
 * A question with another answer type (money, ratio, set, ...) has no
 * compact entry point (NULL, width 0).  Pure and thread-safe like the others;
 * cases the array code cannot settle take the single-case path as above. */
typedef void (*acc_columns_compact_fn)(const void *const *cols, size_t n, const acc_value *args, void *value, int32_t *rule);

typedef struct acc_columnar {
    const acc_module *module;
    uint32_t ncolumns;
    const acc_column_desc *columns;
    const acc_columns_fn *questions;   /* per question of module, in its order */
    const uint8_t *vectorised;         /* per question: 0 single-case path for every case; array code with
                                          1: 64-bit lanes, 2: 32-bit lanes */
    uint32_t chunk;                    /* cases evaluated together by the array code; the block of the layout */
    const acc_columns_compact_fn *compact; /* per question: the compact entry point, or NULL (ABI 3) */
    const uint8_t *compact_width;      /* per question: bytes of a compact value, 1 or 8; 0: no compact entry point */
} acc_columnar;

/* The columnar descriptor of a module loaded by acc_load (NULL if the
 * library has none: built by an older compiler). */
const acc_columnar *acc_columnar_of(const acc_module *m);

/* Converting cases to columns (a host's one-off layout conversion when it
 * loads data; not part of evaluation).  n cases laid out `stride` bytes
 * apart (structs of the module's case record) -> columns in the block
 * layout, in one allocation (acc_columns_free); NULL on out of memory or
 * more than UINT32_MAX element rows in one list (padding included). */
typedef struct acc_columns {
    size_t n;
    const void **cols;             /* ncolumns pointers, for the entry points */
    void *mem;
} acc_columns;
acc_columns *acc_columns_from_cases(const acc_columnar *cz, const void *cases, size_t stride, size_t n);
void acc_columns_free(acc_columns *c);
/* Case i of the columns as a struct of the case record, in `buf` (cap
 * bytes); lists point into buf after the struct.  Returns the bytes
 * needed: when more than cap, nothing usable was written (call again with
 * a larger buffer).  The single-case path of the entry points uses it. */
size_t acc_columns_case(const acc_columnar *cz, const void *const *cols, size_t i, void *buf, size_t cap);
/* The single-case path for case i (generated code calls it). */
void acc_columns_fallback(const acc_columnar *cz, uint32_t q, const void *const *cols, size_t i, const acc_value *args,
                          acc_decision *out);
/* How many cases the entry points of this process have sent to the
 * single-case path so far (all threads, all modules): a diagnostic, to
 * see how much of a batch the array code settled. */
unsigned long long acc_columns_fallback_count(void);

#ifdef __cplusplus
}
#endif
#endif /* ACCORD_H */
