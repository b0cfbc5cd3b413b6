/*
 * gen_queries.c - benchmark queries drawn from the generated pages.
 *
 * Query q of seed S picks a page from its own PRNG stream, regenerates that
 * page (pages are pure functions of (S, n), so nothing has to be kept), and
 * builds one query of a type drawn from a mix that follows what people type
 * into a procedure search box: mostly a word or a few, some lay questions
 * (many of them weak: common words, little that is specific), some typos,
 * and fewer uses of the query syntax (phrases, fields, prefixes).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus/gen.h"
#include "corpus/rng.h"

#define QUERY_STREAM 0x51E7C0DE0001ULL
#define STRONG_RANK 150 /* real words ranked above this are too common to search by */
#define MAX_WORDS 512

typedef enum qtype {
    Q_SHORT,
    Q_MEDIUM,
    Q_PHRASE,
    Q_SECTION,
    Q_PREFIX,
    Q_QUESTION,
    Q_TYPO,
    Q_TYPES
} qtype;

static const char *const type_name[Q_TYPES] = {"short",  "medium",   "phrase", "section",
                                               "prefix", "question", "typo"};
/* Percent of queries of each type. */
static const unsigned type_mix[Q_TYPES] = {18, 22, 10, 10, 7, 20, 13};

typedef struct qword {
    char w[PS_GEN_WORD_MAX];
    size_t len;
    int strong; /* specific enough to find the page by */
    int joined; /* follows the previous word with nothing in between */
} qword;

typedef struct qctx {
    const ps_gen_model *m;
    const ps_gen_page *pg;
    ps_rng r;
    qword words[MAX_WORDS];
    size_t n;
    ps_strbuf *q;
    int failed;
} qctx;

static void put(qctx *c, const char *s, size_t n) {
    if (!c->failed && ps_strbuf_append(c->q, s, n) != 0)
        c->failed = 1;
}

static void put_word(qctx *c, const char *w, size_t n) {
    if (c->q->len > 0)
        put(c, " ", 1);
    put(c, w, n);
}

/* ---- Words of a page --------------------------------------------------- */

static int is_lower(char ch) {
    return ch >= 'a' && ch <= 'z';
}

/* The words of a span, lower case, letters only; punctuation or a skipped
 * token breaks the chain of joined words that phrases are cut from. */
static void collect(qctx *c, ps_gen_span s) {
    const char *t = ps_gen_page_str(c->pg, s);
    size_t i = 0;
    int joined = 0;
    while (i < s.len && c->n < MAX_WORDS) {
        while (i < s.len && t[i] == ' ')
            i++;
        size_t a = i;
        while (i < s.len && t[i] != ' ')
            i++;
        size_t b = i, lead = a, trail = b;
        while (lead < b && !((t[lead] | 0x20) >= 'a' && (t[lead] | 0x20) <= 'z'))
            lead++;
        while (trail > lead && !((t[trail - 1] | 0x20) >= 'a' && (t[trail - 1] | 0x20) <= 'z'))
            trail--;
        qword *w = &c->words[c->n];
        int ok = trail > lead && trail - lead < PS_GEN_WORD_MAX;
        for (size_t k = lead; ok && k < trail; k++) {
            char ch = (char)(t[k] | 0x20);
            ok = is_lower(ch);
            w->w[k - lead] = ch;
        }
        if (!ok) {
            joined = 0;
            continue;
        }
        w->len = trail - lead;
        w->w[w->len] = '\0';
        long rank = ps_gen_word_rank(c->m, w->w, w->len);
        w->strong = w->len >= 3 && (rank < 0 || rank >= STRONG_RANK);
        w->joined = joined && lead == a;
        joined = trail == b;
        c->n++;
    }
}

static void collect_head(qctx *c) {
    const ps_gen_page *pg = c->pg;
    c->n = 0;
    collect(c, pg->descriptor);
    collect(c, pg->name);
    for (size_t i = 0; i < pg->n_common; i++)
        collect(c, pg->lines[pg->first_common + i]);
}

static void collect_section(qctx *c, const ps_gen_sec *sec) {
    c->n = 0;
    for (size_t i = 0; sec && i < sec->n; i++)
        collect(c, c->pg->lines[sec->first + i]);
}

/* A standard section with text, or NULL when the page has none. */
static const ps_gen_sec *random_section(qctx *c) {
    const ps_gen_page *pg = c->pg;
    for (int t = 0; t < 8 && pg->n_secs > 0; t++) {
        const ps_gen_sec *s = &pg->secs[ps_rng_below(&c->r, (uint32_t)pg->n_secs)];
        if (s->key != PS_SEC_OTHER && s->n > 0)
            return s;
    }
    return NULL;
}

/* A random strong word of the collected ones (at least min_len letters),
 * or NULL. */
static const qword *strong_word(qctx *c, size_t min_len) {
    size_t cand = 0;
    for (size_t i = 0; i < c->n; i++)
        cand += c->words[i].strong && c->words[i].len >= min_len;
    if (cand == 0)
        return NULL;
    size_t k = ps_rng_below(&c->r, (uint32_t)cand);
    for (size_t i = 0; i < c->n; i++)
        if (c->words[i].strong && c->words[i].len >= min_len && k-- == 0)
            return &c->words[i];
    return NULL;
}

/* ---- Query types ------------------------------------------------------- */

/* k strong words in page order, from a random starting point. */
static int strong_run(qctx *c, size_t k) {
    size_t idx[MAX_WORDS], n = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->words[i].strong)
            idx[n++] = i;
    if (n < k)
        return 0;
    size_t from = ps_rng_below(&c->r, (uint32_t)(n - k + 1));
    for (size_t i = 0; i < k; i++)
        put_word(c, c->words[idx[from + i]].w, c->words[idx[from + i]].len);
    return 1;
}

static int q_short(qctx *c) {
    collect_head(c);
    return strong_run(c, 1 + (ps_rng_below(&c->r, 5) < 2));
}

static int q_medium(qctx *c) {
    size_t k = 3 + ps_rng_below(&c->r, 3);
    if (ps_rng_below(&c->r, 2))
        collect_head(c);
    else
        collect_section(c, random_section(c));
    return strong_run(c, k);
}

static int q_phrase(qctx *c) {
    for (int t = 0; t < 8; t++) {
        collect_section(c, random_section(c));
        size_t len = 2 + ps_rng_below(&c->r, 2);
        /* Runs of joined words long enough, holding a strong word; best
         * with strong words at both ends ("lumbar puncture", not "cool
         * and a"), as people quote them. */
        size_t starts[MAX_WORDS], n = 0, n_framed = 0, framed[MAX_WORDS];
        for (size_t i = 0; i + len <= c->n; i++) {
            int ok = 1, strong = 0;
            for (size_t k = 0; k < len; k++) {
                ok &= k == 0 || c->words[i + k].joined;
                strong |= c->words[i + k].strong;
            }
            if (ok && strong)
                starts[n++] = i;
            if (ok && c->words[i].strong && c->words[i + len - 1].strong)
                framed[n_framed++] = i;
        }
        if (n == 0)
            continue;
        size_t i = n_framed ? framed[ps_rng_below(&c->r, (uint32_t)n_framed)]
                            : starts[ps_rng_below(&c->r, (uint32_t)n)];
        put(c, "\"", 1);
        for (size_t k = 0; k < len; k++) {
            if (k > 0)
                put(c, " ", 1);
            put(c, c->words[i + k].w, c->words[i + k].len);
        }
        put(c, "\"", 1);
        return 1;
    }
    return 0;
}

static int q_section(qctx *c) {
    const ps_gen_sec *sec = random_section(c);
    char head[PS_GEN_WORD_MAX] = "";
    if (ps_rng_below(&c->r, 2)) {
        collect_head(c);
        const qword *h = strong_word(c, 4);
        if (h)
            memcpy(head, h->w, h->len + 1);
    }
    collect_section(c, sec);
    const qword *w = strong_word(c, 4);
    if (!w || sec->key == PS_SEC_OTHER)
        return 0;
    if (head[0])
        put_word(c, head, strlen(head));
    const char *key = ps_section_key_name(sec->key);
    put_word(c, key, strlen(key));
    put(c, ":", 1);
    put(c, w->w, w->len);
    return 1;
}

static int q_prefix(qctx *c) {
    collect_head(c);
    const qword *w = strong_word(c, 7);
    if (!w)
        return 0;
    qword pick = *w;
    if (ps_rng_below(&c->r, 5) < 2) {
        const qword *other = strong_word(c, 4);
        if (other && strcmp(other->w, pick.w) != 0)
            put_word(c, other->w, other->len);
    }
    size_t keep = 4 + ps_rng_below(&c->r, (uint32_t)(pick.len - 6 + 1));
    put_word(c, pick.w, keep);
    put(c, "*", 1);
    return 1;
}

/* Lay question frames: "@" takes the page's subject, "#" a second, often
 * generic, word. */
static const char *const frames[] = {
    "what happens during @",
    "how long does it take to recover from @",
    "is @ painful and how long will i be sore",
    "what are the risks of @ for someone my age",
    "why would my doctor order @ instead of #",
    "can i drive home after @ or do i need someone",
    "do i need to stop eating before my @",
    "how do they do @ and will i be awake",
    "what should i expect after @ on my #",
    "will insurance pay for @ if the doctor says i need it",
    "what is the difference between @ and #",
    "how soon can i go back to work after @",
    "why did they do @ when i came in with #",
    "is it normal to have # after @",
};

static const char *const tails[] = {
    "for my mother", "at my age", "if i have diabetes", "and is it safe",
    "if i take blood thinners", "for a child", "next week",
};

/* A word for a question: strong and specific, or (weak questions) one of
 * the page's plain words. */
static const qword *question_word(qctx *c, int weak) {
    const qword *w = weak ? NULL : strong_word(c, 4);
    if (w)
        return w;
    size_t k = c->n ? ps_rng_below(&c->r, (uint32_t)c->n) : 0;
    for (size_t i = 0; i < c->n; i++) {
        const qword *cand = &c->words[(k + i) % c->n];
        if (cand->len >= 4)
            return cand;
    }
    return NULL;
}

static size_t count_words(const ps_strbuf *q) {
    size_t n = q->len > 0;
    for (size_t i = 0; i < q->len; i++)
        n += q->data[i] == ' ';
    return n;
}

static int q_question(qctx *c) {
    int weak = ps_rng_below(&c->r, 5) < 3;
    if (weak)
        collect_section(c, random_section(c));
    else
        collect_head(c);
    const qword *a = question_word(c, weak), *b = question_word(c, 1);
    if (!a || !b)
        return 0;
    const char *f = frames[ps_rng_below(&c->r, sizeof frames / sizeof frames[0])];
    for (const char *p = f; *p; p++) {
        if (*p == '@')
            put(c, a->w, a->len);
        else if (*p == '#')
            put(c, b->w, b->len);
        else
            put(c, p, 1);
    }
    /* Lay questions run long: at least 8 words, often a clause more. */
    while (count_words(c->q) < 8 || (count_words(c->q) < 12 && ps_rng_below(&c->r, 5) < 2)) {
        const char *t = tails[ps_rng_below(&c->r, sizeof tails / sizeof tails[0])];
        put_word(c, t, strlen(t));
    }
    /* Cut to 15 words at most. */
    size_t words = 0;
    for (size_t i = 0; i < c->q->len; i++)
        if (c->q->data[i] == ' ' && ++words == 15) {
            c->q->len = i;
            c->q->data[i] = '\0';
            break;
        }
    return 1;
}

/* One or two edits of the kinds people make: a letter dropped, doubled,
 * swapped with its neighbour, or hit next to the right key. */
static size_t misspell(qctx *c, const qword *w, char *out) {
    static const char near[] = "qwertyuiopasdfghjklzxcvbnm";
    size_t n = w->len;
    memcpy(out, w->w, n + 1);
    int edits = 1 + (ps_rng_below(&c->r, 10) < 3);
    for (int e = 0; e < edits; e++) {
        size_t i = 1 + ps_rng_below(&c->r, (uint32_t)(n - 2));
        switch (ps_rng_below(&c->r, 4)) {
        case 0: memmove(out + i, out + i + 1, n - i); n--; break;
        case 1: memmove(out + i + 1, out + i, n - i + 1); n++; break;
        case 2: { char t = out[i]; out[i] = out[i + 1]; out[i + 1] = t; break; }
        default: {
            const char *k = strchr(near, out[i]);
            if (k)
                out[i] = k > near && k[1] ? k[ps_rng_below(&c->r, 2) ? 1 : -1] : near[0];
            break;
        }
        }
        if (n < 4 || n + 2 >= PS_GEN_WORD_MAX)
            break;
    }
    out[n] = '\0';
    return n;
}

static int q_typo(qctx *c) {
    collect_head(c);
    const qword *w = strong_word(c, 5);
    if (!w)
        return 0;
    char bad[PS_GEN_WORD_MAX + 4];
    size_t n = misspell(c, w, bad);
    if (n == w->len && memcmp(bad, w->w, n) == 0)
        return 0;
    const qword *other = ps_rng_below(&c->r, 2) ? strong_word(c, 4) : NULL;
    int before = ps_rng_below(&c->r, 2);
    if (other && before && other != w)
        put_word(c, other->w, other->len);
    put_word(c, bad, n);
    if (other && !before && other != w)
        put_word(c, other->w, other->len);
    return 1;
}

static qtype draw_type(ps_rng *r) {
    unsigned x = ps_rng_below(r, 100);
    for (int t = 0; t < Q_TYPES; t++) {
        if (x < type_mix[t])
            return (qtype)t;
        x -= type_mix[t];
    }
    return Q_SHORT;
}

static int (*const builders[Q_TYPES])(qctx *) = {q_short,  q_medium,   q_phrase, q_section,
                                                 q_prefix, q_question, q_typo};

static uint64_t below64(ps_rng *r, uint64_t n) {
    return n <= UINT32_MAX ? ps_rng_below(r, (uint32_t)n) : ps_rng_next(r) % n;
}

int ps_gen_queries(const ps_gen_model *m, uint64_t seed, size_t n_pages, size_t n_queries,
                   ps_strbuf *out, ps_err *err) {
    if (n_queries > 0 && n_pages == 0)
        return ps_err_set(err, "--n-queries: no pages to draw queries from");
    qctx *c = malloc(sizeof *c);
    if (!c)
        return ps_err_set(err, "queries: out of memory");
    ps_gen_page pg = PS_GEN_PAGE_INIT;
    ps_strbuf q = PS_STRBUF_INIT;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n_queries; i++) {
        *c = (qctx){.m = m, .pg = &pg, .q = &q};
        ps_rng_seed(&c->r, seed ^ QUERY_STREAM, i);
        qtype t = draw_type(&c->r);
        rc = ps_gen_page_make(m, seed, (size_t)below64(&c->r, n_pages), &pg, err);
        /* A page too poor for the type (no long word, no phrase) gets a
         * short query instead, so the count always comes out right. */
        for (int tries = 0; rc == 0 && tries < 3; tries++) {
            ps_strbuf_clear(&q);
            if (builders[t](c) && q.len > 0)
                break;
            t = tries == 0 ? t : Q_SHORT;
        }
        if (rc == 0 && q.len == 0) {
            c->n = 0;
            collect(c, pg.descriptor);
            if (c->n)
                put(c, c->words[0].w, c->words[0].len);
        }
        char qid[64];
        snprintf(qid, sizeof qid, "gen-%llu-q%07zu\t", (unsigned long long)seed, i);
        if (rc == 0 && (c->failed || ps_strbuf_append(out, qid, strlen(qid)) != 0 ||
                        ps_strbuf_append(out, type_name[t], strlen(type_name[t])) != 0 ||
                        ps_strbuf_putc(out, '\t') != 0 ||
                        ps_strbuf_append(out, q.data ? q.data : "", q.len) != 0 ||
                        ps_strbuf_putc(out, '\n') != 0))
            rc = ps_err_set(err, "queries: out of memory");
    }
    free(c);
    ps_gen_page_free(&pg);
    ps_strbuf_free(&q);
    return rc;
}

int ps_gen_queries_write(const ps_gen_model *m, uint64_t seed, size_t n_pages, size_t n_queries,
                         const char *path, ps_err *err) {
    ps_strbuf out = PS_STRBUF_INIT;
    if (ps_gen_queries(m, seed, n_pages, n_queries, &out, err) != 0) {
        ps_strbuf_free(&out);
        return -1;
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        ps_err_set(err, "--queries %s: %s", path, strerror(errno));
        ps_strbuf_free(&out);
        return -1;
    }
    size_t wrote = out.len ? fwrite(out.data, 1, out.len, f) : 0;
    int bad = wrote != out.len || ferror(f);
    if (fclose(f) != 0)
        bad = 1;
    ps_strbuf_free(&out);
    return bad ? ps_err_set(err, "--queries %s: write failed", path) : 0;
}
