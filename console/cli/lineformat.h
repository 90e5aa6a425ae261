#pragma once
// How mythos-chat-cli prints server events: one readable line each (empty: print nothing).
// Separate from the connection so reconnecting and resuming stay readable in TerminalClient.

#include <QJsonObject>
#include <QString>

namespace mythos::cli {

QString welcomeLine(const QJsonObject &welcome, bool reconnected);
// A chat line; `recovered` is "late" (after a bus outage), "missed" (resent after a reconnect)
// or empty, and is printed in front so a reader sees why an older line shows up now.
QString chatLine(const QJsonObject &message, const QString &recovered = {});
QString gapLine(const QString &description, const QJsonObject &gap = {});
// Every other event the client shows (ack notes, errors, command results, presence, deletions).
QString eventLine(const QString &type, const QJsonObject &data);

} // namespace mythos::cli
