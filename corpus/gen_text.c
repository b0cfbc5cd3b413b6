/*
 * gen_text.c - sampling one synthetic page from the model.
 *
 * Page n of seed S draws everything from its own PRNG stream (S, n):
 *   - a real page's layout (section order, titles, formatting quirks);
 *   - a topic: a procedure word and a few rarer words the page keeps
 *     coming back to, as a real page does with its subject;
 *   - each field and section from a real shape of its kind (number of
 *     lines, their list marks and lengths, stretched a little), each line
 *     walked along the kind's bigram chain.  In content-word slots the
 *     chain's word is swapped, with the slot's punctuation and capital
 *     kept, for a topic word or a Zipf draw over the open vocabulary: that
 *     is where the long tail of rare words comes from.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "corpus/gen.h"
#include "corpus/rng.h"

/* Tuned so that generated pages match the real ones in words per section
 * and the vocabulary follows Zipf's and Heaps' laws (distinct words grow
 * about as N^0.55 up to a million pages; test_gen.c checks the shape). */
#define P_SUBST_BODY 0.25 /* a content-word slot in a section changes word */
#define P_SUBST_HEAD 0.45 /* ... in the descriptor, name and common names */
#define P_TOPIC 0.25      /* a changed word comes from the page's topic */
#define WEAK_SKIP 100     /* Zipf draws start past the function words */
#define ZIPF_S 1.3        /* exponent of the open vocabulary's tail */
#define ZIPF_Q 100.0      /* Zipf-Mandelbrot offset: flattens the head */
#define TOPIC_Q 400.0     /* topic words are drawn further down the ranks */
#define VOCAB_RANKS 67108864.0
#define PROC_S 1.05       /* procedure words: a few common ones, a long tail */
#define PROC_Q 3.0
#define PROC_RANKS 4194304.0
#define MIN_TOPIC 3       /* words in a page's topic, the procedure word included */
#define MAX_TOPIC 6
#define LINE_TRIES 6      /* draws of a line that would not read back right */
#define P_STAR_BULLET 0.06

/* Inverse-CDF sampling of p(k) ~ (k + q)^-s over k in [0, ranks), from the
 * continuous power law, which is close enough at every rank and costs one
 * pow() per draw. */
typedef struct zipf {
    double a, span, inv;
    double q;
} zipf;

static zipf zipf_make(double s, double q, double ranks) {
    zipf z = {.q = q, .inv = 1.0 / (1.0 - s)};
    z.a = pow(q, 1.0 - s);
    z.span = pow(q + ranks, 1.0 - s) - z.a;
    return z;
}

static uint64_t zipf_draw(const zipf *z, ps_rng *r) {
    double x = pow(z->a + ps_rng_unit(r) * z->span, z->inv) - z->q;
    return x <= 0 ? 0 : (uint64_t)x;
}

typedef struct ctx {
    const ps_gen_model *m;
    ps_gen_page *pg;
    ps_err *err;
    ps_rng r;
    zipf body, topic, proc;
    char topic_words[MAX_TOPIC][PS_GEN_WORD_MAX];
    size_t topic_len[MAX_TOPIC], n_topic;
    double subst;
    int force_topic; /* the next content slot takes the procedure word */
} ctx;

static int oom(ctx *c) {
    return ps_err_set(c->err, "generating page %s: out of memory", c->pg->id);
}

void ps_gen_page_id(uint64_t seed, size_t index, char *buf, size_t cap) {
    snprintf(buf, cap, "gen-%llu-%07zu", (unsigned long long)seed, index);
}

/* ---- Words ------------------------------------------------------------- */

static size_t replacement(ctx *c, char *w) {
    if (c->force_topic || ps_rng_chance(&c->r, P_TOPIC)) {
        /* The procedure word is the page's subject: it comes up most. */
        size_t i = c->force_topic ? 0 : ps_rng_below(&c->r, (uint32_t)c->n_topic + 2);
        i = i < 2 ? 0 : i - 2;
        c->force_topic = 0;
        memcpy(w, c->topic_words[i], c->topic_len[i] + 1);
        return c->topic_len[i];
    }
    return ps_gen_vocab_word(c->m, WEAK_SKIP + zipf_draw(&c->body, &c->r), w);
}

static int put(ctx *c, const char *s, size_t n) {
    return ps_strbuf_append(&c->pg->arena, s, n) != 0 ? oom(c) : 0;
}

static int emit(ctx *c, uint32_t id, int first) {
    const ps_gen_tok *t = &c->m->toks[id];
    const char *s = ps_gen_str(c->m, t->off);
    if (!first && put(c, " ", 1) != 0)
        return -1;
    if (!(t->flags & PS_GEN_TOK_SUBST) || (!c->force_topic && !ps_rng_chance(&c->r, c->subst)))
        return put(c, s, t->len);
    char w[PS_GEN_WORD_MAX];
    size_t n = replacement(c, w);
    if ((t->flags & PS_GEN_TOK_CAP) && w[0] >= 'a' && w[0] <= 'z')
        w[0] = (char)(w[0] - 'a' + 'A');
    size_t after = (size_t)t->pre + t->core;
    if (put(c, s, t->pre) != 0 || put(c, w, n) != 0)
        return -1;
    return put(c, s + after, t->len - after);
}

/* ---- Lines ------------------------------------------------------------- */

/* Walk the chain for about `target` words.  From seven eighths of the
 * target on, the line ends at the first token that may end it; past the
 * target the walk steers to such a token when the chain offers one (a
 * bigram chain alone runs on: its sentences have no length).  An early end
 * of line is redrawn, or at a sentence end starts a new sentence, so that
 * lengths follow the shape, not the chain. */
static int walk(ctx *c, int kind, size_t target) {
    const ps_gen_model *m = c->m;
    const ps_gen_chain *ch = &m->kinds[kind].chain;
    const uint32_t *beg = ch->beg, *cb = ch->close_beg;
    uint32_t nt = (uint32_t)m->n_toks, prev = nt;
    size_t words = 0, cap = target + target / 2 + 8;
    int tries = 0;
    if (!beg)
        return 0;
    while (words < cap) {
        uint32_t b = beg[prev], e = beg[prev + 1];
        if (b == e)
            break;
        uint32_t next, cs = cb[prev], ce = cb[prev + 1];
        if (words >= target && ce > cs) {
            uint32_t x = ps_rng_below(&c->r, m->close_cum[ce - 1]);
            next = m->close_tok[cs + ps_gen_cum_find(m->close_cum + cs, ce - cs, x)];
        } else {
            uint32_t x = ps_rng_below(&c->r, m->edge_cum[e - 1]);
            next = m->edge_tok[b + ps_gen_cum_find(m->edge_cum + b, e - b, x)];
        }
        if (next == nt) {
            if (words * 8 >= target * 7 || words + 1 >= target)
                break;
            if (++tries < 4)
                continue;
            if (prev == nt || !(m->toks[prev].flags & PS_GEN_TOK_FULL))
                break;
            prev = nt;
            tries = 0;
            continue;
        }
        if (emit(c, next, words == 0) != 0)
            return -1;
        words++;
        prev = next;
        tries = 0;
        if (words * 8 >= target * 7 && ps_gen_can_end(m, ch, prev))
            break;
    }
    return 0;
}

/* Drop closing brackets with no opening one and close the ones left open,
 * before the line's final punctuation. */
static int balance(ctx *c, size_t start) {
    ps_strbuf *a = &c->pg->arena;
    size_t depth = 0, w = start;
    for (size_t i = start; i < a->len; i++) {
        char ch = a->data[i];
        if (ch == '(')
            depth++;
        else if (ch == ')') {
            if (depth == 0)
                continue;
            depth--;
        }
        a->data[w++] = ch;
    }
    a->len = w;
    while (a->len > start && strchr(",;", a->data[a->len - 1]))
        a->len--;
    if (a->len > start)
        a->data[a->len] = '\0';
    if (depth == 0)
        return 0;
    char end = a->len > start && a->data[a->len - 1] == '.' ? '.' : 0;
    if (end)
        a->len--;
    for (; depth > 0; depth--)
        if (put(c, ")", 1) != 0)
            return -1;
    return end ? put(c, ".", 1) : 0;
}

static const char *const chrome[] = {"Search all medical codes", "Similar Codes",
                                     "Related policies", "Medical Policies"};

static int has_chrome(const char *s, size_t n) {
    for (size_t i = 0; i < sizeof chrome / sizeof chrome[0]; i++) {
        size_t k = strlen(chrome[i]);
        for (size_t j = 0; j + k <= n; j++)
            if (s[j] == chrome[i][0] && memcmp(s + j, chrome[i], k) == 0)
                return 1;
    }
    return 0;
}

/* "Recovery", "Duration: about an hour": what the parser takes for a header. */
static int is_header_like(const char *s, size_t n) {
    const char *colon = memchr(s, ':', n < 72 ? n : 72);
    return ps_section_key_from_header(s, n) >= 0 ||
           (colon && ps_section_key_from_header(s, (size_t)(colon - s)) >= 0);
}

/* A body line must read as body text to the parser: not as a section
 * header ("Recovery: ..."), and not as a title that would open a section of
 * its own (a short plain line gets a final period, and never a colon). */
static int fix_body_line(ctx *c, size_t start, uint8_t mark) {
    ps_strbuf *a = &c->pg->arena;
    const char *s = a->data + start;
    size_t n = a->len - start;
    if (is_header_like(s, n) || has_chrome(s, n))
        return 1;
    if (mark != PS_GEN_PLAIN || n == 0)
        return 0;
    size_t words = 1;
    for (size_t i = 0; i < n; i++)
        words += s[i] == ' ';
    char last = s[n - 1];
    if (last == ':' && (words <= 6 || n <= 48))
        a->data[a->len - 1] = '.';
    else if (!strchr(".:?!", last))
        return put(c, ".", 1) < 0 ? -1 : 0;
    return 0;
}

/* A heading field must not be taken for anything else in the heading
 * block: a "<system> code" line, a list item, chrome. */
static int bad_head_line(const char *s, size_t n) {
    return n == 0 || has_chrome(s, n) || ps_text_list_mark_len(s, n) > 0 ||
           (n >= 4 && ps_text_starts_with_ci(s + n - 4, 4, "code")) || is_header_like(s, n) ||
           ps_text_starts_with_ci(s, n, "name of the procedure") ||
           ps_text_starts_with_ci(s, n, "procedure name") ||
           ps_text_starts_with_ci(s, n, "common name");
}

/* Common names are written as one comma list, so they must not hold the
 * separators. */
static void drop_separators(ctx *c, size_t start) {
    ps_strbuf *a = &c->pg->arena;
    size_t w = start;
    for (size_t i = start; i < a->len; i++)
        if (a->data[i] != ',' && a->data[i] != ';' &&
            !(a->data[i] == ' ' && w > start && a->data[w - 1] == ' '))
            a->data[w++] = a->data[i];
    while (w > start && a->data[w - 1] == ' ')
        w--;
    a->len = w;
    if (a->data)
        a->data[w] = '\0';
}

static int push_line(ctx *c, ps_gen_span span) {
    ps_gen_page *pg = c->pg;
    if (pg->n_lines == pg->cap_lines) {
        size_t cap = pg->cap_lines ? pg->cap_lines * 2 : 256;
        ps_gen_span *l = realloc(pg->lines, cap * sizeof *l);
        if (!l)
            return oom(c);
        pg->lines = l;
        pg->cap_lines = cap;
    }
    pg->lines[pg->n_lines++] = span;
    return 0;
}

/* One line of a kind into the arena, redrawn while it would not read back
 * as what it is; *span gets it.  Body lines keep the last draw whatever it
 * is (a rare extra section is harmless); heading fields, and lines the
 * chain left empty, fall back to the procedure word. */
static int make_line(ctx *c, int kind, size_t target, uint8_t mark, ps_gen_span *span) {
    ps_strbuf *a = &c->pg->arena;
    size_t start = a->len;
    int head = kind >= PS_GEN_K_DESC, force = c->force_topic, bad = 1;
    for (int t = 0; t < LINE_TRIES && bad; t++) {
        a->len = start;
        c->force_topic = force;
        if (walk(c, kind, target) != 0 || balance(c, start) != 0)
            return -1;
        if (kind == PS_GEN_K_COMMON)
            drop_separators(c, start);
        if (head)
            bad = bad_head_line(a->data + start, a->len - start);
        else if ((bad = fix_body_line(c, start, mark)) < 0)
            return -1;
    }
    if (a->len == start || (head && bad)) {
        a->len = start;
        if (put(c, c->topic_words[0], c->topic_len[0]) != 0 ||
            (!head && mark == PS_GEN_PLAIN && put(c, ".", 1) != 0))
            return -1;
        if (a->data[start] >= 'a' && a->data[start] <= 'z')
            a->data[start] = (char)(a->data[start] - 'a' + 'A');
    }
    c->force_topic = 0;
    *span = (ps_gen_span){(uint32_t)start, (uint32_t)(a->len - start), mark};
    return 0;
}

/* A shape's length, stretched by up to a third either way so that pages
 * drawing the same real shape still differ. */
static size_t stretch(ctx *c, size_t words) {
    double f = 0.7 + 0.6 * ps_rng_unit(&c->r);
    size_t n = (size_t)((double)words * f + 0.5);
    return n ? n : 1;
}

static const ps_gen_shape *draw_shape(ctx *c, int kind) {
    const ps_gen_kind *k = &c->m->kinds[kind];
    return k->n_shapes ? &k->shapes[ps_rng_below(&c->r, (uint32_t)k->n_shapes)] : NULL;
}

/* ---- Fields and sections ---------------------------------------------- */

static const char *const small_words[] = {"a",    "an", "and", "as", "at",   "by",
                                          "for",  "from", "in", "into", "of", "on",
                                          "or",   "per", "the", "to", "via", "with",
                                          "without"};

static int is_small(const char *w, size_t n) {
    for (size_t i = 0; i < sizeof small_words / sizeof small_words[0]; i++)
        if (strlen(small_words[i]) == n && memcmp(small_words[i], w, n) == 0)
            return 1;
    return 0;
}

/* The descriptor in title case: the name of last resort, for a model
 * that saw no names. */
static int title_case(ctx *c, ps_gen_span *out) {
    ps_strbuf *a = &c->pg->arena;
    ps_gen_span d = c->pg->descriptor;
    if (ps_strbuf_reserve(a, (size_t)d.len + 1) != 0)
        return oom(c);
    size_t start = a->len;
    const char *s = a->data + d.off;
    for (size_t i = 0; i < d.len; i++)
        a->data[a->len++] =
            (char)(s[i] >= 'a' && s[i] <= 'z' && (i == 0 || s[i - 1] == ' ') ? s[i] - 32 : s[i]);
    a->data[a->len] = '\0';
    *out = (ps_gen_span){(uint32_t)start, (uint32_t)d.len, PS_GEN_PLAIN};
    return 0;
}

#define MAX_CLAUSES 32

/* A name reworded from the descriptor, as most real pages name the
 * procedure: its first clause and some of the others, never all of them
 * (real names are almost never the descriptor itself), in title case:
 * "Injection procedure for discography, each level; lumbar" gives
 * "Injection Procedure for Discography, Lumbar".  0 with out->len == 0
 * when the descriptor has a single clause. */
static int name_from_descriptor(ctx *c, ps_gen_span *out) {
    ps_strbuf *a = &c->pg->arena;
    ps_gen_span d = c->pg->descriptor;
    size_t from[MAX_CLAUSES], to[MAX_CLAUSES], n = 0;
    int keep[MAX_CLAUSES];
    const char *s = a->data + d.off;
    for (size_t i = 0; i < d.len && n < MAX_CLAUSES; i++) {
        size_t j = i;
        while (j < d.len && s[j] != ',' && s[j] != ';')
            j++;
        while (i < j && s[i] == ' ')
            i++;
        if (j > i) {
            from[n] = i;
            to[n] = j;
            keep[n] = n == 0 || ps_rng_chance(&c->r, 0.5);
            n++;
        }
        i = j;
    }
    size_t kept = 0;
    for (size_t k = 0; k < n; k++)
        kept += (size_t)keep[k];
    if (n > 1 && kept == n)
        keep[n - 1] = 0;
    *out = (ps_gen_span){(uint32_t)a->len, 0, PS_GEN_PLAIN};
    if (n < 2)
        return 0;
    if (ps_strbuf_reserve(a, 2 * (size_t)d.len + 2) != 0)
        return oom(c);
    s = a->data + d.off;
    size_t start = a->len;
    for (size_t k = 0; k < n; k++) {
        if (!keep[k])
            continue;
        if (a->len > start) {
            a->data[a->len++] = ',';
            a->data[a->len++] = ' ';
        }
        for (size_t i = from[k]; i < to[k]; i++) {
            char ch = s[i];
            if (ch >= 'a' && ch <= 'z' && (i == from[k] || s[i - 1] == ' ')) {
                size_t e = i;
                while (e < to[k] && s[e] != ' ')
                    e++;
                if (i == from[k] || !is_small(s + i, e - i))
                    ch = (char)(ch - 'a' + 'A');
            }
            a->data[a->len++] = ch;
        }
    }
    a->data[a->len] = '\0';
    if (balance(c, start) != 0)
        return -1;
    *out = (ps_gen_span){(uint32_t)start, (uint32_t)(a->len - start), PS_GEN_PLAIN};
    return 0;
}

static int make_head(ctx *c) {
    ps_gen_page *pg = c->pg;
    const ps_gen_shape *sh = draw_shape(c, PS_GEN_K_DESC);
    size_t words = sh ? c->m->lines[sh->first].words : 8;
    c->subst = P_SUBST_HEAD;
    c->force_topic = 1;
    if (make_line(c, PS_GEN_K_DESC, stretch(c, words), PS_GEN_PLAIN, &pg->descriptor) != 0)
        return -1;
    sh = draw_shape(c, PS_GEN_K_NAME);
    double reworded =
        c->m->pages ? (double)c->m->names_from_descriptor / (double)c->m->pages : 0;
    int derived = !sh || ps_rng_chance(&c->r, reworded);
    if (derived && name_from_descriptor(c, &pg->name) != 0)
        return -1;
    if (derived && sh &&
        (pg->name.len == 0 || bad_head_line(ps_gen_page_str(pg, pg->name), pg->name.len)))
        derived = 0;
    if (derived && pg->name.len == 0 && title_case(c, &pg->name) != 0)
        return -1;
    if (!derived) {
        c->force_topic = 1;
        if (make_line(c, PS_GEN_K_NAME, stretch(c, c->m->lines[sh->first].words), PS_GEN_PLAIN,
                      &pg->name) != 0)
            return -1;
    }
    pg->first_common = pg->n_lines;
    sh = pg->layout->has_common ? draw_shape(c, PS_GEN_K_COMMON) : NULL;
    for (size_t i = 0; sh && i < sh->n; i++) {
        ps_gen_span s;
        c->force_topic = i == 0;
        if (make_line(c, PS_GEN_K_COMMON, stretch(c, c->m->lines[sh->first + i].words),
                      PS_GEN_PLAIN, &s) != 0)
            return -1;
        if (push_line(c, s) != 0)
            return -1;
    }
    pg->n_common = pg->n_lines - pg->first_common;
    return 0;
}

/* The mark the line will carry on this layout: a page without bullets
 * writes its list items plain (and then they need a final period, which
 * make_line adds knowing the mark). */
static uint8_t written_mark(const ps_gen_layout *L, uint8_t mark) {
    if (mark == PS_GEN_STEP && !L->step_punct)
        mark = PS_GEN_ITEM;
    if (mark == PS_GEN_ITEM && !L->bullet[0])
        mark = PS_GEN_PLAIN;
    return mark;
}

static int make_section(ctx *c, int key, const char *title) {
    ps_gen_page *pg = c->pg;
    ps_gen_sec *sec = &pg->secs[pg->n_secs++];
    *sec = (ps_gen_sec){.key = (ps_section_key)key, .title = title, .first = pg->n_lines};
    const ps_gen_shape *sh = draw_shape(c, key);
    ps_gen_line_shape fallback = {12, PS_GEN_PLAIN};
    const ps_gen_line_shape *lines = sh ? c->m->lines + sh->first : &fallback;
    size_t n = sh ? sh->n : 1;
    /* A list may gain or lose an item; prose keeps its paragraphs. */
    size_t total = n;
    if (n > 1 && lines[n - 1].mark != PS_GEN_PLAIN) {
        uint32_t d = ps_rng_below(&c->r, 5);
        total = d == 0 ? n - 1 : d == 4 ? n + 1 : n;
    }
    c->subst = P_SUBST_BODY;
    for (size_t i = 0; i < total; i++) {
        const ps_gen_line_shape *ls = &lines[i < n ? i : n - 1];
        ps_gen_span s;
        if (make_line(c, key, stretch(c, ls->words), written_mark(pg->layout, ls->mark), &s) != 0 ||
            push_line(c, s) != 0)
            return -1;
    }
    sec->n = pg->n_lines - sec->first;
    return 0;
}

static void draw_topic(ctx *c) {
    c->n_topic = MIN_TOPIC + ps_rng_below(&c->r, MAX_TOPIC - MIN_TOPIC + 1);
    c->topic_len[0] = ps_gen_proc_word(c->m, zipf_draw(&c->proc, &c->r), c->topic_words[0]);
    for (size_t i = 1; i < c->n_topic; i++)
        c->topic_len[i] =
            ps_gen_vocab_word(c->m, WEAK_SKIP + zipf_draw(&c->topic, &c->r), c->topic_words[i]);
}

int ps_gen_page_make(const ps_gen_model *m, uint64_t seed, size_t index, ps_gen_page *pg,
                     ps_err *err) {
    ctx c = {.m = m, .pg = pg, .err = err};
    ps_rng_seed(&c.r, seed, index);
    c.body = zipf_make(ZIPF_S, ZIPF_Q, VOCAB_RANKS);
    c.topic = zipf_make(ZIPF_S, TOPIC_Q, VOCAB_RANKS);
    c.proc = zipf_make(PROC_S, PROC_Q, PROC_RANKS);
    ps_strbuf_clear(&pg->arena);
    /* Lines are built in place, so the arena must exist from the start. */
    if (ps_strbuf_reserve(&pg->arena, 8192) != 0)
        return ps_err_set(err, "generating a page: out of memory");
    pg->n_lines = pg->n_secs = 0;
    pg->seed = seed;
    pg->index = index;
    ps_gen_page_id(seed, index, pg->id, sizeof pg->id);
    if (m->n_layouts == 0)
        return ps_err_set(err, "generating page %s: the model has no pages", pg->id);
    pg->layout = &m->layouts[ps_rng_below(&c.r, (uint32_t)m->n_layouts)];
    pg->code_system =
        pg->layout->code_system == PS_GEN_NONE ? NULL : ps_gen_str(m, pg->layout->code_system);
    /* Hand-made pages also use "*" for bullets; the real ones do not, but
     * the parser must see them. */
    memcpy(pg->bullet, pg->layout->bullet, sizeof pg->bullet);
    if (pg->bullet[0] && ps_rng_chance(&c.r, P_STAR_BULLET))
        memcpy(pg->bullet, "*", 2);
    draw_topic(&c);
    if (make_head(&c) != 0)
        return -1;
    for (size_t i = 0; i < pg->layout->n_secs; i++)
        if (make_section(&c, pg->layout->sec_key[i], ps_gen_str(m, pg->layout->sec_title[i])) != 0)
            return -1;
    return 0;
}

void ps_gen_page_free(ps_gen_page *pg) {
    ps_strbuf_free(&pg->arena);
    free(pg->lines);
    pg->lines = NULL;
    pg->n_lines = pg->cap_lines = 0;
}
