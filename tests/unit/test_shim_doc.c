/* Unit tests for documents and for storing, replacing, deleting, finding
 * and fetching them. */
#include "test_shim_util.h"

TestSuite(shim_doc, .init = xs_test_setup, .fini = xs_test_teardown);

Test(shim_doc, new_document_is_empty)
{
    xs_doc *d = XS_TEST_SENTINEL;
    XS_TEST_OK(xs_doc_new(&d));
    cr_assert_neq(d, XS_TEST_SENTINEL);
    cr_assert_eq(xs_doc_docid(d), 0);
    const char *data = NULL;
    size_t len = 9;
    XS_TEST_OK(xs_doc_get_data(d, &data, &len));
    cr_assert_eq(len, 0);
    cr_assert_str_eq(data, "");
    xs_test_terms t = {0};
    XS_TEST_OK(xs_doc_termlist(d, xs_test_collect, &t));
    cr_assert_eq(t.n, 0);
    xs_doc_free(d);
    xs_doc_free(NULL);
}

Test(shim_doc, wdf_accumulates_per_kind_of_term)
{
    xs_doc *d = NULL;
    XS_TEST_OK(xs_doc_new(&d));
    XS_TEST_OK(xs_doc_add_posting(d, "zeta", 1, 1));
    XS_TEST_OK(xs_doc_add_posting(d, "zeta", 5, 2));
    XS_TEST_OK(xs_doc_add_posting(d, "pos", 2, 0));
    XS_TEST_OK(xs_doc_add_term(d, "alpha", 3));
    XS_TEST_OK(xs_doc_add_term(d, "alpha", 1));
    XS_TEST_OK(xs_doc_add_boolean_term(d, "Kbool"));

    xs_test_terms t = {0};
    XS_TEST_OK(xs_doc_termlist(d, xs_test_collect, &t));
    cr_assert_eq(t.n, 4);
    /* byte order: upper case sorts first */
    cr_assert_str_eq(t.term[0], "Kbool");
    cr_assert_eq(t.freq[0], 0);
    cr_assert_str_eq(t.term[1], "alpha");
    cr_assert_eq(t.freq[1], 4);
    cr_assert_str_eq(t.term[2], "pos");
    cr_assert_eq(t.freq[2], 0);
    cr_assert_str_eq(t.term[3], "zeta");
    cr_assert_eq(t.freq[3], 3);

    xs_test_terms first = {.stop_after = 1};
    XS_TEST_OK(xs_doc_termlist(d, xs_test_collect, &first));
    cr_assert_eq(first.n, 1);
    xs_doc_free(d);
}

Test(shim_doc, overlong_term_is_rejected_and_document_unchanged)
{
    char term[247];
    memset(term, 'x', sizeof term);
    term[246] = '\0'; /* 246 bytes: one over the limit */
    xs_doc *d = NULL;
    XS_TEST_OK(xs_doc_new(&d));
    cr_assert_eq(xs_doc_add_posting(d, term, 1, 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "245"));
    cr_assert_eq(xs_doc_add_term(d, term, 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_add_boolean_term(d, term), XS_ERR_INVALID_ARGUMENT);
    xs_test_terms t = {0};
    XS_TEST_OK(xs_doc_termlist(d, xs_test_collect, &t));
    cr_assert_eq(t.n, 0);

    term[245] = '\0'; /* exactly the limit is fine */
    XS_TEST_OK(xs_doc_add_term(d, term, 1));
    xs_db *db = xs_test_open(xs_test_path("db"), XS_DB_CREATE_OR_OPEN);
    XS_TEST_OK(xs_db_replace_by_term(db, term, d, NULL, NULL));
    cr_assert_eq(xs_db_termfreq(db, term), 1);
    xs_db_close(db);
    xs_doc_free(d);
}

Test(shim_doc, empty_and_null_terms_are_rejected)
{
    xs_doc *d = NULL;
    XS_TEST_OK(xs_doc_new(&d));
    cr_assert_eq(xs_doc_add_posting(d, "", 1, 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_add_term(d, "", 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_add_boolean_term(d, ""), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_add_posting(d, NULL, 1, 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_add_term(d, NULL, 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_add_boolean_term(d, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_add_posting(NULL, "a", 1, 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_add_term(NULL, "a", 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_add_boolean_term(NULL, "a"), XS_ERR_INVALID_ARGUMENT);
    xs_doc_free(d);
}

Test(shim_doc, clear_terms_keeps_data)
{
    xs_doc *d = NULL;
    XS_TEST_OK(xs_doc_new(&d));
    XS_TEST_OK(xs_doc_add_term(d, "a", 1));
    XS_TEST_OK(xs_doc_set_data(d, "keep", 4));
    XS_TEST_OK(xs_doc_clear_terms(d));
    xs_test_terms t = {0};
    XS_TEST_OK(xs_doc_termlist(d, xs_test_collect, &t));
    cr_assert_eq(t.n, 0);
    const char *data;
    size_t len;
    XS_TEST_OK(xs_doc_get_data(d, &data, &len));
    cr_assert_eq(len, 4);
    cr_assert_eq(memcmp(data, "keep", 4), 0);
    cr_assert_eq(xs_doc_clear_terms(NULL), XS_ERR_INVALID_ARGUMENT);
    xs_doc_free(d);
}

Test(shim_doc, data_and_values_are_binary_safe)
{
    xs_doc *d = NULL;
    XS_TEST_OK(xs_doc_new(&d));
    static const char blob[] = {'a', '\0', 'b', '\xff'};
    XS_TEST_OK(xs_doc_set_data(d, blob, sizeof blob));
    XS_TEST_OK(xs_doc_set_value(d, 3, blob, sizeof blob));
    XS_TEST_OK(xs_doc_set_value(d, 7, "seven", 5));

    const char *data, *v3, *v7, *v9;
    size_t dlen, l3, l7, l9 = 5;
    XS_TEST_OK(xs_doc_get_data(d, &data, &dlen));
    XS_TEST_OK(xs_doc_get_value(d, 3, &v3, &l3));
    XS_TEST_OK(xs_doc_get_value(d, 7, &v7, &l7));
    XS_TEST_OK(xs_doc_get_value(d, 9, &v9, &l9));
    /* Every view is still valid after the others were handed out. */
    cr_assert_eq(dlen, sizeof blob);
    cr_assert_eq(memcmp(data, blob, sizeof blob), 0);
    cr_assert_eq(l3, sizeof blob);
    cr_assert_eq(memcmp(v3, blob, sizeof blob), 0);
    cr_assert_eq(l7, 5);
    cr_assert_eq(memcmp(v7, "seven", 5), 0);
    cr_assert_eq(l9, 0, "missing value must be empty");

    /* An empty value removes the slot; empty data clears it. */
    XS_TEST_OK(xs_doc_set_value(d, 7, NULL, 0));
    XS_TEST_OK(xs_doc_get_value(d, 7, &v7, &l7));
    cr_assert_eq(l7, 0);
    XS_TEST_OK(xs_doc_set_data(d, NULL, 0));
    XS_TEST_OK(xs_doc_get_data(d, &data, &dlen));
    cr_assert_eq(dlen, 0);
    xs_doc_free(d);
}

Test(shim_doc, data_and_value_null_arguments)
{
    xs_doc *d = NULL;
    XS_TEST_OK(xs_doc_new(&d));
    const char *p = XS_TEST_SENTINEL;
    size_t len = 3;
    cr_assert_eq(xs_doc_new(NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_set_data(NULL, "a", 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_set_data(d, NULL, 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "data"));
    cr_assert_eq(xs_doc_set_value(NULL, 0, "a", 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_set_value(d, 0, NULL, 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_get_data(NULL, &p, &len), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_get_data(d, NULL, &len), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_get_data(d, &p, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_get_value(NULL, 0, &p, &len), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_get_value(d, 0, NULL, &len), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_get_value(d, 0, &p, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_termlist(NULL, xs_test_collect, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_termlist(d, NULL, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_doc_docid(NULL), 0);
    cr_assert_eq(p, XS_TEST_SENTINEL);
    cr_assert_eq(len, 3);
    xs_doc_free(d);
}

Test(shim_doc, stored_document_round_trips)
{
    xs_db *db = xs_test_open(xs_test_path("db"), XS_DB_CREATE_OR_OPEN);
    xs_doc *d = NULL;
    XS_TEST_OK(xs_doc_new(&d));
    XS_TEST_OK(xs_doc_add_posting(d, "word", 1, 1));
    XS_TEST_OK(xs_doc_add_boolean_term(d, "Qone"));
    XS_TEST_OK(xs_doc_set_data(d, "payload", 7));
    XS_TEST_OK(xs_doc_set_value(d, 2, "v2", 2));
    uint32_t id = 0;
    int replaced = -1;
    XS_TEST_OK(xs_db_replace_by_term(db, "Qone", d, &id, &replaced));
    cr_assert_eq(id, 1);
    cr_assert_eq(replaced, 0);
    cr_assert_eq(xs_doc_docid(d), 0, "the caller's document is not changed");
    xs_doc_free(d);
    XS_TEST_OK(xs_db_commit(db));

    xs_doc *got = NULL;
    XS_TEST_OK(xs_db_get_doc(db, id, &got));
    cr_assert_eq(xs_doc_docid(got), id);
    const char *p;
    size_t len;
    XS_TEST_OK(xs_doc_get_data(got, &p, &len));
    cr_assert_eq(len, 7);
    cr_assert_eq(memcmp(p, "payload", 7), 0);
    XS_TEST_OK(xs_doc_get_value(got, 2, &p, &len));
    cr_assert_eq(len, 2);
    cr_assert_eq(memcmp(p, "v2", 2), 0);
    xs_test_terms t = {0};
    XS_TEST_OK(xs_doc_termlist(got, xs_test_collect, &t));
    cr_assert_eq(t.n, 2);
    cr_assert_str_eq(t.term[0], "Qone");
    cr_assert_str_eq(t.term[1], "word");
    cr_assert_eq(t.freq[1], 1);
    xs_doc_free(got);
    xs_db_close(db);
}

Test(shim_doc, document_from_reader_outlives_the_handle)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    uint32_t id = xs_test_add_text(w, "a", "lazy data");
    xs_db_close(w);

    xs_db *r = xs_test_open(path, XS_DB_READ);
    xs_doc *got = NULL;
    XS_TEST_OK(xs_db_get_doc(r, id, &got));
    XS_TEST_OK(xs_db_close(r));
    /* Data and terms are only loaded now, after the handle is gone. */
    const char *p;
    size_t len;
    XS_TEST_OK(xs_doc_get_data(got, &p, &len));
    cr_assert_eq(len, 9);
    cr_assert_eq(memcmp(p, "lazy data", 9), 0);
    xs_test_terms t = {0};
    XS_TEST_OK(xs_doc_termlist(got, xs_test_collect, &t));
    cr_assert_eq(t.n, 3);
    xs_doc_free(got);
}

Test(shim_doc, get_doc_errors)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_test_add_text(db, "a", "one");
    xs_doc *got = XS_TEST_SENTINEL;
    cr_assert_eq(xs_db_get_doc(db, 2, &got), XS_ERR_NOT_FOUND);
    cr_assert_eq(xs_db_get_doc(db, 0, &got), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_get_doc(NULL, 1, &got), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_get_doc(db, 1, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(got, XS_TEST_SENTINEL);
    xs_db_close(db);
}

Test(shim_doc, replace_by_term_replaces)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_test_add_text(db, "other", "unrelated");
    xs_doc *d = NULL;
    XS_TEST_OK(xs_doc_new(&d));
    XS_TEST_OK(xs_doc_add_term(d, "Qcardiology-02", 0));
    XS_TEST_OK(xs_doc_add_term(d, "first", 1));
    uint32_t id1 = 0, id2 = 0;
    int replaced = -1;
    XS_TEST_OK(xs_db_replace_by_term(db, "Qcardiology-02", d, &id1, &replaced));
    cr_assert_eq(replaced, 0);

    XS_TEST_OK(xs_doc_clear_terms(d));
    XS_TEST_OK(xs_doc_add_term(d, "Qcardiology-02", 0));
    XS_TEST_OK(xs_doc_add_term(d, "second", 1));
    XS_TEST_OK(xs_db_replace_by_term(db, "Qcardiology-02", d, &id2, &replaced));
    cr_assert_eq(replaced, 1);
    cr_assert_eq(id2, id1, "replacement keeps the docid");
    cr_assert_eq(xs_db_doccount(db), 2);
    cr_assert_eq(xs_db_termfreq(db, "first"), 0);
    cr_assert_eq(xs_db_termfreq(db, "second"), 1);
    XS_TEST_OK(xs_db_replace_by_term(db, "Qcardiology-02", d, NULL, NULL));
    xs_doc_free(d);
    xs_db_close(db);
}

Test(shim_doc, replace_and_delete_errors)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_doc *d = NULL;
    XS_TEST_OK(xs_doc_new(&d));
    uint32_t id = 5, n = 5;
    int replaced = 5;
    cr_assert_eq(xs_db_replace_by_term(NULL, "Q", d, &id, &replaced), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_replace_by_term(db, NULL, d, &id, &replaced), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_replace_by_term(db, "Q", NULL, &id, &replaced), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "doc"));
    cr_assert_eq(xs_db_replace_by_term(db, "", d, &id, &replaced), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_delete_by_term(NULL, "Q", &n), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_delete_by_term(db, NULL, &n), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_delete_by_term(db, "", &n), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(id, 5);
    cr_assert_eq(replaced, 5);
    cr_assert_eq(n, 5);
    cr_assert_eq(xs_db_doccount(db), 0);
    xs_doc_free(d);
    xs_db_close(db);
}

Test(shim_doc, reader_cannot_replace_or_delete)
{
    const char *path = xs_test_path("db");
    xs_db_close(xs_test_open(path, XS_DB_CREATE_OR_OPEN));
    xs_db *r = xs_test_open(path, XS_DB_READ);
    xs_doc *d = NULL;
    XS_TEST_OK(xs_doc_new(&d));
    cr_assert_eq(xs_db_replace_by_term(r, "Qa", d, NULL, NULL), XS_ERR_INVALID_OPERATION);
    cr_assert_eq(xs_db_delete_by_term(r, "Qa", NULL), XS_ERR_INVALID_OPERATION);
    xs_doc_free(d);
    xs_db_close(r);
}

Test(shim_doc, delete_by_term_counts)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_test_add_text(db, "a", "shared alpha");
    xs_test_add_text(db, "b", "shared beta");
    xs_test_add_text(db, "c", "gamma");
    uint32_t n = 99;
    XS_TEST_OK(xs_db_delete_by_term(db, "shared", &n));
    cr_assert_eq(n, 2);
    cr_assert_eq(xs_db_doccount(db), 1);
    XS_TEST_OK(xs_db_delete_by_term(db, "shared", &n));
    cr_assert_eq(n, 0, "deleting nothing is not an error");
    XS_TEST_OK(xs_db_delete_by_term(db, "Qc", NULL));
    cr_assert_eq(xs_db_doccount(db), 0);
    xs_db_close(db);
}

Test(shim_doc, find_by_term)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_test_add_text(db, "a", "alpha");
    uint32_t idb = xs_test_add_text(db, "b", "beta");
    xs_test_add_text(db, "c", "beta");
    uint32_t id = 0;
    XS_TEST_OK(xs_db_find_by_term(db, "Qb", &id));
    cr_assert_eq(id, idb);
    XS_TEST_OK(xs_db_find_by_term(db, "beta", &id));
    cr_assert_eq(id, idb, "first document indexed by the term");

    id = 42;
    cr_assert_eq(xs_db_find_by_term(db, "Qzz", &id), XS_ERR_NOT_FOUND);
    cr_assert_neq(xs_last_error()[0], '\0');
    cr_assert_eq(xs_db_find_by_term(db, "", &id), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_find_by_term(NULL, "Qb", &id), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_find_by_term(db, NULL, &id), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_find_by_term(db, "Qb", NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(id, 42);
    xs_db_close(db);
}
