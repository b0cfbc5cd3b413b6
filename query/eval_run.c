/*
 * eval_run.c - evaluating a searcher (and writing its run), or a run file
 * some other engine produced.
 */
#include <stdlib.h>
#include <string.h>

#include "common/progress.h"
#include "query/eval.h"

/* One query's top `depth` results, fetched PS_LIMIT_MAX at a time because
 * ps_search returns no more than that per call. */
typedef struct fetched {
    ps_results pages[PS_EVAL_DEPTH_MAX / PS_LIMIT_MAX + 1];
    size_t n_pages;
    const char *ids[PS_EVAL_DEPTH_MAX];
    const ps_hit *hits[PS_EVAL_DEPTH_MAX];
    size_t n;
} fetched;

static void fetched_free(fetched *f) {
    for (size_t i = 0; i < f->n_pages; i++)
        ps_results_free(&f->pages[i]);
    f->n_pages = f->n = 0;
}

/* Extend f (empty or as a previous call left it) to the top `depth`. */
static int fetch(ps_searcher *s, const ps_query *q, const ps_eval_opts *o, size_t depth,
                 fetched *f, ps_err *err) {
    ps_search_opts so;
    ps_search_opts_default(&so);
    so.snippets = 0;
    so.ids_only = 1; /* metrics need nothing else, and this skips reading pages */
    so.spelling = o->spelling;
    so.synonyms = o->synonyms;
    while (f->n < depth && f->n_pages < sizeof f->pages / sizeof f->pages[0]) {
        so.offset = f->n;
        so.limit = depth - f->n < PS_LIMIT_MAX ? depth - f->n : PS_LIMIT_MAX;
        ps_results *r = &f->pages[f->n_pages];
        if (ps_search(s, q->text, &so, r, err) < 0)
            return ps_err_prefix(err, "query %s", q->qid);
        f->n_pages++;
        for (size_t i = 0; i < r->n_hits && f->n < depth; i++) {
            f->hits[f->n] = &r->hits[i];
            f->ids[f->n++] = r->hits[i].id;
        }
        if (r->n_hits < so.limit)
            break;
    }
    return 0;
}

static int write_run(const ps_query *q, const fetched *f, const ps_eval_opts *o, ps_err *err) {
    for (size_t i = 0; i < f->n; i++)
        if (ps_run_write_line(o->run, o->run_name ? o->run_name : "run", q->qid, f->hits[i]->id,
                              i + 1, f->hits[i]->score, o->tag, err) < 0)
            return -1;
    return 0;
}

static int set_top1(ps_eval_entry *e, const char *id, ps_err *err) {
    if (id && !(e->top1 = strdup(id)))
        return ps_err_set(err, "out of memory");
    return 0;
}

int ps_eval_searcher(ps_searcher *s, const ps_queries *qs, const ps_qrels *qrels,
                     const ps_eval_opts *o, ps_eval_report *rep, ps_err *err) {
    size_t depth = o->depth < PS_EVAL_CUTOFF     ? PS_EVAL_CUTOFF
                   : o->depth > PS_EVAL_DEPTH_MAX ? PS_EVAL_DEPTH_MAX
                                                  : o->depth;
    if (ps_eval_report_init(rep, qs, err) < 0)
        return -1;
    fetched *f = calloc(1, sizeof *f);
    if (!f) {
        ps_eval_report_free(rep);
        return ps_err_set(err, "out of memory");
    }
    double t0 = ps_now();
    ps_progress prog;
    ps_progress_start(&prog, o->progress, "evaluating");
    int rc = 0;
    for (size_t i = 0; i < qs->n && rc == 0; i++) {
        const ps_query *q = &qs->items[i];
        ps_eval_entry *e = &rep->entries[i];
        const ps_qrel_group *g = ps_qrels_of(qrels, q->qid);
        /* Without a run to write, the top 10 settle every metric; only the
         * rank of a wanted page that missed them needs the deeper search,
         * which costs most of the time (each hit's page is read). */
        rc = fetch(s, q, o, o->run ? depth : PS_EVAL_CUTOFF, f, err);
        if (rc == 0)
            rc = ps_metrics_of_ranking(g, f->ids, f->n, &e->m, err);
        if (rc == 0 && !o->run && !e->m.first_rank && f->n == PS_EVAL_CUTOFF && g) {
            rc = fetch(s, q, o, depth, f, err);
            if (rc == 0)
                rc = ps_metrics_of_ranking(g, f->ids, f->n, &e->m, err);
        }
        if (rc == 0)
            rc = set_top1(e, f->n ? f->ids[0] : NULL, err);
        if (rc == 0 && o->run)
            rc = write_run(q, f, o, err);
        fetched_free(f);
        ps_progress_update(&prog, i + 1, 0);
    }
    ps_progress_done(&prog);
    free(f);
    if (rc < 0) {
        ps_eval_report_free(rep);
        return -1;
    }
    rep->seconds = ps_now() - t0;
    ps_eval_summarise(rep);
    return 0;
}

int ps_eval_run(const ps_run *run, const ps_queries *qs, const ps_qrels *qrels,
                ps_eval_report *rep, ps_err *err) {
    if (ps_eval_report_init(rep, qs, err) < 0)
        return -1;
    double t0 = ps_now();
    size_t longest = 1;
    for (size_t g = 0; g < run->n_groups; g++) {
        if (run->groups[g].n > longest)
            longest = run->groups[g].n;
        if (!ps_queries_find(qs, run->groups[g].qid))
            rep->run_unknown++;
    }
    const char **ids = malloc(longest * sizeof *ids);
    if (!ids) {
        ps_eval_report_free(rep);
        return ps_err_set(err, "out of memory");
    }
    int rc = 0;
    for (size_t i = 0; i < qs->n && rc == 0; i++) {
        const ps_query *q = &qs->items[i];
        const ps_run_group *g = ps_run_of(run, q->qid);
        size_t n = g ? g->n : 0;
        for (size_t k = 0; k < n; k++)
            ids[k] = g->items[k].docid;
        rc = ps_metrics_of_ranking(ps_qrels_of(qrels, q->qid), ids, n, &rep->entries[i].m, err);
        if (rc == 0)
            rc = set_top1(&rep->entries[i], n ? ids[0] : NULL, err);
    }
    free(ids);
    if (rc < 0) {
        ps_eval_report_free(rep);
        return -1;
    }
    rep->seconds = ps_now() - t0;
    ps_eval_summarise(rep);
    return 0;
}
