/*
 * db.cc - opening and closing databases, revisions, transactions, commit.
 */
#include "shim/guard.h"
#include "shim/internal.h"

#include <memory>
#include <string>

namespace {

void xs_open_writable(xs_db &h, const char *path, int action)
{
    h.wdb = Xapian::WritableDatabase(path, action);
    h.db = h.wdb;
    h.writable = true;
}

/* Backends and combinations without a revision throw a LogicError (e.g.
 * UnimplementedError); that only means "unknown", not a failure. */
bool xs_revision_of(const Xapian::Database &db, Xapian::rev &out)
{
    try {
        out = db.get_revision();
        return true;
    } catch (const Xapian::LogicError &) {
        return false;
    }
}

} // namespace

extern "C" xs_status xs_db_open(const char *path, xs_db_mode mode, xs_db **out)
{
    XS_REQUIRE(out);
    const auto m = xs_shim::raw_enum(mode);
    if (m != XS_DB_INMEMORY)
        XS_REQUIRE(path);
    return xs_shim::guard([&] {
        auto h = std::make_unique<xs_db>();
        switch (m) {
        case XS_DB_READ:
            /* Xapian reports a missing path as DatabaseNotFoundError. */
            h->db = Xapian::Database(path);
            break;
        case XS_DB_CREATE_OR_OPEN:
            xs_open_writable(*h, path, Xapian::DB_CREATE_OR_OPEN);
            break;
        case XS_DB_CREATE_OR_OVERWRITE:
            xs_open_writable(*h, path, Xapian::DB_CREATE_OR_OVERWRITE);
            break;
        case XS_DB_OPEN:
            xs_open_writable(*h, path, Xapian::DB_OPEN);
            break;
        case XS_DB_CREATE_SCRATCH:
            /* A commit's fsync stalls its writer, and with it the other
             * shard's, which waits on the same reader. */
            xs_open_writable(*h, path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
            break;
        case XS_DB_INMEMORY:
            h->wdb = Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY);
            h->db = h->wdb;
            h->writable = true;
            break;
        default:
            return xs_shim::fail(XS_ERR_INVALID_ARGUMENT, "xs_db_open", "unknown mode");
        }
        *out = h.release();
        return XS_OK;
    });
}

extern "C" xs_status xs_db_close(xs_db *db)
{
    if (db == nullptr)
        return XS_OK;
    xs_status st = XS_OK;
    if (db->writable) {
        /* close() rather than just dropping the handle: documents and msets
         * share the database internals, and the write lock must not live
         * on in them.  Xapian's close() cancels an open transaction and
         * otherwise commits, which is what the contract promises. */
        st = xs_shim::guard([&] {
            db->wdb.close();
            return XS_OK;
        });
    }
    /* Readers are not closed so that documents fetched from them keep
     * working; the files go away with the last reference. */
    delete db;
    return st;
}

extern "C" int xs_db_is_writable(const xs_db *db)
{
    return db != nullptr && db->writable;
}

extern "C" xs_status xs_db_reopen(xs_db *db, int *changed)
{
    XS_REQUIRE(db);
    if (db->writable)
        return xs_shim::fail(XS_ERR_INVALID_OPERATION, __func__,
                             "a writable database is always current");
    return xs_shim::guard([&] {
        /* reopen()'s own result may be true when nothing moved (e.g. just
         * after opening), so compare revisions where the backend has them. */
        Xapian::rev before = 0, after = 0;
        const bool known = xs_revision_of(db->db, before);
        bool moved = db->db.reopen();
        if (known && xs_revision_of(db->db, after))
            moved = before != after;
        if (changed != nullptr)
            *changed = moved ? 1 : 0;
        return XS_OK;
    });
}

extern "C" xs_status xs_db_revision(const xs_db *db, uint64_t *out)
{
    XS_REQUIRE(db);
    XS_REQUIRE(out);
    return xs_shim::guard([&] {
        *out = db->db.get_revision();
        return XS_OK;
    });
}

extern "C" xs_status xs_db_begin(xs_db *db, int flushed)
{
    XS_REQUIRE(db);
    if (xs_status st = xs_shim::need_writable(db, __func__))
        return st;
    return xs_shim::guard([&] {
        db->wdb.begin_transaction(flushed != 0);
        return XS_OK;
    });
}

extern "C" xs_status xs_db_commit_transaction(xs_db *db)
{
    XS_REQUIRE(db);
    if (xs_status st = xs_shim::need_writable(db, __func__))
        return st;
    return xs_shim::guard([&] {
        db->wdb.commit_transaction();
        return XS_OK;
    });
}

extern "C" xs_status xs_db_cancel_transaction(xs_db *db)
{
    XS_REQUIRE(db);
    if (xs_status st = xs_shim::need_writable(db, __func__))
        return st;
    return xs_shim::guard([&] {
        db->wdb.cancel_transaction();
        return XS_OK;
    });
}

extern "C" xs_status xs_db_commit(xs_db *db)
{
    XS_REQUIRE(db);
    if (xs_status st = xs_shim::need_writable(db, __func__))
        return st;
    return xs_shim::guard([&] {
        db->wdb.commit();
        return XS_OK;
    });
}
