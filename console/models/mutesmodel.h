#pragma once
// Server and shadow mutes in force, with a live countdown to each expiry. Each `mutes` reply
// replaces the rows of its scope (server or shadow); rows whose expiry has passed leave by
// themselves.

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
    // KindColumn (server or shadow) comes last so older column numbers keep their meaning; the
    // view shows it second.
    enum Column { TargetColumn, ChannelColumn, ReasonColumn, MutedByColumn, ExpiresColumn, KindColumn, ColumnCount };
    enum Role {
        TargetIdRole = Qt::UserRole + 1,
        TargetNameRole,
        ChannelRole,
        UntilRole,
        ReasonRole,
        RawRole,
        ScopeRole, // "server" or "shadow"
    };

    explicit MutesModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces the mutes of `scope` ("server" or "shadow"), keeping the other scope's rows.
    void setMutes(const QJsonArray &mutes, const QString &scope = QStringLiteral("server"));
    int rowOf(const QString &targetId, const QString &channel = {},
              const QString &scope = QStringLiteral("server")) const;
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
        QString key, scope, targetId, targetName, channel, reason, mutedBy;
        QDateTime until; // invalid = permanent
    };
    static Row rowFrom(const QJsonObject &m, const QString &scope);

    QList<Row> m_mutes;
    std::function<QDateTime()> m_clock;
    QTimer m_timer;
};

} // namespace mythos::console
