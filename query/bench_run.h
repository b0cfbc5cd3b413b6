/*
 * bench_run.h - the ranking hot path, timed in-process: every query of a
 * set searched (and its results turned into JSON, as a server would)
 * `repeat` times by `threads` searchers at once, each with its own
 * database handle.  Latency percentiles are over single searches; QPS is
 * searches finished per second of wall time.
 *
 * In suggest mode the same is done for search-as-you-type (ps_suggest):
 * every query is cut after each of its characters from the third on ("lum",
 * "lumb", ..., the whole query), as a search box sends it while it is typed,
 * and each cut is one timed suggestion (of the query's type).  The stages
 * of a suggestion are not split: its time is all in match_ms.
 */
#ifndef PS_BENCH_RUN_H
#define PS_BENCH_RUN_H

#include <stddef.h>
#include <stdio.h>

#include "common/err.h"
#include "query/eval.h"

typedef struct ps_bench_opts {
    size_t repeat;  /* passes over the query set (after one warm-up pass) */
    size_t threads; /* searchers working at once */
    size_t limit;   /* results per query (0: ps_search's or ps_suggest's default) */
    int snippets;   /* as a search box asks for them */
    int suggest;    /* time ps_suggest on the prefixes of each query instead */
} ps_bench_opts;

/* Characters a query must have before suggest mode times a cut of it. */
#define PS_BENCH_SUGGEST_MIN_CHARS 3

typedef struct ps_bench_stats {
    size_t searches;
    double p50_ms, p95_ms, p99_ms, mean_ms, max_ms;
    double qps;
    /* mean time per search in each stage (see ps_results) plus JSON output */
    double parse_ms, match_ms, fetch_ms, output_ms;
} ps_bench_stats;

typedef struct ps_bench_report {
    ps_bench_stats all;
    ps_bench_stats *by_type; /* indexed like ps_queries.types */
    size_t n_types;
    double seconds;
    long peak_rss_kb;        /* of the whole process, from getrusage */
} ps_bench_report;

int ps_bench_run(const char *db_path, const ps_queries *qs, const ps_bench_opts *o,
                 ps_bench_report *rep, ps_err *err);
void ps_bench_report_free(ps_bench_report *rep);

/* For running procsearch's queries on plain Xapian (bench/peers/
 * xapian_raw.cc): write to f (named `name` in messages) one line per query
 * of qs, in order,
 *     qid TAB hex(Xapian::Query::serialise()) TAB k1 TAB b
 * where the query is exactly the one ps_search builds for the text with the
 * options the benchmark searches with (spelling, synonyms, no field), and
 * k1 and b are the BM25 parameters it ranks with (BM25Weight(k1, 0, 1, b,
 * 0.5)).  A query with no searchable word has an empty second column (the
 * empty query, which ps_search does not run). */
int ps_bench_dump_queries(const char *db_path, const ps_queries *qs, FILE *f, const char *name,
                          ps_err *err);

#endif
