/* libFuzzer entry point: bytes -> parse -> check -> run examples.
 * `make fuzz` builds it with clang -fsanitize=fuzzer,address,undefined and
 * runs it over a corpus seeded from the shipped agreements and golden tests.
 * Nothing may crash; inputs are limited to 64 KiB to keep runs fast. */
#include "fuzz_one.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 65536) return 0;
    if (!fuzz_one((const char *)data, size)) abort(); /* a rejection without a diagnostic */
    return 0;
}
