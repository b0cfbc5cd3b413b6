/*
 * page_export.h - a page written back out as one JSON Lines record, in the
 * structured form that ps_page_parse_jsonl reads: the index stores pages
 * this way, and `get --json` prints it.
 */
#ifndef PS_PAGE_EXPORT_H
#define PS_PAGE_EXPORT_H

#include <stddef.h>

#include <jansson.h>

#include "corpus/page.h"

/* malloc()ed, NUL-terminated, one line (no newline); NULL on allocation
 * failure.  *len (may be NULL) receives strlen. */
char *ps_page_to_jsonl(const ps_page *page, size_t *len);

/* The same record as a JSON object (a new reference), NULL when out of
 * memory: for callers that embed it in a larger reply. */
json_t *ps_page_json(const ps_page *page);

#endif
