#pragma once
// The answer to one request sent over the bus (NATS request/reply): a reply, or why there was
// none. Every request gets exactly one of these, on the requester's thread.

#include <QByteArray>

#include <functional>

namespace mythos {

struct BusReply
{
    enum class Status {
        Ok, // `payload` holds the responder's answer
        Timeout, // nobody answered within the time given
        NoResponders, // the server said at once that nobody listens on the subject
        Unavailable, // the bus was down or disabled: the request was never sent
    };
    Status status = Status::Unavailable;
    QByteArray payload;
    double elapsedMs = 0; // from sending to this answer

    bool ok() const { return status == Status::Ok; }
};

using BusReplyHandler = std::function<void(const BusReply &)>;

} // namespace mythos
