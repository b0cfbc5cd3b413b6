/*
 * docbuild.h - one page in, one Xapian document out.
 *
 * The terms written, and why each family exists (each costs indexing time,
 * since Xapian's inverter work grows with the distinct terms per page and
 * with the positions written):
 *
 *   Z<stem>      stemmed word, wdf = sum over fields of the field weight per
 *                occurrence (BM25F, see weights.h), and the positions of
 *                its occurrences: every ranked word match, phrases and the
 *                proximity bonus.  Stopwords get none (they still take a
 *                position, so "removal of the gallbladder" keeps its gap).
 *   <prefix><stem>  boolean (wdf 0) per field the stem occurs in, e.g.
 *                "XRIbleed": section:word filters.  Stopwords get none.
 *   S<group>     a synonym group a member of which occurs on the page
 *                ("removal of the uterus" -> Shysterectomi), wdf summed like
 *                a word's: a query with any member searches this one term
 *                (synonyms.h, syngroups.h).  The longest member counts;
 *                every shorter member ending at the same word does too.
 *   Q<id>        boolean unique id: replace/delete/get by id.
 *
 * Unstemmed words are not indexed: measured on generated pages, their
 * positional postings cost 45% of indexing time, and exact-form phrases
 * are not what a search box needs (Lucene and Elasticsearch phrase over
 * stems as well).
 *
 * Positions: fields are numbered one after the other with a gap of
 * PS_FIELD_GAP so a phrase never spans two fields.
 *
 * Spelling: each distinct word of a page counts once towards the spelling
 * table (the source of "did you mean"), but the counts are gathered in the
 * builder and written by ps_docbuilder_flush_spelling once per batch, so
 * Xapian's spelling table is touched once per word per batch, not once per
 * word per page.
 *
 * Value slots hold the page in the stored form of docdata.h, which is
 * what `get`, `/doc` and snippets read, and what a result list shows; the
 * document data is empty.
 */
#ifndef PS_DOCBUILD_H
#define PS_DOCBUILD_H

#include "corpus/page.h"
#include "indexer/analyze.h"
#include "indexer/weights.h"
#include "shim/xapian_shim.h"

#define PS_FIELD_GAP 100
/* Value slots: what a result list shows, readable without the page.  The
 * heading (docdata.h's heading-only record: id, descriptor, code system,
 * name) is one slot, so that a hit costs one lookup, not one per field;
 * the id has its own as well, for tools that read one value.  Databases
 * of index format 3 have the descriptor and name in slots 1 and 2
 * instead, which ps_doc_display still reads. */
#define PS_VALUE_ID 0
#define PS_VALUE_DESCRIPTOR 1 /* format 3 */
#define PS_VALUE_NAME 2       /* format 3; absent when the page has no name */
#define PS_VALUE_HEADING 3
/* The page in the stored form of docdata.h (index format 6; the document
 * data before): Xapian deflates document data but not values, so a value
 * is read as it was written (see docdata.h). */
#define PS_VALUE_PAGE 4
#define PS_ID_MAX 200 /* bytes; keeps "Q"+id under Xapian's term limit */

typedef struct ps_docbuilder ps_docbuilder;

/* The builder owns an analyzer and scratch tables reused page after page:
 * one per indexing thread.  NULL on failure (err says why). */
ps_docbuilder *ps_docbuilder_new(const ps_weights *w, ps_err *err);
void ps_docbuilder_free(ps_docbuilder *b);

/* Build the document for page into *out (owned by the caller), and count
 * the page's words for the spelling table.  Returns 0, 1 when the page
 * itself cannot be indexed (its id), -1 when memory or the database failed;
 * err says why either way. */
int ps_docbuild(ps_docbuilder *b, const ps_page *page, xs_doc **out, ps_err *err);

/* Add the word counts gathered since the last flush to db's spelling
 * table (inside the caller's transaction, just before it commits) and
 * forget them.  -1 with err set when Xapian fails, and the caller's
 * transaction must then be cancelled. */
int ps_docbuilder_flush_spelling(ps_docbuilder *b, xs_db *db, ps_err *err);

/* The unique id term for a page id into buf ("Q" + id). -1 if id is empty
 * or longer than PS_ID_MAX. */
int ps_id_term(const char *id, char *buf, size_t cap);

#endif
