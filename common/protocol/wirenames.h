#pragma once
// The names of the WebSocket protocol (PROTOCOL §3, docs/protocol.md "Moderators" and
// "Recovery"), spelled once for the server, the console and the terminal client. A name that
// is not here is not part of the wire contract; tests/integration/tst_contract.cpp sends every
// request listed below through a real server and reads every event back with the console.

#include <QLatin1String>
#include <QStringList>

#include <array>

namespace mythos::wire {

// The `type` of a client → server frame.
namespace request {
inline constexpr QLatin1String auth("auth");
inline constexpr QLatin1String send("send");
inline constexpr QLatin1String command("command");
inline constexpr QLatin1String mute("mute");
inline constexpr QLatin1String unmute("unmute");
inline constexpr QLatin1String mutes("mutes");
inline constexpr QLatin1String history("history");
inline constexpr QLatin1String resume("resume");
inline constexpr QLatin1String rateLimitStatus("rate_limit_status");
inline constexpr QLatin1String move("move");
inline constexpr QLatin1String party("party");
inline constexpr QLatin1String ping("ping");
// Moderators and admins only.
inline constexpr QLatin1String monitor("monitor");
inline constexpr QLatin1String queue("queue");
inline constexpr QLatin1String queueAction("queue_action");
inline constexpr QLatin1String stats("stats");
inline constexpr QLatin1String logs("logs");
inline constexpr QLatin1String reloadFilters("reload_filters");
inline constexpr QLatin1String filterDryRun("filter_dry_run"); // admins only
// The escalation ladder (docs/moderation.md): each answers with the player's `standing`.
inline constexpr QLatin1String warn("warn");
inline constexpr QLatin1String standing("standing");
inline constexpr QLatin1String resetStanding("reset_standing");
// Moderators' notes on a player; both answer with the player's `notes`.
inline constexpr QLatin1String notes("notes");
inline constexpr QLatin1String addNote("add_note");
} // namespace request

// The `event_type` of a server → client envelope.
namespace event {
inline constexpr QLatin1String welcome("welcome");
inline constexpr QLatin1String chatMessage("chat_message");
inline constexpr QLatin1String ack("ack");
inline constexpr QLatin1String error("error");
inline constexpr QLatin1String commandResponse("command_response");
inline constexpr QLatin1String history("history");
inline constexpr QLatin1String mutes("mutes");
inline constexpr QLatin1String rateLimitStatus("rate_limit_status");
inline constexpr QLatin1String presence("presence");
inline constexpr QLatin1String messageDeleted("message_deleted");
inline constexpr QLatin1String pong("pong");
inline constexpr QLatin1String resumed("resumed");
inline constexpr QLatin1String gap("gap");
// Moderators and admins only.
inline constexpr QLatin1String monitor("monitor");
inline constexpr QLatin1String monitorMessage("monitor_message");
inline constexpr QLatin1String queue("queue");
inline constexpr QLatin1String queueItem("queue_item");
inline constexpr QLatin1String stats("stats");
inline constexpr QLatin1String logs("logs");
inline constexpr QLatin1String mutesChanged("mutes_changed");
inline constexpr QLatin1String filtersReloaded("filters_reloaded");
inline constexpr QLatin1String filterDryRun("filter_dry_run");
inline constexpr QLatin1String standing("standing");
inline constexpr QLatin1String notes("notes");
} // namespace event

// Field names of frames and of event data.
namespace field {
// The envelope.
inline constexpr QLatin1String type("type");
inline constexpr QLatin1String ref("ref");
inline constexpr QLatin1String eventType("event_type");
inline constexpr QLatin1String timestamp("timestamp");
inline constexpr QLatin1String data("data");
inline constexpr QLatin1String sequenceNumber("sequence_number");
// auth / welcome
inline constexpr QLatin1String token("token");
inline constexpr QLatin1String guestName("guest_name");
inline constexpr QLatin1String guestKey("guest_key");
inline constexpr QLatin1String playerId("player_id");
inline constexpr QLatin1String playerName("player_name");
inline constexpr QLatin1String role("role");
inline constexpr QLatin1String roomId("room_id");
inline constexpr QLatin1String partyId("party_id");
inline constexpr QLatin1String serverId("server_id");
inline constexpr QLatin1String channels("channels");
// Messages
inline constexpr QLatin1String channel("channel");
inline constexpr QLatin1String content("content");
// Moderators' copies only (monitor_message, queue_item): what the player wrote, when the filter
// masked `content`. Never in what players receive.
inline constexpr QLatin1String originalContent("original_content");
// Moderators' copies only (monitor_message, a feed resume): true when the sender was
// shadow-muted, so nobody else received the line. Never in what players receive.
inline constexpr QLatin1String shadow("shadow");
inline constexpr QLatin1String text("text");
inline constexpr QLatin1String target("target");
inline constexpr QLatin1String messageId("message_id");
inline constexpr QLatin1String messages("messages");
inline constexpr QLatin1String filtered("filtered");
inline constexpr QLatin1String held("held");
inline constexpr QLatin1String late("late");
inline constexpr QLatin1String result("result");
inline constexpr QLatin1String limit("limit");
inline constexpr QLatin1String before("before");
inline constexpr QLatin1String senderId("sender_id");
inline constexpr QLatin1String senderName("sender_name");
inline constexpr QLatin1String targetId("target_id");
inline constexpr QLatin1String scopeId("scope_id");
inline constexpr QLatin1String scopeIds("scope_ids");
// Errors
inline constexpr QLatin1String code("code");
inline constexpr QLatin1String message("message");
inline constexpr QLatin1String retryAfterMs("retry_after_ms");
inline constexpr QLatin1String mutedUntil("muted_until");
// Mutes
inline constexpr QLatin1String targetType("target_type");
inline constexpr QLatin1String targetName("target_name");
inline constexpr QLatin1String minutes("minutes");
inline constexpr QLatin1String reason("reason");
inline constexpr QLatin1String scope("scope");
inline constexpr QLatin1String mutes("mutes"); // the list in a `mutes` reply
// Recovery
inline constexpr QLatin1String since("since");
inline constexpr QLatin1String feed("feed");
inline constexpr QLatin1String recovered("recovered");
inline constexpr QLatin1String from("from");
inline constexpr QLatin1String to("to");
// Moderators
inline constexpr QLatin1String enabled("enabled");
inline constexpr QLatin1String status("status");
inline constexpr QLatin1String items("items");
inline constexpr QLatin1String itemId("item_id");
inline constexpr QLatin1String kind("kind");
inline constexpr QLatin1String createdAt("created_at");
inline constexpr QLatin1String claimedBy("claimed_by");
inline constexpr QLatin1String resolvedBy("resolved_by");
inline constexpr QLatin1String resolution("resolution");
inline constexpr QLatin1String reasons("reasons");
inline constexpr QLatin1String context("context"); // a queue item's: sender, recent_lines, mutes…
inline constexpr QLatin1String sender("sender");
inline constexpr QLatin1String recentLines("recent_lines");
inline constexpr QLatin1String id("id");
inline constexpr QLatin1String name("name");
inline constexpr QLatin1String action("action");
inline constexpr QLatin1String category("category");
inline constexpr QLatin1String day("day");
inline constexpr QLatin1String event("event");
inline constexpr QLatin1String contains("contains");
inline constexpr QLatin1String player("player"); // logs: only lines about this player
inline constexpr QLatin1String lines("lines");
inline constexpr QLatin1String matched("matched"); // logs: a count; a queue item's context: rules
inline constexpr QLatin1String rule("rule");
inline constexpr QLatin1String pattern("pattern");
inline constexpr QLatin1String severity("severity");
inline constexpr QLatin1String points("points");
inline constexpr QLatin1String offences("offences");
inline constexpr QLatin1String notes("notes");
inline constexpr QLatin1String problems("problems");
// filter_dry_run (docs/moderation.md "Dry-run")
inline constexpr QLatin1String lists("lists"); // {profanity, allow, keywords}: candidate list texts
inline constexpr QLatin1String profanity("profanity");
inline constexpr QLatin1String allow("allow");
inline constexpr QLatin1String keywords("keywords");
inline constexpr QLatin1String levels("levels"); // candidate levels, YAML text
inline constexpr QLatin1String days("days");
inline constexpr QLatin1String examples("examples");
} // namespace field

// Values with a fixed meaning.
namespace value {
inline constexpr QLatin1String player("player");
inline constexpr QLatin1String channel("channel");
inline constexpr QLatin1String personal("personal");
inline constexpr QLatin1String server("server");
inline constexpr QLatin1String shadow("shadow"); // a mute's scope
inline constexpr QLatin1String monitorFeed("monitor"); // resume's `feed` for the moderators' feed
} // namespace value

// `reason` of an incomplete `resumed` and of `gap` (PROTOCOL §3 Recovery).
namespace recovery {
inline constexpr QLatin1String tooMany("too_many");
inline constexpr QLatin1String tooOld("too_old");
inline constexpr QLatin1String historyUnavailable("history_unavailable");
inline constexpr QLatin1String unknownSince("unknown_since");
} // namespace recovery

// Every request a player may send, and those only moderators may: the server dispatches on
// these lists and the contract test walks them.
inline constexpr std::array playerRequests { request::auth,    request::send,   request::command,
                                             request::mute,    request::unmute, request::mutes,
                                             request::history, request::resume, request::rateLimitStatus,
                                             request::move,    request::party,  request::ping };
inline constexpr std::array moderatorRequests { request::monitor,      request::queue,    request::queueAction,
                                                request::stats,        request::logs,     request::reloadFilters,
                                                request::warn,         request::standing, request::resetStanding,
                                                request::filterDryRun, request::addNote,  request::notes };
// The events a moderator's connection can receive beyond replies to its own requests.
inline constexpr std::array moderatorEvents { event::monitorMessage, event::queueItem,    event::stats,
                                              event::messageDeleted, event::mutesChanged, event::gap };

template<std::size_t N>
QStringList toStringList(const std::array<QLatin1String, N> &names)
{
    QStringList out;
    out.reserve(qsizetype(N));
    for (QLatin1String n : names)
        out.append(n);
    return out;
}

} // namespace mythos::wire
