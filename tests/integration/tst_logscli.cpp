// `mythos-chatd logs`: the audit trail from a terminal, run as the real binary over files the
// server's own AuditLog wrote. Exact lines (json) and exact rows (csv) for each filter: day
// range, player (as sender, target, player or actor), event, text; and clear refusals.
#include "processrun.h"

#include "audit/auditlog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
QDateTime at(int day, int hour)
{
    return QDateTime(QDate(2026, 11, day), QTime(hour, 0), Qt::UTC);
}
} // namespace

class TestLogsCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void jsonLinesAreTheStoredLines();
    void filters_data();
    void filters();
    void csvRows();
    void badArguments();

private:
    ProcessResult logs(const QStringList &args) const;
    // The stored lines of a category's day file, in order.
    QList<QByteArray> fileLines(AuditCategory category, int day) const;

    QTemporaryDir m_dir;
    QString m_config;
};

void TestLogsCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString logDir = m_dir.filePath(QStringLiteral("logs"));
    AuditLog audit(logDir, QStringLiteral("node-1"), 36500);
    QString error;
    QVERIFY2(audit.open(&error), qPrintable(error));
    using C = AuditCategory;
    audit.write(C::Moderation, QStringLiteral("mute"),
                { { QStringLiteral("actor"), QStringLiteral("mod1") },
                  { QStringLiteral("target_id"), QStringLiteral("alice") },
                  { QStringLiteral("reason"), QStringLiteral("spam, \"again\"") } },
                at(1, 10));
    audit.write(C::Moderation, QStringLiteral("rate_limited"),
                { { QStringLiteral("actor"), QStringLiteral("system") },
                  { QStringLiteral("player_id"), QStringLiteral("bob") },
                  { QStringLiteral("limit"), 10 } },
                at(1, 11));
    // 2026-11-02: nothing happened.
    audit.write(C::Moderation, QStringLiteral("held"),
                { { QStringLiteral("actor"), QStringLiteral("system") },
                  { QStringLiteral("player_id"), QStringLiteral("alice") },
                  { QStringLiteral("reasons"), QJsonArray { QStringLiteral("threat") } } },
                at(3, 9));
    audit.write(C::Moderation, QStringLiteral("queue_approve"),
                { { QStringLiteral("actor"), QStringLiteral("mod1") },
                  { QStringLiteral("player_id"), QStringLiteral("alicea") } },
                at(3, 12));
    audit.write(C::Chat, QStringLiteral("message"),
                { { QStringLiteral("sender_id"), QStringLiteral("alice") },
                  { QStringLiteral("channel"), QStringLiteral("say") },
                  { QStringLiteral("content"), QStringLiteral("Hello Arkham") } },
                at(3, 13));
    audit.write(C::Chat, QStringLiteral("message"),
                { { QStringLiteral("sender_id"), QStringLiteral("bob") },
                  { QStringLiteral("channel"), QStringLiteral("whisper") },
                  { QStringLiteral("target_id"), QStringLiteral("alice") },
                  { QStringLiteral("content"), QStringLiteral("psst") } },
                at(3, 14));
    audit.flush();

    m_config = m_dir.filePath(QStringLiteral("config.yaml"));
    QFile f(m_config);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral("server:\n  data_dir: \"%1\"\nlogging:\n  dir: \"%2\"\nnats:\n  enabled: false\n")
                    .arg(m_dir.filePath(QStringLiteral("data")), logDir)
                    .toUtf8());
}

ProcessResult TestLogsCli::logs(const QStringList &args) const
{
    return runProcess(qEnvironmentVariable("MYTHOS_CHATD"),
                      QStringList { QStringLiteral("--config"), m_config, QStringLiteral("logs") } + args, 30000);
}

QList<QByteArray> TestLogsCli::fileLines(AuditCategory category, int day) const
{
    QFile f(auditFilePath(m_dir.filePath(QStringLiteral("logs")), category, QDate(2026, 11, day)));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = f.readAll().split('\n');
    lines.removeAll(QByteArray());
    return lines;
}

void TestLogsCli::jsonLinesAreTheStoredLines()
{
    const ProcessResult r =
            logs({ QStringLiteral("--category"), QStringLiteral("moderation"), QStringLiteral("--from"),
                   QStringLiteral("2026-11-01"), QStringLiteral("--to"), QStringLiteral("2026-11-03") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> expected =
            fileLines(AuditCategory::Moderation, 1) + fileLines(AuditCategory::Moderation, 3);
    QCOMPARE(expected.size(), 4);
    QCOMPARE(r.out, expected.join('\n') + '\n');
    QVERIFY2(r.err.contains("logs: 4 matching moderation lines from 2026-11-01 to 2026-11-03 (2 day files"),
             r.err.constData());
}

void TestLogsCli::filters_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("events"); // event of each line, in order
    QTest::addColumn<QStringList>("ts");
    const QString from = QStringLiteral("--from"), to = QStringLiteral("--to"), all = QStringLiteral("2026-11-01");
    const QString last = QStringLiteral("2026-11-03");
    // A player matches exactly: "alice" is neither "alicea" nor a substring of another id.
    QTest::newRow("player as target and as player")
            << QStringList { from, all, to, last, QStringLiteral("--player"), QStringLiteral("alice") }
            << QStringList { QStringLiteral("mute"), QStringLiteral("held") }
            << QStringList { QStringLiteral("2026-11-01T10"), QStringLiteral("2026-11-03T09") };
    QTest::newRow("player as actor")
            << QStringList { from, all, to, last, QStringLiteral("--player"), QStringLiteral("mod1") }
            << QStringList { QStringLiteral("mute"), QStringLiteral("queue_approve") }
            << QStringList { QStringLiteral("2026-11-01T10"), QStringLiteral("2026-11-03T12") };
    QTest::newRow("event") << QStringList { from, all, to, last, QStringLiteral("--event"), QStringLiteral("held") }
                           << QStringList { QStringLiteral("held") } << QStringList { QStringLiteral("2026-11-03T09") };
    QTest::newRow("one day") << QStringList { from, all, to, all }
                             << QStringList { QStringLiteral("mute"), QStringLiteral("rate_limited") }
                             << QStringList { QStringLiteral("2026-11-01T10"), QStringLiteral("2026-11-01T11") };
    QTest::newRow("a quiet day") << QStringList { from, QStringLiteral("2026-11-02"), to, QStringLiteral("2026-11-02") }
                                 << QStringList {} << QStringList {};
    QTest::newRow("--from alone runs to today")
            << QStringList { from, last } << QStringList { QStringLiteral("held"), QStringLiteral("queue_approve") }
            << QStringList { QStringLiteral("2026-11-03T09"), QStringLiteral("2026-11-03T12") };
    // Operators read whispers: they have the files anyway.
    QTest::newRow("chat: sender or whisper target")
            << QStringList { QStringLiteral("--category"), QStringLiteral("chat"), from, last, to, last,
                             QStringLiteral("--player"),   QStringLiteral("alice") }
            << QStringList { QStringLiteral("message"), QStringLiteral("message") }
            << QStringList { QStringLiteral("2026-11-03T13"), QStringLiteral("2026-11-03T14") };
    QTest::newRow("text, any case")
            << QStringList { QStringLiteral("--category"), QStringLiteral("chat"),  from, last, to, last,
                             QStringLiteral("--text"),     QStringLiteral("ARKHAM") }
            << QStringList { QStringLiteral("message") } << QStringList { QStringLiteral("2026-11-03T13") };
}

void TestLogsCli::filters()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, events);
    QFETCH(QStringList, ts);
    const ProcessResult r = logs(args);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QStringList gotEvents, gotTs;
    for (const QByteArray &line : r.out.split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        gotEvents << o.value(QStringLiteral("event")).toString();
        gotTs << o.value(QStringLiteral("ts")).toString().left(13);
    }
    QCOMPARE(gotEvents, events);
    QCOMPARE(gotTs, ts);
    QVERIFY2(r.err.contains(QStringLiteral("logs: %1 matching").arg(events.size()).toUtf8()), r.err.constData());
}

void TestLogsCli::csvRows()
{
    const ProcessResult r = logs({ QStringLiteral("--from"), QStringLiteral("2026-11-01"), QStringLiteral("--to"),
                                   QStringLiteral("2026-11-03"), QStringLiteral("--player"), QStringLiteral("alice"),
                                   QStringLiteral("--format"), QStringLiteral("csv") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    // ts and event first, then every other field alphabetically; a comma or quote quotes the
    // cell (quotes doubled), arrays are compact JSON, a field a line lacks is empty.
    const QByteArray expected =
            "ts,event,actor,category,player_id,reason,reasons,server_id,target_id\r\n"
            "2026-11-01T10:00:00.000Z,mute,mod1,moderation,,\"spam, \"\"again\"\"\",,node-1,alice\r\n"
            "2026-11-03T09:00:00.000Z,held,system,moderation,alice,,\"[\"\"threat\"\"]\",node-1,\r\n";
    QCOMPARE(r.out, expected);
}

void TestLogsCli::badArguments()
{
    struct Case
    {
        QStringList args;
        const char *message;
    };
    const QList<Case> cases {
        { { QStringLiteral("--category"), QStringLiteral("secrets") },
          "--category must be chat, moderation or system" },
        { { QStringLiteral("--from"), QStringLiteral("2026-13-01") }, "--from and --to must be days as YYYY-MM-DD" },
        { { QStringLiteral("--from"), QStringLiteral("2026-11-03"), QStringLiteral("--to"),
            QStringLiteral("2026-11-01") },
          "--from 2026-11-03 is after --to 2026-11-01" },
        { { QStringLiteral("--format"), QStringLiteral("xml") }, "--format must be json or csv" },
    };
    for (const Case &c : cases) {
        const ProcessResult r = logs(c.args);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(c.message), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }
    // A configuration whose audit folder does not exist says so.
    const QString elsewhere = m_dir.filePath(QStringLiteral("elsewhere.yaml"));
    QFile f(elsewhere);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral("logging:\n  dir: \"%1\"\n").arg(m_dir.filePath(QStringLiteral("missing"))).toUtf8());
    f.close();
    const ProcessResult r = runProcess(qEnvironmentVariable("MYTHOS_CHATD"),
                                       { QStringLiteral("--config"), elsewhere, QStringLiteral("logs") }, 30000);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("no audit trail at"), r.err.constData());
}

QTEST_GUILESS_MAIN(TestLogsCli)
#include "tst_logscli.moc"
