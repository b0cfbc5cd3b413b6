/*
 * results_json.h - search results, pages and statistics as JSON: the
 * interface other programs rely on (documented in README.md, "JSON
 * output").  Fields are only ever added, never renamed or removed.
 *
 * Search results:
 *   {"query": str, "total": int, "offset": int, "did_you_mean": str|null,
 *    "took_ms": num,
 *    "results": [{"rank": int, "id": str, "descriptor": str, "name": str|null,
 *                 "score": num,
 *                 "snippet": {"section": str, "key": str, "text": str,
 *                             "highlights": [[start, end], ...]}}]}
 * Highlight offsets count Unicode code points in "text" (end exclusive), so
 * JavaScript can use them with Array.from(text).
 *
 * Suggestions (search-as-you-type, query/suggest.h):
 *   {"query": str, "prefix": str|null, "completions": [str, ...],
 *    "did_you_mean": str|null, "took_ms": num,
 *    "results": [{"id": str, "descriptor": str, "name": str|null, "score": num}]}
 */
#ifndef PS_RESULTS_JSON_H
#define PS_RESULTS_JSON_H

#include <jansson.h>

#include "common/strbuf.h"
#include "corpus/page.h"
#include "query/search.h"
#include "query/suggest.h"

/* New reference (json_decref it); NULL on allocation failure. */
json_t *ps_suggestions_json(const ps_suggestions *s); /* in suggest_json.c */

/* Search results as compact JSON appended to out, written directly: a
 * search box asks for results on every query, and building jansson's
 * objects and dumping them took a quarter of what our layers add to a
 * search.  Byte for byte what json_dumps writes for the same results built
 * as jansson objects, with JSON_COMPACT | JSON_PRESERVE_ORDER (and
 * JSON_ESCAPE_SLASH with escape_slash): the tests compare the two.  -1
 * when memory runs out or a string is not UTF-8 (jansson refuses those
 * too); out is then left part-written. */
int ps_results_json_write(const ps_results *r, int escape_slash, ps_strbuf *out);

/* Dump with a trailing newline to f; -1 on failure. */
int ps_json_print(json_t *j, FILE *f, int pretty);

#endif
