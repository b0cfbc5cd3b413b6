#include "corpus/page_export.h"

#include <jansson.h>
#include <string.h>

static int set_str(json_t *obj, const char *key, const char *val) {
    if (!val)
        return 0;
    return json_object_set_new(obj, key, json_string(val));
}

json_t *ps_page_json(const ps_page *page) {
    json_t *obj = json_object();
    json_t *names = json_array();
    json_t *sections = json_array();
    if (!obj || !names || !sections)
        goto fail;
    int rc = set_str(obj, "id", page->id) | set_str(obj, "descriptor", page->descriptor) |
             set_str(obj, "code_system", page->code_system) | set_str(obj, "name", page->name);
    for (size_t i = 0; i < page->n_common_names; i++)
        rc |= json_array_append_new(names, json_string(page->common_names[i]));
    for (size_t i = 0; i < page->n_sections; i++) {
        const ps_section *s = &page->sections[i];
        json_t *sec = json_pack("{s:s, s:s, s:s}", "key", ps_section_key_name(s->key), "title",
                                s->title ? s->title : "", "text", s->text ? s->text : "");
        rc |= sec ? json_array_append_new(sections, sec) : -1;
    }
    rc |= json_object_set(obj, "common_names", names);
    rc |= json_object_set(obj, "sections", sections);
    json_decref(names);
    json_decref(sections);
    if (rc != 0) {
        json_decref(obj);
        return NULL;
    }
    return obj;
fail:
    json_decref(obj);
    json_decref(names);
    json_decref(sections);
    return NULL;
}

char *ps_page_to_jsonl(const ps_page *page, size_t *len) {
    json_t *obj = ps_page_json(page);
    if (!obj)
        return NULL;
    char *out = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(obj);
    if (out && len)
        *len = strlen(out);
    return out;
}
