/*
 * gen_render.c - writing a generated page out: in the text format, with
 * the formatting quirks of the real page whose layout it took, or as one
 * JSON Lines record in the structured form.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "corpus/gen.h"
#include "corpus/rng.h"

/* Trailing spaces are drawn from a stream of their own, so that the text
 * and JSON forms of a page share every content draw. */
#define RENDER_STREAM 0x7E3D1F00A5ULL

typedef struct writer {
    ps_strbuf *out;
    const ps_gen_layout *L;
    ps_rng r;
    const char *nl;
    size_t nl_len;
    int failed;
} writer;

static void put(writer *w, const char *s, size_t n) {
    if (!w->failed && ps_strbuf_append(w->out, s, n) != 0)
        w->failed = 1;
}

static void puts_(writer *w, const char *s) {
    put(w, s, strlen(s));
}

static void end_line(writer *w) {
    if (w->L->trail > 0 && ps_rng_chance(&w->r, w->L->trail))
        put(w, "  ", ps_rng_chance(&w->r, 0.3) ? 2 : 1);
    put(w, w->nl, w->nl_len);
}

static void blank(writer *w) {
    if (w->L->blank)
        put(w, w->nl, w->nl_len);
}

static void line(writer *w, const char *s, size_t n) {
    put(w, s, n);
    end_line(w);
}

static void indent(writer *w, size_t n) {
    static const char spaces[] = "        ";
    put(w, spaces, n < sizeof spaces - 1 ? n : sizeof spaces - 1);
}

static void head(writer *w, const ps_gen_page *pg) {
    const ps_gen_layout *L = w->L;
    if (L->chrome_top) {
        line(w, "Search all medical codes", 24);
        blank(w);
    }
    line(w, ps_gen_page_str(pg, pg->descriptor), pg->descriptor.len);
    blank(w);
    if (pg->code_system) {
        puts_(w, pg->code_system);
        line(w, " code", 5);
        blank(w);
    }
    if (L->name_inline) {
        puts_(w, "Name of the Procedure: ");
    } else {
        line(w, "Name of the Procedure:", 22);
        blank(w);
    }
    line(w, ps_gen_page_str(pg, pg->name), pg->name.len);
    blank(w);
    if (pg->n_common == 0)
        return;
    puts_(w, "Common Name(s): ");
    for (size_t i = 0; i < pg->n_common; i++) {
        const ps_gen_span *s = &pg->lines[pg->first_common + i];
        if (i > 0)
            put(w, ", ", 2);
        put(w, ps_gen_page_str(pg, *s), s->len);
    }
    end_line(w);
    blank(w);
}

static void section(writer *w, const ps_gen_page *pg, const ps_gen_sec *sec) {
    const ps_gen_layout *L = w->L;
    line(w, sec->title, strlen(sec->title));
    blank(w);
    size_t step = 0;
    for (size_t i = 0; i < sec->n; i++) {
        const ps_gen_span *s = &pg->lines[sec->first + i];
        if (s->mark == PS_GEN_ITEM) {
            indent(w, L->bullet_indent);
            puts_(w, pg->bullet);
            put(w, " ", 1);
        } else if (s->mark == PS_GEN_STEP) {
            char num[16];
            int k = snprintf(num, sizeof num, "%zu%c ", ++step, L->step_punct);
            indent(w, L->step_indent);
            put(w, num, (size_t)k);
        }
        if (s->mark != PS_GEN_STEP)
            step = 0;
        line(w, ps_gen_page_str(pg, *s), s->len);
        /* Blank-line pages keep a list's items together. */
        int listed = s->mark != PS_GEN_PLAIN;
        if (i + 1 == sec->n || !listed || pg->lines[sec->first + i + 1].mark == PS_GEN_PLAIN)
            blank(w);
    }
}

static void tail(writer *w, const ps_gen_page *pg) {
    for (size_t i = 0; i < w->L->n_tail; i++) {
        switch (w->L->tail[i]) {
        case PS_GEN_CH_POLICIES:
            puts_(w, "Medical Policies and Guidelines for ");
            line(w, ps_gen_page_str(pg, pg->descriptor), pg->descriptor.len);
            break;
        case PS_GEN_CH_RELATED: line(w, "Related policies from health plans", 34); break;
        default: line(w, "Similar Codes", 13); break;
        }
        blank(w);
    }
}

int ps_gen_render_text(const ps_gen_page *pg, ps_strbuf *out) {
    writer w = {.out = out, .L = pg->layout};
    w.nl = w.L->crlf ? "\r\n" : "\n";
    w.nl_len = strlen(w.nl);
    ps_rng_seed(&w.r, pg->seed ^ RENDER_STREAM, pg->index);
    size_t start = out->len;
    head(&w, pg);
    for (size_t i = 0; i < pg->n_secs; i++)
        section(&w, pg, &pg->secs[i]);
    tail(&w, pg);
    if (w.failed)
        return -1;
    /* Like the real files: one final line break, or none at all. */
    while (out->len > start && (out->data[out->len - 1] == '\n' || out->data[out->len - 1] == '\r'))
        out->len--;
    out->data[out->len] = '\0';
    if (w.L->final_newline)
        put(&w, w.nl, w.nl_len);
    return w.failed ? -1 : 0;
}

/* ---- JSON Lines -------------------------------------------------------- */

static json_t *span_string(const ps_gen_page *pg, ps_gen_span s) {
    return json_stringn(ps_gen_page_str(pg, s), s.len);
}

static json_t *section_object(const ps_gen_page *pg, const ps_gen_sec *sec, ps_strbuf *text) {
    ps_strbuf_clear(text);
    for (size_t i = 0; i < sec->n; i++) {
        const ps_gen_span *s = &pg->lines[sec->first + i];
        if ((i > 0 && ps_strbuf_putc(text, '\n') != 0) ||
            ps_strbuf_append(text, ps_gen_page_str(pg, *s), s->len) != 0)
            return NULL;
    }
    return json_pack("{s:s, s:s#}", "title", sec->title, "text", text->data ? text->data : "",
                     text->len);
}

static json_t *page_object(const ps_gen_page *pg, ps_strbuf *text) {
    json_t *obj = json_object(), *names = json_array(), *secs = json_array();
    int rc = obj && names && secs ? 0 : -1;
    if (rc == 0)
        rc = json_object_set_new(obj, "id", json_string(pg->id)) |
             json_object_set_new(obj, "descriptor", span_string(pg, pg->descriptor)) |
             json_object_set_new(obj, "code_system",
                                 pg->code_system ? json_string(pg->code_system) : json_null()) |
             json_object_set_new(obj, "name", span_string(pg, pg->name));
    for (size_t i = 0; rc == 0 && i < pg->n_common; i++)
        rc = json_array_append_new(names, span_string(pg, pg->lines[pg->first_common + i]));
    for (size_t i = 0; rc == 0 && i < pg->n_secs; i++) {
        json_t *sec = section_object(pg, &pg->secs[i], text);
        rc = sec ? json_array_append_new(secs, sec) : -1;
    }
    if (rc == 0)
        rc = json_object_set(obj, "common_names", names) | json_object_set(obj, "sections", secs);
    json_decref(names);
    json_decref(secs);
    if (rc != 0) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

int ps_gen_render_jsonl(const ps_gen_page *pg, ps_strbuf *out) {
    ps_strbuf text = PS_STRBUF_INIT;
    json_t *obj = page_object(pg, &text);
    ps_strbuf_free(&text);
    if (!obj)
        return -1;
    char *s = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    if (!s)
        return -1;
    int rc = ps_strbuf_append(out, s, strlen(s)) != 0 || ps_strbuf_putc(out, '\n') != 0 ? -1 : 0;
    free(s);
    return rc;
}
