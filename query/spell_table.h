/*
 * spell_table.h - the index's spelling table, held in memory by a speller
 * that answers many queries (speller.h).
 *
 * The words are kept in the table's byte order, one after another, with
 * their frequencies: a word is found by binary search, and the words that
 * share a prefix (a first letter, say) are one run.  Most words a speller
 * looks up (the
 * ~450 one edit from a misspelling) are no word at all; a bit array of the
 * words' hashes (at least 16 bits per word, two bits set by each, both in
 * one 64-bit block) turns most of those away before any search.  At 100k
 * pages the table holds 186,000 words in about 6 MB and takes about 40 ms
 * to read; at 1M pages 681,000 words, 24 MB and 140 ms, most of it Xapian's
 * iteration of its own table.
 */
#ifndef PS_SPELL_TABLE_H
#define PS_SPELL_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "shim/xapian_shim.h"

typedef struct ps_spell_table ps_spell_table;

/* All of db's spelling table.  NULL with err set when the database or
 * memory fails, or the table's words do not come in byte order. */
ps_spell_table *ps_spell_table_load(const xs_db *db, ps_err *err);
void ps_spell_table_free(ps_spell_table *t);

/* How often w[0..len) occurs, 0 when it is not in the table. */
uint32_t ps_spell_table_freq(const ps_spell_table *t, const char *w, size_t len);

/* Of words[0..n), the one the table holds most often: *best gets its index
 * (the first of equals) and *freq its frequency, or *freq = 0 when the
 * table has none of them; as xs_db_spelling_most_frequent. */
void ps_spell_table_most_frequent(const ps_spell_table *t, const char *const *words, size_t n,
                                  size_t *best, uint32_t *freq);

/* fn(word, len, frequency, ctx) for every word that starts with
 * prefix[0..len), len > 0, in byte order, until fn returns non-zero: as
 * xs_db_spelling_words. */
void ps_spell_table_each_with_prefix(const ps_spell_table *t, const char *prefix, size_t len,
                                     xs_term_fn fn, void *ctx);

/* Which of a-z occur in w[0..n), any other byte counting as one more
 * letter (bit 26).  An edit adds or removes at most one occurrence of two
 * letters, so words d edits apart differ in at most 2d bits: a test far
 * cheaper than an edit distance.  The table keeps each word's. */
uint32_t ps_spell_letters(const char *w, size_t n);

/* How many letters two ps_spell_letters sets differ in. */
static inline int ps_spell_letters_apart(uint32_t a, uint32_t b) {
    uint32_t x = a ^ b;
#if defined(__GNUC__)
    return __builtin_popcount(x);
#else
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
#endif
}

/* Which words may be a correction: min_len to max_len bytes, letters
 * (ps_spell_letters) at most max_diff bits from these. */
typedef struct ps_spell_near {
    size_t min_len, max_len;
    uint32_t letters;
    int max_diff;
} ps_spell_near;

/* The words that may be within limit edits of w[0..n). */
static inline ps_spell_near ps_spell_near_of(const char *w, size_t n, unsigned limit) {
    return (ps_spell_near){n > limit ? n - limit : 0, n + limit, ps_spell_letters(w, n),
                           2 * (int)limit};
}

/* Whether a word of len bytes with these letters is one q allows. */
static inline int ps_spell_is_near(const ps_spell_near *q, size_t len, uint32_t letters) {
    return len >= q->min_len && len <= q->max_len &&
           ps_spell_letters_apart(letters, q->letters) <= q->max_diff;
}

/* The same as ps_spell_table_each_with_prefix with the one-byte prefix
 * initial, but only for the words q allows: the candidates of a
 * correction, found without reading the rest. */
void ps_spell_table_each_near(const ps_spell_table *t, unsigned char initial,
                              const ps_spell_near *q, xs_term_fn fn, void *ctx);

#endif
