/*
 * gen_words.c - the open vocabulary: real words first, then plausible
 * clinical words made of the prefixes, roots and suffixes the real words are
 * built from ("pericardi-o-centesis" gives "peri", "cardi", "centesis").
 *
 * Which prefixes and suffixes exist is medical-language knowledge (the
 * tables below); which of them the model uses, how often, and every root
 * come from the real words.  A synthetic word is a pure function of its
 * rank, so the vocabulary costs no memory however far the Zipf tail reaches.
 */
#include <stdlib.h>
#include <string.h>

#include "corpus/gen.h"
#include "corpus/rng.h"

typedef struct suffix {
    const char *s;
    unsigned char proc;    /* names a procedure: "-ectomy" */
    unsigned char extract; /* specific enough to cut a root off a real word */
} suffix;

/* Longest first within a family, so that "-ostomy" wins over "-tomy". */
static const suffix suffixes[] = {
    {"ectomy", 1, 1},   {"ostomy", 1, 1},  {"otomy", 1, 1},   {"stomy", 1, 1},
    {"tomy", 1, 1},     {"plasty", 1, 1},  {"scopy", 1, 1},   {"graphy", 1, 1},
    {"centesis", 1, 1}, {"pexy", 1, 1},    {"rrhaphy", 1, 1}, {"lysis", 1, 1},
    {"tripsy", 1, 1},   {"desis", 1, 1},   {"scopic", 0, 1},  {"scope", 0, 1},
    {"graphic", 0, 1},  {"gram", 0, 1},    {"itis", 0, 1},    {"osis", 0, 1},
    {"oma", 0, 1},      {"algia", 0, 1},   {"pathy", 0, 1},   {"megaly", 0, 1},
    {"emia", 0, 1},     {"uria", 0, 1},    {"plegia", 0, 1},  {"logist", 0, 1},
    {"logy", 0, 1},     {"logic", 0, 1},   {"genic", 0, 1},   {"rrhea", 0, 1},
    {"rrhage", 0, 1},   {"stenosis", 0, 1}, {"sclerosis", 0, 1}, {"cele", 0, 1},
    {"trophy", 0, 1},   {"plasia", 0, 1},  {"penia", 0, 1},   {"cyte", 0, 1},
    /* Adjectives and nouns: too common to cut roots with, counted only on
     * words whose rest is a known root ("gastric"). */
    {"ic", 0, 0},       {"al", 0, 0},      {"ar", 0, 0},      {"eal", 0, 0},
    {"ous", 0, 0},      {"ia", 0, 0},      {"ism", 0, 0},
};
#define N_SUFFIXES (sizeof suffixes / sizeof suffixes[0])

static const char *const prefixes[] = {
    "hemi",  "peri",  "endo",   "epi",   "intra", "trans", "sub",   "supra", "infra",
    "retro", "post",  "para",   "hyper", "hypo",  "poly",  "micro", "neo",   "inter",
    "extra", "anti",  "dys",    "brady", "tachy", "pan",   "uni",   "multi", "pseudo",
    "macro", "oligo", "sclero", "angio", "myo",
};
#define N_PREFIXES (sizeof prefixes / sizeof prefixes[0])

#define MIN_ROOT 3
#define MAX_SYNTH 30 /* longer than any real clinical word worth the name */

static int ends_with(const char *w, size_t n, const char *s) {
    size_t k = strlen(s);
    return n > k && memcmp(w + n - k, s, k) == 0;
}

static int starts_with(const char *w, size_t n, const char *s) {
    size_t k = strlen(s);
    return n > k && memcmp(w, s, k) == 0;
}

/* Whether w[0..n) ends in suffix s after a root long enough to be one. */
static int has_suffix(const char *w, size_t n, const suffix *s) {
    return ends_with(w, n, s->s) && n - strlen(s->s) >= MIN_ROOT;
}

static const suffix *extract_suffix(const char *w, size_t n) {
    for (size_t i = 0; i < N_SUFFIXES; i++)
        if (suffixes[i].extract && has_suffix(w, n, &suffixes[i]))
            return &suffixes[i];
    return NULL;
}

/* Roots found so far: a small linear table is plenty (a few hundred). */
typedef struct roots {
    char (*s)[MAX_SYNTH + 1];
    uint32_t *count;
    size_t n, cap;
} roots;

static int root_add(roots *r, const char *s, size_t n) {
    if (n < MIN_ROOT || n > MAX_SYNTH - 6)
        return 0;
    for (size_t i = 0; i < r->n; i++)
        if (strlen(r->s[i]) == n && memcmp(r->s[i], s, n) == 0) {
            r->count[i]++;
            return 0;
        }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        void *s2 = realloc(r->s, cap * sizeof *r->s);
        if (!s2)
            return -1;
        r->s = s2;
        void *c2 = realloc(r->count, cap * sizeof *r->count);
        if (!c2)
            return -1;
        r->count = c2;
        r->cap = cap;
    }
    memcpy(r->s[r->n], s, n);
    r->s[r->n][n] = '\0';
    r->count[r->n++] = 1;
    return 0;
}

static long root_find(const roots *r, const char *s, size_t n) {
    for (size_t i = 0; i < r->n; i++)
        if (strlen(r->s[i]) == n && memcmp(r->s[i], s, n) == 0)
            return (long)i;
    return -1;
}

/* "pericardio" -> prefix "peri" (counted) and root "cardi". */
static int cut_root(roots *r, uint32_t *pre_count, const char *w, size_t n) {
    if (n > MIN_ROOT && w[n - 1] == 'o')
        n--; /* the connecting vowel, which join() puts back */
    for (size_t p = 0; p < N_PREFIXES; p++)
        if (starts_with(w, n, prefixes[p]) && n - strlen(prefixes[p]) >= MIN_ROOT + 1) {
            pre_count[p]++;
            size_t k = strlen(prefixes[p]);
            return root_add(r, w + k, n - k);
        }
    return root_add(r, w, n);
}

static int store(ps_gen_model *m, const char *s, uint32_t *off) {
    *off = (uint32_t)m->chars.len;
    return ps_strbuf_append(&m->chars, s, strlen(s)) != 0 || ps_strbuf_putc(&m->chars, '\0') != 0
               ? -1
               : 0;
}

/* Keep the items with a count, in table order, and their weights. */
static int keep(ps_gen_model *m, const char *const *names, const uint32_t *count, size_t n,
                uint32_t **offs, ps_gen_dist *d) {
    uint32_t *w = malloc((n ? n : 1) * sizeof *w);
    *offs = malloc((n ? n : 1) * sizeof **offs);
    if (!w || !*offs) {
        free(w);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (count[i] == 0)
            continue;
        if (store(m, names[i], &(*offs)[k]) != 0) {
            free(w);
            return -1;
        }
        /* Square roots flatten the head, so that a few very productive
         * morphemes do not make most synthetic words look alike. */
        uint32_t s = 1;
        while ((s + 1) * (s + 1) <= count[i])
            s++;
        w[k++] = s;
    }
    int rc = ps_gen_dist_build(d, w, k);
    free(w);
    return rc;
}

static int learn_suffixes(ps_gen_model *m, const roots *r) {
    ps_gen_morphs *mo = &m->morphs;
    uint32_t count[N_SUFFIXES] = {0}, proc[N_SUFFIXES] = {0};
    const char *names[N_SUFFIXES];
    for (size_t i = 0; i < N_SUFFIXES; i++)
        names[i] = suffixes[i].s;
    for (size_t k = 0; k < m->n_words; k++) {
        const char *w = ps_gen_str(m, m->words[k]);
        size_t n = strlen(w);
        for (size_t i = 0; i < N_SUFFIXES; i++) {
            size_t sl = strlen(suffixes[i].s);
            if (!ends_with(w, n, suffixes[i].s) || n - sl < MIN_ROOT)
                continue;
            if (!suffixes[i].extract && root_find(r, w, n - sl) < 0)
                continue;
            count[i]++;
            break;
        }
    }
    /* The same table order for both distributions: proc_w gives zero
     * weight to the others. */
    size_t kept = 0;
    for (size_t i = 0; i < N_SUFFIXES; i++)
        if (count[i])
            proc[kept++] = suffixes[i].proc ? count[i] : 0;
    if (keep(m, names, count, N_SUFFIXES, &mo->suf, &mo->suf_w) != 0)
        return -1;
    for (size_t i = 0; i < kept; i++)
        if (proc[i]) {
            uint32_t s = 1;
            while ((s + 1) * (s + 1) <= proc[i])
                s++;
            proc[i] = s;
        }
    return ps_gen_dist_build(&mo->proc_w, proc, kept);
}

static int is_proc_word(const char *w) {
    size_t n = strlen(w);
    for (size_t i = 0; i < N_SUFFIXES; i++)
        if (suffixes[i].proc && has_suffix(w, n, &suffixes[i]))
            return 1;
    return 0;
}

int ps_gen_morphs_learn(ps_gen_model *m) {
    ps_gen_morphs *mo = &m->morphs;
    roots r = {0};
    uint32_t pre_count[N_PREFIXES] = {0};
    int rc = 0;
    mo->proc_words = malloc((m->n_words ? m->n_words : 1) * sizeof *mo->proc_words);
    if (!mo->proc_words)
        return -1;
    for (size_t k = 0; k < m->n_words && rc == 0; k++) {
        const char *w = ps_gen_str(m, m->words[k]);
        size_t n = strlen(w);
        const suffix *s = extract_suffix(w, n);
        if (s)
            rc = cut_root(&r, pre_count, w, n - strlen(s->s));
        if (is_proc_word(w))
            mo->proc_words[mo->n_proc_words++] = m->words[k];
    }
    const char **names = malloc((r.n ? r.n : 1) * sizeof *names);
    if (rc == 0 && !names)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < r.n; i++)
        names[i] = r.s[i];
    if (rc == 0)
        rc = keep(m, names, r.count, r.n, &mo->root, &mo->root_w);
    if (rc == 0)
        rc = keep(m, prefixes, pre_count, N_PREFIXES, &mo->pre, &mo->pre_w);
    if (rc == 0)
        rc = learn_suffixes(m, &r);
    free(names);
    free(r.s);
    free(r.count);
    return rc;
}

void ps_gen_morphs_free(ps_gen_morphs *mo) {
    free(mo->pre);
    free(mo->root);
    free(mo->suf);
    free(mo->proc_words);
    ps_gen_dist_free(&mo->pre_w);
    ps_gen_dist_free(&mo->root_w);
    ps_gen_dist_free(&mo->suf_w);
    ps_gen_dist_free(&mo->proc_w);
    *mo = (ps_gen_morphs){0};
}

/* ---- Making words ------------------------------------------------------ */

static size_t pick(const ps_gen_dist *d, uint64_t *h) {
    *h = ps_mix64(*h);
    return ps_gen_cum_find(d->cum, d->n, (uint32_t)((*h >> 16) % ps_gen_dist_total(d)));
}

static int is_vowel(char c) {
    return c && strchr("aeiouy", c) != NULL;
}

static size_t append(char *buf, size_t n, const char *part) {
    size_t k = strlen(part);
    if (n + k >= PS_GEN_WORD_MAX)
        return n;
    memcpy(buf + n, part, k + 1);
    return n + k;
}

/* Joins as clinical words do: a consonant-initial part after a root takes
 * the connecting "o" (gastr-o-scopy), a vowel-initial one does not
 * (arthr-itis). */
static size_t join(char *buf, size_t n, const char *part) {
    size_t k = strlen(part);
    if (n + k + 1 >= PS_GEN_WORD_MAX)
        return n;
    if (n > 0 && !is_vowel(part[0]) && buf[n - 1] != 'o')
        buf[n++] = 'o';
    else if (n > 0 && is_vowel(part[0]) && is_vowel(buf[n - 1]) && buf[n - 1] != 'i')
        n--;
    memcpy(buf + n, part, k + 1);
    return n + k;
}

static size_t synth(const ps_gen_model *m, uint64_t i, uint64_t salt, const ps_gen_dist *sufs,
                    char *buf) {
    const ps_gen_morphs *mo = &m->morphs;
    uint64_t h = ps_mix64(i * 0x9E3779B97F4A7C15ULL ^ salt);
    size_t n = 0;
    if (mo->pre_w.n && h % 100 < 12)
        n = append(buf, n, ps_gen_str(m, mo->pre[pick(&mo->pre_w, &h)]));
    h = ps_mix64(h);
    int two = h % 100 < 22;
    size_t root_end = n = append(buf, n, ps_gen_str(m, mo->root[pick(&mo->root_w, &h)]));
    if (two)
        n = join(buf, n, ps_gen_str(m, mo->root[pick(&mo->root_w, &h)]));
    const char *suf = ps_gen_str(m, mo->suf[pick(sufs, &h)]);
    if (n + strlen(suf) + 1 > MAX_SYNTH)
        n = root_end;
    n = join(buf, n, suf);
    buf[n] = '\0';
    return n;
}

static size_t copy_word(const char *w, char *buf) {
    size_t n = strlen(w);
    if (n >= PS_GEN_WORD_MAX)
        n = PS_GEN_WORD_MAX - 1;
    memcpy(buf, w, n);
    buf[n] = '\0';
    return n;
}

size_t ps_gen_vocab_word(const ps_gen_model *m, uint64_t rank, char *buf) {
    if (rank < m->n_words)
        return copy_word(ps_gen_str(m, m->words[rank]), buf);
    if (m->morphs.root_w.n == 0 || m->morphs.suf_w.n == 0)
        return m->n_words ? copy_word(ps_gen_str(m, m->words[rank % m->n_words]), buf)
                          : copy_word("procedure", buf);
    return synth(m, rank - m->n_words, 0x5EED0F40CAB1ULL, &m->morphs.suf_w, buf);
}

size_t ps_gen_proc_word(const ps_gen_model *m, uint64_t rank, char *buf) {
    const ps_gen_morphs *mo = &m->morphs;
    if (rank < mo->n_proc_words)
        return copy_word(ps_gen_str(m, mo->proc_words[rank]), buf);
    if (mo->root_w.n == 0 || ps_gen_dist_total(&mo->proc_w) == 0)
        return ps_gen_vocab_word(m, rank, buf);
    return synth(m, rank - mo->n_proc_words, 0x9A0CED0E5ULL, &mo->proc_w, buf);
}
