/* compilation.h - the context passed through every stage (style G6, habit 3).
 *
 * A Compilation owns: the arena (every AST/IR node and string), the loaded
 * source files, and the diagnostics list.  There is no global state in the
 * compiler, so several compilations can live in one process (the conflict
 * checker compiles several agreements side by side).
 */
#ifndef ACCORD_COMPILATION_H
#define ACCORD_COMPILATION_H
#include "arena.h"
#include "source.h"

#define ACCORD_VERSION "0.1.0"

typedef struct Diag Diag;

typedef struct Compilation {
    Arena arena;
    SourceFile **files;
    uint32_t nfiles, capfiles;
    Diag *diags;          /* recorded diagnostics, in order */
    size_t ndiags, capdiags;
    unsigned nerrors;     /* errors recorded, including those past the cap */
    unsigned max_errors;  /* cap on errors per compilation (SPEC §10.2) */
    bool too_many_reported;
    int depth_limit;      /* maximum syntactic nesting (SPEC §2.6) */
    void *scanner;        /* flex scanner while parsing */
    uint32_t cur_file;    /* file being parsed */
    int nesting;          /* current nesting depth while parsing */
    uint32_t lex_offset;  /* byte offset of the lexer in cur_file */
    bool parse_fatal;     /* nesting limit hit, or the lexer ended the input on an error */
    uint32_t comment_start; /* offset of the open block comment */
    uint32_t ntokens;     /* tokens read from the file being parsed */
    void *parse_result;   /* AstFile* produced by the parser */
} Compilation;

void cx_init(Compilation *cx);
void cx_free(Compilation *cx);
#endif
