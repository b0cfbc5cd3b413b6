/*
 * cmd_tune.c - procsearch tune --queries Q.tsv --qrels QRELS [--folds K]
 *              [--passes N] [--seed S] [--threads N] [--weights START]
 *              [--out FILE] PAGES...
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "query/tune.h"

static const char usage[] =
    "procsearch tune --queries Q.tsv --qrels QRELS [--folds K] [--passes N] [--seed S]\n"
    "                [--threads N] [--weights START] [--out FILE] PAGES...";

static int write_weights(const char *path, const ps_tune_report *rep) {
    char *text = ps_weights_format(&rep->best);
    FILE *f = text ? fopen(path, "w") : NULL;
    int ok = f && fprintf(f,
                          "# Ranking weights learned by `procsearch tune` (mean nDCG@10 %.4f on\n"
                          "# the tuning queries, from %.4f); format in indexer/weights.h.\n%s",
                          rep->fitted, rep->start, text) > 0;
    if (f && fclose(f) != 0)
        ok = 0;
    free(text);
    return ok ? 0 : -1;
}

static void print_report(const ps_tune_report *rep) {
    double held_start = 0, held_best = 0;
    size_t n = 0;
    for (size_t i = 0; i < rep->n_folds; i++) {
        const ps_tune_fold *f = &rep->folds[i];
        printf("fold %zu/%zu  %3zu queries  train %.4f -> %.4f   held-out %.4f -> %.4f\n", i + 1,
               rep->n_folds, f->queries, f->train_start, f->train_best, f->heldout_start,
               f->heldout_best);
        held_start += f->heldout_start * (double)f->queries;
        held_best += f->heldout_best * (double)f->queries;
        n += f->queries;
    }
    if (n)
        printf("cross-validated (held-out) nDCG@10: %.4f with the starting weights, %.4f tuned\n",
               held_start / (double)n, held_best / (double)n);
    printf("%zu configurations, %zu scratch indexes, %.1f s\n", rep->configs, rep->reindexes,
           rep->seconds);
    printf("fitted on all queries: nDCG@10 %.4f -> %.4f\n", rep->start, rep->fitted);
}

int cmd_tune(int argc, char **argv) {
    static const struct option longopts[] = {
        {"queries", required_argument, NULL, 'q'}, {"qrels", required_argument, NULL, 'r'},
        {"folds", required_argument, NULL, 'k'},   {"passes", required_argument, NULL, 'p'},
        {"seed", required_argument, NULL, 's'},    {"threads", required_argument, NULL, 't'},
        {"weights", required_argument, NULL, 'w'}, {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char *queries = NULL, *qrels = NULL, *start_path = NULL, *out = "corpus/weights.conf";
    size_t folds = 3, passes = 2, seed = 1, threads = 2;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'q': queries = optarg; break;
        case 'r': qrels = optarg; break;
        case 'k':
            if (ps_arg_size("tune", "--folds", optarg, 20, &folds) < 0)
                return 2;
            break;
        case 'p':
            if (ps_arg_size("tune", "--passes", optarg, 20, &passes) < 0)
                return 2;
            break;
        case 's':
            if (ps_arg_size("tune", "--seed", optarg, 1000000000, &seed) < 0)
                return 2;
            break;
        case 't':
            if (ps_arg_size("tune", "--threads", optarg, 8, &threads) < 0)
                return 2;
            break;
        case 'w': start_path = optarg; break;
        case 'o': out = optarg; break;
        case 'h': printf("usage: %s\n", usage); return 0;
        default: return ps_usage_error("tune", usage, "unknown option");
        }
    }
    if (!queries || !qrels)
        return ps_usage_error("tune", usage, "--queries and --qrels are required");
    if (optind >= argc)
        return ps_usage_error("tune", usage, "no PAGES to tune on");
    ps_err err = {{0}};
    ps_weights start;
    ps_weights_default(&start);
    if (start_path && ps_weights_load(start_path, &start, &err) < 0) {
        fprintf(stderr, "procsearch tune: %s\n", err.msg);
        return 2;
    }
    ps_queries qs = {0};
    ps_qrels qr = {0};
    if (ps_queries_load(queries, &qs, &err) < 0 || ps_qrels_load(qrels, &qr, &err) < 0) {
        fprintf(stderr, "procsearch tune: %s\n", err.msg);
        ps_queries_free(&qs);
        return 1;
    }
    ps_tune_opts o = {.pages = (const char *const *)argv + optind,
                      .n_pages = (size_t)(argc - optind),
                      .folds = folds,
                      .passes = passes ? passes : 1,
                      .seed = (unsigned)seed,
                      .threads = threads ? threads : 1,
                      .progress = isatty(STDERR_FILENO)};
    ps_tune_report rep;
    int rc = ps_tune(&o, &start, &qs, &qr, &rep, &err);
    ps_queries_free(&qs);
    ps_qrels_free(&qr);
    if (rc < 0) {
        fprintf(stderr, "procsearch tune: %s\n", err.msg);
        return 1;
    }
    print_report(&rep);
    if (write_weights(out, &rep) < 0) {
        fprintf(stderr, "procsearch tune: cannot write %s\n", out);
        rc = -1;
    } else {
        printf("weights written to %s (rebuild to make them the defaults of `index`)\n", out);
    }
    ps_tune_report_free(&rep);
    return rc < 0 ? 1 : 0;
}
