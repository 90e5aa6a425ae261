#pragma once
// The error codes of PROTOCOL §3 and the HTTP status each maps to.

#include <QString>

namespace mythos {

enum class ErrorCode {
    Unauthenticated,
    InvalidJson,
    InvalidRequest,
    UnknownType,
    UnknownChannel,
    Forbidden,
    RateLimited,
    Muted,
    Empty,
    TooLong,
    UnknownTarget,
    PayloadTooLarge,
    Unavailable,
    NotFound,
    Internal,
};

QString errorCodeName(ErrorCode code);
int httpStatusFor(ErrorCode code);

// An error as returned by the pipeline, before it is put on the wire.
struct ChatError
{
    ErrorCode code = ErrorCode::Internal;
    QString message;
    qint64 retryAfterMs = -1; // rate_limited only
    QString mutedUntil; // muted only; empty = permanent
};

} // namespace mythos
