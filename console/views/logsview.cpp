#include "views/logsview.h"

#include "connection/moderatorclient.h"
#include "models/exporter.h"
#include "models/logmodel.h"
#include "protocol/frames.h"
#include "protocol/wirenames.h"
#include "views/readonlytable.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSaveFile>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace mythos::console {

LogsView::LogsView(LogModel *model, ModeratorClient *client, QWidget *parent)
    : QWidget(parent), m_model(model), m_client(client), m_proxy(new QSortFilterProxyModel(this))
{
    m_proxy->setSourceModel(model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_category = new QComboBox;
    m_category->addItem(tr("Chat"), QStringLiteral("chat"));
    m_category->addItem(tr("Moderation"), QStringLiteral("moderation"));
    m_category->addItem(tr("System"), QStringLiteral("system"));
    m_category->setAccessibleName(tr("Log category"));
    m_day = new QDateEdit(QDateTime::currentDateTimeUtc().date());
    m_day->setCalendarPopup(true);
    m_day->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_day->setToolTip(tr("The UTC day of the log file"));
    m_day->setAccessibleName(tr("Log day (UTC)"));
    m_event = new QLineEdit;
    m_event->setPlaceholderText(tr("event (e.g. mute, message)"));
    m_event->setAccessibleName(tr("Event filter"));
    m_event->setClearButtonEnabled(true);
    m_player = new QLineEdit;
    m_player->setPlaceholderText(tr("player id"));
    m_player->setToolTip(tr("Only lines about this player: as sender, target, player or actor"));
    m_player->setAccessibleName(tr("Player filter"));
    m_player->setClearButtonEnabled(true);
    m_search = new QLineEdit;
    m_search->setPlaceholderText(tr("search (Ctrl+F)"));
    m_search->setAccessibleName(tr("Search the log"));
    m_search->setClearButtonEnabled(true);
    m_follow = new QCheckBox(tr("&Follow"));
    m_follow->setToolTip(tr("Re-read the file every 2 seconds and add new lines at the bottom"));
    auto *exportButton = new QToolButton;
    exportButton->setText(tr("E&xport…"));
    exportButton->setToolTip(tr("Save the rows shown to CSV or JSON lines (Ctrl+S)"));

    auto *bar = new QHBoxLayout;
    auto *categoryLabel = new QLabel(tr("&Category:"));
    categoryLabel->setBuddy(m_category);
    bar->addWidget(categoryLabel);
    bar->addWidget(m_category);
    auto *dayLabel = new QLabel(tr("Da&y:"));
    dayLabel->setBuddy(m_day);
    bar->addWidget(dayLabel);
    bar->addWidget(m_day);
    bar->addWidget(m_event, 1);
    bar->addWidget(m_player, 1);
    bar->addWidget(m_search, 2);
    bar->addWidget(m_follow);
    bar->addWidget(exportButton);

    m_table = readOnlyTable(m_proxy, tr("Log lines"));
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(LogModel::TimeColumn, 110);
    m_table->setColumnWidth(LogModel::EventColumn, 130);
    m_table->setColumnWidth(LogModel::ServerColumn, 110);

    m_status = new QLabel;
    m_status->setAccessibleName(tr("Logs status"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    auto shortcut = [this](const QKeySequence &key, auto slot) {
        auto *a = new QAction(this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
    };
    shortcut(QKeySequence::Find, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    shortcut(QKeySequence::Refresh, [this] { query(true); });
    shortcut(QKeySequence::Save, [this] { exportInteractively(); });
    connect(exportButton, &QToolButton::clicked, this, &LogsView::exportInteractively);

    connect(m_category, &QComboBox::currentIndexChanged, this, [this] { query(true); });
    connect(m_day, &QDateEdit::dateChanged, this, [this] { query(true); });
    connect(m_event, &QLineEdit::editingFinished, this, [this] { query(true); });
    connect(m_player, &QLineEdit::editingFinished, this, [this] { query(true); });
    // The table narrows at once; the server is asked again (whole day, not just what is
    // loaded) once typing pauses.
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(400);
    connect(&m_searchDelay, &QTimer::timeout, this, [this] { query(true); });
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &t) {
        m_proxy->setFilterFixedString(t);
        m_searchDelay.start();
    });
    m_followTimer.setInterval(2000);
    connect(&m_followTimer, &QTimer::timeout, this, [this] { query(false); });
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (on) {
            m_followTimer.start();
            query(false);
        } else {
            m_followTimer.stop();
        }
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow->isChecked())
            m_table->scrollToBottom();
    });
}

void LogsView::setCategory(const QString &category)
{
    m_category->setCurrentIndex(m_category->findData(category));
}

void LogsView::setDay(const QDate &day)
{
    m_day->setDate(day);
}

void LogsView::setFollowing(bool follow)
{
    m_follow->setChecked(follow);
}

void LogsView::setPlayer(const QString &playerId)
{
    m_player->setText(playerId);
    query(true);
}

void LogsView::setSearch(const QString &text)
{
    m_search->setText(text);
    m_searchDelay.stop();
    query(true);
}

QString LogsView::statusText() const
{
    return m_status->text();
}

void LogsView::query(bool fresh)
{
    if (m_client->state() != ModeratorClient::State::Connected || (!fresh && m_queryInFlight))
        return;
    const QJsonObject frame =
            frames::logs({ m_category->currentData().toString(), m_day->date().toString(Qt::ISODate),
                           m_event->text().trimmed(), m_search->text().trimmed(), 1000, m_player->text().trimmed() });
    m_queryInFlight = true;
    m_client->request(
            frame,
            [this, fresh](const QString &type, const QJsonObject &data) {
                m_queryInFlight = false;
                if (type != wire::event::logs) {
                    m_status->setText(
                            tr("Could not read the log: %1").arg(data.value(wire::field::message).toString()));
                    return;
                }
                // An answer to a query the moderator has since changed is stale: drop it.
                if (data.value(wire::field::category).toString() != m_category->currentData().toString()
                    || data.value(wire::field::day).toString() != m_day->date().toString(Qt::ISODate))
                    return;
                const QJsonArray lines = data.value(wire::field::lines).toArray();
                if (fresh)
                    m_model->setLines(lines);
                else
                    m_model->merge(lines);
                const qint64 matched = static_cast<qint64>(data.value(wire::field::matched).toDouble());
                m_status->setText(tr("%1 %2: %3 matching lines in the file, %4 loaded, %5 shown%6")
                                          .arg(m_category->currentText(), m_day->date().toString(Qt::ISODate))
                                          .arg(matched)
                                          .arg(m_model->rowCount())
                                          .arg(m_proxy->rowCount())
                                          .arg(m_follow->isChecked() ? tr(" · following") : QString()));
            },
            this);
}

bool LogsView::exportTo(const QString &path, Format format, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    const bool written = format == Format::Csv ? exporter::writeCsv(*m_proxy, file)
                                               : exporter::writeJsonLines(*m_proxy, LogModel::RawRole, file);
    if (!written || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void LogsView::exportInteractively()
{
    QString filter;
    const QString suggested = QStringLiteral("mythos-%1-%2.csv")
                                      .arg(m_category->currentData().toString(), m_day->date().toString(Qt::ISODate));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export visible log lines"), suggested,
                                                      tr("CSV (*.csv);;JSON lines (*.jsonl)"), &filter);
    if (path.isEmpty())
        return;
    const Format format = path.endsWith(QLatin1String(".jsonl")) || filter.startsWith(QLatin1String("JSON"))
            ? Format::JsonLines
            : Format::Csv;
    QString error;
    if (exportTo(path, format, &error))
        m_status->setText(tr("Exported %1 rows to %2").arg(m_proxy->rowCount()).arg(path));
    else
        m_status->setText(tr("Export failed: %1").arg(error));
}

} // namespace mythos::console
