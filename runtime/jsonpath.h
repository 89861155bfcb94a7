/* jsonpath.h - where a value sits inside a JSON case ("periods[2].to"), for
 * located errors, and the name of a JSON value's kind ("an array").
 *
 * Shared by the two case readers, the compiler's (compiler/caseio.c, into
 * Values) and libaccord's (runtime/casejson.c, into the ABI layout), so that
 * both name a bad field in the same words.  Internal to the project: not
 * installed.  Memory: the path lives in the caller's struct; nothing is
 * allocated.  A path longer than the buffer is cut, never overrun.
 */
#ifndef ACCORD_JSONPATH_H
#define ACCORD_JSONPATH_H
#include <jansson.h>
#include <stddef.h>

typedef struct AccJsonPath {
    char s[160];
    size_t len;
} AccJsonPath;

/* Append ".name" (or "name" at the top) / "[i]"; return the length before,
 * for acc_jpath_pop. */
size_t acc_jpath_field(AccJsonPath *p, const char *name);
size_t acc_jpath_index(AccJsonPath *p, size_t i);
void acc_jpath_pop(AccJsonPath *p, size_t old);
/* "an object", "an array", "a string", "an integer", "a decimal number",
 * "a boolean", "null". */
const char *acc_json_kind(const json_t *j);
#endif
