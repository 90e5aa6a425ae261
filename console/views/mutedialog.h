#pragma once
// Asks how long and why before a server or shadow mute: duration presets (10 minutes to a
// week, or permanent) and a reason. Used from the monitor and the queue.

#include <QDialog>
#include <optional>

class QComboBox;
class QLabel;

namespace mythos::console {

// Fills a combo box with the duration presets; the item data is minutes (0 = permanent).
void addDurationPresets(QComboBox *combo);
// The chosen minutes, or nullopt for permanent.
std::optional<int> presetMinutes(const QComboBox *combo);

class MuteDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Kind { Server, Shadow };
    MuteDialog(const QString &playerId, const QString &playerName, QWidget *parent = nullptr)
        : MuteDialog(playerId, playerName, Kind::Server, parent)
    {
    }
    MuteDialog(const QString &playerId, const QString &playerName, Kind kind, QWidget *parent = nullptr);

    QString playerId() const { return m_playerId; }
    Kind kind() const { return m_kind; }
    // The mute frame's scope: "server" or "shadow".
    QString scope() const;
    std::optional<int> minutes() const;
    QString reason() const;
    void setReason(const QString &reason);
    void setDurationIndex(int index);

private:
    QString m_playerId;
    Kind m_kind;
    QComboBox *m_duration = nullptr;
    QComboBox *m_reason = nullptr;
};

} // namespace mythos::console
