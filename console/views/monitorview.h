#pragma once
// The live monitor tab: every message on every channel, filterable by channel, place, player
// and text; pause keeps lines aside; from a line a moderator can mute its sender or read the
// conversation around it.

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QToolButton;

namespace mythos::console {

class MonitorFilter;
class MonitorModel;

class MonitorView : public QWidget
{
    Q_OBJECT
public:
    explicit MonitorView(MonitorModel *model, QWidget *parent = nullptr);

    MonitorFilter *filter() const { return m_filter; }
    QTableView *table() const { return m_table; }
    QToolButton *pauseButton() const { return m_pause; }
    // Lines around the selected one in its channel and scope, as printable text.
    QString contextText(int sourceRow) const;
    void openContext();
    void requestMuteOfSelected();
    void requestShadowMuteOfSelected();
    // Ctrl+I: asks for the selected line's sender's record.
    void requestRecordOfSelected();

Q_SIGNALS:
    void muteRequested(const QString &playerId, const QString &playerName);
    void shadowMuteRequested(const QString &playerId, const QString &playerName);
    void recordRequested(const QString &playerId, const QString &playerName);

private:
    int selectedSourceRow() const;
    void updateStatus();
    void rememberChannel(const QString &channel);
    void showMenu(const QPoint &pos);

    MonitorModel *m_model;
    MonitorFilter *m_filter;
    QTableView *m_table;
    QComboBox *m_channel;
    QLineEdit *m_scope, *m_player, *m_text;
    QToolButton *m_pause;
    QLabel *m_status;
    bool m_follow = true;
};

} // namespace mythos::console
