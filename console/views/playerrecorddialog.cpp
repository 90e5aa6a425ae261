#include "views/playerrecorddialog.h"

#include "connection/moderatorclient.h"
#include "models/monitormodel.h"
#include "models/mutesmodel.h"
#include "models/notesmodel.h"
#include "models/offencesmodel.h"
#include "protocol/frames.h"
#include "protocol/wirenames.h"
#include "views/mutedialog.h"
#include "views/readonlytable.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>

#include <utility>

namespace mythos::console {

namespace {
// A proxy keeping the rows whose `role` is exactly `value`.
QSortFilterProxyModel *exactFilter(QAbstractItemModel *source, int column, int role, const QString &value,
                                   QObject *parent)
{
    auto *proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(source);
    proxy->setFilterKeyColumn(column);
    proxy->setFilterRole(role);
    proxy->setFilterRegularExpression(
            QRegularExpression(QRegularExpression::anchoredPattern(QRegularExpression::escape(value))));
    return proxy;
}

QGroupBox *box(const QString &title, QTableView *table)
{
    auto *group = new QGroupBox(title);
    auto *layout = new QVBoxLayout(group);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(table);
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->setWordWrap(false);
    return group;
}
} // namespace

PlayerRecordDialog::PlayerRecordDialog(const QString &playerId, const QString &playerName, ModeratorClient *client,
                                       MonitorModel *monitor, MutesModel *mutes, QWidget *parent)
    : QDialog(parent), m_playerId(playerId), m_playerName(playerName.isEmpty() ? playerId : playerName),
      m_client(client), m_offences(new OffencesModel(this)), m_notes(new NotesModel(this))
{
    setWindowTitle(tr("Player record: %1").arg(m_playerName));
    m_warnings = exactFilter(m_offences, 0, OffencesModel::KindRole, QStringLiteral("warn"), this);
    m_mutes = exactFilter(mutes, 0, MutesModel::TargetIdRole, playerId, this);
    m_recent = exactFilter(monitor, 0, MonitorModel::SenderIdRole, playerId, this);

    auto *header = new QLabel(
            tr("<b>%1</b> &nbsp;<code>%2</code>").arg(m_playerName.toHtmlEscaped(), playerId.toHtmlEscaped()));
    m_summary = new QLabel(OffencesModel::summary({}));
    m_summary->setWordWrap(true);
    m_summary->setAccessibleName(tr("Standing"));
    m_error = new QLabel;
    m_error->setWordWrap(true);
    m_error->setAccessibleName(tr("Server error"));
    m_error->setStyleSheet(QStringLiteral("background: #f8d7d0; color: #5a0000; padding: 4px;"));
    m_error->hide();
    m_status = new QLabel;
    m_status->setAccessibleName(tr("Record status"));

    m_offencesTable = readOnlyTable(m_offences, tr("Live offences"));
    const std::pair<int, int> offenceWidths[] = { { OffencesModel::TimeColumn, 120 },
                                                  { OffencesModel::KindColumn, 70 },
                                                  { OffencesModel::PointsColumn, 50 },
                                                  { OffencesModel::ActorColumn, 80 },
                                                  { OffencesModel::DetailColumn, 200 } };
    for (const auto &[column, width] : offenceWidths)
        m_offencesTable->setColumnWidth(column, width);
    m_warningsTable = readOnlyTable(m_warnings, tr("Warnings"));
    for (int c : { OffencesModel::KindColumn, OffencesModel::PointsColumn, OffencesModel::ChannelColumn })
        m_warningsTable->hideColumn(c);
    m_warningsTable->setColumnWidth(OffencesModel::TimeColumn, 120);
    m_warningsTable->setColumnWidth(OffencesModel::ActorColumn, 80);
    m_mutesTable = readOnlyTable(m_mutes, tr("Mutes in force"));
    m_mutesTable->hideColumn(MutesModel::TargetColumn);
    m_mutesTable->horizontalHeader()->moveSection(MutesModel::KindColumn, 0);
    m_mutesTable->setColumnWidth(MutesModel::KindColumn, 60);
    m_mutesTable->setColumnWidth(MutesModel::ChannelColumn, 90);
    m_mutesTable->setColumnWidth(MutesModel::ReasonColumn, 160);
    m_mutesTable->setColumnWidth(MutesModel::MutedByColumn, 80);
    m_recentTable = readOnlyTable(m_recent, tr("Recent messages"));
    m_recentTable->hideColumn(MonitorModel::ScopeColumn);
    m_recentTable->hideColumn(MonitorModel::SenderColumn);
    m_recentTable->setColumnWidth(MonitorModel::TimeColumn, 70);
    m_recentTable->setColumnWidth(MonitorModel::ChannelColumn, 70);
    m_notesTable = readOnlyTable(m_notes, tr("Moderators' notes"));
    m_notesTable->setColumnWidth(NotesModel::TimeColumn, 120);
    m_notesTable->setColumnWidth(NotesModel::AuthorColumn, 100);

    auto *grid = new QGridLayout;
    grid->addWidget(box(tr("Offences counted now"), m_offencesTable), 0, 0);
    grid->addWidget(box(tr("Warnings"), m_warningsTable), 1, 0);
    grid->addWidget(box(tr("Server and shadow mutes in force"), m_mutesTable), 0, 1);
    grid->addWidget(box(tr("Recent messages (as this console saw them)"), m_recentTable), 1, 1);
    grid->addWidget(box(tr("Moderators' notes (shared by every moderator)"), m_notesTable), 2, 0, 1, 2);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    auto *warnButton = buttons->addButton(tr("&Warn…"), QDialogButtonBox::ActionRole);
    auto *shadowButton = buttons->addButton(tr("&Shadow-mute…"), QDialogButtonBox::ActionRole);
    auto *resetButton = buttons->addButton(tr("Reset s&tanding…"), QDialogButtonBox::ActionRole);
    auto *noteButton = buttons->addButton(tr("Add &note…"), QDialogButtonBox::ActionRole);
    auto *refreshButton = buttons->addButton(tr("&Refresh"), QDialogButtonBox::ActionRole);
    warnButton->setToolTip(tr("A warning: an offence on the ladder; the player is told the reason (Alt+W)"));
    shadowButton->setToolTip(tr("Their lines still reach moderators, nobody else; they are not told (Alt+S)"));
    resetButton->setToolTip(tr("Forget every offence so far, on every instance (Alt+T)"));
    noteButton->setToolTip(tr("A note for moderators only; the player never sees it (Alt+N)"));
    refreshButton->setToolTip(tr("Re-read the standing, the mutes and the notes (F5)"));
    for (QPushButton *b : { warnButton, shadowButton, resetButton, noteButton, refreshButton })
        b->setAutoDefault(false);
    connect(warnButton, &QPushButton::clicked, this, &PlayerRecordDialog::warnInteractively);
    connect(shadowButton, &QPushButton::clicked, this, &PlayerRecordDialog::shadowMuteInteractively);
    connect(resetButton, &QPushButton::clicked, this, &PlayerRecordDialog::resetInteractively);
    connect(noteButton, &QPushButton::clicked, this, &PlayerRecordDialog::addNoteInteractively);
    connect(refreshButton, &QPushButton::clicked, this, &PlayerRecordDialog::refresh);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *refreshKey = new QAction(this);
    refreshKey->setShortcut(QKeySequence::Refresh);
    connect(refreshKey, &QAction::triggered, this, &PlayerRecordDialog::refresh);
    addAction(refreshKey);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(header);
    layout->addWidget(m_summary);
    layout->addWidget(m_error);
    layout->addLayout(grid, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(1100, 760);

    // The player spoke: a filter hit may have added an offence; re-read once things settle.
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(1500);
    connect(&m_debounce, &QTimer::timeout, this,
            [this] { sendStanding(frames::standing(m_playerId), tr("Reading the standing")); });
    connect(m_recent, &QAbstractItemModel::rowsInserted, this, [this] {
        m_recentTable->scrollToBottom();
        m_debounce.start();
    });
    m_recentTable->scrollToBottom();
    m_offencesTable->setFocus();
    refresh();
}

QString PlayerRecordDialog::summaryText() const
{
    return m_summary->text();
}

QString PlayerRecordDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QString PlayerRecordDialog::statusText() const
{
    return m_status->text();
}

void PlayerRecordDialog::setStatus(const QString &text)
{
    m_status->setText(text);
}

void PlayerRecordDialog::refresh()
{
    sendStanding(frames::standing(m_playerId), tr("Reading the standing"));
    // The replies land in the mutes model too (every `mutes` reply does), which this shows.
    m_client->request(frames::mutes(wire::value::server));
    m_client->request(frames::mutes(wire::value::shadow));
    sendNotes(frames::notes(m_playerId), tr("Reading the notes"));
}

void PlayerRecordDialog::warn(const QString &reason)
{
    sendStanding(frames::warn(m_playerId, reason.trimmed()), tr("Warning"));
}

void PlayerRecordDialog::resetStanding()
{
    sendStanding(frames::resetStanding(m_playerId), tr("Resetting the standing"));
}

void PlayerRecordDialog::addNote(const QString &text)
{
    sendNotes(frames::addNote(m_playerId, text.trimmed()), tr("Adding the note"));
}

void PlayerRecordDialog::send(const QJsonObject &frame, const QString &what, QLatin1String expected,
                              std::function<QString(const QJsonObject &)> shown)
{
    setStatus(tr("%1…").arg(what));
    const quint64 serial = ++m_requestsSent;
    const QString ref = m_client->request(
            frame,
            [this, serial, what, expected, shown = std::move(shown)](const QString &type, const QJsonObject &data) {
                if (type != expected) {
                    showError(what, type, data);
                    return;
                }
                if (serial > m_errorAfterRequest)
                    m_error->hide();
                setStatus(shown(data));
            },
            this);
    if (ref.isEmpty())
        showError(what, QStringLiteral("timeout"), { { wire::field::message, tr("not connected") } });
}

void PlayerRecordDialog::sendNotes(const QJsonObject &frame, const QString &what)
{
    send(frame, what, wire::event::notes, [this, what](const QJsonObject &data) {
        m_notes->setNotes(data);
        Q_EMIT notesShown();
        return tr("%1: done.").arg(what);
    });
}

void PlayerRecordDialog::sendStanding(const QJsonObject &frame, const QString &what)
{
    send(frame, what, wire::event::standing, [this, what](const QJsonObject &data) {
        m_offences->setStanding(data);
        m_summary->setText(OffencesModel::summary(data));
        Q_EMIT standingShown();
        return tr("%1: done.").arg(what);
    });
}

void PlayerRecordDialog::showError(const QString &what, const QString &type, const QJsonObject &data)
{
    const QString code = data.value(wire::field::code).toString();
    QString message = data.value(wire::field::message).toString();
    if (type == QLatin1String("timeout") && message.isEmpty())
        message = tr("no answer from the server");
    m_error->setText(tr("<b>%1 failed:</b> %2%3")
                             .arg(what, message.toHtmlEscaped(),
                                  code.isEmpty() ? QString() : QStringLiteral(" <code>(%1)</code>").arg(code)));
    m_error->show();
    m_errorAfterRequest = m_requestsSent;
    setStatus(QString());
}

void PlayerRecordDialog::warnInteractively()
{
    auto *input = new QInputDialog(this);
    input->setAttribute(Qt::WA_DeleteOnClose);
    input->setWindowTitle(tr("Warn %1").arg(m_playerName));
    input->setLabelText(tr("Reason (the player is told it; at most 500 characters):"));
    input->setInputMode(QInputDialog::TextInput);
    input->setOkButtonText(tr("&Warn"));
    connect(input, &QInputDialog::textValueSelected, this, &PlayerRecordDialog::warn);
    input->open();
}

void PlayerRecordDialog::addNoteInteractively()
{
    auto *input = new QInputDialog(this);
    input->setAttribute(Qt::WA_DeleteOnClose);
    input->setWindowTitle(tr("Note on %1").arg(m_playerName));
    input->setLabelText(tr("Note for moderators (never shown to the player; at most 2000 characters):"));
    input->setInputMode(QInputDialog::TextInput);
    input->setOption(QInputDialog::UsePlainTextEditForTextInput);
    input->setOkButtonText(tr("&Add note"));
    connect(input, &QInputDialog::textValueSelected, this, &PlayerRecordDialog::addNote);
    input->open();
}

void PlayerRecordDialog::resetInteractively()
{
    auto *confirm = new QMessageBox(QMessageBox::Question, tr("Reset standing"),
                                    tr("Forget every offence of %1 so far, on every instance?").arg(m_playerName),
                                    QMessageBox::Yes | QMessageBox::No, this);
    confirm->setAttribute(Qt::WA_DeleteOnClose);
    confirm->setDefaultButton(QMessageBox::No);
    connect(confirm, &QMessageBox::buttonClicked, this, [this, confirm](QAbstractButton *b) {
        if (confirm->standardButton(b) == QMessageBox::Yes)
            resetStanding();
    });
    confirm->open();
}

void PlayerRecordDialog::shadowMuteInteractively()
{
    auto *dialog = new MuteDialog(m_playerId, m_playerName, MuteDialog::Kind::Shadow, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        send(frames::mute({ wire::value::player, m_playerId, wire::value::shadow }, dialog->minutes(),
                          dialog->reason()),
             tr("Shadow-mute"), wire::event::mutes,
             [this](const QJsonObject &) { return tr("Shadow-muted %1.").arg(m_playerName); });
    });
    dialog->open();
}

} // namespace mythos::console
