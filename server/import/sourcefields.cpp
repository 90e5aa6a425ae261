#include "import/sourcefields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace mythos {

QDateTime parseSourceTime(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral(
            R"(^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$)"));
    const QRegularExpressionMatch m = pattern.match(text);
    if (!m.hasMatch())
        return {};
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    const int ms = m.captured(7).isEmpty() ? 0 : (m.captured(7) + QStringLiteral("00")).left(3).toInt();
    const QTime time(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt(), ms);
    if (!date.isValid() || !time.isValid())
        return {};
    int offsetSeconds = 0;
    const QString zone = m.captured(8);
    if (!zone.isEmpty() && zone != QLatin1String("Z")) {
        const QString digits = QString(zone).remove(QLatin1Char(':'));
        offsetSeconds = (digits.mid(1, 2).toInt() * 60 + digits.mid(3, 2).toInt()) * 60;
        if (zone.startsWith(QLatin1Char('-')))
            offsetSeconds = -offsetSeconds;
    }
    return QDateTime(date, time, Qt::UTC).addSecs(-offsetSeconds);
}

QJsonValue FieldReader::take(const char *key, Need need, const char *type, bool (QJsonValue::*is)() const)
{
    const QString name = QLatin1String(key);
    m_known.insert(name);
    const QJsonValue value = m_object.value(name);
    if (value.isUndefined() || value.isNull()) {
        if (need == Need::Required && m_error.isEmpty())
            m_error = QStringLiteral("missing field '%1'").arg(name);
        return {};
    }
    if (!(value.*is)()) {
        if (m_error.isEmpty())
            m_error = QStringLiteral("field '%1' must be %2").arg(name, QLatin1String(type));
        return {};
    }
    return value;
}

QString FieldReader::string(const char *key, Need need)
{
    return take(key, need, "a string", &QJsonValue::isString).toString();
}

bool FieldReader::boolean(const char *key, Need need)
{
    return take(key, need, "true or false", &QJsonValue::isBool).toBool();
}

std::optional<qint64> FieldReader::integer(const char *key, Need need)
{
    const QJsonValue v = take(key, need, "a whole number", &QJsonValue::isDouble);
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (d != static_cast<double>(static_cast<qint64>(d))) {
        if (m_error.isEmpty())
            m_error = QStringLiteral("field '%1' must be a whole number").arg(QLatin1String(key));
        return std::nullopt;
    }
    return static_cast<qint64>(d);
}

QDateTime FieldReader::time(const char *key, Need need)
{
    const QString text = take(key, need, "an ISO-8601 timestamp", &QJsonValue::isString).toString();
    if (text.isEmpty())
        return {};
    const QDateTime t = parseSourceTime(text);
    if (!t.isValid() && m_error.isEmpty())
        m_error = QStringLiteral("field '%1' is not an ISO-8601 timestamp: '%2'").arg(QLatin1String(key), text);
    return t;
}

QJsonObject FieldReader::object(const char *key, Need need)
{
    return take(key, need, "an object", &QJsonValue::isObject).toObject();
}

void FieldReader::skip(const char *key)
{
    m_known.insert(QLatin1String(key));
}

QString FieldReader::error() const
{
    if (!m_error.isEmpty())
        return m_error;
    for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
        if (!m_known.contains(it.key()))
            return QStringLiteral("unknown field '%1'").arg(it.key());
    }
    return {};
}

int lineAt(const QByteArray &bytes, qsizetype offset)
{
    return static_cast<int>(bytes.left(offset).count('\n')) + 1;
}

int lineOfKey(const QByteArray &bytes, const QString &key, int fromLine)
{
    // Encoded as JSON would write it, so keys with quotes or non-ASCII text are found too.
    const QByteArray array = QJsonDocument(QJsonArray { key }).toJson(QJsonDocument::Compact);
    const QByteArray needle = array.mid(1, array.size() - 2);
    qsizetype from = 0;
    for (int line = 1; line < fromLine && from >= 0; ++line)
        from = bytes.indexOf('\n', from) + 1;
    const qsizetype at = bytes.indexOf(needle, std::max<qsizetype>(from, 0));
    return at < 0 ? fromLine : lineAt(bytes, at);
}

} // namespace mythos
