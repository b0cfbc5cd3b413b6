/*
 * page_jsonl.c - one page per JSON Lines record, either wrapping a text page
 * ("text") or giving the fields directly (the form ps_page_to_jsonl writes).
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/text.h"
#include "corpus/page.h"

/* Names of fields in messages: "\"sections\"[12].title" and the like. */
#define WHAT_MAX 64

typedef struct record {
    const char *origin;
    size_t line_no;
    ps_err *err;
    json_t *root;
    const char *id; /* NUL-terminated, checked to hold no other NUL */
    size_t id_len;
} record;

/* Messages start with "origin:line: ", like a compiler's. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int fail(const record *r, const char *fmt, ...) {
    if (!r->err)
        return -1;
    char msg[PS_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ps_err_set(r->err, "%s:%zu: %s", r->origin, r->line_no, msg);
}

static int oom(const record *r) {
    return fail(r, "out of memory");
}

enum { ABSENT = 0, PRESENT = 1 };

/* A string value.  ABSENT for a missing field or, when nullable, a null;
 * -1 (with the message) for anything else that is not a string, or a string
 * holding a NUL, which C strings downstream would silently cut. */
static int string_value(const record *r, const json_t *v, const char *what, int nullable,
                        const char **s, size_t *len) {
    *s = "";
    *len = 0;
    if (!v || (nullable && json_is_null(v)))
        return ABSENT;
    if (!json_is_string(v))
        return fail(r, "%s is not a string", what);
    *s = json_string_value(v);
    *len = json_string_length(v);
    if (strlen(*s) != *len)
        return fail(r, "%s contains a NUL character", what);
    return PRESENT;
}

/* A string that must be there and must not be blank; trimmed. */
static int required_string(const record *r, const json_t *v, const char *what, const char **s,
                           size_t *len) {
    int got = string_value(r, v, what, 0, s, len);
    if (got < 0)
        return -1;
    if (got == ABSENT)
        return fail(r, "missing %s", what);
    ps_text_trim(s, len);
    if (*len == 0)
        return fail(r, "%s is empty", what);
    return 0;
}

static int optional_field(const record *r, char **field, const char *key) {
    char what[WHAT_MAX];
    snprintf(what, sizeof what, "\"%s\"", key);
    const char *s;
    size_t len;
    int got = string_value(r, json_object_get(r->root, key), what, 1, &s, &len);
    if (got <= 0)
        return got;
    return ps_page_set_field(field, s, len) != 0 ? oom(r) : 0;
}

/* An array field: ABSENT when missing or null, -1 when not an array. */
static int array_value(const record *r, const char *key, json_t **arr) {
    *arr = json_object_get(r->root, key);
    if (!*arr || json_is_null(*arr))
        return ABSENT;
    if (!json_is_array(*arr))
        return fail(r, "\"%s\" is not an array", key);
    return PRESENT;
}

static int common_names(const record *r, ps_page *page) {
    json_t *arr;
    int got = array_value(r, "common_names", &arr);
    if (got <= 0)
        return got;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        char what[WHAT_MAX];
        snprintf(what, sizeof what, "\"common_names\"[%zu]", i);
        const char *s;
        size_t len;
        got = string_value(r, json_array_get(arr, i), what, 0, &s, &len);
        if (got < 0)
            return -1;
        if (ps_page_add_common_name(page, s, len) != 0)
            return oom(r);
    }
    return 0;
}

/* The key a section is stored under: its "key" when given (as exported),
 * else what its title says. */
static int section_key(const record *r, const json_t *sec, size_t i, const char *title,
                       size_t title_len, int *key) {
    char what[WHAT_MAX];
    snprintf(what, sizeof what, "\"sections\"[%zu].key", i);
    const char *name;
    size_t len;
    int got = string_value(r, json_object_get(sec, "key"), what, 1, &name, &len);
    if (got < 0)
        return -1;
    if (got == ABSENT) {
        int k = ps_section_key_from_header(title, title_len);
        *key = k >= 0 ? k : PS_SEC_OTHER;
        return 0;
    }
    *key = ps_section_key_from_name(name);
    if (*key < 0)
        return fail(r, "%s \"%.40s\" is not a section key", what, name);
    return 0;
}

static int one_section(const record *r, ps_page *page, const json_t *sec, size_t i) {
    char what[WHAT_MAX];
    if (!json_is_object(sec))
        return fail(r, "\"sections\"[%zu] is not an object", i);
    const char *title, *text = "";
    size_t title_len, text_len = 0;
    snprintf(what, sizeof what, "\"sections\"[%zu].title", i);
    if (required_string(r, json_object_get(sec, "title"), what, &title, &title_len) != 0)
        return -1;
    snprintf(what, sizeof what, "\"sections\"[%zu].text", i);
    if (string_value(r, json_object_get(sec, "text"), what, 1, &text, &text_len) < 0)
        return -1;
    int key;
    if (section_key(r, sec, i, title, title_len, &key) != 0)
        return -1;
    if (ps_page_add_section(page, (ps_section_key)key, title, title_len, text, text_len, 0) != 0)
        return oom(r);
    return 0;
}

static int sections(const record *r, ps_page *page) {
    json_t *arr;
    int got = array_value(r, "sections", &arr);
    if (got <= 0)
        return got;
    for (size_t i = 0; i < json_array_size(arr); i++)
        if (one_section(r, page, json_array_get(arr, i), i) != 0)
            return -1;
    return 0;
}

static const char *const structured_fields[] = {"descriptor", "code_system", "name", "common_names",
                                                "sections"};
#define N_STRUCTURED (sizeof structured_fields / sizeof structured_fields[0])

static int fill_structured(const record *r, ps_page *page) {
    const char *desc;
    size_t desc_len;
    if (required_string(r, json_object_get(r->root, "descriptor"), "\"descriptor\"", &desc,
                        &desc_len) != 0)
        return -1;
    if (ps_page_set_field(&page->descriptor, desc, desc_len) != 0)
        return oom(r);
    if (optional_field(r, &page->code_system, "code_system") != 0 ||
        optional_field(r, &page->name, "name") != 0 || common_names(r, page) != 0)
        return -1;
    return sections(r, page);
}

static int structured_form(const record *r, ps_page **out) {
    ps_page *page = ps_page_new(r->id, r->id_len);
    if (!page)
        return oom(r);
    if (fill_structured(r, page) != 0) {
        ps_page_free(page);
        return -1;
    }
    *out = page;
    return 0;
}

/* A whole text page: its messages name the record and the field, then say
 * what the text parser found ("feed.jsonl:4: \"text\": empty page"). */
static int text_form(const record *r, const json_t *text, ps_page **out) {
    for (size_t i = 0; i < N_STRUCTURED; i++)
        if (json_object_get(r->root, structured_fields[i]))
            return fail(r, "both \"text\" and \"%s\" given: a record is either a text page or "
                           "structured fields", structured_fields[i]);
    const char *s;
    size_t len;
    if (string_value(r, text, "\"text\"", 0, &s, &len) < 0)
        return -1;
    char origin[PS_ERR_MSG_MAX];
    snprintf(origin, sizeof origin, "%s:%zu: \"text\"", r->origin, r->line_no);
    return ps_page_parse(r->id, origin, s, len, out, r->err);
}

static int take_id(record *r) {
    const char *id;
    size_t len;
    int got = string_value(r, json_object_get(r->root, "id"), "\"id\"", 0, &id, &len);
    if (got < 0)
        return -1;
    if (got == ABSENT)
        return fail(r, "missing \"id\"");
    ps_text_trim(&id, &len);
    if (len == 0)
        return fail(r, "\"id\" is empty");
    r->id = id;
    r->id_len = len;
    return 0;
}

static int parse_record(record *r, ps_page **out) {
    if (!json_is_object(r->root))
        return fail(r, "the record is not a JSON object");
    if (take_id(r) != 0)
        return -1;
    const json_t *text = json_object_get(r->root, "text");
    if (text && !json_is_null(text))
        return text_form(r, text, out);
    return structured_form(r, out);
}

static int is_blank(const char *s, size_t len) {
    ps_text_trim(&s, &len);
    return len == 0;
}

int ps_page_parse_jsonl(const char *origin, size_t line_no, const char *line, size_t len,
                        ps_page **out, ps_err *err) {
    record r = {.origin = origin ? origin : "(jsonl)", .line_no = line_no, .err = err};
    if (!out)
        return fail(&r, "nowhere to put the page");
    *out = NULL;
    if (!line) {
        if (len > 0)
            return fail(&r, "no buffer for %zu bytes", len);
        line = "";
    }
    if (len > PS_PAGE_MAX_BYTES)
        return fail(&r, "%zu bytes, larger than the %zu-byte limit", len, PS_PAGE_MAX_BYTES);
    if (is_blank(line, len))
        return fail(&r, "empty record");
    json_error_t je;
    /* NULs are let through the decoder so that the message can name the
     * field that holds one. */
    r.root = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
    if (!r.root)
        return fail(&r, "invalid JSON at column %d: %s", je.column, je.text);
    int rc = parse_record(&r, out);
    json_decref(r.root);
    return rc;
}
