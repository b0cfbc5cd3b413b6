/*
 * status.cc - the per-thread error message, status names, version, and the
 * exception classifier behind guard.h.
 */
#include "shim/guard.h"
#include "shim/internal.h"

#include <xapian.h>

#include <new>
#include <stdexcept>
#include <string>

namespace {

/* Per thread because handles may be used from several threads, each of
 * which must see only its own failures. */
thread_local std::string xs_message;
thread_local const char *xs_message_ptr = "";

/* Used when the message itself cannot be stored: better a fixed text than
 * a stale one that describes some earlier failure. */
const char xs_no_room[] = "out of memory while recording an error";

void xs_record(const char *fn, const char *msg) noexcept
{
    try {
        if (fn != nullptr) {
            xs_message.assign(fn);
            xs_message.append(": ");
            xs_message.append(msg);
        } else {
            xs_message.assign(msg);
        }
        xs_message_ptr = xs_message.c_str();
    } catch (...) {
        xs_message_ptr = xs_no_room;
    }
}

xs_status xs_record_xapian(xs_status status, const Xapian::Error &e) noexcept
{
    try {
        xs_record(nullptr, e.get_description().c_str());
    } catch (...) {
        xs_message_ptr = xs_no_room;
    }
    return status;
}

} // namespace

namespace xs_shim {

xs_status fail(xs_status status, const char *fn, const char *msg) noexcept
{
    xs_record(fn, msg);
    return status;
}

xs_status status_from_exception() noexcept
{
    /* Rethrowing here keeps the long catch ladder in one place instead of
     * inlining it into every entry point.  Subclasses come before their
     * bases (DatabaseNotFoundError is a DatabaseOpeningError). */
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        return xs_record_xapian(XS_ERR_DATABASE_LOCKED, e);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return xs_record_xapian(XS_ERR_NOT_FOUND, e);
    } catch (const Xapian::DatabaseOpeningError &e) {
        return xs_record_xapian(XS_ERR_DATABASE_OPENING, e);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return xs_record_xapian(XS_ERR_DATABASE_CORRUPT, e);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return xs_record_xapian(XS_ERR_DATABASE_MODIFIED, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        return xs_record_xapian(XS_ERR_INVALID_ARGUMENT, e);
    } catch (const Xapian::InvalidOperationError &e) {
        return xs_record_xapian(XS_ERR_INVALID_OPERATION, e);
    } catch (const Xapian::DocNotFoundError &e) {
        return xs_record_xapian(XS_ERR_NOT_FOUND, e);
    } catch (const Xapian::Error &e) {
        return xs_record_xapian(XS_ERR_XAPIAN, e);
    } catch (const std::bad_alloc &) {
        return fail(XS_ERR_NOMEM, nullptr, "out of memory");
    } catch (const std::exception &e) {
        return fail(XS_ERR_UNKNOWN, nullptr, e.what());
    } catch (...) {
        return fail(XS_ERR_UNKNOWN, nullptr, "unknown exception");
    }
}

} // namespace xs_shim

extern "C" const char *xs_last_error(void)
{
    return xs_message_ptr;
}

extern "C" const char *xs_status_name(xs_status status)
{
    switch (xs_shim::raw_enum(status)) {
    case XS_OK: return "XS_OK";
    case XS_ERR_NOMEM: return "XS_ERR_NOMEM";
    case XS_ERR_INVALID_ARGUMENT: return "XS_ERR_INVALID_ARGUMENT";
    case XS_ERR_INVALID_OPERATION: return "XS_ERR_INVALID_OPERATION";
    case XS_ERR_NOT_FOUND: return "XS_ERR_NOT_FOUND";
    case XS_ERR_DATABASE_LOCKED: return "XS_ERR_DATABASE_LOCKED";
    case XS_ERR_DATABASE_OPENING: return "XS_ERR_DATABASE_OPENING";
    case XS_ERR_DATABASE_CORRUPT: return "XS_ERR_DATABASE_CORRUPT";
    case XS_ERR_DATABASE_MODIFIED: return "XS_ERR_DATABASE_MODIFIED";
    case XS_ERR_XAPIAN: return "XS_ERR_XAPIAN";
    case XS_ERR_UNKNOWN: return "XS_ERR_UNKNOWN";
    }
    /* A C caller can pass any int; give it something printable. */
    return "XS_ERR_(invalid status)";
}

extern "C" const char *xs_xapian_version(void)
{
    return XAPIAN_VERSION;
}
