/*
 * test_shim_util.h - helpers shared by the shim's unit tests (test_shim_*.c).
 *
 * Everything is static so each test file gets its own copy and no symbol
 * leaks into the single test binary.
 */
#ifndef TEST_SHIM_UTIL_H
#define TEST_SHIM_UTIL_H

#include <criterion/criterion.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim/xapian_shim.h"

/* Scratch directory of the running test; Criterion forks per test, so one
 * buffer is enough.  A function rather than a static array so that files
 * which never use it get no unused-variable warning. */
static inline char *xs_test_dir(void)
{
    static char dir[64];
    return dir;
}

/* Glass databases are flat, but the compact tests nest one level; recurse
 * anyway so a failed test cannot leave junk behind. */
static inline void xs_test_rmtree(const char *path)
{
    DIR *d = opendir(path);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char sub[512];
            if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= (int)sizeof sub)
                continue;
            struct stat st;
            if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
                xs_test_rmtree(sub);
            else
                unlink(sub);
        }
        closedir(d);
    }
    rmdir(path);
}

static inline void xs_test_setup(void)
{
    strcpy(xs_test_dir(), "/tmp/xs_shim_XXXXXX");
    cr_assert_not_null(mkdtemp(xs_test_dir()), "mkdtemp failed");
}

static inline void xs_test_teardown(void)
{
    if (xs_test_dir()[0] != '\0')
        xs_test_rmtree(xs_test_dir());
}

/* Path of name inside the scratch directory, in a rotating static buffer so
 * a test can hold a few at once. */
static inline const char *xs_test_path(const char *name)
{
    static char bufs[4][256];
    static int next;
    char *b = bufs[next++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", xs_test_dir(), name);
    return b;
}

#define XS_TEST_OK(call) cr_assert_eq((call), XS_OK, "%s failed: %s", #call, xs_last_error())

/* Collects what an xs_term_fn reports; stops early after stop_after items
 * when that is non-zero. */
typedef struct xs_test_terms {
    char term[32][64];
    size_t len[32];
    uint32_t freq[32];
    size_t n;
    size_t stop_after;
} xs_test_terms;

static inline int xs_test_collect(const char *term, size_t len, uint32_t freq, void *ctx)
{
    xs_test_terms *t = ctx;
    if (t->n < 32) {
        size_t n = len < 63 ? len : 63;
        memcpy(t->term[t->n], term, n);
        t->term[t->n][n] = '\0';
        t->len[t->n] = len;
        t->freq[t->n] = freq;
    }
    t->n++;
    return t->stop_after != 0 && t->n >= t->stop_after;
}

/* Stores a document made of the space-separated words of text at positions
 * 1, 2, ..., plus the id term "Q<uid>", and returns its docid. */
static inline uint32_t xs_test_add_text(xs_db *db, const char *uid, const char *text)
{
    xs_doc *doc = NULL;
    XS_TEST_OK(xs_doc_new(&doc));
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", text);
    uint32_t pos = 1;
    char *save = NULL;
    for (char *w = strtok_r(copy, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save))
        XS_TEST_OK(xs_doc_add_posting(doc, w, pos++, 1));
    char id[128];
    snprintf(id, sizeof id, "Q%s", uid);
    XS_TEST_OK(xs_doc_add_boolean_term(doc, id));
    XS_TEST_OK(xs_doc_set_data(doc, text, strlen(text)));
    uint32_t docid = 0;
    XS_TEST_OK(xs_db_replace_by_term(db, id, doc, &docid, NULL));
    xs_doc_free(doc);
    return docid;
}

static inline xs_db *xs_test_open(const char *path, xs_db_mode mode)
{
    xs_db *db = NULL;
    XS_TEST_OK(xs_db_open(path, mode, &db));
    cr_assert_not_null(db);
    return db;
}

/* A sentinel for "out-param untouched": any pointer that is never a real
 * handle will do. */
#define XS_TEST_SENTINEL ((void *)0x5a5a)

#endif
