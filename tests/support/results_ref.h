/*
 * results_ref.h - search results as jansson writes them: the reference
 * that query/results_json.c's direct writer must match byte for byte.
 */
#ifndef T_RESULTS_REF_H
#define T_RESULTS_REF_H

#include "query/search.h"

/* json_dumps of r built as jansson objects, with JSON_COMPACT |
 * JSON_PRESERVE_ORDER (| JSON_ESCAPE_SLASH); malloc()ed, or NULL when
 * jansson refuses a string (not UTF-8) or memory runs out. */
char *t_results_jansson(const ps_results *r, int escape_slash);

#endif
