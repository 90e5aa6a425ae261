#include "models/queuemodel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFont>
#include <QSet>

namespace mythos::console {

namespace {
QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}
bool isPending(const QJsonObject &item)
{
    return str(item, "status") == QLatin1String("pending");
}
} // namespace

QueueModel::QueueModel(QObject *parent) : QAbstractTableModel(parent)
{
}

int QueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

int QueueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant QueueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const QJsonObject &i = m_items.at(index.row());
    const QJsonObject message = i.value(QLatin1String("message")).toObject();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case CreatedColumn:
            return QDateTime::fromString(str(i, "created_at"), Qt::ISODateWithMs)
                    .toLocalTime()
                    .toString(QStringLiteral("HH:mm:ss"));
        case KindColumn: return str(i, "kind");
        case StatusColumn: {
            const QString resolution = str(i, "resolution");
            return resolution.isEmpty() || resolution == str(i, "status")
                    ? str(i, "status")
                    : tr("%1 (%2)").arg(str(i, "status"), resolution);
        }
        case ChannelColumn: return str(i, "channel");
        case SenderColumn:
            return str(message, "sender_name").isEmpty() ? str(i, "sender_id") : str(message, "sender_name");
        case TextColumn: return str(message, "content");
        case ReasonsColumn: {
            QStringList reasons;
            for (const QJsonValue &r : i.value(QLatin1String("reasons")).toArray())
                reasons.append(r.toString());
            return reasons.join(QStringLiteral("; "));
        }
        case ClaimedColumn: return isPending(i) ? str(i, "claimed_by") : str(i, "resolved_by");
        }
        return {};
    case Qt::ToolTipRole: return str(message, "message");
    case Qt::FontRole:
        if (str(i, "kind") == QLatin1String("held") && isPending(i) && index.column() == KindColumn) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::ForegroundRole:
        if (!isPending(i))
            return QBrush(QColor(0x80, 0x80, 0x80));
        return {};
    case ItemIdRole: return str(i, "item_id");
    case StatusRole: return str(i, "status");
    case KindRole: return str(i, "kind");
    case SenderIdRole: return str(i, "sender_id");
    case RawRole: return i;
    }
    return {};
}

QVariant QueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case CreatedColumn: return tr("Created");
    case KindColumn: return tr("Kind");
    case StatusColumn: return tr("Status");
    case ChannelColumn: return tr("Channel");
    case SenderColumn: return tr("Sender");
    case TextColumn: return tr("Message");
    case ReasonsColumn: return tr("Matched");
    case ClaimedColumn: return tr("Moderator");
    }
    return {};
}

int QueueModel::rowOf(const QString &itemId) const
{
    for (int r = 0; r < m_items.size(); ++r) {
        if (str(m_items.at(r), "item_id") == itemId)
            return r;
    }
    return -1;
}

void QueueModel::upsert(const QJsonObject &item)
{
    const QString id = str(item, "item_id");
    if (id.isEmpty())
        return;
    const int row = rowOf(id);
    if (row >= 0) {
        m_items[row] = item;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    } else {
        // Items arrive newest last; keep the newest at the top by creation time.
        const QString created = str(item, "created_at");
        int at = 0;
        while (at < m_items.size() && str(m_items.at(at), "created_at") > created)
            ++at;
        beginInsertRows({}, at, at);
        m_items.insert(at, item);
        endInsertRows();
        trimClosed();
    }
    recount();
}

void QueueModel::replacePending(const QJsonArray &items)
{
    QSet<QString> fresh;
    for (const QJsonValue &v : items)
        fresh.insert(str(v.toObject(), "item_id"));
    for (int r = static_cast<int>(m_items.size()) - 1; r >= 0; --r) {
        if (isPending(m_items.at(r)) && !fresh.contains(str(m_items.at(r), "item_id"))) {
            beginRemoveRows({}, r, r);
            m_items.removeAt(r);
            endRemoveRows();
        }
    }
    for (const QJsonValue &v : items)
        upsert(v.toObject());
    recount();
}

void QueueModel::clear()
{
    beginResetModel();
    m_items.clear();
    endResetModel();
    recount();
}

void QueueModel::trimClosed()
{
    int closed = 0;
    for (int r = 0; r < m_items.size(); ++r) {
        if (isPending(m_items.at(r)) || ++closed <= m_closedCap)
            continue;
        beginRemoveRows({}, r, r);
        m_items.removeAt(r);
        endRemoveRows();
        --r;
    }
}

void QueueModel::recount()
{
    int pending = 0, held = 0;
    for (const QJsonObject &i : std::as_const(m_items)) {
        if (isPending(i)) {
            ++pending;
            held += str(i, "kind") == QLatin1String("held");
        }
    }
    if (pending == m_pending && held == m_heldPending)
        return;
    m_pending = pending;
    m_heldPending = held;
    Q_EMIT countsChanged(pending, held);
}

void QueueFilter::setShowClosed(bool show)
{
    if (m_showClosed == show)
        return;
    m_showClosed = show;
    invalidateFilter();
}

bool QueueFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_showClosed)
        return true;
    return sourceModel()->index(sourceRow, 0, sourceParent).data(QueueModel::StatusRole).toString()
            == QLatin1String("pending");
}

} // namespace mythos::console
