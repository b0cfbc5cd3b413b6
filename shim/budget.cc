/*
 * budget.cc - a query whose match ends after a fixed number of candidates.
 *
 * Xapian 1.4 has no way to stop a match early: Enquire::set_time_limit
 * only gives up on check_at_least.  A posting source AND'ed to the query
 * can, though: once it reports that it is at its end the AND ends, and
 * with it the match, which returns the best of what it has seen.
 *
 * Where the source stands in the AND decides what it counts.  Xapian
 * starts an AND from its part with the lowest frequency estimate and asks
 * the others about that part's documents.  A source estimated to match
 * everything would be asked last, about full matches only; but then a
 * query whose words are all common and seldom together ("need stop eating
 * rare") reads every posting of its rarest word before the first match is
 * counted.  So the source claims max + 1 documents: a query with a part
 * that rare leads with it, and the source, asked only about that part's
 * candidates (at most max of them), never ends it; a query whose every
 * part is commoner is led by the source, which steps through the document
 * ids and ends once it has been asked about max of them, whatever the
 * others match.  A budget as large as the database never ends a match:
 * there a part on every page would tie with it, and with deleted pages
 * the source could end before the last id.
 */
#include "shim/guard.h"
#include "shim/internal.h"

#include <memory>
#include <string>

namespace {

/* Agrees to the first `max` documents it is asked about, then ends.  Its
 * estimate, max + 1 (see the top of the file), decides whether it leads
 * the AND. */
class CandidateBudget : public Xapian::PostingSource {
  public:
    explicit CandidateBudget(Xapian::doccount max) : max_(max) {}

    CandidateBudget *clone() const override { return new CandidateBudget(max_); }

    void init(const Xapian::Database &db) override
    {
        last_ = db.get_lastdocid();
        docs_ = db.get_doccount();
        /* Within the database: a count to end at, and an estimate that
         * lets a rarer part lead.  Covering it: every id, and an estimate
         * no part exceeds. */
        const bool binds = max_ < docs_;
        limit_ = binds ? max_ : last_;
        est_ = binds ? max_ + 1 : docs_;
        seen_ = 0;
        current_ = 0;
        ended_ = last_ == 0;
    }

    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return est_; }
    Xapian::doccount get_termfreq_max() const override { return docs_; }

    void next(double) override { move_to(current_ + 1); }

    void skip_to(Xapian::docid did, double) override
    {
        if (did > current_)
            move_to(did);
    }

    bool check(Xapian::docid did, double min_wt) override
    {
        skip_to(did, min_wt);
        return true;
    }

    bool at_end() const override { return ended_; }
    Xapian::docid get_docid() const override { return current_; }

    std::string get_description() const override
    {
        return "CandidateBudget(" + std::to_string(max_) + ")";
    }

  private:
    void move_to(Xapian::docid did)
    {
        if (did > last_ || seen_ >= limit_)
            ended_ = true;
        else
            current_ = did, seen_++;
    }

    Xapian::doccount max_;
    Xapian::doccount limit_ = 0; /* max_, or every id when max_ covers the database */
    Xapian::doccount est_ = 0;
    Xapian::docid last_ = 0;
    Xapian::doccount docs_ = 0;
    Xapian::doccount seen_ = 0;
    Xapian::docid current_ = 0;
    bool ended_ = false;
};

} // namespace

extern "C" xs_status xs_query_first_candidates(const xs_query *q, uint32_t max_candidates,
                                               xs_query **out)
{
    XS_REQUIRE(q);
    XS_REQUIRE(out);
    if (max_candidates == 0)
        return xs_shim::fail(XS_ERR_INVALID_ARGUMENT, __func__, "max_candidates must be >= 1");
    return xs_shim::guard([&] {
        auto h = std::make_unique<xs_query>();
        /* The query owns the source through release(). */
        Xapian::Query budget((new CandidateBudget(max_candidates))->release());
        h->q = Xapian::Query(Xapian::Query::OP_FILTER, q->q, budget);
        *out = h.release();
        return XS_OK;
    });
}
