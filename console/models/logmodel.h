#pragma once
// Lines of one audit-log file (a category and a UTC day) as returned by `logs` queries.
// Following a file re-queries it; merge() appends only the lines not seen yet.

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSet>

namespace mythos::console {

class LogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, EventColumn, ServerColumn, DetailsColumn, ColumnCount };
    enum Role { RawRole = Qt::UserRole + 1, EventRole };

    explicit LogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setLines(const QJsonArray &lines);
    // Appends the lines not already shown; returns how many were new.
    int merge(const QJsonArray &lines);
    void clear();
    QJsonObject line(int row) const { return m_lines.value(row); }
    void setCap(int cap) { m_cap = cap; }

    // "channel=say sender_name=Alice content=hi": the fields after the four common ones.
    static QString details(const QJsonObject &line);

private:
    static QByteArray keyOf(const QJsonObject &line);
    QList<QJsonObject> m_lines;
    QSet<QByteArray> m_seen;
    int m_cap = 20000;
};

} // namespace mythos::console
