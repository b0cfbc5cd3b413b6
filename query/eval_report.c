/*
 * eval_report.c - the per-query results of an evaluation, their averages
 * overall and per query type, and the worst queries.
 */
#include <stdlib.h>
#include <string.h>

#include "query/eval.h"

void ps_eval_opts_default(ps_eval_opts *o) {
    *o = (ps_eval_opts){.depth = PS_EVAL_DEPTH_DEFAULT, .spelling = 1, .synonyms = 1};
}

int ps_eval_report_init(ps_eval_report *rep, const ps_queries *qs, ps_err *err) {
    memset(rep, 0, sizeof *rep);
    rep->entries = calloc(qs->n ? qs->n : 1, sizeof *rep->entries);
    rep->by_type = calloc(qs->n_types ? qs->n_types : 1, sizeof *rep->by_type);
    if (!rep->entries || !rep->by_type) {
        ps_eval_report_free(rep);
        return ps_err_set(err, "out of memory");
    }
    rep->n = qs->n;
    rep->n_types = qs->n_types;
    for (size_t i = 0; i < qs->n; i++)
        rep->entries[i].query = &qs->items[i];
    return 0;
}

static void add(ps_eval_avg *a, const ps_metrics *m) {
    if (!m->relevant) {
        a->skipped++;
        return;
    }
    a->ndcg10 += m->ndcg10;
    a->mrr10 += m->mrr10;
    a->p1 += m->p1;
    a->recall10 += m->recall10;
    a->queries++;
}

static void divide(ps_eval_avg *a) {
    if (!a->queries)
        return;
    double n = (double)a->queries;
    a->ndcg10 /= n;
    a->mrr10 /= n;
    a->p1 /= n;
    a->recall10 /= n;
}

void ps_eval_summarise(ps_eval_report *rep) {
    memset(&rep->overall, 0, sizeof rep->overall);
    memset(rep->by_type, 0, rep->n_types * sizeof *rep->by_type);
    for (size_t i = 0; i < rep->n; i++) {
        const ps_eval_entry *e = &rep->entries[i];
        add(&rep->overall, &e->m);
        if (e->query->type_index < rep->n_types)
            add(&rep->by_type[e->query->type_index], &e->m);
    }
    divide(&rep->overall);
    for (size_t t = 0; t < rep->n_types; t++)
        divide(&rep->by_type[t]);
}

typedef struct scored {
    double ndcg;
    size_t i;
} scored;

static int cmp_scored(const void *a, const void *b) {
    const scored *x = a, *y = b;
    if (x->ndcg != y->ndcg)
        return x->ndcg < y->ndcg ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

int ps_eval_worst(const ps_eval_report *rep, size_t want, size_t **idx, size_t *n, ps_err *err) {
    *idx = NULL;
    *n = 0;
    if (!want || !rep->n)
        return 0;
    scored *s = malloc(rep->n * sizeof *s);
    if (!s)
        return ps_err_set(err, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < rep->n; i++)
        if (rep->entries[i].m.relevant)
            s[k++] = (scored){rep->entries[i].m.ndcg10, i};
    qsort(s, k, sizeof *s, cmp_scored);
    if (want > k)
        want = k;
    if (want && !(*idx = malloc(want * sizeof **idx))) {
        free(s);
        return ps_err_set(err, "out of memory");
    }
    for (size_t i = 0; i < want; i++)
        (*idx)[i] = s[i].i;
    *n = want;
    free(s);
    return 0;
}

void ps_eval_report_free(ps_eval_report *rep) {
    for (size_t i = 0; rep->entries && i < rep->n; i++)
        free(rep->entries[i].top1);
    free(rep->entries);
    free(rep->by_type);
    memset(rep, 0, sizeof *rep);
}
