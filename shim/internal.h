/*
 * internal.h - the shim's handle types, shared between its .cc files.
 * Never included from C.
 */
#ifndef XS_SHIM_INTERNAL_H
#define XS_SHIM_INTERNAL_H

#include "shim/guard.h"
#include "shim/xapian_shim.h"

#include <xapian.h>

#include <cstring>
#include <map>
#include <string>
#include <type_traits>

struct xs_db {
    /* Every read goes through db.  For a writable database wdb holds the
     * same shards (db is a copy of it), so writes are seen by reads. */
    Xapian::Database db;
    Xapian::WritableDatabase wdb;
    bool writable = false;
};

struct xs_doc {
    Xapian::Document doc;
    /* Scratch for incoming terms: Xapian wants a std::string, and reusing
     * one buffer keeps add_posting from allocating for every long term. */
    std::string term;
    /* Xapian returns data and values by value; these hold the copies that
     * the borrowed views of xs_doc_get_data/get_value point into. */
    std::string data;
    bool data_cached = false;
    std::map<unsigned, std::string> values;
};

struct xs_stem {
    explicit xs_stem(const std::string &language) : stem(language) {}
    Xapian::Stem stem;
    std::string word; /* reused input buffer, as xs_doc::term */
};

struct xs_query {
    Xapian::Query q;
};

struct xs_enquire {
    explicit xs_enquire(const Xapian::Database &db) : enq(db) {}
    Xapian::Enquire enq;
};

struct xs_mset {
    Xapian::MSet mset;
};

namespace xs_shim {

/* A C caller may pass any int where an enum is declared, but in C++ merely
 * loading an out-of-range enum value is undefined; read its bytes instead. */
template <typename E>
inline std::underlying_type_t<E> raw_enum(const E &e) noexcept
{
    std::underlying_type_t<E> v;
    static_assert(sizeof v == sizeof e, "enum layout");
    std::memcpy(&v, &e, sizeof v);
    return v;
}

/* Xapian's limit on the length of a term in the glass backend. */
constexpr size_t max_term_len = 245;

/* Copies s into a new malloc()ed NUL-terminated buffer for the caller. */
char *dup_string(const std::string &s);

/* Feeds [it, end) to fn, with freq(it) as its count, until fn returns
 * non-zero. */
template <typename Freq>
void each_term(Xapian::TermIterator it, const Xapian::TermIterator &end,
               xs_term_fn fn, void *ctx, Freq freq)
{
    for (; it != end; ++it) {
        const std::string term = *it;
        if (fn(term.c_str(), term.size(), freq(it), ctx) != 0)
            break;
    }
}

/* Read-only handles refuse writes here rather than letting Xapian fail in
 * some less obvious way further down.  Records the error itself. */
xs_status need_writable(const xs_db *db, const char *fn) noexcept;

/* Wraps a Xapian document (fetched from a database) in a caller-owned handle. */
xs_doc *new_doc(Xapian::Document &&doc);

} // namespace xs_shim

#endif
