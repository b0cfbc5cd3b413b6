/*
 * index_run.h - index files and folders of pages into a database, in
 * batches that commit atomically.
 *
 * Each batch of pages is one Xapian transaction committed to disk before the
 * next begins, so a crash or kill loses at most the batch in flight and never
 * what was committed.  A page that cannot be read or parsed is reported and
 * skipped; it never costs the rest of its batch.
 */
#ifndef PS_INDEX_RUN_H
#define PS_INDEX_RUN_H

#include <stdatomic.h>
#include <stddef.h>

#include "common/err.h"
#include "corpus/page_walk.h"
#include "indexer/weights.h"

#define PS_BATCH_DEFAULT 1000
/* Pages per shard database before a sharded build starts a new one; see
 * index_shards.c for why, and README "Performance" for the 1M build
 * that ran with it (the value was chosen, not swept). */
#define PS_SHARD_PAGES_DEFAULT 25000

typedef struct ps_index_opts {
    const char *db_path;
    const ps_weights *weights; /* NULL: the database's own, else the defaults */
    size_t batch;              /* pages per transaction (0 = PS_BATCH_DEFAULT) */
    int progress;              /* progress line on stderr (callers pass isatty(2)) */
    int overwrite;             /* start from an empty database */
    size_t threads;            /* >1: build that many shards at once and merge
                                  them (only into an empty database; see below) */
    size_t shard_pages;        /* a shard starts a new database after this many
                                  pages (0 = PS_SHARD_PAGES_DEFAULT, SIZE_MAX =
                                  never) */
    size_t queue_bytes;        /* page text waiting per shard before the reader
                                  waits (0 = 32 MiB; a queue always takes one
                                  page) */
    const atomic_int *stop;    /* NULL, or a flag that stops the run when it
                                  becomes non-zero (a signal handler sets it;
                                  see ps_index_paths) */
} ps_index_opts;

typedef struct ps_index_report {
    size_t indexed;  /* pages added */
    size_t replaced; /* pages that replaced one with the same id */
    size_t rejected; /* files or records skipped, each reported */
    size_t bytes;    /* input bytes read */
    double seconds;
    size_t documents; /* documents in the database afterwards */
    int interrupted;  /* the run was stopped by opts->stop */
} ps_index_report;

/* Index every path: a folder is walked recursively (sorted, hidden entries
 * skipped) for *.txt pages and *.jsonl feeds; a file named directly is read
 * as JSON Lines if it ends in .jsonl and as a page otherwise.  Returns 0 when
 * the run finished (rejections are counted in *report, not failures) and -1
 * when the database failed (cannot be opened, locked, a commit failed); the
 * batches committed before the failure stay.
 *
 * With threads > 1 and an empty (or overwritten) database, pages are dealt
 * by id to `threads` shard databases built side by side, one writer per
 * core, and merged into the database at the end (Xapian's compaction).
 * Until that merge the database is left as it was: a kill loses the run,
 * never what the database held.  Into a database that already has pages,
 * indexing is always serial, so that replacing by id stays exact.
 *
 * When *opts->stop becomes non-zero the run stops at the next page and
 * returns -1 with report->interrupted set, losing nothing it had stored: a
 * serial run commits the pages stored so far (the database's completions
 * wait for the next run); a sharded run merges nothing, removes its shard
 * databases and leaves the database as it was.  A stop during the merge
 * lets the merge finish (Xapian's compaction cannot be cut short), and the
 * run then completes. */
int ps_index_paths(const ps_index_opts *opts, const char *const *paths, size_t n_paths,
                   ps_index_report *report, ps_reject_fn on_reject, void *ctx, ps_err *err);

/* Metadata keys the indexer writes and readers use. */
#define PS_META_WEIGHTS "procsearch.weights"
#define PS_META_LAST_COMMIT "procsearch.last_commit"

#endif
