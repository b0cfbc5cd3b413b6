#include "common/strmap.h"

#include <stdlib.h>
#include <string.h>

static uint32_t fnv1a(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static size_t probe(const ps_strmap *m, uint32_t h, const char *s, size_t n) {
    size_t mask = m->cap - 1;
    for (size_t j = h & mask;; j = (j + 1) & mask) {
        uint32_t slot = m->slots[j];
        if (!slot)
            return j;
        uint32_t id = slot - 1;
        if (m->hash[id] == h && m->len[id] == n && !memcmp(m->arena + m->off[id], s, n))
            return j;
    }
}

static int grow_slots(ps_strmap *m) {
    size_t ncap = m->cap ? m->cap * 2 : 256;
    uint32_t *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    for (size_t id = 0; id < m->count; id++) {
        size_t j = m->hash[id] & (ncap - 1);
        while (ns[j])
            j = (j + 1) & (ncap - 1);
        ns[j] = (uint32_t)id + 1;
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return 0;
}

static int grow_ids(ps_strmap *m) {
    size_t ncap = m->ids_cap ? m->ids_cap * 2 : 256;
    uint32_t *h = realloc(m->hash, ncap * sizeof *h);
    if (!h)
        return -1;
    m->hash = h;
    uint32_t *o = realloc(m->off, ncap * sizeof *o);
    if (!o)
        return -1;
    m->off = o;
    uint32_t *l = realloc(m->len, ncap * sizeof *l);
    if (!l)
        return -1;
    m->len = l;
    m->ids_cap = ncap;
    return 0;
}

static int reserve_arena(ps_strmap *m, size_t n) {
    if (m->arena_len + n + 1 <= m->arena_cap)
        return 0;
    size_t ncap = m->arena_cap ? m->arena_cap : 4096;
    while (ncap < m->arena_len + n + 1)
        ncap *= 2;
    if (ncap > UINT32_MAX)
        return -1;
    char *na = realloc(m->arena, ncap);
    if (!na)
        return -1;
    m->arena = na;
    m->arena_cap = ncap;
    return 0;
}

int64_t ps_strmap_find(const ps_strmap *m, const char *s, size_t n) {
    if (!m->cap)
        return -1;
    uint32_t slot = m->slots[probe(m, fnv1a(s, n), s, n)];
    return slot ? (int64_t)slot - 1 : -1;
}

int64_t ps_strmap_intern(ps_strmap *m, const char *s, size_t n, int *added) {
    if (added)
        *added = 0;
    if ((m->count + 1) * 4 > m->cap * 3 && grow_slots(m) < 0)
        return -1;
    uint32_t h = fnv1a(s, n);
    size_t j = probe(m, h, s, n);
    if (m->slots[j])
        return (int64_t)m->slots[j] - 1;
    if (m->count >= INT32_MAX || (m->count == m->ids_cap && grow_ids(m) < 0) ||
        reserve_arena(m, n) < 0)
        return -1;
    uint32_t id = (uint32_t)m->count++;
    m->hash[id] = h;
    m->off[id] = (uint32_t)m->arena_len;
    m->len[id] = (uint32_t)n;
    memcpy(m->arena + m->arena_len, s, n);
    m->arena[m->arena_len + n] = '\0';
    m->arena_len += n + 1;
    m->slots[j] = id + 1;
    if (added)
        *added = 1;
    return id;
}

void ps_strmap_clear(ps_strmap *m) {
    if (m->slots)
        memset(m->slots, 0, m->cap * sizeof *m->slots);
    m->count = 0;
    m->arena_len = 0;
}

void ps_strmap_free(ps_strmap *m) {
    free(m->slots);
    free(m->hash);
    free(m->off);
    free(m->len);
    free(m->arena);
    memset(m, 0, sizeof *m);
}
