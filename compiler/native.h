/* native.h - compiled evaluators inside the compiler's own tools.
 *
 * Consumes: a checked IrAgreement; compiles it with codegen.h into the
 * process (ORC LLJIT).  Produces: the interpreter's interface (interp.h)
 * over compiled code -- Outcomes with IrRule pointers, Traces with IR
 * pointers -- so that `accord eval`, `explain`, `test` and the
 * differential tests use compiled code and the interpreter alike.
 * Cases are packed once into the ABI layout (layout.h) and may be asked
 * any number of questions.
 * Memory: a Native owns its JIT; Outcome values point into nothing it owns.
 * Thread safety: native_ask may be called from several threads at once
 * (compiled code is pure); packing uses the caller's arena.
 */
#ifndef ACCORD_NATIVE_H
#define ACCORD_NATIVE_H
#include "interp.h"
#include "accord.h"
#include "layout.h"

struct Compilation;
typedef struct Native Native;

/* NULL with a message in err if the agreement cannot be compiled.  traced:
 * also compile the traced entry points (native_ask with a Trace needs them). */
Native *native_new(const IrAgreement *ag, const Layout *lay, const struct Compilation *cx, bool traced, char *err,
                   size_t errlen);
/* The same, untraced, with the columnar batch entry points (SPEC §14.6). */
Native *native_new_columnar(const IrAgreement *ag, const Layout *lay, const struct Compilation *cx, char *err,
                            size_t errlen);
void native_free(Native *n);
/* The case in the ABI layout, in arena a. */
void *native_pack(const Native *n, const Value *kase, Arena *a);
/* As interp_ask (tr may be NULL: untraced, the fast path; a Trace needs
 * native_traced). */
Outcome native_ask(const Native *n, const void *packed, const IrQuestion *q, const Value *args, Trace *tr);
bool native_in_personal_scope(const Native *n, const void *packed);
/* Whether the traced entry points were compiled. */
bool native_traced(const Native *n);
/* The compiled module itself (its entry points take packed cases). */
const acc_module *native_module(const Native *n);
/* Its columnar batch entry points (accord.h, "columnar batches"); NULL unless
 * made by native_new_columnar. */
const acc_columnar *native_columnar(const Native *n);
#endif
