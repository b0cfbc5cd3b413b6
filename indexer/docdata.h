/*
 * docdata.h - the page as stored with its Xapian document.
 *
 * Every hit shown with a snippet reads its page back, so the stored form is
 * built to decode fast: length-prefixed strings in a fixed order, no
 * parsing, no escaping.  Layout (varint = LEB128, str = varint length +
 * bytes):
 *   "PSD1"  str id  str descriptor  str code_system  str name
 *   varint n_common  str common...
 *   varint n_sections  (byte key  str title  str text)...
 * An absent code_system or name is stored as an empty string.
 */
#ifndef PS_DOCDATA_H
#define PS_DOCDATA_H

#include <stddef.h>

#include "common/err.h"
#include "corpus/page.h"
#include "shim/xapian_shim.h"

/* malloc()ed encoding of page; NULL when out of memory. */
char *ps_docdata_encode(const ps_page *page, size_t *len);

/* Decode data[0..len) into a new page (ps_page_free).  With heading_only,
 * the common names and sections are skipped (a result list needs only the
 * heading).  A malformed record fails with a message naming origin. */
int ps_docdata_decode(const char *data, size_t len, int heading_only, const char *origin,
                      ps_page **out, ps_err *err);

/* The page stored with doc (heading_only as above); origin names it. */
int ps_doc_page(xs_doc *doc, int heading_only, const char *origin, ps_page **out, ps_err *err);

/* What a result list shows, from the document's value slots (docbuild.h),
 * without reading the page: new strings in *id, *descriptor and *name
 * (NULL when the page has none; descriptor and name are skipped when they
 * are NULL pointers).  Returns 1 when the slots are empty (a database from
 * before they existed), 0 when filled, -1 on failure. */
int ps_doc_display(xs_doc *doc, char **id, char **descriptor, char **name, ps_err *err);

#endif
