/* driver.h - loading a set of agreement files into checked IR.
 *
 * Consumes: paths given on the command line (files, or directories searched
 * recursively for *.accord), and the prelude (embedded at build time from
 * agreements/std/prelude.accord, or a file given with --prelude).
 * Produces: in one Compilation, the checked vocabulary and one IrAgreement
 * per agreement file, with stand-alone protocol files attached to the
 * agreement they amend.  All diagnostics go to the Compilation.
 * Never: evaluates anything (see interp.h) or exits the process.
 */
#ifndef ACCORD_DRIVER_H
#define ACCORD_DRIVER_H
#include "check.h"

typedef struct Loaded {
    Compilation *cx;
    IrVocabulary *voc;
    PtrVec agreements;    /* IrAgreement* that checked without errors */
    PtrVec broken;        /* const char* paths of files with errors */
    unsigned broken_examples; /* examples in broken files (counted as failed by `test`) */
    int nfiles;
} Loaded;

typedef struct DriverOptions {
    const char *prelude_path; /* NULL: the embedded prelude */
    bool dump_tokens, dump_ast, dump_ir;
    FILE *dump_out;
} DriverOptions;

/* Load and check the vocabulary alone (the embedded prelude, or
 * opt->prelude_path): false if the file cannot be read; *voc is NULL when
 * it could not be parsed; check diag_error_count for errors. */
bool drv_load_vocabulary(Compilation *cx, const DriverOptions *opt, IrVocabulary **voc);

/* Returns false on a usage problem (no .accord file found, unreadable
 * directory); the reason is recorded as a diagnostic. */
bool drv_load(Compilation *cx, const char **paths, int npaths, const DriverOptions *opt, Loaded *out);

/* Run every example of every agreement, with compiled code (SPEC §14) or
 * the reference interpreter; print failures to `out` and return the counts. */
void drv_run_examples(const Loaded *l, FILE *out, bool verbose, bool compiled, unsigned *passed, unsigned *failed);

extern const unsigned char accord_prelude_text[];
extern const unsigned int accord_prelude_len;
#endif
