// The YAML configuration (PROTOCOL §7): every key has a default, the seed's example loads
// unchanged and its rate limits override the channel table, and every unknown key, wrong type
// or bad value is reported with its path.
#include "config/configloader.h"
#include "protocol/subjects.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace mythos;

namespace {

// The example from the seed document, byte for byte (also shipped as
// tests/data/seed_server_config.yaml).
const QByteArray kSeed = QByteArrayLiteral("# server/server_config.yaml\n"
                                           "# Remove Redis configuration\n"
                                           "# redis:\n"
                                           "#   enabled: false\n"
                                           "\n"
                                           "# Add NATS configuration\n"
                                           "nats:\n"
                                           "  enabled: true\n"
                                           "  url: nats://localhost:4222\n"
                                           "  max_payload: 1048576\n"
                                           "  reconnect_time_wait: 1\n"
                                           "  max_reconnect_attempts: 5\n"
                                           "\n"
                                           "# Add chat system configuration\n"
                                           "chat:\n"
                                           "  rate_limiting:\n"
                                           "    enabled: true\n"
                                           "    global: 10\n"
                                           "    local: 20\n"
                                           "    say: 15\n"
                                           "    party: 30\n"
                                           "    whisper: 5\n"
                                           "\n"
                                           "  content_filtering:\n"
                                           "    enabled: true\n"
                                           "    profanity_filter: true\n"
                                           "    keyword_detection: true\n"
                                           "\n"
                                           "  message_history:\n"
                                           "    enabled: true\n"
                                           "    retention_days: 30\n"
                                           "    max_messages_per_channel: 1000\n");

const char *const kSecretVar = "MYTHOS_CHAT_JWT_SECRET";

// Empty when equal; otherwise a description of the first difference.
QString channelDifference(const QList<ChannelSpec> &actual, const QList<ChannelSpec> &expected)
{
    if (actual.size() != expected.size())
        return QStringLiteral("%1 channels, expected %2").arg(actual.size()).arg(expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i) {
        const ChannelSpec &a = actual[i];
        const ChannelSpec &e = expected[i];
        if (a.name != e.name || a.scope != e.scope || a.sendRole != e.sendRole || a.rateLimit != e.rateLimit
            || a.maxLength != e.maxLength)
            return QStringLiteral("channel %1: got %2/%3/%4/%5/%6, expected %7/%8/%9/%10/%11")
                    .arg(i)
                    .arg(a.name, scopeKindName(a.scope), roleName(a.sendRole))
                    .arg(a.rateLimit)
                    .arg(a.maxLength)
                    .arg(e.name, scopeKindName(e.scope), roleName(e.sendRole))
                    .arg(e.rateLimit)
                    .arg(e.maxLength);
    }
    return {};
}

QString sourceDir()
{
    return qEnvironmentVariable("MYTHOS_SOURCE_DIR");
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
}

} // namespace

class TestConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void emptyDocumentGivesDefaults_data();
    void emptyDocumentGivesDefaults();
    void seedExampleLoadsUnchanged();
    void seedRateLimitsOverrideChannelTable_data();
    void seedRateLimitsOverrideChannelTable();
    void everySectionIsRead();
    void keyWithoutValueMeansDefault();

    void channelOverrides();
    void newChannels();
    void disablingChannels();
    void rateLimitForConfiguredChannel();

    void errors_data();
    void errors();
    void allErrorsAreReported();
    void badChannelNameIsReportedWithItsPath();
    void nonScalarKeysAreReportedNotThrown_data();
    void nonScalarKeysAreReportedNotThrown();
    void syntaxErrorReportsLine_data();
    void syntaxErrorReportsLine();

    void loadFileMissing();
    void loadFileReportsPathWithErrors();
    void loadFileSecretFromEnvironment();
    void bundledDefaultConfigLoads();
    void seedFileLoads();
    void resolveDefaults();
    void slowClientKeys();
    void unauthenticatedPerAddressKey();
    void permessageDeflateKey();

    void natsServerLists_data();
    void natsServerLists();
    void natsBadServerUrls_data();
    void natsBadServerUrls();
    void natsPingSettings();
    void natsSubjectTemplates();
    void natsSubjectErrors_data();
    void natsSubjectErrors();

private:
    QByteArray m_savedSecret;
    bool m_hadSecret = false;
};

void TestConfig::init()
{
    m_hadSecret = qEnvironmentVariableIsSet(kSecretVar);
    m_savedSecret = qgetenv(kSecretVar);
    qunsetenv(kSecretVar);
}

void TestConfig::cleanup()
{
    if (m_hadSecret)
        qputenv(kSecretVar, m_savedSecret);
    else
        qunsetenv(kSecretVar);
}

// ---- defaults and the seed -----------------------------------------------------------------

void TestConfig::emptyDocumentGivesDefaults_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("blank lines") << QByteArrayLiteral("\n\n  \n");
    QTest::newRow("comments only") << QByteArrayLiteral("# nothing to see\n# here\n");
    QTest::newRow("document marker") << QByteArrayLiteral("---\n");
    QTest::newRow("explicit null") << QByteArrayLiteral("~\n");
    QTest::newRow("empty mapping") << QByteArrayLiteral("{}\n");
}

void TestConfig::emptyDocumentGivesDefaults()
{
    QFETCH(QByteArray, yaml);
    const auto r = configloader::parse(yaml);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const Config &c = r.value();
    QCOMPARE(c.server.host, QStringLiteral("127.0.0.1"));
    QCOMPARE(c.server.port, quint16(8080));
    QVERIFY(c.server.serverId.isEmpty());
    QVERIFY(c.server.dataDir.isEmpty());
    QVERIFY(c.auth.jwtSecret.isEmpty());
    QCOMPARE(c.auth.allowGuests, false);
    QCOMPARE(c.presence.clientMoves, false);
    QCOMPARE(c.nats.enabled, true);
    QCOMPARE(c.nats.url, QStringLiteral("nats://127.0.0.1:4222"));
    QCOMPARE(c.nats.maxPayload, 1048576);
    QCOMPARE(c.nats.reconnectTimeWaitS, 1.0);
    QCOMPARE(c.nats.maxReconnectAttempts, 5);
    QCOMPARE(c.nats.subjectPrefix, QStringLiteral("chat"));
    QCOMPARE(c.nats.managed, false);
    QCOMPARE(c.nats.serverBinary, QStringLiteral("nats-server"));
    QVERIFY(c.database.url.isEmpty());
    QVERIFY(c.logging.dir.isEmpty());
    QCOMPARE(c.rateLimitingEnabled, true);
    QCOMPARE(c.contentFiltering.enabled, true);
    QCOMPARE(c.contentFiltering.profanityFilter, true);
    QCOMPARE(c.contentFiltering.keywordDetection, true);
    QCOMPARE(c.history.enabled, true);
    QCOMPARE(c.history.retentionDays, 30);
    QCOMPARE(c.history.maxMessagesPerChannel, 1000);

    // The §2 table, exactly.
    QCOMPARE(c.channels.size(), 9);
    const QList<ChannelSpec> table {
        { QStringLiteral("say"), ScopeKind::Room, Role::Player, 15, 500 },
        { QStringLiteral("emote"), ScopeKind::Room, Role::Player, 15, 200 },
        { QStringLiteral("local"), ScopeKind::Subzone, Role::Player, 20, 500 },
        { QStringLiteral("zone"), ScopeKind::Zone, Role::Player, 10, 500 },
        { QStringLiteral("global"), ScopeKind::Everyone, Role::Player, 10, 1000 },
        { QStringLiteral("party"), ScopeKind::Party, Role::Player, 30, 1000 },
        { QStringLiteral("whisper"), ScopeKind::Player, Role::Player, 5, 1000 },
        { QStringLiteral("system"), ScopeKind::Everyone, Role::Admin, 100, 2000 },
        { QStringLiteral("admin"), ScopeKind::Staff, Role::Moderator, 50, 1000 },
    };
    const QString diff = channelDifference(c.channels, table);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    QVERIFY(c.channel(QStringLiteral("say")) != nullptr);
    QVERIFY(c.channel(QStringLiteral("trade")) == nullptr);
}

void TestConfig::seedExampleLoadsUnchanged()
{
    const auto r = configloader::parse(kSeed);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const Config &c = r.value();
    QCOMPARE(c.nats.enabled, true);
    QCOMPARE(c.nats.url, QStringLiteral("nats://localhost:4222"));
    QCOMPARE(c.nats.maxPayload, 1048576);
    QCOMPARE(c.nats.reconnectTimeWaitS, 1.0);
    QCOMPARE(c.nats.maxReconnectAttempts, 5);
    QCOMPARE(c.rateLimitingEnabled, true);
    QCOMPARE(c.contentFiltering.enabled, true);
    QCOMPARE(c.contentFiltering.profanityFilter, true);
    QCOMPARE(c.contentFiltering.keywordDetection, true);
    QCOMPARE(c.history.enabled, true);
    QCOMPARE(c.history.retentionDays, 30);
    QCOMPARE(c.history.maxMessagesPerChannel, 1000);
    // Channels are still the default nine with the seed's numbers.
    QCOMPARE(c.channels.size(), 9);
    QCOMPARE(c.channel(QStringLiteral("global"))->rateLimit, 10);
    QCOMPARE(c.channel(QStringLiteral("local"))->rateLimit, 20);
    QCOMPARE(c.channel(QStringLiteral("say"))->rateLimit, 15);
    QCOMPARE(c.channel(QStringLiteral("party"))->rateLimit, 30);
    QCOMPARE(c.channel(QStringLiteral("whisper"))->rateLimit, 5);
    // Keys the seed does not mention keep their defaults.
    QCOMPARE(c.server.port, quint16(8080));
    QCOMPARE(c.server.host, QStringLiteral("127.0.0.1"));
    QCOMPARE(c.channel(QStringLiteral("zone"))->rateLimit, 10);
    QCOMPARE(c.channel(QStringLiteral("emote"))->rateLimit, 15);
}

void TestConfig::seedRateLimitsOverrideChannelTable_data()
{
    QTest::addColumn<QByteArray>("from");
    QTest::addColumn<QByteArray>("to");
    QTest::addColumn<QString>("channel");
    QTest::addColumn<int>("limit");
    QTest::newRow("global 10 -> 7") << QByteArrayLiteral("    global: 10\n") << QByteArrayLiteral("    global: 7\n")
                                    << QStringLiteral("global") << 7;
    QTest::newRow("local 20 -> 25") << QByteArrayLiteral("    local: 20\n") << QByteArrayLiteral("    local: 25\n")
                                    << QStringLiteral("local") << 25;
    QTest::newRow("say 15 -> 1") << QByteArrayLiteral("    say: 15\n") << QByteArrayLiteral("    say: 1\n")
                                 << QStringLiteral("say") << 1;
    QTest::newRow("party 30 -> 300") << QByteArrayLiteral("    party: 30\n") << QByteArrayLiteral("    party: 300\n")
                                     << QStringLiteral("party") << 300;
    QTest::newRow("whisper 5 -> 2") << QByteArrayLiteral("    whisper: 5\n") << QByteArrayLiteral("    whisper: 2\n")
                                    << QStringLiteral("whisper") << 2;
    QTest::newRow("add zone: 3") << QByteArrayLiteral("    whisper: 5\n")
                                 << QByteArrayLiteral("    whisper: 5\n    zone: 3\n") << QStringLiteral("zone") << 3;
    QTest::newRow("add admin: 4") << QByteArrayLiteral("    whisper: 5\n")
                                  << QByteArrayLiteral("    whisper: 5\n    admin: 4\n") << QStringLiteral("admin")
                                  << 4;
}

void TestConfig::seedRateLimitsOverrideChannelTable()
{
    QFETCH(QByteArray, from);
    QFETCH(QByteArray, to);
    QFETCH(QString, channel);
    QFETCH(int, limit);
    QVERIFY(kSeed.contains(from));
    QByteArray yaml = kSeed;
    yaml.replace(from, to);
    QVERIFY(yaml != kSeed);
    const auto r = configloader::parse(yaml);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const ChannelSpec *spec = r.value().channel(channel);
    QVERIFY(spec);
    QCOMPARE(spec->rateLimit, limit);
    // Only the rate limit moves; scope, role and length stay as in the table.
    const Config defaults;
    const ChannelSpec *def = defaults.channel(channel);
    QVERIFY(def);
    QCOMPARE(spec->scope, def->scope);
    QCOMPARE(spec->sendRole, def->sendRole);
    QCOMPARE(spec->maxLength, def->maxLength);
    // ... and the other channels keep the seed's numbers.
    for (const ChannelSpec &other : r.value().channels) {
        if (other.name != channel)
            QCOMPARE(other.rateLimit, configloader::parse(kSeed).value().channel(other.name)->rateLimit);
    }
}

void TestConfig::everySectionIsRead()
{
    const QByteArray yaml = QByteArrayLiteral("server:\n"
                                              "  host: 0.0.0.0\n"
                                              "  port: 9090\n"
                                              "  server_id: chatd-2\n"
                                              "  data_dir: /srv/mythos\n"
                                              "  max_connections: 500\n"
                                              "  outbound_queue_limit_kb: 64\n"
                                              "auth:\n"
                                              "  jwt_secret: s3cret\n"
                                              "  allow_guests: true\n"
                                              "presence:\n"
                                              "  client_moves: true\n"
                                              "  default_room: limbo\n"
                                              "nats:\n"
                                              "  enabled: false\n"
                                              "  url: nats://bus.example:4333\n"
                                              "  max_payload: 65536\n"
                                              "  reconnect_time_wait: 2.5\n"
                                              "  max_reconnect_attempts: -1\n"
                                              "  subject_prefix: mud\n"
                                              "  managed: true\n"
                                              "  server_binary: /opt/nats/nats-server\n"
                                              "  server_config: /etc/nats.conf\n"
                                              "database:\n"
                                              "  url: postgresql://chat:pw@db:5432/chat\n"
                                              "logging:\n"
                                              "  dir: /var/log/mythos\n"
                                              "  retention_days: 7\n"
                                              "chat:\n"
                                              "  rate_limiting:\n"
                                              "    enabled: false\n"
                                              "  content_filtering:\n"
                                              "    enabled: false\n"
                                              "    profanity_filter: false\n"
                                              "    keyword_detection: false\n"
                                              "    profanity_list: /etc/mythos/profanity.txt\n"
                                              "    keyword_list: /etc/mythos/keywords.txt\n"
                                              "  message_history:\n"
                                              "    enabled: false\n"
                                              "    retention_days: 3\n"
                                              "    max_messages_per_channel: 50\n");
    const auto r = configloader::parse(yaml);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const Config &c = r.value();
    QCOMPARE(c.server.host, QStringLiteral("0.0.0.0"));
    QCOMPARE(c.server.port, quint16(9090));
    QCOMPARE(c.server.serverId, QStringLiteral("chatd-2"));
    QCOMPARE(c.server.dataDir, QStringLiteral("/srv/mythos"));
    QCOMPARE(c.server.maxConnections, 500);
    QCOMPARE(c.server.outboundQueueLimitKiB, 64);
    QCOMPARE(c.auth.jwtSecret, QByteArrayLiteral("s3cret"));
    QCOMPARE(c.auth.allowGuests, true);
    QCOMPARE(c.presence.clientMoves, true);
    QCOMPARE(c.presence.defaultRoom, QStringLiteral("limbo"));
    QCOMPARE(c.nats.enabled, false);
    QCOMPARE(c.nats.url, QStringLiteral("nats://bus.example:4333"));
    QCOMPARE(c.nats.maxPayload, 65536);
    QCOMPARE(c.nats.reconnectTimeWaitS, 2.5);
    QCOMPARE(c.nats.maxReconnectAttempts, -1);
    QCOMPARE(c.nats.subjectPrefix, QStringLiteral("mud"));
    QCOMPARE(c.nats.managed, true);
    QCOMPARE(c.nats.serverBinary, QStringLiteral("/opt/nats/nats-server"));
    QCOMPARE(c.nats.serverConfig, QStringLiteral("/etc/nats.conf"));
    QCOMPARE(c.database.url, QStringLiteral("postgresql://chat:pw@db:5432/chat"));
    QCOMPARE(c.logging.dir, QStringLiteral("/var/log/mythos"));
    QCOMPARE(c.logging.retentionDays, 7);
    QCOMPARE(c.rateLimitingEnabled, false);
    QCOMPARE(c.contentFiltering.enabled, false);
    QCOMPARE(c.contentFiltering.profanityFilter, false);
    QCOMPARE(c.contentFiltering.keywordDetection, false);
    QCOMPARE(c.contentFiltering.profanityList, QStringLiteral("/etc/mythos/profanity.txt"));
    QCOMPARE(c.contentFiltering.keywordList, QStringLiteral("/etc/mythos/keywords.txt"));
    QCOMPARE(c.history.enabled, false);
    QCOMPARE(c.history.retentionDays, 3);
    QCOMPARE(c.history.maxMessagesPerChannel, 50);
    // Disabling rate limiting does not touch the channel table.
    QCOMPARE(c.channel(QStringLiteral("global"))->rateLimit, 10);
}

void TestConfig::keyWithoutValueMeansDefault()
{
    const auto r = configloader::parse(QByteArrayLiteral("server:\n  port:\nnats:\n  url:\nchat:\n"));
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r.value().server.port, quint16(8080));
    QCOMPARE(r.value().nats.url, QStringLiteral("nats://127.0.0.1:4222"));
    QCOMPARE(r.value().channels.size(), 9);
}

// ---- channels ------------------------------------------------------------------------------

void TestConfig::channelOverrides()
{
    const auto r = configloader::parse(QByteArrayLiteral("chat:\n"
                                                         "  channels:\n"
                                                         "    local:\n"
                                                         "      scope: room\n"
                                                         "    admin:\n"
                                                         "      send_role: admin\n"
                                                         "      max_length: 4000\n"
                                                         "    say:\n"
                                                         "      rate_limit: 99\n"));
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const Config &c = r.value();
    QCOMPARE(c.channels.size(), 9);
    const ChannelSpec *local = c.channel(QStringLiteral("local"));
    QVERIFY(local);
    QCOMPARE(local->scope, ScopeKind::Room);
    QCOMPARE(local->sendRole, Role::Player);
    QCOMPARE(local->rateLimit, 20);
    QCOMPARE(local->maxLength, 500);
    const ChannelSpec *admin = c.channel(QStringLiteral("admin"));
    QVERIFY(admin);
    QCOMPARE(admin->sendRole, Role::Admin);
    QCOMPARE(admin->maxLength, 4000);
    QCOMPARE(admin->scope, ScopeKind::Staff);
    QCOMPARE(admin->rateLimit, 50);
    QCOMPARE(c.channel(QStringLiteral("say"))->rateLimit, 99);
    QCOMPARE(c.channel(QStringLiteral("say"))->scope, ScopeKind::Room);
    // Untouched channels are the defaults.
    QCOMPARE(c.channel(QStringLiteral("zone"))->scope, ScopeKind::Zone);
}

void TestConfig::newChannels()
{
    const auto r = configloader::parse(QByteArrayLiteral("chat:\n"
                                                         "  channels:\n"
                                                         "    trade:\n"
                                                         "      scope: zone\n"
                                                         "      send_role: player\n"
                                                         "      rate_limit: 5\n"
                                                         "      max_length: 300\n"
                                                         "    ooc:\n"
                                                         "      scope: plane\n"
                                                         "    staffnotes:\n"
                                                         "      scope: staff\n"
                                                         "      send_role: moderator\n"));
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const Config &c = r.value();
    QCOMPARE(c.channels.size(), 12);
    const ChannelSpec *trade = c.channel(QStringLiteral("trade"));
    QVERIFY(trade);
    QCOMPARE(trade->scope, ScopeKind::Zone);
    QCOMPARE(trade->sendRole, Role::Player);
    QCOMPARE(trade->rateLimit, 5);
    QCOMPARE(trade->maxLength, 300);
    const ChannelSpec *ooc = c.channel(QStringLiteral("ooc"));
    QVERIFY(ooc);
    QCOMPARE(ooc->scope, ScopeKind::Plane);
    QCOMPARE(ooc->sendRole, Role::Player);
    QVERIFY(ooc->rateLimit >= 1);
    QVERIFY(ooc->maxLength >= 1);
    const ChannelSpec *notes = c.channel(QStringLiteral("staffnotes"));
    QVERIFY(notes);
    QCOMPARE(notes->scope, ScopeKind::Staff);
    QCOMPARE(notes->sendRole, Role::Moderator);
    QCOMPARE(notes->receiveRole(), Role::Moderator);
    // The defaults are all still there.
    for (const ChannelSpec &d : defaultChannels())
        QVERIFY2(c.channel(d.name), qPrintable(d.name));
}

void TestConfig::disablingChannels()
{
    const auto r = configloader::parse(QByteArrayLiteral("chat:\n"
                                                         "  channels:\n"
                                                         "    emote:\n"
                                                         "      enabled: false\n"
                                                         "    system:\n"
                                                         "      enabled: false\n"
                                                         "    local:\n"
                                                         "      enabled: true\n"
                                                         "    wanted:\n"
                                                         "      enabled: false\n"));
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const Config &c = r.value();
    QCOMPARE(c.channels.size(), 7);
    QVERIFY(c.channel(QStringLiteral("emote")) == nullptr);
    QVERIFY(c.channel(QStringLiteral("system")) == nullptr);
    QVERIFY(c.channel(QStringLiteral("local")) != nullptr);
    // A disabled channel that is not in the table needs no scope and is simply not there.
    QVERIFY(c.channel(QStringLiteral("wanted")) == nullptr);
}

void TestConfig::rateLimitForConfiguredChannel()
{
    // rate_limiting may name a channel defined under channels, whichever comes first in the file.
    for (const QByteArray &yaml :
         { QByteArrayLiteral("chat:\n  channels:\n    trade:\n      scope: zone\n  rate_limiting:\n    trade: 3\n"),
           QByteArrayLiteral("chat:\n  rate_limiting:\n    trade: 3\n  channels:\n    trade:\n      scope: zone\n") }) {
        const auto r = configloader::parse(yaml);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QVERIFY(r.value().channel(QStringLiteral("trade")));
        QCOMPARE(r.value().channel(QStringLiteral("trade"))->rateLimit, 3);
    }
    // chat.rate_limiting.<channel> wins over chat.channels.<channel>.rate_limit.
    const auto both = configloader::parse(
            QByteArrayLiteral("chat:\n  channels:\n    say:\n      rate_limit: 40\n  rate_limiting:\n    say: 12\n"));
    QVERIFY2(both.ok(), qPrintable(both.error()));
    QCOMPARE(both.value().channel(QStringLiteral("say"))->rateLimit, 12);
}

// ---- errors --------------------------------------------------------------------------------

void TestConfig::errors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("message"); // must appear in the error

    QTest::newRow("unknown top-level key") << QByteArrayLiteral("foo: 1\n") << QStringLiteral("foo: unknown key");
    QTest::newRow("unknown top-level key next to good ones")
            << QByteArrayLiteral("server:\n  port: 8081\nredis:\n  enabled: false\n")
            << QStringLiteral("redis: unknown key");
    QTest::newRow("unknown nested key") << QByteArrayLiteral("nats:\n  bogus: 1\n")
                                        << QStringLiteral("nats.bogus: unknown key");
    QTest::newRow("unknown deep key") << QByteArrayLiteral("chat:\n  message_history:\n    keep_forever: true\n")
                                      << QStringLiteral("chat.message_history.keep_forever: unknown key");
    QTest::newRow("unknown channel key") << QByteArrayLiteral("chat:\n  channels:\n    local:\n      colour: red\n")
                                         << QStringLiteral("chat.channels.local.colour: unknown key");
    QTest::newRow("misspelt key") << QByteArrayLiteral("server:\n  prot: 8080\n")
                                  << QStringLiteral("server.prot: unknown key");

    QTest::newRow("port not a number") << QByteArrayLiteral("server:\n  port: abc\n") << QStringLiteral("server.port");
    QTest::newRow("port fractional") << QByteArrayLiteral("server:\n  port: 80.5\n") << QStringLiteral("server.port");
    QTest::newRow("port 70000") << QByteArrayLiteral("server:\n  port: 70000\n") << QStringLiteral("server.port");
    QTest::newRow("port negative") << QByteArrayLiteral("server:\n  port: -1\n") << QStringLiteral("server.port");
    QTest::newRow("port a list") << QByteArrayLiteral("server:\n  port: [8080]\n") << QStringLiteral("server.port");
    QTest::newRow("host a list") << QByteArrayLiteral("server:\n  host: [a, b]\n") << QStringLiteral("server.host");
    QTest::newRow("section not a mapping") << QByteArrayLiteral("server: 8080\n") << QStringLiteral("server:");
    QTest::newRow("bool not a bool") << QByteArrayLiteral("nats:\n  enabled: sometimes\n")
                                     << QStringLiteral("nats.enabled");
    QTest::newRow("double not a number") << QByteArrayLiteral("nats:\n  reconnect_time_wait: soon\n")
                                         << QStringLiteral("nats.reconnect_time_wait");
    QTest::newRow("max_payload too small")
            << QByteArrayLiteral("nats:\n  max_payload: 10\n") << QStringLiteral("nats.max_payload");
    QTest::newRow("history days not a number")
            << QByteArrayLiteral("chat:\n  message_history:\n    retention_days: x\n")
            << QStringLiteral("chat.message_history.retention_days");
    QTest::newRow("guests not a bool") << QByteArrayLiteral("auth:\n  allow_guests: please\n")
                                       << QStringLiteral("auth.allow_guests");

    QTest::newRow("server_id with dot") << QByteArrayLiteral("server:\n  server_id: chat.1\n")
                                        << QStringLiteral("server.server_id");
    QTest::newRow("subject prefix with wildcard")
            << QByteArrayLiteral("nats:\n  subject_prefix: \"chat.>\"\n") << QStringLiteral("nats.subject_prefix");
    QTest::newRow("default room with space")
            << QByteArrayLiteral("presence:\n  default_room: the void\n") << QStringLiteral("presence.default_room");
    QTest::newRow("database url scheme") << QByteArrayLiteral("database:\n  url: mysql://db/chat\n")
                                         << QStringLiteral("database.url");
    QTest::newRow("root is a list") << QByteArrayLiteral("- server\n- nats\n") << QStringLiteral("mapping");
    QTest::newRow("root is a scalar") << QByteArrayLiteral("hello\n") << QStringLiteral("mapping");

    QTest::newRow("new channel without scope")
            << QByteArrayLiteral("chat:\n  channels:\n    trade:\n      rate_limit: 5\n")
            << QStringLiteral("chat.channels.trade.scope");
    QTest::newRow("bad scope name") << QByteArrayLiteral("chat:\n  channels:\n    local:\n      scope: galaxy\n")
                                    << QStringLiteral("chat.channels.local.scope");
    QTest::newRow("bad scope name on new channel")
            << QByteArrayLiteral("chat:\n  channels:\n    trade:\n      scope: world\n")
            << QStringLiteral("chat.channels.trade.scope");
    QTest::newRow("bad send_role") << QByteArrayLiteral("chat:\n  channels:\n    local:\n      send_role: root\n")
                                   << QStringLiteral("chat.channels.local.send_role");
    QTest::newRow("channel not a mapping")
            << QByteArrayLiteral("chat:\n  channels:\n    local: room\n") << QStringLiteral("chat.channels.local");
    QTest::newRow("channel max_length zero") << QByteArrayLiteral("chat:\n  channels:\n    say:\n      max_length: 0\n")
                                             << QStringLiteral("chat.channels.say.max_length");
    QTest::newRow("rate limit for unknown channel") << QByteArrayLiteral("chat:\n  rate_limiting:\n    trade: 5\n")
                                                    << QStringLiteral("chat.rate_limiting.trade");
    QTest::newRow("rate limit for disabled channel") << QByteArrayLiteral(
            "chat:\n  channels:\n    local:\n      enabled: false\n  rate_limiting:\n    local: 5\n")
                                                     << QStringLiteral("chat.rate_limiting.local");
    QTest::newRow("rate limit not a number") << QByteArrayLiteral("chat:\n  rate_limiting:\n    global: lots\n")
                                             << QStringLiteral("chat.rate_limiting.global");
    QTest::newRow("rate limit zero") << QByteArrayLiteral("chat:\n  rate_limiting:\n    global: 0\n")
                                     << QStringLiteral("chat.rate_limiting.global");
    QTest::newRow("rate limiting enabled not a bool") << QByteArrayLiteral("chat:\n  rate_limiting:\n    enabled: 12\n")
                                                      << QStringLiteral("chat.rate_limiting.enabled");
}

void TestConfig::errors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, message);
    const auto r = configloader::parse(yaml);
    QVERIFY2(!r.ok(), "a bad configuration was accepted");
    QVERIFY2(r.error().contains(message), qPrintable(r.error()));
}

void TestConfig::allErrorsAreReported()
{
    const auto r = configloader::parse(QByteArrayLiteral("foo: 1\nserver:\n  port: abc\nnats:\n  bogus: true\n"));
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(QStringLiteral("foo: unknown key")), qPrintable(r.error()));
    QVERIFY2(r.error().contains(QStringLiteral("server.port")), qPrintable(r.error()));
    QVERIFY2(r.error().contains(QStringLiteral("nats.bogus: unknown key")), qPrintable(r.error()));
}

void TestConfig::badChannelNameIsReportedWithItsPath()
{
    const auto r = configloader::parse(QByteArrayLiteral("chat:\n  channels:\n    bad.name:\n      scope: zone\n"));
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(QStringLiteral("chat.channels.bad.name")), qPrintable(r.error()));
    QVERIFY2(r.error().contains(QStringLiteral("chat.channels.bad.name: ")), qPrintable(r.error()));
    // One problem, one message: the entry's own keys are not reported as unknown on top.
    QVERIFY2(!r.error().contains(QStringLiteral("unknown key")), qPrintable(r.error()));
}

void TestConfig::nonScalarKeysAreReportedNotThrown_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::newRow("top level") << QByteArrayLiteral("? [a, b]\n: 1\n");
    QTest::newRow("channel name") << QByteArrayLiteral("chat:\n  channels:\n    [a]: {scope: zone}\n");
    QTest::newRow("rate_limiting key") << QByteArrayLiteral("chat:\n  rate_limiting:\n    {a: 1}: 3\n");
}

void TestConfig::nonScalarKeysAreReportedNotThrown()
{
    // A mapping key that is itself a list or mapping is valid YAML but no valid configuration:
    // it must come back as an error (so --check-config exits 1), not as an exception.
    QFETCH(QByteArray, yaml);
    bool threw = false;
    QString what;
    std::optional<Result<Config>> r;
    try {
        r.emplace(configloader::parse(yaml));
    } catch (const std::exception &e) {
        threw = true;
        what = QString::fromUtf8(e.what());
    }
    QVERIFY2(!threw, qPrintable(QStringLiteral("parse() threw: ") + what));
    QVERIFY(r.has_value());
    QVERIFY(!r->ok());
}

void TestConfig::syntaxErrorReportsLine_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::newRow("unclosed flow sequence at end")
            << QByteArrayLiteral("server:\n  port: 8080\n  host: [unclosed\n") << 4;
    QTest::newRow("bad indentation on line 3") << QByteArrayLiteral("server:\n  port: 8080\n host: x\n") << 3;
    QTest::newRow("tab indentation on line 3") << QByteArrayLiteral("server:\n  port: 8080\n\tbad: 1\n") << 3;
    QTest::newRow("illegal map value on line 1") << QByteArrayLiteral("a: b: c\n") << 1;
    QTest::newRow("seed with a broken line 19")
            << QByteArray(kSeed).replace("    local: 20\n", "    local: 20: 21\n") << 19;
}

void TestConfig::syntaxErrorReportsLine()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    const auto r = configloader::parse(yaml);
    QVERIFY2(!r.ok(), "a YAML syntax error was accepted");
    QVERIFY2(r.error().contains(QStringLiteral("line %1,").arg(line)), qPrintable(r.error()));
}

// ---- files ---------------------------------------------------------------------------------

void TestConfig::loadFileMissing()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("no/such/server_config.yaml"));
    const auto r = configloader::loadFile(path);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(path), qPrintable(r.error()));
}

void TestConfig::loadFileReportsPathWithErrors()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("bad.yaml"));
    QVERIFY(writeFile(path, QByteArrayLiteral("server:\n  port: abc\n")));
    const auto r = configloader::loadFile(path);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(path), qPrintable(r.error()));
    QVERIFY2(r.error().contains(QStringLiteral("server.port")), qPrintable(r.error()));
}

void TestConfig::loadFileSecretFromEnvironment()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString without = dir.filePath(QStringLiteral("without.yaml"));
    const QString with = dir.filePath(QStringLiteral("with.yaml"));
    QVERIFY(writeFile(without, QByteArrayLiteral("server:\n  port: 8081\n")));
    QVERIFY(writeFile(with, QByteArrayLiteral("auth:\n  jwt_secret: from-the-file\n")));

    // No secret anywhere.
    auto r = configloader::loadFile(without);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QVERIFY(r.value().auth.jwtSecret.isEmpty());

    QVERIFY(qputenv(kSecretVar, QByteArrayLiteral("from-the-environment")));
    r = configloader::loadFile(without);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r.value().auth.jwtSecret, QByteArrayLiteral("from-the-environment"));
    QCOMPARE(r.value().server.port, quint16(8081));

    // The file's own secret wins.
    r = configloader::loadFile(with);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r.value().auth.jwtSecret, QByteArrayLiteral("from-the-file"));

    // parse() is pure: only loadFile looks at the environment.
    const auto parsed = configloader::parse(QByteArrayLiteral("server:\n  port: 8081\n"));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    QVERIFY(parsed.value().auth.jwtSecret.isEmpty());
}

void TestConfig::bundledDefaultConfigLoads()
{
    if (sourceDir().isEmpty())
        QSKIP("MYTHOS_SOURCE_DIR is not set (run through ctest)");
    const QString path = QDir(sourceDir()).filePath(QStringLiteral("resources/server_config.yaml"));
    QVERIFY2(QFile::exists(path), qPrintable(path));
    const auto r = configloader::loadFile(path);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    // The bundled file documents the defaults: loading it must give the same configuration as
    // loading nothing at all.
    const Config defaults;
    const Config &c = r.value();
    QCOMPARE(c.server.host, defaults.server.host);
    QCOMPARE(c.server.port, defaults.server.port);
    QCOMPARE(c.server.maxConnections, defaults.server.maxConnections);
    QCOMPARE(c.server.outboundQueueLimitKiB, defaults.server.outboundQueueLimitKiB);
    QCOMPARE(c.server.slowClientSeconds, defaults.server.slowClientSeconds);
    QCOMPARE(c.server.outboundQueueHardLimitKiB, defaults.server.outboundQueueHardLimitKiB);
    QCOMPARE(c.server.maxUnauthenticatedPerAddress, defaults.server.maxUnauthenticatedPerAddress);
    QCOMPARE(c.server.permessageDeflate, defaults.server.permessageDeflate);
    QCOMPARE(c.auth.allowGuests, defaults.auth.allowGuests);
    QCOMPARE(c.presence.clientMoves, defaults.presence.clientMoves);
    QCOMPARE(c.nats.enabled, defaults.nats.enabled);
    QCOMPARE(c.nats.url, defaults.nats.url);
    QCOMPARE(c.nats.maxPayload, defaults.nats.maxPayload);
    QCOMPARE(c.nats.reconnectTimeWaitS, defaults.nats.reconnectTimeWaitS);
    QCOMPARE(c.nats.maxReconnectAttempts, defaults.nats.maxReconnectAttempts);
    QCOMPARE(c.nats.subjectPrefix, defaults.nats.subjectPrefix);
    QCOMPARE(c.rateLimitingEnabled, defaults.rateLimitingEnabled);
    QCOMPARE(c.history.retentionDays, defaults.history.retentionDays);
    QCOMPARE(c.history.maxMessagesPerChannel, defaults.history.maxMessagesPerChannel);
    const QString diff = channelDifference(c.channels, defaults.channels);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
}

void TestConfig::seedFileLoads()
{
    if (sourceDir().isEmpty())
        QSKIP("MYTHOS_SOURCE_DIR is not set (run through ctest)");
    const QString path = QDir(sourceDir()).filePath(QStringLiteral("tests/data/seed_server_config.yaml"));
    QFile f(path);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
    // The shipped file is the seed's example, byte for byte.
    QCOMPARE(f.readAll(), kSeed);
    f.close();

    QVERIFY(qputenv(kSecretVar, QByteArrayLiteral("env-secret")));
    const auto r = configloader::loadFile(path);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const Config &c = r.value();
    QCOMPARE(c.nats.url, QStringLiteral("nats://localhost:4222"));
    QCOMPARE(c.nats.maxReconnectAttempts, 5);
    QCOMPARE(c.channel(QStringLiteral("global"))->rateLimit, 10);
    QCOMPARE(c.channel(QStringLiteral("local"))->rateLimit, 20);
    QCOMPARE(c.channel(QStringLiteral("say"))->rateLimit, 15);
    QCOMPARE(c.channel(QStringLiteral("party"))->rateLimit, 30);
    QCOMPARE(c.channel(QStringLiteral("whisper"))->rateLimit, 5);
    QCOMPARE(c.history.retentionDays, 30);
    QCOMPARE(c.history.maxMessagesPerChannel, 1000);
    // The seed sets no secret, so the environment's applies.
    QCOMPARE(c.auth.jwtSecret, QByteArrayLiteral("env-secret"));
}

void TestConfig::resolveDefaults()
{
    const QString dataDir = QStringLiteral("/tmp/mythos-data");
    Config c;
    c.resolveDefaults(dataDir);
    QCOMPARE(c.server.dataDir, dataDir);
    QCOMPARE(c.database.url, QStringLiteral("sqlite:/tmp/mythos-data/chat.db"));
    QCOMPARE(c.logging.dir, QStringLiteral("/tmp/mythos-data/logs"));

    // A configured data_dir wins over the default one, and the others follow it.
    const auto r = configloader::parse(QByteArrayLiteral("server:\n  data_dir: /srv/chat\n"));
    QVERIFY2(r.ok(), qPrintable(r.error()));
    Config fromFile = r.value();
    fromFile.resolveDefaults(dataDir);
    QCOMPARE(fromFile.server.dataDir, QStringLiteral("/srv/chat"));
    QCOMPARE(fromFile.database.url, QStringLiteral("sqlite:/srv/chat/chat.db"));
    QCOMPARE(fromFile.logging.dir, QStringLiteral("/srv/chat/logs"));

    // Explicit database.url and logging.dir are left alone.
    const auto explicitly = configloader::parse(
            QByteArrayLiteral("database:\n  url: postgresql://u:p@h:5432/chat\nlogging:\n  dir: /var/log/chat\n"));
    QVERIFY2(explicitly.ok(), qPrintable(explicitly.error()));
    Config e = explicitly.value();
    e.resolveDefaults(dataDir);
    QCOMPARE(e.server.dataDir, dataDir);
    QCOMPARE(e.database.url, QStringLiteral("postgresql://u:p@h:5432/chat"));
    QCOMPARE(e.logging.dir, QStringLiteral("/var/log/chat"));
}

void TestConfig::slowClientKeys()
{
    // The hard limit follows the soft one unless given.
    auto r = configloader::parse("server:\n  outbound_queue_limit_kb: 100\n");
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r.value().server.outboundQueueHardLimitKiB, 400);
    QCOMPARE(r.value().server.slowClientSeconds, 5);
    r = configloader::parse(
            "server:\n  outbound_queue_limit_kb: 100\n  outbound_queue_hard_limit_kb: 150\n  slow_client_seconds: 2\n");
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r.value().server.outboundQueueHardLimitKiB, 150);
    QCOMPARE(r.value().server.slowClientSeconds, 2);
    r = configloader::parse("server:\n  outbound_queue_limit_kb: 100\n  outbound_queue_hard_limit_kb: 50\n");
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(QLatin1String("outbound_queue_hard_limit_kb")), qPrintable(r.error()));
    r = configloader::parse("server:\n  slow_client_seconds: 0\n");
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(QLatin1String("slow_client_seconds")), qPrintable(r.error()));
}

void TestConfig::unauthenticatedPerAddressKey()
{
    // Off unless asked for: behind a reverse proxy every player shares one address.
    QCOMPARE(Config().server.maxUnauthenticatedPerAddress, 0);
    auto r = configloader::parse("server:\n  max_unauthenticated_per_address: 50\n");
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r.value().server.maxUnauthenticatedPerAddress, 50);
    r = configloader::parse("server:\n  max_unauthenticated_per_address: -1\n");
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(QLatin1String("max_unauthenticated_per_address")), qPrintable(r.error()));
    r = configloader::parse("server:\n  max_unauthenticated_per_address: many\n");
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(QLatin1String("max_unauthenticated_per_address")), qPrintable(r.error()));
}

void TestConfig::permessageDeflateKey()
{
    QCOMPARE(Config().server.permessageDeflate, true);
    auto r = configloader::parse("server:\n  permessage_deflate: false\n");
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r.value().server.permessageDeflate, false);
    r = configloader::parse("server:\n  permessage_deflate: sometimes\n");
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(QLatin1String("permessage_deflate")), qPrintable(r.error()));
}

void TestConfig::natsServerLists_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QStringList>("servers");
    const QStringList two { QStringLiteral("nats://a:4222"), QStringLiteral("nats://b:4223") };
    QTest::newRow("one") << QByteArrayLiteral("nats:\n  url: nats://a:4222\n")
                         << QStringList { QStringLiteral("nats://a:4222") };
    QTest::newRow("comma-separated") << QByteArrayLiteral("nats:\n  url: \"nats://a:4222,nats://b:4223\"\n") << two;
    QTest::newRow("comma with spaces") << QByteArrayLiteral("nats:\n  url: \"nats://a:4222 , nats://b:4223\"\n") << two;
    QTest::newRow("yaml list") << QByteArrayLiteral("nats:\n  url:\n    - nats://a:4222\n    - nats://b:4223\n") << two;
    QTest::newRow("flow list") << QByteArrayLiteral("nats:\n  url: [nats://a:4222, nats://b:4223]\n") << two;
    QTest::newRow("tls") << QByteArrayLiteral("nats:\n  url: tls://a:4443\n")
                         << QStringList { QStringLiteral("tls://a:4443") };
}

void TestConfig::natsServerLists()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QStringList, servers);
    const auto r = configloader::parse(yaml);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r.value().nats.servers(), servers);
    QCOMPARE(r.value().nats.url, servers.join(QLatin1Char(',')));
}

void TestConfig::natsBadServerUrls_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("http scheme") << QByteArrayLiteral("nats:\n  url: http://a:4222\n")
                                 << QStringLiteral("\"http://a:4222\"");
    QTest::newRow("second of list bad") << QByteArrayLiteral("nats:\n  url: \"nats://a:4222,b:4222\"\n")
                                        << QStringLiteral("\"b:4222\"");
    QTest::newRow("empty entry") << QByteArrayLiteral("nats:\n  url: \"nats://a:4222,,nats://b:4222\"\n")
                                 << QStringLiteral("\"\"");
    QTest::newRow("no host") << QByteArrayLiteral("nats:\n  url: \"nats://:4222\"\n") << QStringLiteral("nats.url");
    QTest::newRow("mapping") << QByteArrayLiteral("nats:\n  url:\n    a: b\n") << QStringLiteral("nats.url");
    QTest::newRow("nested list") << QByteArrayLiteral("nats:\n  url:\n    - [nats://a:4222]\n")
                                 << QStringLiteral("nats.url");
    QTest::newRow("ping interval zero") << QByteArrayLiteral("nats:\n  ping_interval: 0\n")
                                        << QStringLiteral("nats.ping_interval");
    QTest::newRow("max pings out zero") << QByteArrayLiteral("nats:\n  max_pings_out: 0\n")
                                        << QStringLiteral("nats.max_pings_out");
}

void TestConfig::natsBadServerUrls()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, expected);
    const auto r = configloader::parse(yaml);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(expected), qPrintable(r.error()));
    QVERIFY2(r.error().contains(QStringLiteral("nats.")), qPrintable(r.error()));
}

void TestConfig::natsPingSettings()
{
    const auto defaults = configloader::parse(QByteArray());
    QVERIFY2(defaults.ok(), qPrintable(defaults.error()));
    QCOMPARE(defaults.value().nats.pingIntervalS, 1.0);
    QCOMPARE(defaults.value().nats.maxPingsOut, 2);
    QCOMPARE(defaults.value().nats.noRandomize, false);
    const auto r = configloader::parse("nats:\n  ping_interval: 0.5\n  max_pings_out: 3\n  no_randomize: true\n");
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r.value().nats.pingIntervalS, 0.5);
    QCOMPARE(r.value().nats.maxPingsOut, 3);
    QCOMPARE(r.value().nats.noRandomize, true);
}

// nats.subjects: MythosMUD's scheme for five channels, the rest keeps ours.
const QByteArray kMythosSubjects = QByteArrayLiteral("nats:\n"
                                                     "  subjects:\n"
                                                     "    say: \"{prefix}.say.room.{room_id}\"\n"
                                                     "    emote: chat.emote.room.{room_id}\n"
                                                     "    local: chat.local.subzone.{subzone}\n"
                                                     "    party: chat.party.group.{party_id}\n"
                                                     "    whisper: chat.whisper.player.{id}\n"
                                                     "    zone:\n");

void TestConfig::natsSubjectTemplates()
{
    QVERIFY(configloader::parse(QByteArray()).value().nats.subjects.isEmpty());
    const auto r = configloader::parse(kMythosSubjects);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const Config &c = r.value();
    // Kept as written (`{prefix}` is resolved by Subjects); `zone:` without a value is the default.
    QCOMPARE(c.nats.subjects.size(), 5);
    QCOMPARE(c.nats.subjects.value(QStringLiteral("say")), QStringLiteral("{prefix}.say.room.{room_id}"));
    QCOMPARE(c.nats.subjects.value(QStringLiteral("whisper")), QStringLiteral("chat.whisper.player.{id}"));
    QVERIFY(!c.nats.subjects.contains(QStringLiteral("zone")));
    const Subjects subjects(c.nats.subjectPrefix, c.nats.subjects, c.channels);
    QVERIFY(subjects.problems().isEmpty());
    QCOMPARE(subjects.forChannel(*c.channel(u"say"), QStringLiteral("foyer")),
             QByteArrayLiteral("chat.say.room.foyer"));
    QCOMPARE(subjects.forChannel(*c.channel(u"zone"), QStringLiteral("arkham")), QByteArrayLiteral("chat.zone.arkham"));

    // A template for a channel the same file adds, and `{prefix}` following subject_prefix.
    const auto added =
            configloader::parse("nats:\n  subject_prefix: mud\n  subjects:\n    trade: \"{prefix}.market.{zone}\"\n"
                                "chat:\n  channels:\n    trade:\n      scope: zone\n");
    QVERIFY2(added.ok(), qPrintable(added.error()));
    const Subjects mud(added.value().nats.subjectPrefix, added.value().nats.subjects, added.value().channels);
    QCOMPARE(mud.forChannel(*added.value().channel(u"trade"), QStringLiteral("arkham")),
             QByteArrayLiteral("mud.market.arkham"));
}

void TestConfig::natsSubjectErrors_data()
{
    QTest::addColumn<QByteArray>("subjects"); // lines under nats.subjects (and maybe more)
    QTest::addColumn<QString>("message"); // must appear in the error

    QTest::newRow("unknown channel") << QByteArrayLiteral("    trade: chat.trade.{id}\n")
                                     << QStringLiteral("nats.subjects.trade: no such channel");
    QTest::newRow("disabled channel") << QByteArrayLiteral("    local: chat.local.{id}\n"
                                                           "chat:\n  channels:\n    local:\n      enabled: false\n")
                                      << QStringLiteral("nats.subjects.local: no such channel");
    QTest::newRow("missing placeholder") << QByteArrayLiteral("    say: chat.say.room\n")
                                         << QStringLiteral("nats.subjects.say: \"chat.say.room\" needs a placeholder");
    QTest::newRow("placeholder on an id-less scope")
            << QByteArrayLiteral("    global: chat.global.{id}\n")
            << QStringLiteral("nats.subjects.global: \"chat.global.{id}\" has a placeholder");
    QTest::newRow("two placeholders") << QByteArrayLiteral("    say: chat.{zone}.say.{room}\n")
                                      << QStringLiteral(
                                                 "nats.subjects.say: \"chat.{zone}.say.{room}\" has more than one");
    QTest::newRow("wildcard >") << QByteArrayLiteral("    say: \"chat.say.>\"\n")
                                << QStringLiteral("nats.subjects.say: \"chat.say.>\" has a wildcard");
    QTest::newRow("wildcard *") << QByteArrayLiteral("    say: \"chat.*.{id}\"\n")
                                << QStringLiteral("nats.subjects.say: \"chat.*.{id}\" has a wildcard");
    QTest::newRow("empty token") << QByteArrayLiteral("    say: chat..say.{id}\n")
                                 << QStringLiteral("nats.subjects.say: \"chat..say.{id}\" has an empty token");
    QTest::newRow("trailing dot") << QByteArrayLiteral("    say: \"chat.say.{id}.\"\n")
                                  << QStringLiteral("has an empty token");
    QTest::newRow("white space") << QByteArrayLiteral("    say: \"chat.say room.{id}\"\n")
                                 << QStringLiteral("token \"say room\" must be");
    QTest::newRow("placeholder inside a token")
            << QByteArrayLiteral("    say: \"chat.say.room_{id}\"\n") << QStringLiteral("token \"room_{id}\" must be");
    QTest::newRow("empty") << QByteArrayLiteral("    say: \"\"\n") << QStringLiteral("nats.subjects.say: is empty");
    QTest::newRow("not a string") << QByteArrayLiteral("    say: [chat, say]\n")
                                  << QStringLiteral("nats.subjects.say: expected a string");
    QTest::newRow("two channels, one template")
            << QByteArrayLiteral("    say: chat.room.{id}\n    emote: chat.room.{room_id}\n")
            << QStringLiteral("can name the same subject as channel");
    QTest::newRow("a template on another channel's standard subject")
            << QByteArrayLiteral("    emote: chat.say.{room_id}\n")
            << QStringLiteral("nats.subjects.emote: chat.say.{id} can name the same subject as channel say");
    QTest::newRow("a placeholder covering a literal")
            << QByteArrayLiteral("    whisper: chat.{id}\n")
            << QStringLiteral("nats.subjects.whisper: chat.{id} can name the same subject as channel global");
    QTest::newRow("control subjects") << QByteArrayLiteral("    say: chat.control.{id}\n")
                                      << QStringLiteral("nats.subjects.say: chat.control.{id} can name a subject of "
                                                        "chat.control.>");
    QTest::newRow("control subjects via placeholder")
            << QByteArrayLiteral("    zone: \"{prefix}.{zone}.queue\"\n")
            << QStringLiteral("nats.subjects.zone: chat.{id}.queue can name a subject of chat.control.>");
    QTest::newRow("game presence") << QByteArrayLiteral("    whisper: mud.presence.{id}\n")
                                   << QStringLiteral("can name a subject of mud.presence.>");
    QTest::newRow("a standard subject on the control subjects")
            << QByteArrayLiteral("    say:\nchat:\n  channels:\n    control:\n      scope: room\n")
            << QStringLiteral("chat.channels.control: chat.control.{id} can name a subject of chat.control.>");
    QTest::newRow("subjects not a mapping")
            << QByteArrayLiteral("") << QStringLiteral("nats.subjects: expected a mapping");
}

void TestConfig::natsSubjectErrors()
{
    QFETCH(QByteArray, subjects);
    QFETCH(QString, message);
    const QByteArray yaml = subjects.isEmpty() ? QByteArrayLiteral("nats:\n  subjects: chat\n")
                                               : QByteArrayLiteral("nats:\n  subjects:\n") + subjects;
    const auto r = configloader::parse(yaml);
    QVERIFY2(!r.ok(), "a bad nats.subjects was accepted");
    QVERIFY2(r.error().contains(message), qPrintable(r.error()));
}

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
