#pragma once
// The server's health as a table (metric, value, change per second) plus the recent history the
// charts draw: server counters from `stats` events and messages per channel counted from the
// live feed (the server's stats have no per-channel counts).

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>

namespace mythos::console {

class HealthModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { MetricColumn, ValueColumn, RateColumn, ColumnCount };
    enum Role { KeyRole = Qt::UserRole + 1 }; // e.g. "connections", "refused.muted"

    struct StatsSample
    {
        QDateTime at;
        QJsonObject stats;
        double refusedPerS = 0, rateLimitedPerS = 0, filterHitsPerS = 0, avoidedPerS = 0, acceptedPerS = 0;
        int queueDepth = 0;
    };
    struct FeedSample
    {
        QDateTime at;
        QHash<QString, double> perChannel; // messages per second over the bucket
    };

    explicit HealthModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void addStats(const QJsonObject &stats, const QDateTime &at = QDateTime::currentDateTimeUtc());
    void setQueueDepth(int depth);
    void countFeedMessage(const QString &channel);
    // Closes the current feed bucket (the view calls it every couple of seconds).
    void closeFeedBucket(const QDateTime &at = QDateTime::currentDateTimeUtc());

    const QList<StatsSample> &statsSamples() const { return m_stats; }
    const QList<FeedSample> &feedSamples() const { return m_feed; }
    QStringList channelsSeen() const { return m_channels; }
    QJsonObject latest() const { return m_stats.isEmpty() ? QJsonObject() : m_stats.last().stats; }
    // A metric's value by key ("connections", "filter.held", "refused.muted", "queue_depth").
    QVariant value(const QString &key) const;

    void setWindowSeconds(int s) { m_windowS = s; }

Q_SIGNALS:
    void statsAdded();
    void feedSampleAdded();

private:
    struct Metric
    {
        QString key, label;
        QVariant value;
        QVariant perSecond;
    };
    void rebuild();
    void prune(const QDateTime &now);

    QList<StatsSample> m_stats;
    QList<FeedSample> m_feed;
    QHash<QString, int> m_bucket;
    QDateTime m_bucketStart = QDateTime::currentDateTimeUtc();
    QStringList m_channels;
    QList<Metric> m_rows;
    int m_queueDepth = 0;
    int m_windowS = 600;
};

} // namespace mythos::console
