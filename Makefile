# cordbg — build, demo and test entry points.
#   make          build build/cordbg
#   make demo     install what is missing, build, run the demo session
#   make test     install what is missing, build (plain and ASan/UBSan), run every test
#   make SAN=1    build the sanitizer variant into build-san/
#   make bench    build, run the benchmarks (bench/run.py): a table of ratios and bench/out/results.json

CC      ?= gcc
SAN     ?= 0
ifeq ($(SAN),1)
BUILD   := build-san
SANFLAGS:= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD   := build
SANFLAGS:=
endif

# V=1 shows the full commands.
Q       := $(if $(V),,@)
CFLAGS  ?= -O1 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter \
           -Wshadow -Wno-format-truncation -Wstrict-prototypes -Wmissing-prototypes -fno-strict-aliasing \
           -Isrc $(SANFLAGS)
LDFLAGS += $(SANFLAGS) -Wl,--wrap=ptrace
LDLIBS  := -ledit -lz -ldl -lpthread -lm -ljansson -ldw -lelf -lcapstone

LIB_SRC  := $(sort $(wildcard src/base/*.c src/meta/*.c src/expr/*.c src/native/*.c src/clr/*.c src/eval/*.c src/engine/*.c src/enc/*.c src/front/*.c))
LIB_SRC  := $(filter-out src/front/main.c,$(LIB_SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all demo test unit e2e setup clean fuzz bench encsvc
all: $(BUILD)/cordbg encsvc

# The Edit and Continue helper (tools/encsvc, C#, Roslyn from NuGet): one copy in
# build/encsvc/ for the plain and the sanitizer builds (cordbg finds it there). Built only
# when its sources changed (the stamp). Published ReadyToRun (precompiled: its first update
# is about twice as fast); a plain build if that cannot be done (no crossgen package). Without
# a .NET SDK it is left out with a note and cordbg says so when an edit needs it.
ENCSVC_SRC := $(wildcard tools/encsvc/*.cs tools/encsvc/*.csproj)
ENCSVC_FLAGS := -c Release -o build/encsvc -nologo -v:q -clp:NoSummary -nodeReuse:false -p:UseSharedCompilation=false \
	-p:BaseIntermediateOutputPath=$(CURDIR)/build/encsvc-obj/
encsvc: build/encsvc/.stamp
build/encsvc/.stamp: $(ENCSVC_SRC)
	@mkdir -p build/encsvc
	@if command -v dotnet >/dev/null 2>&1; then \
	    echo "  DOTNET build/encsvc/cordbg-encsvc.dll"; \
	    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1; \
	    dotnet publish tools/encsvc/encsvc.csproj $(ENCSVC_FLAGS) --use-current-runtime --self-contained false \
	        -p:PublishReadyToRun=true >build/encsvc/build.log 2>&1 \
	    || dotnet build tools/encsvc/encsvc.csproj $(ENCSVC_FLAGS) >>build/encsvc/build.log 2>&1 \
	    || { cat build/encsvc/build.log; exit 1; }; \
	    touch $@; \
	else echo "  SKIP  build/encsvc (no dotnet SDK: Edit and Continue and injection unavailable)"; fi

# waitpid is exported so that the runtime's libraries bind to cordbg's (src/native/nt.c);
# so are the file functions of the memory cache (src/base/memcache.c), and cordbg's own
# ptrace calls go through it (--wrap=ptrace, in LDFLAGS for every binary).
MC_EXPORTS := open open64 openat openat64 close pread pread64 pwrite pwrite64 write read
$(BUILD)/cordbg: $(BUILD)/obj/src/front/main.o $(BUILD)/libcordbg.a
	@echo "  LINK  $@"
	$(Q)$(CC) $(LDFLAGS) -Wl,--export-dynamic-symbol=waitpid $(MC_EXPORTS:%=-Wl,--export-dynamic-symbol=%) \
	    -o $@ $^ $(LDLIBS)

$(BUILD)/libcordbg.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<$(if $(filter 1,$(SAN)), (asan/ubsan),)"
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h tests/unit/replay.h $(wildcard tests/fuzz/*.c) $(BUILD)/libcordbg.a
	@mkdir -p $(dir $@)
	@echo "  TEST  $@"
	$(Q)$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(BUILD)/libcordbg.a $(LDLIBS)

# test_native_sym dlopens this fixture (DWARF, -O0) and a stripped copy without DWARF.
$(BUILD)/tests/fixtures/libnsfix.so: tests/unit/fixtures/nsfix.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -g -O0 -fPIC -shared -o $@ $< && $(CC) -O0 -fPIC -shared -s -o $(@D)/libnsfix_nodw.so $<
$(BUILD)/tests/test_native_sym: $(BUILD)/tests/fixtures/libnsfix.so

unit-bins: $(UNIT_BIN)

# bench/floor: the bare ICorDebug floor the benchmarks measure cordbg against (bench/run.py).
$(BUILD)/floor: bench/floor.c $(BUILD)/libcordbg.a
	@echo "  LINK  $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libcordbg.a $(LDLIBS)

setup:
	@scripts/setup.sh

demo: setup
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

test: setup
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SAN=1 all unit-bins build-san/floor
	@python3 tests/run.py

bench: setup
	@$(MAKE) --no-print-directory all $(BUILD)/floor
	@python3 bench/run.py $(BENCH_ARGS)

clean:
	rm -rf build build-san tests/programs/*/bin tests/programs/*/obj

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/src/front/main.d
