/*
 * test_syngroups.c - the synonym groups a run of stems belongs to
 * (indexer/syngroups.h) and the group terms they share with the query side.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "indexer/syngroups.h"
#include "indexer/synonyms.h"

static const char TABLE[] = "# a comment\n"
                            "\n"
                            "hysterectomy | removal of the uterus | womb removal\n"
                            "radiograph | x-ray | xray | x ray\n"
                            "general anesthesia | going under | put to sleep\n"
                            "hepatitis a | hep a | hav\n"
                            "fluoroscopy | live x-ray\n";

static ps_analyzer *an;
static ps_syngroups *g;

static void setup(void) {
    ps_err err = {0};
    an = ps_analyzer_new(&err);
    cr_assert_not_null(an, "%s", err.msg);
    g = ps_syngroups_new(an, TABLE, strlen(TABLE), "table", &err);
    cr_assert_not_null(g, "%s", err.msg);
}

static void teardown(void) {
    ps_syngroups_free(g);
    ps_analyzer_free(an);
}

TestSuite(syngroups, .init = setup, .fini = teardown);

/* The terms of the groups of key, joined by ',' (sorted by group id). */
static const char *groups_of(const char *key) {
    static char out[256];
    size_t n = 0;
    const uint32_t *ids = ps_syngroups_find(g, key, strlen(key), &n, NULL);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, ",");
        strcat(out, ps_syngroups_term(g, ids[i]));
    }
    return out;
}

Test(syngroups, keys_are_stems_without_stopwords) {
    cr_expect_str_eq(groups_of("hysterectomi"), "Shysterectomi");
    cr_expect_str_eq(groups_of("remov uterus"), "Shysterectomi");
    cr_expect_str_eq(groups_of("womb remov"), "Shysterectomi");
    cr_expect_str_eq(groups_of("uterus remov"), "", "word order counts");
    cr_expect_str_eq(groups_of("general anesthesia"), "Sgeneral_anesthesia");
    cr_expect_str_eq(groups_of("put sleep"), "Sgeneral_anesthesia");
}

Test(syngroups, compounds_keep_their_parts) {
    /* -graph and -gram are one word family (conflate.c) */
    cr_expect_str_eq(groups_of("x ray"), "Sradiogram");
    cr_expect_str_eq(groups_of("xray"), "Sradiogram");
    /* a member of two groups: "live x-ray" is fluoroscopy, "x ray" alone
     * is a radiograph */
    cr_expect_str_eq(groups_of("live x ray"), "Sfluoroscop");
}

Test(syngroups, members_that_shrink_to_one_word_are_no_keys) {
    cr_expect_str_eq(groups_of("go"), "", "\"going under\" must not be \"go\"");
    cr_expect_str_eq(groups_of("hepat"), "");
    /* "hepatitis a | hep a | hav": only "hav" is left, so no group */
    cr_expect_str_eq(groups_of("hav"), "");
}

/* 1 when some key ends with key (word for word). */
static int ends_a_key(const char *key) {
    size_t n = 0;
    int ends = -1;
    (void)ps_syngroups_find(g, key, strlen(key), &n, &ends);
    return ends;
}

Test(syngroups, runs_that_end_a_key_are_told_apart) {
    cr_expect_eq(ends_a_key("ray"), 1, "the end of \"x ray\"");
    cr_expect_eq(ends_a_key("x ray"), 1);
    cr_expect_eq(ends_a_key("live x ray"), 1);
    cr_expect_eq(ends_a_key("uterus"), 1, "the end of \"remov uterus\"");
    cr_expect_eq(ends_a_key("live"), 0, "only starts a key");
    cr_expect_eq(ends_a_key("ray live"), 0);
    cr_expect_eq(ends_a_key("zzz"), 0);
    cr_expect_str_eq(groups_of("ray"), "", "a key's end is no key itself");
}

Test(syngroups, sizes) {
    cr_expect_eq(ps_syngroups_count(g), 4);
    cr_expect_eq(ps_syngroups_max_words(g), 3); /* "live x ray" */
}

Test(syngroups, malformed_tables_name_the_line) {
    ps_err err = {0};
    static const char bad[] = "a | b\nlonely\n";
    cr_expect_null(ps_syngroups_new(an, bad, strlen(bad), "syn.txt", &err));
    cr_expect(strstr(err.msg, "syn.txt:2") != NULL, "%s", err.msg);
}
