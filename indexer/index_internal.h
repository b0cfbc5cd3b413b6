/*
 * index_internal.h - what the serial (index_run.c) and the sharded
 * (index_shards.c) indexers share.
 */
#ifndef PS_INDEX_INTERNAL_H
#define PS_INDEX_INTERNAL_H

#include <stdatomic.h>

#include "corpus/page.h"
#include "indexer/docbuild.h"
#include "indexer/index_run.h"
#include "indexer/weights.h"
#include "shim/xapian_shim.h"

/* Whether the run was asked to stop (o->stop, set by a signal handler). */
static inline int ps_index_stopped(const ps_index_opts *o) {
    return o->stop && atomic_load_explicit(o->stop, memory_order_relaxed) != 0;
}

/* Write what a search needs besides postings - the weights the pages are
 * indexed with and the synonym table - into db (inside its transaction). */
int ps_index_prepare_db(xs_db *db, const char *path, const ps_weights *w, ps_err *err);

/* Build and store one page.  Returns 0 when stored (*replaced set), 1 when
 * the page itself was refused (page_err says why, naming origin), -1 when
 * the database failed (err). */
int ps_index_store(xs_db *db, ps_docbuilder *b, const char *origin, const ps_page *page,
                   int *replaced, ps_err *page_err, ps_err *err);

/* Record the time in the database's metadata (for stats); cannot fail. */
void ps_index_stamp(xs_db *db);

/* Write b's gathered spelling counts (none when b is NULL), stamp the
 * commit time (for stats) and commit the open transaction; begin the next
 * one when again is set. */
int ps_index_commit(xs_db *db, ps_docbuilder *b, const char *path, int again, ps_err *err);

/* The weights of an open database (its metadata) on top of the defaults;
 * *stored says whether it had any. */
int ps_index_db_weights(xs_db *db, const char *path, ps_weights *w, int *stored, ps_err *err);

#endif
