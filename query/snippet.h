/*
 * snippet.h - the excerpt shown under a result: the body section where the
 * query's words matter most, cut to a window around the densest matches,
 * with the matched words marked.
 */
#ifndef PS_SNIPPET_H
#define PS_SNIPPET_H

#include "corpus/page.h"
#include "indexer/analyze.h"
#include "query/qbuild.h"
#include "query/search.h"

/* Bytes of section text a snippet shows at most (before "..." marks). */
#define PS_SNIPPET_MAX 240

/* Fill *out (caller frees with ps_snippet_free).  field is the field the
 * query was restricted to, or -1: when it is a body section, that section
 * is shown.  When no body section matches, the summary (or the first
 * section) is shown without highlights. */
int ps_snippet_make(ps_analyzer *an, const ps_page *page, const ps_stemset *matched, int field,
                    ps_snippet *out, ps_err *err);
void ps_snippet_free(ps_snippet *s);

#endif
