#include "query/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/progress.h"
#include "corpus/page.h"
#include "indexer/analyze.h"
#include "indexer/docbuild.h"
#include "indexer/docdata.h"
#include "indexer/format.h"
#include "indexer/index_run.h"
#include "query/qbuild.h"
#include "query/qparse.h"
#include "query/snippet.h"
#include "query/speller.h"
#include "query/synmap.h"
#include "shim/xapian_shim.h"

struct ps_searcher {
    char *path;
    xs_db *db;
    xs_enquire *enq;
    ps_analyzer *an;
    ps_synmap *syn;
    ps_weights w;
    int overridden;      /* query-time weights set by ps_searcher_set_weights */
    ps_weights override; /* ... which survive a refresh */
    ps_docdata_codec *codec; /* reads the pages of hits */
    ps_speller *spell;
};

void ps_search_opts_default(ps_search_opts *o) {
    *o = (ps_search_opts){.limit = 10, .field = -1, .snippets = 1, .spelling = 1, .synonyms = 1};
}

static int load_weights(ps_searcher *s, ps_err *err) {
    ps_weights_default(&s->w);
    char *stored = NULL;
    if (xs_db_get_metadata(s->db, PS_META_WEIGHTS, &stored, NULL) != XS_OK)
        return ps_err_set(err, "%s: %s", s->path, xs_last_error());
    int rc = *stored ? ps_weights_parse(stored, s->path, &s->w, err) : 0;
    free(stored);
    return rc;
}

/* What a searcher reads from the database besides postings: the ranking
 * weights stored at index time and the synonym table. */
static int load_settings(ps_searcher *s, ps_err *err) {
    ps_synmap *syn = ps_synmap_load(s->db, err);
    if (!syn)
        return ps_err_prefix(err, "%s", s->path);
    ps_synmap_free(s->syn);
    s->syn = syn;
    return load_weights(s, err);
}

ps_searcher *ps_searcher_open(const char *path, ps_err *err) {
    ps_searcher *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        ps_err_set(err, "out of memory");
        return NULL;
    }
    xs_status st = xs_db_open(path, XS_DB_READ, &s->db);
    if (st != XS_OK) {
        ps_err_set(err, "%s: %s", path,
                   st == XS_ERR_NOT_FOUND ? "no database here (create one with 'procsearch index')"
                                          : xs_last_error());
        ps_searcher_close(s);
        return NULL;
    }
    if (ps_format_check(s->db, path, err) < 0 || load_settings(s, err) < 0 ||
        !(s->an = ps_analyzer_new(err))) {
        ps_searcher_close(s);
        return NULL;
    }
    if (!(s->codec = ps_docdata_codec_new()) || !(s->spell = ps_speller_new(s->db, 1))) {
        ps_err_set(err, "out of memory");
        ps_searcher_close(s);
        return NULL;
    }
    if (xs_enquire_new(s->db, &s->enq) != XS_OK) {
        ps_err_set(err, "%s: %s", path, xs_last_error());
        ps_searcher_close(s);
        return NULL;
    }
    return s;
}

void ps_searcher_close(ps_searcher *s) {
    if (!s)
        return;
    xs_enquire_free(s->enq);
    ps_analyzer_free(s->an);
    ps_synmap_free(s->syn);
    ps_docdata_codec_free(s->codec);
    ps_speller_free(s->spell);
    xs_db_close(s->db);
    free(s->path);
    free(s);
}

static void apply_override(ps_searcher *s) {
    if (!s->overridden)
        return;
    const ps_weights *w = &s->override;
    s->w.k1 = w->k1;
    s->w.b = w->b;
    s->w.synonym = w->synonym;
    s->w.typo = w->typo;
    s->w.phrase = w->phrase;
}

int ps_searcher_refresh(ps_searcher *s, int *changed, ps_err *err) {
    int moved = 0;
    if (xs_db_reopen(s->db, &moved) != XS_OK) {
        ps_speller_forget(s->spell); /* Xapian may have moved part way */
        return ps_err_set(err, "%s: %s", s->path, xs_last_error());
    }
    if (changed)
        *changed = moved;
    if (!moved)
        return 0;
    ps_speller_forget(s->spell);
    if (load_settings(s, err) < 0)
        return -1;
    apply_override(s);
    return 0;
}

const ps_weights *ps_searcher_weights(const ps_searcher *s) { return &s->w; }

void ps_searcher_one_query(ps_searcher *s) { ps_speller_remember(s->spell, 0); }


void ps_searcher_set_weights(ps_searcher *s, const ps_weights *w) {
    s->override = *w;
    s->overridden = 1;
    apply_override(s);
}

/* Display fields and snippet of one hit.  A snippet needs the stored page,
 * which holds the display fields too: reading them from their value slots
 * as well would cost three more lookups per hit, a quarter of its time. */
static int fill_hit(ps_searcher *s, const xs_mset *m, size_t i, const ps_qbuilt *built,
                    const ps_search_opts *o, ps_hit *hit, ps_err *err) {
    hit->docid = xs_mset_docid(m, i);
    hit->score = xs_mset_weight(m, i);
    xs_doc *doc = NULL;
    if (xs_mset_doc(m, i, &doc) != XS_OK)
        return ps_err_set(err, "%s: document %u: %s", s->path, hit->docid, xs_last_error());
    int rc = 0;
    if (!o->snippets || o->ids_only) {
        rc = ps_doc_display(doc, &hit->id, o->ids_only ? NULL : &hit->descriptor,
                            o->ids_only ? NULL : &hit->name, err);
        if (rc < 0)
            ps_err_prefix(err, "%s: document %u", s->path, hit->docid);
        /* Empty slots mean a database from before the stored page format
         * that goes with them: its pages cannot be read either. */
        else if (rc > 0)
            rc = ps_err_set(err, "%s: document %u has no id (index the pages again)", s->path,
                            hit->docid);
        xs_doc_free(doc);
        return rc;
    }
    char origin[64];
    snprintf(origin, sizeof origin, "%s: document %u", s->path, hit->docid);
    ps_page *page = NULL;
    rc = ps_doc_page(s->codec, doc, origin, &page, err);
    xs_doc_free(doc);
    if (rc < 0)
        return rc;
    if (ps_page_take_display(page, &hit->id, &hit->descriptor, &hit->name) < 0)
        rc = ps_err_set(err, "out of memory");
    else
        rc = ps_snippet_make(s->an, page, &built->matched, built->field, &hit->snippet, err);
    ps_page_free(page);
    return rc;
}

static int run_query(ps_searcher *s, const ps_qbuilt *built, const ps_search_opts *o,
                     ps_results *out, ps_err *err) {
    if (xs_enquire_set_query(s->enq, built->query) != XS_OK ||
        xs_enquire_set_bm25(s->enq, s->w.k1, 0, 1, s->w.b, 0.5) != XS_OK)
        return ps_err_set(err, "%s: %s", s->path, xs_last_error());
    xs_mset *m = NULL;
    double t0 = ps_now();
    if (xs_enquire_mset(s->enq, (uint32_t)o->offset, (uint32_t)o->limit, 0, &m) != XS_OK)
        return ps_err_set(err, "%s: search failed: %s", s->path, xs_last_error());
    double t1 = ps_now();
    out->match_ms = (t1 - t0) * 1000.0;
    out->total = xs_mset_matches_estimated(m);
    size_t n = xs_mset_size(m);
    int rc = 0;
    if (n && !(out->hits = calloc(n, sizeof *out->hits))) {
        xs_mset_free(m);
        return ps_err_set(err, "out of memory");
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = fill_hit(s, m, i, built, o, &out->hits[i], err);
        out->n_hits = i + 1;
    }
    xs_mset_free(m);
    out->fetch_ms = (ps_now() - t1) * 1000.0;
    return rc;
}

/* The query language and analysis: text -> what run_query runs.  On
 * failure nothing is left to free. */
static int build_query(ps_searcher *s, const char *text, const ps_search_opts *o,
                       ps_qbuilt *built, ps_err *err) {
    ps_qparsed parsed;
    if (ps_qparse(text, strlen(text), &parsed, err) < 0) {
        ps_qparsed_free(&parsed);
        return -1;
    }
    ps_qbuild_in in = {.db = s->db, .an = s->an, .w = &s->w, .field = o->field,
                       .spelling = o->spelling, .speller = s->spell,
                       .syn = o->synonyms ? s->syn : NULL};
    int rc = ps_qbuild(&in, text, &parsed, built, err);
    ps_qparsed_free(&parsed);
    return rc;
}

int ps_search_build_query(ps_searcher *s, const char *query, const ps_search_opts *opts,
                          xs_query **out, ps_err *err) {
    *out = NULL;
    ps_qbuilt built;
    if (build_query(s, query ? query : "", opts, &built, err) < 0)
        return -1;
    *out = built.query; /* handed over: ps_qbuilt_free must not free it */
    built.query = NULL;
    ps_qbuilt_free(&built);
    return 0;
}

int ps_search(ps_searcher *s, const char *query, const ps_search_opts *opts, ps_results *out,
              ps_err *err) {
    double t0 = ps_now();
    ps_search_opts o = *opts;
    if (o.limit == 0)
        o.limit = 10;
    if (o.limit > PS_LIMIT_MAX)
        o.limit = PS_LIMIT_MAX;
    if (o.offset > PS_OFFSET_MAX)
        o.offset = PS_OFFSET_MAX;
    memset(out, 0, sizeof *out);
    out->offset = o.offset;
    if (!(out->query = strdup(query ? query : "")))
        return ps_err_set(err, "out of memory");
    ps_qbuilt built;
    int rc = build_query(s, out->query, &o, &built, err);
    out->parse_ms = (ps_now() - t0) * 1000.0;
    if (rc == 0) { /* build_query frees what it built when it fails */
        if (built.query)
            rc = run_query(s, &built, &o, out, err);
        if (rc == 0 && built.corrected) {
            out->did_you_mean = built.corrected;
            built.corrected = NULL;
        }
        ps_qbuilt_free(&built);
    }
    if (rc < 0) {
        ps_results_free(out);
        return -1;
    }
    out->took_ms = (ps_now() - t0) * 1000.0;
    return 0;
}

void ps_results_free(ps_results *r) {
    for (size_t i = 0; i < r->n_hits; i++) {
        ps_hit *h = &r->hits[i];
        free(h->id);
        free(h->descriptor);
        free(h->name);
        ps_snippet_free(&h->snippet);
    }
    free(r->hits);
    free(r->query);
    free(r->did_you_mean);
    memset(r, 0, sizeof *r);
}
