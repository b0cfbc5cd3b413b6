/*
 * cmd_gen.c - procsearch gen --pages N --seed S --out DIR [--format txt|jsonl]
 *             [--model DIR] [--queries FILE --n-queries M] [--quiet]
 *
 * A synthetic corpus for benchmarks, learned from real pages (see
 * corpus/gen.h).  The same seed and N give byte-identical output.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "common/progress.h"
#include "corpus/gen.h"

static const char usage[] =
    "procsearch gen --pages N --seed S --out DIR [--format txt|jsonl] [--model DIR]\n"
    "                     [--queries FILE --n-queries M] [--quiet]";

#define MAX_PAGES 100000000u
#define MAX_QUERIES 10000000u

typedef struct gen_args {
    size_t pages, n_queries;
    uint64_t seed;
    int have_pages, have_seed, have_n_queries, quiet;
    const char *out, *model, *queries;
    ps_gen_format format;
} gen_args;

/* 0, 2 for a usage error (reported), or 1 after --help. */
static int parse(int argc, char **argv, gen_args *a) {
    static const struct option longopts[] = {
        {"pages", required_argument, NULL, 'p'},   {"seed", required_argument, NULL, 's'},
        {"out", required_argument, NULL, 'o'},     {"format", required_argument, NULL, 'f'},
        {"model", required_argument, NULL, 'm'},   {"queries", required_argument, NULL, 'q'},
        {"n-queries", required_argument, NULL, 'n'}, {"quiet", no_argument, NULL, 'Q'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    size_t seed = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (ps_arg_size("gen", "--pages", optarg, MAX_PAGES, &a->pages) < 0)
                return 2;
            a->have_pages = 1;
            break;
        case 's':
            if (ps_arg_size("gen", "--seed", optarg, SIZE_MAX, &seed) < 0)
                return 2;
            a->seed = seed;
            a->have_seed = 1;
            break;
        case 'o': a->out = optarg; break;
        case 'f':
            if (strcmp(optarg, "txt") == 0)
                a->format = PS_GEN_TXT;
            else if (strcmp(optarg, "jsonl") == 0)
                a->format = PS_GEN_JSONL;
            else
                return ps_usage_error("gen", usage, "--format must be txt or jsonl, not '%s'",
                                      optarg);
            break;
        case 'm': a->model = optarg; break;
        case 'q': a->queries = optarg; break;
        case 'n':
            if (ps_arg_size("gen", "--n-queries", optarg, MAX_QUERIES, &a->n_queries) < 0)
                return 2;
            a->have_n_queries = 1;
            break;
        case 'Q': a->quiet = 1; break;
        case 'h': printf("usage: %s\n", usage); return 1;
        default: return ps_usage_error("gen", usage, "unknown option");
        }
    }
    if (optind != argc)
        return ps_usage_error("gen", usage, "unexpected argument '%s'", argv[optind]);
    if (!a->have_pages || a->pages == 0)
        return ps_usage_error("gen", usage, "--pages needs at least 1 page");
    if (!a->have_seed)
        return ps_usage_error("gen", usage, "--seed is required (the output is a function of it)");
    if (!a->out || !*a->out)
        return ps_usage_error("gen", usage, "--out DIR is required");
    if (!!a->queries != a->have_n_queries)
        return ps_usage_error("gen", usage, "--queries FILE and --n-queries M go together");
    return 0;
}

int cmd_gen(int argc, char **argv) {
    gen_args a = {.model = "corpus/dev/docs", .format = PS_GEN_TXT};
    int rc = parse(argc, argv, &a);
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    ps_err err = {{0}};
    ps_gen_model *m = NULL;
    double t0 = ps_now();
    if (ps_gen_model_learn(a.model, &m, &err) != 0) {
        fprintf(stderr, "procsearch gen: %s\n", err.msg);
        return 1;
    }
    double learned = ps_now() - t0;
    ps_gen_opts o = {.pages = a.pages, .seed = a.seed, .out_dir = a.out, .format = a.format,
                     .progress = !a.quiet && isatty(STDERR_FILENO)};
    ps_gen_report rep;
    rc = ps_gen_write(m, &o, &rep, &err);
    if (rc == 0 && !a.quiet)
        fprintf(stderr,
                "generated %zu pages (%s) in %.2f s (%.0f pages/s, %.0f bytes/page, %.1f MB) "
                "into %s; model from %zu pages in %.2f s\n",
                rep.pages, a.format == PS_GEN_JSONL ? "jsonl" : "txt", rep.seconds,
                rep.seconds > 0 ? (double)rep.pages / rep.seconds : 0.0,
                rep.pages ? (double)rep.bytes / (double)rep.pages : 0.0, (double)rep.bytes / 1e6,
                a.out, m->pages, learned);
    if (rc == 0 && a.queries) {
        rc = ps_gen_queries_write(m, a.seed, a.pages, a.n_queries, a.queries, &err);
        if (rc == 0 && !a.quiet)
            fprintf(stderr, "wrote %zu queries to %s\n", a.n_queries, a.queries);
    }
    if (rc != 0)
        fprintf(stderr, "procsearch gen: %s\n", err.msg);
    ps_gen_model_free(m);
    return rc != 0 ? 1 : 0;
}
