/* diag.h - the one diagnostic format (style G4, G5).
 *
 * Consumes: spans and messages from every stage.  Produces: a list of
 * Diag records in the Compilation, rendered at the end by the driver as
 *     file:line:col: error: message
 *        <source line>
 *        ^~~~~~ (under the span)
 *     hint: ...
 *     file:line:col: note: ...
 * or, for tests, one line per diagnostic: error|file|line|col|message.
 * Guarantees: user errors are recorded and the caller continues; after
 * max_errors errors further ones are counted but not stored, and a single
 * "too many errors" line is added.  Internal compiler errors are not
 * diagnostics: ICE()/UNREACHABLE() print where the compiler broke and abort
 * (exit by SIGABRT, never exit status 1), so tests can tell the two apart.
 */
#ifndef ACCORD_DIAG_H
#define ACCORD_DIAG_H
#include "compilation.h"
#include <stdio.h>

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagSeverity;

struct Diag {
    DiagSeverity severity;
    bool has_span;
    Span span;
    const char *msg;
    const char *hint;      /* optional, printed as "hint: ..." */
};

void diag_error(Compilation *cx, Span sp, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void diag_warning(Compilation *cx, Span sp, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A note attached to the previous diagnostic (e.g. "defined here"). */
void diag_note(Compilation *cx, Span sp, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void diag_error_nospan(Compilation *cx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Attach a hint to the most recent diagnostic (ignored if it was dropped). */
void diag_hint(Compilation *cx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

typedef enum { DIAG_FMT_HUMAN, DIAG_FMT_TEST } DiagFormat;
void diag_render(const Compilation *cx, FILE *out, DiagFormat fmt, bool color);
unsigned diag_error_count(const Compilation *cx);

_Noreturn void diag_ice(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define ICE(...) diag_ice(__FILE__, __LINE__, __VA_ARGS__)
#define UNREACHABLE() diag_ice(__FILE__, __LINE__, "unreachable")
#define ASSERT(c) ((c) ? (void)0 : diag_ice(__FILE__, __LINE__, "assertion failed: %s", #c))
#endif
