/* source.h - source files, spans and line maps (style G3).
 *
 * Consumes: file paths or in-memory text.  Produces: SourceFile records owned
 * by the Compilation's arena, and byte spans into them.  Line and column are
 * computed only when a diagnostic is rendered, by binary search over a
 * line-start table built once per file.  Guarantees: every loaded file is
 * NUL-terminated and its length is exact (embedded NULs are kept so the lexer
 * can diagnose them).  Never: reads a file twice, or stores a line number in
 * a node.
 */
#ifndef ACCORD_SOURCE_H
#define ACCORD_SOURCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A half-open byte range [start, end) in file number `file`. */
typedef struct Span {
    uint32_t file, start, end;
} Span;

typedef struct SourceFile {
    const char *path;
    const char *text;      /* NUL-terminated copy */
    uint32_t len;
    uint32_t *line_starts; /* offsets of each line's first byte */
    uint32_t nlines;
} SourceFile;

struct Compilation;

/* SPEC §2.1: files larger than this are refused with a diagnostic. */
#define SRC_MAX_BYTES (64u * 1024u * 1024u)

/* Load a file; on failure records a diagnostic (no span) and returns -1. */
int src_load_file(struct Compilation *cx, const char *path);
/* Register text already in memory (tests, the embedded prelude). */
int src_add_text(struct Compilation *cx, const char *path, const char *text, size_t len);
const SourceFile *src_file(const struct Compilation *cx, uint32_t file);
/* 1-based line and column (column counts bytes, tabs count 1). */
void src_linecol(const SourceFile *f, uint32_t offset, uint32_t *line, uint32_t *col);
Span span_join(Span a, Span b);
/* FNV-1a 64 of a file's text (f may be NULL: the empty text): the
 * fingerprints of the vocabulary and of compiled agreements. */
uint64_t src_fingerprint(const SourceFile *f);
#endif
