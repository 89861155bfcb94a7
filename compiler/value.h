/* value.h - types and exact values (SPEC §5).
 *
 * Consumes: nothing.  Produces: the Type descriptors the checker assigns to
 * every expression, and the Value representation the reference interpreter
 * computes with.  Guarantees: no binary floating point anywhere; numbers are
 * int64 or exact rationals (num/den, den > 0, reduced); every arithmetic
 * helper reports overflow instead of wrapping (the interpreter turns that
 * into an `error` outcome, SPEC §6.6).  Sets of countries or enum constants
 * are 256-bit bitsets over ordinals (ordinal 0 = `none`).
 * Memory: Types come from the compilation arena; aggregate Values
 * (records, lists) point into memory owned by whoever built them (the
 * checker's arena for example cases, the interpreter's frame otherwise).
 */
#ifndef ACCORD_VALUE_H
#define ACCORD_VALUE_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* ORDER TYPE_KIND: type_name() in value.c */
typedef enum {
    TY_ERROR,       /* after a type error; suppresses cascades */
    TY_BOOL,
    TY_INT,
    TY_RATIO,       /* exact rational, dimensionless */
    TY_PERCENT,     /* exact rational; 25% is 1/4; printed as a percentage */
    TY_DATE,
    TY_DAYS,        /* a duration in days */
    TY_MONTHS,      /* a duration in calendar months */
    TY_MONEY,       /* whole minor units of one currency */
    TY_EXACT_MONEY, /* rational minor units: must be rounded to become money */
    TY_COUNTRY,
    TY_ENUM,
    TY_SET,         /* set of country or of one enum */
    TY_LIST,        /* list of a record (case facts only) */
    TY_RECORD,
    TY_STRING       /* only in headers and prose, never computed with */
} TypeKind;

struct IrEnum;
struct IrRecord;
typedef struct Type {
    TypeKind kind;
    const struct Type *elem;     /* TY_SET, TY_LIST */
    const struct IrEnum *en;     /* TY_ENUM */
    const struct IrRecord *rec;  /* TY_RECORD */
} Type;

extern const Type ty_error, ty_bool, ty_int, ty_ratio, ty_percent, ty_date, ty_days, ty_months,
    ty_money, ty_exact_money, ty_country, ty_string, ty_country_set;

bool type_eq(const Type *a, const Type *b);
/* "months", "set of country", "branch": for messages */
const char *type_name(const Type *t, char *buf, size_t n);
bool type_is_numeric(const Type *t); /* int, ratio, percent: dimensionless */

typedef struct Rat {
    int64_t num, den;
} Rat;

typedef struct Value Value;
struct Value {
    TypeKind kind;
    uint16_t cur;        /* TY_MONEY/TY_EXACT_MONEY: currency ordinal; TY_ENUM: unused */
    union {
        bool b;
        int64_t i;       /* TY_INT, TY_DATE (days since 1970-01-01), TY_DAYS, TY_MONTHS, TY_COUNTRY/TY_ENUM ordinal */
        Rat q;           /* TY_RATIO, TY_PERCENT, TY_MONEY, TY_EXACT_MONEY */
        uint64_t bits[4];/* TY_SET */
        struct {
            uint32_t n;
            Value *items;/* TY_LIST: elements; TY_RECORD: fields in declaration order */
        } agg;
    };
};

/* Rational arithmetic: false on overflow (int64 num/den after reduction). */
bool rat_make(int64_t num, int64_t den, Rat *out);
bool rat_add(Rat a, Rat b, Rat *out);
bool rat_sub(Rat a, Rat b, Rat *out);
bool rat_mul(Rat a, Rat b, Rat *out);
bool rat_div(Rat a, Rat b, Rat *out); /* false also when b == 0 */
int rat_cmp(Rat a, Rat b);
/* Parse "123", "123.45" exactly. */
bool rat_parse(const char *s, Rat *out);

typedef enum { ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN, ROUND_UP, ROUND_TRUNCATE } RoundMode;
/* SPEC §5.7: rounding to an integer; DOWN = toward -inf, UP = toward +inf,
 * TRUNCATE = toward zero, HALF_UP = half away from zero. */
int64_t rat_round(Rat a, RoundMode m);

static inline bool set_has(const Value *v, int ord) { return (v->bits[ord >> 6] >> (ord & 63)) & 1; }
static inline void set_add(Value *v, int ord) { v->bits[ord >> 6] |= (uint64_t)1 << (ord & 63); }
int set_size(const Value *v);

bool value_eq(const Value *a, const Value *b);
/* Equal to the bit: a zero amount keeps its currency, a rational its
 * numerator and denominator (the checker's test that a case read back from
 * JSON is the case it wrote). */
bool value_identical(const Value *a, const Value *b);
struct Arena;
/* SPEC §7.2: the value of a fact that is not given (false, 0, none, empty,
 * 0001-01-01; a record of defaults, allocated in `a`). */
Value value_default(struct Arena *a, const Type *t);
/* Render a value in Accord literal syntax ("24 months", "1234.56 EUR",
 * "{DE, PH}", "2020-01-01").  Needs the type for enum/record names. */
void value_print(FILE *out, const Value *v, const Type *t);
/* Same into a caller buffer (truncated). */
void value_format(char *buf, size_t n, const Value *v, const Type *t);
#endif
