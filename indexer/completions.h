/*
 * completions.h - the likeliest completions of short prefixes, stored.
 *
 * A search box asks for completions after every keystroke, and the first
 * ones are one to three letters long.  The most frequent words of the
 * spelling table starting with "th" are found among thousands of words
 * (13 ms at 100k pages), so at the end of every index run the table is read
 * once and, for each prefix of 1 to PS_COMPLETE_PREFIX_MAX letters a-z, its
 * PS_COMPLETE_TOP most frequent words (stopwords skipped) are stored in the
 * database's metadata.  Longer prefixes are few enough to scan.
 */
#ifndef PS_COMPLETIONS_H
#define PS_COMPLETIONS_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "indexer/analyze.h"
#include "shim/xapian_shim.h"

#define PS_META_COMPLETE "procsearch.complete:"
#define PS_COMPLETE_PREFIX_MAX 3
#define PS_COMPLETE_TOP 5

typedef struct ps_completion {
    char word[PS_TERM_MAX + 1];
    uint32_t freq;
} ps_completion;

/* Keep word[0..len) (len <= PS_TERM_MAX) among the cap most frequent in
 * top[0..*n), most frequent first; among equals, the first kept stays
 * first. */
void ps_completions_keep(ps_completion *top, size_t *n, size_t cap, const char *word,
                         size_t len, uint32_t freq);

/* Read db's spelling table and store the completions of every short
 * prefix (the caller commits).  -1 with err naming path on failure. */
int ps_completions_store(xs_db *db, const char *path, ps_err *err);

/* The stored completions of prefix, most frequent first, into out
 * (PS_COMPLETE_TOP entries) and *n.  Returns 1 when prefix is one the
 * table covers (a-z, at most PS_COMPLETE_PREFIX_MAX letters) and the
 * database has them stored, 0 when the caller must scan instead, -1 with
 * err set when the database fails. */
int ps_completions_load(const xs_db *db, const char *prefix, ps_completion *out, size_t *n,
                        ps_err *err);

#endif
