/*
 * page_parse.c - the text page format.
 *
 * A page reads top to bottom in three parts:
 *   1. the descriptor: the first line that is not page chrome;
 *   2. the heading block, up to the first standard section header: the
 *      "<system> code" line, "Name of the Procedure:" and "Common Name(s):";
 *   3. the sections, each from its header to the next one.
 * The reader hands out one content line at a time (blank lines and chrome
 * skipped) with a one-line lookahead, which is all the decisions need, so the
 * parse is one linear pass with no copy of the page.
 */
#include <string.h>

#include "common/strbuf.h"
#include "common/text.h"
#include "common/utf8.h"
#include "corpus/page.h"

/* ---- Page chrome ----------------------------------------------------- */

/* Site navigation that scraping leaves around the content.  A line made of
 * nothing else is dropped whatever its case; glued to real text, a phrase is
 * only recognised in the site's own capitalisation, so that prose such as
 * "Similar codes are reported ..." survives. */
static const char *const chrome_phrases[] = {
    "Search all medical codes",
    "Similar Codes",
    "Related policies from health plans",
};
#define N_CHROME (sizeof chrome_phrases / sizeof chrome_phrases[0])

/* Followed by the descriptor of the page, so it takes the rest of its line.
 * Always matched in the site's capitalisation: in lower case it could start
 * a sentence of real content. */
static const char chrome_policies[] = "Medical Policies and Guidelines for";
#define POLICIES_LEN (sizeof chrome_policies - 1)

static int starts_with(const char *s, size_t len, const char *p, size_t n, int any_case) {
    if (n > len)
        return 0;
    return any_case ? ps_text_starts_with_ci(s, len, p) : memcmp(s, p, n) == 0;
}

static size_t skip_spaces(const char *s, size_t len) {
    size_t i = 0, n;
    while ((n = ps_text_space_len(s + i, len - i)) > 0)
        i += n;
    return i;
}

/* Length of the chain of chrome phrases (whitespace between them allowed)
 * at the start of s; *to_end says whether the chain takes the whole line. */
static size_t chrome_run(const char *s, size_t len, int any_case, int *to_end) {
    size_t end = 0;
    *to_end = 0;
    for (;;) {
        size_t j = end + skip_spaces(s + end, len - end);
        if (j == len) {
            *to_end = end > 0;
            return end;
        }
        if (starts_with(s + j, len - j, chrome_policies, POLICIES_LEN, 0)) {
            *to_end = 1;
            return len;
        }
        size_t n = 0;
        for (size_t k = 0; k < N_CHROME && n == 0; k++)
            if (starts_with(s + j, len - j, chrome_phrases[k], strlen(chrome_phrases[k]), any_case))
                n = strlen(chrome_phrases[k]);
        if (n == 0)
            return end;
        end = j + n;
    }
}

static int is_chrome_line(const char *s, size_t len) {
    int to_end;
    chrome_run(s, len, 1, &to_end);
    return to_end;
}

/* "Similar CodesSearch all medical codesInjection of ...".  Glued means a
 * word follows straight on; "Similar Codes: 1, 2" is left alone. */
static void strip_glued_chrome_head(const char **s, size_t *len) {
    int to_end;
    size_t n = chrome_run(*s, *len, 0, &to_end);
    unsigned char after = n < *len ? (unsigned char)(*s)[n] : 0;
    int word = (after >= 'A' && after <= 'Z') || (after >= 'a' && after <= 'z') ||
               (after >= '0' && after <= '9') || after >= 0x80;
    if (n > 0 && !to_end && word && ps_text_space_len(*s + n, *len - n) == 0) {
        *s += n;
        *len -= n;
    }
}

static size_t phrase_ending_at(const char *s, size_t len) {
    for (size_t k = 0; k < N_CHROME; k++) {
        size_t n = strlen(chrome_phrases[k]);
        if (n <= len && memcmp(s + len - n, chrome_phrases[k], n) == 0)
            return n;
    }
    return 0;
}

/* Offset of the first "Medical Policies and Guidelines for" glued to the
 * text before it, or len.  The needle is a fixed 35 bytes, so this stays
 * linear in len. */
static size_t glued_policies_at(const char *s, size_t len) {
    size_t i = 1;
    while (i + POLICIES_LEN <= len) {
        const char *m = memchr(s + i, chrome_policies[0], len - i - POLICIES_LEN + 1);
        if (!m)
            break;
        i = (size_t)(m - s);
        if (memcmp(m, chrome_policies, POLICIES_LEN) == 0 && ps_text_space_len_back(s, i) == 0)
            return i;
        i++;
    }
    return len;
}

/* "... as needed.Similar Codes", "...procedure.Medical Policies and ...":
 * a page saved without its last line breaks. */
static void strip_glued_chrome_tail(const char *s, size_t *len) {
    *len = glued_policies_at(s, *len);
    size_t start = *len, end = *len;
    for (;;) {
        size_t j = end;
        size_t sp;
        while ((sp = ps_text_space_len_back(s, j)) > 0)
            j -= sp;
        size_t n = phrase_ending_at(s, j);
        if (n == 0)
            break;
        start = end = j - n;
    }
    if (start < *len && start > 0 && ps_text_space_len_back(s, start) == 0)
        *len = start;
}

/* ---- Lines ------------------------------------------------------------ */

typedef enum line_kind {
    L_TEXT,   /* anything else: descriptor, value, body line */
    L_HEADER, /* a standard section header */
    L_NAME,   /* "Name of the Procedure:" */
    L_COMMON, /* "Common Name(s):" */
    L_CODE,   /* "CPT4 code" */
} line_kind;

typedef struct line {
    const char *s; /* trimmed, chrome removed; points into the page */
    size_t len;
    size_t no;    /* 1-based line number */
    int indented; /* the raw line began with whitespace */
    line_kind kind;
    int key;           /* L_HEADER: its section key */
    size_t title_len;  /* L_HEADER: s[0..title_len) is the header as written */
    const char *rest;  /* L_HEADER, L_NAME, L_COMMON: text after the colon;
                          L_CODE: the code system */
    size_t rest_len;
} line;

/* Trailing colons and spaces, in any mix: "Summary :" is titled "Summary". */
static size_t without_trailing_colons(const char *s, size_t len) {
    for (;;) {
        size_t n = ps_text_space_len_back(s, len);
        if (n == 0 && len > 0 && s[len - 1] == ':')
            n = 1;
        if (n == 0)
            return len;
        len -= n;
    }
}

static void set_rest(line *ln, const char *from) {
    ln->rest = from;
    ln->rest_len = ln->len - (size_t)(from - ln->s);
    ps_text_trim(&ln->rest, &ln->rest_len);
}

/* Labels and headers are short; looking for their colon only near the start
 * keeps long body lines O(1) here. */
#define LABEL_SCAN 72

static const char *colon_in_head(const line *ln) {
    return memchr(ln->s, ':', ln->len < LABEL_SCAN ? ln->len : LABEL_SCAN);
}

static int as_header(line *ln) {
    int key = ps_section_key_from_header(ln->s, ln->len);
    if (key >= 0) {
        ln->rest = ln->s + ln->len;
        ln->rest_len = 0;
    } else {
        /* "Duration: About 30 minutes" */
        const char *colon = colon_in_head(ln);
        if (!colon || (key = ps_section_key_from_header(ln->s, (size_t)(colon - ln->s))) < 0)
            return 0;
        set_rest(ln, colon + 1);
    }
    ln->kind = L_HEADER;
    ln->key = key;
    ln->title_len = without_trailing_colons(ln->s, (size_t)(ln->rest - ln->s));
    return 1;
}

static const struct {
    const char *phrase;
    line_kind kind;
} labels[] = {
    {"name of the procedure", L_NAME}, {"procedure name", L_NAME},
    {"common name(s)", L_COMMON},      {"common names", L_COMMON},
    {"common name", L_COMMON},
};

static int as_label(line *ln) {
    const char *colon = colon_in_head(ln);
    size_t head = colon ? (size_t)(colon - ln->s) : ln->len;
    head = without_trailing_colons(ln->s, head);
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        if (ps_text_is_phrase(ln->s, head, labels[i].phrase)) {
            ln->kind = labels[i].kind;
            set_rest(ln, colon ? colon + 1 : ln->s + ln->len);
            return 1;
        }
    }
    return 0;
}

static int is_upper(unsigned char c) {
    return c >= 'A' && c <= 'Z';
}

static int is_digit(unsigned char c) {
    return c >= '0' && c <= '9';
}

static int is_alnum(unsigned char c) {
    return is_upper(c) || is_digit(c) || (c >= 'a' && c <= 'z');
}

/* "CPT4 code", "HCPCS Level II code": one to three words of letters,
 * digits and ".-/" before "code", with a capital or a digit somewhere so
 * that prose ("the code") is not taken for a code system. */
static int as_code(line *ln) {
    const char *s = ln->s;
    size_t len = ln->len;
    if (len < 6 || len > 40 || !ps_text_starts_with_ci(s + len - 4, 4, "code"))
        return 0;
    size_t sys = len - 4;
    if (ps_text_space_len_back(s, sys) == 0)
        return 0;
    while (ps_text_space_len_back(s, sys) > 0)
        sys -= ps_text_space_len_back(s, sys);
    int words = 1, marked = 0;
    for (size_t i = 0; i < sys; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' && i > 0 && s[i - 1] != ' ')
            words++;
        else if (!is_alnum(c) && c != '.' && c != '-' && c != '/' && c != ' ')
            return 0;
        marked |= is_upper(c) || is_digit(c);
    }
    if (sys == 0 || words > 3 || !marked)
        return 0;
    ln->kind = L_CODE;
    ln->rest = s;
    ln->rest_len = sys;
    return 1;
}

static void classify(line *ln) {
    ln->kind = L_TEXT;
    /* A list item is body text even when it reads "- Summary". */
    if (ps_text_list_mark_len(ln->s, ln->len) > 0)
        return;
    if (as_header(ln) || as_label(ln))
        return;
    as_code(ln);
}

/* ---- Reader ----------------------------------------------------------- */

typedef struct reader {
    const char *buf;
    size_t len;
    size_t pos;
    size_t no; /* number of the next raw line */
    line ahead;
    int has_ahead;
} reader;

/* The next content line, or 0 at the end of the page. */
static int fetch(reader *r, line *ln) {
    while (r->pos < r->len) {
        size_t next;
        const char *s = r->buf + r->pos;
        size_t n = ps_text_line(s, r->len - r->pos, &next);
        *ln = (line){.no = r->no++, .indented = ps_text_space_len(s, n) > 0};
        r->pos += next;
        ps_text_trim(&s, &n);
        if (n == 0 || is_chrome_line(s, n))
            continue;
        strip_glued_chrome_head(&s, &n);
        strip_glued_chrome_tail(s, &n);
        ps_text_trim(&s, &n);
        if (n == 0)
            continue;
        ln->s = s;
        ln->len = n;
        classify(ln);
        return 1;
    }
    return 0;
}

static const line *peek(reader *r) {
    if (!r->has_ahead)
        r->has_ahead = fetch(r, &r->ahead);
    return r->has_ahead ? &r->ahead : NULL;
}

static int next(reader *r, line *ln) {
    if (!peek(r))
        return 0;
    *ln = r->ahead;
    r->has_ahead = 0;
    return 1;
}

/* ---- Unknown section headers ------------------------------------------ */

/* Lower-case words a title may contain: "Risks of the Anesthesia". */
static const char *const small_words[] = {
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of",
    "on", "or", "per", "the", "to", "via", "vs", "with", "without",
};

static int title_word(const char *w, size_t n) {
    unsigned char c = (unsigned char)w[0];
    if (is_upper(c) || is_digit(c) || c >= 0x80 || (c && strchr("(&/-", c)))
        return 1;
    for (size_t i = 0; i < sizeof small_words / sizeof small_words[0]; i++)
        if (strlen(small_words[i]) == n && memcmp(w, small_words[i], n) == 0)
            return 1;
    return 0;
}

#define TITLE_MAX_BYTES 48
#define TITLE_MAX_WORDS 6

/* "Coding Notes", "Anesthesia", "Follow-Up Care:": short, starting with a
 * capital, every word capitalised or a small word, ending in a letter, digit
 * or ")" (so no sentence), no colon inside (so no "Common: soreness"), at
 * the left margin (indented lines are continuations or list items). */
static int looks_like_title(const line *ln, size_t *title_len) {
    const char *s = ln->s;
    size_t len = without_trailing_colons(s, ln->len);
    if (ln->kind != L_TEXT || ln->indented || len == 0 || len > TITLE_MAX_BYTES)
        return 0;
    unsigned char last = (unsigned char)s[len - 1];
    if (!is_upper((unsigned char)s[0]) || !(is_alnum(last) || last == ')') || memchr(s, ':', len))
        return 0;
    size_t words = 0, i = 0;
    while (i < len) {
        size_t start = i;
        while (i < len && s[i] != ' ')
            i++;
        if (i > start && (++words > TITLE_MAX_WORDS || !title_word(s + start, i - start)))
            return 0;
        while (i < len && s[i] == ' ')
            i++;
    }
    *title_len = len;
    return 1;
}

/* ---- Parser ----------------------------------------------------------- */

typedef struct parser {
    reader rd;
    ps_page *page;
    const char *origin;
    ps_err *err;
    int open; /* a section is being read into body */
    int key;
    const char *title;
    size_t title_len;
    size_t line;
    ps_strbuf body; /* raw body lines joined by '\n' */
} parser;

static int oom(parser *p) {
    return ps_err_set(p->err, "%s: out of memory", p->origin);
}

static int set_field(parser *p, char **field, const char *s, size_t len) {
    return ps_page_set_field(field, s, len) != 0 ? oom(p) : 0;
}

static int close_section(parser *p) {
    if (!p->open)
        return 0;
    p->open = 0;
    int rc = ps_page_add_section(p->page, (ps_section_key)p->key, p->title, p->title_len,
                                 p->body.data, p->body.len, p->line);
    ps_strbuf_clear(&p->body);
    return rc != 0 ? oom(p) : 0;
}

static int open_section(parser *p, int key, const char *title, size_t title_len, size_t no) {
    if (close_section(p) != 0)
        return -1;
    p->open = 1;
    p->key = key;
    p->title = title;
    p->title_len = title_len;
    p->line = no;
    return 0;
}

/* Lines are kept raw: ps_page_add_section strips the list marks. */
static int add_body_line(parser *p, const char *s, size_t len) {
    if (len == 0)
        return 0;
    if ((p->body.len > 0 && ps_strbuf_putc(&p->body, '\n') != 0) ||
        ps_strbuf_append(&p->body, s, len) != 0)
        return oom(p);
    return 0;
}

static int read_descriptor(parser *p) {
    line ln;
    if (!next(&p->rd, &ln))
        return ps_err_set(p->err, "%s: no descriptor line (nothing but page chrome)", p->origin);
    if (ln.kind != L_TEXT) {
        size_t n = ps_utf8_prefix(ln.s, ln.len, 40);
        return ps_err_set(p->err, "%s: no descriptor line (line %zu starts with \"%.*s\")",
                          p->origin, ln.no, (int)n, ln.s);
    }
    return set_field(p, &p->page->descriptor, ln.s, ln.len);
}

/* The value of a label: after its colon, or else the next line. */
static int label_value(parser *p, const line *label, const char **s, size_t *len) {
    *s = label->rest;
    *len = label->rest_len;
    if (*len > 0)
        return 1;
    const line *nx = peek(&p->rd);
    if (!nx || nx->kind != L_TEXT)
        return 0;
    line v;
    if (!next(&p->rd, &v))
        return 0;
    *s = v.s;
    *len = v.len;
    ps_text_strip_list_marks(s, len);
    return *len > 0;
}

static int read_name(parser *p, const line *label) {
    const char *s;
    size_t len;
    if (!label_value(p, label, &s, &len) || p->page->name)
        return 0;
    return set_field(p, &p->page->name, s, len);
}

/* "Foo (A, B)" is one name: separators inside balanced brackets do not
 * split.  Unbalanced brackets are ignored rather than swallowing the rest of
 * the list. */
static int brackets_balanced(const char *s, size_t len) {
    long depth = 0;
    for (size_t i = 0; i < len && depth >= 0; i++)
        depth += (s[i] == '(' || s[i] == '[') - (s[i] == ')' || s[i] == ']');
    return depth == 0;
}

static int add_names(parser *p, const char *s, size_t len) {
    int nest = brackets_balanced(s, len);
    long depth = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        char c = i < len ? s[i] : ',';
        if (nest)
            depth += (c == '(' || c == '[') - (c == ')' || c == ']');
        if ((c == ',' || c == ';') && (depth == 0 || i == len)) {
            if (ps_page_add_common_name(p->page, s + start, i - start) != 0)
                return oom(p);
            start = i + 1;
        }
    }
    return 0;
}

static int is_list_item(const line *ln) {
    return ln->kind == L_TEXT && ps_text_list_mark_len(ln->s, ln->len) > 0;
}

/* "Common Name(s): a, b" or the label alone followed by the names, either
 * as one comma list or as list items. */
static int read_common_names(parser *p, const line *label) {
    const line *nx = peek(&p->rd);
    if (label->rest_len > 0 || !nx || !is_list_item(nx)) {
        const char *s;
        size_t len;
        return label_value(p, label, &s, &len) ? add_names(p, s, len) : 0;
    }
    line item;
    while ((nx = peek(&p->rd)) != NULL && is_list_item(nx) && next(&p->rd, &item)) {
        ps_text_strip_list_marks(&item.s, &item.len);
        if (add_names(p, item.s, item.len) != 0)
            return -1;
    }
    return 0;
}

static int head_line(parser *p, const line *ln) {
    switch (ln->kind) {
    case L_CODE:
        return p->page->code_system ? 0 : set_field(p, &p->page->code_system, ln->rest, ln->rest_len);
    case L_NAME:
        return read_name(p, ln);
    case L_COMMON:
        return read_common_names(p, ln);
    default:
        /* Stray text before the first section has no field to go to. */
        return 0;
    }
}

static int read_head(parser *p) {
    const line *nx;
    line ln;
    while ((nx = peek(&p->rd)) != NULL && nx->kind != L_HEADER && next(&p->rd, &ln))
        if (head_line(p, &ln) != 0)
            return -1;
    return 0;
}

/* An unknown header needs body text before it in its section (so a title
 * right under a header is that section's first line) and body text after it
 * (so a last short line is not mistaken for one). */
static int starts_other_section(parser *p, const line *ln, size_t *title_len) {
    if (!p->open || p->body.len == 0 || !looks_like_title(ln, title_len))
        return 0;
    const line *nx = peek(&p->rd);
    return nx && nx->kind != L_HEADER;
}

static int body_line(parser *p, const line *ln) {
    size_t title_len;
    if (ln->kind == L_HEADER) {
        if (open_section(p, ln->key, ln->s, ln->title_len, ln->no) != 0)
            return -1;
        return add_body_line(p, ln->rest, ln->rest_len);
    }
    if (starts_other_section(p, ln, &title_len))
        return open_section(p, PS_SEC_OTHER, ln->s, title_len, ln->no);
    return add_body_line(p, ln->s, ln->len);
}

static int read_body(parser *p) {
    line ln;
    while (next(&p->rd, &ln))
        if (body_line(p, &ln) != 0)
            return -1;
    return close_section(p);
}

static int check_page_like(parser *p) {
    const ps_page *pg = p->page;
    if (!pg->name && pg->n_common_names == 0 && pg->n_sections == 0)
        return ps_err_set(p->err, "%s: not a procedure page: no name and no sections", p->origin);
    return 0;
}

/* ---- Entry ------------------------------------------------------------ */

static int check_bytes(const char *origin, const char *buf, size_t len, ps_err *err) {
    if (len > PS_PAGE_MAX_BYTES)
        return ps_err_set(err, "%s: %zu bytes, larger than the %zu-byte limit", origin, len,
                          PS_PAGE_MAX_BYTES);
    const char *nul = memchr(buf, '\0', len);
    if (nul)
        return ps_err_set(err, "%s: binary data (NUL byte at byte %zu)", origin, (size_t)(nul - buf));
    size_t bad = ps_utf8_invalid_at(buf, len);
    if (bad < len)
        return ps_err_set(err, "%s: invalid UTF-8 at byte %zu (line %zu)", origin, bad,
                          ps_text_line_of(buf, len, bad));
    return 0;
}

static int run(parser *p) {
    if (read_descriptor(p) != 0 || read_head(p) != 0 || read_body(p) != 0)
        return -1;
    return check_page_like(p);
}

int ps_page_parse(const char *id, const char *origin, const char *buf, size_t len,
                  ps_page **out, ps_err *err) {
    if (!origin)
        origin = "(page)";
    if (!out)
        return ps_err_set(err, "%s: nowhere to put the page", origin);
    *out = NULL;
    if (!buf) {
        if (len > 0)
            return ps_err_set(err, "%s: no buffer for %zu bytes", origin, len);
        buf = "";
    }
    if (check_bytes(origin, buf, len, err) != 0)
        return -1;
    size_t start = (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    const char *body = buf + start;
    size_t body_len = len - start;
    ps_text_trim(&body, &body_len);
    if (body_len == 0)
        return ps_err_set(err, "%s: empty page", origin);

    parser p = {.rd = {.buf = buf, .len = len, .pos = start, .no = 1},
                .origin = origin,
                .err = err,
                .body = PS_STRBUF_INIT};
    p.page = ps_page_new(id, id ? strlen(id) : 0);
    if (!p.page)
        return oom(&p);
    int rc = run(&p);
    ps_strbuf_free(&p.body);
    if (rc != 0) {
        ps_page_free(p.page);
        return -1;
    }
    *out = p.page;
    return 0;
}
