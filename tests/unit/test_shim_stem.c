/* Unit tests for the Snowball stemmers. */
#include "test_shim_util.h"

static void xs_test_stem_is(xs_stem *s, const char *word, const char *want)
{
    char buf[64];
    size_t len = 0;
    XS_TEST_OK(xs_stem_word(s, word, strlen(word), buf, sizeof buf, &len));
    cr_assert_str_eq(buf, want, "stem of %s", word);
    cr_assert_eq(len, strlen(want));
}

Test(shim_stem, english)
{
    xs_stem *s = NULL;
    XS_TEST_OK(xs_stem_new("english", &s));
    xs_test_stem_is(s, "running", "run");
    xs_test_stem_is(s, "connections", "connect");
    xs_test_stem_is(s, "discographies", "discographi");
    xs_test_stem_is(s, "", "");
    xs_stem_free(s);
    xs_stem_free(NULL);
}

Test(shim_stem, language_code_alias)
{
    xs_stem *s = NULL;
    XS_TEST_OK(xs_stem_new("en", &s));
    xs_test_stem_is(s, "hearts", "heart");
    xs_stem_free(s);
    XS_TEST_OK(xs_stem_new("french", &s));
    xs_test_stem_is(s, "continuellement", "continuel");
    xs_stem_free(s);
}

Test(shim_stem, none_leaves_words_alone)
{
    xs_stem *s = NULL;
    XS_TEST_OK(xs_stem_new("none", &s));
    xs_test_stem_is(s, "running", "running");
    xs_stem_free(s);
}

Test(shim_stem, unknown_language_is_invalid)
{
    xs_stem *s = XS_TEST_SENTINEL;
    cr_assert_eq(xs_stem_new("klingon", &s), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(s, XS_TEST_SENTINEL);
    cr_assert_eq(xs_stem_new(NULL, &s), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_stem_new("english", NULL), XS_ERR_INVALID_ARGUMENT);
}

Test(shim_stem, only_len_bytes_are_read)
{
    xs_stem *s = NULL;
    XS_TEST_OK(xs_stem_new("english", &s));
    char buf[32];
    size_t len = 0;
    /* "runningXYZ" cut at 7 is "running". */
    XS_TEST_OK(xs_stem_word(s, "runningXYZ", 7, buf, sizeof buf, &len));
    cr_assert_str_eq(buf, "run");
    cr_assert_eq(len, 3);
    xs_stem_free(s);
}

Test(shim_stem, reuse_across_lengths)
{
    /* The handle's input buffer is reused: a long word then a short one
     * must not leave anything behind. */
    xs_stem *s = NULL;
    XS_TEST_OK(xs_stem_new("english", &s));
    xs_test_stem_is(s, "internationalizations", "internation");
    xs_test_stem_is(s, "cats", "cat");
    xs_stem_free(s);
}

Test(shim_stem, truncation_reports_the_full_length)
{
    xs_stem *s = NULL;
    XS_TEST_OK(xs_stem_new("english", &s));
    char buf[4];
    size_t len = 0;
    cr_assert_eq(xs_stem_word(s, "connections", 11, buf, sizeof buf, &len),
                 XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(len, 7, "stem length must be reported");
    cr_assert_str_eq(buf, "con", "truncated and NUL-terminated");

    /* Exactly len == cap is still a truncation: no room for the NUL. */
    char exact[7];
    cr_assert_eq(xs_stem_word(s, "connections", 11, exact, sizeof exact, &len),
                 XS_ERR_INVALID_ARGUMENT);
    cr_assert_str_eq(exact, "connec");
    char fits[8];
    XS_TEST_OK(xs_stem_word(s, "connections", 11, fits, sizeof fits, &len));
    cr_assert_str_eq(fits, "connect");

    /* cap 0 with no buffer asks only for the length. */
    len = 0;
    cr_assert_eq(xs_stem_word(s, "connections", 11, NULL, 0, &len), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(len, 7);
    xs_stem_free(s);
}

Test(shim_stem, null_arguments)
{
    xs_stem *s = NULL;
    XS_TEST_OK(xs_stem_new("english", &s));
    char buf[16] = "untouched";
    size_t len = 99;
    cr_assert_eq(xs_stem_word(NULL, "a", 1, buf, sizeof buf, &len), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_stem_word(s, NULL, 1, buf, sizeof buf, &len), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_stem_word(s, "a", 1, NULL, 4, &len), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "buf"));
    cr_assert_eq(xs_stem_word(s, "a", 1, buf, sizeof buf, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_str_eq(buf, "untouched");
    cr_assert_eq(len, 99);
    xs_stem_free(s);
}
