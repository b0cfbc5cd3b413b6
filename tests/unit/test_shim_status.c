/* Unit tests for the shim's error reporting: xs_last_error, xs_status_name,
 * xs_xapian_version, and the mapping of exceptions to statuses. */
#include "test_shim_util.h"

#include <pthread.h>
#include <xapian/version.h>

Test(shim_status, last_error_is_empty_before_any_failure)
{
    /* Criterion runs each test in a fresh process, so nothing failed yet. */
    cr_assert_str_eq(xs_last_error(), "");
}

Test(shim_status, last_error_names_function_and_parameter)
{
    xs_db *db = XS_TEST_SENTINEL;
    cr_assert_eq(xs_db_open(NULL, XS_DB_READ, &db), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(db, XS_TEST_SENTINEL, "out-param written on failure");
    cr_assert_not_null(strstr(xs_last_error(), "xs_db_open"), "got '%s'", xs_last_error());
    cr_assert_not_null(strstr(xs_last_error(), "path"), "got '%s'", xs_last_error());
}

Test(shim_status, last_error_holds_xapian_description)
{
    xs_stem *s = XS_TEST_SENTINEL;
    cr_assert_eq(xs_stem_new("klingon", &s), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(s, XS_TEST_SENTINEL);
    cr_assert_not_null(strstr(xs_last_error(), "klingon"), "got '%s'", xs_last_error());
}

Test(shim_status, last_error_follows_the_latest_failure)
{
    xs_query *q = NULL;
    cr_assert_eq(xs_query_term(NULL, 1, 0, &q), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "term"));
    cr_assert_eq(xs_query_combine((xs_query_op)99, NULL, 0, 0, &q), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "operator"), "got '%s'", xs_last_error());
    cr_assert_null(strstr(xs_last_error(), "'term'"));
}

static void *xs_test_fail_in_thread(void *arg)
{
    (void)arg;
    xs_stem *s = NULL;
    xs_stem_new("klingon", &s);
    return NULL;
}

Test(shim_status, last_error_is_per_thread)
{
    xs_db *db = NULL;
    cr_assert_eq(xs_db_open("/nonexistent/xs_shim/db", XS_DB_READ, &db), XS_ERR_NOT_FOUND);
    char mine[512];
    snprintf(mine, sizeof mine, "%s", xs_last_error());
    cr_assert_neq(mine[0], '\0');

    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, xs_test_fail_in_thread, NULL), 0);
    pthread_join(t, NULL);
    cr_assert_str_eq(xs_last_error(), mine, "another thread's failure leaked in");
}

Test(shim_status, status_names)
{
    cr_assert_str_eq(xs_status_name(XS_OK), "XS_OK");
    cr_assert_str_eq(xs_status_name(XS_ERR_NOMEM), "XS_ERR_NOMEM");
    cr_assert_str_eq(xs_status_name(XS_ERR_INVALID_ARGUMENT), "XS_ERR_INVALID_ARGUMENT");
    cr_assert_str_eq(xs_status_name(XS_ERR_INVALID_OPERATION), "XS_ERR_INVALID_OPERATION");
    cr_assert_str_eq(xs_status_name(XS_ERR_NOT_FOUND), "XS_ERR_NOT_FOUND");
    cr_assert_str_eq(xs_status_name(XS_ERR_DATABASE_LOCKED), "XS_ERR_DATABASE_LOCKED");
    cr_assert_str_eq(xs_status_name(XS_ERR_DATABASE_OPENING), "XS_ERR_DATABASE_OPENING");
    cr_assert_str_eq(xs_status_name(XS_ERR_DATABASE_CORRUPT), "XS_ERR_DATABASE_CORRUPT");
    cr_assert_str_eq(xs_status_name(XS_ERR_DATABASE_MODIFIED), "XS_ERR_DATABASE_MODIFIED");
    cr_assert_str_eq(xs_status_name(XS_ERR_XAPIAN), "XS_ERR_XAPIAN");
    cr_assert_str_eq(xs_status_name(XS_ERR_UNKNOWN), "XS_ERR_UNKNOWN");
}

Test(shim_status, status_name_of_garbage_is_printable)
{
    const char *n = xs_status_name((xs_status)1234);
    cr_assert_not_null(n);
    cr_assert_not_null(strstr(n, "invalid"), "got '%s'", n);
}

Test(shim_status, xapian_version_is_the_one_built_against)
{
    cr_assert_str_eq(xs_xapian_version(), XAPIAN_VERSION);
    int major = -1, minor = -1, rev = -1;
    cr_assert_eq(sscanf(xs_xapian_version(), "%d.%d.%d", &major, &minor, &rev), 3);
    cr_assert_eq(major, 1);
    cr_assert_geq(minor, 4);
}
