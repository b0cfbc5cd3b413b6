#include "query/results_json.h"

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

json_t *ps_suggestions_json(const ps_suggestions *s) {
    json_t *completions = json_array(), *results = json_array();
    if (!completions || !results)
        goto fail;
    for (size_t i = 0; i < s->n_completions; i++)
        if (json_array_append_new(completions, json_string(s->completions[i])) < 0)
            goto fail;
    for (size_t i = 0; i < s->n_hits; i++) {
        const ps_suggest_hit *h = &s->hits[i];
        json_t *hit = json_pack("{s:s, s:s, s:o, s:f}", "id", h->id, "descriptor", h->descriptor,
                                "name", str_or_null(h->name), "score", h->score);
        if (!hit || json_array_append_new(results, hit) < 0)
            goto fail;
    }
    return json_pack("{s:s, s:o, s:o, s:o, s:f, s:o}", "query", s->query ? s->query : "",
                     "prefix", str_or_null(s->prefix), "completions", completions,
                     "did_you_mean", str_or_null(s->did_you_mean), "took_ms", s->took_ms,
                     "results", results);
fail:
    json_decref(completions);
    json_decref(results);
    return NULL;
}
