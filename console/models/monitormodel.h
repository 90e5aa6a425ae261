#pragma once
// The live feed as a table: one row per chat message seen by the monitor, oldest first, capped
// so a long shift does not eat memory. While paused, new lines wait aside and nothing is lost.

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace mythos::console {

class MonitorModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, ChannelColumn, ScopeColumn, SenderColumn, TextColumn, ColumnCount };
    enum Role {
        MessageIdRole = Qt::UserRole + 1,
        ChannelRole,
        ScopeIdRole,
        RoomIdRole,
        SenderIdRole,
        SenderNameRole,
        ContentRole,
        RawRole,    // the chat_message data as received
        MarkerRole, // true for "connection lost / restored" lines the console adds itself
        DeletedRole,
    };

    explicit MonitorModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void append(const QJsonObject &message);
    void addMarker(const QString &text);
    void markDeleted(const QString &messageId);
    void clear();

    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    int waitingCount() const { return static_cast<int>(m_waiting.size()); }

    void setCap(int maxRows);
    int cap() const { return m_cap; }
    // Lines dropped because of the cap since the start (shown in the monitor's status line).
    qint64 droppedCount() const { return m_dropped; }

    // Rows of the same channel and scope as `row` around it (for "open context").
    QList<int> contextRows(int row, int before = 5, int after = 5) const;

Q_SIGNALS:
    void pausedChanged(bool paused);
    void waitingCountChanged(int count);

private:
    struct Line
    {
        QJsonObject raw;
        QDateTime time;
        QString messageId, channel, scopeId, roomId, senderId, senderName, content;
        bool marker = false;
        bool deleted = false;
    };
    static Line lineFrom(const QJsonObject &message);
    void insertLines(QList<Line> lines);
    void trim();

    QList<Line> m_lines;
    QList<Line> m_waiting;
    int m_cap = 5000;
    bool m_paused = false;
    qint64 m_dropped = 0;
};

} // namespace mythos::console
