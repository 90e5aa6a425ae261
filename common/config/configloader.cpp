#include "config/configloader.h"

#include "config/classifierreader.h"
#include "config/escalationreader.h"
#include "config/filterlevelreader.h"
#include "config/yamlreader.h"
#include "protocol/subjects.h"
#include "util/ids.h"

#include <QFile>
#include <QFileInfo>
#include <QUrl>

namespace mythos::configloader {

namespace {

void readServer(YamlReader &r, ServerSection &s)
{
    r.read("host", s.host);
    int port = s.port;
    r.read("port", port, 0, 65535);
    s.port = static_cast<quint16>(port);
    r.read("server_id", s.serverId);
    if (!s.serverId.isEmpty() && !isValidSubjectId(s.serverId, 64))
        r.error(QStringLiteral("server_id"), QStringLiteral("must match [A-Za-z0-9_-]{1,64}"));
    r.read("data_dir", s.dataDir);
    r.read("max_connections", s.maxConnections, 1, 1000000);
    r.read("outbound_queue_limit_kb", s.outboundQueueLimitKiB, 16, 1024 * 1024);
    r.read("keepalive_seconds", s.keepAliveSeconds, 1, 3600);
    r.read("slow_client_seconds", s.slowClientSeconds, 1, 3600);
    r.read("max_unauthenticated_per_address", s.maxUnauthenticatedPerAddress, 0, 1000000);
    r.read("permessage_deflate", s.permessageDeflate);
    s.outboundQueueHardLimitKiB = 4 * s.outboundQueueLimitKiB; // the default follows the soft limit
    r.read("outbound_queue_hard_limit_kb", s.outboundQueueHardLimitKiB, 16, 4 * 1024 * 1024);
    if (s.outboundQueueHardLimitKiB < s.outboundQueueLimitKiB)
        r.error(QStringLiteral("outbound_queue_hard_limit_kb"),
                QStringLiteral("must be at least outbound_queue_limit_kb"));
}

// nats.url: one URL, a comma-separated string or a YAML list of them. Each must be
// nats://host[:port] or tls://host[:port]; the first bad one is named in the error.
void readNatsUrls(YamlReader &r, NatsSection &n)
{
    const YAML::Node node = r.node();
    const YAML::Node v = node["url"];
    if (!v)
        return;
    r.markRead(QStringLiteral("url"));
    if (v.IsNull())
        return; // written without a value: the default
    QStringList parts;
    if (v.IsScalar()) {
        parts = QString::fromStdString(v.Scalar()).split(QLatin1Char(','));
    } else if (v.IsSequence()) {
        for (const YAML::Node &item : v) {
            if (!item.IsScalar()) {
                r.error(QStringLiteral("url"), QStringLiteral("expected a list of URLs"));
                return;
            }
            parts += QString::fromStdString(item.Scalar()).split(QLatin1Char(','));
        }
    } else {
        r.error(QStringLiteral("url"), QStringLiteral("expected a URL, a comma-separated list or a YAML list"));
        return;
    }
    QStringList servers;
    for (const QString &part : std::as_const(parts)) {
        const QString text = part.trimmed();
        const QUrl u(text, QUrl::StrictMode);
        const QString scheme = u.scheme();
        if (text.isEmpty() || !u.isValid() || (scheme != QLatin1String("nats") && scheme != QLatin1String("tls"))
            || u.host().isEmpty() || (!u.path().isEmpty() && u.path() != QLatin1String("/"))) {
            r.error(QStringLiteral("url"),
                    QStringLiteral("\"%1\" is not a NATS server URL (expected nats://host:port)").arg(text));
            return;
        }
        servers.append(text);
    }
    if (servers.isEmpty()) {
        r.error(QStringLiteral("url"), QStringLiteral("names no server"));
        return;
    }
    n.url = servers.join(QLatin1Char(','));
}

// A file named in the configuration must be readable now, not at the first reconnect.
void requireReadable(YamlReader &r, const QString &key, const QString &file)
{
    if (!file.isEmpty() && !QFileInfo(file).isReadable())
        r.error(key, QStringLiteral("cannot read \"%1\"").arg(file));
}

void readNatsCredentials(YamlReader &r, NatsSection &n)
{
    r.read("user", n.user);
    r.read("password", n.password);
    r.read("token", n.token);
    r.read("credentials_file", n.credentialsFile);
    if (n.user.isEmpty() != n.password.isEmpty())
        r.error(n.user.isEmpty() ? QStringLiteral("user") : QStringLiteral("password"),
                n.user.isEmpty() ? QStringLiteral("is required with password")
                                 : QStringLiteral("is required with user"));
    const int kinds = int(!n.user.isEmpty()) + int(!n.token.isEmpty()) + int(!n.credentialsFile.isEmpty());
    if (kinds > 1)
        r.error(QStringLiteral("token"), QStringLiteral("use one of user/password, token or credentials_file"));
    requireReadable(r, QStringLiteral("credentials_file"), n.credentialsFile);
    r.section("tls", [&](YamlReader &t) {
        n.tls.enabled = true;
        t.read("enabled", n.tls.enabled);
        t.read("ca_file", n.tls.caFile);
        t.read("cert_file", n.tls.certFile);
        t.read("key_file", n.tls.keyFile);
        t.read("verify", n.tls.verify);
        if (n.tls.certFile.isEmpty() != n.tls.keyFile.isEmpty())
            t.error(n.tls.certFile.isEmpty() ? QStringLiteral("cert_file") : QStringLiteral("key_file"),
                    n.tls.certFile.isEmpty() ? QStringLiteral("is required with key_file")
                                             : QStringLiteral("is required with cert_file"));
        requireReadable(t, QStringLiteral("ca_file"), n.tls.caFile);
        requireReadable(t, QStringLiteral("cert_file"), n.tls.certFile);
        requireReadable(t, QStringLiteral("key_file"), n.tls.keyFile);
    });
}

void readNats(YamlReader &r, NatsSection &n)
{
    r.read("enabled", n.enabled);
    readNatsUrls(r, n);
    r.read("max_payload", n.maxPayload, 1024, 64 * 1024 * 1024);
    r.read("reconnect_time_wait", n.reconnectTimeWaitS, 0.01, 3600);
    r.read("max_reconnect_attempts", n.maxReconnectAttempts, -1, 1000000);
    r.read("subject_prefix", n.subjectPrefix);
    if (!isValidSubjectId(n.subjectPrefix, 64))
        r.error(QStringLiteral("subject_prefix"), QStringLiteral("must match [A-Za-z0-9_-]{1,64}"));
    r.section("subjects", [&](YamlReader &subjects) {
        // Keys are channel names; they are checked against the channels once those are read.
        const YAML::Node &map = subjects.node(); // const: a lookup must not insert the key
        for (const QString &channel : subjects.unreadKeys()) {
            const QByteArray key = channel.toUtf8();
            QString text;
            subjects.read(key.constData(), text);
            subjects.markRead(channel);
            // Written without a value: the standard subject. Not a string: read() reported it.
            if (map[key.constData()].IsScalar())
                n.subjects.insert(channel, text);
        }
    });
    r.read("managed", n.managed);
    r.read("server_binary", n.serverBinary);
    r.read("server_config", n.serverConfig);
    r.read("ping_interval", n.pingIntervalS, 0.1, 3600);
    r.read("max_pings_out", n.maxPingsOut, 1, 100);
    r.read("no_randomize", n.noRandomize);
    readNatsCredentials(r, n);
}

void readChannel(const QString &name, YamlReader &r, QList<ChannelSpec> &channels)
{
    if (!isValidSubjectId(name, 64)) {
        r.error(QString(), QStringLiteral("channel names must match [A-Za-z0-9_-]{1,64}"));
        r.skipRest();
        return;
    }
    auto it = std::find_if(channels.begin(), channels.end(), [&](const ChannelSpec &c) { return c.name == name; });
    const bool isNew = it == channels.end();
    ChannelSpec spec = isNew ? ChannelSpec { name } : *it;

    bool enabled = true;
    r.read("enabled", enabled);
    QString scope, role;
    r.read("scope", scope);
    r.read("send_role", role);
    r.read("rate_limit", spec.rateLimit, 1, 100000);
    r.read("max_length", spec.maxLength, 1, 100000);
    r.read("filter_level", spec.filterLevel);
    if (!scope.isEmpty()) {
        if (auto kind = parseScopeKind(scope))
            spec.scope = *kind;
        else
            r.error(QStringLiteral("scope"),
                    QStringLiteral("'%1' is not one of room, subzone, zone, plane, everyone, party, player, staff")
                            .arg(scope));
    } else if (isNew && enabled) {
        r.error(QStringLiteral("scope"), QStringLiteral("required for a channel that is not in the default table"));
    }
    if (!role.isEmpty()) {
        if (auto parsed = parseRole(role))
            spec.sendRole = *parsed;
        else
            r.error(QStringLiteral("send_role"), QStringLiteral("'%1' is not player, moderator or admin").arg(role));
    }
    if (!enabled) {
        if (!isNew)
            channels.erase(it);
    } else if (isNew) {
        channels.append(spec);
    } else {
        *it = spec;
    }
}

void readChat(YamlReader &r, Config &c)
{
    r.section("channels", [&](YamlReader &channels) {
        channels.eachEntry([&](const QString &name, YamlReader &ch) { readChannel(name, ch, c.channels); });
    });
    r.section("rate_limiting", [&](YamlReader &rl) {
        rl.read("enabled", c.rateLimitingEnabled);
        // Every other key is a channel name whose number overrides that channel's limit.
        for (const QString &name : rl.unreadKeys()) {
            const QByteArray key = name.toUtf8();
            auto it = std::find_if(c.channels.begin(), c.channels.end(),
                                   [&](const ChannelSpec &ch) { return ch.name == name; });
            if (it == c.channels.end()) {
                rl.error(name, QStringLiteral("no such channel"));
                rl.markRead(name);
                continue;
            }
            rl.read(key.constData(), it->rateLimit, 1, 100000);
        }
    });
    r.section("content_filtering", [&](YamlReader &cf) {
        auto &f = c.contentFiltering;
        cf.section("classifier", [&](YamlReader &k) { readClassifier(k, c.channels, f.classifier); });
        cf.read("enabled", f.enabled);
        cf.read("profanity_filter", f.profanityFilter);
        cf.read("keyword_detection", f.keywordDetection);
        cf.read("profanity_list", f.profanityList);
        cf.read("keyword_list", f.keywordList);
        cf.read("allow_list", f.allowList);
        cf.read("default_level", f.defaultLevel);
        cf.section("levels", [&](YamlReader &levels) { readFilterLevels(levels, f.levels); });
    });
    r.section("message_history", [&](YamlReader &h) {
        h.read("enabled", c.history.enabled);
        h.read("retention_days", c.history.retentionDays, 1, 36500);
        h.read("max_messages_per_channel", c.history.maxMessagesPerChannel, 1, 100000000);
    });
    r.section("recovery", [&](YamlReader &rc) {
        rc.read("max_messages", c.recovery.maxMessages, 1, 10000);
        rc.read("max_age_seconds", c.recovery.maxAgeSeconds, 1, 86400);
    });
}

// Levels are named by channels before or after they are defined, so they are checked once all
// of the file is read.
void checkFilterLevels(const Config &c, QStringList &errors)
{
    const auto &levels = c.contentFiltering.levels;
    auto known = [&] { return QStringList(levels.keys()).join(QStringLiteral(", ")); };
    if (!levels.contains(c.contentFiltering.defaultLevel))
        errors.append(QStringLiteral("chat.content_filtering.default_level: no level named '%1' (levels: %2)")
                              .arg(c.contentFiltering.defaultLevel, known()));
    for (const ChannelSpec &channel : c.channels) {
        if (!channel.filterLevel.isEmpty() && !levels.contains(channel.filterLevel))
            errors.append(QStringLiteral("chat.channels.%1.filter_level: no level named '%2' (levels: %3)")
                                  .arg(channel.name, channel.filterLevel, known()));
    }
}

} // namespace

Result<Config> parse(const QByteArray &yaml)
{
    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        return Result<Config>::failure(QStringLiteral("YAML syntax error at line %1, column %2: %3")
                                               .arg(e.mark.line + 1)
                                               .arg(e.mark.column + 1)
                                               .arg(QString::fromStdString(e.msg)));
    }
    if (root && !root.IsNull() && !root.IsMap())
        return Result<Config>::failure(QStringLiteral("the configuration must be a YAML mapping"));

    Config c;
    QStringList errors;
    YamlReader r(root, QString(), &errors);
    r.section("server", [&](YamlReader &s) { readServer(s, c.server); });
    r.section("auth", [&](YamlReader &a) {
        a.read("jwt_secret", c.auth.jwtSecret);
        a.read("allow_guests", c.auth.allowGuests);
    });
    r.section("presence", [&](YamlReader &p) {
        p.read("client_moves", c.presence.clientMoves);
        p.read("default_room", c.presence.defaultRoom);
        if (!c.presence.defaultRoom.isEmpty() && !isValidSubjectId(c.presence.defaultRoom))
            p.error(QStringLiteral("default_room"), QStringLiteral("must match [A-Za-z0-9_-]{1,128}"));
    });
    r.section("nats", [&](YamlReader &n) { readNats(n, c.nats); });
    r.section("database", [&](YamlReader &d) { d.read("url", c.database.url); });
    r.section("logging", [&](YamlReader &l) {
        l.read("dir", c.logging.dir);
        l.read("retention_days", c.logging.retentionDays, 1, 36500);
    });
    r.section("chat", [&](YamlReader &ch) { readChat(ch, c); });
    r.section("moderation", [&](YamlReader &m) {
        m.read("whispers_in_feed", c.moderation.whispersInFeed);
        m.section("escalation", [&](YamlReader &e) { readEscalation(e, c.moderation.escalation); });
    });
    r.rejectUnknownKeys();
    checkFilterLevels(c, errors);
    const Subjects subjects(c.nats.subjectPrefix, c.nats.subjects, c.channels); // needs the channels read
    for (const Subjects::Problem &p : subjects.problems())
        errors.append(QStringLiteral("%1.%2: %3")
                              .arg(p.configured ? QStringLiteral("nats.subjects") : QStringLiteral("chat.channels"),
                                   p.channel, p.message));

    if (!c.database.url.isEmpty() && !c.database.url.startsWith(QLatin1String("sqlite:"))
        && !c.database.url.startsWith(QLatin1String("postgresql://"))
        && !c.database.url.startsWith(QLatin1String("postgres://")))
        errors.append(QStringLiteral("database.url: expected sqlite:<path> or postgresql://…"));

    if (!errors.isEmpty())
        return Result<Config>::failure(errors.join(QLatin1Char('\n')));
    return c;
}

Result<Config> loadFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<Config>::failure(QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
    auto result = parse(file.readAll());
    if (!result)
        return Result<Config>::failure(path + QStringLiteral(": ") + result.error());
    if (result.value().auth.jwtSecret.isEmpty())
        result.value().auth.jwtSecret = qgetenv("MYTHOS_CHAT_JWT_SECRET");
    return result;
}

} // namespace mythos::configloader
