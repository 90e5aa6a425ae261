#pragma once
// Narrows the live feed to what a moderator is watching: a channel, a place (room, subzone or
// zone id), a player, and free text. Empty criteria match everything.

#include <QSortFilterProxyModel>

namespace mythos::console {

class MonitorFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit MonitorFilter(QObject *parent = nullptr);

    void setChannel(const QString &channel);
    void setScopeId(const QString &scopeId);
    void setPlayer(const QString &player);
    void setText(const QString &text);
    QString channel() const { return m_channel; }
    QString scopeId() const { return m_scopeId; }
    QString player() const { return m_player; }
    QString text() const { return m_text; }
    bool isFiltering() const;

    // Whether a scope filter covers a room: the id itself or any enclosing subzone/zone/plane.
    static bool scopeMatches(const QString &filter, const QString &roomId, const QString &scopeId);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void update(QString &field, const QString &value);
    QString m_channel, m_scopeId, m_player, m_text;
};

} // namespace mythos::console
