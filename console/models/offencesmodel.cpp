#include "models/offencesmodel.h"

#include "protocol/wirenames.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>

namespace mythos::console {

namespace {
QString str(const QJsonObject &o, QLatin1String key)
{
    return o.value(key).toString();
}
const QLatin1String kAt("at");
const QLatin1String kKind("kind");
const QLatin1String kPoints("points");
const QLatin1String kActor("actor");
const QLatin1String kDetail("detail");
const QLatin1String kOffences("offences");
} // namespace

OffencesModel::OffencesModel(QObject *parent) : QAbstractTableModel(parent)
{
}

int OffencesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_offences.size());
}

int OffencesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OffencesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const QJsonObject &o = m_offences.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromString(str(o, kAt), Qt::ISODateWithMs)
                    .toLocalTime()
                    .toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        case KindColumn: return str(o, kKind);
        case PointsColumn: return o.value(kPoints).toInt();
        case ActorColumn: return str(o, kActor);
        case DetailColumn: return str(o, kDetail);
        case ChannelColumn: return str(o, wire::field::channel);
        }
        return {};
    case Qt::ToolTipRole:
        return tr("%1 · recorded by instance %2").arg(str(o, wire::field::id), str(o, QLatin1String("origin")));
    case OffenceIdRole: return str(o, wire::field::id);
    case KindRole: return str(o, kKind);
    case RawRole: return o;
    }
    return {};
}

QVariant OffencesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("When");
    case KindColumn: return tr("Kind");
    case PointsColumn: return tr("Points");
    case ActorColumn: return tr("By");
    case DetailColumn: return tr("Detail / reason");
    case ChannelColumn: return tr("Channel");
    }
    return {};
}

void OffencesModel::setStanding(const QJsonObject &standing)
{
    beginResetModel();
    m_standing = standing;
    m_offences.clear();
    for (const QJsonValue &v : standing.value(kOffences).toArray())
        m_offences.append(v.toObject());
    // ISO times in UTC sort as text.
    std::stable_sort(m_offences.begin(), m_offences.end(),
                     [](const QJsonObject &a, const QJsonObject &b) { return str(a, kAt) > str(b, kAt); });
    endResetModel();
}

int OffencesModel::points() const
{
    return m_standing.value(kPoints).toInt();
}

QList<QJsonObject> OffencesModel::warnings() const
{
    QList<QJsonObject> out;
    for (const QJsonObject &o : m_offences) {
        if (str(o, kKind) == QLatin1String("warn"))
            out.append(o);
    }
    return out;
}

QString OffencesModel::stepText(const QJsonValue &step)
{
    if (!step.isObject())
        return tr("none");
    const QJsonObject s = step.toObject();
    const QString action = str(s, QLatin1String("action"));
    if (action == QLatin1String("mute")) {
        const int minutes = s.value(QLatin1String("minutes")).toInt();
        return minutes > 0 ? tr("mute %1 min").arg(minutes) : tr("mute until lifted");
    }
    return action;
}

QString OffencesModel::summary(const QJsonObject &standing)
{
    if (standing.isEmpty())
        return tr("Standing not read yet.");
    const int points = standing.value(kPoints).toInt();
    QString text = points == 1 ? tr("1 point") : tr("%1 points").arg(points);
    auto step = [](const QJsonValue &v) {
        return v.isObject() ? tr("%1 (at %2)").arg(stepText(v), QString::number(v.toObject().value(kAt).toInt()))
                            : tr("none");
    };
    text += tr(" · last step: %1 · next: %2")
                    .arg(step(standing.value(QLatin1String("last_step"))),
                         step(standing.value(QLatin1String("next_step"))));
    text += tr(" · offences count for %1 min").arg(standing.value(QLatin1String("decay_minutes")).toInt());
    if (!standing.value(QLatin1String("enabled")).toBool(true))
        text += tr(" · the escalation ladder is off on this server (offences are not counted)");
    return text;
}

} // namespace mythos::console
