/*
 * format.h - which layout of terms a database was built with.
 *
 * Search reads the terms docbuild.h writes; a database built with another
 * layout would answer silently wrong (phrases that never match), so the
 * layout is stamped into the database's metadata and checked on open.
 *   1 (no stamp): unstemmed positional terms, Z stems without positions
 *   2: positions on the Z stems, no unstemmed terms, spelling per batch
 *   3: synonym group terms (S...) on pages, and as values of the synonym
 *      table (synonyms.h)
 *   4: pages stored compressed (docdata.h "PSD2"), the heading in one
 *      value slot (docbuild.h).
 *   5: pages stored whole in one zstd frame ("PSD3"), so that Xapian does
 *      not deflate them again.
 *   6: the page in a value slot (docbuild.h's PS_VALUE_PAGE), not the
 *      document data, in a frame of zstd's fastest level.
 * The terms of 4 to 6 are those of 3, and this build reads the pages and
 * value slots of 3 to 5 too, so they are still read: the stamp keeps an
 * older build from a database it cannot read.
 */
#ifndef PS_FORMAT_H
#define PS_FORMAT_H

#include "common/err.h"
#include "shim/xapian_shim.h"

#define PS_META_FORMAT "procsearch.format"
#define PS_INDEX_FORMAT "6" /* what this build writes; it reads 3 to 5 too (format.c) */

/* 0 when db (opened from path) holds pages in this build's layout or no
 * pages at all; -1 with err naming path and what to do otherwise. */
int ps_format_check(xs_db *db, const char *path, ps_err *err);

/* Stamp this build's layout into db (inside the caller's transaction). */
int ps_format_stamp(xs_db *db, const char *path, ps_err *err);

#endif
