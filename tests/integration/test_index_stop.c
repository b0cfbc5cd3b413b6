#define _GNU_SOURCE
/*
 * A run asked to stop (ps_index_opts.stop, what `index` sets on SIGINT or
 * SIGTERM) keeps what it stored and leaves nothing behind.  The stop comes
 * from the reject callback, at a known page: a broken page among good
 * ones, read in name order.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "indexer/index_run.h"
#include "shim/xapian_shim.h"
#include "tests/support/testenv.h"

static char *join(const char *dir, const char *name) {
    char *p = NULL;
    cr_assert_geq(asprintf(&p, "%s/%s", dir, name), 0);
    return p;
}

/* dir/pages: dev pages 000 and 001 as a.txt and c.txt, and b.txt, which
 * is not UTF-8; with bad_last the broken page is d.txt, after both. */
static char *make_pages(const char *dir, int bad_last) {
    char *pages = join(dir, "pages");
    char *cmd = NULL;
    cr_assert_geq(asprintf(&cmd, "mkdir -p '%s'", pages), 0);
    cr_assert_eq(system(cmd), 0);
    free(cmd);
    const char *src[] = {"corpus/dev/docs/000_b14b9e5059026b7a.txt",
                         "corpus/dev/docs/001_acb1197ff8353c6c.txt"};
    const char *dst[] = {"a.txt", "c.txt"};
    for (size_t i = 0; i < 2; i++) {
        char *from = t_path(src[i]), *to = join(pages, dst[i]);
        size_t len = 0;
        char *text = NULL;
        ps_err err = {{0}};
        cr_assert_eq(ps_file_read(from, 0, &text, &len, &err), 0, "%s", err.msg);
        cr_assert_eq(t_write(to, text, len), 0);
        free(text), free(from), free(to);
    }
    static const char broken[] = "CPT 12345\nName: \xff\xfe broken\n\nSummary\nText.\n";
    char *bad = join(pages, bad_last ? "d.txt" : "b.txt");
    cr_assert_eq(t_write(bad, broken, sizeof broken - 1), 0);
    free(bad);
    return pages;
}

static atomic_int stop;
static size_t rejected;

static void stop_at_reject(const char *msg, void *ctx) {
    (void)msg, (void)ctx;
    rejected++;
    atomic_store(&stop, 1);
}

static uint32_t doccount(const char *db) {
    xs_db *x = NULL;
    cr_assert_eq(xs_db_open(db, XS_DB_READ, &x), XS_OK, "%s", xs_last_error());
    uint32_t n = xs_db_doccount(x);
    xs_db_close(x);
    return n;
}

/* Anything a sharded run left beside its database (db.shards-XXXXXX). */
static int leftovers(const char *dir) {
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strstr(e->d_name, ".shards-") != NULL;
    closedir(d);
    return n;
}

static int run(const char *db, const char *pages, size_t threads, int overwrite,
               ps_index_report *rep, ps_err *err) {
    atomic_store(&stop, 0);
    rejected = 0;
    ps_index_opts o = {.db_path = db, .threads = threads, .overwrite = overwrite, .stop = &stop};
    const char *paths[] = {pages};
    return ps_index_paths(&o, paths, 1, rep, stop_at_reject, NULL, err);
}

/* Serial: the page before the stop is committed, the one after never read. */
Test(index_stop, a_serial_run_commits_what_it_stored) {
    char *dir = t_tmpdir("stop");
    cr_assert_not_null(dir);
    char *pages = make_pages(dir, 0), *db = join(dir, "db");
    ps_index_report rep;
    ps_err err = {{0}};
    cr_expect_eq(run(db, pages, 1, 0, &rep, &err), -1);
    cr_expect_eq(rejected, 1);
    cr_expect(rep.interrupted);
    cr_expect(strstr(err.msg, "interrupted") != NULL, "%s", err.msg);
    cr_expect_eq(rep.indexed, 1);
    cr_expect_eq(rep.documents, 1);
    cr_expect_eq(doccount(db), 1);
    /* Without a stop the same pages all go in. */
    ps_index_opts o = {.db_path = db};
    const char *paths[] = {pages};
    cr_expect_eq(ps_index_paths(&o, paths, 1, &rep, NULL, NULL, &err), 0, "%s", err.msg);
    cr_expect(!rep.interrupted);
    cr_expect_eq(doccount(db), 2);
    t_rmtree(dir);
    free(dir), free(pages), free(db);
}

/* Sharded, over a database that has a page: stopped, the run merges
 * nothing, the database keeps its page, and no shard database is left. */
Test(index_stop, a_sharded_run_leaves_the_database_as_it_was) {
    for (int bad_last = 0; bad_last <= 1; bad_last++) {
        char *dir = t_tmpdir("stop");
        cr_assert_not_null(dir);
        char *pages = make_pages(dir, bad_last), *db = join(dir, "db");
        char *first = join(pages, "a.txt");
        ps_index_report rep;
        ps_err err = {{0}};
        ps_index_opts o = {.db_path = db};
        const char *one[] = {first};
        cr_assert_eq(ps_index_paths(&o, one, 1, &rep, NULL, NULL, &err), 0, "%s", err.msg);
        cr_assert_eq(doccount(db), 1);
        /* With the broken page last, the stop comes after every page was
         * routed: it is seen before the merge. */
        cr_expect_eq(run(db, pages, 2, 1, &rep, &err), -1, "broken page last: %d", bad_last);
        cr_expect(rep.interrupted);
        cr_expect(strstr(err.msg, "as it was") != NULL, "%s", err.msg);
        cr_expect_eq(rep.documents, 1);
        cr_expect_eq(doccount(db), 1);
        cr_expect_eq(leftovers(dir), 0);
        t_rmtree(dir);
        free(dir), free(pages), free(db), free(first);
    }
}
