/*
 * suggest.h - search-as-you-type: what to show under a search box after
 * each keystroke.
 *
 * Unless the query ends in a space, its last word is taken as the start of
 * a word still being typed.  It is completed against the index vocabulary
 * (the spelling table: words of three letters or more without digits, with
 * the number of pages holding each; stopwords skipped) and the words of the
 * top pages' names, keeping only the most frequent completions, and the pages matching any of them together
 * with the earlier words are ranked as a search would rank them.  The
 * earlier words get the same spelling correction as in a search, so the
 * completed query texts ("lumbr disc" -> "lumbar discogram") are what the
 * person most likely means.  No snippets are made, and the match count is
 * only checked as far as the results asked for: a suggestion costs a small
 * bounded amount of work whatever the size of the index.
 *
 * A suggester holds its own read-only database handle, analyzer and
 * enquire session: one per thread, like a ps_searcher.
 */
#ifndef PS_SUGGEST_H
#define PS_SUGGEST_H

#include <stddef.h>

#include "common/err.h"
#include "shim/xapian_shim.h"

#define PS_SUGGEST_LIMIT_DEFAULT 8
#define PS_SUGGEST_LIMIT_MAX 20
/* Completed query texts offered at most. */
#define PS_SUGGEST_COMPLETIONS 5

typedef struct ps_suggester ps_suggester;

/* Open path read-only.  NULL on failure with err naming the path. */
ps_suggester *ps_suggester_open(const char *path, ps_err *err);
void ps_suggester_close(ps_suggester *sg);

/* For one query: see ps_searcher_one_query. */
void ps_suggester_one_query(ps_suggester *sg);

/* Pick up the latest commit (see ps_searcher_refresh). */
int ps_suggester_refresh(ps_suggester *sg, int *changed, ps_err *err);

/* The database handle, borrowed: for fetching pages and statistics on the
 * same thread without opening the database twice. */
xs_db *ps_suggester_db(ps_suggester *sg);

typedef struct ps_suggest_hit {
    char *id;
    char *descriptor;
    char *name; /* may be NULL */
    double score;
} ps_suggest_hit;

typedef struct ps_suggestions {
    char *query;          /* as given */
    char *prefix;         /* the folded word completed, or NULL when none was */
    char **completions;   /* whole query texts, most likely first */
    size_t n_completions;
    char *did_you_mean;   /* the query with earlier words corrected, or NULL */
    ps_suggest_hit *hits; /* the top pages */
    size_t n_hits;
    double took_ms;
} ps_suggestions;

/* limit: pages wanted (0 = PS_SUGGEST_LIMIT_DEFAULT, clamped to
 * PS_SUGGEST_LIMIT_MAX).  Unlike ps_search, which ranks every match, a
 * keystroke ranks at most 40,000 candidates: all the pages of a word on no
 * more than that, else the first 40,000 in index order, so that it costs
 * about the same on any size of index.  For the same reason it ranks
 * without length normalisation, and on an index of more than twice that
 * leaves out words on more than half the pages beside a rarer one
 * (suggest.c).
 * As with ps_search, nothing typed makes this fail: only the database can
 * (err says so), and then *out is left empty. */
int ps_suggest(ps_suggester *sg, const char *query, size_t limit, ps_suggestions *out,
               ps_err *err);
void ps_suggestions_free(ps_suggestions *s);

#endif
