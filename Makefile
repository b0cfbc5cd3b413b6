# procsearch - see README.md.  `make run` and `make test` do all the set-up.

BUILD    ?= build
CC       ?= cc
CXX      ?= c++
DB       ?= $(BUILD)/db
QUERY    ?= lumbar discogram

# Lazy (=) so that pkg-config and xapian-config are only asked after the
# `deps` step has had a chance to install them.
PKGS      = icu-uc icu-i18n jansson libmicrohttpd
OPT      ?= -O2
CPPFLAGS  = -I. -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CFLAGS    = -std=c11 $(OPT) -g -Wall -Wextra -Wshadow -Wstrict-prototypes \
            $(shell pkg-config --cflags $(PKGS)) $(EXTRA_CFLAGS)
CXXFLAGS  = -std=c++17 $(OPT) -g -Wall -Wextra $(shell xapian-config --cxxflags) $(EXTRA_CFLAGS)
LDFLAGS  += $(EXTRA_LDFLAGS)
LDLIBS    = $(shell pkg-config --libs $(PKGS)) $(shell xapian-config --libs) -lstdc++ -lm -lpthread
TEST_LIBS = -lcriterion

LIB_C    := $(wildcard common/*.c corpus/*.c indexer/*.c query/*.c)
LIB_CXX  := $(wildcard shim/*.cc)
CLI_C    := $(wildcard cli/*.c)
TEST_C   := $(wildcard tests/support/*.c tests/unit/*.c tests/integration/*.c)

LIB_OBJ  := $(LIB_C:%.c=$(BUILD)/obj/%.o) $(LIB_CXX:%.cc=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_C:%.c=$(BUILD)/obj/%.o)
TEST_OBJ := $(TEST_C:%.c=$(BUILD)/obj/%.o)

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

# Runs the suites without the install step (for a build that is known to be set up).
check: $(TESTBIN)
	@rm -rf $(BUILD)/tmp && mkdir -p $(BUILD)/tmp
	$(TEST_ENV) $(TESTBIN) $(TEST_ARGS)

run: deps
	@$(MAKE) --no-print-directory $(BIN)
	$(BIN) index --db $(DB) corpus/samples corpus/dev/docs
	$(BIN) search --db $(DB) --limit 5 "$(QUERY)"

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
