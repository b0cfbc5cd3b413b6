/* Unit tests for database statistics and xs_db_allterms. */
#include "test_shim_util.h"

#include <math.h>

TestSuite(shim_stats, .init = xs_test_setup, .fini = xs_test_teardown);

/* Three documents with known wdfs:
 *   1: apple x2, banana          (length 3)
 *   2: apple, cherry             (length 2)
 *   3: banana, positional "pad" with wdf 0, boolean "Kfruit" (length 1) */
static xs_db *xs_test_fruit_db(void)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_doc *d = NULL;

    XS_TEST_OK(xs_doc_new(&d));
    XS_TEST_OK(xs_doc_add_posting(d, "apple", 1, 1));
    XS_TEST_OK(xs_doc_add_posting(d, "apple", 2, 1));
    XS_TEST_OK(xs_doc_add_posting(d, "banana", 3, 1));
    XS_TEST_OK(xs_doc_add_boolean_term(d, "Q1"));
    XS_TEST_OK(xs_db_replace_by_term(db, "Q1", d, NULL, NULL));
    xs_doc_free(d);

    XS_TEST_OK(xs_doc_new(&d));
    XS_TEST_OK(xs_doc_add_term(d, "apple", 1));
    XS_TEST_OK(xs_doc_add_term(d, "cherry", 1));
    XS_TEST_OK(xs_doc_add_boolean_term(d, "Q2"));
    XS_TEST_OK(xs_db_replace_by_term(db, "Q2", d, NULL, NULL));
    xs_doc_free(d);

    XS_TEST_OK(xs_doc_new(&d));
    XS_TEST_OK(xs_doc_add_posting(d, "banana", 1, 1));
    XS_TEST_OK(xs_doc_add_posting(d, "pad", 2, 0));
    XS_TEST_OK(xs_doc_add_boolean_term(d, "Kfruit"));
    XS_TEST_OK(xs_doc_add_boolean_term(d, "Q3"));
    XS_TEST_OK(xs_db_replace_by_term(db, "Q3", d, NULL, NULL));
    xs_doc_free(d);
    return db;
}

Test(shim_stats, counts_and_frequencies)
{
    xs_db *db = xs_test_fruit_db();
    cr_assert_eq(xs_db_doccount(db), 3);
    cr_assert_eq(xs_db_lastdocid(db), 3);
    cr_assert_eq(xs_db_termfreq(db, "apple"), 2);
    cr_assert_eq(xs_db_termfreq(db, "banana"), 2);
    cr_assert_eq(xs_db_termfreq(db, "durian"), 0);
    cr_assert_eq(xs_db_collection_freq(db, "apple"), 3);
    cr_assert_eq(xs_db_collection_freq(db, "durian"), 0);
    cr_assert(xs_db_term_exists(db, "cherry"));
    cr_assert(xs_db_term_exists(db, "Kfruit"));
    cr_assert_not(xs_db_term_exists(db, "durian"));
    xs_db_close(db);
}

Test(shim_stats, doclength_counts_wdf_only)
{
    xs_db *db = xs_test_fruit_db();
    uint32_t len = 0;
    XS_TEST_OK(xs_db_doclength(db, 1, &len));
    cr_assert_eq(len, 3);
    XS_TEST_OK(xs_db_doclength(db, 2, &len));
    cr_assert_eq(len, 2);
    /* wdf-0 positional and boolean terms add nothing. */
    XS_TEST_OK(xs_db_doclength(db, 3, &len));
    cr_assert_eq(len, 1);
    cr_assert(fabs(xs_db_avglength(db) - 2.0) < 1e-9, "avglength %f", xs_db_avglength(db));
    xs_db_close(db);
}

Test(shim_stats, doclength_of_missing_doc_is_not_found)
{
    xs_db *db = xs_test_fruit_db();
    uint32_t len = 77;
    cr_assert_eq(xs_db_doclength(db, 99, &len), XS_ERR_NOT_FOUND);
    cr_assert_eq(len, 77);
    cr_assert_eq(xs_db_doclength(db, 1, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_doclength(NULL, 1, &len), XS_ERR_INVALID_ARGUMENT);
    xs_db_close(db);
}

Test(shim_stats, empty_database)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    cr_assert_eq(xs_db_doccount(db), 0);
    cr_assert_eq(xs_db_lastdocid(db), 0);
    cr_assert_eq(xs_db_avglength(db), 0.0);
    xs_test_terms t = {0};
    XS_TEST_OK(xs_db_allterms(db, "", xs_test_collect, &t));
    cr_assert_eq(t.n, 0);
    xs_db_close(db);
}

Test(shim_stats, accessors_on_null_return_zero_and_set_error)
{
    cr_assert_eq(xs_db_doccount(NULL), 0);
    cr_assert_not_null(strstr(xs_last_error(), "xs_db_doccount"));
    cr_assert_eq(xs_db_lastdocid(NULL), 0);
    cr_assert_eq(xs_db_avglength(NULL), 0.0);
    cr_assert_eq(xs_db_termfreq(NULL, "a"), 0);
    cr_assert_eq(xs_db_collection_freq(NULL, "a"), 0);
    cr_assert_eq(xs_db_term_exists(NULL, "a"), 0);

    xs_db *db = xs_test_fruit_db();
    cr_assert_eq(xs_db_termfreq(db, NULL), 0);
    cr_assert_not_null(strstr(xs_last_error(), "term"));
    cr_assert_eq(xs_db_collection_freq(db, NULL), 0);
    cr_assert_eq(xs_db_term_exists(db, NULL), 0);
    xs_db_close(db);
}

Test(shim_stats, allterms_in_byte_order_with_termfreq)
{
    xs_db *db = xs_test_fruit_db();
    xs_test_terms t = {0};
    XS_TEST_OK(xs_db_allterms(db, "", xs_test_collect, &t));
    const char *want[] = {"Kfruit", "Q1", "Q2", "Q3", "apple", "banana", "cherry", "pad"};
    const uint32_t freq[] = {1, 1, 1, 1, 2, 2, 1, 1};
    cr_assert_eq(t.n, 8);
    for (size_t i = 0; i < 8; i++) {
        cr_assert_str_eq(t.term[i], want[i]);
        cr_assert_eq(t.len[i], strlen(want[i]));
        cr_assert_eq(t.freq[i], freq[i], "%s", want[i]);
    }
    xs_db_close(db);
}

Test(shim_stats, allterms_with_prefix)
{
    xs_db *db = xs_test_fruit_db();
    xs_test_terms t = {0};
    XS_TEST_OK(xs_db_allterms(db, "Q", xs_test_collect, &t));
    cr_assert_eq(t.n, 3);
    cr_assert_str_eq(t.term[0], "Q1");
    cr_assert_str_eq(t.term[2], "Q3");

    xs_test_terms none = {0};
    XS_TEST_OK(xs_db_allterms(db, "zzz", xs_test_collect, &none));
    cr_assert_eq(none.n, 0);
    xs_db_close(db);
}

Test(shim_stats, allterms_stops_when_asked)
{
    xs_db *db = xs_test_fruit_db();
    xs_test_terms t = {.stop_after = 2};
    XS_TEST_OK(xs_db_allterms(db, "", xs_test_collect, &t));
    cr_assert_eq(t.n, 2);
    xs_db_close(db);
}

Test(shim_stats, allterms_null_arguments)
{
    xs_db *db = xs_test_fruit_db();
    xs_test_terms t = {0};
    cr_assert_eq(xs_db_allterms(NULL, "", xs_test_collect, &t), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_allterms(db, NULL, xs_test_collect, &t), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "prefix"));
    cr_assert_eq(xs_db_allterms(db, "", NULL, &t), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "fn"));
    cr_assert_eq(t.n, 0);
    xs_db_close(db);
}

Test(shim_stats, writer_counts_uncommitted_changes)
{
    xs_db *w = xs_test_open(xs_test_path("db"), XS_DB_CREATE_OR_OPEN);
    xs_test_add_text(w, "a", "alpha beta");
    cr_assert_eq(xs_db_doccount(w), 1);
    cr_assert_eq(xs_db_termfreq(w, "alpha"), 1);
    xs_db_close(w);
}
