/*
 * test_speller.c - "did you mean" (query/speller.h): one edit first, then
 * two edits among words of the same initial, the most frequent winning,
 * and no correction for a word the table has.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "query/speller.h"
#include "test_shim_util.h"

TestSuite(speller, .init = xs_test_setup, .fini = xs_test_teardown);

static xs_db *table(void) {
    xs_db *db = xs_test_open(xs_test_path("db"), XS_DB_CREATE_OR_OPEN);
    static const struct {
        const char *word;
        uint32_t freq;
    } words[] = {{"hysterectomy", 40}, {"hysteroscopy", 12}, {"colonoscopy", 30},
                 {"colectomy", 5},     {"discography", 9},   {"discogram", 3},
                 {"thrombectomy", 7},  {"tonsillectomy", 8}, {"tests", 50},
                 {"twins", 2},         {"test", 3}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        XS_TEST_OK(xs_db_add_spelling(db, words[i].word, words[i].freq));
    XS_TEST_OK(xs_db_commit(db));
    return db;
}

static char *correct(xs_db *db, const char *word) {
    char *out = NULL;
    ps_err err = {0};
    cr_assert_eq(ps_spell_correct(db, word, strlen(word), 2, &out, &err), 0, "%s", err.msg);
    return out;
}

static void expect(xs_db *db, const char *word, const char *want) {
    char *got = correct(db, word);
    if (want)
        cr_expect(got && strcmp(got, want) == 0, "%s: got %s, want %s", word, got ? got : "none",
                  want);
    else
        cr_expect_null(got, "%s: got %s, want none", word, got);
    free(got);
}

Test(speller, one_edit_of_each_kind) {
    xs_db *db = table();
    expect(db, "hysterecomy", "hysterectomy");  /* a letter dropped */
    expect(db, "hysterecttomy", "hysterectomy"); /* a letter added */
    expect(db, "hysterectomi", "hysterectomy");  /* a letter changed */
    expect(db, "hystreectomy", "hysterectomy");  /* two swapped */
    expect(db, "ysterectomy", "hysterectomy");   /* even the first letter */
    xs_db_close(db);
}

Test(speller, two_edits_keep_the_initial) {
    xs_db *db = table();
    expect(db, "tnsilllectomy", "tonsillectomy");
    expect(db, "trhomnectomy", "thrombectomy");
    expect(db, "ysterectomyy", NULL); /* two edits, one of them the first letter */
    expect(db, "xxxxxxxx", NULL);
    xs_db_close(db);
}

Test(speller, fewest_edits_then_most_frequent) {
    xs_db *db = table();
    expect(db, "tesst", "tests"); /* "test" and "tests" are one edit away: the more frequent */
    expect(db, "twtss", "tests"); /* two edits from "tests" and "twins" */
    expect(db, "discogrphy", "discography");
    xs_db_close(db);
}

Test(speller, known_and_unusual_words_stay) {
    xs_db *db = table();
    expect(db, "colectomy", NULL); /* in the table */
    expect(db, "colonoscopé", NULL); /* not plain a-z: left alone */
    char *out = (char *)1;
    ps_err err = {0};
    cr_expect_eq(ps_spell_correct(db, "", 0, 2, &out, &err), 0);
    cr_expect_null(out);
    xs_db_close(db);
}

/* An empty table, or one edit allowed only. */
Test(speller, limits) {
    xs_db *db = xs_test_open(xs_test_path("empty"), XS_DB_CREATE_OR_OPEN);
    expect(db, "hysterectomy", NULL);
    xs_db_close(db);
    db = table();
    char *out = NULL;
    ps_err err = {0};
    cr_expect_eq(ps_spell_correct(db, "tnsilllectomy", 13, 1, &out, &err), 0);
    cr_expect_null(out, "two edits away with a limit of one");
    xs_db_close(db);
}
