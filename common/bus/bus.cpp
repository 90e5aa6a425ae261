#include "bus/bus.h"

#include <QMetaEnum>

namespace mythos {

void Bus::addInterest(const QByteArray &subject)
{
    if (m_interest[subject]++ == 0)
        subscribe(subject);
}

void Bus::removeInterest(const QByteArray &subject)
{
    auto it = m_interest.find(subject);
    if (it == m_interest.end())
        return;
    if (--it.value() == 0) {
        m_interest.erase(it);
        unsubscribe(subject);
    }
}

void Bus::request(const QByteArray &subject, const QByteArray &payload, int timeoutMs, BusReplyHandler handler)
{
    const quint64 token = m_requests.add(timeoutMs, std::move(handler));
    if (!isConnected() || !sendRequest(subject, payload, token))
        m_requests.resolveLater(token, BusReply::Status::Unavailable);
}

bool Bus::sendRequest(const QByteArray &, const QByteArray &, quint64)
{
    return false;
}

QString Bus::stateName(State state)
{
    switch (state) {
    case State::Disabled: return QStringLiteral("disabled");
    case State::Connecting: return QStringLiteral("connecting");
    case State::Connected: return QStringLiteral("connected");
    case State::Reconnecting: return QStringLiteral("reconnecting");
    case State::Closed: return QStringLiteral("closed");
    }
    return QStringLiteral("unknown");
}

} // namespace mythos
