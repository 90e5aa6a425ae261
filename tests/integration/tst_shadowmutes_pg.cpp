// Shadow mutes with two instances sharing one PostgreSQL database (scripts/with-postgres.sh;
// skipped without one unless MYTHOS_REQUIRE_PG): the accepting instance stores the shadowed
// line once, marked; its sender reads it on either instance, nobody else does.
#include "natsserver.h"
#include "shadowsupport.h"
#include "testdatabase.h"

#include "chat/directory.h"
#include "moderation/muteservice.h"

#include <QTest>

using namespace mythos;
using namespace mythos::test;
using namespace mythos::test::shadow;

class TestShadowMutesPg : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sharedPostgresKeepsThemForTheSenderOnly();
};

void TestShadowMutesPg::sharedPostgresKeepsThemForTheSenderOnly()
{
    TestDatabase database(QStringLiteral("postgresql"));
    if (!database.isAvailable()) {
        if (postgresRequired())
            QFAIL(qPrintable(database.skipReason()));
        QSKIP(qPrintable(database.skipReason()));
    }
    NatsServer nats;
    QVERIFY2(nats.start(), qPrintable(nats.errorString()));
    std::unique_ptr<TestServer> pa, pb;
    for (auto [server, id] : { std::pair { &pa, "shadow-pg-a" }, std::pair { &pb, "shadow-pg-b" } }) {
        Config c = testConfig(nats.url());
        c.server.serverId = QString::fromLatin1(id);
        c.database.url = database.url();
        *server = std::make_unique<TestServer>(c);
        QVERIFY((*server)->start() && (*server)->waitForNats());
    }
    auto frank = join(*pa, QStringLiteral("frank"));
    auto modPg = join(*pa, QStringLiteral("modpg"), QStringLiteral("moderator"));
    auto eve = join(*pb, QStringLiteral("eve"));
    QVERIFY(frank && modPg && eve);
    QCOMPARE(modPg->request({ { kType, QStringLiteral("monitor") } }).value(QStringLiteral("event_type")),
             QStringLiteral("monitor"));
    QVERIFY(QTest::qWaitFor([&] { return pa->app().directory()->resolve(QStringLiteral("eve")).has_value(); }, 5000));
    QCOMPARE(modPg->request(muteFrame(QStringLiteral("mute"), QStringLiteral("eve")))
                     .value(QStringLiteral("event_type")),
             QStringLiteral("mutes"));
    QVERIFY(QTest::qWaitFor(
            [&] {
                return !!pb->app().mutes()->registry().shadowMute(QStringLiteral("eve"), QStringLiteral("say"),
                                                                  QDateTime::currentDateTimeUtc());
            },
            1000));
    QVERIFY(!ackOf(*eve, QStringLiteral("say"), QStringLiteral("eve in the shared dark")).isEmpty());
    QVERIFY(!modPg->waitFor(QStringLiteral("monitor_message"), shadowedLine(QStringLiteral("eve in the shared dark")))
                     .isEmpty());
    QVERIFY(frank->staysQuiet(QStringLiteral("chat_message"), 300));
    // One shared history: the sender reads the line once on either instance, nobody else at all.
    auto eveOnA = join(*pa, QStringLiteral("eve"));
    QVERIFY(eveOnA);
    for (TestClient *sender : { eve.get(), eveOnA.get() })
        QCOMPARE(historyOf(*sender, QStringLiteral("say")).count(QStringLiteral("eve in the shared dark")), 1);
    for (TestClient *other : { frank.get(), modPg.get() })
        QVERIFY(!historyOf(*other, QStringLiteral("say")).contains(QStringLiteral("eve in the shared dark")));
}

QTEST_GUILESS_MAIN(TestShadowMutesPg)
#include "tst_shadowmutes_pg.moc"
