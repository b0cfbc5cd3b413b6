/*
 * tables.cc - user metadata, the spelling table and the synonym table.
 */
#include "shim/guard.h"
#include "shim/internal.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

extern "C" xs_status xs_db_set_metadata(xs_db *db, const char *key, const char *val, size_t len)
{
    XS_REQUIRE(db);
    XS_REQUIRE(key);
    if (len != 0)
        XS_REQUIRE(val);
    if (xs_status st = xs_shim::need_writable(db, __func__))
        return st;
    return xs_shim::guard([&] {
        db->wdb.set_metadata(key, len != 0 ? std::string(val, len) : std::string());
        return XS_OK;
    });
}

extern "C" xs_status xs_db_get_metadata(const xs_db *db, const char *key, char **val, size_t *len)
{
    XS_REQUIRE(db);
    XS_REQUIRE(key);
    XS_REQUIRE(val);
    return xs_shim::guard([&] {
        const std::string v = db->db.get_metadata(key);
        *val = xs_shim::dup_string(v);
        if (len != nullptr)
            *len = v.size();
        return XS_OK;
    });
}

extern "C" xs_status xs_db_add_spelling(xs_db *db, const char *word, uint32_t freqinc)
{
    XS_REQUIRE(db);
    XS_REQUIRE(word);
    if (xs_status st = xs_shim::need_writable(db, __func__))
        return st;
    return xs_shim::guard([&] {
        db->wdb.add_spelling(word, freqinc);
        return XS_OK;
    });
}

extern "C" xs_status xs_db_spelling_suggestion(const xs_db *db, const char *word,
                                               unsigned max_edit_distance, char **out)
{
    XS_REQUIRE(db);
    XS_REQUIRE(word);
    XS_REQUIRE(out);
    return xs_shim::guard([&] {
        const std::string s = db->db.get_spelling_suggestion(word, max_edit_distance);
        *out = s.empty() ? nullptr : xs_shim::dup_string(s);
        return XS_OK;
    });
}

extern "C" xs_status xs_db_spelling_most_frequent(const xs_db *db, const char *const *words,
                                                  size_t n, size_t *best, uint32_t *freq)
{
    XS_REQUIRE(db);
    if (n > 0)
        XS_REQUIRE(words);
    XS_REQUIRE(best);
    XS_REQUIRE(freq);
    *best = 0;
    *freq = 0;
    return xs_shim::guard([&] {
        std::vector<size_t> order(n);
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        std::sort(order.begin(), order.end(),
                  [&](size_t a, size_t b) { return std::strcmp(words[a], words[b]) < 0; });
        Xapian::TermIterator it = db->db.spellings_begin();
        const Xapian::TermIterator end = db->db.spellings_end();
        for (size_t i : order) {
            if (it == end)
                break;
            it.skip_to(words[i]);
            if (it == end || *it != words[i])
                continue;
            const uint32_t f = it.get_termfreq();
            if (f > *freq || (f == *freq && i < *best))
                *freq = f, *best = i;
        }
        return XS_OK;
    });
}

extern "C" xs_status xs_db_spelling_words(const xs_db *db, const char *prefix, xs_term_fn fn,
                                         void *ctx)
{
    XS_REQUIRE(db);
    XS_REQUIRE(prefix);
    XS_REQUIRE(fn);
    return xs_shim::guard([&] {
        const std::string p(prefix);
        Xapian::TermIterator it = db->db.spellings_begin();
        const Xapian::TermIterator end = db->db.spellings_end();
        it.skip_to(p);
        for (; it != end; ++it) {
            const std::string word = *it;
            if (word.compare(0, p.size(), p) != 0 ||
                fn(word.c_str(), word.size(), it.get_termfreq(), ctx) != 0)
                break;
        }
        return XS_OK;
    });
}

extern "C" xs_status xs_db_add_synonym(xs_db *db, const char *key, const char *synonym)
{
    XS_REQUIRE(db);
    XS_REQUIRE(key);
    XS_REQUIRE(synonym);
    if (xs_status st = xs_shim::need_writable(db, __func__))
        return st;
    return xs_shim::guard([&] {
        db->wdb.add_synonym(key, synonym);
        return XS_OK;
    });
}

extern "C" xs_status xs_db_clear_synonyms(xs_db *db, const char *key)
{
    XS_REQUIRE(db);
    XS_REQUIRE(key);
    if (xs_status st = xs_shim::need_writable(db, __func__))
        return st;
    return xs_shim::guard([&] {
        db->wdb.clear_synonyms(key);
        return XS_OK;
    });
}

extern "C" xs_status xs_db_synonyms(const xs_db *db, const char *key, xs_term_fn fn, void *ctx)
{
    XS_REQUIRE(db);
    XS_REQUIRE(key);
    XS_REQUIRE(fn);
    return xs_shim::guard([&] {
        const std::string k(key);
        xs_shim::each_term(db->db.synonyms_begin(k), db->db.synonyms_end(k), fn, ctx,
                           [](const Xapian::TermIterator &) { return 0u; });
        return XS_OK;
    });
}

extern "C" xs_status xs_db_synonym_keys(const xs_db *db, const char *prefix, xs_term_fn fn,
                                        void *ctx)
{
    XS_REQUIRE(db);
    XS_REQUIRE(prefix);
    XS_REQUIRE(fn);
    return xs_shim::guard([&] {
        const std::string p(prefix);
        xs_shim::each_term(db->db.synonym_keys_begin(p), db->db.synonym_keys_end(p), fn, ctx,
                           [](const Xapian::TermIterator &) { return 0u; });
        return XS_OK;
    });
}
