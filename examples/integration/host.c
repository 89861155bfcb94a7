/* host.c - a program as an institution would write it: it links the
 * evaluator compiled from the Philippines-Germany agreement
 * (`accord build`) and libaccord, fills a case for a posted worker and
 * prints the decision with the article that decides it.
 *
 *   host                      the built-in case, as a C struct (accord_vocab.h, ph_de.h)
 *   host --load MODULE.so CASE.json [QUESTION]
 *                             any compiled agreement loaded at run time, any case as JSON
 *
 * Build: see run.sh (cc host.c ph_de.o $(pkg-config --cflags --libs accord)). */
#include "accord.h"
#include "accord_vocab.h"
#include "ph_de.h"
#include <stdlib.h>
#include <string.h>

static acc_cdate day(int y, int m, int d) { return acc_cdate_from(acc_date_from_ymd(y, m, d)); }

/* Print one answer: the value (or why there is none) and its articles. */
static void print_answer(const acc_module *m, const acc_question_desc *q, const acc_result *r) {
    char text[512], cite[256];
    acc_result_text(m, q, r, text, sizeof text);
    acc_result_citation(m, r, cite, sizeof cite);
    printf("%s: %s: %s%s%s%s\n", q->name, acc_outcome_name(r->kind), text, cite[0] ? " (" : "", cite,
           cite[0] ? ")" : "");
}

/* A Filipino employee posted by his Manila employer to Germany for two years. */
static int decide_struct(void) {
    char err[512];
    /* the linked evaluator must match the headers this program was compiled with */
    if (!acc_check(&accord_module_ph_de, ACCV_VOCAB_HASH, "ph_de (linked)", err, sizeof err)) {
        fprintf(stderr, "host: %s\n", err);
        return 1;
    }
    int ph = acc_country_lookup("PH", 2), de = acc_country_lookup("DE", 2);
    accv_activity work;
    memset(&work, 0, sizeof work);
    work.state = (accv_country)de;
    work.kind = ACCV_ACTIVITY_KIND_EMPLOYED;
    work.employer_seat = (accv_country)ph;
    work.posted = true;
    work.posting.sending_state = (accv_country)ph;
    work.posting.start = day(2024, 1, 1);
    work.posting.anticipated_end = day(2025, 12, 31);
    work.posting.months_insured_before = 12;
    work.posting.employer_substantial_activity = true;

    accv_case c;
    memset(&c, 0, sizeof c); /* every fact not set is missing (SPEC §7.2) */
    c.date = day(2024, 3, 1);
    c.person.nationalities.bits[ph >> 6] |= (uint64_t)1 << (ph & 63);
    c.person.residence = (accv_country)ph;
    c.activities.items = &work;
    c.activities.n = 1;

    acc_result r;
    ph_de_applicable_legislation(&c, &r);
    printf("agreement %s (%s), in force %s\n", accord_module_ph_de.agreement_id, accord_module_ph_de.title,
           accord_module_ph_de.in_force);
    print_answer(&accord_module_ph_de, &accord_module_ph_de.questions[0], &r);
    /* the same question with its trace, as `accord explain` shows it */
    acc_trace t;
    memset(&t, 0, sizeof t);
    ph_de_applicable_legislation_traced(&c, &r, &t);
    acc_trace_print(&accord_module_ph_de, &t, stdout);
    acc_trace_free(&t);
    return r.kind == ACC_DECIDED ? 0 : 1;
}

static char *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t k;
    while (buf && (k = fread(buf + len, 1, cap - len, f)) > 0) {
        len += k;
        if (len == cap) {
            char *b2 = realloc(buf, cap *= 2);
            if (!b2) { free(buf); buf = NULL; }
            buf = b2;
        }
    }
    fclose(f);
    *n = len;
    return buf;
}

/* Load a compiled agreement by path and decide a JSON case (SPEC §12.1). */
static int decide_json(const char *module, const char *case_path, const char *question) {
    char err[512];
    /* the case is read through the module's own descriptors, so any
     * vocabulary will do; only the ABI version must match */
    const acc_module *m = acc_load(module, NULL, err, sizeof err);
    if (!m) {
        fprintf(stderr, "host: %s\n", err);
        return 1;
    }
    size_t n;
    char *text = slurp(case_path, &n);
    int status = 1;
    if (!text) {
        fprintf(stderr, "host: cannot read %s\n", case_path);
    } else {
        void *kase = acc_case_from_json(m, text, n, err, sizeof err);
        const acc_question_desc *q = acc_question(m, question);
        if (!kase) fprintf(stderr, "host: %s: %s\n", case_path, err);
        else if (!q) fprintf(stderr, "host: %s has no question %s\n", module, question);
        else if (q->nparams) fprintf(stderr, "host: %s takes arguments; ask a question without\n", question);
        else {
            acc_result r;
            acc_ask(m, q, kase, NULL, &r);
            printf("case %s under %s: ", acc_case_id(kase), m->agreement_id);
            print_answer(m, q, &r);
            status = r.kind == ACC_DECIDED ? 0 : 1;
        }
        acc_case_free(kase);
        free(text);
    }
    acc_unload(m);
    return status;
}

int main(int argc, char **argv) {
    if (argc == 1) return decide_struct();
    if ((argc == 4 || argc == 5) && !strcmp(argv[1], "--load"))
        return decide_json(argv[2], argv[3], argc == 5 ? argv[4] : "applicable_legislation");
    fprintf(stderr, "usage: host | host --load MODULE.so CASE.json [QUESTION]\n");
    return 2;
}
