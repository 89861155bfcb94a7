/* csvcase.c - flat cases from CSV (SPEC §12.3); see caseio.h.
 *
 * Each CSV row becomes the JSON object the JSON Lines reader would have
 * seen, so both formats share one validation path (case_from_json) and one
 * set of error messages.  A row holds the flat part of a case: the person,
 * at most one activity, the claim.  Insurance periods come from a second
 * CSV keyed by case id, read whole at open (periods files are small next to
 * case files; the case file itself is streamed).
 */
#include "caseio.h"
#include "arena.h"
#include <stdlib.h>
#include <string.h>

typedef enum { C_STR, C_BOOL, C_NUM, C_LIST } ColKind;
typedef struct Column {
    const char *name;
    const char *path;   /* dotted JSON path; "activities.0.x" is the single activity */
    ColKind kind;
} Column;

/* ORDER CSV_COLUMNS: SPEC §12.3 lists the same columns. */
static const Column columns[] = {
    {"id", "id", C_STR},
    {"date", "date", C_STR},
    {"nationalities", "person.nationalities", C_LIST},
    {"stateless", "person.stateless", C_BOOL},
    {"refugee", "person.refugee", C_BOOL},
    {"residence", "person.residence", C_STR},
    {"birth_date", "person.birth_date", C_STR},
    {"migration_status", "person.migration_status", C_STR},
    {"role", "person.role", C_STR},
    {"state", "activities.0.state", C_STR},
    {"kind", "activities.0.kind", C_STR},
    {"sector", "activities.0.sector", C_STR},
    {"employer_seat", "activities.0.employer_seat", C_STR},
    {"share", "activities.0.share", C_NUM},
    {"marginal", "activities.0.marginal", C_BOOL},
    {"flag_state", "activities.0.flag_state", C_STR},
    {"home_base", "activities.0.home_base", C_STR},
    {"posted", "activities.0.posted", C_BOOL},
    {"sending_state", "activities.0.posting.sending_state", C_STR},
    {"posting_start", "activities.0.posting.start", C_STR},
    {"anticipated_end", "activities.0.posting.anticipated_end", C_STR},
    {"months_insured_before", "activities.0.posting.months_insured_before", C_NUM},
    {"replaces_posted_person", "activities.0.posting.replaces_posted_person", C_BOOL},
    {"employer_substantial_activity", "activities.0.posting.employer_substantial_activity", C_BOOL},
    {"similar_activity", "activities.0.posting.similar_activity", C_BOOL},
    {"qualified", "activities.0.qualified", C_BOOL},
    {"skilled", "activities.0.skilled", C_BOOL},
    {"unemployment_benefit_from", "unemployment_benefit_from", C_STR},
    {"armed_service", "armed_service", C_STR},
    {"exception_state", "exception_state", C_STR},
    {"departed", "departed", C_BOOL},
    {"claim_branch", "claim.branch", C_STR},
    {"claim_date", "claim.date", C_STR},
    {"claim_residence", "claim.residence", C_STR},
};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

const char *const csv_columns[] = {
    "id", "date", "nationalities", "stateless", "refugee", "residence", "birth_date", "migration_status", "role",
    "state", "kind", "sector", "employer_seat", "share", "marginal", "flag_state", "home_base", "posted",
    "sending_state", "posting_start", "anticipated_end", "months_insured_before", "replaces_posted_person",
    "employer_substantial_activity", "similar_activity", "qualified", "skilled", "unemployment_benefit_from",
    "armed_service", "exception_state", "departed", "claim_branch", "claim_date", "claim_residence", NULL
};

static const char *const period_columns[] = {"id", "state", "branch", "from", "to", "type"};

struct CsvReader {
    FILE *in;
    long line;               /* physical line where the current row starts */
    long next_line;
    int ncols;
    int map[64];             /* column i of the file -> index in columns[], -1 unused */
    json_t *periods;         /* id -> array of period objects */
    json_t *used;            /* ids of cases seen */
    char *buf;
    size_t cap;
};

/* Read one CSV record (RFC 4180: quoted fields, "" inside quotes, newlines
 * inside quotes).  Fields are returned as NUL-separated strings in r->buf;
 * returns the number of fields, 0 at end of input, -1 on a malformed record
 * (an unterminated quote), -2 when the record is longer than 1 MiB. */
static int read_record(CsvReader *r, FILE *in, char ***fields_out) {
    static const size_t max = 1 << 20;
    size_t len = 0;
    int nf = 0, c;
    bool quoted = false, any = false, too_long = false;
    static char *fields[256];
    r->line = r->next_line;
    fields[nf++] = NULL; /* set below */
    size_t starts[256];
    starts[0] = 0;
    for (;;) {
        c = getc(in);
        if (c == EOF) {
            if (!any) return 0;
            if (quoted) { r->next_line++; return -1; }
            break;
        }
        any = true;
        if (quoted) {
            if (c == '"') {
                int d = getc(in);
                if (d == '"') { /* escaped quote */
                } else {
                    quoted = false;
                    if (d != EOF) ungetc(d, in);
                    continue;
                }
            } else if (c == '\n') {
                r->next_line++;
            }
        } else if (c == '"') {
            quoted = true;
            continue;
        } else if (c == ',') {
            c = 0;
            if (nf < 256) starts[nf++] = len + 1;
        } else if (c == '\n') {
            r->next_line++;
            break;
        } else if (c == '\r') {
            continue;
        }
        if (len + 2 > max) { too_long = true; continue; }
        if (len + 2 > r->cap) {
            r->cap = r->cap ? r->cap * 2 : 4096;
            r->buf = xrealloc(r->buf, r->cap);
        }
        r->buf[len++] = (char)c;
    }
    if (too_long) return -2;
    if (len + 1 > r->cap) {
        r->cap = len + 1;
        r->buf = xrealloc(r->buf, r->cap);
    }
    r->buf[len] = 0;
    for (int i = 0; i < nf; i++) fields[i] = r->buf + starts[i];
    *fields_out = fields;
    return nf;
}

/* Set obj.path (dotted; a numeric part indexes an array) to v. */
static void set_path(json_t *obj, const char *path, json_t *v) {
    char part[64];
    const char *dot = strchr(path, '.');
    size_t n = dot ? (size_t)(dot - path) : strlen(path);
    snprintf(part, sizeof part, "%.*s", (int)n, path);
    if (!dot) {
        json_object_set_new(obj, part, v);
        return;
    }
    const char *rest = dot + 1;
    bool next_is_index = rest[0] >= '0' && rest[0] <= '9';
    json_t *child = json_object_get(obj, part);
    if (!child) {
        child = next_is_index ? json_array() : json_object();
        json_object_set_new(obj, part, child);
    }
    if (next_is_index) {
        const char *dot2 = strchr(rest, '.');
        if (json_array_size(child) == 0) json_array_append_new(child, json_object());
        set_path(json_array_get(child, 0), dot2 ? dot2 + 1 : "", v);
    } else {
        set_path(child, rest, v);
    }
}

static json_t *cell_json(const char *s, ColKind k) {
    switch (k) {
    case C_BOOL:
        if (!strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "yes")) return json_true();
        if (!strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "no")) return json_false();
        return json_string(s); /* reported as "expected true or false" with its path */
    case C_NUM: {
        char *end;
        long long v = strtoll(s, &end, 10);
        if (*s && !*end) return json_integer(v);
        return json_string(s);
    }
    case C_LIST: {
        json_t *a = json_array();
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", s);
        for (char *t = strtok(buf, " ;"); t; t = strtok(NULL, " ;")) json_array_append_new(a, json_string(t));
        return a;
    }
    default: return json_string(s);
    }
}

static bool header(CsvReader *r, FILE *in, const char *const *names, int nnames, int *map, int *ncols, CaseError *err,
                   const char *what) {
    char **f;
    int n = read_record(r, in, &f);
    if (n <= 0) {
        snprintf(err->message, sizeof err->message, "%s: no header line", what);
        return false;
    }
    if (n > 64) {
        snprintf(err->message, sizeof err->message, "%s: more than 64 columns", what);
        return false;
    }
    bool has_id = false;
    /* a UTF-8 byte-order mark (spreadsheet "CSV UTF-8" exports) is not part of the first name */
    if (!strncmp(f[0], "\xEF\xBB\xBF", 3)) f[0] += 3;
    for (int i = 0; i < n; i++) {
        map[i] = -1;
        for (int k = 0; k < nnames; k++)
            if (!strcmp(f[i], names[k])) map[i] = k;
        if (map[i] < 0) {
            snprintf(err->message, sizeof err->message, "%s: unknown column '%s' (see SPEC §12.3 for the columns)", what, f[i]);
            return false;
        }
        for (int k = 0; k < i; k++)
            if (map[k] == map[i]) {
                snprintf(err->message, sizeof err->message, "%s: column '%s' appears twice", what, f[i]);
                return false;
            }
        if (map[i] == 0) has_id = true;
    }
    if (!has_id) {
        snprintf(err->message, sizeof err->message, "%s: there is no 'id' column", what);
        return false;
    }
    *ncols = n;
    return true;
}

CsvReader *csv_open(const IrVocabulary *voc, FILE *cases, FILE *periods, CaseError *err) {
    (void)voc;
    memset(err, 0, sizeof *err);
    CsvReader *r = xcalloc(1, sizeof *r);
    r->in = cases;
    r->next_line = 1;
    r->periods = json_object();
    r->used = json_object();
    const char *names[NCOLUMNS];
    for (size_t i = 0; i < NCOLUMNS; i++) names[i] = columns[i].name;
    if (periods) {
        int pmap[64], pn;
        CsvReader pr = {0};
        pr.next_line = 1;
        if (!header(&pr, periods, period_columns, 6, pmap, &pn, err, "periods CSV")) {
            free(pr.buf);
            csv_close(r);
            return NULL;
        }
        char **f;
        int n;
        while ((n = read_record(&pr, periods, &f)) != 0) {
            if (n != pn) {
                snprintf(err->message, sizeof err->message, "periods CSV line %ld: %d fields, the header has %d", pr.line,
                         n < 0 ? 0 : n, pn);
                free(pr.buf);
                csv_close(r);
                return NULL;
            }
            json_t *p = json_object();
            const char *id = "";
            for (int i = 0; i < n; i++) {
                if (pmap[i] == 0) id = f[i];
                else if (*f[i]) json_object_set_new(p, period_columns[pmap[i]], json_string(f[i]));
            }
            json_t *list = json_object_get(r->periods, id);
            if (!list) {
                list = json_array();
                json_object_set_new(r->periods, id, list);
            }
            json_array_append_new(list, p);
        }
        free(pr.buf);
    }
    if (!header(r, cases, names, (int)NCOLUMNS, r->map, &r->ncols, err, "cases CSV")) {
        csv_close(r);
        return NULL;
    }
    return r;
}

json_t *csv_next(CsvReader *r, long *line) {
    char **f;
    int n = read_record(r, r->in, &f);
    *line = r->line;
    if (n == 0) return NULL;
    json_t *o = json_object();
    if (n == -1 || n == -2 || n != r->ncols) {
        /* keep the id when it can be read, so the error record names the case */
        for (int i = 0; n > 0 && i < n && i < r->ncols; i++)
            if (r->map[i] == 0 && *f[i]) json_object_set_new(o, "id", json_string(f[i]));
        json_object_set_new(o, "__error__",
                            json_string(n == -1 ? "unterminated quoted field"
                                        : n == -2 ? "row longer than 1 MiB"
                                                  : "the row does not have as many fields as the header"));
        return o;
    }
    for (int i = 0; i < n; i++) {
        if (!*f[i]) continue; /* an empty cell is a fact not given */
        const Column *c = &columns[r->map[i]];
        set_path(o, c->path, cell_json(f[i], c->kind));
    }
    json_t *id = json_object_get(o, "id");
    if (json_is_string(id)) {
        json_t *ps = json_object_get(r->periods, json_string_value(id));
        if (ps) json_object_set(o, "periods", ps);
        json_object_set_new(r->used, json_string_value(id), json_true());
    }
    return o;
}

/* Periods whose id matched no case are an error, not silently dropped. */
int csv_unused_periods(CsvReader *r, char *first, size_t n) {
    int count = 0;
    const char *key;
    json_t *v;
    json_object_foreach(r->periods, key, v) {
        if (json_object_get(r->used, key)) continue;
        if (!count) snprintf(first, n, "%s", key);
        count += (int)json_array_size(v);
    }
    return count;
}

void csv_close(CsvReader *r) {
    if (!r) return;
    json_decref(r->periods);
    json_decref(r->used);
    free(r->buf);
    free(r);
}
