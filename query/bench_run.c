#include "query/bench_run.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "common/progress.h"
#include "query/results_json.h"
#include "query/search.h"

#define MAX_THREADS 64

typedef struct sample {
    double total, parse, match, fetch, output;
    size_t type;
} sample;

typedef struct bench_thread {
    const char *db_path;
    const ps_queries *qs;
    const ps_bench_opts *o;
    size_t index, n_threads;
    sample *samples; /* this thread's, in order */
    size_t n;
    double t_start, t_end; /* of the timed passes */
    int rc;
    ps_err err;
} bench_thread;

static int one_search(ps_searcher *s, const ps_query *q, const ps_search_opts *so, sample *out,
                      ps_err *err) {
    ps_results r;
    double t0 = ps_now();
    if (ps_search(s, q->text, so, &r, err) < 0)
        return -1;
    double t1 = ps_now();
    json_t *j = ps_results_json(&r);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    double t2 = ps_now();
    int ok = text != NULL;
    free(text);
    json_decref(j);
    if (out)
        *out = (sample){.total = (t2 - t0) * 1000.0,
                        .parse = r.parse_ms,
                        .match = r.match_ms,
                        .fetch = r.fetch_ms,
                        .output = (t2 - t1) * 1000.0,
                        .type = q->type_index};
    ps_results_free(&r);
    return ok ? 0 : ps_err_set(err, "out of memory writing JSON");
}

static void *thread_main(void *arg) {
    bench_thread *t = arg;
    ps_searcher *s = ps_searcher_open(t->db_path, &t->err);
    if (!s) {
        t->rc = -1;
        return NULL;
    }
    ps_search_opts so;
    ps_search_opts_default(&so);
    so.limit = t->o->limit;
    so.snippets = t->o->snippets;
    /* Warm-up: the first pass pays for cold caches, not for our code. */
    for (size_t i = t->index; i < t->qs->n && t->rc == 0; i += t->n_threads)
        t->rc = one_search(s, &t->qs->items[i], &so, NULL, &t->err);
    t->t_start = ps_now();
    for (size_t r = 0; r < t->o->repeat && t->rc == 0; r++)
        for (size_t i = t->index; i < t->qs->n && t->rc == 0; i += t->n_threads)
            t->rc = one_search(s, &t->qs->items[i], &so, &t->samples[t->n++], &t->err);
    t->t_end = ps_now();
    ps_searcher_close(s);
    return NULL;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n). */
static double percentile(const double *v, size_t n, double pct) {
    if (n == 0)
        return 0;
    size_t rank = (size_t)(pct / 100.0 * (double)n + 0.999999);
    return v[rank ? (rank > n ? n - 1 : rank - 1) : 0];
}

/* Statistics of the samples of one type (type == (size_t)-1: all). */
static int summarise(bench_thread *th, size_t n_threads, size_t type, double seconds,
                     ps_bench_stats *st) {
    memset(st, 0, sizeof *st);
    size_t total = 0;
    for (size_t t = 0; t < n_threads; t++)
        total += th[t].n;
    double *lat = malloc((total ? total : 1) * sizeof *lat);
    if (!lat)
        return -1;
    size_t n = 0;
    for (size_t t = 0; t < n_threads; t++)
        for (size_t i = 0; i < th[t].n; i++) {
            const sample *s = &th[t].samples[i];
            if (type != (size_t)-1 && s->type != type)
                continue;
            lat[n++] = s->total;
            st->mean_ms += s->total;
            st->parse_ms += s->parse;
            st->match_ms += s->match;
            st->fetch_ms += s->fetch;
            st->output_ms += s->output;
        }
    qsort(lat, n, sizeof *lat, cmp_double);
    st->searches = n;
    if (n) {
        st->mean_ms /= (double)n;
        st->parse_ms /= (double)n;
        st->match_ms /= (double)n;
        st->fetch_ms /= (double)n;
        st->output_ms /= (double)n;
        st->p50_ms = percentile(lat, n, 50);
        st->p95_ms = percentile(lat, n, 95);
        st->p99_ms = percentile(lat, n, 99);
        st->max_ms = lat[n - 1];
    }
    /* Per type, QPS is the rate that type's searches alone would reach. */
    st->qps = type == (size_t)-1 ? (seconds > 0 ? (double)n / seconds : 0)
                                 : (st->mean_ms > 0 ? 1000.0 / st->mean_ms * (double)n_threads : 0);
    free(lat);
    return 0;
}

int ps_bench_run(const char *db_path, const ps_queries *qs, const ps_bench_opts *o,
                 ps_bench_report *rep, ps_err *err) {
    memset(rep, 0, sizeof *rep);
    size_t n_threads = o->threads < 1 ? 1 : o->threads > MAX_THREADS ? MAX_THREADS : o->threads;
    bench_thread th[MAX_THREADS];
    memset(th, 0, sizeof th);
    int rc = 0;
    for (size_t t = 0; t < n_threads && rc == 0; t++) {
        th[t] = (bench_thread){.db_path = db_path, .qs = qs, .o = o, .index = t,
                               .n_threads = n_threads};
        size_t mine = (qs->n + n_threads - 1) / n_threads * (o->repeat ? o->repeat : 1);
        if (!(th[t].samples = malloc((mine ? mine : 1) * sizeof *th[t].samples)))
            rc = ps_err_set(err, "out of memory");
    }
    pthread_t tid[MAX_THREADS];
    size_t started = 0;
    for (; started < n_threads && rc == 0; started++)
        if (pthread_create(&tid[started], NULL, thread_main, &th[started]) != 0)
            rc = ps_err_set(err, "cannot start a benchmark thread");
    for (size_t t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    /* Wall time of the timed passes only (warm-up excluded), from the
     * first thread's start to the last one's end. */
    double first = 0, last = 0;
    for (size_t t = 0; t < started; t++) {
        if (t == 0 || th[t].t_start < first)
            first = th[t].t_start;
        if (th[t].t_end > last)
            last = th[t].t_end;
    }
    rep->seconds = last > first ? last - first : 0;
    for (size_t t = 0; t < started && rc == 0; t++)
        if (th[t].rc < 0)
            rc = ps_err_set(err, "%s", th[t].err.msg);
    if (rc == 0) {
        rep->n_types = qs->n_types;
        rep->by_type = calloc(qs->n_types ? qs->n_types : 1, sizeof *rep->by_type);
        if (!rep->by_type || summarise(th, n_threads, (size_t)-1, rep->seconds, &rep->all) < 0)
            rc = ps_err_set(err, "out of memory");
        for (size_t k = 0; k < qs->n_types && rc == 0; k++)
            if (summarise(th, n_threads, k, rep->seconds, &rep->by_type[k]) < 0)
                rc = ps_err_set(err, "out of memory");
    }
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        rep->peak_rss_kb = ru.ru_maxrss;
    for (size_t t = 0; t < n_threads; t++)
        free(th[t].samples);
    if (rc < 0)
        ps_bench_report_free(rep);
    return rc;
}

void ps_bench_report_free(ps_bench_report *rep) {
    free(rep->by_type);
    rep->by_type = NULL;
}
