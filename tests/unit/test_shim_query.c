/* Unit tests for building queries: each operator is checked by the set of
 * documents it actually matches. */
#include "test_shim_util.h"

#include <math.h>
#include <stdlib.h>

/* docid: text (positions 1, 2, ...) */
static const char *const xs_test_corpus[] = {
    "quick brown fox",       /* 1 */
    "brown quick fox",       /* 2 */
    "quick red fox",         /* 3 */
    "lazy dog",              /* 4 */
    "quick quick quick dog", /* 5 */
};

/* An in-memory database of n texts, docids 1..n, uids "1".."n". */
static xs_db *xs_test_texts_db(const char *const *text, size_t n)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    for (size_t i = 0; i < n; i++) {
        char uid[24];
        snprintf(uid, sizeof uid, "%zu", i + 1);
        cr_assert_eq(xs_test_add_text(db, uid, text[i]), i + 1);
    }
    return db;
}

static xs_db *xs_test_corpus_db(void)
{
    return xs_test_texts_db(xs_test_corpus, sizeof xs_test_corpus / sizeof *xs_test_corpus);
}

static int xs_test_cmp_id(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Runs q over db and checks the matching docids, in any order, are want. */
static void xs_test_expect(xs_db *db, const xs_query *q, const uint32_t *want, size_t n)
{
    xs_enquire *e = NULL;
    XS_TEST_OK(xs_enquire_new(db, &e));
    XS_TEST_OK(xs_enquire_set_query(e, q));
    xs_mset *m = NULL;
    XS_TEST_OK(xs_enquire_mset(e, 0, 100, 100, &m));
    char *desc = xs_query_describe(q);
    cr_assert_eq(xs_mset_size(m), n, "%s: %zu matches, want %zu", desc, xs_mset_size(m), n);
    uint32_t got[100];
    for (size_t i = 0; i < n; i++)
        got[i] = xs_mset_docid(m, i);
    qsort(got, n, sizeof *got, xs_test_cmp_id);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(got[i], want[i], "%s: match %zu is %u, want %u", desc, i, got[i], want[i]);
    free(desc);
    xs_mset_free(m);
    xs_enquire_free(e);
}

#define XS_EXPECT(db, q, ...)                                                    \
    do {                                                                         \
        static const uint32_t xs_want_[] = {__VA_ARGS__};                        \
        xs_test_expect((db), (q), xs_want_, sizeof xs_want_ / sizeof *xs_want_); \
    } while (0)

#define XS_EXPECT_NONE(db, q) xs_test_expect((db), (q), NULL, 0)

static xs_query *xs_test_term(const char *t)
{
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_term(t, 1, 0, &q));
    return q;
}

/* Combines the two named terms with op and frees the parts. */
static xs_query *xs_test_pair(xs_query_op op, const char *a, const char *b, uint32_t window)
{
    xs_query *subs[2] = {xs_test_term(a), xs_test_term(b)};
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_combine(op, subs, 2, window, &q));
    xs_query_free(subs[0]);
    xs_query_free(subs[1]);
    return q;
}

/* Weight of docid in the results of q (or -1 when it does not match). */
static double xs_test_weight(xs_db *db, const xs_query *q, uint32_t docid)
{
    xs_enquire *e = NULL;
    XS_TEST_OK(xs_enquire_new(db, &e));
    XS_TEST_OK(xs_enquire_set_query(e, q));
    xs_mset *m = NULL;
    XS_TEST_OK(xs_enquire_mset(e, 0, 100, 0, &m));
    double w = -1;
    for (size_t i = 0; i < xs_mset_size(m); i++)
        if (xs_mset_docid(m, i) == docid)
            w = xs_mset_weight(m, i);
    xs_mset_free(m);
    xs_enquire_free(e);
    return w;
}

Test(shim_query, term)
{
    xs_db *db = xs_test_corpus_db();
    xs_query *q = xs_test_term("quick");
    XS_EXPECT(db, q, 1, 2, 3, 5);
    cr_assert_not(xs_query_is_empty(q));
    char *d = xs_query_describe(q);
    cr_assert_not_null(strstr(d, "quick"), "%s", d);
    free(d);
    xs_query_free(q);

    q = xs_test_term("absent");
    XS_EXPECT_NONE(db, q);
    xs_query_free(q);
    xs_db_close(db);
}

Test(shim_query, term_wqf_and_position)
{
    xs_db *db = xs_test_corpus_db();
    xs_query *one = NULL, *two = NULL;
    XS_TEST_OK(xs_query_term("fox", 1, 0, &one));
    XS_TEST_OK(xs_query_term("fox", 2, 3, &two));
    cr_assert_gt(xs_test_weight(db, two, 1), xs_test_weight(db, one, 1),
                 "a higher wqf must weigh more");
    char *d = xs_query_describe(two);
    cr_assert_not_null(strstr(d, "fox#2@3"), "%s", d);
    free(d);
    xs_query_free(one);
    xs_query_free(two);
    xs_db_close(db);
}

Test(shim_query, term_errors)
{
    xs_query *q = XS_TEST_SENTINEL;
    cr_assert_eq(xs_query_term("", 1, 0, &q), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "match_all"));
    cr_assert_eq(xs_query_term(NULL, 1, 0, &q), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_query_term("a", 1, 0, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(q, XS_TEST_SENTINEL);
}

Test(shim_query, boolean_operators)
{
    xs_db *db = xs_test_corpus_db();
    xs_query *q;

    q = xs_test_pair(XS_OP_AND, "quick", "fox", 0);
    XS_EXPECT(db, q, 1, 2, 3);
    xs_query_free(q);

    q = xs_test_pair(XS_OP_OR, "lazy", "red", 0);
    XS_EXPECT(db, q, 3, 4);
    xs_query_free(q);

    q = xs_test_pair(XS_OP_XOR, "quick", "dog", 0);
    XS_EXPECT(db, q, 1, 2, 3, 4);
    xs_query_free(q);

    q = xs_test_pair(XS_OP_SYNONYM, "brown", "red", 0);
    XS_EXPECT(db, q, 1, 2, 3);
    xs_query_free(q);

    q = xs_test_pair(XS_OP_MAX, "brown", "lazy", 0);
    XS_EXPECT(db, q, 1, 2, 4);
    xs_query_free(q);
    xs_db_close(db);
}

Test(shim_query, and_not_excludes_all_the_rest)
{
    xs_db *db = xs_test_corpus_db();
    xs_query *subs[3] = {xs_test_term("quick"), xs_test_term("brown"), xs_test_term("red")};
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_combine(XS_OP_AND_NOT, subs, 3, 0, &q));
    XS_EXPECT(db, q, 5);
    for (int i = 0; i < 3; i++)
        xs_query_free(subs[i]);
    xs_query_free(q);
    xs_db_close(db);
}

Test(shim_query, and_maybe_and_filter_weights)
{
    xs_db *db = xs_test_corpus_db();
    xs_query *fox = xs_test_term("fox");

    xs_query *maybe = xs_test_pair(XS_OP_AND_MAYBE, "fox", "brown", 0);
    XS_EXPECT(db, maybe, 1, 2, 3);
    cr_assert_gt(xs_test_weight(db, maybe, 1), xs_test_weight(db, fox, 1),
                 "AND_MAYBE must add the optional term's weight");
    cr_assert(fabs(xs_test_weight(db, maybe, 3) - xs_test_weight(db, fox, 3)) < 1e-9);

    xs_query *filter = xs_test_pair(XS_OP_FILTER, "fox", "brown", 0);
    XS_EXPECT(db, filter, 1, 2);
    cr_assert(fabs(xs_test_weight(db, filter, 1) - xs_test_weight(db, fox, 1)) < 1e-9,
              "the filter must add no weight");

    xs_query_free(maybe);
    xs_query_free(filter);
    xs_query_free(fox);
    xs_db_close(db);
}

Test(shim_query, phrase_needs_adjacent_words_in_order)
{
    xs_db *db = xs_test_corpus_db();
    xs_query *q = xs_test_pair(XS_OP_PHRASE, "quick", "brown", 0);
    XS_EXPECT(db, q, 1); /* doc 2 has "brown quick" */
    xs_query_free(q);

    q = xs_test_pair(XS_OP_PHRASE, "quick", "fox", 0);
    XS_EXPECT(db, q, 2);
    xs_query_free(q);

    /* A wider window lets one word sit between them. */
    q = xs_test_pair(XS_OP_PHRASE, "quick", "fox", 3);
    XS_EXPECT(db, q, 1, 2, 3);
    xs_query_free(q);
    xs_db_close(db);
}

Test(shim_query, near_ignores_order)
{
    xs_db *db = xs_test_corpus_db();
    xs_query *q = xs_test_pair(XS_OP_NEAR, "quick", "brown", 2);
    XS_EXPECT(db, q, 1, 2);
    xs_query_free(q);

    q = xs_test_pair(XS_OP_NEAR, "fox", "quick", 2);
    XS_EXPECT(db, q, 2);
    xs_query_free(q);
    xs_db_close(db);
}

Test(shim_query, elite_set_keeps_the_best_subqueries)
{
    xs_db *db = xs_test_corpus_db();
    /* "lazy" is the rarer term, so it is the one kept in a set of 1. */
    xs_query *q = xs_test_pair(XS_OP_ELITE_SET, "quick", "lazy", 1);
    XS_EXPECT(db, q, 4);
    xs_query_free(q);

    q = xs_test_pair(XS_OP_ELITE_SET, "quick", "lazy", 2);
    XS_EXPECT(db, q, 1, 2, 3, 4, 5);
    xs_query_free(q);
    xs_db_close(db);
}

Test(shim_query, window_is_ignored_for_other_operators)
{
    xs_db *db = xs_test_corpus_db();
    xs_query *q = xs_test_pair(XS_OP_AND, "quick", "fox", 7);
    XS_EXPECT(db, q, 1, 2, 3);
    xs_query_free(q);
    xs_db_close(db);
}

Test(shim_query, null_subqueries_are_skipped)
{
    xs_db *db = xs_test_corpus_db();
    xs_query *subs[4] = {NULL, xs_test_term("quick"), NULL, xs_test_term("brown")};
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_combine(XS_OP_PHRASE, subs, 4, 0, &q));
    XS_EXPECT(db, q, 1); /* the window defaults to the 2 real subqueries */
    xs_query_free(q);

    XS_TEST_OK(xs_query_combine(XS_OP_AND, subs, 4, 0, &q));
    XS_EXPECT(db, q, 1, 2);
    xs_query_free(q);

    xs_query *nulls[2] = {NULL, NULL};
    XS_TEST_OK(xs_query_combine(XS_OP_OR, nulls, 2, 0, &q));
    cr_assert(xs_query_is_empty(q));
    xs_query_free(q);

    XS_TEST_OK(xs_query_combine(XS_OP_AND, NULL, 0, 0, &q));
    cr_assert(xs_query_is_empty(q));
    XS_EXPECT_NONE(db, q);
    xs_query_free(q);

    xs_query_free(subs[1]);
    xs_query_free(subs[3]);
    xs_db_close(db);
}

Test(shim_query, combined_query_outlives_its_parts)
{
    xs_db *db = xs_test_corpus_db();
    xs_query *inner = xs_test_pair(XS_OP_OR, "lazy", "red", 0);
    xs_query *subs[2] = {inner, xs_test_term("fox")};
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_combine(XS_OP_AND, subs, 2, 0, &q));
    xs_query_free(inner);
    xs_query_free(subs[1]);
    XS_EXPECT(db, q, 3);
    xs_query_free(q);
    xs_db_close(db);
}

Test(shim_query, combine_errors)
{
    xs_query *a = xs_test_term("a");
    xs_query *q = XS_TEST_SENTINEL;
    cr_assert_eq(xs_query_combine((xs_query_op)77, &a, 1, 0, &q), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_query_combine((xs_query_op)-1, &a, 1, 0, &q), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_query_combine(XS_OP_AND, NULL, 2, 0, &q), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "subs"));
    cr_assert_eq(xs_query_combine(XS_OP_AND, &a, 1, 0, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(q, XS_TEST_SENTINEL);
    xs_query_free(a);
}

Test(shim_query, scale_multiplies_weight)
{
    xs_db *db = xs_test_corpus_db();
    xs_query *fox = xs_test_term("fox");
    xs_query *scaled = NULL, *zero = NULL;
    XS_TEST_OK(xs_query_scale(fox, 2.5, &scaled));
    XS_TEST_OK(xs_query_scale(fox, 0.0, &zero));
    double base = xs_test_weight(db, fox, 1);
    cr_assert_gt(base, 0);
    cr_assert(fabs(xs_test_weight(db, scaled, 1) - 2.5 * base) < 1e-9);
    XS_EXPECT(db, zero, 1, 2, 3);
    cr_assert_eq(xs_test_weight(db, zero, 1), 0.0);

    xs_query *q = XS_TEST_SENTINEL;
    cr_assert_eq(xs_query_scale(fox, -1.0, &q), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_query_scale(fox, NAN, &q), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_query_scale(fox, INFINITY, &q), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_query_scale(NULL, 1.0, &q), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_query_scale(fox, 1.0, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(q, XS_TEST_SENTINEL);
    xs_query_free(fox);
    xs_query_free(scaled);
    xs_query_free(zero);
    xs_db_close(db);
}

static xs_db *xs_test_field_db(void)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    xs_test_add_text(db, "1", "Zcardiology Zheart");
    xs_test_add_text(db, "2", "Zcardiology");
    xs_test_add_text(db, "3", "Zcardiac");
    xs_test_add_text(db, "4", "Zrenal");
    return db;
}

Test(shim_query, prefix_expands_to_the_terms_of_the_db)
{
    xs_db *db = xs_test_field_db();
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_prefix(db, "Zcardi", 0, 0, &q));
    XS_EXPECT(db, q, 1, 2, 3);
    char *d = xs_query_describe(q);
    cr_assert_not_null(strstr(d, "Zcardiac OR Zcardiology"), "%s", d);
    free(d);
    xs_query_free(q);

    XS_TEST_OK(xs_query_prefix(db, "Zcardi", 0, 1, &q));
    XS_EXPECT(db, q, 1, 2, 3);
    d = xs_query_describe(q);
    cr_assert_not_null(strstr(d, "Zcardiac SYNONYM Zcardiology"), "%s", d);
    free(d);
    xs_query_free(q);

    /* Nothing starts with it: the empty query, which matches nothing, and
     * an AND with it too. */
    XS_TEST_OK(xs_query_prefix(db, "Znothing", 0, 0, &q));
    cr_assert(xs_query_is_empty(q));
    XS_EXPECT_NONE(db, q);
    xs_query *subs[2] = {xs_test_term("Zheart"), q}, *and = NULL;
    XS_TEST_OK(xs_query_combine(XS_OP_AND, subs, 2, 0, &and));
    XS_EXPECT_NONE(db, and);
    xs_query_free(and);
    xs_query_free(subs[0]);
    xs_query_free(q);
    xs_db_close(db);
}

Test(shim_query, prefix_limit_keeps_most_frequent)
{
    xs_db *db = xs_test_field_db();
    xs_test_add_text(db, "5", "Zcardiac Zcardiogram");
    xs_test_add_text(db, "6", "Zcardiogram");
    xs_query *q = NULL;
    /* Three terms on two documents each: the alphabetically first two
     * stay (Zcardiac, Zcardiogram), whatever the order of their entries. */
    XS_TEST_OK(xs_query_prefix(db, "Zcardi", 2, 1, &q));
    XS_EXPECT(db, q, 3, 5, 6);
    xs_query_free(q);

    /* Then the most frequent, Zcardiology (three documents), and of the
     * two behind it, met after it was kept, the alphabetically first. */
    xs_test_add_text(db, "7", "Zcardiology");
    XS_TEST_OK(xs_query_prefix(db, "Zcardi", 1, 0, &q));
    XS_EXPECT(db, q, 1, 2, 7);
    xs_query_free(q);
    XS_TEST_OK(xs_query_prefix(db, "Zcardi", 2, 0, &q));
    XS_EXPECT(db, q, 1, 2, 3, 5, 7);
    xs_query_free(q);

    /* A limit that is not reached keeps every term. */
    XS_TEST_OK(xs_query_prefix(db, "Zcardi", 5, 0, &q));
    XS_EXPECT(db, q, 1, 2, 3, 5, 6, 7);
    xs_query_free(q);

    q = XS_TEST_SENTINEL;
    cr_assert_eq(xs_query_prefix(NULL, "Z", 0, 0, &q), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_query_prefix(db, NULL, 0, 0, &q), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_query_prefix(db, "Z", 0, 0, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(q, XS_TEST_SENTINEL);
    xs_db_close(db);
}

static xs_db *xs_test_value_db(void)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    const char *vals[] = {"apple", "banana", "cherry", NULL};
    for (int i = 0; i < 4; i++) {
        xs_doc *d = NULL;
        XS_TEST_OK(xs_doc_new(&d));
        char uid[16];
        snprintf(uid, sizeof uid, "Q%d", i + 1);
        XS_TEST_OK(xs_doc_add_term(d, uid, 1));
        if (vals[i] != NULL)
            XS_TEST_OK(xs_doc_set_value(d, 0, vals[i], strlen(vals[i])));
        XS_TEST_OK(xs_doc_set_value(d, 1, "other", 5));
        XS_TEST_OK(xs_db_replace_by_term(db, uid, d, NULL, NULL));
        xs_doc_free(d);
    }
    return db;
}

Test(shim_query, value_range)
{
    xs_db *db = xs_test_value_db();
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_value_range(0, "banana", "cherry", &q));
    XS_EXPECT(db, q, 2, 3);
    xs_query_free(q);
    XS_TEST_OK(xs_query_value_range(0, "b", "c", &q));
    XS_EXPECT(db, q, 2);
    xs_query_free(q);
    XS_TEST_OK(xs_query_value_range(0, NULL, "banana", &q));
    XS_EXPECT(db, q, 1, 2);
    xs_query_free(q);
    XS_TEST_OK(xs_query_value_range(0, "banana", NULL, &q));
    XS_EXPECT(db, q, 2, 3);
    xs_query_free(q);
    XS_TEST_OK(xs_query_value_range(0, "cherry", "apple", &q));
    XS_EXPECT_NONE(db, q);
    xs_query_free(q);
    XS_TEST_OK(xs_query_value_range(0, NULL, "", &q));
    XS_EXPECT_NONE(db, q);
    xs_query_free(q);
    XS_TEST_OK(xs_query_value_range(5, NULL, NULL, &q));
    XS_EXPECT_NONE(db, q);
    xs_query_free(q);
    xs_db_close(db);
}

Test(shim_query, value_range_open_ends_skip_valueless_documents)
{
    xs_db *db = xs_test_value_db();
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_value_range(0, NULL, NULL, &q));
    XS_EXPECT(db, q, 1, 2, 3);
    xs_query_free(q);
    XS_TEST_OK(xs_query_value_range(0, "", NULL, &q));
    XS_EXPECT(db, q, 1, 2, 3);
    xs_query_free(q);
    cr_assert_eq(xs_query_value_range(0, "a", "b", NULL), XS_ERR_INVALID_ARGUMENT);
    xs_db_close(db);
}

/* q (consumed) under a budget of max candidates. */
static xs_query *xs_test_budget(xs_query *q, uint32_t max)
{
    xs_query *b = NULL;
    XS_TEST_OK(xs_query_first_candidates(q, max, &b));
    xs_query_free(q);
    return b;
}

/* quick 1 2 3 5, fox 1 2 3, dog 4 5, red 3: a budget leads an AND whose
 * every part matches more documents than it allows. */
Test(shim_query, first_candidates_ends_the_match)
{
    xs_db *db = xs_test_corpus_db();
    xs_query *q = xs_test_budget(xs_test_term("quick"), 2);
    XS_EXPECT(db, q, 1, 2);
    xs_query_free(q);
    q = xs_test_budget(xs_test_pair(XS_OP_OR, "dog", "fox", 0), 1);
    XS_EXPECT(db, q, 1);
    xs_query_free(q);
    q = xs_test_budget(xs_test_pair(XS_OP_AND, "quick", "fox", 0), 1);
    XS_EXPECT(db, q, 1);
    xs_query_free(q);
    /* Leading, the budget counts the documents it steps to, matches or
     * not: document 1 is the one allowed, and the exclusion drops it. */
    q = xs_test_budget(xs_test_pair(XS_OP_AND_NOT, "quick", "fox", 0), 1);
    XS_EXPECT_NONE(db, q);
    xs_query_free(q);
    xs_db_close(db);
}

/* alpha on 1 2 3 5 6, beta on 4 5 6: both together only from 5 on. */
static xs_db *xs_test_late_pair_db(void)
{
    static const char *const text[] = {"alpha", "alpha", "alpha", "beta", "alpha beta",
                                       "alpha beta"};
    return xs_test_texts_db(text, sizeof text / sizeof *text);
}

Test(shim_query, first_candidates_leads_when_every_part_is_common)
{
    xs_db *db = xs_test_late_pair_db();
    /* Both words are on more pages than a budget of one: it leads, is
     * asked about document 1, and ends there, before the matches at 5 and
     * 6 (following, it would have counted the match at 5 and shown it). */
    xs_query *q = xs_test_budget(xs_test_pair(XS_OP_AND, "alpha", "beta", 0), 1);
    XS_EXPECT_NONE(db, q);
    xs_query_free(q);
    /* "beta" (three pages) is within a budget of three: exact. */
    q = xs_test_budget(xs_test_pair(XS_OP_AND, "alpha", "beta", 0), 3);
    XS_EXPECT(db, q, 5, 6);
    xs_query_free(q);
    xs_db_close(db);
}

Test(shim_query, first_candidates_budget_covering_the_database_is_exact)
{
    xs_db *db = xs_test_late_pair_db();
    /* Deleting page 1 leaves five documents and ids up to 6: a budget of
     * five covers the database and must still reach 6, whichever of the
     * two (equal estimates) Xapian lets lead. */
    uint32_t deleted = 0;
    XS_TEST_OK(xs_db_delete_by_term(db, "Q1", &deleted));
    cr_assert_eq(deleted, 1);
    xs_query *all = NULL;
    XS_TEST_OK(xs_query_match_all(&all));
    xs_query *q = xs_test_budget(all, 5);
    XS_EXPECT(db, q, 2, 3, 4, 5, 6);
    xs_query_free(q);
    xs_db_close(db);
}

Test(shim_query, first_candidates_rare_part_answers_exactly)
{
    xs_db *db = xs_test_corpus_db();
    /* "red" matches one document, within a budget of one: it leads, and
     * the quick documents before 3 never reach the budget. */
    xs_query *q = xs_test_budget(xs_test_pair(XS_OP_AND, "quick", "red", 0), 1);
    XS_EXPECT(db, q, 3);
    xs_query_free(q);
    /* "dog" (two documents) leads within a budget of three, which is asked
     * only about dog's documents: the quick ones before 4 cost nothing. */
    q = xs_test_budget(xs_test_pair(XS_OP_AND, "quick", "dog", 0), 3);
    XS_EXPECT(db, q, 5);
    xs_query_free(q);
    /* A budget beyond the matches changes nothing, weights included. */
    xs_query *plain = xs_test_term("quick");
    q = xs_test_budget(xs_test_term("quick"), 10);
    XS_EXPECT(db, q, 1, 2, 3, 5);
    for (uint32_t id = 1; id <= 5; id++)
        cr_assert_float_eq(xs_test_weight(db, q, id), xs_test_weight(db, plain, id), 1e-12,
                           "document %u", id);
    xs_query_free(q);
    xs_query_free(plain);
    xs_db_close(db);
}

Test(shim_query, first_candidates_errors)
{
    xs_query *t = xs_test_term("quick"), *q = NULL;
    cr_assert_eq(xs_query_first_candidates(t, 0, &q), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "max_candidates"));
    cr_assert_eq(xs_query_first_candidates(NULL, 1, &q), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_query_first_candidates(t, 1, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_null(q);
    xs_query_free(t);
}

Test(shim_query, match_all_and_none)
{
    xs_db *db = xs_test_corpus_db();
    xs_query *all = NULL, *none = NULL;
    XS_TEST_OK(xs_query_match_all(&all));
    XS_TEST_OK(xs_query_match_none(&none));
    XS_EXPECT(db, all, 1, 2, 3, 4, 5);
    XS_EXPECT_NONE(db, none);
    cr_assert_not(xs_query_is_empty(all));
    cr_assert(xs_query_is_empty(none));
    cr_assert(xs_query_is_empty(NULL));
    cr_assert_eq(xs_query_match_all(NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_query_match_none(NULL), XS_ERR_INVALID_ARGUMENT);
    xs_query_free(all);
    xs_query_free(none);
    xs_query_free(NULL);
    xs_db_close(db);
}

Test(shim_query, describe_null)
{
    cr_assert_null(xs_query_describe(NULL));
    cr_assert_not_null(strstr(xs_last_error(), "xs_query_describe"));
}
