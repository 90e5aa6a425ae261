#include "models/notesmodel.h"

#include "protocol/wirenames.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>

namespace mythos::console {

namespace {
const QLatin1String kCreatedAt("created_at");
const QLatin1String kAuthorName("author_name");
const QLatin1String kAuthorId("author_id");
const QLatin1String kNotes("notes");

QString str(const QJsonObject &o, QLatin1String key)
{
    return o.value(key).toString();
}
} // namespace

NotesModel::NotesModel(QObject *parent) : QAbstractTableModel(parent)
{
}

int NotesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_notes.size());
}

int NotesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NotesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const QJsonObject &o = m_notes.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromString(str(o, kCreatedAt), Qt::ISODateWithMs)
                    .toLocalTime()
                    .toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        case AuthorColumn: {
            const QString name = str(o, kAuthorName);
            return name.isEmpty() ? str(o, kAuthorId) : name;
        }
        // One line in the table; the whole note (line breaks included) is the tooltip.
        case TextColumn: return str(o, wire::field::text).simplified();
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == TextColumn)
            return str(o, wire::field::text);
        return tr("%1 · by %2 · written on instance %3")
                .arg(str(o, wire::field::id), str(o, kAuthorId), str(o, QLatin1String("origin")));
    case NoteIdRole: return str(o, wire::field::id);
    case RawRole: return o;
    }
    return {};
}

QVariant NotesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("When");
    case AuthorColumn: return tr("By");
    case TextColumn: return tr("Note");
    }
    return {};
}

void NotesModel::setNotes(const QJsonObject &reply)
{
    beginResetModel();
    m_notes.clear();
    for (const QJsonValue &v : reply.value(kNotes).toArray())
        m_notes.append(v.toObject());
    // The server sends newest first; sorting again keeps that true whatever it sends (ISO UTC
    // times sort as text).
    std::stable_sort(m_notes.begin(), m_notes.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return str(a, kCreatedAt) > str(b, kCreatedAt);
    });
    endResetModel();
}

} // namespace mythos::console
