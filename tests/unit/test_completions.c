/*
 * test_completions.c - stored completions of short prefixes
 * (indexer/completions.h): the most frequent words, stopwords skipped, and
 * which prefixes fall back to a scan.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "indexer/completions.h"
#include "test_shim_util.h"

TestSuite(completions, .init = xs_test_setup, .fini = xs_test_teardown);

static xs_db *stored(void) {
    xs_db *db = xs_test_open(xs_test_path("db"), XS_DB_CREATE_OR_OPEN);
    static const struct {
        const char *w;
        uint32_t f;
    } words[] = {{"therapy", 50}, {"the", 900},      {"thyroid", 30}, {"thoracic", 40},
                 {"thumb", 5},    {"thrombosis", 20}, {"theta", 1},   {"thigh", 12},
                 {"cast", 3},     {"café", 7}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        XS_TEST_OK(xs_db_add_spelling(db, words[i].w, words[i].f));
    ps_err err = {0};
    cr_assert_eq(ps_completions_store(db, "db", &err), 0, "%s", err.msg);
    XS_TEST_OK(xs_db_commit(db));
    return db;
}

Test(completions, most_frequent_first_without_stopwords) {
    xs_db *db = stored();
    ps_completion c[PS_COMPLETE_TOP];
    size_t n = 0;
    ps_err err = {0};
    cr_assert_eq(ps_completions_load(db, "th", c, &n, &err), 1, "%s", err.msg);
    cr_assert_eq(n, PS_COMPLETE_TOP);
    const char *want[] = {"therapy", "thoracic", "thyroid", "thrombosis", "thigh"};
    for (size_t i = 0; i < n; i++)
        cr_expect_str_eq(c[i].word, want[i]);
    cr_expect_eq(c[0].freq, 50);
    cr_assert_eq(ps_completions_load(db, "thy", c, &n, &err), 1);
    cr_expect_eq(n, 1);
    cr_expect_str_eq(c[0].word, "thyroid");
    xs_db_close(db);
}

Test(completions, other_prefixes_are_scanned) {
    xs_db *db = stored();
    ps_completion c[PS_COMPLETE_TOP];
    size_t n = 0;
    ps_err err = {0};
    cr_expect_eq(ps_completions_load(db, "ther", c, &n, &err), 0, "longer than stored");
    cr_expect_eq(ps_completions_load(db, "", c, &n, &err), 0);
    cr_expect_eq(ps_completions_load(db, "ca\xc3", c, &n, &err), 0, "not a-z");
    cr_expect_eq(ps_completions_load(db, "zz", c, &n, &err), 0, "no word has it");
    cr_expect_eq(n, 0);
    xs_db_close(db);
}
