#include "views/mutesview.h"

#include "connection/moderatorclient.h"
#include "models/mutesmodel.h"
#include "protocol/frames.h"
#include "protocol/wirenames.h"
#include "views/mutedialog.h"
#include "views/readonlytable.h"

#include <QAction>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace mythos::console {

namespace {
const QStringList kChannels { QStringLiteral("say"),    QStringLiteral("emote"),  QStringLiteral("local"),
                              QStringLiteral("zone"),   QStringLiteral("global"), QStringLiteral("party"),
                              QStringLiteral("whisper") };
}

MutesView::MutesView(MutesModel *model, ModeratorClient *client, QWidget *parent)
    : QWidget(parent), m_model(model), m_client(client), m_proxy(new QSortFilterProxyModel(this))
{
    m_proxy->setSourceModel(model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_target = new QLineEdit;
    m_target->setPlaceholderText(tr("player id or name"));
    m_target->setAccessibleName(tr("Player to mute"));
    m_duration = new QComboBox;
    addDurationPresets(m_duration);
    m_duration->setAccessibleName(tr("Mute duration"));
    m_channel = new QComboBox;
    m_channel->addItem(tr("all channels"), QString());
    for (const QString &c : kChannels)
        m_channel->addItem(c, c);
    m_channel->setAccessibleName(tr("Muted channel"));
    m_kind = new QComboBox;
    m_kind->addItem(tr("Server mute"), QString(wire::value::server));
    m_kind->addItem(tr("Shadow mute"), QString(wire::value::shadow));
    m_kind->setAccessibleName(tr("Mute kind"));
    m_kind->setToolTip(tr("Server: the player's lines are refused and they are told. "
                          "Shadow: their lines are accepted but reach moderators only."));
    m_reason = new QLineEdit;
    m_reason->setPlaceholderText(tr("reason (the player sees it)"));
    m_reason->setAccessibleName(tr("Mute reason"));
    m_add = new QPushButton(tr("&Mute"));
    m_add->setToolTip(tr("Add the mute (Enter in the form)"));

    auto *form = new QHBoxLayout;
    auto *targetLabel = new QLabel(tr("&Player:"));
    targetLabel->setBuddy(m_target);
    form->addWidget(targetLabel);
    form->addWidget(m_target, 2);
    form->addWidget(m_kind);
    form->addWidget(m_duration);
    form->addWidget(m_channel);
    form->addWidget(m_reason, 3);
    form->addWidget(m_add);

    m_search = new QLineEdit;
    m_search->setPlaceholderText(tr("search mutes (Ctrl+F)"));
    m_search->setAccessibleName(tr("Search mutes"));
    m_search->setClearButtonEnabled(true);
    auto *extend = new QToolButton;
    extend->setText(tr("&Extend"));
    extend->setPopupMode(QToolButton::InstantPopup);
    auto *extendMenu = new QMenu(extend);
    for (const auto &[label, minutes] : { std::pair { tr("by 10 minutes"), 10 }, std::pair { tr("by 1 hour"), 60 },
                                          std::pair { tr("by 24 hours"), 1440 }, std::pair { tr("by 7 days"), 10080 } })
        extendMenu->addAction(label, this, [this, m = minutes] { extendSelected(m); });
    extend->setMenu(extendMenu);
    extend->setToolTip(tr("Extend the selected mute (E)"));
    auto *remove = new QPushButton(tr("&Remove"));
    remove->setToolTip(tr("Lift the selected mute (Del)"));
    auto *refreshButton = new QPushButton(tr("Refresh"));
    refreshButton->setToolTip(tr("Re-read the list from the server (F5)"));
    auto *listBar = new QHBoxLayout;
    listBar->addWidget(m_search, 1);
    listBar->addWidget(extend);
    listBar->addWidget(remove);
    listBar->addWidget(refreshButton);

    m_table = readOnlyTable(m_proxy, tr("Server and shadow mutes"));
    m_table->setSortingEnabled(true);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(MutesModel::ReasonColumn, QHeaderView::Stretch);
    m_table->setColumnWidth(MutesModel::TargetColumn, 220);
    m_table->setColumnWidth(MutesModel::ChannelColumn, 110);
    m_table->setColumnWidth(MutesModel::MutedByColumn, 110);
    m_table->setColumnWidth(MutesModel::ExpiresColumn, 110);
    m_table->setColumnWidth(MutesModel::KindColumn, 80);
    m_table->horizontalHeader()->moveSection(MutesModel::KindColumn, 1); // right after the player

    m_message = new QLabel;
    m_message->setAccessibleName(tr("Mutes status"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(listBar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_message);

    auto shortcut = [this](const QKeySequence &key, auto slot, QWidget *on) {
        auto *a = new QAction(this);
        a->setShortcut(key);
        a->setShortcutContext(on == this ? Qt::WidgetWithChildrenShortcut : Qt::WidgetShortcut);
        connect(a, &QAction::triggered, this, slot);
        on->addAction(a);
    };
    shortcut(
            QKeySequence::Find,
            [this] {
                m_search->setFocus();
                m_search->selectAll();
            },
            this);
    shortcut(
            QKeySequence::Refresh, [this] { refresh(); }, this);
    shortcut(
            QKeySequence(Qt::Key_Delete), [this] { removeSelected(); }, m_table);
    shortcut(
            QKeySequence(Qt::Key_E), [extend] { extend->showMenu(); }, m_table);

    connect(m_add, &QPushButton::clicked, this, [this] {
        addMute(m_target->text(), presetMinutes(m_duration), m_reason->text(), m_channel->currentData().toString(),
                m_kind->currentData().toString());
    });
    // A shadow-muted player is never told, so the reason is for moderators.
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        m_reason->setPlaceholderText(m_kind->currentData().toString() == wire::value::shadow
                                             ? tr("reason (for moderators only)")
                                             : tr("reason (the player sees it)"));
    });
    connect(m_target, &QLineEdit::returnPressed, m_add, &QPushButton::click);
    connect(m_reason, &QLineEdit::returnPressed, m_add, &QPushButton::click);
    connect(remove, &QPushButton::clicked, this, &MutesView::removeSelected);
    connect(refreshButton, &QPushButton::clicked, this, &MutesView::refresh);
    connect(m_search, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    // Changes are pushed (mutes_changed); the timer only catches what a lost connection missed.
    connect(m_client, &ModeratorClient::serverMutesChanged, this, &MutesView::refresh);
    m_refresh.setInterval(15000);
    connect(&m_refresh, &QTimer::timeout, this, &MutesView::refresh);
    m_refresh.start();
}

QString MutesView::lastMessage() const
{
    return m_message->text();
}

void MutesView::refresh()
{
    if (m_client->state() != ModeratorClient::State::Connected)
        return;
    m_client->request(frames::mutes(wire::value::server));
    m_client->request(frames::mutes(wire::value::shadow));
}

void MutesView::send(const QJsonObject &frame, const QString &done)
{
    const QString ref = m_client->request(
            frame,
            [this, done](const QString &type, const QJsonObject &data) {
                if (type == wire::event::mutes)
                    m_message->setText(done);
                else
                    m_message->setText(
                            tr("<b>Refused:</b> %1")
                                    .arg(type == QLatin1String("timeout")
                                                 ? tr("no answer from the server")
                                                 : data.value(wire::field::message).toString().toHtmlEscaped()));
            },
            this);
    if (ref.isEmpty())
        m_message->setText(tr("Not connected."));
}

void MutesView::addMute(const QString &target, std::optional<int> minutes, const QString &reason,
                        const QString &channel, const QString &scope)
{
    const QString who = target.trimmed();
    if (who.isEmpty()) {
        m_message->setText(tr("Type the player to mute."));
        m_target->setFocus();
        return;
    }
    const QJsonObject frame = frames::mute({ wire::value::player, who, scope }, minutes, reason.trimmed(), channel);
    const QString verb = scope == wire::value::shadow ? tr("Shadow-muted") : tr("Muted");
    send(frame,
         minutes ? tr("%1 %2 for %3 minutes.").arg(verb, who).arg(*minutes) : tr("%1 %2 permanently.").arg(verb, who));
    m_target->clear();
    m_reason->clear();
}

QJsonObject MutesView::selectedMute() const
{
    return m_table->currentIndex().data(MutesModel::RawRole).toJsonObject();
}

bool MutesView::selectTarget(const QString &targetId)
{
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        if (m_proxy->index(r, 0).data(MutesModel::TargetIdRole).toString() == targetId) {
            m_table->selectRow(r);
            m_table->setCurrentIndex(m_proxy->index(r, 0));
            return true;
        }
    }
    return false;
}

void MutesView::extendSelected(int minutes)
{
    const QJsonObject m = selectedMute();
    if (m.isEmpty())
        return;
    const QJsonValue untilValue = m.value(wire::field::mutedUntil);
    if (!untilValue.isString()) {
        m_message->setText(tr("That mute is permanent already."));
        return;
    }
    const QDateTime until = QDateTime::fromString(untilValue.toString(), Qt::ISODateWithMs);
    const qint64 left = std::max<qint64>(0, (QDateTime::currentDateTimeUtc().secsTo(until) + 59) / 60);
    const int total = static_cast<int>(std::min<qint64>(10080, left + minutes));
    addMute(m.value(wire::field::target).toString(), total, m.value(wire::field::reason).toString(),
            m.value(wire::field::channel).toString(), m.value(wire::field::scope).toString(wire::value::server));
}

void MutesView::removeSelected()
{
    const QJsonObject m = selectedMute();
    if (m.isEmpty())
        return;
    const QString target = m.value(wire::field::target).toString();
    send(frames::unmute({ m.value(wire::field::targetType).toString(), target,
                          m.value(wire::field::scope).toString(wire::value::server) }),
         tr("Unmuted %1.").arg(target));
}

} // namespace mythos::console
