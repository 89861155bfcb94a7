/* codegen_batch.h - the columnar batch entry points (SPEC §14.4), internal
 * to the LLVM back end: only codegen.c and codegen_batch.c include it (and
 * tests/unit/test_columnar.c, for cgb_shared_first).
 *
 * Consumes: a checked IrAgreement, its Layout, and the LLVM module codegen.c
 * is building (the acc_module descriptor already defined in it).
 * Produces, into that module: for every question an entry point
 * `accord_<id>__<q>__columns` (acc_columns_fn, runtime/accord.h "columnar
 * batches"), for an answer of a compact width its compact form
 * `accord_<id>__<q>__columns_compact` (acc_columns_compact_fn: rule and value
 * arrays), and the descriptor `accord_columnar_<id>` (acc_columnar: the column
 * table, the entry points, which questions are vectorised).
 * A question inside the fragment the array code covers is compiled as array
 * code: every IR node becomes a loop over the lanes of a chunk of cases (an
 * expression about a list element: at one position k of every case's list
 * at a time, read contiguously from the columns' block layout),
 * branch-free, so that LLVM's loop vectoriser turns each into vector
 * instructions, in 32-bit lanes reading the columns' narrow copies when
 * every constant of the question fits (else 64-bit lanes); a case the array code
 * cannot settle exactly (a value beyond its lanes included) is flagged and
 * decided by the single-case entry point (through acc_columns_fallback).  A question outside the fragment
 * sends every case there.
 * Guarantees: the decisions equal the single-case entry point's (kind,
 * first rule, value) for every case.
 * Memory: LLVM objects belong to the module's context; nothing is kept.
 */
#ifndef ACCORD_CODEGEN_BATCH_H
#define ACCORD_CODEGEN_BATCH_H
#include "ir.h"
#include "layout.h"
#include <llvm-c/Core.h>

/* shared_alias: also export the descriptor as `accord_columnar` (shared libraries). */
void cgb_generate(LLVMModuleRef M, const IrAgreement *ag, const Layout *lay, LLVMValueRef module_desc, bool shared_alias);

/* The first(x in L where P : V) of rule's value that its condition
 * exists(y in L where P) shares one walk with, or NULL (SPEC §14.6).
 * Exported for tests/unit/test_columnar.c. */
const IrExpr *cgb_shared_first(const IrRule *rule);

/* Defined in codegen.c, shared with codegen_batch.c: private constant
 * globals of M.  A string (NUL-terminated; NULL gives a null pointer), and
 * an array of elem. */
LLVMValueRef cg_const_string(LLVMModuleRef M, const char *s);
LLVMValueRef cg_const_array(LLVMModuleRef M, LLVMTypeRef elem, LLVMValueRef *v, unsigned n, const char *name);
#endif
