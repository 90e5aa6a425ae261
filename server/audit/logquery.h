#pragma once
// The audit trail read back: one query for the console's Logs tab (the `logs` request) and for
// `mythos-chatd logs` in a terminal, so both find the same lines.

#include "audit/auditlog.h"

#include <QByteArray>
#include <QDate>
#include <QString>
#include <functional>

namespace mythos {

struct LogQuery
{
    AuditCategory category = AuditCategory::Moderation;
    QDate from; // UTC days, both included
    QDate to;
    QString player; // a line is about a player when it names them as sender, target, player or actor
    QString event; // exact event name
    QString text; // case-insensitive, anywhere in the line
    bool hideWhispers = false; // chat lines of whispers, for readers who may not see them
};

struct LogQueryStats
{
    qint64 matched = 0;
    int daysRead = 0; // days that had a file
};

// Calls `visit` with each matching line (raw JSON, trimmed), oldest day first and in file order.
LogQueryStats runLogQuery(const QString &logDir, const LogQuery &query,
                          const std::function<void(const QByteArray &)> &visit);

// "chat", "moderation", "system" → the category; false for anything else.
bool parseAuditCategory(const QString &name, AuditCategory *category);

} // namespace mythos
