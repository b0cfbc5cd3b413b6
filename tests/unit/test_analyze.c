/*
 * test_analyze.c - the text analyzer: tokens, folding, compounds, offsets,
 * robustness, and the ASCII fast path against ICU.
 *
 * Token lists are compared as strings, one "term/pos" per token followed by
 * d (digit), p (part), j (joined) and, for compounds, the number of parts:
 * "X-ray" is "x/0p2 ray/1p2 xray/0j2".
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "indexer/analyze.h"
#include "indexer/analyze_internal.h"
#include "indexer/fold.h"

/* ------------------------------------------------------------ helpers */

typedef struct {
    char term[PS_TERM_MAX + 1];
    size_t len, start, end;
    uint32_t pos;
    unsigned flags;
    uint32_t n_parts;
} tok;

typedef struct {
    tok *t;
    size_t n, cap;
} tok_list;

static void tok_list_init(tok_list *l) { *l = (tok_list){NULL, 0, 0}; }

static void tok_list_free(tok_list *l) {
    free(l->t);
    tok_list_init(l);
}

static int collect(const ps_token *t, void *ctx) {
    tok_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->t = realloc(l->t, l->cap * sizeof *l->t);
        cr_assert(l->t, "out of memory");
    }
    tok *d = &l->t[l->n++];
    cr_assert_leq(t->len, PS_TERM_MAX);
    cr_assert_eq(strlen(t->term), t->len, "term \"%s\" len %zu", t->term, t->len);
    memcpy(d->term, t->term, t->len + 1);
    d->len = t->len;
    d->start = t->start;
    d->end = t->end;
    d->pos = t->pos;
    d->flags = t->flags;
    d->n_parts = t->n_parts;
    return 0;
}

static int count_cb(const ps_token *t, void *ctx) {
    (void)t;
    ++*(size_t *)ctx;
    return 0;
}

static ps_analyzer *new_analyzer(void) {
    ps_err err = {{0}};
    ps_analyzer *a = ps_analyzer_new(&err);
    cr_assert_not_null(a, "ps_analyzer_new: %s", err.msg);
    return a;
}

static void run(ps_analyzer *a, const char *text, size_t n, uint32_t first_pos, tok_list *l) {
    ps_err err = {{0}};
    tok_list_init(l);
    int r = ps_analyze(a, text, n, first_pos, collect, l, NULL, &err);
    cr_assert_eq(r, 0, "ps_analyze: %d %s", r, err.msg);
}

static void render(const tok_list *l, char *buf, size_t cap) {
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->n && o < cap; i++) {
        const tok *t = &l->t[i];
        int w = snprintf(buf + o, cap - o, "%s%s/%u%s%s%s", i ? " " : "", t->term, t->pos,
                         t->flags & PS_TOK_DIGIT ? "d" : "", t->flags & PS_TOK_PART ? "p" : "",
                         t->flags & PS_TOK_JOINED ? "j" : "");
        if (w < 0)
            break;
        o += (size_t)w;
        if (t->n_parts && o < cap)
            o += (size_t)snprintf(buf + o, cap - o, "%u", t->n_parts);
    }
}

static int valid_utf8(const char *s, size_t n) {
    for (size_t i = 0; i < n;) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = ps_utf8_seq_len((const unsigned char *)s + i, n - i);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

/* What must hold for any input. */
static void check_invariants(const tok_list *l, const char *text, size_t n, uint32_t first) {
    (void)text;
    uint32_t next = first;
    for (size_t i = 0; i < l->n; i++) {
        const tok *t = &l->t[i];
        cr_assert(t->start < t->end && t->end <= n, "token %zu spans %zu..%zu of %zu", i,
                  t->start, t->end, n);
        cr_assert(t->len > 0 && t->len <= PS_TERM_MAX);
        cr_assert(valid_utf8(t->term, t->len), "token %zu is not UTF-8", i);
        cr_assert(t->term[0] != '\'' && t->term[t->len - 1] != '\'', "\"%s\"", t->term);
        int digit = strpbrk(t->term, "0123456789") != NULL;
        cr_assert_eq(!!(t->flags & PS_TOK_DIGIT), digit, "\"%s\"", t->term);
        if (t->flags & PS_TOK_JOINED) {
            cr_assert(t->n_parts >= 2 && t->n_parts <= 8 && i >= t->n_parts);
            const tok *first_part = &l->t[i - t->n_parts];
            cr_assert_eq(t->pos, first_part->pos);
            cr_assert_eq(t->start, first_part->start);
            cr_assert_eq(t->end, l->t[i - 1].end);
        } else {
            cr_assert_eq(t->pos, next, "token %zu \"%s\"", i, t->term);
            next++;
            cr_assert_eq(!!(t->flags & PS_TOK_PART), t->n_parts != 0);
        }
        if (i > 0 && !(t->flags & PS_TOK_JOINED))
            cr_assert_geq(t->start, l->t[i - 1].end);
    }
}

static void expect_paths_agree(ps_analyzer *a, const char *text, size_t n, const char *label) {
    tok_list fast, icu;
    ps_analyzer_set_icu_only(a, 0);
    run(a, text, n, 0, &fast);
    ps_analyzer_set_icu_only(a, 1);
    run(a, text, n, 0, &icu);
    ps_analyzer_set_icu_only(a, 0);
    int same = fast.n == icu.n;
    for (size_t i = 0; same && i < fast.n; i++) {
        const tok *x = &fast.t[i], *y = &icu.t[i];
        same = strcmp(x->term, y->term) == 0 && x->start == y->start && x->end == y->end &&
               x->pos == y->pos && x->flags == y->flags && x->n_parts == y->n_parts;
    }
    if (!same) {
        char f[2048], g[2048];
        render(&fast, f, sizeof f);
        render(&icu, g, sizeof g);
        cr_expect(0, "%s: fast path and ICU differ on \"%.*s\":\n fast: %s\n  icu: %s", label,
                  (int)(n < 300 ? n : 300), text, f, g);
    }
    tok_list_free(&fast);
    tok_list_free(&icu);
}

static uint64_t rng(uint64_t *s) {
    *s ^= *s >> 12; /* xorshift64* */
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717u;
}

typedef struct {
    char dir[1024];
    char **text, **name;
    size_t *len;
    size_t n;
    size_t bytes;
} corpus;

static int by_name(const void *x, const void *y) {
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static void load_corpus(corpus *c) {
    const char *root = getenv("PROCSEARCH_ROOT");
    snprintf(c->dir, sizeof c->dir, "%s/corpus/dev/docs", root && *root ? root : ".");
    c->text = c->name = NULL;
    c->len = NULL;
    c->n = c->bytes = 0;
    DIR *d = opendir(c->dir);
    cr_assert_not_null(d, "cannot open %s (set PROCSEARCH_ROOT)", c->dir);
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t nl = strlen(e->d_name);
        if (nl < 5 || strcmp(e->d_name + nl - 4, ".txt") != 0)
            continue;
        if (c->n == cap) {
            cap = cap ? 2 * cap : 256;
            c->name = realloc(c->name, cap * sizeof *c->name);
            cr_assert(c->name);
        }
        c->name[c->n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(c->name, c->n, sizeof *c->name, by_name);
    c->text = calloc(c->n ? c->n : 1, sizeof *c->text);
    c->len = calloc(c->n ? c->n : 1, sizeof *c->len);
    cr_assert(c->text && c->len);
    for (size_t i = 0; i < c->n; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", c->dir, c->name[i]);
        FILE *f = fopen(path, "rb");
        cr_assert_not_null(f, "cannot open %s", path);
        cr_assert_eq(fseek(f, 0, SEEK_END), 0);
        long sz = ftell(f);
        cr_assert_geq(sz, 0);
        rewind(f);
        /* Exact size, no NUL: the analyzer must not rely on one. */
        c->text[i] = malloc(sz ? (size_t)sz : 1);
        cr_assert(c->text[i]);
        cr_assert_eq(fread(c->text[i], 1, (size_t)sz, f), (size_t)sz, "reading %s", path);
        fclose(f);
        c->len[i] = (size_t)sz;
        c->bytes += (size_t)sz;
    }
}

static void corpus_free(corpus *c) {
    for (size_t i = 0; i < c->n; i++) {
        free(c->text[i]);
        free(c->name[i]);
    }
    free(c->text);
    free(c->name);
    free(c->len);
}

/* ------------------------------------------------------------ table */

typedef struct {
    const char *text;
    const char *want;
} tok_case;

static const tok_case token_cases[] = {
    /* "X-ray", "x ray" and "xray" meet on "x" + "ray" and on "xray". */
    {"X-ray", "x/0p2 ray/1p2 xray/0j2"},
    {"x ray", "x/0 ray/1"},
    {"xray", "xray/0"},
    {"X-Ray machine", "x/0p2 ray/1p2 xray/0j2 machine/2"},
    {"L4\u2013L5", "l4/0dp2 l5/1dp2 l4l5/0dj2"},
    {"C5-C6 disc", "c5/0dp2 c6/1dp2 c5c6/0dj2 disc/2"},
    {"2.5 cm", "2.5/0d cm/1"},
    {"24-48 hours", "24/0dp2 48/1dp2 2448/0dj2 hours/2"},
    {"balloon-tipped", "balloon/0p2 tipped/1p2 balloontipped/0j2"},
    {"anti-VEGF", "anti/0p2 vegf/1p2 antivegf/0j2"},
    {"and/or", "and/0p2 or/1p2 andor/0j2"},
    {"Nd:YAG laser", "nd/0p2 yag/1p2 ndyag/0j2 laser/2"},
    {"Nd\uFF1AYAG", "nd/0p2 yag/1p2 ndyag/0j2"},
    {"10:30 am", "10/0d 30/1d am/2"},
    {"L4:L5", "l4/0d l5/1d"},
    {"Note: see", "note/0 see/1"},
    {"X\u2010ray X\u2011ray X\u2012ray X\u2014ray",
     "x/0p2 ray/1p2 xray/0j2 x/2p2 ray/3p2 xray/2j2 x/4p2 ray/5p2 xray/4j2 "
     "x/6p2 ray/7p2 xray/6j2"},
    {"a\u2215b", "a/0p2 b/1p2 ab/0j2"},
    {"X\uFF0Dray", "x/0p2 ray/1p2 xray/0j2"},
    {"mg/kg/day", "mg/0p3 kg/1p3 day/2p3 mgkgday/0j3"},
    {"state-of-the-art", "state/0p4 of/1p4 the/2p4 art/3p4 stateoftheart/0j4"},
    {"Nd:YAG-laser", "nd/0p3 yag/1p3 laser/2p3 ndyaglaser/0j3"},
    /* Not compounds: space around the joiner, two joiners, other symbols. */
    {"X - ray", "x/0 ray/1"},
    {"X -ray", "x/0 ray/1"},
    {"X- ray", "x/0 ray/1"},
    {"X--ray", "x/0 ray/1"},
    {"X-/ray", "x/0 ray/1"},
    {"X+ray a.b-", "x/0 ray/1 a.b/2"},
    {"-ray", "ray/0"},
    {"T-", "t/0"},
    /* A chain longer than 8 parts is cut into compounds of 8. */
    {"a-b-c-d-e-f-g-h-i",
     "a/0p8 b/1p8 c/2p8 d/3p8 e/4p8 f/5p8 g/6p8 h/7p8 abcdefgh/0j8 i/8"},
    {"a-b-c-d-e-f-g-h-i-j",
     "a/0p8 b/1p8 c/2p8 d/3p8 e/4p8 f/5p8 g/6p8 h/7p8 abcdefgh/0j8 "
     "i/8p2 j/9p2 ij/8j2"},
    /* UAX #29 keeps these whole. */
    {"e.g. 1,000.50 don't", "e.g/0 1,000.50/1d don't/2"},
    {"3.5mm a1.2", "3.5mm/0d a1.2/1d"},
    {"snake_case a@b.com", "snake_case/0 a@b.com/1"},
    /* Folding. */
    {"\u00C9pidural \u00C9CHOGRAPHIE na\u00EFve", "epidural/0 echographie/1 naive/2"},
    {"\uFB01brosis", "fibrosis/0"},
    {"\uFF2D\uFF32\uFF29", "mri/0"},
    {"Cafe\u0301 CAFE\u0301", "cafe/0 cafe/1"},
    {"Stra\u00DFe", "strasse/0"},
    {"\u00B5g", "\u03BCg/0"},
    {"\u2163", "iv/0"},
    {"co\u00ADoperate", "cooperate/0"},
    /* Apostrophes: curly ones become ASCII, and none is left at an edge. */
    {"patient\u2019s", "patient's/0"},
    {"patient's", "patient's/0"},
    {"\u2018quoted\u2019", "quoted/0"},
    {"'quoted'", "quoted/0"},
    {"\u02BCtwas ab\u02BC", "twas/0 ab/1"},
    /* Other scripts: letters, ideographs and kana are words; the marks that
     * make letters in Devanagari and kana are not accents. */
    {"\u65E5\u672C\u8A9E\u30C6\u30AD\u30B9\u30C8",
     "\u65E5\u672C\u8A9E/0 \u30C6\u30AD\u30B9\u30C8/1"},
    {"\uD55C\uAD6D\uC5B4", "\uD55C\uAD6D\uC5B4/0"},
    {"\u0928\u092E\u0938\u094D\u0924\u0947", "\u0928\u092E\u0938\u094D\u0924\u0947/0"},
    {"\u304C", "\u304C/0"},
    {"\u039C\u03AC\u03B8\u03B7\u03BC\u03B1", "\u03BC\u03B1\u03B8\u03B7\u03BC\u03B1/0"},
    /* Symbols and punctuation are not words. */
    {"\u2265" "5 \u2022 \u00B0C 5% #1", "5/0d c/1 5/2d 1/3d"},
    {"@ __ _ ' -- ... \U0001F600", ""},
    {"!!! ... --- ///", ""},
    {"", ""},
};

Test(analyze_tokens, table) {
    ps_analyzer *a = new_analyzer();
    for (size_t i = 0; i < sizeof token_cases / sizeof token_cases[0]; i++) {
        const tok_case *c = &token_cases[i];
        tok_list l;
        run(a, c->text, strlen(c->text), 0, &l);
        char got[4096];
        render(&l, got, sizeof got);
        cr_expect_str_eq(got, c->want, "input \"%s\"", c->text);
        tok_list_free(&l);
    }
    ps_analyzer_free(a);
}

Test(analyze_tokens, both_paths_agree_on_table) {
    ps_analyzer *a = new_analyzer();
    for (size_t i = 0; i < sizeof token_cases / sizeof token_cases[0]; i++) {
        const char *t = token_cases[i].text;
        expect_paths_agree(a, t, strlen(t), t);
    }
    ps_analyzer_free(a);
}

Test(analyze_tokens, digit_flag) {
    ps_analyzer *a = new_analyzer();
    tok_list l;
    run(a, "T12 vitamin B12 \u0661\u0662 x", strlen("T12 vitamin B12 \u0661\u0662 x"), 0, &l);
    char got[512];
    render(&l, got, sizeof got);
    /* Only ASCII digits count: Arabic-Indic ones stay a plain term. */
    cr_expect_str_eq(got, "t12/0d vitamin/1 b12/2d \u0661\u0662/3 x/4");
    tok_list_free(&l);
    ps_analyzer_free(a);
}

/* ------------------------------------------------------------ lengths */

Test(analyze_tokens, long_words) {
    ps_analyzer *a = new_analyzer();
    char w64[65], w65[66], text[512];
    memset(w64, 'a', 64);
    w64[64] = '\0';
    memset(w65, 'b', 65);
    w65[65] = '\0';

    /* 64 bytes is kept; 65 is skipped and takes no position. */
    snprintf(text, sizeof text, "x %s %s y", w64, w65);
    tok_list l;
    run(a, text, strlen(text), 0, &l);
    cr_assert_eq(l.n, 3);
    cr_expect_str_eq(l.t[1].term, w64);
    cr_expect_eq(l.t[1].pos, 1);
    cr_expect_str_eq(l.t[2].term, "y");
    cr_expect_eq(l.t[2].pos, 2);
    tok_list_free(&l);

    /* A skipped word ends the compound it was in. */
    snprintf(text, sizeof text, "x-%s-y", w65);
    char got[512];
    run(a, text, strlen(text), 0, &l);
    render(&l, got, sizeof got);
    cr_expect_str_eq(got, "x/0 y/1");
    tok_list_free(&l);

    /* An "é" is two bytes raw and one folded: the limit is on the folded form. */
    char acc[200] = "";
    for (int i = 0; i < 64; i++)
        strcat(acc, "\u00E9");
    run(a, acc, strlen(acc), 0, &l);
    cr_assert_eq(l.n, 1);
    cr_expect_eq(l.t[0].len, 64);
    tok_list_free(&l);

    /* Parts fit but the solid form would not: parts only. */
    char p40[41];
    memset(p40, 'c', 40);
    p40[40] = '\0';
    snprintf(text, sizeof text, "%s-%s z", p40, p40);
    run(a, text, strlen(text), 0, &l);
    cr_assert_eq(l.n, 3);
    cr_expect_eq(l.t[0].flags, PS_TOK_PART);
    cr_expect_eq(l.t[1].flags, PS_TOK_PART);
    cr_expect_eq(l.t[1].n_parts, 2);
    cr_expect_str_eq(l.t[2].term, "z");
    cr_expect_eq(l.t[2].pos, 2);
    tok_list_free(&l);

    /* Thousands of combining marks on one letter: too long to fold, no crash. */
    size_t big = 2 + 2 * 5000;
    char *marks = malloc(big);
    cr_assert(marks);
    marks[0] = 'q';
    for (size_t i = 0; i < 5000; i++)
        memcpy(marks + 1 + 2 * i, "\xCC\x81", 2);
    marks[big - 1] = 'r';
    run(a, marks, big, 0, &l);
    cr_expect_eq(l.n, 0);
    tok_list_free(&l);
    free(marks);
    ps_analyzer_free(a);
}

/* ------------------------------------------------------------ offsets */

Test(analyze_offsets, map_back_to_text) {
    ps_analyzer *a = new_analyzer();
    const char *text = "\u00C9pidural \u2014 X-ray \u65E5\u672C na\u00EFve\u2019s L4\u2013L5.";
    static const struct {
        const char *term, *raw;
    } want[] = {
        {"epidural", "\u00C9pidural"}, {"x", "X"},
        {"ray", "ray"},                {"xray", "X-ray"},
        {"\u65E5\u672C", "\u65E5\u672C"}, {"naive's", "na\u00EFve\u2019s"},
        {"l4", "L4"},                  {"l5", "L5"},
        {"l4l5", "L4\u2013L5"},
    };
    tok_list l;
    run(a, text, strlen(text), 0, &l);
    cr_assert_eq(l.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < l.n; i++) {
        cr_expect_str_eq(l.t[i].term, want[i].term);
        size_t rl = strlen(want[i].raw);
        cr_expect_eq(l.t[i].end - l.t[i].start, rl, "token %zu", i);
        cr_expect(memcmp(text + l.t[i].start, want[i].raw, rl) == 0, "token %zu at %zu", i,
                  l.t[i].start);
    }
    tok_list_free(&l);
    ps_analyzer_free(a);
}

/* ------------------------------------------------------------ positions */

Test(analyze_positions, first_pos_and_next_pos) {
    ps_analyzer *a = new_analyzer();
    tok_list l;
    uint32_t next = 0;
    ps_err err = {{0}};
    tok_list_init(&l);
    cr_assert_eq(ps_analyze(a, "a b-c", 5, 100, collect, &l, &next, &err), 0);
    char got[256];
    render(&l, got, sizeof got);
    cr_expect_str_eq(got, "a/100 b/101p2 c/102p2 bc/101j2");
    cr_expect_eq(next, 103);
    tok_list_free(&l);

    /* The next section continues the numbering. */
    tok_list_init(&l);
    cr_assert_eq(ps_analyze(a, "d", 1, next, collect, &l, &next, &err), 0);
    cr_expect_eq(l.t[0].pos, 103);
    cr_expect_eq(next, 104);
    tok_list_free(&l);

    /* Nothing to index: next_pos is first_pos. */
    next = 0;
    cr_assert_eq(ps_analyze(a, "-- !", 4, 7, count_cb, &(size_t){0}, &next, &err), 0);
    cr_expect_eq(next, 7);
    cr_assert_eq(ps_analyze(a, NULL, 0, 9, count_cb, &(size_t){0}, &next, &err), 0);
    cr_expect_eq(next, 9);
    cr_assert_eq(ps_analyze(a, "x", 1, 0, count_cb, &(size_t){0}, NULL, &err), 0);
    ps_analyzer_free(a);
}

typedef struct {
    size_t stop_after;
    tok_list l;
} stopper;

static int stop_cb(const ps_token *t, void *ctx) {
    stopper *s = ctx;
    collect(t, &s->l);
    return s->l.n >= s->stop_after;
}

Test(analyze_positions, early_stop) {
    ps_analyzer *a = new_analyzer();
    ps_err err = {{0}};
    const char *text = "alpha beta X-ray gamma";
    static const struct {
        size_t after;
        uint32_t next;
    } cases[] = {{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 4}, {6, 5}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        stopper s = {cases[i].after, {0}};
        tok_list_init(&s.l);
        uint32_t next = 0;
        int r = ps_analyze(a, text, strlen(text), 0, stop_cb, &s, &next, &err);
        cr_expect_eq(r, 1, "stop after %zu", cases[i].after);
        cr_expect_eq(s.l.n, cases[i].after);
        cr_expect_eq(next, cases[i].next, "stop after %zu: next %u", cases[i].after, next);
        tok_list_free(&s.l);
    }
    /* Not stopping: 0. */
    stopper s = {100, {0}};
    tok_list_init(&s.l);
    cr_expect_eq(ps_analyze(a, text, strlen(text), 0, stop_cb, &s, NULL, &err), 0);
    cr_expect_eq(s.l.n, 6);
    tok_list_free(&s.l);
    ps_analyzer_free(a);
}

Test(analyze_positions, bad_arguments) {
    ps_analyzer *a = new_analyzer();
    ps_err err = {{0}};
    cr_expect_eq(ps_analyze(a, "x", 1, 0, NULL, NULL, NULL, &err), -1);
    cr_expect(strstr(err.msg, "callback") != NULL, "%s", err.msg);
    cr_expect_eq(ps_analyze(a, NULL, 3, 0, count_cb, &(size_t){0}, NULL, &err), -1);
    cr_expect_eq(ps_analyze(NULL, "x", 1, 0, count_cb, &(size_t){0}, NULL, NULL), -1);
    ps_analyzer_free(a);
    ps_analyzer_free(NULL);
}

/* ------------------------------------------------------------ robustness */

static const tok_case utf8_cases[] = {
    {"ab\xFF" "cd", "ab/0 cd/1"},
    {"ab\xC3", "ab/0"},
    {"\xE2\x80", ""},
    {"x\xE2\x80y", "x/0 y/1"},
    {"a\xC0\xAF" "b", "a/0 b/1"},             /* overlong '/' is not a joiner */
    {"a\xED\xA0\x80" "b", "a/0 b/1"},         /* surrogate */
    {"a\xF4\x90\x80\x80" "b", "a/0 b/1"},     /* past U+10FFFF */
    {"\x80\x80x\xBF", "x/0"},                 /* stray continuation bytes */
    {"x\xFF-ray", "x/0 ray/1"},               /* a bad byte breaks the compound */
    {"caf\xC3\xA9\xFF\xC3\xA9t\xC3\xA9", "cafe/0 ete/1"},
    {"a\0b", "a/0 b/1"},
};

Test(analyze_robust, invalid_utf8) {
    ps_analyzer *a = new_analyzer();
    for (size_t i = 0; i < sizeof utf8_cases / sizeof utf8_cases[0]; i++) {
        const char *t = utf8_cases[i].text;
        size_t n = i + 1 == sizeof utf8_cases / sizeof utf8_cases[0] ? 3 : strlen(t);
        /* An exact-size heap copy lets ASan see any read past the end. */
        char *copy = malloc(n ? n : 1);
        cr_assert(copy);
        memcpy(copy, t, n);
        tok_list l;
        run(a, copy, n, 0, &l);
        char got[512];
        render(&l, got, sizeof got);
        cr_expect_str_eq(got, utf8_cases[i].want, "case %zu", i);
        check_invariants(&l, copy, n, 0);
        tok_list_free(&l);
        expect_paths_agree(a, copy, n, "invalid utf-8 case");
        free(copy);
    }
    ps_analyzer_free(a);
}

Test(analyze_robust, random_bytes) {
    ps_analyzer *a = new_analyzer();
    uint64_t seed = 0x9E3779B97F4A7C15u;
    for (int round = 0; round < 3000; round++) {
        size_t n = (size_t)(rng(&seed) % 300);
        char *buf = malloc(n ? n : 1);
        cr_assert(buf);
        for (size_t i = 0; i < n; i++) {
            /* Half the rounds skew towards bytes that make near-valid UTF-8. */
            uint64_t r = rng(&seed);
            static const char skew[] = "aZ9-/: \xC3\xA9\xE2\x80\x93\xF0\x9F\x98\x80\xCC\x81";
            buf[i] = round % 2 ? (char)r : skew[r % (sizeof skew - 1)];
        }
        for (int mode = 0; mode < 2; mode++) {
            ps_analyzer_set_icu_only(a, mode);
            tok_list l;
            run(a, buf, n, 5, &l);
            check_invariants(&l, buf, n, 5);
            tok_list_free(&l);
        }
        ps_analyzer_set_icu_only(a, 0);
        free(buf);
    }
    ps_analyzer_free(a);
}

/* ------------------------------------------------------------ fast path */

/* The ASCII scanner must give exactly what ICU gives: the whole dev corpus,
 * and random text over the characters that matter to UAX #29. */
Test(analyze_paths, corpus_pages_agree) {
    ps_analyzer *a = new_analyzer();
    corpus c;
    load_corpus(&c);
    cr_assert_gt(c.n, 100, "expected the dev pages under %s", c.dir);
    for (size_t i = 0; i < c.n; i++)
        expect_paths_agree(a, c.text[i], c.len[i], c.name[i]);
    corpus_free(&c);
    ps_analyzer_free(a);
}

Test(analyze_paths, random_text_agrees) {
    static const char *const pieces[] = {
        "a", "Z", "q", "7", "0", "_", "@", ".", "'", ",", ";", ":", "-", "/", " ", "  ",
        "\t", "\n", "\r\n", "!", "#", "(", "\u00E9", "\u0301", "\u2019", "\u2018", "\u2013",
        "\u2014", "\u200D", "\u00AD", "\u00A0", "\U0001F600", "\u65E5", "\u30C6", "\u0661",
        "\u2022", "\u2215", "\uFF1A", "\u00B7", "\u02BC", "\uFF0D", "\u3000", "\u05D0",
        "\"", "\u00B2",
    };
    const size_t np = sizeof pieces / sizeof pieces[0];
    ps_analyzer *a = new_analyzer();
    uint64_t seed = 12345;
    char buf[512];
    for (int round = 0; round < 20000; round++) {
        size_t n = 0, want = 1 + (size_t)(rng(&seed) % 24);
        /* Mostly ASCII word material, as in real text. */
        for (size_t k = 0; k < want; k++) {
            uint64_t r = rng(&seed);
            const char *p = pieces[r % 4 == 0 ? (r >> 8) % np : (r >> 8) % 22];
            size_t pl = strlen(p);
            memcpy(buf + n, p, pl);
            n += pl;
        }
        expect_paths_agree(a, buf, n, "random text");
    }
    ps_analyzer_free(a);
}

/* ------------------------------------------------------------ stopwords */

Test(analyze_stopwords, table_is_sorted_and_found) {
    size_t n = ps_stopword_count();
    cr_assert_gt(n, 100);
    for (size_t i = 0; i < n; i++) {
        const char *w = ps_stopword_at(i);
        if (i > 0)
            cr_expect_lt(strcmp(ps_stopword_at(i - 1), w), 0, "%s before %s",
                         ps_stopword_at(i - 1), w);
        cr_expect(ps_is_stopword(w, strlen(w)), "%s", w);
    }
    cr_expect_null(ps_stopword_at(n));
}

Test(analyze_stopwords, choices) {
    static const char *const yes[] = {"the", "of", "and", "a", "an", "in", "to", "with",
                                      "is", "are", "was", "it's", "i", "yourselves", "during"};
    static const char *const no[] = {"no",     "not",    "nor",   "without", "after",
                                     "before", "above",  "below", "up",      "down",
                                     "don't",  "can't",  "cannot", "x",      "",
                                     "thee",   "theirs'", "zzz",  "pain",    "The"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        cr_expect(ps_is_stopword(yes[i], strlen(yes[i])), "%s", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        cr_expect(!ps_is_stopword(no[i], strlen(no[i])), "%s", no[i]);
    /* Length, not NUL, bounds the term. */
    cr_expect(ps_is_stopword("there's", 5));
    cr_expect(!ps_is_stopword("the", 2));
}

/* ------------------------------------------------------------ stemming */

Test(analyze_stem, table) {
    static const struct {
        const char *term, *stem;
    } cases[] = {
        {"injections", "inject"},     {"injection", "inject"},     {"biopsies", "biopsi"},
        {"biopsy", "biopsi"},         {"patient's", "patient"},    {"running", "run"},
        {"procedures", "procedur"},   {"xray", "xray"},            {"x", "x"},
        {"anesthesia", "anesthesia"},
        /* Medical families joined after Snowball (indexer/conflate.h). */
        {"discography", "discogram"}, {"discograms", "discogram"}, {"angiographic", "angiogram"},
        {"echographie", "echogram"},  {"endoscopy", "endoscop"},   {"endoscopic", "endoscop"},
        {"graph", "graph"},           {"scopi", "scopi"},
        /* Terms with a digit are returned unchanged. */
        {"l4", "l4"},                 {"2.5", "2.5"},              {"l4l5", "l4l5"},
        {"24hours", "24hours"},       {"1,000", "1,000"},
    };
    ps_analyzer *a = new_analyzer();
    for (int pass = 0; pass < 2; pass++) { /* the second pass is served by the cache */
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            char out[PS_TERM_MAX + 1];
            size_t n = ps_stem(a, cases[i].term, strlen(cases[i].term), out, sizeof out);
            cr_expect_str_eq(out, cases[i].stem, "stem of %s (pass %d)", cases[i].term, pass);
            cr_expect_eq(n, strlen(cases[i].stem));
        }
    }
    ps_analyzer_free(a);
}

Test(analyze_stem, capacity) {
    ps_analyzer *a = new_analyzer();
    char out[16];
    cr_expect_eq(ps_stem(a, "injections", 10, out, 7), 6);
    cr_expect_str_eq(out, "inject");
    /* "inject" and its NUL need 7 bytes: 6 is too few, from Xapian or the cache. */
    cr_expect_eq(ps_stem(a, "injections", 10, out, 6), 0);
    ps_analyzer_set_stem_cache(a, 0);
    cr_expect_eq(ps_stem(a, "injections", 10, out, 6), 0);
    cr_expect_eq(ps_stem(a, "l4l5", 4, out, 4), 0);
    cr_expect_eq(ps_stem(a, "l4l5", 4, out, 5), 4);
    cr_expect_eq(ps_stem(a, "x", 1, out, 0), 0);
    cr_expect_eq(ps_stem(a, "", 0, out, sizeof out), 0);
    cr_expect_str_eq(out, "");
    /* Length, not NUL, bounds the term. */
    cr_expect_eq(ps_stem(a, "injections!!", 10, out, sizeof out), 6);
    cr_expect_str_eq(out, "inject");
    /* Far longer than any folded term still works. */
    char big[1000];
    memset(big, 'a', sizeof big - 4);
    memcpy(big + sizeof big - 4, "ing", 4);
    char bout[1100];
    size_t n = ps_stem(a, big, strlen(big), bout, sizeof bout);
    cr_expect(n > 0 && n <= strlen(big) && strlen(bout) == n);
    ps_analyzer_free(a);
}

typedef struct {
    ps_analyzer *a;
    size_t n, cap;
    char (*terms)[PS_TERM_MAX + 1];
} term_bag;

static int bag_cb(const ps_token *t, void *ctx) {
    term_bag *b = ctx;
    if (b->n == b->cap) { /* doubling: growing by one is quadratic under ASan */
        b->cap = b->cap ? 2 * b->cap : 1024;
        b->terms = realloc(b->terms, b->cap * sizeof *b->terms);
        cr_assert(b->terms);
    }
    memcpy(b->terms[b->n++], t->term, t->len + 1);
    return 0;
}

/* The cache must never change a stem, whatever collides in it. */
Test(analyze_stem, cache_is_transparent) {
    ps_analyzer *a = new_analyzer();
    corpus c;
    load_corpus(&c);
    term_bag b = {a, 0, 0, NULL};
    ps_err err = {{0}};
    for (size_t i = 0; i < c.n; i++)
        cr_assert_eq(ps_analyze(a, c.text[i], c.len[i], 0, bag_cb, &b, NULL, &err), 0, "%s",
                     err.msg);
    cr_assert_gt(b.n, 10000);
    char (*plain)[PS_TERM_MAX + 1] = malloc(b.n * sizeof *plain);
    cr_assert(plain);
    ps_analyzer_set_stem_cache(a, 0);
    for (size_t i = 0; i < b.n; i++)
        ps_stem(a, b.terms[i], strlen(b.terms[i]), plain[i], sizeof plain[i]);
    ps_analyzer_set_stem_cache(a, 1);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < b.n; i++) {
            char out[PS_TERM_MAX + 1];
            ps_stem(a, b.terms[i], strlen(b.terms[i]), out, sizeof out);
            if (strcmp(out, plain[i]) != 0)
                cr_assert_str_eq(out, plain[i], "stem of %s", b.terms[i]);
        }
    free(plain);
    free(b.terms);
    corpus_free(&c);
    ps_analyzer_free(a);
}

/* Far more words than the cache holds, revisited in random order, so that
 * sets overflow and ways are evicted and promoted all the time. */
Test(analyze_stem, cache_under_eviction) {
    enum { N = 60000 };
    static const char *const ends[] = {"", "s", "ing", "ed", "ies", "ation", "ness", "ly"};
    ps_analyzer *a = new_analyzer();
    char (*word)[40] = malloc(N * sizeof *word);
    char (*plain)[40] = malloc(N * sizeof *plain);
    cr_assert(word && plain);
    uint64_t seed = 99;
    ps_analyzer_set_stem_cache(a, 0);
    for (size_t i = 0; i < N; i++) {
        size_t n = 2 + (size_t)(rng(&seed) % 12);
        for (size_t k = 0; k < n; k++)
            word[i][k] = (char)('a' + rng(&seed) % 26);
        word[i][n] = '\0';
        strcat(word[i], ends[rng(&seed) % 8]);
        ps_stem(a, word[i], strlen(word[i]), plain[i], sizeof plain[i]);
    }
    ps_analyzer_set_stem_cache(a, 1);
    for (size_t r = 0; r < 4 * N; r++) {
        /* Skewed towards low indexes, as word frequencies are. */
        uint64_t x = rng(&seed);
        size_t i = (size_t)(x % (x & 1 ? 300 : N));
        char out[40];
        ps_stem(a, word[i], strlen(word[i]), out, sizeof out);
        if (strcmp(out, plain[i]) != 0)
            cr_assert_str_eq(out, plain[i], "stem of %s", word[i]);
    }
    free(word);
    free(plain);
    ps_analyzer_free(a);
}

/* ------------------------------------------------------------ throughput */

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct {
    ps_analyzer *a;
    int stem;
    size_t tokens;
} perf_ctx;

static int perf_cb(const ps_token *t, void *ctx) {
    perf_ctx *p = ctx;
    p->tokens++;
    if (p->stem) {
        char out[PS_TERM_MAX + 1];
        ps_stem(p->a, t->term, t->len, out, sizeof out);
    }
    return 0;
}

/* Prints, never asserts on time: machines differ, sanitizers crawl. */
Test(analyze_perf, throughput) {
    ps_analyzer *a = new_analyzer();
    corpus c;
    load_corpus(&c);
    static const struct {
        const char *name;
        int icu_only, stem, cache;
    } modes[] = {
        {"analyze (ASCII fast path)", 0, 0, 1},
        {"analyze (ICU only)", 1, 0, 1},
        {"analyze + stem every token (cache)", 0, 1, 1},
        {"analyze + stem every token (no cache)", 0, 1, 0},
    };
    ps_err err = {{0}};
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        ps_analyzer_set_icu_only(a, modes[m].icu_only);
        ps_analyzer_set_stem_cache(a, modes[m].cache);
        perf_ctx p = {a, modes[m].stem, 0};
        size_t reps = 0;
        double t0 = now_s(), dt;
        do {
            for (size_t i = 0; i < c.n; i++)
                cr_assert_eq(ps_analyze(a, c.text[i], c.len[i], 0, perf_cb, &p, NULL, &err), 0);
            reps++;
            dt = now_s() - t0;
        } while (dt < 0.3);
        fprintf(stderr, "analyze_perf: %-40s %8.1f MB/s  %6.2f Mtokens/s  (%zu pages x %zu)\n",
                modes[m].name, (double)(c.bytes * reps) / dt / 1e6,
                (double)p.tokens / dt / 1e6, c.n, reps);
    }
    corpus_free(&c);
    ps_analyzer_free(a);
}
