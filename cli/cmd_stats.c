/*
 * cmd_stats.c - procsearch stats [--db DIR] [--json]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "indexer/index_run.h"
#include "query/results_json.h"
#include "shim/xapian_shim.h"

static const char usage[] = "procsearch stats [--db DIR] [--json]";

int cmd_stats(int argc, char **argv) {
    static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                              {"json", no_argument, NULL, 'j'},
                                              {"help", no_argument, NULL, 'h'},
                                              {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = 1; break;
        case 'h': printf("usage: %s\n", usage); return 0;
        default: return ps_usage_error("stats", usage, "unknown option");
        }
    }
    if (optind != argc)
        return ps_usage_error("stats", usage, "unexpected argument '%s'", argv[optind]);
    const char *path = ps_arg_db(db);
    xs_db *xdb = NULL;
    if (xs_db_open(path, XS_DB_READ, &xdb) != XS_OK) {
        fprintf(stderr, "procsearch stats: %s: %s\n", path, xs_last_error());
        return 1;
    }
    uint64_t rev = 0;
    char *last = NULL;
    if (xs_db_revision(xdb, &rev) != XS_OK ||
        xs_db_get_metadata(xdb, PS_META_LAST_COMMIT, &last, NULL) != XS_OK) {
        fprintf(stderr, "procsearch stats: %s: %s\n", path, xs_last_error());
        xs_db_close(xdb);
        return 1;
    }
    uint32_t docs = xs_db_doccount(xdb);
    double avglen = xs_db_avglength(xdb);
    int rc = 0;
    if (json) {
        json_t *j = json_pack("{s:s, s:I, s:I, s:f, s:s?, s:s}", "db", path, "documents",
                              (json_int_t)docs, "revision", (json_int_t)rev, "avg_length", avglen,
                              "last_commit", *last ? last : NULL, "xapian", xs_xapian_version());
        rc = ps_json_print(j, stdout, 0);
        json_decref(j);
    } else {
        printf("database     %s\ndocuments    %u\nrevision     %llu\navg length   %.1f\n"
               "last commit  %s\nxapian       %s\n",
               path, docs, (unsigned long long)rev, avglen, *last ? last : "-",
               xs_xapian_version());
    }
    free(last);
    xs_db_close(xdb);
    return rc < 0 ? 1 : 0;
}
