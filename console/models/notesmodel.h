#pragma once
// Moderators' notes on one player (the `notes` reply), newest first: stored by the server and
// shared by every instance, so whoever opens the record next reads the same notes.

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>

namespace mythos::console {

class NotesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, AuthorColumn, TextColumn, ColumnCount };
    enum Role { NoteIdRole = Qt::UserRole + 1, RawRole };

    explicit NotesModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces everything with this `notes` reply.
    void setNotes(const QJsonObject &reply);

private:
    QList<QJsonObject> m_notes; // newest first
};

} // namespace mythos::console
