/*
 * compact.cc - merging databases into one compacted database.
 */
#include "shim/guard.h"
#include "shim/internal.h"

extern "C" xs_status xs_db_compact(const char *const *sources, size_t n_sources,
                                   const char *dest)
{
    XS_REQUIRE(sources);
    XS_REQUIRE(dest);
    if (n_sources == 0)
        return xs_shim::fail(XS_ERR_INVALID_ARGUMENT, __func__, "no source databases");
    for (size_t i = 0; i < n_sources; ++i) {
        if (sources[i] == nullptr)
            return xs_shim::fail(XS_ERR_INVALID_ARGUMENT, __func__,
                                 "argument 'sources' holds a NULL path");
    }
    return xs_shim::guard([&] {
        /* Opening the sources as one combined database lets Xapian renumber
         * the shards' docids into one sequence, as xapian-compact does. */
        Xapian::Database all;
        for (size_t i = 0; i < n_sources; ++i)
            all.add_database(Xapian::Database(sources[i]));
        all.compact(dest);
        return XS_OK;
    });
}
