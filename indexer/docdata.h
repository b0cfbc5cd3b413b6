/*
 * docdata.h - the page as stored with its Xapian document.
 *
 * Every hit shown with a snippet reads its page back, so the stored form is
 * built to decode fast: length-prefixed strings in a fixed order, no
 * parsing, no escaping.  Layout (varint = LEB128, str = varint length +
 * bytes):
 *   record  = magic heading body
 *   heading = str id  str descriptor  str code_system  str name
 *   body    = varint n_common  str common...
 *             varint n_sections  (byte key  str title  str text)...
 * magic "PSD1": heading and body as they are; "PSD3": heading and body as
 * one zstd frame; "PSD2" (index format 4, still read): the heading as it
 * is, the body as one zstd frame.  A magic and a heading without the body
 * is a heading-only record: the heading value slot (docbuild.h) holds one,
 * "PSD1" since format 5, "PSD2" in format 4.
 * An absent code_system or name is stored as an empty string.
 *
 * Why compress here: Xapian deflates a document's data itself (zlib), and
 * inflating it was a tenth of a search's time.  A zstd frame decodes in
 * about half that time at the same size.  Xapian keeps a record as it is
 * only when deflate cannot make it smaller: PSD2's plain heading (a
 * descriptor and a name that repeat each other) let deflate shave 42 bytes
 * off 42% of the pages, which every read of them then inflated.  No frame
 * alone was deflatable (2,000 pages at 100k).
 */
#ifndef PS_DOCDATA_H
#define PS_DOCDATA_H

#include <stddef.h>

#include "common/err.h"
#include "corpus/page.h"
#include "shim/xapian_shim.h"

/* What encoding and decoding reuse from one page to the next (zstd's
 * contexts, made on first use).  One per thread: it is not shared. */
typedef struct ps_docdata_codec ps_docdata_codec;

/* A new codec, or NULL when out of memory.  Free with ps_docdata_codec_free
 * (NULL is fine). */
ps_docdata_codec *ps_docdata_codec_new(void);
void ps_docdata_codec_free(ps_docdata_codec *c);

/* malloc()ed encoding of page; NULL when out of memory.  With a codec the
 * record is compressed (PSD3); without one it is stored plain (PSD1). */
char *ps_docdata_encode(ps_docdata_codec *c, const ps_page *page, size_t *len);

/* malloc()ed heading-only record of page (PSD1), for the heading value
 * slot (ps_doc_heading): what a result list shows without the page.
 * NULL when out of memory. */
char *ps_docdata_encode_heading(const ps_page *page, size_t *len);

/* Decode data[0..len) (any of the three layouts) into a new page
 * (ps_page_free).  c may be NULL (a context is then made for this call
 * alone).  A malformed record fails with a message naming origin. */
int ps_docdata_decode(ps_docdata_codec *c, const char *data, size_t len, const char *origin,
                      ps_page **out, ps_err *err);

/* The page stored with doc (c as above); origin names it. */
int ps_doc_page(ps_docdata_codec *c, xs_doc *doc, const char *origin, ps_page **out,
                ps_err *err);

/* What a result list shows, from the document's value slots (docbuild.h),
 * without reading the page: new strings in *id, *descriptor and *name
 * (NULL when the page has none; descriptor and name are skipped when they
 * are NULL pointers).  Returns 1 when the slots are empty (a database from
 * before they existed), 0 when filled, -1 on failure. */
int ps_doc_display(xs_doc *doc, char **id, char **descriptor, char **name, ps_err *err);

/* The same fields moved out of a decoded page (which keeps NULL in their
 * place), for a caller that has read the page anyway; descriptor and name
 * are skipped when they are NULL pointers. */
void ps_page_take_display(ps_page *page, char **id, char **descriptor, char **name);

#endif
