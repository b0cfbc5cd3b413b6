#define _GNU_SOURCE
/*
 * Index the bundled corpus through the library and search it: known-item
 * queries, re-indexing, rejects, field restriction, phrases, snippets.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus/page.h"
#include "indexer/analyze.h"
#include "indexer/index_run.h"
#include "query/eval.h"
#include "query/results_json.h"
#include "query/search.h"
#include "query/suggest.h"
#include "shim/xapian_shim.h"
#include "tests/support/results_ref.h"
#include "tests/support/testenv.h"

typedef struct rejects {
    size_t n;
    char last[PS_ERR_MSG_MAX + 64];
} rejects;

static void note_reject(const char *msg, void *ctx) {
    rejects *r = ctx;
    r->n++;
    snprintf(r->last, sizeof r->last, "%s", msg);
}

static int index_into(const char *db, const char *const *rel, size_t n, ps_index_report *rep,
                      rejects *rj) {
    char *paths[8] = {0};
    for (size_t i = 0; i < n; i++)
        paths[i] = t_path(rel[i]);
    ps_index_opts o = {.db_path = db, .batch = 50};
    ps_err err = {{0}};
    int rc = ps_index_paths(&o, (const char *const *)paths, n, rep, note_reject, rj, &err);
    if (rc < 0)
        cr_log_error("index: %s", err.msg);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    return rc;
}

static char *db_dir;

static void build_corpus_db(void) {
    db_dir = t_tmpdir("engine");
    cr_assert_not_null(db_dir);
    const char *rel[] = {"corpus/samples", "corpus/dev/docs"};
    ps_index_report rep;
    rejects rj = {0};
    cr_assert_eq(index_into(db_dir, rel, 2, &rep, &rj), 0);
    cr_assert_eq(rep.rejected, 0, "rejected: %s", rj.last);
    /* The dev collection holds the five samples too: they are replaced, not doubled. */
    cr_assert_eq(rep.indexed, 149);
    cr_assert_eq(rep.replaced, 5);
    cr_assert_eq(rep.documents, 149);
}

static void drop_db(void) {
    t_rmtree(db_dir);
    free(db_dir);
}

TestSuite(engine, .init = build_corpus_db, .fini = drop_db);

static ps_results search(const char *q, size_t limit) {
    ps_err err = {{0}};
    ps_searcher *s = ps_searcher_open(db_dir, &err);
    cr_assert_not_null(s, "open: %s", err.msg);
    ps_search_opts o;
    ps_search_opts_default(&o);
    o.limit = limit;
    ps_results r;
    cr_assert_eq(ps_search(s, q, &o, &r, &err), 0, "search '%s': %s", q, err.msg);
    ps_searcher_close(s);
    return r;
}

static void expect_first(const char *q, const char *id) {
    ps_results r = search(q, 5);
    cr_assert_geq(r.n_hits, 1, "no results for '%s'", q);
    cr_expect_str_eq(r.hits[0].id, id, "query '%s' ranked %s first", q, r.hits[0].id);
    ps_results_free(&r);
}

Test(engine, known_items_rank_first) {
    expect_first("lumbar discogram", "000_b14b9e5059026b7a");
    expect_first("epidurography", "002_4347b46140aa9454");
    expect_first("facet joint injection lumbar single level", "003_72c7eeed76642e82");
    expect_first("myelogram lumbosacral", "001_acb1197ff8353c6c");
    expect_first("fluoroscopic guidance needle spine", "004_31cf683fb6795644");
}

Test(engine, results_carry_display_fields_and_snippet) {
    ps_results r = search("lumbar discography", 3);
    cr_assert_geq(r.n_hits, 1);
    const ps_hit *h = &r.hits[0];
    cr_expect_str_eq(h->descriptor, "Injection procedure for discography, each level; lumbar");
    cr_expect_str_eq(h->name, "Injection Procedure for Discography, Each Level; Lumbar");
    cr_expect_gt(h->score, 0);
    cr_assert_not_null(h->snippet.section);
    cr_assert_geq(h->snippet.n_highlights, 1);
    for (size_t i = 0; i < h->snippet.n_highlights; i++) {
        const ps_highlight *hl = &h->snippet.highlights[i];
        cr_assert_lt(hl->start, hl->end);
        cr_assert_leq(hl->end, strlen(h->snippet.text));
        /* Every highlight covers one of the query's words. */
        char word[64] = {0};
        size_t n = hl->end - hl->start < 63 ? hl->end - hl->start : 63;
        for (size_t k = 0; k < n; k++)
            word[k] = (char)(h->snippet.text[hl->start + k] | 0x20);
        cr_expect(strncmp(word, "lumbar", 6) == 0 || strncmp(word, "discograph", 10) == 0,
                  "highlight '%s'", word);
    }
    ps_results_free(&r);
}

Test(engine, field_restriction_filters) {
    /* Every page has "infection" somewhere; risks:infection keeps only pages
     * that say it under Risks and Complications, and title: narrows further. */
    ps_results all = search("infection", 100);
    ps_results risks = search("risks:infection", 100);
    ps_results title = search("title:lumbar", 100);
    cr_expect_gt(all.total, 0);
    cr_expect_leq(risks.total, all.total);
    cr_expect_gt(risks.total, 0);
    for (size_t i = 0; i < risks.n_hits; i++)
        cr_expect_str_eq(risks.hits[i].snippet.section_key, "risks", "%s", risks.hits[i].id);
    for (size_t i = 0; i < title.n_hits; i++) {
        char low[512];
        size_t n = strlen(title.hits[i].descriptor);
        for (size_t k = 0; k <= n && k < sizeof low; k++)
            low[k] = (char)((title.hits[i].descriptor[k] >= 'A' && title.hits[i].descriptor[k] <= 'Z')
                                ? title.hits[i].descriptor[k] + 32
                                : title.hits[i].descriptor[k]);
        low[sizeof low - 1] = '\0';
        cr_expect_not_null(strstr(low, "lumbar"), "%s", title.hits[i].descriptor);
    }
    ps_results_free(&all);
    ps_results_free(&risks);
    ps_results_free(&title);
}

Test(engine, phrase_is_exact_and_negation_excludes) {
    ps_results words = search("needle catheter", 100);
    ps_results phrase = search("\"needle or catheter\"", 100);
    cr_expect_gt(phrase.total, 0);
    cr_expect_lt(phrase.total, words.total);
    ps_results with = search("lumbar", 100);
    ps_results without = search("lumbar -discography", 100);
    cr_expect_lt(without.total, with.total);
    for (size_t i = 0; i < without.n_hits; i++)
        cr_expect_str_neq(without.hits[i].id, "000_b14b9e5059026b7a");
    ps_results_free(&words);
    ps_results_free(&phrase);
    ps_results_free(&with);
    ps_results_free(&without);
}

static int has_id(const ps_results *r, const char *id) {
    for (size_t i = 0; i < r->n_hits; i++)
        if (strcmp(r->hits[i].id, id) == 0)
            return 1;
    return 0;
}

Test(engine, prefix_matches_the_words_it_starts) {
    /* discogram, discography, discographic...: at least the pages of each. */
    ps_results pre = search("discogra*", 100), one = search("discogram", 100);
    cr_expect_gt(one.total, 0);
    cr_expect_geq(pre.total, one.total);
    for (size_t i = 0; i < one.n_hits; i++)
        cr_expect(has_id(&pre, one.hits[i].id), "%s has discogram", one.hits[i].id);
    ps_results_free(&pre);
    ps_results_free(&one);
    expect_first("lumbar discog*", "000_b14b9e5059026b7a");
    /* In a section, only pages saying it there. */
    ps_results risks = search("risks:infect*", 100);
    cr_expect_gt(risks.total, 0);
    for (size_t i = 0; i < risks.n_hits; i++)
        cr_expect_str_eq(risks.hits[i].snippet.section_key, "risks", "%s", risks.hits[i].id);
    ps_results_free(&risks);
    ps_results none = search("qzxwv*", 10);
    cr_expect_eq(none.total, 0);
    ps_results_free(&none);
}

/* Words of the dev pages (letters only, six or more), each with the
 * pages whose sections hold it. */
typedef struct word_pages {
    ps_analyzer *an;
    char (*word)[PS_TERM_MAX + 1];
    char (*page)[64];
    size_t n, cap;
} word_pages;

static void note_page_words(const char *path, const ps_page *page, void *ctx) {
    word_pages *wp = ctx;
    /* The page's id is its file's name, as indexing names it. */
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    int id_len = (int)strcspn(base, ".");
    t_words words = {0};
    cr_assert_eq(t_page_words(wp->an, page, &words), 0);
    for (size_t i = 0; i < words.n; i++) {
        const char *w = words.w[i];
        size_t len = strlen(w);
        if (len < 6 || strspn(w, "abcdefghijklmnopqrstuvwxyz") != len ||
            ps_is_stopword(w, len))
            continue;
        if (wp->n == wp->cap) {
            wp->cap = wp->cap ? wp->cap * 2 : 1024;
            wp->word = realloc(wp->word, wp->cap * sizeof *wp->word);
            wp->page = realloc(wp->page, wp->cap * sizeof *wp->page);
            cr_assert(wp->word && wp->page);
        }
        snprintf(wp->word[wp->n], sizeof wp->word[wp->n], "%s", w);
        snprintf(wp->page[wp->n], sizeof wp->page[wp->n], "%.*s", id_len, base);
        wp->n++;
    }
    free(words.w);
}

/* A word typed but for its last letter, as a prefix, finds every page
 * holding the word, also when the prefix runs past the word's stem
 * ("infecti*": "infection" is indexed as "infect"), which the index's
 * terms with the prefix miss.  Both ways the speller reads its table. */
Test(engine, a_prefix_past_the_stem_finds_its_words) {
    ps_err err = {{0}};
    word_pages wp = {.an = ps_analyzer_new(&err)};
    cr_assert_not_null(wp.an, "%s", err.msg);
    cr_assert_eq(t_dev_pages(note_page_words, &wp), 149);
    ps_searcher *s = ps_searcher_open(db_dir, &err);
    cr_assert_not_null(s, "open: %s", err.msg);
    ps_search_opts o;
    ps_search_opts_default(&o);
    o.limit = PS_LIMIT_MAX;
    o.snippets = 0;
    size_t tried = 0, past_stem = 0;
    for (int one_query = 0; one_query < 2; one_query++) {
        if (one_query)
            ps_searcher_one_query(s);
        for (size_t i = 0; i < wp.n; i += 37) {
            char q[PS_TERM_MAX + 2];
            size_t len = strlen(wp.word[i]);
            memcpy(q, wp.word[i], len - 1);
            memcpy(q + len - 1, "*", 2);
            char stem[PS_TERM_MAX * 2];
            size_t sl = ps_stem(wp.an, wp.word[i], len, stem, sizeof stem);
            past_stem += sl < len - 1 || memcmp(stem, q, len - 1) != 0;
            /* Two pages of results hold every dev page. */
            ps_results r[2];
            for (int k = 0; k < 2; k++) {
                o.offset = (size_t)k * PS_LIMIT_MAX;
                cr_assert_eq(ps_search(s, q, &o, &r[k], &err), 0, "%s: %s", q, err.msg);
            }
            cr_expect(has_id(&r[0], wp.page[i]) || has_id(&r[1], wp.page[i]),
                      "%s: %s (stem %.*s) is on %s", q, wp.word[i], (int)sl, stem, wp.page[i]);
            ps_results_free(&r[0]);
            ps_results_free(&r[1]);
            tried++;
        }
    }
    ps_searcher_close(s);
    ps_analyzer_free(wp.an);
    free(wp.word);
    free(wp.page);
    cr_expect_gt(tried, 200);
    cr_expect_gt(past_stem, tried / 4, "%zu of %zu prefixes run past the stem", past_stem, tried);
    /* In a section, only the pages saying it there. */
    ps_results risks = search("risks:infecti*", 200), any = search("infecti*", 200);
    cr_expect_gt(risks.total, 0);
    cr_expect_gt(any.total, risks.total);
    for (size_t i = 0; i < risks.n_hits; i++)
        cr_expect_str_eq(risks.hits[i].snippet.section_key, "risks", "%s", risks.hits[i].id);
    ps_results_free(&risks);
    ps_results_free(&any);
}

/* Every dev query's results, snippets and all, are written directly as
 * jansson writes them (query/results_json.h), slashes escaped or not. */
Test(engine, results_are_written_as_jansson_writes_them) {
    ps_err err = {{0}};
    ps_queries qs;
    char *path = t_path("corpus/dev/queries.tsv");
    cr_assert_eq(ps_queries_load(path, &qs, &err), 0, "%s", err.msg);
    free(path);
    ps_searcher *s = ps_searcher_open(db_dir, &err);
    cr_assert_not_null(s, "open: %s", err.msg);
    ps_search_opts o;
    ps_search_opts_default(&o);
    size_t highlighted = 0;
    for (size_t i = 0; i < qs.n; i++) {
        ps_results r;
        cr_assert_eq(ps_search(s, qs.items[i].text, &o, &r, &err), 0, "%s", err.msg);
        for (int slash = 0; slash < 2; slash++) {
            char *want = t_results_jansson(&r, slash);
            cr_assert_not_null(want, "%s", qs.items[i].text);
            ps_strbuf got = PS_STRBUF_INIT;
            cr_assert_eq(ps_results_json_write(&r, slash, &got), 0);
            cr_expect_str_eq(got.data, want, "%s", qs.items[i].text);
            ps_strbuf_free(&got);
            free(want);
        }
        highlighted += r.n_hits && r.hits[0].snippet.n_highlights;
        ps_results_free(&r);
    }
    cr_expect_gt(highlighted, qs.n / 2);
    ps_searcher_close(s);
    ps_queries_free(&qs);
}

Test(engine, hyphenated_compounds_meet) {
    ps_results a = search("x-ray", 100), b = search("xray", 100), c = search("\"x ray\"", 100);
    cr_expect_gt(a.total, 0);
    cr_expect_eq(a.total, b.total, "x-ray %zu vs xray %zu", a.total, b.total);
    /* The exact phrase is stricter ("x-rays" is not "x ray"), never wider. */
    cr_expect_gt(c.total, 0);
    for (size_t i = 0; i < c.n_hits; i++)
        cr_expect(has_id(&a, c.hits[i].id), "%s matches \"x ray\" but not x-ray", c.hits[i].id);
    ps_results_free(&a);
    ps_results_free(&b);
    ps_results_free(&c);
}

Test(engine, anything_typed_is_answered) {
    const char *odd[] = {"", "\"", "-", "risks:", "***", "\"unbalanced quote", "AND OR NOT",
                         "title:\"\"", "\xff\xfe\x80", "a b c d e f g h i j", "-lumbar",
                         "cardio*", "zzzzzzzzzzzz"};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        ps_results r = search(odd[i], 5);
        ps_results_free(&r);
    }
    ps_results neg = search("-lumbar", 200);
    cr_expect_gt(neg.total, 0, "a purely negative query still lists the other pages");
    ps_results_free(&neg);
}

Test(engine, misspelling_is_corrected) {
    ps_results r = search("epidurograpy", 5);
    cr_assert_not_null(r.did_you_mean, "no correction for epidurograpy");
    cr_expect(strncmp(r.did_you_mean, "epidurogra", 10) == 0, "did you mean '%s'", r.did_you_mean);
    cr_assert_geq(r.n_hits, 1);
    cr_expect_str_eq(r.hits[0].id, "002_4347b46140aa9454");
    ps_results_free(&r);
    r = search("lumbar discografy", 5);
    cr_assert_not_null(r.did_you_mean);
    cr_expect_str_eq(r.did_you_mean, "lumbar discogram");
    cr_assert_geq(r.n_hits, 1);
    cr_expect_str_eq(r.hits[0].id, "000_b14b9e5059026b7a");
    ps_results_free(&r);
    /* Words the index knows are never "corrected", nor short abbreviations. */
    ps_results ok = search("discography", 5);
    cr_expect_null(ok.did_you_mean);
    ps_results_free(&ok);
    ok = search("tvh", 5);
    cr_expect_null(ok.did_you_mean);
    ps_results_free(&ok);
}

Test(engine, reindexing_replaces_not_duplicates) {
    const char *rel[] = {"corpus/dev/docs"};
    ps_index_report rep;
    rejects rj = {0};
    cr_assert_eq(index_into(db_dir, rel, 1, &rep, &rj), 0);
    cr_expect_eq(rep.indexed, 0);
    cr_expect_eq(rep.replaced, 149);
    cr_expect_eq(rep.documents, 149);
}

static const ps_hit *hit_of(const ps_results *r, const char *id) {
    for (size_t i = 0; i < r->n_hits; i++)
        if (strcmp(r->hits[i].id, id) == 0)
            return &r->hits[i];
    return NULL;
}

static int same_score(double a, double b) { return fabs(a - b) <= 1e-9 * (fabs(a) + 1); }

/* The database at db answers as the serially built one does: same pages,
 * same ranking.  A sharded build numbers documents in the order its
 * writers happened to take them, so pages with equal scores may come in
 * another order, and a tie at the last rank may show another of them. */
static void expect_same_as_serial(char *db) {
    const char *queries[] = {"lumbar discogram", "spinal tap", "colonscopy", "risks:infection",
                             "\"spinal tap\""};
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        enum { TOP = 10 };
        ps_results serial = search(queries[q], TOP);
        char *keep = db_dir;
        db_dir = db;
        ps_results other = search(queries[q], TOP);
        db_dir = keep;
        cr_expect_eq(serial.total, other.total, "%s", queries[q]);
        cr_assert_eq(serial.n_hits, other.n_hits, "%s", queries[q]);
        double last = serial.n_hits ? serial.hits[serial.n_hits - 1].score : 0;
        for (size_t i = 0; i < serial.n_hits; i++) {
            const ps_hit *a = &serial.hits[i], *b = &other.hits[i];
            cr_expect(same_score(a->score, b->score), "%s rank %zu: %s %.12g, %s %.12g",
                      queries[q], i + 1, a->id, a->score, b->id, b->score);
            /* Each page scores as it did; only a full list's last tie may
             * show another page. */
            const ps_hit *same = hit_of(&serial, b->id);
            if (same)
                cr_expect(same_score(same->score, b->score), "%s: %s %.12g, was %.12g",
                          queries[q], b->id, b->score, same->score);
            else
                cr_expect(serial.n_hits == TOP && same_score(b->score, last),
                          "%s rank %zu: %s is new", queries[q], i + 1, b->id);
        }
        ps_results_free(&serial);
        ps_results_free(&other);
    }
}

/* Build the dev pages with o's threads and queue limit into a fresh
 * database, check it against the serial one, and (when again) index them
 * once more into it. */
static void sharded_build(ps_index_opts o, int again) {
    char *dir = t_tmpdir("sharded");
    cr_assert_not_null(dir);
    char *db = NULL;
    cr_assert_geq(asprintf(&db, "%s/db", dir), 0);
    char *docs = t_path("corpus/dev/docs");
    const char *paths[] = {docs};
    o.db_path = db;
    o.batch = 40;
    ps_index_report rep;
    ps_err err = {{0}};
    cr_assert_eq(ps_index_paths(&o, paths, 1, &rep, NULL, NULL, &err), 0, "%s", err.msg);
    cr_expect_eq(rep.indexed, 149);
    cr_expect_eq(rep.documents, 149);
    expect_same_as_serial(db);
    if (again) {
        /* Indexing into a database that has pages stays serial and replaces. */
        cr_assert_eq(ps_index_paths(&o, paths, 1, &rep, NULL, NULL, &err), 0, "%s", err.msg);
        cr_expect_eq(rep.replaced, 149);
        cr_expect_eq(rep.documents, 149);
    }
    t_rmtree(dir);
    free(dir);
    free(db);
    free(docs);
}

/* Two shards built side by side and merged give the same index as one
 * writer: same pages, same ranking. */
Test(engine, sharded_build_matches_serial) {
    sharded_build((ps_index_opts){.threads = 2}, 1);
}

/* Queues that hold one page at a time (their byte limit is one byte) keep
 * the reader waiting for room at every page: the build still finishes, and
 * matches the serial one.  A deadlock fails it instead of hanging the suite. */
Test(engine, shard_queues_full_by_bytes_still_build_everything, .timeout = 120) {
    sharded_build((ps_index_opts){.threads = 3, .queue_bytes = 1}, 0);
}

/* A shard that starts a new database every few pages (as a big build does
 * every PS_SHARD_PAGES_DEFAULT) still merges into the serial index, and a
 * page given twice in one run replaces its copy in an earlier piece. */
Test(engine, shard_pieces_merge_and_replace_across_pieces) {
    char *dir = t_tmpdir("pieces");
    cr_assert_not_null(dir);
    char *db = NULL;
    cr_assert_geq(asprintf(&db, "%s/db", dir), 0);
    char *docs = t_path("corpus/dev/docs");
    const char *paths[] = {docs, docs};
    ps_index_opts o = {.db_path = db, .batch = 5, .threads = 2, .shard_pages = 30};
    ps_index_report rep;
    ps_err err = {{0}};
    cr_assert_eq(ps_index_paths(&o, paths, 2, &rep, NULL, NULL, &err), 0, "%s", err.msg);
    cr_expect_eq(rep.indexed, 149);
    cr_expect_eq(rep.replaced, 149);
    cr_expect_eq(rep.documents, 149);
    expect_same_as_serial(db);
    t_rmtree(dir);
    free(dir);
    free(db);
    free(docs);
}

/* Every word of the spelling table with its frequency, a line each. */
static int add_spelling_line(const char *word, size_t len, uint32_t freq, void *ctx) {
    FILE *out = ctx;
    return fprintf(out, "%.*s %u\n", (int)len, word, freq) < 0;
}

static char *spelling_of(const char *db) {
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    cr_assert_not_null(out);
    xs_db *x = NULL;
    cr_assert_eq(xs_db_open(db, XS_DB_READ, &x), XS_OK, "%s", xs_last_error());
    cr_assert_eq(xs_db_spelling_words(x, "", add_spelling_line, out), XS_OK, "%s",
                 xs_last_error());
    xs_db_close(x);
    cr_assert_eq(fclose(out), 0);
    return text;
}

/* Each piece of each shard writes the spelling counts of its own pages, and
 * the merge adds them up: the merged table has every word with the
 * frequency one writer gives it. */
Test(engine, shard_pieces_keep_every_spelling_count) {
    char *dir = t_tmpdir("spelling");
    cr_assert_not_null(dir);
    char *serial = NULL, *sharded = NULL;
    cr_assert_geq(asprintf(&serial, "%s/serial", dir), 0);
    cr_assert_geq(asprintf(&sharded, "%s/sharded", dir), 0);
    char *docs = t_path("corpus/dev/docs");
    const char *paths[] = {docs};
    ps_index_report rep;
    ps_err err = {{0}};
    ps_index_opts o = {.db_path = serial, .batch = 40};
    cr_assert_eq(ps_index_paths(&o, paths, 1, &rep, NULL, NULL, &err), 0, "%s", err.msg);
    o = (ps_index_opts){.db_path = sharded, .batch = 5, .threads = 2, .shard_pages = 20};
    cr_assert_eq(ps_index_paths(&o, paths, 1, &rep, NULL, NULL, &err), 0, "%s", err.msg);
    cr_assert_eq(rep.documents, 149);
    char *want = spelling_of(serial), *got = spelling_of(sharded);
    cr_assert_gt(strlen(want), 10000, "the spelling table is nearly empty");
    cr_expect_str_eq(got, want);
    free(want);
    free(got);
    t_rmtree(dir);
    free(dir);
    free(serial);
    free(sharded);
    free(docs);
}

/* A phrase ending in a compound: the solid form shares the first part's
 * position, which must not shrink the phrase's window. */
Test(engine, phrases_with_compounds_match) {
    ps_results hy = search("\"chest x-ray\"", 100), sp = search("\"chest x ray\"", 100);
    cr_expect_gt(hy.total, 0, "\"chest x-ray\" found nothing");
    cr_expect_eq(hy.total, sp.total);
    ps_results_free(&hy);
    ps_results_free(&sp);
}

/* Overwriting with a sharded build replaces what the database held. */
Test(engine, sharded_overwrite_replaces_the_database) {
    char *docs = t_path("corpus/samples");
    const char *paths[] = {docs};
    ps_index_opts o = {.db_path = db_dir, .threads = 2, .overwrite = 1};
    ps_index_report rep;
    ps_err err = {{0}};
    cr_assert_eq(ps_index_paths(&o, paths, 1, &rep, NULL, NULL, &err), 0, "%s", err.msg);
    cr_expect_eq(rep.documents, 5);
    ps_results r = search("lumbar discogram", 10);
    cr_assert_geq(r.n_hits, 1);
    cr_expect_str_eq(r.hits[0].id, "000_b14b9e5059026b7a");
    ps_results_free(&r);
    free(docs);
}

/* A searcher and a suggester that have read the spelling table keep up
 * with the index: after a refresh, a word new to it is what a misspelling
 * of it is corrected to. */
Test(engine, corrections_follow_new_words_after_a_refresh) {
    ps_err err = {{0}};
    ps_searcher *s = ps_searcher_open(db_dir, &err);
    ps_suggester *sg = ps_suggester_open(db_dir, &err);
    cr_assert(s && sg, "open: %s", err.msg);
    ps_search_opts o;
    ps_search_opts_default(&o);
    ps_results r;
    ps_suggestions sug;
    cr_assert_eq(ps_search(s, "quadrangulctomy", &o, &r, &err), 0, "%s", err.msg);
    cr_expect_null(r.did_you_mean, "%s", r.did_you_mean);
    ps_results_free(&r);
    cr_assert_eq(ps_suggest(sg, "quadrangulctomy lumb", 5, &sug, &err), 0, "%s", err.msg);
    cr_expect_null(sug.did_you_mean, "%s", sug.did_you_mean);
    ps_suggestions_free(&sug);

    char *dir = t_tmpdir("newword");
    cr_assert_not_null(dir);
    char page_path[512];
    snprintf(page_path, sizeof page_path, "%s/990_quadrangulectomy.txt", dir);
    static const char page[] = "Quadrangulectomy of the lumbar facet\nCPT4 code\n"
                               "Name of the Procedure:\nQuadrangulectomy\nSummary\n"
                               "A quadrangulectomy removes a square of bone.\n";
    cr_assert_eq(t_write(page_path, page, sizeof page - 1), 0);
    const char *paths[] = {page_path};
    ps_index_opts io = {.db_path = db_dir};
    ps_index_report rep;
    cr_assert_eq(ps_index_paths(&io, paths, 1, &rep, NULL, NULL, &err), 0, "%s", err.msg);
    cr_assert_eq(rep.indexed, 1);

    int changed = 0;
    cr_assert_eq(ps_searcher_refresh(s, &changed, &err), 0, "%s", err.msg);
    cr_expect(changed);
    cr_assert_eq(ps_search(s, "quadrangulctomy", &o, &r, &err), 0, "%s", err.msg);
    cr_expect(r.did_you_mean && strcmp(r.did_you_mean, "quadrangulectomy") == 0, "%s",
              r.did_you_mean ? r.did_you_mean : "no correction");
    cr_expect_eq(r.n_hits, 1);
    ps_results_free(&r);
    cr_assert_eq(ps_suggester_refresh(sg, &changed, &err), 0, "%s", err.msg);
    cr_assert_eq(ps_suggest(sg, "quadrangulctomy lumb", 5, &sug, &err), 0, "%s", err.msg);
    cr_expect(sug.did_you_mean && strncmp(sug.did_you_mean, "quadrangulectomy ", 17) == 0, "%s",
              sug.did_you_mean ? sug.did_you_mean : "no correction");
    ps_suggestions_free(&sug);
    ps_searcher_close(s);
    ps_suggester_close(sg);
    t_rmtree(dir);
    free(dir);
}
