#include "protocol/errorcode.h"

namespace mythos {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Unauthenticated: return QStringLiteral("unauthenticated");
    case ErrorCode::InvalidJson: return QStringLiteral("invalid_json");
    case ErrorCode::InvalidRequest: return QStringLiteral("invalid_request");
    case ErrorCode::UnknownType: return QStringLiteral("unknown_type");
    case ErrorCode::UnknownChannel: return QStringLiteral("unknown_channel");
    case ErrorCode::Forbidden: return QStringLiteral("forbidden");
    case ErrorCode::RateLimited: return QStringLiteral("rate_limited");
    case ErrorCode::Muted: return QStringLiteral("muted");
    case ErrorCode::Empty: return QStringLiteral("empty");
    case ErrorCode::TooLong: return QStringLiteral("too_long");
    case ErrorCode::UnknownTarget: return QStringLiteral("unknown_target");
    case ErrorCode::PayloadTooLarge: return QStringLiteral("payload_too_large");
    case ErrorCode::Unavailable: return QStringLiteral("unavailable");
    case ErrorCode::NotFound: return QStringLiteral("not_found");
    case ErrorCode::Internal: return QStringLiteral("internal");
    }
    return QStringLiteral("internal");
}

int httpStatusFor(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Unauthenticated: return 401;
    case ErrorCode::Forbidden: return 403;
    case ErrorCode::NotFound:
    case ErrorCode::UnknownChannel:
    case ErrorCode::UnknownTarget: return 404;
    case ErrorCode::PayloadTooLarge: return 413;
    case ErrorCode::RateLimited: return 429;
    case ErrorCode::Muted: return 403;
    case ErrorCode::Unavailable: return 503;
    case ErrorCode::Internal: return 500;
    case ErrorCode::InvalidJson:
    case ErrorCode::InvalidRequest:
    case ErrorCode::UnknownType:
    case ErrorCode::Empty:
    case ErrorCode::TooLong: return 400;
    }
    return 500;
}

} // namespace mythos
