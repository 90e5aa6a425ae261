#include "cli/lineformat.h"

#include "protocol/wirenames.h"

#include <QDateTime>
#include <QVariant>

namespace mythos::cli {

namespace {
QString str(const QJsonObject &o, QLatin1String key, const QString &fallback = {})
{
    return o.value(key).toString(fallback);
}
QString clock(const QString &iso)
{
    const QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("HH:mm:ss")) : QStringLiteral("?");
}
} // namespace

QString welcomeLine(const QJsonObject &data, bool reconnected)
{
    if (reconnected)
        return QStringLiteral("* reconnected as %1 on %2")
                .arg(str(data, wire::field::playerName), str(data, wire::field::serverId));
    return QStringLiteral("* connected as %1 (%2) on %3; room: %4; you can send on: %5")
            .arg(str(data, wire::field::playerName), str(data, wire::field::role), str(data, wire::field::serverId),
                 str(data, wire::field::roomId, QStringLiteral("(none)")),
                 data.value(wire::field::channels).toVariant().toStringList().join(QStringLiteral(", ")));
}

QString chatLine(const QJsonObject &message, const QString &recovered)
{
    const QString text = str(message, wire::field::message);
    return recovered.isEmpty() ? text : QStringLiteral("(%1) %2").arg(recovered, text);
}

QString gapLine(const QString &description, const QJsonObject &gap)
{
    if (gap.contains(wire::field::from))
        return QStringLiteral("* gap %1–%2: %3")
                .arg(clock(str(gap, wire::field::from)), clock(str(gap, wire::field::to)), description);
    return QStringLiteral("* gap: %1").arg(description);
}

QString eventLine(const QString &type, const QJsonObject &data)
{
    if (type == wire::event::ack && data.value(wire::field::held).toBool())
        return QStringLiteral("* your message waits for a moderator before anyone sees it");
    if (type == wire::event::ack && data.value(wire::field::filtered).toBool())
        return QStringLiteral("* sent, with some words masked");
    if (type == wire::event::error)
        return QStringLiteral("! %1: %2").arg(str(data, wire::field::code), str(data, wire::field::message));
    if (type == wire::event::commandResponse)
        return str(data, wire::field::result);
    if (type == wire::event::presence)
        return QStringLiteral("* you are in %1, party %2")
                .arg(str(data, wire::field::roomId, QStringLiteral("(nowhere)")),
                     str(data, wire::field::partyId, QStringLiteral("(none)")));
    if (type == wire::event::messageDeleted)
        return QStringLiteral("* a moderator removed message %1").arg(str(data, wire::field::messageId));
    return {};
}

} // namespace mythos::cli
