/*
 * guard.h - internal to the shim: turns C++ exceptions into xs_status.
 *
 * Every extern "C" entry point runs its body through xs_shim::guard (or
 * guard_or for accessors that return a plain value), so nothing thrown by
 * Xapian or the standard library can unwind into C frames.
 */
#ifndef XS_SHIM_GUARD_H
#define XS_SHIM_GUARD_H

#include "shim/xapian_shim.h"

namespace xs_shim {

/* Records "fn: msg" as this thread's xs_last_error() and returns status, so
 * an early exit reads as a single return statement. */
xs_status fail(xs_status status, const char *fn, const char *msg) noexcept;

/* Classifies the exception currently being handled and records its message.
 * Only meaningful inside a catch block. */
xs_status status_from_exception() noexcept;

template <typename Body>
inline xs_status guard(Body &&body) noexcept
{
    try {
        return body();
    } catch (...) {
        return status_from_exception();
    }
}

/* For accessors whose signature has no room for a status: the failure is
 * still recorded for xs_last_error(), and the caller gets fallback. */
template <typename T, typename Body>
inline T guard_or(T fallback, Body &&body) noexcept
{
    try {
        return body();
    } catch (...) {
        status_from_exception();
        return fallback;
    }
}

} // namespace xs_shim

/* Written as macros so that __func__ and the parameter's spelling end up in
 * the message without repeating them at every call site. */
#define XS_REQUIRE(p)                                                        \
    do {                                                                     \
        if ((p) == nullptr)                                                  \
            return ::xs_shim::fail(XS_ERR_INVALID_ARGUMENT, __func__,        \
                                   "argument '" #p "' is NULL");             \
    } while (0)

#define XS_REQUIRE_OR(p, fallback)                                           \
    do {                                                                     \
        if ((p) == nullptr) {                                                \
            ::xs_shim::fail(XS_ERR_INVALID_ARGUMENT, __func__,               \
                            "argument '" #p "' is NULL");                    \
            return (fallback);                                               \
        }                                                                    \
    } while (0)

#endif
