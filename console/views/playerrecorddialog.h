#pragma once
// One player's record, opened from a monitor line or a queue item (Ctrl+I): recent messages
// this console saw, the escalation standing and live offences, warnings, server and shadow
// mutes in force, moderators' notes; and from the keyboard: warn, shadow-mute, reset the
// standing, add a note, refresh.

#include <QDialog>
#include <QTimer>

#include <functional>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace mythos::console {

class ModeratorClient;
class MonitorModel;
class MutesModel;
class NotesModel;
class OffencesModel;

class PlayerRecordDialog : public QDialog
{
    Q_OBJECT
public:
    PlayerRecordDialog(const QString &playerId, const QString &playerName, ModeratorClient *client,
                       MonitorModel *monitor, MutesModel *mutes, QWidget *parent = nullptr);

    QString playerId() const { return m_playerId; }
    // Re-reads the standing, both mute lists and the notes.
    void refresh();
    void warn(const QString &reason);
    void resetStanding();
    void addNote(const QString &text);
    // The keyboard paths: ask for a reason / a confirmation / a duration first.
    void warnInteractively();
    void resetInteractively();
    void shadowMuteInteractively();
    void addNoteInteractively();

    OffencesModel *offences() const { return m_offences; }
    NotesModel *notes() const { return m_notes; }
    QTableView *notesTable() const { return m_notesTable; }
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
    // A `notes` reply was shown (after a read or a new note).
    void notesShown();

private:
    // Sends `frame`; an answer of type `expected` goes to `shown`, which returns the status
    // line; anything else (a refusal, a timeout) is shown as the server's error.
    void send(const QJsonObject &frame, const QString &what, QLatin1String expected,
              std::function<QString(const QJsonObject &)> shown);
    void sendStanding(const QJsonObject &frame, const QString &what);
    void sendNotes(const QJsonObject &frame, const QString &what);
    void showError(const QString &what, const QString &type, const QJsonObject &data);
    void setStatus(const QString &text);

    QString m_playerId, m_playerName;
    ModeratorClient *m_client;
    OffencesModel *m_offences;
    NotesModel *m_notes;
    QSortFilterProxyModel *m_warnings, *m_mutes, *m_recent;
    QTableView *m_offencesTable, *m_warningsTable, *m_mutesTable, *m_recentTable, *m_notesTable;
    QLabel *m_summary, *m_error, *m_status;
    // Requests sent so far, and how many had been sent when the shown error came. Only a
    // request sent after it hides it on success: a read already in flight (the notes, say)
    // must not wipe a refusal the moderator has not seen yet.
    quint64 m_requestsSent = 0;
    quint64 m_errorAfterRequest = 0;
    QTimer m_debounce; // the player spoke: a filter hit may have changed the standing
};

} // namespace mythos::console
