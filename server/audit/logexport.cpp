#include "audit/logexport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QLocale>

namespace mythos {

namespace {

QString cellText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String: return v.toString();
    case QJsonValue::Bool: return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: return QString::number(v.toDouble(), 'g', QLocale::FloatingPointShortest);
    case QJsonValue::Array: return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object: return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    default: return {}; // null, missing
    }
}

// RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled.
QByteArray cell(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    if (!bytes.contains(',') && !bytes.contains('"') && !bytes.contains('\n') && !bytes.contains('\r'))
        return bytes;
    bytes.replace("\"", "\"\"");
    return '"' + bytes + '"';
}

void appendRow(QByteArray &out, const QStringList &cells)
{
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (i > 0)
            out += ',';
        out += cell(cells[i]);
    }
    out += "\r\n";
}

} // namespace

void AuditCsvTable::add(const QByteArray &jsonLine)
{
    const QJsonObject object = QJsonDocument::fromJson(jsonLine).object();
    for (const QString &key : object.keys())
        m_otherColumns.insert(key);
    m_rows.append(object);
}

QByteArray AuditCsvTable::toCsv() const
{
    QStringList columns { QStringLiteral("ts"), QStringLiteral("event") };
    for (const QString &key : m_otherColumns) { // std::set: alphabetical
        if (!columns.contains(key))
            columns.append(key);
    }
    QByteArray out;
    appendRow(out, columns);
    for (const QJsonObject &row : m_rows) {
        QStringList cells;
        cells.reserve(columns.size());
        for (const QString &column : std::as_const(columns))
            cells.append(cellText(row.value(column)));
        appendRow(out, cells);
    }
    return out;
}

} // namespace mythos
