/*
 * cmd_suggest.c - procsearch suggest [--db DIR] [--limit N] [--json] QUERY...
 *
 * What the search box shows while QUERY is being typed: the last word is
 * completed unless QUERY ends in a space (quote it: 'lumbar ').
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "query/results_json.h"
#include "query/suggest.h"

static const char usage[] = "procsearch suggest [--db DIR] [--limit N] [--json] QUERY...";

static void print_text(const ps_suggestions *s) {
    if (s->did_you_mean)
        printf("Did you mean: %s\n", s->did_you_mean);
    for (size_t i = 0; i < s->n_completions; i++)
        printf("%s\n", s->completions[i]);
    if (s->n_completions)
        putchar('\n');
    for (size_t i = 0; i < s->n_hits; i++)
        printf("%2zu. %s  %s%s%s\n", i + 1, s->hits[i].id, s->hits[i].descriptor,
               s->hits[i].name ? "  / " : "", s->hits[i].name ? s->hits[i].name : "");
    printf("(%.2f ms)\n", s->took_ms);
}

int cmd_suggest(int argc, char **argv) {
    static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                              {"limit", required_argument, NULL, 'l'},
                                              {"json", no_argument, NULL, 'j'},
                                              {"help", no_argument, NULL, 'h'},
                                              {NULL, 0, NULL, 0}};
    const char *db = NULL;
    size_t limit = PS_SUGGEST_LIMIT_DEFAULT;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'l':
            if (ps_arg_size("suggest", "--limit", optarg, PS_SUGGEST_LIMIT_MAX, &limit) < 0)
                return 2;
            if (limit == 0)
                return ps_usage_error("suggest", usage, "--limit must be at least 1");
            break;
        case 'j': json = 1; break;
        case 'h': printf("usage: %s\n", usage); return 0;
        default: return ps_usage_error("suggest", usage, "unknown option");
        }
    }
    if (optind >= argc)
        return ps_usage_error("suggest", usage, "no QUERY");
    ps_err err = {{0}};
    ps_suggester *sg = ps_suggester_open(ps_arg_db(db), &err);
    if (!sg) {
        fprintf(stderr, "procsearch suggest: %s\n", err.msg);
        return 1;
    }
    ps_suggester_one_query(sg);
    char *query = ps_join_args(argc - optind, argv + optind);
    ps_suggestions s = {0};
    int rc = query ? ps_suggest(sg, query, limit, &s, &err) : ps_err_set(&err, "out of memory");
    free(query);
    if (rc < 0) {
        fprintf(stderr, "procsearch suggest: %s\n", err.msg);
        ps_suggester_close(sg);
        return 1;
    }
    if (json) {
        json_t *j = ps_suggestions_json(&s);
        rc = ps_json_print(j, stdout, 0);
        json_decref(j);
        if (rc < 0)
            fprintf(stderr, "procsearch suggest: cannot write JSON (is QUERY valid UTF-8?)\n");
    } else {
        print_text(&s);
    }
    ps_suggestions_free(&s);
    ps_suggester_close(sg);
    return rc < 0 ? 1 : 0;
}
