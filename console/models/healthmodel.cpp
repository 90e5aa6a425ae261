#include "models/healthmodel.h"

#include "protocol/wirenames.h"

#include <QJsonValue>

namespace mythos::console {

namespace {
double num(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toDouble();
}
double refusedTotal(const QJsonObject &stats)
{
    double total = 0;
    const QJsonObject refused = stats.value(QLatin1String("refused")).toObject();
    for (auto it = refused.begin(); it != refused.end(); ++it)
        total += it.value().toDouble();
    return total;
}
double filterHits(const QJsonObject &stats)
{
    const QJsonObject f = stats.value(QLatin1String("filter")).toObject();
    return num(f, "masked") + num(f, "flagged") + num(f, "held");
}
QString uptimeText(qint64 s)
{
    return QStringLiteral("%1d %2h %3m").arg(s / 86400).arg((s % 86400) / 3600).arg((s % 3600) / 60);
}
} // namespace

HealthModel::HealthModel(QObject *parent) : QAbstractTableModel(parent)
{
    rebuild();
}

int HealthModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int HealthModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HealthModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Metric &m = m_rows.at(index.row());
    if (role == KeyRole)
        return m.key;
    if (role == Qt::TextAlignmentRole && index.column() != MetricColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case MetricColumn: return m.label;
    case ValueColumn: return m.value;
    case RateColumn: return m.perSecond.isValid() ? QString::number(m.perSecond.toDouble(), 'f', 2) : QString();
    }
    return {};
}

QVariant HealthModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case MetricColumn: return tr("Metric");
    case ValueColumn: return tr("Value");
    case RateColumn: return tr("per second");
    }
    return {};
}

QVariant HealthModel::value(const QString &key) const
{
    for (const Metric &m : m_rows) {
        if (m.key == key)
            return m.value;
    }
    return {};
}

void HealthModel::addStats(const QJsonObject &stats, const QDateTime &at)
{
    StatsSample s;
    s.at = at;
    s.stats = stats;
    s.queueDepth = m_queueDepth;
    if (!m_stats.isEmpty()) {
        const StatsSample &prev = m_stats.last();
        const double dt = std::max(0.001, prev.at.msecsTo(at) / 1000.0);
        // Counters restart with the server: a drop means a new process, not negative traffic.
        auto rate = [dt](double now, double before) { return now >= before ? (now - before) / dt : 0.0; };
        s.refusedPerS = rate(refusedTotal(stats), refusedTotal(prev.stats));
        s.rateLimitedPerS = rate(num(stats, "rate_limited"), num(prev.stats, "rate_limited"));
        s.filterHitsPerS = rate(filterHits(stats), filterHits(prev.stats));
        s.avoidedPerS = rate(num(stats, "deliveries_avoided"), num(prev.stats, "deliveries_avoided"));
        s.acceptedPerS = rate(num(stats, "messages_accepted"), num(prev.stats, "messages_accepted"));
    }
    m_stats.append(s);
    prune(at);
    rebuild();
    Q_EMIT statsAdded();
}

void HealthModel::setQueueDepth(int depth)
{
    if (m_queueDepth == depth)
        return;
    m_queueDepth = depth;
    rebuild();
}

void HealthModel::countFeedMessage(const QString &channel)
{
    ++m_bucket[channel];
    if (!m_channels.contains(channel))
        m_channels.append(channel);
}

void HealthModel::closeFeedBucket(const QDateTime &at)
{
    const double dt = std::max(0.001, m_bucketStart.msecsTo(at) / 1000.0);
    FeedSample f;
    f.at = at;
    for (const QString &c : std::as_const(m_channels))
        f.perChannel.insert(c, m_bucket.value(c) / dt);
    m_feed.append(f);
    m_bucket.clear();
    m_bucketStart = at;
    prune(at);
    Q_EMIT feedSampleAdded();
}

void HealthModel::prune(const QDateTime &now)
{
    const QDateTime oldest = now.addSecs(-m_windowS);
    while (!m_stats.isEmpty() && m_stats.first().at < oldest)
        m_stats.removeFirst();
    while (!m_feed.isEmpty() && m_feed.first().at < oldest)
        m_feed.removeFirst();
}

void HealthModel::rebuild()
{
    const QJsonObject s = latest();
    const StatsSample *last = m_stats.isEmpty() ? nullptr : &m_stats.last();
    const bool rated = m_stats.size() > 1;
    auto perS = [rated](double v) { return rated ? QVariant(v) : QVariant(); };
    QList<Metric> rows;
    rows.append({ QStringLiteral("server_id"), tr("Server"), s.value(wire::field::serverId).toString(), {} });
    rows.append({ QStringLiteral("nats"), tr("NATS"), s.value(QLatin1String("nats")).toString(), {} });
    rows.append({ QStringLiteral("instances_seen"),
                  tr("Instances seen"),
                  s.value(QLatin1String("instances_seen")).toInt(),
                  {} });
    rows.append(
            { QStringLiteral("connections"), tr("Connections"), s.value(QLatin1String("connections")).toInt(), {} });
    rows.append({ QStringLiteral("players"), tr("Players online"), s.value(QLatin1String("players")).toInt(), {} });
    rows.append({ QStringLiteral("messages_accepted"), tr("Messages accepted"), qint64(num(s, "messages_accepted")),
                  perS(last ? last->acceptedPerS : 0) });
    rows.append({ QStringLiteral("messages_relayed_in"),
                  tr("Messages relayed in"),
                  qint64(num(s, "messages_relayed_in")),
                  {} });
    rows.append({ QStringLiteral("rate_limited"), tr("Rate-limit violations"), qint64(num(s, "rate_limited")),
                  perS(last ? last->rateLimitedPerS : 0) });
    const QJsonObject filter = s.value(QLatin1String("filter")).toObject();
    for (const char *k : { "masked", "flagged", "held" })
        rows.append({ QStringLiteral("filter.") + QLatin1String(k),
                      tr("Filter hits: %1").arg(QLatin1String(k)),
                      qint64(num(filter, k)),
                      {} });
    rows.append({ QStringLiteral("deliveries"), tr("Deliveries"), qint64(num(s, "deliveries")), {} });
    rows.append({ QStringLiteral("deliveries_avoided"), tr("Deliveries avoided (server-side filtering)"),
                  qint64(num(s, "deliveries_avoided")), perS(last ? last->avoidedPerS : 0) });
    rows.append({ QStringLiteral("queue_depth"), tr("Moderation queue depth"), m_queueDepth, {} });
    const QJsonObject refused = s.value(QLatin1String("refused")).toObject();
    for (auto it = refused.begin(); it != refused.end(); ++it)
        rows.append({ QStringLiteral("refused.") + it.key(),
                      tr("Refused: %1").arg(it.key()),
                      qint64(it.value().toDouble()),
                      {} });
    rows.append({ QStringLiteral("uptime_s"), tr("Uptime"), uptimeText(qint64(num(s, "uptime_s"))), {} });

    if (rows.size() == m_rows.size()) {
        bool sameKeys = true;
        for (int i = 0; i < rows.size() && sameKeys; ++i)
            sameKeys = rows.at(i).key == m_rows.at(i).key;
        if (sameKeys) {
            m_rows = rows;
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
            return;
        }
    }
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

} // namespace mythos::console
