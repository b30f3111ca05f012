# fuzz.mk - the libFuzzer targets (tests/fuzz/run.sh): the core's sources
# compiled once into an archive with the fuzzer's coverage, ASan and UBSan
# (in parallel, and again only when a source or header changed), then each
# target linked against it.
#   make -f tests/fuzz/fuzz.mk [-j N] [CC=clang-14] build/fuzz/fuzz_NAME
CC := clang-14
OUT := build/fuzz
PKGS := sqlite3 libpq jansson xlsxwriter minizip expat zlib libmicrohttpd libsodium pangocairo
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS := -std=c17 -D_GNU_SOURCE -g -O1 $(SAN) -Isrc -Itests/fuzz \
          $(shell pkg-config --cflags $(PKGS))
LIBS := $(shell pkg-config --libs $(PKGS)) -lm -lpthread
# Every module but the CLI.
SRC := $(filter-out src/cli/%,$(wildcard src/*/*.c))
OBJ := $(SRC:%.c=$(OUT)/obj/%.o)

$(OUT)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

# The dated table of division code changes, as the Makefile makes it.
$(OUT)/gen/division_changes.inc: src/registry/division_changes.csv
	@mkdir -p $(@D)
	awk -F, 'NR > 1 { printf "{%s, %s, \"%s\", \"%s\", \"%s\"},\n", $$1, $$3, $$2, $$4, $$5 }' $< >$@
$(OUT)/obj/src/registry/division_history.o: $(OUT)/gen/division_changes.inc
$(OUT)/obj/src/registry/division_history.o: CFLAGS += -I$(OUT)/gen

$(OUT)/libcore.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $(OBJ)

$(OUT)/fuzz_%: tests/fuzz/fuzz_%.c $(OUT)/libcore.a
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(OUT)/libcore.a $(LIBS)

-include $(OBJ:.o=.d)
