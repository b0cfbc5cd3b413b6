/*
 * The relevance mechanisms, each shown to matter: synonyms stored in the
 * database and used by search, spelling correction, and tuning that never
 * loses on the queries it fits and writes a weights file `index` can use.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexer/index_run.h"
#include "indexer/synonyms.h"
#include "query/search.h"
#include "query/tune.h"
#include "shim/xapian_shim.h"
#include "tests/support/testenv.h"

static char *dir, *db;

static void build(void) {
    dir = t_tmpdir("relevance");
    cr_assert_not_null(dir);
    cr_assert_geq(asprintf(&db, "%s/db", dir), 0);
    char *docs = t_path("corpus/dev/docs");
    const char *paths[] = {docs};
    ps_index_opts o = {.db_path = db};
    ps_index_report rep;
    ps_err err = {{0}};
    cr_assert_eq(ps_index_paths(&o, paths, 1, &rep, NULL, NULL, &err), 0, "%s", err.msg);
    free(docs);
}

static void drop(void) {
    t_rmtree(dir);
    free(dir);
    free(db);
}

TestSuite(relevance, .init = build, .fini = drop);

static ps_results run(const char *q, int synonyms, int spelling) {
    ps_err err = {{0}};
    ps_searcher *s = ps_searcher_open(db, &err);
    cr_assert_not_null(s, "%s", err.msg);
    ps_search_opts o;
    ps_search_opts_default(&o);
    o.synonyms = synonyms;
    o.spelling = spelling;
    o.snippets = 0;
    ps_results r;
    cr_assert_eq(ps_search(s, q, &o, &r, &err), 0, "%s", err.msg);
    ps_searcher_close(s);
    return r;
}

static int count_synonyms(const char *t, size_t n, uint32_t f, void *ctx) {
    (void)t, (void)n, (void)f;
    (*(int *)ctx)++;
    return 0;
}

Test(relevance, synonym_table_is_in_the_database) {
    xs_db *x = NULL;
    cr_assert_eq(xs_db_open(db, XS_DB_READ, &x), XS_OK);
    int n = 0;
    cr_assert_eq(xs_db_synonyms(x, "spinal tap", count_synonyms, &n), XS_OK);
    cr_expect_gt(n, 0, "no synonyms stored for 'spinal tap'");
    size_t keys = 0;
    char *hash = NULL;
    cr_assert_eq(xs_db_get_metadata(x, PS_META_SYNONYMS, &hash, &keys), XS_OK);
    cr_expect_gt(keys, 0, "the table's fingerprint is recorded");
    free(hash);
    xs_db_close(x);
}

Test(relevance, lay_words_reach_clinical_pages_through_synonyms) {
    /* The page says "augmentation mammaplasty", "breast implants"; the
     * person says "boob job". */
    ps_results with = run("boob job", 1, 1), without = run("boob job", 0, 1);
    cr_assert_geq(with.n_hits, 1);
    cr_expect_str_eq(with.hits[0].id, "breast-skin-06");
    cr_expect(without.n_hits == 0 || strcmp(without.hits[0].id, "breast-skin-06") != 0,
              "without synonyms the page should not win: the synonym is what finds it");
    ps_results_free(&with);
    ps_results_free(&without);
}

Test(relevance, misspellings_are_corrected_only_when_unknown) {
    ps_results r = run("colonscopy", 1, 1);
    cr_assert_not_null(r.did_you_mean);
    cr_expect_str_eq(r.did_you_mean, "colonoscopy");
    cr_assert_geq(r.n_hits, 1);
    cr_expect(strncmp(r.hits[0].id, "gastro-", 7) == 0, "top hit %s", r.hits[0].id);
    ps_results_free(&r);
    ps_results off = run("colonscopy", 1, 0);
    cr_expect_null(off.did_you_mean);
    cr_expect_eq(off.total, 0, "nothing has the misspelt word itself");
    ps_results_free(&off);
    ps_results known = run("colonoscopy biopsy", 1, 1);
    cr_expect_null(known.did_you_mean);
    ps_results_free(&known);
}

/* ------------------------------------------------------------------ tune */

static const char queries[] =
    "q1\tlay\tlumbar disc dye test\n"
    "q2\tcoder\tmyelography lumbosacral\n"
    "q3\tlay\tepidurogram back dye\n"
    "q4\tcoder\tfacet joint injection lumbar single level\n"
    "q5\tlay\tneedle guidance x-ray spine injection\n"
    "q6\tquestion\twhat is a discogram and why is it done\n";
static const char qrels[] =
    "q1 0 000_b14b9e5059026b7a 2\nq1 0 001_acb1197ff8353c6c 1\n"
    "q2 0 001_acb1197ff8353c6c 2\n"
    "q3 0 002_4347b46140aa9454 2\n"
    "q4 0 003_72c7eeed76642e82 2\n"
    "q5 0 004_31cf683fb6795644 2\nq5 0 002_4347b46140aa9454 1\n"
    "q6 0 000_b14b9e5059026b7a 2\n";

Test(relevance, tuning_never_loses_on_its_queries_and_reports_held_out_folds) {
    ps_queries qs = {0};
    ps_qrels qr = {0};
    ps_err err = {{0}};
    cr_assert_eq(ps_queries_parse(queries, sizeof queries - 1, "q.tsv", &qs, &err), 0, "%s",
                 err.msg);
    cr_assert_eq(ps_qrels_parse(qrels, sizeof qrels - 1, "qrels", &qr, &err), 0, "%s", err.msg);
    char *samples = t_path("corpus/samples");
    const char *pages[] = {samples};
    ps_tune_opts o = {.pages = pages, .n_pages = 1, .folds = 2, .passes = 1, .seed = 3,
                      .threads = 2};
    /* A poor start: the heading fields barely count. */
    ps_weights start;
    ps_weights_default(&start);
    start.field[PS_F_NAME] = start.field[PS_F_DESCRIPTOR] = start.field[PS_F_COMMON] = 0.5;
    start.k1 = 0.3;
    ps_tune_report rep;
    cr_assert_eq(ps_tune(&o, &start, &qs, &qr, &rep, &err), 0, "%s", err.msg);
    cr_expect_geq(rep.fitted, rep.start, "coordinate ascent lost: %f -> %f", rep.start, rep.fitted);
    cr_expect_leq(rep.fitted, 1.0);
    cr_assert_eq(rep.n_folds, 2);
    size_t held = 0;
    for (size_t i = 0; i < rep.n_folds; i++) {
        cr_expect_geq(rep.folds[i].train_best, rep.folds[i].train_start);
        cr_expect(rep.folds[i].heldout_best >= 0 && rep.folds[i].heldout_best <= 1);
        held += rep.folds[i].queries;
    }
    cr_expect_eq(held, 6, "every query is held out exactly once");
    cr_expect_gt(rep.configs, 1);
    /* The weights it returns are a valid weights file for `index`. */
    char *text = ps_weights_format(&rep.best);
    cr_assert_not_null(text);
    ps_weights back;
    ps_weights_default(&back);
    cr_expect_eq(ps_weights_parse(text, "tuned", &back, &err), 0, "%s", err.msg);
    cr_expect_eq(ps_eval_field_weights_differ(&back, &rep.best), -1);
    free(text);
    ps_tune_report_free(&rep);
    ps_queries_free(&qs);
    ps_qrels_free(&qr);
    free(samples);
}
