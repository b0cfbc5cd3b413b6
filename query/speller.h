/*
 * speller.h - "did you mean": the word of the index's spelling table
 * closest to an unknown word.
 *
 * Xapian's own suggestion (xs_db_spelling_suggestion) merges the lists of
 * every trigram of the word, which on a large vocabulary costs tens of
 * milliseconds for a long word.  Most misspellings are one edit away, so
 * the words one edit away (a letter dropped, added, changed, or two
 * swapped: about 55 per letter) are looked up first, in one sorted pass
 * over the table; the most frequent one wins.  A word with none of those
 * is compared with the words that share its first letter, for the words
 * two edits away: misspellings seldom touch the first letter, and that
 * scan reads 1/26th of the table.  The answer is the one Xapian would give
 * whenever a word one edit away exists (Xapian prefers the fewest edits,
 * then the most frequent word), except that a swap of two letters counts
 * as one edit here.  A word of the table itself, or one with anything but
 * the letters a-z, is left as it is.  A speller that remembers the table
 * (below) does both in memory, and the scan skips the words whose letters
 * differ too much to be close: an edit changes whether at most two letters
 * occur, so words d edits apart differ in at most 2d of them.
 */
#ifndef PS_SPELLER_H
#define PS_SPELLER_H

#include <stddef.h>

#include "common/err.h"
#include "shim/xapian_shim.h"

/* A speller over db's spelling table (borrowed: it must outlive the
 * speller).  With remember, the first word that needs the table reads all
 * of it into memory (spell_table.h: 40 ms and 5 MB at 100k pages, 140 ms
 * and 21 MB at 1M), and every later word is looked up there: for a
 * searcher that answers many queries.  Without, each word reads what it
 * needs from the database: for one query.  Both give the same answers, so
 * a table that cannot be read into memory is read word by word until the
 * speller forgets.  NULL when memory runs out. */
typedef struct ps_speller ps_speller;
ps_speller *ps_speller_new(const xs_db *db, int remember);
/* Drop what was remembered: after db moved to a new revision. */
void ps_speller_forget(ps_speller *sp);
/* Whether to remember from now on (forgetting what was, if not). */
void ps_speller_remember(ps_speller *sp, int remember);
void ps_speller_free(ps_speller *sp);

/* The correction of word[0..len) (folded, as the analyzer gives it) within
 * max_edit edits into *out (malloc()ed, for the caller to free), or
 * *out = NULL when there is none.  -1 with err set when the database or
 * memory fails. */
int ps_spell_correct(ps_speller *sp, const char *word, size_t len, unsigned max_edit, char **out,
                     ps_err *err);

/* fn(word, len, frequency, ctx) for every word of the table that starts
 * with prefix (none for ""), in byte order, until fn returns non-zero, as
 * xs_db_spelling_words calls it; read as ps_spell_correct reads.  -1 with
 * err set when the database fails. */
int ps_speller_words(ps_speller *sp, const char *prefix, xs_term_fn fn, void *ctx, ps_err *err);

#endif
