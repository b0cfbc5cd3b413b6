/*
 * eval_metrics.c - the metrics of one ranking against one query's
 * judgments (definitions in eval.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query/eval.h"

typedef struct ranked {
    const char *id;
    size_t pos;
} ranked;

static int cmp_ranked(const void *a, const void *b) {
    const ranked *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->pos < y->pos ? -1 : x->pos > y->pos);
}

/* dup[i] = 1 when docids[i] already appeared earlier.  Sorting rather than
 * comparing pairs keeps a 1000-deep run with repeats O(n log n). */
static int mark_repeats(const char *const *docids, size_t n, unsigned char *dup) {
    ranked *r = malloc(n * sizeof *r);
    if (!r)
        return -1;
    for (size_t i = 0; i < n; i++)
        r[i] = (ranked){docids[i], i};
    qsort(r, n, sizeof *r, cmp_ranked);
    memset(dup, 0, n);
    for (size_t i = 1; i < n; i++)
        if (strcmp(r[i].id, r[i - 1].id) == 0)
            dup[r[i].pos] = 1;
    free(r);
    return 0;
}

static double gain_of(int grade) { return grade > 0 ? (double)grade : 0.0; }

/* DCG of the best possible ranking: the judged grades, highest first, cut
 * at the same depth (trec_eval's ideal for ndcg_cut). */
static double ideal_dcg(const ps_qrel_group *g, size_t *relevant) {
    int best[PS_EVAL_CUTOFF];
    size_t n_best = 0;
    *relevant = 0;
    for (size_t i = 0; g && i < g->n; i++) {
        int grade = g->items[i].grade;
        if (grade < 1)
            continue;
        (*relevant)++;
        /* Insertion into a list of at most PS_EVAL_CUTOFF, highest first. */
        size_t at = n_best < PS_EVAL_CUTOFF ? n_best++ : PS_EVAL_CUTOFF;
        if (at == PS_EVAL_CUTOFF && grade <= best[PS_EVAL_CUTOFF - 1])
            continue;
        if (at == PS_EVAL_CUTOFF)
            at = PS_EVAL_CUTOFF - 1;
        while (at > 0 && best[at - 1] < grade) {
            best[at] = best[at - 1];
            at--;
        }
        best[at] = grade;
    }
    double dcg = 0;
    for (size_t i = 0; i < n_best; i++)
        dcg += gain_of(best[i]) / log2((double)i + 2.0);
    return dcg;
}

int ps_metrics_of_ranking(const ps_qrel_group *g, const char *const *docids, size_t n,
                          ps_metrics *m, ps_err *err) {
    memset(m, 0, sizeof *m);
    double ideal = ideal_dcg(g, &m->relevant);
    unsigned char *dup = n ? malloc(n) : NULL;
    if (n && (!dup || mark_repeats(docids, n, dup) < 0)) {
        free(dup);
        return ps_err_set(err, "out of memory scoring a ranking of %zu pages", n);
    }
    double dcg = 0;
    size_t rank = 0, found = 0;
    for (size_t i = 0; i < n; i++) {
        if (dup[i])
            continue;
        rank++;
        int grade = ps_qrel_grade(g, docids[i]);
        if (grade >= PS_GRADE_WANTED && !m->first_rank)
            m->first_rank = rank;
        if (rank <= PS_EVAL_CUTOFF) {
            dcg += gain_of(grade) / log2((double)rank + 1.0);
            found += grade >= 1;
            if (rank == 1)
                m->p1 = grade >= PS_GRADE_WANTED;
        } else if (m->first_rank) {
            break; /* nothing further down changes any figure */
        }
    }
    free(dup);
    m->ndcg10 = ideal > 0 ? dcg / ideal : 0.0;
    m->mrr10 = m->first_rank && m->first_rank <= PS_EVAL_CUTOFF ? 1.0 / (double)m->first_rank : 0.0;
    m->recall10 = m->relevant ? (double)found / (double)m->relevant : 0.0;
    return 0;
}
