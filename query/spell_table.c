#include "query/spell_table.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    uint32_t start; /* the word is text + start ... */
    uint32_t freq;  /* ... found freq times */
} entry;

struct ps_spell_table {
    char *text; /* the words, each ending in '\0', in byte order */
    size_t text_len, text_cap;
    entry *word;
    size_t n, cap;
    uint32_t initial[UCHAR_MAX + 2]; /* words starting with byte c: [initial[c], initial[c + 1]) */
    uint64_t *seen;                  /* the bit array of hashes, in 64-bit blocks */
    uint64_t seen_mask;              /* its blocks - 1 */
    uint32_t *letters;               /* each word's ps_spell_letters */
};

static size_t word_len(const ps_spell_table *t, size_t id) {
    size_t end = id + 1 < t->n ? t->word[id + 1].start : t->text_len;
    return end - t->word[id].start - 1;
}

/* Eight bytes at a time, then MurmurHash3's finalizer: reading the table
 * hashes every word of it (12.5 MB at 1M pages). */
static uint64_t word_hash(const char *w, size_t n) {
    uint64_t h = (uint64_t)n * 0x9e3779b97f4a7c15u, k;
    for (; n >= 8; w += 8, n -= 8) {
        memcpy(&k, w, 8);
        h = (h ^ k) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    k = 0;
    memcpy(&k, w, n);
    h ^= k;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    return h ^ (h >> 33);
}

/* The two bits a word sets, both in one block: one memory access a word
 * when the table is read and when a word is looked up. */
static uint64_t block_of(const ps_spell_table *t, const char *w, size_t n, uint64_t *bits) {
    uint64_t h = word_hash(w, n);
    *bits = (uint64_t)1 << (h >> 58) | (uint64_t)1 << (h >> 52 & 63);
    return h & t->seen_mask;
}

typedef struct load_ctx {
    ps_spell_table *t;
    int out_of_memory, out_of_order, unfit;
} load_ctx;

static int grow(void **p, size_t *cap, size_t need, size_t size) {
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 4096;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q, *cap = c;
    return 0;
}

static int add_word(const char *w, size_t len, uint32_t freq, void *vctx) {
    load_ctx *c = vctx;
    ps_spell_table *t = c->t;
    if (t->n > 0) { /* the runs per initial and the binary search rely on byte order */
        const char *last = t->text + t->word[t->n - 1].start;
        size_t ll = word_len(t, t->n - 1);
        int cmp = memcmp(last, w, ll < len ? ll : len);
        if (cmp > 0 || (cmp == 0 && ll >= len))
            return c->out_of_order = 1;
    }
    if (t->text_len + len + 1 > UINT32_MAX || memchr(w, '\0', len))
        return c->unfit = 1;
    if (grow((void **)&t->text, &t->text_cap, t->text_len + len + 1, 1) < 0 ||
        grow((void **)&t->word, &t->cap, t->n + 1, sizeof *t->word) < 0)
        return c->out_of_memory = 1;
    memcpy(t->text + t->text_len, w, len);
    t->text[t->text_len + len] = '\0';
    t->word[t->n++] = (entry){(uint32_t)t->text_len, freq};
    t->text_len += len + 1;
    return 0;
}

/* What the whole table gives once read: the runs per initial, the bits. */
static int index_words(ps_spell_table *t) {
    size_t id = 0;
    for (int ch = 0; ch <= UCHAR_MAX; ch++) { /* the first word from byte ch on */
        while (id < t->n && (unsigned char)t->text[t->word[id].start] < ch)
            id++;
        t->initial[ch] = (uint32_t)id;
    }
    t->initial[UCHAR_MAX + 1] = (uint32_t)t->n;
    uint64_t blocks = 1;
    while (blocks * 64 < 16 * (uint64_t)t->n)
        blocks *= 2;
    if (!(t->seen = calloc(blocks, sizeof *t->seen)) ||
        !(t->letters = malloc((t->n ? t->n : 1) * sizeof *t->letters)))
        return -1;
    t->seen_mask = blocks - 1;
    for (id = 0; id < t->n; id++) {
        uint64_t bits, block = block_of(t, t->text + t->word[id].start, word_len(t, id), &bits);
        t->seen[block] |= bits;
        t->letters[id] = ps_spell_letters(t->text + t->word[id].start, word_len(t, id));
    }
    return 0;
}

ps_spell_table *ps_spell_table_load(const xs_db *db, ps_err *err) {
    ps_spell_table *t = calloc(1, sizeof *t);
    if (!t) {
        ps_err_set(err, "out of memory");
        return NULL;
    }
    load_ctx c = {.t = t};
    if (xs_db_spelling_words(db, "", add_word, &c) != XS_OK)
        ps_err_set(err, "spelling: %s", xs_last_error());
    else if (c.out_of_memory)
        ps_err_set(err, "spelling: out of memory reading the table into memory");
    else if (c.out_of_order)
        ps_err_set(err, "spelling: the table's words are not in byte order");
    else if (c.unfit)
        ps_err_set(err, "spelling: the table is over 4 GiB or has a word with a NUL byte");
    else if (index_words(t) < 0)
        ps_err_set(err, "out of memory");
    else
        return t;
    ps_spell_table_free(t);
    return NULL;
}

void ps_spell_table_free(ps_spell_table *t) {
    if (!t)
        return;
    free(t->text);
    free(t->word);
    free(t->seen);
    free(t->letters);
    free(t);
}

/* Byte order of w[0..len) against word id. */
static int compare(const ps_spell_table *t, const char *w, size_t len, size_t id) {
    size_t sl = word_len(t, id);
    int cmp = memcmp(w, t->text + t->word[id].start, len < sl ? len : sl);
    return cmp ? cmp : (len > sl) - (len < sl);
}

/* The first word at or after w[0..len) in byte order, within its
 * initial's run (len > 0). */
static size_t lower_bound(const ps_spell_table *t, const char *w, size_t len) {
    unsigned char c = (unsigned char)w[0];
    size_t lo = t->initial[c], hi = t->initial[c + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (compare(t, w, len, mid) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The frequency of w[0..len), found by binary search in its initial's run. */
static uint32_t search(const ps_spell_table *t, const char *w, size_t len) {
    if (len == 0 || memchr(w, '\0', len))
        return 0;
    size_t id = lower_bound(t, w, len);
    return id < t->initial[(unsigned char)w[0] + 1] && compare(t, w, len, id) == 0
               ? t->word[id].freq
               : 0;
}

uint32_t ps_spell_table_freq(const ps_spell_table *t, const char *w, size_t len) {
    uint64_t bits, block = block_of(t, w, len, &bits);
    return (t->seen[block] & bits) == bits ? search(t, w, len) : 0;
}

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* Words looked at together: their blocks are fetched from memory at once
 * rather than one cache miss after another. */
#define BATCH 32

void ps_spell_table_most_frequent(const ps_spell_table *t, const char *const *words, size_t n,
                                  size_t *best, uint32_t *freq) {
    *best = 0, *freq = 0;
    for (size_t at = 0; at < n; at += BATCH) {
        size_t k = n - at < BATCH ? n - at : BATCH, len[BATCH];
        uint64_t block[BATCH], bits[BATCH];
        for (size_t i = 0; i < k; i++) {
            len[i] = strlen(words[at + i]);
            block[i] = block_of(t, words[at + i], len[i], &bits[i]);
            PREFETCH(&t->seen[block[i]]);
        }
        for (size_t i = 0; i < k; i++) {
            if ((t->seen[block[i]] & bits[i]) != bits[i])
                continue;
            uint32_t f = search(t, words[at + i], len[i]);
            if (f > *freq)
                *best = at + i, *freq = f;
        }
    }
}

void ps_spell_table_each_with_prefix(const ps_spell_table *t, const char *prefix, size_t len,
                                     xs_term_fn fn, void *ctx) {
    if (len == 0)
        return;
    unsigned char c = (unsigned char)prefix[0];
    for (size_t id = lower_bound(t, prefix, len); id < t->initial[c + 1]; id++) {
        size_t wl = word_len(t, id);
        const char *w = t->text + t->word[id].start;
        if (wl < len || memcmp(w, prefix, len) != 0 || fn(w, wl, t->word[id].freq, ctx))
            break;
    }
}

uint32_t ps_spell_letters(const char *w, size_t n) {
    uint32_t m = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)w[i] - 'a';
        m |= c < 26 ? 1u << c : 1u << 26;
    }
    return m;
}

void ps_spell_table_each_near(const ps_spell_table *t, unsigned char initial,
                              const ps_spell_near *q, xs_term_fn fn, void *ctx) {
    for (size_t id = t->initial[initial]; id < t->initial[initial + 1]; id++) {
        size_t wl = word_len(t, id);
        if (!ps_spell_is_near(q, wl, t->letters[id]))
            continue;
        if (fn(t->text + t->word[id].start, wl, t->word[id].freq, ctx))
            break;
    }
}
