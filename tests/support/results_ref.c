#include "tests/support/results_ref.h"

#include <jansson.h>

/* Code points in s[0..n): what JavaScript's Array.from counts. */
static size_t codepoints(const char *s, size_t n) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *snippet(const ps_snippet *s) {
    if (!s->section)
        return json_null();
    json_t *hl = json_array();
    for (size_t i = 0; hl && i < s->n_highlights; i++) {
        size_t a = codepoints(s->text, s->highlights[i].start);
        size_t b = a + codepoints(s->text + s->highlights[i].start,
                                  s->highlights[i].end - s->highlights[i].start);
        json_array_append_new(hl, json_pack("[I, I]", (json_int_t)a, (json_int_t)b));
    }
    return json_pack("{s:s, s:s, s:s, s:o*}", "section", s->section, "key",
                     s->section_key ? s->section_key : "", "text", s->text ? s->text : "",
                     "highlights", hl);
}

char *t_results_jansson(const ps_results *r, int escape_slash) {
    json_t *results = json_array();
    for (size_t i = 0; results && i < r->n_hits; i++) {
        const ps_hit *h = &r->hits[i];
        json_t *hit = json_pack("{s:I, s:s, s:s, s:o, s:f, s:o}", "rank",
                                (json_int_t)r->offset + (json_int_t)i + 1, "id", h->id,
                                "descriptor", h->descriptor, "name", str_or_null(h->name), "score",
                                h->score, "snippet", snippet(&h->snippet));
        if (!hit || json_array_append_new(results, hit) < 0) {
            json_decref(results);
            return NULL;
        }
    }
    json_t *j = results ? json_pack("{s:s, s:I, s:I, s:o, s:f, s:o}", "query",
                                    r->query ? r->query : "", "total", (json_int_t)r->total,
                                    "offset", (json_int_t)r->offset, "did_you_mean",
                                    str_or_null(r->did_you_mean), "took_ms", r->took_ms,
                                    "results", results)
                        : NULL;
    size_t flags = JSON_COMPACT | JSON_PRESERVE_ORDER | (escape_slash ? JSON_ESCAPE_SLASH : 0);
    char *text = j ? json_dumps(j, flags) : NULL;
    json_decref(j);
    return text;
}
