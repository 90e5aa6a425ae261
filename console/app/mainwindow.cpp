#include "app/mainwindow.h"

#include "app/connectdialog.h"
#include "connection/moderatorclient.h"
#include "models/healthmodel.h"
#include "models/logmodel.h"
#include "models/monitormodel.h"
#include "models/mutesmodel.h"
#include "models/queuemodel.h"
#include "views/filterdryrundialog.h"
#include "views/healthview.h"
#include "views/logsview.h"
#include "views/monitorview.h"
#include "views/mutedialog.h"
#include "views/mutesview.h"
#include "views/playerrecorddialog.h"
#include "views/queueview.h"

#include "protocol/frames.h"
#include "protocol/wirenames.h"
#include "util/ids.h"

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace mythos::console {

namespace {
const QString kRecentKey = QStringLiteral("connection/recent_servers");
constexpr int kRecentMax = 8;
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_client(new ModeratorClient(this)), m_monitorModel(new MonitorModel(this)),
      m_queueModel(new QueueModel(this)), m_mutesModel(new MutesModel(this)), m_logModel(new LogModel(this)),
      m_healthModel(new HealthModel(this))
{
    setWindowTitle(tr("Mythos Console"));
    m_monitorView = new MonitorView(m_monitorModel);
    m_queueView = new QueueView(m_queueModel, m_client);
    m_mutesView = new MutesView(m_mutesModel, m_client);
    m_logsView = new LogsView(m_logModel, m_client);
    m_healthView = new HealthView(m_healthModel);

    m_tabs = new QTabWidget;
    m_tabs->addTab(m_monitorView, tr("&Monitor"));
    m_tabs->addTab(m_queueView, tr("&Queue"));
    m_tabs->addTab(m_mutesView, tr("M&utes"));
    m_tabs->addTab(m_logsView, tr("&Logs"));
    m_tabs->addTab(m_healthView, tr("&Health"));
    m_tabs->setDocumentMode(true);

    m_banner = new QLabel;
    m_banner->setWordWrap(true);
    m_banner->setMargin(8);
    m_banner->setStyleSheet(QStringLiteral("background: #f8d7d0; color: #5a0000; border-bottom: 1px solid #d08070;"));
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse
                                      | Qt::LinksAccessibleByKeyboard);
    m_banner->setAccessibleName(tr("Connection problem"));
    m_banner->hide();
    connect(m_banner, &QLabel::linkActivated, this, [this] { showConnectDialog(); });

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    m_state = new QLabel;
    m_state->setAccessibleName(tr("Connection state"));
    m_identity = new QLabel;
    statusBar()->addWidget(m_state, 1);
    statusBar()->addPermanentWidget(m_identity);
    buildMenus();

    connect(m_client, &ModeratorClient::stateChanged, this, &MainWindow::onStateChanged);
    connect(m_client, &ModeratorClient::welcomed, this, &MainWindow::onWelcomed);
    connect(m_client, &ModeratorClient::refused, this, [this](const QString &message) {
        showBanner(tr("<b>Not connected.</b> %1 <a href=\"connect\">Connect with another token…</a>")
                           .arg(message.toHtmlEscaped()));
    });
    // A reconnect is not a gap by itself: the feed is resumed, and a gap line is added only
    // where the server says it could not resend everything (the status bar shows the outage).
    connect(m_client, &ModeratorClient::connectionLost, this,
            [this] { m_feedResume.noteLost(QDateTime::currentMSecsSinceEpoch()); });
    connect(m_client, &ModeratorClient::connectionRestored, this, &MainWindow::resumeMonitor);
    connect(m_client, &ModeratorClient::gapReported, this, &MainWindow::markGap);
    connect(m_client, &ModeratorClient::monitorMessage, this, [this](const QJsonObject &m) {
        m_monitorModel->append(m);
        m_feedResume.noteMessage(m.value(wire::field::messageId).toString());
        m_healthModel->countFeedMessage(m.value(wire::field::channel).toString());
    });
    connect(m_client, &ModeratorClient::messageDeleted, m_monitorModel, &MonitorModel::markDeleted);
    connect(m_client, &ModeratorClient::queueItem, m_queueModel, &QueueModel::upsert);
    connect(m_client, &ModeratorClient::queueList, m_queueModel, &QueueModel::replacePending);
    connect(m_client, &ModeratorClient::statsReceived, this,
            [this](const QJsonObject &s) { m_healthModel->addStats(s); });
    connect(m_client, &ModeratorClient::mutesReceived, m_mutesModel, &MutesModel::setMutes);
    connect(m_queueModel, &QueueModel::countsChanged, this, &MainWindow::updateQueueTitle);
    connect(m_monitorView, &MonitorView::muteRequested, this,
            [this](const QString &id, const QString &name) { muteFromMonitor(id, name); });
    connect(m_monitorView, &MonitorView::shadowMuteRequested, this,
            [this](const QString &id, const QString &name) { muteFromMonitor(id, name, true); });
    connect(m_queueView, &QueueView::mutesChanged, m_mutesView, &MutesView::refresh);
    connect(m_monitorView, &MonitorView::recordRequested, this, &MainWindow::openPlayerRecord);
    connect(m_queueView, &QueueView::recordRequested, this, &MainWindow::openPlayerRecord);
    m_countdown.setInterval(500);
    connect(&m_countdown, &QTimer::timeout, this, &MainWindow::onStateChanged);
    onStateChanged();
    resize(1280, 800);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu *server = menuBar()->addMenu(tr("&Server"));
    QAction *connectAction = server->addAction(tr("&Connect…"), this, [this] { showConnectDialog(); });
    connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    m_recentMenu = server->addMenu(tr("&Recent servers"));
    rebuildRecentMenu();
    QAction *reconnect = server->addAction(tr("&Reconnect now"), this, [this] {
        if (!m_token.isEmpty())
            m_client->connectTo(m_client->url(), m_token);
    });
    reconnect->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    server->addAction(tr("&Disconnect"), this, [this] { m_client->disconnectFromServer(); });
    server->addSeparator();
    m_dryRunAction = server->addAction(tr("Filter &dry run…"), this, [this] { openFilterDryRun(); });
    m_dryRunAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    m_dryRunAction->setEnabled(false); // admins only, known once welcomed
    server->addSeparator();
    QAction *quit = server->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_tabs->count(); ++i) {
        QAction *a = view->addAction(m_tabs->tabText(i).remove(QLatin1Char('&')), this, [this, i] {
            m_tabs->setCurrentIndex(i);
            m_tabs->currentWidget()->setFocus();
        });
        a->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
    }
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *keys = help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
    keys->setShortcut(QKeySequence::HelpContents);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentServers();
    for (const QString &url : recent)
        m_recentMenu->addAction(url, this, [this] { showConnectDialog(); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

QStringList MainWindow::recentServers()
{
    return QSettings().value(kRecentKey).toStringList();
}

void MainWindow::rememberServer(const QUrl &url)
{
    QStringList recent = recentServers();
    recent.removeAll(url.toString());
    recent.prepend(url.toString());
    while (recent.size() > kRecentMax)
        recent.removeLast();
    QSettings().setValue(kRecentKey, recent);
}

void MainWindow::connectTo(const QUrl &url, const QByteArray &token)
{
    m_token = token;
    m_banner->hide();
    rememberServer(url);
    rebuildRecentMenu();
    m_client->connectTo(url, token);
}

void MainWindow::showConnectDialog(const QString &message)
{
    auto *dialog = new ConnectDialog(recentServers(), message, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { connectTo(dialog->url(), dialog->token()); });
    dialog->open();
}

void MainWindow::showBanner(const QString &html)
{
    m_banner->setText(html);
    m_banner->show();
}

QString MainWindow::bannerText() const
{
    return m_banner->isVisible() || !m_banner->isHidden() ? m_banner->text() : QString();
}

QString MainWindow::connectionText() const
{
    return m_state->text();
}

void MainWindow::onStateChanged()
{
    using S = ModeratorClient::State;
    const S state = m_client->state();
    const QString url = m_client->url().toString();
    QString text, colour;
    switch (state) {
    case S::Disconnected:
        text = tr("Not connected (Ctrl+O to connect)");
        colour = QStringLiteral("#808080");
        break;
    case S::Connecting:
        text = tr("Connecting to %1…").arg(url);
        colour = QStringLiteral("#c08000");
        break;
    case S::Authenticating:
        text = tr("Logging in to %1…").arg(url);
        colour = QStringLiteral("#c08000");
        break;
    case S::Connected:
        text = tr("Connected to %1 (%2)").arg(url, m_client->serverId());
        colour = QStringLiteral("#208020");
        break;
    case S::Reconnecting: {
        const int inS = (std::max(0, m_client->nextRetryInMs()) + 999) / 1000;
        text = tr("Connection lost — reconnecting in %1 s (attempt %2)").arg(inS).arg(m_client->reconnectAttempt());
        if (!m_client->lastError().isEmpty())
            text += tr(" · %1").arg(m_client->lastError());
        colour = QStringLiteral("#c03000");
        break;
    }
    case S::Refused:
        text = tr("Refused: %1").arg(m_client->lastError());
        colour = QStringLiteral("#c00000");
        break;
    }
    m_state->setText(QStringLiteral("<span style=\"color:%1\">●</span> %2").arg(colour, text.toHtmlEscaped()));
    m_state->setToolTip(text);
    if (state == S::Reconnecting && !m_countdown.isActive())
        m_countdown.start();
    else if (state != S::Reconnecting)
        m_countdown.stop();
    if (state == S::Connected) {
        m_identity->setText(tr("%1 · %2").arg(m_client->playerName(), m_client->role()));
        setWindowTitle(tr("Mythos Console — %1 @ %2").arg(m_client->playerName(), m_client->url().authority()));
    }
}

void MainWindow::onWelcomed()
{
    m_banner->hide();
    const bool admin = m_client->role() == QLatin1String("admin");
    m_dryRunAction->setEnabled(admin);
    m_dryRunAction->setToolTip(admin ? QString() : tr("Filter dry runs are for admins"));
    m_client->request(frames::monitor(true));
    m_client->request(frames::stats());
    m_queueView->refresh();
    m_mutesView->refresh();
    m_logsView->query(true);
}

void MainWindow::resumeMonitor()
{
    // onWelcomed has already turned the feed back on: frames are served in order, so nothing
    // falls between the resent list and the live feed (what is in both is merged once).
    const QJsonObject frame = m_feedResume.frame();
    if (frame.isEmpty())
        return; // nothing was ever shown and nothing was lost
    const QString since = frame.value(wire::field::since).toString();
    m_client->request(
            frame,
            [this, since](const QString &type, const QJsonObject &data) {
                const FeedResume::Outcome outcome = m_feedResume.outcome(type, data, since);
                if (outcome.retryLater)
                    return; // dropped again; the next reconnect resumes from the same place
                m_monitorModel->merge(outcome.messages);
                for (const QJsonValue &m : outcome.messages)
                    m_feedResume.noteMessage(m.toObject().value(wire::field::messageId).toString());
                if (outcome.gap)
                    m_monitorModel->addMarker(
                            tr("— gap: %1 (see Logs › Chat) —").arg(FeedResume::describe(outcome.reason)), since);
            },
            this);
}

void MainWindow::markGap(const QJsonObject &gap)
{
    const QDateTime from = QDateTime::fromString(gap.value(wire::field::from).toString(), Qt::ISODateWithMs);
    const QDateTime to = QDateTime::fromString(gap.value(wire::field::to).toString(), Qt::ISODateWithMs);
    const QString reason = FeedResume::describe(gap.value(wire::field::reason).toString());
    if (!from.isValid()) {
        m_monitorModel->addMarker(tr("— gap after a bus outage: %1 —").arg(reason));
        return;
    }
    // Placed where the outage began: messages accepted from then on sort after it.
    m_monitorModel->addMarker(
            tr("— gap %1–%2 after a bus outage: %3 —")
                    .arg(from.toLocalTime().toString(QStringLiteral("HH:mm:ss")),
                         to.isValid() ? to.toLocalTime().toString(QStringLiteral("HH:mm:ss")) : QStringLiteral("?"),
                         reason),
            messageIdFloor(from.toMSecsSinceEpoch()));
}

void MainWindow::updateQueueTitle(int pending, int held)
{
    QString title = pending == 0 ? tr("&Queue")
            : held > 0           ? tr("&Queue (%1 · %2 held)").arg(pending).arg(held)
                                 : tr("&Queue (%1)").arg(pending);
    m_tabs->setTabText(QueueTab, title);
    m_healthModel->setQueueDepth(pending);
}

void MainWindow::muteFromMonitor(const QString &playerId, const QString &playerName, bool shadow)
{
    auto *dialog =
            new MuteDialog(playerId, playerName, shadow ? MuteDialog::Kind::Shadow : MuteDialog::Kind::Server, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_mutesView->addMute(dialog->playerId(), dialog->minutes(), dialog->reason(), {}, dialog->scope());
    });
    dialog->open();
}

PlayerRecordDialog *MainWindow::openPlayerRecord(const QString &playerId, const QString &playerName)
{
    if (playerId.isEmpty())
        return nullptr;
    const QList<PlayerRecordDialog *> open = findChildren<PlayerRecordDialog *>();
    for (PlayerRecordDialog *d : open) {
        if (d->playerId() == playerId) {
            d->raise();
            d->activateWindow();
            d->refresh();
            return d;
        }
    }
    auto *dialog = new PlayerRecordDialog(playerId, playerName, m_client, m_monitorModel, m_mutesModel, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

FilterDryRunDialog *MainWindow::openFilterDryRun()
{
    if (!m_dryRunAction->isEnabled())
        return nullptr;
    auto *dialog = new FilterDryRunDialog(m_client, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void MainWindow::showShortcuts()
{
    QMessageBox::information(this, tr("Keyboard shortcuts"),
                             tr("<table>"
                                "<tr><td><b>Ctrl+1 … Ctrl+5</b></td><td>Monitor, Queue, Mutes, Logs, Health</td></tr>"
                                "<tr><td><b>Alt+M/Q/U/L/H</b></td><td>the same tabs</td></tr>"
                                "<tr><td><b>Ctrl+O</b></td><td>connect; <b>Ctrl+Shift+R</b> reconnect now</td></tr>"
                                "<tr><td><b>Ctrl+F</b></td><td>search in the current tab</td></tr>"
                                "<tr><td><b>Ctrl+Shift+D</b></td><td>filter dry run (admins; Enter runs)</td></tr>"
                                "<tr><td colspan=2><br><b>Monitor</b></td></tr>"
                                "<tr><td><b>Ctrl+Space</b></td><td>pause / resume (nothing is lost)</td></tr>"
                                "<tr><td><b>Enter</b></td><td>open the selected line's context</td></tr>"
                                "<tr><td><b>Ctrl+M</b></td><td>mute the selected line's sender</td></tr>"
                                "<tr><td><b>Ctrl+Shift+M</b></td><td>shadow-mute it (their lines reach "
                                "moderators only)</td></tr>"
                                "<tr><td><b>Ctrl+I</b></td><td>the sender's player record (standing, "
                                "offences, warnings, mutes; warn, shadow-mute, reset)</td></tr>"
                                "<tr><td><b>Esc</b></td><td>clear the filters</td></tr>"
                                "<tr><td colspan=2><br><b>Queue</b></td></tr>"
                                "<tr><td><b>C A R D</b></td><td>claim, approve, reject, dismiss</td></tr>"
                                "<tr><td><b>Del</b></td><td>delete the message everywhere</td></tr>"
                                "<tr><td><b>M</b></td><td>mute the sender (duration and reason)</td></tr>"
                                "<tr><td><b>Ctrl+I</b></td><td>the sender's player record</td></tr>"
                                "<tr><td><b>Alt+Y</b></td><td>filter by category (or review)</td></tr>"
                                "<tr><td><b>F5</b></td><td>refresh</td></tr>"
                                "<tr><td colspan=2><br><b>Mutes</b></td></tr>"
                                "<tr><td><b>Enter</b></td><td>in the form: add the mute</td></tr>"
                                "<tr><td><b>E / Del</b></td><td>extend / remove the selected mute</td></tr>"
                                "<tr><td colspan=2><br><b>Player record</b></td></tr>"
                                "<tr><td><b>Alt+W / Alt+S / Alt+T</b></td><td>warn, shadow-mute, reset "
                                "standing</td></tr>"
                                "<tr><td><b>F5</b></td><td>re-read the standing and mutes</td></tr>"
                                "<tr><td colspan=2><br><b>Logs</b></td></tr>"
                                "<tr><td><b>Ctrl+S</b></td><td>export the visible rows</td></tr>"
                                "<tr><td><b>F5</b></td><td>re-read the file</td></tr>"
                                "</table>"));
}

} // namespace mythos::console
