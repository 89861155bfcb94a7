/* arena.h - one arena per compilation (style G6).
 *
 * Consumes: nothing.  Produces: zeroed (arena_alloc_raw: unzeroed), 16-byte
 * aligned memory that lives until arena_free_all().  Every AST node, type, IR node and interned string
 * of a compilation comes from its arena, so error recovery in the parser can
 * drop half-built trees without leaking and no pass frees nodes one by one.
 * arena_alloc never returns NULL: on exhaustion of the C heap it aborts
 * (an out-of-memory compiler has nothing useful left to say).
 * Must never: hand out memory that outlives the arena, or be shared between
 * threads without external locking.
 */
#ifndef ACCORD_ARENA_H
#define ACCORD_ARENA_H
#include <stddef.h>

typedef struct ArenaChunk ArenaChunk;
typedef struct Arena {
    ArenaChunk *head;
    size_t total;          /* bytes handed out, for --stats and tests */
} Arena;

void *arena_alloc(Arena *a, size_t size);
/* The same without the zeroing, for the hot callers that write every byte
 * they will read before reading it (a box's dimensions, a copied record):
 * the contents are unspecified until written. */
void *arena_alloc_raw(Arena *a, size_t size);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free_all(Arena *a);

/* Growable array of pointers backed by the arena (old storage is simply
 * abandoned on growth; the arena reclaims it at the end). */
typedef struct PtrVec {
    void **items;
    size_t len, cap;
} PtrVec;
void ptrvec_push(Arena *a, PtrVec *v, void *p);

/* Checked heap allocation for the few objects with their own lifetime
 * (bison's stack, flex buffers, interpreter scratch). Aborts on failure. */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
void *xcalloc(size_t n, size_t m);
#endif
