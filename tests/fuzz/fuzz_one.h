/* fuzz_one.h - one input through parse -> check -> examples -> rendering, the
 * body shared by the libFuzzer target (tests/fuzz/fuzz_check.c) and the
 * in-process fuzz loop of the unit tests (tests/unit/test_fuzz.c).  Returns
 * false when a file that did not parse has no diagnostic (and is not blank):
 * every rejection must say why.  Header-only so that the library carries no
 * test code. */
#ifndef ACCORD_FUZZ_ONE_H
#define ACCORD_FUZZ_ONE_H
#include "diag.h"
#include "driver.h"
#include <stdio.h>

AstFile *parse_file(Compilation *cx, uint32_t file);

static inline bool fuzz_one(const char *text, size_t len) {
    Compilation cx;
    cx_init(&cx);
    int pid = src_add_text(&cx, "prelude", (const char *)accord_prelude_text, accord_prelude_len);
    IrVocabulary *voc = chk_vocabulary(&cx, parse_file(&cx, (uint32_t)pid));
    int id = src_add_text(&cx, "fuzz.accord", text, len);
    AstFile *f = parse_file(&cx, (uint32_t)id);
    bool ok = true;
    if (f && f->kind == FILE_AGREEMENT && diag_error_count(&cx) == 0) {
        IrAgreement *ag = chk_agreement(&cx, voc, f, NULL, 0);
        if (diag_error_count(&cx) == 0) {
            Loaded l = {0};
            l.cx = &cx;
            ptrvec_push(&cx.arena, &l.agreements, ag);
            FILE *devnull = fopen("/dev/null", "w");
            unsigned p, q;
            drv_run_examples(&l, devnull, false, false, &p, &q);
            fclose(devnull);
        }
    } else if (!f) {
        bool blank = true;
        for (size_t i = 0; i < len; i++)
            if (text[i] != ' ' && text[i] != '\n') blank = false;
        ok = blank || diag_error_count(&cx) > 0;
    }
    /* render everything: the renderer must cope with every span produced */
    FILE *devnull = fopen("/dev/null", "w");
    diag_render(&cx, devnull, DIAG_FMT_HUMAN, false);
    diag_render(&cx, devnull, DIAG_FMT_TEST, false);
    fclose(devnull);
    cx_free(&cx);
    return ok;
}
#endif
