/* jit_perf.c - opt-in naming of JIT code for perf; see jit_perf.h. */
#include "jit_perf.h"
#include <llvm-c/ExecutionEngine.h>
#include <llvm-c/OrcEE.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the object layer of an LLJIT that reports loaded objects to perf */
static LLVMOrcObjectLayerRef perf_layer(void *ctx, LLVMOrcExecutionSessionRef es, const char *triple) {
    (void)ctx;
    (void)triple;
    LLVMOrcObjectLayerRef layer = LLVMOrcCreateRTDyldObjectLinkingLayerWithSectionMemoryManager(es);
    LLVMJITEventListenerRef perf = LLVMCreatePerfJITEventListener();
    if (perf) LLVMOrcRTDyldObjectLinkingLayerRegisterJITEventListener(layer, perf);
    else fprintf(stderr, "accord: note: ACCORD_PERF_JIT: this LLVM has no perf JIT event listener\n");
    return layer;
}

void jit_perf_builder(LLVMOrcLLJITBuilderRef b) {
    const char *v = getenv("ACCORD_PERF_JIT");
    if (!v || !*v || !strcmp(v, "0")) return;
    LLVMOrcLLJITBuilderSetObjectLinkingLayerCreator(b, perf_layer, NULL);
}
