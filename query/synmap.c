#include "query/synmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    char *key;
    uint32_t hash;
    char **vals;
    size_t n;
} entry;

struct ps_synmap {
    entry *slots;
    size_t cap, used, max_words;
};

typedef struct load_ctx {
    const xs_db *db;
    ps_synmap *m;
    entry *cur;
    int failed;
} load_ctx;

static uint32_t hash(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int add_value(const char *term, size_t len, uint32_t freq, void *vctx) {
    (void)freq;
    load_ctx *c = vctx;
    entry *e = c->cur;
    char **grown = realloc(e->vals, (e->n + 1) * sizeof *grown);
    if (!grown || !(grown[e->n] = strndup(term, len))) {
        if (grown)
            e->vals = grown;
        c->failed = 1;
        return 1;
    }
    e->vals = grown;
    e->n++;
    return 0;
}

static size_t words_in(const char *s, size_t n) {
    size_t w = 1;
    for (size_t i = 0; i < n; i++)
        w += s[i] == ' ';
    return w;
}

static int add_key(const char *term, size_t len, uint32_t freq, void *vctx) {
    (void)freq;
    load_ctx *c = vctx;
    ps_synmap *m = c->m;
    uint32_t h = hash(term, len);
    size_t j = h & (m->cap - 1);
    while (m->slots[j].key)
        j = (j + 1) & (m->cap - 1);
    entry *e = &m->slots[j];
    if (!(e->key = strndup(term, len))) {
        c->failed = 1;
        return 1;
    }
    e->hash = h;
    m->used++;
    size_t w = words_in(term, len);
    if (w > m->max_words)
        m->max_words = w;
    c->cur = e;
    if (xs_db_synonyms(c->db, e->key, add_value, c) != XS_OK || c->failed) {
        c->failed = 1;
        return 1;
    }
    return 0;
}

static int count_key(const char *term, size_t len, uint32_t freq, void *vctx) {
    (void)term, (void)len, (void)freq;
    (*(size_t *)vctx)++;
    return 0;
}

ps_synmap *ps_synmap_load(const xs_db *db, ps_err *err) {
    size_t keys = 0;
    if (xs_db_synonym_keys(db, "", count_key, &keys) != XS_OK) {
        ps_err_set(err, "reading synonyms: %s", xs_last_error());
        return NULL;
    }
    ps_synmap *m = calloc(1, sizeof *m);
    if (!m) {
        ps_err_set(err, "out of memory");
        return NULL;
    }
    m->cap = 16;
    while (m->cap < keys * 2)
        m->cap *= 2;
    if (!(m->slots = calloc(m->cap, sizeof *m->slots))) {
        free(m);
        ps_err_set(err, "out of memory");
        return NULL;
    }
    /* db is a snapshot of one revision, so the count above still holds. */
    load_ctx c = {.db = db, .m = m};
    if (xs_db_synonym_keys(db, "", add_key, &c) != XS_OK || c.failed) {
        ps_err_set(err, "reading synonyms: %s", c.failed ? "out of memory" : xs_last_error());
        ps_synmap_free(m);
        return NULL;
    }
    return m;
}

void ps_synmap_free(ps_synmap *m) {
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++) {
        entry *e = &m->slots[i];
        for (size_t k = 0; k < e->n; k++)
            free(e->vals[k]);
        free(e->vals);
        free(e->key);
    }
    free(m->slots);
    free(m);
}

char *const *ps_synmap_get(const ps_synmap *m, const char *key, size_t len, size_t *n) {
    if (!m || m->used == 0)
        return NULL;
    uint32_t h = hash(key, len);
    for (size_t j = h & (m->cap - 1); m->slots[j].key; j = (j + 1) & (m->cap - 1)) {
        const entry *e = &m->slots[j];
        if (e->hash == h && strlen(e->key) == len && !memcmp(e->key, key, len)) {
            *n = e->n;
            return e->vals;
        }
    }
    return NULL;
}

size_t ps_synmap_max_words(const ps_synmap *m) { return m ? m->max_words : 0; }
size_t ps_synmap_size(const ps_synmap *m) { return m ? m->used : 0; }
