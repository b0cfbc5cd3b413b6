# procsearch - see README.md.  `make run` and `make test` do all the set-up.

BUILD    ?= build
CC       ?= cc
CXX      ?= c++
DB       ?= $(BUILD)/db
QUERY    ?= lumbar discogram

# Lazy (=) so that pkg-config and xapian-config are only asked after the
# `deps` step has had a chance to install them.
PKGS      = icu-uc icu-i18n jansson libmicrohttpd libzstd
OPT      ?= -O2
CPPFLAGS  = -I. -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CFLAGS    = -std=c11 $(OPT) -g -Wall -Wextra -Wshadow -Wstrict-prototypes \
            $(shell pkg-config --cflags $(PKGS)) $(EXTRA_CFLAGS)
CXXFLAGS  = -std=c++17 $(OPT) -g -Wall -Wextra $(shell xapian-config --cxxflags) $(EXTRA_CFLAGS)
LDFLAGS  += $(EXTRA_LDFLAGS)
LDLIBS    = $(shell pkg-config --libs $(PKGS)) $(shell xapian-config --libs) -lstdc++ -lm -lpthread
TEST_LIBS = -lcriterion -lcurl

LIB_C    := $(wildcard common/*.c corpus/*.c indexer/*.c query/*.c)
LIB_CXX  := $(wildcard shim/*.cc)
CLI_C    := $(wildcard cli/*.c)
TEST_C   := $(wildcard tests/support/*.c tests/unit/*.c tests/integration/*.c)

# Curated data compiled into the binary (corpus/builtin.h).
EMBED    := corpus/synonyms.txt corpus/weights.conf
EMBED_OBJ = $(BUILD)/obj/gen/embedded.o

LIB_OBJ  := $(LIB_C:%.c=$(BUILD)/obj/%.o) $(LIB_CXX:%.cc=$(BUILD)/obj/%.o) $(EMBED_OBJ)
CLI_OBJ  := $(CLI_C:%.c=$(BUILD)/obj/%.o)
TEST_OBJ := $(TEST_C:%.c=$(BUILD)/obj/%.o)

# The search page that `serve` shows, compiled in like the curated data above
# (query/web_assets.c names each file; a new one needs a line there too).
WEB      := query/web/index.html query/web/app.js query/web/style.css query/web/favicon.svg
WEB_OBJ   = $(BUILD)/obj/gen/web.o
LIB_OBJ  += $(WEB_OBJ)

LIB      := $(BUILD)/libprocsearch.a
BIN      := $(BUILD)/procsearch
TESTBIN  := $(BUILD)/test_procsearch

.PHONY: all deps deps-test deps-bench run test check asan lint clean bench bench-callgrind
.DEFAULT_GOAL := all

all: $(BIN)

deps:
	@scripts/install-deps.sh build
deps-test:
	@scripts/install-deps.sh test
deps-bench:
	@scripts/install-deps.sh bench

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/gen/embedded.c: $(EMBED) scripts/embed_files.sh
	@mkdir -p $(dir $@)
	scripts/embed_files.sh $@ $(EMBED)

$(EMBED_OBJ): $(BUILD)/gen/embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/gen/web.c: $(WEB) scripts/embed_files.sh
	@mkdir -p $(dir $@)
	scripts/embed_files.sh $@ $(WEB)

$(WEB_OBJ): $(BUILD)/gen/web.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(TESTBIN): $(TEST_OBJ) $(LIB) $(BIN)
	$(CC) $(LDFLAGS) -o $@ $(TEST_OBJ) $(LIB) $(LDLIBS) $(TEST_LIBS)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)

# The tests find the binary, the corpus and a scratch folder through these.
TEST_ENV = PROCSEARCH_BIN=$(abspath $(BIN)) PROCSEARCH_ROOT=$(abspath .) \
           PROCSEARCH_TMP=$(abspath $(BUILD))/tmp

test: deps-test
	@$(MAKE) --no-print-directory $(TESTBIN)
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory test-browser

# Runs the suites without the install step (for a build that is known to be set up).
check: $(TESTBIN)
	@rm -rf $(BUILD)/tmp && mkdir -p $(BUILD)/tmp
	$(TEST_ENV) $(TESTBIN) $(TEST_ARGS)

LISTEN   ?= 127.0.0.1:8080

# Build, index the bundled pages, answer a demo query, then serve the search
# page until interrupted (Ctrl-C): open http://$(LISTEN)/ in a browser.
run: deps
	@$(MAKE) --no-print-directory $(BIN)
	$(BIN) index --db $(DB) corpus/samples corpus/dev/docs
	$(BIN) search --db $(DB) --limit 5 "$(QUERY)"
	@echo "serving the search page: open http://$(LISTEN)/ (Ctrl-C stops)"
	$(BIN) serve --db $(DB) --listen $(LISTEN)

# AddressSanitizer + UndefinedBehaviorSanitizer build of everything, then the tests.
asan: deps-test
	@$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 \
	    EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	    EXTRA_LDFLAGS="-fsanitize=address,undefined" check

lint: deps
	clang-tidy --quiet $(LIB_C) $(CLI_C) -- $(CPPFLAGS) -std=c11 $(shell pkg-config --cflags $(PKGS))
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	    --inline-suppr --suppress=missingIncludeSystem -I. common corpus indexer query cli shim

clean:
	rm -rf build build-asan

# ---- peer engines for the benchmarks (bench/peers/, bench/relevance.sh) ----
# Each peer is a small program over `procsearch export` JSON Lines with the
# same subcommands: index, run (TREC run file), latency (one JSON line).
PEERS       = $(BUILD)/peers
LUCENE_JARS = $(foreach j,core analyzers-common queryparser sandbox,\
                $(lastword $(sort $(wildcard /usr/share/java/lucene-$(j)-8.*.jar))))
LUCENE_CP   = $(subst $(eval) ,:,$(strip $(LUCENE_JARS)))

.PHONY: peers bench-relevance
peers: $(PEERS)/xapian_stock $(PEERS)/xapian_raw $(PEERS)/fts5 $(PEERS)/lucene \
       $(PEERS)/stopwords.txt

$(PEERS)/xapian_stock: bench/peers/xapian_stock.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $(shell pkg-config --cflags jansson) $(LDFLAGS) -o $@ $< \
	    $(shell xapian-config --libs) $(shell pkg-config --libs jansson)

# procsearch's own queries (procsearch bench --dump-queries) on plain Xapian.
$(PEERS)/xapian_raw: bench/peers/xapian_raw.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $(LDFLAGS) -o $@ $< $(shell xapian-config --libs)

$(PEERS)/fts5: bench/peers/fts5.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(shell pkg-config --cflags sqlite3) $(LDFLAGS) -o $@ $< \
	    $(shell pkg-config --libs sqlite3 jansson) -lm

# Compiled classes plus a launcher, so that `$(PEERS)/lucene index ...` runs like the others.
$(PEERS)/lucene: bench/peers/LuceneBench.java
	@mkdir -p $(PEERS)/classes
	@test -n "$(strip $(LUCENE_JARS))" && test $(words $(LUCENE_JARS)) -eq 4 || \
	    { echo "Lucene 8 jars not found in /usr/share/java (make deps-bench)" >&2; exit 1; }
	javac -Xlint:all -Werror -d $(PEERS)/classes -cp $(LUCENE_CP) $<
	printf '#!/bin/sh\nexec java $${LUCENE_JAVA_OPTS:-} -cp "%s:%s" LuceneBench "$$@"\n' \
	    "$(abspath $(PEERS)/classes)" "$(LUCENE_CP)" > $@
	chmod +x $@

# procsearch's stopword list (indexer/stopwords.c), one word a line, for the peers.
$(PEERS)/stopwords.txt: indexer/stopwords.c
	@mkdir -p $(dir $@)
	sed -n '/stopwords\[\] = {/,/^};/p' $< | grep -o '"[^"]*"' | tr -d '"' > $@.tmp
	@test -s $@.tmp || { echo "no stopwords found in $<" >&2; rm -f $@.tmp; exit 1; }
	mv $@.tmp $@

# Speed at several corpus sizes against raw Xapian and the peers: bench/out/perf.md,
# perf.json, latency.png.  SIZES="10000" for a quick run (default 10000 100000 1000000).
bench: deps-bench
	+@BUILD=$(BUILD) bench/perf.sh

# Instruction counts of the hot path on corpus/dev (valgrind callgrind): total Ir and
# the top functions, bench/out/callgrind.txt.
bench-callgrind: deps-bench
	+@BUILD=$(BUILD) bench/callgrind.sh

# procsearch and its peers on corpus/dev: one relevance table (bench/out/relevance.md).
bench-relevance:
	+@BUILD=$(BUILD) bench/relevance.sh

# ---- the search page in a real browser, and the server under load ----
# playwright-core (tests/browser/package-lock.json) drives Debian's Chromium;
# `npm ci` runs again only when the lock file changes.
BROWSER_DIR := tests/browser
$(BROWSER_DIR)/node_modules/.package-lock.json: $(BROWSER_DIR)/package-lock.json
	cd $(BROWSER_DIR) && npm ci --no-audit --no-fund
	@touch $@

.PHONY: test-browser bench-serve
test-browser: $(BIN) $(BROWSER_DIR)/node_modules/.package-lock.json
	@mkdir -p $(BUILD)/tmp $(BUILD)/test-output
	$(TEST_ENV) PROCSEARCH_OUT=$(abspath $(BUILD))/test-output \
	    node --test $(BROWSER_DIR)/search.test.mjs

# wrk against `serve`, idle and while re-indexing (bench/serve.sh prints the table).
bench-serve: deps-bench
	@$(MAKE) --no-print-directory $(BIN)
	BIN=$(BIN) bench/serve.sh
