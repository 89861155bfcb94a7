/* load.c - tests/run_cabi.sh's loader driver: acc_load PATH [EXPECTED_HASH]
 * [CASE.json QUESTION]; prints the refusal message, or the agreement loaded
 * and, with a case, the answer and its citation. */
#include "accord.h"
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: load MODULE.so [VOCAB_HASH|-] [CASE.json QUESTION]\n");
        return 2;
    }
    char err[512];
    const char *want = argc > 2 && strcmp(argv[2], "-") ? argv[2] : NULL;
    const acc_module *m = acc_load(argv[1], want, err, sizeof err);
    if (!m) {
        printf("refused: %s\n", err);
        return 1;
    }
    printf("loaded %s (vocabulary %s, ABI %u)\n", m->agreement_id, m->vocab_hash, m->abi_version);
    int status = 0;
    if (argc > 4) {
        FILE *f = fopen(argv[3], "rb");
        char text[65536];
        size_t n = f ? fread(text, 1, sizeof text, f) : 0;
        if (f) fclose(f);
        void *kase = acc_case_from_json(m, text, n, err, sizeof err);
        const acc_question_desc *q = acc_question(m, argv[4]);
        if (!kase) {
            printf("bad case: %s\n", err);
            status = 1;
        } else if (!q) {
            printf("no question %s\n", argv[4]);
            status = 1;
        } else {
            acc_result r;
            char v[256], c[256];
            acc_ask(m, q, kase, NULL, &r);
            printf("%s: %s: %s [%s]\n", q->name, acc_outcome_name(r.kind), acc_result_text(m, q, &r, v, sizeof v),
                   acc_result_citation(m, &r, c, sizeof c));
        }
        acc_case_free(kase);
    }
    acc_unload(m);
    return status;
}
