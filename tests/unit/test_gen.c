/*
 * The synthetic corpus: output is a pure function of the seed, every page
 * reads back through both parsers as the same page, the real pages'
 * formatting quirks show up, section lengths and the vocabulary behave like
 * real text (Heaps' law growth, Zipf slope), and queries come out in the
 * queries.tsv format with every type.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "common/text.h"
#include "corpus/gen.h"
#include "corpus/page.h"
#include "tests/support/testenv.h"

static ps_gen_model *model;

static void learn(void) {
    char *dir = t_path("corpus/dev/docs");
    ps_err err = {{0}};
    cr_assert_not_null(dir);
    cr_assert_eq(ps_gen_model_learn(dir, &model, &err), 0, "%s", err.msg);
    free(dir);
}

static void unlearn(void) {
    ps_gen_model_free(model);
    model = NULL;
}

/* Page i of seed, rendered in one format into out (cleared first). */
static void render(uint64_t seed, size_t i, ps_gen_format f, ps_gen_page *pg, ps_strbuf *out) {
    ps_err err = {{0}};
    cr_assert_eq(ps_gen_page_make(model, seed, i, pg, &err), 0, "%s", err.msg);
    ps_strbuf_clear(out);
    int rc = f == PS_GEN_TXT ? ps_gen_render_text(pg, out) : ps_gen_render_jsonl(pg, out);
    cr_assert_eq(rc, 0);
}

static ps_page *parse_text(const ps_gen_page *pg, const ps_strbuf *text) {
    ps_page *page = NULL;
    ps_err err = {{0}};
    cr_assert_eq(ps_page_parse(pg->id, pg->id, text->data, text->len, &page, &err), 0,
                 "%s does not parse: %s", pg->id, err.msg);
    return page;
}

static ps_page *parse_jsonl(const ps_gen_page *pg, const ps_strbuf *rec) {
    ps_page *page = NULL;
    ps_err err = {{0}};
    cr_assert(rec->len > 1 && rec->data[rec->len - 1] == '\n', "%s: record without newline",
              pg->id);
    cr_assert_eq(ps_page_parse_jsonl(pg->id, 1, rec->data, rec->len - 1, &page, &err), 0,
                 "%s does not parse as JSON Lines: %s", pg->id, err.msg);
    return page;
}

static char *read_whole(const char *path, size_t *len) {
    char *buf = NULL;
    ps_err err = {{0}};
    cr_assert_eq(ps_file_read(path, 0, &buf, len, &err), 0, "%s", err.msg);
    return buf;
}

/* ---- Determinism -------------------------------------------------------- */

static void write_corpus(const char *dir, uint64_t seed, size_t pages, ps_gen_format f) {
    ps_gen_opts o = {.pages = pages, .seed = seed, .out_dir = dir, .format = f};
    ps_gen_report rep;
    ps_err err = {{0}};
    cr_assert_eq(ps_gen_write(model, &o, &rep, &err), 0, "%s", err.msg);
    cr_assert_eq(rep.pages, pages);
    cr_assert(rep.bytes > pages * 1000, "only %llu bytes for %zu pages",
              (unsigned long long)rep.bytes, pages);
}

/* Whether the files at rel under two folders have the same bytes. */
static int same_file(const char *a, const char *b, const char *rel) {
    char pa[1024], pb[1024];
    snprintf(pa, sizeof pa, "%s/%s", a, rel);
    snprintf(pb, sizeof pb, "%s/%s", b, rel);
    size_t la, lb;
    char *x = read_whole(pa, &la), *y = read_whole(pb, &lb);
    int same = la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

Test(gen_determinism, same_seed_same_bytes_text, .init = learn, .fini = unlearn) {
    char *a = t_tmpdir("gen-a"), *b = t_tmpdir("gen-b"), *c = t_tmpdir("gen-c");
    write_corpus(a, 42, 60, PS_GEN_TXT);
    write_corpus(b, 42, 60, PS_GEN_TXT);
    write_corpus(c, 43, 60, PS_GEN_TXT);
    size_t differ = 0;
    for (size_t i = 0; i < 60; i++) {
        char rel[64], rel_c[64];
        snprintf(rel, sizeof rel, "000/gen-42-%07zu.txt", i);
        snprintf(rel_c, sizeof rel_c, "000/gen-43-%07zu.txt", i);
        cr_expect(same_file(a, b, rel), "%s differs between two runs with seed 42", rel);
        char pa[1024], pc[1024];
        snprintf(pa, sizeof pa, "%s/%s", a, rel);
        snprintf(pc, sizeof pc, "%s/%s", c, rel_c);
        size_t la, lc;
        char *x = read_whole(pa, &la), *y = read_whole(pc, &lc);
        differ += la != lc || memcmp(x, y, la) != 0;
        free(x);
        free(y);
    }
    cr_expect_eq(differ, 60, "only %zu of 60 pages differ between seeds 42 and 43", differ);
    t_rmtree(a);
    t_rmtree(b);
    t_rmtree(c);
    free(a);
    free(b);
    free(c);
}

Test(gen_determinism, same_seed_same_bytes_jsonl, .init = learn, .fini = unlearn) {
    char *a = t_tmpdir("gen-a"), *b = t_tmpdir("gen-b"), *c = t_tmpdir("gen-c");
    write_corpus(a, 7, 80, PS_GEN_JSONL);
    write_corpus(b, 7, 80, PS_GEN_JSONL);
    write_corpus(c, 8, 80, PS_GEN_JSONL);
    cr_expect(same_file(a, b, "pages-000.jsonl"), "JSON Lines differ between two runs");
    cr_expect(!same_file(a, c, "pages-000.jsonl"), "seeds 7 and 8 give the same JSON Lines");
    t_rmtree(a);
    t_rmtree(b);
    t_rmtree(c);
    free(a);
    free(b);
    free(c);
}

/* Page n does not depend on the pages made before it, so any page can be
 * regenerated alone (the query writer does) and a larger N extends a
 * smaller one. */
Test(gen_determinism, page_is_a_function_of_seed_and_index, .init = learn, .fini = unlearn) {
    ps_gen_page pg = PS_GEN_PAGE_INIT;
    ps_strbuf first = PS_STRBUF_INIT, again = PS_STRBUF_INIT;
    render(5, 17, PS_GEN_TXT, &pg, &first);
    for (size_t i = 0; i < 30; i++)
        render(5, i, PS_GEN_TXT, &pg, &again);
    render(5, 17, PS_GEN_TXT, &pg, &again);
    cr_expect(first.len == again.len && memcmp(first.data, again.data, first.len) == 0,
              "page 17 changes with the pages made before it");
    ps_strbuf_free(&first);
    ps_strbuf_free(&again);
    ps_gen_page_free(&pg);
}

/* ---- Format ------------------------------------------------------------- */

static int contains(const char *s, size_t len, const char *needle) {
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (s[i] == needle[0] && memcmp(s + i, needle, n) == 0)
            return 1;
    return 0;
}

static int has_line_starting(const char *s, size_t len, const char *prefix) {
    size_t n = strlen(prefix);
    for (size_t i = 0; i + n <= len; i++)
        if ((i == 0 || s[i - 1] == '\n') && memcmp(s + i, prefix, n) == 0)
            return 1;
    return 0;
}

static int has_marked_line(const char *s, size_t len, const char *glyph) {
    char pre[16];
    for (int indent = 0; indent <= 4; indent++) {
        snprintf(pre, sizeof pre, "%*s%s ", indent, "", glyph);
        if (has_line_starting(s, len, pre))
            return 1;
    }
    return 0;
}

static int has_trailing_space(const char *s, size_t len) {
    for (size_t i = 1; i < len; i++)
        if ((s[i] == '\n' || s[i] == '\r') && s[i - 1] == ' ')
            return 1;
    return 0;
}

typedef struct quirks {
    size_t crlf, blank, dash, dot, star, numbered, trailing, inline_name, top, similar, policies,
        no_final_newline, other;
} quirks;

static void count_quirks(const ps_strbuf *t, const ps_page *page, quirks *q) {
    const char *s = t->data;
    size_t n = t->len;
    q->crlf += contains(s, n, "\r\n");
    q->blank += contains(s, n, "\n\n") || contains(s, n, "\n\r\n");
    q->dash += has_marked_line(s, n, "-");
    q->dot += has_marked_line(s, n, "\xE2\x80\xA2");
    q->star += has_marked_line(s, n, "*");
    q->numbered += has_marked_line(s, n, "1.") || has_marked_line(s, n, "1)");
    q->trailing += has_trailing_space(s, n);
    q->inline_name += has_line_starting(s, n, "Name of the Procedure: ");
    q->top += has_line_starting(s, n, "Search all medical codes");
    q->similar += contains(s, n, "Similar Codes");
    q->policies += contains(s, n, "Medical Policies and Guidelines for ");
    q->no_final_newline += n > 0 && s[n - 1] != '\n';
    for (size_t i = 0; i < page->n_sections; i++)
        q->other += page->sections[i].key == PS_SEC_OTHER;
}

static void expect_same_page(const ps_page *a, const ps_page *b, const char *id) {
    cr_expect_str_eq(a->descriptor, b->descriptor, "%s: descriptor", id);
    cr_expect_str_eq(a->name ? a->name : "", b->name ? b->name : "", "%s: name", id);
    cr_expect_str_eq(a->code_system ? a->code_system : "", b->code_system ? b->code_system : "",
                     "%s: code system", id);
    cr_expect_eq(a->n_common_names, b->n_common_names, "%s: common names", id);
    for (size_t i = 0; i < a->n_common_names && i < b->n_common_names; i++)
        cr_expect_str_eq(a->common_names[i], b->common_names[i], "%s: common name %zu", id, i);
    cr_expect_eq(a->n_sections, b->n_sections, "%s: %zu sections as text, %zu as JSON", id,
                 a->n_sections, b->n_sections);
    for (size_t i = 0; i < a->n_sections && i < b->n_sections; i++) {
        cr_expect_eq(a->sections[i].key, b->sections[i].key, "%s: section %zu key", id, i);
        cr_expect_str_eq(a->sections[i].title, b->sections[i].title, "%s: section %zu", id, i);
        cr_expect_str_eq(a->sections[i].text, b->sections[i].text, "%s: section %s text", id,
                         a->sections[i].title);
    }
}

Test(gen_format, pages_parse_in_both_formats_alike, .init = learn, .fini = unlearn) {
    ps_gen_page pg = PS_GEN_PAGE_INIT;
    ps_strbuf text = PS_STRBUF_INIT, rec = PS_STRBUF_INIT;
    quirks q = {0};
    const size_t pages = 300;
    for (size_t i = 0; i < pages; i++) {
        render(11, i, PS_GEN_TXT, &pg, &text);
        render(11, i, PS_GEN_JSONL, &pg, &rec);
        ps_page *a = parse_text(&pg, &text), *b = parse_jsonl(&pg, &rec);
        cr_expect_str_eq(a->id, pg.id);
        cr_expect_str_eq(b->id, pg.id);
        cr_expect(a->descriptor && *a->descriptor, "%s: no descriptor", pg.id);
        cr_expect(a->name && *a->name, "%s: no name", pg.id);
        cr_expect_geq(a->n_sections, 10, "%s: %zu sections", pg.id, a->n_sections);
        expect_same_page(a, b, pg.id);
        count_quirks(&text, a, &q);
        ps_page_free(a);
        ps_page_free(b);
    }
    /* Each quirk of the real pages shows up, and none takes over. */
    size_t seen[] = {q.crlf, q.blank, q.dash, q.dot, q.star, q.numbered, q.trailing,
                     q.inline_name, q.top, q.similar, q.policies, q.no_final_newline, q.other};
    const char *what[] = {"CRLF", "blank lines", "- bullets", "• bullets", "* bullets",
                          "numbered steps", "trailing spaces", "name on its label's line",
                          "leading chrome", "Similar Codes", "Medical Policies chrome",
                          "no final newline", "extra sections (Coding Notes)"};
    for (size_t k = 0; k < sizeof seen / sizeof seen[0]; k++)
        cr_expect(seen[k] > 0, "no page of %zu has %s", pages, what[k]);
    cr_expect(q.crlf < pages / 2, "%zu of %zu pages use CRLF", q.crlf, pages);
    ps_strbuf_free(&text);
    ps_strbuf_free(&rec);
    ps_gen_page_free(&pg);
}

Test(gen_format, jsonl_files_hold_every_page, .init = learn, .fini = unlearn) {
    char *dir = t_tmpdir("gen-jsonl");
    write_corpus(dir, 3, 300, PS_GEN_JSONL);
    char path[1024];
    snprintf(path, sizeof path, "%s/pages-000.jsonl", dir);
    size_t len;
    char *buf = read_whole(path, &len);
    size_t n = 0, pos = 0;
    while (pos < len) {
        char *nl = memchr(buf + pos, '\n', len - pos);
        cr_assert_not_null(nl, "record %zu has no newline", n + 1);
        ps_page *page = NULL;
        ps_err err = {{0}};
        cr_assert_eq(ps_page_parse_jsonl(path, n + 1, buf + pos, (size_t)(nl - buf) - pos, &page,
                                         &err),
                     0, "%s", err.msg);
        char id[64];
        ps_gen_page_id(3, n, id, sizeof id);
        cr_expect_str_eq(page->id, id);
        cr_expect_geq(page->n_sections, 10, "%s: %zu sections", id, page->n_sections);
        cr_expect_not_null(page->name, "%s: no name", id);
        ps_page_free(page);
        n++;
        pos = (size_t)(nl - buf) + 1;
    }
    cr_expect_eq(n, 300, "%zu records", n);
    free(buf);
    t_rmtree(dir);
    free(dir);
}

/* ---- Statistics against the real pages ------------------------------- */

/* A set of words with counts: open addressing, grows. */
typedef struct wordset {
    char **w;
    size_t *count;
    size_t cap, n;
} wordset;

static uint64_t hash(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static void ws_add(wordset *s, const char *w, size_t n);

static void ws_grow(wordset *s) {
    size_t cap = s->cap ? s->cap * 2 : 4096;
    wordset big = {calloc(cap, sizeof(char *)), calloc(cap, sizeof(size_t)), cap, 0};
    cr_assert(big.w && big.count);
    for (size_t i = 0; i < s->cap; i++)
        if (s->w[i]) {
            for (size_t c = 0; c < s->count[i]; c++)
                ws_add(&big, s->w[i], strlen(s->w[i]));
            free(s->w[i]);
        }
    free(s->w);
    free(s->count);
    *s = big;
}

static void ws_add(wordset *s, const char *w, size_t n) {
    if ((s->n + 1) * 2 > s->cap)
        ws_grow(s);
    size_t i = (size_t)hash(w, n) & (s->cap - 1);
    while (s->w[i] && !(strlen(s->w[i]) == n && memcmp(s->w[i], w, n) == 0))
        i = (i + 1) & (s->cap - 1);
    if (!s->w[i]) {
        s->w[i] = strndup(w, n);
        cr_assert_not_null(s->w[i]);
        s->n++;
    }
    s->count[i]++;
}

static void ws_free(wordset *s) {
    for (size_t i = 0; i < s->cap; i++)
        free(s->w[i]);
    free(s->w);
    free(s->count);
}

/* Every run of ASCII letters, lower-cased. */
static void add_words(wordset *s, const char *text) {
    char buf[128];
    for (const char *p = text; *p;) {
        size_t n = 0;
        while (((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')) {
            if (n < sizeof buf)
                buf[n++] = (char)(*p | 0x20);
            p++;
        }
        if (n > 0 && n < sizeof buf)
            ws_add(s, buf, n);
        if (n == 0)
            p++;
    }
}

static void add_page_words(wordset *s, const ps_page *page) {
    add_words(s, page->descriptor);
    if (page->name)
        add_words(s, page->name);
    for (size_t i = 0; i < page->n_common_names; i++)
        add_words(s, page->common_names[i]);
    for (size_t i = 0; i < page->n_sections; i++)
        add_words(s, page->sections[i].text);
}

static size_t words_in(const char *text) {
    size_t n = 0;
    int in = 0;
    for (const char *p = text; *p; p++) {
        int sp = *p == ' ' || *p == '\n';
        n += !sp && !in;
        in = !sp;
    }
    return n;
}

/* Average words per page in each standard section over the real pages,
 * and the real vocabulary. */
static void real_stats(double *avg, wordset *vocab) {
    char *dir = t_path("corpus/dev/docs");
    double sum[PS_SEC_COUNT] = {0};
    size_t pages = 0;
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t nl = strlen(e->d_name);
        if (nl < 5 || strcmp(e->d_name + nl - 4, ".txt") != 0)
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        char *buf = read_whole(path, &len);
        ps_page *page = NULL;
        ps_err err = {{0}};
        cr_assert_eq(ps_page_parse("real", path, buf, len, &page, &err), 0, "%s", err.msg);
        for (size_t i = 0; i < page->n_sections; i++)
            sum[page->sections[i].key] += (double)words_in(page->sections[i].text);
        if (vocab)
            add_page_words(vocab, page);
        ps_page_free(page);
        free(buf);
        pages++;
    }
    closedir(d);
    free(dir);
    cr_assert(pages > 100, "only %zu real pages", pages);
    for (int k = 0; k < PS_SEC_COUNT; k++)
        avg[k] = sum[k] / (double)pages;
}

Test(gen_stats, section_lengths_follow_the_real_pages, .init = learn, .fini = unlearn) {
    double real[PS_SEC_COUNT], gen[PS_SEC_COUNT] = {0};
    real_stats(real, NULL);
    ps_gen_page pg = PS_GEN_PAGE_INIT;
    ps_strbuf text = PS_STRBUF_INIT;
    const size_t pages = 400;
    for (size_t i = 0; i < pages; i++) {
        render(21, i, PS_GEN_TXT, &pg, &text);
        ps_page *page = parse_text(&pg, &text);
        for (size_t s = 0; s < page->n_sections; s++)
            gen[page->sections[s].key] += (double)words_in(page->sections[s].text);
        ps_page_free(page);
    }
    for (int k = 0; k < PS_SEC_OTHER; k++) {
        gen[k] /= (double)pages;
        cr_log_info("%-12s %6.1f words generated, %6.1f real",
                    ps_section_key_name((ps_section_key)k), gen[k], real[k]);
        cr_expect(gen[k] > real[k] * 0.75 && gen[k] < real[k] * 1.33,
                  "%s: %.1f words per page generated, %.1f in the real pages",
                  ps_section_key_name((ps_section_key)k), gen[k], real[k]);
    }
    ps_strbuf_free(&text);
    ps_gen_page_free(&pg);
}

/* Distinct words after 200 and after 2000 pages, and the counts. */
static void gen_vocab(size_t *at200, wordset *all) {
    ps_gen_page pg = PS_GEN_PAGE_INIT;
    ps_strbuf text = PS_STRBUF_INIT;
    for (size_t i = 0; i < 2000; i++) {
        render(99, i, PS_GEN_TXT, &pg, &text);
        ps_page *page = parse_text(&pg, &text);
        add_page_words(all, page);
        ps_page_free(page);
        if (i + 1 == 200)
            *at200 = all->n;
    }
    ps_strbuf_free(&text);
    ps_gen_page_free(&pg);
}

Test(gen_stats, vocabulary_keeps_growing, .init = learn, .fini = unlearn) {
    double avg[PS_SEC_COUNT];
    wordset real = {0}, gen = {0};
    real_stats(avg, &real);
    size_t at200 = 0;
    gen_vocab(&at200, &gen);
    /* Heaps' law with beta about 0.5 gives about 3x for 10x the pages; a
     * vocabulary copied from the real pages would stay near theirs. */
    cr_log_info("distinct words: %zu real (149 pages), %zu at 200 pages, %zu at 2000", real.n,
                at200, gen.n);
    cr_expect(gen.n > at200 * 2, "%zu distinct words at 2000 pages, %zu at 200", gen.n, at200);
    cr_expect(gen.n > real.n * 3, "%zu distinct words at 2000 pages, %zu in the %s", gen.n,
              real.n, "real pages");
    ws_free(&real);
    ws_free(&gen);
}

static int by_count_desc(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x < y) - (x > y);
}

/* Least-squares slope of log(frequency) on log(rank), at ranks spaced
 * evenly in log scale (so the long tail does not outvote the head) and
 * down to frequency 2 (words seen once are a flat plateau, not a slope). */
static double zipf_slope(const wordset *s) {
    size_t *f = malloc(s->n * sizeof *f), n = 0;
    cr_assert_not_null(f);
    for (size_t i = 0; i < s->cap; i++)
        if (s->w[i])
            f[n++] = s->count[i];
    qsort(f, n, sizeof *f, by_count_desc);
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    size_t k = 0;
    for (double r = 1; (size_t)r <= n && f[(size_t)r - 1] >= 2;
         r = r * 1.25 > r + 1 ? r * 1.25 : r + 1) {
        double x = log(r), y = log((double)f[(size_t)r - 1]);
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
        k++;
    }
    free(f);
    cr_assert(k > 10, "too few ranks to fit (%zu)", k);
    return ((double)k * sxy - sx * sy) / ((double)k * sxx - sx * sx);
}

Test(gen_stats, word_frequencies_are_zipfian, .init = learn, .fini = unlearn) {
    wordset gen = {0};
    size_t at200 = 0;
    gen_vocab(&at200, &gen);
    double slope = zipf_slope(&gen);
    cr_log_info("rank-frequency slope over 2000 pages: %.3f", slope);
    cr_expect(slope > -1.3 && slope < -0.7, "rank-frequency slope %.3f", slope);
    ws_free(&gen);
}

/* ---- Queries ------------------------------------------------------------ */

static const char *const qtypes[] = {"short", "medium", "phrase", "section",
                                     "prefix", "question", "typo"};
#define N_QTYPES (sizeof qtypes / sizeof qtypes[0])

static size_t count_query_words(const char *q, size_t n) {
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += q[i] != ' ' && (i == 0 || q[i - 1] == ' ');
    return w;
}

static void check_query(size_t type, const char *q, size_t n, const char *line) {
    size_t words = count_query_words(q, n);
    cr_expect(n > 0, "empty query: %s", line);
    switch (type) {
    case 0: cr_expect(words >= 1 && words <= 2, "short: %s", line); break;
    case 1: cr_expect(words >= 3 && words <= 5, "medium: %s", line); break;
    case 2: cr_expect(n > 2 && q[0] == '"' && q[n - 1] == '"', "phrase: %s", line); break;
    case 3: {
        const char *colon = memchr(q, ':', n);
        cr_expect_not_null(colon, "section: %s", line);
        if (colon) {
            const char *key = colon;
            while (key > q && key[-1] != ' ')
                key--;
            char name[32];
            snprintf(name, sizeof name, "%.*s", (int)(colon - key), key);
            cr_expect(ps_section_key_from_name(name) >= 0, "section: unknown '%s' in %s", name,
                      line);
            cr_expect(colon + 1 < q + n && colon[1] != ' ', "section: no word in %s", line);
        }
        break;
    }
    case 4: cr_expect(q[n - 1] == '*' && n > 4, "prefix: %s", line); break;
    case 5: cr_expect(words >= 8 && words <= 15, "question: %zu words: %s", words, line); break;
    default: cr_expect(words >= 1 && words <= 3, "typo: %s", line); break;
    }
}

Test(gen_queries, tsv_with_every_type, .init = learn, .fini = unlearn) {
    ps_strbuf out = PS_STRBUF_INIT, again = PS_STRBUF_INIT, other = PS_STRBUF_INIT;
    ps_err err = {{0}};
    const size_t nq = 700;
    cr_assert_eq(ps_gen_queries(model, 3, 300, nq, &out, &err), 0, "%s", err.msg);
    cr_assert_eq(ps_gen_queries(model, 3, 300, nq, &again, &err), 0, "%s", err.msg);
    cr_assert_eq(ps_gen_queries(model, 4, 300, nq, &other, &err), 0, "%s", err.msg);
    cr_expect(out.len == again.len && memcmp(out.data, again.data, out.len) == 0,
              "the same seed gives other queries");
    cr_expect(out.len != other.len || memcmp(out.data, other.data, out.len) != 0,
              "seeds 3 and 4 give the same queries");
    size_t seen[N_QTYPES] = {0}, lines = 0;
    for (char *line = out.data, *nl; line < out.data + out.len; line = nl + 1) {
        nl = memchr(line, '\n', (size_t)(out.data + out.len - line));
        cr_assert_not_null(nl, "last line without newline");
        *nl = '\0';
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        cr_assert(t1 && t2 && !strchr(t2 + 1, '\t'), "not 3 tab-separated fields: %s", line);
        char qid[64];
        snprintf(qid, sizeof qid, "gen-3-q%07zu", lines);
        size_t qid_len = (size_t)(t1 - line);
        cr_expect(strlen(qid) == qid_len && strncmp(line, qid, qid_len) == 0,
                  "qid of line %zu: %s", lines, line);
        size_t type = N_QTYPES;
        for (size_t k = 0; k < N_QTYPES; k++)
            if (strlen(qtypes[k]) == (size_t)(t2 - t1 - 1) &&
                !memcmp(t1 + 1, qtypes[k], strlen(qtypes[k])))
                type = k;
        cr_assert(type < N_QTYPES, "unknown type: %s", line);
        seen[type]++;
        check_query(type, t2 + 1, strlen(t2 + 1), t2 + 1);
        lines++;
    }
    cr_expect_eq(lines, nq);
    for (size_t k = 0; k < N_QTYPES; k++)
        cr_expect(seen[k] >= nq / 50, "only %zu %s queries of %zu", seen[k], qtypes[k], nq);
    ps_strbuf_free(&out);
    ps_strbuf_free(&again);
    ps_strbuf_free(&other);
}

/* ---- Errors ------------------------------------------------------------- */

Test(gen_errors, model_folder_problems_are_named) {
    ps_gen_model *m = NULL;
    ps_err err = {{0}};
    cr_expect_eq(ps_gen_model_learn("/nonexistent/gen-model", &m, &err), -1);
    cr_expect(strstr(err.msg, "/nonexistent/gen-model") != NULL, "%s", err.msg);
    char *dir = t_tmpdir("gen-model");
    cr_expect_eq(ps_gen_model_learn(dir, &m, &err), -1);
    cr_expect(strstr(err.msg, "no .txt pages") != NULL, "%s", err.msg);
    char path[1024];
    snprintf(path, sizeof path, "%s/broken.txt", dir);
    cr_assert_eq(t_write(path, "bad\0page", 8), 0);
    cr_expect_eq(ps_gen_model_learn(dir, &m, &err), -1);
    cr_expect(strstr(err.msg, "broken.txt") != NULL, "%s", err.msg);
    cr_expect_null(m);
    t_rmtree(dir);
    free(dir);
}

Test(gen_errors, command_line_checks_its_options) {
    char *err_out = NULL;
    cr_expect_eq(t_run("gen --seed 1 --out /tmp/x", NULL, &err_out), 2);
    cr_expect(err_out && strstr(err_out, "--pages"), "%s", err_out);
    free(err_out);
    cr_expect_eq(t_run("gen --pages 5 --seed 1 --out /tmp/x --format xml", NULL, &err_out), 2);
    cr_expect(err_out && strstr(err_out, "--format"), "%s", err_out);
    free(err_out);
    cr_expect_eq(t_run("gen --pages 5 --seed 1 --out /tmp/x --queries q.tsv", NULL, &err_out), 2);
    cr_expect(err_out && strstr(err_out, "--n-queries"), "%s", err_out);
    free(err_out);
    cr_expect_eq(t_run("gen --pages x --seed 1 --out /tmp/x", NULL, &err_out), 2);
    cr_expect(err_out && strstr(err_out, "--pages"), "%s", err_out);
    free(err_out);
}

Test(gen_errors, command_line_writes_pages_and_queries) {
    char *dir = t_tmpdir("gen-cli"), *docs = t_path("corpus/dev/docs");
    char args[4096], *err_out = NULL;
    snprintf(args, sizeof args,
             "gen --pages 25 --seed 9 --format jsonl --model '%s' --out '%s/c' --queries "
             "'%s/q.tsv' --n-queries 12",
             docs, dir, dir);
    cr_assert_eq(t_run(args, NULL, &err_out), 0, "%s", err_out);
    free(err_out);
    char path[2048];
    size_t len;
    snprintf(path, sizeof path, "%s/c/pages-000.jsonl", dir);
    char *buf = read_whole(path, &len);
    size_t records = 0;
    for (size_t i = 0; i < len; i++)
        records += buf[i] == '\n';
    cr_expect_eq(records, 25);
    free(buf);
    snprintf(path, sizeof path, "%s/q.tsv", dir);
    buf = read_whole(path, &len);
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    cr_expect_eq(lines, 12);
    free(buf);
    t_rmtree(dir);
    free(dir);
    free(docs);
}
