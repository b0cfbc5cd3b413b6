/*
 * testenv.h - what the integration tests share: where the corpus, the
 * binary and scratch space are (set by the Makefile), temporary folders,
 * and running the procsearch binary.
 */
#ifndef PS_TESTENV_H
#define PS_TESTENV_H

#include <stddef.h>

#include "indexer/analyze.h"

/* Repository root ($PROCSEARCH_ROOT or "."), joined with rel. Static buffer
 * per call site is not needed: returns a malloc()ed path. */
char *t_path(const char *rel);

/* A fresh empty folder under $PROCSEARCH_TMP (or /tmp); malloc()ed. */
char *t_tmpdir(const char *tag);

/* Remove a folder and everything in it. */
void t_rmtree(const char *path);

/* Run the procsearch binary with args (a shell-quoted string) and capture
 * stdout (and stderr, if err_out is given) as malloc()ed strings.  Returns
 * the exit status, or -1 when it could not be run. */
int t_run(const char *args, char **out, char **err_out);

/* Write len bytes to path; 0 on success. */
int t_write(const char *path, const char *data, size_t len);

/* Parse each page of corpus/dev/docs and hand it to fn, which must not
 * keep it.  Returns the number of pages, or -1 (saying why on stderr) when
 * one cannot be read or parsed. */
struct ps_page;
typedef void (*t_page_fn)(const char *path, const struct ps_page *page, void *ctx);
long t_dev_pages(t_page_fn fn, void *ctx);

/* Terms as the analyzer gives them, in a list that grows. */
typedef struct t_words {
    char (*w)[PS_TERM_MAX + 1];
    size_t n, cap;
} t_words;

/* Append the terms an gives for every section of page to out (free
 * out->w).  0, or -1 (saying why on stderr). */
int t_page_words(ps_analyzer *an, const struct ps_page *page, t_words *out);

#endif
