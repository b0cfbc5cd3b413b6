/* Unit tests for xs_query_serialise: Xapian's bytes for a query, which
 * bench/peers/xapian_raw.cc reads back with Xapian::Query::unserialise.
 * Equal queries built separately must give equal bytes, and any difference
 * that changes what a query matches or how it weighs must change them. */
#include "test_shim_util.h"

#include <stdlib.h>

typedef struct xs_test_bytes {
    char *p;
    size_t n;
} xs_test_bytes;

static xs_test_bytes xs_test_serialise(xs_query *q)
{
    xs_test_bytes b = {NULL, (size_t)-1};
    XS_TEST_OK(xs_query_serialise(q, &b.p, &b.n));
    cr_assert_not_null(b.p);
    cr_assert_neq(b.n, (size_t)-1);
    cr_assert_eq(b.p[b.n], '\0', "the bytes are followed by a NUL");
    xs_query_free(q);
    return b;
}

static int xs_test_same(xs_test_bytes a, xs_test_bytes b)
{
    int same = a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
    free(a.p);
    free(b.p);
    return same;
}

static xs_query *xs_test_term(const char *t, uint32_t wqf, uint32_t pos)
{
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_term(t, wqf, pos, &q));
    return q;
}

/* op(a, b), with the parts freed. */
static xs_query *xs_test_pair(xs_query_op op, const char *a, const char *b, uint32_t window)
{
    xs_query *subs[2] = {xs_test_term(a, 1, 0), xs_test_term(b, 1, 0)};
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_combine(op, subs, 2, window, &q));
    xs_query_free(subs[0]);
    xs_query_free(subs[1]);
    return q;
}

static xs_query *xs_test_scaled(xs_query *q, double factor)
{
    xs_query *s = NULL;
    XS_TEST_OK(xs_query_scale(q, factor, &s));
    xs_query_free(q);
    return s;
}

/* Something shaped like what procsearch builds: a scaled OR of terms, a
 * phrase filter and a prefix's synonym. */
static xs_query *xs_test_complex(const char *word)
{
    xs_query *wild = xs_test_pair(XS_OP_SYNONYM, "Zcardiology", "Zcardiogram", 0);
    xs_query *parts[3] = {xs_test_scaled(xs_test_term(word, 1, 1), 0.5),
                          xs_test_pair(XS_OP_PHRASE, "lumbar", "puncture", 0), wild};
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_combine(XS_OP_OR, parts, 3, 0, &q));
    for (size_t i = 0; i < 3; i++)
        xs_query_free(parts[i]);
    return q;
}

Test(shim_serialise, equal_queries_give_equal_bytes)
{
    cr_assert(xs_test_same(xs_test_serialise(xs_test_term("Zfox", 1, 0)),
                           xs_test_serialise(xs_test_term("Zfox", 1, 0))));
    cr_assert(xs_test_same(xs_test_serialise(xs_test_pair(XS_OP_AND, "a", "b", 0)),
                           xs_test_serialise(xs_test_pair(XS_OP_AND, "a", "b", 0))));
    cr_assert(xs_test_same(xs_test_serialise(xs_test_complex("Zspinal")),
                           xs_test_serialise(xs_test_complex("Zspinal"))));
}

Test(shim_serialise, serialising_twice_gives_the_same_bytes)
{
    xs_query *q = xs_test_complex("Zspinal");
    xs_test_bytes a = {NULL, 0}, b = {NULL, 0};
    XS_TEST_OK(xs_query_serialise(q, &a.p, &a.n));
    XS_TEST_OK(xs_query_serialise(q, &b.p, &b.n));
    cr_assert(xs_test_same(a, b));
    xs_query_free(q);
}

Test(shim_serialise, different_queries_give_different_bytes)
{
    /* term text, wqf, position */
    cr_assert_not(xs_test_same(xs_test_serialise(xs_test_term("Zfox", 1, 0)),
                               xs_test_serialise(xs_test_term("Zdog", 1, 0))));
    cr_assert_not(xs_test_same(xs_test_serialise(xs_test_term("Zfox", 1, 0)),
                               xs_test_serialise(xs_test_term("Zfox", 2, 0))));
    cr_assert_not(xs_test_same(xs_test_serialise(xs_test_term("Zfox", 1, 0)),
                               xs_test_serialise(xs_test_term("Zfox", 1, 4))));
    /* operator, window, weight factor */
    cr_assert_not(xs_test_same(xs_test_serialise(xs_test_pair(XS_OP_AND, "a", "b", 0)),
                               xs_test_serialise(xs_test_pair(XS_OP_OR, "a", "b", 0))));
    cr_assert_not(xs_test_same(xs_test_serialise(xs_test_pair(XS_OP_AND, "a", "b", 0)),
                               xs_test_serialise(xs_test_pair(XS_OP_AND, "b", "a", 0))));
    cr_assert_not(xs_test_same(xs_test_serialise(xs_test_pair(XS_OP_NEAR, "a", "b", 2)),
                               xs_test_serialise(xs_test_pair(XS_OP_NEAR, "a", "b", 5))));
    cr_assert_not(
        xs_test_same(xs_test_serialise(xs_test_scaled(xs_test_term("Zfox", 1, 0), 0.5)),
                     xs_test_serialise(xs_test_scaled(xs_test_term("Zfox", 1, 0), 0.75))));
    cr_assert_not(xs_test_same(xs_test_serialise(xs_test_complex("Zspinal")),
                               xs_test_serialise(xs_test_complex("Zspine"))));
}

Test(shim_serialise, empty_query_is_no_bytes)
{
    xs_query *q = NULL;
    XS_TEST_OK(xs_query_match_none(&q));
    xs_test_bytes b = xs_test_serialise(q);
    cr_assert_eq(b.n, 0);
    free(b.p);

    XS_TEST_OK(xs_query_match_all(&q));
    b = xs_test_serialise(q);
    cr_assert_gt(b.n, 0, "match-all is not the empty query");
    free(b.p);
}

Test(shim_serialise, bad_arguments)
{
    xs_query *q = xs_test_term("Zfox", 1, 0);
    char *out = XS_TEST_SENTINEL;
    size_t len = 12345;
    cr_assert_eq(xs_query_serialise(NULL, &out, &len), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(out, XS_TEST_SENTINEL, "out-param untouched on failure");
    cr_assert_eq(len, 12345);
    cr_assert_not_null(strstr(xs_last_error(), "xs_query_serialise"), "%s", xs_last_error());
    cr_assert_eq(xs_query_serialise(q, NULL, &len), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_query_serialise(q, &out, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(out, XS_TEST_SENTINEL);
    xs_query_free(q);
}
