#include "models/monitorfilter.h"

#include "models/monitormodel.h"

namespace mythos::console {

MonitorFilter::MonitorFilter(QObject *parent) : QSortFilterProxyModel(parent)
{
}

void MonitorFilter::update(QString &field, const QString &value)
{
    const QString v = value.trimmed();
    if (field == v)
        return;
    field = v;
    invalidateFilter();
}

void MonitorFilter::setChannel(const QString &channel)
{
    update(m_channel, channel);
}
void MonitorFilter::setScopeId(const QString &scopeId)
{
    update(m_scopeId, scopeId);
}
void MonitorFilter::setPlayer(const QString &player)
{
    update(m_player, player);
}
void MonitorFilter::setText(const QString &text)
{
    update(m_text, text);
}

bool MonitorFilter::isFiltering() const
{
    return !m_channel.isEmpty() || !m_scopeId.isEmpty() || !m_player.isEmpty() || !m_text.isEmpty();
}

bool MonitorFilter::scopeMatches(const QString &filter, const QString &roomId, const QString &scopeId)
{
    if (filter.isEmpty())
        return true;
    // Scope ids are prefixes of room ids (earth_arkhamcity ⊃ earth_arkhamcity_sanitarium_…).
    return scopeId.compare(filter, Qt::CaseInsensitive) == 0 || roomId.compare(filter, Qt::CaseInsensitive) == 0
            || roomId.startsWith(filter + QLatin1Char('_'), Qt::CaseInsensitive);
}

bool MonitorFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    if (i.data(MonitorModel::MarkerRole).toBool())
        return true; // "connection lost" lines explain gaps whatever the filter
    if (!m_channel.isEmpty()
        && i.data(MonitorModel::ChannelRole).toString().compare(m_channel, Qt::CaseInsensitive) != 0)
        return false;
    if (!scopeMatches(m_scopeId, i.data(MonitorModel::RoomIdRole).toString(),
                      i.data(MonitorModel::ScopeIdRole).toString()))
        return false;
    if (!m_player.isEmpty() && !i.data(MonitorModel::SenderIdRole).toString().contains(m_player, Qt::CaseInsensitive)
        && !i.data(MonitorModel::SenderNameRole).toString().contains(m_player, Qt::CaseInsensitive))
        return false;
    return m_text.isEmpty() || i.data(MonitorModel::ContentRole).toString().contains(m_text, Qt::CaseInsensitive);
}

} // namespace mythos::console
