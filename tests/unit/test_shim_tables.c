/* Unit tests for user metadata, the spelling table and the synonym table. */
#include "test_shim_util.h"

#include <stdlib.h>

TestSuite(shim_tables, .init = xs_test_setup, .fini = xs_test_teardown);

Test(shim_tables, metadata_round_trip)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    static const char blob[] = {'x', '\0', 'y'};
    XS_TEST_OK(xs_db_set_metadata(w, "schema", "3", 1));
    XS_TEST_OK(xs_db_set_metadata(w, "blob", blob, sizeof blob));
    XS_TEST_OK(xs_db_commit(w));

    xs_db *r = xs_test_open(path, XS_DB_READ);
    char *v = NULL;
    size_t len = 0;
    XS_TEST_OK(xs_db_get_metadata(r, "schema", &v, &len));
    cr_assert_eq(len, 1);
    cr_assert_str_eq(v, "3");
    free(v);
    XS_TEST_OK(xs_db_get_metadata(r, "blob", &v, &len));
    cr_assert_eq(len, 3);
    cr_assert_eq(memcmp(v, blob, 3), 0);
    cr_assert_eq(v[3], '\0', "value must be NUL-terminated");
    free(v);
    XS_TEST_OK(xs_db_get_metadata(r, "schema", &v, NULL)); /* len may be NULL */
    cr_assert_str_eq(v, "3");
    free(v);
    xs_db_close(r);
    xs_db_close(w);
}

Test(shim_tables, missing_key_is_empty_and_empty_value_deletes)
{
    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    char *v = NULL;
    size_t len = 9;
    XS_TEST_OK(xs_db_get_metadata(db, "nope", &v, &len));
    cr_assert_not_null(v);
    cr_assert_str_eq(v, "");
    cr_assert_eq(len, 0);
    free(v);

    XS_TEST_OK(xs_db_set_metadata(db, "k", "value", 5));
    XS_TEST_OK(xs_db_set_metadata(db, "k", NULL, 0));
    XS_TEST_OK(xs_db_get_metadata(db, "k", &v, &len));
    cr_assert_eq(len, 0);
    free(v);
    xs_db_close(db);
}

Test(shim_tables, metadata_errors)
{
    const char *path = xs_test_path("db");
    xs_db_close(xs_test_open(path, XS_DB_CREATE_OR_OPEN));
    xs_db *r = xs_test_open(path, XS_DB_READ);
    cr_assert_eq(xs_db_set_metadata(r, "k", "v", 1), XS_ERR_INVALID_OPERATION);
    xs_db_close(r);

    xs_db *db = xs_test_open(NULL, XS_DB_INMEMORY);
    char *v = XS_TEST_SENTINEL;
    size_t len = 4;
    cr_assert_eq(xs_db_set_metadata(db, "", "v", 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_set_metadata(NULL, "k", "v", 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_set_metadata(db, NULL, "v", 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_set_metadata(db, "k", NULL, 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_get_metadata(NULL, "k", &v, &len), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_get_metadata(db, NULL, &v, &len), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_get_metadata(db, "k", NULL, &len), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(v, XS_TEST_SENTINEL);
    cr_assert_eq(len, 4);
    xs_db_close(db);
}

Test(shim_tables, spelling_suggestion)
{
    xs_db *w = xs_test_open(xs_test_path("db"), XS_DB_CREATE_OR_OPEN);
    XS_TEST_OK(xs_db_add_spelling(w, "discography", 1));
    XS_TEST_OK(xs_db_add_spelling(w, "cardiology", 3));
    char *s = NULL;
    XS_TEST_OK(xs_db_spelling_suggestion(w, "discografy", 2, &s));
    cr_assert_not_null(s);
    cr_assert_str_eq(s, "discography");
    free(s);

    /* "f" -> "ph" is two edits, so a limit of one finds nothing. */
    s = XS_TEST_SENTINEL;
    XS_TEST_OK(xs_db_spelling_suggestion(w, "discografy", 1, &s));
    cr_assert_null(s);
    XS_TEST_OK(xs_db_spelling_suggestion(w, "zzzzzzzz", 2, &s));
    cr_assert_null(s);
    xs_db_close(w);
}

typedef struct {
    char words[8][32];
    uint32_t freq[8];
    size_t n;
} spelled;

static int on_spelled(const char *word, size_t len, uint32_t freq, void *ctx)
{
    spelled *s = ctx;
    cr_assert_lt(s->n, 8);
    cr_assert_lt(len, 32);
    memcpy(s->words[s->n], word, len);
    s->words[s->n][len] = '\0';
    s->freq[s->n++] = freq;
    return 0;
}

/* The words of a prefix, in byte order, and nothing past the prefix. */
Test(shim_tables, spelling_words_by_prefix)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    XS_TEST_OK(xs_db_add_spelling(w, "discogram", 2));
    XS_TEST_OK(xs_db_add_spelling(w, "discography", 5));
    XS_TEST_OK(xs_db_add_spelling(w, "disc", 1));
    XS_TEST_OK(xs_db_add_spelling(w, "dis", 1));
    XS_TEST_OK(xs_db_add_spelling(w, "diskette", 1));
    XS_TEST_OK(xs_db_add_spelling(w, "cardiology", 3));
    XS_TEST_OK(xs_db_close(w));
    xs_db *r = xs_test_open(path, XS_DB_READ);
    spelled s = {0};
    XS_TEST_OK(xs_db_spelling_words(r, "disc", on_spelled, &s));
    cr_assert_eq(s.n, 3);
    cr_expect_str_eq(s.words[0], "disc");
    cr_expect_str_eq(s.words[1], "discogram");
    cr_expect_str_eq(s.words[2], "discography");
    cr_expect_eq(s.freq[2], 5);
    s.n = 0;
    XS_TEST_OK(xs_db_spelling_words(r, "zz", on_spelled, &s));
    cr_expect_eq(s.n, 0);
    XS_TEST_OK(xs_db_spelling_words(r, "", on_spelled, &s));
    cr_expect_eq(s.n, 6);
    xs_db_close(r);
}

Test(shim_tables, spelling_most_frequent_of_a_list)
{
    xs_db *w = xs_test_open(xs_test_path("db"), XS_DB_CREATE_OR_OPEN);
    XS_TEST_OK(xs_db_add_spelling(w, "tests", 5));
    XS_TEST_OK(xs_db_add_spelling(w, "test", 2));
    XS_TEST_OK(xs_db_add_spelling(w, "twins", 5));
    const char *words[] = {"zzz", "twins", "test", "tests", "aaa"};
    size_t best = 99;
    uint32_t freq = 99;
    XS_TEST_OK(xs_db_spelling_most_frequent(w, words, 5, &best, &freq));
    cr_expect_eq(freq, 5);
    cr_expect_eq(best, 1, "the first of equals in the caller's order");
    const char *none[] = {"zzz", "aaa"};
    XS_TEST_OK(xs_db_spelling_most_frequent(w, none, 2, &best, &freq));
    cr_expect_eq(freq, 0);
    XS_TEST_OK(xs_db_spelling_most_frequent(w, NULL, 0, &best, &freq));
    cr_expect_eq(freq, 0);
    cr_expect_eq(xs_db_spelling_most_frequent(w, NULL, 1, &best, &freq), XS_ERR_INVALID_ARGUMENT);
    xs_db_close(w);
}

Test(shim_tables, spelling_survives_commit)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    XS_TEST_OK(xs_db_add_spelling(w, "cardiology", 1));
    XS_TEST_OK(xs_db_close(w));
    xs_db *r = xs_test_open(path, XS_DB_READ);
    char *s = NULL;
    XS_TEST_OK(xs_db_spelling_suggestion(r, "cardiolgy", 2, &s));
    cr_assert_str_eq(s, "cardiology");
    free(s);
    xs_db_close(r);
}

Test(shim_tables, spelling_errors)
{
    xs_db *m = xs_test_open(NULL, XS_DB_INMEMORY);
    cr_assert_eq(xs_db_add_spelling(m, "word", 1), XS_ERR_XAPIAN, "InMemory has no spelling");
    cr_assert_eq(xs_db_add_spelling(NULL, "word", 1), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_add_spelling(m, NULL, 1), XS_ERR_INVALID_ARGUMENT);
    char *s = XS_TEST_SENTINEL;
    cr_assert_eq(xs_db_spelling_suggestion(NULL, "w", 2, &s), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_spelling_suggestion(m, NULL, 2, &s), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_spelling_suggestion(m, "w", 2, NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(s, XS_TEST_SENTINEL);
    xs_db_close(m);

    const char *path = xs_test_path("db");
    xs_db_close(xs_test_open(path, XS_DB_CREATE_OR_OPEN));
    xs_db *r = xs_test_open(path, XS_DB_READ);
    cr_assert_eq(xs_db_add_spelling(r, "word", 1), XS_ERR_INVALID_OPERATION);
    xs_db_close(r);
}

Test(shim_tables, synonyms_round_trip)
{
    const char *path = xs_test_path("db");
    xs_db *w = xs_test_open(path, XS_DB_CREATE_OR_OPEN);
    XS_TEST_OK(xs_db_add_synonym(w, "heart", "cardiac"));
    XS_TEST_OK(xs_db_add_synonym(w, "heart", "cardio"));
    XS_TEST_OK(xs_db_add_synonym(w, "heart attack", "infarction"));
    XS_TEST_OK(xs_db_add_synonym(w, "kidney", "renal"));
    XS_TEST_OK(xs_db_close(w));

    xs_db *r = xs_test_open(path, XS_DB_READ);
    xs_test_terms t = {0};
    XS_TEST_OK(xs_db_synonyms(r, "heart", xs_test_collect, &t));
    cr_assert_eq(t.n, 2);
    cr_assert_str_eq(t.term[0], "cardiac");
    cr_assert_str_eq(t.term[1], "cardio");
    cr_assert_eq(t.freq[0], 0);

    xs_test_terms multi = {0};
    XS_TEST_OK(xs_db_synonyms(r, "heart attack", xs_test_collect, &multi));
    cr_assert_eq(multi.n, 1);
    cr_assert_str_eq(multi.term[0], "infarction");

    xs_test_terms keys = {0};
    XS_TEST_OK(xs_db_synonym_keys(r, "he", xs_test_collect, &keys));
    cr_assert_eq(keys.n, 2);
    cr_assert_str_eq(keys.term[0], "heart");
    cr_assert_str_eq(keys.term[1], "heart attack");

    xs_test_terms all = {0};
    XS_TEST_OK(xs_db_synonym_keys(r, "", xs_test_collect, &all));
    cr_assert_eq(all.n, 3);

    xs_test_terms one = {.stop_after = 1};
    XS_TEST_OK(xs_db_synonyms(r, "heart", xs_test_collect, &one));
    cr_assert_eq(one.n, 1);

    xs_test_terms none = {0};
    XS_TEST_OK(xs_db_synonyms(r, "lung", xs_test_collect, &none));
    cr_assert_eq(none.n, 0);
    xs_db_close(r);
}

Test(shim_tables, clear_synonyms)
{
    xs_db *w = xs_test_open(xs_test_path("db"), XS_DB_CREATE_OR_OPEN);
    XS_TEST_OK(xs_db_add_synonym(w, "heart", "cardiac"));
    XS_TEST_OK(xs_db_add_synonym(w, "kidney", "renal"));
    XS_TEST_OK(xs_db_clear_synonyms(w, "heart"));
    xs_test_terms t = {0};
    XS_TEST_OK(xs_db_synonyms(w, "heart", xs_test_collect, &t));
    cr_assert_eq(t.n, 0);
    XS_TEST_OK(xs_db_synonyms(w, "kidney", xs_test_collect, &t));
    cr_assert_eq(t.n, 1, "other keys are kept");
    xs_db_close(w);
}

Test(shim_tables, synonym_errors)
{
    xs_db *m = xs_test_open(NULL, XS_DB_INMEMORY);
    cr_assert_eq(xs_db_add_synonym(m, "a", "b"), XS_ERR_XAPIAN, "InMemory has no synonyms");
    cr_assert_eq(xs_db_add_synonym(NULL, "a", "b"), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_add_synonym(m, NULL, "b"), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_add_synonym(m, "a", NULL), XS_ERR_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(xs_last_error(), "synonym"));
    cr_assert_eq(xs_db_clear_synonyms(NULL, "a"), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_clear_synonyms(m, NULL), XS_ERR_INVALID_ARGUMENT);
    xs_test_terms t = {0};
    cr_assert_eq(xs_db_synonyms(NULL, "a", xs_test_collect, &t), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_synonyms(m, NULL, xs_test_collect, &t), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_synonyms(m, "a", NULL, &t), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_synonym_keys(NULL, "", xs_test_collect, &t), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_synonym_keys(m, NULL, xs_test_collect, &t), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(xs_db_synonym_keys(m, "", NULL, &t), XS_ERR_INVALID_ARGUMENT);
    cr_assert_eq(t.n, 0);
    xs_db_close(m);

    const char *path = xs_test_path("db");
    xs_db_close(xs_test_open(path, XS_DB_CREATE_OR_OPEN));
    xs_db *r = xs_test_open(path, XS_DB_READ);
    cr_assert_eq(xs_db_add_synonym(r, "a", "b"), XS_ERR_INVALID_OPERATION);
    cr_assert_eq(xs_db_clear_synonyms(r, "a"), XS_ERR_INVALID_OPERATION);
    xs_db_close(r);
}
