/*
 * test_common_words.c - what a keystroke leaves out of its ranking to stay
 * cheap on a large index: words on most pages beside a rarer one
 * (ps_qbuild_in.common_pages) and the pages' lengths (query/suggest.c).
 * Six pages: "aspirin" is on five of them, "zeolite" on two, one of which
 * lacks aspirin.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexer/analyze.h"
#include "indexer/docdata.h"
#include "indexer/index_run.h"
#include "indexer/weights.h"
#include "query/qbuild.h"
#include "query/qparse.h"
#include "query/suggest.h"
#include "tests/support/testenv.h"

static char *dir, *db;

static const char *const pages[][2] = {
    {"Knee Alpha Repair", "Aspirin is stopped before the knee is repaired."},
    {"Hip Beta Repair", "Aspirin is stopped before the hip is repaired."},
    {"Wrist Gamma Repair", "Aspirin is stopped before the wrist is repaired."},
    {"Elbow Delta Repair", "Aspirin is stopped before the elbow is repaired."},
    {"Zeolite Lavage", "A zeolite rinse."},
    {"Zeolite Wash", "Aspirin is stopped for a while before a zeolite rinse."},
};
#define N_PAGES (sizeof pages / sizeof pages[0])

static void setup(void) {
    dir = t_tmpdir("common_words");
    char path[4096], text[1024];
    for (size_t i = 0; i < N_PAGES; i++) {
        snprintf(path, sizeof path, "%s/page%zu.txt", dir, i);
        int n = snprintf(text, sizeof text,
                         "%s; simple\nCPT4 code\nName of the Procedure: %s\nSummary\n%s\n",
                         pages[i][0], pages[i][0], pages[i][1]);
        cr_assert_eq(t_write(path, text, (size_t)n), 0);
    }
    size_t n = strlen(dir) + 8;
    db = malloc(n);
    cr_assert(db);
    snprintf(db, n, "%s/db", dir);
    ps_index_opts o = {.db_path = db, .batch = 100};
    ps_index_report rep;
    ps_err err = {0};
    const char *paths[] = {dir};
    cr_assert_eq(ps_index_paths(&o, paths, 1, &rep, NULL, NULL, &err), 0, "%s", err.msg);
    cr_assert_eq(rep.documents, N_PAGES);
}

static void teardown(void) {
    t_rmtree(dir);
    free(dir);
    free(db);
}

TestSuite(common_words, .init = setup, .fini = teardown);

/* The names of the pages q matches, in page order, joined by '|'; "" for
 * none, "(no query)" when nothing was left to search. */
static char *matches(const char *q, uint32_t common_pages, int rarer_part) {
    static char out[1024];
    ps_err err = {0};
    xs_db *x = NULL;
    cr_assert_eq(xs_db_open(db, XS_DB_READ, &x), XS_OK, "%s", xs_last_error());
    ps_analyzer *an = ps_analyzer_new(&err);
    cr_assert_not_null(an, "%s", err.msg);
    ps_weights w;
    ps_weights_default(&w);
    ps_qparsed parsed = {0};
    cr_assert_eq(ps_qparse(q, strlen(q), &parsed, &err), 0, "%s", err.msg);
    ps_qbuild_in in = {.db = x, .an = an, .w = &w, .field = -1,
                       .common_pages = common_pages, .rarer_part = rarer_part};
    ps_qbuilt built;
    cr_assert_eq(ps_qbuild(&in, q, &parsed, &built, &err), 0, "%s", err.msg);
    snprintf(out, sizeof out, "(no query)");
    if (built.query) {
        out[0] = '\0';
        int found[N_PAGES] = {0};
        xs_enquire *enq = NULL;
        xs_mset *m = NULL;
        cr_assert_eq(xs_enquire_new(x, &enq), XS_OK);
        cr_assert_eq(xs_enquire_set_query(enq, built.query), XS_OK);
        cr_assert_eq(xs_enquire_mset(enq, 0, 100, 100, &m), XS_OK, "%s", xs_last_error());
        for (size_t i = 0; i < xs_mset_size(m); i++) {
            xs_doc *doc = NULL;
            char *id = NULL, *descriptor = NULL, *name = NULL;
            cr_assert_eq(xs_mset_doc(m, i, &doc), XS_OK);
            cr_assert_eq(ps_doc_display(doc, &id, &descriptor, &name, &err), 0, "%s", err.msg);
            for (size_t p = 0; p < N_PAGES; p++)
                found[p] |= name && !strcmp(name, pages[p][0]);
            free(id), free(descriptor), free(name);
            xs_doc_free(doc);
        }
        for (size_t p = 0; p < N_PAGES; p++)
            if (found[p])
                snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", *out ? "|" : "",
                         pages[p][0]);
        xs_mset_free(m);
        xs_enquire_free(enq);
    }
    ps_qbuilt_free(&built);
    ps_qparsed_free(&parsed);
    ps_analyzer_free(an);
    cr_assert_eq(xs_db_close(x), XS_OK);
    return out;
}

typedef struct query_case {
    const char *q;
    uint32_t common_pages;
    int rarer_part;
    const char *want, *why;
} query_case;

static void check(const query_case *cases, size_t n) {
    for (size_t i = 0; i < n; i++)
        cr_expect_str_eq(matches(cases[i].q, cases[i].common_pages, cases[i].rarer_part),
                         cases[i].want, "%s: %s", cases[i].q, cases[i].why);
}

#define REPAIRS "Knee Alpha Repair|Hip Beta Repair|Wrist Gamma Repair|Elbow Delta Repair"

Test(common_words, a_word_on_most_pages_is_left_out_beside_a_rarer_one) {
    static const query_case cases[] = {
        {"+aspirin +zeolite", 0, 0, "Zeolite Wash", "kept by default"},
        {"+aspirin +zeolite", 3, 0, "Zeolite Lavage|Zeolite Wash", "on 5 pages of 6, more than 3"},
        {"+aspirin +zeolite", 5, 0, "Zeolite Wash", "on no more pages than the limit"},
        {"+zeolite +aspirin", 3, 0, "Zeolite Lavage|Zeolite Wash", "in any order"},
        {"aspirin zeolite", 3, 0, REPAIRS "|Zeolite Lavage|Zeolite Wash",
         "where nothing is required, every word decides which pages match"},
    };
    check(cases, sizeof cases / sizeof cases[0]);
}

Test(common_words, common_words_stay_when_nothing_rarer_is_left) {
    static const query_case cases[] = {
        {"+aspirin", 3, 0, REPAIRS "|Zeolite Wash", "the only word"},
        {"+aspirin -knee", 3, 0, "Hip Beta Repair|Wrist Gamma Repair|Elbow Delta Repair|"
         "Zeolite Wash", "an excluded word is nothing to match"},
        {"+aspirin -knee", 3, 1, "Hip Beta Repair|Wrist Gamma Repair|Elbow Delta Repair|"
         "Zeolite Lavage|Zeolite Wash", "every page but the excluded ones"},
        {"+aspirin", 3, 1, "(no query)", "the caller's own part is the rarer one"},
    };
    check(cases, sizeof cases / sizeof cases[0]);
}

Test(common_words, only_plain_words_are_left_out) {
    static const query_case cases[] = {
        {"+summary:aspirin +zeolite", 3, 0, "Zeolite Wash", "a word in a field is narrower"},
        {"+zeolite -aspirin", 3, 0, "Zeolite Lavage", "an excluded word is never left out"},
        {"+\"aspirin is stopped for\" +zeolite", 3, 0, "Zeolite Wash", "a phrase is kept"},
    };
    check(cases, sizeof cases / sizeof cases[0]);
}

Test(common_words, suggestions_ignore_the_pages_lengths) {
    /* Both zeolite pages have the word once in each field; the Wash page is
     * longer.  With length normalisation the Lavage page would score more. */
    ps_err err = {0};
    ps_suggester *sg = ps_suggester_open(db, &err);
    cr_assert_not_null(sg, "%s", err.msg);
    ps_suggestions s;
    cr_assert_eq(ps_suggest(sg, "zeolite", 5, &s, &err), 0, "%s", err.msg);
    cr_assert_eq(s.n_hits, 2);
    cr_expect(fabs(s.hits[0].score - s.hits[1].score) < 1e-9, "%.9f vs %.9f", s.hits[0].score,
              s.hits[1].score);
    ps_suggestions_free(&s);
    ps_suggester_close(sg);
}
