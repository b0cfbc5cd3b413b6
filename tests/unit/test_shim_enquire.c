/* Unit tests for enquire sessions, weighting schemes and msets. */
#include "test_shim_util.h"

#include <math.h>
#include <stdlib.h>

TestSuite(shim_enquire, .init = xs_test_setup, .fini = xs_test_teardown);

static void xs_test_fill(xs_db *db)
{
    xs_test_add_text(db, "1", "quick brown fox");
    xs_test_add_text(db, "2", "brown quick fox");
    xs_test_add_text(db, "3", "quick red fox");
    xs_test_add_text(db, "4", "lazy dog");
    xs_test_add_text(db, "5", "quick quick quick dog");
}

static xs_enquire *xs_test_enquire(xs_db *db, const char *term)
{
    xs_enquire *e = NULL;
    XS_TEST_OK(xs_enquire_new(db, &e));
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_term(term, 1, 0, &q));
    XS_TEST_OK(xs_enquire_set_query(e, q));
    xs_query_free(q); /* the enquire holds its own reference */
    return e;
}

static xs_mset *xs_test_run(xs_enquire *e)
{
    xs_mset *m = NULL;
    XS_TEST_OK(xs_enquire_mset(e, 0, 10, 10, &m));
    return m;
}

static double xs_test_weight_of(const xs_mset *m, uint32_t docid)
{
    for (size_t i = 0; i < xs_mset_size(m); i++)
        if (xs_mset_docid(m, i) == docid)
            return xs_mset_weight(m, i);
    cr_assert_fail("doc %u did not match", docid);
    return -1;
}

Test(shim_enquire, ranked_results)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_test_fill(db);
    xs_enquire *e = xs_test_enquire(db, "quick");
    xs_mset *m = xs_test_run(e);
    cr_assert_eq(xs_mset_size(m), 4);
    cr_assert_eq(xs_mset_first(m), 0);
    cr_assert_eq(xs_mset_docid(m, 0), 5, "three occurrences must rank first");
    for (size_t i = 1; i < xs_mset_size(m); i++)
        cr_assert_geq(xs_mset_weight(m, i - 1), xs_mset_weight(m, i), "not sorted by weight");
    cr_assert_gt(xs_mset_weight(m, 3), 0);
    cr_assert_eq(xs_mset_matches_estimated(m), 4);
    cr_assert_eq(xs_mset_matches_lower_bound(m), 4);
    cr_assert_eq(xs_mset_matches_upper_bound(m), 4);
    xs_mset_free(m);
    xs_enquire_free(e);
    xs_db_close(db);
}

Test(shim_enquire, paging)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_test_fill(db);
    xs_enquire *e = xs_test_enquire(db, "quick");
    xs_mset *all = xs_test_run(e);
    xs_mset *page = NULL;
    XS_TEST_OK(xs_enquire_mset(e, 1, 2, 0, &page));
    cr_assert_eq(xs_mset_size(page), 2);
    cr_assert_eq(xs_mset_first(page), 1);
    cr_assert_eq(xs_mset_docid(page, 0), xs_mset_docid(all, 1));
    cr_assert_eq(xs_mset_docid(page, 1), xs_mset_docid(all, 2));
    cr_assert_eq(xs_mset_matches_lower_bound(page), 4);

    xs_mset *past = NULL;
    XS_TEST_OK(xs_enquire_mset(e, 10, 5, 0, &past));
    cr_assert_eq(xs_mset_size(past), 0);
    xs_mset_free(past);
    xs_mset_free(page);
    xs_mset_free(all);
    xs_enquire_free(e);
    xs_db_close(db);
}

Test(shim_enquire, check_at_least_makes_the_estimate_exact)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    for (int i = 0; i < 300; i++) {
        char uid[16];
        snprintf(uid, sizeof uid, "%d", i);
        /* "rare" in every seventh document, spread so that the matcher
         * cannot know the exact count without looking. */
        xs_test_add_text(db, uid, i % 7 == 0 ? "common rare" : "common");
    }
    xs_enquire *e = NULL;
    XS_TEST_OK(xs_enquire_new(db, &e));
    xs_query *subs[2] = {NULL, NULL};
    XS_TEST_OK(xs_query_term("common", 1, 0, &subs[0]));
    XS_TEST_OK(xs_query_term("rare", 1, 0, &subs[1]));
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_combine(XS_OP_AND, subs, 2, 0, &q));
    XS_TEST_OK(xs_enquire_set_query(e, q));
    xs_mset *m = NULL;
    XS_TEST_OK(xs_enquire_mset(e, 0, 1, 1000, &m));
    cr_assert_eq(xs_mset_size(m), 1);
    cr_assert_eq(xs_mset_matches_lower_bound(m), 43);
    cr_assert_eq(xs_mset_matches_upper_bound(m), 43);
    cr_assert_eq(xs_mset_matches_estimated(m), 43);
    xs_mset_free(m);
    xs_query_free(q);
    xs_query_free(subs[0]);
    xs_query_free(subs[1]);
    xs_enquire_free(e);
    xs_db_close(db);
}

Test(shim_enquire, no_query_matches_nothing)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_test_fill(db);
    xs_enquire *e = NULL;
    XS_TEST_OK(xs_enquire_new(db, &e));
    xs_mset *m = xs_test_run(e);
    cr_assert_eq(xs_mset_size(m), 0);
    cr_assert_eq(xs_mset_matches_estimated(m), 0);
    xs_mset_free(m);
    xs_enquire_free(e);
    xs_db_close(db);
}

Test(shim_enquire, bm25_k1_controls_term_frequency)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_test_fill(db);
    xs_enquire *e = xs_test_enquire(db, "quick");

    xs_mset *m = xs_test_run(e);
    double w5 = xs_test_weight_of(m, 5), w3 = xs_test_weight_of(m, 3);
    cr_assert_gt(w5, w3, "default BM25 must reward wdf 3 over wdf 1");
    xs_mset_free(m);

    /* Xapian's defaults spelled out give the same weights. */
    XS_TEST_OK(xs_enquire_set_bm25(e, 1, 0, 1, 0.5, 0.5));
    m = xs_test_run(e);
    cr_assert(fabs(xs_test_weight_of(m, 5) - w5) < 1e-9);
    xs_mset_free(m);

    XS_TEST_OK(xs_enquire_set_bm25(e, 2.0, 0, 1, 0.5, 0.5));
    m = xs_test_run(e);
    cr_assert_gt(xs_test_weight_of(m, 5), w5 + 1e-6, "a larger k1 must reward wdf more");
    xs_mset_free(m);

    /* k1 = 0 ignores wdf (and so length): only idf is left. */
    XS_TEST_OK(xs_enquire_set_bm25(e, 0, 0, 1, 0.5, 0.5));
    m = xs_test_run(e);
    cr_assert(fabs(xs_test_weight_of(m, 5) - xs_test_weight_of(m, 3)) < 1e-9,
              "k1=0 still weighs wdf");
    cr_assert_gt(xs_test_weight_of(m, 5), 0);
    xs_mset_free(m);
    xs_enquire_free(e);
    xs_db_close(db);
}

Test(shim_enquire, bm25_b_controls_length_normalisation)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    uint32_t short_doc = xs_test_add_text(db, "s", "alpha");
    uint32_t long_doc = xs_test_add_text(db, "l", "alpha beta gamma delta epsilon zeta eta");
    xs_test_add_text(db, "x", "unrelated words");
    xs_enquire *e = xs_test_enquire(db, "alpha");

    XS_TEST_OK(xs_enquire_set_bm25(e, 1.2, 0, 1, 0, 0.5));
    xs_mset *m = xs_test_run(e);
    cr_assert(fabs(xs_test_weight_of(m, short_doc) - xs_test_weight_of(m, long_doc)) < 1e-9,
              "b=0 must ignore length");
    xs_mset_free(m);

    XS_TEST_OK(xs_enquire_set_bm25(e, 1.2, 0, 1, 1, 0.5));
    m = xs_test_run(e);
    cr_assert_gt(xs_test_weight_of(m, short_doc), xs_test_weight_of(m, long_doc) + 1e-6,
                 "b=1 must favour the short document");
    xs_mset_free(m);
    xs_enquire_free(e);
    xs_db_close(db);
}

Test(shim_enquire, bm25_rejects_bad_parameters)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_enquire *e = NULL;
    XS_TEST_OK(xs_enquire_new(db, &e));
    cr_assert_eq(xs_enquire_set_bm25(e, -1, 0, 1, 0.5, 0.5), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_enquire_set_bm25(e, 1.2, -0.1, 1, 0.5, 0.5), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_enquire_set_bm25(e, 1.2, 0, -1, 0.5, 0.5), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_enquire_set_bm25(e, 1.2, 0, 1, 1.5, 0.5), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_enquire_set_bm25(e, 1.2, 0, 1, -0.5, 0.5), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_enquire_set_bm25(e, 1.2, 0, 1, 0.5, -1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_enquire_set_bm25(e, NAN, 0, 1, 0.5, 0.5), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_enquire_set_bm25(e, 1.2, 0, INFINITY, 0.5, 0.5), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_enquire_set_bm25(NULL, 1.2, 0, 1, 0.5, 0.5), XS_ERR_INVALID_ARGUMENT);
    xs_enquire_free(e);
    xs_db_close(db);
}

Test(shim_enquire, bool_weighting_gives_zero)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_test_fill(db);
    xs_enquire *e = xs_test_enquire(db, "quick");
    XS_TEST_OK(xs_enquire_set_bool(e));
    xs_mset *m = xs_test_run(e);
    cr_assert_eq(xs_mset_size(m), 4);
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(xs_mset_weight(m, i), 0.0);
    xs_mset_free(m);
    cr_assert_eq(xs_enquire_set_bool(NULL), XS_ERR_INVALID_ARGUMENT);
    xs_enquire_free(e);
    xs_db_close(db);
}

Test(shim_enquire, query_can_be_replaced)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_test_fill(db);
    xs_enquire *e = xs_test_enquire(db, "quick");
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_term("lazy", 1, 0, &q));
    XS_TEST_OK(xs_enquire_set_query(e, q));
    xs_query_free(q);
    xs_mset *m = xs_test_run(e);
    cr_assert_eq(xs_mset_size(m), 1);
    cr_assert_eq(xs_mset_docid(m, 0), 4);
    xs_mset_free(m);
    xs_enquire_free(e);
    xs_db_close(db);
}

Test(shim_enquire, document_outlives_mset_enquire_and_reader)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    xs_test_fill(w);
    XS_TEST_OK(xs_db_close(w));

    xs_db *r = xs_test_open(path, XS_DB_READ);
    xs_enquire *e = xs_test_enquire(r, "quick");
    xs_mset *m = xs_test_run(e);
    xs_doc *doc = NULL;
    XS_TEST_OK(xs_mset_doc(m, 0, &doc));
    xs_mset_free(m);
    xs_enquire_free(e);
    XS_TEST_OK(xs_db_close(r));

    cr_assert_eq(xs_doc_docid(doc), 5);
    const char *data;
    size_t len;
    XS_TEST_OK(xs_doc_get_data(doc, &data, &len));
    cr_assert_eq(len, strlen("quick quick quick dog"));
    cr_assert_eq(memcmp(data, "quick quick quick dog", len), 0);
    xs_doc_free(doc);
}

Test(shim_enquire, mset_out_of_range_and_null)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_test_fill(db);
    xs_enquire *e = xs_test_enquire(db, "lazy");
    xs_mset *m = xs_test_run(e);
    cr_assert_eq(xs_mset_size(m), 1);
    cr_assert_eq(xs_mset_docid(m, 1), 0);
    cr_assert_eq(xs_mset_weight(m, 1), 0.0);
    cr_assert_eq(xs_mset_docid(m, (size_t)-1), 0);
    xs_doc *doc = XS_TEST_SENTINEL;
    cr_assert_eq(xs_mset_doc(m, 1, &doc), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "range"));
    cr_assert_eq(xs_mset_doc(m, 0, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_mset_doc(NULL, 0, &doc), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(doc, XS_TEST_SENTINEL);

    cr_assert_eq(xs_mset_size(NULL), 0);
    cr_assert_eq(xs_mset_first(NULL), 0);
    cr_assert_eq(xs_mset_matches_estimated(NULL), 0);
    cr_assert_eq(xs_mset_matches_lower_bound(NULL), 0);
    cr_assert_eq(xs_mset_matches_upper_bound(NULL), 0);
    cr_assert_eq(xs_mset_docid(NULL, 0), 0);
    cr_assert_eq(xs_mset_weight(NULL, 0), 0.0);
    xs_mset_free(NULL);
    xs_mset_free(m);
    xs_enquire_free(e);
    xs_db_close(db);
}

Test(shim_enquire, matching_terms_in_query_order)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_test_fill(db);
    xs_query *subs[3] = {NULL, NULL, NULL};
    XS_TEST_OK(xs_query_term("quick", 1, 1, &subs[0]));
    XS_TEST_OK(xs_query_term("lazy", 1, 2, &subs[1]));
    XS_TEST_OK(xs_query_term("dog", 1, 3, &subs[2]));
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_combine(XS_OP_OR, subs, 3, 0, &q));
    xs_enquire *e = NULL;
    XS_TEST_OK(xs_enquire_new(db, &e));
    XS_TEST_OK(xs_enquire_set_query(e, q));

    xs_test_terms t = {0};
    XS_TEST_OK(xs_enquire_matching_terms(e, 5, xs_test_collect, &t));
    cr_assert_eq(t.n, 2);
    cr_assert_str_eq(t.term[0], "quick", "query order, not byte order");
    cr_assert_str_eq(t.term[1], "dog");

    xs_test_terms one = {.stop_after = 1};
    XS_TEST_OK(xs_enquire_matching_terms(e, 5, xs_test_collect, &one));
    cr_assert_eq(one.n, 1);

    xs_test_terms none = {0};
    cr_assert_eq(xs_enquire_matching_terms(e, 99, xs_test_collect, &none), XS_ERR_NOT_FOUND);
    cr_assert_eq(xs_enquire_matching_terms(NULL, 5, xs_test_collect, &none),
                 XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_enquire_matching_terms(e, 5, NULL, &none), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(none.n, 0);

    for (int i = 0; i < 3; i++)
        xs_query_free(subs[i]);
    xs_query_free(q);
    xs_enquire_free(e);
    xs_db_close(db);
}

Test(shim_enquire, null_arguments)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_enquire *e = XS_TEST_SENTINEL;
    cr_assert_eq(xs_enquire_new(NULL, &e), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_enquire_new(db, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(e, XS_TEST_SENTINEL);
    XS_TEST_OK(xs_enquire_new(db, &e));
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_match_all(&q));
    cr_assert_eq(xs_enquire_set_query(NULL, q), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_enquire_set_query(e, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "'q'"));
    xs_mset *m = XS_TEST_SENTINEL;
    cr_assert_eq(xs_enquire_mset(NULL, 0, 10, 0, &m), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_enquire_mset(e, 0, 10, 0, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(m, XS_TEST_SENTINEL);
    xs_query_free(q);
    xs_enquire_free(e);
    xs_enquire_free(NULL);
    xs_db_close(db);
}
