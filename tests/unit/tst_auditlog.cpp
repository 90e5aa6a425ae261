// AuditLog: file layout per category and UTC day, line schema, ordering under load, midnight
// rotation, retention, and that failures to create or write files are reported and counted.

#include "audit/auditlog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QMutex>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <utility>

using namespace mythos;

namespace {
// Collects mythos.server.audit warnings from any thread (the writer's included) while alive:
// how many the writer emits depends on how it batched, which QTest::ignoreMessage cannot take.
class AuditWarnings
{
public:
    AuditWarnings() { s_previous = qInstallMessageHandler(&AuditWarnings::handle); }
    ~AuditWarnings() { qInstallMessageHandler(s_previous); }
    QStringList take()
    {
        QMutexLocker lock(&s_mutex);
        return std::exchange(s_messages, {});
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (type == QtWarningMsg && qstrcmp(context.category, "mythos.server.audit") == 0) {
            QMutexLocker lock(&s_mutex);
            s_messages.append(message);
            return;
        }
        s_previous(type, context, message);
    }
    static inline QtMessageHandler s_previous = nullptr;
    static inline QMutex s_mutex;
    static inline QStringList s_messages;
};
} // namespace

class TestAuditLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void categoryNames();
    void filesPerCategoryAndDay();
    void linesAreJsonWithCommonFields();
    void fixedFieldsWinOverCollidingFields();
    void orderPreservedUnderLoad();
    void rotatesAtUtcMidnight();
    void dayIsTheUtcDay();
    void pruneDeletesOnlyExpiredDays();
    void openPrunesExpiredDays();
    void openFailsUnderRegularFile();
    void writeErrorsAreCountedAndLoggingGoesOn();
    void destructorFlushes();

private:
    std::unique_ptr<AuditLog> makeLog(int retentionDays = 90)
    {
        auto log = std::make_unique<AuditLog>(m_tmp->path(), QStringLiteral("chatd-test"), retentionDays,
                                              [this] { return m_now; });
        QString error;
        if (!log->open(&error)) {
            qWarning("open failed: %s", qPrintable(error));
            return nullptr; // the caller's QVERIFY(log) fails
        }
        return log;
    }
    QString file(const QString &category, const QString &day) const
    {
        return m_tmp->filePath(category + QLatin1Char('/') + category + QLatin1Char('_') + day
                               + QLatin1String(".jsonl"));
    }
    static QList<QByteArray> lines(const QString &path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        QList<QByteArray> result = f.readAll().split('\n');
        if (!result.isEmpty() && result.last().isEmpty())
            result.removeLast(); // the final newline
        return result;
    }
    static QJsonObject parse(const QByteArray &line)
    {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return {};
        return doc.object();
    }
    static QDateTime utc(const char *iso)
    {
        return QDateTime::fromString(QLatin1String(iso), Qt::ISODateWithMs).toUTC();
    }

    std::unique_ptr<QTemporaryDir> m_tmp;
    QDateTime m_now;
};

void TestAuditLog::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_now = utc("2026-11-26T19:00:00.123Z");
}

void TestAuditLog::categoryNames()
{
    QCOMPARE(auditCategoryName(AuditCategory::Chat), QStringLiteral("chat"));
    QCOMPARE(auditCategoryName(AuditCategory::Moderation), QStringLiteral("moderation"));
    QCOMPARE(auditCategoryName(AuditCategory::System), QStringLiteral("system"));
}

void TestAuditLog::filesPerCategoryAndDay()
{
    auto log = makeLog();
    QVERIFY(log);
    for (const char *name : { "chat", "moderation", "system" })
        QVERIFY2(QFileInfo(m_tmp->filePath(QLatin1String(name))).isDir(), name);
    log->write(AuditCategory::Chat, QStringLiteral("message"), {});
    log->write(AuditCategory::Moderation, QStringLiteral("mute"), {});
    log->write(AuditCategory::System, QStringLiteral("start"), {});
    log->flush();

    for (const QString &category : { QStringLiteral("chat"), QStringLiteral("moderation"), QStringLiteral("system") }) {
        QCOMPARE(QDir(m_tmp->filePath(category)).entryList(QDir::Files),
                 QStringList { category + QLatin1String("_2026-11-26.jsonl") });
        const QList<QByteArray> written = lines(file(category, QStringLiteral("2026-11-26")));
        QCOMPARE(written.size(), 1);
        QCOMPARE(parse(written.first()).value(QLatin1String("category")).toString(), category);
    }
    QCOMPARE(log->linesWritten(), quint64(3));
    QCOMPARE(log->errorCount(), quint64(0));
}

void TestAuditLog::linesAreJsonWithCommonFields()
{
    auto log = makeLog();
    QVERIFY(log);
    const QString content = QStringLiteral("two\nlines, \"quotes\" and \u00e9\u263a");
    const QJsonObject fields { { QLatin1String("message_id"), QLatin1String("m-1") },
                               { QLatin1String("channel"), QLatin1String("say") },
                               { QLatin1String("content"), content },
                               { QLatin1String("filtered"), true },
                               { QLatin1String("party_id"), QJsonValue::Null } };
    log->write(AuditCategory::Chat, QStringLiteral("message"), fields);
    log->write(AuditCategory::Chat, QStringLiteral("message"), {});
    log->flush();

    const QList<QByteArray> written = lines(file(QStringLiteral("chat"), QStringLiteral("2026-11-26")));
    QCOMPARE(written.size(), 2); // the newline in content is escaped, not a line break
    for (const QByteArray &line : written) {
        QVERIFY2(line.startsWith("{\"ts\":\"2026-11-26T19:00:00.123Z\","), line.constData());
        const QJsonObject object = parse(line);
        QVERIFY2(!object.isEmpty(), line.constData());
        QCOMPARE(object.value(QLatin1String("ts")).toString(), QStringLiteral("2026-11-26T19:00:00.123Z"));
        QCOMPARE(object.value(QLatin1String("category")).toString(), QStringLiteral("chat"));
        QCOMPARE(object.value(QLatin1String("event")).toString(), QStringLiteral("message"));
        QCOMPARE(object.value(QLatin1String("server_id")).toString(), QStringLiteral("chatd-test"));
    }
    QJsonObject expected = fields;
    expected.insert(QLatin1String("ts"), QLatin1String("2026-11-26T19:00:00.123Z"));
    expected.insert(QLatin1String("category"), QLatin1String("chat"));
    expected.insert(QLatin1String("event"), QLatin1String("message"));
    expected.insert(QLatin1String("server_id"), QLatin1String("chatd-test"));
    QCOMPARE(parse(written.at(0)), expected);
    QCOMPARE(parse(written.at(1)).size(), 4);
}

void TestAuditLog::fixedFieldsWinOverCollidingFields()
{
    auto log = makeLog();
    QVERIFY(log);
    log->write(AuditCategory::System, QStringLiteral("stop"),
               { { QLatin1String("event"), QLatin1String("hijacked") },
                 { QLatin1String("ts"), QLatin1String("1970-01-01T00:00:00.000Z") },
                 { QLatin1String("category"), QLatin1String("chat") },
                 { QLatin1String("server_id"), QLatin1String("someone-else") },
                 { QLatin1String("reason"), QLatin1String("signal") } });
    log->flush();

    const QList<QByteArray> written = lines(file(QStringLiteral("system"), QStringLiteral("2026-11-26")));
    QCOMPARE(written.size(), 1);
    const QByteArray &line = written.first();
    // No duplicate keys for a parser to choose from.
    for (const char *key : { "\"event\":", "\"ts\":", "\"category\":", "\"server_id\":" })
        QVERIFY2(line.count(key) == 1, line.constData());
    const QJsonObject object = parse(line);
    QCOMPARE(object.value(QLatin1String("event")).toString(), QStringLiteral("stop"));
    QCOMPARE(object.value(QLatin1String("ts")).toString(), QStringLiteral("2026-11-26T19:00:00.123Z"));
    QCOMPARE(object.value(QLatin1String("category")).toString(), QStringLiteral("system"));
    QCOMPARE(object.value(QLatin1String("server_id")).toString(), QStringLiteral("chatd-test"));
    QCOMPARE(object.value(QLatin1String("reason")).toString(), QStringLiteral("signal"));
}

void TestAuditLog::orderPreservedUnderLoad()
{
    auto log = makeLog();
    QVERIFY(log);
    constexpr int count = 10000;
    for (int i = 0; i < count; ++i)
        log->write(AuditCategory::Chat, QStringLiteral("message"), { { QLatin1String("seq"), i } });
    log->flush(); // no waiting: everything queued before flush() must be readable now
    QCOMPARE(log->linesWritten(), quint64(count));
    QCOMPARE(log->errorCount(), quint64(0));

    const QList<QByteArray> written = lines(file(QStringLiteral("chat"), QStringLiteral("2026-11-26")));
    QCOMPARE(written.size(), count);
    for (int i = 0; i < count; ++i) {
        const int seq = parse(written.at(i)).value(QLatin1String("seq")).toInt(-1);
        if (seq != i)
            QFAIL(qPrintable(QStringLiteral("line %1 has seq %2").arg(i).arg(seq)));
    }
}

void TestAuditLog::rotatesAtUtcMidnight()
{
    auto log = makeLog();
    QVERIFY(log);
    m_now = utc("2026-11-26T23:59:59.900Z");
    log->write(AuditCategory::Chat, QStringLiteral("message"), { { QLatin1String("n"), 1 } });
    m_now = utc("2026-11-27T00:00:00.100Z");
    log->write(AuditCategory::Chat, QStringLiteral("message"), { { QLatin1String("n"), 2 } });
    log->flush();

    QCOMPARE(QDir(m_tmp->filePath(QStringLiteral("chat"))).entryList(QDir::Files).size(), 2);
    const QList<QByteArray> before = lines(file(QStringLiteral("chat"), QStringLiteral("2026-11-26")));
    const QList<QByteArray> after = lines(file(QStringLiteral("chat"), QStringLiteral("2026-11-27")));
    QCOMPARE(before.size(), 1);
    QCOMPARE(after.size(), 1);
    QCOMPARE(parse(before.first()).value(QLatin1String("ts")).toString(), QStringLiteral("2026-11-26T23:59:59.900Z"));
    QCOMPARE(parse(after.first()).value(QLatin1String("ts")).toString(), QStringLiteral("2026-11-27T00:00:00.100Z"));
    QCOMPARE(log->linesWritten(), quint64(2));
}

void TestAuditLog::dayIsTheUtcDay()
{
    auto log = makeLog();
    QVERIFY(log);
    // 01:30 on the 27th at UTC+02:00 is still the 26th in UTC.
    m_now = QDateTime(QDate(2026, 11, 27), QTime(1, 30), Qt::OffsetFromUTC, 2 * 3600);
    log->write(AuditCategory::System, QStringLiteral("stop"), {});
    log->flush();

    const QList<QByteArray> written = lines(file(QStringLiteral("system"), QStringLiteral("2026-11-26")));
    QCOMPARE(written.size(), 1);
    QCOMPARE(parse(written.first()).value(QLatin1String("ts")).toString(), QStringLiteral("2026-11-26T23:30:00.000Z"));
    QVERIFY(!QFile::exists(file(QStringLiteral("system"), QStringLiteral("2026-11-27"))));
}

void TestAuditLog::pruneDeletesOnlyExpiredDays()
{
    const QDateTime today = utc("2026-11-26T12:00:00.000Z");
    auto log = makeLog(3);
    QVERIFY(log);
    for (int age : { 10, 5, 4, 3, 1, 0 }) {
        m_now = today.addDays(-age);
        log->write(AuditCategory::Chat, QStringLiteral("message"), {});
    }
    m_now = today.addDays(-10);
    log->write(AuditCategory::System, QStringLiteral("start"), {});
    log->flush();
    // Not ours: prune must leave them alone whatever their names suggest.
    for (const char *name : { "chat/notes.txt", "chat/chat_2001-01-01-copy.jsonl", "chat/chat_garbage.jsonl" }) {
        QFile f(m_tmp->filePath(QLatin1String(name)));
        QVERIFY(f.open(QIODevice::WriteOnly));
    }

    m_now = today;
    QCOMPARE(log->pruneExpired(), 4); // 10, 5 and 4 days old (chat) and 10 days old (system)
    QStringList chat = QDir(m_tmp->filePath(QStringLiteral("chat"))).entryList(QDir::Files, QDir::Name);
    QCOMPARE(chat,
             QStringList({ QStringLiteral("chat_2001-01-01-copy.jsonl"), QStringLiteral("chat_2026-11-23.jsonl"),
                           QStringLiteral("chat_2026-11-25.jsonl"), QStringLiteral("chat_2026-11-26.jsonl"),
                           QStringLiteral("chat_garbage.jsonl"), QStringLiteral("notes.txt") }));
    QVERIFY(QDir(m_tmp->filePath(QStringLiteral("system"))).entryList(QDir::Files).isEmpty());
    QCOMPARE(log->pruneExpired(), 0);

    // Still writing to today's file afterwards.
    log->write(AuditCategory::Chat, QStringLiteral("message"), {});
    log->flush();
    QCOMPARE(lines(file(QStringLiteral("chat"), QStringLiteral("2026-11-26"))).size(), 2);
    QCOMPARE(log->errorCount(), quint64(0));
}

void TestAuditLog::openPrunesExpiredDays()
{
    const QDateTime today = utc("2026-11-26T12:00:00.000Z");
    {
        auto log = makeLog(3);
        QVERIFY(log);
        for (int age : { 5, 3 }) {
            m_now = today.addDays(-age);
            log->write(AuditCategory::Moderation, QStringLiteral("mute"), {});
        }
    }
    QCOMPARE(QDir(m_tmp->filePath(QStringLiteral("moderation"))).entryList(QDir::Files).size(), 2);
    m_now = today;
    auto log = makeLog(3);
    QVERIFY(log);
    QCOMPARE(QDir(m_tmp->filePath(QStringLiteral("moderation"))).entryList(QDir::Files),
             QStringList { QStringLiteral("moderation_2026-11-23.jsonl") });
}

void TestAuditLog::openFailsUnderRegularFile()
{
    const QString blocker = m_tmp->filePath(QStringLiteral("blocker"));
    {
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    const QString dir = blocker + QLatin1String("/audit");
    AuditLog log(dir, QStringLiteral("chatd-test"), 90, [this] { return m_now; });
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QRegularExpression::escape(dir)));
    QString error;
    QVERIFY(!log.open(&error));
    const qsizetype at = error.indexOf(dir);
    QVERIFY2(at >= 0, qPrintable(error));
    // "<dir>/chat: <reason>": the operator is told why, not only where.
    const QString reason = error.mid(at + dir.size()).section(QLatin1Char(':'), 1).trimmed();
    QVERIFY2(!reason.isEmpty(), qPrintable(error));
    QVERIFY(QFileInfo(blocker).isFile());
}

void TestAuditLog::writeErrorsAreCountedAndLoggingGoesOn()
{
    auto log = makeLog();
    QVERIFY(log);
    // A regular file where the chat folder was: works as root too, unlike chmod.
    const QString chatDir = m_tmp->filePath(QStringLiteral("chat"));
    QVERIFY(QDir(chatDir).removeRecursively());
    {
        QFile f(chatDir);
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    AuditWarnings warnings;
    for (int i = 0; i < 3; ++i)
        log->write(AuditCategory::Chat, QStringLiteral("message"), {});
    log->write(AuditCategory::System, QStringLiteral("nats_state"), {});
    log->flush();
    const QStringList warned = warnings.take();
    QVERIFY(!warned.isEmpty());
    for (const QString &warning : warned)
        QVERIFY2(warning.contains(chatDir), qPrintable(warning));
    QCOMPARE(log->errorCount(), quint64(3));
    QCOMPARE(log->linesWritten(), quint64(1));
    QCOMPARE(lines(file(QStringLiteral("system"), QStringLiteral("2026-11-26"))).size(), 1);

    // Once the obstacle is gone the same log writes chat lines again.
    QVERIFY(QFile::remove(chatDir));
    log->write(AuditCategory::Chat, QStringLiteral("message"), {});
    log->flush();
    QCOMPARE(lines(file(QStringLiteral("chat"), QStringLiteral("2026-11-26"))).size(), 1);
    QCOMPARE(log->errorCount(), quint64(3));
    QCOMPARE(log->linesWritten(), quint64(2));
    QVERIFY(warnings.take().isEmpty());
}

void TestAuditLog::destructorFlushes()
{
    // Many lines, so that some are likely still queued when the log is destroyed.
    constexpr int count = 20000;
    {
        auto log = makeLog();
        QVERIFY(log);
        for (int i = 0; i < count; ++i)
            log->write(AuditCategory::System, QStringLiteral("config_error"), { { QLatin1String("seq"), i } });
    }
    const QList<QByteArray> written = lines(file(QStringLiteral("system"), QStringLiteral("2026-11-26")));
    QCOMPARE(written.size(), count);
    QCOMPARE(parse(written.last()).value(QLatin1String("seq")).toInt(), count - 1);
}

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
