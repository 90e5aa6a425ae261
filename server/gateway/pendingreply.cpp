#include "gateway/pendingreply.h"

Q_LOGGING_CATEGORY(lcPendingReply, "mythos.server.http")

namespace mythos {

QHttpServerResponder *PendingReply::responder()
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        return &m_responder;
    ++*m_dropped;
    qCDebug(lcPendingReply) << "HTTP client disconnected before its reply was ready; reply dropped";
    return nullptr;
}

} // namespace mythos
