/* driver.c - files in, checked agreements out; see driver.h. */
#include "driver.h"
#include "diag.h"
#include "interp.h"
#include "native.h"
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

AstFile *parse_file(Compilation *cx, uint32_t file);
void dump_tokens(Compilation *cx, uint32_t file, FILE *out);

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool has_suffix(const char *s, const char *suf) {
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* Directories are searched recursively, in name order, for *.accord. */
static void collect(Compilation *cx, const char *path, PtrVec *files, int depth) {
    struct stat st;
    if (strcmp(path, "-") == 0) { /* standard input */
        ptrvec_push(&cx->arena, files, (void *)path);
        return;
    }
    if (stat(path, &st) != 0) {
        diag_error_nospan(cx, "cannot open '%s': %s", path, strerror(errno));
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        ptrvec_push(&cx->arena, files, arena_strdup(&cx->arena, path));
        return;
    }
    if (depth > 16) return;
    DIR *d = opendir(path);
    if (!d) {
        diag_error_nospan(cx, "cannot read directory '%s'", path);
        return;
    }
    PtrVec names = {0};
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        ptrvec_push(&cx->arena, &names, arena_printf(&cx->arena, "%s%s%s", path, has_suffix(path, "/") ? "" : "/", de->d_name));
    }
    closedir(d);
    if (names.len) qsort(names.items, names.len, sizeof(void *), cmp_str);
    for (size_t i = 0; i < names.len; i++) {
        const char *p = names.items[i];
        struct stat s2;
        if (stat(p, &s2) != 0) continue;
        if (S_ISDIR(s2.st_mode)) collect(cx, p, files, depth + 1);
        else if (has_suffix(p, ".accord")) ptrvec_push(&cx->arena, files, (void *)p);
    }
}

static unsigned count_examples(const PtrVec *items) {
    unsigned n = 0;
    for (size_t i = 0; i < items->len; i++) {
        const AstItem *it = items->items[i];
        if (it->kind == IT_EXAMPLE) n++;
        else n += count_examples(&it->items);
    }
    return n;
}

bool drv_load_vocabulary(Compilation *cx, const DriverOptions *opt, IrVocabulary **voc) {
    *voc = NULL;
    int pid = opt->prelude_path ? src_load_file(cx, opt->prelude_path)
                                : src_add_text(cx, "agreements/std/prelude.accord", (const char *)accord_prelude_text,
                                               accord_prelude_len);
    if (pid < 0) return false;
    AstFile *pf = parse_file(cx, (uint32_t)pid);
    if (pf) *voc = chk_vocabulary(cx, pf);
    return true;
}

bool drv_load(Compilation *cx, const char **paths, int npaths, const DriverOptions *opt, Loaded *out) {
    memset(out, 0, sizeof *out);
    out->cx = cx;
    unsigned before = diag_error_count(cx);
    if (!drv_load_vocabulary(cx, opt, &out->voc)) return false;
    if (!out->voc || diag_error_count(cx) != before) {
        /* errors in the input (exit 1), not a usage problem */
        diag_error_nospan(cx, "the prelude has errors; nothing else can be checked");
        return true;
    }
    PtrVec files = {0};
    for (int i = 0; i < npaths; i++) collect(cx, paths[i], &files, 0);
    if (!files.len) {
        if (diag_error_count(cx) == 0) diag_error_nospan(cx, "no .accord files found");
        return false;
    }
    out->nfiles = (int)files.len;
    AstFile **asts = arena_alloc(&cx->arena, sizeof *asts * files.len);
    unsigned *errs = arena_alloc(&cx->arena, sizeof *errs * files.len);
    for (size_t i = 0; i < files.len; i++) {
        unsigned e0 = diag_error_count(cx);
        int id = src_load_file(cx, files.items[i]);
        if (id >= 0 && opt->dump_tokens) dump_tokens(cx, (uint32_t)id, opt->dump_out);
        asts[i] = id < 0 ? NULL : parse_file(cx, (uint32_t)id);
        if (asts[i] && opt->dump_ast) ast_dump(asts[i], opt->dump_out);
        errs[i] = diag_error_count(cx) - e0;
    }
    /* attach stand-alone protocols to their agreements */
    for (size_t i = 0; i < files.len; i++) {
        if (!asts[i] || asts[i]->kind != FILE_PROTOCOL) continue;
        bool found = false;
        for (size_t j = 0; j < files.len; j++)
            if (asts[j] && asts[j]->kind == FILE_AGREEMENT && strcmp(asts[j]->name, asts[i]->target) == 0) found = true;
        if (!found) {
            diag_error(cx, asts[i]->span, "protocol '%s' amends '%s', which is not among the files given", asts[i]->name,
                       asts[i]->target);
            errs[i]++;
        }
    }
    for (size_t i = 0; i < files.len; i++) {
        if (!asts[i] || errs[i]) {
            if (asts[i] || errs[i]) {
                ptrvec_push(&cx->arena, &out->broken, files.items[i]);
                unsigned n = asts[i] ? count_examples(&asts[i]->items) : 0;
                out->broken_examples += n ? n : 1;
            }
            continue;
        }
        unsigned e0 = diag_error_count(cx);
        if (asts[i]->kind == FILE_VOCABULARY) {
            chk_vocabulary(cx, asts[i]);
        } else if (asts[i]->kind == FILE_AGREEMENT) {
            for (size_t j = 0; j < i; j++)
                if (asts[j] && asts[j]->kind == FILE_AGREEMENT && strcmp(asts[j]->name, asts[i]->name) == 0) {
                    diag_error(cx, asts[i]->name_span, "agreement '%s' is also defined in %s", asts[i]->name,
                               (const char *)files.items[j]);
                    break;
                }
            const AstFile *prots[64];
            int np = 0;
            for (size_t j = 0; j < files.len && np < 64; j++)
                if (asts[j] && asts[j]->kind == FILE_PROTOCOL && strcmp(asts[j]->target, asts[i]->name) == 0)
                    prots[np++] = asts[j];
            IrAgreement *ag = chk_agreement(cx, out->voc, asts[i], prots, np);
            if (diag_error_count(cx) == e0) {
                ir_verify(ag);
                ptrvec_push(&cx->arena, &out->agreements, ag);
                if (opt->dump_ir) ir_dump(ag, opt->dump_out);
            }
        }
        if (diag_error_count(cx) != e0) {
            ptrvec_push(&cx->arena, &out->broken, files.items[i]);
            unsigned n = count_examples(&asts[i]->items);
            out->broken_examples += n ? n : 1;
        }
    }
    return true;
}

/* A deciding rule matches an expected citation if it is that subdivision
 * or lies within it: "Art. 12" matches a rule of Art. 12(1)(a). */
static bool cite_matches(const char *rule_cite, const char *want) {
    size_t n = strlen(want);
    return rule_cite && strncmp(rule_cite, want, n) == 0 && (rule_cite[n] == 0 || rule_cite[n] == '(');
}

static bool cites_ok(const IrExpect *x, const Outcome *o) {
    if (!x->ncites) return true;
    for (int i = 0; i < x->ncites; i++) {
        bool any = false;
        for (int k = 0; k < o->nrules; k++) any |= cite_matches(o->rules[k]->cite, x->cites[i]);
        if (!any) return false;
    }
    for (int k = 0; k < o->nrules; k++) {
        bool any = false;
        for (int i = 0; i < x->ncites; i++) any |= cite_matches(o->rules[k]->cite, x->cites[i]);
        if (!any) return false;
    }
    return true;
}

static void describe(FILE *out, const Outcome *o, const IrQuestion *q) {
    char cites[256];
    outcome_cites(o, cites, sizeof cites);
    switch (o->kind) {
    case OUT_DECIDED:
        value_print(out, &o->value, q->type);
        fprintf(out, " (decided by %s)", cites);
        break;
    case OUT_CONFLICT:
        if (o->nrules == 2 && o->values[0].kind == q->type->kind) {
            fprintf(out, "conflict: %s says ", o->rules[0]->cite);
            value_print(out, &o->values[0], q->type);
            fprintf(out, ", %s says ", o->rules[1]->cite);
            value_print(out, &o->values[1], q->type);
        } else {
            fprintf(out, "conflict (%s)%s%s", cites, o->reason[0] ? ": " : "", o->reason);
        }
        break;
    default:
        fprintf(out, "%s%s%s", ir_outcome_name(o->kind), o->reason[0] ? " (" : "", o->reason);
        if (o->reason[0]) fputc(')', out);
    }
}

void drv_run_examples(const Loaded *l, FILE *out, bool verbose, bool compiled, unsigned *passed, unsigned *failed) {
    *passed = *failed = 0;
    Arena A = {0};
    Layout *lay = compiled ? layout_new(l->voc, &A) : NULL;
    for (size_t i = 0; i < l->agreements.len; i++) {
        const IrAgreement *ag = l->agreements.items[i];
        Interp *in = interp_new(ag);
        Native *nat = NULL;
        if (compiled && ag->examples.len) {
            char err[512];
            nat = native_new(ag, lay, l->cx, false, err, sizeof err);
            if (!nat) {
                /* a compiler bug: every example of the agreement fails */
                fprintf(out, "FAIL %s: %s\n", ag->path, err);
                *failed += (unsigned)ag->examples.len;
                interp_free(in);
                continue;
            }
        }
        for (size_t j = 0; j < ag->examples.len; j++) {
            const IrExample *ex = ag->examples.items[j];
            bool ok = true;
            for (size_t k = 0; k < ex->expects.len; k++) {
                const IrExpect *x = ex->expects.items[k];
                Outcome o = nat ? native_ask(nat, native_pack(nat, &ex->kase, &A), x->q, x->args, NULL)
                                : interp_ask(in, &ex->kase, x->q, x->args);
                bool good = o.kind == x->kind && (x->kind != OUT_DECIDED || value_eq(&o.value, &x->value)) &&
                            (x->kind != OUT_DECIDED && x->kind != OUT_CONFLICT ? true : cites_ok(x, &o));
                if (good) continue;
                if (ok) {
                    fprintf(out, "FAIL %s: example \"%s\"\n", ag->path, ex->name);
                }
                ok = false;
                char args[256] = "";
                size_t n = 0;
                for (int a = 0; a < x->q->nparams; a++) {
                    if (a) n += (size_t)snprintf(args + n, sizeof args - n, ", ");
                    value_format(args + n, sizeof args - n, &x->args[a], x->q->ptypes[a]);
                    n = strlen(args);
                }
                uint32_t line, col;
                src_linecol(src_file(l->cx, x->span.file), x->span.start, &line, &col);
                fprintf(out, "  %s:%u: %s%s%s%s\n    expected: ", ag->path, line, x->q->name, x->q->nparams ? "(" : "", args,
                        x->q->nparams ? ")" : "");
                if (x->kind == OUT_DECIDED) value_print(out, &x->value, x->q->type);
                else fputs(ir_outcome_name(x->kind), out);
                for (int c = 0; c < x->ncites; c++) fprintf(out, "%s%s", c ? ", " : " by ", x->cites[c]);
                fputs("\n    actual:   ", out);
                describe(out, &o, x->q);
                fputc('\n', out);
            }
            if (ok) {
                (*passed)++;
                if (verbose) fprintf(out, "ok   %s: example \"%s\"\n", ag->path, ex->name);
            } else {
                (*failed)++;
            }
        }
        interp_free(in);
        native_free(nat);
    }
    arena_free_all(&A);
}
