/* report.c - self-contained HTML reports; see report.h. */
#include "report.h"
#include "accord_rt.h"
#include "gaps.h"
#include "iso.h"
#include <stdlib.h>
#include <string.h>

/* ---- HTML text ----------------------------------------------------------------- */

/* Everything that did not come from this file goes through here. */
static void esc(FILE *out, const char *s) {
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
    }
}

/* pre and post are this file's markup; text is escaped */
static void wrap(FILE *out, const char *pre, const char *text, const char *post) {
    fputs(pre, out);
    esc(out, text);
    fputs(post, out);
}

static const char *str(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* A JSON value as Accord writes it: PH, true, 24, 1234.56 EUR, {DE, PH}. */
static void esc_value(FILE *out, json_t *v) {
    if (json_is_string(v)) esc(out, json_string_value(v));
    else if (json_is_null(v) || !v) fputs("none", out);
    else if (json_is_array(v)) {
        fputc('{', out);
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i) fputs(", ", out);
            esc_value(out, json_array_get(v, i));
        }
        fputc('}', out);
    } else {
        char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        esc(out, s);
        free(s);
    }
}

static void esc_json(FILE *out, json_t *v) {
    char *s = json_dumps(v, JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
    esc(out, s);
    free(s);
}

static void esc_date(FILE *out, int32_t d) {
    char b[11];
    if (d == INT32_MAX || d == INT32_MIN) {
        fputs("&#8212;", out);
        return;
    }
    acc_date_format(d, b);
    fputs(b, out);
}

static const char *CSS =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#1b1f24;"
    "margin:0 auto;max-width:1200px;padding:16px 24px;background:#fff}"
    "h1{font-size:24px;margin:8px 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:2px solid #d0d7de;"
    "padding-bottom:4px}h3{font-size:16px;margin:18px 0 6px}"
    "p.sub{color:#57606a;margin:0 0 12px}"
    "table{border-collapse:collapse;width:100%;margin:8px 0 12px;font-size:13.5px}"
    "th,td{border:1px solid #d0d7de;padding:4px 7px;text-align:left;vertical-align:top}"
    "th{background:#f3f5f7}td.num,td.nowrap{text-align:right;white-space:nowrap}td.nowrap{text-align:left}"
    "code,pre{font:12.5px/1.4 'DejaVu Sans Mono',Consolas,monospace}h2 code,h3 code{font-size:.92em}"
    "code.wrap{white-space:pre-wrap;word-break:break-all}"
    "pre.witness{background:#f6f8fa;border:1px solid #d0d7de;padding:8px;overflow:auto;max-height:320px;"
    "user-select:all;white-space:pre-wrap;word-break:break-all}"
    ".finding{border:1px solid #d0d7de;border-left:5px solid #cf222e;border-radius:4px;padding:8px 12px;margin:12px 0;"
    "break-inside:avoid}"
    ".finding.ack{border-left-color:#9a6700}.finding.gap{border-left-color:#0969da}"
    ".badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;background:#eaeef2;margin-left:6px}"
    ".clean{background:#dafbe1}.warn{background:#fff1c2}.bad{background:#ffd8d3}"
    ".swatch{display:inline-block;width:14px;height:14px;border:1px solid #8c959f;vertical-align:middle;"
    "margin-right:5px}"
    ".legend{columns:2;font-size:13px;margin:6px 0 12px}.legend div{break-inside:avoid;margin:2px 0}"
    ".step{margin:1px 0;font-size:13.5px}.step.arith{color:#0550ae}.step.no{color:#57606a}"
    ".step.yes{color:#116329;font-weight:600}.decision{background:#f6f8fa;border:1px solid #d0d7de;"
    "padding:6px 10px;margin:6px 0;border-radius:4px}"
    "blockquote{margin:4px 0 8px 12px;padding-left:10px;border-left:3px solid #d0d7de;color:#424a53}"
    "svg text{font-family:'DejaVu Sans',sans-serif}"
    "@media print{body{max-width:none;padding:0}pre.witness{max-height:none}h2{break-after:avoid}"
    "svg{max-width:100%}}";

static void page_begin(FILE *out, const char *title, const char *subtitle) {
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          /* nothing may be loaded: the page is whole, and a request would be a bug */
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
          "img-src data:\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          out);
    esc(out, title);
    fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", CSS);
    esc(out, title);
    wrap(out, "</h1>\n<p class=\"sub\">", subtitle, "</p>\n");
}

static void page_end(FILE *out) { fputs("</body>\n</html>\n", out); }

/* ---- agreements ------------------------------------------------------------------ */

static void esc_parties(FILE *out, const IrAgreement *ag) {
    int k = 0;
    for (int c = 1; c < 256; c++)
        if (set_has(&ag->parties, c)) fprintf(out, "%s%s", k++ ? " " : "", acc_country_code(c));
}

static void esc_branches(FILE *out, const Loaded *lib, const IrAgreement *ag) {
    if (!ag->material_scope.len) {
        fputs("(not limited)", out);
        return;
    }
    Value b;
    memset(&b, 0, sizeof b);
    for (size_t j = 0; j < ag->material_scope.len; j++) {
        const IrMaterialClause *m = ag->material_scope.items[j];
        for (int w = 0; w < 4; w++) b.bits[w] |= m->branches.bits[w];
    }
    int k = 0;
    for (int c = 1; c <= lib->voc->branch->n; c++)
        if (set_has(&b, c)) fprintf(out, "%s%s", k++ ? ", " : "", lib->voc->branch->consts[c - 1]);
}

/* Findings about agreement `id` (as the agreement or the other one). */
static void count_findings(json_t *findings, const char *id, int *n, int *ack) {
    *n = *ack = 0;
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f) {
        if (strcmp(str(f, "agreement"), id) && strcmp(str(f, "other"), id)) continue;
        (*n)++;
        if (json_is_true(json_object_get(f, "acknowledged"))) (*ack)++;
    }
}

static void library_table(FILE *out, const Loaded *lib, json_t *findings) {
    fputs("<h2 id=\"library\">1. The library</h2>\n<table id=\"agreements\">\n<tr><th>instrument</th><th>id</th>"
          "<th>parties</th><th>in force</th><th>branches</th><th>articles</th><th>examples</th><th>status</th></tr>\n",
          out);
    for (size_t i = 0; i < lib->agreements.len; i++) {
        const IrAgreement *ag = lib->agreements.items[i];
        fputs("<tr><td>", out);
        esc(out, ag->title ? ag->title : "");
        if (ag->is_standard) fputs(" <span class=\"badge\">a standard, not a treaty</span>", out);
        wrap(out, "</td><td><code>", ag->id, "</code></td><td>");
        esc_parties(out, ag);
        fputs("</td><td class=\"nowrap\">", out);
        esc_date(out, ag->in_force);
        if (ag->has_terminates) {
            fputs(" to ", out);
            esc_date(out, ag->terminates);
        }
        fputs("</td><td>", out);
        esc_branches(out, lib, ag);
        fprintf(out, "</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td><td>", ag->articles.len, ag->examples.len);
        /* every agreement shown checked without errors (the report refuses
         * others); the findings decide the rest */
        int n, ack;
        count_findings(findings, ag->id, &n, &ack);
        if (!findings) fputs("<span class=\"badge\">checks clean</span> <small>(no checker findings given)</small>", out);
        else if (!n) fputs("<span class=\"badge clean\">clean</span>", out);
        else if (n == ack) fprintf(out, "<span class=\"badge warn\">%d acknowledged finding%s</span>", n, n == 1 ? "" : "s");
        else fprintf(out, "<span class=\"badge bad\">%d finding%s</span>%s", n - ack, n - ack == 1 ? "" : "s", ack ? " " : "");
        if (findings && n && ack && ack != n) fprintf(out, "<span class=\"badge warn\">%d acknowledged</span>", ack);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

/* ---- the coverage matrix ---------------------------------------------------------- */

static const char *PALETTE[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                                "#e377c2", "#bcbd22", "#17becf", "#393b79", "#637939", "#843c39"};
#define NPALETTE (sizeof PALETTE / sizeof *PALETTE)

static const char *colour_of(const Loaded *lib, const IrAgreement *ag) {
    size_t k = 0;
    for (size_t i = 0; i < lib->agreements.len; i++) {
        const IrAgreement *a = lib->agreements.items[i];
        if (a->is_standard) continue;
        if (a == ag) return PALETTE[k % NPALETTE];
        k++;
    }
    return "#000";
}

static int link_nbranches(const Coverage *cov, const CorridorLink *l) {
    int n = 0;
    for (int b = 1; b <= cov->voc->branch->n; b++) n += set_has(&l->branches, b);
    return n;
}

#define CELL 14
#define LEFT 70
#define TOP 8

static void matrix(FILE *out, const Loaded *lib, const Coverage *cov) {
    int n = cov->nstates, nb = cov->voc->branch->n;
    int w = LEFT + n * CELL + 10, h = TOP + n * CELL + 34;
    fprintf(out, "<h2 id=\"coverage-matrix\">2. Coverage matrix</h2>\n<p>Each cell is a corridor between two states: "
                 "coloured by the agreement that coordinates it (the first in the library when several do, marked "
                 "with a white dot), darker the more of the %d branches it coordinates, grey when no agreement does. "
                 "States are grouped by region (the multilateral agreements, largest first). Hover a cell for the "
                 "agreements, dates and branches.</p>\n",
            nb);
    fprintf(out,
            "<svg id=\"coverage\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
            "style=\"max-width:100%%;height:auto\" role=\"img\" aria-label=\"coverage matrix\">\n",
            w, h, w, h);
    /* group names along the left edge, codes beside each row */
    for (int g = 0; g < cov->ngroups; g++) {
        int first = -1, last = -1;
        for (int i = 0; i < n; i++)
            if (cov->group_of[i] == g) {
                if (first < 0) first = i;
                last = i;
            }
        int y = TOP + (first + last + 1) * CELL / 2;
        fprintf(out, "<text x=\"14\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">", y, y);
        esc(out, cov->group_name[g]);
        fputs("</text>\n", out);
        if (first > 0) {
            int p = TOP + first * CELL;
            fprintf(out, "<line x1=\"20\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#24292f\" stroke-width=\"1.2\"/>\n", p,
                    LEFT + first * CELL, p);
            fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#24292f\" stroke-width=\"1.2\"/>\n",
                    LEFT + first * CELL, p, LEFT + first * CELL, TOP + n * CELL + 30);
        }
    }
    for (int i = 0; i < n; i++) {
        const char *code = acc_country_code(cov->states[i]);
        fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"9\" text-anchor=\"end\">%s</text>\n", LEFT - 3,
                TOP + i * CELL + 10, code);
        int x = LEFT + i * CELL + 10, y = TOP + n * CELL + 4;
        fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"9\" text-anchor=\"end\" transform=\"rotate(-90 %d %d)\">%s</text>\n",
                x, y, x, y, code);
        /* the diagonal names the state too */
        fprintf(out, "<rect class=\"diag\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#24292f\"/>"
                     "<text x=\"%d\" y=\"%d\" font-size=\"7\" fill=\"#fff\" text-anchor=\"middle\">%s</text>\n",
                LEFT + i * CELL, TOP + i * CELL, CELL - 1, CELL - 1, LEFT + i * CELL + CELL / 2, TOP + i * CELL + 10, code);
    }
    /* one cell per corridor: the lower triangle */
    for (int i = 1; i < n; i++)
        for (int j = 0; j < i; j++) {
            const Corridor *c = coverage_corridor(cov, i, j);
            int x = LEFT + j * CELL, y = TOP + i * CELL;
            const char *fill = "#e6e8eb";
            double op = 1.0;
            if (c->nlinks) {
                fill = colour_of(lib, c->links[0].ag);
                op = 0.3 + 0.7 * (double)link_nbranches(cov, &c->links[0]) / (nb ? nb : 1);
            }
            fprintf(out, "<rect class=\"cell\" data-a=\"%s\" data-b=\"%s\" data-agreements=\"", acc_country_code(c->a),
                    acc_country_code(c->b));
            for (int l = 0; l < c->nlinks; l++) {
                if (l) fputc(' ', out);
                esc(out, c->links[l].ag->id);
            }
            fprintf(out, "\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" fill-opacity=\"%.2f\"><title>%s-%s: ", x, y,
                    CELL - 1, CELL - 1, fill, op, acc_country_code(c->a), acc_country_code(c->b));
            if (!c->nlinks) fputs("no agreement coordinates this corridor", out);
            for (int l = 0; l < c->nlinks; l++) {
                char br[512];
                coverage_branches_text(cov, &c->links[l], br, sizeof br);
                fputs(l ? "; " : "", out);
                esc(out, c->links[l].ag->id);
                fputs(" from ", out);
                esc_date(out, c->links[l].from);
                if (c->links[l].until != INT32_MAX) {
                    fputs(" to ", out);
                    esc_date(out, c->links[l].until);
                }
                fputs(" (", out);
                esc(out, br);
                fputc(')', out);
            }
            fputs("</title></rect>\n", out);
            if (c->nlinks > 1)
                fprintf(out, "<circle cx=\"%d\" cy=\"%d\" r=\"2.5\" fill=\"#fff\" pointer-events=\"none\"/>\n",
                        x + CELL / 2, y + CELL / 2);
        }
    fputs("</svg>\n", out);
    /* the legend: one colour per treaty, with its corridor count */
    fputs("<div class=\"legend\" id=\"legend\">\n", out);
    for (size_t k = 0; k < lib->agreements.len; k++) {
        const IrAgreement *ag = lib->agreements.items[k];
        if (ag->is_standard) continue;
        int ncor = 0;
        for (int i = 1; i < n; i++)
            for (int j = 0; j < i; j++) {
                const Corridor *c = coverage_corridor(cov, i, j);
                for (int l = 0; l < c->nlinks; l++) ncor += c->links[l].ag == ag;
            }
        fprintf(out, "<div><span class=\"swatch\" style=\"background:%s\"></span><code>", colour_of(lib, ag));
        esc(out, ag->id);
        fprintf(out, "</code> %d corridor%s: ", ncor, ncor == 1 ? "" : "s");
        esc(out, ag->title ? ag->title : "");
        fputs("</div>\n", out);
    }
    fprintf(out, "<div><span class=\"swatch\" style=\"background:#e6e8eb\"></span>no agreement</div>\n"
                 "<div><span class=\"swatch\" style=\"background:#1f77b4;opacity:.3\"></span>"
                 "<span class=\"swatch\" style=\"background:#1f77b4;opacity:.65\"></span>"
                 "<span class=\"swatch\" style=\"background:#1f77b4\"></span>few to all %d branches</div>\n</div>\n",
            nb);
    long covered = 0, total = (long)n * (n - 1) / 2;
    for (int i = 1; i < n; i++)
        for (int j = 0; j < i; j++) covered += coverage_corridor(cov, i, j)->nlinks > 0;
    fprintf(out, "<p id=\"coverage-summary\">%d states, %ld corridors: %ld coordinated by at least one agreement, %ld by none.</p>\n",
            n, total, covered, total - covered);
}

/* ---- findings ---------------------------------------------------------------------- */

static void esc_args(FILE *out, json_t *args) {
    if (!json_array_size(args)) return;
    fputc('(', out);
    for (size_t i = 0; i < json_array_size(args); i++) {
        if (i) fputs(", ", out);
        esc_value(out, json_array_get(args, i));
    }
    fputc(')', out);
}

static void esc_codes(FILE *out, json_t *arr) {
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (i) fputc(' ', out);
        esc_value(out, v);
    }
}

static void finding_card(FILE *out, json_t *f, int num, const char *anchor) {
    bool ack = json_is_true(json_object_get(f, "acknowledged"));
    const char *kind = str(f, "kind");
    bool gap = !strcmp(kind, "not_aggregated") || !strcmp(kind, "excluded_persons");
    fprintf(out, "<div class=\"finding%s\" id=\"%s%d\" data-kind=\"", ack ? " ack" : gap ? " gap" : "", anchor, num);
    esc(out, kind);
    fprintf(out, "\">\n<h3>%d. ", num);
    esc(out, kind);
    fputs(": <code>", out);
    esc(out, str(f, "question"));
    esc_args(out, json_object_get(f, "args"));
    wrap(out, "</code> in <code>", str(f, "agreement"), "</code>");
    if (json_object_get(f, "other")) {
        wrap(out, " and <code>", str(f, "other"), "</code>");
    }
    if (ack) fputs(" <span class=\"badge warn\">acknowledged</span>", out);
    if (json_is_false(json_object_get(f, "confirmed"))) fputs(" <span class=\"badge bad\">witness not confirmed</span>", out);
    wrap(out, "</h3>\n<p class=\"region\">", str(f, "region"), "</p>\n");
    if (ack && json_object_get(f, "note")) {
        wrap(out, "<p><b>Acknowledged:</b> ", str(f, "note"), "</p>\n");
    }
    json_t *answers = json_object_get(f, "answers");
    if (json_array_size(answers)) {
        fputs("<table class=\"answers\"><tr><th>agreement</th><th>outcome</th><th>answer</th><th>article</th>"
              "<th>notes</th></tr>\n",
              out);
        size_t i;
        json_t *a;
        json_array_foreach(answers, i, a) {
            wrap(out, "<tr><td><code>", str(a, "agreement"), "</code></td><td>");
            esc(out, str(a, "outcome"));
            fputs("</td><td>", out);
            if (json_object_get(a, "value_text")) esc(out, str(a, "value_text"));
            else if (json_object_get(a, "value")) esc_value(out, json_object_get(a, "value"));
            wrap(out, "</td><td>", str(a, "cite"), "</td><td>");
            esc(out, str(a, "reason"));
            if (json_object_get(a, "counted")) {
                fputs("counts the periods of ", out);
                esc_codes(out, json_object_get(a, "counted"));
                fputs("; <b>not</b> of ", out);
                esc_codes(out, json_object_get(a, "not_counted"));
            }
            fputs("</td></tr>\n", out);
        }
        fputs("</table>\n", out);
    }
    json_t *rules = json_object_get(f, "rules");
    if (json_array_size(rules)) {
        fputs("<p class=\"articles\">Articles: ", out);
        size_t i;
        json_t *r;
        json_array_foreach(rules, i, r) {
            if (i) fputs("; ", out);
            wrap(out, "<code>", str(r, "agreement"), "</code> ");
            esc(out, str(r, "cite"));
            if (json_object_get(r, "rule")) {
                fputs(" (rule ", out);
                esc(out, str(r, "rule"));
                fputc(')', out);
            }
            if (json_object_get(r, "file")) {
                fputs(" <small>", out);
                esc(out, str(r, "file"));
                fprintf(out, ":%" JSON_INTEGER_FORMAT "</small>", json_integer_value(json_object_get(r, "line")));
            }
        }
        fputs("</p>\n", out);
    }
    if (json_object_get(f, "witness")) {
        fputs("<p>Witness case (JSON case format; <code>accord explain</code> or <code>accord eval</code> replays it):</p>\n"
              "<pre class=\"witness\">",
              out);
        esc_json(out, json_object_get(f, "witness"));
        fputs("</pre>\n", out);
    }
    fputs("</div>\n", out);
}

static int findings_of(FILE *out, json_t *findings, const char **kinds, int nkinds, bool want, const char *anchor,
                       int num) {
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f) {
        bool match = false;
        for (int k = 0; k < nkinds; k++) match |= !strcmp(str(f, "kind"), kinds[k]);
        if (match == want) finding_card(out, f, ++num, anchor);
    }
    return num;
}

/* ---- pages ---------------------------------------------------------------------------- */

void report_library_html(const Loaded *lib, const Value *states, json_t *findings, json_t *gaps, FILE *out) {
    size_t ntreaties = 0;
    for (size_t i = 0; i < lib->agreements.len; i++) ntreaties += !((IrAgreement *)lib->agreements.items[i])->is_standard;
    char sub[256];
    snprintf(sub, sizeof sub, "%zu agreements (%zu treaties), vocabulary %s; generated by accord", lib->agreements.len,
             ntreaties, lib->voc->name ? lib->voc->name : "");
    page_begin(out, "Accord: the library of agreements", sub);
    library_table(out, lib, findings);
    Coverage *cov = coverage_build(lib, states);
    matrix(out, lib, cov);
    coverage_free(cov);
    fputs("<h2 id=\"findings\">3. Conflicts and gaps found by the checker</h2>\n", out);
    if (!findings) {
        fputs("<p id=\"no-findings\">No checker findings were given to this report.</p>\n", out);
    } else if (!json_array_size(findings)) {
        fputs("<p id=\"no-findings\">The checker found nothing.</p>\n", out);
    } else {
        const char *diff[] = {"diff"};
        int n = findings_of(out, findings, diff, 1, false, "f", 0);
        if (!n) fputs("<p>Only diff regions were given (see <code>accord report --diff</code>).</p>\n", out);
    }
    if (gaps) {
        const char *careers[] = {"not_aggregated"}, *persons[] = {"excluded_persons"};
        fputs("<h2 id=\"careers\">4. Careers no single agreement adds up</h2>\n<p>Periods in three states where each "
              "agreement has only two of them among its parties: each agreement leaves one state's periods out "
              "(found by <code>accord gaps</code>, replayed by the reference interpreter).</p>\n",
              out);
        int n = findings_of(out, json_object_get(gaps, "findings"), careers, 1, true, "c", 0);
        if (!n) fputs("<p>None.</p>\n", out);
        fputs("<h2 id=\"persons\">5. Persons outside the personal scope</h2>\n", out);
        n = findings_of(out, json_object_get(gaps, "findings"), persons, 1, true, "p", 0);
        if (!n) fputs("<p>None.</p>\n", out);
    }
    page_end(out);
}

/* A horizontal bar chart of (label, count) pairs. */
static void bar_chart(FILE *out, const char *id, const char *caption, const char **labels, const int *counts, int n) {
    int max = 1;
    for (int i = 0; i < n; i++)
        if (counts[i] > max) max = counts[i];
    int h = 22 * n + 10;
    fprintf(out, "<h3>%s</h3>\n<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 760 %d\" width=\"760\" "
                 "height=\"%d\" style=\"max-width:100%%;height:auto\">\n",
            caption, id, h, h);
    for (int i = 0; i < n; i++) {
        int w = 440 * counts[i] / max;
        fprintf(out, "<text x=\"250\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">", 22 * i + 20);
        esc(out, labels[i]);
        fprintf(out, "</text><rect class=\"bar\" x=\"258\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"#0969da\"/>"
                     "<text x=\"%d\" y=\"%d\" font-size=\"12\">%d</text>\n",
                22 * i + 7, w < 1 ? 1 : w, 264 + w, 22 * i + 20, counts[i]);
    }
    fputs("</svg>\n", out);
}

static void header_row(FILE *out, const char *what, const char *a, const char *b) {
    fprintf(out, "<tr><th>%s</th><td%s>", what, strcmp(a, b) ? " class=\"warn\"" : "");
    esc(out, a);
    fprintf(out, "</td><td%s>", strcmp(a, b) ? " class=\"warn\"" : "");
    esc(out, b);
    fputs("</td></tr>\n", out);
}

static void header_text(const Loaded *lib, const IrAgreement *ag, int what, char *buf, size_t n) {
    FILE *m = fmemopen(buf, n, "w");
    if (!m) {
        buf[0] = 0;
        return;
    }
    switch (what) {
    case 0: fputs(ag->title ? ag->title : "", m); break;
    case 1: esc_parties(m, ag); break;
    case 2: case 3: {
        char d[11] = "no date";
        if (what == 2 || ag->has_terminates) acc_date_format(what == 2 ? ag->in_force : ag->terminates, d);
        fputs(d, m); /* header_row escapes the whole text */
        break;
    }
    case 4: esc_branches(m, lib, ag); break;
    case 5: fprintf(m, "%zu articles, %zu rules, %zu examples", ag->articles.len, ag->rules.len, ag->examples.len); break;
    }
    fclose(m);
}

void report_diff_html(const Loaded *lib, const IrAgreement *a, const IrAgreement *b, json_t *findings, FILE *out) {
    char title[300];
    snprintf(title, sizeof title, "Accord: %s compared with %s", a->id, b->id);
    page_begin(out, title, "the questions on which the two agreements answer differently, with a witness case for each region");
    wrap(out, "<h2 id=\"headers\">1. The two agreements</h2>\n<table id=\"sides\"><tr><th></th><th><code>", a->id, "</code></th><th><code>");
    esc(out, b->id);
    fputs("</code></th></tr>\n", out);
    static const char *rows[] = {"title", "parties", "in force", "terminates", "material scope", "size"};
    for (int r = 0; r < 6; r++) {
        char ta[2048], tb[2048];
        header_text(lib, a, r, ta, sizeof ta);
        header_text(lib, b, r, tb, sizeof tb);
        header_row(out, rows[r], ta, tb);
    }
    fputs("</table>\n", out);
    /* the regions: findings of kind diff between a and b */
    json_t *regions = json_array();
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f) {
        if (strcmp(str(f, "kind"), "diff")) continue;
        const char *x = str(f, "agreement"), *y = str(f, "other");
        if ((!strcmp(x, a->id) && !strcmp(y, b->id)) || (!strcmp(x, b->id) && !strcmp(y, a->id)))
            json_array_append(regions, f);
    }
    size_t nr = json_array_size(regions);
    fprintf(out, "<h2 id=\"chart\">2. Where they differ</h2>\n<p id=\"diff-summary\">%zu region%s where the answers differ.</p>\n",
            nr, nr == 1 ? "" : "s");
    if (nr) {
        /* regions per question, and per article named by a region's rules */
        const char *ql[64], *al[64];
        char *aown[64];
        int qc[64] = {0}, ac[64] = {0}, nq = 0, na = 0;
        json_array_foreach(regions, i, f) {
            int k;
            for (k = 0; k < nq && strcmp(ql[k], str(f, "question")); k++) {}
            if (k == nq && nq < 64) ql[nq++] = str(f, "question");
            if (k < 64) qc[k]++;
            size_t j;
            json_t *r;
            json_array_foreach(json_object_get(f, "rules"), j, r) {
                char lab[200];
                snprintf(lab, sizeof lab, "%s %s", str(r, "agreement"), str(r, "cite"));
                for (k = 0; k < na && strcmp(al[k], lab); k++) {}
                if (k == na && na < 64) al[na] = aown[na] = strdup(lab), na++;
                if (k < 64) ac[k]++;
            }
        }
        bar_chart(out, "chart-questions", "Regions per question", ql, qc, nq);
        if (na) bar_chart(out, "chart-articles", "Regions per article", al, ac, na);
        for (int k = 0; k < na; k++) free(aown[k]);
        fputs("<h2 id=\"regions\">3. The regions</h2>\n<table id=\"regions-table\"><tr><th>#</th><th>question</th>"
              "<th>region</th><th>",
              out);
        esc(out, a->id);
        wrap(out, "</th><th>", b->id, "</th></tr>\n");
        json_array_foreach(regions, i, f) {
            fprintf(out, "<tr><td class=\"num\"><a href=\"#r%zu\">%zu</a></td><td><code>", i + 1, i + 1);
            esc(out, str(f, "question"));
            esc_args(out, json_object_get(f, "args"));
            fputs("</code></td><td>", out);
            esc(out, str(f, "region"));
            for (int side = 0; side < 2; side++) {
                const char *id = side ? b->id : a->id;
                fputs("</td><td>", out);
                size_t j;
                json_t *an;
                json_array_foreach(json_object_get(f, "answers"), j, an) {
                    if (strcmp(str(an, "agreement"), id)) continue;
                    esc(out, str(an, "outcome"));
                    if (json_object_get(an, "value")) {
                        fputs(": <b>", out);
                        esc_value(out, json_object_get(an, "value"));
                        fputs("</b>", out);
                    }
                    if (json_object_get(an, "cite")) {
                        fputs(" by ", out);
                        esc(out, str(an, "cite"));
                    }
                }
            }
            fputs("</td></tr>\n", out);
        }
        fputs("</table>\n<h2 id=\"witnesses\">4. Each region with its witness</h2>\n", out);
        json_array_foreach(regions, i, f) finding_card(out, f, (int)i + 1, "r");
    } else {
        fputs("<p id=\"no-regions\">No diff regions between these two agreements were given to this report.</p>\n", out);
    }
    json_decref(regions);
    page_end(out);
}

/* ---- explain --------------------------------------------------------------------------- */

static void explain_step(FILE *out, json_t *s) {
    int depth = (int)json_integer_value(json_object_get(s, "depth"));
    const char *ev = str(s, "event");
    const char *cls = "step";
    bool yes = !strcmp(ev, "rule") && !strcmp(str(s, "result"), "decided");
    if (yes) cls = "step yes";
    else if (!strcmp(ev, "arithmetic")) cls = "step arith";
    else if (!strcmp(ev, "rule")) cls = "step no";
    fprintf(out, "<div class=\"%s\" style=\"padding-left:%dpx\">", cls, 12 + 18 * depth);
    if (!strcmp(ev, "rule")) {
        esc(out, str(s, "article"));
        if (json_object_get(s, "rule")) {
            fputs(" (rule ", out);
            esc(out, str(s, "rule"));
            fputc(')', out);
        }
        fprintf(out, " <small>line %" JSON_INTEGER_FORMAT "</small>: ", json_integer_value(json_object_get(s, "line")));
        const char *res = str(s, "result");
        if (yes) {
            fputs("applies, answer ", out);
            esc_value(out, json_object_get(s, "value"));
        } else if (!strcmp(res, "condition false")) {
            wrap(out, "does not apply: <code>", str(s, "failed"), "</code> is false");
        } else if (!strcmp(res, "failed")) {
            fputs("cannot answer (", out);
            esc(out, str(s, "outcome"));
            fputc(')', out);
        } else {
            esc(out, res);
        }
    } else if (!strcmp(ev, "overridden")) {
        esc(out, str(s, "article"));
        fputs(" gives way to its exception ", out);
        esc(out, str(s, "by"));
    } else if (!strcmp(ev, "arithmetic")) {
        wrap(out, "computes <code>", str(s, "expression"), "</code>: <b>");
        esc(out, str(s, "computation"));
        fputs("</b>", out);
        if (json_object_get(s, "article")) {
            fputs(" (", out);
            esc(out, str(s, "article"));
            fputc(')', out);
        }
    } else if (!strcmp(ev, "ask")) {
        fputs("asks <code>", out);
        esc(out, str(s, "question"));
        esc_args(out, json_object_get(s, "args"));
        fputs("</code>", out);
    } else if (!strcmp(ev, "answer")) {
        fputs("<code>", out);
        esc(out, str(s, "question"));
        esc_args(out, json_object_get(s, "args"));
        fputs("</code> is ", out);
        esc(out, str(s, "outcome"));
        if (json_object_get(s, "value")) {
            fputs(": ", out);
            esc_value(out, json_object_get(s, "value"));
        }
    }
    fputs("</div>\n", out);
}

static void explain_decision(FILE *out, json_t *answer) {
    fputs("<div class=\"decision\"><b>Decision:</b> ", out);
    esc(out, str(answer, "outcome"));
    if (json_object_get(answer, "value")) {
        fputs(", <b>", out);
        esc_value(out, json_object_get(answer, "value"));
        fputs("</b>", out);
    }
    json_t *arts = json_object_get(answer, "articles");
    if (json_array_size(arts)) {
        fputs(" by ", out);
        for (size_t x = 0; x < json_array_size(arts); x++) {
            if (x) fputs(", ", out);
            esc(out, json_string_value(json_array_get(arts, x)));
        }
        if (json_object_get(answer, "agreement")) {
            wrap(out, " of <code>", str(answer, "agreement"), "</code>");
        }
    }
    size_t x;
    json_t *bt;
    json_array_foreach(json_object_get(answer, "between"), x, bt) {
        fputs(x ? " and " : " between ", out);
        if (json_object_get(bt, "agreement")) {
            wrap(out, "<code>", str(bt, "agreement"), "</code> ");
        }
        fputs("(", out);
        esc_value(out, json_object_get(bt, "value"));
        json_t *ba = json_object_get(bt, "articles");
        for (size_t y = 0; y < json_array_size(ba); y++) {
            fputs(y ? ", " : " by ", out);
            esc(out, json_string_value(json_array_get(ba, y)));
        }
        fputc(')', out);
    }
    if (json_object_get(answer, "reason")) {
        wrap(out, " <i>(", str(answer, "reason"), ")</i>");
    }
    fputs("</div>\n", out);
}

void report_explain_html(json_t *doc, FILE *out) {
    char title[200];
    snprintf(title, sizeof title, "Accord: the explanation of case %s", str(doc, "id"));
    char sub[100];
    snprintf(sub, sizeof sub, "determination date %s", str(doc, "date"));
    page_begin(out, title, sub);
    fputs("<h2 id=\"case\">The case</h2>\n<p>States involved: ", out);
    esc_codes(out, json_object_get(doc, "involved_states"));
    fputs("</p>\n", out);
    json_t *ags = json_object_get(doc, "agreements");
    if (!json_array_size(ags)) {
        fputs("<p id=\"no-agreement\">No agreement applies: none is in force on this date with these states among its "
              "parties.</p>\n",
              out);
    } else {
        fputs("<p>Agreements that apply:</p>\n<ul>\n", out);
        size_t i;
        json_t *a;
        json_array_foreach(ags, i, a) {
            wrap(out, "<li><code>", str(a, "id"), "</code>: ");
            esc(out, str(a, "title"));
            fputs("</li>\n", out);
        }
        fputs("</ul>\n", out);
    }
    json_t *facts = json_object_get(doc, "facts_used");
    if (json_object_size(facts)) {
        fputs("<h2 id=\"facts\">Facts used</h2>\n<table id=\"facts-table\"><tr><th>fact</th><th>value</th></tr>\n", out);
        const char *k;
        json_t *v;
        json_object_foreach(facts, k, v) {
            wrap(out, "<tr><td><code>", k, "</code></td><td><code class=\"wrap\">");
            char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
            esc(out, s);
            free(s);
            fputs("</code></td></tr>\n", out);
        }
        fputs("</table>\n", out);
    }
    size_t qi;
    json_t *q;
    json_array_foreach(json_object_get(doc, "questions"), qi, q) {
        fprintf(out, "<h2 class=\"question\" id=\"q%zu\"><code>", qi + 1);
        esc(out, str(q, "question"));
        esc_args(out, json_object_get(q, "args"));
        fputs("</code></h2>\n", out);
        json_t *answer = json_object_get(q, "answer");
        explain_decision(out, answer);
        const char *winner = str(answer, "agreement");
        size_t ai;
        json_t *ba;
        json_array_foreach(json_object_get(q, "by_agreement"), ai, ba) {
            const char *agid = str(ba, "agreement");
            wrap(out, "<h3>Rules considered under <code>", agid, "</code></h3>\n");
            size_t si;
            json_t *s;
            json_array_foreach(json_object_get(ba, "steps"), si, s) explain_step(out, s);
            if (json_object_get(ba, "set_aside")) {
                wrap(out, "<p><i>This answer is set aside: ", str(ba, "set_aside"), "</i></p>\n");
            }
            /* the prose of the deciding articles of the agreements whose answer was used */
            bool used = !strcmp(winner, agid);
            size_t z;
            json_t *al;
            json_array_foreach(json_object_get(answer, "also"), z, al) used |= !strcmp(str(al, "agreement"), agid);
            if (!used) continue;
            json_array_foreach(json_object_get(ba, "deciding_articles"), z, al) {
                wrap(out, "<p class=\"article\"><b>", str(al, "article"), "</b>");
                if (json_object_get(al, "title")) {
                    wrap(out, " &#8220;", str(al, "title"), "&#8221;");
                }
                fputs("</p>\n", out);
                if (json_object_get(al, "prose")) {
                    wrap(out, "<blockquote>", str(al, "prose"), "</blockquote>\n");
                }
            }
        }
    }
    page_end(out);
}

/* ---- findings from a file ---------------------------------------------------------------- */

json_t *report_read_findings(const char *path) {
    json_error_t je;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        fprintf(stderr, "%s:%d:%d: error: %s\n", path, je.line, je.column, je.text);
        return NULL;
    }
    json_t *arr = json_is_array(doc) ? doc : json_object_get(doc, "findings");
    if (!json_is_array(arr)) {
        fprintf(stderr, "%s: error: expected {\"findings\": [...]} or an array of findings\n", path);
        json_decref(doc);
        return NULL;
    }
    size_t i;
    json_t *f;
    json_array_foreach(arr, i, f) {
        const char *bad = NULL;
        if (!json_is_object(f)) bad = "a finding must be an object";
        else if (!json_is_string(json_object_get(f, "kind"))) bad = "\"kind\" must be a string";
        else if (!json_is_string(json_object_get(f, "agreement"))) bad = "\"agreement\" must be a string";
        else if (json_object_get(f, "args") && !json_is_array(json_object_get(f, "args"))) bad = "\"args\" must be an array";
        else if (json_object_get(f, "answers") && !json_is_array(json_object_get(f, "answers"))) bad = "\"answers\" must be an array";
        else if (json_object_get(f, "rules") && !json_is_array(json_object_get(f, "rules"))) bad = "\"rules\" must be an array";
        if (bad) {
            fprintf(stderr, "%s: error: findings[%zu]: %s\n", path, i, bad);
            json_decref(doc);
            return NULL;
        }
    }
    json_incref(arr);
    json_decref(doc);
    return arr;
}
