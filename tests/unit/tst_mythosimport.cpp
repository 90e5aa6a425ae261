// The MythosMUD import's reading and mapping, without a database: timestamps and file names as
// MythosMUD writes them, strict validation (bad lines named by file and line), and every
// mapping onto our history, mutes and moderation trail, on the fixtures in tests/data/mythosmud.

#include "mythosmudfixtures.h"

#include "import/importplan.h"
#include "import/mythosimporter.h"
#include "import/mythoslogs.h"
#include "import/mythosmutes.h"
#include "util/ids.h"

#include <QTest>

using namespace mythos;
using namespace mythos::test::mythosmud;

namespace {
const QDateTime kNow = QDateTime(QDate(2026, 12, 7), QTime(12, 0), Qt::UTC);

QString messageKey(const QString &n) // the fixtures' message ids end in their number
{
    return QStringLiteral("9a1f0000-0000-4000-8000-0000000000%1").arg(n);
}

const StoredMessage *byContent(const ImportPlan &plan, const QString &content)
{
    for (const PlannedMessage &p : plan.messages) {
        if (p.message.content == content)
            return &p.message;
    }
    return nullptr;
}

const Mute *muteWithId(const QList<PlannedMute> &list, const QString &id)
{
    for (const PlannedMute &p : list) {
        if (p.mute.id == id)
            return &p.mute;
    }
    return nullptr;
}

QString problemOf(const std::variant<LogFile, SourceProblem> &read)
{
    const auto *p = std::get_if<SourceProblem>(&read);
    return p ? p->where() + QStringLiteral(": ") + p->message : QString();
}
} // namespace

class TestMythosImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void timestampsAsPythonWritesThem_data();
    void timestampsAsPythonWritesThem();
    void logFileNames();
    void muteFileNames();
    void badLogLinesAreNamedByFileAndLine_data();
    void badLogLinesAreNamedByFileAndLine();
    void badMuteFilesAreNamedByFileAndLine();
    void chatLinesAreRead();
    void historyOncePerMessageIdInItsScope();
    void whisperTargetsComeFromTheWhisperFile();
    void historySkipsWhatOurRulesLeaveOut();
    void historyKeepsTheNewestPerChannelAndScope();
    void historyDisabledImportsNone();
    void personalMutes();
    void serverMutesAreMergedAcrossFiles();
    void staffAreNotServerMuted();
    void moderationLogMapsToOurAuditTrail();
    void idsAreStableAndSortByTime();
    void reportNamesEverySkip();

private:
    ImportPlan planDeployment(const Config &config, ImportReport &report, const QSet<QString> &staff = {});
    ImportSources m_sources;
    ImportReport m_readReport;
};

void TestMythosImport::initTestCase()
{
    QVERIFY(!qEnvironmentVariable("MYTHOS_SOURCE_DIR").isEmpty());
    m_sources = readSources(fixture(QStringLiteral("deployment"), QStringLiteral("data")),
                            fixture(QStringLiteral("deployment"), QStringLiteral("logs")), m_readReport);
    QVERIFY2(m_readReport.rejected.isEmpty(), qPrintable(m_readReport.toText()));
    QCOMPARE(m_sources.muteFiles.size(), 3);
    QCOMPARE(m_sources.logFiles.size(), 8);
}

ImportPlan TestMythosImport::planDeployment(const Config &config, ImportReport &report, const QSet<QString> &staff)
{
    return planImport(m_sources, config, staff, kNow, report);
}

void TestMythosImport::timestampsAsPythonWritesThem_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("expected");
    const QDateTime t(QDate(2026, 12, 1), QTime(19, 0, 0, 123), Qt::UTC);
    QTest::newRow("microseconds, +00:00") << "2026-12-01T19:00:00.123456+00:00" << t;
    QTest::newRow("milliseconds, Z") << "2026-12-01T19:00:00.123Z" << t;
    QTest::newRow("no fraction, naive") << "2026-12-01T19:00:00" << t.addMSecs(-123);
    QTest::newRow("offset") << "2026-12-01T21:00:00.123+02:00" << t;
    QTest::newRow("negative offset") << "2026-12-01T14:30:00.123-04:30" << t;
    QTest::newRow("space separator") << "2026-12-01 19:00:00.123456" << t;
    QTest::newRow("garbage") << "yesterday" << QDateTime();
    QTest::newRow("no time") << "2026-12-01" << QDateTime();
    QTest::newRow("impossible date") << "2026-02-30T19:00:00" << QDateTime();
}

void TestMythosImport::timestampsAsPythonWritesThem()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    const QDateTime parsed = parseSourceTime(text);
    QCOMPARE(parsed.isValid(), expected.isValid());
    if (expected.isValid())
        QCOMPARE(parsed.toMSecsSinceEpoch(), expected.toMSecsSinceEpoch());
}

void TestMythosImport::logFileNames()
{
    QCOMPARE(parseLogFileName(QStringLiteral("chat_chat_2026-12-01.log")).kind, LogKind::Chat);
    QCOMPARE(parseLogFileName(QStringLiteral("chat_global_2026-12-01.log")).kind, LogKind::Global);
    QCOMPARE(parseLogFileName(QStringLiteral("chat_whisper_2026-12-01.log")).kind, LogKind::Whisper);
    QCOMPARE(parseLogFileName(QStringLiteral("chat_system_2026-12-01.log")).kind, LogKind::System);
    QCOMPARE(parseLogFileName(QStringLiteral("chat_moderation_2026-12-01.log")).kind, LogKind::Moderation);
    QCOMPARE(parseLogFileName(QStringLiteral("chat_local_sanitarium_2026-12-01.log")).kind, LogKind::Local);
    const LogFileName trade = parseLogFileName(QStringLiteral("chat_trade_2026-12-01.log"));
    QVERIFY(trade.matches);
    QCOMPARE(trade.kind, LogKind::Unknown);
    QCOMPARE(trade.day, QDate(2026, 12, 1));
    QVERIFY(!parseLogFileName(QStringLiteral("chat_chat_2026-13-01.log")).matches);
    QVERIFY(!parseLogFileName(QStringLiteral("chat_chat_2026-12-01.jsonl")).matches);
    QVERIFY(!parseLogFileName(QStringLiteral("server.log")).matches);
}

void TestMythosImport::muteFileNames()
{
    QCOMPARE(muteFilePlayerId(QStringLiteral("mutes_%1.json").arg(kAlice)), kAlice);
    QVERIFY(muteFilePlayerId(QStringLiteral("mutes_Alice.json")).isEmpty());
    QVERIFY(isMuteFileName(QStringLiteral("mutes_Alice.json")));
    QVERIFY(!isMuteFileName(QStringLiteral("players.json")));
    // The old, name-based file of the fixtures is left out with its reason.
    bool leftOut = false;
    for (const SourceProblem &p : m_readReport.leftOut)
        leftOut |= p.file == QLatin1String("mutes_Alice.json") && p.message.contains(QLatin1String("player name"));
    QVERIFY2(leftOut, qPrintable(m_readReport.toText()));
}

void TestMythosImport::badLogLinesAreNamedByFileAndLine_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    const QByteArray good = R"({"event_type": "chat_message", "message_id": "m1", "channel": "say", "sender_id": "a", )"
                            R"("sender_name": "A", "content": "hi", "room_id": null, "party_id": null, )"
                            R"("target_player_id": null, "filtered": false, "moderation_notes": null, )"
                            R"("timestamp": "2026-12-01T19:00:00+00:00"})";
    QTest::newRow("truncated") << good + "\n" + good.left(40) << "f.log:2: invalid JSON";
    QTest::newRow("unknown field") << good + "\n\n"
                    + QByteArray(good).replace("\"content\"", "\"colour\": 1, \"content\"")
                                   << "f.log:3: unknown field 'colour'";
    QTest::newRow("missing timestamp") << QByteArray(good).replace(R"(, "timestamp": "2026-12-01T19:00:00+00:00")", "")
                                       << "f.log:1: missing field 'timestamp'";
    QTest::newRow("bad timestamp") << QByteArray(good).replace("2026-12-01T19:00:00+00:00", "noon")
                                   << "f.log:1: field 'timestamp' is not an ISO-8601 timestamp";
    QTest::newRow("wrong type") << QByteArray(good).replace(R"("filtered": false)", R"("filtered": "no")")
                                << "f.log:1: field 'filtered' must be true or false";
    QTest::newRow("not an object") << QByteArray("[1, 2]") << "f.log:1: not a JSON object";
    QTest::newRow("no event_type") << QByteArray(R"({"message_id": "m1"})") << "f.log:1: missing field 'event_type'";
}

void TestMythosImport::badLogLinesAreNamedByFileAndLine()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    const QString problem = problemOf(readLogFile(QStringLiteral("f.log"), content));
    QVERIFY2(problem.startsWith(expected), qPrintable(problem));
}

void TestMythosImport::badMuteFilesAreNamedByFileAndLine()
{
    ImportReport report;
    const ImportSources broken = readSources(fixture(QStringLiteral("broken"), QStringLiteral("data")),
                                             fixture(QStringLiteral("broken"), QStringLiteral("logs")), report);
    QStringList problems;
    for (const SourceProblem &p : report.rejected)
        problems.append(p.where() + QStringLiteral(": ") + p.message);
    problems.sort();
    QCOMPARE(problems.size(), 5);
    QVERIFY2(problems[0].startsWith(QLatin1String("chat_chat_2026-12-02.log:3: invalid JSON")),
             qPrintable(problems[0]));
    QCOMPARE(problems[1], QStringLiteral("chat_global_2026-12-02.log:2: unknown field 'colour'"));
    QCOMPARE(problems[2], QStringLiteral("chat_moderation_2026-12-02.log:2: missing field 'timestamp'"));
    QCOMPARE(problems[3], QStringLiteral("mutes_%1.json:13: unknown field 'severity'").arg(kCarol));
    QVERIFY2(problems[4].startsWith(QStringLiteral("mutes_55555555-5555-4555-8555-555555555555.json:9: invalid JSON")),
             qPrintable(problems[4]));
    // What was not rejected was read in full.
    QCOMPARE(broken.muteFiles.size(), 1);
    QCOMPARE(broken.logFiles.size(), 1);

    // A player_id that is not the file's uuid.
    const QByteArray other = R"({"player_id": "someone-else", "player_mutes": {}})";
    const auto read = readMuteFile(QStringLiteral("mutes_%1.json").arg(kAlice), other);
    QVERIFY(std::holds_alternative<SourceProblem>(read));
    QVERIFY(std::get<SourceProblem>(read).message.contains(QLatin1String("not the uuid in the file name")));
}

void TestMythosImport::chatLinesAreRead()
{
    const LogFile *general = nullptr;
    for (const LogFile &f : m_sources.logFiles) {
        if (f.name == QLatin1String("chat_chat_2026-12-01.log"))
            general = &f;
    }
    QVERIFY(general);
    QCOMPARE(general->chat.size(), 9);
    const ChatLine &say = general->chat[0];
    QCOMPARE(say.messageId, messageKey(QStringLiteral("01")));
    QCOMPARE(say.channel, QStringLiteral("say"));
    QCOMPARE(say.senderId, kAlice);
    QCOMPARE(say.senderName, QStringLiteral("Alice"));
    QCOMPARE(say.content, QStringLiteral("Hello, foyer."));
    QCOMPARE(say.roomId, kFoyer);
    QCOMPARE(say.timestamp, QDateTime(QDate(2026, 12, 1), QTime(19, 0, 0, 123), Qt::UTC));
    QCOMPARE(say.where(), QStringLiteral("chat_chat_2026-12-01.log:1"));
    QCOMPARE(general->chat[3].targetId, kBob); // target_player_id
    QCOMPARE(general->chat[5].partyId, QStringLiteral("party_7"));
    QVERIFY(general->chat[8].filtered);
}

void TestMythosImport::historyOncePerMessageIdInItsScope()
{
    ImportReport report;
    const ImportPlan plan = planDeployment(Config {}, report);
    // 9 messages of 1 Dec (one on an unconfigured channel), one from 2001: 8 imported, though
    // five lines of the per-channel files repeat them.
    QCOMPARE(plan.messages.size(), 8);
    QSet<QString> ids;
    for (const PlannedMessage &p : plan.messages)
        ids.insert(p.message.id);
    QCOMPARE(ids.size(), 8);

    const StoredMessage *say = byContent(plan, QStringLiteral("Hello, foyer."));
    QVERIFY(say);
    QCOMPARE(say->channel, QStringLiteral("say"));
    QCOMPARE(say->scopeKey, kFoyer);
    QCOMPARE(say->roomId, kFoyer);
    QCOMPARE(say->senderId, kAlice);
    QCOMPARE(say->senderName, QStringLiteral("Alice"));
    QCOMPARE(say->origin, QLatin1String(kImportOrigin));
    QCOMPARE(say->timestamp, QDateTime(QDate(2026, 12, 1), QTime(19, 0, 0, 123), Qt::UTC));
    QVERIFY(!say->filtered);

    const StoredMessage *local = byContent(plan, QStringLiteral("Anyone in the sanitarium?"));
    QVERIFY(local);
    QCOMPARE(local->scopeKey, QStringLiteral("earth_arkhamcity_sanitarium")); // local: subzone
    const StoredMessage *global = byContent(plan, QStringLiteral("Greetings, Arkham!"));
    QVERIFY(global);
    QCOMPARE(global->scopeKey, QString());
    // The general file's timestamp wins over the per-channel copy's (they differ in microseconds).
    QCOMPARE(global->timestamp, QDateTime(QDate(2026, 12, 1), QTime(19, 2, 0, 500), Qt::UTC));
    const StoredMessage *party = byContent(plan, QStringLiteral("to the library"));
    QVERIFY(party);
    QCOMPARE(party->scopeKey, QStringLiteral("party_7"));
    QCOMPARE(party->partyId, QStringLiteral("party_7"));
    const StoredMessage *system = byContent(plan, QStringLiteral("The library closes at dusk."));
    QVERIFY(system);
    QCOMPARE(system->channel, QStringLiteral("system"));
    QCOMPARE(system->scopeKey, QString());
    const StoredMessage *emote = byContent(plan, QStringLiteral("waves."));
    QVERIFY(emote);
    QCOMPARE(emote->scopeKey, kFoyer);
    QVERIFY(emote->filtered);
    QVERIFY(report.history.notes.join(QString()).contains(QLatin1String("5 lines")));
}

void TestMythosImport::whisperTargetsComeFromTheWhisperFile()
{
    ImportReport report;
    const ImportPlan plan = planDeployment(Config {}, report);
    const StoredMessage *toBob = byContent(plan, QStringLiteral("psst, Bob"));
    QVERIFY(toBob);
    QCOMPARE(toBob->targetId, kBob);
    QCOMPARE(toBob->targetName, QStringLiteral("Bob"));
    QCOMPARE(toBob->scopeKey, kBob);
    // The general file has no target_player_id for this one: only the whisper file names Alice.
    const StoredMessage *toAlice = byContent(plan, QStringLiteral("yes, Alice?"));
    QVERIFY(toAlice);
    QCOMPARE(toAlice->targetId, kAlice);
    QCOMPARE(toAlice->targetName, QStringLiteral("Alice"));

    // Without the whisper file the general file's target_player_id still places the first one,
    // named as the logs name that player elsewhere; the second has no target and is skipped.
    ImportSources withoutWhispers = m_sources;
    withoutWhispers.logFiles.removeIf([](const LogFile &f) { return f.fileName.kind == LogKind::Whisper; });
    ImportReport r2;
    const ImportPlan p2 = planImport(withoutWhispers, Config {}, {}, kNow, r2);
    const StoredMessage *fromGeneral = byContent(p2, QStringLiteral("psst, Bob"));
    QVERIFY(fromGeneral);
    QCOMPARE(fromGeneral->targetId, kBob);
    QCOMPARE(fromGeneral->targetName, QStringLiteral("Bob"));
    QVERIFY(!byContent(p2, QStringLiteral("yes, Alice?")));
    QCOMPARE(r2.history.skipped.value(QStringLiteral("a whisper without a target")).count, 1);
}

void TestMythosImport::historySkipsWhatOurRulesLeaveOut()
{
    ImportReport report;
    planDeployment(Config {}, report);
    const auto &skipped = report.history.skipped;
    QCOMPARE(skipped.value(QStringLiteral("channel 'pose' is not configured here")).where,
             QStringList { QStringLiteral("chat_chat_2026-12-01.log:7") });
    QCOMPARE(skipped.value(QStringLiteral("older than chat.message_history.retention_days (30)")).where,
             QStringList { QStringLiteral("chat_chat_2001-01-01.log:1") });
    QCOMPARE(skipped.value(QStringLiteral("system event 'player_joined_room' (not chat history)")).where,
             QStringList { QStringLiteral("chat_system_2026-12-01.log:1") });
    QCOMPARE(report.history.skippedCount(), 3);

    // A longer retention takes the old line in.
    Config keepAll;
    keepAll.history.retentionDays = 36500;
    ImportReport r2;
    QCOMPARE(planDeployment(keepAll, r2).messages.size(), 9);
}

void TestMythosImport::historyKeepsTheNewestPerChannelAndScope()
{
    Config config;
    config.history.retentionDays = 36500;
    config.history.maxMessagesPerChannel = 1;
    ImportReport report;
    const ImportPlan plan = planDeployment(config, report);
    // Two say messages in the foyer (2001 and 2026): only the newer stays. Every other
    // channel/scope has one message.
    QVERIFY(byContent(plan, QStringLiteral("Hello, foyer.")));
    QVERIFY(!byContent(plan, QStringLiteral("An old line.")));
    QCOMPARE(report.history.skipped.value(QStringLiteral("beyond chat.message_history.max_messages_per_channel (1)"))
                     .where,
             QStringList { QStringLiteral("chat_chat_2001-01-01.log:1") });
    QCOMPARE(plan.messages.size(), 8);
}

void TestMythosImport::historyDisabledImportsNone()
{
    Config config;
    config.history.enabled = false;
    ImportReport report;
    const ImportPlan plan = planDeployment(config, report);
    QVERIFY(plan.messages.isEmpty());
    QCOMPARE(report.history.skipped.value(QStringLiteral("history is disabled (chat.message_history.enabled: false)"))
                     .count,
             10);
    QCOMPARE(plan.personalMutes.size(), 3); // mutes do not depend on history
}

void TestMythosImport::personalMutes()
{
    ImportReport report;
    const ImportPlan plan = planDeployment(Config {}, report);
    QCOMPARE(plan.personalMutes.size(), 3);

    const Mute *bob = muteWithId(plan.personalMutes,
                                 Mute::makeId(Mute::Scope::Personal, kAlice, QStringLiteral("player"), kBob, {}));
    QVERIFY(bob);
    QCOMPARE(bob->scope, Mute::Scope::Personal);
    QCOMPARE(bob->ownerId, kAlice);
    QCOMPARE(bob->targetType, QStringLiteral("player"));
    QCOMPARE(bob->targetId, kBob);
    QCOMPARE(bob->targetName, QStringLiteral("Bob"));
    QCOMPARE(bob->mutedBy, kAlice);
    QCOMPARE(bob->reason, QStringLiteral("spoilers"));
    QVERIFY(!bob->until.isValid()); // permanent
    QCOMPARE(bob->createdAt, QDateTime(QDate(2026, 11, 28), QTime(9, 0), Qt::UTC));

    const Mute *global = muteWithId(
            plan.personalMutes,
            Mute::makeId(Mute::Scope::Personal, kAlice, QStringLiteral("channel"), QStringLiteral("global"), {}));
    QVERIFY(global);
    QCOMPARE(global->targetType, QStringLiteral("channel"));
    QCOMPARE(global->targetId, QStringLiteral("global"));
    QCOMPARE(global->until, QDateTime(QDate(2099, 1, 1), QTime(0, 0), Qt::UTC));
    QCOMPARE(global->reason, QStringLiteral("too busy"));

    const Mute *alice = muteWithId(plan.personalMutes,
                                   Mute::makeId(Mute::Scope::Personal, kBob, QStringLiteral("player"), kAlice, {}));
    QVERIFY(alice);
    QCOMPARE(alice->until, QDateTime(QDate(2099, 6, 1), QTime(0, 0), Qt::UTC));

    QCOMPARE(report.personalMutes.skipped.value(QStringLiteral("expired")).count, 1);
    QCOMPARE(report.personalMutes.skipped.value(QStringLiteral("channel 'ooc' is not configured here")).count, 1);
}

void TestMythosImport::serverMutesAreMergedAcrossFiles()
{
    ImportReport report;
    const ImportPlan plan = planDeployment(Config {}, report);
    QCOMPARE(plan.serverMutes.size(), 2);
    const Mute *mallory = muteWithId(
            plan.serverMutes, Mute::makeId(Mute::Scope::Server, kMallory, QStringLiteral("player"), kMallory, {}));
    QVERIFY(mallory);
    QCOMPARE(mallory->scope, Mute::Scope::Server);
    QCOMPARE(mallory->ownerId, kMallory);
    QCOMPARE(mallory->targetName, QStringLiteral("Mallory"));
    QCOMPARE(mallory->mutedBy, kDave);
    QCOMPARE(mallory->reason, QStringLiteral("harassment"));
    QVERIFY(mallory->channel.isEmpty()); // every channel
    QCOMPARE(mallory->until, QDateTime(QDate(2099, 2, 1), QTime(0, 0), Qt::UTC));
    // Carol is in Bob's file (20 Nov) and Dave's (1 Nov): the later one is in force.
    const Mute *carol = muteWithId(plan.serverMutes,
                                   Mute::makeId(Mute::Scope::Server, kCarol, QStringLiteral("player"), kCarol, {}));
    QVERIFY(carol);
    QCOMPARE(carol->mutedBy, kBob);
    QCOMPARE(carol->reason, QStringLiteral("spam"));
    const auto &skipped = report.serverMutes.skipped;
    QCOMPARE(skipped.value(QStringLiteral("superseded by a later global mute of the same player")).count, 1);
    QVERIFY(skipped.value(QStringLiteral("superseded by a later global mute of the same player"))
                    .where.value(0)
                    .startsWith(QStringLiteral("mutes_%1.json:").arg(kDave)));
    QCOMPARE(skipped.value(QStringLiteral("expired")).count, 1);
    // Dave's own file says he is an admin: Bob's global mute of him is not imported.
    QCOMPARE(skipped.value(QStringLiteral("the target is an admin or moderator (they cannot be server-muted)")).count,
             1);
}

void TestMythosImport::staffAreNotServerMuted()
{
    ImportReport report;
    const ImportPlan plan = planDeployment(Config {}, report, { kMallory });
    QCOMPARE(plan.serverMutes.size(), 1);
    QCOMPARE(plan.serverMutes[0].mute.ownerId, kCarol);
}

void TestMythosImport::moderationLogMapsToOurAuditTrail()
{
    ImportReport report;
    const ImportPlan plan = planDeployment(Config {}, report);
    QCOMPARE(plan.auditLines.size(), 5);
    auto line = [&](int i) { return plan.auditLines[i].fields; };

    QCOMPARE(plan.auditLines[0].event, QStringLiteral("mute"));
    QCOMPARE(plan.auditLines[0].at, QDateTime(QDate(2026, 12, 1), QTime(20, 0), Qt::UTC));
    QCOMPARE(line(0).value(QLatin1String("actor")).toString(), kAlice);
    QCOMPARE(line(0).value(QLatin1String("scope")).toString(), QStringLiteral("personal"));
    QCOMPARE(line(0).value(QLatin1String("target_type")).toString(), QStringLiteral("player"));
    QCOMPARE(line(0).value(QLatin1String("target_id")).toString(), kBob);
    QCOMPARE(line(0).value(QLatin1String("target_name")).toString(), QStringLiteral("Bob"));
    QCOMPARE(line(0).value(QLatin1String("reason")).toString(), QStringLiteral("spoilers"));
    QVERIFY(line(0).value(QLatin1String("until")).isNull()); // permanent
    QCOMPARE(line(0).value(QLatin1String("source")).toString(), QStringLiteral("chat_moderation_2026-12-01.log:1"));
    QCOMPARE(line(0).value(QLatin1String("imported_from")).toString(), QStringLiteral("mythosmud"));
    QCOMPARE(line(0).value(QLatin1String("import_key")).toString().size(), 20);

    // channel_<ch>: a personal mute of the channel.
    QCOMPARE(line(1).value(QLatin1String("target_type")).toString(), QStringLiteral("channel"));
    QCOMPARE(line(1).value(QLatin1String("target_id")).toString(), QStringLiteral("global"));
    QCOMPARE(line(1).value(QLatin1String("until")).toString(), QStringLiteral("2026-12-01T21:01:00.000Z"));
    // global: a server mute.
    QCOMPARE(line(2).value(QLatin1String("scope")).toString(), QStringLiteral("server"));
    QCOMPARE(line(2).value(QLatin1String("actor")).toString(), kDave);
    QCOMPARE(line(2).value(QLatin1String("until")).toString(), QStringLiteral("2026-12-02T20:02:00.000Z"));
    // player_unmuted
    QCOMPARE(plan.auditLines[3].event, QStringLiteral("unmute"));
    QCOMPARE(line(3).value(QLatin1String("actor")).toString(), kAlice);
    QVERIFY(!line(3).contains(QLatin1String("reason")));
    // rate_limit_violation
    QCOMPARE(plan.auditLines[4].event, QStringLiteral("rate_limited"));
    QCOMPARE(line(4).value(QLatin1String("actor")).toString(), QStringLiteral("system"));
    QCOMPARE(line(4).value(QLatin1String("player_id")).toString(), kCarol);
    QCOMPARE(line(4).value(QLatin1String("channel")).toString(), QStringLiteral("global"));
    QCOMPARE(line(4).value(QLatin1String("limit")).toInt(), 10);
    QCOMPARE(line(4).value(QLatin1String("message_count")).toInt(), 12);

    const auto &skipped = report.moderationLog.skipped;
    QCOMPARE(skipped.value(QStringLiteral("event 'message_flagged' has no counterpart in our audit trail")).where,
             QStringList { QStringLiteral("chat_moderation_2026-12-01.log:6") });
    QCOMPARE(skipped.value(QStringLiteral("unknown mute_type 'room'")).where,
             QStringList { QStringLiteral("chat_moderation_2026-12-01.log:7") });
    QCOMPARE(skipped.value(QStringLiteral("older than logging.retention_days (90)")).where,
             QStringList { QStringLiteral("chat_moderation_2001-01-01.log:1") });
}

void TestMythosImport::idsAreStableAndSortByTime()
{
    const QDateTime t(QDate(2026, 12, 1), QTime(19, 0), Qt::UTC);
    const QString id = importedMessageId(t, messageKey(QStringLiteral("01")));
    QCOMPARE(importedMessageId(t, messageKey(QStringLiteral("01"))), id);
    QVERIFY(importedMessageId(t, messageKey(QStringLiteral("02"))) != id);
    QVERIFY(importedMessageId(t.addMSecs(1), messageKey(QStringLiteral("00"))) > id);
    QCOMPARE(messageIdMillis(id), t.toMSecsSinceEpoch());
    QVERIFY(isValidSubjectId(id)); // usable as `before`
    ImportReport a, b;
    const ImportPlan first = planDeployment(Config {}, a);
    const ImportPlan second = planDeployment(Config {}, b);
    for (qsizetype i = 0; i < first.messages.size(); ++i)
        QCOMPARE(first.messages[i].message.id, second.messages[i].message.id);
}

void TestMythosImport::reportNamesEverySkip()
{
    ImportReport report = m_readReport;
    planDeployment(Config {}, report);
    const QString text = report.toText();
    QVERIFY2(text.contains(QLatin1String("  skipped 1: channel 'pose' is not configured here "
                                         "(chat_chat_2026-12-01.log:7)")),
             qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("left out chat_trade_2026-12-01.log: unknown log type 'trade'")),
             qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("files: 11 read, 0 rejected, 2 left out")), qPrintable(text));
    QVERIFY2(text.endsWith(QLatin1String("result: ok\n")), qPrintable(text));
}

QTEST_GUILESS_MAIN(TestMythosImport)
#include "tst_mythosimport.moc"
