/* wording.h - conditions and values in words a drafter reads (SPEC §13.2).
 *
 * Consumes: the core IR of an agreement (conditions, fields of the
 * vocabulary's records with their optional phrases, SPEC §7.1), never
 * modified.  Produces: text appended to a growing buffer: the phrase of a
 * field, a value, a comparison, an IR condition rendered as a sentence
 * ("no insurance period where state is a party", "employed in DE",
 * "the number of employment states is at least 2", "an activity where it
 * is valid posting", "employer seat is the same as residence") or its
 * negation.
 * Guarantees: every expression gets words (what has no sentence form is
 * given as its source text through the caller's callback, else its IR
 * text); nothing is truncated.  Words are for reading only: the checker's
 * structured region (`boxes`) is what tools use.
 * Memory: the buffer is malloc'd (xrealloc) and owned by the caller.
 */
#ifndef ACCORD_WORDING_H
#define ACCORD_WORDING_H
#include "ir.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct WordBuf {
    char *s;
    size_t n, cap;
} WordBuf;

void wb_printf(WordBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

typedef struct WordCtx {
    const IrAgreement *ag;      /* `parties` reads "a party" / "the parties" (NULL: never) */
    const IrQuestion *q;        /* locals 0..nparams-1 are its arguments (read by their names), or NULL */
    const char *(*source)(void *ctx, Span sp); /* the source text of a span, or NULL */
    void *ctx;
} WordCtx;

/* The phrase of field f: its declared phrase, else its name with '_' read as ' '. */
const char *words_field(const IrField *f, char *buf, size_t n);
/* A name with '_' read as ' '. */
const char *words_name(const char *name, char *buf, size_t n);
/* The value of ordinal o of a set-like type (enum, country, bool). */
const char *words_ordinal(const Type *t, int o, char *buf, size_t n);
/* A set of ordinals of type t (bits: a 256-bit set): "X", "X or Y", "X, Y or Z";
 * `parties` (may be NULL) equal to the set reads "a party". */
void words_ordinals(WordBuf *b, const Type *t, const uint64_t bits[4], const Value *parties);
/* A value as a noun phrase: "the number of activities where ...", "residence",
 * "the number of work states"; what has no phrase, its source text. */
void words_term(WordBuf *b, const WordCtx *w, const IrExpr *e);
/* A boolean condition as a sentence; negated: its negation. */
void words_cond(WordBuf *b, const WordCtx *w, const IrExpr *e, bool negated);
#endif
