/*
 * test_page_helpers.h - shared by the test_page_*.c suites: finding and
 * reading corpus files, parsing inline pages, and checking the invariants
 * page.h promises for every page a parser returns.
 */
#ifndef PS_TEST_PAGE_HELPERS_H
#define PS_TEST_PAGE_HELPERS_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "common/utf8.h"
#include "corpus/page.h"

static inline const char *tp_root(void) {
    const char *root = getenv("PROCSEARCH_ROOT");
    return root && *root ? root : ".";
}

/* path relative to the repository root; the result is static. */
static inline const char *tp_path(const char *rel) {
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", tp_root(), rel);
    return buf;
}

/* The whole file, malloc()ed with a NUL after it; fails the test if absent. */
static inline char *tp_read(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s (set PROCSEARCH_ROOT to the repository)", path);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    cr_assert_not_null(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            cr_assert_not_null(buf);
        }
    }
    cr_assert(!ferror(f), "read error on %s", path);
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static inline int tp_by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted "*.txt" names in a folder under the root; *n receives the count. */
static inline char **tp_list_txt(const char *rel_dir, size_t *n) {
    DIR *d = opendir(tp_path(rel_dir));
    cr_assert_not_null(d, "cannot open %s (set PROCSEARCH_ROOT)", tp_path(rel_dir));
    char **names = NULL;
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
            continue;
        names = realloc(names, (count + 1) * sizeof *names);
        cr_assert_not_null(names);
        names[count] = strdup(e->d_name);
        cr_assert_not_null(names[count]);
        count++;
    }
    closedir(d);
    if (count > 1)
        qsort(names, count, sizeof *names, tp_by_name);
    *n = count;
    return names;
}

static inline void tp_free_list(char **names, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Parse a file from the corpus; the test fails if the parser refuses it. */
static inline ps_page *tp_parse_file(const char *rel) {
    size_t len;
    char *buf = tp_read(tp_path(rel), &len);
    ps_page *page = NULL;
    ps_err err = {{0}};
    int rc = ps_page_parse("test", rel, buf, len, &page, &err);
    free(buf);
    cr_assert_eq(rc, 0, "%s: %s", rel, err.msg);
    cr_assert_not_null(page);
    return page;
}

/* Parse an inline page that must be accepted. */
static inline ps_page *tp_parse_ok(const char *text) {
    ps_page *page = NULL;
    ps_err err = {{0}};
    int rc = ps_page_parse("inline", "inline.txt", text, strlen(text), &page, &err);
    cr_assert_eq(rc, 0, "refused: %s", err.msg);
    cr_assert_not_null(page);
    return page;
}

/* Parse bytes that must be refused; returns the message. */
static inline const char *tp_parse_fail(const char *buf, size_t len) {
    static ps_err err;
    static ps_page sentinel;
    ps_page *page = &sentinel; /* the parser must reset it to NULL */
    memset(&err, 0, sizeof err);
    int rc = ps_page_parse("bad", "bad.txt", buf, len, &page, &err);
    cr_assert_eq(rc, -1, "accepted a page that should be refused");
    cr_assert_null(page);
    cr_assert(strncmp(err.msg, "bad.txt: ", 9) == 0, "message lacks the origin: %s", err.msg);
    return err.msg;
}

static inline const ps_section *tp_section(const ps_page *page, ps_section_key key) {
    for (size_t i = 0; i < page->n_sections; i++)
        if (page->sections[i].key == key)
            return &page->sections[i];
    return NULL;
}

static inline size_t tp_count_lines(const char *text) {
    if (!*text)
        return 0;
    size_t n = 1;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

/* ---- Invariants --------------------------------------------------------- */

static inline int tp_trimmed(const char *s) {
    size_t len = strlen(s);
    return len == 0 || (ps_text_space_len(s, len) == 0 && ps_text_space_len_back(s, len) == 0);
}

static inline void tp_check_string(const char *s, const char *what, int one_line, int may_be_empty) {
    cr_assert_not_null(s, "%s is NULL", what);
    size_t len = strlen(s);
    cr_assert(may_be_empty || len > 0, "%s is empty", what);
    cr_assert(ps_utf8_valid(s, len), "%s is not valid UTF-8", what);
    cr_assert(strchr(s, '\r') == NULL, "%s holds a CR", what);
    cr_assert(tp_trimmed(s), "%s is not trimmed: \"%s\"", what, s);
    cr_assert(!one_line || strchr(s, '\n') == NULL, "%s spans lines", what);
}

static inline void tp_check_body(const char *text, const char *what) {
    tp_check_string(text, what, 0, 1);
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        cr_assert(n > 0, "%s has a blank line", what);
        cr_assert(ps_text_space_len(p, n) == 0 && ps_text_space_len_back(p, n) == 0,
                  "%s has an untrimmed line", what);
        cr_assert_eq(ps_text_list_mark_len(p, n), 0, "%s kept a list mark: %.*s", what, (int)n, p);
        p += n + (nl ? 1 : 0);
        cr_assert(!nl || *p, "%s ends in a newline", what);
    }
}

/* Everything page.h promises about a parsed page. */
static inline void tp_check_page(const ps_page *page) {
    cr_assert_not_null(page);
    tp_check_string(page->id, "id", 1, 1);
    tp_check_string(page->descriptor, "descriptor", 1, 0);
    if (page->code_system)
        tp_check_string(page->code_system, "code_system", 1, 0);
    if (page->name)
        tp_check_string(page->name, "name", 1, 0);
    cr_assert(page->n_common_names == 0 || page->common_names);
    for (size_t i = 0; i < page->n_common_names; i++)
        tp_check_string(page->common_names[i], "common name", 1, 0);
    cr_assert(page->n_sections == 0 || page->sections);
    for (size_t i = 0; i < page->n_sections; i++) {
        const ps_section *s = &page->sections[i];
        cr_assert((int)s->key >= 0 && s->key < PS_SEC_COUNT, "bad key %d", (int)s->key);
        tp_check_string(s->title, "section title", 1, 0);
        tp_check_body(s->text, "section text");
    }
}

#endif
