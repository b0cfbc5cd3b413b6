/*
 * cmd_bench.c - procsearch bench [--db DIR] --queries Q.tsv [--repeat N]
 *               [--threads N] [--limit N] [--no-snippets] [--suggest]
 *               [--dump-queries FILE] [--json]
 *
 * --suggest times search-as-you-type (ps_suggest) on every cut of each
 * query from its third character on, instead of searches.
 * --dump-queries FILE first writes the Xapian query built for each query
 * (query/bench_run.h, ps_bench_dump_queries) for bench/peers/xapian_raw;
 * "-" is standard output, and then no table is printed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "query/bench_run.h"
#include "query/results_json.h"

static const char usage[] =
    "procsearch bench [--db DIR] --queries Q.tsv [--repeat N] [--threads N] [--limit N]\n"
    "                 [--no-snippets] [--suggest] [--dump-queries FILE] [--json]";

static json_t *stats_json(const ps_bench_stats *s) {
    return json_pack("{s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "searches",
                     (json_int_t)s->searches, "p50_ms", s->p50_ms, "p95_ms", s->p95_ms, "p99_ms",
                     s->p99_ms, "mean_ms", s->mean_ms, "max_ms", s->max_ms, "qps", s->qps,
                     "parse_ms", s->parse_ms, "match_ms", s->match_ms, "fetch_ms", s->fetch_ms,
                     "output_ms", s->output_ms);
}

static int print_json(const ps_bench_report *r, const ps_queries *qs, size_t threads,
                      int suggest) {
    json_t *j = stats_json(&r->all);
    json_t *types = json_object();
    for (size_t k = 0; j && types && k < r->n_types; k++)
        json_object_set_new(types, qs->types[k], stats_json(&r->by_type[k]));
    json_object_set_new(j, "by_type", types);
    json_object_set_new(j, "threads", json_integer((json_int_t)threads));
    json_object_set_new(j, "mode", json_string(suggest ? "suggest" : "search"));
    json_object_set_new(j, "peak_rss_kb", json_integer(r->peak_rss_kb));
    int rc = ps_json_print(j, stdout, 0);
    json_decref(j);
    return rc;
}

static void print_row(const char *name, const ps_bench_stats *s) {
    printf("%-10s %8zu %8.3f %8.3f %8.3f %9.0f   %6.3f %6.3f %6.3f %6.3f\n", name, s->searches,
           s->p50_ms, s->p95_ms, s->p99_ms, s->qps, s->parse_ms, s->match_ms, s->fetch_ms,
           s->output_ms);
}

/* --dump-queries: the file is written whole or reported. */
static int dump_queries(const char *db, const ps_queries *qs, const char *path) {
    int to_stdout = strcmp(path, "-") == 0;
    const char *name = to_stdout ? "standard output" : path;
    FILE *f = to_stdout ? stdout : fopen(path, "w");
    if (!f) {
        fprintf(stderr, "procsearch bench: %s: cannot create: %s\n", path, strerror(errno));
        return -1;
    }
    ps_err err = {{0}};
    int rc = ps_bench_dump_queries(db, qs, f, name, &err);
    if (!to_stdout && fclose(f) != 0 && rc == 0)
        rc = ps_err_set(&err, "%s: cannot write: %s", path, strerror(errno));
    if (rc < 0)
        fprintf(stderr, "procsearch bench: %s\n", err.msg);
    return rc;
}

int cmd_bench(int argc, char **argv) {
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},      {"queries", required_argument, NULL, 'q'},
        {"repeat", required_argument, NULL, 'r'},  {"threads", required_argument, NULL, 't'},
        {"limit", required_argument, NULL, 'l'},   {"no-snippets", no_argument, NULL, 'S'},
        {"json", no_argument, NULL, 'j'},          {"help", no_argument, NULL, 'h'},
        {"suggest", no_argument, NULL, 'g'},       {"dump-queries", required_argument, NULL, 'D'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL, *queries = NULL, *dump = NULL;
    ps_bench_opts o = {.repeat = 3, .threads = 1, .limit = 0, .snippets = 1};
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'q': queries = optarg; break;
        case 'r':
            if (ps_arg_size("bench", "--repeat", optarg, 100000, &o.repeat) < 0)
                return 2;
            break;
        case 't':
            if (ps_arg_size("bench", "--threads", optarg, 64, &o.threads) < 0)
                return 2;
            break;
        case 'l':
            if (ps_arg_size("bench", "--limit", optarg, 100, &o.limit) < 0)
                return 2;
            break;
        case 'S': o.snippets = 0; break;
        case 'j': json = 1; break;
        case 'g': o.suggest = 1; break;
        case 'D': dump = optarg; break;
        case 'h': printf("usage: %s\n", usage); return 0;
        default: return ps_usage_error("bench", usage, "unknown option");
        }
    }
    if (!queries)
        return ps_usage_error("bench", usage, "--queries is required");
    if (optind != argc)
        return ps_usage_error("bench", usage, "unexpected argument '%s'", argv[optind]);
    if (o.threads == 0 || o.repeat == 0)
        return ps_usage_error("bench", usage, "--threads and --repeat must be at least 1");
    ps_err err = {{0}};
    ps_queries qs = {0};
    if (ps_queries_load(queries, &qs, &err) < 0) {
        fprintf(stderr, "procsearch bench: %s\n", err.msg);
        return 1;
    }
    if (dump && dump_queries(ps_arg_db(db), &qs, dump) < 0) {
        ps_queries_free(&qs);
        return 1;
    }
    ps_bench_report r;
    if (ps_bench_run(ps_arg_db(db), &qs, &o, &r, &err) < 0) {
        fprintf(stderr, "procsearch bench: %s\n", err.msg);
        ps_queries_free(&qs);
        return 1;
    }
    int rc = 0;
    if (json) {
        rc = print_json(&r, &qs, o.threads, o.suggest);
    } else if (!(dump && strcmp(dump, "-") == 0)) {
        printf("%zu queries%s x %zu passes on %zu thread%s, %.2f s; peak RSS %ld KiB\n", qs.n,
               o.suggest ? " (every cut suggested)" : "", o.repeat, o.threads,
               o.threads == 1 ? "" : "s", r.seconds, r.peak_rss_kb);
        printf("%-10s %8s %8s %8s %8s %9s   %6s %6s %6s %6s\n", "type", "searches", "p50 ms",
               "p95 ms", "p99 ms", "qps", "parse", "match", "fetch", "output");
        for (size_t k = 0; k < r.n_types; k++)
            print_row(qs.types[k], &r.by_type[k]);
        print_row("all", &r.all);
    }
    ps_bench_report_free(&r);
    ps_queries_free(&qs);
    return rc < 0 ? 1 : 0;
}
