#include "query/results_json.h"

#include <stdio.h>
#include <string.h>

/* Code points in s[0..n): what JavaScript's Array.from counts. */
static size_t codepoints(const char *s, size_t n) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

json_t *ps_snippet_json(const ps_snippet *s) {
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

json_t *ps_results_json(const ps_results *r) {
    json_t *results = json_array();
    if (!results)
        return NULL;
    for (size_t i = 0; i < r->n_hits; i++) {
        const ps_hit *h = &r->hits[i];
        json_t *hit = json_pack("{s:I, s:s, s:s, s:o, s:f, s:o}", "rank",
                                (json_int_t)r->offset + (json_int_t)i + 1, "id", h->id, "descriptor",
                                h->descriptor, "name", str_or_null(h->name), "score", h->score,
                                "snippet", ps_snippet_json(&h->snippet));
        if (!hit || json_array_append_new(results, hit) < 0) {
            json_decref(results);
            return NULL;
        }
    }
    return json_pack("{s:s, s:I, s:I, s:o, s:f, s:o}", "query", r->query ? r->query : "",
                     "total", (json_int_t)r->total, "offset", (json_int_t)r->offset,
                     "did_you_mean", str_or_null(r->did_you_mean), "took_ms", r->took_ms,
                     "results", results);
}

int ps_json_print(json_t *j, FILE *f, int pretty) {
    if (!j)
        return -1;
    size_t flags = JSON_PRESERVE_ORDER | (pretty ? JSON_INDENT(2) : JSON_COMPACT);
    if (json_dumpf(j, f, flags) < 0 || fputc('\n', f) == EOF)
        return -1;
    return 0;
}
