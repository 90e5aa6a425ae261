#include "models/monitormodel.h"

#include "protocol/wirenames.h"

#include <QBrush>
#include <QFont>
#include <QPalette>

namespace mythos::console {

MonitorModel::MonitorModel(QObject *parent) : QAbstractTableModel(parent)
{
}

int MonitorModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_lines.size());
}

int MonitorModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

MonitorModel::Line MonitorModel::lineFrom(const QJsonObject &m)
{
    Line l;
    l.raw = m;
    l.messageId = m.value(wire::field::messageId).toString();
    l.channel = m.value(wire::field::channel).toString();
    l.scopeId = m.value(wire::field::scopeId).toString();
    l.roomId = m.value(wire::field::roomId).toString();
    l.senderId = m.value(wire::field::senderId).toString();
    l.senderName = m.value(wire::field::senderName).toString();
    // Moderators read what the player wrote; the mark says players saw it masked.
    const QString original = m.value(wire::field::originalContent).toString();
    l.content = original.isEmpty() ? m.value(wire::field::content).toString()
                                   : tr("%1  [masked for players]").arg(original);
    // Said to nobody: the sender is shadow-muted and only moderators got the line.
    l.shadow = m.value(wire::field::shadow).toBool();
    if (l.shadow)
        l.content = tr("%1  [shadow: nobody else got it]").arg(l.content);
    l.sortKey = l.messageId;
    if (m.value(wire::field::late).toBool()) {
        l.recovered = QStringLiteral("late");
        l.inOrder = true;
    }
    l.time = QDateTime::fromString(m.value(wire::field::timestamp).toString(), Qt::ISODateWithMs);
    if (!l.time.isValid())
        l.time = QDateTime::currentDateTimeUtc();
    if (m.contains(wire::field::targetId) && l.scopeId.isEmpty())
        l.scopeId = QStringLiteral("→ %1").arg(m.value(wire::field::targetName).toString());
    return l;
}

QVariant MonitorModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Line &l = m_lines.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (l.marker)
            return index.column() == TextColumn    ? l.content
                    : index.column() == TimeColumn ? l.time.toLocalTime().toString(QStringLiteral("HH:mm:ss"))
                                                   : QVariant();
        switch (index.column()) {
        case TimeColumn: return l.time.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
        case ChannelColumn: return l.channel;
        case ScopeColumn: return l.scopeId.isEmpty() ? tr("everyone") : l.scopeId;
        case SenderColumn: return l.senderName;
        case TextColumn: return l.deleted ? tr("%1  [deleted]").arg(l.content) : l.content;
        }
        return {};
    case Qt::ToolTipRole:
        if (l.marker)
            return l.content;
        return tr("%1\n%2 · %3 · room %4\nid %5%6")
                .arg(l.raw.contains(wire::field::originalContent)
                             ? tr("Players saw: %1").arg(l.raw.value(wire::field::message).toString())
                             : l.raw.value(wire::field::message).toString(),
                     l.time.toLocalTime().toString(Qt::ISODate), l.senderId, l.roomId.isEmpty() ? tr("none") : l.roomId,
                     l.messageId + (l.shadow ? tr("\nshadow-muted sender: accepted, delivered to nobody") : QString()),
                     l.recovered == QLatin1String("late") ? tr("\ndelivered late, after the servers' bus came back")
                             : l.recovered == QLatin1String("resumed")
                             ? tr("\nresent by the server after the console reconnected")
                             : QString());
    case Qt::FontRole:
        if (l.marker || l.deleted || l.shadow) {
            QFont f;
            f.setItalic(true);
            f.setStrikeOut(l.deleted);
            return f;
        }
        return {};
    case Qt::ForegroundRole:
        if (l.marker || l.deleted)
            return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
        if (l.shadow) // readable, and unlike any line players saw
            return QBrush(QColor(0x8e, 0x24, 0xaa));
        return {};
    case MessageIdRole: return l.messageId;
    case ChannelRole: return l.channel;
    case ScopeIdRole: return l.scopeId;
    case RoomIdRole: return l.roomId;
    case SenderIdRole: return l.senderId;
    case SenderNameRole: return l.senderName;
    case ContentRole: return l.content;
    case RawRole: return l.raw;
    case MarkerRole: return l.marker;
    case DeletedRole: return l.deleted;
    case RecoveredRole: return l.recovered;
    case ShadowRole: return l.shadow;
    }
    return {};
}

QVariant MonitorModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case ChannelColumn: return tr("Channel");
    case ScopeColumn: return tr("Scope");
    case SenderColumn: return tr("Sender");
    case TextColumn: return tr("Text");
    }
    return {};
}

void MonitorModel::append(const QJsonObject &message)
{
    add(lineFrom(message));
}

int MonitorModel::merge(const QJsonArray &messages)
{
    int added = 0;
    for (const QJsonValue &v : messages) {
        Line l = lineFrom(v.toObject());
        if (l.recovered.isEmpty())
            l.recovered = QStringLiteral("resumed");
        l.inOrder = true;
        added += add(std::move(l)) ? 1 : 0;
    }
    return added;
}

void MonitorModel::addMarker(const QString &text, const QString &afterId)
{
    Line l;
    l.marker = true;
    l.content = text;
    l.time = QDateTime::currentDateTimeUtc();
    l.inOrder = !afterId.isEmpty();
    // A marker at the bottom sorts with the line above it, so later merges land below it.
    const QList<Line> &above = m_waiting.isEmpty() ? m_lines : m_waiting;
    l.sortKey = l.inOrder ? afterId : above.isEmpty() ? QString() : above.constLast().sortKey;
    add(std::move(l));
}

bool MonitorModel::add(Line l)
{
    if (!l.marker && !l.messageId.isEmpty()) {
        // The same message can come twice: resent by a resume and live, or in the resume's
        // clock window before `since`. The first copy stays.
        if (m_ids.contains(l.messageId))
            return false;
        m_ids.insert(l.messageId);
    }
    if (m_paused) {
        m_waiting.append(std::move(l));
        // The waiting lines obey the cap too: what would be trimmed on resume is dropped now.
        if (m_waiting.size() > m_cap) {
            const qsizetype excess = m_waiting.size() - m_cap;
            for (qsizetype i = 0; i < excess; ++i)
                forget(m_waiting.at(i));
            m_dropped += excess;
            m_waiting.remove(0, excess);
        }
        Q_EMIT waitingCountChanged(waitingCount());
        return true;
    }
    place(std::move(l));
    trim();
    return true;
}

int MonitorModel::rowFor(const QString &sortKey) const
{
    // After every line that sorts at or before the key; from the bottom, where merges land.
    qsizetype row = m_lines.size();
    while (row > 0 && m_lines.at(row - 1).sortKey > sortKey)
        --row;
    return static_cast<int>(row);
}

void MonitorModel::place(Line l)
{
    const int row = l.inOrder ? rowFor(l.sortKey) : rowCount();
    beginInsertRows({}, row, row);
    m_lines.insert(row, std::move(l));
    endInsertRows();
}

void MonitorModel::forget(const Line &l)
{
    if (!l.marker)
        m_ids.remove(l.messageId);
}

void MonitorModel::trim()
{
    const qsizetype excess = m_lines.size() - m_cap;
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, static_cast<int>(excess) - 1);
    for (qsizetype i = 0; i < excess; ++i)
        forget(m_lines.at(i));
    m_lines.remove(0, excess);
    m_dropped += excess;
    endRemoveRows();
}

void MonitorModel::markDeleted(const QString &messageId)
{
    auto mark = [&messageId](QList<Line> &lines) -> int {
        for (qsizetype i = lines.size() - 1; i >= 0; --i) {
            if (!lines[i].marker && lines[i].messageId == messageId) {
                lines[i].deleted = true;
                return static_cast<int>(i);
            }
        }
        return -1;
    };
    mark(m_waiting);
    const int row = mark(m_lines);
    if (row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void MonitorModel::clear()
{
    beginResetModel();
    for (const Line &l : std::as_const(m_lines))
        forget(l);
    m_lines.clear();
    endResetModel();
}

void MonitorModel::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!paused) {
        QList<Line> waiting;
        waiting.swap(m_waiting);
        for (Line &l : waiting)
            place(std::move(l));
        trim();
        Q_EMIT waitingCountChanged(0);
    }
    Q_EMIT pausedChanged(paused);
}

void MonitorModel::setCap(int maxRows)
{
    m_cap = std::max(1, maxRows);
    trim();
}

QList<int> MonitorModel::contextRows(int row, int before, int after) const
{
    QList<int> rows;
    if (row < 0 || row >= m_lines.size())
        return rows;
    const Line &at = m_lines.at(row);
    auto same = [&at](const Line &l) { return !l.marker && l.channel == at.channel && l.scopeId == at.scopeId; };
    for (int i = row - 1, n = 0; i >= 0 && n < before; --i) {
        if (same(m_lines.at(i))) {
            rows.prepend(i);
            ++n;
        }
    }
    rows.append(row);
    for (int i = row + 1, n = 0; i < m_lines.size() && n < after; ++i) {
        if (same(m_lines.at(i))) {
            rows.append(i);
            ++n;
        }
    }
    return rows;
}

} // namespace mythos::console
