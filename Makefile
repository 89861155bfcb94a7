# Accord - build, test, install.  See README.md.
#   make            build build/accord (installs missing Debian packages first)
#   make run        build; check the shipped agreements; run their examples; decide the example caseload
#   make test       every test: unit, golden, invalid inputs, fuzz loop, agreements' examples,
#                   then the same again under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench      throughput figures (bench/README.md)
#   make clean
BISON ?= bison
FLEX ?= flex
CC ?= gcc
B ?= build
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
# CI (CI=true, set by the CI runner) treats every warning as an error
ifeq ($(CI),true)
WARN += -Werror
endif
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) -MMD -MP \
             -Icompiler -Iruntime -I$(B)/grammar
LDLIBS = -ljansson -lpthread -lm
# LLVM 16 (Debian llvm-16-dev): only compiler/codegen.c includes its headers
LLVM_CONFIG ?= llvm-config-16
LLVM_CFLAGS := $(shell $(LLVM_CONFIG) --includedir 2>/dev/null | sed 's/^/-isystem /')
LLVM_LIBS := $(shell $(LLVM_CONFIG) --ldflags 2>/dev/null) $(shell $(LLVM_CONFIG) --libs 2>/dev/null)
LDLIBS += $(LLVM_LIBS)
# the JIT resolves the runtime (acc_*) in the accord process itself: link all
# of it and export it
WHOLE = -rdynamic -Wl,--whole-archive $(B)/libaccordc.a -Wl,--no-whole-archive

COMPILER_SRC = $(filter-out compiler/main.c,$(wildcard compiler/*.c))
RUNTIME_SRC = $(wildcard runtime/*.c)
LIB_OBJ = $(COMPILER_SRC:%.c=$(B)/%.o) $(RUNTIME_SRC:%.c=$(B)/%.o) \
          $(B)/grammar/parser.o $(B)/grammar/lexer.o $(B)/prelude.o

all: deps $(B)/accord

.PHONY: all run deps test test-all clean lint fuzz bench crosscheck docs

run: all
	$(B)/accord check agreements examples
	$(B)/accord test agreements examples
	$(B)/accord eval agreements --cases examples/cases.jsonl -o $(B)/cases.out.jsonl
	@echo "decisions for examples/cases.jsonl written to $(B)/cases.out.jsonl"
	sh examples/asean_scenario/run.sh $(B)/accord > $(B)/asean_scenario.out
	@echo "the ASEAN analyst scenario (examples/asean_scenario/README.md) written to $(B)/asean_scenario.out"
	$(B)/accord library agreements
	$(B)/accord report agreements -o $(B)/report.html
	@echo "the library report (agreements, coverage matrix, gaps) written to $(B)/report.html"

deps:
	@sh scripts/deps.sh

$(B)/accord: $(B)/compiler/main.o $(B)/libaccordc.a
	$(CC) $(ALL_CFLAGS) -o $@ $(B)/compiler/main.o $(WHOLE) $(LDLIBS)

$(B)/libaccordc.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

# Generated grammar: never in the source tree (style habit 2).
$(B)/grammar/parser.c $(B)/grammar/parser.h: grammar/parser.y
	@mkdir -p $(B)/grammar
	$(BISON) -Wall -Werror -d -o $(B)/grammar/parser.c $<
$(B)/grammar/lexer.c: grammar/lexer.l grammar/keywords.h $(B)/grammar/parser.h
	@mkdir -p $(B)/grammar
	$(FLEX) -o $@ $<
$(B)/grammar/parser.o: $(B)/grammar/parser.c
	$(CC) $(ALL_CFLAGS) -Igrammar -c -o $@ $<
$(B)/grammar/lexer.o: $(B)/grammar/lexer.c
	$(CC) $(ALL_CFLAGS) -Igrammar -Wno-unused-function -Wno-sign-compare -c -o $@ $<

# The prelude is compiled into the binary so that `accord` works anywhere.
$(B)/prelude.c: agreements/std/prelude.accord
	@mkdir -p $(B)
	{ echo 'const unsigned char accord_prelude_text[] = {'; \
	  od -An -v -tx1 $< | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '0x00};'; \
	  echo "const unsigned int accord_prelude_len = $$(wc -c < $<);"; } > $@
$(B)/prelude.o: $(B)/prelude.c
	$(CC) -c -o $@ $<

$(B)/compiler/%.o: compiler/%.c $(B)/grammar/parser.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
$(B)/compiler/codegen.o: compiler/codegen.c $(B)/grammar/parser.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LLVM_CFLAGS) -c -o $@ $<
$(B)/runtime/%.o: runtime/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# ---- tests -----------------------------------------------------------------
UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

$(B)/tests/%: tests/unit/%.c $(B)/libaccordc.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libaccordc.a -lcriterion $(LDLIBS)

test: deps
	@sh scripts/lint.sh
	$(MAKE) --no-print-directory test-all B=build
	$(MAKE) --no-print-directory test-all B=build/asan \
	    EXTRA_CFLAGS="-O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
	@cat build/test-summary build/asan/test-summary | awk '{ p += $$2; f += $$4 } END { printf "%d passed, %d failed\n", p, f; exit (f > 0) }'

test-all: $(B)/accord $(UNIT_BIN) $(B)/peer_bench $(B)/eu_bench
	@sh scripts/run_tests.sh $(B) $(UNIT_BIN)

# A long differential round of the LLVM back end against the interpreter.
CROSSCHECK_CASES ?= 1000000
crosscheck: all
	$(B)/accord crosscheck agreements examples/teaching_posting.accord bench/peer-rules.accord \
	    -n $(CROSSCHECK_CASES) -j 2 --trace-every 100 --seed $$(date +%s)

# Coverage-guided fuzzing of parse -> check -> examples (long; not part of `make test`).
FUZZ_SECONDS ?= 300
fuzz: deps
	$(MAKE) --no-print-directory B=build/fuzz CC=clang \
	    EXTRA_CFLAGS="-O1 -fsanitize=fuzzer-no-link,address,undefined" build/fuzz/libaccordc.a
	clang -std=c11 -D_POSIX_C_SOURCE=200809L -O1 -g -fsanitize=fuzzer,address,undefined -Icompiler -Iruntime \
	    -Ibuild/fuzz/grammar -o build/fuzz/fuzz_check tests/fuzz/fuzz_check.c build/fuzz/libaccordc.a
	mkdir -p build/fuzz/corpus && cp agreements/*.accord examples/*.accord tests/golden/*/*.accord build/fuzz/corpus/ 2>/dev/null || true
	build/fuzz/fuzz_check -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=10 build/fuzz/corpus

# Benchmarks (figures recorded in bench/README.md; never asserted in tests).
$(B)/peer_bench: bench/peer_bench.c bench/peer_hand.c bench/peer_hand.h $(B)/libaccordc.a
	$(CC) $(ALL_CFLAGS) -Ibench -o $@ bench/peer_bench.c bench/peer_hand.c $(WHOLE) $(LDLIBS)

$(B)/eu_bench: bench/eu_bench.c bench/eu_hand.c bench/eu_hand.h $(B)/libaccordc.a
	$(CC) $(ALL_CFLAGS) -Ibench -o $@ bench/eu_bench.c bench/eu_hand.c $(WHOLE) $(LDLIBS)

$(B)/backend_bench: bench/backend_bench.c $(B)/libaccordc.a
	$(CC) $(ALL_CFLAGS) -o $@ bench/backend_bench.c $(WHOLE) $(LDLIBS)

bench: all $(B)/peer_bench $(B)/backend_bench $(B)/eu_bench
	$(B)/peer_bench $(BENCH_CASES)
	$(B)/eu_bench $(BENCH_CASES)
	$(B)/backend_bench agreements eu_883_2004 applicable_legislation $(BENCH_CASES)
	sh bench/run.sh $(BENCH_CASES)

# docs/coverage.png: the coverage matrix of the shipped library's report, as
# Chromium shows it (committed; README shows it)
docs: all
	$(B)/accord report agreements -o $(B)/report.html
	node tests/report/browse.js $(B)/report.html $(B)/docs-browse.json --screenshot docs/coverage.png --clip '#coverage'

clean:
	rm -rf build

lint:
	@sh scripts/lint.sh

-include $(wildcard $(B)/compiler/*.d $(B)/runtime/*.d $(B)/grammar/*.d $(B)/tests/*.d)
