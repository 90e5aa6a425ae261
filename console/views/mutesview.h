#pragma once
// The mutes tab: server and shadow mutes in force with a live countdown; add one from the form
// at the top (its kind chosen there), extend or remove the selected one, search the list. The
// list is re-read on every mutes_changed push, after each change and every 15 seconds.

#include <QTimer>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace mythos::console {

class ModeratorClient;
class MutesModel;

class MutesView : public QWidget
{
    Q_OBJECT
public:
    MutesView(MutesModel *model, ModeratorClient *client, QWidget *parent = nullptr);

    void refresh();
    // `scope` "server" (refused, the player is told) or "shadow" (accepted, moderators only).
    void addMute(const QString &target, std::optional<int> minutes, const QString &reason, const QString &channel = {},
                 const QString &scope = QStringLiteral("server"));
    // Extending sets a new mute whose expiry is the current one plus `minutes` (the protocol
    // has no "extend": muting again replaces the earlier mute), keeping reason and channel.
    void extendSelected(int minutes);
    void removeSelected();
    bool selectTarget(const QString &targetId);

    QLineEdit *targetEdit() const { return m_target; }
    QLineEdit *reasonEdit() const { return m_reason; }
    QComboBox *durationCombo() const { return m_duration; }
    QComboBox *kindCombo() const { return m_kind; }
    QPushButton *addButton() const { return m_add; }
    QLineEdit *searchEdit() const { return m_search; }
    QTableView *table() const { return m_table; }
    QString lastMessage() const;

private:
    void send(const QJsonObject &frame, const QString &done);
    QJsonObject selectedMute() const;

    MutesModel *m_model;
    ModeratorClient *m_client;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLineEdit *m_target, *m_reason, *m_search;
    QComboBox *m_duration, *m_channel, *m_kind;
    QPushButton *m_add;
    QLabel *m_message;
    QTimer m_refresh;
};

} // namespace mythos::console
