/*
 * query.cc - building queries.
 */
#include "shim/guard.h"
#include "shim/internal.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <memory>
#include <queue>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

/* Walks the caller's array of handles, skipping NULL entries and yielding
 * the Xapian::Query inside each, so Xapian builds the combined query
 * straight from the array with no intermediate vector. */
class xs_sub_iter {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Xapian::Query;
    using difference_type = std::ptrdiff_t;
    using pointer = const Xapian::Query *;
    using reference = const Xapian::Query &;

    xs_sub_iter(xs_query *const *p, xs_query *const *end) : p_(p), end_(end) { skip(); }
    reference operator*() const { return (*p_)->q; }
    xs_sub_iter &operator++()
    {
        ++p_;
        skip();
        return *this;
    }
    bool operator==(const xs_sub_iter &o) const { return p_ == o.p_; }
    bool operator!=(const xs_sub_iter &o) const { return p_ != o.p_; }

  private:
    void skip()
    {
        while (p_ != end_ && *p_ == nullptr)
            ++p_;
    }
    xs_query *const *p_;
    xs_query *const *end_;
};

bool xs_map_op(std::underlying_type_t<xs_query_op> op, Xapian::Query::op &out)
{
    switch (op) {
    case XS_OP_AND: out = Xapian::Query::OP_AND; return true;
    case XS_OP_OR: out = Xapian::Query::OP_OR; return true;
    case XS_OP_AND_NOT: out = Xapian::Query::OP_AND_NOT; return true;
    case XS_OP_XOR: out = Xapian::Query::OP_XOR; return true;
    case XS_OP_AND_MAYBE: out = Xapian::Query::OP_AND_MAYBE; return true;
    case XS_OP_FILTER: out = Xapian::Query::OP_FILTER; return true;
    case XS_OP_SYNONYM: out = Xapian::Query::OP_SYNONYM; return true;
    case XS_OP_MAX: out = Xapian::Query::OP_MAX; return true;
    case XS_OP_ELITE_SET: out = Xapian::Query::OP_ELITE_SET; return true;
    case XS_OP_PHRASE: out = Xapian::Query::OP_PHRASE; return true;
    case XS_OP_NEAR: out = Xapian::Query::OP_NEAR; return true;
    }
    return false;
}

template <typename Make>
xs_status xs_new_query(xs_query **out, Make make) noexcept
{
    return xs_shim::guard([&] {
        auto h = std::make_unique<xs_query>();
        h->q = make();
        *out = h.release();
        return XS_OK;
    });
}

} // namespace

extern "C" xs_status xs_query_term(const char *term, uint32_t wqf, uint32_t pos, xs_query **out)
{
    XS_REQUIRE(term);
    XS_REQUIRE(out);
    if (*term == '\0')
        return xs_shim::fail(XS_ERR_INVALID_ARGUMENT, __func__,
                             "empty term (use xs_query_match_all to match everything)");
    return xs_new_query(out, [&] { return Xapian::Query(term, wqf, pos); });
}

extern "C" xs_status xs_query_combine(xs_query_op op, xs_query *const *subs, size_t n,
                                      uint32_t window, xs_query **out)
{
    XS_REQUIRE(out);
    if (n != 0)
        XS_REQUIRE(subs);
    const auto raw_op = xs_shim::raw_enum(op);
    Xapian::Query::op xop;
    if (!xs_map_op(raw_op, xop))
        return xs_shim::fail(XS_ERR_INVALID_ARGUMENT, __func__, "unknown operator");
    /* Xapian rejects a window on the other operators; the contract says it
     * is ignored there. */
    const bool windowed = raw_op == XS_OP_PHRASE || raw_op == XS_OP_NEAR ||
                          raw_op == XS_OP_ELITE_SET;
    const Xapian::termcount param = windowed ? window : 0;
    return xs_new_query(out, [&] {
        xs_query *const *end = subs + n;
        return Xapian::Query(xop, xs_sub_iter(subs, end), xs_sub_iter(end, end), param);
    });
}

extern "C" xs_status xs_query_scale(const xs_query *q, double factor, xs_query **out)
{
    XS_REQUIRE(q);
    XS_REQUIRE(out);
    /* Xapian only rejects negatives; NaN and infinity would poison every
     * weight of the match. */
    if (!std::isfinite(factor) || factor < 0.0)
        return xs_shim::fail(XS_ERR_INVALID_ARGUMENT, __func__,
                             "factor must be finite and >= 0");
    return xs_new_query(out, [&] {
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor);
    });
}

extern "C" xs_status xs_query_prefix(const xs_db *db, const char *prefix, uint32_t max_terms,
                                     int as_synonym, xs_query **out)
{
    XS_REQUIRE(db);
    XS_REQUIRE(prefix);
    XS_REQUIRE(out);
    /* Expanded here rather than by OP_WILDCARD: to keep the most frequent
     * terms, Xapian looks up each candidate's frequency in the posting
     * table, one B-tree search per term (21,000 of them for "Zendo" on 1M
     * pages, 90 ms), where the term iterator reads it from the entry it
     * stands on. */
    return xs_new_query(out, [&] {
        /* The worst kept term on top: the least frequent, and of equal
         * ones the alphabetically last, as a newcomer (met in order) loses
         * a tie. */
        using kept = std::pair<Xapian::doccount, std::string>;
        auto better = [](const kept &a, const kept &b) {
            return a.first != b.first ? a.first > b.first : a.second < b.second;
        };
        std::priority_queue<kept, std::vector<kept>, decltype(better)> top(better);
        const std::string pfx(prefix);
        for (auto it = db->db.allterms_begin(pfx); it != db->db.allterms_end(pfx); ++it) {
            const Xapian::doccount freq = it.get_termfreq();
            if (max_terms != 0 && top.size() == max_terms) {
                if (freq <= top.top().first)
                    continue;
                top.pop();
            }
            top.emplace(freq, *it);
        }
        if (top.empty())
            return Xapian::Query(Xapian::Query::MatchNothing);
        std::vector<std::string> terms;
        terms.reserve(top.size());
        for (; !top.empty(); top.pop())
            terms.push_back(top.top().second);
        /* In term order, so that the same index gives the same query. */
        std::sort(terms.begin(), terms.end());
        return Xapian::Query(as_synonym ? Xapian::Query::OP_SYNONYM : Xapian::Query::OP_OR,
                             terms.begin(), terms.end());
    });
}

extern "C" xs_status xs_query_value_range(unsigned slot, const char *lo, const char *hi,
                                          xs_query **out)
{
    XS_REQUIRE(out);
    return xs_new_query(out, [&] {
        /* Xapian reads an empty lower bound of VALUE_GE as "every document",
         * even those without a value.  "\0" is the smallest value a document
         * can actually have (an empty value is no value), so using it as the
         * open lower end keeps valueless documents out in every case. */
        const std::string low = (lo != nullptr && *lo != '\0') ? std::string(lo)
                                                               : std::string(1, '\0');
        if (hi == nullptr)
            return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, low);
        if (*hi == '\0') /* only "no value" is <= "", and that never matches */
            return Xapian::Query();
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, low, hi);
    });
}

extern "C" xs_status xs_query_match_all(xs_query **out)
{
    XS_REQUIRE(out);
    return xs_new_query(out, [] { return Xapian::Query::MatchAll; });
}

extern "C" xs_status xs_query_match_none(xs_query **out)
{
    XS_REQUIRE(out);
    return xs_new_query(out, [] { return Xapian::Query::MatchNothing; });
}

extern "C" int xs_query_is_empty(const xs_query *q)
{
    /* A missing query matches nothing, like the empty one. */
    if (q == nullptr)
        return 1;
    return q->q.empty() ? 1 : 0;
}

extern "C" char *xs_query_describe(const xs_query *q)
{
    XS_REQUIRE_OR(q, static_cast<char *>(nullptr));
    return xs_shim::guard_or(static_cast<char *>(nullptr),
                             [&] { return xs_shim::dup_string(q->q.get_description()); });
}

extern "C" xs_status xs_query_serialise(const xs_query *q, char **out, size_t *len)
{
    XS_REQUIRE(q);
    XS_REQUIRE(out);
    XS_REQUIRE(len);
    return xs_shim::guard([&] {
        const std::string bytes = q->q.serialise();
        /* dup_string adds a NUL after the bytes; they may hold NULs too. */
        *out = xs_shim::dup_string(bytes);
        *len = bytes.size();
        return XS_OK;
    });
}

extern "C" void xs_query_free(xs_query *q)
{
    delete q;
}
