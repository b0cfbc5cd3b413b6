/*
 * docbuild.h - one page in, one Xapian document out.
 *
 * The terms written, and why each family exists (each costs indexing time,
 * since Xapian's inverter work grows with the distinct terms per page):
 *
 *   word         unstemmed folded word, with positions and wdf 0: exact
 *                phrases.  wdf 0 keeps it out of the document length, so
 *                it never disturbs BM25F.
 *   Z<stem>      stemmed word, no positions, wdf = sum over fields of the
 *                field weight per occurrence (BM25F, see weights.h): every
 *                ranked word match.  Stopwords get none.
 *   <prefix><stem>  boolean (wdf 0) per field the stem occurs in, e.g.
 *                "XRIbleed": section:word filters.  Stopwords get none.
 *   Q<id>        boolean unique id: replace/delete/get by id.
 *
 * Positions: fields are numbered one after the other with a gap of
 * PS_FIELD_GAP so a phrase never spans two fields.
 *
 * The document data is the page in the stored form of docdata.h, which is
 * what `get`, `/doc` and snippets read; value slots hold what a result
 * list shows.
 */
#ifndef PS_DOCBUILD_H
#define PS_DOCBUILD_H

#include "corpus/page.h"
#include "indexer/analyze.h"
#include "indexer/weights.h"
#include "shim/xapian_shim.h"

#define PS_FIELD_GAP 100
/* Value slots: what a result list shows, readable without the page. */
#define PS_VALUE_ID 0
#define PS_VALUE_DESCRIPTOR 1
#define PS_VALUE_NAME 2 /* absent when the page has no name */
#define PS_ID_MAX 200 /* bytes; keeps "Q"+id under Xapian's term limit */

typedef struct ps_docbuilder ps_docbuilder;

/* The builder owns an analyzer and scratch tables reused page after page:
 * one per indexing thread.  NULL on failure (err says why). */
ps_docbuilder *ps_docbuilder_new(const ps_weights *w, ps_err *err);
void ps_docbuilder_free(ps_docbuilder *b);

/* Build the document for page into *out (owned by the caller).  When
 * spell_db is not NULL, each distinct word of the page also goes into its
 * spelling table once (the source of "did you mean").  Returns 0, 1 when
 * the page itself cannot be indexed (its id), -1 when memory or the
 * database failed; err says why either way. */
int ps_docbuild(ps_docbuilder *b, const ps_page *page, xs_db *spell_db, xs_doc **out,
                ps_err *err);

/* The unique id term for a page id into buf ("Q" + id). -1 if id is empty
 * or longer than PS_ID_MAX. */
int ps_id_term(const char *id, char *buf, size_t cap);

#endif
