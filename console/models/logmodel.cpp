#include "models/logmodel.h"

#include "protocol/wirenames.h"

#include <QDateTime>
#include <QJsonDocument>

namespace mythos::console {

namespace {
const QStringList kCommon { QStringLiteral("ts"), QStringLiteral("category"), QStringLiteral("event"),
                            QStringLiteral("server_id") };
// Fields that say most about a line come first in the details column.
const QStringList kFirst { QStringLiteral("actor_name"),  QStringLiteral("actor"),       QStringLiteral("player_id"),
                           QStringLiteral("sender_name"), QStringLiteral("target_name"), QStringLiteral("channel"),
                           QStringLiteral("content"),     QStringLiteral("reason") };

QString valueText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isObject() || v.isArray())
        return QString::fromUtf8(v.isObject() ? QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)
                                              : QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return v.toVariant().toString();
}
} // namespace

LogModel::LogModel(QObject *parent) : QAbstractTableModel(parent)
{
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_lines.size());
}

int LogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString LogModel::details(const QJsonObject &line)
{
    QStringList parts;
    QStringList keys = line.keys();
    for (const QString &k : kFirst) {
        if (keys.removeOne(k))
            parts.append(k + QLatin1Char('=') + valueText(line.value(k)));
    }
    for (const QString &k : std::as_const(keys)) {
        if (!kCommon.contains(k))
            parts.append(k + QLatin1Char('=') + valueText(line.value(k)));
    }
    return parts.join(QLatin1String("  "));
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const QJsonObject &l = m_lines.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: {
            const QDateTime ts = QDateTime::fromString(l.value(QLatin1String("ts")).toString(), Qt::ISODateWithMs);
            return ts.isValid() ? ts.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"))
                                : l.value(QLatin1String("ts")).toString();
        }
        case EventColumn: return l.value(wire::field::event).toString();
        case ServerColumn: return l.value(wire::field::serverId).toString();
        case DetailsColumn: return details(l);
        }
        return {};
    case Qt::ToolTipRole: return QString::fromUtf8(QJsonDocument(l).toJson(QJsonDocument::Indented));
    case RawRole: return l;
    case EventRole: return l.value(wire::field::event).toString();
    }
    return {};
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case EventColumn: return tr("Event");
    case ServerColumn: return tr("Server");
    case DetailsColumn: return tr("Details");
    }
    return {};
}

QByteArray LogModel::keyOf(const QJsonObject &line)
{
    return QJsonDocument(line).toJson(QJsonDocument::Compact);
}

void LogModel::setLines(const QJsonArray &lines)
{
    beginResetModel();
    m_lines.clear();
    m_seen.clear();
    endResetModel();
    merge(lines);
}

int LogModel::merge(const QJsonArray &lines)
{
    QList<QJsonObject> fresh;
    for (const QJsonValue &v : lines) {
        const QJsonObject o = v.toObject();
        const QByteArray key = keyOf(o);
        if (m_seen.contains(key))
            continue;
        m_seen.insert(key);
        fresh.append(o);
    }
    if (fresh.isEmpty())
        return 0;
    const int first = rowCount();
    beginInsertRows({}, first, first + static_cast<int>(fresh.size()) - 1);
    m_lines.append(fresh);
    endInsertRows();
    if (m_lines.size() > m_cap) {
        const int excess = static_cast<int>(m_lines.size()) - m_cap;
        beginRemoveRows({}, 0, excess - 1);
        for (int i = 0; i < excess; ++i)
            m_seen.remove(keyOf(m_lines.at(i)));
        m_lines.remove(0, excess);
        endRemoveRows();
    }
    return static_cast<int>(fresh.size());
}

void LogModel::clear()
{
    setLines({});
}

} // namespace mythos::console
