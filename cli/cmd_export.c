/*
 * cmd_export.c - procsearch export [--quiet] PATH...
 *
 * Parses pages exactly as `index` reads them (corpus/page_walk.h) and prints
 * each as one JSON Lines record (ps_page_to_jsonl) on stdout: the structured
 * form that `index` also accepts back, and the input the peer engines of
 * bench/peers/ index, so that every system sees the same fields.  A file or
 * record that cannot be read or parsed is reported on stderr ("rejected:
 * FILE: reason") and skipped; the exit status is then 1.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "corpus/page_export.h"
#include "corpus/page_walk.h"

static const char usage[] = "procsearch export [--quiet] PATH...  (JSON Lines on stdout)";

static void on_reject(const char *msg, void *ctx) {
    (void)ctx;
    fprintf(stderr, "rejected: %s\n", msg);
}

static int emit(void *ctx, const char *origin, ps_page *page, ps_err *err) {
    size_t len = 0, *exported = ctx;
    char *line = ps_page_to_jsonl(page, &len);
    ps_page_free(page);
    if (!line)
        return ps_err_set(err, "out of memory writing %s", origin);
    int ok = fwrite(line, 1, len, stdout) == len && putchar('\n') != EOF;
    free(line);
    if (!ok)
        return ps_err_set(err, "cannot write to standard output: %s", strerror(errno));
    (*exported)++;
    return 0;
}

int cmd_export(int argc, char **argv) {
    static const struct option longopts[] = {{"quiet", no_argument, NULL, 'q'},
                                              {"help", no_argument, NULL, 'h'},
                                              {NULL, 0, NULL, 0}};
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'q': quiet = 1; break;
        case 'h': printf("usage: %s\n", usage); return 0;
        default: return ps_usage_error("export", usage, "unknown option");
        }
    }
    if (optind >= argc)
        return ps_usage_error("export", usage, "no PATH to export");
    size_t exported = 0;
    ps_walk_stats ws;
    ps_err err = {{0}};
    int rc = ps_walk_pages((const char *const *)argv + optind, (size_t)(argc - optind), emit,
                           on_reject, &exported, &ws, &err);
    if (rc == 0 && fflush(stdout) != 0)
        rc = ps_err_set(&err, "cannot write to standard output: %s", strerror(errno));
    if (rc < 0)
        fprintf(stderr, "procsearch export: %s\n", err.msg);
    if (!quiet || rc < 0)
        fprintf(stderr, "exported %zu page%s, %zu rejected%s\n", exported,
                exported == 1 ? "" : "s", ws.rejected, rc < 0 ? " (stopped early)" : "");
    return rc < 0 || ws.rejected ? 1 : 0;
}
