#pragma once
// The console's one window: a tab per job (monitor, queue, mutes, logs, health), the connection
// state in the status bar, and a banner when the server refuses the token. Owns the models and
// wires them to the connection; the views only show them.

#include "connection/feedresume.h"

#include <QMainWindow>
#include <QTimer>
#include <QUrl>

class QAction;
class QLabel;
class QTabWidget;
class QMenu;

namespace mythos::console {

class FilterDryRunDialog;
class HealthModel;
class HealthView;
class LogModel;
class LogsView;
class ModeratorClient;
class MonitorModel;
class MonitorView;
class MutesModel;
class MutesView;
class PlayerRecordDialog;
class QueueModel;
class QueueView;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum Tab { MonitorTab, QueueTab, MutesTab, LogsTab, HealthTab };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    void connectTo(const QUrl &url, const QByteArray &token);
    void showConnectDialog(const QString &message = {});

    ModeratorClient *client() const { return m_client; }
    MonitorModel *monitorModel() const { return m_monitorModel; }
    QueueModel *queueModel() const { return m_queueModel; }
    MutesModel *mutesModel() const { return m_mutesModel; }
    LogModel *logModel() const { return m_logModel; }
    HealthModel *healthModel() const { return m_healthModel; }
    MonitorView *monitorView() const { return m_monitorView; }
    QueueView *queueView() const { return m_queueView; }
    MutesView *mutesView() const { return m_mutesView; }
    LogsView *logsView() const { return m_logsView; }
    HealthView *healthView() const { return m_healthView; }
    QTabWidget *tabs() const { return m_tabs; }
    QString bannerText() const;
    // Ctrl+Shift+D (admins): the filter dry-run dialog, opened (and returned) for a test too.
    FilterDryRunDialog *openFilterDryRun();
    QAction *filterDryRunAction() const { return m_dryRunAction; }
    QString connectionText() const;
    // Ctrl+I on a monitor line or queue item: that player's record (one per player; an open
    // one is raised).
    PlayerRecordDialog *openPlayerRecord(const QString &playerId, const QString &playerName);

    static QStringList recentServers();
    static void rememberServer(const QUrl &url);

private:
    void buildMenus();
    void onStateChanged();
    void onWelcomed();
    void resumeMonitor();
    void markGap(const QJsonObject &gap);
    void updateQueueTitle(int pending, int held);
    void showBanner(const QString &html);
    void muteFromMonitor(const QString &playerId, const QString &playerName, bool shadow = false);
    void showShortcuts();
    void rebuildRecentMenu();

    ModeratorClient *m_client;
    MonitorModel *m_monitorModel;
    QueueModel *m_queueModel;
    MutesModel *m_mutesModel;
    LogModel *m_logModel;
    HealthModel *m_healthModel;
    MonitorView *m_monitorView;
    QueueView *m_queueView;
    MutesView *m_mutesView;
    LogsView *m_logsView;
    HealthView *m_healthView;
    QTabWidget *m_tabs;
    QLabel *m_banner;
    QLabel *m_state;
    QLabel *m_identity;
    QMenu *m_recentMenu = nullptr;
    QAction *m_dryRunAction = nullptr;
    QTimer m_countdown; // refreshes "reconnecting in N s"
    QByteArray m_token;
    FeedResume m_feedResume { QStringLiteral("monitor") };
};

} // namespace mythos::console
