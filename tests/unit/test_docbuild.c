/*
 * test_docbuild.c - the terms one page becomes (docbuild.h), what their
 * positions allow (phrases over stems, never across fields), the spelling
 * counts written per batch, and the index-format stamp (format.h).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexer/docbuild.h"
#include "indexer/docdata.h"
#include "indexer/format.h"
#include "test_shim_util.h"

static const char PAGE[] =
    "Search all medical codes\n"
    "Removal of the gallbladder, laparoscopic\n"
    "Name of the Procedure:\n"
    "Laparoscopic Cholecystectomy\n"
    "Summary\n"
    "The surgeon removes it through small cuts; the gallbladder comes out.\n"
    "An X-ray and over-the-counter pain relief may follow, before going under.\n"
    "Risks and Complications\n"
    "Bleeding, infection, injury to the bile duct, and reactions to general anaesthesia.\n";

typedef struct {
    char term[128];
    uint32_t wdf;
} term_wdf;

typedef struct {
    term_wdf t[512];
    size_t n;
} term_list;

static int collect(const char *term, size_t len, uint32_t wdf, void *ctx) {
    term_list *l = ctx;
    cr_assert_lt(l->n, sizeof l->t / sizeof l->t[0]);
    cr_assert_lt(len, sizeof l->t[0].term);
    memcpy(l->t[l->n].term, term, len);
    l->t[l->n].term[len] = '\0';
    l->t[l->n++].wdf = wdf;
    return 0;
}

/* The wdf of term in l, or -1 when absent. */
static long wdf_of(const term_list *l, const char *term) {
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->t[i].term, term) == 0)
            return l->t[i].wdf;
    return -1;
}

static ps_page *parse(const char *id, const char *text) {
    ps_page *page = NULL;
    ps_err err = {0};
    cr_assert_eq(ps_page_parse(id, "test", text, strlen(text), &page, &err), 0, "%s", err.msg);
    return page;
}

static ps_docbuilder *builder(ps_weights *w) {
    ps_err err = {0};
    ps_weights_default(w);
    ps_docbuilder *b = ps_docbuilder_new(w, &err);
    cr_assert_not_null(b, "%s", err.msg);
    return b;
}

static xs_doc *build(ps_docbuilder *b, const char *id, const char *text, term_list *terms) {
    ps_page *page = parse(id, text);
    xs_doc *doc = NULL;
    ps_err err = {0};
    cr_assert_eq(ps_docbuild(b, page, &doc, &err), 0, "%s", err.msg);
    ps_page_free(page);
    if (terms) {
        terms->n = 0;
        cr_assert_eq(xs_doc_termlist(doc, collect, terms), XS_OK);
    }
    return doc;
}

TestSuite(docbuild, .init = xs_test_setup, .fini = xs_test_teardown);

Test(docbuild, term_families) {
    ps_weights w;
    ps_docbuilder *b = builder(&w);
    term_list l;
    xs_doc *doc = build(b, "chole-01", PAGE, &l);
    cr_expect_eq(wdf_of(&l, "Qchole-01"), 0, "the id term is boolean");
    cr_expect_gt(wdf_of(&l, "Zgallbladd"), 0);
    cr_expect_gt(wdf_of(&l, "Zbleed"), 0);
    /* the solid form of a compound ranks as well as its parts */
    cr_expect_gt(wdf_of(&l, "Zxray"), 0);
    cr_expect_gt(wdf_of(&l, "Zray"), 0);
    /* stopwords rank nothing; a stopword part of a compound keeps only its
     * positions ("the" of "over-the-counter"), with no weight */
    cr_expect_eq(wdf_of(&l, "Zof"), -1);
    cr_expect_eq(wdf_of(&l, "Zthe"), 0);
    cr_expect_eq(wdf_of(&l, "Zan"), -1);
    /* section filters, boolean, one per field the stem occurs in */
    char risks[64], summary[64];
    snprintf(risks, sizeof risks, "%sbleed", ps_field_prefix(ps_field_of_section(PS_SEC_RISKS)));
    snprintf(summary, sizeof summary, "%sbleed",
             ps_field_prefix(ps_field_of_section(PS_SEC_SUMMARY)));
    cr_expect_eq(wdf_of(&l, risks), 0, "%s", risks);
    cr_expect_eq(wdf_of(&l, summary), -1, "%s", summary);
    /* no unstemmed copies: every term has an upper-case prefix */
    for (size_t i = 0; i < l.n; i++)
        cr_expect(l.t[i].term[0] >= 'A' && l.t[i].term[0] <= 'Z', "unprefixed term '%s'",
                  l.t[i].term);
    xs_doc_free(doc);
    ps_docbuilder_free(b);
}

/* The page is stored whole in one zstd frame (docdata.h "PSD3") in its
 * value slot, which Xapian never deflates, and the document data is
 * empty; the heading slot holds exactly the plain heading-only record. */
Test(docbuild, stored_page_and_heading_slot) {
    ps_weights w;
    ps_docbuilder *b = builder(&w);
    xs_doc *doc = build(b, "chole-01", PAGE, NULL);
    const char *data = NULL, *slot = NULL;
    size_t data_len = 0, slot_len = 0, head_len = 0;
    cr_assert_eq(xs_doc_get_value(doc, PS_VALUE_PAGE, &data, &data_len), XS_OK);
    cr_assert_geq(data_len, 4);
    cr_expect_eq(memcmp(data, "PSD3", 4), 0);
    cr_assert_eq(xs_doc_get_data(doc, &data, &data_len), XS_OK);
    cr_expect_eq(data_len, 0);
    cr_assert_eq(xs_doc_get_value(doc, PS_VALUE_HEADING, &slot, &slot_len), XS_OK);
    ps_page *page = parse("chole-01", PAGE);
    char *head = ps_docdata_encode_heading(page, &head_len);
    cr_assert_not_null(head);
    cr_expect_eq(slot_len, head_len);
    cr_expect(slot_len == head_len && memcmp(slot, head, head_len) == 0);
    free(head);
    ps_page_free(page);
    xs_doc_free(doc);
    ps_docbuilder_free(b);
}

/* BM25F: a stem's wdf is the sum over its words of each word's field
 * weights, each word rounded on its own. */
Test(docbuild, wdf_sums_field_weights_per_word) {
    ps_weights w;
    ps_docbuilder *b = builder(&w);
    term_list l;
    xs_doc *doc = build(b, "chole-01", PAGE, &l);
    double name = w.field[PS_F_NAME], summary = w.field[ps_field_of_section(PS_SEC_SUMMARY)];
    double descriptor = w.field[PS_F_DESCRIPTOR];
    /* "laparoscopic" twice: descriptor and name */
    cr_expect_eq(wdf_of(&l, "Zlaparoscop"), ps_weights_wdf(descriptor + name));
    /* "gallbladder" in descriptor and summary */
    cr_expect_eq(wdf_of(&l, "Zgallbladd"), ps_weights_wdf(descriptor + summary));
    /* "removal" (descriptor) and "removes" (summary) share a stem but are
     * rounded apart */
    cr_expect_eq(wdf_of(&l, "Zremov"), ps_weights_wdf(descriptor) + ps_weights_wdf(summary));
    xs_doc_free(doc);
    ps_docbuilder_free(b);
}

/* Each synonym group a member of which occurs gets its term, weighted
 * like a word (corpus/synonyms.txt: "cholecystectomy | gallbladder removal
 * ...", "radiograph | x-ray | xray | x ray ...", "general anesthesia |
 * general anaesthesia | ... | going under"). */
Test(docbuild, synonym_group_terms) {
    ps_weights w;
    ps_docbuilder *b = builder(&w);
    term_list l;
    xs_doc *doc = build(b, "chole-01", PAGE, &l);
    double name = w.field[PS_F_NAME], summary = w.field[ps_field_of_section(PS_SEC_SUMMARY)];
    double risks = w.field[ps_field_of_section(PS_SEC_RISKS)];
    cr_expect_eq(wdf_of(&l, "Scholecystectomi"), ps_weights_wdf(name));
    /* a two-word member, spelt the British way */
    cr_expect_eq(wdf_of(&l, "Sgeneral_anesthesia"), ps_weights_wdf(risks));
    /* "X-ray" is one occurrence, though its parts and its solid form are
     * both members */
    long xray = -1;
    for (size_t i = 0; i < l.n; i++)
        if (strcmp(l.t[i].term, "Sradiograph") == 0 || strcmp(l.t[i].term, "Sradiogram") == 0)
            xray = l.t[i].wdf;
    cr_expect_eq(xray, ps_weights_wdf(summary));
    /* "going under" is no key: it would be "go" */
    xs_doc_free(doc);
    doc = build(b, "p2", "Going under\nSummary\nWe go home after going under.\n", &l);
    cr_expect_eq(wdf_of(&l, "Sgeneral_anesthesia"), -1);
    xs_doc_free(doc);
    ps_docbuilder_free(b);
}

Test(docbuild, bad_id_rejects_the_page_only) {
    ps_weights w;
    ps_docbuilder *b = builder(&w);
    ps_page *page = parse("x", PAGE);
    free(page->id);
    page->id = strdup("");
    xs_doc *doc = NULL;
    ps_err err = {0};
    cr_expect_eq(ps_docbuild(b, page, &doc, &err), 1);
    cr_expect_null(doc);
    cr_expect(strstr(err.msg, "page id") != NULL, "%s", err.msg);
    ps_page_free(page);
    /* the builder goes on with the next page */
    xs_doc_free(build(b, "ok", PAGE, NULL));
    ps_docbuilder_free(b);
}

static xs_db *db_with(ps_docbuilder *b, const char *text) {
    char path[128];
    snprintf(path, sizeof path, "%s/db", xs_test_dir());
    xs_db *db = NULL;
    cr_assert_eq(xs_db_open(path, XS_DB_CREATE_OR_OVERWRITE, &db), XS_OK, "%s", xs_last_error());
    xs_doc *doc = build(b, "p1", text, NULL);
    cr_assert_eq(xs_db_replace_by_term(db, "Qp1", doc, NULL, NULL), XS_OK, "%s", xs_last_error());
    xs_doc_free(doc);
    return db;
}

static uint32_t count_matches(xs_db *db, xs_query *q) {
    xs_enquire *enq = NULL;
    xs_mset *m = NULL;
    cr_assert_eq(xs_enquire_new(db, &enq), XS_OK);
    cr_assert_eq(xs_enquire_set_query(enq, q), XS_OK);
    cr_assert_eq(xs_enquire_mset(enq, 0, 10, 0, &m), XS_OK, "%s", xs_last_error());
    uint32_t n = (uint32_t)xs_mset_size(m);
    xs_mset_free(m);
    xs_enquire_free(enq);
    xs_query_free(q);
    return n;
}

static xs_query *phrase(const char *a, const char *b, uint32_t window) {
    xs_query *t[2] = {NULL, NULL}, *q = NULL;
    cr_assert_eq(xs_query_term(a, 1, 1, &t[0]), XS_OK);
    cr_assert_eq(xs_query_term(b, 1, 2, &t[1]), XS_OK);
    cr_assert_eq(xs_query_combine(XS_OP_PHRASE, t, 2, window, &q), XS_OK);
    xs_query_free(t[0]);
    xs_query_free(t[1]);
    return q;
}

/* "Removal of the gallbladder": the stopwords are not indexed but keep
 * their places, so the stems are three apart; nothing phrases across the
 * gap between fields. */
Test(docbuild, positions_keep_stopword_gaps_and_field_gaps) {
    ps_weights w;
    ps_docbuilder *b = builder(&w);
    xs_db *db = db_with(b, PAGE);
    cr_expect_eq(count_matches(db, phrase("Zremov", "Zgallbladd", 4)), 1);
    cr_expect_eq(count_matches(db, phrase("Zremov", "Zgallbladd", 3)), 0);
    cr_expect_eq(count_matches(db, phrase("Zgallbladd", "Zremov", 4)), 0, "order matters");
    cr_expect_eq(count_matches(db, phrase("Zx", "Zray", 2)), 1, "compound parts are adjacent");
    cr_expect_eq(count_matches(db, phrase("Zthe", "Zcounter", 2)), 1,
                 "a stopword part keeps its place");
    /* "laparoscopic" ends the descriptor, "laparoscopic" starts the name */
    cr_expect_eq(count_matches(db, phrase("Zlaparoscop", "Zlaparoscop", 20)), 0);
    cr_expect_eq(xs_db_close(db), XS_OK);
    ps_docbuilder_free(b);
}

static int suggests(xs_db *db, const char *typo, const char *want) {
    char *s = NULL;
    cr_assert_eq(xs_db_spelling_suggestion(db, typo, 2, &s), XS_OK, "%s", xs_last_error());
    int ok = s && strcmp(s, want) == 0;
    free(s);
    return ok;
}

Test(docbuild, spelling_waits_for_the_flush) {
    ps_weights w;
    ps_docbuilder *b = builder(&w);
    xs_db *db = db_with(b, PAGE);
    cr_expect(!suggests(db, "gallbladdr", "gallbladder"), "written before the flush");
    ps_err err = {0};
    cr_assert_eq(ps_docbuilder_flush_spelling(b, db, &err), 0, "%s", err.msg);
    cr_expect(suggests(db, "gallbladdr", "gallbladder"));
    cr_expect(suggests(db, "cholecystectom", "cholecystectomy"));
    /* a second flush has nothing left to add and must not fail */
    cr_expect_eq(ps_docbuilder_flush_spelling(b, db, &err), 0, "%s", err.msg);
    cr_expect_eq(xs_db_close(db), XS_OK);
    ps_docbuilder_free(b);
}

Test(docbuild, format_stamp_and_check) {
    ps_weights w;
    ps_docbuilder *b = builder(&w);
    ps_err err = {0};
    char path[128];
    snprintf(path, sizeof path, "%s/empty", xs_test_dir());
    xs_db *empty = NULL;
    cr_assert_eq(xs_db_open(path, XS_DB_CREATE_OR_OVERWRITE, &empty), XS_OK);
    cr_expect_eq(ps_format_check(empty, path, &err), 0, "an empty database takes any layout");
    cr_expect_eq(xs_db_close(empty), XS_OK);

    xs_db *db = db_with(b, PAGE); /* pages, no stamp: an older build */
    cr_expect_eq(ps_format_check(db, "old-db", &err), -1);
    cr_expect(strstr(err.msg, "old-db") && strstr(err.msg, "format 1") &&
                  strstr(err.msg, "--overwrite"),
              "%s", err.msg);
    cr_assert_eq(ps_format_stamp(db, "old-db", &err), 0, "%s", err.msg);
    cr_expect_eq(ps_format_check(db, "old-db", &err), 0, "%s", err.msg);
    /* The layouts before whole compressed pages and before compressed
     * pages are still read; an older one not. */
    cr_assert_eq(xs_db_set_metadata(db, PS_META_FORMAT, "4", 1), XS_OK);
    cr_expect_eq(ps_format_check(db, "db-4", &err), 0, "%s", err.msg);
    cr_assert_eq(xs_db_set_metadata(db, PS_META_FORMAT, "3", 1), XS_OK);
    cr_expect_eq(ps_format_check(db, "db-3", &err), 0, "%s", err.msg);
    cr_assert_eq(xs_db_set_metadata(db, PS_META_FORMAT, "2", 1), XS_OK);
    cr_expect_eq(ps_format_check(db, "db-2", &err), -1);
    cr_assert_eq(xs_db_set_metadata(db, PS_META_FORMAT, "9", 1), XS_OK);
    cr_expect_eq(ps_format_check(db, "new-db", &err), -1);
    cr_expect(strstr(err.msg, "format 9"), "%s", err.msg);
    cr_expect_eq(xs_db_close(db), XS_OK);
    ps_docbuilder_free(b);
}
