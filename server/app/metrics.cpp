#include "app/metrics.h"

#include "app/natssupervisor.h"
#include "app/serverapp.h"
#include "bus/bus.h"
#include "chat/catchupservice.h"
#include "chat/chatservice.h"
#include "chat/directory.h"
#include "chat/playerregistry.h"
#include "chat/router.h"
#include "gateway/httpapi.h"
#include "gateway/httpgateway.h"
#include "gateway/ws/permessagedeflate.h"
#include "moderation/classifierservice.h"
#include "moderation/muteservice.h"
#include "moderation/queueservice.h"
#include "protocol/errorcode.h"
#include "storage/messagestore.h"

namespace mythos {

namespace {
class Writer
{
public:
    void metric(const char *name, const char *type, const char *help)
    {
        m_out += QByteArrayLiteral("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
    }
    void sample(const char *name, double value, const QByteArray &labels = {})
    {
        m_out += name;
        if (!labels.isEmpty())
            m_out += '{' + labels + '}';
        m_out += ' ' + QByteArray::number(value, 'g', 12) + '\n';
    }
    void single(const char *name, const char *type, const char *help, double value)
    {
        metric(name, type, help);
        sample(name, value);
    }
    QByteArray take() { return std::move(m_out); }

private:
    QByteArray m_out;
};
// The external classifier (docs/monitoring.md): every series from the start, so alerts on
// rate() have something to work on before the first failure.
void writeClassifierMetrics(Writer &w, const ClassifierStats &s, int inFlight)
{
    w.single("mythos_classifier_requests_total", "counter", "Messages sent to the external classifier.", s.requests);
    w.metric(
            "mythos_classifier_failures_total", "counter",
            "Classifier requests without a usable answer, by reason; each got chat.content_filtering.classifier.on_failure.");
    w.sample("mythos_classifier_failures_total", s.timeouts, "reason=\"timeout\"");
    w.sample("mythos_classifier_failures_total", s.noResponders, "reason=\"no_responders\"");
    w.sample("mythos_classifier_failures_total", s.unavailable, "reason=\"unavailable\"");
    w.sample("mythos_classifier_failures_total", s.unreadable, "reason=\"bad_reply\"");
    w.sample("mythos_classifier_failures_total", s.classifierErrors, "reason=\"classifier_error\"");
    w.metric("mythos_classifier_outcomes_total", "counter",
             "What classified messages got, answered or by on_failure (mask+flag counts in both).");
    for (const char *action : { "allow", "mask", "flag", "hold" })
        w.sample("mythos_classifier_outcomes_total", s.outcomes.value(QLatin1String(action)),
                 QByteArrayLiteral("action=\"") + action + '"');
    w.single("mythos_classifier_in_flight", "gauge", "Classifier requests waiting for an answer.", inFlight);
    w.metric("mythos_classifier_latency_seconds", "histogram", "Round trip of answered classifier requests.");
    for (size_t i = 0; i < ClassifierStats::kBucketsMs.size(); ++i)
        w.sample("mythos_classifier_latency_seconds_bucket", s.latencyBuckets[i],
                 "le=\"" + QByteArray::number(ClassifierStats::kBucketsMs[i] / 1000.0) + '"');
    w.sample("mythos_classifier_latency_seconds_bucket", s.latencyCount, "le=\"+Inf\"");
    w.sample("mythos_classifier_latency_seconds_sum", s.latencySumMs / 1000.0);
    w.sample("mythos_classifier_latency_seconds_count", s.latencyCount);
}
} // namespace

QByteArray prometheusMetrics(const ServerApp &app)
{
    Writer w;
    const ChatStats &chat = app.chat()->stats();
    const RouterStats &routing = app.router()->stats();
    w.single("mythos_connections", "gauge", "Open WebSocket connections.", app.gateway()->connectionCount());
    w.single("mythos_players_online", "gauge", "Distinct players connected to this instance.",
             app.registry()->playerCount());
    w.single("mythos_connections_refused_total", "counter",
             "Connections refused because the server was full or stopping.", app.gateway()->connectionsRefused());
    w.metric(
            "mythos_slow_clients_dropped_total", "counter",
            "Sessions closed for not reading: stalled above the soft backlog limit past the grace, or over the hard limit.");
    w.sample("mythos_slow_clients_dropped_total", app.gateway()->slowClientsStalled(), "reason=\"stalled\"");
    w.sample("mythos_slow_clients_dropped_total", app.gateway()->slowClientsOverHardLimit(), "reason=\"hard_limit\"");
    w.metric(
            "mythos_connections_evicted_total", "counter",
            "Connections closed to make room for newer ones: the oldest still sending its request head (pending_head), the oldest unauthenticated session at max_connections (unauthenticated), or over max_unauthenticated_per_address (per_address).");
    w.sample("mythos_connections_evicted_total", app.gateway()->evictedPendingHeads(), "reason=\"pending_head\"");
    w.sample("mythos_connections_evicted_total", app.gateway()->evictedUnauthenticated(), "reason=\"unauthenticated\"");
    w.sample("mythos_connections_evicted_total", app.gateway()->evictedPerAddress(), "reason=\"per_address\"");
    const ws::DeflateCounters &deflate = ws::deflateCounters();
    w.single("mythos_ws_deflate_connections_total", "counter", "WebSocket upgrades that negotiated permessage-deflate.",
             deflate.connections);
    w.metric(
            "mythos_ws_deflate_messages_sent_total", "counter",
            "Messages sent on permessage-deflate connections: compressed, or plain (short, or not smaller compressed).");
    w.sample("mythos_ws_deflate_messages_sent_total", deflate.compressedSent, "form=\"compressed\"");
    w.sample("mythos_ws_deflate_messages_sent_total", deflate.plainSent, "form=\"plain\"");
    w.metric("mythos_ws_deflate_bytes_total", "counter",
             "Payload bytes of the messages sent compressed: before compression and as sent.");
    w.sample("mythos_ws_deflate_bytes_total", deflate.bytesBefore, "stage=\"before\"");
    w.sample("mythos_ws_deflate_bytes_total", deflate.bytesAfter, "stage=\"after\"");
    w.single("mythos_ws_deflate_messages_received_total", "counter", "Compressed client messages inflated.",
             deflate.inflated);
    w.single("mythos_ws_deflate_inflate_failures_total", "counter",
             "Compressed client messages that were corrupt or inflated past the size limit (connection failed).",
             deflate.inflateFailures);
    w.single("mythos_http_requests_oversized_total", "counter",
             "HTTP requests refused with 413 before their body was buffered.", app.gateway()->oversizedRequests());
    w.single("mythos_http_replies_dropped_total", "counter",
             "HTTP replies not sent because the client had disconnected.", app.httpApi()->repliesDropped());
    w.single("mythos_messages_accepted_total", "counter", "Messages accepted by this instance's pipeline.",
             chat.accepted);
    w.single("mythos_messages_relayed_in_total", "counter",
             "Messages received from other instances or the game server.", chat.relayedReceived);
    w.single("mythos_messages_late_total", "counter",
             "Messages other instances accepted during a NATS outage, delivered here afterwards with late: true.",
             chat.lateDelivered);
    w.single("mythos_messages_shadowed_total", "counter",
             "Messages from shadow-muted senders: accepted and acknowledged here, shown to moderators only.",
             chat.shadowed);
    w.single("mythos_messages_shadowed_relayed_total", "counter",
             "Shadowed messages other instances accepted, received here for moderators (chat.control.shadow).",
             chat.shadowedRelayed);
    w.single("mythos_messages_duplicate_total", "counter",
             "Relayed or caught-up copies of a message already delivered here, dropped.", chat.duplicatesDropped);
    w.single("mythos_catchup_requests_total", "counter",
             "Catch-up requests this instance sent after the bus came back.", app.catchUp()->stats().requestsSent);
    w.single("mythos_catchup_answers_total", "counter", "Catch-up requests of other instances this instance answered.",
             app.catchUp()->stats().requestsAnswered);
    w.single("mythos_recovery_gaps_total", "counter",
             "gap events sent to players: what an outage's catch-up could not bring back.",
             app.catchUp()->stats().gapsSent);
    w.single("mythos_messages_kept_local_total", "counter",
             "Accepted messages not relayed because NATS was unavailable.", chat.keptLocal);
    w.single("mythos_deliveries_total", "counter", "chat_message events sent to connections.", routing.deliveries);
    w.single("mythos_deliveries_avoided_total", "counter",
             "Local players not sent a message because it was outside their scope (server-side filtering).",
             routing.deliveriesAvoided);
    w.metric("mythos_filter_hits_total", "counter",
             "Content filter outcomes: masked, flagged (queued, delivered), held (queued, not delivered).");
    w.sample("mythos_filter_hits_total", chat.masked, "outcome=\"masked\"");
    w.sample("mythos_filter_hits_total", chat.flagged, "outcome=\"flagged\"");
    w.sample("mythos_filter_hits_total", chat.held, "outcome=\"held\"");
    // Exported as zeros without a classifier, so the shipped alert always has its series.
    const ClassifierService *classifier = app.classifier();
    writeClassifierMetrics(w, classifier ? classifier->stats() : ClassifierStats {},
                           classifier ? classifier->inFlight() : 0);
    w.single("mythos_deliveries_hidden_by_mutes_total", "counter",
             "Deliveries skipped because the recipient muted the sender or channel.", routing.hiddenByPersonalMutes);
    w.metric("mythos_messages_refused_total", "counter", "Messages refused, by error code.");
    // The reasons alerts watch are exported from the start (as 0), so rate() has a series to
    // work on before the first refusal.
    auto refused = chat.refusedByCode;
    for (ErrorCode code : { ErrorCode::RateLimited, ErrorCode::Muted, ErrorCode::TooLong, ErrorCode::Unavailable })
        refused.insert(errorCodeName(code), refused.value(errorCodeName(code)));
    for (auto it = refused.cbegin(); it != refused.cend(); ++it)
        w.sample("mythos_messages_refused_total", it.value(), "reason=\"" + it.key().toUtf8() + '"');
    const Bus::State state = app.bus()->state();
    w.metric("mythos_nats_connected", "gauge", "1 when the NATS connection is up (0 when down or disabled).");
    w.sample("mythos_nats_connected", state == Bus::State::Connected ? 1 : 0,
             "state=\"" + Bus::stateName(state).toUtf8() + '"');
    w.single("mythos_nats_reconnects_total", "counter", "Times the NATS connection came back.",
             app.bus()->reconnectCount());
    if (const NatsSupervisor *managed = app.natsSupervisor())
        w.single("mythos_nats_server_restarts_total", "counter",
                 "Times the managed nats-server child was restarted after it died.", managed->restarts());
    w.metric("mythos_control_messages_rejected_total", "counter",
             "Control messages from other instances that could not be understood.");
    w.sample("mythos_control_messages_rejected_total", app.directory()->rejectedControlMessages(), "kind=\"presence\"");
    w.sample("mythos_control_messages_rejected_total", app.mutes()->rejectedControlMessages(), "kind=\"mutes\"");
    w.sample("mythos_control_messages_rejected_total", app.queue()->rejectedControlMessages(), "kind=\"queue\"");
    w.sample("mythos_control_messages_rejected_total", app.catchUp()->stats().rejected, "kind=\"catchup\"");
    w.metric("mythos_bus_messages_distrusted_total", "counter",
             "Bus messages refused or corrected because they claimed more than this instance can verify.");
    w.sample("mythos_bus_messages_distrusted_total", app.directory()->rolesCapped(), "kind=\"roster_role\"");
    w.sample("mythos_bus_messages_distrusted_total", app.mutes()->refusedStaffMutes(), "kind=\"staff_mute\"");
    w.single("mythos_control_backlog", "gauge", "Control messages waiting for NATS to come back.",
             app.mutes()->control().backlog() + app.queue()->control().backlog());
    w.single("mythos_control_dropped_total", "counter", "Control messages dropped from a full outage backlog.",
             app.mutes()->control().dropped() + app.queue()->control().dropped());
    w.single("mythos_nats_subscriptions", "gauge", "Subjects this instance subscribes to.", app.bus()->interestCount());
    if (const MessageStore *store = app.store()) {
        const StoreStats &s = store->stats();
        w.single("mythos_store_messages_total", "counter", "Messages committed to the database.", s.stored);
        w.single("mythos_store_failures_total", "counter", "Messages whose batch failed to commit.", s.failed);
        w.metric("mythos_store_batch_seconds", "summary", "Time to commit one batch.");
        w.sample("mythos_store_batch_seconds_sum", s.batchSecondsSum);
        w.sample("mythos_store_batch_seconds_count", s.batches);
        w.single("mythos_store_pending", "gauge", "Messages waiting for their batch to commit.", store->pendingCount());
        w.single("mythos_store_pruned_total", "counter", "Messages removed by retention.", s.pruned);
    }
    if (app.store()) {
        const QueueService *queue = app.queue();
        w.single("mythos_queue_open_items", "gauge", "Moderation queue items pending or claimed (measured every 15 s).",
                 queue->openItems());
        const QDateTime oldest = queue->oldestOpenItem();
        w.single("mythos_queue_oldest_open_seconds", "gauge",
                 "Age of the oldest open moderation queue item (0 when none).",
                 oldest.isValid() ? std::max<qint64>(0, oldest.secsTo(QDateTime::currentDateTimeUtc())) : 0);
    }
    w.single("mythos_degraded", "gauge", "1 while /health reports degraded (NATS down or the database failing).",
             app.health().value(QLatin1String("status")).toString() == QLatin1String("ok") ? 0 : 1);
    w.single("mythos_uptime_seconds", "gauge", "Seconds since start.", app.uptimeSeconds());
    return w.take();
}

} // namespace mythos
