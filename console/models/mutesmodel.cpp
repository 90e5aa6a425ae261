#include "models/mutesmodel.h"

#include "protocol/wirenames.h"

#include <QFont>
#include <QHash>

namespace mythos::console {

MutesModel::MutesModel(QObject *parent)
    : QAbstractTableModel(parent), m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &MutesModel::tick);
    m_timer.start();
}

int MutesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_mutes.size());
}

int MutesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

MutesModel::Row MutesModel::rowFrom(const QJsonObject &m, const QString &scope)
{
    Row r;
    r.raw = m;
    r.scope = m.value(wire::field::scope).toString(scope);
    r.targetId = m.value(wire::field::target).toString();
    r.targetName = m.value(wire::field::targetName).toString();
    r.channel = m.value(wire::field::channel).toString();
    r.reason = m.value(wire::field::reason).toString();
    r.mutedBy = m.value(QLatin1String("muted_by")).toString();
    const QJsonValue until = m.value(wire::field::mutedUntil);
    if (until.isString())
        r.until = QDateTime::fromString(until.toString(), Qt::ISODateWithMs).toUTC();
    r.key = r.scope + QLatin1Char(':') + m.value(wire::field::targetType).toString() + QLatin1Char(':') + r.targetId
            + QLatin1Char(':') + r.channel + QLatin1Char(':') + r.mutedBy;
    return r;
}

QString MutesModel::remainingText(const QDateTime &until, const QDateTime &now)
{
    if (!until.isValid())
        return tr("permanent");
    qint64 s = now.secsTo(until);
    if (s <= 0)
        return tr("expired");
    const qint64 d = s / 86400, h = (s % 86400) / 3600, m = (s % 3600) / 60;
    s %= 60;
    if (d > 0)
        return tr("%1d %2h").arg(d).arg(h);
    if (h > 0)
        return tr("%1h %2m").arg(h).arg(m, 2, 10, QLatin1Char('0'));
    return tr("%1m %2s").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

QVariant MutesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &r = m_mutes.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TargetColumn:
            return r.targetName.isEmpty() || r.targetName == r.targetId ? r.targetId
                                                                        : tr("%1 (%2)").arg(r.targetName, r.targetId);
        case ChannelColumn: return r.channel.isEmpty() ? tr("all channels") : r.channel;
        case ReasonColumn: return r.reason;
        case MutedByColumn: return r.mutedBy;
        case ExpiresColumn: return remainingText(r.until, m_clock());
        case KindColumn: return r.scope == wire::value::shadow ? tr("shadow") : tr("server");
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == KindColumn)
            return r.scope == wire::value::shadow
                    ? tr("Shadow mute: the player's lines are accepted as usual and reach moderators only")
                    : tr("Server mute: the player's lines are refused, and the player is told until when");
        if (index.column() == ExpiresColumn)
            return r.until.isValid() ? r.until.toLocalTime().toString(Qt::ISODate) : tr("until a moderator removes it");
        return r.reason;
    case Qt::FontRole:
        if (r.scope == wire::value::shadow) { // set apart: the player does not know about it
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == ExpiresColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case TargetIdRole: return r.targetId;
    case TargetNameRole: return r.targetName;
    case ChannelRole: return r.channel;
    case UntilRole: return r.until;
    case ReasonRole: return r.reason;
    case RawRole: return r.raw;
    case ScopeRole: return r.scope;
    }
    return {};
}

QVariant MutesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TargetColumn: return tr("Player");
    case ChannelColumn: return tr("Scope");
    case ReasonColumn: return tr("Reason");
    case MutedByColumn: return tr("Muted by");
    case ExpiresColumn: return tr("Expires in");
    case KindColumn: return tr("Kind");
    }
    return {};
}

void MutesModel::setMutes(const QJsonArray &mutes, const QString &scope)
{
    // Update in place rather than reset, so the moderator's selection survives a refresh.
    QList<Row> fresh;
    QHash<QString, int> freshIndex;
    for (const QJsonValue &v : mutes) {
        Row r = rowFrom(v.toObject(), scope);
        freshIndex.insert(r.key, static_cast<int>(fresh.size()));
        fresh.append(std::move(r));
    }
    for (int i = static_cast<int>(m_mutes.size()) - 1; i >= 0; --i) {
        if (m_mutes.at(i).scope == scope && !freshIndex.contains(m_mutes.at(i).key)) {
            beginRemoveRows({}, i, i);
            m_mutes.removeAt(i);
            endRemoveRows();
        }
    }
    QHash<QString, int> kept;
    for (int i = 0; i < m_mutes.size(); ++i)
        kept.insert(m_mutes.at(i).key, i);
    for (Row &r : fresh) {
        const auto it = kept.constFind(r.key);
        if (it != kept.constEnd()) {
            m_mutes[*it] = r;
            Q_EMIT dataChanged(index(*it, 0), index(*it, ColumnCount - 1));
        } else {
            const int at = static_cast<int>(m_mutes.size());
            beginInsertRows({}, at, at);
            m_mutes.append(r);
            endInsertRows();
        }
    }
}

int MutesModel::rowOf(const QString &targetId, const QString &channel, const QString &scope) const
{
    for (int i = 0; i < m_mutes.size(); ++i) {
        const Row &r = m_mutes.at(i);
        if (r.targetId.compare(targetId, Qt::CaseInsensitive) == 0 && r.channel == channel && r.scope == scope)
            return i;
    }
    return -1;
}

void MutesModel::tick()
{
    const QDateTime now = m_clock();
    for (int i = static_cast<int>(m_mutes.size()) - 1; i >= 0; --i) {
        if (m_mutes.at(i).until.isValid() && m_mutes.at(i).until <= now) {
            beginRemoveRows({}, i, i);
            m_mutes.removeAt(i);
            endRemoveRows();
        }
    }
    if (!m_mutes.isEmpty())
        Q_EMIT dataChanged(index(0, ExpiresColumn), index(rowCount() - 1, ExpiresColumn), { Qt::DisplayRole });
}

} // namespace mythos::console
