#pragma once
// Strict reading of one JSON object of a MythosMUD file: every field is asked for by name, and
// a missing required field, a value of the wrong type or a field nobody asked for is an error.

#include <QDateTime>
#include <QJsonObject>
#include <QSet>
#include <QString>

#include <optional>

namespace mythos {

// What is wrong with a source file, and where: the file's name and the 1-based line.
struct SourceProblem
{
    QString file;
    int line = 0;
    QString message;
    QString where() const { return line > 0 ? QStringLiteral("%1:%2").arg(file).arg(line) : file; }
};

// A timestamp as Python's datetime.isoformat() writes it (microseconds, "+00:00" or none;
// no offset is taken as UTC). Invalid when the text is not one.
QDateTime parseSourceTime(const QString &text);

class FieldReader
{
public:
    enum class Need { Required, Optional }; // Optional: absent or null reads as empty

    explicit FieldReader(QJsonObject object) : m_object(std::move(object)) { }

    QString string(const char *key, Need need = Need::Optional);
    bool boolean(const char *key, Need need = Need::Optional);
    std::optional<qint64> integer(const char *key, Need need = Need::Optional); // nullopt: absent or null
    QDateTime time(const char *key, Need need = Need::Optional); // invalid: absent or null
    QJsonObject object(const char *key, Need need = Need::Optional);
    // A field that is known but whose value does not matter.
    void skip(const char *key);

    // After all fields were read: the first problem ("unknown field 'x'" included), or empty.
    QString error() const;

private:
    QJsonValue take(const char *key, Need need, const char *type, bool (QJsonValue::*is)() const);

    QJsonObject m_object;
    QSet<QString> m_known;
    QString m_error;
};

// The 1-based line of `offset` in `bytes`.
int lineAt(const QByteArray &bytes, qsizetype offset);
// The line where `"key"` first appears at or after `from` (a JSON file's field, for the report).
int lineOfKey(const QByteArray &bytes, const QString &key, int fromLine = 1);

} // namespace mythos
