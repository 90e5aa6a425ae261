#pragma once
// Server mutes in force, with a live countdown to each expiry. The server does not push mute
// changes to moderators, so the list is replaced by each `mutes` reply; rows whose expiry has
// passed leave by themselves.

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QTimer>

#include <functional>

namespace mythos::console {

class MutesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TargetColumn, ChannelColumn, ReasonColumn, MutedByColumn, ExpiresColumn, ColumnCount };
    enum Role { TargetIdRole = Qt::UserRole + 1, TargetNameRole, ChannelRole, UntilRole, ReasonRole, RawRole };

    explicit MutesModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setMutes(const QJsonArray &mutes);
    int rowOf(const QString &targetId, const QString &channel = {}) const;
    QJsonObject mute(int row) const { return m_mutes.value(row).raw; }

    // "4m 05s", "2h 10m", "3d 4h" or "permanent"; "expired" once it has passed.
    static QString remainingText(const QDateTime &until, const QDateTime &now);
    // Tests drive time; the view uses the wall clock.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }
    // Refreshes the countdown column and drops expired rows (the view calls it every second).
    void tick();

private:
    struct Row
    {
        QJsonObject raw;
        QString key, targetId, targetName, channel, reason, mutedBy;
        QDateTime until; // invalid = permanent
    };
    static Row rowFrom(const QJsonObject &m);

    QList<Row> m_mutes;
    std::function<QDateTime()> m_clock;
    QTimer m_timer;
};

} // namespace mythos::console
