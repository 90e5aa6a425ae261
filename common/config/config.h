#pragma once
// The server's whole configuration (PROTOCOL §7) with every default in one place.

#include "config/classifiersection.h"
#include "model/channel.h"
#include "model/filterlevel.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace mythos {

struct ServerSection
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 8080;
    QString serverId; // generated at start when empty
    QString dataDir; // resolved to the per-user data folder when empty
    int maxConnections = 18000; // below the 20,000 open files a process may hold here
    int outboundQueueLimitKiB = 1024; // a session whose unsent bytes exceed this is closed
    int keepAliveSeconds = 30; // a silent connection is pinged after this, dropped after twice
    // Above outbound_queue_limit_kb a client may stay this long without draining a byte.
    int slowClientSeconds = 5;
    // A backlog past this drops the client at once; when the file omits it, 4 x the soft limit.
    int outboundQueueHardLimitKiB = 4096;
    // Connections from one address that have not authenticated yet (still sending their request
    // head, or upgraded without auth), each stage counted on its own; past it that address's
    // oldest is evicted. 0: no cap (behind a reverse proxy every player has the proxy's address).
    int maxUnauthenticatedPerAddress = 0;
    // Answer WebSocket clients that offer permessage-deflate (RFC 7692); false: never negotiate.
    bool permessageDeflate = true;
};

struct AuthSection
{
    QByteArray jwtSecret;
    bool allowGuests = false;
};

struct PresenceSection
{
    bool clientMoves = false;
    QString defaultRoom; // where players whose token names no room start (demos); empty: nowhere
};

struct NatsSection
{
    bool enabled = true;
    QString url = QStringLiteral("nats://127.0.0.1:4222");
    int maxPayload = 1048576;
    double reconnectTimeWaitS = 1.0;
    int maxReconnectAttempts = 5;
    QString subjectPrefix = QStringLiteral("chat");
    // nats.subjects: channel name -> subject template (protocol/subjecttemplate.h). A channel
    // that is not listed uses `{prefix}.{channel}[.{id}]`.
    QMap<QString, QString> subjects;
    bool managed = false;
    QString serverBinary = QStringLiteral("nats-server");
    QString serverConfig; // empty: the bundled nats-server.conf
    // Dead-link detection: a server that stops answering is given up after
    // ping_interval * (max_pings_out + 1) seconds instead of nats.c's default of minutes.
    double pingIntervalS = 1.0;
    int maxPingsOut = 2;
    // Try the servers in the order written (true) or shuffled as nats.c does by default (false).
    bool noRandomize = false;
    // Credentials (docs/trust.md: the bus is a trust boundary). At most one of user/password,
    // token and credentials_file (a .creds file: user JWT and NKey seed).
    QString user;
    QString password;
    QString token;
    QString credentialsFile;
    // TLS: on when `tls` is set or a URL says tls://. ca_file trusts a private CA; cert_file and
    // key_file present a client certificate (mutual TLS).
    struct Tls
    {
        bool enabled = false;
        QString caFile;
        QString certFile;
        QString keyFile;
        bool verify = true; // false: accept any server certificate (tests only)
    } tls;

    // `url` holds one URL or several separated by commas (the NATS convention); a YAML list is
    // stored joined the same way. This is the list the client is given.
    QStringList servers() const;
};

struct DatabaseSection
{
    QString url; // empty: sqlite:<data_dir>/chat.db
};

struct LoggingSection
{
    QString dir; // empty: <data_dir>/logs
    int retentionDays = 90;
};

struct ContentFilteringSection
{
    bool enabled = true;
    bool profanityFilter = true;
    bool keywordDetection = true;
    ClassifierSection classifier;
    QString profanityList; // empty: bundled list
    QString keywordList;
    QString allowList;
    // What each channel does with each category and severity of match (model/filterlevel.h):
    // channels without `filter_level` use default_level. Built-in levels are there unless a
    // configured level of the same name replaces them.
    QString defaultLevel = QStringLiteral("standard");
    QMap<QString, FilterLevel> levels = builtInFilterLevels();

    const FilterLevel &levelFor(const ChannelSpec &channel) const;
};

// moderation.escalation: offences (filter hits, rate-limit floods, moderators' warnings) add
// points to a player's standing; points expire after decay_minutes; each step is taken once
// when the standing reaches its `at` (docs/moderation.md, "Escalation ladder").
struct EscalationStep
{
    enum class Action { Warn, Mute, Review };
    int at = 1;
    Action action = Action::Warn;
    int minutes = 0; // Mute: how long; 0 = until a moderator lifts it
};

struct EscalationSection
{
    bool enabled = false;
    int decayMinutes = 1440;
    std::array<int, severityCount> filterPoints { 0, 1, 2 }; // per severity of the worst counted match
    int rateLimitFloodPoints = 1;
    int warnPoints = 1;
    // A player talking about self-harm needs a moderator, not a mute.
    QStringList ignoredCategories { QStringLiteral("self-harm") };
    QList<EscalationStep> steps = defaultSteps();

    static QList<EscalationStep> defaultSteps();
};

struct ModerationSection
{
    bool whispersInFeed = false; // moderators (not only admins) see whispers in the live feed
    EscalationSection escalation;
};

struct HistorySection
{
    bool enabled = true;
    int retentionDays = 30;
    int maxMessagesPerChannel = 1000;
};

// PROTOCOL §3 Recovery: how much a resume may return and how far back it reaches.
struct RecoverySection
{
    int maxMessages = 200;
    int maxAgeSeconds = 600;
};

struct Config
{
    ServerSection server;
    AuthSection auth;
    PresenceSection presence;
    NatsSection nats;
    DatabaseSection database;
    LoggingSection logging;
    QList<ChannelSpec> channels = defaultChannels();
    bool rateLimitingEnabled = true;
    ContentFilteringSection contentFiltering;
    HistorySection history;
    ModerationSection moderation;
    RecoverySection recovery;

    const ChannelSpec *channel(QStringView name) const;
    // Fills data_dir, database.url and logging.dir from their documented defaults.
    void resolveDefaults(const QString &defaultDataDir);
};

} // namespace mythos
