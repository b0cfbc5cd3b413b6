/*
 * analyze_internal.h - hooks into the analyzer for its unit tests and
 * benchmarks.  Nothing outside indexer/analyze*.c, indexer/stopwords.c and
 * tests/unit/test_analyze*.c should include this.
 */
#ifndef PS_ANALYZE_INTERNAL_H
#define PS_ANALYZE_INTERNAL_H

#include <stddef.h>

#include "indexer/analyze.h"

/* on = 1 sends all text through ICU's word break iterator; on = 0 (the
 * default) lets pure-ASCII stretches take the hand-written UAX #29 scanner.
 * Both must give the same tokens: the tests compare them. */
void ps_analyzer_set_icu_only(ps_analyzer *a, int on);

/* on = 0 disables the stem cache, so tests and benchmarks can compare. */
void ps_analyzer_set_stem_cache(ps_analyzer *a, int on);

/* The stopword table, for the test that it is sorted. */
size_t ps_stopword_count(void);
const char *ps_stopword_at(size_t i);

#endif
