/*
 * bench_run.h - the ranking hot path, timed in-process: every query of a
 * set searched (and its results turned into JSON, as a server would)
 * `repeat` times by `threads` searchers at once, each with its own
 * database handle.  Latency percentiles are over single searches; QPS is
 * searches finished per second of wall time.
 */
#ifndef PS_BENCH_RUN_H
#define PS_BENCH_RUN_H

#include <stddef.h>

#include "common/err.h"
#include "query/eval.h"

typedef struct ps_bench_opts {
    size_t repeat;  /* passes over the query set (after one warm-up pass) */
    size_t threads; /* searchers working at once */
    size_t limit;   /* results per query */
    int snippets;   /* as a search box asks for them */
} ps_bench_opts;

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

#endif
