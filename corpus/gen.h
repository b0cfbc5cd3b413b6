/*
 * gen.h - a synthetic corpus of procedure pages, at any size, for benchmarks.
 *
 * A model is learned from real pages (gen_model.c): per section kind, the
 * shapes of real sections (how many lines, list marks, words per line) and
 * a bigram chain over the tokens as written; the heading fields the same
 * way; the page layouts with their formatting quirks; and the word
 * frequencies, extended into an open vocabulary of plausible clinical words
 * built from the medical prefixes, roots and suffixes found in the real text
 * (gen_words.c).  Page n of seed S is then a pure function of (model, S, n)
 * (gen_text.c): the chain writes the lines and, in content-word slots,
 * swaps in words from the page's topic or from a Zipf draw over the open
 * vocabulary, which gives the long tail of rare words a real collection has.
 * gen_render.c writes a page in the text format or as JSON Lines,
 * gen_write.c writes a whole corpus, gen_queries.c benchmark queries.
 *
 * The structures below are shared by the gen_*.c files; other code only
 * needs the functions at the end.
 */
#ifndef PS_GEN_H
#define PS_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/strbuf.h"
#include "corpus/page.h"

/* ---- The model ------------------------------------------------------- */

/* Kinds of text with a chain and shapes of their own: the body sections
 * (by ps_section_key, PS_SEC_OTHER for "Coding Notes" and the like), then
 * the three heading fields. */
enum {
    PS_GEN_K_DESC = PS_SEC_COUNT,
    PS_GEN_K_NAME,
    PS_GEN_K_COMMON,
    PS_GEN_KINDS
};

/* A token as the real text writes it: "site.", "(fluoroscopy)", "MRI". */
typedef struct ps_gen_tok {
    uint32_t off;  /* NUL-terminated, in model->chars */
    uint16_t len;
    uint8_t pre;   /* bytes of punctuation before the word */
    uint8_t core;  /* bytes of the word itself; punctuation follows it */
    uint8_t flags; /* PS_GEN_TOK_* */
} ps_gen_tok;

enum {
    PS_GEN_TOK_SUBST = 1, /* a content word: another word may take its slot */
    PS_GEN_TOK_CAP = 2,   /* the word starts with a capital */
    PS_GEN_TOK_FULL = 4,  /* ends a sentence ('.', '?' or '!') */
};

/* A bigram chain in compressed rows: state s (a token id, or n_toks for the
 * start of a line) moves to edge_tok[e] (a token id, or n_toks for the end
 * of the line) for e in [beg[s], beg[s+1]), with weights given as running
 * totals in edge_cum.  Successors are sorted by id, so the end of the line,
 * when possible, is the last edge.  The closing rows [close_beg[s],
 * close_beg[s+1]) in close_tok / close_cum keep only the successors that
 * may end a line (they ended one, or end a sentence): a line past its
 * length steers to them. */
typedef struct ps_gen_chain {
    uint32_t *beg;       /* n_toks + 2 entries */
    uint32_t *close_beg; /* n_toks + 2 entries */
} ps_gen_chain;

/* List marks of a line, as the real page wrote it. */
enum { PS_GEN_PLAIN = 0, PS_GEN_ITEM, PS_GEN_STEP };

typedef struct ps_gen_line_shape {
    uint16_t words;
    uint8_t mark;
} ps_gen_line_shape;

/* One real section (or heading field): its lines, in model->lines. */
typedef struct ps_gen_shape {
    uint32_t first, n;
} ps_gen_shape;

typedef struct ps_gen_kind {
    ps_gen_chain chain;
    ps_gen_shape *shapes;
    size_t n_shapes;
} ps_gen_kind;

/* Trailing page chrome, in page order. */
enum { PS_GEN_CH_POLICIES = 0, PS_GEN_CH_RELATED, PS_GEN_CH_SIMILAR };

#define PS_GEN_MAX_SECS 24
#define PS_GEN_NONE UINT32_MAX
#define PS_GEN_MAX_TAIL 4

/* The layout of one real page: which sections in which order under which
 * titles, and how it was formatted.  A generated page takes the layout of
 * a real page drawn at random, which keeps the quirks' correlations (pages
 * with blank lines indent their bullets, for instance). */
typedef struct ps_gen_layout {
    uint8_t crlf, blank, chrome_top, name_inline, has_common, final_newline;
    uint8_t bullet_indent, step_indent;
    char bullet[8];   /* the glyph ("-", "•"), "" when the page had none */
    char step_punct;  /* '.' or ')' after step numbers, 0 when none */
    float trail;      /* share of lines written with trailing spaces */
    uint32_t code_system; /* offset of e.g. "CPT4" in chars, or PS_GEN_NONE */
    uint8_t n_secs;
    uint8_t sec_key[PS_GEN_MAX_SECS];
    uint32_t sec_title[PS_GEN_MAX_SECS]; /* offsets in chars */
    uint8_t n_tail;
    uint8_t tail[PS_GEN_MAX_TAIL];
} ps_gen_layout;

/* Running totals for picking one of n items by weight. */
typedef struct ps_gen_dist {
    uint32_t *cum;
    size_t n;
} ps_gen_dist;

/* The building blocks of synthetic words (gen_words.c). */
typedef struct ps_gen_morphs {
    uint32_t *pre, *root, *suf; /* offsets in chars */
    ps_gen_dist pre_w, root_w, suf_w, proc_w; /* proc_w: procedure suffixes only */
    uint32_t *proc_words; /* real procedure words ("colonoscopy"), by frequency */
    size_t n_proc_words;
} ps_gen_morphs;

typedef struct ps_gen_model {
    ps_strbuf chars; /* every string of the model, NUL-terminated */
    ps_gen_tok *toks;
    size_t n_toks;
    uint32_t *edge_tok, *edge_cum;
    size_t n_edges;
    uint32_t *close_tok, *close_cum;
    size_t n_close;
    ps_gen_kind kinds[PS_GEN_KINDS];
    ps_gen_line_shape *lines;
    size_t n_lines;
    ps_gen_layout *layouts;
    size_t n_layouts;
    /* Real content words (lower case, letters), most frequent first: the
     * head of the open vocabulary.  The hash finds a word's rank. */
    uint32_t *words;
    size_t n_words;
    uint32_t *word_hash; /* rank + 1, 0 for empty; size word_hash_cap */
    size_t word_hash_cap;
    ps_gen_morphs morphs;
    size_t pages;     /* real pages learned from */
    size_t names_from_descriptor; /* of them, naming the procedure mostly in
                                     the descriptor's words */
} ps_gen_model;

/* Learn from the *.txt pages of dir (read in name order, so the model, and
 * everything generated from it, does not depend on the file system's
 * listing order).  Fails, naming the file, on a page that does not parse,
 * and when dir holds no page. */
int ps_gen_model_learn(const char *dir, ps_gen_model **out, ps_err *err);
void ps_gen_model_free(ps_gen_model *m); /* NULL is fine */

/* Whether token tok may end a line of the chain's kind. */
static inline int ps_gen_can_end(const ps_gen_model *m, const ps_gen_chain *ch, uint32_t tok) {
    return (m->toks[tok].flags & PS_GEN_TOK_FULL) ||
           (ch->beg[tok + 1] > ch->beg[tok] && m->edge_tok[ch->beg[tok + 1] - 1] == m->n_toks);
}

static inline const char *ps_gen_str(const ps_gen_model *m, uint32_t off) {
    return m->chars.data + off;
}

/* Rank of a real content word (lower case), or -1 when the real pages do
 * not have it.  Low ranks are the common, weak words. */
long ps_gen_word_rank(const ps_gen_model *m, const char *w, size_t len);

/* The first i with cum[i] > x: with x uniform below cum[n - 1], item i
 * comes out with probability weight[i] / total. */
static inline size_t ps_gen_cum_find(const uint32_t *cum, size_t n, uint32_t x) {
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static inline uint32_t ps_gen_dist_total(const ps_gen_dist *d) {
    return d->n ? d->cum[d->n - 1] : 0;
}

/* Build from counts; 0, or -1 when out of memory.  Zero counts never win. */
int ps_gen_dist_build(ps_gen_dist *d, const uint32_t *counts, size_t n);
void ps_gen_dist_free(ps_gen_dist *d);

/* ---- Words (gen_words.c) --------------------------------------------- */

/* Find the prefixes, roots and suffixes the real words are made of. */
int ps_gen_morphs_learn(ps_gen_model *m);
void ps_gen_morphs_free(ps_gen_morphs *mo);

/* Word number `rank` of the open vocabulary: a real content word for the
 * first n_words ranks, then synthetic words ("gastroduodenoplasty"), each a
 * pure function of its rank.  Writes a NUL-terminated word into buf (cap at
 * least PS_GEN_WORD_MAX) and returns its length. */
#define PS_GEN_WORD_MAX 64
size_t ps_gen_vocab_word(const ps_gen_model *m, uint64_t rank, char *buf);

/* Same for the names of procedures: real ones first, then synthetic words
 * ending in -ectomy, -plasty, -scopy and the like. */
size_t ps_gen_proc_word(const ps_gen_model *m, uint64_t rank, char *buf);

/* ---- One generated page (gen_text.c) --------------------------------- */

typedef struct ps_gen_span {
    uint32_t off, len; /* in the page's arena */
    uint8_t mark;      /* PS_GEN_PLAIN, _ITEM or _STEP */
} ps_gen_span;

typedef struct ps_gen_sec {
    ps_section_key key;
    const char *title; /* points into the model */
    size_t first, n;   /* its lines in page->lines */
} ps_gen_sec;

typedef struct ps_gen_page {
    char id[64];
    uint64_t seed;
    size_t index;
    const ps_gen_layout *layout;
    const char *code_system; /* layout and strings point into the model */
    char bullet[8]; /* the layout's glyph, now and then swapped for "*" */
    ps_strbuf arena;      /* all the page's text */
    ps_gen_span descriptor, name;
    size_t first_common, n_common; /* in lines */
    ps_gen_sec secs[PS_GEN_MAX_SECS];
    size_t n_secs;
    ps_gen_span *lines;
    size_t n_lines, cap_lines;
} ps_gen_page;

#define PS_GEN_PAGE_INIT {.arena = PS_STRBUF_INIT}

/* Generate page `index` of seed `seed` into pg (whose buffers are reused
 * from one call to the next).  0, or -1 when out of memory. */
int ps_gen_page_make(const ps_gen_model *m, uint64_t seed, size_t index, ps_gen_page *pg,
                     ps_err *err);
void ps_gen_page_free(ps_gen_page *pg);

static inline const char *ps_gen_page_str(const ps_gen_page *pg, ps_gen_span s) {
    return pg->arena.data + s.off;
}

/* The page id, "gen-<seed>-<index>" with the index in 7 digits at least. */
void ps_gen_page_id(uint64_t seed, size_t index, char *buf, size_t cap);

/* ---- Output (gen_render.c, gen_write.c) ------------------------------ */

typedef enum ps_gen_format { PS_GEN_TXT = 0, PS_GEN_JSONL } ps_gen_format;

/* Append the page in the text format, with its layout's quirks. */
int ps_gen_render_text(const ps_gen_page *pg, ps_strbuf *out);
/* Append the page as one JSON Lines record (structured form) and '\n'. */
int ps_gen_render_jsonl(const ps_gen_page *pg, ps_strbuf *out);

typedef struct ps_gen_opts {
    size_t pages;
    uint64_t seed;
    const char *out_dir;
    ps_gen_format format;
    int progress; /* show a progress line on stderr */
} ps_gen_opts;

typedef struct ps_gen_report {
    size_t pages;
    uint64_t bytes;
    double seconds;
} ps_gen_report;

/* Pages per folder (text) or per file (JSON Lines). */
#define PS_GEN_PER_SHARD 10000

/* Write pages 0..pages-1: DIR/000/gen-S-0000000.txt ... in folders of
 * PS_GEN_PER_SHARD files, or DIR/pages-000.jsonl ... of PS_GEN_PER_SHARD
 * records each.  DIR is created when missing; files already there are
 * replaced. */
int ps_gen_write(const ps_gen_model *m, const ps_gen_opts *o, ps_gen_report *rep, ps_err *err);

/* ---- Queries (gen_queries.c) ----------------------------------------- */

/* Append n_queries benchmark queries drawn from pages 0..n_pages-1 of seed,
 * one "qid<TAB>type<TAB>query\n" line each (types: short, medium, phrase,
 * section, prefix, question, typo). */
int ps_gen_queries(const ps_gen_model *m, uint64_t seed, size_t n_pages, size_t n_queries,
                   ps_strbuf *out, ps_err *err);

/* The same, written to path. */
int ps_gen_queries_write(const ps_gen_model *m, uint64_t seed, size_t n_pages, size_t n_queries,
                         const char *path, ps_err *err);

#endif
