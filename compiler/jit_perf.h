/* jit_perf.h - opt-in naming of JIT code for `perf` (ACCORD_PERF_JIT=1).
 *
 * Consumes: an ORC LLJIT builder, before the JIT is created (cg_jit).
 * Produces: when the environment variable ACCORD_PERF_JIT is set (and not
 *   "0"), a JIT whose object layer is RuntimeDyld with LLVM's perf JIT event
 *   listener registered: every object the JIT loads is written to a jitdump
 *   file (jit-PID.dump under $JITDUMPDIR, else ~/.debug/jit/), which
 *   `perf inject --jit` turns into named symbols and per-function code that
 *   `perf report` / `perf annotate` show.  Otherwise nothing changes.
 * Guarantees: the generated code is the same either way (only the linking
 *   layer and the listener differ); a library without the listener (LLVM
 *   built without perf support) gives a note on stderr and the JIT as usual.
 * Memory: the listener lives as long as the process (LLVM owns it).
 * Use (bench/README.md, "Columnar batch entry points"):
 *   ACCORD_PERF_JIT=1 perf record -k 1 -o perf.data build/peer_bench 16384
 *   perf inject --jit -i perf.data -o perf.jit.data; perf report -i perf.jit.data */
#ifndef ACCORD_JIT_PERF_H
#define ACCORD_JIT_PERF_H
#include <llvm-c/LLJIT.h>

void jit_perf_builder(LLVMOrcLLJITBuilderRef b);

#endif
