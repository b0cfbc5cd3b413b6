/*
 * db_stats.cc - database statistics and the all-terms walk.
 */
#include "shim/guard.h"
#include "shim/internal.h"

extern "C" uint32_t xs_db_doccount(const xs_db *db)
{
    XS_REQUIRE_OR(db, 0u);
    return xs_shim::guard_or(0u, [&] { return db->db.get_doccount(); });
}

extern "C" uint32_t xs_db_lastdocid(const xs_db *db)
{
    XS_REQUIRE_OR(db, 0u);
    return xs_shim::guard_or(0u, [&] { return db->db.get_lastdocid(); });
}

extern "C" double xs_db_avglength(const xs_db *db)
{
    XS_REQUIRE_OR(db, 0.0);
    return xs_shim::guard_or(0.0, [&] { return db->db.get_avlength(); });
}

extern "C" uint32_t xs_db_termfreq(const xs_db *db, const char *term)
{
    XS_REQUIRE_OR(db, 0u);
    XS_REQUIRE_OR(term, 0u);
    return xs_shim::guard_or(0u, [&] { return db->db.get_termfreq(term); });
}

extern "C" uint64_t xs_db_collection_freq(const xs_db *db, const char *term)
{
    XS_REQUIRE_OR(db, uint64_t{0});
    XS_REQUIRE_OR(term, uint64_t{0});
    return xs_shim::guard_or(uint64_t{0}, [&] {
        return uint64_t{db->db.get_collection_freq(term)};
    });
}

extern "C" int xs_db_term_exists(const xs_db *db, const char *term)
{
    XS_REQUIRE_OR(db, 0);
    XS_REQUIRE_OR(term, 0);
    return xs_shim::guard_or(0, [&] { return db->db.term_exists(term) ? 1 : 0; });
}

extern "C" xs_status xs_db_doclength(const xs_db *db, uint32_t docid, uint32_t *out)
{
    XS_REQUIRE(db);
    XS_REQUIRE(out);
    return xs_shim::guard([&] {
        *out = db->db.get_doclength(docid);
        return XS_OK;
    });
}

extern "C" xs_status xs_db_allterms(const xs_db *db, const char *prefix,
                                    xs_term_fn fn, void *ctx)
{
    XS_REQUIRE(db);
    XS_REQUIRE(prefix);
    XS_REQUIRE(fn);
    return xs_shim::guard([&] {
        const std::string p(prefix);
        xs_shim::each_term(db->db.allterms_begin(p), db->db.allterms_end(p), fn, ctx,
                           [](const Xapian::TermIterator &it) { return it.get_termfreq(); });
        return XS_OK;
    });
}
