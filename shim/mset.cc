/*
 * mset.cc - reading a page of results.
 */
#include "shim/guard.h"
#include "shim/internal.h"

extern "C" size_t xs_mset_size(const xs_mset *m)
{
    XS_REQUIRE_OR(m, size_t{0});
    return m->mset.size();
}

extern "C" uint32_t xs_mset_first(const xs_mset *m)
{
    XS_REQUIRE_OR(m, 0u);
    return m->mset.get_firstitem();
}

extern "C" uint32_t xs_mset_matches_estimated(const xs_mset *m)
{
    XS_REQUIRE_OR(m, 0u);
    return m->mset.get_matches_estimated();
}

extern "C" uint32_t xs_mset_matches_lower_bound(const xs_mset *m)
{
    XS_REQUIRE_OR(m, 0u);
    return m->mset.get_matches_lower_bound();
}

extern "C" uint32_t xs_mset_matches_upper_bound(const xs_mset *m)
{
    XS_REQUIRE_OR(m, 0u);
    return m->mset.get_matches_upper_bound();
}

extern "C" uint32_t xs_mset_docid(const xs_mset *m, size_t i)
{
    XS_REQUIRE_OR(m, 0u);
    if (i >= m->mset.size())
        return 0;
    /* MSet::operator[] only builds an index-sized iterator: no copying. */
    return xs_shim::guard_or(0u, [&] { return *m->mset[static_cast<Xapian::doccount>(i)]; });
}

extern "C" double xs_mset_weight(const xs_mset *m, size_t i)
{
    XS_REQUIRE_OR(m, 0.0);
    if (i >= m->mset.size())
        return 0.0;
    return xs_shim::guard_or(0.0, [&] {
        return m->mset[static_cast<Xapian::doccount>(i)].get_weight();
    });
}

extern "C" xs_status xs_mset_doc(const xs_mset *m, size_t i, xs_doc **out)
{
    XS_REQUIRE(m);
    XS_REQUIRE(out);
    if (i >= m->mset.size())
        return xs_shim::fail(XS_ERR_INVALID_ARGUMENT, __func__, "index out of range");
    return xs_shim::guard([&] {
        /* The document holds its own reference to the database, so it
         * outlives this mset and the enquire that made it. */
        *out = xs_shim::new_doc(m->mset[static_cast<Xapian::doccount>(i)].get_document());
        return XS_OK;
    });
}

extern "C" void xs_mset_free(xs_mset *m)
{
    delete m;
}
