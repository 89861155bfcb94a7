/* diag.c - recording and rendering diagnostics; see diag.h. */
#include "diag.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static Diag *push(Compilation *cx, DiagSeverity sev, bool has_span, Span sp, const char *fmt, va_list ap) {
    if (sev == DIAG_ERROR) {
        cx->nerrors++;
        if (cx->nerrors > cx->max_errors) {
            if (!cx->too_many_reported) {
                cx->too_many_reported = true;
                /* falls through to record one final message */
                if (cx->ndiags == cx->capdiags) {
                    cx->capdiags = cx->capdiags ? cx->capdiags * 2 : 16;
                    cx->diags = xrealloc(cx->diags, cx->capdiags * sizeof *cx->diags);
                }
                Diag *d = &cx->diags[cx->ndiags++];
                memset(d, 0, sizeof *d);
                d->severity = DIAG_ERROR;
                d->msg = arena_printf(&cx->arena, "too many errors (%u); stopping here", cx->max_errors);
            }
            return NULL;
        }
    } else if (cx->too_many_reported) {
        return NULL;
    }
    if (cx->ndiags == cx->capdiags) {
        cx->capdiags = cx->capdiags ? cx->capdiags * 2 : 16;
        cx->diags = xrealloc(cx->diags, cx->capdiags * sizeof *cx->diags);
    }
    Diag *d = &cx->diags[cx->ndiags++];
    memset(d, 0, sizeof *d);
    d->severity = sev;
    d->has_span = has_span;
    d->span = sp;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *m = arena_alloc(&cx->arena, (size_t)(n < 0 ? 0 : n) + 1);
    if (n > 0) vsnprintf(m, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    d->msg = m;
    return d;
}

#define DEFINE_DIAG(name, sev)                                   \
    void name(Compilation *cx, Span sp, const char *fmt, ...) {  \
        va_list ap;                                              \
        va_start(ap, fmt);                                       \
        push(cx, sev, true, sp, fmt, ap);                        \
        va_end(ap);                                              \
    }
DEFINE_DIAG(diag_error, DIAG_ERROR)
DEFINE_DIAG(diag_warning, DIAG_WARNING)
DEFINE_DIAG(diag_note, DIAG_NOTE)

void diag_error_nospan(Compilation *cx, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    Span none = {0, 0, 0};
    push(cx, DIAG_ERROR, false, none, fmt, ap);
    va_end(ap);
}

void diag_hint(Compilation *cx, const char *fmt, ...) {
    if (!cx->ndiags || cx->too_many_reported) return;
    va_list ap;
    va_start(ap, fmt);
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cx->diags[cx->ndiags - 1].hint = arena_strdup(&cx->arena, buf);
}

unsigned diag_error_count(const Compilation *cx) { return cx->nerrors; }

static const char *sev_name(DiagSeverity s) {
    return s == DIAG_ERROR ? "error" : s == DIAG_WARNING ? "warning" : "note";
}

/* Print the source line holding `sp.start` and a marker under the span.
 * Long lines are cut around the span so the marker stays on screen; a span
 * running past the end of the line is underlined to the line's end; an empty
 * span (e.g. at end of file) gets a single caret. */
static void render_excerpt(const SourceFile *f, Span sp, FILE *out) {
    uint32_t line, col;
    src_linecol(f, sp.start, &line, &col);
    uint32_t ls = f->line_starts[line - 1];
    uint32_t le = ls;
    while (le < f->len && f->text[le] != '\n') le++;
    if (le > ls && f->text[le - 1] == '\r') le--;
    uint32_t s = sp.start < ls ? ls : sp.start;
    if (s > le) s = le;
    uint32_t e = sp.end > le ? le : sp.end;
    if (e < s) e = s;
    /* window of at most 100 bytes around the span start */
    uint32_t ws = ls, we = le;
    if (we - ws > 100) {
        ws = s > ls + 40 ? s - 40 : ls;
        we = ws + 100 < le ? ws + 100 : le;
    }
    fputs("    ", out);
    if (ws > ls) fputs("...", out);
    for (uint32_t i = ws; i < we; i++) {
        unsigned char c = (unsigned char)f->text[i];
        fputc(c == '\t' ? ' ' : (c < 32 || c == 127) ? '?' : c, out);
    }
    if (we < le) fputs("...", out);
    fputc('\n', out);
    fputs("    ", out);
    if (ws > ls) fputs("   ", out);
    /* one marker column per character: UTF-8 continuation bytes take none */
#define CONT(i) ((((unsigned char)f->text[i]) & 0xC0) == 0x80)
    for (uint32_t i = ws; i < s; i++)
        if (!CONT(i)) fputc(' ', out);
    fputc('^', out);
    for (uint32_t i = s + 1; i < e && i < we; i++)
        if (!CONT(i)) fputc('~', out);
#undef CONT
    fputc('\n', out);
}

void diag_render(const Compilation *cx, FILE *out, DiagFormat fmt, bool color) {
    for (size_t i = 0; i < cx->ndiags; i++) {
        const Diag *d = &cx->diags[i];
        const SourceFile *f = d->has_span ? src_file(cx, d->span.file) : NULL;
        uint32_t line = 0, col = 0;
        if (f) src_linecol(f, d->span.start, &line, &col);
        if (fmt == DIAG_FMT_TEST) {
            fprintf(out, "%s|%s|%u|%u|%s\n", sev_name(d->severity), f ? f->path : "", line, col, d->msg);
            continue;
        }
        const char *on = "", *off = "";
        if (color) {
            on = d->severity == DIAG_ERROR ? "\033[1;31m" : d->severity == DIAG_WARNING ? "\033[1;35m" : "\033[1;36m";
            off = "\033[0m";
        }
        if (f)
            fprintf(out, "%s:%u:%u: %s%s:%s %s\n", f->path, line, col, on, sev_name(d->severity), off, d->msg);
        else
            fprintf(out, "accord: %s%s:%s %s\n", on, sev_name(d->severity), off, d->msg);
        if (f) render_excerpt(f, d->span, out);
        if (d->hint) fprintf(out, "    hint: %s\n", d->hint);
    }
}

void diag_ice(const char *file, int line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "accord: internal error at %s:%d: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputs("\n(this is a bug in accord, not in your agreement)\n", stderr);
    va_end(ap);
    abort();
}
