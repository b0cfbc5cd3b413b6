/*
 * docdata.h - the page as stored with its Xapian document (in a value
 * slot, docbuild.h's PS_VALUE_PAGE; formats 3 to 5: the document data).
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
 * Why a frame of zstd's fastest level, in a value: every hit shown with a
 * snippet reads its page, and decoding it was most of a hit's time.
 * Xapian deflates a document's data (zlib) whenever that makes it smaller,
 * so index formats 4 and 5 stored a zstd frame of level 3 there, which
 * deflate could not shrink: 2.1 kB a page at 100k, decoded in 9.6 us
 * (Huffman-coded literals are slow to decode on small frames).  Xapian
 * stores values as they are, so the page now keeps its text nearly as it
 * is (3.9 kB), in a frame for its checksum: decoded in 0.6 us, a copy and
 * the checksum.  The page slot reads in about the time the data did.
 * (Format 5's PSD2 lesson still holds for the document data: a plain
 * heading beside a frame let deflate shave 42 bytes off 42% of the pages,
 * which every read then inflated.)
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
 * record is one zstd frame (PSD3); without one it is stored plain (PSD1). */
char *ps_docdata_encode(ps_docdata_codec *c, const ps_page *page, size_t *len);

/* malloc()ed heading-only record of page (PSD1), for the heading value
 * slot (ps_doc_heading): what a result list shows without the page.
 * NULL when out of memory. */
char *ps_docdata_encode_heading(const ps_page *page, size_t *len);

/* Decode data[0..len) (any of the three layouts) into a new page
 * (ps_page_free; from the current layout its strings are one block, which
 * nothing may free or replace one by one).  c may be NULL (a context is
 * then made for this call alone).  A malformed record fails with a
 * message naming origin. */
int ps_docdata_decode(ps_docdata_codec *c, const char *data, size_t len, const char *origin,
                      ps_page **out, ps_err *err);

/* The page stored with doc, in its page slot or (formats 3 to 5) its
 * data (c as above); origin names it. */
int ps_doc_page(ps_docdata_codec *c, xs_doc *doc, const char *origin, ps_page **out,
                ps_err *err);

/* What a result list shows, from the document's value slots (docbuild.h),
 * without reading the page: new strings in *id, *descriptor and *name
 * (NULL when the page has none; descriptor and name are skipped when they
 * are NULL pointers).  Returns 1 when the slots are empty (a database from
 * before they existed), 0 when filled, -1 on failure. */
int ps_doc_display(xs_doc *doc, char **id, char **descriptor, char **name, ps_err *err);

/* The same fields moved (or, from a page whose strings are one block,
 * copied) out of a decoded page, which keeps NULL in their place, for a
 * caller that has read the page anyway; descriptor and name are skipped
 * when they are NULL pointers.  -1 when memory ran out (the outputs are
 * untouched; the page is only fit to be freed). */
int ps_page_take_display(ps_page *page, char **id, char **descriptor, char **name);

#endif
