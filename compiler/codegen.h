/* codegen.h - the LLVM back end: core IR -> native evaluators (SPEC §14).
 *
 * Consumes: one checked IrAgreement (ir_verify holds) and the layout of its
 * vocabulary (layout.h).  Produces: an LLVM module implementing the C ABI
 * of runtime/accord.h -- one entry point per question (and a traced twin),
 * the personal-scope test, and the `accord_module_<id>` descriptor with the
 * agreement's identity, hashes, case layout and rule/expression tables --
 * verified (LLVMVerifyModule) and optimised with the new pass manager
 * (default<O2>, then one early-cse: SPEC §14.4); then either written out (object file, LLVM assembly,
 * shared library through the system linker) or run in process through ORC
 * LLJIT.
 * Guarantees: the generated code gives, for every case and question, the
 * outcome kind, value, deciding rules and message the reference
 * interpreter gives (interp.c is the oracle; tests compare the two on
 * generated cases), and with tracing on the same trace events.  Identical
 * input gives byte-identical output.
 * Memory/ownership: LLVM is used only in codegen.c and codegen_batch.c (the
 * columnar batch entry points, codegen_batch.h); nothing else includes an
 * llvm-c header.  A CgUnit owns its LLVM context and module; a CgJit
 * owns the JIT and the code it holds; the acc_module it returns lives as
 * long as the CgJit.
 */
#ifndef ACCORD_CODEGEN_H
#define ACCORD_CODEGEN_H
#include "accord.h"
#include "layout.h"

typedef struct CgUnit CgUnit;

typedef struct CgOptions {
    int opt_level;            /* 0: no optimisation; 2 (default): default<O2>; 3: default<O3>; each then early-cse */
    bool pic;                 /* position-independent code (shared libraries) */
    bool traced;              /* also generate the traced entry points (else ask_traced is NULL) */
    bool shared_alias;        /* also export the descriptor as `accord_module` (shared libraries) */
    bool host_cpu;            /* tune for this machine's CPU (JIT); else generic x86-64 (portable, reproducible) */
    bool columnar;            /* also generate the columnar batch entry points (codegen_batch.c; SPEC §14.6) */
    const char *source_hash;  /* hex digest of the agreement's source text */
    const struct Compilation *cx; /* source text for the rule and expression tables */
    bool fault_ge_as_gt;      /* testing only: compile `>=` as `>` (ACCORD_CODEGEN_FAULT=ge-as-gt) */
} CgOptions;

/* Build, verify and optimise the module.  NULL with a message in err on an
 * internal failure (a verifier error is a compiler bug, reported as such). */
CgUnit *cg_compile(const IrAgreement *ag, const Layout *lay, const CgOptions *opt, char *err, size_t errlen);
void cg_free(CgUnit *u);

typedef enum { CG_OBJECT, CG_ASSEMBLY, CG_LLVM_IR } CgFormat;
bool cg_write(CgUnit *u, CgFormat fmt, const char *path, char *err, size_t errlen);

/* The name of the module descriptor symbol: "accord_module_<id>". */
const char *cg_module_symbol(const CgUnit *u);

/* The IR expressions that traces name by index (acc_trace_event.expr). */
const IrExpr *cg_expr(const CgUnit *u, int index);

/* ---- in-process compilation (ORC LLJIT) -------------------------------- */
typedef struct CgJit CgJit;
/* Takes the unit's module (the unit stays usable for cg_expr only).  */
CgJit *cg_jit(CgUnit *u, char *err, size_t errlen);
const acc_module *cg_jit_module(const CgJit *j);
/* The columnar batch descriptor (codegen_batch.h) of the same module. */
const acc_columnar *cg_jit_columnar(const CgJit *j);
void cg_jit_free(CgJit *j);
#endif
