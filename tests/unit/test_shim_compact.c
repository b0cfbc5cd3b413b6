/* Unit tests for xs_db_compact. */
#include "test_shim_util.h"

TestSuite(shim_compact, .init = xs_test_setup, .fini = xs_test_teardown);

static void xs_test_make_shard(const char *path, const char *tag, int ndocs)
{
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OVERWRITE);
    for (int i = 0; i < ndocs; i++) {
        char uid[32], text[64];
        snprintf(uid, sizeof uid, "%s%d", tag, i);
        snprintf(text, sizeof text, "common %s", tag);
        xs_test_add_text(w, uid, text);
    }
    XS_TEST_OK(xs_db_close(w));
}

Test(shim_compact, two_shards_give_the_sum)
{
    char a[256], b[256], out[256];
    snprintf(a, sizeof a, "%s", xs_test_path("a"));
    snprintf(b, sizeof b, "%s", xs_test_path("b"));
    snprintf(out, sizeof out, "%s", xs_test_path("out"));
    xs_test_make_shard(a, "left", 3);
    xs_test_make_shard(b, "right", 4);

    const char *srcs[] = {a, b};
    XS_TEST_OK(xs_db_compact(srcs, 2, out));

    xs_db *r = xs_test_open(out, XS_DB_READ);
    cr_assert_eq(xs_db_doccount(r), 7);
    cr_assert_eq(xs_db_lastdocid(r), 7, "docids renumbered into one sequence");
    cr_assert_eq(xs_db_termfreq(r, "common"), 7);
    cr_assert_eq(xs_db_termfreq(r, "left"), 3);
    cr_assert_eq(xs_db_termfreq(r, "right"), 4);
    uint32_t id = 0;
    XS_TEST_OK(xs_db_find_by_term(r, "Qright0", &id));
    cr_assert_eq(id, 4);
    xs_db_close(r);
}

Test(shim_compact, single_source)
{
    char a[256], out[256];
    snprintf(a, sizeof a, "%s", xs_test_path("a"));
    snprintf(out, sizeof out, "%s", xs_test_path("out"));
    xs_test_make_shard(a, "only", 5);
    const char *srcs[] = {a};
    XS_TEST_OK(xs_db_compact(srcs, 1, out));
    xs_db *r = xs_test_open(out, XS_DB_READ);
    cr_assert_eq(xs_db_doccount(r), 5);
    xs_db_close(r);
}

Test(shim_compact, errors)
{
    char a[256], out[256];
    snprintf(a, sizeof a, "%s", xs_test_path("a"));
    snprintf(out, sizeof out, "%s", xs_test_path("out"));
    xs_test_make_shard(a, "x", 1);

    const char *missing[] = {a, xs_test_path("missing")};
    cr_assert_eq(xs_db_compact(missing, 2, out), XS_ERR_NOT_FOUND);

    const char *with_null[] = {a, NULL};
    cr_assert_eq(xs_db_compact(with_null, 2, out), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "sources"));

    const char *srcs[] = {a};
    cr_assert_eq(xs_db_compact(srcs, 0, out), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_compact(NULL, 1, out), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_compact(srcs, 1, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "dest"));
    cr_assert_eq(xs_db_compact(srcs, 1, a), XS_ERR_INVALID_ARGUMENT, "dest is a source");

    xs_db *r = NULL;
    cr_assert_eq(xs_db_open(out, XS_DB_READ, &r), XS_ERR_NOT_FOUND, "no output on failure");
}
