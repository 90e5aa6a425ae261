#include "views/queueview.h"

#include "connection/moderatorclient.h"
#include "models/queuemodel.h"
#include "views/mutedialog.h"
#include "views/readonlytable.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QToolBar>
#include <QVBoxLayout>

namespace mythos::console {

namespace {
QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
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

void QueueView::refresh()
{
    m_client->request(
            { { QStringLiteral("type"), QStringLiteral("queue") },
              { QStringLiteral("status"), QStringLiteral("pending") },
              { QStringLiteral("limit"), 500 } },
            [this](const QString &type, const QJsonObject &data) {
                if (type == QLatin1String("queue"))
                    m_model->replacePending(data.value(QLatin1String("items")).toArray());
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
    QJsonObject frame { { QStringLiteral("type"), QStringLiteral("queue_action") },
                        { QStringLiteral("item_id"), itemId },
                        { QStringLiteral("action"), action } };
    if (minutes)
        frame.insert(QStringLiteral("minutes"), *minutes);
    if (!reason.isEmpty())
        frame.insert(QStringLiteral("reason"), reason);
    m_message->setText(tr("Sending %1…").arg(action));
    const int proxyRow = m_table->currentIndex().row();
    const QString ref = m_client->request(
            frame,
            [this, action, itemId, proxyRow](const QString &type, const QJsonObject &data) {
                if (type == QLatin1String("queue_item")) {
                    m_lastError.clear();
                    m_message->setText(tr("%1: done (%2).").arg(action, str(data, "status")));
                    if (action == QLatin1String("mute_sender"))
                        Q_EMIT mutesChanged();
                    if (action != QLatin1String("claim") && selectedItemId() == itemId && !m_showClosed->isChecked())
                        selectNextPending(proxyRow);
                    else if (action != QLatin1String("claim") && m_showClosed->isChecked())
                        selectNextPending(proxyRow + 1);
                    return;
                }
                m_lastError = type == QLatin1String("timeout") ? tr("no answer from the server") : str(data, "message");
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
    const QJsonObject message = item.value(QLatin1String("message")).toObject();
    auto *dialog = new MuteDialog(str(item, "sender_id"), str(message, "sender_name"), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QStringList reasons;
    for (const QJsonValue &r : item.value(QLatin1String("reasons")).toArray())
        reasons.append(r.toString());
    dialog->setReason(tr("Moderation queue: \"%1\"").arg(str(message, "content").left(120)));
    const QString itemId = str(item, "item_id");
    connect(dialog, &QDialog::accepted, this, [this, dialog, itemId] {
        if (selectItem(itemId))
            act(QStringLiteral("mute_sender"), dialog->minutes(), dialog->reason());
    });
    dialog->open();
}

void QueueView::updateActions()
{
    const QJsonObject item = m_table->currentIndex().data(QueueModel::RawRole).toJsonObject();
    const bool pending = str(item, "status") == QLatin1String("pending");
    const QString claimedBy = str(item, "claimed_by");
    const bool mine = claimedBy.isEmpty() || claimedBy == m_client->playerId();
    for (QAction *a : std::as_const(m_actions))
        a->setEnabled(pending && mine && (a->objectName() != QLatin1String("claim") || claimedBy.isEmpty()));
}

QString QueueView::contextHtml(const QJsonObject &item)
{
    const QJsonObject message = item.value(QLatin1String("message")).toObject();
    const QJsonObject context = item.value(QLatin1String("context")).toObject();
    const QJsonObject sender = context.value(QLatin1String("sender")).toObject();
    QString html;
    html += QStringLiteral("<h3>%1</h3>").arg(esc(str(message, "message")));
    QStringList reasons;
    for (const QJsonValue &r : item.value(QLatin1String("reasons")).toArray())
        reasons.append(QStringLiteral("<code>%1</code>").arg(esc(r.toString())));
    html += QStringLiteral("<p><b>%1</b> %2 · <b>%3</b> %4 · <b>%5</b> %6</p>")
                    .arg(tr("Kind:"), esc(str(item, "kind")), tr("Status:"), esc(str(item, "status")), tr("Matched:"),
                         reasons.join(QStringLiteral(", ")));
    html += QStringLiteral("<p><b>%1</b> %2 (%3, %4) · <b>%5</b> %6 · <b>%7</b> %8 · <b>%9</b> %10</p>")
                    .arg(tr("Sender:"), esc(str(sender, "name")), esc(str(sender, "id")), esc(str(sender, "role")),
                         tr("Room:"), esc(str(context, "room_id")), tr("Party:"),
                         esc(str(context, "party_id").isEmpty() ? tr("none") : str(context, "party_id")),
                         tr("Rate-limited in the last hour:"),
                         QString::number(context.value(QLatin1String("rate_limited_last_hour")).toInt()));
    const QJsonObject scopes = context.value(QLatin1String("scope_ids")).toObject();
    QStringList scopeParts;
    for (auto it = scopes.begin(); it != scopes.end(); ++it)
        scopeParts.append(QStringLiteral("%1 <code>%2</code>").arg(esc(it.key()), esc(it.value().toString())));
    if (!scopeParts.isEmpty())
        html += QStringLiteral("<p><b>%1</b> %2</p>").arg(tr("Scopes:"), scopeParts.join(QStringLiteral(" · ")));
    html += QStringLiteral("<p><b>%1</b></p><ul>").arg(tr("Before it in %1:").arg(esc(str(item, "channel"))));
    const QJsonArray recent = context.value(QLatin1String("recent_lines")).toArray();
    for (const QJsonValue &v : recent) {
        const QJsonObject l = v.toObject();
        const QString line = l.contains(QLatin1String("message"))
                ? str(l, "message")
                : str(l, "sender_name") + QStringLiteral(": ") + str(l, "content");
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
            html += QStringLiteral("<li>%1 — %2</li>").arg(esc(str(m, "target_name")), esc(str(m, "reason")));
        }
        html += QStringLiteral("</ul>");
    }
    if (!str(item, "claimed_by").isEmpty())
        html += QStringLiteral("<p><b>%1</b> %2</p>").arg(tr("Claimed by:"), esc(str(item, "claimed_by")));
    if (!str(item, "resolved_by").isEmpty())
        html += QStringLiteral("<p><b>%1</b> %2 (%3)</p>")
                        .arg(tr("Resolved by:"), esc(str(item, "resolved_by")), esc(str(item, "resolution")));
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
