/*
 * test_speller.c - "did you mean" (query/speller.h): one edit first, then
 * two edits among words of the same initial, the most frequent winning,
 * and no correction for a word the table has.  Every answer is asked of
 * both spellers, the one reading the table word by word and the one that
 * remembers it, which must agree.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "corpus/page.h"
#include "indexer/analyze.h"
#include "query/speller.h"
#include "test_shim_util.h"
#include "tests/support/testenv.h"

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

static char *correct_by(ps_speller *sp, const char *word, size_t len, unsigned edits) {
    char *out = NULL;
    ps_err err = {0};
    cr_assert_eq(ps_spell_correct(sp, word, len, edits, &out, &err), 0, "%s", err.msg);
    return out;
}

/* The answer of both spellers, which must be the same. */
static char *correct_edits(xs_db *db, const char *word, unsigned edits) {
    ps_speller *reads = ps_speller_new(db, 0), *remembers = ps_speller_new(db, 1);
    cr_assert(reads && remembers);
    char *a = correct_by(reads, word, strlen(word), edits);
    char *b = correct_by(remembers, word, strlen(word), edits);
    cr_expect((!a && !b) || (a && b && strcmp(a, b) == 0), "%s: %s read, %s remembered", word,
              a ? a : "none", b ? b : "none");
    free(b);
    ps_speller_free(reads);
    ps_speller_free(remembers);
    return a;
}

static char *correct(xs_db *db, const char *word) { return correct_edits(db, word, 2); }

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
    ps_speller *sp = ps_speller_new(db, 1);
    cr_expect_eq(ps_spell_correct(sp, "", 0, 2, &out, &err), 0);
    cr_expect_null(out);
    ps_speller_free(sp);
    xs_db_close(db);
}

/* An empty table, or one edit allowed only. */
Test(speller, limits) {
    xs_db *db = xs_test_open(xs_test_path("empty"), XS_DB_CREATE_OR_OPEN);
    expect(db, "hysterectomy", NULL);
    xs_db_close(db);
    db = table();
    char *out = correct_edits(db, "tnsilllectomy", 1);
    cr_expect_null(out, "two edits away with a limit of one");
    xs_db_close(db);
}

/* A speller that remembers answers from what it read until told to forget:
 * then it reads the table as it is now. */
Test(speller, a_remembering_speller_reads_again_after_forget_or_when_told_not_to) {
    xs_db *db = table();
    ps_speller *sp = ps_speller_new(db, 1);
    cr_assert_not_null(sp);
    char *out = correct_by(sp, "zygomma", 7, 2);
    cr_expect_null(out, "got %s before the word was added", out);
    XS_TEST_OK(xs_db_add_spelling(db, "zygoma", 4));
    XS_TEST_OK(xs_db_commit(db));
    out = correct_by(sp, "zygomma", 7, 2);
    cr_expect_null(out, "got %s: the remembered table was not used", out);
    free(out);
    ps_speller_forget(sp);
    out = correct_by(sp, "zygomma", 7, 2);
    cr_expect(out && strcmp(out, "zygoma") == 0, "got %s", out ? out : "none");
    free(out);
    /* No longer remembering, it reads the table as it is at each word. */
    ps_speller_remember(sp, 0);
    XS_TEST_OK(xs_db_add_spelling(db, "xylophone", 2));
    XS_TEST_OK(xs_db_commit(db));
    out = correct_by(sp, "xylophne", 8, 2);
    cr_expect(out && strcmp(out, "xylophone") == 0, "got %s", out ? out : "none");
    free(out);
    ps_speller_free(sp);
    xs_db_close(db);
}

/* --------------------------------------- the dev pages' own vocabulary */

typedef struct {
    char (*w)[PS_TERM_MAX + 1];
    uint32_t *freq;
    size_t n;
} vocab;

typedef struct {
    ps_analyzer *an;
    t_words all;
} gather;

static void add_page(const char *path, const ps_page *page, void *ctx) {
    (void)path;
    gather *g = ctx;
    cr_assert_eq(t_page_words(g->an, page, &g->all), 0);
}

static int cmp_word(const void *a, const void *b) { return strcmp(a, b); }

/* The words of every dev page, a-z only, with how often each occurs. */
static vocab dev_vocab(void) {
    ps_err err = {{0}};
    gather g = {ps_analyzer_new(&err), {0}};
    cr_assert_not_null(g.an, "%s", err.msg);
    cr_assert_eq(t_dev_pages(add_page, &g), 149);
    ps_analyzer_free(g.an);
    t_words all = g.all;
    qsort(all.w, all.n, sizeof *all.w, cmp_word);
    vocab v = {.w = malloc(all.n * sizeof *v.w), .freq = calloc(all.n, sizeof *v.freq)};
    cr_assert(v.w && v.freq);
    for (size_t i = 0; i < all.n; i++) {
        size_t len = strlen(all.w[i]);
        if (len == 0 || strspn(all.w[i], "abcdefghijklmnopqrstuvwxyz") != len)
            continue;
        if (v.n == 0 || strcmp(v.w[v.n - 1], all.w[i]) != 0)
            memcpy(v.w[v.n++], all.w[i], len + 1);
        v.freq[v.n - 1]++;
    }
    free(all.w);
    return v;
}

/* Optimal string alignment distance, the textbook way. */
static unsigned osa(const char *a, const char *b) {
    size_t n = strlen(a), m = strlen(b);
    unsigned d[PS_TERM_MAX + 4][PS_TERM_MAX + 4];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            unsigned best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

static unsigned next(unsigned *seed) {
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* w with one random edit, the first letter as likely as any other. */
static void mangle(char *w, unsigned *seed) {
    size_t n = strlen(w), i = next(seed) % n;
    char c = (char)('a' + next(seed) % 26);
    switch (next(seed) % 4) {
    case 0:
        if (n > 1)
            memmove(w + i, w + i + 1, n - i);
        break;
    case 1:
        if (n < PS_TERM_MAX - 2) {
            memmove(w + i + 1, w + i, n - i + 1);
            w[i] = c;
        }
        break;
    case 2:
        w[i] = c;
        break;
    default:
        if (i + 1 < n) {
            char t = w[i];
            w[i] = w[i + 1], w[i + 1] = t;
        }
    }
}

/* Misspellings of the dev pages' words, one or two edits away: both
 * spellers give the same answer, and it is as close and as frequent as
 * the best a scan of the whole vocabulary finds (one edit anywhere, else
 * two with the same first letter). */
Test(speller, dev_misspellings_get_the_closest_most_frequent_word, .timeout = 120) {
    vocab v = dev_vocab();
    cr_assert_gt(v.n, 5000);
    xs_db *db = xs_test_open(xs_test_path("dev"), XS_DB_CREATE_OR_OPEN);
    for (size_t i = 0; i < v.n; i++)
        XS_TEST_OK(xs_db_add_spelling(db, v.w[i], v.freq[i]));
    XS_TEST_OK(xs_db_commit(db));
    ps_speller *reads = ps_speller_new(db, 0), *remembers = ps_speller_new(db, 1);
    cr_assert(reads && remembers);
    unsigned seed = 7;
    size_t tried = 0, at[3] = {0};
    while (tried < 400) {
        char typo[PS_TERM_MAX + 2];
        unsigned hi = next(&seed);
        const char *from = v.w[(hi * 32768u + next(&seed)) % v.n];
        if (strlen(from) < 5)
            continue;
        strcpy(typo, from);
        for (unsigned k = 1 + next(&seed) % 2; k > 0; k--)
            mangle(typo, &seed);
        tried++;
        size_t len = strlen(typo);
        char *a = correct_by(reads, typo, len, 2), *b = correct_by(remembers, typo, len, 2);
        cr_expect((!a && !b) || (a && b && strcmp(a, b) == 0), "%s: %s read, %s remembered",
                  typo, a ? a : "none", b ? b : "none");
        /* The best answer, by brute force. */
        unsigned want_dist = 3, known = 0;
        uint32_t want_freq = 0, got_freq = 0;
        for (size_t i = 0; i < v.n; i++) {
            if (a && strcmp(v.w[i], a) == 0)
                got_freq = v.freq[i];
            unsigned d = osa(typo, v.w[i]);
            if (d == 0)
                known = 1;
            else if (d == 2 && v.w[i][0] != typo[0])
                continue;
            else if (d < want_dist || (d == want_dist && v.freq[i] > want_freq))
                want_dist = d, want_freq = v.freq[i];
        }
        if (known || want_dist > 2) {
            cr_expect_null(a, "%s: got %s, want none", typo, a);
        } else {
            cr_assert_not_null(a, "%s: none, want a word %u edits away", typo, want_dist);
            cr_expect_eq(osa(typo, a), want_dist, "%s: %s", typo, a);
            cr_expect_eq(got_freq, want_freq, "%s: %s", typo, a);
            at[want_dist]++;
        }
        free(a);
        free(b);
    }
    /* Both kinds of answer were tried. */
    cr_expect_gt(at[1], 100, "%zu", at[1]);
    cr_expect_gt(at[2], 10, "%zu", at[2]);
    ps_speller_free(reads);
    ps_speller_free(remembers);
    xs_db_close(db);
    free(v.w);
    free(v.freq);
}
