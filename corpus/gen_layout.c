/*
 * gen_layout.c - what a real page looks like on the wire: its formatting
 * (line breaks, blank lines, list marks, trailing spaces, chrome) and the
 * shape and text of each body section.
 *
 * The parsed page says where each section starts (ps_section.line); the raw
 * lines in between are read again here, because parsing drops exactly what
 * the generator has to reproduce: list marks, blank lines and spacing.
 */
#include <string.h>

#include "common/text.h"
#include "corpus/gen_learn.h"

typedef struct rawline {
    const char *s; /* trimmed */
    size_t len;
    size_t no;     /* 1-based, counted as the parser counts */
    size_t indent; /* leading spaces and tabs */
    int trailing;  /* whitespace before the line break */
} rawline;

static int raw_next(const char *buf, size_t len, size_t *pos, size_t *no, rawline *ln) {
    if (*pos >= len)
        return 0;
    size_t next;
    const char *s = buf + *pos;
    size_t n = ps_text_line(s, len - *pos, &next);
    ln->no = (*no)++;
    ln->indent = 0;
    while (ln->indent < n && (s[ln->indent] == ' ' || s[ln->indent] == '\t'))
        ln->indent++;
    ln->trailing = n > 0 && ps_text_space_len_back(s, n) > 0;
    *pos += next;
    ps_text_trim(&s, &n);
    ln->s = s;
    ln->len = n;
    return 1;
}

enum { CH_TOP = PS_GEN_CH_SIMILAR + 1 };

/* Which page chrome a whole line is, or -1. */
static int chrome_kind(const char *s, size_t n) {
    static const char policies[] = "Medical Policies and Guidelines for";
    if (n >= sizeof policies - 1 && memcmp(s, policies, sizeof policies - 1) == 0)
        return PS_GEN_CH_POLICIES;
    if (ps_text_is_phrase(s, n, "related policies from health plans"))
        return PS_GEN_CH_RELATED;
    if (ps_text_is_phrase(s, n, "similar codes"))
        return PS_GEN_CH_SIMILAR;
    if (ps_text_is_phrase(s, n, "search all medical codes"))
        return CH_TOP;
    return -1;
}

static int label(ps_gen_learner *b, const char *s, uint32_t *off) {
    uint32_t id;
    int added;
    if (ps_gen_set_intern(&b->labels, &b->m->chars, s, strlen(s), &id, &added) != 0)
        return ps_err_set(b->err, "%s: out of memory while learning the model", b->origin);
    *off = b->labels.item[id].off;
    return 0;
}

static int is_digit(char c) {
    return c >= '0' && c <= '9';
}

/* The first bullet glyph and step numbering style the page uses. */
static void note_mark(ps_gen_layout *L, const rawline *ln, size_t mark) {
    const char *s = ln->s;
    uint8_t indent = (uint8_t)(ln->indent < 8 ? ln->indent : 8);
    if (is_digit(s[0]) || s[0] == '(') {
        size_t i = 0;
        while (i < mark && is_digit(s[i]))
            i++;
        if (!L->step_punct && i > 0 && i < mark && (s[i] == '.' || s[i] == ')')) {
            L->step_punct = s[i];
            L->step_indent = indent;
        }
        return;
    }
    if (L->bullet[0])
        return;
    size_t g = mark;
    while (g > 0 && ps_text_space_len_back(s, g) > 0)
        g -= ps_text_space_len_back(s, g);
    if (g > 0 && g < sizeof L->bullet) {
        memcpy(L->bullet, s, g);
        L->bullet[g] = '\0';
        L->bullet_indent = indent;
    }
}

/* One body section being read: its line shapes. */
typedef struct section_scan {
    ps_gen_line_shape lines[256];
    size_t n;
    int kind;
} section_scan;

static int body_line(ps_gen_learner *b, ps_gen_layout *L, section_scan *sec, const rawline *ln) {
    size_t mark = ps_text_list_mark_len(ln->s, ln->len);
    uint8_t kind = PS_GEN_PLAIN;
    if (mark > 0) {
        note_mark(L, ln, mark);
        kind = (is_digit(ln->s[0]) || ln->s[0] == '(') ? PS_GEN_STEP : PS_GEN_ITEM;
    }
    const char *s = ln->s;
    size_t n = ln->len, words;
    ps_text_strip_list_marks(&s, &n);
    if (ps_gen_learn_line(b, sec->kind, s, n, &words) != 0)
        return -1;
    if (words > 0 && sec->n < sizeof sec->lines / sizeof sec->lines[0])
        sec->lines[sec->n++] = (ps_gen_line_shape){(uint16_t)(words > 999 ? 999 : words), kind};
    return 0;
}

static int close_section(ps_gen_learner *b, section_scan *sec) {
    int rc = 0;
    if (sec->kind >= 0 && sec->n > 0)
        rc = ps_gen_learn_shape(b, sec->kind, sec->lines, sec->n);
    sec->n = 0;
    return rc;
}

/* The heading block: only whether the name shares its label's line. */
static void head_line(ps_gen_layout *L, const rawline *ln) {
    static const char name_label[] = "name of the procedure";
    if (!ps_text_starts_with_ci(ln->s, ln->len, name_label))
        return;
    const char *colon = memchr(ln->s, ':', ln->len);
    if (!colon)
        return;
    const char *rest = colon + 1;
    size_t n = ln->len - (size_t)(rest - ln->s);
    ps_text_trim(&rest, &n);
    L->name_inline = n > 0;
}

static int scan(ps_gen_learner *b, const ps_page *pg, const char *raw, size_t len,
                ps_gen_layout *L) {
    section_scan sec = {.kind = -1};
    size_t pos = 0, no = 1, content = 0, trail = 0, next_sec = 0;
    int blank_pending = 0;
    rawline ln;
    while (raw_next(raw, len, &pos, &no, &ln)) {
        if (ln.len == 0) {
            blank_pending = content > 0;
            continue;
        }
        L->blank |= blank_pending;
        blank_pending = 0;
        content++;
        trail += ln.trailing != 0;
        int ch = chrome_kind(ln.s, ln.len);
        if (ch == CH_TOP && content == 1)
            L->chrome_top = 1;
        if (ch >= 0) {
            if (ch != CH_TOP && sec.kind >= 0 && L->n_tail < PS_GEN_MAX_TAIL)
                L->tail[L->n_tail++] = (uint8_t)ch;
            continue;
        }
        if (next_sec < pg->n_sections && ln.no >= pg->sections[next_sec].line) {
            if (close_section(b, &sec) != 0)
                return -1;
            sec.kind = (int)pg->sections[next_sec++].key;
            /* The header line itself carries no body in real pages. */
            if (ln.no == pg->sections[next_sec - 1].line)
                continue;
        }
        if (sec.kind < 0)
            head_line(L, &ln);
        else if (body_line(b, L, &sec, &ln) != 0)
            return -1;
    }
    L->trail = content ? (float)trail / (float)content : 0.0f;
    return close_section(b, &sec);
}

int ps_gen_learn_layout(ps_gen_learner *b, const ps_page *pg, const char *raw, size_t len) {
    ps_gen_layout L = {.code_system = PS_GEN_NONE};
    L.crlf = memchr(raw, '\r', len) != NULL;
    L.final_newline = len > 0 && (raw[len - 1] == '\n' || raw[len - 1] == '\r');
    L.has_common = pg->n_common_names > 0;
    if (pg->code_system && label(b, pg->code_system, &L.code_system) != 0)
        return -1;
    for (size_t i = 0; i < pg->n_sections && L.n_secs < PS_GEN_MAX_SECS; i++) {
        L.sec_key[L.n_secs] = (uint8_t)pg->sections[i].key;
        if (label(b, pg->sections[i].title, &L.sec_title[L.n_secs]) != 0)
            return -1;
        L.n_secs++;
    }
    if (scan(b, pg, raw, len, &L) != 0)
        return -1;
    ps_gen_model *m = b->m;
    ps_gen_layout *all = ps_gen_grow(m->layouts, &b->cap_layouts, m->n_layouts + 1, sizeof *all);
    if (!all)
        return ps_err_set(b->err, "%s: out of memory while learning the model", b->origin);
    m->layouts = all;
    m->layouts[m->n_layouts++] = L;
    return 0;
}
