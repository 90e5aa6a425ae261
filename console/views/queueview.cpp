#include "views/queueview.h"

#include "connection/moderatorclient.h"
#include "models/queuemodel.h"
#include "protocol/frames.h"
#include "protocol/wirenames.h"
#include "views/mutedialog.h"
#include "views/readonlytable.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QToolBar>
#include <QVBoxLayout>

namespace mythos::console {

namespace {
QString str(const QJsonObject &o, QLatin1String key)
{
    return o.value(key).toString();
}
QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}
struct ActionSpec
{
    const char *action;
    const char *label;
    QKeySequence key;
    const char *tip;
};
} // namespace

QueueView::QueueView(QueueModel *model, ModeratorClient *client, QWidget *parent)
    : QWidget(parent), m_model(model), m_client(client), m_filter(new QueueFilter(this))
{
    m_filter->setSourceModel(model);
    auto *toolbar = new QToolBar;
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    const ActionSpec specs[] = {
        { "claim", QT_TR_NOOP("&Claim"), QKeySequence(Qt::Key_C),
          QT_TR_NOOP("Reserve the item so other moderators leave it to you (C)") },
        { "approve", QT_TR_NOOP("&Approve"), QKeySequence(Qt::Key_A),
          QT_TR_NOOP("Deliver a held message / close a flagged one (A)") },
        { "reject", QT_TR_NOOP("&Reject"), QKeySequence(Qt::Key_R),
          QT_TR_NOOP("Do not deliver; the sender is told (R)") },
        { "dismiss", QT_TR_NOOP("D&ismiss"), QKeySequence(Qt::Key_D), QT_TR_NOOP("Nothing wrong: close the item (D)") },
        { "delete", QT_TR_NOOP("De&lete"), QKeySequence(Qt::Key_Delete),
          QT_TR_NOOP("Remove a delivered message from every screen and history (Del)") },
        { "mute_sender", QT_TR_NOOP("&Mute sender…"), QKeySequence(Qt::Key_M),
          QT_TR_NOOP("Server-mute the sender and close the item (M)") },
    };
    for (const ActionSpec &spec : specs) {
        auto *a = new QAction(tr(spec.label), this);
        a->setObjectName(QLatin1String(spec.action));
        a->setShortcut(spec.key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        a->setToolTip(tr(spec.tip));
        const QString name = QLatin1String(spec.action);
        connect(a, &QAction::triggered, this, [this, name] {
            if (name == QLatin1String("mute_sender"))
                muteSenderInteractively();
            else
                act(name);
        });
        addAction(a);
        toolbar->addAction(a);
        m_actions.append(a);
    }
    toolbar->addSeparator();
    auto *refreshAction = toolbar->addAction(tr("Refresh"), this, &QueueView::refresh);
    refreshAction->setShortcut(QKeySequence::Refresh);
    refreshAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(refreshAction);
    m_showClosed = new QCheckBox(tr("Show &closed items"));
    toolbar->addWidget(m_showClosed);
    toolbar->addSeparator();
    m_recordAction = toolbar->addAction(tr("Player record…"), this, &QueueView::requestRecordOfSelected);
    m_recordAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_recordAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_recordAction->setToolTip(tr("The sender's standing, offences, mutes and recent lines (Ctrl+I)"));
    addAction(m_recordAction);
    toolbar->addSeparator();
    auto *categoryLabel = new QLabel(tr("Categor&y:"));
    m_category = new QComboBox;
    m_category->setEditable(true);
    m_category->setInsertPolicy(QComboBox::NoInsert);
    m_category->addItem(QString());
    m_category->addItem(QStringLiteral("review"));
    m_category->lineEdit()->setPlaceholderText(tr("all categories"));
    m_category->lineEdit()->setClearButtonEnabled(true);
    m_category->setAccessibleName(tr("Category filter"));
    m_category->setToolTip(tr("Only items whose matched rules have this category; \"review\": "
                              "players the escalation ladder queued (Alt+Y)"));
    m_category->setMinimumContentsLength(12);
    categoryLabel->setBuddy(m_category);
    toolbar->addWidget(categoryLabel);
    toolbar->addWidget(m_category);

    m_table = readOnlyTable(m_filter, tr("Moderation queue"));
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(QueueModel::TextColumn, 320);
    m_table->setColumnWidth(QueueModel::ReasonsColumn, 220);

    m_details = new QTextBrowser;
    m_details->setAccessibleName(tr("Item context"));
    m_details->setPlaceholderText(tr("Select an item to see its context."));

    m_message = new QLabel;
    m_message->setWordWrap(true);
    m_message->setAccessibleName(tr("Queue status"));

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_table);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(toolbar);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_message);

    connect(m_showClosed, &QCheckBox::toggled, m_filter, &QueueFilter::setShowClosed);
    connect(m_category, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        m_filter->setCategory(text);
        if (!m_table->currentIndex().isValid())
            selectNextPending(0);
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &QueueView::updateCategories);
    connect(m_model, &QAbstractItemModel::modelReset, this, &QueueView::updateCategories);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QTableView::customContextMenuRequested, this, &QueueView::showMenu);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        showDetails();
        updateActions();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        showDetails();
        updateActions();
    });
    // Keep something selected: a new item into an empty queue, or the next one after an action.
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_table->currentIndex().isValid())
            selectNextPending(0);
    });
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, [this](const QModelIndex &, int first, int) {
        if (!m_table->currentIndex().isValid())
            selectNextPending(first);
    });
    updateActions();
}

QAction *QueueView::actionFor(const QString &action) const
{
    for (QAction *a : m_actions) {
        if (a->objectName() == action)
            return a;
    }
    return nullptr;
}

void QueueView::updateCategories()
{
    for (int r = 0; r < m_model->rowCount(); ++r) {
        for (const QString &c : QueueModel::categories(m_model->item(r))) {
            if (m_category->findText(c, Qt::MatchFixedString) < 0)
                m_category->addItem(c);
        }
    }
}

void QueueView::requestRecordOfSelected()
{
    const QJsonObject item = m_table->currentIndex().data(QueueModel::RawRole).toJsonObject();
    if (item.isEmpty())
        return;
    Q_EMIT recordRequested(str(item, wire::field::senderId),
                           str(item.value(wire::field::message).toObject(), wire::field::senderName));
}

void QueueView::showMenu(const QPoint &pos)
{
    const QModelIndex at = m_table->indexAt(pos);
    if (!at.isValid())
        return;
    m_table->setCurrentIndex(at);
    QMenu menu(this);
    menu.addAction(m_recordAction);
    menu.addSeparator();
    for (QAction *a : std::as_const(m_actions))
        menu.addAction(a);
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

void QueueView::refresh()
{
    m_client->request(
            frames::queue(QStringLiteral("pending"), 500),
            [this](const QString &type, const QJsonObject &data) {
                if (type == wire::event::queue)
                    m_model->replacePending(data.value(wire::field::items).toArray());
            },
            this);
}

QString QueueView::selectedItemId() const
{
    return m_table->currentIndex().data(QueueModel::ItemIdRole).toString();
}

bool QueueView::selectItem(const QString &itemId)
{
    for (int r = 0; r < m_filter->rowCount(); ++r) {
        const QModelIndex i = m_filter->index(r, 0);
        if (i.data(QueueModel::ItemIdRole).toString() == itemId) {
            m_table->setCurrentIndex(i);
            m_table->selectRow(r);
            return true;
        }
    }
    return false;
}

void QueueView::selectNextPending(int fromProxyRow)
{
    const int rows = m_filter->rowCount();
    for (int k = 0; k < rows; ++k) {
        const int r = (std::max(0, fromProxyRow) + k) % rows;
        if (m_filter->index(r, 0).data(QueueModel::StatusRole).toString() == QLatin1String("pending")) {
            m_table->selectRow(r);
            return;
        }
    }
}

void QueueView::act(const QString &action, std::optional<int> minutes, const QString &reason)
{
    const QString itemId = selectedItemId();
    if (itemId.isEmpty())
        return;
    const QJsonObject frame = frames::queueAction(itemId, action, minutes, reason);
    m_message->setText(tr("Sending %1…").arg(action));
    const int proxyRow = m_table->currentIndex().row();
    const QString ref = m_client->request(
            frame,
            [this, action, itemId, proxyRow](const QString &type, const QJsonObject &data) {
                if (type == wire::event::queueItem) {
                    m_lastError.clear();
                    m_message->setText(tr("%1: done (%2).").arg(action, str(data, wire::field::status)));
                    if (action == QLatin1String("mute_sender"))
                        Q_EMIT mutesChanged();
                    if (action != QLatin1String("claim") && selectedItemId() == itemId && !m_showClosed->isChecked())
                        selectNextPending(proxyRow);
                    else if (action != QLatin1String("claim") && m_showClosed->isChecked())
                        selectNextPending(proxyRow + 1);
                    return;
                }
                m_lastError = type == QLatin1String("timeout") ? tr("no answer from the server")
                                                               : str(data, wire::field::message);
                m_message->setText(tr("<b>%1 failed:</b> %2").arg(action, esc(m_lastError)));
            },
            this);
    if (ref.isEmpty())
        m_message->setText(tr("Not connected: %1 not sent.").arg(action));
}

void QueueView::muteSenderInteractively()
{
    const QJsonObject item = m_table->currentIndex().data(QueueModel::RawRole).toJsonObject();
    if (item.isEmpty())
        return;
    const QJsonObject message = item.value(wire::field::message).toObject();
    auto *dialog = new MuteDialog(str(item, wire::field::senderId), str(message, wire::field::senderName), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QStringList reasons;
    for (const QJsonValue &r : item.value(wire::field::reasons).toArray())
        reasons.append(r.toString());
    dialog->setReason(tr("Moderation queue: \"%1\"").arg(str(message, wire::field::content).left(120)));
    const QString itemId = str(item, wire::field::itemId);
    connect(dialog, &QDialog::accepted, this, [this, dialog, itemId] {
        if (selectItem(itemId))
            act(QStringLiteral("mute_sender"), dialog->minutes(), dialog->reason());
    });
    dialog->open();
}

void QueueView::updateActions()
{
    const QJsonObject item = m_table->currentIndex().data(QueueModel::RawRole).toJsonObject();
    const bool pending = str(item, wire::field::status) == QLatin1String("pending");
    const QString claimedBy = str(item, wire::field::claimedBy);
    const bool mine = claimedBy.isEmpty() || claimedBy == m_client->playerId();
    for (QAction *a : std::as_const(m_actions))
        a->setEnabled(pending && mine && (a->objectName() != QLatin1String("claim") || claimedBy.isEmpty()));
}

QString QueueView::contextHtml(const QJsonObject &item)
{
    const QJsonObject message = item.value(wire::field::message).toObject();
    const QJsonObject context = item.value(wire::field::context).toObject();
    const QJsonObject sender = context.value(wire::field::sender).toObject();
    QString html;
    html += QStringLiteral("<h3>%1</h3>").arg(esc(str(message, wire::field::message)));
    if (message.contains(wire::field::originalContent))
        html += QStringLiteral("<p><b>%1</b> %2 <i>%3</i></p>")
                        .arg(tr("Written:"), esc(str(message, wire::field::originalContent)),
                             tr("(masked for players as above)"));
    QStringList reasons;
    for (const QString &name : QueueModel::matchedRuleNames(item))
        reasons.append(esc(name));
    html += QStringLiteral("<p><b>%1</b> %2 · <b>%3</b> %4 · <b>%5</b> %6</p>")
                    .arg(tr("Kind:"), esc(str(item, wire::field::kind)), tr("Status:"),
                         esc(str(item, wire::field::status)), tr("Matched:"), reasons.join(QStringLiteral(", ")));
    html += QStringLiteral("<p><b>%1</b> %2 (%3, %4) · <b>%5</b> %6 · <b>%7</b> %8 · <b>%9</b> %10</p>")
                    .arg(tr("Sender:"), esc(str(sender, wire::field::name)), esc(str(sender, wire::field::id)),
                         esc(str(sender, wire::field::role)), tr("Room:"), esc(str(context, wire::field::roomId)),
                         tr("Party:"),
                         esc(str(context, wire::field::partyId).isEmpty() ? tr("none")
                                                                          : str(context, wire::field::partyId)),
                         tr("Rate-limited in the last hour:"),
                         QString::number(context.value(QLatin1String("rate_limited_last_hour")).toInt()));
    const QJsonObject scopes = context.value(wire::field::scopeIds).toObject();
    QStringList scopeParts;
    for (auto it = scopes.begin(); it != scopes.end(); ++it)
        scopeParts.append(QStringLiteral("%1 <code>%2</code>").arg(esc(it.key()), esc(it.value().toString())));
    if (!scopeParts.isEmpty())
        html += QStringLiteral("<p><b>%1</b> %2</p>").arg(tr("Scopes:"), scopeParts.join(QStringLiteral(" · ")));
    html += QStringLiteral("<p><b>%1</b></p><ul>")
                    .arg(tr("Before it in %1:").arg(esc(str(item, wire::field::channel))));
    const QJsonArray recent = context.value(wire::field::recentLines).toArray();
    for (const QJsonValue &v : recent) {
        const QJsonObject l = v.toObject();
        const QString line = l.contains(wire::field::message)
                ? str(l, wire::field::message)
                : str(l, wire::field::senderName) + QStringLiteral(": ") + str(l, wire::field::content);
        html += QStringLiteral("<li>%1</li>").arg(esc(line));
    }
    if (recent.isEmpty())
        html += QStringLiteral("<li><i>%1</i></li>").arg(tr("nothing"));
    html += QStringLiteral("</ul>");
    const QJsonArray mutes = context.value(QLatin1String("server_mutes")).toArray();
    if (!mutes.isEmpty()) {
        html += QStringLiteral("<p><b>%1</b></p><ul>").arg(tr("Server mutes in force then:"));
        for (const QJsonValue &v : mutes) {
            const QJsonObject m = v.toObject();
            html += QStringLiteral("<li>%1 — %2</li>")
                            .arg(esc(str(m, wire::field::targetName)), esc(str(m, wire::field::reason)));
        }
        html += QStringLiteral("</ul>");
    }
    if (!str(item, wire::field::claimedBy).isEmpty())
        html += QStringLiteral("<p><b>%1</b> %2</p>").arg(tr("Claimed by:"), esc(str(item, wire::field::claimedBy)));
    if (!str(item, wire::field::resolvedBy).isEmpty())
        html += QStringLiteral("<p><b>%1</b> %2 (%3)</p>")
                        .arg(tr("Resolved by:"), esc(str(item, wire::field::resolvedBy)),
                             esc(str(item, wire::field::resolution)));
    return html;
}

void QueueView::showDetails()
{
    const QJsonObject item = m_table->currentIndex().data(QueueModel::RawRole).toJsonObject();
    if (item.isEmpty())
        m_details->clear();
    else
        m_details->setHtml(contextHtml(item));
}

} // namespace mythos::console
