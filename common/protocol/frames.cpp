#include "protocol/frames.h"

#include "protocol/wirenames.h"

namespace mythos::frames {

using namespace wire;

namespace {
QJsonObject typed(QLatin1String type)
{
    return { { field::type, type } };
}

void insertIfSet(QJsonObject &frame, QLatin1String key, const QString &value)
{
    if (!value.isEmpty())
        frame.insert(key, value);
}

void insertIfSet(QJsonObject &frame, QLatin1String key, std::optional<int> value)
{
    if (value)
        frame.insert(key, *value);
}
} // namespace

QJsonObject auth(const QString &token)
{
    QJsonObject f = typed(request::auth);
    f.insert(field::token, token);
    return f;
}

QJsonObject guestAuth(const QString &guestName, const QString &guestKey)
{
    QJsonObject f = typed(request::auth);
    f.insert(field::guestName, guestName);
    insertIfSet(f, field::guestKey, guestKey);
    return f;
}

QJsonObject send(const QString &channel, const QString &content, const QString &target)
{
    QJsonObject f = typed(request::send);
    f.insert(field::channel, channel);
    f.insert(field::content, content);
    insertIfSet(f, field::target, target);
    return f;
}

QJsonObject command(const QString &text)
{
    QJsonObject f = typed(request::command);
    f.insert(field::text, text);
    return f;
}

QJsonObject move(const QString &roomId)
{
    QJsonObject f = typed(request::move);
    f.insert(field::roomId, roomId);
    return f;
}

QJsonObject party(const QString &partyId)
{
    QJsonObject f = typed(request::party);
    f.insert(field::partyId, partyId.isEmpty() ? QJsonValue() : QJsonValue(partyId));
    return f;
}

QJsonObject history(const QString &channel, std::optional<int> limit, const QString &before)
{
    QJsonObject f = typed(request::history);
    f.insert(field::channel, channel);
    insertIfSet(f, field::limit, limit);
    insertIfSet(f, field::before, before);
    return f;
}

QJsonObject resume(const QString &since, const QString &feed)
{
    QJsonObject f = typed(request::resume);
    f.insert(field::since, since);
    insertIfSet(f, field::feed, feed);
    return f;
}

QJsonObject ping()
{
    return typed(request::ping);
}

namespace {
QJsonObject muteFrame(QLatin1String type, const MuteTarget &who)
{
    QJsonObject f = typed(type);
    f.insert(field::targetType, who.type);
    f.insert(field::target, who.target);
    insertIfSet(f, field::scope, who.scope);
    return f;
}
} // namespace

QJsonObject mute(const MuteTarget &who, std::optional<int> minutes, const QString &reason, const QString &channel)
{
    QJsonObject f = muteFrame(request::mute, who);
    insertIfSet(f, field::minutes, minutes);
    insertIfSet(f, field::reason, reason);
    insertIfSet(f, field::channel, channel);
    return f;
}

QJsonObject unmute(const MuteTarget &who)
{
    return muteFrame(request::unmute, who);
}

QJsonObject mutes(const QString &scope)
{
    QJsonObject f = typed(request::mutes);
    insertIfSet(f, field::scope, scope);
    return f;
}

QJsonObject monitor(bool enabled)
{
    QJsonObject f = typed(request::monitor);
    f.insert(field::enabled, enabled);
    return f;
}

QJsonObject stats()
{
    return typed(request::stats);
}

QJsonObject queue(const QString &status, int limit)
{
    QJsonObject f = typed(request::queue);
    f.insert(field::status, status);
    f.insert(field::limit, limit);
    return f;
}

QJsonObject queueAction(const QString &itemId, const QString &action, std::optional<int> minutes, const QString &reason)
{
    QJsonObject f = typed(request::queueAction);
    f.insert(field::itemId, itemId);
    f.insert(field::action, action);
    insertIfSet(f, field::minutes, minutes);
    insertIfSet(f, field::reason, reason);
    return f;
}

QJsonObject logs(const LogQuery &query)
{
    QJsonObject f = typed(request::logs);
    insertIfSet(f, field::category, query.category);
    insertIfSet(f, field::day, query.day);
    insertIfSet(f, field::event, query.event);
    insertIfSet(f, field::contains, query.contains);
    insertIfSet(f, field::player, query.player);
    f.insert(field::limit, query.limit);
    return f;
}

QJsonObject reloadFilters()
{
    return typed(request::reloadFilters);
}

QJsonObject filterDryRun(const FilterDryRun &dryRun)
{
    QJsonObject f = typed(request::filterDryRun);
    QJsonObject lists;
    for (const auto &[key, text] :
         { std::pair { field::profanity, dryRun.profanity }, std::pair { field::allow, dryRun.allow },
           std::pair { field::keywords, dryRun.keywords } }) {
        if (text)
            lists.insert(key, *text);
    }
    if (!lists.isEmpty())
        f.insert(field::lists, lists);
    if (dryRun.levels)
        f.insert(field::levels, *dryRun.levels);
    f.insert(field::days, dryRun.days);
    f.insert(field::examples, dryRun.examples);
    return f;
}

QJsonObject warn(const QString &player, const QString &reason)
{
    QJsonObject f = typed(request::warn);
    f.insert(field::player, player);
    if (!reason.isEmpty())
        f.insert(field::reason, reason);
    return f;
}

QJsonObject standing(const QString &player)
{
    QJsonObject f = typed(request::standing);
    f.insert(field::player, player);
    return f;
}

QJsonObject resetStanding(const QString &player)
{
    QJsonObject f = typed(request::resetStanding);
    f.insert(field::player, player);
    return f;
}

QJsonObject notes(const QString &player)
{
    QJsonObject f = typed(request::notes);
    f.insert(field::player, player);
    return f;
}

QJsonObject addNote(const QString &player, const QString &text)
{
    QJsonObject f = typed(request::addNote);
    f.insert(field::player, player);
    f.insert(field::text, text);
    return f;
}

} // namespace mythos::frames
