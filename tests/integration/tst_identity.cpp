// Identity and trust (issue 17): a guest cannot take a known player's name or an online guest's
// id, staff-looking names are reserved, look-alikes fold to one name, a malformed token is a
// malformed request, the bus cannot promote players, protect them from staff or post staff
// lines on public subjects, and moderators read whispers in the logs only where allowed.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include "bus/natsbus.h"
#include "chat/directory.h"
#include "moderation/muteservice.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace mythos;
using namespace mythos::test;

namespace {
const QString kFoyer = QStringLiteral("earth_arkham_sanitarium_foyer");

QJsonObject authFrame(const QString &key, const QJsonValue &value)
{
    return { { QStringLiteral("type"), QStringLiteral("auth") }, { key, value } };
}

QJsonObject sendOn(TestClient &c, const QString &channel, const QString &text, const QString &target = {})
{
    QJsonObject frame { { QStringLiteral("type"), QStringLiteral("send") },
                        { QStringLiteral("channel"), channel },
                        { QStringLiteral("content"), text } };
    if (!target.isEmpty())
        frame.insert(QStringLiteral("target"), target);
    return c.request(frame);
}
} // namespace

class TestIdentity : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void guestCannotTakeAnOfflinePlayersName();
    void guestCannotTakeANameAcrossARestart();
    void secondGuestWithTheSameIdIsRefused();
    void reservedAndStaffLookingNames_data();
    void reservedAndStaffLookingNames();
    void nonStringTokenIsInvalidRequest_data();
    void nonStringTokenIsInvalidRequest();
    void staffLineOnAPublicSubjectIsDropped();
    void rosterCannotRaiseARole();
    void relayedServerMuteOfStaffIsRefused();
    void moderatorsLogsHideWhispers();
    void laterGuestOfTheSameNameInheritsNothing();

private:
    std::unique_ptr<TestClient> join(TestServer &server, const QString &id, const QString &name,
                                     const QString &role = QStringLiteral("player"));
    QString authError(TestServer &server, const QJsonObject &frame, QString *code = nullptr);
    NatsServer m_nats;
    std::unique_ptr<TestServer> m_a, m_b;
    std::unique_ptr<NatsBus> m_peer; // an impostor with bus access
};

std::unique_ptr<TestClient> TestIdentity::join(TestServer &server, const QString &id, const QString &name,
                                               const QString &role)
{
    auto c = std::make_unique<TestClient>();
    if (!c->open(server.port()) || c->authToken(tokenFor(id, name, role, kFoyer)).isEmpty())
        return nullptr;
    return c;
}

QString TestIdentity::authError(TestServer &server, const QJsonObject &frame, QString *code)
{
    TestClient c;
    if (!c.open(server.port()))
        return QStringLiteral("cannot connect");
    const QJsonObject reply = c.request(frame);
    if (code)
        *code = eventField(reply, "code");
    return reply.value(QStringLiteral("event_type")).toString() == QLatin1String("welcome")
            ? QString()
            : eventField(reply, "message");
}

void TestIdentity::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    Config a = testConfig(m_nats.url());
    a.server.serverId = QStringLiteral("instance-a");
    Config b = testConfig(m_nats.url());
    b.server.serverId = QStringLiteral("instance-b");
    m_a = std::make_unique<TestServer>(a);
    m_b = std::make_unique<TestServer>(b);
    QVERIFY(m_a->start() && m_b->start());
    QVERIFY(m_a->waitForNats() && m_b->waitForNats());
    NatsBusOptions options;
    options.url = m_nats.url();
    m_peer = std::make_unique<NatsBus>(options);
    m_peer->start();
    QVERIFY(QTest::qWaitFor([&] { return m_peer->isConnected(); }, 5000));
}

void TestIdentity::guestCannotTakeAnOfflinePlayersName()
{
    {
        auto alice = join(*m_a, QStringLiteral("alice"), QStringLiteral("Alice"));
        QVERIFY(alice);
    } // Alice leaves.
    QVERIFY(QTest::qWaitFor([&] { return !m_a->app().directory()->resolve(QStringLiteral("alice")); }, 5000));
    QString code;
    QVERIFY(authError(*m_a, authFrame(QStringLiteral("guest_name"), QStringLiteral("Alice")), &code)
                    .contains(QStringLiteral("registered")));
    QCOMPARE(code, QStringLiteral("unauthenticated"));
    QVERIFY(!authError(*m_a, authFrame(QStringLiteral("guest_name"), QStringLiteral("ALICE"))).isEmpty());
    // On the other instance too: it learnt the name from the roster.
    QVERIFY(!authError(*m_b, authFrame(QStringLiteral("guest_name"), QStringLiteral("alice"))).isEmpty());

    // A look-alike spelling is the same name: U+212A KELVIN SIGN folds to "k".
    {
        auto kate = join(*m_a, QStringLiteral("kate"), QStringLiteral("Kate"));
        QVERIFY(kate);
    }
    QVERIFY(!authError(*m_a, authFrame(QStringLiteral("guest_name"), QString(QChar(0x212A)) + QStringLiteral("ate")))
                     .isEmpty());
    // Names nobody holds are still free.
    QVERIFY(authError(*m_a, authFrame(QStringLiteral("guest_name"), QStringLiteral("Wanderer"))).isEmpty());
}

void TestIdentity::guestCannotTakeANameAcrossARestart()
{
    // The players table is the memory: a fresh instance on the same database refuses too.
    Config c = testConfig();
    QTemporaryDir dir;
    c.database.url = QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("chat.db"));
    {
        TestServer first(c);
        QVERIFY(first.start());
        auto eve = join(first, QStringLiteral("eve"), QStringLiteral("Eve"));
        QVERIFY(eve);
        QTest::qWait(300); // the player row is written off the event loop
    }
    TestServer second(c);
    QVERIFY(second.start());
    QVERIFY(!authError(second, authFrame(QStringLiteral("guest_name"), QStringLiteral("Eve"))).isEmpty());
}

void TestIdentity::secondGuestWithTheSameIdIsRefused()
{
    TestClient zed;
    QVERIFY(zed.open(m_a->port()));
    QCOMPARE(zed.authGuest(QStringLiteral("Zed")).value(QStringLiteral("player_id")).toString(),
             QStringLiteral("guest-zed"));
    // Same id (guest-zed) on this instance and on the other one: refused, not a takeover.
    QVERIFY(authError(*m_a, authFrame(QStringLiteral("guest_name"), QStringLiteral("ZED")))
                    .contains(QStringLiteral("in use")));
    QVERIFY(QTest::qWaitFor([&] { return m_b->app().directory()->resolve(QStringLiteral("guest-zed")).has_value(); },
                            5000));
    QVERIFY(authError(*m_b, authFrame(QStringLiteral("guest_name"), QStringLiteral("zed")))
                    .contains(QStringLiteral("in use")));
    QVERIFY(zed.isConnected());
}

void TestIdentity::reservedAndStaffLookingNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("reserved");
    QTest::newRow("System") << QStringLiteral("System") << true;
    QTest::newRow("admin") << QStringLiteral("admin") << true;
    QTest::newRow("Moderator_2") << QStringLiteral("Moderator_2") << true;
    QTest::newRow("[GM] Bob") << QStringLiteral("[GM] Bob") << true;
    QTest::newRow("Mod Bob") << QStringLiteral("Mod Bob") << true;
    QTest::newRow("full-width ADMIN") << QStringLiteral("\uFF21\uFF24\uFF2D\uFF29\uFF2E") << true;
    QTest::newRow("Modesty") << QStringLiteral("Modesty") << false;
    QTest::newRow("Gmork") << QStringLiteral("Gmork") << false;
    QTest::newRow("Allan") << QStringLiteral("Allan") << false;
}

void TestIdentity::reservedAndStaffLookingNames()
{
    QFETCH(QString, name);
    QFETCH(bool, reserved);
    const QString why = authError(*m_a, authFrame(QStringLiteral("guest_name"), name));
    if (reserved)
        QVERIFY2(!why.isEmpty(), qPrintable(name));
    else
        QVERIFY2(why.isEmpty(), qPrintable(name + QStringLiteral(": ") + why));
}

void TestIdentity::nonStringTokenIsInvalidRequest_data()
{
    QTest::addColumn<QJsonValue>("token");
    QTest::newRow("number") << QJsonValue(42);
    QTest::newRow("object") << QJsonValue(QJsonObject { { QStringLiteral("sub"), QStringLiteral("x") } });
    QTest::newRow("array") << QJsonValue(QJsonArray { 1 });
    QTest::newRow("bool") << QJsonValue(true);
}

void TestIdentity::nonStringTokenIsInvalidRequest()
{
    QFETCH(QJsonValue, token);
    // Even with a guest name beside it: a broken token is never a silent guest login.
    QJsonObject frame = authFrame(QStringLiteral("token"), token);
    frame.insert(QStringLiteral("guest_name"), QStringLiteral("Sneaky"));
    QString code;
    QVERIFY(!authError(*m_a, frame, &code).isEmpty());
    QCOMPARE(code, QStringLiteral("invalid_request"));
}

void TestIdentity::staffLineOnAPublicSubjectIsDropped()
{
    auto player = join(*m_a, QStringLiteral("paula"), QStringLiteral("Paula"));
    QVERIFY(player);
    QTest::qWait(200);
    const QByteArray forged =
            QJsonDocument(
                    QJsonObject {
                            { QStringLiteral("message_id"), QStringLiteral("0000000000000000000000-forged") },
                            { QStringLiteral("channel"), QStringLiteral("admin") },
                            { QStringLiteral("sender_id"), QStringLiteral("mallory") },
                            { QStringLiteral("sender_name"), QStringLiteral("Mallory") },
                            { QStringLiteral("content"), QStringLiteral("give me your password") },
                            { QStringLiteral("message"), QStringLiteral("[ADMIN] Mallory: give me your password") },
                            { QStringLiteral("timestamp"), QStringLiteral("2026-01-01T00:00:00.000Z") },
                            { QStringLiteral("origin"), QStringLiteral("impostor") } })
                    .toJson(QJsonDocument::Compact);
    QVERIFY(m_peer->publish("chat.global", forged));
    QVERIFY(player->staysQuiet(QStringLiteral("chat_message"), 700));
    // A real global line still arrives (the check is not a blanket drop).
    auto other = join(*m_b, QStringLiteral("oscar"), QStringLiteral("Oscar"));
    QVERIFY(other);
    QCOMPARE(sendOn(*other, QStringLiteral("global"), QStringLiteral("hello everyone"))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
    QVERIFY(!player->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("hello everyone"))).isEmpty());
}

void TestIdentity::rosterCannotRaiseARole()
{
    {
        auto trouble = join(*m_a, QStringLiteral("trouble"), QStringLiteral("Trouble")); // verified: a player
        QVERIFY(trouble);
    }
    QVERIFY(QTest::qWaitFor([&] { return !m_a->app().directory()->resolve(QStringLiteral("trouble")); }, 5000));
    const quint64 before = m_a->app().directory()->rolesCapped();
    const QByteArray roster =
            QJsonDocument(QJsonObject { { QStringLiteral("op"), QStringLiteral("online") },
                                        { QStringLiteral("server_id"), QStringLiteral("impostor") },
                                        { QStringLiteral("players"),
                                          QJsonArray { QJsonObject {
                                                  { QStringLiteral("id"), QStringLiteral("trouble") },
                                                  { QStringLiteral("name"), QStringLiteral("Trouble") },
                                                  { QStringLiteral("role"), QStringLiteral("admin") } } } } })
                    .toJson(QJsonDocument::Compact);
    QVERIFY(m_peer->publish("chat.control.presence", roster));
    QVERIFY(QTest::qWaitFor([&] { return m_a->app().directory()->resolve(QStringLiteral("trouble")).has_value(); },
                            5000));
    QCOMPARE(m_a->app().directory()->resolve(QStringLiteral("trouble"))->role, Role::Player);
    QCOMPARE(m_a->app().directory()->rolesCapped(), before + 1);
    // So the staff protection does not shield them: a moderator can server-mute "Trouble".
    auto mod = join(*m_a, QStringLiteral("mona"), QStringLiteral("Mona"), QStringLiteral("moderator"));
    QVERIFY(mod);
    const QJsonObject muted = mod->request({ { QStringLiteral("type"), QStringLiteral("mute") },
                                             { QStringLiteral("target_type"), QStringLiteral("player") },
                                             { QStringLiteral("target"), QStringLiteral("trouble") },
                                             { QStringLiteral("scope"), QStringLiteral("server") },
                                             { QStringLiteral("minutes"), 5 } });
    QCOMPARE(muted.value(QStringLiteral("event_type")).toString(), QStringLiteral("mutes"));
}

void TestIdentity::relayedServerMuteOfStaffIsRefused()
{
    auto mod = join(*m_b, QStringLiteral("mike"), QStringLiteral("Mike"), QStringLiteral("moderator"));
    QVERIFY(mod);
    const quint64 before = m_b->app().mutes()->refusedStaffMutes();
    const QString id = QStringLiteral("s:mike:player:mike:");
    const QByteArray mute =
            QJsonDocument(QJsonObject { { QStringLiteral("op"), QStringLiteral("upsert") },
                                        { QStringLiteral("origin"), QStringLiteral("impostor") },
                                        { QStringLiteral("mute"),
                                          QJsonObject { { QStringLiteral("id"), id },
                                                        { QStringLiteral("scope"), QStringLiteral("server") },
                                                        { QStringLiteral("owner_id"), QStringLiteral("mike") },
                                                        { QStringLiteral("target_type"), QStringLiteral("player") },
                                                        { QStringLiteral("target"), QStringLiteral("mike") },
                                                        { QStringLiteral("target_name"), QStringLiteral("Mike") },
                                                        { QStringLiteral("muted_by"), QStringLiteral("mallory") },
                                                        { QStringLiteral("reason"), QStringLiteral("gotcha") } } } })
                    .toJson(QJsonDocument::Compact);
    QVERIFY(m_peer->publish("chat.control.mutes", mute));
    QVERIFY(QTest::qWaitFor([&] { return m_b->app().mutes()->refusedStaffMutes() == before + 1; }, 5000));
    // Mike can still talk.
    QCOMPARE(sendOn(*mod, QStringLiteral("say"), QStringLiteral("still here"))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
}

void TestIdentity::moderatorsLogsHideWhispers()
{
    auto wendy = join(*m_a, QStringLiteral("wendy"), QStringLiteral("Wendy"));
    auto walt = join(*m_a, QStringLiteral("walt"), QStringLiteral("Walt"));
    QVERIFY(wendy && walt);
    QCOMPARE(sendOn(*wendy, QStringLiteral("whisper"), QStringLiteral("secret-7731 meet me"), QStringLiteral("walt"))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
    QCOMPARE(sendOn(*wendy, QStringLiteral("say"), QStringLiteral("public-7731 hello"))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
    auto logLines = [](TestClient &c) {
        const QJsonObject r = c.request({ { QStringLiteral("type"), QStringLiteral("logs") },
                                          { QStringLiteral("category"), QStringLiteral("chat") },
                                          { QStringLiteral("contains"), QStringLiteral("7731") } });
        return eventData(r).value(QStringLiteral("lines")).toArray();
    };
    auto mod = join(*m_a, QStringLiteral("moe"), QStringLiteral("Moe"), QStringLiteral("moderator"));
    auto admin = join(*m_a, QStringLiteral("ada"), QStringLiteral("Ada"), QStringLiteral("admin"));
    QVERIFY(mod && admin);
    QVERIFY(QTest::qWaitFor([&] { return logLines(*admin).size() == 2; }, 5000)); // admins read both
    const QJsonArray seen = logLines(*mod);
    QCOMPARE(seen.size(), 1);
    QCOMPARE(seen.first().toObject().value(QStringLiteral("channel")).toString(), QStringLiteral("say"));
}

void TestIdentity::laterGuestOfTheSameNameInheritsNothing()
{
    auto whispers = [](TestClient &c) {
        QStringList contents;
        for (const QJsonValue &m : eventData(c.request({ { QStringLiteral("type"), QStringLiteral("history") },
                                                         { QStringLiteral("channel"), QStringLiteral("whisper") } }))
                                           .value(QStringLiteral("messages"))
                                           .toArray())
            contents.append(m.toObject().value(QStringLiteral("content")).toString());
        return contents;
    };
    auto personalMutes = [](TestClient &c) {
        return eventData(c.request({ { QStringLiteral("type"), QStringLiteral("mutes") } }))
                .value(QStringLiteral("mutes"))
                .toArray()
                .size();
    };
    auto guest = [&](const QJsonValue &key) {
        auto c = std::make_unique<TestClient>();
        QJsonObject frame = authFrame(QStringLiteral("guest_name"), QStringLiteral("Quill"));
        if (!key.isUndefined())
            frame.insert(QStringLiteral("guest_key"), key);
        if (!c->open(m_a->port())
            || c->request(frame).value(QStringLiteral("event_type")).toString() != QLatin1String("welcome"))
            return std::unique_ptr<TestClient>();
        return c;
    };
    auto gone = [&] {
        return QTest::qWaitFor([&] { return !m_a->app().directory()->resolve(QStringLiteral("guest-quill")); }, 5000);
    };

    // The first Quill gets a whisper, mutes a channel, and leaves.
    auto first = guest(QJsonValue::Undefined);
    QVERIFY(first);
    const QString firstKey = eventField(first->eventsOfType(QStringLiteral("welcome")).constFirst(), "guest_key");
    QVERIFY(!firstKey.isEmpty());
    auto pen = join(*m_a, QStringLiteral("pen"), QStringLiteral("Pen"));
    QVERIFY(pen);
    const QString since =
            eventField(sendOn(*pen, QStringLiteral("global"), QStringLiteral("before the whisper")), "message_id");
    QVERIFY(!since.isEmpty());
    QCOMPARE(sendOn(*pen, QStringLiteral("whisper"), QStringLiteral("for the first quill"), QStringLiteral("Quill"))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
    QCOMPARE(first->request({ { QStringLiteral("type"), QStringLiteral("mute") },
                              { QStringLiteral("target_type"), QStringLiteral("channel") },
                              { QStringLiteral("target"), QStringLiteral("global") } })
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("mutes"));
    QCOMPARE(whispers(*first), QStringList { QStringLiteral("for the first quill") });
    first.reset();
    QVERIFY(gone());

    // Someone else picks the name: a new guest, with nothing of the first one's.
    auto second = guest(QJsonValue::Undefined);
    QVERIFY(second);
    QVERIFY(eventField(second->eventsOfType(QStringLiteral("welcome")).constFirst(), "guest_key") != firstKey);
    QCOMPARE(whispers(*second), QStringList());
    QCOMPARE(personalMutes(*second), 0);
    const QJsonObject resumed = eventData(second->request(
            { { QStringLiteral("type"), QStringLiteral("resume") }, { QStringLiteral("since"), since } }));
    for (const QJsonValue &m : resumed.value(QStringLiteral("messages")).toArray())
        QVERIFY(m.toObject().value(QStringLiteral("content")).toString() != QStringLiteral("for the first quill"));
    second.reset();
    QVERIFY(gone());

    // A forged key is no key; a key that is not a string is a bad request.
    auto forger = guest(QStringLiteral("1.AAAA"));
    QVERIFY(forger);
    QCOMPARE(whispers(*forger), QStringList());
    forger.reset();
    QVERIFY(gone());
    QString code;
    QVERIFY(!authError(*m_a,
                       QJsonObject { { QStringLiteral("type"), QStringLiteral("auth") },
                                     { QStringLiteral("guest_name"), QStringLiteral("Quill") },
                                     { QStringLiteral("guest_key"), 7 } },
                       &code)
                     .isEmpty());
    QCOMPARE(code, QStringLiteral("invalid_request"));

    // The first Quill, back with its key, continues its session: the whisper is still theirs.
    auto back = guest(firstKey);
    QVERIFY(back);
    QCOMPARE(whispers(*back), QStringList { QStringLiteral("for the first quill") });
    const QJsonObject again = eventData(back->request(
            { { QStringLiteral("type"), QStringLiteral("resume") }, { QStringLiteral("since"), since } }));
    QStringList resumedContents;
    for (const QJsonValue &m : again.value(QStringLiteral("messages")).toArray())
        resumedContents.append(m.toObject().value(QStringLiteral("content")).toString());
    QVERIFY2(resumedContents.contains(QStringLiteral("for the first quill")),
             qPrintable(resumedContents.join(QLatin1Char('|'))));
}

QTEST_GUILESS_MAIN(TestIdentity)
#include "tst_identity.moc"
