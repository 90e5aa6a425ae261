#pragma once
// Audit lines as a table for spreadsheets (RFC 4180 CSV): one column per field any line has,
// `ts` and `event` first, the others in alphabetical order; nested values as compact JSON.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <set>

namespace mythos {

class AuditCsvTable
{
public:
    void add(const QByteArray &jsonLine);
    QByteArray toCsv() const; // header row, then one row per line added; CRLF line ends

private:
    std::set<QString> m_otherColumns;
    QList<QJsonObject> m_rows;
};

} // namespace mythos
