/*
 * cmd_search.c - procsearch search [--db DIR] [--limit N] [--offset N]
 *                [--section NAME] [--weights FILE] [--no-spelling]
 *                [--no-synonyms] [--json] QUERY...
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "indexer/fields.h"
#include "query/results_json.h"
#include "query/search.h"

static const char usage[] =
    "procsearch search [--db DIR] [--limit N] [--offset N] [--section NAME] [--weights FILE]\n"
    "                  [--no-spelling] [--no-synonyms] [--json] QUERY...";

/* Highlights in bold on a terminal, in [brackets] elsewhere. */
static void print_snippet(const ps_snippet *s, int tty) {
    if (!s->section)
        return;
    printf("    %s: ", s->section);
    size_t at = 0;
    for (size_t i = 0; i < s->n_highlights; i++) {
        const ps_highlight *h = &s->highlights[i];
        fwrite(s->text + at, 1, h->start - at, stdout);
        fputs(tty ? "\033[1m" : "[", stdout);
        fwrite(s->text + h->start, 1, h->end - h->start, stdout);
        fputs(tty ? "\033[0m" : "]", stdout);
        at = h->end;
    }
    printf("%s\n", s->text + at);
}

static void print_text(const ps_results *r) {
    int tty = isatty(STDOUT_FILENO);
    if (r->did_you_mean)
        printf("Did you mean: %s\n", r->did_you_mean);
    printf("%zu result%s for \"%s\" (%.2f ms)\n", r->total, r->total == 1 ? "" : "s", r->query,
           r->took_ms);
    for (size_t i = 0; i < r->n_hits; i++) {
        const ps_hit *h = &r->hits[i];
        printf("%2zu. %s  (score %.3f)\n    %s\n", r->offset + i + 1, h->id, h->score,
               h->descriptor);
        if (h->name)
            printf("    Name: %s\n", h->name);
        print_snippet(&h->snippet, tty);
    }
}

int cmd_search(int argc, char **argv) {
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},      {"limit", required_argument, NULL, 'l'},
        {"offset", required_argument, NULL, 'o'},  {"section", required_argument, NULL, 's'},
        {"weights", required_argument, NULL, 'w'}, {"json", no_argument, NULL, 'j'},
        {"no-spelling", no_argument, NULL, 'S'},   {"no-synonyms", no_argument, NULL, 'Y'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char *db = NULL, *weights_path = NULL;
    ps_search_opts opts;
    ps_search_opts_default(&opts);
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'l':
            if (ps_arg_size("search", "--limit", optarg, PS_LIMIT_MAX, &opts.limit) < 0)
                return 2;
            break;
        case 'o':
            if (ps_arg_size("search", "--offset", optarg, PS_OFFSET_MAX, &opts.offset) < 0)
                return 2;
            break;
        case 's':
            opts.field = ps_field_lookup(optarg, strlen(optarg));
            if (opts.field < 0)
                return ps_usage_error("search", usage,
                                      "--section '%s' is not a section name (e.g. summary, risks)",
                                      optarg);
            break;
        case 'w': weights_path = optarg; break;
        case 'j': json = 1; break;
        case 'S': opts.spelling = 0; break;
        case 'Y': opts.synonyms = 0; break;
        case 'h': printf("usage: %s\n", usage); return 0;
        default: return ps_usage_error("search", usage, "unknown option");
        }
    }
    if (optind >= argc)
        return ps_usage_error("search", usage, "no QUERY");
    ps_err err = {{0}};
    ps_searcher *s = ps_searcher_open(ps_arg_db(db), &err);
    if (!s) {
        fprintf(stderr, "procsearch search: %s\n", err.msg);
        return 1;
    }
    ps_searcher_one_query(s);
    if (weights_path) {
        ps_weights w = *ps_searcher_weights(s);
        if (ps_weights_load(weights_path, &w, &err) < 0) {
            fprintf(stderr, "procsearch search: %s\n", err.msg);
            ps_searcher_close(s);
            return 2;
        }
        ps_searcher_set_weights(s, &w);
    }
    char *query = ps_join_args(argc - optind, argv + optind);
    ps_results r = {0};
    int rc = query ? ps_search(s, query, &opts, &r, &err) : ps_err_set(&err, "out of memory");
    free(query);
    if (rc < 0) {
        fprintf(stderr, "procsearch search: %s\n", err.msg);
        ps_searcher_close(s);
        return 1;
    }
    if (json) {
        ps_strbuf text = PS_STRBUF_INIT;
        if (ps_results_json_write(&r, 0, &text) < 0 || ps_strbuf_putc(&text, '\n') < 0 ||
            fwrite(text.data, 1, text.len, stdout) != text.len) {
            fprintf(stderr, "procsearch search: writing JSON failed\n");
            rc = -1;
        }
        ps_strbuf_free(&text);
    } else {
        print_text(&r);
    }
    ps_results_free(&r);
    ps_searcher_close(s);
    return rc < 0 ? 1 : 0;
}
