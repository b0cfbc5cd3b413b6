/*
 * synonyms.h - the lay/clinical synonym table, stored in the database.
 *
 * The table's text format is documented at the top of corpus/synonyms.txt:
 * one group of equivalent expressions per line, separated by " | ".  Each
 * member is stored in Xapian's synonym table under a key made of its
 * stemmed words (stopwords dropped), with the other members of its group as
 * values, written as their folded unstemmed words so the query side can
 * match them as exact phrases.  Storing the table in the database means a
 * searcher needs no file besides the database.
 */
#ifndef PS_SYNONYMS_H
#define PS_SYNONYMS_H

#include <stddef.h>

#include "common/err.h"
#include "indexer/analyze.h"
#include "shim/xapian_shim.h"

#define PS_SYNONYM_KEY_MAX 160

/* The lookup key of an expression: the stems of its words that are not
 * stopwords, joined by single spaces ("spinal taps" -> "spinal tap").  An
 * expression written as one word keeps every part ("i&d" -> "i d"), since
 * without its stopword it would be a different, shorter key.
 * Returns its length, or 0 when the expression has no such word or the key
 * does not fit. */
size_t ps_synonym_key(ps_analyzer *an, const char *expr, size_t len, char *out, size_t cap);

/* Replace db's synonym table with the groups in text (origin names it in
 * errors: "corpus/synonyms.txt:12: a group needs at least two members").
 * *groups (may be NULL) receives the number of groups stored.  Does nothing
 * when the database already holds this exact text (recorded in metadata). */
int ps_synonyms_store(xs_db *db, ps_analyzer *an, const char *text, size_t len,
                      const char *origin, size_t *groups, ps_err *err);

#define PS_META_SYNONYMS "procsearch.synonyms_hash"

#endif
