/*
 * db_docs.cc - storing, replacing, deleting, finding and fetching documents.
 */
#include "shim/guard.h"
#include "shim/internal.h"

#include <string>

extern "C" xs_status xs_db_replace_by_term(xs_db *db, const char *uid_term, xs_doc *doc,
                                           uint32_t *docid, int *replaced)
{
    XS_REQUIRE(db);
    XS_REQUIRE(uid_term);
    XS_REQUIRE(doc);
    if (xs_status st = xs_shim::need_writable(db, __func__))
        return st;
    return xs_shim::guard([&] {
        const std::string term(uid_term);
        /* replace_document() does not say whether it replaced anything, so
         * ask first; a writable database counts its pending changes. */
        const bool existed = db->wdb.get_termfreq(term) != 0;
        const Xapian::docid id = db->wdb.replace_document(term, doc->doc);
        if (docid != nullptr)
            *docid = id;
        if (replaced != nullptr)
            *replaced = existed ? 1 : 0;
        return XS_OK;
    });
}

extern "C" xs_status xs_db_delete_by_term(xs_db *db, const char *uid_term, uint32_t *deleted)
{
    XS_REQUIRE(db);
    XS_REQUIRE(uid_term);
    if (xs_status st = xs_shim::need_writable(db, __func__))
        return st;
    return xs_shim::guard([&] {
        const std::string term(uid_term);
        const Xapian::doccount n = term.empty() ? 0 : db->wdb.get_termfreq(term);
        db->wdb.delete_document(term); /* rejects the empty term itself */
        if (deleted != nullptr)
            *deleted = n;
        return XS_OK;
    });
}

extern "C" xs_status xs_db_find_by_term(const xs_db *db, const char *term, uint32_t *docid)
{
    XS_REQUIRE(db);
    XS_REQUIRE(term);
    XS_REQUIRE(docid);
    if (*term == '\0')
        return xs_shim::fail(XS_ERR_INVALID_ARGUMENT, __func__, "empty term");
    return xs_shim::guard([&] {
        const std::string t(term);
        Xapian::PostingIterator it = db->db.postlist_begin(t);
        if (it == db->db.postlist_end(t))
            return xs_shim::fail(XS_ERR_NOT_FOUND, "xs_db_find_by_term",
                                 "no document is indexed by the term");
        *docid = *it;
        return XS_OK;
    });
}

extern "C" xs_status xs_db_get_doc(const xs_db *db, uint32_t docid, xs_doc **out)
{
    XS_REQUIRE(db);
    XS_REQUIRE(out);
    return xs_shim::guard([&] {
        /* get_document() checks the docid exists (DocNotFoundError) while
         * the data and terms stay lazily loaded. */
        *out = xs_shim::new_doc(db->db.get_document(docid));
        return XS_OK;
    });
}
