#include "indexer/index_run.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/file.h"
#include "common/progress.h"
#include "corpus/builtin.h"
#include "corpus/page.h"
#include "indexer/docbuild.h"
#include "indexer/synonyms.h"
#include "shim/xapian_shim.h"

typedef struct run {
    const ps_index_opts *opts;
    ps_index_report *report;
    ps_reject_fn on_reject;
    void *ctx;
    xs_db *db;
    ps_docbuilder *builder;
    size_t in_batch;
    ps_progress progress;
    ps_err *err; /* fatal errors only */
} run;

static void reject(run *r, const char *msg) {
    r->report->rejected++;
    if (r->on_reject)
        r->on_reject(msg, r->ctx);
}

static void set_last_commit(xs_db *db) {
    char stamp[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* Only informational (for stats): a failure here must not fail a commit. */
    (void)xs_db_set_metadata(db, PS_META_LAST_COMMIT, stamp, strlen(stamp));
}

static int commit_batch(run *r, int begin_next) {
    set_last_commit(r->db);
    if (xs_db_commit_transaction(r->db) != XS_OK)
        return ps_err_set(r->err, "%s: commit failed: %s", r->opts->db_path, xs_last_error());
    r->in_batch = 0;
    if (begin_next && xs_db_begin(r->db, 1) != XS_OK)
        return ps_err_set(r->err, "%s: %s", r->opts->db_path, xs_last_error());
    return 0;
}

/* Index one parsed page; a page the builder refuses is a rejection. */
static int index_page(run *r, const char *origin, ps_page *page) {
    ps_err e;
    xs_doc *doc = NULL;
    if (ps_docbuild(r->builder, page, r->db, &doc, &e) < 0) {
        char msg[PS_ERR_MSG_MAX + 64];
        snprintf(msg, sizeof msg, "%s: %s", origin, e.msg);
        reject(r, msg);
        return 0;
    }
    char idterm[PS_ID_MAX + 2];
    ps_id_term(page->id, idterm, sizeof idterm);
    int replaced = 0;
    xs_status st = xs_db_replace_by_term(r->db, idterm, doc, NULL, &replaced);
    xs_doc_free(doc);
    if (st != XS_OK)
        return ps_err_set(r->err, "%s: storing %s: %s", r->opts->db_path, origin, xs_last_error());
    if (replaced)
        r->report->replaced++;
    else
        r->report->indexed++;
    ps_progress_update(&r->progress, r->report->indexed + r->report->replaced,
                       r->report->rejected);
    if (++r->in_batch >= r->opts->batch)
        return commit_batch(r, 1);
    return 0;
}

static char *id_from_path(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *id = malloc(n + 1);
    if (id) {
        memcpy(id, base, n);
        id[n] = '\0';
    }
    return id;
}

static int index_text_file(run *r, const char *path) {
    ps_err e;
    char *buf = NULL;
    size_t len = 0;
    if (ps_file_read(path, PS_PAGE_MAX_BYTES, &buf, &len, &e) < 0) {
        reject(r, e.msg);
        return 0;
    }
    r->report->bytes += len;
    char *id = id_from_path(path);
    ps_page *page = NULL;
    int rc = 0;
    if (!id)
        rc = ps_err_set(r->err, "out of memory");
    else if (ps_page_parse(id, path, buf, len, &page, &e) < 0)
        reject(r, e.msg);
    else
        rc = index_page(r, path, page);
    ps_page_free(page);
    free(id);
    free(buf);
    return rc;
}

static int index_jsonl_file(run *r, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        ps_err e;
        ps_err_set(&e, "%s: cannot open", path);
        reject(r, e.msg);
        return 0;
    }
    char *line = NULL;
    size_t cap = 0, line_no = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
        line_no++;
        r->report->bytes += (size_t)n;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        ps_err e;
        ps_page *page = NULL;
        if (ps_page_parse_jsonl(path, line_no, line, (size_t)n, &page, &e) < 0) {
            reject(r, e.msg);
            continue;
        }
        char origin[512];
        snprintf(origin, sizeof origin, "%s:%zu", path, line_no);
        rc = index_page(r, origin, page);
        ps_page_free(page);
    }
    free(line);
    fclose(f);
    return rc;
}

static int has_suffix(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int index_path(run *r, const char *path, int named);

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int index_dir(run *r, const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        ps_err e;
        ps_err_set(&e, "%s: cannot open folder", path);
        reject(r, e.msg);
        return 0;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **grown = realloc(names, cap * sizeof *names);
            if (!grown) {
                rc = ps_err_set(r->err, "out of memory");
                break;
            }
            names = grown;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = ps_err_set(r->err, "out of memory");
            break;
        }
        n++;
    }
    closedir(d);
    /* Sorted, so that runs are repeatable and progress is predictable. */
    qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            size_t len = strlen(path) + strlen(names[i]) + 2;
            char *child = malloc(len);
            if (!child)
                rc = ps_err_set(r->err, "out of memory");
            else {
                snprintf(child, len, "%s/%s", path, names[i]);
                rc = index_path(r, child, 0);
                free(child);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static int index_path(run *r, const char *path, int named) {
    if (ps_is_dir(path))
        return index_dir(r, path);
    if (has_suffix(path, ".jsonl"))
        return index_jsonl_file(r, path);
    if (named || has_suffix(path, ".txt"))
        return index_text_file(r, path);
    return 0; /* other files inside a folder (README, qrels.tsv ...) are not pages */
}

/* Field weights are part of the index (see weights.h): keep the ones the
 * database was built with unless the caller chose others, and refuse to mix
 * two sets of field weights in one database. */
static int settle_weights(run *r, ps_weights *w) {
    char *stored = NULL;
    if (xs_db_get_metadata(r->db, PS_META_WEIGHTS, &stored, NULL) != XS_OK)
        return ps_err_set(r->err, "%s: %s", r->opts->db_path, xs_last_error());
    ps_weights have;
    ps_weights_default(&have);
    ps_err e;
    int rc = 0;
    if (*stored && ps_weights_parse(stored, r->opts->db_path, &have, &e) < 0)
        rc = ps_err_set(r->err, "%s: stored weights: %s", r->opts->db_path, e.msg);
    else if (!r->opts->weights)
        *w = have;
    else {
        *w = *r->opts->weights;
        if (*stored && xs_db_doccount(r->db) > 0 && memcmp(have.field, w->field, sizeof w->field))
            rc = ps_err_set(r->err,
                            "%s: the database was built with other field weights; index into a "
                            "new database or use --overwrite",
                            r->opts->db_path);
    }
    free(stored);
    if (rc == 0) {
        char *text = ps_weights_format(w);
        if (!text)
            return ps_err_set(r->err, "out of memory");
        if (xs_db_set_metadata(r->db, PS_META_WEIGHTS, text, strlen(text)) != XS_OK)
            rc = ps_err_set(r->err, "%s: %s", r->opts->db_path, xs_last_error());
        free(text);
    }
    return rc;
}

/* The curated synonym table travels with the binary and is written into
 * each database it indexes (only when it changed), so searches need
 * nothing but the database. */
static int store_synonyms(run *r) {
    ps_analyzer *an = ps_analyzer_new(r->err);
    if (!an)
        return -1;
    size_t len = 0;
    const char *text = ps_builtin_synonyms(&len);
    int rc = ps_synonyms_store(r->db, an, text, len, "corpus/synonyms.txt", NULL, r->err);
    if (rc < 0)
        ps_err_prefix(r->err, "%s", r->opts->db_path);
    ps_analyzer_free(an);
    return rc;
}

int ps_index_paths(const ps_index_opts *opts, const char *const *paths, size_t n_paths,
                   ps_index_report *report, ps_reject_fn on_reject, void *ctx, ps_err *err) {
    ps_index_opts o = *opts;
    if (o.batch == 0)
        o.batch = PS_BATCH_DEFAULT;
    memset(report, 0, sizeof *report);
    run r = {.opts = &o, .report = report, .on_reject = on_reject, .ctx = ctx, .err = err};
    double t0 = ps_now();
    xs_status st =
        xs_db_open(o.db_path, o.overwrite ? XS_DB_CREATE_OR_OVERWRITE : XS_DB_CREATE_OR_OPEN, &r.db);
    if (st != XS_OK)
        return ps_err_set(err, "%s: cannot open for writing: %s", o.db_path, xs_last_error());
    ps_weights w;
    int rc = -1;
    if (xs_db_begin(r.db, 1) != XS_OK) {
        ps_err_set(err, "%s: %s", o.db_path, xs_last_error());
        goto out;
    }
    if (settle_weights(&r, &w) < 0)
        goto out;
    if (!(r.builder = ps_docbuilder_new(&w, err)) || store_synonyms(&r) < 0)
        goto out;
    ps_progress_start(&r.progress, o.progress, "indexing");
    rc = 0;
    for (size_t i = 0; i < n_paths && rc == 0; i++)
        rc = index_path(&r, paths[i], 1);
    if (rc == 0)
        rc = commit_batch(&r, 0);
    ps_progress_done(&r.progress);
out:
    if (rc != 0)
        (void)xs_db_cancel_transaction(r.db);
    report->documents = xs_db_doccount(r.db);
    ps_docbuilder_free(r.builder);
    if (xs_db_close(r.db) != XS_OK && rc == 0)
        rc = ps_err_set(err, "%s: closing: %s", o.db_path, xs_last_error());
    report->seconds = ps_now() - t0;
    return rc;
}
