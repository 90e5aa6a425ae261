#pragma once
// Small helpers the SqlStorage implementation files share (binding values, error results).
// Private to server/storage.

#include "util/result.h"

#include <QDateTime>
#include <QSqlError>
#include <QString>
#include <QVariant>

namespace mythos::sqlhelpers {

template<typename T>
Result<T> dbError(const char *what, const QSqlError &error)
{
    return Result<T>::failure(QStringLiteral("%1: %2").arg(QLatin1String(what), error.text()));
}

// Empty strings are stored as NULL in optional columns.
inline QVariant nullable(const QString &s)
{
    return s.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

// For NOT NULL columns where '' means "none" (scope_id): a null QString would bind NULL.
inline QVariant notNull(const QString &s)
{
    return s.isNull() ? QVariant(QString::fromLatin1("")) : QVariant(s);
}

inline QString iso(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

// SQLite hands timestamps back as text, PostgreSQL as QDateTime.
inline QDateTime readTime(const QVariant &v)
{
    if (v.isNull())
        return {};
    return v.metaType().id() == QMetaType::QDateTime ? v.toDateTime().toUTC()
                                                     : QDateTime::fromString(v.toString(), Qt::ISODateWithMs).toUTC();
}

} // namespace mythos::sqlhelpers
