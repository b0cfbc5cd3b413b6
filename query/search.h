/*
 * search.h - run a query typed by a person against an index.
 *
 * A searcher holds a read-only database, the analyzer, the ranking
 * parameters stored in the database at index time, and scratch space: one
 * per thread.  Nothing a person types makes ps_search fail; it fails only
 * when the database does (and then says so).
 */
#ifndef PS_SEARCH_H
#define PS_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "indexer/weights.h"

#define PS_LIMIT_MAX 100
#define PS_OFFSET_MAX 10000

typedef struct ps_searcher ps_searcher;

/* Open path read-only.  NULL on failure with err naming the path. */
ps_searcher *ps_searcher_open(const char *path, ps_err *err);
void ps_searcher_close(ps_searcher *s);

/* Pick up the latest commit of a database that an indexer is writing to.
 * *changed (may be NULL) says whether there was a newer one. */
int ps_searcher_refresh(ps_searcher *s, int *changed, ps_err *err);

/* For a searcher that answers one query: the spelling table is read word
 * by word as the query needs it rather than once, whole, into memory at
 * its first unknown word (speller.h). */
void ps_searcher_one_query(ps_searcher *s);

/* The weights the searcher ranks with (the database's, unless overridden). */
const ps_weights *ps_searcher_weights(const ps_searcher *s);
/* Override the query-time parameters (k1, b, synonym, typo, phrase); field
 * weights are fixed in the index and are ignored here. */
void ps_searcher_set_weights(ps_searcher *s, const ps_weights *w);

typedef struct ps_search_opts {
    size_t limit;   /* results wanted (clamped to PS_LIMIT_MAX; 0 = 10) */
    size_t offset;  /* results skipped (clamped to PS_OFFSET_MAX) */
    int field;      /* restrict every word to this field, or -1 */
    int snippets;   /* compute snippets */
    int spelling;   /* correct unknown words ("did you mean") */
    int synonyms;   /* expand lay/clinical synonyms */
    int ids_only;   /* fill only id, score and docid of each hit (no page read) */
} ps_search_opts;

void ps_search_opts_default(ps_search_opts *o);

typedef struct ps_highlight {
    size_t start, end; /* byte range in the snippet text */
} ps_highlight;

typedef struct ps_snippet {
    char *section;          /* title of the section the text comes from */
    char *section_key;      /* its canonical field name, e.g. "risks" */
    char *text;             /* an excerpt, "..." where cut */
    ps_highlight *highlights;
    size_t n_highlights;
} ps_snippet;

typedef struct ps_hit {
    char *id;
    char *descriptor;
    char *name;       /* may be NULL */
    double score;
    uint32_t docid;
    ps_snippet snippet; /* section NULL when none was computed */
} ps_hit;

typedef struct ps_results {
    char *query;        /* the query as given */
    char *did_you_mean; /* the corrected query, or NULL when nothing was corrected */
    size_t total;       /* estimated number of matching pages */
    size_t offset;
    ps_hit *hits;
    size_t n_hits;
    double took_ms;
    /* Where took_ms went: reading the query (parse, analysis, spelling,
     * synonyms, building the Xapian query), Xapian's match, and reading
     * the hits' pages with their snippets. */
    double parse_ms, match_ms, fetch_ms;
} ps_results;

int ps_search(ps_searcher *s, const char *query, const ps_search_opts *opts, ps_results *out,
              ps_err *err);
void ps_results_free(ps_results *r);

/* The Xapian query ps_search would run for query with opts (parsing,
 * analysis, spelling and synonyms exactly as there), without running it:
 * *out (a new handle for the caller to xs_query_free) is NULL when the
 * query has no searchable word, and then ps_search matches nothing.  The
 * searcher ranks it with BM25(k1, 0, 1, b, 0.5), k1 and b from
 * ps_searcher_weights.  For benchmarks that run it on plain Xapian. */
struct xs_query;
int ps_search_build_query(ps_searcher *s, const char *query, const ps_search_opts *opts,
                          struct xs_query **out, ps_err *err);

#endif
