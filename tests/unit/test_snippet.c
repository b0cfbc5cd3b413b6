/*
 * test_snippet.c - snippets analyze only the words that may match, and
 * must show exactly what analyzing their sections in full shows.
 *
 * The queries are drawn from the pages themselves (stems of their words,
 * compounds' solid forms and parts, numbers, word prefixes), mixed with
 * words the page lacks, so that both the best section and the window vary.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus/page.h"
#include "indexer/analyze.h"
#include "indexer/fields.h"
#include "query/snippet.h"
#include "query/snippet_internal.h"
#include "tests/support/testenv.h"

static void page_words(ps_analyzer *an, const ps_page *page, t_words *out) {
    cr_assert_eq(t_page_words(an, page, out), 0);
}

static unsigned next(unsigned *seed) {
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* A stem (or, one time in six, a prefix entry "word*") of a random word. */
static void add_word(ps_analyzer *an, const t_words *from, unsigned *seed, ps_stemset *set) {
    if (from->n == 0)
        return;
    const char *w = from->w[next(seed) % from->n];
    size_t len = strlen(w);
    if (next(seed) % 6 == 0 && len > 3) {
        char prefix[PS_TERM_MAX + 2];
        size_t keep = 3 + next(seed) % (len - 2);
        memcpy(prefix, w, keep);
        prefix[keep] = '*';
        cr_assert_eq(ps_stemset_add(set, prefix, keep + 1), 0);
        return;
    }
    char stem[PS_TERM_MAX * 2];
    size_t sl = ps_stem(an, w, len, stem, sizeof stem);
    cr_assert_gt(sl, 0, "%s", w);
    cr_assert_eq(ps_stemset_add(set, stem, sl), 0);
}

/* Both ways of scanning give the same snippet; returns its highlights. */
static size_t same_both_ways(ps_analyzer *an, const ps_page *page, const ps_stemset *set,
                             int field, const char *what) {
    ps_snippet fast, full;
    ps_err err = {{0}};
    cr_assert_eq(ps_snippet_make_ex(an, page, set, field, 0, &fast, &err), 0, "%s", err.msg);
    cr_assert_eq(ps_snippet_make_ex(an, page, set, field, PS_SNIPPET_FULL_SCAN, &full, &err), 0,
                 "%s", err.msg);
    cr_assert_str_eq(fast.section_key, full.section_key, "%s: %s vs %s", what, fast.section_key,
                     full.section_key);
    cr_assert_str_eq(fast.text, full.text, "%s\nfast: %s\nfull: %s", what, fast.text, full.text);
    cr_assert_eq(fast.n_highlights, full.n_highlights, "%s: %s", what, full.text);
    for (size_t i = 0; i < full.n_highlights; i++) {
        cr_assert_eq(fast.highlights[i].start, full.highlights[i].start, "%s", what);
        cr_assert_eq(fast.highlights[i].end, full.highlights[i].end, "%s", what);
    }
    size_t n = full.n_highlights;
    ps_snippet_free(&fast);
    ps_snippet_free(&full);
    return n;
}

static ps_page *parse(const char *text) {
    ps_page *page = NULL;
    ps_err err = {{0}};
    cr_assert_eq(ps_page_parse("t", "test", text, strlen(text), &page, &err), 0, "%s", err.msg);
    return page;
}

static ps_analyzer *analyzer(void) {
    ps_err err = {{0}};
    ps_analyzer *an = ps_analyzer_new(&err);
    cr_assert_not_null(an, "%s", err.msg);
    return an;
}

typedef struct {
    ps_analyzer *an;
    t_words other; /* the last page's words, which this one may lack */
    unsigned seed;
    size_t tried, lit;
} compare_run;

static void compare_page(const char *path, const ps_page *page, void *ctx) {
    compare_run *r = ctx;
    t_words mine = {0};
    page_words(r->an, page, &mine);
    for (int q = 0; q < 12; q++) {
        ps_stemset set = {0};
        size_t n = 1 + next(&r->seed) % 4;
        for (size_t k = 0; k < n; k++)
            add_word(r->an, next(&r->seed) % 4 ? &mine : &r->other, &r->seed, &set);
        int field = -1;
        if (page->n_sections && q % 3 == 0)
            field = ps_field_of_section(page->sections[next(&r->seed) % page->n_sections].key);
        char what[4400];
        int o = snprintf(what, sizeof what, "%s, query %d:", path, q);
        for (size_t k = 0; k < set.n && o < 4300; k++)
            o += snprintf(what + o, sizeof what - (size_t)o, " %s", set.stems[k]);
        r->lit += same_both_ways(r->an, page, &set, field, what) > 0;
        r->tried++;
        ps_stemset_free(&set);
    }
    free(r->other.w);
    r->other = mine;
}

Test(snippet, dev_pages_show_the_same_snippet_as_full_analysis) {
    compare_run r = {.an = analyzer(), .seed = 7};
    cr_expect_eq(t_dev_pages(compare_page, &r), 149);
    free(r.other.w);
    ps_analyzer_free(r.an);
    /* Most queries are drawn from the page: most snippets are highlighted. */
    cr_expect_gt(r.lit, r.tried / 2, "%zu of %zu", r.lit, r.tried);
}

static int cmp_word(const void *a, const void *b) { return strcmp(a, b); }

typedef struct {
    ps_analyzer *an;
    t_words all;
} vocabulary;

static void add_page_words(const char *path, const ps_page *page, void *ctx) {
    (void)path;
    vocabulary *v = ctx;
    page_words(v->an, page, &v->all);
}

/* Each word of the dev pages, alone in a section, is found through its
 * own stem: the probes cover every form Snowball gives a stem to. */
Test(snippet, every_dev_word_is_found_by_its_stem) {
    vocabulary v = {.an = analyzer()};
    ps_analyzer *an = v.an;
    cr_assert_eq(t_dev_pages(add_page_words, &v), 149);
    t_words all = v.all;
    qsort(all.w, all.n, sizeof *all.w, cmp_word);
    size_t distinct = 0;
    for (size_t i = 0; i < all.n; i++) {
        if (i > 0 && strcmp(all.w[i], all.w[i - 1]) == 0)
            continue;
        distinct++;
        char text[256];
        snprintf(text, sizeof text, "Test procedure\nSummary\nBefore %s after.\n", all.w[i]);
        ps_page *page = parse(text);
        char stem[PS_TERM_MAX * 2];
        size_t sl = ps_stem(an, all.w[i], strlen(all.w[i]), stem, sizeof stem);
        ps_stemset set = {0};
        cr_assert_eq(ps_stemset_add(&set, stem, sl), 0);
        ps_snippet sn;
        ps_err err = {{0}};
        cr_assert_eq(ps_snippet_make(an, page, &set, -1, &sn, &err), 0, "%s", err.msg);
        cr_expect_geq(sn.n_highlights, 1, "\"%s\" (stem %s): %s", all.w[i], stem, sn.text);
        ps_snippet_free(&sn);
        ps_stemset_free(&set);
        ps_page_free(page);
    }
    free(all.w);
    ps_analyzer_free(an);
    cr_expect_gt(distinct, 5000);
}

/* The words where a probe is not the start of the word as written, or
 * where the text is not plain ASCII. */
Test(snippet, awkward_words_are_found_as_full_analysis_finds_them) {
    ps_analyzer *an = analyzer();
    ps_page *page = parse("Test procedure\n"
                          "Summary\n"
                          "The patient lies still. X-ray films, an L4-L5 view, and/or 2.5 mg.\n"
                          "Risks\n"
                          "Dying is rare; the Épidural catheter (Nd:YAG laser) x-rays skies.\n"
                          "Recovery\n"
                          "Angiography follow-up after anti-inflammatory drugs.\n"
                          "Alternatives\n"
                          "\xc3\xa0 h\xc3\xa9matome.\n");
    const char *queries[][3] = {
        {"die", NULL},      {"lie", NULL},        {"sky", NULL},     {"xray", "ray"},
        {"l4l5", "l5"},     {"2.5", NULL},        {"epidur", "yag"}, {"angiogram", "inflammatori"},
        {"followup", "up"}, {"x*", "catheter"},   {"or", NULL},      {"ndyag", NULL},
        {"hematom", NULL},
    };
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        ps_stemset set = {0};
        for (size_t k = 0; k < 3 && queries[q][k]; k++)
            cr_assert_eq(ps_stemset_add(&set, queries[q][k], strlen(queries[q][k])), 0);
        char what[64];
        snprintf(what, sizeof what, "query %zu (%s)", q, queries[q][0]);
        size_t lit = same_both_ways(an, page, &set, -1, what);
        cr_expect_gt(lit, 0, "%s", what);
        ps_stemset_free(&set);
    }
    ps_page_free(page);
    ps_analyzer_free(an);
}

/* Of sections that score the same, the first in the page is shown, also
 * when a later one is looked at first (text with non-ASCII bytes is
 * always analyzed, so it comes first). */
Test(snippet, of_equal_sections_the_first_is_shown) {
    ps_analyzer *an = analyzer();
    ps_page *page = parse("Test procedure\n"
                          "Summary\n"
                          "A biopsy takes minutes.\n"
                          "Risks\n"
                          "After the biopsy, caf\xc3\xa9 and rest.\n");
    ps_stemset set = {0};
    cr_assert_eq(ps_stemset_add(&set, "biopsi", 6), 0);
    ps_snippet sn;
    ps_err err = {{0}};
    cr_assert_eq(ps_snippet_make(an, page, &set, -1, &sn, &err), 0, "%s", err.msg);
    cr_expect_str_eq(sn.section_key, "summary");
    cr_expect_eq(sn.n_highlights, 1);
    ps_snippet_free(&sn);
    same_both_ways(an, page, &set, -1, "equal sections");
    ps_stemset_free(&set);
    ps_page_free(page);
    ps_analyzer_free(an);
}
