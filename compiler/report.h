/* report.h - analyst reports: self-contained HTML pages (`accord report`,
 * `accord explain --format html`, SPEC §16).
 *
 * Consumes: checked agreements (driver.h); the corridor coverage of gaps.h;
 * findings as jansson arrays in the schema of the checker's findings
 * (conflicts, gaps, diff regions: kind, agreement, other, question, args,
 * rules, answers, region, witness, acknowledged, note), from the checker or
 * from a file (report_read_findings); an accord-explain/1 document
 * (eval.h engine_explain_json).
 * Produces: ONE HTML file per page, with inline CSS and inline SVG only: no
 * script, no external resource, and a Content-Security-Policy that forbids
 * loading anything, so that a page can be mailed to a colleague and opened
 * offline, and prints to PDF.
 * Guarantees: every text that comes from an agreement, a finding or a case
 * is HTML-escaped (a title containing <script> shows as text); the coverage
 * matrix SVG (id "coverage") has exactly one <rect class="cell"> per corridor
 * (the lower triangle of states x states); deterministic output.
 * Memory: nothing is kept; findings stay owned by the caller.
 */
#ifndef ACCORD_REPORT_H
#define ACCORD_REPORT_H
#include "driver.h"
#include <jansson.h>
#include <stdio.h>

/* Read findings from a file: {"findings": [...]} (the output of `accord
 * conflicts --format json`) or a bare array.  Each finding must be an object
 * with a string "kind"; on a problem prints "FILE:LINE:COL: error: ..." or
 * "FILE: findings[i]: ..." to stderr and returns NULL.  Caller owns the result. */
json_t *report_read_findings(const char *path);

/* The library report: agreements and their check status (from `findings`),
 * the coverage matrix over `states` (NULL: every party), the findings with
 * their witnesses, and the network gaps of `gaps` (gaps_json; may be NULL). */
void report_library_html(const Loaded *lib, const Value *states, json_t *findings, json_t *gaps, FILE *out);

/* The diff of agreements a and b: both headers side by side, the regions
 * where they answer differently (findings of kind "diff" between a and b,
 * in either order) as a table and a bar chart by question and by article. */
void report_diff_html(const Loaded *lib, const IrAgreement *a, const IrAgreement *b, json_t *findings, FILE *out);

/* One case's explanation (an accord-explain/1 document) as a page. */
void report_explain_html(json_t *explain, FILE *out);
#endif
