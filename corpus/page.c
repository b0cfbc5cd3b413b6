#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/text.h"
#include "corpus/page.h"

void ps_page_free(ps_page *page) {
    if (!page)
        return;
    if (page->strings) {
        free(page->strings);
    } else {
        free(page->id);
        free(page->descriptor);
        free(page->code_system);
        free(page->name);
        for (size_t i = 0; i < page->n_common_names; i++)
            free(page->common_names[i]);
        for (size_t i = 0; i < page->n_sections; i++) {
            free(page->sections[i].title);
            free(page->sections[i].text);
        }
    }
    free(page->common_names);
    free(page->sections);
    free(page);
}

/* One-line fields: each line break becomes a space so that a value pasted
 * across lines still reads as one phrase. */
static char *one_line_copy(const char *s, size_t len) {
    ps_text_trim(&s, &len);
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
            continue;
        out[n++] = (s[i] == '\r' || s[i] == '\n') ? ' ' : s[i];
    }
    out[n] = '\0';
    return out;
}

ps_page *ps_page_new(const char *id, size_t len) {
    ps_page *page = calloc(1, sizeof *page);
    if (!page)
        return NULL;
    page->id = one_line_copy(id ? id : "", id ? len : 0);
    if (!page->id) {
        free(page);
        return NULL;
    }
    return page;
}

int ps_page_set_field(char **field, const char *s, size_t len) {
    ps_text_trim(&s, &len);
    char *copy = NULL;
    if (len > 0) {
        copy = one_line_copy(s, len);
        if (!copy)
            return -1;
    }
    free(*field);
    *field = copy;
    return 0;
}

/* The arrays carry no capacity field, so their capacity is implied: the
 * smallest power of two >= n.  Growing only when n reaches one keeps a page
 * with many sections linear to build. */
static int grow_for_one_more(void **array, size_t n, size_t elem) {
    if (n != 0 && (n & (n - 1)) != 0)
        return 0;
    size_t cap = n ? n * 2 : 1;
    if (cap < n || cap > SIZE_MAX / elem)
        return -1;
    void *p = realloc(*array, cap * elem);
    if (!p)
        return -1;
    *array = p;
    return 0;
}

int ps_page_add_common_name(ps_page *page, const char *s, size_t len) {
    ps_text_trim(&s, &len);
    if (len == 0)
        return 0;
    void *arr = page->common_names;
    if (grow_for_one_more(&arr, page->n_common_names, sizeof(char *)) != 0)
        return -1;
    page->common_names = arr;
    char *copy = one_line_copy(s, len);
    if (!copy)
        return -1;
    page->common_names[page->n_common_names++] = copy;
    return 0;
}

/* Section text: one trimmed line per item, list marks gone, blank lines
 * dropped.  Idempotent, so text that went through it once (the text parser's
 * output, a JSONL export) comes back unchanged. */
static char *body_copy(const char *s, size_t len) {
    ps_strbuf sb = PS_STRBUF_INIT;
    size_t pos = 0;
    while (pos < len) {
        size_t next;
        const char *line = s + pos;
        size_t n = ps_text_line(line, len - pos, &next);
        pos += next;
        ps_text_strip_list_marks(&line, &n);
        if (n == 0)
            continue;
        if ((sb.len > 0 && ps_strbuf_putc(&sb, '\n') != 0) || ps_strbuf_append(&sb, line, n) != 0) {
            ps_strbuf_free(&sb);
            return NULL;
        }
    }
    char *out = ps_strbuf_detach(&sb, NULL);
    if (!out)
        ps_strbuf_free(&sb);
    return out;
}

int ps_page_add_section(ps_page *page, ps_section_key key, const char *title, size_t title_len,
                        const char *text, size_t text_len, size_t line) {
    void *arr = page->sections;
    if (grow_for_one_more(&arr, page->n_sections, sizeof(ps_section)) != 0)
        return -1;
    page->sections = arr;
    /* A key from outside the enum would index past every table keyed by it. */
    if ((int)key < 0 || key >= PS_SEC_OTHER)
        key = PS_SEC_OTHER;
    ps_section sec = {.key = key, .line = line};
    sec.title = one_line_copy(title ? title : "", title ? title_len : 0);
    sec.text = body_copy(text ? text : "", text ? text_len : 0);
    if (!sec.title || !sec.text) {
        free(sec.title);
        free(sec.text);
        return -1;
    }
    page->sections[page->n_sections++] = sec;
    return 0;
}
