/*
 * gen_learn.h - the scratch state of model learning, shared by
 * gen_model.c (tokens, chains, words) and gen_layout.c (what the raw page
 * looks like: formatting and section shapes).  Nothing outside those two
 * files needs it.
 */
#ifndef PS_GEN_LEARN_H
#define PS_GEN_LEARN_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "corpus/gen.h"
#include "corpus/page.h"

typedef struct ps_gen_strref {
    uint32_t off, len; /* in the model's chars */
} ps_gen_strref;

/* Interned strings: ids in order of first sight, open addressing. */
typedef struct ps_gen_strset {
    uint32_t *slot; /* id + 1, 0 when free */
    size_t cap;
    ps_gen_strref *item;
    size_t n, cap_items;
} ps_gen_strset;

typedef struct ps_gen_learner {
    ps_gen_model *m;
    ps_err *err;
    const char *origin; /* the page being read, for messages */
    ps_gen_strset toks, words;
    ps_gen_strset labels; /* section titles and code systems, stored once */
    uint32_t *w_cnt;
    size_t cap_w_cnt;
    uint64_t *tri; /* kind << 58 | previous << 29 | next */
    size_t n_tri, cap_tri;
    size_t cap_lines, cap_layouts, cap_shapes[PS_GEN_KINDS];
} ps_gen_learner;

/* The array p (capacity *cap items of size bytes) with room for need
 * items, moved if it had to grow; NULL when out of memory, p then being
 * left as it was.  Use as: t = ps_gen_grow(a, &cap, n + 1, sizeof *a);
 * if (!t) fail; a = t; */
void *ps_gen_grow(void *p, size_t *cap, size_t need, size_t size);

int ps_gen_set_intern(ps_gen_strset *set, ps_strbuf *chars, const char *s, size_t n,
                      uint32_t *id, int *added);
long ps_gen_set_find(const ps_gen_strset *set, const char *chars, const char *s, size_t n);
void ps_gen_set_free(ps_gen_strset *set);

/* Learn one line of text of a kind (its tokens and bigrams); *words gets
 * its word count. */
int ps_gen_learn_line(ps_gen_learner *b, int kind, const char *s, size_t len, size_t *words);

/* Record the shape of one real section (or heading field) of a kind. */
int ps_gen_learn_shape(ps_gen_learner *b, int kind, const ps_gen_line_shape *lines, size_t n);

/* The page's layout and its sections (shapes and text), from the parsed
 * page and its raw bytes. */
int ps_gen_learn_layout(ps_gen_learner *b, const ps_page *pg, const char *raw, size_t len);

#endif
