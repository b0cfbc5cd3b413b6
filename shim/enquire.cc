/*
 * enquire.cc - running queries: enquire sessions and weighting schemes.
 */
#include "shim/guard.h"
#include "shim/internal.h"

#include <cmath>
#include <memory>

namespace {

bool xs_nonneg(double x)
{
    return std::isfinite(x) && x >= 0.0;
}

} // namespace

extern "C" xs_status xs_enquire_new(xs_db *db, xs_enquire **out)
{
    XS_REQUIRE(db);
    XS_REQUIRE(out);
    return xs_shim::guard([&] {
        *out = std::make_unique<xs_enquire>(db->db).release();
        return XS_OK;
    });
}

extern "C" void xs_enquire_free(xs_enquire *enq)
{
    delete enq;
}

extern "C" xs_status xs_enquire_set_query(xs_enquire *enq, const xs_query *q)
{
    XS_REQUIRE(enq);
    XS_REQUIRE(q);
    return xs_shim::guard([&] {
        /* Enquire keeps its own reference to the query's internals, so the
         * caller may free q straight away. */
        enq->enq.set_query(q->q);
        return XS_OK;
    });
}

extern "C" xs_status xs_enquire_set_bm25(xs_enquire *enq, double k1, double k2, double k3,
                                         double b, double min_normlen)
{
    XS_REQUIRE(enq);
    if (!xs_nonneg(k1) || !xs_nonneg(k2) || !xs_nonneg(k3) || !xs_nonneg(min_normlen) ||
        !xs_nonneg(b) || b > 1.0)
        return xs_shim::fail(XS_ERR_INVALID_ARGUMENT, __func__,
                             "parameters must be finite and >= 0, and b <= 1");
    return xs_shim::guard([&] {
        /* set_weighting_scheme() clones the weight object. */
        enq->enq.set_weighting_scheme(Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
        return XS_OK;
    });
}

extern "C" xs_status xs_enquire_set_bool(xs_enquire *enq)
{
    XS_REQUIRE(enq);
    return xs_shim::guard([&] {
        enq->enq.set_weighting_scheme(Xapian::BoolWeight());
        return XS_OK;
    });
}

extern "C" xs_status xs_enquire_mset(xs_enquire *enq, uint32_t first, uint32_t maxitems,
                                     uint32_t check_at_least, xs_mset **out)
{
    XS_REQUIRE(enq);
    XS_REQUIRE(out);
    return xs_shim::guard([&] {
        auto h = std::make_unique<xs_mset>();
        h->mset = enq->enq.get_mset(first, maxitems, check_at_least);
        *out = h.release();
        return XS_OK;
    });
}

extern "C" xs_status xs_enquire_matching_terms(xs_enquire *enq, uint32_t docid,
                                               xs_term_fn fn, void *ctx)
{
    XS_REQUIRE(enq);
    XS_REQUIRE(fn);
    return xs_shim::guard([&] {
        xs_shim::each_term(enq->enq.get_matching_terms_begin(docid),
                           enq->enq.get_matching_terms_end(docid), fn, ctx,
                           [](const Xapian::TermIterator &) { return 0u; });
        return XS_OK;
    });
}
