#define _GNU_SOURCE /* renameat2 */
#include "indexer/index_shards.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "common/progress.h"
#include "common/strmap.h"
#include "indexer/completions.h"
#include "indexer/index_internal.h"

#define MAX_SHARDS 16
#define QUEUE_CAP 1024 /* pages waiting per shard: more than a commit's worth */
/* Bytes of page text waiting per shard (o->queue_bytes = 0).  Real pages
 * (about 5 kB) never reach it before QUEUE_CAP; it keeps pages near
 * PS_PAGE_MAX_BYTES from holding up to a gigabyte per shard. */
#define QUEUE_BYTES ((size_t)32 << 20)

typedef struct item {
    ps_page *page; /* NULL: no more pages */
    char *origin;
    size_t bytes; /* the page's text, as counted against QUEUE_BYTES */
} item;

struct shared;

/* A shard's writer closes its database every o->shard_pages pages and goes
 * on in a new one (a "piece"): Xapian's cost per page grows with the
 * database it adds to (bigger B-trees rewritten at each commit), and the
 * merge at the end joins any number of pieces in one pass. */
typedef struct shard {
    struct shared *sh;
    const char *dir;
    const ps_weights *w;
    size_t index;     /* which shard */
    size_t pieces;    /* pieces opened so far; the last is being written */
    size_t in_piece;  /* pages stored in it */
    char path[4096];  /* the piece being written */
    xs_db *db;
    ps_docbuilder *b;
    /* Every id this shard stored, with the piece that holds it, so that a
     * page repeated in a later piece replaces the earlier copy. */
    ps_strmap ids;
    uint32_t *id_piece;
    size_t id_piece_cap;
    item q[QUEUE_CAP];
    size_t head, len, bytes;
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    pthread_t th;
    int started;
    int rc;
    int stopped; /* rc < 0 because o->stop was set, not a failure */
    ps_err err;
} shard;

/* What the shards report into, under one lock. */
typedef struct shared {
    const ps_index_opts *o;
    ps_index_report *report;
    ps_reject_fn on_reject;
    void *ctx;
    pthread_mutex_t mu;
    size_t rejected_pages;
    int failed;
    ps_progress progress;
    /* Signalled when a full queue gets room, for a reader waiting until
     * some queue has it (room_mu is taken before a shard's mu, never
     * after). */
    pthread_mutex_t room_mu;
    pthread_cond_t room;
    size_t queue_bytes;
} shared;

/* Under s->mu.  A queue always takes one page, however big. */
static int full(const shard *s) {
    return s->len == QUEUE_CAP || (s->len > 0 && s->bytes >= s->sh->queue_bytes);
}

static void push(shard *s, item it) {
    pthread_mutex_lock(&s->mu);
    while (full(s))
        pthread_cond_wait(&s->not_full, &s->mu);
    s->q[(s->head + s->len) % QUEUE_CAP] = it;
    s->len++;
    s->bytes += it.bytes;
    pthread_cond_signal(&s->not_empty);
    pthread_mutex_unlock(&s->mu);
}

static item pop(shard *s) {
    pthread_mutex_lock(&s->mu);
    while (s->len == 0)
        pthread_cond_wait(&s->not_empty, &s->mu);
    item it = s->q[s->head];
    int was_full = full(s);
    s->head = (s->head + 1) % QUEUE_CAP;
    s->len--;
    s->bytes -= it.bytes;
    int made_room = was_full && !full(s);
    pthread_cond_signal(&s->not_full);
    pthread_mutex_unlock(&s->mu);
    if (made_room) { /* the only pop the reader can be waiting for */
        pthread_mutex_lock(&s->sh->room_mu);
        pthread_cond_signal(&s->sh->room);
        pthread_mutex_unlock(&s->sh->room_mu);
    }
    return it;
}

static void account(shard *s, int stored, int replaced, const char *reject_msg) {
    shared *sh = s->sh;
    pthread_mutex_lock(&sh->mu);
    if (reject_msg) {
        sh->rejected_pages++;
        if (sh->on_reject)
            sh->on_reject(reject_msg, sh->ctx);
    } else if (stored) {
        if (replaced)
            sh->report->replaced++;
        else
            sh->report->indexed++;
    }
    ps_progress_update(&sh->progress, sh->report->indexed + sh->report->replaced,
                       sh->rejected_pages);
    pthread_mutex_unlock(&sh->mu);
}

static int piece_path(const char *dir, size_t shard_i, size_t piece, char *out, size_t cap,
                      ps_err *err) {
    int n = snprintf(out, cap, "%s/shard-%zu-%zu", dir, shard_i, piece);
    if (n < 0 || (size_t)n >= cap)
        return ps_err_set(err, "%s: path too long", dir);
    return 0;
}

/* Open the shard's next piece, in a transaction, ready for pages. */
static int open_piece(shard *s, ps_err *err) {
    if (piece_path(s->dir, s->index, s->pieces, s->path, sizeof s->path, err) < 0)
        return -1;
    if (xs_db_open(s->path, XS_DB_CREATE_SCRATCH, &s->db) != XS_OK ||
        xs_db_begin(s->db, 1) != XS_OK)
        return ps_err_set(err, "%s: %s", s->path, xs_last_error());
    s->pieces++;
    s->in_piece = 0;
    return ps_index_prepare_db(s->db, s->path, s->w, err);
}

/* Commit and close the piece being written and open the next. */
static int next_piece(shard *s, ps_err *err) {
    if (ps_index_commit(s->db, s->b, s->path, 0, err) < 0)
        return -1;
    xs_status st = xs_db_close(s->db);
    s->db = NULL;
    if (st != XS_OK)
        return ps_err_set(err, "%s: %s", s->path, xs_last_error());
    return open_piece(s, err);
}

/* A page whose id an earlier, closed piece holds: delete it there, as
 * replacing by id does within one database.  *replaced says whether it did.
 * Rare (a page given twice in one run), so the piece is simply reopened. */
static int forget_earlier(shard *s, const char *id, int *replaced, ps_err *err) {
    *replaced = 0;
    int64_t k = ps_strmap_find(&s->ids, id, strlen(id));
    if (k < 0 || s->id_piece[k] + 1 == s->pieces)
        return 0;
    char path[4096], idterm[PS_ID_MAX + 2];
    if (piece_path(s->dir, s->index, s->id_piece[k], path, sizeof path, err) < 0)
        return -1;
    ps_id_term(id, idterm, sizeof idterm);
    xs_db *db = NULL;
    uint32_t deleted = 0;
    if (xs_db_open(path, XS_DB_OPEN, &db) != XS_OK ||
        xs_db_delete_by_term(db, idterm, &deleted) != XS_OK || xs_db_commit(db) != XS_OK) {
        int rc = ps_err_set(err, "%s: %s", path, xs_last_error());
        if (db)
            (void)xs_db_close(db);
        return rc;
    }
    if (xs_db_close(db) != XS_OK)
        return ps_err_set(err, "%s: %s", path, xs_last_error());
    *replaced = deleted > 0;
    return 0;
}

/* Note that the piece being written holds id. */
static int remember(shard *s, const char *id, ps_err *err) {
    int64_t k = ps_strmap_intern(&s->ids, id, strlen(id), NULL);
    if (k < 0)
        return ps_err_set(err, "out of memory");
    if ((size_t)k >= s->id_piece_cap) {
        size_t cap = s->id_piece_cap ? s->id_piece_cap * 2 : 1024;
        uint32_t *grown = realloc(s->id_piece, cap * sizeof *grown);
        if (!grown)
            return ps_err_set(err, "out of memory");
        s->id_piece = grown;
        s->id_piece_cap = cap;
    }
    s->id_piece[k] = (uint32_t)(s->pieces - 1);
    return 0;
}

/* Store one page in the piece being written: 0 stored, 1 refused
 * (page_err), -1 failed (s->err). */
static int store(shard *s, const item *it, int *replaced, ps_err *page_err) {
    int earlier = 0;
    if (forget_earlier(s, it->page->id, &earlier, &s->err) < 0)
        return -1;
    int r = ps_index_store(s->db, s->b, it->origin, it->page, replaced, page_err, &s->err);
    if (r != 0)
        return r;
    *replaced |= earlier;
    return remember(s, it->page->id, &s->err) < 0 ? -1 : 0;
}

static void *shard_main(void *arg) {
    shard *s = arg;
    const ps_index_opts *o = s->sh->o;
    size_t in_batch = 0;
    for (;;) {
        item it = pop(s);
        if (!it.page)
            break;
        /* Asked to stop, the pages still queued are dropped with the piece. */
        if (s->rc == 0 && ps_index_stopped(o))
            s->stopped = 1, s->rc = -1;
        if (s->rc == 0) {
            ps_err page_err;
            int replaced = 0;
            int r = store(s, &it, &replaced, &page_err);
            if (r < 0)
                s->rc = -1;
            else
                account(s, r == 0, replaced, r > 0 ? page_err.msg : NULL);
            if (r == 0 && o->shard_pages && ++s->in_piece >= o->shard_pages) {
                in_batch = 0;
                s->rc = next_piece(s, &s->err);
            } else if (r == 0 && ++in_batch >= o->batch) {
                /* The spelling counts wait for the piece's last commit:
                 * Xapian rewrites the word lists of every letter group a
                 * new word joins (its spelling fragments) at each commit,
                 * which grows with the vocabulary, while a piece lost in a
                 * crash is lost whole anyway. */
                in_batch = 0;
                s->rc = ps_index_commit(s->db, NULL, s->path, 1, &s->err);
            }
            if (s->rc < 0) {
                pthread_mutex_lock(&s->sh->mu);
                s->sh->failed = 1;
                pthread_mutex_unlock(&s->sh->mu);
            }
        }
        ps_page_free(it.page);
        free(it.origin);
    }
    if (s->rc == 0 && ps_index_stopped(o))
        s->stopped = 1, s->rc = -1;
    if (s->rc == 0)
        s->rc = ps_index_commit(s->db, s->b, s->path, 0, &s->err);
    return NULL;
}

/* Pages go to the shard with the shortest queue (waiting, when all are
 * full, for room in any), so that a shard busy committing (seconds, late
 * in a big build) never leaves the other idle behind a full queue, and
 * both finish together.  A page whose id came before goes where that id
 * went, where replacing by id works as it does in one database. */
typedef struct router {
    shard *shards;
    size_t n;
    shared *sh;
    ps_strmap ids;     /* every id routed so far */
    uint8_t *id_shard; /* per id: the shard it went to */
    size_t id_shard_cap;
    int stopped; /* the walk ended because o->stop was set */
} router;

/* The walker hands its rejections to the same context as its pages; the
 * shards may be reporting theirs at the same moment. */
static void forward_reject(const char *msg, void *vctx) {
    router *r = vctx;
    pthread_mutex_lock(&r->sh->mu);
    if (r->sh->on_reject)
        r->sh->on_reject(msg, r->sh->ctx);
    pthread_mutex_unlock(&r->sh->mu);
}

/* Pages waiting in s, or SIZE_MAX when it is full. */
static size_t queued(shard *s) {
    pthread_mutex_lock(&s->mu);
    size_t len = full(s) ? SIZE_MAX : s->len;
    pthread_mutex_unlock(&s->mu);
    return len;
}

/* The shard for id: where it went before, else the least busy; -1 when
 * memory runs out. */
static int pick_shard(router *r, const char *id) {
    int added = 0;
    int64_t k = ps_strmap_intern(&r->ids, id, strlen(id), &added);
    if (k < 0)
        return -1;
    if (!added)
        return r->id_shard[k];
    if ((size_t)k >= r->id_shard_cap) {
        size_t cap = r->id_shard_cap ? r->id_shard_cap * 2 : 4096;
        uint8_t *grown = realloc(r->id_shard, cap);
        if (!grown)
            return -1;
        r->id_shard = grown;
        r->id_shard_cap = cap;
    }
    /* When every queue is full, wait for room in any, not in one that
     * may be busy committing. */
    size_t best = 0;
    pthread_mutex_lock(&r->sh->room_mu);
    for (;;) {
        size_t best_len = SIZE_MAX;
        for (size_t i = 0; i < r->n; i++) {
            size_t len = queued(&r->shards[i]);
            if (len < best_len)
                best = i, best_len = len;
        }
        if (best_len != SIZE_MAX)
            break;
        pthread_cond_wait(&r->sh->room, &r->sh->room_mu);
    }
    pthread_mutex_unlock(&r->sh->room_mu);
    r->id_shard[k] = (uint8_t)best;
    return (int)best;
}

static size_t page_bytes(const ps_page *p) {
    size_t n = sizeof *p;
    for (size_t i = 0; i < p->n_sections; i++)
        n += p->sections[i].text ? strlen(p->sections[i].text) : 0;
    return n;
}

static int route(void *ctx, const char *origin, ps_page *page, ps_err *err) {
    router *r = ctx;
    if (ps_index_stopped(r->sh->o)) {
        ps_page_free(page);
        r->stopped = 1;
        return ps_err_set(err, "interrupted");
    }
    pthread_mutex_lock(&r->sh->mu);
    int failed = r->sh->failed;
    pthread_mutex_unlock(&r->sh->mu);
    int which = failed ? -1 : pick_shard(r, page->id);
    char *o = which < 0 ? NULL : strdup(origin);
    if (!o) {
        ps_page_free(page);
        return failed ? ps_err_set(err, "a shard writer failed") : ps_err_set(err, "out of memory");
    }
    push(&r->shards[which], (item){page, o, page_bytes(page)});
    /* The queue owns o now; the shard frees it after storing the page. */
    // cppcheck-suppress memleak
    return 0;
}

static int open_shard(shard *s, const char *dir, size_t i, const ps_weights *w, ps_err *err) {
    s->dir = dir;
    s->index = i;
    s->w = w;
    if (open_piece(s, err) < 0)
        return -1;
    return (s->b = ps_docbuilder_new(w, err)) ? 0 : -1;
}

/* Every piece of every shard, for the merge; *src and its strings are
 * malloc'd (free_list frees them). */
static int piece_list(const char *dir, const shard *shards, size_t n, char ***src,
                      size_t *n_src, ps_err *err) {
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += shards[i].pieces;
    *n_src = 0;
    if (!(*src = calloc(total, sizeof **src)))
        return ps_err_set(err, "out of memory");
    char path[4096];
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < shards[i].pieces; k++) {
            if (piece_path(dir, i, k, path, sizeof path, err) < 0)
                return -1;
            if (!((*src)[(*n_src)++] = strdup(path)))
                return ps_err_set(err, "out of memory");
        }
    return 0;
}

static void free_list(char **src, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(src[i]);
    free(src);
}

/* Put the merged database (in dir) where the target is.  Where the
 * filesystem can exchange two names at once (Linux renameat2) it does, so
 * that a kill at any moment leaves one whole database at the target;
 * elsewhere the target is first renamed into dir, leaving no database there
 * only between two renames (removing it first took seconds on a big one).
 * The old database ends up in dir, which the caller removes. */
static int swap_in(const char *merged, const char *target, const char *dir, ps_err *err) {
    if (renameat2(AT_FDCWD, merged, AT_FDCWD, target, RENAME_EXCHANGE) == 0)
        return 0;
    char old[4200];
    int len = snprintf(old, sizeof old, "%s/old", dir);
    if (len < 0 || (size_t)len >= sizeof old)
        return ps_err_set(err, "%s: path too long", dir);
    int set_aside = rename(target, old) == 0;
    if (!set_aside && errno != ENOENT)
        return ps_err_set(err, "%s: %s", target, strerror(errno));
    if (rename(merged, target) != 0) {
        int e = errno;
        if (set_aside)
            (void)rename(old, target);
        return ps_err_set(err, "%s: %s", target, strerror(e));
    }
    return 0;
}

/* Merge the pieces into a new database beside the target, then swap it in:
 * the target only ever holds the old (empty) database or the whole new one. */
static int merge(const ps_index_opts *o, const char *dir, shard *shards, size_t n, ps_err *err) {
    char **src = NULL;
    size_t n_src = 0;
    if (piece_list(dir, shards, n, &src, &n_src, err) < 0) {
        free_list(src, n_src);
        return -1;
    }
    char merged[4200];
    int len = snprintf(merged, sizeof merged, "%s/merged", dir);
    if (len < 0 || (size_t)len >= sizeof merged) {
        free_list(src, n_src);
        return ps_err_set(err, "%s: path too long", dir);
    }
    /* The merge of a big build takes minutes with nothing else to show. */
    if (o->progress)
        fprintf(stderr, "\rmerging %zu shard databases into %s ...", n_src, o->db_path);
    xs_status st = xs_db_compact((const char *const *)src, n_src, merged);
    if (o->progress)
        fputs("\r\033[K", stderr);
    free_list(src, n_src);
    if (st != XS_OK)
        return ps_err_set(err, "%s: merging shards: %s", o->db_path, xs_last_error());
    /* Completions come from the merged spelling table (Xapian's compaction
     * adds up the shards' frequencies). */
    xs_db *db = NULL;
    if (xs_db_open(merged, XS_DB_OPEN, &db) != XS_OK)
        return ps_err_set(err, "%s: %s", merged, xs_last_error());
    int rc = ps_completions_store(db, o->db_path, err);
    /* The merge kept the first piece's stamp, from the start of the run. */
    ps_index_stamp(db);
    if (rc == 0 && xs_db_commit(db) != XS_OK)
        rc = ps_err_set(err, "%s: %s", merged, xs_last_error());
    if (xs_db_close(db) != XS_OK && rc == 0)
        rc = ps_err_set(err, "%s: %s", merged, xs_last_error());
    if (rc < 0)
        return -1;
    return swap_in(merged, o->db_path, dir, err);
}

int ps_index_shards(const ps_index_opts *o, const ps_weights *w, xs_db **target,
                    const char *const *paths, size_t n_paths, ps_index_report *report,
                    ps_reject_fn on_reject, void *ctx, ps_err *err) {
    size_t n = o->threads > MAX_SHARDS ? MAX_SHARDS : o->threads;
    char dir[4000];
    int len = snprintf(dir, sizeof dir, "%s.shards-XXXXXX", o->db_path);
    if (len < 0 || (size_t)len >= sizeof dir)
        return ps_err_set(err, "%s: path too long", o->db_path);
    if (!mkdtemp(dir))
        return ps_err_set(err, "%s: cannot create a folder for shards: %s", dir, strerror(errno));
    shard *shards = calloc(n, sizeof *shards);
    if (!shards) {
        (void)ps_remove_tree(dir, NULL);
        return ps_err_set(err, "out of memory");
    }
    shared sh = {.o = o,
                 .report = report,
                 .on_reject = on_reject,
                 .ctx = ctx,
                 .queue_bytes = o->queue_bytes ? o->queue_bytes : QUEUE_BYTES};
    pthread_mutex_init(&sh.mu, NULL);
    pthread_mutex_init(&sh.room_mu, NULL);
    pthread_cond_init(&sh.room, NULL);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        shard *s = &shards[i];
        s->sh = &sh;
        pthread_mutex_init(&s->mu, NULL);
        pthread_cond_init(&s->not_empty, NULL);
        pthread_cond_init(&s->not_full, NULL);
        rc = open_shard(s, dir, i, w, err);
        if (rc == 0 && pthread_create(&s->th, NULL, shard_main, s) != 0)
            rc = ps_err_set(err, "cannot start an indexing thread");
        s->started = rc == 0;
    }
    ps_progress_start(&sh.progress, o->progress, "indexing");
    ps_walk_stats ws = {0};
    router rt = {.shards = shards, .n = n, .sh = &sh};
    if (rc == 0)
        rc = ps_walk_pages(paths, n_paths, route, forward_reject, &rt, &ws, err);
    ps_strmap_free(&rt.ids);
    free(rt.id_shard);
    /* A stop is not a failure: a real one, if any, is what gets reported. */
    int stopped = rt.stopped, failed = rc < 0 && !rt.stopped;
    for (size_t i = 0; i < n; i++)
        if (shards[i].started) {
            push(&shards[i], (item){NULL, NULL, 0});
            pthread_join(shards[i].th, NULL);
            stopped |= shards[i].stopped;
            /* A shard's own message says what failed; the walk only saw that
             * one had. */
            if (shards[i].rc < 0 && !shards[i].stopped && !failed) {
                failed = 1;
                rc = ps_err_set(err, "%s", shards[i].err.msg);
            }
        }
    ps_progress_done(&sh.progress);
    for (size_t i = 0; i < n; i++) {
        ps_docbuilder_free(shards[i].b);
        if (shards[i].db && xs_db_close(shards[i].db) != XS_OK && rc == 0)
            rc = ps_err_set(err, "%s: %s", shards[i].path, xs_last_error());
        pthread_mutex_destroy(&shards[i].mu);
        pthread_cond_destroy(&shards[i].not_empty);
        pthread_cond_destroy(&shards[i].not_full);
        ps_strmap_free(&shards[i].ids);
        free(shards[i].id_piece);
    }
    /* A stop that came after the last page still leaves the database as it
     * was; one that comes during the merge lets it finish. */
    stopped |= rc == 0 && ps_index_stopped(o);
    if (stopped && !failed) {
        report->interrupted = 1;
        rc = ps_err_set(err, "interrupted: nothing merged, the shard databases removed; %s is "
                             "as it was",
                        o->db_path);
    }
    if (rc == 0) {
        if (xs_db_close(*target) != XS_OK)
            rc = ps_err_set(err, "%s: %s", o->db_path, xs_last_error());
        *target = NULL;
    }
    if (rc == 0)
        rc = merge(o, dir, shards, n, err);
    report->rejected = ws.rejected + sh.rejected_pages;
    report->bytes = ws.bytes;
    xs_db *db = NULL;
    if (rc == 0 && xs_db_open(o->db_path, XS_DB_READ, &db) == XS_OK) {
        report->documents = xs_db_doccount(db);
        xs_db_close(db);
    }
    (void)ps_remove_tree(dir, NULL);
    free(shards);
    pthread_mutex_destroy(&sh.mu);
    pthread_mutex_destroy(&sh.room_mu);
    pthread_cond_destroy(&sh.room);
    return rc;
}
