#include "views/mutedialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace mythos::console {

namespace {
const QStringList kCommonReasons { QStringLiteral("Spam"),
                                   QStringLiteral("Harassment"),
                                   QStringLiteral("Hate speech"),
                                   QStringLiteral("Real-money trading"),
                                   QStringLiteral("Sharing personal information"),
                                   QStringLiteral("Threats") };
} // namespace

void addDurationPresets(QComboBox *combo)
{
    combo->addItem(QObject::tr("10 minutes"), 10);
    combo->addItem(QObject::tr("1 hour"), 60);
    combo->addItem(QObject::tr("24 hours"), 1440);
    combo->addItem(QObject::tr("7 days"), 10080);
    combo->addItem(QObject::tr("Permanent"), 0);
    combo->setCurrentIndex(1);
}

std::optional<int> presetMinutes(const QComboBox *combo)
{
    const int m = combo->currentData().toInt();
    return m > 0 ? std::optional<int>(m) : std::nullopt;
}

MuteDialog::MuteDialog(const QString &playerId, const QString &playerName, Kind kind, QWidget *parent)
    : QDialog(parent), m_playerId(playerId), m_kind(kind)
{
    const bool shadow = kind == Kind::Shadow;
    const QString name = playerName.isEmpty() ? playerId : playerName;
    setWindowTitle(shadow ? tr("Shadow-mute %1").arg(name) : tr("Mute %1").arg(name));
    auto *form = new QFormLayout(this);
    auto *who = new QLabel(playerName.isEmpty() || playerName == playerId ? playerId
                                                                          : tr("%1 (%2)").arg(playerName, playerId));
    form->addRow(tr("Player:"), who);
    if (shadow) {
        auto *what = new QLabel(tr("Their lines are accepted as usual but reach moderators only. "
                                   "They are not told."));
        what->setWordWrap(true);
        form->addRow(what);
    }
    m_duration = new QComboBox;
    addDurationPresets(m_duration);
    m_duration->setAccessibleName(tr("Mute duration"));
    form->addRow(tr("&Duration:"), m_duration);
    m_reason = new QComboBox;
    m_reason->setEditable(true);
    m_reason->addItems(kCommonReasons);
    m_reason->setCurrentText(QString());
    m_reason->lineEdit()->setPlaceholderText(shadow ? tr("Why (for moderators only)") : tr("Why (the player sees it)"));
    m_reason->setAccessibleName(tr("Mute reason"));
    form->addRow(tr("&Reason:"), m_reason);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(shadow ? tr("&Shadow-mute") : tr("&Mute"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
    m_reason->setFocus();
}

QString MuteDialog::scope() const
{
    return m_kind == Kind::Shadow ? QStringLiteral("shadow") : QStringLiteral("server");
}

std::optional<int> MuteDialog::minutes() const
{
    return presetMinutes(m_duration);
}

QString MuteDialog::reason() const
{
    return m_reason->currentText().trimmed();
}

void MuteDialog::setReason(const QString &reason)
{
    m_reason->setCurrentText(reason);
}

void MuteDialog::setDurationIndex(int index)
{
    m_duration->setCurrentIndex(index);
}

} // namespace mythos::console
