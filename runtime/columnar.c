/* columnar.c - columnar batches (accord.h, "columnar batches"): converting
 * cases between the struct layout and the columns, and the single-case path
 * of the columnar entry points.  Everything is driven by the column table
 * the compiler generates (acc_columnar.columns), whose depth-first order
 * (an offsets column followed by its element columns, up to `end`) is what
 * both walks below follow.  No state; thread-safe. */
#define _GNU_SOURCE /* dladdr, RTLD_NOLOAD */
#include "accord.h"
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

/* Columns [begin, end) of one struct (the case, or an element of list
 * `parent`), row `row` of them, into dst (when write): lists get their
 * items after the struct, at *used (bytes of buf used so far). */
static void unpack(const acc_columnar *cz, const void *const *cols, uint32_t begin, uint32_t end, size_t row, char *dst,
                   char *buf, size_t *used, bool write) {
    for (uint32_t c = begin; c < end; c++) {
        const acc_column_desc *d = &cz->columns[c];
        if (d->kind != ACC_T_LIST) {
            if (write) memcpy(dst + d->offset, (const char *)cols[c] + row * d->size, d->size);
            continue;
        }
        const uint32_t *off = cols[c];
        uint32_t lo = off[row], hi = off[row + 1];
        size_t m = hi > lo ? (size_t)(hi - lo) : 0;
        size_t at = align8(*used);
        *used = at + m * d->elem_size;
        if (write) memset(buf + at, 0, m * d->elem_size);
        for (size_t k = 0; k < m; k++)
            unpack(cz, cols, c + 1, d->end, lo + k, write ? buf + at + k * d->elem_size : NULL, buf, used, write);
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

void acc_columns_fallback(const acc_columnar *cz, uint32_t q, const void *const *cols, size_t i, const acc_value *args,
                          acc_decision *out) {
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

/* the reverse walk: row `row` of a struct at src into the columns (when
 * write); count[c] counts the elements of offsets column c so far */
static void pack(const acc_columnar *cz, char **cols, size_t *count, uint32_t begin, uint32_t end, size_t row, const char *src,
                 bool write) {
    for (uint32_t c = begin; c < end; c++) {
        const acc_column_desc *d = &cz->columns[c];
        if (d->kind != ACC_T_LIST) {
            if (write) memcpy(cols[c] + row * d->size, src + d->offset, d->size);
            continue;
        }
        acc_list l;
        memcpy(&l, src + d->offset, sizeof l);
        if (write) ((uint32_t *)(void *)cols[c])[row] = (uint32_t)count[c];
        for (uint32_t k = 0; k < l.n; k++)
            pack(cz, cols, count, c + 1, d->end, count[c] + k, (const char *)l.items + (size_t)k * d->elem_size, write);
        count[c] += l.n;
        if (write) ((uint32_t *)(void *)cols[c])[row + 1] = (uint32_t)count[c];
        c = d->end - 1;
    }
}

acc_columns *acc_columns_from_cases(const acc_columnar *cz, const void *cases, size_t stride, size_t n) {
    uint32_t nc = cz->ncolumns;
    size_t *count = calloc(nc + 1, sizeof *count), *rows = calloc(nc + 1, sizeof *rows);
    acc_columns *out = calloc(1, sizeof *out);
    char **cols = calloc(nc + 1, sizeof *cols);
    if (!count || !rows || !out || !cols) goto fail;
    for (size_t i = 0; i < n; i++) pack(cz, cols, count, 0, nc, i, (const char *)cases + i * stride, false);
    /* rows of each column: n for the case's, the element count of its list for the others */
    size_t total = 0;
    for (uint32_t c = 0; c < nc; c++) {
        const acc_column_desc *d = &cz->columns[c];
        size_t r = d->list < 0 ? n : count[d->list];
        if (d->kind == ACC_T_LIST) {
            if (count[c] > UINT32_MAX) goto fail;
            r += 1;
        }
        rows[c] = r;
        total += align8(r * d->size) + 8;
    }
    out->mem = malloc(total ? total : 1);
    if (!out->mem) goto fail;
    memset(out->mem, 0, total ? total : 1);
    size_t at = 0;
    for (uint32_t c = 0; c < nc; c++) {
        cols[c] = (char *)out->mem + at;
        at += align8(rows[c] * cz->columns[c].size) + 8;
        count[c] = 0;
    }
    for (size_t i = 0; i < n; i++) pack(cz, cols, count, 0, nc, i, (const char *)cases + i * stride, true);
    out->n = n;
    out->cols = (const void **)cols;
    free(count);
    free(rows);
    return out;
fail:
    free(count);
    free(rows);
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
