# ctwatch — build, test, demo, fuzz, bench, eval.
# GNU Make, C17. `make help` lists the targets.

CC      ?= cc
CFLAGS_BASE := -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
               -Wno-missing-field-initializers -Iinclude -Isrc
PKGS    := libmicrohttpd jansson sqlite3 libxml-2.0 icu-uc icu-i18n libsodium nettle
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
TEST_LIBS  = $(shell pkg-config --libs cmocka libcurl 2>/dev/null)

# nettle: HMAC-SHA1 for TOTP (RFC 6238), which libsodium lacks; libmicrohttpd
# already pulls libnettle8 in through GnuTLS.
# Debian packages the project needs to build, test and run (make deps), and
# those only the benchmark's peers need (make deps-bench: a PostgreSQL server
# and wrk have no place on a machine that only runs ctwatch).
DEB_PKGS := build-essential pkg-config clang libclang-rt-14-dev \
            libmicrohttpd-dev libjansson-dev libsqlite3-dev libxml2-dev libicu-dev \
            libsodium-dev nettle-dev libcmocka-dev libcurl4-openssl-dev iso-codes unicode-data bzip2 curl jq sqlite3 chromium
DEB_PKGS_BENCH := postgresql libpq-dev wrk

# Two flavours share the sources: release (build/) and sanitizers (build-asan/).
ifeq ($(ASAN),1)
  BUILD   := build-asan
  OPTFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
else
  BUILD   := build
  OPTFLAGS := -O2 -g
endif
CFLAGS  := $(CFLAGS_BASE) $(OPTFLAGS) $(PKG_CFLAGS) -Ibuild-gen $(EXTRA_CFLAGS)
LDFLAGS := $(OPTFLAGS)

LIB_SRC   := $(sort $(wildcard src/core/*.c src/store/*.c src/access/*.c src/auth/*.c src/import/*.c src/http/*.c src/text/*.c src/match/*.c src/synth/*.c src/travel/*.c))
CLI_SRC   := $(sort $(wildcard src/cli/*.c))
TEST_SRC  := $(sort $(wildcard tests/unit/test_*.c))
API_SRC   := $(sort $(wildcard tests/api/test_*.c))
FUZZ_SRC  := $(sort $(wildcard fuzz/fuzz_*.c))

LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
LIB       := $(BUILD)/libctwatch.a
BIN       := $(BUILD)/bin/ctwatch
TEST_BIN  := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
API_BIN   := $(API_SRC:tests/api/%.c=$(BUILD)/tests/api_%)

.PHONY: all web test-web deps deps-bench install-debs test build-tests run-tests test-unit test-api test-cli test-crash test-asan fuzz demo bench eval clean help check-banned

all: $(BIN) bin/ctwatch

# bin/ctwatch is the release build; the sanitizer build stays in build-asan/.
bin/ctwatch: $(BUILD)/bin/ctwatch
ifneq ($(ASAN),1)
	@mkdir -p bin && cp $< $@
endif

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# Tables generated from Debian data at build time (not stored in the tree).
UNIHAN := /usr/share/unicode/Unihan_Readings.txt.bz2
build-gen/unihan_hangul.h: tools/gen_unihan_hangul.c
	@mkdir -p build-gen
	$(CC) -O2 -o build-gen/gen_unihan_hangul tools/gen_unihan_hangul.c
	bzcat $(UNIHAN) | build-gen/gen_unihan_hangul > $@.tmp && mv $@.tmp $@

$(BUILD)/src/text/romanise.o: build-gen/unihan_hangul.h

# Airports (OpenFlights, vendored in data/openflights) with their countries
# as alpha-3 (Debian iso-codes); the generator links jansson to read the latter.
ISO_3166_JSON := /usr/share/iso-codes/json/iso_3166-1.json
OPENFLIGHTS := data/openflights/openflights_airports.dat data/openflights/openflights_countries.dat
build-gen/airports.h: tools/gen_airports.c $(OPENFLIGHTS) $(wildcard $(ISO_3166_JSON))
	@mkdir -p build-gen
	$(CC) -O2 $(shell pkg-config --cflags jansson 2>/dev/null) -o build-gen/gen_airports tools/gen_airports.c \
	  $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)
	build-gen/gen_airports $(OPENFLIGHTS) $(ISO_3166_JSON) > $@.tmp && mv $@.tmp $@

$(BUILD)/src/travel/airport.o: build-gen/airports.h

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) tests/unit/test_util.h tests/unit/test_dbfile.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(LIB) $(PKG_LIBS) $(TEST_LIBS)

$(BUILD)/tests/api_%: tests/api/%.c tests/api/api_util.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -Itests/api -o $@ $< $(LIB) $(PKG_LIBS) $(TEST_LIBS)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# --- dependencies -----------------------------------------------------------
# Installs what is missing, with apt-get; quick when everything is there.
deps:
	@$(MAKE) -s install-debs PKGS_WANTED="$(DEB_PKGS)"
	@$(MAKE) -s $(WEB_MODULES)

deps-bench: deps
	@$(MAKE) -s install-debs PKGS_WANTED="$(DEB_PKGS_BENCH)"

install-debs:
	@missing=""; for p in $(PKGS_WANTED); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	else echo "make deps: all Debian packages present"; fi

# --- tests ------------------------------------------------------------------
# `make test` is the README's command: deps, build, every suite.
test: deps
	$(MAKE) -j2 build-tests
	$(MAKE) check-banned
	$(MAKE) run-tests
	$(MAKE) test-web

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps
	$(MAKE) ASAN=1 -j2 build-tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  $(MAKE) ASAN=1 run-tests

# The API tests' copy of the server, whose clock a test can move forward
# (include/ctwatch/clock.h): clock.c built with -DCTW_TEST_CLOCK and linked
# ahead of the library. Never copied to bin/, never installed.
TESTCLOCK_BIN := $(BUILD)/bin/ctwatch-testclock
$(BUILD)/testclock/clock.o: src/core/clock.c include/ctwatch/clock.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DCTW_TEST_CLOCK -c $< -o $@
$(TESTCLOCK_BIN): $(CLI_OBJ) $(BUILD)/testclock/clock.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/testclock/clock.o $(LIB) $(PKG_LIBS)

build-tests: all $(TEST_BIN) $(API_BIN) $(TESTCLOCK_BIN)
run-tests: test-unit test-api test-cli test-crash

test-unit: $(TEST_BIN)
	@CTW_BUILD=$(BUILD) sh tests/run_suite.sh unit $(TEST_BIN)

test-api: $(BIN) $(API_BIN) $(TESTCLOCK_BIN)
	@CTWATCH_BIN=$(abspath $(BIN)) CTWATCH_TESTCLOCK_BIN=$(abspath $(TESTCLOCK_BIN)) sh tests/run_suite.sh api $(API_BIN)

test-cli: $(BIN)
	@CTWATCH_BIN=$(abspath $(BIN)) sh tests/cli/cli_test.sh
	@CTWATCH_BIN=$(abspath $(BIN)) sh tests/cli/travel_test.sh
	@CTWATCH_BIN=$(abspath $(BIN)) sh tests/cli/retention_test.sh

test-crash: $(BIN)
	@CTWATCH_BIN=$(abspath $(BIN)) sh tests/crash/sigkill_import.sh

# Banned functions (curl's checksrc idea): unbounded copies and silent parses.
check-banned:
	@if grep -nE '\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atof|strtok)\s*\(' \
	     $(LIB_SRC) $(CLI_SRC) include/ctwatch/*.h; then \
	  echo "check-banned: use snprintf / strtol / strtok_r / bounded copies instead"; exit 1; \
	else echo "check-banned: ok"; fi

# --- the web interface (web/, issue 6) -------------------------------------------
# npm packages (vite, cytoscape, playwright-core) from web/package-lock.json,
# installed again only when the lock file changes; the bundle in web/dist,
# which `ctwatch serve` reads at start, rebuilt when a source changes.
WEB_MODULES := web/node_modules/.package-lock.json
WEB_SRC := web/index.html web/vite.config.js $(wildcard web/src/*.js web/src/*.css web/src/*/*.js web/public/*)
web: web/dist/index.html

$(WEB_MODULES): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web/dist/index.html: $(WEB_MODULES) $(WEB_SRC)
	cd web && npx --no-install vite build --logLevel warn

# The flows of the interface in Debian's Chromium against a real server with
# the demo data; screenshots of the main screens into docs/screenshots/.
test-web: all web
	node tests/web/run.mjs

# --- fuzzing ----------------------------------------------------------------
# The library is built once with the sanitizers and fuzzer coverage
# (build-fuzz/libctwatch.a); each target links it with libFuzzer's main.
FUZZ_SECONDS ?= 60
FUZZ_LIB_CFLAGS := $(CFLAGS_BASE) -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
                   $(PKG_CFLAGS) -Ibuild-gen
FUZZ_CFLAGS := $(CFLAGS_BASE) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(PKG_CFLAGS) -Ibuild-gen
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=build-fuzz/%)
FUZZ_OBJ := $(LIB_SRC:%.c=build-fuzz/obj/%.o)

build-fuzz/obj/%.o: %.c build-gen/unihan_hangul.h build-gen/airports.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_LIB_CFLAGS) -MMD -MP -c $< -o $@

build-fuzz/libctwatch.a: $(FUZZ_OBJ)
	rm -f $@ && ar rcs $@ $^

build-fuzz/%: fuzz/%.c fuzz/fuzz_manifest.h build-fuzz/libctwatch.a
	clang $(FUZZ_CFLAGS) -o $@ $< build-fuzz/libctwatch.a $(PKG_LIBS)

-include $(FUZZ_OBJ:.o=.d)

# Each target runs FUZZ_SECONDS on its corpus, seeded from the real samples.
fuzz: deps $(FUZZ_BIN)
	@set -e; for f in $(FUZZ_BIN); do \
	  name=$$(basename $$f); mkdir -p build-fuzz/corpus/$$name; \
	  echo "fuzz: $$name for $(FUZZ_SECONDS) s"; \
	  ASAN_OPTIONS=detect_leaks=1 $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 build-fuzz/corpus/$$name fuzz/corpus/$$name 2>build-fuzz/$$name.log \
	    || { tail -40 build-fuzz/$$name.log; exit 1; }; \
	  grep -E 'stat::number_of_executed_units|Done' build-fuzz/$$name.log | tail -2; \
	done

# --- demo -------------------------------------------------------------------
DEMO_DB   ?= var/ctwatch.db
DEMO_LISTEN ?= 127.0.0.1:8080
demo: deps
	$(MAKE) -j2 all web
	@mkdir -p var
	./bin/ctwatch init --db $(DEMO_DB)
	@# the agencies (names, regions) before the imports, which would make bare ones of their owners
	@sh tools/demo_users.sh $(DEMO_DB) $(DEMO_LISTEN) >/dev/null
	./bin/ctwatch import --db $(DEMO_DB) --format un-xml tests/data/un/consolidated-2026-02-27.xml
	./bin/ctwatch documents import --db $(DEMO_DB) tests/data/travel/documents.csv
	@./bin/ctwatch rules list --db $(DEMO_DB) | grep -q . || \
	  ./bin/ctwatch rules add --db $(DEMO_DB) tests/data/travel/rule_short_notice_oneway.json
	@sh tools/demo_users.sh $(DEMO_DB) $(DEMO_LISTEN)
	@sh tools/demo_data.sh $(DEMO_DB) $(DEMO_LISTEN)
	./bin/ctwatch serve --db $(DEMO_DB) --listen $(DEMO_LISTEN) --demo-banner

# --- evaluation (reads ../shared/data, never copies it) ----------------------
EVAL_DATA ?= ../shared/data/screening
EVAL_SRC  := $(sort $(wildcard eval/*.c))
$(BUILD)/eval/eval: $(EVAL_SRC) eval/eval.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ieval -o $@ $(EVAL_SRC) $(LIB) $(PKG_LIBS)

eval: deps all $(BUILD)/eval/eval
	./$(BUILD)/eval/eval --data $(EVAL_DATA) --out docs/EVALUATION.md

# --- bench ------------------------------------------------------------------
# `make bench`: screening speed with the peers side by side (DESIGN.md §8),
# written to bench/RESULTS.md. BENCH_SYNTH=0 skips the synthetic part;
# BENCH_SYNTH_N sizes it. See bench/README.md.
BENCH_CFLAGS = $(shell pkg-config --cflags libpq 2>/dev/null)
BENCH_LIBS   = $(shell pkg-config --libs libpq 2>/dev/null || echo -lpq)
BENCH_BIN   := $(BUILD)/bench/ctw_bench
BENCH_SYNTH ?= 1
BENCH_SYNTH_N ?= 1000000

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(BENCH_CFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) $(BENCH_LIBS)

# Travel documents (MRZ, the SLTD table): its peer lives in the program, so
# no libpq. bench/run.sh runs it (BENCH_DOCS sizes it: 100 million by
# default, about 4.5 GB and a few minutes).
TRAVEL_BENCH_BIN := $(BUILD)/bench/travel_bench
$(TRAVEL_BENCH_BIN): bench/travel_bench.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

bench: deps-bench
	$(MAKE) -j2 all $(BENCH_BIN) $(TRAVEL_BENCH_BIN) $(BUILD)/bench/manifest_bench
	CTW_BENCH=$(abspath $(BENCH_BIN)) CTWATCH_BIN=$(abspath bin/ctwatch) \
	  BENCH_SYNTH=$(BENCH_SYNTH) BENCH_SYNTH_N=$(BENCH_SYNTH_N) sh bench/run.sh

clean:
	rm -rf build build-asan build-fuzz build-gen bin web/dist

help:
	@echo "make deps | make | make web | make test | make test-web | make test-asan | make fuzz [FUZZ_SECONDS=60] | make demo | make clean"
