/* peer_bench.c - the peer rule set decided by hand-written C and by the
 * reference interpreter on the same generated cases held in memory: both
 * must agree on every case (a differential test), and both are timed.
 * usage: peer_bench [N] [--check] [--max-activities=K] [--compact-only=R]
 * (N cases, default 1,000,000; --check: agreement only, no timing, for
 * `make test`).  Prints cases/s and the ratio.
 * Also the compiled evaluator (LLVM): single case, batch, and the columnar
 * entry point on the cases converted once to columns (the conversion timed
 * on its own, the fallbacks to the single-case path counted).
 * --max-activities=K (0..3, default 3): lists of 0..K activities, to see
 * what each list position costs the array code (bench/README.md).
 * --compact-only=R: after the differential checks, only the compact
 * columnar entry point, best of R passes in thread CPU time (ns a case):
 * the in-cache harness of bench/README.md's columnar sections. */
#include "driver.h"
#include "diag.h"
#include "interp.h"
#include "iso.h"
#include "accord_rt.h"
#include "peer_hand.h"
#include "native.h"
#include "bench_common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static int pick(int n) { return (int)(next() % (uint64_t)n); }

static int field(const IrRecord *r, const char *name) {
    for (int i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i].name, name)) return i;
    fprintf(stderr, "peer_bench: the vocabulary has no field %s.%s\n", r->name, name);
    exit(2);
}
static const IrRecord *rec_of(const IrRecord *r, int i) {
    const Type *t = r->fields[i].type;
    return t->kind == TY_LIST ? t->elem->rec : t->rec;
}
static int enum_ord(const IrRecord *r, const char *f, const char *c) {
    const IrEnum *en = r->fields[field(r, f)].type->en;
    for (int i = 0; i < en->n; i++)
        if (!strcmp(en->consts[i], c)) return i + 1;
    fprintf(stderr, "peer_bench: no constant %s\n", c);
    exit(2);
}

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
/* The hand-written C's timed loop, apart (noinline) like run_compiled
 * (bench_common.h), so that callgrind counts each alone. */
__attribute__((noinline)) static long run_hand(const PeerCase *pc, long n, int reps) {
    long sink = 0;
    for (int r = 0; r < reps; r++)
        for (long i = 0; i < n; i++) sink += peer_decide(&pc[i]);
    return sink;
}

/* --name=V, V an integer in lo..hi, into *out; false (after a message) when it is not */
static bool int_option(const char *arg, const char *name, long lo, long hi, int *out) {
    size_t len = strlen(name);
    char *end;
    long v = strtol(arg + len, &end, 10);
    if (*end || end == arg + len || v < lo || v > hi) {
        fprintf(stderr, "peer_bench: %.*s takes %ld to %ld, not '%s'\n", (int)len - 1, name, lo, hi, arg + len);
        return false;
    }
    *out = (int)v;
    return true;
}

int main(int argc, char **argv) {
    long n = 1000000;
    bool check_only = false;
    int max_act = PEER_MAX_ACT;
    int compact_only = 0; /* --compact-only=R: time the compact columnar entry point alone, R passes */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--check")) check_only = true;
        else if (!strncmp(argv[i], "--max-activities=", 17)) {
            if (!int_option(argv[i], "--max-activities=", 0, PEER_MAX_ACT, &max_act)) return 2;
        } else if (!strncmp(argv[i], "--compact-only=", 15)) {
            if (!int_option(argv[i], "--compact-only=", 1, 1000000, &compact_only)) return 2;
        } else n = atol(argv[i]);
    }
    Compilation cx;
    cx_init(&cx);
    const char *paths[] = {"bench/peer-rules.accord"};
    DriverOptions opt = {0};
    Loaded l;
    if (!drv_load(&cx, paths, 1, &opt, &l) || diag_error_count(&cx) || l.agreements.len != 1) {
        diag_render(&cx, stderr, DIAG_FMT_HUMAN, false);
        return 2;
    }
    const IrAgreement *ag = l.agreements.items[0];
    const IrQuestion *q = ir_question(ag, "applicable_legislation");
    const IrRecord *cr = l.voc->case_rec, *pr = rec_of(cr, field(cr, "person")), *ar = rec_of(cr, field(cr, "activities"));
    const IrRecord *po = rec_of(ar, field(ar, "posting"));
    /* the hand-written code's constants are the vocabulary's ordinals */
    if (enum_ord(ar, "kind", "civil_servant") != PEER_KIND_CIVIL_SERVANT || enum_ord(ar, "sector", "sea") != PEER_SECTOR_SEA) {
        fprintf(stderr, "peer_bench: peer_hand.h constants no longer match the vocabulary\n");
        return 2;
    }
    int f_date = field(cr, "date"), f_person = field(cr, "person"), f_acts = field(cr, "activities"),
        f_exc = field(cr, "exception_state"), f_unemp = field(cr, "unemployment_benefit_from"), f_res = field(pr, "residence"),
        a_state = field(ar, "state"), a_kind = field(ar, "kind"), a_sector = field(ar, "sector"),
        a_seat = field(ar, "employer_seat"), a_flag = field(ar, "flag_state"), a_share = field(ar, "share"),
        a_marg = field(ar, "marginal"), a_posted = field(ar, "posted"), a_posting = field(ar, "posting"),
        p_start = field(po, "start"), p_end = field(po, "anticipated_end"), p_ins = field(po, "months_insured_before");
    static const char *codes[] = {"AT", "BE", "DE", "ES", "FR", "IT", "NL", "PL", "PT", "SE"};
    int states[11] = {0};
    for (int i = 0; i < 10; i++) states[i + 1] = acc_country_lookup(codes[i], 2);
    PeerCase *pc = xcalloc((size_t)n, sizeof *pc);
    Value *vc = xcalloc((size_t)n, sizeof *vc);
    Arena A = {0};
    Type ct = {TY_RECORD, NULL, NULL, cr};
    acc_date base = acc_date_from_ymd(2024, 1, 1);
    for (long i = 0; i < n; i++) {
        PeerCase *c = &pc[i];
        c->exception_state = pick(20) == 0 ? (uint8_t)states[1 + pick(10)] : 0;
        c->unemployment_from = pick(20) == 0 ? (uint8_t)states[1 + pick(10)] : 0;
        c->residence = (uint8_t)states[pick(11)];
        c->nact = (uint8_t)pick(max_act + 1);
        for (int k = 0; k < c->nact; k++) {
            PeerActivity *a = &c->act[k];
            a->state = (uint8_t)states[pick(11)];
            a->kind = (uint8_t)(pick(12) == 0 ? PEER_KIND_CIVIL_SERVANT : 1 + pick(2));
            a->sector = (uint8_t)(pick(10) == 0 ? PEER_SECTOR_SEA : 1);
            a->seat = (uint8_t)states[pick(11)];
            a->flag = (uint8_t)states[pick(11)];
            a->share_pct = (uint8_t)(pick(3) == 0 ? 24 + pick(3) : pick(101)); /* 24, 25, 26 often */
            a->marginal = pick(10) == 0;
            a->posted = pick(3) == 0;
            a->start = base + pick(365);
            int months = 20 + pick(8); /* 24 and 25 around the limit */
            acc_date end;
            acc_date_add_months(a->start, months, &end);
            a->end = end - pick(2);
            a->insured_before = pick(3);
        }
        /* the same case as a Value of the vocabulary's `case` record */
        Value v = value_default(&A, &ct);
        v.agg.items[f_date].i = base;
        v.agg.items[f_exc].i = c->exception_state;
        v.agg.items[f_unemp].i = c->unemployment_from;
        v.agg.items[f_person].agg.items[f_res].i = c->residence;
        Value *list = &v.agg.items[f_acts];
        list->agg.n = c->nact;
        list->agg.items = arena_alloc(&A, sizeof(Value) * (c->nact + 1u));
        Type at = {TY_RECORD, NULL, NULL, ar};
        for (int k = 0; k < c->nact; k++) {
            const PeerActivity *a = &c->act[k];
            Value av = value_default(&A, &at);
            av.agg.items[a_state].i = a->state;
            av.agg.items[a_kind].i = a->kind;
            av.agg.items[a_sector].i = a->sector;
            av.agg.items[a_seat].i = a->seat;
            av.agg.items[a_flag].i = a->flag;
            av.agg.items[a_share].q = (Rat){a->share_pct, 100};
            rat_make(a->share_pct, 100, &av.agg.items[a_share].q);
            av.agg.items[a_marg].b = a->marginal;
            av.agg.items[a_posted].b = a->posted;
            Value *p = &av.agg.items[a_posting];
            p->agg.items[p_start].i = a->start;
            p->agg.items[p_end].i = a->end;
            p->agg.items[p_ins].i = a->insured_before;
            list->agg.items[k] = av;
        }
        vc[i] = v;
    }
    /* the differential check: the interpreter is the oracle, the C must agree */
    Interp *in = interp_new(ag);
    long mismatches = 0;
    for (long i = 0; i < n; i++) {
        Outcome o = interp_ask(in, &vc[i], q, NULL);
        int want = peer_decide(&pc[i]);
        if (o.kind != OUT_DECIDED || o.value.i != want) {
            if (mismatches++ < 5) {
                char cb[64];
                outcome_cites(&o, cb, sizeof cb);
                fprintf(stderr, "mismatch on case %ld: C says %s, interpreter says %s %s (%s)\n", i,
                        acc_country_code(want), ir_outcome_name(o.kind), o.kind == OUT_DECIDED ? acc_country_code((int)o.value.i) : "",
                        cb);
            }
        }
    }
    printf("peer rule set: %ld cases, %ld mismatches between the interpreter and hand-written C\n", n, mismatches);
    /* the compiled evaluator (LLVM, in process): it must agree too */
    char err[512];
    Layout *lay = layout_new(l.voc, &cx.arena);
    Native *nat = native_new_columnar(ag, lay, &cx, err, sizeof err);
    if (!nat) {
        fprintf(stderr, "peer_bench: %s\n", err);
        return 2;
    }
    const acc_module *m = native_module(nat);
    acc_ask_fn ask = m->questions[q->id].ask;
    void **packed = xmalloc(sizeof *packed * (size_t)n);
    long cmismatches = 0;
    for (long i = 0; i < n; i++) {
        packed[i] = native_pack(nat, &vc[i], &A);
        acc_result r;
        ask(packed[i], NULL, &r);
        int want = peer_decide(&pc[i]);
        if (r.kind != ACC_DECIDED || r.value.i != want) {
            if (cmismatches++ < 5)
                fprintf(stderr, "mismatch on case %ld: C says %s, compiled code says %s %s\n", i, acc_country_code(want),
                        ir_outcome_name((OutcomeKind)r.kind), r.kind == ACC_DECIDED ? acc_country_code((int)r.value.i) : "");
        }
    }
    printf("peer rule set: %ld cases, %ld mismatches between compiled code and hand-written C\n", n, cmismatches);
    mismatches += cmismatches;
    /* the columnar entry point on the same cases (converted once to columns) */
    size_t csz = m->records[m->case_record].size;
    char *flat = xmalloc(csz * (size_t)n + 1);
    for (long i = 0; i < n; i++) memcpy(flat + csz * (size_t)i, packed[i], csz);
    const acc_columnar *cz = native_columnar(nat);
    double t_conv = now();
    acc_columns *cols = acc_columns_from_cases(cz, flat, csz, (size_t)n);
    double conversion = now() - t_conv;
    if (!cols) {
        fprintf(stderr, "peer_bench: out of memory converting to columns\n");
        return 2;
    }
    acc_columns_fn colfn = cz->questions[q->id];
    /* 64-byte aligned, as a host would for the columnar entry point's
     * non-temporal vector stores (runtime/accord.h) */
    acc_decision *dec = aligned_alloc(64, (sizeof *dec * (size_t)n + 64) & ~(size_t)63);
    if (!dec) {
        fprintf(stderr, "peer_bench: out of memory\n");
        return 2;
    }
    {
        unsigned long long fb0 = acc_columns_fallback_count();
        colfn(cols->cols, (size_t)n, NULL, dec);
        long colmismatches = 0;
        for (long i = 0; i < n; i++)
            if (dec[i].kind != ACC_DECIDED || dec[i].value.i != peer_decide(&pc[i])) {
                if (colmismatches++ < 5)
                    fprintf(stderr, "columnar mismatch on case %ld: %s %s vs C %s\n", i, acc_outcome_name(dec[i].kind),
                            acc_country_code((int)dec[i].value.i), acc_country_code(peer_decide(&pc[i])));
            }
        printf("peer rule set: %ld cases, %ld mismatches between the columnar entry point and hand-written C (%llu by the "
               "single-case path)\n",
               n, colmismatches, acc_columns_fallback_count() - fb0);
        mismatches += colmismatches;
    }
    /* the compact columnar entry point (a country: one byte per value; the rule) */
    acc_columns_compact_fn compact = cz->compact[q->id];
    uint8_t *cval = xmalloc((size_t)n + 1);
    int32_t *crule = xmalloc(sizeof *crule * ((size_t)n + 1));
    if (!compact || cz->compact_width[q->id] != 1) {
        fprintf(stderr, "peer_bench: no compact entry point of one-byte values\n");
        return 2;
    }
    {
        compact(cols->cols, (size_t)n, NULL, cval, crule);
        long cm = 0;
        for (long i = 0; i < n; i++)
            if (crule[i] != dec[i].rule || cval[i] != peer_decide(&pc[i])) {
                if (cm++ < 5)
                    fprintf(stderr, "compact columnar mismatch on case %ld: rule %d %s vs rule %d, C %s\n", i, crule[i],
                            acc_country_code(cval[i]), dec[i].rule, acc_country_code(peer_decide(&pc[i])));
            }
        printf("peer rule set: %ld cases, %ld mismatches between the compact columnar entry point and hand-written C\n", n, cm);
        mismatches += cm;
    }
    if (compact_only > 0 && !check_only && !mismatches) {
        /* the compact entry point alone, best of R passes in thread CPU time
         * (callgrind: the difference between two values of R, per case) */
        double best = 1e30;
        for (int r = 0; r < compact_only; r++) {
            double c0 = cpu_now();
            compact(cols->cols, (size_t)n, NULL, cval, crule);
            double c1 = cpu_now();
            if (c1 - c0 < best) best = c1 - c0;
        }
        printf("compact columnar alone: %.2f ns a case (%.0f cases/s, thread CPU, best of %d passes)\n", best / (double)n * 1e9,
               n / best, compact_only);
    }
    if (!check_only && !mismatches && compact_only == 0) {
        volatile long sink = 0;
        int reps = 20;
        double t0 = now();
        sink += run_hand(pc, n, reps);
        double hand = (now() - t0) / reps;
        t0 = now();
        for (long i = 0; i < n; i++) sink += interp_ask(in, &vc[i], q, NULL).value.i;
        double interp = now() - t0;
        t0 = now();
        sink += run_compiled(ask, (const void *const *)packed, n, reps);
        double compiled = (now() - t0) / reps;
        /* the batch entry point: the cases side by side, compact answers */
        acc_batch_fn batch = m->questions[q->id].batch;
        t0 = now();
        for (int r = 0; r < reps; r++) {
            batch(flat, csz, (size_t)n, NULL, dec);
            sink += dec[n - 1].value.i;
        }
        double batched = (now() - t0) / reps;
        for (long i = 0; i < n; i++)
            if (dec[i].kind != ACC_DECIDED || dec[i].value.i != peer_decide(&pc[i])) {
                fprintf(stderr, "batch mismatch on case %ld\n", i);
                mismatches++;
                break;
            }
        /* the columnar entry point: the same cases converted once to columns
         * (not timed: a host loads its data in this layout) */
        unsigned long long fb0 = acc_columns_fallback_count();
        t0 = now();
        for (int r = 0; r < reps; r++) {
            colfn(cols->cols, (size_t)n, NULL, dec);
            sink += dec[n - 1].value.i;
        }
        double columnar = (now() - t0) / reps;
        unsigned long long fallbacks = (acc_columns_fallback_count() - fb0) / (unsigned long long)reps;
        /* the same on a loaded machine: interleaved, thread CPU time, the
         * best of 7 passes each (the other figures are wall-clock); the
         * compact entry point too */
        double best_hand = 1e30, best_col = 1e30, best_compact = 1e30;
        for (int r = 0; r < 7; r++) {
            double c0 = cpu_now();
            for (long i = 0; i < n; i++) sink += peer_decide(&pc[i]);
            double c1 = cpu_now();
            colfn(cols->cols, (size_t)n, NULL, dec);
            double c2 = cpu_now();
            compact(cols->cols, (size_t)n, NULL, cval, crule);
            double c3 = cpu_now();
            sink += dec[n - 1].value.i + cval[n - 1];
            if (c1 - c0 < best_hand) best_hand = c1 - c0;
            if (c2 - c1 < best_col) best_col = c2 - c1;
            if (c3 - c2 < best_compact) best_compact = c3 - c2;
        }
        for (long i = 0; i < n; i++)
            if (cval[i] != peer_decide(&pc[i])) {
                fprintf(stderr, "compact columnar mismatch on case %ld\n", i);
                mismatches++;
                break;
            }
        for (long i = 0; i < n; i++)
            if (dec[i].kind != ACC_DECIDED || dec[i].value.i != peer_decide(&pc[i])) {
                fprintf(stderr, "columnar mismatch on case %ld: %d %s vs C %s\n", i, dec[i].kind,
                        acc_country_code((int)dec[i].value.i), acc_country_code(peer_decide(&pc[i])));
                mismatches++;
                break;
            }
        /* the compiled single-case asks against the C the same way (thread
         * CPU time, interleaved, best of 7): the figure to read on a loaded
         * machine, where the wall-clock ratio below spreads */
        double best_hand1 = 1e30, best_comp = 1e30;
        for (int r = 0; r < 7; r++) {
            /* (not run_hand/run_compiled: callgrind counts those, 20 reps) */
            double c0 = cpu_now();
            for (long i = 0; i < n; i++) sink += peer_decide(&pc[i]);
            double c1 = cpu_now();
            for (long i = 0; i < n; i++) {
                acc_result res;
                ask(packed[i], NULL, &res);
                sink += res.value.i;
            }
            double c2 = cpu_now();
            if (c1 - c0 < best_hand1) best_hand1 = c1 - c0;
            if (c2 - c1 < best_comp) best_comp = c2 - c1;
        }
        printf("CPU time, interleaved: hand-written C %.0f, compiled single-case %.0f cases/s: compiled / C %.2f (time)\n",
               n / best_hand1, n / best_comp, best_comp / best_hand1);
        printf("compiled, columnar:    %12.0f cases/s (vectorised: %s; %llu of %ld cases by the single-case path)\n", n / columnar,
               cz->vectorised[q->id] == 2 ? "yes, 32-bit lanes" : cz->vectorised[q->id] ? "yes, 64-bit lanes" : "no", fallbacks, n);
        printf("conversion to columns: %12.0f cases/s (once, not timed above)\n", n / conversion);
        printf("CPU time, interleaved: hand-written C %.0f, columnar %.0f cases/s: columnar / C %.2f (time)\n", n / best_hand,
               n / best_col, best_col / best_hand);
        printf("CPU time, interleaved: hand-written C %.0f, columnar compact %.0f cases/s: compact / C %.2f (time)\n", n / best_hand,
               n / best_compact, best_compact / best_hand);
        printf("ratio columnar / C:          %.2f (time)\n", columnar / hand);
        (void)sink;
        printf("hand-written C:        %12.0f cases/s\n", n / hand);
        printf("compiled (LLVM JIT):   %12.0f cases/s\n", n / compiled);
        printf("compiled, batch entry: %12.0f cases/s\n", n / batched);
        printf("reference interpreter: %12.0f cases/s\n", n / interp);
        printf("ratio compiled / C:          %.2f (time)\n", compiled / hand);
        printf("ratio batch / C:             %.2f (time)\n", batched / hand);
        printf("ratio interpreter / compiled: %.0fx\n", interp / compiled);
    }
    acc_columns_free(cols);
    free(flat);
    free(dec);
    free(cval);
    free(crule);
    interp_free(in);
    native_free(nat);
    free(packed);
    free(pc);
    free(vc);
    arena_free_all(&A);
    cx_free(&cx);
    /* a last line in the form the test summary reads: one differential check */
    printf("%d passed, %d failed\n", mismatches ? 0 : 1, mismatches ? 1 : 0);
    return mismatches ? 1 : 0;
}
