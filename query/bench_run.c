#include "query/bench_run.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "common/progress.h"
#include "query/results_json.h"
#include "query/search.h"
#include "query/suggest.h"
#include "shim/xapian_shim.h"

#define MAX_THREADS 64

typedef struct sample {
    double total, parse, match, fetch, output;
    size_t type;
} sample;

/* One timed unit of work: a query searched, or a cut of one suggested. */
typedef struct bench_item {
    const char *text;
    size_t type; /* into ps_queries.types */
} bench_item;

typedef struct bench_items {
    bench_item *v;
    size_t n;
    char *buf; /* storage of the cuts (suggest mode) */
} bench_items;

typedef struct bench_thread {
    const char *db_path;
    const bench_items *items;
    const ps_bench_opts *o;
    size_t index, n_threads;
    sample *samples; /* this thread's, in order */
    size_t n;
    double t_start, t_end; /* of the timed passes */
    int rc;
    ps_err err;
} bench_thread;

static int one_search(ps_searcher *s, const bench_item *q, const ps_search_opts *so, sample *out,
                      ps_err *err) {
    ps_results r;
    double t0 = ps_now();
    if (ps_search(s, q->text, so, &r, err) < 0)
        return -1;
    double t1 = ps_now();
    /* As serve writes it. */
    ps_strbuf text = PS_STRBUF_INIT;
    int ok = ps_results_json_write(&r, 1, &text) == 0;
    double t2 = ps_now();
    ps_strbuf_free(&text);
    if (out)
        *out = (sample){.total = (t2 - t0) * 1000.0,
                        .parse = r.parse_ms,
                        .match = r.match_ms,
                        .fetch = r.fetch_ms,
                        .output = (t2 - t1) * 1000.0,
                        .type = q->type};
    ps_results_free(&r);
    return ok ? 0 : ps_err_set(err, "out of memory writing JSON");
}

static int one_suggest(ps_suggester *sg, const bench_item *q, size_t limit, sample *out,
                       ps_err *err) {
    ps_suggestions r;
    double t0 = ps_now();
    if (ps_suggest(sg, q->text, limit, &r, err) < 0)
        return -1;
    double t1 = ps_now();
    json_t *j = ps_suggestions_json(&r);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    double t2 = ps_now();
    int ok = text != NULL;
    free(text);
    json_decref(j);
    if (out)
        *out = (sample){.total = (t2 - t0) * 1000.0,
                        .match = (t1 - t0) * 1000.0,
                        .output = (t2 - t1) * 1000.0,
                        .type = q->type};
    ps_suggestions_free(&r);
    return ok ? 0 : ps_err_set(err, "out of memory writing JSON");
}

/* One pass over the thread's share of the items: searched, or suggested
 * when sg is set; timed into t->samples when timed. */
static int one_pass(bench_thread *t, ps_searcher *s, ps_suggester *sg, const ps_search_opts *so,
                    int timed) {
    for (size_t i = t->index; i < t->items->n; i += t->n_threads) {
        sample *out = timed ? &t->samples[t->n] : NULL;
        int rc = sg ? one_suggest(sg, &t->items->v[i], t->o->limit, out, &t->err)
                    : one_search(s, &t->items->v[i], so, out, &t->err);
        if (rc < 0)
            return -1;
        if (timed)
            t->n++;
    }
    return 0;
}

static void *thread_main(void *arg) {
    bench_thread *t = arg;
    ps_searcher *s = NULL;
    ps_suggester *sg = NULL;
    if (t->o->suggest ? !(sg = ps_suggester_open(t->db_path, &t->err))
                      : !(s = ps_searcher_open(t->db_path, &t->err))) {
        t->rc = -1;
        return NULL;
    }
    ps_search_opts so;
    ps_search_opts_default(&so);
    so.limit = t->o->limit;
    so.snippets = t->o->snippets;
    /* Warm-up: the first pass pays for cold caches, not for our code. */
    t->rc = one_pass(t, s, sg, &so, 0);
    t->t_start = ps_now();
    for (size_t r = 0; r < t->o->repeat && t->rc == 0; r++)
        t->rc = one_pass(t, s, sg, &so, 1);
    t->t_end = ps_now();
    ps_searcher_close(s);
    ps_suggester_close(sg);
    return NULL;
}

/* Bytes of the UTF-8 character starting at q[k] (1 for a stray byte, so
 * that invalid input still advances), never past len. */
static size_t char_len(const char *q, size_t k, size_t len) {
    unsigned char c = (unsigned char)q[k];
    size_t n = c >= 0xf0 && c < 0xf8 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return k + n > len ? len - k : n;
}

/* Calls fn for each cut of text that suggest mode times, with its length
 * in bytes; returns how many there were. */
static size_t each_cut(const char *text, void (*fn)(const char *, size_t, void *), void *ctx) {
    size_t len = strlen(text), chars = 0, n = 0;
    for (size_t k = 0; k < len; k += char_len(text, k, len))
        if (++chars >= PS_BENCH_SUGGEST_MIN_CHARS) {
            if (fn)
                fn(text, k + char_len(text, k, len), ctx);
            n++;
        }
    return n;
}

typedef struct cut_ctx {
    bench_items *it;
    char *p; /* next free byte of it->buf */
    size_t type;
} cut_ctx;

static void add_cut(const char *text, size_t len, void *arg) {
    cut_ctx *c = arg;
    memcpy(c->p, text, len);
    c->p[len] = '\0';
    c->it->v[c->it->n++] = (bench_item){.text = c->p, .type = c->type};
    c->p += len + 1;
}

/* The work of a run: the queries, or in suggest mode the cuts of each. */
static int make_items(const ps_queries *qs, int suggest, bench_items *it, ps_err *err) {
    memset(it, 0, sizeof *it);
    size_t n = 0, bytes = 0;
    for (size_t i = 0; i < qs->n; i++) {
        size_t cuts = suggest ? each_cut(qs->items[i].text, NULL, NULL) : 1;
        n += cuts;
        /* each cut at most the whole query and its NUL */
        bytes += suggest ? cuts * (strlen(qs->items[i].text) + 1) : 0;
    }
    it->v = malloc((n ? n : 1) * sizeof *it->v);
    it->buf = malloc(bytes ? bytes : 1);
    if (!it->v || !it->buf) {
        free(it->v);
        free(it->buf);
        memset(it, 0, sizeof *it);
        return ps_err_set(err, "out of memory");
    }
    cut_ctx c = {.it = it, .p = it->buf};
    for (size_t i = 0; i < qs->n; i++) {
        const ps_query *q = &qs->items[i];
        if (suggest) {
            c.type = q->type_index;
            each_cut(q->text, add_cut, &c);
        } else {
            it->v[it->n++] = (bench_item){.text = q->text, .type = q->type_index};
        }
    }
    return 0;
}

static void free_items(bench_items *it) {
    free(it->v);
    free(it->buf);
    memset(it, 0, sizeof *it);
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
    bench_items items;
    if (make_items(qs, o->suggest, &items, err) < 0)
        return -1;
    int rc = 0;
    for (size_t t = 0; t < n_threads && rc == 0; t++) {
        th[t] = (bench_thread){.db_path = db_path, .items = &items, .o = o, .index = t,
                               .n_threads = n_threads};
        size_t mine = (items.n + n_threads - 1) / n_threads * (o->repeat ? o->repeat : 1);
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
        ps_bench_stats *by_type = calloc(qs->n_types ? qs->n_types : 1, sizeof *by_type);
        rep->by_type = by_type;
        if (!by_type || summarise(th, n_threads, (size_t)-1, rep->seconds, &rep->all) < 0)
            rc = ps_err_set(err, "out of memory");
        for (size_t k = 0; by_type && k < qs->n_types && rc == 0; k++)
            if (summarise(th, n_threads, k, rep->seconds, &by_type[k]) < 0)
                rc = ps_err_set(err, "out of memory");
    }
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        rep->peak_rss_kb = ru.ru_maxrss;
    for (size_t t = 0; t < n_threads; t++)
        free(th[t].samples);
    free_items(&items);
    if (rc < 0)
        ps_bench_report_free(rep);
    return rc;
}

void ps_bench_report_free(ps_bench_report *rep) {
    free(rep->by_type);
    rep->by_type = NULL;
}

static int write_failed(const char *name, ps_err *err) {
    return ps_err_set(err, "%s: cannot write: %s", name, strerror(errno));
}

int ps_bench_dump_queries(const char *db_path, const ps_queries *qs, FILE *f, const char *name,
                          ps_err *err) {
    ps_searcher *s = ps_searcher_open(db_path, err);
    if (!s)
        return -1;
    /* The options one_search searches with; limit and snippets only shape
     * the results, not the query. */
    ps_search_opts so;
    ps_search_opts_default(&so);
    const ps_weights *w = ps_searcher_weights(s);
    int rc = 0;
    for (size_t i = 0; i < qs->n && rc == 0; i++) {
        const ps_query *pq = &qs->items[i];
        xs_query *q = NULL;
        char *bytes = NULL;
        size_t len = 0;
        if (ps_search_build_query(s, pq->text, &so, &q, err) < 0) {
            rc = ps_err_prefix(err, "query %s", pq->qid);
            break;
        }
        if (q && xs_query_serialise(q, &bytes, &len) != XS_OK)
            rc = ps_err_set(err, "query %s: %s", pq->qid, xs_last_error());
        xs_query_free(q);
        errno = 0;
        if (rc == 0 && fprintf(f, "%s\t", pq->qid) < 0)
            rc = write_failed(name, err);
        for (size_t k = 0; k < len && rc == 0; k++)
            if (fprintf(f, "%02x", (unsigned char)bytes[k]) < 0)
                rc = write_failed(name, err);
        if (rc == 0 && fprintf(f, "\t%.17g\t%.17g\n", w->k1, w->b) < 0)
            rc = write_failed(name, err);
        free(bytes);
    }
    if (rc == 0 && fflush(f) != 0)
        rc = write_failed(name, err);
    ps_searcher_close(s);
    return rc;
}
