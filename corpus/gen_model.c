/*
 * gen_model.c - learning the synthetic corpus model from real pages.
 *
 * One pass over the pages collects tokens, bigrams (as packed triples:
 * kind, previous token, next token), word counts, section shapes and page
 * layouts (gen_layout.c reads the formatting); a final step sorts the
 * triples into one compressed chain per kind and ranks the words.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/file.h"
#include "corpus/gen.h"
#include "corpus/gen_learn.h"

/* The most frequent real words are function words and the staples of every
 * page ("procedure", "patient"): they keep their slot in generated text, so
 * sentences keep their skeleton while the content words vary. */
#define WEAK_RANKS 100
#define MAX_TOKEN 200
/* Token ids are packed in 29 bits; the all-ones value stands for the start
 * (as a previous token) and the end of a line (as a next one). */
#define ID_LIMIT 0x1FFFFFFFu

/* ---- Interning strings -------------------------------------------------- */

static uint64_t hash_bytes(const char *s, size_t n) {
    uint64_t h = 0xCBF29CE484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001B3ULL;
    return h;
}

void *ps_gen_grow(void *p, size_t *cap, size_t need, size_t size) {
    if (p && need <= *cap)
        return p;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(p, n * size);
    if (q)
        *cap = n;
    return q;
}

static size_t set_slot(const ps_gen_strset *set, const char *chars, const char *s, size_t n,
                       uint64_t h) {
    size_t mask = set->cap - 1, i = (size_t)h & mask;
    for (;;) {
        uint32_t id = set->slot[i];
        if (id == 0)
            return i;
        id--;
        if (set->item[id].len == n && memcmp(chars + set->item[id].off, s, n) == 0)
            return i;
        i = (i + 1) & mask;
    }
}

static int set_rehash(ps_gen_strset *set, const char *chars) {
    size_t cap = set->cap ? set->cap * 2 : 1024;
    uint32_t *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return -1;
    ps_gen_strset bigger = *set;
    bigger.slot = slot;
    bigger.cap = cap;
    for (size_t id = 0; id < set->n; id++) {
        const char *s = chars + set->item[id].off;
        size_t n = set->item[id].len;
        slot[set_slot(&bigger, chars, s, n, hash_bytes(s, n))] = (uint32_t)id + 1;
    }
    free(set->slot);
    *set = bigger;
    return 0;
}

long ps_gen_set_find(const ps_gen_strset *set, const char *chars, const char *s, size_t n) {
    if (set->cap == 0)
        return -1;
    uint32_t id = set->slot[set_slot(set, chars, s, n, hash_bytes(s, n))];
    return id ? (long)id - 1 : -1;
}

/* The id of s, adding it (to chars, NUL-terminated) when new; *added says
 * which.  -1 when out of memory or out of ids. */
int ps_gen_set_intern(ps_gen_strset *set, ps_strbuf *chars, const char *s, size_t n,
                      uint32_t *id, int *added) {
    *added = 0;
    if ((set->n + 1) * 2 > set->cap && set_rehash(set, chars->data) != 0)
        return -1;
    uint64_t h = hash_bytes(s, n);
    size_t i = set_slot(set, chars->data, s, n, h);
    if (set->slot[i]) {
        *id = set->slot[i] - 1;
        return 0;
    }
    if (set->n >= ID_LIMIT || chars->len >= UINT32_MAX - n - 1)
        return -1;
    ps_gen_strref *items = ps_gen_grow(set->item, &set->cap_items, set->n + 1, sizeof *items);
    if (!items)
        return -1;
    set->item = items;
    uint32_t off = (uint32_t)chars->len;
    if (ps_strbuf_append(chars, s, n) != 0 || ps_strbuf_putc(chars, '\0') != 0)
        return -1;
    set->item[set->n] = (ps_gen_strref){off, (uint32_t)n};
    set->slot[i] = (uint32_t)set->n + 1;
    *id = (uint32_t)set->n++;
    *added = 1;
    return 0;
}

void ps_gen_set_free(ps_gen_strset *set) {
    free(set->slot);
    free(set->item);
    *set = (ps_gen_strset){0};
}

/* ---- Distributions ---------------------------------------------------- */

int ps_gen_dist_build(ps_gen_dist *d, const uint32_t *counts, size_t n) {
    d->cum = NULL;
    d->n = 0;
    if (n == 0)
        return 0;
    d->cum = malloc(n * sizeof *d->cum);
    if (!d->cum)
        return -1;
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        total += counts[i];
        if (total > UINT32_MAX) {
            free(d->cum);
            d->cum = NULL;
            return -1;
        }
        d->cum[i] = (uint32_t)total;
    }
    d->n = n;
    return 0;
}

void ps_gen_dist_free(ps_gen_dist *d) {
    free(d->cum);
    d->cum = NULL;
    d->n = 0;
}

/* ---- Tokens, bigrams, shapes ------------------------------------------ */

static int oom(ps_gen_learner *b) {
    return ps_err_set(b->err, "%s: out of memory while learning the model", b->origin);
}

static int add_triple(ps_gen_learner *b, int kind, uint32_t prev, uint32_t next) {
    uint64_t *tri = ps_gen_grow(b->tri, &b->cap_tri, b->n_tri + 1, sizeof *tri);
    if (!tri)
        return oom(b);
    b->tri = tri;
    b->tri[b->n_tri++] = (uint64_t)kind << 58 | (uint64_t)prev << 29 | next;
    return 0;
}

static int is_letter(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Counts the word inside a token ("site." -> "site") when it is written
 * as a plain word, in lower case or with a capital at the start of a
 * sentence: those are the words the open vocabulary ranks and generated
 * text writes in lower case (acronyms such as "MRI" stay with their
 * tokens). */
static int count_word(ps_gen_learner *b, const char *s, size_t n) {
    size_t i = 0;
    while (i < n && !is_letter((unsigned char)s[i]) && (unsigned char)s[i] < 0x80)
        i++;
    size_t j = n;
    while (j > i && !is_letter((unsigned char)s[j - 1]) && (unsigned char)s[j - 1] < 0x80)
        j--;
    if (j - i < 2 || j - i > PS_GEN_WORD_MAX - 1)
        return 0;
    char low[PS_GEN_WORD_MAX];
    for (size_t k = i; k < j; k++) {
        unsigned char c = (unsigned char)s[k];
        if (!is_letter(c) || (k > i && c < 'a'))
            return 0;
        low[k - i] = (char)(c | 0x20);
    }
    uint32_t id;
    int added;
    if (ps_gen_set_intern(&b->words, &b->m->chars, low, j - i, &id, &added) != 0)
        return oom(b);
    if (added) {
        uint32_t *cnt = ps_gen_grow(b->w_cnt, &b->cap_w_cnt, (size_t)id + 1, sizeof *cnt);
        if (!cnt)
            return oom(b);
        b->w_cnt = cnt;
        b->w_cnt[id] = 0;
    }
    b->w_cnt[id]++;
    return 0;
}

int ps_gen_learn_line(ps_gen_learner *b, int kind, const char *s, size_t len, size_t *words) {
    uint32_t prev = ID_LIMIT;
    *words = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        size_t start = i;
        while (i < len && s[i] != ' ' && s[i] != '\t')
            i++;
        if (i == start)
            break;
        (*words)++;
        /* A very long "word" is a URL or a formula, never worth repeating. */
        if (i - start > MAX_TOKEN)
            continue;
        uint32_t id;
        int added;
        if (ps_gen_set_intern(&b->toks, &b->m->chars, s + start, i - start, &id, &added) != 0)
            return oom(b);
        if (add_triple(b, kind, prev, id) != 0 || count_word(b, s + start, i - start) != 0)
            return -1;
        prev = id;
    }
    return *words ? add_triple(b, kind, prev, ID_LIMIT) : 0;
}

int ps_gen_learn_shape(ps_gen_learner *b, int kind, const ps_gen_line_shape *lines, size_t n) {
    ps_gen_model *m = b->m;
    ps_gen_kind *k = &m->kinds[kind];
    ps_gen_line_shape *all = ps_gen_grow(m->lines, &b->cap_lines, m->n_lines + n, sizeof *all);
    if (!all)
        return oom(b);
    m->lines = all;
    ps_gen_shape *shapes = ps_gen_grow(k->shapes, &b->cap_shapes[kind], k->n_shapes + 1,
                                       sizeof *shapes);
    if (!shapes)
        return oom(b);
    k->shapes = shapes;
    memcpy(m->lines + m->n_lines, lines, n * sizeof *lines);
    k->shapes[k->n_shapes++] = (ps_gen_shape){(uint32_t)m->n_lines, (uint32_t)n};
    m->n_lines += n;
    return 0;
}

/* Whether word w[0..n) occurs in s as a whole word, case ignored. */
static int has_word(const char *s, const char *w, size_t n) {
    for (const char *p = s; *p; p++)
        if ((p == s || !is_letter((unsigned char)p[-1])) && strncasecmp(p, w, n) == 0 &&
            !is_letter((unsigned char)p[n]))
            return 1;
    return 0;
}

/* Most real names reword the descriptor ("Right heart catheterization
 * with ..." -> "Right Heart Catheterization with ..."): seven words in ten
 * or more of the name come from it. */
static int name_from_descriptor(const char *name, const char *desc) {
    size_t words = 0, shared = 0;
    for (const char *p = name; *p;) {
        while (*p && !is_letter((unsigned char)*p))
            p++;
        const char *w = p;
        while (is_letter((unsigned char)*p))
            p++;
        if (p > w) {
            words++;
            shared += has_word(desc, w, (size_t)(p - w));
        }
    }
    return words > 0 && shared * 10 >= words * 7;
}

/* The heading fields: their chains, and one shape each (the common names
 * as one shape of one line per name). */
static int learn_head(ps_gen_learner *b, const ps_page *pg) {
    ps_gen_line_shape one = {0, PS_GEN_PLAIN};
    size_t w;
    if (ps_gen_learn_line(b, PS_GEN_K_DESC, pg->descriptor, strlen(pg->descriptor), &w) != 0)
        return -1;
    one.words = (uint16_t)(w > UINT16_MAX ? UINT16_MAX : w);
    if (ps_gen_learn_shape(b, PS_GEN_K_DESC, &one, 1) != 0)
        return -1;
    if (pg->name) {
        b->m->names_from_descriptor += name_from_descriptor(pg->name, pg->descriptor);
        if (ps_gen_learn_line(b, PS_GEN_K_NAME, pg->name, strlen(pg->name), &w) != 0)
            return -1;
        one.words = (uint16_t)(w > UINT16_MAX ? UINT16_MAX : w);
        if (ps_gen_learn_shape(b, PS_GEN_K_NAME, &one, 1) != 0)
            return -1;
    }
    if (pg->n_common_names == 0)
        return 0;
    ps_gen_line_shape names[32];
    size_t n = pg->n_common_names < 32 ? pg->n_common_names : 32;
    for (size_t i = 0; i < n; i++) {
        const char *s = pg->common_names[i];
        if (ps_gen_learn_line(b, PS_GEN_K_COMMON, s, strlen(s), &w) != 0)
            return -1;
        names[i] = (ps_gen_line_shape){(uint16_t)(w > UINT16_MAX ? UINT16_MAX : w), PS_GEN_PLAIN};
    }
    return ps_gen_learn_shape(b, PS_GEN_K_COMMON, names, n);
}

/* ---- Finishing ---------------------------------------------------------- */

static const ps_gen_learner *sort_ctx; /* qsort has no context argument */

static int by_count(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    const ps_gen_learner *l = sort_ctx;
    if (l->w_cnt[x] != l->w_cnt[y])
        return l->w_cnt[x] > l->w_cnt[y] ? -1 : 1;
    return strcmp(l->m->chars.data + l->words.item[x].off, l->m->chars.data + l->words.item[y].off);
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* model->words by frequency, and the hash that finds a word's rank. */
static int rank_words(ps_gen_learner *b, uint32_t **rank_of) {
    ps_gen_model *m = b->m;
    size_t n = b->words.n;
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    *rank_of = malloc((n ? n : 1) * sizeof **rank_of);
    m->words = malloc((n ? n : 1) * sizeof *m->words);
    size_t cap = 16;
    while (cap < n * 2)
        cap *= 2;
    m->word_hash = calloc(cap, sizeof *m->word_hash);
    if (!order || !*rank_of || !m->words || !m->word_hash) {
        free(order);
        return oom(b);
    }
    for (size_t i = 0; i < n; i++)
        order[i] = (uint32_t)i;
    sort_ctx = b;
    qsort(order, n, sizeof *order, by_count);
    m->word_hash_cap = cap;
    for (size_t r = 0; r < n; r++) {
        uint32_t id = order[r];
        m->words[r] = b->words.item[id].off;
        (*rank_of)[id] = (uint32_t)r;
        const char *w = m->chars.data + b->words.item[id].off;
        size_t i = (size_t)hash_bytes(w, b->words.item[id].len) & (cap - 1);
        while (m->word_hash[i])
            i = (i + 1) & (cap - 1);
        m->word_hash[i] = (uint32_t)r + 1;
    }
    m->n_words = n;
    free(order);
    return 0;
}

long ps_gen_word_rank(const ps_gen_model *m, const char *w, size_t len) {
    if (m->word_hash_cap == 0)
        return -1;
    size_t mask = m->word_hash_cap - 1, i = (size_t)hash_bytes(w, len) & mask;
    for (uint32_t r; (r = m->word_hash[i]) != 0; i = (i + 1) & mask) {
        const char *s = m->chars.data + m->words[r - 1];
        if (strncmp(s, w, len) == 0 && s[len] == '\0')
            return (long)r - 1;
    }
    return -1;
}

/* Split a token into punctuation, word, punctuation and flag it. */
static ps_gen_tok describe_token(const ps_gen_learner *b, size_t id, const uint32_t *rank_of) {
    const ps_gen_model *m = b->m;
    const char *s = m->chars.data + b->toks.item[id].off;
    size_t n = b->toks.item[id].len, i = 0, j = n;
    while (i < n && !is_letter((unsigned char)s[i]) && !(s[i] >= '0' && s[i] <= '9') &&
           (unsigned char)s[i] < 0x80)
        i++;
    while (j > i && !is_letter((unsigned char)s[j - 1]) && !(s[j - 1] >= '0' && s[j - 1] <= '9') &&
           (unsigned char)s[j - 1] < 0x80)
        j--;
    ps_gen_tok t = {.off = b->toks.item[id].off, .len = (uint16_t)n, .pre = (uint8_t)i,
                    .core = (uint8_t)(j - i)};
    if (j > i && s[i] >= 'A' && s[i] <= 'Z')
        t.flags |= PS_GEN_TOK_CAP;
    if (n > 0 && strchr(".?!", s[n - 1]))
        t.flags |= PS_GEN_TOK_FULL;
    /* Only plain words ("bleeding", "Bleeding") give up their slot: never
     * acronyms, numbers or hyphenated terms, whose look the text needs. */
    int plain = j - i >= 4;
    char low[PS_GEN_WORD_MAX];
    for (size_t k = i; plain && k < j; k++) {
        unsigned char c = (unsigned char)s[k];
        plain = is_letter(c) && (k == i || (c >= 'a' && c <= 'z')) && j - i < sizeof low;
        if (plain)
            low[k - i] = (char)(c | 0x20);
    }
    if (plain) {
        long w = ps_gen_set_find(&b->words, m->chars.data, low, j - i);
        if (w >= 0 && rank_of[w] >= WEAK_RANKS)
            t.flags |= PS_GEN_TOK_SUBST;
    }
    return t;
}

/* The closing rows of every chain (see ps_gen_chain); needs the tokens'
 * flags and every row of the chain, so it comes last. */
static int build_closing(ps_gen_learner *b) {
    ps_gen_model *m = b->m;
    size_t nt = m->n_toks, n = 0;
    m->close_tok = malloc((m->n_edges ? m->n_edges : 1) * sizeof *m->close_tok);
    m->close_cum = malloc((m->n_edges ? m->n_edges : 1) * sizeof *m->close_cum);
    if (!m->close_tok || !m->close_cum)
        return oom(b);
    for (int k = 0; k < PS_GEN_KINDS; k++) {
        ps_gen_chain *ch = &m->kinds[k].chain;
        ch->close_beg = malloc((nt + 2) * sizeof *ch->close_beg);
        if (!ch->close_beg)
            return oom(b);
        for (size_t s = 0; s <= nt; s++) {
            ch->close_beg[s] = (uint32_t)n;
            uint32_t cum = 0;
            for (uint32_t e = ch->beg[s]; e < ch->beg[s + 1]; e++) {
                uint32_t t = m->edge_tok[e];
                if (t == nt || !ps_gen_can_end(m, ch, t))
                    continue;
                cum += m->edge_cum[e] - (e > ch->beg[s] ? m->edge_cum[e - 1] : 0);
                m->close_tok[n] = t;
                m->close_cum[n++] = cum;
            }
        }
        ch->close_beg[nt + 1] = (uint32_t)n;
    }
    m->n_close = n;
    return 0;
}

/* One chain per kind from the sorted triples (see ps_gen_chain). */
static int build_chains(ps_gen_learner *b) {
    ps_gen_model *m = b->m;
    size_t nt = m->n_toks;
    if (b->n_tri > 0)
        qsort(b->tri, b->n_tri, sizeof *b->tri, cmp_u64);
    m->edge_tok = malloc((b->n_tri ? b->n_tri : 1) * sizeof *m->edge_tok);
    m->edge_cum = malloc((b->n_tri ? b->n_tri : 1) * sizeof *m->edge_cum);
    if (!m->edge_tok || !m->edge_cum)
        return oom(b);
    size_t e = 0, i = 0;
    for (int k = 0; k < PS_GEN_KINDS; k++) {
        uint32_t *beg = malloc((nt + 2) * sizeof *beg);
        if (!beg)
            return oom(b);
        m->kinds[k].chain.beg = beg;
        for (size_t s = 0; s <= nt; s++) {
            beg[s] = (uint32_t)e;
            uint64_t want = (uint64_t)k << 58 | (uint64_t)(s == nt ? ID_LIMIT : s) << 29;
            uint32_t cum = 0;
            while (i < b->n_tri && (b->tri[i] & ~(uint64_t)ID_LIMIT) == want) {
                uint64_t t = b->tri[i];
                while (i < b->n_tri && b->tri[i] == t) {
                    cum++;
                    i++;
                }
                uint32_t next = (uint32_t)(t & ID_LIMIT);
                m->edge_tok[e] = next == ID_LIMIT ? (uint32_t)nt : next;
                m->edge_cum[e] = cum;
                e++;
            }
        }
        beg[nt + 1] = (uint32_t)e;
    }
    m->n_edges = e;
    return build_closing(b);
}

static int finish(ps_gen_learner *b) {
    ps_gen_model *m = b->m;
    uint32_t *rank_of = NULL;
    if (rank_words(b, &rank_of) != 0) {
        free(rank_of);
        return -1;
    }
    m->n_toks = b->toks.n;
    m->toks = malloc((m->n_toks ? m->n_toks : 1) * sizeof *m->toks);
    if (!m->toks) {
        free(rank_of);
        return oom(b);
    }
    for (size_t id = 0; id < m->n_toks; id++)
        m->toks[id] = describe_token(b, id, rank_of);
    free(rank_of);
    if (build_chains(b) != 0)
        return -1;
    if (ps_gen_morphs_learn(m) != 0)
        return oom(b);
    return 0;
}

/* ---- Reading the pages ------------------------------------------------- */

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n) {
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

static int list_pages(const char *dir, char ***out, size_t *n, ps_err *err) {
    DIR *d = opendir(dir);
    if (!d)
        return ps_err_set(err, "model folder %s: %s", dir, strerror(errno));
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !ends_with(e->d_name, ".txt"))
            continue;
        char *copy = strdup(e->d_name);
        char **more = copy ? ps_gen_grow(names, &cap, *n + 1, sizeof *more) : NULL;
        if (!more) {
            free(copy);
            closedir(d);
            free_names(names, *n);
            return ps_err_set(err, "model folder %s: out of memory", dir);
        }
        names = more;
        names[(*n)++] = copy;
    }
    closedir(d);
    if (*n == 0) {
        free(names);
        return ps_err_set(err, "model folder %s: no .txt pages to learn from", dir);
    }
    qsort(names, *n, sizeof *names, cmp_str);
    *out = names;
    return 0;
}

static int learn_file(ps_gen_learner *b, const char *dir, const char *name) {
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return ps_err_set(b->err, "model folder %s: path too long for %s", dir, name);
    char *buf;
    size_t len;
    if (ps_file_read(path, (size_t)PS_PAGE_MAX_BYTES, &buf, &len, b->err) != 0)
        return -1;
    char id[256];
    snprintf(id, sizeof id, "%.*s", (int)(strlen(name) - 4), name);
    ps_page *pg = NULL;
    int rc = ps_page_parse(id, path, buf, len, &pg, b->err);
    if (rc == 0) {
        b->origin = path;
        rc = learn_head(b, pg);
        if (rc == 0)
            rc = ps_gen_learn_layout(b, pg, buf, len);
        b->origin = dir;
        b->m->pages++;
    }
    ps_page_free(pg);
    free(buf);
    return rc;
}

static void free_learner(ps_gen_learner *b) {
    ps_gen_set_free(&b->toks);
    ps_gen_set_free(&b->words);
    ps_gen_set_free(&b->labels);
    free(b->w_cnt);
    free(b->tri);
}

int ps_gen_model_learn(const char *dir, ps_gen_model **out, ps_err *err) {
    *out = NULL;
    char **names = NULL;
    size_t n = 0;
    if (list_pages(dir, &names, &n, err) != 0 || !names)
        return -1;
    ps_gen_model *m = calloc(1, sizeof *m);
    if (!m) {
        free_names(names, n);
        return ps_err_set(err, "model folder %s: out of memory", dir);
    }
    ps_gen_learner b = {.m = m, .err = err, .origin = dir};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = learn_file(&b, dir, names[i]);
    if (rc == 0)
        rc = finish(&b);
    free_learner(&b);
    free_names(names, n);
    if (rc != 0) {
        ps_gen_model_free(m);
        return -1;
    }
    *out = m;
    return 0;
}

void ps_gen_model_free(ps_gen_model *m) {
    if (!m)
        return;
    ps_strbuf_free(&m->chars);
    free(m->toks);
    free(m->edge_tok);
    free(m->edge_cum);
    free(m->close_tok);
    free(m->close_cum);
    for (int k = 0; k < PS_GEN_KINDS; k++) {
        free(m->kinds[k].chain.beg);
        free(m->kinds[k].chain.close_beg);
        free(m->kinds[k].shapes);
    }
    free(m->lines);
    free(m->layouts);
    free(m->words);
    free(m->word_hash);
    ps_gen_morphs_free(&m->morphs);
    free(m);
}
