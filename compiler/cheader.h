/* cheader.h - the C headers generated for hosts of compiled evaluators
 * (`accord header`, runtime/accord.h ABI).
 *
 * Consumes: the checked vocabulary (ir.h) and its record layout (layout.h);
 * for the second header, one checked agreement.
 * Produces, as C text on a stream:
 *   - the vocabulary header (accord_vocab.h): one struct per record
 *     (accv_person, accv_case ...), list fields as acc_list-compatible
 *     typed lists, one typedef and one set of constants per enum
 *     (ACCV_BRANCH_OLD_AGE = 1 ...), the vocabulary's name and hash, and
 *     a _Static_assert for every field offset and every record size and
 *     alignment, with the numbers of layout.c: a header that disagrees with
 *     the code generator cannot compile;
 *   - an agreement header: the exported descriptor
 *     (`extern const acc_module accord_module_<id>`) and one typed static
 *     inline wrapper per question (plus a traced one), calling the
 *     descriptor's entry points.
 * Guarantees: the output depends only on the vocabulary (and agreement), so
 * it can be compared with a golden file; names that are C (or C++) keywords
 * get a trailing underscore.
 * Never: evaluates anything or allocates beyond the layout's arena.
 */
#ifndef ACCORD_CHEADER_H
#define ACCORD_CHEADER_H
#include "layout.h"
#include <stdio.h>

void cheader_vocabulary(FILE *out, const IrVocabulary *voc, const Layout *l);
/* Questions are called by their index in ag->questions, which is the index
 * of their descriptor in the module's question table (the code generator
 * emits them in that order). */
void cheader_agreement(FILE *out, const IrAgreement *ag, const Layout *l);
#endif
