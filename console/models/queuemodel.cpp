#include "models/queuemodel.h"

#include "protocol/wirenames.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFont>
#include <QSet>

namespace mythos::console {

namespace {
QString str(const QJsonObject &o, QLatin1String key)
{
    return o.value(key).toString();
}
bool isPending(const QJsonObject &item)
{
    return str(item, wire::field::status) == QLatin1String("pending");
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

QStringList QueueModel::matchedRuleNames(const QJsonObject &item)
{
    const QJsonArray rules = item.value(wire::field::context).toObject().value(wire::field::matched).toArray();
    QStringList names;
    for (const QJsonValue &v : rules) {
        const QJsonObject r = v.toObject();
        const QString name = str(r, wire::field::category).isEmpty()
                ? str(r, wire::field::pattern)
                : tr("%1: %2").arg(str(r, wire::field::category), str(r, wire::field::rule));
        if (!names.contains(name))
            names.append(name);
    }
    if (rules.isEmpty()) // an item queued before rules had names
        names = matchedExpressions(item);
    return names;
}

QStringList QueueModel::categories(const QJsonObject &item)
{
    QStringList out;
    if (str(item, wire::field::kind) == QLatin1String("review"))
        out.append(QStringLiteral("review"));
    const QJsonArray rules = item.value(wire::field::context).toObject().value(wire::field::matched).toArray();
    for (const QJsonValue &v : rules) {
        const QString category = str(v.toObject(), wire::field::category);
        if (!category.isEmpty() && !out.contains(category))
            out.append(category);
    }
    return out;
}

QStringList QueueModel::matchedExpressions(const QJsonObject &item)
{
    QStringList expressions;
    for (const QJsonValue &r : item.value(wire::field::reasons).toArray())
        expressions.append(r.toString());
    return expressions;
}

QVariant QueueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const QJsonObject &i = m_items.at(index.row());
    const QJsonObject message = i.value(wire::field::message).toObject();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case CreatedColumn:
            return QDateTime::fromString(str(i, wire::field::createdAt), Qt::ISODateWithMs)
                    .toLocalTime()
                    .toString(QStringLiteral("HH:mm:ss"));
        case KindColumn: return str(i, wire::field::kind);
        case StatusColumn: {
            const QString resolution = str(i, wire::field::resolution);
            return resolution.isEmpty() || resolution == str(i, wire::field::status)
                    ? str(i, wire::field::status)
                    : tr("%1 (%2)").arg(str(i, wire::field::status), resolution);
        }
        case ChannelColumn: return str(i, wire::field::channel);
        case SenderColumn:
            return str(message, wire::field::senderName).isEmpty() ? str(i, wire::field::senderId)
                                                                   : str(message, wire::field::senderName);
        case TextColumn:
            return message.contains(wire::field::originalContent)
                    ? tr("%1  [masked for players]").arg(str(message, wire::field::originalContent))
                    : str(message, wire::field::content);
        case ReasonsColumn: return matchedRuleNames(i).join(QStringLiteral("; "));
        case ClaimedColumn: return isPending(i) ? str(i, wire::field::claimedBy) : str(i, wire::field::resolvedBy);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ReasonsColumn) // the expressions, for whoever asks
            return matchedExpressions(i).join(QLatin1Char('\n'));
        return str(message, wire::field::message);
    case Qt::FontRole:
        if (str(i, wire::field::kind) == QLatin1String("held") && isPending(i) && index.column() == KindColumn) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::ForegroundRole:
        if (!isPending(i))
            return QBrush(QColor(0x80, 0x80, 0x80));
        return {};
    case ItemIdRole: return str(i, wire::field::itemId);
    case StatusRole: return str(i, wire::field::status);
    case KindRole: return str(i, wire::field::kind);
    case SenderIdRole: return str(i, wire::field::senderId);
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
        if (str(m_items.at(r), wire::field::itemId) == itemId)
            return r;
    }
    return -1;
}

void QueueModel::upsert(const QJsonObject &item)
{
    const QString id = str(item, wire::field::itemId);
    if (id.isEmpty())
        return;
    const int row = rowOf(id);
    if (row >= 0) {
        m_items[row] = item;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    } else {
        // Items arrive newest last; keep the newest at the top by creation time.
        const QString created = str(item, wire::field::createdAt);
        int at = 0;
        while (at < m_items.size() && str(m_items.at(at), wire::field::createdAt) > created)
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
        fresh.insert(str(v.toObject(), wire::field::itemId));
    for (int r = static_cast<int>(m_items.size()) - 1; r >= 0; --r) {
        if (isPending(m_items.at(r)) && !fresh.contains(str(m_items.at(r), wire::field::itemId))) {
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
            held += str(i, wire::field::kind) == QLatin1String("held");
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

void QueueFilter::setCategory(const QString &category)
{
    const QString c = category.trimmed();
    if (m_category == c)
        return;
    m_category = c;
    invalidateFilter();
}

bool QueueFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_showClosed && i.data(QueueModel::StatusRole).toString() != QLatin1String("pending"))
        return false;
    if (m_category.isEmpty())
        return true;
    return QueueModel::categories(i.data(QueueModel::RawRole).toJsonObject()).contains(m_category, Qt::CaseInsensitive);
}

} // namespace mythos::console
