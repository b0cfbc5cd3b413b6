/*
 * tables.cc - user metadata, the spelling table and the synonym table.
 */
#include "shim/guard.h"
#include "shim/internal.h"

#include <string>

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
