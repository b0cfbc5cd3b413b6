/*
 * cmd_eval.c - procsearch eval: nDCG@10, MRR@10, P@1 and R@10 of the
 * engine (or of a run file) on judged test queries.  Metrics: query/eval.h.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "query/eval.h"
#include "query/eval_json.h"
#include "query/results_json.h"

static const char usage[] =
    "procsearch eval [--db DIR | --pages PATH...] --queries Q.tsv --qrels QRELS [--run OUT]\n"
    "                [--depth N] [--weights FILE] [--no-spelling] [--no-synonyms] [--worst N]\n"
    "                [--json]\n"
    "       procsearch eval --score-run RUNFILE --queries Q.tsv --qrels QRELS [--worst N] [--json]";

#define WORST_DEFAULT 10

typedef struct eval_args {
    const char *db, *queries, *qrels, *run_out, *weights, *score_run;
    const char **pages;
    size_t n_pages;
    ps_eval_opts opts;
    size_t worst;
    int json;
    /* Options that only make sense when searching, for the --score-run check. */
    const char *search_only;
} eval_args;

static int parse_args(int argc, char **argv, eval_args *a) {
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},        {"pages", required_argument, NULL, 'p'},
        {"queries", required_argument, NULL, 'q'},   {"qrels", required_argument, NULL, 'r'},
        {"run", required_argument, NULL, 'o'},       {"depth", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},            {"weights", required_argument, NULL, 'w'},
        {"worst", required_argument, NULL, 'W'},     {"no-spelling", no_argument, NULL, 'S'},
        {"no-synonyms", no_argument, NULL, 'Y'},     {"score-run", required_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': a->db = optarg, a->search_only = "--db"; break;
        case 'p': a->pages[a->n_pages++] = optarg, a->search_only = "--pages"; break;
        case 'q': a->queries = optarg; break;
        case 'r': a->qrels = optarg; break;
        case 'o': a->run_out = optarg, a->search_only = "--run"; break;
        case 'n':
            if (ps_arg_size("eval", "--depth", optarg, PS_EVAL_DEPTH_MAX, &a->opts.depth) < 0)
                return 2;
            if (a->opts.depth < PS_EVAL_CUTOFF)
                return ps_usage_error("eval", usage,
                                      "--depth needs at least %d (the metrics read the top %d)",
                                      PS_EVAL_CUTOFF, PS_EVAL_CUTOFF);
            a->search_only = "--depth";
            break;
        case 'j': a->json = 1; break;
        case 'w': a->weights = optarg, a->search_only = "--weights"; break;
        case 'W':
            if (ps_arg_size("eval", "--worst", optarg, 1000000, &a->worst) < 0)
                return 2;
            break;
        case 'S': a->opts.spelling = 0, a->search_only = "--no-spelling"; break;
        case 'Y': a->opts.synonyms = 0, a->search_only = "--no-synonyms"; break;
        case 'R': a->score_run = optarg; break;
        case 'h': printf("usage: %s\n", usage); return 0;
        default: return ps_usage_error("eval", usage, "unknown option");
        }
    }
    /* PATHs after the options belong to --pages ("--pages a b c"). */
    for (int i = optind; i < argc; i++) {
        if (!a->n_pages)
            return ps_usage_error("eval", usage, "unexpected argument '%s' (pages go after --pages)",
                                  argv[i]);
        a->pages[a->n_pages++] = argv[i];
    }
    if (!a->queries || !a->qrels)
        return ps_usage_error("eval", usage, "--queries and --qrels are both needed");
    if (a->score_run && a->search_only)
        return ps_usage_error("eval", usage,
                              "--score-run scores an existing run; %s only applies when searching",
                              a->search_only);
    if (a->db && a->n_pages)
        return ps_usage_error("eval", usage,
                              "--db and --pages exclude each other (--pages builds its own)");
    return -1; /* carry on */
}

static void print_avg(const char *label, int width, const ps_eval_avg *a) {
    printf("%-*s nDCG@10 %.4f  MRR@10 %.4f  P@1 %.4f  R@10 %.4f  (%zu queries)\n", width, label,
           a->ndcg10, a->mrr10, a->p1, a->recall10, a->queries);
}

static int max_len(int w, const char *s) {
    int n = (int)strlen(s);
    return n > w ? n : w;
}

static void print_worst(const ps_eval_report *rep, const size_t *worst, size_t n) {
    if (!n)
        return;
    int wq = 3, wt = 4, w1 = 4;
    for (size_t i = 0; i < n; i++) {
        const ps_eval_entry *e = &rep->entries[worst[i]];
        wq = max_len(wq, e->query->qid);
        wt = max_len(wt, e->query->type);
        w1 = max_len(w1, e->top1 ? e->top1 : "-");
    }
    printf("worst %zu by nDCG@10 (first = rank of the wanted page):\n", n);
    printf("  %-*s  %-*s  %-6s  %5s  %-*s  %s\n", wq, "qid", wt, "type", "nDCG", "first", w1,
           "top1", "query");
    for (size_t i = 0; i < n; i++) {
        const ps_eval_entry *e = &rep->entries[worst[i]];
        char rank[24] = "-";
        if (e->m.first_rank)
            snprintf(rank, sizeof rank, "%zu", e->m.first_rank);
        printf("  %-*s  %-*s  %.4f  %5s  %-*s  %s\n", wq, e->query->qid, wt, e->query->type,
               e->m.ndcg10, rank, w1, e->top1 ? e->top1 : "-", e->query->text);
    }
    putchar('\n');
}

/* The overall figures come last so that scripts can read the last line. */
static void print_text(const eval_args *a, const ps_eval_report *rep, const ps_queries *qs,
                       const size_t *worst, size_t n_worst) {
    printf("%s %zu queries in %.2f s (%.2f ms per query)\n", a->score_run ? "scored" : "searched",
           rep->n, rep->seconds, rep->n ? rep->seconds * 1000.0 / (double)rep->n : 0.0);
    printf("skipped %zu quer%s without a page judged relevant in %s\n", rep->overall.skipped,
           rep->overall.skipped == 1 ? "y" : "ies", a->qrels);
    putchar('\n');
    print_worst(rep, worst, n_worst);
    int width = 8;
    for (size_t t = 0; t < qs->n_types; t++)
        width = max_len(width, qs->types[t]);
    for (size_t t = 0; t < qs->n_types; t++)
        print_avg(qs->types[t], width, &rep->by_type[t]);
    print_avg("overall", width, &rep->overall);
}

static int print_report(const eval_args *a, const ps_eval_report *rep, const ps_queries *qs) {
    size_t *worst = NULL, n_worst = 0;
    ps_err err = {{0}};
    if (ps_eval_worst(rep, a->worst, &worst, &n_worst, &err) < 0) {
        fprintf(stderr, "procsearch eval: %s\n", err.msg);
        return 1;
    }
    int rc = 0;
    if (a->json) {
        json_t *j = ps_eval_report_json(rep, qs->types, worst, n_worst);
        rc = ps_json_print(j, stdout, 1);
        json_decref(j);
        if (rc < 0)
            fprintf(stderr, "procsearch eval: could not write the JSON report\n");
    } else {
        print_text(a, rep, qs, worst, n_worst);
    }
    free(worst);
    if (fflush(stdout) != 0)
        rc = -1;
    return rc < 0 ? 1 : 0;
}

static void on_reject(const char *msg, void *ctx) {
    (void)ctx;
    /* Clear a progress line first so the message starts on a clean line. */
    fprintf(stderr, "%srejected: %s\n", isatty(STDERR_FILENO) ? "\r\033[K" : "", msg);
}

/* --pages: index into a temporary database with the weights under test. */
static int index_pages(const eval_args *a, const ps_weights *w, char **dir) {
    ps_index_report irep;
    ps_err err = {{0}};
    if (ps_eval_tempdb_create(a->pages, a->n_pages, w, isatty(STDERR_FILENO), on_reject, NULL,
                              dir, &irep, &err) < 0) {
        fprintf(stderr, "procsearch eval: %s\n", err.msg);
        return 1;
    }
    /* Scoring against fewer pages than asked for would mislead. */
    const char *why = irep.rejected ? "pages were rejected (listed above)"
                      : !irep.documents ? "no pages were found in the --pages paths"
                                        : NULL;
    if (why) {
        fprintf(stderr, "procsearch eval: %s; nothing evaluated\n", why);
        ps_eval_tempdb_remove(*dir, NULL);
        free(*dir);
        *dir = NULL;
        return 1;
    }
    return 0;
}

/* --weights over the database's own; field weights cannot change here. */
static int apply_weights(const eval_args *a, ps_searcher *s, const char *db) {
    ps_weights w = *ps_searcher_weights(s);
    ps_err err = {{0}};
    if (ps_weights_load(a->weights, &w, &err) < 0) {
        fprintf(stderr, "procsearch eval: %s\n", err.msg);
        return 1;
    }
    const ps_weights *have = ps_searcher_weights(s);
    int f = ps_eval_field_weights_differ(&w, have);
    if (f >= 0) {
        fprintf(stderr,
                "procsearch eval: %s sets %s = %g but %s was indexed with %s = %g; field weights "
                "are fixed at index time, so they need --pages PATH... (eval then indexes the "
                "pages with them into a temporary database)\n",
                a->weights, ps_field_name(f), w.field[f], db, ps_field_name(f), have->field[f]);
        return 2;
    }
    ps_searcher_set_weights(s, &w);
    return 0;
}

static int open_run_out(const eval_args *a, ps_eval_opts *o) {
    if (!a->run_out)
        return 0;
    if (!(o->run = fopen(a->run_out, "w"))) {
        perror(a->run_out);
        return 1;
    }
    o->run_name = a->run_out;
    return 0;
}

static int close_run_out(const eval_args *a, ps_eval_opts *o, int rc) {
    if (!o->run)
        return rc;
    if (fclose(o->run) != 0 && rc == 0) {
        fprintf(stderr, "procsearch eval: %s: write failed\n", a->run_out);
        rc = 1;
    }
    o->run = NULL;
    if (rc != 0)
        unlink(a->run_out); /* a partial run would score as if it were whole */
    return rc;
}

static int search_and_report(const eval_args *a, const ps_queries *qs, const ps_qrels *qrels) {
    ps_weights w;
    char *tmp_db = NULL;
    int rc = 0;
    if (a->n_pages) {
        ps_weights_default(&w);
        ps_err err = {{0}};
        if (a->weights && ps_weights_load(a->weights, &w, &err) < 0) {
            fprintf(stderr, "procsearch eval: %s\n", err.msg);
            return 1;
        }
        if ((rc = index_pages(a, &w, &tmp_db)) != 0)
            return rc;
    }
    const char *db = tmp_db ? tmp_db : ps_arg_db(a->db);
    ps_err err = {{0}};
    ps_searcher *s = ps_searcher_open(db, &err);
    if (!s) {
        fprintf(stderr, "procsearch eval: %s\n", err.msg);
        rc = 1;
    } else if (a->weights && !tmp_db) {
        rc = apply_weights(a, s, db);
    }
    ps_eval_opts o = a->opts;
    o.progress = isatty(STDERR_FILENO);
    if (rc == 0)
        rc = open_run_out(a, &o);
    ps_eval_report rep;
    if (rc == 0 && ps_eval_searcher(s, qs, qrels, &o, &rep, &err) < 0) {
        fprintf(stderr, "procsearch eval: %s\n", err.msg);
        rc = 1;
    } else if (rc == 0) {
        rc = close_run_out(a, &o, 0);
        if (rc == 0 && !rep.overall.queries) {
            fprintf(stderr,
                    "procsearch eval: no query of %s has a page judged relevant in %s "
                    "(do the query ids match?)\n",
                    a->queries, a->qrels);
            rc = 1;
        }
        if (rc == 0)
            rc = print_report(a, &rep, qs);
        ps_eval_report_free(&rep);
    }
    rc = close_run_out(a, &o, rc);
    ps_searcher_close(s);
    if (tmp_db && ps_eval_tempdb_remove(tmp_db, &err) < 0)
        fprintf(stderr, "procsearch eval: %s\n", err.msg);
    free(tmp_db);
    return rc;
}

static int score_and_report(const eval_args *a, const ps_queries *qs, const ps_qrels *qrels) {
    ps_run run;
    ps_eval_report rep;
    ps_err err = {{0}};
    if (ps_run_load(a->score_run, &run, &err) < 0 ||
        ps_eval_run(&run, qs, qrels, &rep, &err) < 0) {
        fprintf(stderr, "procsearch eval: %s\n", err.msg);
        ps_run_free(&run);
        return 1;
    }
    int rc = 0;
    if (rep.run_unknown)
        fprintf(stderr, "procsearch eval: %s: %zu of its queries are not in %s; ignored\n",
                a->score_run, rep.run_unknown, a->queries);
    if (!rep.overall.queries) {
        fprintf(stderr,
                "procsearch eval: no query of %s has a page judged relevant in %s "
                "(do the query ids match?)\n",
                a->queries, a->qrels);
        rc = 1;
    }
    if (rc == 0)
        rc = print_report(a, &rep, qs);
    ps_eval_report_free(&rep);
    ps_run_free(&run);
    return rc;
}

int cmd_eval(int argc, char **argv) {
    eval_args a = {.worst = WORST_DEFAULT};
    ps_eval_opts_default(&a.opts);
    /* Every --pages PATH and positional PATH fits: at most argc of them. */
    a.pages = calloc((size_t)argc + 1, sizeof *a.pages);
    if (!a.pages) {
        fprintf(stderr, "procsearch eval: out of memory\n");
        return 1;
    }
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0) {
        free(a.pages);
        return rc;
    }
    ps_queries qs;
    ps_qrels qrels;
    ps_err err = {{0}};
    if (ps_queries_load(a.queries, &qs, &err) < 0) {
        fprintf(stderr, "procsearch eval: %s\n", err.msg);
        free(a.pages);
        return 1;
    }
    if (ps_qrels_load(a.qrels, &qrels, &err) < 0) {
        fprintf(stderr, "procsearch eval: %s\n", err.msg);
        ps_queries_free(&qs);
        free(a.pages);
        return 1;
    }
    rc = a.score_run ? score_and_report(&a, &qs, &qrels) : search_and_report(&a, &qs, &qrels);
    ps_qrels_free(&qrels);
    ps_queries_free(&qs);
    free(a.pages);
    return rc;
}
