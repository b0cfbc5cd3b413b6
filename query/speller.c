#include "query/speller.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "indexer/analyze.h"
#include "query/spell_table.h"

struct ps_speller {
    const xs_db *db;
    int remember;
    ps_spell_table *table; /* with remember: NULL until a word first needs it */
    int unreadable;        /* reading it failed: word by word until forgotten */
};

/* The words one edit from a word of n letters: n deletions, n - 1 swaps,
 * 25n replacements, 26(n + 1) insertions. */
#define EDITS_MAX(n) (53 * (n) + 25)

typedef struct cands {
    char (*w)[PS_TERM_MAX + 2];
    const char **ptr;
    size_t n;
} cands;

static void add(cands *c, const char *w, size_t len) {
    memcpy(c->w[c->n], w, len);
    c->w[c->n][len] = '\0';
    c->ptr[c->n] = c->w[c->n];
    c->n++;
}

/* Every word one edit from w[0..n): deletions, swaps of neighbours,
 * replacements and insertions of a-z. */
static void one_edit(const char *w, size_t n, cands *out) {
    char c[PS_TERM_MAX + 2];
    for (size_t i = 0; i < n; i++) { /* delete w[i] */
        memcpy(c, w, i);
        memcpy(c + i, w + i + 1, n - i - 1);
        add(out, c, n - 1);
    }
    memcpy(c, w, n);
    for (size_t i = 0; i + 1 < n; i++) { /* swap w[i], w[i+1] */
        if (w[i] == w[i + 1])
            continue;
        c[i] = w[i + 1], c[i + 1] = w[i];
        add(out, c, n);
        c[i] = w[i], c[i + 1] = w[i + 1];
    }
    for (size_t i = 0; i < n; i++) { /* replace w[i] */
        for (int ch = 'a'; ch <= 'z'; ch++) {
            if (ch == w[i])
                continue;
            c[i] = (char)ch;
            add(out, c, n);
        }
        c[i] = w[i];
    }
    for (size_t i = 0; i <= n; i++) { /* insert before w[i] */
        memcpy(c, w, i);
        memcpy(c + i + 1, w + i, n - i);
        for (int ch = 'a'; ch <= 'z'; ch++) {
            c[i] = (char)ch;
            add(out, c, n + 1);
        }
    }
}

/* Of words[0..n), the one the table holds most often (the first of
 * equals), as xs_db_spelling_most_frequent answers it. */
static int most_frequent(const ps_speller *sp, const char *const *words, size_t n, size_t *best,
                         uint32_t *freq, ps_err *err) {
    if (!sp->table) {
        if (xs_db_spelling_most_frequent(sp->db, words, n, best, freq) != XS_OK)
            return ps_err_set(err, "spelling: %s", xs_last_error());
        return 0;
    }
    ps_spell_table_most_frequent(sp->table, words, n, best, freq);
    return 0;
}

/* The most frequent word one edit away into *out, if any. */
static int nearest(const ps_speller *sp, const char *word, size_t len, char **out, ps_err *err) {
    size_t cap = EDITS_MAX(len);
    cands c = {malloc(cap * sizeof *c.w), malloc(cap * sizeof *c.ptr), 0};
    int rc = 0;
    if (!c.w || !c.ptr) {
        rc = ps_err_set(err, "out of memory");
        goto done;
    }
    one_edit(word, len, &c);
    size_t best = 0;
    uint32_t freq = 0;
    if (most_frequent(sp, c.ptr, c.n, &best, &freq, err) < 0)
        rc = -1;
    else if (freq && !(*out = strdup(c.w[best])))
        rc = ps_err_set(err, "out of memory");
done:
    free(c.w);
    free(c.ptr);
    return rc;
}

/* Optimal string alignment distance of a[0..n) and b[0..m) (a swap of
 * neighbours is one edit), or limit + 1 once it must exceed limit.  Only
 * the cells within limit of the diagonal are computed: a path of at most
 * limit edits never leaves that band, so a cell outside it counts as
 * limit + 1, which keeps every value of at most limit exact. */
static unsigned osa_distance(const char *a, size_t n, const char *b, size_t m, unsigned limit) {
    unsigned rows[3][PS_TERM_MAX + 3];
    unsigned *pp = rows[0], *p = rows[1], *cur = rows[2];
    const unsigned over = limit + 1;
    if (n > PS_TERM_MAX + 1 || m > PS_TERM_MAX + 1 || n > m + limit || m > n + limit)
        return over;
    for (size_t j = 0; j < PS_TERM_MAX + 3; j++) {
        pp[j] = cur[j] = over;
        p[j] = j <= limit ? (unsigned)j : over;
    }
    for (size_t i = 1; i <= n; i++) {
        size_t lo = i > limit ? i - limit : 1, hi = i + limit < m ? i + limit : m;
        cur[0] = i <= limit ? (unsigned)i : over;
        cur[lo - 1] = lo > 1 ? over : cur[0];
        unsigned row_min = cur[lo - 1];
        for (size_t j = lo; j <= hi; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned d = p[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (p[j - 1] + cost < d)
                d = p[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < d)
                d = pp[j - 2] + 1;
            cur[j] = d < over ? d : over;
            if (cur[j] < row_min)
                row_min = cur[j];
        }
        if (hi < m)
            cur[hi + 1] = over; /* the next row's band reaches one further */
        if (row_min > limit)
            return over;
        unsigned *t = pp;
        pp = p, p = cur, cur = t;
    }
    return p[m] <= limit ? p[m] : over;
}

typedef struct scan {
    const char *word;
    size_t len;
    ps_spell_near near; /* the words that may be within limit edits */
    unsigned limit;
    char best[PS_TERM_MAX + 2];
    unsigned best_dist;
    uint32_t best_freq;
} scan;

/* A word near enough in length and letters (ps_spell_table_each_near's
 * test) to be within limit edits: the distance, and the best so far. */
static int on_candidate(const char *v, size_t m, uint32_t freq, void *vctx) {
    scan *s = vctx;
    if (m > PS_TERM_MAX)
        return 0;
    unsigned d = osa_distance(s->word, s->len, v, m, s->limit);
    if (d == 0 || d > s->limit)
        return 0;
    if (d < s->best_dist || (d == s->best_dist && freq > s->best_freq)) {
        s->best_dist = d;
        s->best_freq = freq;
        memcpy(s->best, v, m);
        s->best[m] = '\0';
    }
    return 0;
}

/* on_candidate for any word, read from the database word by word: the
 * table's test of length and letters first. */
static int on_word(const char *v, size_t m, uint32_t freq, void *vctx) {
    const scan *s = vctx;
    if (!ps_spell_is_near(&s->near, m, ps_spell_letters(v, m)))
        return 0;
    return on_candidate(v, m, freq, vctx);
}

/* With remember, the table is read at the first word that needs it. */
static void read_table(ps_speller *sp) {
    if (sp->remember && !sp->table && !sp->unreadable) {
        /* Reading word by word gives the same answers, only slower: a
         * table that does not fit in memory is no reason to fail a query,
         * and a database that fails will fail that way too, and say so. */
        ps_err ignored;
        sp->unreadable = !(sp->table = ps_spell_table_load(sp->db, &ignored));
    }
}

int ps_speller_words(ps_speller *sp, const char *prefix, xs_term_fn fn, void *ctx, ps_err *err) {
    if (!*prefix)
        return 0;
    read_table(sp);
    if (sp->table) {
        ps_spell_table_each_with_prefix(sp->table, prefix, strlen(prefix), fn, ctx);
        return 0;
    }
    if (xs_db_spelling_words(sp->db, prefix, fn, ctx) != XS_OK)
        return ps_err_set(err, "spelling: %s", xs_last_error());
    return 0;
}

/* The closest, then most frequent, word within limit edits that starts
 * with the same letter: misspellings seldom touch the first one, and the
 * scan then covers 1/26th of the table, not all of it. */
static int same_initial(ps_speller *sp, const char *word, size_t len, unsigned limit,
                        char **out, ps_err *err) {
    scan s = {.word = word, .len = len, .near = ps_spell_near_of(word, len, limit),
              .limit = limit, .best_dist = limit + 1};
    if (sp->table) { /* only the words near enough in length and letters */
        ps_spell_table_each_near(sp->table, (unsigned char)word[0], &s.near, on_candidate, &s);
    } else {
        char initial[2] = {word[0], '\0'};
        if (ps_speller_words(sp, initial, on_word, &s, err) < 0)
            return -1;
    }
    if (s.best_freq && !(*out = strdup(s.best)))
        return ps_err_set(err, "out of memory");
    return 0;
}

ps_speller *ps_speller_new(const xs_db *db, int remember) {
    ps_speller *sp = calloc(1, sizeof *sp);
    if (sp)
        sp->db = db, sp->remember = remember;
    return sp;
}

void ps_speller_forget(ps_speller *sp) {
    if (!sp)
        return;
    ps_spell_table_free(sp->table);
    sp->table = NULL;
    sp->unreadable = 0;
}

void ps_speller_remember(ps_speller *sp, int remember) {
    sp->remember = remember;
    if (!remember)
        ps_speller_forget(sp);
}

void ps_speller_free(ps_speller *sp) {
    ps_speller_forget(sp);
    free(sp);
}

int ps_spell_correct(ps_speller *sp, const char *word, size_t len, unsigned max_edit, char **out,
                     ps_err *err) {
    *out = NULL;
    if (max_edit == 0 || len == 0)
        return 0;
    if (len > PS_TERM_MAX || !ps_text_is_az(word, len))
        return 0;
    read_table(sp);
    char w[PS_TERM_MAX + 1];
    memcpy(w, word, len);
    w[len] = '\0';
    const char *self = w;
    size_t best = 0;
    uint32_t freq = 0;
    if (most_frequent(sp, &self, 1, &best, &freq, err) < 0)
        return -1;
    if (freq) /* a word of the table needs no correction */
        return 0;
    if (nearest(sp, word, len, out, err) < 0)
        return -1;
    if (*out || max_edit == 1)
        return 0;
    return same_initial(sp, word, len, max_edit, out, err);
}
