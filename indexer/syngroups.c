#include "indexer/syngroups.h"

#include <stdlib.h>
#include <string.h>

#include "common/strmap.h"
#include "indexer/synonyms.h"

/* Keys map to their groups through one flat array (CSR): the groups of key
 * k are group[first[k] .. first[k + 1]).  keys also holds every word-final
 * part of a key ("ray" and "x ray" of "live x ray"), with no groups of its
 * own, so that the indexer stops lengthening a run once it ends no key. */
struct ps_syngroups {
    ps_strmap keys, terms;
    uint32_t *first, *group;
    size_t max_words;
};

typedef struct pair {
    uint32_t key, group;
} pair;

typedef struct build_ctx {
    ps_syngroups *g;
    pair *pairs;
    size_t n, cap;
} build_ctx;

static size_t words_in(const char *key) {
    size_t n = 1;
    for (; *key; key++)
        n += *key == ' ';
    return n;
}

static int add_group(const ps_syn_group *grp, void *vctx, ps_err *err) {
    build_ctx *c = vctx;
    int64_t t = ps_strmap_intern(&c->g->terms, grp->term, strlen(grp->term), NULL);
    if (t < 0)
        return ps_err_set(err, "out of memory");
    for (size_t i = 0; i < grp->n; i++) {
        const char *key = grp->m[i].key;
        int64_t k = ps_strmap_intern(&c->g->keys, key, strlen(key), NULL);
        if (k < 0)
            return ps_err_set(err, "out of memory");
        for (const char *sp = strchr(key, ' '); sp; sp = strchr(sp + 1, ' '))
            if (ps_strmap_intern(&c->g->keys, sp + 1, strlen(sp + 1), NULL) < 0)
                return ps_err_set(err, "out of memory");
        size_t w = words_in(key);
        if (w > c->g->max_words)
            c->g->max_words = w;
        if (c->n == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 1024;
            pair *grown = realloc(c->pairs, cap * sizeof *grown);
            if (!grown)
                return ps_err_set(err, "out of memory");
            c->pairs = grown;
            c->cap = cap;
        }
        c->pairs[c->n++] = (pair){(uint32_t)k, (uint32_t)t};
    }
    return 0;
}

static int cmp_pair(const void *a, const void *b) {
    const pair *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->group > y->group) - (x->group < y->group);
}

ps_syngroups *ps_syngroups_new(ps_analyzer *an, const char *text, size_t len,
                               const char *origin, ps_err *err) {
    ps_syngroups *g = calloc(1, sizeof *g);
    if (!g) {
        ps_err_set(err, "out of memory");
        return NULL;
    }
    build_ctx c = {.g = g};
    if (ps_synonyms_each_group(an, text, len, origin, add_group, &c, err) < 0)
        goto fail;
    size_t n_keys = ps_strmap_count(&g->keys);
    g->first = calloc(n_keys + 1, sizeof *g->first);
    g->group = malloc((c.n ? c.n : 1) * sizeof *g->group);
    if (!g->first || !g->group) {
        ps_err_set(err, "out of memory");
        goto fail;
    }
    qsort(c.pairs, c.n, sizeof *c.pairs, cmp_pair);
    size_t out = 0;
    for (size_t i = 0; i < c.n; i++) {
        /* a key listed twice in one group, or in the same group twice */
        if (i > 0 && c.pairs[i].key == c.pairs[i - 1].key &&
            c.pairs[i].group == c.pairs[i - 1].group)
            continue;
        g->group[out++] = c.pairs[i].group;
        g->first[c.pairs[i].key + 1] = (uint32_t)out;
    }
    for (size_t k = 1; k <= n_keys; k++)
        if (g->first[k] < g->first[k - 1])
            g->first[k] = g->first[k - 1];
    free(c.pairs);
    return g;
fail:
    free(c.pairs);
    ps_syngroups_free(g);
    return NULL;
}

void ps_syngroups_free(ps_syngroups *g) {
    if (!g)
        return;
    ps_strmap_free(&g->keys);
    ps_strmap_free(&g->terms);
    free(g->first);
    free(g->group);
    free(g);
}

size_t ps_syngroups_max_words(const ps_syngroups *g) { return g->max_words; }

size_t ps_syngroups_count(const ps_syngroups *g) { return ps_strmap_count(&g->terms); }

const uint32_t *ps_syngroups_find(const ps_syngroups *g, const char *key, size_t len, size_t *n,
                                  int *ends) {
    int64_t k = ps_strmap_find(&g->keys, key, len);
    *n = 0;
    if (ends)
        *ends = k >= 0;
    if (k < 0)
        return NULL;
    *n = g->first[k + 1] - g->first[k];
    return *n ? g->group + g->first[k] : NULL;
}

const char *ps_syngroups_term(const ps_syngroups *g, uint32_t group) {
    return ps_strmap_str(&g->terms, group);
}
