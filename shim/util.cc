/*
 * util.cc - small helpers shared by the shim's entry points.
 */
#include "shim/internal.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <utility>

namespace xs_shim {

xs_status need_writable(const xs_db *db, const char *fn) noexcept
{
    if (!db->writable)
        return fail(XS_ERR_INVALID_OPERATION, fn, "database is read-only");
    return XS_OK;
}

char *dup_string(const std::string &s)
{
    /* malloc, not new[]: the C caller releases it with free(). */
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (p == nullptr)
        throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

xs_doc *new_doc(Xapian::Document &&doc)
{
    auto h = std::make_unique<xs_doc>();
    h->doc = std::move(doc);
    return h.release();
}

} // namespace xs_shim
