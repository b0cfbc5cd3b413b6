#include "query/tune.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/progress.h"

/* ------------------------------------------------------------ parameters */

#define N_QUERY_PARAMS 5
#define N_PARAMS (PS_F_COUNT + N_QUERY_PARAMS)
#define NEIGHBOURS 2   /* grid steps tried on each side of the current value */
#define MIN_GAIN 1e-5  /* smaller improvements are noise, not a move */

/* No 0: a field weighted 0 would leave its words unfindable. */
static const double field_grid[] = {0.5, 1, 1.5, 2, 3, 4, 5, 6, 8, 10};
static const double k1_grid[] = {0.3, 0.5, 0.7, 0.9, 1.2, 1.5, 1.8, 2.2, 2.8};
static const double b_grid[] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1.0};
static const double synonym_grid[] = {0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7};
static const double typo_grid[] = {0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2};
static const double phrase_grid[] = {0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.6};

typedef struct grid {
    const double *v;
    size_t n;
} grid;

#define GRID(a) ((grid){(a), sizeof(a) / sizeof((a)[0])})

static double *param(ps_weights *w, int p) {
    if (p < PS_F_COUNT)
        return &w->field[p];
    switch (p - PS_F_COUNT) {
    case 0: return &w->k1;
    case 1: return &w->b;
    case 2: return &w->synonym;
    case 3: return &w->typo;
    default: return &w->phrase;
    }
}

static grid param_grid(int p) {
    if (p < PS_F_COUNT)
        return GRID(field_grid);
    switch (p - PS_F_COUNT) {
    case 0: return GRID(k1_grid);
    case 1: return GRID(b_grid);
    case 2: return GRID(synonym_grid);
    case 3: return GRID(typo_grid);
    default: return GRID(phrase_grid);
    }
}

/* The grid values around v (v itself may lie between grid points). */
static size_t neighbours(int p, double v, double *out) {
    grid g = param_grid(p);
    size_t at = 0;
    for (size_t i = 0; i < g.n; i++)
        if (fabs(g.v[i] - v) < fabs(g.v[at] - v))
            at = i;
    size_t n = 0;
    for (size_t i = at >= NEIGHBOURS ? at - NEIGHBOURS : 0; i < g.n && i <= at + NEIGHBOURS; i++)
        if (fabs(g.v[i] - v) > 1e-9)
            out[n++] = g.v[i];
    return n;
}

/* ------------------------------------------------------------- the cache */

typedef struct config {
    ps_weights w;
    char *key;     /* ps_weights_format: equal text, equal ranking */
    double *ndcg;  /* per query; NAN for queries without a relevant page */
    int done;      /* ndcg filled */
} config;

typedef struct tuner {
    const ps_tune_opts *o;
    const ps_queries *qs;
    const ps_qrels *qrels;
    config **cache; /* pointers, so that growing the cache moves no config */
    size_t n_cache, cap_cache;
    size_t reindexes;
    ps_progress prog;
} tuner;

static void config_free(config *c) {
    if (!c)
        return;
    free(c->key);
    free(c->ndcg);
    free(c);
}

/* The cache's entry for w, created (not yet evaluated) when new. */
static config *config_for(tuner *t, const ps_weights *w, ps_err *err) {
    char *key = ps_weights_format(w);
    if (!key) {
        ps_err_set(err, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < t->n_cache; i++)
        if (strcmp(t->cache[i]->key, key) == 0) {
            free(key);
            return t->cache[i];
        }
    if (t->n_cache == t->cap_cache) {
        size_t cap = t->cap_cache ? t->cap_cache * 2 : 64;
        config **grown = realloc(t->cache, cap * sizeof(config *));
        if (!grown) {
            free(key);
            ps_err_set(err, "out of memory");
            return NULL;
        }
        t->cache = grown;
        t->cap_cache = cap;
    }
    config *c = calloc(1, sizeof *c);
    if (!c || !(c->ndcg = calloc(t->qs->n ? t->qs->n : 1, sizeof *c->ndcg))) {
        free(c);
        free(key);
        ps_err_set(err, "out of memory");
        return NULL;
    }
    c->w = *w;
    c->key = key;
    t->cache[t->n_cache++] = c;
    return c;
}

/* Mean nDCG@10 over the queries in `in` (all when NULL) that have a
 * relevant page. */
static double mean_over(const tuner *t, const config *c, const unsigned char *in) {
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < t->qs->n; i++)
        if ((!in || in[i]) && !isnan(c->ndcg[i])) {
            sum += c->ndcg[i];
            n++;
        }
    return n ? sum / (double)n : 0;
}

/* ------------------------------------------------------------ the workers */

/* A worker owns a scratch database built with one set of field weights and
 * reuses it while the configurations it is given share them. */
typedef struct worker {
    tuner *t;
    char *dir;
    ps_searcher *s;
    ps_weights db_w;
    config *job;
    int rebuilt;
    int rc;
    ps_err err;
} worker;

static void worker_drop_db(worker *wk) {
    ps_searcher_close(wk->s);
    wk->s = NULL;
    if (wk->dir)
        (void)ps_eval_tempdb_remove(wk->dir, NULL);
    free(wk->dir);
    wk->dir = NULL;
}

static void refuse_reject(const char *msg, void *ctx) {
    worker *wk = ctx;
    if (wk->rc == 0)
        wk->rc = ps_err_set(&wk->err, "tuning needs every page indexed: %s", msg);
}

static int worker_prepare(worker *wk, const ps_weights *w) {
    if (wk->s && ps_eval_field_weights_differ(&wk->db_w, w) < 0)
        return 0;
    worker_drop_db(wk);
    ps_index_report rep;
    const ps_tune_opts *o = wk->t->o;
    if (ps_eval_tempdb_create(o->pages, o->n_pages, w, 0, refuse_reject, wk, &wk->dir, &rep,
                              &wk->err) < 0 ||
        wk->rc < 0)
        return -1;
    if (rep.indexed + rep.replaced == 0)
        return ps_err_set(&wk->err, "no pages to tune on");
    if (!(wk->s = ps_searcher_open(wk->dir, &wk->err)))
        return -1;
    wk->db_w = *w;
    wk->rebuilt = 1;
    return 0;
}

static void *worker_run(void *arg) {
    worker *wk = arg;
    config *c = wk->job;
    wk->rebuilt = 0;
    if (worker_prepare(wk, &c->w) < 0) {
        wk->rc = -1;
        return NULL;
    }
    ps_searcher_set_weights(wk->s, &c->w);
    ps_eval_opts eo;
    ps_eval_opts_default(&eo);
    eo.depth = PS_EVAL_CUTOFF;
    ps_eval_report rep;
    if (ps_eval_searcher(wk->s, wk->t->qs, wk->t->qrels, &eo, &rep, &wk->err) < 0) {
        wk->rc = -1;
        return NULL;
    }
    for (size_t i = 0; i < rep.n; i++)
        c->ndcg[i] = rep.entries[i].m.relevant ? rep.entries[i].m.ndcg10 : NAN;
    c->done = 1;
    ps_eval_report_free(&rep);
    return NULL;
}

#define MAX_WORKERS 8

/* Evaluate the configurations of cs not done yet, n_workers at a time. */
static int evaluate(tuner *t, worker *wk, size_t n_workers, config **cs, size_t n, ps_err *err) {
    size_t at = 0;
    while (at < n) {
        pthread_t th[MAX_WORKERS];
        size_t running = 0;
        for (; at < n && running < n_workers; at++) {
            if (cs[at]->done)
                continue;
            wk[running].job = cs[at];
            wk[running].rc = 0;
            int started = 1;
            if (n_workers == 1)
                worker_run(&wk[running]);
            else
                started = pthread_create(&th[running], NULL, worker_run, &wk[running]) == 0;
            if (!started) {
                /* Join the ones already running before giving up. */
                for (size_t i = 0; i < running; i++)
                    pthread_join(th[i], NULL);
                return ps_err_set(err, "cannot start a tuning thread");
            }
            running++;
        }
        int rc = 0;
        for (size_t i = 0; i < running; i++) {
            if (n_workers > 1)
                pthread_join(th[i], NULL);
            t->reindexes += (size_t)wk[i].rebuilt;
            if (wk[i].rc < 0 && rc == 0)
                rc = ps_err_set(err, "%s", wk[i].err.msg);
        }
        if (rc < 0)
            return -1;
        ps_progress_update(&t->prog, t->n_cache, 0);
    }
    return 0;
}

/* ------------------------------------------------------ coordinate ascent */

/* Fit weights to the queries marked in `in`, from start; *best is the
 * configuration reached. */
static int ascend(tuner *t, worker *wk, size_t n_workers, const ps_weights *start,
                  const unsigned char *in, config **best, ps_err *err) {
    config *cur = config_for(t, start, err);
    if (!cur || evaluate(t, wk, n_workers, &cur, 1, err) < 0)
        return -1;
    double cur_score = mean_over(t, cur, in);
    for (size_t pass = 0; pass < t->o->passes; pass++) {
        int moved = 0;
        for (int p = 0; p < N_PARAMS; p++) {
            double vals[2 * NEIGHBOURS + 1];
            size_t nv = neighbours(p, *param(&cur->w, p), vals);
            config *cand[2 * NEIGHBOURS + 1];
            for (size_t i = 0; i < nv; i++) {
                ps_weights w = cur->w;
                *param(&w, p) = vals[i];
                if (!(cand[i] = config_for(t, &w, err)))
                    return -1;
            }
            if (evaluate(t, wk, n_workers, cand, nv, err) < 0)
                return -1;
            for (size_t i = 0; i < nv; i++) {
                double sc = mean_over(t, cand[i], in);
                if (sc > cur_score + MIN_GAIN) {
                    cur = cand[i];
                    cur_score = sc;
                    moved = 1;
                }
            }
        }
        if (!moved)
            break;
    }
    *best = cur;
    return 0;
}

/* ------------------------------------------------------------------ tune */

/* Deal queries into k folds: a seeded shuffle, then round robin. */
static int deal_folds(size_t n, size_t k, unsigned seed, size_t **fold_of) {
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    size_t *f = calloc(n ? n : 1, sizeof *f);
    if (!order || !f) {
        free(order);
        free(f);
        return -1;
    }
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = n; i > 1; i--) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        size_t j = (size_t)(x % i), tmp = order[i - 1];
        order[i - 1] = order[j];
        order[j] = tmp;
    }
    for (size_t i = 0; i < n; i++)
        f[order[i]] = i % k;
    free(order);
    *fold_of = f;
    return 0;
}

static int cross_validate(tuner *t, worker *wk, size_t n_workers, const ps_weights *start,
                          config *start_c, ps_tune_report *rep, ps_err *err) {
    size_t n = t->qs->n, k = t->o->folds;
    size_t *fold_of = NULL;
    unsigned char *train = calloc(n ? n : 1, 1), *held = calloc(n ? n : 1, 1);
    rep->folds = calloc(k, sizeof *rep->folds);
    if (!train || !held || !rep->folds || deal_folds(n, k, t->o->seed, &fold_of) < 0) {
        free(train);
        free(held);
        return ps_err_set(err, "out of memory");
    }
    rep->n_folds = k;
    int rc = 0;
    for (size_t f = 0; f < k && rc == 0; f++) {
        ps_tune_fold *fo = &rep->folds[f];
        for (size_t i = 0; i < n; i++) {
            train[i] = fold_of[i] != f;
            held[i] = fold_of[i] == f;
            fo->queries += held[i];
        }
        config *best = NULL;
        rc = ascend(t, wk, n_workers, start, train, &best, err);
        if (rc == 0) {
            fo->train_start = mean_over(t, start_c, train);
            fo->train_best = mean_over(t, best, train);
            fo->heldout_start = mean_over(t, start_c, held);
            fo->heldout_best = mean_over(t, best, held);
        }
    }
    free(fold_of);
    free(train);
    free(held);
    return rc;
}

int ps_tune(const ps_tune_opts *o, const ps_weights *start, const ps_queries *qs,
            const ps_qrels *qrels, ps_tune_report *rep, ps_err *err) {
    memset(rep, 0, sizeof *rep);
    double t0 = ps_now();
    tuner t = {.o = o, .qs = qs, .qrels = qrels};
    size_t n_workers = o->threads < 1 ? 1 : o->threads > MAX_WORKERS ? MAX_WORKERS : o->threads;
    worker wk[MAX_WORKERS] = {{0}};
    for (size_t i = 0; i < n_workers; i++)
        wk[i].t = &t;
    ps_progress_start(&t.prog, o->progress, "tuning (configurations)");
    config *start_c = config_for(&t, start, err), *best = NULL;
    int rc = start_c ? evaluate(&t, wk, n_workers, &start_c, 1, err) : -1;
    if (rc == 0 && o->folds > 1)
        rc = cross_validate(&t, wk, n_workers, start, start_c, rep, err);
    if (rc == 0)
        rc = ascend(&t, wk, n_workers, start, NULL, &best, err);
    ps_progress_done(&t.prog);
    if (rc == 0) {
        rep->best = best->w;
        rep->start = mean_over(&t, start_c, NULL);
        rep->fitted = mean_over(&t, best, NULL);
    }
    rep->configs = t.n_cache;
    rep->reindexes = t.reindexes;
    for (size_t i = 0; i < n_workers; i++)
        worker_drop_db(&wk[i]);
    for (size_t i = 0; i < t.n_cache; i++)
        config_free(t.cache[i]);
    free(t.cache);
    rep->seconds = ps_now() - t0;
    if (rc < 0)
        ps_tune_report_free(rep);
    return rc;
}

void ps_tune_report_free(ps_tune_report *rep) {
    free(rep->folds);
    rep->folds = NULL;
    rep->n_folds = 0;
}
