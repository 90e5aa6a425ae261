#pragma once
// A player's live offences on the escalation ladder (the `standing` reply's `offences`), newest
// first, and the words for a standing: points, the last and next step, the decay.

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>

namespace mythos::console {

class OffencesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, KindColumn, PointsColumn, ActorColumn, DetailColumn, ChannelColumn, ColumnCount };
    enum Role { OffenceIdRole = Qt::UserRole + 1, KindRole, RawRole };

    explicit OffencesModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces everything with this `standing` reply.
    void setStanding(const QJsonObject &standing);
    QJsonObject standing() const { return m_standing; }
    int points() const;
    // The offences of kind `warn` (a moderator's warnings), newest first.
    QList<QJsonObject> warnings() const;

    // "warn", "mute 5 min", "mute until lifted", "review"; "none" for a null step.
    static QString stepText(const QJsonValue &step);
    // One line: "2 points · last step: mute 5 min (at 2) · next: mute 60 min (at 3) · …".
    static QString summary(const QJsonObject &standing);

private:
    QJsonObject m_standing;
    QList<QJsonObject> m_offences; // newest first
};

} // namespace mythos::console
