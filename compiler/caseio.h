/* caseio.h - the case interchange formats (SPEC §12): JSON and CSV <-> Values.
 *
 * Consumes: a checked vocabulary (the `case` record and its types) and case
 * data: one JSON object per line (JSON Lines), or CSV rows with a header.
 * Produces: a Value of the `case` record, allocated in a caller-owned arena
 * (reset per case by the batch evaluator, so memory stays constant), or an
 * error with the field path ("activities[0].state") and a message; and the
 * reverse, a case Value rendered as canonical JSON.
 * Guarantees: every vocabulary field has exactly one JSON form, so a case
 * survives JSON -> Value -> JSON unchanged (after canonicalisation: numbers
 * for durations and percentages, "1234.56 EUR" strings for money); unknown
 * fields, unknown codes, impossible dates, negative durations, percentages
 * over 100 and periods that end before they start are errors, never
 * silently dropped.  JSON numbers must be integers: a decimal is written as
 * a string ("12.5%", "0.5"), because no binary floating point may enter an
 * evaluation.
 * Never: evaluates anything, or keeps a pointer into the JSON after returning.
 */
#ifndef ACCORD_CASEIO_H
#define ACCORD_CASEIO_H
#include "ir.h"
#include <jansson.h>

typedef struct CaseError {
    char path[128];    /* "" for the whole line, else "person.residence", "periods[2].to" */
    char message[256];
} CaseError;

/* Convert a JSON object to a case.  The "id" member is required (a string
 * or an integer) and copied into *id (arena); "date" is required.  Returns
 * false and fills *err on any problem. */
bool case_from_json(const IrVocabulary *voc, Arena *a, json_t *obj, Value *out, const char **id, CaseError *err);

/* Parse one line of JSON Lines text (not NUL-terminated) into a case. */
bool case_from_line(const IrVocabulary *voc, Arena *a, const char *line, size_t len, Value *out, const char **id,
                    CaseError *err);

/* A case as canonical JSON (members in vocabulary order, defaults omitted
 * unless `full`).  The caller owns the result (json_decref). */
json_t *case_to_json(const IrVocabulary *voc, const Value *kase, const char *id, bool full);

/* One value as JSON (the answer of a question, say); JSON null for a value
 * that has no JSON form (never NULL). */
json_t *value_to_json(const Value *v, const Type *t);

/* ---- CSV (SPEC §12.3) ---------------------------------------------------- */

typedef struct CsvReader CsvReader;
/* Open a CSV file of flat cases; `periods_path` may be NULL.  On failure
 * returns NULL with a message in err (a usage-level problem: unknown column,
 * unreadable file). */
CsvReader *csv_open(const IrVocabulary *voc, FILE *cases, FILE *periods, CaseError *err);
/* Next row as a JSON object (owned by the caller), or NULL at end of input.
 * A malformed row gives an object with the single member "__error__". The
 * line number of the row is stored in *line. */
json_t *csv_next(CsvReader *r, long *line);
/* After the last row: how many periods named a case id that never came
 * (an error: nothing is dropped silently); the first such id in `first`. */
int csv_unused_periods(CsvReader *r, char *first, size_t n);
void csv_close(CsvReader *r);
/* The documented column list, for --help and SPEC tests. */
extern const char *const csv_columns[];
#endif
