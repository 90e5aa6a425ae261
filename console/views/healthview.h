#pragma once
// The health tab: the server's numbers (NATS, instances, connections, refusals by reason,
// filter hits, queue depth, deliveries avoided) and charts of the last minutes: messages per
// second by channel from the live feed, and the server's refusal and filter rates.

#include <QHash>
#include <QTimer>
#include <QWidget>

class QLabel;
class QTableView;
class QChart;
class QChartView;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace mythos::console {

class HealthModel;

class HealthView : public QWidget
{
    Q_OBJECT
public:
    explicit HealthView(HealthModel *model, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    QString natsText() const;
    int seriesPointCount(const QString &name) const;

private:
    struct Chart
    {
        QChart *chart = nullptr;
        QChartView *view = nullptr;
        QDateTimeAxis *x = nullptr;
        QValueAxis *y = nullptr;
        QHash<QString, QLineSeries *> series;
    };
    Chart makeChart(const QString &title, const QString &yTitle);
    QLineSeries *seriesFor(Chart &chart, const QString &name);
    void redrawFeed();
    void redrawServer();
    void updateBanner();
    static void fitAxes(Chart &chart);

    HealthModel *m_model;
    QLabel *m_banner;
    QTableView *m_table;
    Chart m_feed, m_server;
    QTimer m_bucketTimer;
};

} // namespace mythos::console
