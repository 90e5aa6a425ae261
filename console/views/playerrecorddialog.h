#pragma once
// One player's record, opened from a monitor line or a queue item (Ctrl+I): recent messages
// this console saw, the escalation standing and live offences, warnings, server and shadow
// mutes in force; and from the keyboard: warn, shadow-mute, reset the standing, refresh.

#include <QDialog>
#include <QTimer>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace mythos::console {

class ModeratorClient;
class MonitorModel;
class MutesModel;
class OffencesModel;

class PlayerRecordDialog : public QDialog
{
    Q_OBJECT
public:
    PlayerRecordDialog(const QString &playerId, const QString &playerName, ModeratorClient *client,
                       MonitorModel *monitor, MutesModel *mutes, QWidget *parent = nullptr);

    QString playerId() const { return m_playerId; }
    // Re-reads the standing and both mute lists.
    void refresh();
    void warn(const QString &reason);
    void resetStanding();
    // The keyboard paths: ask for a reason / a confirmation / a duration first.
    void warnInteractively();
    void resetInteractively();
    void shadowMuteInteractively();

    OffencesModel *offences() const { return m_offences; }
    QTableView *offencesTable() const { return m_offencesTable; }
    QTableView *warningsTable() const { return m_warningsTable; }
    QTableView *mutesTable() const { return m_mutesTable; }
    QTableView *recentTable() const { return m_recentTable; }
    QString summaryText() const;
    QString errorText() const;
    QString statusText() const;

Q_SIGNALS:
    // A standing reply was shown (after a read, a warning or a reset).
    void standingShown();

private:
    void sendStanding(const QJsonObject &frame, const QString &what);
    void showError(const QString &what, const QString &type, const QJsonObject &data);
    void setStatus(const QString &text);

    QString m_playerId, m_playerName;
    ModeratorClient *m_client;
    OffencesModel *m_offences;
    QSortFilterProxyModel *m_warnings, *m_mutes, *m_recent;
    QTableView *m_offencesTable, *m_warningsTable, *m_mutesTable, *m_recentTable;
    QLabel *m_summary, *m_error, *m_status;
    QTimer m_debounce; // the player spoke: a filter hit may have changed the standing
};

} // namespace mythos::console
