/*
 * snippet_internal.h - what the tests need of snippet.c beyond snippet.h.
 */
#ifndef PS_SNIPPET_INTERNAL_H
#define PS_SNIPPET_INTERNAL_H

#include "query/snippet.h"

/* Analyze every section in full, as the snippets did before they learnt
 * to estimate which sections may win and to analyze only the words that
 * may match: the tests compare the two, which must give the same snippet
 * (so the estimates must bound what analysis finds). */
#define PS_SNIPPET_FULL_SCAN 0x1u

/* ps_snippet_make with flags (PS_SNIPPET_*). */
int ps_snippet_make_ex(ps_analyzer *an, const ps_page *page, const ps_stemset *matched,
                       int field, unsigned flags, ps_snippet *out, ps_err *err);

#endif
