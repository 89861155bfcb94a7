/* libFuzzer entry point: bytes -> parse -> check -> run examples.
 * `make fuzz` builds it with clang -fsanitize=fuzzer,address,undefined and
 * runs it over a corpus seeded from the shipped agreements and golden tests.
 * Nothing may crash; inputs are limited to 64 KiB to keep runs fast. */
#include "diag.h"
#include "driver.h"
#include <stdint.h>
#include <stdio.h>

AstFile *parse_file(Compilation *cx, uint32_t file);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 65536) return 0;
    Compilation cx;
    cx_init(&cx);
    int pid = src_add_text(&cx, "prelude", (const char *)accord_prelude_text, accord_prelude_len);
    IrVocabulary *voc = chk_vocabulary(&cx, parse_file(&cx, (uint32_t)pid));
    int id = src_add_text(&cx, "fuzz.accord", (const char *)data, size);
    AstFile *f = parse_file(&cx, (uint32_t)id);
    if (f && f->kind == FILE_AGREEMENT && diag_error_count(&cx) == 0) {
        IrAgreement *ag = chk_agreement(&cx, voc, f, NULL, 0);
        if (diag_error_count(&cx) == 0) {
            Loaded l = {0};
            l.cx = &cx;
            ptrvec_push(&cx.arena, &l.agreements, ag);
            FILE *devnull = fopen("/dev/null", "w");
            unsigned p, q;
            drv_run_examples(&l, devnull, false, &p, &q);
            fclose(devnull);
        }
    }
    FILE *devnull = fopen("/dev/null", "w");
    diag_render(&cx, devnull, DIAG_FMT_HUMAN, false);
    fclose(devnull);
    cx_free(&cx);
    return 0;
}
