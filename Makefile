# zhucun - a plain, non-recursive Makefile.
#
#   make            build build/zhucun (optimised)
#   make check      bootstrap, check the formatting and the rules (scripts/check-rules.sh),
#                   build with ASan+UBSan, run every test; the threaded parts again under
#                   ThreadSanitizer (build/tsan, tests/tsan.sh)
#   make demo       bootstrap, build, create the demo database, run the main job
#   make demo-pg    the same on PostgreSQL (a throwaway cluster, or $ZHUCUN_PG)
#   make check-pg   the PostgreSQL pass of `make check` alone (tests/pg/, ASan build)
#   make bench      benchmarks against the named peers (bench/RESULTS.md)
#   make fuzz       libFuzzer targets for FUZZ_SECONDS each (clang-14), then the long runs
#                   `make check` shortens: golden.sh and every random round under TSan,
#                   the whole browser tour (ZC_WEB_TOUR=full)
#   make golden     regenerate tests/golden/ on purpose (after a change of behaviour)
#   make format / check-format

CC       ?= cc
SANITIZER ?=
ifeq ($(SANITIZER),address)
  BUILD  ?= build/asan
  OPT    := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
  LDSAN  := -fsanitize=address,undefined
else ifeq ($(SANITIZER),thread)
  BUILD  ?= build/tsan
  OPT    := -O1 -g -fsanitize=thread -fno-omit-frame-pointer
  LDSAN  := -fsanitize=thread
else
  BUILD  ?= build/release
  OPT    := -O2 -g
  LDSAN  :=
endif

PKGS     := sqlite3 libpq jansson xlsxwriter minizip expat zlib libmicrohttpd libsodium pangocairo
# libpq, libmicrohttpd and pango/cairo are compiled against but not linked:
# their modules open them on first use (src/base/dynlib.h), so a command
# that needs none of them does not load their 57 libraries.
LINK_PKGS := $(filter-out libpq libmicrohttpd pangocairo,$(PKGS))
CSTD     := -std=c17 -D_GNU_SOURCE
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla \
            -Wformat=2 -Wimplicit-fallthrough -Wundef -Wconversion -Wcast-qual
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null)
CFLAGS   += $(CSTD) $(WARN) $(OPT) -Isrc $(PKG_CFLAGS) -MMD -MP
LDLIBS   += $(PKG_LIBS) -lpthread -lm
LDFLAGS  += $(LDSAN)

# Every src/<module>/*.c is part of libcore.a, except the CLI's entry point.
CORE_SRC := $(filter-out src/cli/%,$(wildcard src/*/*.c))
CLI_SRC  := $(wildcard src/cli/*.c)
TEST_SRC := $(wildcard tests/unit/*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)

ZHUCUN   := $(BUILD)/zhucun
UNIT     := $(BUILD)/unit-tests
REPLAY   := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/replay_%)

.PHONY: all check check-pg test test-build demo demo-pg bench fuzz golden format check-format bootstrap clean

all: $(ZHUCUN)

bootstrap:
	@./scripts/bootstrap.sh

$(BUILD)/libcore.a: $(CORE_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(ZHUCUN): $(CLI_OBJ) $(BUILD)/libcore.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libcore.a $(LDLIBS)

$(UNIT): $(TEST_OBJ) $(BUILD)/libcore.a
	$(CC) $(LDFLAGS) -o $@ $(TEST_OBJ) $(BUILD)/libcore.a $(LDLIBS)

# Fuzz targets built as plain programs that replay the stored corpus.
$(BUILD)/replay_%: tests/fuzz/%.c tests/fuzz/replay_main.c $(BUILD)/libcore.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay_main.c $(BUILD)/libcore.a $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# The dated table of abolished and renamed division codes, compiled in from
# its CSV (src/registry/division_changes.csv, scripts/division-changes.py).
$(BUILD)/gen/division_changes.inc: src/registry/division_changes.csv
	@mkdir -p $(@D)
	awk -F, 'NR > 1 { printf "{%s, %s, \"%s\", \"%s\", \"%s\"},\n", $$1, $$3, $$2, $$4, $$5 }' $< >$@
$(BUILD)/src/registry/division_history.o: $(BUILD)/gen/division_changes.inc
$(BUILD)/src/registry/division_history.o: CFLAGS += -I$(BUILD)/gen

test-build: $(ZHUCUN) $(UNIT) $(REPLAY)

test: test-build
	@BUILD=$(BUILD) ./tests/run.sh

# The three builds of `make check` compile in parallel (one job per core);
# the tests then run side by side too (tests/lanes.sh).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

check: bootstrap
	@$(MAKE) --no-print-directory check-format
	@./scripts/check-rules.sh
	@$(MAKE) --no-print-directory -j$(JOBS) all  # the optimised build `make demo` uses warns differently (-O2)
	@$(MAKE) --no-print-directory -j$(JOBS) SANITIZER=thread build/tsan/zhucun build/tsan/unit-tests
	@$(MAKE) --no-print-directory -j$(JOBS) SANITIZER=address test-build
	@FUZZ_RUNS=$(FUZZ_RUNS_CHECK) TSAN_BUILD=build/tsan $(MAKE) --no-print-directory SANITIZER=address test

check-pg:
	@$(MAKE) --no-print-directory SANITIZER=address build/asan/zhucun build/asan/unit-tests
	@mkdir -p tests/out
	@ZHUCUN=$(CURDIR)/build/asan/zhucun ZC_TEST_OUT=$(CURDIR)/tests/out \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	    sh tests/pg/cluster.sh run sh tests/pg/run.sh build/asan; \
	    awk '{ print $$1 ": " ($$3 == 0 ? "ok" : "FAILED, see " $$2) }' tests/out/pg-results.txt; \
	    awk '$$3 != 0 { bad = 1 } END { exit bad }' tests/out/pg-results.txt

demo: bootstrap
	@$(MAKE) --no-print-directory all
	@./scripts/demo.sh $(ZHUCUN)

demo-pg: bootstrap
	@$(MAKE) --no-print-directory all
	@./scripts/demo-pg.sh $(ZHUCUN)

bench: bootstrap
	@BOOTSTRAP_BENCH=1 ./scripts/bootstrap.sh
	@$(MAKE) --no-print-directory all
	@./bench/run.sh build/release/zhucun

FUZZ_SECONDS ?= 60
FUZZ_RUNS_CHECK ?= 20000
fuzz: bootstrap
	@./tests/fuzz/run.sh $(FUZZ_SECONDS)
	@$(MAKE) --no-print-directory -j$(JOBS) SANITIZER=thread build/tsan/zhucun build/tsan/unit-tests
	@TSAN_GOLDEN=1 ZT_ROUNDS=100 sh tests/tsan.sh build/tsan
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@mkdir -p tests/out
	@echo "web.sh with ZC_WEB_TOUR=full (every page, account and size): tests/out/web-full.log"
	@ZC_WEB_TOUR=full ZHUCUN=$(CURDIR)/build/release/zhucun ZC_TEST_OUT=$(CURDIR)/tests/out/web-full \
	    sh tests/cli/web.sh >tests/out/web-full.log 2>&1; st=$$?; tail -n 1 tests/out/web-full.log; exit $$st

golden: all
	@ZC_GOLDEN_UPDATE=1 BUILD=build/release ZHUCUN=$(CURDIR)/build/release/zhucun sh tests/cli/golden.sh
	@git status --short tests/golden | head -n 20

format:
	clang-format -i $(wildcard src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c)

check-format:
	@clang-format --dry-run -Werror $(wildcard src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c)

clean:
	rm -rf build

-include $(CORE_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
