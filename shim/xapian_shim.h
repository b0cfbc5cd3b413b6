/*
 * xapian_shim.h - a small C API over libxapian.
 *
 * This is the only door between procsearch's C code and Xapian's C++.  The
 * rules, which every function below follows:
 *
 *  - Handles are opaque.  Each type has exactly one constructor family that
 *    hands ownership to the caller and one *_free / *_close function that
 *    takes it back.  Freeing NULL is a no-op.
 *
 *  - Every function that can fail returns an xs_status (XS_OK == 0) and
 *    writes its result through an out-parameter, which is left untouched on
 *    failure.  Accessors that cannot fail return their value directly.
 *
 *  - No C++ exception ever crosses into C.  A Xapian::Error, std::bad_alloc
 *    or anything else thrown inside a call is caught and turned into a
 *    status.  The human-readable message of the most recent failure on the
 *    calling thread is returned by xs_last_error(): it stays valid until the
 *    next shim call on the same thread, so copy it if you need it longer.
 *
 *  - Strings passed in are UTF-8, NUL-terminated, and only borrowed for the
 *    duration of the call.  Strings handed out as "const char *" are borrowed
 *    from the handle named in the comment and live as long as it does.
 *    Strings handed out as "char *" are malloc()ed and owned by the caller.
 *
 *  - Xapian objects are not thread-safe: a handle must be used by one thread
 *    at a time.  Threads that search in parallel each open their own xs_db.
 */
#ifndef XAPIAN_SHIM_H
#define XAPIAN_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ status */

typedef enum xs_status {
    XS_OK = 0,
    XS_ERR_NOMEM,             /* allocation failed */
    XS_ERR_INVALID_ARGUMENT,  /* NULL handle, bad flag, bad value passed in */
    XS_ERR_INVALID_OPERATION, /* e.g. commit_transaction with none begun */
    XS_ERR_NOT_FOUND,         /* no such document / term / database */
    XS_ERR_DATABASE_LOCKED,   /* another writer holds the database */
    XS_ERR_DATABASE_OPENING,  /* path exists but is not a usable database */
    XS_ERR_DATABASE_CORRUPT,  /* Xapian detected corruption */
    XS_ERR_DATABASE_MODIFIED, /* a reader fell too far behind a writer: reopen */
    XS_ERR_XAPIAN,            /* any other Xapian::Error */
    XS_ERR_UNKNOWN            /* anything else thrown */
} xs_status;

/* Message of the most recent failed call on this thread ("" if none). */
const char *xs_last_error(void);

/* Short constant name of a status, e.g. "XS_ERR_NOT_FOUND". */
const char *xs_status_name(xs_status status);

/* Version of the libxapian this was built against, e.g. "1.4.22". */
const char *xs_xapian_version(void);

/* --------------------------------------------------------------- databases */

typedef struct xs_db xs_db;

typedef enum xs_db_mode {
    XS_DB_READ = 0,          /* read-only; path must exist */
    XS_DB_CREATE_OR_OPEN,    /* writable; created if missing */
    XS_DB_CREATE_OR_OVERWRITE, /* writable; any existing database replaced */
    XS_DB_OPEN,              /* writable; path must exist */
    XS_DB_INMEMORY,          /* writable, in memory, path ignored (tests) */
    XS_DB_CREATE_SCRATCH     /* as XS_DB_CREATE_OR_OVERWRITE, but commits are
                                not synced to disk: for a database whose loss
                                in a crash costs nothing (a bulk build's
                                pieces, merged and removed at the end) */
} xs_db_mode;

/* Open a database.  On success *out owns a new handle (free with
 * xs_db_close).  Fails with XS_ERR_NOT_FOUND for a missing path in
 * XS_DB_READ/XS_DB_OPEN, XS_ERR_DATABASE_LOCKED when another writer has it,
 * XS_ERR_DATABASE_OPENING when the path is not a database. */
xs_status xs_db_open(const char *path, xs_db_mode mode, xs_db **out);

/* Close and free.  For a writable database, a transaction still in progress
 * is cancelled (its changes are lost), and changes made outside any
 * transaction are committed, as Xapian does.  Errors on close are reported
 * through the return value; the handle is freed either way.
 * A writable database is closed for good (so its lock is released at once):
 * documents fetched from it can no longer load their data afterwards.
 * A read-only database stays alive as long as documents fetched from it. */
xs_status xs_db_close(xs_db *db);

int xs_db_is_writable(const xs_db *db);

/* Reader only: move to the latest committed revision.  *changed (may be
 * NULL) is set to 1 when the revision moved.  Cheap when nothing changed.
 * XS_ERR_INVALID_OPERATION on a writable database. */
xs_status xs_db_reopen(xs_db *db, int *changed);

/* Revision of the open database (0 for a new empty one).  Readers see the
 * revision they opened/reopened at.  XS_DB_INMEMORY has no revisions, nor
 * transactions, spelling or synonyms: those fail with XS_ERR_XAPIAN there. */
xs_status xs_db_revision(const xs_db *db, uint64_t *out);

/* Transactions (writable only).  flushed=1 makes commit_transaction durable
 * (Xapian "flushed" transaction); flushed=0 batches it into the next commit.
 * Nested transactions are an XS_ERR_INVALID_OPERATION. */
xs_status xs_db_begin(xs_db *db, int flushed);
xs_status xs_db_commit_transaction(xs_db *db);
xs_status xs_db_cancel_transaction(xs_db *db);

/* Commit everything pending outside a transaction. */
xs_status xs_db_commit(xs_db *db);

/* ------------------------------------------------------------- statistics */

/* These return 0 for a NULL db or term, or when Xapian fails (e.g. a reader
 * gone stale), and then set xs_last_error(). */

uint32_t xs_db_doccount(const xs_db *db);
uint32_t xs_db_lastdocid(const xs_db *db);
double xs_db_avglength(const xs_db *db);
uint32_t xs_db_termfreq(const xs_db *db, const char *term);      /* 0 if absent */
uint64_t xs_db_collection_freq(const xs_db *db, const char *term); /* 0 if absent */
int xs_db_term_exists(const xs_db *db, const char *term);
/* Sum of wdf of every term in the document (its BM25 length). */
xs_status xs_db_doclength(const xs_db *db, uint32_t docid, uint32_t *out);

/* Call fn for every term in the database starting with prefix ("" = all),
 * in byte order, with the term and its termfreq.  fn returns 0 to go on and
 * non-zero to stop early (which is not an error).  term is only valid
 * during the callback. */
typedef int (*xs_term_fn)(const char *term, size_t len, uint32_t termfreq, void *ctx);
xs_status xs_db_allterms(const xs_db *db, const char *prefix, xs_term_fn fn, void *ctx);

/* -------------------------------------------------------------- documents */

typedef struct xs_doc xs_doc;

/* A new empty document, owned by the caller (xs_doc_free). */
xs_status xs_doc_new(xs_doc **out);
void xs_doc_free(xs_doc *doc);

/* Terms.  A term is at most 245 bytes (Xapian's limit); longer terms fail
 * with XS_ERR_INVALID_ARGUMENT and leave the document unchanged.
 * add_posting adds a position and wdfinc to the term's wdf; wdfinc may be 0
 * for a purely positional term that must not count towards length. */
xs_status xs_doc_add_posting(xs_doc *doc, const char *term, uint32_t pos, uint32_t wdfinc);
xs_status xs_doc_add_term(xs_doc *doc, const char *term, uint32_t wdfinc);
/* A term with wdf 0 and no positions: a filter that never affects weight. */
xs_status xs_doc_add_boolean_term(xs_doc *doc, const char *term);
xs_status xs_doc_clear_terms(xs_doc *doc);

/* Stored data and values (bytes, not necessarily NUL-terminated). */
xs_status xs_doc_set_data(xs_doc *doc, const char *data, size_t len);
xs_status xs_doc_set_value(xs_doc *doc, unsigned slot, const char *val, size_t len);

/* Borrowed views valid until the document is freed or changed. */
xs_status xs_doc_get_data(xs_doc *doc, const char **data, size_t *len);
xs_status xs_doc_get_value(xs_doc *doc, unsigned slot, const char **val, size_t *len);

/* Every term of the document in byte order with its wdf (fn as in
 * xs_db_allterms; the termfreq argument is the wdf). */
xs_status xs_doc_termlist(xs_doc *doc, xs_term_fn fn, void *ctx);
uint32_t xs_doc_docid(const xs_doc *doc); /* 0 for a document never stored */

/* Add or replace by a unique id term (e.g. "Qcardiology-02"): any documents
 * indexed by uid_term are replaced by doc, or it is added if there are none.
 * *docid (may be NULL) receives the document id; *replaced (may be NULL) is
 * set to 1 when an existing document was replaced. doc stays the caller's.
 * uid_term is not added to doc: doc must contain it for a later replace or
 * delete to find the document again. */
xs_status xs_db_replace_by_term(xs_db *db, const char *uid_term, xs_doc *doc,
                                uint32_t *docid, int *replaced);

/* Delete every document indexed by uid_term.  *deleted (may be NULL) is the
 * number of documents removed; removing none is not an error. */
xs_status xs_db_delete_by_term(xs_db *db, const char *uid_term, uint32_t *deleted);

/* The first document id indexed by term; XS_ERR_NOT_FOUND if none.
 * An empty term is XS_ERR_INVALID_ARGUMENT (Xapian reads it as "all"). */
xs_status xs_db_find_by_term(const xs_db *db, const char *term, uint32_t *docid);

/* Fetch a stored document; *out is owned by the caller.  XS_ERR_NOT_FOUND
 * for an unused docid, XS_ERR_INVALID_ARGUMENT for docid 0. */
xs_status xs_db_get_doc(const xs_db *db, uint32_t docid, xs_doc **out);

/* --------------------------------------------------- metadata, spelling, synonyms */

/* User metadata: arbitrary key -> bytes; an empty value deletes the key. */
xs_status xs_db_set_metadata(xs_db *db, const char *key, const char *val, size_t len);
/* *val is malloc()ed and NUL-terminated (owned by the caller); *len may be
 * NULL.  A missing key gives an empty string, not an error. */
xs_status xs_db_get_metadata(const xs_db *db, const char *key, char **val, size_t *len);

/* Spelling table: word frequencies that suggestions are drawn from. */
xs_status xs_db_add_spelling(xs_db *db, const char *word, uint32_t freqinc);
/* Best suggestion within max_edit_distance edits, or *out = NULL when there
 * is none (not an error).  *out is malloc()ed. */
xs_status xs_db_spelling_suggestion(const xs_db *db, const char *word,
                                    unsigned max_edit_distance, char **out);
/* Of words[0..n), the one the spelling table holds most often: *best gets
 * its index (the lowest of equals) and *freq its frequency, or *freq = 0
 * when the table has none of them.  Cheaper than n lookups: the words are
 * visited in byte order with one cursor. */
xs_status xs_db_spelling_most_frequent(const xs_db *db, const char *const *words, size_t n,
                                       size_t *best, uint32_t *freq);
/* Call fn (as in xs_db_allterms) for every word of the spelling table that
 * starts with prefix, in byte order, with its frequency. */
xs_status xs_db_spelling_words(const xs_db *db, const char *prefix, xs_term_fn fn, void *ctx);

/* Synonym table: key (a term or several space-separated terms) -> synonyms. */
xs_status xs_db_add_synonym(xs_db *db, const char *key, const char *synonym);
xs_status xs_db_clear_synonyms(xs_db *db, const char *key);
/* Call fn for each synonym of key (fn's termfreq argument is 0). */
xs_status xs_db_synonyms(const xs_db *db, const char *key, xs_term_fn fn, void *ctx);
/* Call fn for each key in the synonym table starting with prefix. */
xs_status xs_db_synonym_keys(const xs_db *db, const char *prefix, xs_term_fn fn, void *ctx);

/* Merge several databases into a new compacted one at dest (what
 * xapian-compact does); used to join shards built in parallel. */
xs_status xs_db_compact(const char *const *sources, size_t n_sources, const char *dest);

/* ---------------------------------------------------------------- stemming */

typedef struct xs_stem xs_stem;

/* A Snowball stemmer for language ("english", "en", "none", ...).
 * XS_ERR_INVALID_ARGUMENT for an unknown language. */
xs_status xs_stem_new(const char *language, xs_stem **out);
void xs_stem_free(xs_stem *stem);

/* Stem word[0..len) into buf (capacity cap, always NUL-terminated when
 * cap > 0).  *outlen receives the stem's length; when it is >= cap the stem
 * was truncated and XS_ERR_INVALID_ARGUMENT is returned. */
xs_status xs_stem_word(xs_stem *stem, const char *word, size_t len,
                       char *buf, size_t cap, size_t *outlen);

/* ----------------------------------------------------------------- queries */

typedef struct xs_query xs_query;

typedef enum xs_query_op {
    XS_OP_AND,
    XS_OP_OR,
    XS_OP_AND_NOT,   /* first AND NOT (second OR third ...) */
    XS_OP_XOR,
    XS_OP_AND_MAYBE, /* first, weighted up by the rest */
    XS_OP_FILTER,    /* first, restricted by the rest, which add no weight */
    XS_OP_SYNONYM,   /* the subqueries' wdfs combined as one term's */
    XS_OP_MAX,       /* highest-weighted subquery counts */
    XS_OP_ELITE_SET, /* the `window` best subqueries (window in xs_query_combine) */
    XS_OP_PHRASE,    /* terms in order within window positions */
    XS_OP_NEAR       /* terms in any order within window positions */
} xs_query_op;

/* Every constructor hands the caller a new handle (xs_query_free).  Queries
 * are immutable: combining copies references to the subqueries, so callers
 * still own (and must free) what they passed in. */

/* A term; wqf is its within-query frequency (1 normally), pos its query
 * position (0 if unknown).  An empty term is XS_ERR_INVALID_ARGUMENT: Xapian
 * would read it as "match everything" (use xs_query_match_all for that). */
xs_status xs_query_term(const char *term, uint32_t wqf, uint32_t pos, xs_query **out);

/* Combine n subqueries with op.  window is the phrase/near window (0 = the
 * number of subqueries) or the ELITE_SET size, ignored otherwise.  NULL
 * entries in subs are skipped; combining none gives the empty query. */
xs_status xs_query_combine(xs_query_op op, xs_query *const *subs, size_t n,
                           uint32_t window, xs_query **out);

/* Multiply the weight of q by factor (>= 0). */
xs_status xs_query_scale(const xs_query *q, double factor, xs_query **out);

/* Every term of db beginning with prefix (a term prefix including any
 * field prefix, e.g. "Zcardio"), OR'd (or SYNONYM'd when as_synonym)
 * together; past max_terms (0 = unlimited) only the max_terms most
 * frequent are kept (of equal ones, the alphabetically first).  The terms
 * are read from db now, not when the query runs: the query names them, and
 * is only meant for db.  No term: the empty query, which matches nothing. */
xs_status xs_query_prefix(const xs_db *db, const char *prefix, uint32_t max_terms,
                          int as_synonym, xs_query **out);

/* Documents whose value in slot lies in [lo, hi] (byte order; NULL = open).
 * A document with no value in slot never matches, even with both ends open. */
xs_status xs_query_value_range(unsigned slot, const char *lo, const char *hi,
                               xs_query **out);

/* q, with a match that ends after max_candidates (>= 1) candidates: the
 * results are the best of those met by then, in docid order, so a broad
 * query's cost stops growing with the database, at the price of never
 * seeing the later pages.  When q, or a part of an AND at its top (a term,
 * or an OR under it), matches at most max_candidates documents by Xapian's
 * estimate (an OR's may be below its true count), that part leads the
 * match and q answers exactly, weights included; so does a budget of at
 * least the database's document count.  When every part matches more, the
 * budget leads: it steps through docids from the first, and each docid it
 * is asked about counts, whether q matches it or not (the others' jumps
 * past docids do not), so a budget can end without a match although later
 * documents have one.  The count is per database searched
 * (a multi-database search gets one budget per shard).  The result adds no
 * weight of its own and cannot be serialised (Xapian reads it as a posting
 * source it does not know). */
xs_status xs_query_first_candidates(const xs_query *q, uint32_t max_candidates,
                                    xs_query **out);

xs_status xs_query_match_all(xs_query **out);   /* every document */
xs_status xs_query_match_none(xs_query **out);  /* the empty query */

int xs_query_is_empty(const xs_query *q);
/* Xapian's description of the query, malloc()ed, for tests and --explain. */
char *xs_query_describe(const xs_query *q);
/* Xapian's own serialisation of the query (Xapian::Query::serialise()):
 * *out is malloc()ed (owned by the caller) and holds *len bytes, which may
 * contain NULs (a NUL follows them, not counted in *len).  The bytes are
 * what Xapian::Query::unserialise() in any program linked with the same
 * libxapian major version reads back into the same query, e.g. to run the
 * exact query procsearch built on plain Xapian (bench/peers/xapian_raw.cc).
 * Equal queries give equal bytes; the empty query gives *len == 0. */
xs_status xs_query_serialise(const xs_query *q, char **out, size_t *len);
void xs_query_free(xs_query *q);

/* ----------------------------------------------------------------- enquire */

typedef struct xs_enquire xs_enquire;
typedef struct xs_mset xs_mset;

/* An enquire session over db (which must outlive it), owned by the caller. */
xs_status xs_enquire_new(xs_db *db, xs_enquire **out);
void xs_enquire_free(xs_enquire *enq);

xs_status xs_enquire_set_query(xs_enquire *enq, const xs_query *q);

/* Weighting schemes.  BM25 with Xapian's parameters (defaults k1=1, k2=0,
 * k3=1, b=0.5, min_normlen=0.5); bool gives every match weight 0.
 * XS_ERR_INVALID_ARGUMENT unless every parameter is finite and >= 0 and
 * b <= 1 (Xapian would silently clamp them). */
xs_status xs_enquire_set_bm25(xs_enquire *enq, double k1, double k2, double k3,
                              double b, double min_normlen);
xs_status xs_enquire_set_bool(xs_enquire *enq);

/* Ranked results [first, first+maxitems).  check_at_least makes the
 * estimate of matches exact up to that many.  *out owned by the caller. */
xs_status xs_enquire_mset(xs_enquire *enq, uint32_t first, uint32_t maxitems,
                          uint32_t check_at_least, xs_mset **out);

/* Terms of the current query that match docid, in query order. */
xs_status xs_enquire_matching_terms(xs_enquire *enq, uint32_t docid,
                                    xs_term_fn fn, void *ctx);

size_t xs_mset_size(const xs_mset *m);
uint32_t xs_mset_first(const xs_mset *m);
uint32_t xs_mset_matches_estimated(const xs_mset *m);
uint32_t xs_mset_matches_lower_bound(const xs_mset *m);
uint32_t xs_mset_matches_upper_bound(const xs_mset *m);
/* i is 0-based within the mset; out-of-range i returns 0. */
uint32_t xs_mset_docid(const xs_mset *m, size_t i);
double xs_mset_weight(const xs_mset *m, size_t i);
/* The stored document at i, owned by the caller (XS_ERR_INVALID_ARGUMENT
 * for an out-of-range i). */
xs_status xs_mset_doc(const xs_mset *m, size_t i, xs_doc **out);
void xs_mset_free(xs_mset *m);

#ifdef __cplusplus
}
#endif

#endif
