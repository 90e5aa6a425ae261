#pragma once
// The logs tab: one audit-log file (chat, moderation or system, one UTC day) read through the
// server, filtered by event and text, optionally followed live, exported as CSV or JSON lines.

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace mythos::console {

class LogModel;
class ModeratorClient;

class LogsView : public QWidget
{
    Q_OBJECT
public:
    LogsView(LogModel *model, ModeratorClient *client, QWidget *parent = nullptr);

    enum class Format { Csv, JsonLines };
    // Writes the rows the table shows now. Returns false (and says why) when it cannot.
    bool exportTo(const QString &path, Format format, QString *error = nullptr);
    void setCategory(const QString &category);
    void setDay(const QDate &day);
    void setFollowing(bool follow);
    void setSearch(const QString &text);
    void setPlayer(const QString &playerId); // only lines about this player; empty: everyone
    void query(bool fresh = true);

    QTableView *table() const { return m_table; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QString statusText() const;

private:
    void exportInteractively();

    LogModel *m_model;
    ModeratorClient *m_client;
    QSortFilterProxyModel *m_proxy;
    QComboBox *m_category;
    QDateEdit *m_day;
    QLineEdit *m_event, *m_player, *m_search;
    QCheckBox *m_follow;
    QTableView *m_table;
    QLabel *m_status;
    QTimer m_followTimer, m_searchDelay;
    bool m_queryInFlight = false;
};

} // namespace mythos::console
