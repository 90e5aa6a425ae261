#pragma once
// The live feed as a table: one row per chat message seen by the monitor, oldest first, capped
// so a long shift does not eat memory. While paused, new lines wait aside and nothing is lost.
// Each message_id is held once: messages resent after a reconnect or delivered late after a bus
// outage are merged in id order, and copies of lines already held are dropped.

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSet>

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
        RawRole, // the chat_message data as received
        MarkerRole, // true for gap lines the console adds itself ("messages may be missing")
        DeletedRole,
        RecoveredRole, // "late" (after a bus outage), "resumed" (resent after a reconnect) or empty
        ShadowRole, // true: the sender is shadow-muted, nobody but moderators got the line
    };

    explicit MonitorModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // A live line goes at the bottom; a `late` one is merged in id order. Either is dropped
    // when its message_id is already held.
    void append(const QJsonObject &message);
    // Messages the server resent (a `resumed` list, oldest first): merged in id order, those
    // already held dropped. Returns how many were new.
    int merge(const QJsonArray &messages);
    // A console line, at the bottom; with `afterId`, right after the lines up to that id (where
    // a hole in the feed starts).
    void addMarker(const QString &text, const QString &afterId = {});
    bool holds(const QString &messageId) const { return m_ids.contains(messageId); }
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
        QString sortKey; // the message_id; for a marker, the id it follows
        QString recovered; // see RecoveredRole
        bool inOrder = false; // placed by sortKey rather than at the bottom
        bool marker = false;
        bool deleted = false;
        bool shadow = false;
    };
    static Line lineFrom(const QJsonObject &message);
    // Takes `l` unless its id is held; pauses keep it aside.
    bool add(Line l);
    void place(Line l);
    int rowFor(const QString &sortKey) const;
    void forget(const Line &l);
    void trim();

    QList<Line> m_lines;
    QList<Line> m_waiting;
    QSet<QString> m_ids; // message ids in m_lines and m_waiting
    int m_cap = 5000;
    bool m_paused = false;
    qint64 m_dropped = 0;
};

} // namespace mythos::console
