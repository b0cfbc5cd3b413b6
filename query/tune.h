/*
 * tune.h - learn ranking weights from judged queries instead of guessing.
 *
 * Coordinate ascent over the field weights and the query-time factors
 * (k1, b, synonym, typo, phrase): one parameter at a time moves to the
 * neighbouring value on its grid that raises mean nDCG@10 most, pass after
 * pass, until no move helps.  Field weights only take effect at index time,
 * so each new set of field weights means indexing the pages again into a
 * scratch database; two workers share that cost across both cores, and
 * every configuration's per-query scores are cached, so folds that revisit
 * a configuration pay nothing.
 *
 * To report what the weights are worth on queries they were not fitted to,
 * the queries are split into k folds: for each fold, weights are fitted on
 * the other folds and scored on it (held-out), beside the starting weights'
 * score on the same fold.  The weights finally returned are fitted on all
 * the queries.
 */
#ifndef PS_TUNE_H
#define PS_TUNE_H

#include <stddef.h>

#include "common/err.h"
#include "indexer/weights.h"
#include "query/eval.h"

typedef struct ps_tune_opts {
    const char *const *pages; /* what to index (folders, files) */
    size_t n_pages;
    size_t folds;     /* k for cross-validation (0 or 1: no held-out report) */
    size_t passes;    /* coordinate-ascent passes at most */
    unsigned seed;    /* how queries are dealt into folds */
    size_t threads;   /* workers (1 or 2 make sense on this machine) */
    int progress;     /* progress line on stderr */
} ps_tune_opts;

typedef struct ps_tune_fold {
    double train_start, train_best;     /* mean nDCG@10 on the other folds */
    double heldout_start, heldout_best; /* mean nDCG@10 on this fold */
    size_t queries;                     /* in this fold */
} ps_tune_fold;

typedef struct ps_tune_report {
    ps_weights best;           /* fitted on every query */
    double start, fitted;      /* mean nDCG@10 on every query, before and after */
    ps_tune_fold *folds;
    size_t n_folds;
    size_t configs;            /* distinct configurations evaluated */
    size_t reindexes;          /* scratch databases built */
    double seconds;
} ps_tune_report;

/* Tune starting from *start.  Fails when the pages cannot be indexed (any
 * rejected page fails the run: weights fitted to part of a collection
 * would mislead) or a search fails. */
int ps_tune(const ps_tune_opts *o, const ps_weights *start, const ps_queries *qs,
            const ps_qrels *qrels, ps_tune_report *rep, ps_err *err);
void ps_tune_report_free(ps_tune_report *rep);

#endif
