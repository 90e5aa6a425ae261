#include "views/healthview.h"

#include "models/healthmodel.h"
#include "protocol/wirenames.h"
#include "views/readonlytable.h"

#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>

namespace mythos::console {

HealthView::HealthView(HealthModel *model, QWidget *parent) : QWidget(parent), m_model(model)
{
    m_banner = new QLabel(tr("Waiting for the first statistics from the server…"));
    m_banner->setAccessibleName(tr("Server state"));
    m_banner->setMargin(6);
    m_banner->setAutoFillBackground(true);

    m_table = readOnlyTable(model, tr("Server metrics"));
    m_table->horizontalHeader()->setSectionResizeMode(HealthModel::MetricColumn, QHeaderView::Stretch);
    m_table->setColumnWidth(HealthModel::ValueColumn, 110);
    m_table->setColumnWidth(HealthModel::RateColumn, 90);
    m_table->setMinimumWidth(380);

    m_feed = makeChart(tr("Messages per second by channel (live feed)"), tr("msg/s"));
    m_server =
            makeChart(tr("Server: refused, rate-limited, filter hits, deliveries avoided (per second)"), tr("per s"));

    auto *charts = new QSplitter(Qt::Vertical);
    charts->addWidget(m_feed.view);
    charts->addWidget(m_server.view);
    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_table);
    split->addWidget(charts);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(split, 1);

    connect(m_model, &HealthModel::statsAdded, this, [this] {
        redrawServer();
        updateBanner();
    });
    connect(m_model, &HealthModel::feedSampleAdded, this, &HealthView::redrawFeed);
    // Feed rates are counted here, in 2-second buckets, because the server's stats have no
    // per-channel numbers.
    m_bucketTimer.setInterval(2000);
    connect(&m_bucketTimer, &QTimer::timeout, this, [this] { m_model->closeFeedBucket(); });
    m_bucketTimer.start();
}

HealthView::Chart HealthView::makeChart(const QString &title, const QString &yTitle)
{
    Chart c;
    c.chart = new QChart;
    c.chart->setTitle(title);
    c.chart->legend()->setAlignment(Qt::AlignBottom);
    c.chart->setMargins(QMargins(4, 4, 4, 4));
    c.x = new QDateTimeAxis;
    c.x->setFormat(QStringLiteral("HH:mm:ss"));
    c.x->setTickCount(6);
    c.y = new QValueAxis;
    c.y->setTitleText(yTitle);
    c.y->setLabelFormat(QStringLiteral("%.1f"));
    c.y->setRange(0, 1);
    c.chart->addAxis(c.x, Qt::AlignBottom);
    c.chart->addAxis(c.y, Qt::AlignLeft);
    const QDateTime now = QDateTime::currentDateTime();
    c.x->setRange(now.addSecs(-60), now);
    c.view = new QChartView(c.chart);
    c.view->setRenderHint(QPainter::Antialiasing);
    c.view->setMinimumHeight(220);
    c.view->setAccessibleName(title);
    return c;
}

QLineSeries *HealthView::seriesFor(Chart &chart, const QString &name)
{
    if (QLineSeries *s = chart.series.value(name))
        return s;
    auto *s = new QLineSeries;
    s->setName(name);
    chart.chart->addSeries(s);
    s->attachAxis(chart.x);
    s->attachAxis(chart.y);
    chart.series.insert(name, s);
    return s;
}

void HealthView::fitAxes(Chart &chart)
{
    qreal maxY = 1;
    qreal minX = 0, maxX = 0;
    bool any = false;
    for (QLineSeries *s : std::as_const(chart.series)) {
        for (const QPointF &p : s->points()) {
            maxY = std::max(maxY, p.y());
            minX = any ? std::min(minX, p.x()) : p.x();
            maxX = any ? std::max(maxX, p.x()) : p.x();
            any = true;
        }
    }
    chart.y->setRange(0, maxY * 1.15);
    if (any) {
        // At least a minute wide, so the first points do not fill the whole chart.
        minX = std::min(minX, maxX - 60000);
        chart.x->setRange(QDateTime::fromMSecsSinceEpoch(qint64(minX)), QDateTime::fromMSecsSinceEpoch(qint64(maxX)));
    }
}

void HealthView::redrawFeed()
{
    for (const QString &channel : m_model->channelsSeen()) {
        QList<QPointF> points;
        for (const HealthModel::FeedSample &f : m_model->feedSamples())
            points.append(QPointF(qreal(f.at.toMSecsSinceEpoch()), f.perChannel.value(channel)));
        seriesFor(m_feed, channel)->replace(points);
    }
    fitAxes(m_feed);
}

void HealthView::redrawServer()
{
    const auto &samples = m_model->statsSamples();
    QList<QPointF> refused, limited, hits, avoided;
    for (qsizetype i = 1; i < samples.size(); ++i) { // the first sample has no rate yet
        const qreal x = qreal(samples.at(i).at.toMSecsSinceEpoch());
        refused.append({ x, samples.at(i).refusedPerS });
        limited.append({ x, samples.at(i).rateLimitedPerS });
        hits.append({ x, samples.at(i).filterHitsPerS });
        avoided.append({ x, samples.at(i).avoidedPerS });
    }
    seriesFor(m_server, tr("refused"))->replace(refused);
    seriesFor(m_server, tr("rate-limited"))->replace(limited);
    seriesFor(m_server, tr("filter hits"))->replace(hits);
    seriesFor(m_server, tr("deliveries avoided"))->replace(avoided);
    fitAxes(m_server);
}

void HealthView::updateBanner()
{
    const QJsonObject s = m_model->latest();
    const QString nats = s.value(QLatin1String("nats")).toString();
    const bool ok = nats == QLatin1String("connected") || nats == QLatin1String("disabled");
    m_banner->setText(tr("<b>%1</b> · NATS <b>%2</b> · %3 instances seen · %4 connections · %5 players · queue %6")
                              .arg(s.value(wire::field::serverId).toString().toHtmlEscaped(), nats.toHtmlEscaped())
                              .arg(s.value(QLatin1String("instances_seen")).toInt())
                              .arg(s.value(QLatin1String("connections")).toInt())
                              .arg(s.value(QLatin1String("players")).toInt())
                              .arg(m_model->value(QStringLiteral("queue_depth")).toInt()));
    QPalette p = m_banner->palette();
    p.setColor(QPalette::Window, ok ? QColor(0xd7, 0xf0, 0xd7) : QColor(0xf8, 0xd7, 0xd0));
    p.setColor(QPalette::WindowText, Qt::black);
    m_banner->setPalette(p);
}

QString HealthView::natsText() const
{
    return m_banner->text();
}

int HealthView::seriesPointCount(const QString &name) const
{
    for (const Chart *c : { &m_feed, &m_server }) {
        if (QLineSeries *s = c->series.value(name))
            return static_cast<int>(s->count());
    }
    return -1;
}

} // namespace mythos::console
