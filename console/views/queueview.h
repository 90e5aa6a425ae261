#pragma once
// The moderation queue tab: pending flagged and held messages with the context the server
// captured, and one key per action (claim, approve, reject, dismiss, delete, mute sender).
// After an action the next pending item is selected, so a queue can be worked from the keyboard.

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QTableView;
class QTextBrowser;
class QAction;

namespace mythos::console {

class ModeratorClient;
class QueueFilter;
class QueueModel;

class QueueView : public QWidget
{
    Q_OBJECT
public:
    QueueView(QueueModel *model, ModeratorClient *client, QWidget *parent = nullptr);

    void refresh();
    bool selectItem(const QString &itemId);
    QString selectedItemId() const;
    // Sends `action` for the selected item; mute_sender takes minutes and a reason.
    void act(const QString &action, std::optional<int> minutes = std::nullopt, const QString &reason = {});
    void muteSenderInteractively();
    QAction *actionFor(const QString &action) const;
    QTableView *table() const { return m_table; }
    QComboBox *categoryCombo() const { return m_category; }
    QueueFilter *filter() const { return m_filter; }
    // Ctrl+I: asks for the selected item's sender's record.
    void requestRecordOfSelected();
    QString lastError() const { return m_lastError; }
    static QString contextHtml(const QJsonObject &item);

Q_SIGNALS:
    void mutesChanged();
    void recordRequested(const QString &playerId, const QString &playerName);

private:
    void showDetails();
    void updateActions();
    void selectNextPending(int fromProxyRow);
    // Offers the categories the items carry (plus "review"), keeping what is typed.
    void updateCategories();
    void showMenu(const QPoint &pos);

    QueueModel *m_model;
    ModeratorClient *m_client;
    QueueFilter *m_filter;
    QTableView *m_table;
    QTextBrowser *m_details;
    QCheckBox *m_showClosed;
    QComboBox *m_category;
    QAction *m_recordAction;
    QLabel *m_message;
    QList<QAction *> m_actions;
    QString m_lastError;
};

} // namespace mythos::console
