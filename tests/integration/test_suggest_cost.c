/*
 * test_suggest_cost.c - a keystroke's work stays bounded: completions that
 * many pages hold are offered but not ranked by, and a prefix* expands
 * through the same vocabulary (query/suggest.c).  The pages a word is on
 * are faked in the spelling table, as a large index would have them.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexer/index_run.h"
#include "query/suggest.h"
#include "tests/support/testenv.h"

static char *dir, *db;

static void setup(void) {
    dir = t_tmpdir("suggest_cost");
    size_t n = strlen(dir) + 8;
    db = malloc(n);
    cr_assert(db);
    snprintf(db, n, "%s/db", dir);
    char *samples = t_path("corpus/samples");
    ps_index_opts o = {.db_path = db, .batch = 100};
    ps_index_report rep;
    ps_err err = {0};
    const char *paths[] = {samples};
    cr_assert_eq(ps_index_paths(&o, paths, 1, &rep, NULL, NULL, &err), 0, "%s", err.msg);
    free(samples);
}

static void teardown(void) {
    t_rmtree(dir);
    free(dir);
    free(db);
}

TestSuite(suggest_cost, .init = setup, .fini = teardown);

static size_t hits_for(const char *q, int *completed) {
    ps_err err = {0};
    ps_suggester *sg = ps_suggester_open(db, &err);
    cr_assert_not_null(sg, "%s", err.msg);
    ps_suggestions s;
    cr_assert_eq(ps_suggest(sg, q, 5, &s, &err), 0, "%s", err.msg);
    size_t n = s.n_hits;
    *completed = s.n_completions > 0;
    ps_suggestions_free(&s);
    ps_suggester_close(sg);
    return n;
}

Test(suggest_cost, common_completions_are_offered_not_ranked) {
    int completed = 0;
    cr_assert_gt(hits_for("lumb", &completed), 0, "a selective completion ranks pages");
    cr_expect(completed);
    /* Now "lumbar" is on a million pages, as far as the table knows. */
    xs_db *w = NULL;
    cr_assert_eq(xs_db_open(db, XS_DB_OPEN, &w), XS_OK, "%s", xs_last_error());
    cr_assert_eq(xs_db_add_spelling(w, "lumbar", 1000000), XS_OK);
    cr_assert_eq(xs_db_close(w), XS_OK);
    cr_expect_eq(hits_for("lumb", &completed), 0, "ranking by it would read most of the index");
    cr_expect(completed, "the completion is still offered");
    cr_expect_gt(hits_for("discography lumb", &completed), 0, "the earlier words still rank");
}

Test(suggest_cost, a_typed_prefix_expands_through_the_vocabulary) {
    int completed = 0;
    cr_assert_gt(hits_for("lumb*", &completed), 0, "lumbar pages");
    /* Commoner words the index has no page for push "lumbar" out of the
     * completions: Xapian's term list would still expand to it, and reading
     * that list is what a keystroke must not do. */
    xs_db *w = NULL;
    cr_assert_eq(xs_db_open(db, XS_DB_OPEN, &w), XS_OK, "%s", xs_last_error());
    for (int i = 0; i < PS_SUGGEST_COMPLETIONS; i++) {
        char word[16];
        snprintf(word, sizeof word, "lumbq%c", 'a' + i);
        cr_assert_eq(xs_db_add_spelling(w, word, 1000), XS_OK);
    }
    cr_assert_eq(xs_db_close(w), XS_OK);
    cr_expect_eq(hits_for("lumb*", &completed), 0);
    cr_expect_eq(hits_for("+zzqx* discography", &completed), 0,
                 "a required prefix nothing completes matches nothing, as in a search");
    cr_expect_gt(hits_for("-zzqx* discography", &completed), 0, "and excludes nothing");
}
