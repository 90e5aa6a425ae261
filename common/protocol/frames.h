#pragma once
// Builders for the client → server frames the console and the terminal client send (PROTOCOL
// §3, docs/protocol.md "Moderators"). Each returns the frame without `ref`; the sender adds it.
// Optional fields are left out when empty, as the server's defaults then apply.

#include <QJsonObject>
#include <QString>

#include <optional>

namespace mythos::frames {

// Players
QJsonObject auth(const QString &token);
QJsonObject guestAuth(const QString &guestName, const QString &guestKey = {});
QJsonObject send(const QString &channel, const QString &content, const QString &target = {});
QJsonObject command(const QString &text);
QJsonObject move(const QString &roomId);
QJsonObject party(const QString &partyId); // empty: leave the party
QJsonObject history(const QString &channel, std::optional<int> limit = {}, const QString &before = {});
// `feed` "monitor" resumes a moderator's feed rather than the player's own channels.
QJsonObject resume(const QString &since, const QString &feed = {});
QJsonObject ping();

// Mutes. `scope` is "personal" or "server"; `channel` narrows a server mute of a player.
struct MuteTarget
{
    QString type; // "player" or "channel"
    QString target;
    QString scope;
};
QJsonObject mute(const MuteTarget &who, std::optional<int> minutes = {}, const QString &reason = {},
                 const QString &channel = {});
QJsonObject unmute(const MuteTarget &who);
QJsonObject mutes(const QString &scope = {});

// Moderators
QJsonObject monitor(bool enabled);
QJsonObject stats();
QJsonObject queue(const QString &status, int limit);
QJsonObject queueAction(const QString &itemId, const QString &action, std::optional<int> minutes = {},
                        const QString &reason = {});
struct LogQuery
{
    QString category;
    QString day; // YYYY-MM-DD
    QString event;
    QString contains;
    int limit = 200;
    QString player; // only lines about this player id
};
QJsonObject logs(const LogQuery &query);
QJsonObject reloadFilters();
// Admins. A list or the levels left empty is unchanged (the server's configuration).
struct FilterDryRun
{
    std::optional<QString> profanity, allow, keywords; // candidate list texts
    std::optional<QString> levels; // YAML: chat.content_filtering.levels, ...
    int days = 7;
    int examples = 5;
};
QJsonObject filterDryRun(const FilterDryRun &dryRun);
// The escalation ladder: a player by id or display name.
QJsonObject warn(const QString &player, const QString &reason);
QJsonObject standing(const QString &player);
QJsonObject resetStanding(const QString &player);
QJsonObject notes(const QString &player);
QJsonObject addNote(const QString &player, const QString &text);

} // namespace mythos::frames
