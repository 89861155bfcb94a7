/* source.c - loading files and mapping offsets to lines; see source.h. */
#include "source.h"
#include "compilation.h"
#include "diag.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cx_init(Compilation *cx) {
    memset(cx, 0, sizeof *cx);
#ifdef TEST_LIMITS
    cx->max_errors = 5;
    cx->depth_limit = 40;
#else
    cx->max_errors = 50;
    cx->depth_limit = 200;
#endif
}

void cx_free(Compilation *cx) {
    free(cx->files);
    free(cx->diags);
    arena_free_all(&cx->arena);
    memset(cx, 0, sizeof *cx);
}

int src_add_text(Compilation *cx, const char *path, const char *text, size_t len) {
    SourceFile *f = arena_alloc(&cx->arena, sizeof *f);
    f->path = arena_strdup(&cx->arena, path);
    char *t = arena_alloc(&cx->arena, len + 1);
    memcpy(t, text, len);
    t[len] = 0;
    f->text = t;
    f->len = (uint32_t)len;
    uint32_t n = 1;
    for (size_t i = 0; i < len; i++)
        if (t[i] == '\n') n++;
    f->line_starts = arena_alloc(&cx->arena, n * sizeof *f->line_starts);
    f->line_starts[0] = 0;
    uint32_t k = 1;
    for (size_t i = 0; i < len; i++)
        if (t[i] == '\n') f->line_starts[k++] = (uint32_t)i + 1;
    f->nlines = n;
    if (cx->nfiles == cx->capfiles) {
        cx->capfiles = cx->capfiles ? cx->capfiles * 2 : 8;
        cx->files = xrealloc(cx->files, cx->capfiles * sizeof *cx->files);
    }
    cx->files[cx->nfiles] = f;
    return (int)cx->nfiles++;
}

int src_load_file(Compilation *cx, const char *path) {
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!fp) {
        diag_error_nospan(cx, "cannot open '%s': %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, len = 0;
    char *buf = xmalloc(cap);
    /* read at most one byte past the limit: enough to know it is exceeded */
    for (;;) {
        if (len == cap) {
            if (cap > SRC_MAX_BYTES) break;
            cap = cap * 2 > SRC_MAX_BYTES ? SRC_MAX_BYTES + 1 : cap * 2;
            buf = xrealloc(buf, cap);
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0) break;
    }
    bool err = ferror(fp);
    if (fp != stdin) fclose(fp);
    if (err) {
        free(buf);
        diag_error_nospan(cx, "cannot read '%s'", path);
        return -1;
    }
    if (len > SRC_MAX_BYTES) {
        free(buf);
        diag_error_nospan(cx, "'%s' is larger than %u bytes; an agreement file must be smaller (SPEC §2.1)",
                          path, SRC_MAX_BYTES);
        return -1;
    }
    int id = src_add_text(cx, path, buf, len);
    free(buf);
    return id;
}

const SourceFile *src_file(const Compilation *cx, uint32_t file) {
    return file < cx->nfiles ? cx->files[file] : NULL;
}

void src_linecol(const SourceFile *f, uint32_t offset, uint32_t *line, uint32_t *col) {
    if (offset > f->len) offset = f->len;
    uint32_t lo = 0, hi = f->nlines;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->line_starts[mid] <= offset) lo = mid; else hi = mid;
    }
    *line = lo + 1;
    *col = offset - f->line_starts[lo] + 1;
}

Span span_join(Span a, Span b) {
    Span s = a;
    if (b.file == a.file) {
        if (b.start < s.start) s.start = b.start;
        if (b.end > s.end) s.end = b.end;
    }
    return s;
}

uint64_t src_fingerprint(const SourceFile *f) {
    uint64_t h = 1469598103934665603ull;
    for (uint32_t i = 0; f && i < f->len; i++) h = (h ^ (unsigned char)f->text[i]) * 1099511628211ull;
    return h;
}
