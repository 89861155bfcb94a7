/* columnar.c - columnar batches (accord.h, "columnar batches"): converting
 * cases between the struct layout and the columns, and the single-case path
 * of the columnar entry points.  Everything is driven by the column table
 * the compiler generates (acc_columnar.columns), whose depth-first order
 * (a list column followed by its element columns, up to `end`) is what
 * both walks below follow.  No state but a diagnostic counter of the cases
 * sent to the single-case path (an atomic: thread-safe). */
#define _GNU_SOURCE /* dladdr, RTLD_NOLOAD */
#include "accord.h"
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

int32_t acc_column_narrow_entry(int32_t kind, const void *field) {
    if (kind == ACC_T_RATIO || kind == ACC_T_PERCENT) {
        acc_rat q;
        memcpy(&q, field, sizeof q);
        int64_t den = q.den ? q.den : 1; /* a zeroed field is 0 */
        if (den < 0 || ACC_COL_RAT_D % den != 0) return ACC_COL_WIDE;
        int64_t k = ACC_COL_RAT_D / den, lim = (int64_t)1 << 29;
        /* |num| < lim, else num * k (k >= 1) is out of range anyway; then no overflow */
        if (q.num <= -lim || q.num >= lim) return ACC_COL_WIDE;
        int64_t v = q.num * k;
        return v > -lim && v < lim ? (int32_t)v : ACC_COL_WIDE;
    }
    int64_t x;
    memcpy(&x, field, sizeof x);
    return x > INT32_MIN && x <= INT32_MAX ? (int32_t)x : ACC_COL_WIDE;
}

/* An entry of a list column: the row of element 0, and the count; element k
 * is at row first + k * chunk (accord.h). */
typedef struct ListEntry {
    uint32_t first, count;
} ListEntry;

/* Columns [begin, end) of one struct (the case, or an element of list
 * `parent`), row `row` of them, into dst (when write): lists get their
 * items after the struct, at *used (bytes of buf used so far). */
static void unpack(const acc_columnar *cz, const void *const *cols, uint32_t begin, uint32_t end, size_t row, char *dst,
                   char *buf, size_t *used, bool write) {
    for (uint32_t c = begin; c < end; c++) {
        const acc_column_desc *d = &cz->columns[c];
        if (d->encoding != ACC_COL_STRUCT) continue; /* a copy of the column before it */
        if (d->kind != ACC_T_LIST) {
            if (write) memcpy(dst + d->offset, (const char *)cols[c] + row * d->size, d->size);
            continue;
        }
        ListEntry e;
        memcpy(&e, (const char *)cols[c] + row * sizeof e, sizeof e);
        size_t m = e.count;
        size_t at = align8(*used);
        *used = at + m * d->elem_size;
        if (write) memset(buf + at, 0, m * d->elem_size);
        for (size_t k = 0; k < m; k++)
            unpack(cz, cols, c + 1, d->end, (size_t)e.first + k * cz->chunk, write ? buf + at + k * d->elem_size : NULL, buf, used,
                   write);
        if (write) {
            acc_list l = {buf + at, (uint32_t)m};
            memcpy(dst + d->offset, &l, sizeof l);
        }
        c = d->end - 1;
    }
}

size_t acc_columns_case(const acc_columnar *cz, const void *const *cols, size_t i, void *buf, size_t cap) {
    size_t size = cz->module->records[cz->module->case_record].size, used = align8(size);
    unpack(cz, cols, 0, cz->ncolumns, i, NULL, NULL, &used, false);
    if (used > cap) return used;
    size_t need = used;
    memset(buf, 0, align8(size));
    used = align8(size);
    unpack(cz, cols, 0, cz->ncolumns, i, buf, buf, &used, true);
    return need;
}

static atomic_ullong fallbacks;

unsigned long long acc_columns_fallback_count(void) { return atomic_load_explicit(&fallbacks, memory_order_relaxed); }

void acc_columns_fallback(const acc_columnar *cz, uint32_t q, const void *const *cols, size_t i, const acc_value *args,
                          acc_decision *out) {
    atomic_fetch_add_explicit(&fallbacks, 1, memory_order_relaxed);
    _Alignas(16) char local[4096];
    char *buf = local;
    size_t need = acc_columns_case(cz, cols, i, local, sizeof local);
    if (need > sizeof local) {
        buf = malloc(need);
        if (!buf) {
            memset(out, 0, sizeof *out);
            out->kind = ACC_ERROR;
            out->rule = -1;
            return;
        }
        acc_columns_case(cz, cols, i, buf, need);
    }
    acc_result r;
    cz->module->questions[q].ask(buf, args, &r);
    out->kind = r.kind;
    out->rule = r.nrules > 0 ? r.rules[0] : -1;
    out->value = r.value;
    if (buf != local) free(buf);
}

/* The rows of every table: the case table (n rows) and, per list column,
 * the table of its elements, each row as the struct it comes from (NULL:
 * a padding row, zero in every column).  A table's rows are grouped in
 * blocks of `chunk` rows; the elements of a block's rows take
 * maxlen * chunk rows of the element table (fewer for the last position
 * when the block is short), element k of the block's row l at
 * bstart + k * chunk + l. */
typedef struct Table {
    const char **src;
    size_t rows;
    ListEntry *ent;                /* a list's table: the entries of its parent's rows */
} Table;

/* the tables of the lists among columns [begin, end), whose parent table is t */
static bool plan(const acc_columnar *cz, Table *tabs, uint32_t begin, uint32_t end, const Table *t) {
    size_t ch = cz->chunk;
    for (uint32_t c = begin; c < end; c++) {
        const acc_column_desc *d = &cz->columns[c];
        if (d->kind != ACC_T_LIST) continue;
        Table *e = &tabs[c];
        e->ent = calloc(t->rows + 1, sizeof *e->ent);
        if (!e->ent) return false;
        size_t rows = 0;
        for (size_t b = 0; b < t->rows; b += ch) {
            size_t in = t->rows - b < ch ? t->rows - b : ch, mx = 0;
            for (size_t l = 0; l < in; l++) {
                acc_list li = {0};
                if (t->src[b + l]) memcpy(&li, t->src[b + l] + d->offset, sizeof li);
                e->ent[b + l] = (ListEntry){(uint32_t)(rows + l), li.n};
                if (li.n > mx) mx = li.n;
            }
            if (mx) rows += (mx - 1) * ch + in;
            if (rows > UINT32_MAX) return false;
        }
        e->rows = rows;
        e->src = calloc(rows + 1, sizeof *e->src);
        if (!e->src) return false;
        for (size_t r = 0; r < t->rows; r++) {
            acc_list li = {0};
            if (t->src[r]) memcpy(&li, t->src[r] + d->offset, sizeof li);
            for (uint32_t k = 0; k < li.n; k++) e->src[e->ent[r].first + k * ch] = (const char *)li.items + (size_t)k * d->elem_size;
        }
        if (!plan(cz, tabs, c + 1, d->end, e)) return false;
        c = d->end - 1;
    }
    return true;
}

/* the columns [begin, end) of table t (and, recursively, of its lists) */
static void fill(const acc_columnar *cz, const Table *tabs, char **cols, uint32_t begin, uint32_t end, const Table *t) {
    for (uint32_t c = begin; c < end; c++) {
        const acc_column_desc *d = &cz->columns[c];
        if (d->encoding == ACC_COL_NARROW) {
            int32_t *out = (int32_t *)(void *)cols[c];
            for (size_t r = 0; r < t->rows; r++)
                if (t->src[r]) out[r] = acc_column_narrow_entry(d->kind, t->src[r] + d->offset);
            continue;
        }
        if (d->kind != ACC_T_LIST) {
            /* the common sizes as constant-size copies (inlined) */
#define COPY(sz)                                                                                                                 \
    for (size_t r = 0; r < t->rows; r++)                                                                                         \
        if (t->src[r]) memcpy(cols[c] + r * (sz), t->src[r] + d->offset, (sz));
            switch (d->size) {
            case 1: COPY(1) break;
            case 4: COPY(4) break;
            case 8: COPY(8) break;
            case 16: COPY(16) break;
            default: COPY(d->size) break;
            }
#undef COPY
            continue;
        }
        memcpy(cols[c], tabs[c].ent, t->rows * sizeof(ListEntry));
        fill(cz, tabs, cols, c + 1, d->end, &tabs[c]);
        c = d->end - 1;
    }
}

acc_columns *acc_columns_from_cases(const acc_columnar *cz, const void *cases, size_t stride, size_t n) {
    uint32_t nc = cz->ncolumns;
    Table *tabs = calloc(nc + 1, sizeof *tabs);
    Table top = {calloc(n + 1, sizeof(const char *)), n, NULL};
    acc_columns *out = calloc(1, sizeof *out);
    char **cols = calloc(nc + 1, sizeof *cols);
    if (!tabs || !top.src || !out || !cols || cz->chunk == 0) goto fail;
    for (size_t i = 0; i < n; i++) top.src[i] = (const char *)cases + i * stride;
    if (!plan(cz, tabs, 0, nc, &top)) goto fail;
    /* rows of each column: n for the case's, its list's element rows for the others */
    size_t total = 0;
    for (uint32_t c = 0; c < nc; c++) {
        const acc_column_desc *d = &cz->columns[c];
        size_t r = d->list < 0 ? n : tabs[d->list].rows;
        total += align8(r * d->size) + 64;
    }
    out->mem = malloc(total ? total : 1);
    if (!out->mem) goto fail;
    memset(out->mem, 0, total ? total : 1);
    size_t at = 0;
    for (uint32_t c = 0; c < nc; c++) {
        const acc_column_desc *d = &cz->columns[c];
        size_t r = d->list < 0 ? n : tabs[d->list].rows;
        cols[c] = (char *)out->mem + at;
        at += align8(r * d->size) + 64;
    }
    fill(cz, tabs, cols, 0, nc, &top);
    out->n = n;
    out->cols = (const void **)cols;
    for (uint32_t c = 0; c < nc; c++) {
        free(tabs[c].src);
        free(tabs[c].ent);
    }
    free(tabs);
    free(top.src);
    return out;
fail:
    if (tabs)
        for (uint32_t c = 0; c < nc; c++) {
            free(tabs[c].src);
            free(tabs[c].ent);
        }
    free(tabs);
    free(top.src);
    free(cols);
    if (out) free(out->mem);
    free(out);
    return NULL;
}

void acc_columns_free(acc_columns *c) {
    if (!c) return;
    free(c->cols);
    free(c->mem);
    free(c);
}

const acc_columnar *acc_columnar_of(const acc_module *m) {
    Dl_info info;
    if (!m || !dladdr(m, &info) || !info.dli_fname) return NULL;
    void *h = dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD);
    if (!h) return NULL;
    const acc_columnar *cz = (const acc_columnar *)dlsym(h, "accord_columnar");
    dlclose(h); /* acc_load holds the library */
    return cz && cz->module == m ? cz : NULL;
}
