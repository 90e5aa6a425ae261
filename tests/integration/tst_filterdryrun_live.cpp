// The filter dry run over what a real server logged: players chat (say and a whisper), then
// `mythos-chatd filter-dry-run` runs as the real binary over that audit trail, and an admin asks
// the running server the same over WebSocket. The two reports agree; moderators are refused;
// bad lists, levels and arguments are refused with the file and line.
#include "processrun.h"
#include "testclient.h"
#include "testserver.h"

#include "audit/auditlog.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkhamcity_sanitarium_room_foyer_001");

QString bundledProfanity()
{
    QFile f(QStringLiteral(":/mythos/filters/profanity.txt"));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

QStringList exampleIds(const QJsonObject &report, const char *outcome, const char *direction)
{
    QStringList ids;
    for (const QJsonValue &v :
         report[QStringLiteral("examples")][QLatin1String(outcome)][QLatin1String(direction)].toArray())
        ids << v[QStringLiteral("message_id")].toString();
    return ids;
}
} // namespace

class TestFilterDryRunLive : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cliReportsAnAddedWord();
    void cliReportsAStricterLevelAsText();
    void cliRefusesBadInput();
    void cliWithNoLogsInRange();
    void adminRequestMatchesTheCli();
    void requestIsForAdmins();
    void badRequestsGetOneErrorEach();

private:
    ProcessResult dryRun(const QStringList &args, const QString &config = {}) const;

    QTemporaryDir m_dir;
    QString m_config;
    QString m_candidate; // a folder holding profanity.txt: the bundled list plus "grue"
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestClient> m_alice, m_bob, m_admin, m_mod;
    QString m_grueSay, m_grueWhisper, m_idiot;
    QJsonObject m_cliReport;
};

void TestFilterDryRunLive::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_server = std::make_unique<TestServer>(testConfig());
    QVERIFY(m_server->start());
    auto join = [this](const QString &id, const QString &role) {
        auto c = std::make_unique<TestClient>();
        if (!c->open(m_server->port()) || c->authToken(tokenFor(id, id, role, kFoyer)).isEmpty())
            return std::unique_ptr<TestClient>();
        return c;
    };
    m_alice = join(QStringLiteral("alice"), QStringLiteral("player"));
    m_bob = join(QStringLiteral("bob"), QStringLiteral("player"));
    m_admin = join(QStringLiteral("root"), QStringLiteral("admin"));
    m_mod = join(QStringLiteral("mod"), QStringLiteral("moderator"));
    QVERIFY(m_alice && m_bob && m_admin && m_mod);
    auto said = [](TestClient &who, const QJsonObject &frame) { return eventField(who.request(frame), "message_id"); };
    m_grueSay = said(*m_alice, sendFrame(QStringLiteral("say"), QStringLiteral("the grue lurks in the cellar")));
    m_grueWhisper = said(
            *m_alice, sendFrame(QStringLiteral("whisper"), QStringLiteral("a grue, quietly"), QStringLiteral("bob")));
    m_idiot = said(*m_bob, sendFrame(QStringLiteral("say"), QStringLiteral("you idiot")));
    said(*m_bob, sendFrame(QStringLiteral("say"), QStringLiteral("hello there")));
    QVERIFY(!m_grueSay.isEmpty() && !m_grueWhisper.isEmpty() && !m_idiot.isEmpty());
    m_server->app().auditLog()->flush();

    m_config = m_dir.filePath(QStringLiteral("config.yaml"));
    QVERIFY(writeFile(m_config,
                      QStringLiteral("server:\n  data_dir: \"%1\"\nlogging:\n  dir: \"%2\"\nnats:\n  "
                                     "enabled: false\n")
                              .arg(m_dir.filePath(QStringLiteral("data")), m_server->app().auditLog()->dir())
                              .toUtf8()));
    m_candidate = m_dir.filePath(QStringLiteral("candidate"));
    QVERIFY(QDir().mkpath(m_candidate));
    QVERIFY(writeFile(m_candidate + QStringLiteral("/profanity.txt"),
                      (bundledProfanity() + QStringLiteral("\n@category profanity mild\ngrue\n")).toUtf8()));
}

void TestFilterDryRunLive::cleanupTestCase()
{
    m_alice.reset();
    m_bob.reset();
    m_admin.reset();
    m_mod.reset();
    m_server.reset();
}

ProcessResult TestFilterDryRunLive::dryRun(const QStringList &args, const QString &config) const
{
    return runProcess(qEnvironmentVariable("MYTHOS_CHATD"),
                      QStringList { QStringLiteral("--config"), config.isEmpty() ? m_config : config,
                                    QStringLiteral("filter-dry-run") }
                              + args,
                      60000);
}

void TestFilterDryRunLive::cliReportsAnAddedWord()
{
    const ProcessResult r = dryRun({ QStringLiteral("--lists"), m_candidate, QStringLiteral("--days"),
                                     QStringLiteral("1"), QStringLiteral("--format"), QStringLiteral("json") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.err.isEmpty(), r.err.constData()); // the filter's own load messages stay out of a terminal
    m_cliReport = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(m_cliReport[QStringLiteral("messages")].toInt(), 4);
    QCOMPARE(m_cliReport[QStringLiteral("outcomes")][QStringLiteral("masked")][QStringLiteral("newly")].toInt(), 2);
    QCOMPARE(m_cliReport[QStringLiteral("outcomes")][QStringLiteral("masked")][QStringLiteral("no_longer")].toInt(), 0);
    QCOMPARE(exampleIds(m_cliReport, "masked", "newly"), (QStringList { m_grueSay, m_grueWhisper }));
    const QJsonObject first =
            m_cliReport[QStringLiteral("examples")][QStringLiteral("masked")][QStringLiteral("newly")][0].toObject();
    QCOMPARE(first[QStringLiteral("content")].toString(), QStringLiteral("the grue lurks in the cellar"));
    QCOMPARE(first[QStringLiteral("after")][QStringLiteral("content")].toString(),
             QStringLiteral("the **** lurks in the cellar"));
    QCOMPARE(first[QStringLiteral("sender_id")].toString(), QStringLiteral("alice"));
    QCOMPARE(m_cliReport[QStringLiteral("candidate")][QStringLiteral("profanity")].toString(),
             m_candidate + QStringLiteral("/profanity.txt"));
}

void TestFilterDryRunLive::cliReportsAStricterLevelAsText()
{
    const QString levels = m_dir.filePath(QStringLiteral("family.yaml"));
    QVERIFY(writeFile(levels, "chat:\n  content_filtering:\n    default_level: family\n"));
    const ProcessResult r = dryRun({ QStringLiteral("--levels"), levels });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString out = QString::fromUtf8(r.out);
    QVERIFY2(out.contains(QStringLiteral("4 messages replayed, whispers included")), r.out.constData());
    QVERIFY2(out.contains(QStringLiteral("newly masked (1 of 1):")), r.out.constData());
    QVERIFY2(out.contains(m_idiot), r.out.constData());
    QVERIFY2(out.contains(QStringLiteral("after:   you *****  [masked]")), r.out.constData());
    QVERIFY2(out.contains(QStringLiteral("harassment mild 'idiot': mask")), r.out.constData());
}

void TestFilterDryRunLive::cliRefusesBadInput()
{
    const QString bad = m_dir.filePath(QStringLiteral("bad"));
    QVERIFY(QDir().mkpath(bad));
    QVERIFY(writeFile(bad + QStringLiteral("/keywords.txt"), "\\bok\\b\n(unclosed\n"));
    const QString badLevels = m_dir.filePath(QStringLiteral("strict.yaml"));
    QVERIFY(writeFile(badLevels, "chat:\n  content_filtering:\n    default_level: strict\n"));
    struct Case
    {
        QStringList args;
        QString message;
    };
    const QList<Case> cases {
        { { QStringLiteral("--lists"), bad },
          QStringLiteral("filter-dry-run: %1/keywords.txt:2: invalid regular expression").arg(bad) },
        { { QStringLiteral("--levels"), badLevels },
          QStringLiteral("filter-dry-run: %1: chat.content_filtering.default_level: no level named 'strict'")
                  .arg(badLevels) },
        { { QStringLiteral("--lists"), m_dir.filePath(QStringLiteral("nowhere")) }, QStringLiteral("not a folder") },
        { { QStringLiteral("--lists"), m_dir.filePath(QStringLiteral("data")) },
          QStringLiteral("holds none of profanity.txt, allow.txt, keywords.txt") },
        { {}, QStringLiteral("give --lists DIR, --levels FILE or both") },
        { { QStringLiteral("--lists"), m_candidate, QStringLiteral("--days"), QStringLiteral("0") },
          QStringLiteral("--days must be a whole number from 1 to 366") },
        { { QStringLiteral("--lists"), m_candidate, QStringLiteral("--format"), QStringLiteral("csv") },
          QStringLiteral("--format must be text or json") },
    };
    QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("data"))));
    for (const Case &c : cases) {
        const ProcessResult r = dryRun(c.args);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(QString::fromUtf8(r.err).contains(c.message), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }
}

void TestFilterDryRunLive::cliWithNoLogsInRange()
{
    const QString empty = m_dir.filePath(QStringLiteral("empty-logs"));
    QVERIFY(QDir().mkpath(empty));
    const QString config = m_dir.filePath(QStringLiteral("empty.yaml"));
    QVERIFY(writeFile(config,
                      QStringLiteral("logging:\n  dir: \"%1\"\nnats:\n  enabled: false\n").arg(empty).toUtf8()));
    const ProcessResult r = dryRun({ QStringLiteral("--lists"), m_candidate }, config);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("0 messages replayed"), r.out.constData());
    QVERIFY2(r.out.contains("note: no chat messages logged from"), r.out.constData());
}

void TestFilterDryRunLive::adminRequestMatchesTheCli()
{
    if (m_cliReport.isEmpty())
        QSKIP("needs cliReportsAnAddedWord");
    QFile f(m_candidate + QStringLiteral("/profanity.txt"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject frame { { QStringLiteral("type"), QStringLiteral("filter_dry_run") },
                              { QStringLiteral("lists"),
                                QJsonObject { { QStringLiteral("profanity"), QString::fromUtf8(f.readAll()) } } },
                              { QStringLiteral("days"), 1 },
                              { QStringLiteral("ref"), QStringLiteral("dry-1") } };
    m_admin->send(frame);
    // The event loop keeps serving while the run is on the thread pool.
    const QJsonObject pong = m_admin->request({ { QStringLiteral("type"), QStringLiteral("ping") } });
    QCOMPARE(pong.value(QStringLiteral("event_type")).toString(), QStringLiteral("pong"));
    const QJsonObject reply = m_admin->waitFor(
            QStringLiteral("filter_dry_run"),
            [](const QJsonObject &d) { return d.value(QStringLiteral("ref")).toString() == QLatin1String("dry-1"); },
            30000);
    QVERIFY(!reply.isEmpty());
    const QJsonObject report = eventData(reply);
    for (const char *key : { "messages", "changed", "outcomes", "categories", "from", "to" })
        QCOMPARE(report[QLatin1String(key)], m_cliReport[QLatin1String(key)]);
    QCOMPARE(exampleIds(report, "masked", "newly"), (QStringList { m_grueSay, m_grueWhisper }));
    QCOMPARE(report[QStringLiteral("candidate")][QStringLiteral("profanity")].toString(),
             QStringLiteral("profanity.txt"));
    QVERIFY(m_admin->staysQuiet(QStringLiteral("error"), 200)); // exactly one reply
}

void TestFilterDryRunLive::requestIsForAdmins()
{
    const QJsonObject frame { { QStringLiteral("type"), QStringLiteral("filter_dry_run") },
                              { QStringLiteral("levels"), QStringLiteral("chat: {}") } };
    const QJsonObject mod = m_mod->request(frame);
    QCOMPARE(mod.value(QStringLiteral("event_type")).toString(), QStringLiteral("error"));
    QCOMPARE(eventField(mod, "code"), QStringLiteral("forbidden"));
    const QJsonObject player = m_alice->request(frame);
    QCOMPARE(eventField(player, "code"), QStringLiteral("forbidden"));
}

void TestFilterDryRunLive::badRequestsGetOneErrorEach()
{
    auto ask = [this](QJsonObject frame) {
        frame.insert(QStringLiteral("type"), QStringLiteral("filter_dry_run"));
        return m_admin->request(frame, 30000);
    };
    struct Case
    {
        QJsonObject frame;
        QString code;
        QString message;
    };
    const QList<Case> cases {
        { { { QStringLiteral("lists"),
              QJsonObject { { QStringLiteral("keywords"), QStringLiteral("\\bok\\b\n(unclosed\n") } } } },
          QStringLiteral("invalid_request"),
          QStringLiteral("keywords.txt:2: invalid regular expression") },
        { { { QStringLiteral("levels"), QStringLiteral("chat:\n  channels:\n    ooc:\n      filter_level: adult\n") } },
          QStringLiteral("invalid_request"),
          QStringLiteral("levels: chat.channels.ooc: no such channel") },
        { { { QStringLiteral("lists"), QJsonObject { { QStringLiteral("swears"), QStringLiteral("x") } } } },
          QStringLiteral("invalid_request"),
          QStringLiteral("'lists' has no list 'swears'") },
        { { { QStringLiteral("levels"), QStringLiteral("chat: {}") }, { QStringLiteral("days"), 0 } },
          QStringLiteral("invalid_request"),
          QStringLiteral("'days' must be 1-366") },
        { {}, QStringLiteral("invalid_request"), QStringLiteral("needs candidate 'lists', 'levels' or both") },
        { { { QStringLiteral("lists"),
              QJsonObject { { QStringLiteral("profanity"), QString(600 * 1024, QLatin1Char('a')) } } } },
          QStringLiteral("payload_too_large"),
          QStringLiteral("at most 524288") },
    };
    for (const Case &c : cases) {
        const QJsonObject r = ask(c.frame);
        QCOMPARE(r.value(QStringLiteral("event_type")).toString(), QStringLiteral("error"));
        QCOMPARE(eventField(r, "code"), c.code);
        QVERIFY2(eventField(r, "message").contains(c.message), qPrintable(eventField(r, "message")));
    }
    QVERIFY(m_admin->staysQuiet(QStringLiteral("filter_dry_run"), 200));
}

QTEST_MAIN(TestFilterDryRunLive)
#include "tst_filterdryrun_live.moc"
