/* jsonpath.c - see jsonpath.h. */
#include "jsonpath.h"
#include <stdio.h>

static size_t grow(AccJsonPath *p, size_t old, int n) {
    if (n > 0) p->len = p->len + (size_t)n < sizeof p->s ? p->len + (size_t)n : sizeof p->s - 1;
    return old;
}

size_t acc_jpath_field(AccJsonPath *p, const char *name) {
    size_t old = p->len;
    return grow(p, old, snprintf(p->s + p->len, sizeof p->s - p->len, "%s%s", p->len ? "." : "", name));
}

size_t acc_jpath_index(AccJsonPath *p, size_t i) {
    size_t old = p->len;
    return grow(p, old, snprintf(p->s + p->len, sizeof p->s - p->len, "[%zu]", i));
}

void acc_jpath_pop(AccJsonPath *p, size_t old) {
    p->len = old;
    p->s[old] = 0;
}

const char *acc_json_kind(const json_t *j) {
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a decimal number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}
