#pragma once
// The moderation queue: flagged and held items keyed by item id, newest first. Every
// `queue_item` event (ours or another moderator's) updates its row in place.

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSortFilterProxyModel>

namespace mythos::console {

class QueueModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        CreatedColumn,
        KindColumn,
        StatusColumn,
        ChannelColumn,
        SenderColumn,
        TextColumn,
        ReasonsColumn,
        ClaimedColumn,
        ColumnCount
    };
    enum Role { ItemIdRole = Qt::UserRole + 1, StatusRole, KindRole, SenderIdRole, RawRole };

    explicit QueueModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void upsert(const QJsonObject &item);
    // "scam: trading gold for money" for each rule that matched (once each); the expressions
    // themselves for an item whose rules have no names.
    static QStringList matchedRuleNames(const QJsonObject &item);
    static QStringList matchedExpressions(const QJsonObject &item);
    // The categories of the rules that matched (each once, in order); "review" for an item the
    // escalation ladder queued.
    static QStringList categories(const QJsonObject &item);
    // A fresh list of pending items (after connecting): pending rows it lacks were settled
    // while we were away, so they go; closed rows we already show stay.
    void replacePending(const QJsonArray &items);
    void clear();

    int rowOf(const QString &itemId) const;
    QJsonObject item(int row) const { return m_items.value(row); }
    int pendingCount() const { return m_pending; }
    int heldPendingCount() const { return m_heldPending; }

    // Lines beyond which closed items are forgotten (pending ones are always kept).
    void setClosedCap(int cap) { m_closedCap = cap; }

Q_SIGNALS:
    void countsChanged(int pending, int heldPending);

private:
    void recount();
    void trimClosed();
    QList<QJsonObject> m_items; // newest first
    int m_pending = 0;
    int m_heldPending = 0;
    int m_closedCap = 1000;
};

// Shows pending items only, or everything; and only one category (a matched rule's, or
// "review"), or all.
class QueueFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit QueueFilter(QObject *parent = nullptr) : QSortFilterProxyModel(parent) { }
    void setShowClosed(bool show);
    bool showClosed() const { return m_showClosed; }
    // Empty: every category. Matched case-insensitively against QueueModel::categories.
    void setCategory(const QString &category);
    QString category() const { return m_category; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool m_showClosed = false;
    QString m_category;
};

} // namespace mythos::console
