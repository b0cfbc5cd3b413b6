/*
 * strmap.h - interned byte strings with small, dense ids.
 *
 * Each distinct string added gets the next id (0, 1, 2, ...), so a caller
 * keeps whatever it counts per string in plain arrays indexed by id.  The
 * strings live in one arena and stay NUL-terminated.  Ids and the pointers
 * ps_strmap_str returns stay valid until the next ps_strmap_clear; pointers
 * (not ids) are invalidated by a later ps_strmap_intern.  A zeroed
 * ps_strmap is an empty one.
 */
#ifndef PS_STRMAP_H
#define PS_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct ps_strmap {
    uint32_t *slots;  /* open addressing: id + 1, 0 = free */
    size_t cap;       /* slots, a power of two */
    uint32_t *hash;   /* per id */
    uint32_t *off;    /* per id: where its bytes start in arena */
    uint32_t *len;    /* per id */
    size_t count, ids_cap;
    char *arena;
    size_t arena_len, arena_cap;
} ps_strmap;

/* The id of s[0..n), adding it if new (*added says which; may be NULL).
 * -1 when memory runs out or the table would pass 2^31 strings or 4 GiB. */
int64_t ps_strmap_intern(ps_strmap *m, const char *s, size_t n, int *added);

/* The id of s[0..n), or -1 if it was never added. */
int64_t ps_strmap_find(const ps_strmap *m, const char *s, size_t n);

static inline const char *ps_strmap_str(const ps_strmap *m, uint32_t id) {
    return m->arena + m->off[id];
}
static inline size_t ps_strmap_len(const ps_strmap *m, uint32_t id) { return m->len[id]; }
static inline size_t ps_strmap_count(const ps_strmap *m) { return m->count; }

/* Forget every string but keep the memory for reuse. */
void ps_strmap_clear(ps_strmap *m);
void ps_strmap_free(ps_strmap *m);

#endif
