/* main.c - the `accord` driver: the pipeline, one stage per call (style G2).
 *
 *   read -> parse -> check (-> IR) -> run examples
 *
 * Exit status (SPEC §10.3): 0 success; 1 errors in the input or failing
 * examples; 2 bad usage.  Internal errors abort (SIGABRT), never exit 1.
 */
#include "cheader.h"
#include "diag.h"
#include "checker.h"
#include "driver.h"
#include "eval.h"
#include "gaps.h"
#include "gencases.h"
#include "crosscheck.h"
#include "codegen.h"
#include "compilation.h"
#include "iso.h"
#include "report.h"
#include "accord_rt.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>


static void usage(FILE *out) {
    fputs("usage: accord COMMAND [OPTIONS] FILE|DIR...\n"
          "\n"
          "commands:\n"
          "  check    parse and check agreements; print diagnostics (exit 0 clean, 1 errors)\n"
          "  test     run every example in the agreements (compiled code; --interp: the interpreter)\n"
          "           and print 'N passed, N failed' as the last line\n"
          "  eval     decide a file of cases: accord eval AGREEMENTS... --cases FILE|-\n"
          "  explain  explain one case: accord explain AGREEMENTS... CASE.json, or --cases FILE --id ID\n"
          "  library  list the agreements as a Markdown table (parties, dates, branches, counts)\n"
          "  gen      generate cases around the agreements' boundary values: accord gen AGREEMENTS... [-n N] [--seed S]\n"
          "  gaps     corridors, careers and persons no agreement covers: accord gaps AGREEMENTS... [--states LIST]\n"
          "           or where agreements fall below a standard: accord gaps --against STANDARD.accord AGREEMENT...\n"
          "  report   an HTML report of the library: accord report AGREEMENTS... -o report.html [--findings FILE]\n"
          "           or of two agreements: accord report --diff A B [AGREEMENTS...] -o diff.html [--findings FILE]\n"
          "  build    compile one agreement to native code: accord build AGREEMENT.accord [-o libNAME.so]\n"
          "           [-c | -S | --emit-llvm] [-O0|-O2|-O3] [--cpu=native] [--no-trace] [--columnar] [--agreement ID]\n"
          "  header   write a C header: accord header [-o FILE] (the vocabulary, accord_vocab.h),\n"
          "           or accord header AGREEMENT [-o FILE] (its compiled evaluator's entry points)\n"
          "  crosscheck  compiled code against the interpreter on generated cases:\n"
          "           accord crosscheck AGREEMENTS... [-n N] [--seed S] [-j N] [--trace-every N]\n"
          "  conflicts  conflicts, gaps, dead rules, unequal treatment, conflicts between agreements:\n"
          "           accord conflicts FILE|DIR... [--format text|json] [--question Q] [--budget N] [--no-z3] [--thorough] [--one-worker] (exit 1 on unacknowledged findings)\n"
          "  diff     every region where two agreements answer differently: accord diff A.accord B.accord [--question Q]\n"
          "  version  print the version\n"
          "\n"
          "options:\n"
          "  --prelude FILE       use FILE as the standard vocabulary instead of the built-in one\n"
          "  --diag-format=FMT    'human' (default) or 'test' (error|file|line|col|message)\n"
          "  --dump-tokens        print the tokens of each file (check)\n"
          "  --dump-ast           print the syntax tree of each file (check)\n"
          "  --dump-ir            print the core IR of each agreement (check)\n"
          "  -v, --verbose        list passing examples too (test)\n"
          "  --cases FILE|-       cases as JSON Lines (eval, explain)\n"
          "  --cases-csv FILE     cases as CSV, one activity per row (eval; SPEC §12.3)\n"
          "  --periods-csv FILE   insurance periods as CSV keyed by case id (with --cases-csv)\n"
          "  -o FILE              write the output to FILE (eval, gen, report, build, header)\n"
          "  --format FMT         eval: json (JSON Lines, default) or csv; explain: text (default), json or html\n"
          "  --findings FILE      report: checker findings as JSON ({\"findings\": [...]}, SPEC §13.2)\n"
          "  -j N                 threads (eval; default: the number of cores)\n"
          "  --question Q         ask Q only, e.g. applicable_legislation or 'benefit(DE,old_age)'; repeatable\n"
          "  --branch B           ask branch questions for branch B only; repeatable\n"
          "  --id ID              the case to explain (with --cases)\n"
          "  --states LIST        gaps: only these states, e.g. PH,DE,BE,IN\n"
          "  --progress           a progress line on stderr (eval; default when stderr is a terminal)\n"
          "  --interp             decide with the reference interpreter (eval, test; explain's default)\n"
          "  --compiled           decide with compiled code (explain; eval's and test's default)\n"
          "  -h, --help           this help\n",
          out);
}

/* Load and check the agreements for a command that uses them (eval,
 * explain, gen): diagnostics to stderr; returns 0 when every file checked,
 * else the exit status (1 errors in the input, 2 bad usage), with cx freed. */
static int load_clean(Compilation *cx, const char **paths, int npaths, const DriverOptions *opt, Loaded *l,
                      const char *cmd) {
    cx_init(cx);
    bool usable = drv_load(cx, paths, npaths, opt, l);
    diag_render(cx, stderr, DIAG_FMT_HUMAN, isatty(2));
    if (usable && !diag_error_count(cx)) return 0;
    /* deciding or generating cases with an agreement that has errors would mislead */
    fprintf(stderr, "accord %s: the agreements have errors; %s\n", cmd,
            !strcmp(cmd, "gen") ? "no case is generated"
            : !strcmp(cmd, "header") ? "no header is written"
            : !strcmp(cmd, "report") || !strcmp(cmd, "gaps") ? "nothing is analysed" : "no case is decided");
    cx_free(cx);
    return usable ? 1 : 2;
}

/* "benefit(DE, old_age)" -> name and argument texts */
static bool parse_qspec(char *text, QSpec *q) {
    memset(q, 0, sizeof *q);
    char *p = strchr(text, '(');
    q->name = text;
    if (!p) return true;
    char *end = strrchr(text, ')');
    if (!end || end[1]) return false;
    *p = 0;
    *end = 0;
    for (char *t = strtok(p + 1, ", "); t; t = strtok(NULL, ", ")) {
        if (q->nargs == 8) return false;
        q->argtext[q->nargs++] = t;
    }
    return q->nargs > 0;
}

static bool has_suffix(const char *s, const char *suf) {
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

/* accord eval / accord explain (SPEC §10.1, §12) */
static int cmd_eval(int argc, char **argv, bool explain) {
    const char *cases = NULL, *cases_csv = NULL, *periods_csv = NULL, *outpath = NULL, *format = NULL, *want_id = NULL;
    const char *case_file = NULL;
    EvalOptions eo;
    memset(&eo, 0, sizeof eo);
    eo.branches.kind = TY_SET;
    eo.progress = isatty(2);
    /* eval decides with compiled code; explain, one case, with the interpreter
     * unless asked (compiling costs more than explaining) -- SPEC §14 */
    eo.interp = explain;
    DriverOptions opt = {0};
    opt.dump_out = stdout;
    const char **paths = calloc((size_t)argc, sizeof *paths);
    QSpec *qs = calloc((size_t)argc, sizeof *qs);
    const char **branch_names = calloc((size_t)argc, sizeof *branch_names);
    int npaths = 0, nbranches = 0, status = 0;
#define NEED_ARG()                                                              \
    do {                                                                        \
        if (i + 1 >= argc) {                                                    \
            fprintf(stderr, "accord %s: %s needs a value\n", argv[1], a);        \
            status = 2;                                                         \
            goto out;                                                           \
        }                                                                       \
    } while (0)
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--cases")) { NEED_ARG(); cases = argv[++i]; }
        else if (!strcmp(a, "--cases-csv")) { NEED_ARG(); cases_csv = argv[++i]; }
        else if (!strcmp(a, "--periods-csv")) { NEED_ARG(); periods_csv = argv[++i]; }
        else if (!strcmp(a, "-o")) { NEED_ARG(); outpath = argv[++i]; }
        else if (!strcmp(a, "--format")) { NEED_ARG(); format = argv[++i]; }
        else if (!strcmp(a, "--id")) { NEED_ARG(); want_id = argv[++i]; }
        else if (!strcmp(a, "--prelude")) { NEED_ARG(); opt.prelude_path = argv[++i]; }
        else if (!strcmp(a, "-j")) {
            NEED_ARG();
            char *end;
            long j = strtol(argv[++i], &end, 10);
            if (*end || j < 1 || j > 256) { fprintf(stderr, "accord eval: -j takes a number from 1 to 256\n"); status = 2; goto out; }
            eo.jobs = (int)j;
        } else if (!strcmp(a, "--question")) {
            NEED_ARG();
            char *text = argv[++i];
            char shown[256];
            snprintf(shown, sizeof shown, "%s", text); /* parse_qspec cuts the text up */
            if (!parse_qspec(text, &qs[eo.nquestions])) {
                fprintf(stderr, "accord: cannot read the question '%s' (e.g. applicable_legislation, 'benefit(DE,old_age)')\n", shown);
                status = 2;
                goto out;
            }
            eo.nquestions++;
        } else if (!strcmp(a, "--branch")) { NEED_ARG(); branch_names[nbranches++] = argv[++i]; }
        else if (!strcmp(a, "--progress")) eo.progress = true;
        else if (!strcmp(a, "--no-progress")) eo.progress = false;
        else if (!strcmp(a, "--interp")) eo.interp = true;
        else if (!strcmp(a, "--compiled")) eo.interp = false;
        else if (a[0] == '-' && a[1]) { fprintf(stderr, "accord %s: unknown option '%s'\n", argv[1], a); status = 2; goto out; }
        else if (explain && has_suffix(a, ".json")) case_file = a;
        else paths[npaths++] = a;
    }
#undef NEED_ARG
    if (!npaths) { fprintf(stderr, "accord %s: no agreements given\n", argv[1]); status = 2; goto out; }
    if (explain ? !case_file && !(cases && want_id) : !cases && !cases_csv) {
        fprintf(stderr, explain ? "accord explain: give a CASE.json, or --cases FILE --id ID\n"
                                : "accord eval: give the cases with --cases FILE (JSON Lines) or --cases-csv FILE\n");
        status = 2;
        goto out;
    }
    bool json_out = false, html_out = false;
    if (format) {
        if (!strcmp(format, "csv") && !explain) eo.csv_out = true;
        else if (!strcmp(format, "json")) json_out = true;
        else if (!strcmp(format, "html") && explain) html_out = true;
        else if (!(explain && !strcmp(format, "text"))) {
            fprintf(stderr, "accord %s: unknown format '%s'\n", argv[1], format);
            status = 2;
            goto out;
        }
    }
    Compilation cx;
    Loaded l;
    if ((status = load_clean(&cx, paths, npaths, &opt, &l, argv[1])) != 0) goto out;
    for (int b = 0; b < nbranches; b++) {
        int o = 0;
        for (int k = 0; k < l.voc->branch->n; k++)
            if (!strcmp(l.voc->branch->consts[k], branch_names[b])) o = k + 1;
        if (!o) { fprintf(stderr, "accord: unknown branch '%s'\n", branch_names[b]); status = 2; cx_free(&cx); goto out; }
        set_add(&eo.branches, o);
    }
    eo.questions = qs;
    Engine *e = engine_new(&l, &eo);
    if (!e) { status = 2; cx_free(&cx); goto out; }
    if (explain) {
        /* the case: a JSON file (one object, any layout), or line --id of a JSON Lines file */
        json_error_t je;
        json_t *obj = NULL;
        if (case_file) {
            obj = json_load_file(case_file, JSON_REJECT_DUPLICATES, &je);
            if (!obj) fprintf(stderr, "%s:%d:%d: error: %s\n", case_file, je.line, je.column, je.text);
        } else {
            FILE *f = strcmp(cases, "-") ? fopen(cases, "rb") : stdin;
            if (!f) fprintf(stderr, "accord explain: cannot open '%s': %s\n", cases, strerror(errno));
            char *line = NULL;
            size_t cap = 0;
            ssize_t n;
            long lineno = 0;
            while (f && !obj && (n = getline(&line, &cap, f)) > 0) {
                lineno++;
                json_t *j = json_loadb(line, (size_t)n, 0, &je);
                json_t *jid = j ? json_object_get(j, "id") : NULL;
                char idb[64] = "";
                if (json_is_string(jid)) snprintf(idb, sizeof idb, "%s", json_string_value(jid));
                else if (json_is_integer(jid)) snprintf(idb, sizeof idb, "%" JSON_INTEGER_FORMAT, json_integer_value(jid));
                if (j && !strcmp(idb, want_id)) obj = j;
                else json_decref(j);
            }
            free(line);
            if (f && f != stdin) fclose(f);
            if (f && !obj) fprintf(stderr, "accord explain: no case with id '%s' in %s\n", want_id, cases);
        }
        Arena A = {0};
        Value kase;
        const char *id;
        CaseError err;
        if (!obj) status = 1;
        else if (!case_from_json(l.voc, &A, obj, &kase, &id, &err)) {
            fprintf(stderr, "accord explain: %s%s%s\n", err.path, err.path[0] ? ": " : "", err.message);
            status = 1;
        } else if (html_out) {
            json_t *doc = engine_explain_json(e, &kase, id);
            report_explain_html(doc, stdout);
            json_decref(doc);
        } else {
            status = engine_explain(e, &kase, id, json_out, stdout);
        }
        json_decref(obj);
        arena_free_all(&A);
    } else {
        FILE *in = NULL, *periods = NULL, *outf = stdout;
        const char *inpath = cases ? cases : cases_csv;
        in = strcmp(inpath, "-") ? fopen(inpath, "rb") : stdin;
        if (!in) { fprintf(stderr, "accord eval: cannot open '%s': %s\n", inpath, strerror(errno)); status = 2; }
        if (!status && periods_csv && !(periods = fopen(periods_csv, "rb"))) {
            fprintf(stderr, "accord eval: cannot open '%s': %s\n", periods_csv, strerror(errno));
            status = 2;
        }
        if (!status && outpath && !(outf = fopen(outpath, "wb"))) {
            fprintf(stderr, "accord eval: cannot write '%s': %s\n", outpath, strerror(errno));
            status = 2;
        }
        if (!status) {
            EvalStats st;
            status = engine_run(e, in, cases_csv != NULL, periods, outf, &st);
        }
        if (in && in != stdin) fclose(in);
        if (periods) fclose(periods);
        if (outf != stdout && outf && fclose(outf) != 0) {
            fprintf(stderr, "accord eval: cannot write '%s'\n", outpath);
            status = 2;
        }
    }
    engine_free(e);
    cx_free(&cx);
out:
    free(paths);
    free(qs);
    free(branch_names);
    return status;
}

/* cc -shared -o OUT OBJ, with the runtime's symbols left for libaccord to provide */
static bool link_shared(const char *obj, const char *out, char *err, size_t errlen) {
    const char *cc = getenv("CC") && *getenv("CC") ? getenv("CC") : "cc";
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot run %s: %s", cc, strerror(errno));
        return false;
    }
    if (pid == 0) {
        execlp(cc, cc, "-shared", "-o", out, obj, (char *)NULL);
        fprintf(stderr, "accord build: cannot run %s: %s\n", cc, strerror(errno));
        _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        snprintf(err, errlen, "linking %s with %s failed", out, cc);
        return false;
    }
    return true;
}
/* FNV-1a 64 of the agreement's source file, embedded in its evaluator */
static const char *source_hash(Compilation *cx, const IrAgreement *ag) {
    const SourceFile *found = NULL;
    for (uint32_t f = 0; f < cx->nfiles; f++) {
        const SourceFile *sf = src_file(cx, f);
        if (sf && !strcmp(sf->path, ag->path)) found = sf;
    }
    return arena_printf(&cx->arena, "%016llx", (unsigned long long)src_fingerprint(found));
}

/* accord build: an agreement compiled to a shared library, an object file or LLVM IR (SPEC §14) */
static int cmd_build(int argc, char **argv) {
    const char **paths = calloc((size_t)argc, sizeof *paths);
    int npaths = 0, status = 0, opt_level = 2;
    bool object = false, llvm_ir = false, assembly = false, native_cpu = false, no_trace = false, columnar = false;
    const char *outpath = NULL, *agreement = NULL;
    DriverOptions opt = {0};
    opt.dump_out = stdout;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if ((!strcmp(a, "-o") || !strcmp(a, "--prelude") || !strcmp(a, "--agreement")) && i + 1 >= argc) {
            fprintf(stderr, "accord build: %s needs a value\n", a);
            status = 2;
            goto out;
        }
        if (!strcmp(a, "-o")) outpath = argv[++i];
        else if (!strcmp(a, "--prelude")) opt.prelude_path = argv[++i];
        else if (!strcmp(a, "--agreement")) agreement = argv[++i];
        else if (!strcmp(a, "-c")) object = true;
        else if (!strcmp(a, "-S")) assembly = true;
        else if (!strcmp(a, "--emit-llvm")) llvm_ir = true;
        else if (!strcmp(a, "-O0")) opt_level = 0;
        else if (!strcmp(a, "-O2")) opt_level = 2;
        else if (!strcmp(a, "-O3")) opt_level = 3;
        else if (!strcmp(a, "--cpu=native")) native_cpu = true;
        else if (!strcmp(a, "--no-trace")) no_trace = true;
        else if (!strcmp(a, "--columnar")) columnar = true;
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "accord build: unknown option '%s'\n", a);
            status = 2;
            goto out;
        } else paths[npaths++] = a;
    }
    if (!npaths) { fprintf(stderr, "accord build: no agreement given\n"); status = 2; goto out; }
    if (object + llvm_ir + assembly > 1) {
        fprintf(stderr, "accord build: -c, -S and --emit-llvm exclude each other\n");
        status = 2;
        goto out;
    }
    Compilation cx;
    Loaded l;
    if ((status = load_clean(&cx, paths, npaths, &opt, &l, "build")) != 0) goto out;
    const IrAgreement *ag = NULL;
    for (size_t i = 0; i < l.agreements.len; i++) {
        const IrAgreement *x = l.agreements.items[i];
        if (agreement ? !strcmp(x->id, agreement) : l.agreements.len == 1) ag = x;
    }
    if (!ag) {
        if (agreement) fprintf(stderr, "accord build: no agreement '%s' among the files given\n", agreement);
        else fprintf(stderr, "accord build: %zu agreements given; name one with --agreement ID\n", l.agreements.len);
        status = 2;
        cx_free(&cx);
        goto out;
    }
    char defout[300];
    if (!outpath) {
        snprintf(defout, sizeof defout, "%s%s%s", object || llvm_ir || assembly ? "" : "lib", ag->id,
                 object ? ".o" : llvm_ir ? ".ll" : assembly ? ".s" : ".so");
        outpath = defout;
    }
    Layout *lay = layout_new(l.voc, &cx.arena);
    CgOptions co = {.opt_level = opt_level, .pic = true, .traced = !no_trace,
                    .shared_alias = !(object || llvm_ir || assembly), .host_cpu = native_cpu, .columnar = columnar, .source_hash = source_hash(&cx, ag), .cx = &cx};
    char err[1024];
    CgUnit *u = cg_compile(ag, lay, &co, err, sizeof err);
    if (!u) {
        fprintf(stderr, "accord build: %s\n", err);
        status = 2;
        cx_free(&cx);
        goto out;
    }
    bool ok;
    if (object || llvm_ir || assembly) {
        ok = cg_write(u, llvm_ir ? CG_LLVM_IR : assembly ? CG_ASSEMBLY : CG_OBJECT, outpath, err, sizeof err);
    } else {
        /* a shared library: the object file linked by the system's C compiler driver */
        char tmp[] = "/tmp/accord-build-XXXXXX";
        int fd = mkstemp(tmp);
        ok = fd >= 0;
        if (fd < 0) snprintf(err, sizeof err, "cannot create a temporary file: %s", strerror(errno));
        else close(fd);
        if (ok) ok = cg_write(u, CG_OBJECT, tmp, err, sizeof err);
        if (ok) ok = link_shared(tmp, outpath, err, sizeof err);
        if (fd >= 0) unlink(tmp);
    }
    if (!ok) {
        fprintf(stderr, "accord build: %s\n", err);
        status = 2;
    }
    cg_free(u);
    cx_free(&cx);
out:
    free(paths);
    return status;
}

/* accord crosscheck: compiled code against the interpreter on generated cases */
static int cmd_crosscheck(int argc, char **argv) {
    const char **paths = calloc((size_t)argc, sizeof *paths);
    int npaths = 0, status = 0;
    CrossOptions co = {.cases = 1000, .seed = 1, .trace_every = 10, .max_reports = 10, .jobs = 1};
    DriverOptions opt = {0};
    opt.dump_out = stdout;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        char *end = NULL;
        if ((!strcmp(a, "-n") || !strcmp(a, "--seed") || !strcmp(a, "--trace-every") || !strcmp(a, "--prelude") || !strcmp(a, "-j")) &&
            i + 1 >= argc) {
            fprintf(stderr, "accord crosscheck: %s needs a value\n", a);
            status = 2;
            goto out;
        }
        if (!strcmp(a, "-n")) {
            co.cases = strtol(argv[++i], &end, 10);
            if (*end || co.cases < 0) { fprintf(stderr, "accord crosscheck: -n takes a count\n"); status = 2; goto out; }
        } else if (!strcmp(a, "--seed")) {
            co.seed = strtoull(argv[++i], &end, 10);
            if (*end) { fprintf(stderr, "accord crosscheck: --seed takes a number\n"); status = 2; goto out; }
        } else if (!strcmp(a, "-j")) {
            co.jobs = (int)strtol(argv[++i], &end, 10);
            if (*end || co.jobs < 1 || co.jobs > 64) { fprintf(stderr, "accord crosscheck: -j takes a number from 1 to 64\n"); status = 2; goto out; }
        } else if (!strcmp(a, "--trace-every")) {
            co.trace_every = (int)strtol(argv[++i], &end, 10);
            if (*end || co.trace_every < 0) { fprintf(stderr, "accord crosscheck: --trace-every takes a count\n"); status = 2; goto out; }
        } else if (!strcmp(a, "--prelude")) {
            opt.prelude_path = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "accord crosscheck: unknown option '%s'\n", a);
            status = 2;
            goto out;
        } else {
            paths[npaths++] = a;
        }
    }
    if (!npaths) { fprintf(stderr, "accord crosscheck: no agreements given\n"); status = 2; goto out; }
    Compilation cx;
    Loaded l;
    if ((status = load_clean(&cx, paths, npaths, &opt, &l, "crosscheck")) != 0) goto out;
    CrossStats st;
    if (!crosscheck(&l, &co, stdout, &st)) status = 2;
    else {
        printf("%ld cases, %ld questions, %ld traces compared: %ld mismatches\n", st.cases, st.asks, st.traces, st.mismatches);
        printf("%d passed, %d failed\n", st.mismatches ? 0 : 1, st.mismatches ? 1 : 0);
        status = st.mismatches ? 1 : 0;
    }
    cx_free(&cx);
out:
    free(paths);
    return status;
}

/* accord gen: N generated cases as JSON Lines (SPEC §12.8) */
static int cmd_gen(int argc, char **argv) {
    const char **paths = calloc((size_t)argc, sizeof *paths);
    int npaths = 0, status = 0;
    long count = 100;
    uint64_t seed = 1;
    const char *outpath = NULL;
    DriverOptions opt = {0};
    opt.dump_out = stdout;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        char *end = NULL;
        if ((!strcmp(a, "-n") || !strcmp(a, "--seed") || !strcmp(a, "-o") || !strcmp(a, "--prelude")) && i + 1 >= argc) {
            fprintf(stderr, "accord gen: %s needs a value\n", a);
            status = 2;
            goto out;
        }
        if (!strcmp(a, "-n")) {
            count = strtol(argv[++i], &end, 10);
            if (*end || count < 0) { fprintf(stderr, "accord gen: -n takes a count\n"); status = 2; goto out; }
        } else if (!strcmp(a, "--seed")) {
            seed = strtoull(argv[++i], &end, 10);
            if (*end) { fprintf(stderr, "accord gen: --seed takes a number\n"); status = 2; goto out; }
        } else if (!strcmp(a, "-o")) {
            outpath = argv[++i];
        } else if (!strcmp(a, "--prelude")) {
            opt.prelude_path = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "accord gen: unknown option '%s'\n", a);
            status = 2;
            goto out;
        } else {
            paths[npaths++] = a;
        }
    }
    if (!npaths) { fprintf(stderr, "accord gen: no agreements given\n"); status = 2; goto out; }
    Compilation cx;
    Loaded l;
    if ((status = load_clean(&cx, paths, npaths, &opt, &l, "gen")) != 0) goto out;
    FILE *out = outpath ? fopen(outpath, "wb") : stdout;
    if (!out) {
        fprintf(stderr, "accord gen: cannot write '%s': %s\n", outpath, strerror(errno));
        status = 2;
        cx_free(&cx);
        goto out;
    }
    GenOptions go = {seed, count};
    Generator *g = gen_new(l.voc, (const IrAgreement **)l.agreements.items, (int)l.agreements.len, &go);
    for (long i = 0; i < count; i++) {
        Arena A = {0};
        char id[64];
        Value kase = gen_next(g, &A, id, sizeof id);
        json_t *j = case_to_json(l.voc, &kase, id, false);
        char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
        fprintf(out, "%s\n", s);
        free(s);
        json_decref(j);
        arena_free_all(&A);
    }
    gen_free(g);
    if (out != stdout && fclose(out) != 0) status = 2;
    cx_free(&cx);
out:
    free(paths);
    return status;
}

/* "PH,DE,IN" -> a set of country; false on an unknown code */
static bool parse_states(const char *text, Value *out) {
    memset(out, 0, sizeof *out);
    out->kind = TY_SET;
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, ", ");
        int c = n ? acc_country_lookup(p, n) : 0;
        if (n && c < 0) {
            fprintf(stderr, "accord: unknown country code '%.*s' in --states\n", (int)n, p);
            return false;
        }
        if (c > 0) set_add(out, c);
        p += n;
        if (*p) p++;
    }
    return set_size(out) >= 2 || (fprintf(stderr, "accord: --states needs at least two states\n"), false);
}

/* accord gaps: corridors, careers not aggregated, persons left out (SPEC §15) */
static int cmd_gaps(int argc, char **argv) {
    const char **paths = calloc((size_t)argc, sizeof *paths);
    int npaths = 0, status = 0;
    bool json_out = false, have_states = false;
    Value states;
    DriverOptions opt = {0};
    opt.dump_out = stdout;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if ((!strcmp(a, "--states") || !strcmp(a, "--format") || !strcmp(a, "--prelude")) && i + 1 >= argc) {
            fprintf(stderr, "accord gaps: %s needs a value\n", a);
            status = 2;
            goto out;
        }
        if (!strcmp(a, "--states")) {
            if (!parse_states(argv[++i], &states)) { status = 2; goto out; }
            have_states = true;
        } else if (!strcmp(a, "--format")) {
            const char *f = argv[++i];
            if (strcmp(f, "json") && strcmp(f, "text")) { fprintf(stderr, "accord gaps: unknown format '%s'\n", f); status = 2; goto out; }
            json_out = !strcmp(f, "json");
        } else if (!strcmp(a, "--prelude")) {
            opt.prelude_path = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "accord gaps: unknown option '%s'\n", a);
            status = 2;
            goto out;
        } else {
            paths[npaths++] = a;
        }
    }
    if (!npaths) { fprintf(stderr, "accord gaps: no agreements given\n"); status = 2; goto out; }
    Compilation cx;
    Loaded l;
    if ((status = load_clean(&cx, paths, npaths, &opt, &l, "gaps")) != 0) goto out;
    json_t *g = gaps_json(&l, have_states ? &states : NULL);
    if (!g) status = 2;
    else if (json_out) {
        char *s = json_dumps(g, JSON_INDENT(1) | JSON_ENSURE_ASCII);
        printf("%s\n", s);
        free(s);
    } else {
        gaps_print(g, stdout);
    }
    json_decref(g);
    cx_free(&cx);
out:
    free(paths);
    return status;
}

static const IrAgreement *find_agreement(const Loaded *l, const char *name) {
    for (size_t i = 0; i < l->agreements.len; i++) {
        const IrAgreement *ag = l->agreements.items[i];
        const char *base = strrchr(ag->path ? ag->path : "", '/');
        if (!strcmp(ag->id, name) || (ag->path && !strcmp(ag->path, name)) || (base && !strcmp(base + 1, name))) return ag;
    }
    return NULL;
}

/* accord report: the library page, or --diff A B (SPEC §16) */
static int cmd_report(int argc, char **argv) {
    const char **paths = calloc((size_t)argc + 2, sizeof *paths);
    int npaths = 0, status = 0;
    const char *outpath = NULL, *findings_path = NULL, *diff[2] = {NULL, NULL};
    bool have_states = false;
    Value states;
    DriverOptions opt = {0};
    opt.dump_out = stdout;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        bool takes = !strcmp(a, "-o") || !strcmp(a, "--findings") || !strcmp(a, "--states") || !strcmp(a, "--prelude");
        if ((takes && i + 1 >= argc) || (!strcmp(a, "--diff") && i + 2 >= argc)) {
            fprintf(stderr, "accord report: %s needs %s\n", a, strcmp(a, "--diff") ? "a value" : "two agreements");
            status = 2;
            goto out;
        }
        if (!strcmp(a, "-o")) outpath = argv[++i];
        else if (!strcmp(a, "--findings")) findings_path = argv[++i];
        else if (!strcmp(a, "--prelude")) opt.prelude_path = argv[++i];
        else if (!strcmp(a, "--states")) {
            if (!parse_states(argv[++i], &states)) { status = 2; goto out; }
            have_states = true;
        } else if (!strcmp(a, "--diff")) {
            diff[0] = argv[++i];
            diff[1] = argv[++i];
            /* a file named here is loaded too; an id names a loaded agreement */
            for (int k = 0; k < 2; k++)
                if (has_suffix(diff[k], ".accord")) paths[npaths++] = diff[k];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "accord report: unknown option '%s'\n", a);
            status = 2;
            goto out;
        } else {
            paths[npaths++] = a;
        }
    }
    if (!npaths) { fprintf(stderr, "accord report: no agreements given\n"); status = 2; goto out; }
    json_t *findings = NULL;
    if (findings_path && !(findings = report_read_findings(findings_path))) { status = 1; goto out; }
    Compilation cx;
    Loaded l;
    if ((status = load_clean(&cx, paths, npaths, &opt, &l, "report")) != 0) { json_decref(findings); goto out; }
    const IrAgreement *da = NULL, *db = NULL;
    if (diff[0] && (!(da = find_agreement(&l, diff[0])) || !(db = find_agreement(&l, diff[1])))) {
        fprintf(stderr, "accord report: no agreement '%s' among those loaded\n", da ? diff[1] : diff[0]);
        status = 2;
    }
    FILE *out = NULL;
    if (!status && !(out = outpath ? fopen(outpath, "wb") : stdout)) {
        fprintf(stderr, "accord report: cannot write '%s': %s\n", outpath, strerror(errno));
        status = 2;
    }
    /* without --findings, the checker runs here (SPEC §13) */
    CheckerOptions cko;
    memset(&cko, 0, sizeof cko);
    if (!status && !findings) {
        json_t *r = da ? checker_diff_json(&l, da, &l, db, &cko) : checker_conflicts_json(&l, &cko);
        findings = json_incref(json_object_get(r, "findings"));
        json_decref(r);
    }
    if (!status && da) {
        report_diff_html(&l, da, db, findings, out);
    } else if (!status) {
        json_t *g = gaps_json(&l, have_states ? &states : NULL);
        report_library_html(&l, have_states ? &states : NULL, findings, g, out);
        json_decref(g);
    }
    if (out && out != stdout && fclose(out) != 0) {
        fprintf(stderr, "accord report: cannot write '%s'\n", outpath);
        status = 2;
    }
    json_decref(findings);
    cx_free(&cx);
out:
    free(paths);
    return status;
}

/* accord header: the C header of the vocabulary, or of one agreement's
 * entry points (cheader.h, runtime/accord.h) */
static int cmd_header(int argc, char **argv) {
    const char **paths = calloc((size_t)argc, sizeof *paths);
    int npaths = 0, status = 0;
    const char *outpath = NULL;
    DriverOptions opt = {0};
    opt.dump_out = stdout;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if ((!strcmp(a, "-o") || !strcmp(a, "--prelude")) && i + 1 >= argc) {
            fprintf(stderr, "accord header: %s needs a value\n", a);
            status = 2;
            goto out;
        }
        if (!strcmp(a, "-o")) outpath = argv[++i];
        else if (!strcmp(a, "--prelude")) opt.prelude_path = argv[++i];
        else if (a[0] == '-' && a[1]) { fprintf(stderr, "accord header: unknown option '%s'\n", a); status = 2; goto out; }
        else paths[npaths++] = a;
    }
    Compilation cx;
    Loaded l;
    if (npaths) {
        if ((status = load_clean(&cx, paths, npaths, &opt, &l, "header")) != 0) goto out;
        if (l.agreements.len != 1) {
            fprintf(stderr, "accord header: give one agreement (with its protocols), not %zu\n", l.agreements.len);
            status = 2;
            cx_free(&cx);
            goto out;
        }
    } else {
        cx_init(&cx);
        memset(&l, 0, sizeof l);
        bool readable = drv_load_vocabulary(&cx, &opt, &l.voc);
        diag_render(&cx, stderr, DIAG_FMT_HUMAN, isatty(2));
        if (!readable || !l.voc || diag_error_count(&cx)) {
            status = readable ? 1 : 2;
            cx_free(&cx);
            goto out;
        }
    }
    FILE *f = outpath ? fopen(outpath, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "accord header: cannot write '%s': %s\n", outpath, strerror(errno));
        status = 2;
    } else {
        Layout *lay = layout_new(l.voc, &cx.arena);
        if (npaths) cheader_agreement(f, l.agreements.items[0], lay);
        else cheader_vocabulary(f, l.voc, lay);
        if (f != stdout && fclose(f) != 0) {
            fprintf(stderr, "accord header: cannot write '%s'\n", outpath);
            status = 2;
        }
    }
    cx_free(&cx);
out:
    free(paths);
    return status;
}

/* accord conflicts / diff / gaps --against (SPEC §13).  Findings in text or
 * JSON; exit 0 when every finding is acknowledged, 1 otherwise, 2 bad usage. */
static int cmd_checker(int argc, char **argv) {
    const char *cmd = argv[1], *format = "text", *against = NULL;
    CheckerOptions co;
    memset(&co, 0, sizeof co);
    DriverOptions opt = {0};
    opt.dump_out = stdout;
    const char **paths = calloc((size_t)argc, sizeof *paths);
    int npaths = 0, status = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (!strcmp(a, "--format") && has) format = argv[++i];
        else if (!strcmp(a, "--question") && has) co.question = argv[++i];
        else if (!strcmp(a, "--against") && has && !strcmp(cmd, "gaps")) against = argv[++i];
        else if (!strcmp(a, "--budget") && has) co.budget = atoi(argv[++i]);
        else if (!strcmp(a, "--no-z3")) co.no_z3 = true;
        else if (!strcmp(a, "--one-worker")) co.one_worker = true;
        else if (!strcmp(a, "--thorough")) co.thorough = true;
        else if (!strcmp(a, "--prelude") && has) opt.prelude_path = argv[++i];
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "accord %s: unknown option or missing value '%s'\n", cmd, a);
            status = 2;
            goto out;
        } else paths[npaths++] = a;
    }
    if (strcmp(format, "text") && strcmp(format, "json")) {
        fprintf(stderr, "accord %s: unknown format '%s' (text or json)\n", cmd, format);
        status = 2;
        goto out;
    }
    if (!strcmp(cmd, "diff") && npaths != 2) {
        fprintf(stderr, "accord diff: give exactly two agreement files\n");
        status = 2;
        goto out;
    }
    if (!npaths) { fprintf(stderr, "accord %s: no agreements given\n", cmd); status = 2; goto out; }
    /* diff and gaps load each side on its own, so that two versions of one agreement (one id) can be compared */
    int nsides = !strcmp(cmd, "conflicts") ? 1 : 2;
    Compilation cx[2];
    Loaded l[2];
    const char *side0[1] = {against ? against : paths[0]};
    if ((status = load_clean(&cx[0], nsides == 1 ? paths : side0, nsides == 1 ? npaths : 1, &opt, &l[0], cmd)) != 0) goto out;
    if (nsides == 2) {
        const char **rest = against ? paths : paths + 1;
        int nrest = against ? npaths : 1;
        if ((status = load_clean(&cx[1], rest, nrest, &opt, &l[1], cmd)) != 0) { cx_free(&cx[0]); goto out; }
        if (l[0].agreements.len != 1 || !l[1].agreements.len || (!against && l[1].agreements.len != 1)) {
            fprintf(stderr, "accord %s: each side must be one agreement file\n", cmd);
            status = 2;
        }
    }
    if (!status) {
        json_t *r;
        if (nsides == 1) {
            r = checker_conflicts_json(&l[0], &co);
        } else if (!against) {
            r = checker_diff_json(&l[0], l[0].agreements.items[0], &l[1], l[1].agreements.items[0], &co);
        } else {
            const IrAgreement *std = l[0].agreements.items[0];
            if (!std->is_standard) fprintf(stderr, "accord gaps: note: %s is not marked 'standard;'\n", std->id);
            r = NULL;
            for (size_t i = 0; i < l[1].agreements.len; i++) {
                json_t *x = checker_against_json(&l[0], std, &l[1], l[1].agreements.items[i], &co);
                if (!r) r = x;
                else checker_merge(r, x);
            }
        }
        int unack;
        if (!strcmp(format, "json")) {
            json_dumpf(r, stdout, JSON_INDENT(1) | JSON_ENSURE_ASCII);
            fputc('\n', stdout);
            unack = (int)json_integer_value(json_object_get(json_object_get(r, "summary"), "unacknowledged"));
        } else {
            unack = checker_print(r, stdout);
        }
        /* a diff or a standard gap is a result, not a failure of the drafter; all three
           exit 1 when something is found so that scripts can test for it */
        status = unack ? 1 : 0;
        json_decref(r);
    }
    if (nsides == 2) cx_free(&cx[1]);
    cx_free(&cx[0]);
out:
    free(paths);
    return status;
}

/* accord library: one line per agreement, as a Markdown table (SPEC §10.1) */
static void print_library(const Loaded *l, FILE *out) {
    fputs("| instrument | id | parties | in force | branches | articles | rules | examples |\n", out);
    fputs("|---|---|---|---|---|---|---|---|\n", out);
    for (size_t i = 0; i < l->agreements.len; i++) {
        const IrAgreement *ag = l->agreements.items[i];
        char parties[1024] = "", branches[512] = "", date[11];
        size_t k = 0;
        for (int c = 1; c < 256 && k < sizeof parties - 8; c++)
            if (set_has(&ag->parties, c)) k += (size_t)snprintf(parties + k, sizeof parties - k, "%s%s", k ? " " : "", acc_country_code(c));
        Value b;
        memset(&b, 0, sizeof b);
        for (size_t j = 0; j < ag->material_scope.len; j++) {
            const IrMaterialClause *m = ag->material_scope.items[j];
            for (int w = 0; w < 4; w++) b.bits[w] |= m->branches.bits[w];
        }
        k = 0;
        if (!ag->material_scope.len) snprintf(branches, sizeof branches, "(not limited)");
        for (int c = 1; c <= l->voc->branch->n && k < sizeof branches - 32; c++)
            if (set_has(&b, c))
                k += (size_t)snprintf(branches + k, sizeof branches - k, "%s%s", k ? ", " : "", l->voc->branch->consts[c - 1]);
        acc_date_format(ag->in_force, date);
        fprintf(out, "| %s%s | `%s` | %s | %s | %s | %zu | %zu | %zu |\n", ag->title ? ag->title : "",
                ag->is_standard ? " (a standard to check against)" : "", ag->id, parties, date,
                branches, ag->articles.len, ag->rules.len, ag->examples.len);
    }
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
    bool is_check = !strcmp(cmd, "check"), is_test = !strcmp(cmd, "test"), is_library = !strcmp(cmd, "library");
    if (!strcmp(cmd, "eval") || !strcmp(cmd, "explain")) return cmd_eval(argc, argv, !strcmp(cmd, "explain"));
    if (!strcmp(cmd, "gen")) return cmd_gen(argc, argv);
    if (!strcmp(cmd, "crosscheck")) return cmd_crosscheck(argc, argv);
    if (!strcmp(cmd, "build")) return cmd_build(argc, argv);
    if (!strcmp(cmd, "header")) return cmd_header(argc, argv);
    if (!strcmp(cmd, "gaps")) {
        /* two analyses share the name: the network (corridors, careers, scope)
         * and, with --against, compliance with a standard (the checker) */
        for (int i = 2; i < argc; i++)
            if (!strcmp(argv[i], "--against")) return cmd_checker(argc, argv);
        return cmd_gaps(argc, argv);
    }
    if (!strcmp(cmd, "report")) return cmd_report(argc, argv);
    if (!strcmp(cmd, "conflicts") || !strcmp(cmd, "diff")) return cmd_checker(argc, argv);
    if (!is_check && !is_test && !is_library) {
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
    bool interp = false;
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
        } else if (!strcmp(a, "--interp")) {
            interp = true;
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
    if (is_library && usable) print_library(&l, stdout);
    if (is_test && usable) {
        unsigned passed = 0, failed = 0;
        drv_run_examples(&l, stdout, verbose, !interp, &passed, &failed);
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
