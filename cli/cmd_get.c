/*
 * cmd_get.c - procsearch get [--db DIR] [--json] ID
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "corpus/page.h"
#include "corpus/page_export.h"
#include "indexer/docbuild.h"
#include "indexer/docdata.h"
#include "shim/xapian_shim.h"

static const char usage[] = "procsearch get [--db DIR] [--json] ID";

/* The page in the text format it came in (without chrome). */
static void print_page(const ps_page *p) {
    printf("%s\n", p->descriptor);
    if (p->code_system)
        printf("%s code\n", p->code_system);
    if (p->name)
        printf("Name of the Procedure: %s\n", p->name);
    if (p->n_common_names) {
        fputs("Common Name(s): ", stdout);
        for (size_t i = 0; i < p->n_common_names; i++)
            printf("%s%s", i ? ", " : "", p->common_names[i]);
        putchar('\n');
    }
    for (size_t i = 0; i < p->n_sections; i++) {
        const ps_section *s = &p->sections[i];
        printf("\n%s\n", s->title);
        const char *line = s->text;
        int list = strchr(line, '\n') != NULL;
        while (*line) {
            const char *eol = strchr(line, '\n');
            size_t n = eol ? (size_t)(eol - line) : strlen(line);
            printf("%s%.*s\n", list ? "- " : "", (int)n, line);
            line += n + (eol ? 1 : 0);
        }
    }
}

int cmd_get(int argc, char **argv) {
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
        default: return ps_usage_error("get", usage, "unknown option");
        }
    }
    if (optind != argc - 1)
        return ps_usage_error("get", usage, "needs exactly one ID");
    const char *id = argv[optind], *path = ps_arg_db(db);
    char idterm[PS_ID_MAX + 2];
    if (ps_id_term(id, idterm, sizeof idterm) < 0)
        return ps_usage_error("get", usage, "ID must be 1 to %d bytes", PS_ID_MAX);
    xs_db *xdb = NULL;
    if (xs_db_open(path, XS_DB_READ, &xdb) != XS_OK) {
        fprintf(stderr, "procsearch get: %s: %s\n", path, xs_last_error());
        return 1;
    }
    uint32_t docid = 0;
    xs_doc *doc = NULL;
    int rc = 1;
    xs_status st = xs_db_find_by_term(xdb, idterm, &docid);
    if (st == XS_ERR_NOT_FOUND)
        fprintf(stderr, "procsearch get: no page with id '%s' in %s\n", id, path);
    else if (st != XS_OK || xs_db_get_doc(xdb, docid, &doc) != XS_OK)
        fprintf(stderr, "procsearch get: %s: %s\n", path, xs_last_error());
    else {
        ps_page *page = NULL;
        ps_err err = {{0}};
        if (ps_doc_page(NULL, doc, id, &page, &err) < 0) {
            fprintf(stderr, "procsearch get: %s: %s\n", path, err.msg);
        } else if (json) {
            char *line = ps_page_to_jsonl(page, NULL);
            if (line) {
                printf("%s\n", line);
                rc = 0;
            } else {
                fprintf(stderr, "procsearch get: out of memory\n");
            }
            free(line);
        } else {
            print_page(page);
            rc = 0;
        }
        ps_page_free(page);
    }
    xs_doc_free(doc);
    xs_db_close(xdb);
    return rc;
}
