/* layout.h - the C layout of the vocabulary's records (runtime/accord.h, ABI 1).
 *
 * Consumes: the checked vocabulary.  Produces: for every record, its size,
 * alignment and the offset of each field under the ABI's rules (natural C
 * alignment, types as listed in runtime/accord.h); the code generator, the
 * header generator and the module descriptors all read offsets from here,
 * so that compiled code, generated headers and libaccord cannot disagree.
 * Also packs a case Value (caseio.h, gencases.h) into that layout, so that
 * the compiler's own tools (eval, test, differential tests) can run
 * compiled evaluators on the cases they read or generate.
 * Memory: the Layout and packed cases live in caller-given arenas.
 */
#ifndef ACCORD_LAYOUT_H
#define ACCORD_LAYOUT_H
#include "ir.h"

typedef struct RecLayout {
    const IrRecord *rec;
    uint32_t size, align;
    uint32_t *offset;        /* per field */
} RecLayout;

typedef struct Layout {
    const IrVocabulary *voc;
    int nrecords;
    RecLayout *recs;         /* in the order of voc->records */
} Layout;

Layout *layout_new(const IrVocabulary *voc, Arena *a);
const RecLayout *layout_of(const Layout *l, const IrRecord *rec);
int layout_index(const Layout *l, const IrRecord *rec);
/* Size and alignment of a field of type t (a record: its layout). */
void layout_type(const Layout *l, const Type *t, uint32_t *size, uint32_t *align);
/* Pack a Value of record type `rec` into freshly allocated (arena) memory. */
void *layout_pack(const Layout *l, const IrRecord *rec, const Value *v, Arena *a);
/* Pack a value (of a field or an argument) into `dst` (the field's bytes). */
void layout_pack_value(const Layout *l, const Type *t, const Value *v, void *dst, Arena *a);
#endif
