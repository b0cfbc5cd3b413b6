/* Unit tests for opening, closing, reopening databases, revisions,
 * transactions and commit. */
#include "test_shim_util.h"

TestSuite(shim_db, .init = xs_test_setup, .fini = xs_test_teardown);

Test(shim_db, inmemory_is_writable_and_empty)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    cr_assert(xs_db_is_writable(db));
    cr_assert_eq(xs_db_doccount(db), 0);
    xs_test_add_text(db, "a", "hello world");
    cr_assert_eq(xs_db_doccount(db), 1);
    XS_TEST_OK(xs_db_close(db));
}

Test(shim_db, inmemory_ignores_path)
{
    xs_db *db = xs_test_open("/nonexistent/ignored", XS_DB_INMEMORY);
    cr_assert(xs_db_is_writable(db));
    XS_TEST_OK(xs_db_close(db));
}

Test(shim_db, read_of_missing_path_is_not_found)
{
    xs_db *db = XS_TEST_SENTINEL;
    cr_assert_eq(xs_db_open(xs_test_path("missing"), XS_DB_READ, &db), XS_ERR_NOT_FOUND);
    cr_assert_eq(db, XS_TEST_SENTINEL);
    cr_assert_neq(xs_last_error()[0], '\0');
}

Test(shim_db, open_of_missing_path_is_not_found)
{
    xs_db *db = XS_TEST_SENTINEL;
    cr_assert_eq(xs_db_open(xs_test_path("missing"), XS_DB_OPEN, &db), XS_ERR_NOT_FOUND);
    cr_assert_eq(db, XS_TEST_SENTINEL);
}

Test(shim_db, file_that_is_not_a_database_fails_opening)
{
    const char *path = xs_test_path("junk");
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("this is not a database\n", f);
    fclose(f);
    xs_db *db = XS_TEST_SENTINEL;
    cr_assert_eq(xs_db_open(path, XS_DB_READ, &db), XS_ERR_DATABASE_OPENING);
    cr_assert_eq(xs_db_open(path, XS_DB_CREATE_OR_OPEN, &db), XS_ERR_DATABASE_OPENING);
    cr_assert_eq(db, XS_TEST_SENTINEL);
}

Test(shim_db, corrupt_table_is_reported)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OVERWRITE);
    for (int i = 0; i < 50; i++) {
        char uid[16];
        snprintf(uid, sizeof uid, "%d", i);
        xs_test_add_text(w, uid, "some words to fill the tables");
    }
    XS_TEST_OK(xs_db_close(w));

    /* Scribble over the postlist table's first block. */
    char table[300];
    snprintf(table, sizeof table, "%s/postlist.glass", path);
    FILE *f = fopen(table, "r+b");
    cr_assert_not_null(f);
    unsigned char junk[8192];
    memset(junk, 0xab, sizeof junk);
    cr_assert_eq(fwrite(junk, 1, sizeof junk, f), sizeof junk);
    fclose(f);

    xs_db *r = NULL;
    xs_status st = xs_db_open(path, XS_DB_READ, &r);
    if (st == XS_OK) {
        /* Glass may only notice when the block is read. */
        uint32_t id = 0;
        st = xs_db_find_by_term(r, "words", &id);
        xs_db_close(r);
    }
    cr_assert_eq(st, XS_ERR_DATABASE_CORRUPT, "got %s: %s", xs_status_name(st), xs_last_error());
}

Test(shim_db, null_and_bad_arguments)
{
    xs_db *db = XS_TEST_SENTINEL;
    cr_assert_eq(xs_db_open(NULL, XS_DB_CREATE_OR_OPEN, &db), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_open(xs_test_path("x"), XS_DB_READ, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "out"));
    cr_assert_eq(xs_db_open(xs_test_path("x"), (xs_db_mode)42, &db), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "mode"));
    cr_assert_eq(db, XS_TEST_SENTINEL);

    uint64_t rev = 7;
    cr_assert_eq(xs_db_reopen(NULL, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_revision(NULL, &rev), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_begin(NULL, 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_commit_transaction(NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_cancel_transaction(NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_commit(NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_is_writable(NULL), 0);
    cr_assert_eq(xs_db_close(NULL), XS_OK);

    xs_db *mem = xs_test_open(NULL, XS_DB_INMEMORY);
    cr_assert_eq(xs_db_revision(mem, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(rev, 7);
    xs_db_close(mem);
}

Test(shim_db, written_database_can_be_read_back)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    xs_test_add_text(w, "a", "alpha beta");
    xs_test_add_text(w, "b", "beta gamma");
    XS_TEST_OK(xs_db_close(w));

    xs_db *r = xs_test_open(path, XS_DB_READ);
    cr_assert_not(xs_db_is_writable(r));
    cr_assert_eq(xs_db_doccount(r), 2);
    cr_assert_eq(xs_db_termfreq(r, "beta"), 2);
    XS_TEST_OK(xs_db_close(r));

    /* XS_DB_OPEN and XS_DB_CREATE_OR_OPEN keep what is there. */
    w = xs_test_open(path, XS_DB_OPEN);
    cr_assert_eq(xs_db_doccount(w), 2);
    XS_TEST_OK(xs_db_close(w));
    w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    cr_assert_eq(xs_db_doccount(w), 2);
    XS_TEST_OK(xs_db_close(w));
}

/* A database with one page, opened again in mode: it must start empty. */
static xs_db *reopen_emptied(const char *path, xs_db_mode mode)
{
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    xs_test_add_text(w, "a", "alpha");
    XS_TEST_OK(xs_db_close(w));
    w = xs_test_open(path, mode);
    cr_assert(xs_db_is_writable(w));
    cr_assert_eq(xs_db_doccount(w), 0);
    return w;
}

Test(shim_db, overwrite_starts_empty)
{
    XS_TEST_OK(xs_db_close(reopen_emptied(xs_test_path("db"), XS_DB_CREATE_OR_OVERWRITE)));
}

/* A scratch database (no fsync) overwrites like XS_DB_CREATE_OR_OVERWRITE,
 * and what it commits is there for a reader and a merge. */
Test(shim_db, scratch_overwrites_and_commits)
{
    const char *path = xs_test_path("db");
    xs_db *w = reopen_emptied(path, XS_DB_CREATE_SCRATCH);
    xs_test_add_text(w, "b", "beta gamma");
    XS_TEST_OK(xs_db_commit(w));
    xs_db *r = xs_test_open(path, XS_DB_READ);
    cr_assert_eq(xs_db_doccount(r), 1);
    XS_TEST_OK(xs_db_close(r));
    XS_TEST_OK(xs_db_close(w));
}

Test(shim_db, second_writer_is_locked_out_until_close)
{
    const char *path = xs_test_path("db");
    xs_db *w1 = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    xs_db *w2 = XS_TEST_SENTINEL;
    cr_assert_eq(xs_db_open(path, XS_DB_OPEN, &w2), XS_ERR_DATABASE_LOCKED);
    cr_assert_eq(xs_db_open(path, XS_DB_CREATE_OR_OPEN, &w2), XS_ERR_DATABASE_LOCKED);
    cr_assert_eq(w2, XS_TEST_SENTINEL);
    cr_assert_neq(xs_last_error()[0], '\0');

    /* A reader is not blocked by the writer. */
    xs_db *r = xs_test_open(path, XS_DB_READ);
    XS_TEST_OK(xs_db_close(r));

    XS_TEST_OK(xs_db_close(w1));
    w2 = xs_test_open(path, XS_DB_OPEN);
    XS_TEST_OK(xs_db_close(w2));
}

Test(shim_db, lock_is_released_even_while_a_document_is_held)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    uint32_t id = xs_test_add_text(w, "a", "alpha");
    XS_TEST_OK(xs_db_commit(w));
    xs_doc *doc = NULL;
    XS_TEST_OK(xs_db_get_doc(w, id, &doc));
    XS_TEST_OK(xs_db_close(w));

    w = xs_test_open(path, XS_DB_OPEN);
    XS_TEST_OK(xs_db_close(w));
    xs_doc_free(doc);
}

Test(shim_db, reader_sees_commit_only_after_reopen)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    xs_test_add_text(w, "a", "alpha");
    XS_TEST_OK(xs_db_commit(w));

    xs_db *r = xs_test_open(path, XS_DB_READ);
    cr_assert_eq(xs_db_doccount(r), 1);
    int changed = -1;
    XS_TEST_OK(xs_db_reopen(r, &changed));
    cr_assert_eq(changed, 0, "reopen with nothing new must report no change");

    xs_test_add_text(w, "b", "beta");
    cr_assert_eq(xs_db_doccount(r), 1, "uncommitted change visible to a reader");
    XS_TEST_OK(xs_db_commit(w));
    cr_assert_eq(xs_db_doccount(r), 1, "reader moved without reopen");

    XS_TEST_OK(xs_db_reopen(r, &changed));
    cr_assert_eq(changed, 1);
    cr_assert_eq(xs_db_doccount(r), 2);
    XS_TEST_OK(xs_db_reopen(r, NULL)); /* changed may be NULL */

    XS_TEST_OK(xs_db_close(r));
    XS_TEST_OK(xs_db_close(w));
}

Test(shim_db, reopen_of_a_writer_is_invalid)
{
    xs_db *w = xs_test_open(NULL, XS_DB_INMEMORY);
    int changed = 5;
    cr_assert_eq(xs_db_reopen(w, &changed), XS_ERR_INVALID_OPERATION);
    cr_assert_eq(changed, 5);
    xs_db_close(w);
}

Test(shim_db, stale_reader_reports_modified_and_reopen_recovers)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    /* Random-looking data so the docdata table spans many blocks, which
     * later commits then recycle under the old reader. */
    unsigned seed = 1;
    char data[201];
    xs_doc *doc = NULL;
    XS_TEST_OK(xs_doc_new(&doc));
    xs_db *r = NULL;
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 200; i++) {
            for (int j = 0; j < 200; j++) {
                seed = seed * 1103515245u + 12345u;
                data[j] = (char)('a' + (seed >> 16) % 26);
            }
            XS_TEST_OK(xs_doc_set_data(doc, data, 200));
            char uid[16];
            snprintf(uid, sizeof uid, "Q%d", i);
            XS_TEST_OK(xs_doc_clear_terms(doc));
            XS_TEST_OK(xs_doc_add_term(doc, uid, 1));
            XS_TEST_OK(xs_db_replace_by_term(w, uid, doc, NULL, NULL));
        }
        XS_TEST_OK(xs_db_commit(w));
        if (round == 0)
            r = xs_test_open(path, XS_DB_READ);
    }
    xs_doc_free(doc);

    xs_doc *got = XS_TEST_SENTINEL;
    xs_status st = xs_db_get_doc(r, 150, &got);
    if (st == XS_OK) {
        const char *d;
        size_t len;
        st = xs_doc_get_data(got, &d, &len);
        xs_doc_free(got);
    } else {
        cr_assert_eq(got, XS_TEST_SENTINEL);
    }
    cr_assert_eq(st, XS_ERR_DATABASE_MODIFIED, "got %s: %s", xs_status_name(st), xs_last_error());

    XS_TEST_OK(xs_db_reopen(r, NULL));
    XS_TEST_OK(xs_db_get_doc(r, 150, &got));
    xs_doc_free(got);
    xs_db_close(r);
    xs_db_close(w);
}

Test(shim_db, revision_counts_commits)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    uint64_t rev = 99;
    XS_TEST_OK(xs_db_revision(w, &rev));
    cr_assert_eq(rev, 0);
    xs_test_add_text(w, "a", "alpha");
    XS_TEST_OK(xs_db_commit(w));
    XS_TEST_OK(xs_db_revision(w, &rev));
    cr_assert_eq(rev, 1);

    xs_db *r = xs_test_open(path, XS_DB_READ);
    XS_TEST_OK(xs_db_revision(r, &rev));
    cr_assert_eq(rev, 1);
    xs_test_add_text(w, "b", "beta");
    XS_TEST_OK(xs_db_commit(w));
    XS_TEST_OK(xs_db_revision(r, &rev));
    cr_assert_eq(rev, 1, "a reader keeps the revision it opened at");
    XS_TEST_OK(xs_db_reopen(r, NULL));
    XS_TEST_OK(xs_db_revision(r, &rev));
    cr_assert_eq(rev, 2);
    xs_db_close(r);
    xs_db_close(w);
}

Test(shim_db, inmemory_has_no_revision_or_transactions)
{
    xs_db *m = xs_test_open(NULL, XS_DB_INMEMORY);
    uint64_t rev = 42;
    cr_assert_eq(xs_db_revision(m, &rev), XS_ERR_XAPIAN);
    cr_assert_eq(rev, 42);
    cr_assert_eq(xs_db_begin(m, 1), XS_ERR_XAPIAN);
    cr_assert_neq(xs_last_error()[0], '\0');
    XS_TEST_OK(xs_db_commit(m)); /* commit is a harmless no-op there */
    xs_db_close(m);
}

Test(shim_db, committed_transaction_is_kept)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    xs_db *r = xs_test_open(path, XS_DB_READ);
    XS_TEST_OK(xs_db_begin(w, 1));
    xs_test_add_text(w, "a", "alpha");
    xs_test_add_text(w, "b", "beta");
    XS_TEST_OK(xs_db_commit_transaction(w));
    cr_assert_eq(xs_db_doccount(w), 2);
    /* A flushed transaction is durable at once: no xs_db_commit needed. */
    XS_TEST_OK(xs_db_reopen(r, NULL));
    cr_assert_eq(xs_db_doccount(r), 2);
    xs_db_close(r);
    xs_db_close(w);
}

Test(shim_db, unflushed_transaction_waits_for_commit)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    xs_db *r = xs_test_open(path, XS_DB_READ);
    XS_TEST_OK(xs_db_begin(w, 0));
    xs_test_add_text(w, "a", "alpha");
    XS_TEST_OK(xs_db_commit_transaction(w));
    cr_assert_eq(xs_db_doccount(w), 1);
    XS_TEST_OK(xs_db_reopen(r, NULL));
    cr_assert_eq(xs_db_doccount(r), 0, "unflushed transaction reached disk early");
    XS_TEST_OK(xs_db_commit(w));
    XS_TEST_OK(xs_db_reopen(r, NULL));
    cr_assert_eq(xs_db_doccount(r), 1);
    xs_db_close(r);
    xs_db_close(w);
}

Test(shim_db, cancelled_transaction_leaves_doccount_unchanged)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    xs_test_add_text(w, "a", "alpha");
    XS_TEST_OK(xs_db_commit(w));
    XS_TEST_OK(xs_db_begin(w, 1));
    xs_test_add_text(w, "b", "beta");
    xs_test_add_text(w, "c", "gamma");
    cr_assert_eq(xs_db_doccount(w), 3);
    XS_TEST_OK(xs_db_cancel_transaction(w));
    cr_assert_eq(xs_db_doccount(w), 1);
    cr_assert_eq(xs_db_termfreq(w, "beta"), 0);
    xs_db_close(w);
}

Test(shim_db, transaction_misuse_is_invalid_operation)
{
    xs_db *w = xs_test_open(xs_test_path("db"), XS_DB_CREATE_OR_OPEN);
    cr_assert_eq(xs_db_commit_transaction(w), XS_ERR_INVALID_OPERATION);
    cr_assert_eq(xs_db_cancel_transaction(w), XS_ERR_INVALID_OPERATION);
    XS_TEST_OK(xs_db_begin(w, 1));
    cr_assert_eq(xs_db_begin(w, 1), XS_ERR_INVALID_OPERATION, "nested transaction");
    cr_assert_eq(xs_db_commit(w), XS_ERR_INVALID_OPERATION, "commit inside a transaction");
    XS_TEST_OK(xs_db_cancel_transaction(w));
    xs_db_close(w);
}

Test(shim_db, reader_refuses_writes)
{
    const char *path = xs_test_path("db");
    xs_db_close(xs_test_open(path, XS_DB_CREATE_OR_OPEN));
    xs_db *r = xs_test_open(path, XS_DB_READ);
    cr_assert_eq(xs_db_begin(r, 1), XS_ERR_INVALID_OPERATION);
    cr_assert_not_null(strstr(xs_last_error(), "read-only"));
    cr_assert_eq(xs_db_commit_transaction(r), XS_ERR_INVALID_OPERATION);
    cr_assert_eq(xs_db_cancel_transaction(r), XS_ERR_INVALID_OPERATION);
    cr_assert_eq(xs_db_commit(r), XS_ERR_INVALID_OPERATION);
    xs_db_close(r);
}

Test(shim_db, close_commits_pending_changes)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    xs_test_add_text(w, "a", "alpha");
    XS_TEST_OK(xs_db_close(w));
    xs_db *r = xs_test_open(path, XS_DB_READ);
    cr_assert_eq(xs_db_doccount(r), 1);
    xs_db_close(r);
}

Test(shim_db, close_cancels_open_transaction)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    xs_test_add_text(w, "a", "alpha");
    XS_TEST_OK(xs_db_commit(w));
    XS_TEST_OK(xs_db_begin(w, 1));
    xs_test_add_text(w, "b", "beta");
    XS_TEST_OK(xs_db_close(w));
    xs_db *r = xs_test_open(path, XS_DB_READ);
    cr_assert_eq(xs_db_doccount(r), 1);
    xs_db_close(r);
}
