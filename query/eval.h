/*
 * eval.h - measured relevance: test queries, graded judgments (qrels), TREC
 * run files, and the metrics that say how well a ranking serves them.
 *
 * The metrics follow trec_eval so that figures can be compared with other
 * engines scored by it:
 *   nDCG@10   trec_eval's ndcg_cut_10: gain = grade (negative grades gain
 *             0), DCG = sum of gain_i / log2(i + 1) over ranks 1..10, divided
 *             by the DCG of the query's judged grades sorted descending.
 *   MRR@10    1 / rank of the first wanted page (grade >= PS_GRADE_WANTED)
 *             within the top 10, else 0.
 *   P@1       1 when the rank-1 page is wanted, else 0.
 *   R@10      relevant pages (grade >= 1) in the top 10 / all relevant
 *             pages judged for the query.
 * A page listed twice in one ranking counts at its first rank only; pages
 * without a judgment gain 0.  Averages are over the queries that have at
 * least one relevant judgment, as trec_eval does; the others are counted as
 * skipped.  Unlike trec_eval's default (and like its -c), a query that the
 * engine found nothing for counts, with zeros.
 *
 * File formats (blank lines are ignored; a leading UTF-8 BOM is too):
 *   queries   qid TAB type TAB query text       (type: coder, lay, ...)
 *   qrels     qid iter docid grade               (whitespace-separated)
 *   run       qid Q0 docid rank score tag        (whitespace-separated)
 * A malformed line fails the load with a message naming file:line.
 */
#ifndef PS_EVAL_H
#define PS_EVAL_H

#include <stddef.h>
#include <stdio.h>

#include "common/err.h"
#include "indexer/index_run.h"
#include "indexer/weights.h"
#include "query/search.h"

#define PS_EVAL_CUTOFF 10       /* the @10 of every metric */
#define PS_GRADE_WANTED 2       /* the grade of "the page the query asks for" */
#define PS_EVAL_DEPTH_DEFAULT 100
#define PS_EVAL_DEPTH_MAX 1000
#define PS_EVAL_TAG "procsearch"

/* ---- queries ---------------------------------------------------------- */

typedef struct ps_query {
    const char *qid, *type, *text; /* point into the loaded file */
    size_t type_index;             /* into ps_queries.types */
    size_t line;
} ps_query;

/* A query by reference, for the sorted index (a struct, so that arrays of
 * them are sized without sizeof on a pointer type). */
typedef struct ps_query_ref {
    const ps_query *q;
} ps_query_ref;

typedef struct ps_queries {
    ps_query *items; /* in file order */
    size_t n;
    const char **types; /* distinct types, in first-seen order */
    size_t n_types;
    ps_query_ref *by_qid; /* sorted by qid, for ps_queries_find */
    char *buf;
} ps_queries;

/* Parse text[0..len) (copied); origin names it in messages.  A qid may not
 * hold whitespace (run files could not carry it) nor appear twice. */
int ps_queries_parse(const char *text, size_t len, const char *origin, ps_queries *out,
                     ps_err *err);
int ps_queries_load(const char *path, ps_queries *out, ps_err *err);
const ps_query *ps_queries_find(const ps_queries *qs, const char *qid);
void ps_queries_free(ps_queries *qs);

/* ---- judgments -------------------------------------------------------- */

typedef struct ps_qrel {
    const char *qid, *docid;
    int grade;
    size_t line;
} ps_qrel;

/* The judgments of one query: a run of ps_qrels.items sorted by docid. */
typedef struct ps_qrel_group {
    const char *qid;
    const ps_qrel *items;
    size_t n;
} ps_qrel_group;

typedef struct ps_qrels {
    ps_qrel *items; /* sorted by qid, then docid */
    size_t n;
    ps_qrel_group *groups; /* sorted by qid */
    size_t n_groups;
    char *buf;
} ps_qrels;

/* A page judged twice for one query is an error naming both lines. */
int ps_qrels_parse(const char *text, size_t len, const char *origin, ps_qrels *out, ps_err *err);
int ps_qrels_load(const char *path, ps_qrels *out, ps_err *err);
/* NULL when the query has no judgments. */
const ps_qrel_group *ps_qrels_of(const ps_qrels *q, const char *qid);
/* The grade of docid in the group (0 when unjudged or g is NULL). */
int ps_qrel_grade(const ps_qrel_group *g, const char *docid);
void ps_qrels_free(ps_qrels *q);

/* ---- run files -------------------------------------------------------- */

typedef struct ps_run_line {
    const char *qid, *docid;
    long rank;
    double score;
    size_t line;
} ps_run_line;

typedef struct ps_run_group {
    const char *qid;
    const ps_run_line *items; /* ranked: see ps_run_parse */
    size_t n;
} ps_run_group;

typedef struct ps_run {
    ps_run_line *items;
    size_t n;
    ps_run_group *groups; /* sorted by qid */
    size_t n_groups;
    char *buf;
} ps_run;

/* Each query's lines are ranked by score descending, as trec_eval does;
 * equal scores keep the run's rank order (trec_eval would order them by
 * docid instead, so only runs with tied scores can read differently). */
int ps_run_parse(const char *text, size_t len, const char *origin, ps_run *out, ps_err *err);
int ps_run_load(const char *path, ps_run *out, ps_err *err);
const ps_run_group *ps_run_of(const ps_run *r, const char *qid);
void ps_run_free(ps_run *r);

/* One "qid Q0 docid rank score tag" line; -1 with err naming `name` when
 * writing fails. */
int ps_run_write_line(FILE *f, const char *name, const char *qid, const char *docid, size_t rank,
                      double score, const char *tag, ps_err *err);

/* ---- metrics ---------------------------------------------------------- */

typedef struct ps_metrics {
    double ndcg10, mrr10, p1, recall10;
    size_t first_rank; /* rank of the first wanted page in the whole ranking, 0 = none */
    size_t relevant;   /* judged pages of grade >= 1; 0 = the query is skipped */
} ps_metrics;

/* Metrics of docids[0..n) (best first) against the judgments g (NULL when
 * the query has none).  Fails only when out of memory. */
int ps_metrics_of_ranking(const ps_qrel_group *g, const char *const *docids, size_t n,
                          ps_metrics *m, ps_err *err);

/* ---- evaluation ------------------------------------------------------- */

typedef struct ps_eval_entry {
    const ps_query *query; /* borrowed from the ps_queries evaluated */
    ps_metrics m;
    char *top1; /* the rank-1 page, NULL when nothing was found */
} ps_eval_entry;

typedef struct ps_eval_avg {
    double ndcg10, mrr10, p1, recall10;
    size_t queries; /* averaged over */
    size_t skipped; /* without a relevant judgment */
} ps_eval_avg;

typedef struct ps_eval_report {
    ps_eval_entry *entries; /* one per query, in file order */
    size_t n;
    ps_eval_avg overall;
    ps_eval_avg *by_type; /* indexed like ps_queries.types */
    size_t n_types;
    size_t run_unknown; /* run queries not in the query file, ignored */
    double seconds;     /* searching or scoring, loading excluded */
} ps_eval_report;

typedef struct ps_eval_opts {
    size_t depth;     /* how deep to rank (PS_EVAL_CUTOFF..PS_EVAL_DEPTH_MAX): the run
                         holds the top depth, and first_rank looks this far */
    int spelling;     /* as ps_search_opts */
    int synonyms;
    int progress;     /* progress line on stderr (callers pass isatty(2)) */
    FILE *run;        /* when set, the top depth results go here as a TREC run */
    const char *run_name; /* names the run in messages */
    const char *tag;  /* run tag; NULL = PS_EVAL_TAG */
} ps_eval_opts;

void ps_eval_opts_default(ps_eval_opts *o);

/* Run every query through s (snippets off) and measure the rankings.  The
 * report borrows from qs: free it first.  -1 when a search or a run write
 * fails. */
int ps_eval_searcher(ps_searcher *s, const ps_queries *qs, const ps_qrels *qrels,
                     const ps_eval_opts *o, ps_eval_report *rep, ps_err *err);

/* Measure an existing run instead; queries of qs missing from it score 0. */
int ps_eval_run(const ps_run *run, const ps_queries *qs, const ps_qrels *qrels,
                ps_eval_report *rep, ps_err *err);

/* The want entries with the lowest nDCG@10 among the queries not skipped,
 * worst first (ties in file order), as indices into rep->entries:
 * malloc()ed into *idx (NULL when none), count in *n. */
int ps_eval_worst(const ps_eval_report *rep, size_t want, size_t **idx, size_t *n, ps_err *err);

void ps_eval_report_free(ps_eval_report *rep);

/* Internal to the evaluators, shared by both: allocate entries for qs, and
 * compute the averages once the entries hold their metrics. */
int ps_eval_report_init(ps_eval_report *rep, const ps_queries *qs, ps_err *err);
void ps_eval_summarise(ps_eval_report *rep);

/* ---- indexing for evaluation ------------------------------------------ */

/* Index paths into a fresh database in a new folder under $TMPDIR (or /tmp)
 * with weights w; *dir (malloc()ed) names it, for ps_searcher_open and
 * ps_eval_tempdb_remove.  On failure nothing is left behind.  Rejected pages
 * are reported through on_reject and counted in *rep, not failures. */
int ps_eval_tempdb_create(const char *const *paths, size_t n_paths, const ps_weights *w,
                          int progress, ps_reject_fn on_reject, void *ctx, char **dir,
                          ps_index_report *rep, ps_err *err);
/* Remove the folder and everything in it. */
int ps_eval_tempdb_remove(const char *dir, ps_err *err);

/* The first field whose weight differs between a and b at the precision a
 * database records them with, or -1 when none does. */
int ps_eval_field_weights_differ(const ps_weights *a, const ps_weights *b);

#endif
