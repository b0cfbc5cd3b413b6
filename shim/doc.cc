/*
 * doc.cc - building and reading documents.
 */
#include "shim/guard.h"
#include "shim/internal.h"

#include <cstring>
#include <memory>

namespace {

/* Loads term into doc's scratch buffer after checking it fits Xapian's
 * limit, so that a rejected term leaves the document as it was. */
xs_status xs_take_term(xs_doc *doc, const char *term, const char *fn) noexcept
{
    const size_t len = std::strlen(term);
    if (len > xs_shim::max_term_len)
        return xs_shim::fail(XS_ERR_INVALID_ARGUMENT, fn, "term longer than 245 bytes");
    return xs_shim::guard([&] {
        doc->term.assign(term, len);
        return XS_OK;
    });
}

} // namespace

extern "C" xs_status xs_doc_new(xs_doc **out)
{
    XS_REQUIRE(out);
    return xs_shim::guard([&] {
        *out = new xs_doc();
        return XS_OK;
    });
}

extern "C" void xs_doc_free(xs_doc *doc)
{
    delete doc;
}

extern "C" xs_status xs_doc_add_posting(xs_doc *doc, const char *term, uint32_t pos,
                                        uint32_t wdfinc)
{
    XS_REQUIRE(doc);
    XS_REQUIRE(term);
    if (xs_status st = xs_take_term(doc, term, __func__))
        return st;
    return xs_shim::guard([&] {
        doc->doc.add_posting(doc->term, pos, wdfinc);
        return XS_OK;
    });
}

extern "C" xs_status xs_doc_add_term(xs_doc *doc, const char *term, uint32_t wdfinc)
{
    XS_REQUIRE(doc);
    XS_REQUIRE(term);
    if (xs_status st = xs_take_term(doc, term, __func__))
        return st;
    return xs_shim::guard([&] {
        doc->doc.add_term(doc->term, wdfinc);
        return XS_OK;
    });
}

extern "C" xs_status xs_doc_add_boolean_term(xs_doc *doc, const char *term)
{
    XS_REQUIRE(doc);
    XS_REQUIRE(term);
    if (xs_status st = xs_take_term(doc, term, __func__))
        return st;
    return xs_shim::guard([&] {
        doc->doc.add_boolean_term(doc->term);
        return XS_OK;
    });
}

extern "C" xs_status xs_doc_clear_terms(xs_doc *doc)
{
    XS_REQUIRE(doc);
    return xs_shim::guard([&] {
        doc->doc.clear_terms();
        return XS_OK;
    });
}

extern "C" xs_status xs_doc_set_data(xs_doc *doc, const char *data, size_t len)
{
    XS_REQUIRE(doc);
    if (len != 0)
        XS_REQUIRE(data);
    return xs_shim::guard([&] {
        /* The copy that get_data will hand out doubles as the argument
         * Xapian needs, so a later get_data costs nothing. */
        doc->data_cached = false;
        doc->data.assign(data != nullptr ? data : "", len);
        doc->doc.set_data(doc->data);
        doc->data_cached = true;
        return XS_OK;
    });
}

extern "C" xs_status xs_doc_set_value(xs_doc *doc, unsigned slot, const char *val, size_t len)
{
    XS_REQUIRE(doc);
    if (len != 0)
        XS_REQUIRE(val);
    return xs_shim::guard([&] {
        /* As in set_data, the cached copy is the argument.  An empty value
         * is Xapian's "no value", which get_value reports as "" anyway. */
        std::string &cached = doc->values[slot];
        try {
            cached.assign(val != nullptr ? val : "", len);
            doc->doc.add_value(slot, cached);
        } catch (...) {
            doc->values.erase(slot);
            throw;
        }
        return XS_OK;
    });
}

extern "C" xs_status xs_doc_get_data(xs_doc *doc, const char **data, size_t *len)
{
    XS_REQUIRE(doc);
    XS_REQUIRE(data);
    XS_REQUIRE(len);
    return xs_shim::guard([&] {
        if (!doc->data_cached) {
            doc->data = doc->doc.get_data();
            doc->data_cached = true;
        }
        *data = doc->data.c_str();
        *len = doc->data.size();
        return XS_OK;
    });
}

extern "C" xs_status xs_doc_get_value(xs_doc *doc, unsigned slot, const char **val, size_t *len)
{
    XS_REQUIRE(doc);
    XS_REQUIRE(val);
    XS_REQUIRE(len);
    return xs_shim::guard([&] {
        /* One cached copy per slot: a view handed out for one slot must
         * survive a later call for another. */
        auto it = doc->values.find(slot);
        if (it == doc->values.end())
            it = doc->values.emplace(slot, doc->doc.get_value(slot)).first;
        *val = it->second.c_str();
        *len = it->second.size();
        return XS_OK;
    });
}

extern "C" xs_status xs_doc_termlist(xs_doc *doc, xs_term_fn fn, void *ctx)
{
    XS_REQUIRE(doc);
    XS_REQUIRE(fn);
    return xs_shim::guard([&] {
        xs_shim::each_term(doc->doc.termlist_begin(), doc->doc.termlist_end(), fn, ctx,
                           [](const Xapian::TermIterator &it) { return it.get_wdf(); });
        return XS_OK;
    });
}

extern "C" uint32_t xs_doc_docid(const xs_doc *doc)
{
    XS_REQUIRE_OR(doc, 0u);
    return xs_shim::guard_or(0u, [&] { return doc->doc.get_docid(); });
}
