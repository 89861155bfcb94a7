/* Unit tests for the diagnostic renderer (style G12): empty spans, spans at
 * end of file, tabs, CRLF, very long lines, the error cap. */
#include "diag.h"
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* GCC 12 mistakes the open_memstream buffer for a local (a known false
 * positive of -Wdangling-pointer); the buffer is heap memory. */
#pragma GCC diagnostic ignored "-Wdangling-pointer"

static char *render(Compilation *cx, DiagFormat f) {
    char *buf = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&buf, &n);
    diag_render(cx, out, f, false);
    fclose(out);
    return buf;
}

Test(diag, caret_underlines_the_span) {
    Compilation cx;
    cx_init(&cx);
    int f = src_add_text(&cx, "a.accord", "line one\n  bad token here\n", 26);
    diag_error(&cx, (Span){(uint32_t)f, 15, 20}, "unknown thing '%s'", "token");
    diag_hint(&cx, "try another");
    char *s = render(&cx, DIAG_FMT_HUMAN);
    cr_expect_str_eq(s, "a.accord:2:7: error: unknown thing 'token'\n"
                        "      bad token here\n"
                        "          ^~~~~\n"
                        "    hint: try another\n");
    free(s);
    s = render(&cx, DIAG_FMT_TEST);
    cr_expect_str_eq(s, "error|a.accord|2|7|unknown thing 'token'\n");
    free(s);
    cx_free(&cx);
}

Test(diag, empty_span_at_end_of_file) {
    Compilation cx;
    cx_init(&cx);
    int f = src_add_text(&cx, "e.accord", "abc", 3);
    diag_error(&cx, (Span){(uint32_t)f, 3, 3}, "unexpected end of file");
    char *s = render(&cx, DIAG_FMT_HUMAN);
    cr_expect_str_eq(s, "e.accord:1:4: error: unexpected end of file\n    abc\n       ^\n");
    free(s);
    cx_free(&cx);
}

Test(diag, tabs_and_crlf_keep_columns_aligned) {
    Compilation cx;
    cx_init(&cx);
    const char *t = "x\r\n\tfoo\r\n";
    int f = src_add_text(&cx, "t.accord", t, strlen(t));
    diag_error(&cx, (Span){(uint32_t)f, 4, 7}, "m");
    char *s = render(&cx, DIAG_FMT_HUMAN);
    /* the tab prints as one space so the caret lines up; the \r is not printed */
    cr_expect_str_eq(s, "t.accord:2:2: error: m\n     foo\n     ^~~\n");
    free(s);
    cx_free(&cx);
}

Test(diag, long_lines_are_cut_around_the_span) {
    Compilation cx;
    cx_init(&cx);
    char line[1001];
    memset(line, 'a', 1000);
    line[1000] = 0;
    memcpy(line + 500, "XYZ", 3);
    int f = src_add_text(&cx, "l.accord", line, 1000);
    diag_error(&cx, (Span){(uint32_t)f, 500, 503}, "here");
    char *s = render(&cx, DIAG_FMT_HUMAN);
    cr_expect(strstr(s, "...") != NULL, "the line is elided: %s", s);
    cr_expect(strlen(s) < 400, "not the whole 1000-byte line");
    char *x = strstr(s, "XYZ");
    char *caret = strchr(strchr(s, '\n') + 1, '\n') + 1;
    cr_assert(x && caret);
    /* the caret column equals the XYZ column in the excerpt line */
    char *excerpt = strchr(s, '\n') + 1;
    cr_expect_eq(strchr(caret, '^') - caret, x - excerpt);
    free(s);
    cx_free(&cx);
}

Test(diag, spans_past_end_of_line_and_multiline) {
    Compilation cx;
    cx_init(&cx);
    const char *t = "ab\ncd\n";
    int f = src_add_text(&cx, "m.accord", t, strlen(t));
    diag_error(&cx, (Span){(uint32_t)f, 1, 5}, "multi");
    char *s = render(&cx, DIAG_FMT_HUMAN);
    cr_expect_str_eq(s, "m.accord:1:2: error: multi\n    ab\n     ^\n");
    free(s);
    cx_free(&cx);
}

Test(diag, error_cap_stops_recording) {
    Compilation cx;
    cx_init(&cx);
    int f = src_add_text(&cx, "c.accord", "x", 1);
    for (unsigned i = 0; i < cx.max_errors + 10; i++) diag_error(&cx, (Span){(uint32_t)f, 0, 1}, "e%u", i);
    cr_expect_eq(diag_error_count(&cx), cx.max_errors + 10);
    cr_expect_eq(cx.ndiags, cx.max_errors + 1, "the cap plus one 'too many errors' line");
    cr_expect(strstr(cx.diags[cx.ndiags - 1].msg, "too many errors") != NULL);
    cx_free(&cx);
}

Test(diag, diagnostics_without_a_span) {
    Compilation cx;
    cx_init(&cx);
    diag_error_nospan(&cx, "cannot open '%s'", "x");
    char *s = render(&cx, DIAG_FMT_HUMAN);
    cr_expect_str_eq(s, "accord: error: cannot open 'x'\n");
    free(s);
    cx_free(&cx);
}
