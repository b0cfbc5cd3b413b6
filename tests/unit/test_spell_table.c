/*
 * test_spell_table.c - the spelling table in memory (query/spell_table.h)
 * answers as Xapian's own does: each word's frequency, none for a word it
 * lacks, and the words with each prefix (each first byte, each prefix of
 * a word) in byte order, bytes of 0x80 and over included.  (Xapian keeps
 * no words of one byte.)
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "query/spell_table.h"
#include "test_shim_util.h"

TestSuite(spell_table, .init = xs_test_setup, .fini = xs_test_teardown);

/* The words with the prefix against xs_db_spelling_words. */
static void expect_same_words(xs_db *db, const ps_spell_table *t, const char *prefix) {
    xs_test_terms want = {0}, got = {0};
    XS_TEST_OK(xs_db_spelling_words(db, prefix, xs_test_collect, &want));
    ps_spell_table_each_with_prefix(t, prefix, strlen(prefix), xs_test_collect, &got);
    cr_assert_eq(got.n, want.n, "\"%s\": %zu words, want %zu", prefix, got.n, want.n);
    cr_assert_leq(got.n, 32, "more words than xs_test_terms keeps");
    for (size_t i = 0; i < got.n; i++) {
        cr_expect_str_eq(got.term[i], want.term[i], "\"%s\", word %zu", prefix, i);
        cr_expect_eq(got.freq[i], want.freq[i], "%s", got.term[i]);
        cr_expect_eq(ps_spell_table_freq(t, want.term[i], want.len[i]), want.freq[i], "%s",
                     want.term[i]);
    }
}

/* Every first byte's run, and every prefix of the words and of a few
 * words the table lacks. */
static void expect_same_runs(xs_db *db, const ps_spell_table *t, const char *const *words,
                             size_t n) {
    for (int c = 1; c <= 255; c++) {
        char prefix[2] = {(char)c, '\0'};
        expect_same_words(db, t, prefix);
    }
    for (size_t i = 0; i < n; i++) {
        char prefix[64];
        for (size_t len = 1; len <= strlen(words[i]) && len < sizeof prefix; len++) {
            memcpy(prefix, words[i], len);
            prefix[len] = '\0';
            expect_same_words(db, t, prefix);
        }
    }
}

/* What ps_spell_table_each_near must report: the words the initial's run
 * gives, filtered one by one. */
typedef struct near_filter {
    size_t min, max;
    uint32_t letters;
    int max_diff;
    xs_test_terms *out;
} near_filter;

static int keep_near(const char *w, size_t len, uint32_t freq, void *ctx) {
    near_filter *f = ctx;
    if (len < f->min || len > f->max ||
        ps_spell_letters_apart(ps_spell_letters(w, len), f->letters) > f->max_diff)
        return 0;
    return xs_test_collect(w, len, freq, f->out);
}

static void expect_same_near(const ps_spell_table *t, const char *word, unsigned limit) {
    size_t len = strlen(word);
    near_filter f = {len > limit ? len - limit : 0, len + limit, ps_spell_letters(word, len),
                     2 * (int)limit, NULL};
    xs_test_terms want = {0}, got = {0};
    f.out = &want;
    char initial[2] = {word[0], '\0'};
    ps_spell_table_each_with_prefix(t, initial, 1, keep_near, &f);
    ps_spell_near q = {f.min, f.max, f.letters, f.max_diff};
    ps_spell_table_each_near(t, (unsigned char)word[0], &q, xs_test_collect, &got);
    cr_assert_eq(got.n, want.n, "near \"%s\" (%u): %zu words, want %zu", word, limit, got.n,
                 want.n);
    for (size_t i = 0; i < got.n && i < 32; i++) {
        cr_expect_str_eq(got.term[i], want.term[i], "near \"%s\", word %zu", word, i);
        cr_expect_eq(got.freq[i], want.freq[i], "%s", got.term[i]);
    }
}

Test(spell_table, answers_as_the_database_does) {
    xs_db *db = xs_test_open(xs_test_path("db"), XS_DB_CREATE_OR_OPEN);
    static const char *const words[] = {
        "ab",      "abc",    "abcd",       "abd",  "bb",     "hysterectomy", "x-ray", "x2",
        "zoë",     "zygoma", "\xc3\xa9" "clair", "\xc3\xa9" "cho", "\xff" "end", "~tilde"};
    size_t n = sizeof words / sizeof words[0];
    for (size_t i = 0; i < n; i++)
        XS_TEST_OK(xs_db_add_spelling(db, words[i], (uint32_t)(i + 1)));
    XS_TEST_OK(xs_db_commit(db));
    ps_err err = {{0}};
    ps_spell_table *t = ps_spell_table_load(db, &err);
    cr_assert_not_null(t, "%s", err.msg);
    expect_same_runs(db, t, words, n);
    static const char *const absent[] = {"", "abce", "aa", "zo", "\xc3\xa9", "\xff", "cc", "x"};
    expect_same_runs(db, t, absent, sizeof absent / sizeof absent[0]);
    /* A correction's candidates: near in length and letters. */
    static const char *const typos[] = {"abx", "ba", "abcdd", "hystreectomy", "x-rya", "zyoma",
                                        "zoe", "\xc3\xa9" "clar", "abdc", "a"};
    for (size_t i = 0; i < sizeof typos / sizeof typos[0]; i++)
        for (unsigned limit = 0; limit <= 2; limit++)
            expect_same_near(t, typos[i], limit);
    xs_test_terms none = {0};
    ps_spell_near exact = {2, 3, ps_spell_letters("ab", 2), 0};
    ps_spell_table_each_near(t, 'a', &exact, xs_test_collect, &none);
    cr_expect_eq(none.n, 1, "only \"ab\" itself has its letters exactly");
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(ps_spell_table_freq(t, words[i], strlen(words[i])), (uint32_t)(i + 1), "%s",
                     words[i]);
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        cr_expect_eq(ps_spell_table_freq(t, absent[i], strlen(absent[i])), 0, "\"%s\"", absent[i]);
    cr_expect_eq(ps_spell_table_freq(t, "ab\0c", 4), 0, "a NUL inside is no word");
    /* Many words at once, past one batch of lookups: the most frequent,
     * the first of equals, as Xapian's own answers it. */
    const char *many[80];
    for (size_t i = 0; i < 80; i++)
        many[i] = i % 7 == 3 ? words[(i / 7) % n] : absent[i % 8];
    many[78] = many[73]; /* the most frequent, twice */
    size_t best = 0, xbest = 0;
    uint32_t freq = 0, xfreq = 0;
    ps_spell_table_most_frequent(t, many, 80, &best, &freq);
    XS_TEST_OK(xs_db_spelling_most_frequent(db, many, 80, &xbest, &xfreq));
    cr_expect_eq(freq, xfreq);
    cr_expect_eq(best, xbest);
    cr_expect_eq(best, 73);
    cr_expect_gt(freq, 0);
    ps_spell_table_most_frequent(t, absent, 8, &best, &freq);
    cr_expect_eq(freq, 0);
    ps_spell_table_free(t);
    xs_db_close(db);
}

Test(spell_table, an_empty_table_has_no_words) {
    xs_db *db = xs_test_open(xs_test_path("empty"), XS_DB_CREATE_OR_OPEN);
    ps_err err = {{0}};
    ps_spell_table *t = ps_spell_table_load(db, &err);
    cr_assert_not_null(t, "%s", err.msg);
    static const char *const some[] = {"ab", "zygoma"};
    expect_same_runs(db, t, some, 2);
    cr_expect_eq(ps_spell_table_freq(t, "ab", 2), 0);
    ps_spell_table_free(t);
    xs_db_close(db);
}
