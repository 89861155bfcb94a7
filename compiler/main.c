/* main.c - the `accord` driver: the pipeline, one stage per call (style G2).
 *
 *   read -> parse -> check (-> IR) -> run examples
 *
 * Exit status (SPEC §10.3): 0 success; 1 errors in the input or failing
 * examples; 2 bad usage.  Internal errors abort (SIGABRT), never exit 1.
 */
#include "diag.h"
#include "driver.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ACCORD_VERSION "0.1.0"

static void usage(FILE *out) {
    fputs("usage: accord COMMAND [OPTIONS] FILE|DIR...\n"
          "\n"
          "commands:\n"
          "  check    parse and check agreements; print diagnostics (exit 0 clean, 1 errors)\n"
          "  test     run every example in the agreements with the reference interpreter\n"
          "           and print 'N passed, N failed' as the last line\n"
          "  version  print the version\n"
          "\n"
          "options:\n"
          "  --prelude FILE       use FILE as the standard vocabulary instead of the built-in one\n"
          "  --diag-format=FMT    'human' (default) or 'test' (error|file|line|col|message)\n"
          "  --dump-tokens        print the tokens of each file (check)\n"
          "  --dump-ast           print the syntax tree of each file (check)\n"
          "  --dump-ir            print the core IR of each agreement (check)\n"
          "  -v, --verbose        list passing examples too (test)\n"
          "  -h, --help           this help\n",
          out);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("accord %s\n", ACCORD_VERSION);
        return 0;
    }
    bool is_check = !strcmp(cmd, "check"), is_test = !strcmp(cmd, "test");
    if (!is_check && !is_test) {
        fprintf(stderr, "accord: unknown command '%s'\n", cmd);
        usage(stderr);
        return 2;
    }
    DriverOptions opt = {0};
    opt.dump_out = stdout;
    DiagFormat fmt = DIAG_FMT_HUMAN;
    bool verbose = false;
    const char **paths = calloc((size_t)argc, sizeof *paths);
    int npaths = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--prelude")) {
            if (i + 1 >= argc) { fputs("accord: --prelude needs a file\n", stderr); free(paths); return 2; }
            opt.prelude_path = argv[++i];
        } else if (!strncmp(a, "--prelude=", 10)) {
            opt.prelude_path = a + 10;
        } else if (!strcmp(a, "--diag-format=test")) {
            fmt = DIAG_FMT_TEST;
        } else if (!strcmp(a, "--diag-format=human")) {
            fmt = DIAG_FMT_HUMAN;
        } else if (!strcmp(a, "--dump-tokens")) {
            opt.dump_tokens = true;
        } else if (!strcmp(a, "--dump-ast")) {
            opt.dump_ast = true;
        } else if (!strcmp(a, "--dump-ir")) {
            opt.dump_ir = true;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            free(paths);
            return 0;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "accord: unknown option '%s'\n", a);
            free(paths);
            return 2;
        } else {
            paths[npaths++] = a;
        }
    }
    if (!npaths) {
        fprintf(stderr, "accord %s: no files given\n", cmd);
        free(paths);
        return 2;
    }
    Compilation cx;
    cx_init(&cx);
    Loaded l;
    bool usable = drv_load(&cx, paths, npaths, &opt, &l);
    free(paths);
    diag_render(&cx, stderr, fmt, fmt == DIAG_FMT_HUMAN && isatty(2));
    int status = diag_error_count(&cx) ? 1 : 0;
    if (!usable) status = 2;
    if (is_test && usable) {
        unsigned passed = 0, failed = 0;
        drv_run_examples(&l, stdout, verbose, &passed, &failed);
        failed += l.broken_examples;
        if (l.broken.len)
            printf("%zu file%s with errors: %u example%s not run, counted as failed\n", l.broken.len,
                   l.broken.len == 1 ? "" : "s", l.broken_examples, l.broken_examples == 1 ? "" : "s");
        printf("%u passed, %u failed\n", passed, failed);
        if (failed) status = 1;
    }
    fflush(stdout);
    cx_free(&cx);
    return status;
}
