#include "views/monitorview.h"

#include "models/monitorfilter.h"
#include "models/monitormodel.h"
#include "protocol/wirenames.h"
#include "views/readonlytable.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace mythos::console {

namespace {
QLineEdit *filterEdit(const QString &placeholder, const QString &accessible)
{
    auto *e = new QLineEdit;
    e->setPlaceholderText(placeholder);
    e->setAccessibleName(accessible);
    e->setClearButtonEnabled(true);
    return e;
}
} // namespace

MonitorView::MonitorView(MonitorModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_filter(new MonitorFilter(this))
{
    m_filter->setSourceModel(model);

    m_channel = new QComboBox;
    m_channel->setEditable(true);
    m_channel->addItem(QString());
    m_channel->lineEdit()->setPlaceholderText(tr("all channels"));
    m_channel->setAccessibleName(tr("Channel filter"));
    m_channel->setMinimumContentsLength(10);
    m_scope = filterEdit(tr("room / subzone / zone id"), tr("Scope filter"));
    m_player = filterEdit(tr("player"), tr("Player filter"));
    m_text = filterEdit(tr("search text (Ctrl+F)"), tr("Text filter"));
    m_pause = new QToolButton;
    m_pause->setCheckable(true);
    m_pause->setText(tr("&Pause"));
    m_pause->setToolTip(tr("Pause the feed (Ctrl+Space). New lines wait and appear on resume."));
    m_pause->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Space));
    m_pause->setToolButtonStyle(Qt::ToolButtonTextOnly);

    auto *bar = new QHBoxLayout;
    auto *channelLabel = new QLabel(tr("C&hannel:"));
    channelLabel->setBuddy(m_channel);
    bar->addWidget(channelLabel);
    bar->addWidget(m_channel);
    bar->addWidget(m_scope, 2);
    bar->addWidget(m_player, 1);
    bar->addWidget(m_text, 2);
    bar->addWidget(m_pause);

    m_table = readOnlyTable(m_filter, tr("Live messages"));
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(MonitorModel::TimeColumn, 80);
    m_table->setColumnWidth(MonitorModel::ChannelColumn, 80);
    m_table->setColumnWidth(MonitorModel::ScopeColumn, 300);
    m_table->setColumnWidth(MonitorModel::SenderColumn, 130);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);

    m_status = new QLabel;
    m_status->setAccessibleName(tr("Monitor status"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    auto makeAction = [this](const QString &text, const QKeySequence &key, auto slot) {
        auto *a = new QAction(text, this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(a, &QAction::triggered, this, slot);
        this->addAction(a);
        return a;
    };
    makeAction(tr("Mute sender…"), QKeySequence(Qt::CTRL | Qt::Key_M), &MonitorView::requestMuteOfSelected);
    makeAction(tr("Shadow-mute sender…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M),
               &MonitorView::requestShadowMuteOfSelected);
    makeAction(tr("Player record…"), QKeySequence(Qt::CTRL | Qt::Key_I), &MonitorView::requestRecordOfSelected);
    // Enter opens the context only from the table, so it still works in the filter fields.
    QAction *open = makeAction(tr("Open context"), QKeySequence(Qt::Key_Return), &MonitorView::openContext);
    removeAction(open);
    open->setShortcutContext(Qt::WidgetShortcut);
    m_table->addAction(open);
    makeAction(tr("Find"), QKeySequence::Find, [this] {
        m_text->setFocus();
        m_text->selectAll();
    });
    makeAction(tr("Clear filters"), QKeySequence(Qt::Key_Escape), [this] {
        m_channel->setCurrentText(QString());
        m_scope->clear();
        m_player->clear();
        m_text->clear();
        m_table->setFocus();
    });

    connect(m_channel, &QComboBox::currentTextChanged, m_filter, &MonitorFilter::setChannel);
    connect(m_scope, &QLineEdit::textChanged, m_filter, &MonitorFilter::setScopeId);
    connect(m_player, &QLineEdit::textChanged, m_filter, &MonitorFilter::setPlayer);
    connect(m_text, &QLineEdit::textChanged, m_filter, &MonitorFilter::setText);
    connect(m_pause, &QToolButton::toggled, m_model, &MonitorModel::setPaused);
    connect(m_model, &MonitorModel::pausedChanged, this, [this](bool paused) {
        m_pause->setChecked(paused);
        m_pause->setText(paused ? tr("&Resume") : tr("&Pause"));
        updateStatus();
    });
    connect(m_model, &MonitorModel::waitingCountChanged, this, &MonitorView::updateStatus);
    connect(m_table, &QTableView::doubleClicked, this, &MonitorView::openContext);
    connect(m_table, &QTableView::customContextMenuRequested, this, &MonitorView::showMenu);
    // Follow the newest line unless the moderator scrolled up to read.
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this,
            [this](int v) { m_follow = v >= m_table->verticalScrollBar()->maximum() - 2; });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow)
            m_table->scrollToBottom();
        updateStatus();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first, int last) {
        for (int r = first; r <= last; ++r)
            rememberChannel(m_model->index(r, 0).data(MonitorModel::ChannelRole).toString());
    });
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &MonitorView::updateStatus);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &MonitorView::updateStatus);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &MonitorView::updateStatus);
    updateStatus();
}

void MonitorView::rememberChannel(const QString &channel)
{
    if (!channel.isEmpty() && m_channel->findText(channel) < 0)
        m_channel->addItem(channel);
}

void MonitorView::updateStatus()
{
    QString text = tr("%1 of %2 lines shown (keeps the last %3)")
                           .arg(m_filter->rowCount())
                           .arg(m_model->rowCount())
                           .arg(m_model->cap());
    if (m_model->droppedCount() > 0)
        text += tr(" · %1 older lines dropped").arg(m_model->droppedCount());
    if (m_model->isPaused())
        text += tr(" · PAUSED, %1 new lines waiting (Ctrl+Space resumes)").arg(m_model->waitingCount());
    m_status->setText(text);
}

int MonitorView::selectedSourceRow() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return -1;
    return m_filter->mapToSource(rows.first()).row();
}

void MonitorView::requestShadowMuteOfSelected()
{
    const int row = selectedSourceRow();
    if (row < 0 || m_model->index(row, 0).data(MonitorModel::MarkerRole).toBool())
        return;
    const QModelIndex i = m_model->index(row, 0);
    Q_EMIT shadowMuteRequested(i.data(MonitorModel::SenderIdRole).toString(),
                               i.data(MonitorModel::SenderNameRole).toString());
}

void MonitorView::requestRecordOfSelected()
{
    const int row = selectedSourceRow();
    if (row < 0 || m_model->index(row, 0).data(MonitorModel::MarkerRole).toBool())
        return;
    const QModelIndex i = m_model->index(row, 0);
    Q_EMIT recordRequested(i.data(MonitorModel::SenderIdRole).toString(),
                           i.data(MonitorModel::SenderNameRole).toString());
}

void MonitorView::requestMuteOfSelected()
{
    const int row = selectedSourceRow();
    if (row < 0 || m_model->index(row, 0).data(MonitorModel::MarkerRole).toBool())
        return;
    const QModelIndex i = m_model->index(row, 0);
    Q_EMIT muteRequested(i.data(MonitorModel::SenderIdRole).toString(),
                         i.data(MonitorModel::SenderNameRole).toString());
}

QString MonitorView::contextText(int sourceRow) const
{
    QStringList lines;
    for (int r : m_model->contextRows(sourceRow)) {
        const QModelIndex i = m_model->index(r, 0);
        const QJsonObject raw = i.data(MonitorModel::RawRole).toJsonObject();
        lines.append(QStringLiteral("%1 %2 %3")
                             .arg(r == sourceRow ? QStringLiteral("▶") : QStringLiteral(" "), i.data().toString(),
                                  raw.value(wire::field::message).toString()));
    }
    return lines.join(QLatin1Char('\n'));
}

void MonitorView::openContext()
{
    const int row = selectedSourceRow();
    if (row < 0 || m_model->index(row, 0).data(MonitorModel::MarkerRole).toBool())
        return;
    const QModelIndex i = m_model->index(row, 0);
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(
            tr("Context: %1 in %2")
                    .arg(i.data(MonitorModel::ChannelRole).toString(), i.data(MonitorModel::ScopeIdRole).toString()));
    auto *layout = new QVBoxLayout(dialog);
    auto *text = new QPlainTextEdit(contextText(row));
    text->setReadOnly(true);
    text->setAccessibleName(tr("Conversation around the message"));
    text->setMinimumSize(640, 240);
    layout->addWidget(new QLabel(tr("The same channel and scope, five lines either side, as seen by this console:")));
    layout->addWidget(text);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    auto *mute = buttons->addButton(tr("&Mute sender…"), QDialogButtonBox::ActionRole);
    auto *scope = buttons->addButton(tr("&Filter feed to this scope"), QDialogButtonBox::ActionRole);
    const QString senderId = i.data(MonitorModel::SenderIdRole).toString(),
                  senderName = i.data(MonitorModel::SenderNameRole).toString();
    const QString room = i.data(MonitorModel::RoomIdRole).toString(),
                  scopeId = i.data(MonitorModel::ScopeIdRole).toString();
    connect(mute, &QPushButton::clicked, this, [this, dialog, senderId, senderName] {
        dialog->close();
        Q_EMIT muteRequested(senderId, senderName);
    });
    connect(scope, &QPushButton::clicked, this, [this, dialog, scopeId, room] {
        m_scope->setText(scopeId.isEmpty() ? room : scopeId);
        dialog->close();
    });
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(buttons);
    dialog->show();
}

void MonitorView::showMenu(const QPoint &pos)
{
    const QModelIndex at = m_table->indexAt(pos);
    if (!at.isValid() || at.data(MonitorModel::MarkerRole).toBool())
        return;
    const QString sender = at.data(MonitorModel::SenderIdRole).toString();
    const QString scope = at.data(MonitorModel::ScopeIdRole).toString();
    const QString channel = at.data(MonitorModel::ChannelRole).toString();
    const QString text = at.data(MonitorModel::RawRole).toJsonObject().value(wire::field::message).toString();
    QMenu menu(this);
    menu.addAction(tr("Player record of %1…").arg(at.data(MonitorModel::SenderNameRole).toString()), this,
                   &MonitorView::requestRecordOfSelected);
    menu.addAction(tr("Mute %1…").arg(at.data(MonitorModel::SenderNameRole).toString()), this,
                   &MonitorView::requestMuteOfSelected);
    menu.addAction(tr("Shadow-mute %1…").arg(at.data(MonitorModel::SenderNameRole).toString()), this,
                   &MonitorView::requestShadowMuteOfSelected);
    menu.addAction(tr("Open context"), this, &MonitorView::openContext);
    menu.addSeparator();
    menu.addAction(tr("Only this sender"), this, [this, sender] { m_player->setText(sender); });
    menu.addAction(tr("Only this scope"), this, [this, scope] { m_scope->setText(scope); });
    menu.addAction(tr("Only this channel"), this, [this, channel] { m_channel->setCurrentText(channel); });
    menu.addSeparator();
    menu.addAction(tr("Copy line"), this, [text] { QApplication::clipboard()->setText(text); });
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

} // namespace mythos::console
