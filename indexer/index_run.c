#include "indexer/index_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/progress.h"
#include "corpus/builtin.h"
#include "indexer/completions.h"
#include "indexer/format.h"
#include "indexer/index_internal.h"
#include "indexer/index_shards.h"
#include "indexer/synonyms.h"

/* ------------------------------------------------- shared with the shards */

void ps_index_stamp(xs_db *db) {
    char stamp[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* Only informational (for stats): a failure here must not fail a commit. */
    (void)xs_db_set_metadata(db, PS_META_LAST_COMMIT, stamp, strlen(stamp));
}

int ps_index_commit(xs_db *db, ps_docbuilder *b, const char *path, int again, ps_err *err) {
    if (b && ps_docbuilder_flush_spelling(b, db, err) < 0)
        return ps_err_prefix(err, "%s", path);
    ps_index_stamp(db);
    if (xs_db_commit_transaction(db) != XS_OK)
        return ps_err_set(err, "%s: commit failed: %s", path, xs_last_error());
    if (again && xs_db_begin(db, 1) != XS_OK)
        return ps_err_set(err, "%s: %s", path, xs_last_error());
    return 0;
}

int ps_index_store(xs_db *db, ps_docbuilder *b, const char *origin, const ps_page *page,
                   int *replaced, ps_err *page_err, ps_err *err) {
    xs_doc *doc = NULL;
    int built = ps_docbuild(b, page, &doc, page_err);
    if (built > 0) {
        ps_err_prefix(page_err, "%s", origin);
        return 1;
    }
    if (built < 0)
        return ps_err_set(err, "indexing %s: %s", origin, page_err->msg);
    char idterm[PS_ID_MAX + 2];
    ps_id_term(page->id, idterm, sizeof idterm);
    xs_status st = xs_db_replace_by_term(db, idterm, doc, NULL, replaced);
    xs_doc_free(doc);
    if (st != XS_OK)
        return ps_err_set(err, "storing %s: %s", origin, xs_last_error());
    return 0;
}

int ps_index_db_weights(xs_db *db, const char *path, ps_weights *w, int *stored, ps_err *err) {
    char *text = NULL;
    ps_weights_default(w);
    if (xs_db_get_metadata(db, PS_META_WEIGHTS, &text, NULL) != XS_OK)
        return ps_err_set(err, "%s: %s", path, xs_last_error());
    *stored = *text != '\0';
    ps_err e;
    int rc = 0;
    if (*stored && ps_weights_parse(text, path, w, &e) < 0)
        rc = ps_err_set(err, "%s: stored weights: %s", path, e.msg);
    free(text);
    return rc;
}

int ps_index_prepare_db(xs_db *db, const char *path, const ps_weights *w, ps_err *err) {
    char *text = ps_weights_format(w);
    if (!text)
        return ps_err_set(err, "out of memory");
    xs_status st = xs_db_set_metadata(db, PS_META_WEIGHTS, text, strlen(text));
    free(text);
    if (st != XS_OK)
        return ps_err_set(err, "%s: %s", path, xs_last_error());
    if (ps_format_stamp(db, path, err) < 0)
        return -1;
    /* The curated synonym table travels with the binary and is written into
     * each database (only when it changed), so searches need nothing but
     * the database. */
    ps_analyzer *an = ps_analyzer_new(err);
    if (!an)
        return -1;
    size_t len = 0;
    const char *syn = ps_builtin_synonyms(&len);
    int rc = ps_synonyms_store(db, an, syn, len, "corpus/synonyms.txt", NULL, err);
    if (rc < 0)
        ps_err_prefix(err, "%s", path);
    ps_analyzer_free(an);
    return rc;
}

/* ------------------------------------------------------------- serial run */

typedef struct run {
    const ps_index_opts *opts;
    ps_index_report *report;
    ps_reject_fn on_reject;
    void *ctx;
    xs_db *db;
    ps_docbuilder *builder;
    size_t in_batch, rejected_pages;
    int stopped; /* the walk ended because opts->stop was set */
    ps_progress progress;
} run;

static int on_page(void *vctx, const char *origin, ps_page *page, ps_err *err) {
    run *r = vctx;
    if (ps_index_stopped(r->opts)) {
        ps_page_free(page);
        r->stopped = 1;
        return ps_err_set(err, "interrupted");
    }
    ps_err page_err;
    int replaced = 0;
    int rc = ps_index_store(r->db, r->builder, origin, page, &replaced, &page_err, err);
    ps_page_free(page);
    if (rc < 0)
        return ps_err_prefix(err, "%s", r->opts->db_path);
    if (rc > 0) {
        r->rejected_pages++;
        if (r->on_reject)
            r->on_reject(page_err.msg, r->ctx);
        return 0;
    }
    if (replaced)
        r->report->replaced++;
    else
        r->report->indexed++;
    ps_progress_update(&r->progress, r->report->indexed + r->report->replaced,
                       r->rejected_pages);
    if (++r->in_batch >= r->opts->batch) {
        r->in_batch = 0;
        return ps_index_commit(r->db, r->builder, r->opts->db_path, 1, err);
    }
    return 0;
}

/* The walker hands its rejections to the same context as its pages. */
static void forward_reject(const char *msg, void *vctx) {
    run *r = vctx;
    if (r->on_reject)
        r->on_reject(msg, r->ctx);
}

/* Field weights are part of the index (see weights.h): keep the ones the
 * database was built with unless the caller chose others, and refuse to mix
 * two sets of field weights in one database. */
static int settle_weights(const ps_index_opts *o, xs_db *db, ps_weights *w, ps_err *err) {
    ps_weights have;
    int stored = 0;
    if (ps_index_db_weights(db, o->db_path, &have, &stored, err) < 0)
        return -1;
    if (!o->weights) {
        *w = have;
        return 0;
    }
    *w = *o->weights;
    int differ = 0;
    for (int f = 0; f < PS_F_COUNT; f++)
        differ |= have.field[f] != w->field[f];
    if (stored && xs_db_doccount(db) > 0 && differ)
        return ps_err_set(err,
                          "%s: the database was built with other field weights; index into a "
                          "new database or use --overwrite",
                          o->db_path);
    return 0;
}

static int index_serial(const ps_index_opts *o, xs_db *db, const ps_weights *w,
                        const char *const *paths, size_t n_paths, ps_index_report *report,
                        ps_reject_fn on_reject, void *ctx, ps_err *err) {
    run r = {.opts = o, .report = report, .on_reject = on_reject, .ctx = ctx, .db = db};
    if (!(r.builder = ps_docbuilder_new(w, err)))
        return -1;
    ps_progress_start(&r.progress, o->progress, "indexing");
    ps_walk_stats ws;
    int rc = ps_walk_pages(paths, n_paths, on_page, forward_reject, &r, &ws, err);
    /* Stopped on request, the pages stored since the last batch are whole:
     * they are kept, as the end of the pages would keep them. */
    if (rc == 0 || r.stopped)
        rc = ps_index_commit(db, r.builder, o->db_path, 0, err);
    if (rc == 0 && r.stopped) {
        report->interrupted = 1;
        rc = ps_err_set(err, "interrupted: the %zu pages indexed so far are committed",
                        report->indexed + report->replaced);
    }
    ps_progress_done(&r.progress);
    report->rejected = ws.rejected + r.rejected_pages;
    report->bytes = ws.bytes;
    ps_docbuilder_free(r.builder);
    return rc;
}

int ps_index_paths(const ps_index_opts *opts, const char *const *paths, size_t n_paths,
                   ps_index_report *report, ps_reject_fn on_reject, void *ctx, ps_err *err) {
    ps_index_opts o = *opts;
    if (o.batch == 0)
        o.batch = PS_BATCH_DEFAULT;
    if (o.shard_pages == 0)
        o.shard_pages = PS_SHARD_PAGES_DEFAULT;
    memset(report, 0, sizeof *report);
    double t0 = ps_now();
    xs_db *db = NULL;
    /* A sharded build replaces the database only when its merge is done, so
     * an overwrite must not empty it first. */
    int sharded = o.threads > 1;
    xs_db_mode mode = o.overwrite && !sharded ? XS_DB_CREATE_OR_OVERWRITE : XS_DB_CREATE_OR_OPEN;
    if (xs_db_open(o.db_path, mode, &db) != XS_OK)
        return ps_err_set(err, "%s: cannot open for writing: %s", o.db_path, xs_last_error());
    ps_weights w;
    int rc = 0;
    if (sharded && o.overwrite) { /* what the database held is being replaced */
        if (o.weights)
            w = *o.weights;
        else
            ps_weights_default(&w);
    } else {
        rc = o.overwrite ? 0 : ps_format_check(db, o.db_path, err);
        if (rc == 0)
            rc = settle_weights(&o, db, &w, err);
    }
    if (rc == 0 && sharded && (o.overwrite || xs_db_doccount(db) == 0)) {
        /* The open handle keeps the write lock while the shards are built,
         * so no other writer's commits can be lost to the swap. */
        rc = ps_index_shards(&o, &w, &db, paths, n_paths, report, on_reject, ctx, err);
    } else if (rc == 0) {
        if (xs_db_begin(db, 1) != XS_OK)
            rc = ps_err_set(err, "%s: %s", o.db_path, xs_last_error());
        if (rc == 0)
            rc = ps_index_prepare_db(db, o.db_path, &w, err);
        if (rc == 0)
            rc = index_serial(&o, db, &w, paths, n_paths, report, on_reject, ctx, err);
        if (rc != 0)
            (void)xs_db_cancel_transaction(db);
        /* After the last batch is safe: a failure here costs completions,
         * never pages. */
        if (rc == 0)
            rc = ps_completions_store(db, o.db_path, err);
        if (rc == 0 && xs_db_commit(db) != XS_OK)
            rc = ps_err_set(err, "%s: %s", o.db_path, xs_last_error());
    }
    if (db)
        report->documents = xs_db_doccount(db);
    if (db && xs_db_close(db) != XS_OK && rc == 0)
        rc = ps_err_set(err, "%s: closing: %s", o.db_path, xs_last_error());
    report->seconds = ps_now() - t0;
    return rc;
}
