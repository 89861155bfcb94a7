/* check.h - name resolution, type checking and lowering to the core IR.
 *
 * Consumes: the AstFile of the vocabulary (the prelude, SPEC §7) and the
 * AstFile of an agreement (plus any stand-alone protocol files amending it).
 * Produces: an IrVocabulary and an IrAgreement (ir.h) in the compilation's
 * arena.
 * Requires: files that parsed (parse_file returned non-NULL).
 * Ensures, when diag_error_count() is unchanged: every name is resolved,
 * every expression has a type other than TY_ERROR, units are consistent
 * (months never mix with days, money is rounded before it is a result),
 * country and currency codes exist, dates are valid, exception targets exist
 * and form no cycle, no definition or question depends on itself, and
 * examples are well-typed cases.  On errors it reports each one with its
 * span and keeps going; the IR is then incomplete and must not be run.
 * Never: evaluates a rule, or includes LLVM or Z3 headers.
 */
#ifndef ACCORD_CHECK_H
#define ACCORD_CHECK_H
#include "ast.h"
#include "ir.h"

IrVocabulary *chk_vocabulary(Compilation *cx, const AstFile *f);
/* protocols: stand-alone protocol files (FILE_PROTOCOL) whose target is this agreement */
IrAgreement *chk_agreement(Compilation *cx, const IrVocabulary *voc, const AstFile *f,
                           const AstFile **protocols, int nprotocols);
/* Default value of a type (SPEC §7.2): false, 0, none, empty, 0001-01-01. */
Value chk_default_value(Compilation *cx, const Type *t);
#endif
