#include "cli/lineformat.h"

#include <QDateTime>
#include <QVariant>

namespace mythos::cli {

namespace {
QString str(const QJsonObject &o, const char *key, const QString &fallback = {})
{
    return o.value(QLatin1String(key)).toString(fallback);
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
        return QStringLiteral("* reconnected as %1 on %2").arg(str(data, "player_name"), str(data, "server_id"));
    return QStringLiteral("* connected as %1 (%2) on %3; room: %4; you can send on: %5")
            .arg(str(data, "player_name"), str(data, "role"), str(data, "server_id"),
                 str(data, "room_id", QStringLiteral("(none)")),
                 data.value(QLatin1String("channels")).toVariant().toStringList().join(QStringLiteral(", ")));
}

QString chatLine(const QJsonObject &message, const QString &recovered)
{
    const QString text = str(message, "message");
    return recovered.isEmpty() ? text : QStringLiteral("(%1) %2").arg(recovered, text);
}

QString gapLine(const QString &description, const QJsonObject &gap)
{
    if (gap.contains(QLatin1String("from")))
        return QStringLiteral("* gap %1–%2: %3").arg(clock(str(gap, "from")), clock(str(gap, "to")), description);
    return QStringLiteral("* gap: %1").arg(description);
}

QString eventLine(const QString &type, const QJsonObject &data)
{
    if (type == QLatin1String("ack") && data.value(QLatin1String("held")).toBool())
        return QStringLiteral("* your message waits for a moderator before anyone sees it");
    if (type == QLatin1String("ack") && data.value(QLatin1String("filtered")).toBool())
        return QStringLiteral("* sent, with some words masked");
    if (type == QLatin1String("error"))
        return QStringLiteral("! %1: %2").arg(str(data, "code"), str(data, "message"));
    if (type == QLatin1String("command_response"))
        return str(data, "result");
    if (type == QLatin1String("presence"))
        return QStringLiteral("* you are in %1, party %2")
                .arg(str(data, "room_id", QStringLiteral("(nowhere)")),
                     str(data, "party_id", QStringLiteral("(none)")));
    if (type == QLatin1String("message_deleted"))
        return QStringLiteral("* a moderator removed message %1").arg(str(data, "message_id"));
    return {};
}

} // namespace mythos::cli
