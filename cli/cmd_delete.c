/*
 * cmd_delete.c - procsearch delete [--db DIR] ID...
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "indexer/docbuild.h"
#include "shim/xapian_shim.h"

static const char usage[] = "procsearch delete [--db DIR] ID...";

int cmd_delete(int argc, char **argv) {
    static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                              {"help", no_argument, NULL, 'h'},
                                              {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'h': printf("usage: %s\n", usage); return 0;
        default: return ps_usage_error("delete", usage, "unknown option");
        }
    }
    if (optind >= argc)
        return ps_usage_error("delete", usage, "no ID");
    const char *path = ps_arg_db(db);
    for (int i = optind; i < argc; i++) {
        char idterm[PS_ID_MAX + 2];
        if (ps_id_term(argv[i], idterm, sizeof idterm) < 0)
            return ps_usage_error("delete", usage, "ID must be 1 to %d bytes", PS_ID_MAX);
    }
    xs_db *xdb = NULL;
    if (xs_db_open(path, XS_DB_OPEN, &xdb) != XS_OK) {
        fprintf(stderr, "procsearch delete: %s: %s\n", path, xs_last_error());
        return 1;
    }
    /* All the ids go in one transaction: either every deletion lands or none. */
    int missing = 0;
    xs_status st = xs_db_begin(xdb, 1);
    for (int i = optind; i < argc && st == XS_OK; i++) {
        char idterm[PS_ID_MAX + 2];
        ps_id_term(argv[i], idterm, sizeof idterm);
        uint32_t n = 0;
        st = xs_db_delete_by_term(xdb, idterm, &n);
        if (st == XS_OK && n == 0) {
            fprintf(stderr, "procsearch delete: no page with id '%s' in %s\n", argv[i], path);
            missing = 1;
        }
    }
    if (st == XS_OK)
        st = xs_db_commit_transaction(xdb);
    if (st != XS_OK) {
        fprintf(stderr, "procsearch delete: %s: %s\n", path, xs_last_error());
        xs_db_cancel_transaction(xdb);
    }
    xs_status cst = xs_db_close(xdb);
    if (st == XS_OK && cst != XS_OK)
        fprintf(stderr, "procsearch delete: %s: %s\n", path, xs_last_error());
    return st != XS_OK || cst != XS_OK || missing ? 1 : 0;
}
