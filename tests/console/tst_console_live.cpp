// The console as a moderator uses it, against a real server (in-process mythos-chatd on real
// sockets) and a real nats-server: connect, watch the feed, work the queue, mute, read the
// logs, see health; refused tokens; reconnecting after the server restarts; resuming the feed
// after the connection is cut. Ends by rendering each tab to a PNG (MYTHOS_SCREENSHOT_DIR) for
// the docs.
#include "natsserver.h"
#include "tcprelay.h"
#include "testclient.h"
#include "testserver.h"

#include "app/mainwindow.h"
#include "auth/jwt.h"
#include "connection/moderatorclient.h"
#include "models/healthmodel.h"
#include "models/logmodel.h"
#include "models/monitorfilter.h"
#include "models/monitormodel.h"
#include "models/mutesmodel.h"
#include "models/queuemodel.h"
#include "views/healthview.h"
#include "views/logsview.h"
#include "views/monitorview.h"
#include "views/mutesview.h"
#include "views/queueview.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace mythos;
using namespace mythos::test;
using namespace mythos::console;

namespace {
const QString kFoyer = QStringLiteral("earth_arkhamcity_sanitarium_room_foyer_001");
const QString kLibrary = QStringLiteral("earth_arkhamcity_university_library_001");
const QString kThreat = QStringLiteral("i know where you live");

bool modelHas(const QAbstractItemModel *model, int role, const QString &text)
{
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r, 0).data(role).toString().contains(text))
            return true;
    }
    return false;
}
QUrl wsUrl(quint16 port)
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(port));
}
// The feed's chat lines (content) and its markers ("#" + text), top to bottom.
QStringList feedRows(const MonitorModel *model)
{
    QStringList rows;
    for (int r = 0; r < model->rowCount(); ++r) {
        const QModelIndex i = model->index(r, 0);
        rows.append(i.data(MonitorModel::MarkerRole).toBool()
                            ? QStringLiteral("#") + i.data(MonitorModel::ContentRole).toString()
                            : i.data(MonitorModel::ContentRole).toString());
    }
    return rows;
}
// A console on its own server and bus, reaching the server through a relay the test cuts.
struct CutRig
{
    NatsServer nats;
    std::unique_ptr<TestServer> server;
    std::unique_ptr<TcpRelay> relay;
    std::unique_ptr<MainWindow> window;
    std::unique_ptr<TestClient> speaker;
};
} // namespace

class TestConsoleLive : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void connectsWithAModeratorToken();
    void playerMessageAppearsInTheMonitor();
    void heldMessageApprovedFromTheQueueReachesTheRoom();
    void muteAddedInTheConsoleStopsThePlayer();
    void logViewShowsTodaysLines();
    void healthShowsServerNumbersAndCharts();
    void refusedTokensShowTheReason_data();
    void refusedTokensShowTheReason();
    void reconnectsWhenTheServerComesBack();
    void feedResumesAfterTheConnectionIsCut();
    void feedMarksAGapWhenTheServerCannotResendEverything();
    void screenshotOfEachTab();

private:
    std::unique_ptr<TestClient> join(const QString &id, const QString &name, const QString &room);
    std::unique_ptr<CutRig> cutRig(int maxResent);
    void cutWhileSpeakerSays(CutRig &rig, const QStringList &lines);
    QString sendHeld(TestClient &from, const QString &text);
    NatsServer m_nats;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestClient> m_alice, m_bob, m_carol, m_dave;
    std::unique_ptr<MainWindow> m_window;
};

std::unique_ptr<TestClient> TestConsoleLive::join(const QString &id, const QString &name, const QString &room)
{
    auto c = std::make_unique<TestClient>();
    if (!c->open(m_server->port()) || c->authToken(tokenFor(id, name, QStringLiteral("player"), room)).isEmpty())
        return nullptr;
    return c;
}

void TestConsoleLive::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // recent servers go to a test settings file
    QCoreApplication::setOrganizationName(QStringLiteral("MythosChatTests"));
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    Config config = testConfig(m_nats.url());
    config.server.serverId = QStringLiteral("console-test-1");
    m_server = std::make_unique<TestServer>(config);
    QVERIFY(m_server->start());
    QVERIFY(m_server->waitForNats());
    m_alice = join(QStringLiteral("alice"), QStringLiteral("Alice"), kFoyer);
    m_bob = join(QStringLiteral("bob"), QStringLiteral("Bob"), kFoyer);
    m_carol = join(QStringLiteral("carol"), QStringLiteral("Carol"), kLibrary);
    m_dave = join(QStringLiteral("dave"), QStringLiteral("Dave"), kLibrary);
    QVERIFY(m_alice && m_bob && m_carol && m_dave);
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1280, 760);
    m_window->show();
}

void TestConsoleLive::cleanupTestCase()
{
    m_window.reset();
    m_alice.reset();
    m_bob.reset();
    m_carol.reset();
    m_dave.reset();
    m_server.reset();
}

void TestConsoleLive::connectsWithAModeratorToken()
{
    m_window->connectTo(wsUrl(m_server->port()),
                        tokenFor(QStringLiteral("mod-1"), QStringLiteral("Moderator"), QStringLiteral("moderator")));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->client()->state(), ModeratorClient::State::Connected, 10000);
    QCOMPARE(m_window->client()->role(), QStringLiteral("moderator"));
    QVERIFY(m_window->connectionText().contains(QStringLiteral("Connected to")));
    QVERIFY(m_window->bannerText().isEmpty());
    QVERIFY(MainWindow::recentServers().contains(wsUrl(m_server->port()).toString()));
}

void TestConsoleLive::playerMessageAppearsInTheMonitor()
{
    // The feed is switched on right after welcome; wait until the server has it.
    QTRY_VERIFY_WITH_TIMEOUT(m_window->healthModel()->value(QStringLiteral("connections")).toInt() >= 5, 10000);
    QCOMPARE(eventField(m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("hello moderators"))),
                        "message_id")
                     .isEmpty(),
             false);
    QTRY_VERIFY_WITH_TIMEOUT(
            modelHas(m_window->monitorModel(), MonitorModel::ContentRole, QStringLiteral("hello moderators")), 5000);
    m_bob->request(
            sendFrame(QStringLiteral("say"), QStringLiteral("hi Alice, did you see the lights over the river?")));
    m_carol->request(
            sendFrame(QStringLiteral("global"), QStringLiteral("anyone selling gold? need 500 for the ritual")));
    m_dave->request(sendFrame(QStringLiteral("local"), QStringLiteral("the library closes at dusk")));
    m_carol->request(sendFrame(QStringLiteral("emote"), QStringLiteral("leafs through a crumbling tome")));
    QTRY_VERIFY_WITH_TIMEOUT(
            modelHas(m_window->monitorModel(), MonitorModel::ContentRole, QStringLiteral("crumbling tome")), 5000);

    // Filters narrow the view, not the model.
    MonitorFilter *filter = m_window->monitorView()->filter();
    filter->setScopeId(QStringLiteral("earth_arkhamcity_university"));
    QVERIFY(!modelHas(filter, MonitorModel::ContentRole, QStringLiteral("hello moderators")));
    QVERIFY(modelHas(filter, MonitorModel::ContentRole, QStringLiteral("library closes")));
    filter->setScopeId({});
    filter->setPlayer(QStringLiteral("alice"));
    QCOMPARE(filter->rowCount(), 1);
    filter->setPlayer({});

    // Paused: the line waits and arrives on resume.
    m_window->monitorView()->pauseButton()->click();
    m_bob->request(sendFrame(QStringLiteral("say"), QStringLiteral("said while paused")));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->monitorModel()->waitingCount(), 1, 5000);
    QVERIFY(!modelHas(m_window->monitorModel(), MonitorModel::ContentRole, QStringLiteral("said while paused")));
    m_window->monitorView()->pauseButton()->click();
    QVERIFY(modelHas(m_window->monitorModel(), MonitorModel::ContentRole, QStringLiteral("said while paused")));
}

QString TestConsoleLive::sendHeld(TestClient &from, const QString &text)
{
    const QJsonObject ack = from.request(sendFrame(QStringLiteral("say"), text));
    if (!eventData(ack).value(QStringLiteral("held")).toBool())
        return {};
    return eventField(ack, "message_id");
}

void TestConsoleLive::heldMessageApprovedFromTheQueueReachesTheRoom()
{
    const QString messageId = sendHeld(*m_alice, kThreat);
    QVERIFY(!messageId.isEmpty());
    QueueModel *queue = m_window->queueModel();
    auto rowOfMessage = [queue, messageId] {
        for (int r = 0; r < queue->rowCount(); ++r) {
            if (queue->item(r).value(QStringLiteral("message_id")).toString() == messageId)
                return r;
        }
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(rowOfMessage() >= 0, 5000);
    const QJsonObject item = queue->item(rowOfMessage());
    QCOMPARE(item.value(QStringLiteral("kind")).toString(), QStringLiteral("held"));
    QVERIFY(m_window->tabs()->tabText(MainWindow::QueueTab).contains(QStringLiteral("held")));
    QVERIFY(m_bob->waitFor(QStringLiteral("chat_message"), contentIs(kThreat), 200).isEmpty());

    QueueView *view = m_window->queueView();
    QVERIFY(view->selectItem(item.value(QStringLiteral("item_id")).toString()));
    QVERIFY(QueueView::contextHtml(item).contains(kFoyer));
    view->actionFor(QStringLiteral("approve"))->trigger();
    QVERIFY(!m_bob->waitFor(QStringLiteral("chat_message"), contentIs(kThreat), 5000).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(queue->item(rowOfMessage()).value(QStringLiteral("status")).toString(),
                              QStringLiteral("approved"), 5000);
    QVERIFY(view->lastError().isEmpty());

    // Leave a held and a flagged item pending for the screenshot.
    const int pendingBefore = queue->pendingCount();
    QVERIFY(!sendHeld(*m_dave, QStringLiteral("i know where you live, Carol")).isEmpty());
    QVERIFY(eventData(m_carol->request(
                              sendFrame(QStringLiteral("say"), QStringLiteral("selling gold cheap, whisper me"))))
                    .value(QStringLiteral("filtered"))
                    .isBool());
    QTRY_COMPARE_WITH_TIMEOUT(queue->pendingCount(), pendingBefore + 2, 5000);
    QCOMPARE(queue->heldPendingCount(), 1);
    QVERIFY(m_window->tabs()
                    ->tabText(MainWindow::QueueTab)
                    .contains(QStringLiteral("(%1 · 1 held)").arg(queue->pendingCount())));
}

void TestConsoleLive::muteAddedInTheConsoleStopsThePlayer()
{
    MutesView *view = m_window->mutesView();
    view->targetEdit()->setText(QStringLiteral("alice"));
    view->durationCombo()->setCurrentIndex(1); // 1 hour
    view->reasonEdit()->setText(QStringLiteral("Threatening other players"));
    view->addButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->mutesModel()->rowOf(QStringLiteral("alice")) >= 0, 5000);
    const QJsonObject refused =
            m_alice->request(sendFrame(QStringLiteral("say"), QStringLiteral("can anyone hear me?")));
    QCOMPARE(eventField(refused, "code"), QStringLiteral("muted"));
    const int row = m_window->mutesModel()->rowOf(QStringLiteral("alice"));
    const QString left = m_window->mutesModel()->index(row, MutesModel::ExpiresColumn).data().toString();
    QVERIFY2(left.startsWith(QStringLiteral("59m")) || left.startsWith(QStringLiteral("1h")), qPrintable(left));

    // A second mute, then extend it: the new expiry is later than the old one.
    view->addMute(QStringLiteral("dave"), 10, QStringLiteral("Spam"), QStringLiteral("say"));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->mutesModel()->rowOf(QStringLiteral("dave"), QStringLiteral("say")) >= 0, 5000);
    const auto until = [this] {
        return m_window->mutesModel()
                ->index(m_window->mutesModel()->rowOf(QStringLiteral("dave"), QStringLiteral("say")), 0)
                .data(MutesModel::UntilRole)
                .toDateTime();
    };
    const QDateTime before = until();
    QVERIFY(view->selectTarget(QStringLiteral("dave")));
    view->extendSelected(60);
    QTRY_VERIFY_WITH_TIMEOUT(until() > before.addSecs(3000), 5000);
    QCOMPARE(eventField(m_dave->request(sendFrame(QStringLiteral("say"), QStringLiteral("still here"))), "code"),
             QStringLiteral("muted"));
    // A mute of one channel leaves the others open.
    QCOMPARE(m_dave->request(sendFrame(QStringLiteral("global"), QStringLiteral("global still works")))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));

    // Remove it again: dave may speak.
    QVERIFY(view->selectTarget(QStringLiteral("dave")));
    view->removeSelected();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->mutesModel()->rowOf(QStringLiteral("dave"), QStringLiteral("say")) < 0, 5000);
    QCOMPARE(m_dave->request(sendFrame(QStringLiteral("say"), QStringLiteral("thanks, mods")))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
    view->addMute(QStringLiteral("carol"), 10080, QStringLiteral("Real-money trading"));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->mutesModel()->rowOf(QStringLiteral("carol")) >= 0, 5000);
}

void TestConsoleLive::logViewShowsTodaysLines()
{
    LogsView *view = m_window->logsView();
    view->setCategory(QStringLiteral("chat"));
    view->setDay(QDateTime::currentDateTimeUtc().date());
    view->setFollowing(true); // re-reads every 2 s: the audit writer flushes on its own thread
    QTRY_VERIFY_WITH_TIMEOUT(
            [this] {
                for (int r = 0; r < m_window->logModel()->rowCount(); ++r) {
                    if (m_window->logModel()->line(r).value(QStringLiteral("content")).toString()
                        == QLatin1String("hello moderators"))
                        return true;
                }
                return false;
            }(),
            15000);
    QVERIFY(view->statusText().contains(QStringLiteral("matching lines")));
    // Moderation log: the mute done from the console is there with its reason.
    view->setCategory(QStringLiteral("moderation"));
    QTRY_VERIFY_WITH_TIMEOUT(modelHas(view->proxy(), LogModel::EventRole, QStringLiteral("mute")), 15000);
    // The player filter: only lines about dave (his mute and its extension), none about carol.
    const auto onlyAbout = [this](const QString &player) {
        LogModel *model = m_window->logModel();
        for (int r = 0; r < model->rowCount(); ++r) {
            const QJsonObject line = model->line(r);
            if (line.value(QStringLiteral("target_id")).toString() != player
                && line.value(QStringLiteral("player_id")).toString() != player
                && line.value(QStringLiteral("actor")).toString() != player)
                return false;
        }
        return model->rowCount() >= 2;
    };
    view->setFollowing(false);
    view->setPlayer(QStringLiteral("dave"));
    QTRY_VERIFY_WITH_TIMEOUT(onlyAbout(QStringLiteral("dave")), 5000);
    view->setPlayer(QString());
    QTRY_VERIFY_WITH_TIMEOUT(modelHas(view->proxy(), LogModel::EventRole, QStringLiteral("mute"))
                                     && !onlyAbout(QStringLiteral("dave")),
                             5000);
    view->setFollowing(true);
    const QString path = QDir(QDir::tempPath()).filePath(QStringLiteral("tst_console_live_export.csv"));
    QString error;
    QVERIFY2(view->exportTo(path, LogsView::Format::Csv, &error), qPrintable(error));
    QFile csv(path);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QVERIFY(csv.readAll().contains("Threatening other players"));
    csv.remove();
}

void TestConsoleLive::healthShowsServerNumbersAndCharts()
{
    HealthModel *health = m_window->healthModel();
    QTRY_VERIFY_WITH_TIMEOUT(health->value(QStringLiteral("nats")).toString() == QLatin1String("connected"), 10000);
    QCOMPARE(health->value(QStringLiteral("server_id")).toString(), QStringLiteral("console-test-1"));
    // Pushed stats come every 5 s; ask for fresh ones instead of waiting.
    QVERIFY(!m_window->client()->request({ { QStringLiteral("type"), QStringLiteral("stats") } }).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(health->value(QStringLiteral("filter.held")).toLongLong() >= 2, 5000);
    QCOMPARE(health->value(QStringLiteral("queue_depth")).toInt(), m_window->queueModel()->pendingCount());
    QVERIFY(m_window->queueModel()->pendingCount() >= 2);
    QVERIFY(health->value(QStringLiteral("refused.muted")).toLongLong() >= 1);
    // Charts: feed buckets close every 2 s, stats arrive every 5 s while monitoring.
    QTRY_VERIFY_WITH_TIMEOUT(m_window->healthView()->seriesPointCount(QStringLiteral("say")) > 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->healthView()->seriesPointCount(QStringLiteral("refused")) > 0, 15000);
    QVERIFY(m_window->healthView()->natsText().contains(QStringLiteral("connected")));
}

void TestConsoleLive::refusedTokensShowTheReason_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("expected");
    TokenClaims claims;
    claims.playerId = QStringLiteral("mod-x");
    claims.name = QStringLiteral("ModX");
    claims.role = Role::Moderator;
    claims.expiresAt = QDateTime::currentSecsSinceEpoch() + 3600;
    QTest::newRow("wrong secret") << jwt::mint(claims, "not-the-secret") << QStringLiteral("refused the token");
    claims.expiresAt = QDateTime::currentSecsSinceEpoch() - 60;
    QTest::newRow("expired") << jwt::mint(claims, kTestSecret) << QStringLiteral("expired");
    QTest::newRow("player role") << tokenFor(QStringLiteral("eve"), QStringLiteral("Eve"))
                                 << QStringLiteral("needs a moderator or admin token");
}

void TestConsoleLive::refusedTokensShowTheReason()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, expected);
    MainWindow window;
    window.show();
    window.connectTo(wsUrl(m_server->port()), token);
    QTRY_COMPARE_WITH_TIMEOUT(window.client()->state(), ModeratorClient::State::Refused, 10000);
    QVERIFY2(window.bannerText().contains(expected, Qt::CaseInsensitive), qPrintable(window.bannerText()));
    QVERIFY(window.connectionText().contains(QStringLiteral("Refused")));
    // Refused is final: no reconnect attempts follow.
    QTest::qWait(800);
    QCOMPARE(window.client()->state(), ModeratorClient::State::Refused);
}

void TestConsoleLive::reconnectsWhenTheServerComesBack()
{
    Config config = testConfig();
    config.server.port = freeLoopbackPort();
    auto server = std::make_unique<TestServer>(config);
    QVERIFY(server->start());
    MainWindow window;
    window.client()->setMaxBackoffMs(400);
    window.connectTo(wsUrl(config.server.port),
                     tokenFor(QStringLiteral("admin-1"), QStringLiteral("Admin"), QStringLiteral("admin")));
    QTRY_COMPARE_WITH_TIMEOUT(window.client()->state(), ModeratorClient::State::Connected, 10000);
    auto player = std::make_unique<TestClient>();
    QVERIFY(player->open(server->port())
            && !player->authToken(
                              tokenFor(QStringLiteral("pat"), QStringLiteral("Pat"), QStringLiteral("player"), kFoyer))
                        .isEmpty());
    // Frames are served in order: once a later request is answered, the feed is on.
    bool answered = false;
    window.client()->request({ { QStringLiteral("type"), QStringLiteral("stats") } },
                             [&answered](const QString &, const QJsonObject &) { answered = true; });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 5000);
    player->request(sendFrame(QStringLiteral("say"), QStringLiteral("before the restart")));
    QTRY_VERIFY_WITH_TIMEOUT(
            modelHas(window.monitorModel(), MonitorModel::ContentRole, QStringLiteral("before the restart")), 5000);

    player.reset();
    server.reset(); // the server goes away
    QTRY_COMPARE_WITH_TIMEOUT(window.client()->state(), ModeratorClient::State::Reconnecting, 5000);
    QVERIFY(window.connectionText().contains(QStringLiteral("reconnecting")));
    QVERIFY(window.bannerText().isEmpty()); // not a refusal
    server = std::make_unique<TestServer>(config);
    QVERIFY(server->start());
    QTRY_COMPARE_WITH_TIMEOUT(window.client()->state(), ModeratorClient::State::Connected, 10000);
    // Nothing seen before the drop is lost, and the feed works again. The restarted server has
    // a new, empty history: it does not know the last line held (unknown_since), so the hole
    // is marked.
    QVERIFY(modelHas(window.monitorModel(), MonitorModel::ContentRole, QStringLiteral("before the restart")));
    QTRY_VERIFY_WITH_TIMEOUT(modelHas(window.monitorModel(), MonitorModel::ContentRole,
                                      QStringLiteral("does not know the last message")),
                             5000);
    QCOMPARE(feedRows(window.monitorModel()).filter(QStringLiteral("#")).size(), 1);
    player = std::make_unique<TestClient>();
    QVERIFY(player->open(server->port())
            && !player->authToken(
                              tokenFor(QStringLiteral("pat"), QStringLiteral("Pat"), QStringLiteral("player"), kFoyer))
                        .isEmpty());
    player->request(sendFrame(QStringLiteral("say"), QStringLiteral("after the restart")));
    QTRY_VERIFY_WITH_TIMEOUT(
            modelHas(window.monitorModel(), MonitorModel::ContentRole, QStringLiteral("after the restart")), 5000);
}

std::unique_ptr<CutRig> TestConsoleLive::cutRig(int maxResent)
{
    auto rig = std::make_unique<CutRig>();
    if (!rig->nats.start())
        return nullptr;
    Config config = testConfig(rig->nats.url());
    config.recovery.maxMessages = maxResent;
    rig->server = std::make_unique<TestServer>(config);
    if (!rig->server->start() || !rig->server->waitForNats())
        return nullptr;
    rig->relay = std::make_unique<TcpRelay>(rig->server->port());
    if (!rig->relay->listen())
        return nullptr;
    rig->window = std::make_unique<MainWindow>();
    rig->window->client()->setMaxBackoffMs(400);
    // The moderator is in no room: only the monitor feed's resume can bring the room's lines back.
    rig->window->connectTo(wsUrl(rig->relay->port()),
                           tokenFor(QStringLiteral("mod-cut"), QStringLiteral("Watcher"), QStringLiteral("moderator")));
    if (!QTest::qWaitFor([&rig] { return rig->window->client()->state() == ModeratorClient::State::Connected; }, 10000))
        return nullptr;
    rig->speaker = std::make_unique<TestClient>();
    if (!rig->speaker->open(rig->server->port())
        || rig->speaker
                   ->authToken(tokenFor(QStringLiteral("sam"), QStringLiteral("Sam"), QStringLiteral("player"), kFoyer))
                   .isEmpty())
        return nullptr;
    // Frames are served in order: once a later request is answered, the feed is on.
    bool answered = false;
    rig->window->client()->request({ { QStringLiteral("type"), QStringLiteral("stats") } },
                                   [&answered](const QString &, const QJsonObject &) { answered = true; });
    if (!QTest::qWaitFor([&answered] { return answered; }, 5000))
        return nullptr;
    rig->speaker->request(sendFrame(QStringLiteral("say"), QStringLiteral("before the cut")));
    if (!QTest::qWaitFor(
                [&rig] {
                    return modelHas(rig->window->monitorModel(), MonitorModel::ContentRole,
                                    QStringLiteral("before the cut"));
                },
                5000))
        return nullptr;
    return rig;
}

void TestConsoleLive::cutWhileSpeakerSays(CutRig &rig, const QStringList &lines)
{
    // The console cannot come back until the lines are sent: the relay turns it away.
    rig.relay->setRefusing(true);
    rig.relay->cutAll();
    QTRY_COMPARE_WITH_TIMEOUT(rig.window->client()->state(), ModeratorClient::State::Reconnecting, 5000);
    for (const QString &line : lines)
        QCOMPARE(rig.speaker->request(sendFrame(QStringLiteral("say"), line))
                         .value(QStringLiteral("event_type"))
                         .toString(),
                 QStringLiteral("ack"));
    QVERIFY(!modelHas(rig.window->monitorModel(), MonitorModel::ContentRole, lines.constLast()));
    rig.relay->setRefusing(false);
    QTRY_COMPARE_WITH_TIMEOUT(rig.window->client()->state(), ModeratorClient::State::Connected, 10000);
    QVERIFY(rig.relay->relayedCount() >= 2);
}

void TestConsoleLive::feedResumesAfterTheConnectionIsCut()
{
    auto rig = cutRig(200);
    QVERIFY(rig);
    const QStringList missed = numbered(QStringLiteral("missed"), 1, 10);
    cutWhileSpeakerSays(*rig, missed);
    if (QTest::currentTestFailed())
        return;
    MonitorModel *model = rig->window->monitorModel();
    QTRY_VERIFY_WITH_TIMEOUT(modelHas(model, MonitorModel::ContentRole, missed.constLast()), 5000);
    rig->speaker->request(sendFrame(QStringLiteral("say"), QStringLiteral("after the reconnect")));
    QTRY_VERIFY_WITH_TIMEOUT(modelHas(model, MonitorModel::ContentRole, QStringLiteral("after the reconnect")), 5000);
    // Every missed line once, in order, between what came before and after; "before the cut"
    // (in the resume's clock window) is not repeated, and no gap is claimed.
    const QStringList expected = QStringList { QStringLiteral("before the cut") } + missed
            + QStringList { QStringLiteral("after the reconnect") };
    QCOMPARE(feedRows(model), expected);
    for (int r = 1; r <= missed.size(); ++r)
        QCOMPARE(model->index(r, 0).data(MonitorModel::RecoveredRole).toString(), QStringLiteral("resumed"));
    QVERIFY(model->index(expected.size() - 1, 0).data(MonitorModel::RecoveredRole).toString().isEmpty());

    // A second cut with nothing said meanwhile: still nothing repeated, still no gap.
    cutWhileSpeakerSays(*rig, { QStringLiteral("second cut") });
    if (QTest::currentTestFailed())
        return;
    QTRY_VERIFY_WITH_TIMEOUT(modelHas(model, MonitorModel::ContentRole, QStringLiteral("second cut")), 5000);
    QTest::qWait(300); // a duplicate would arrive with the same resume answer; give it a moment
    QCOMPARE(feedRows(model), expected + QStringList { QStringLiteral("second cut") });
}

void TestConsoleLive::feedMarksAGapWhenTheServerCannotResendEverything()
{
    auto rig = cutRig(3); // chat.recovery.max_messages: 3
    QVERIFY(rig);
    const QStringList missed = numbered(QStringLiteral("lost"), 1, 10);
    cutWhileSpeakerSays(*rig, missed);
    if (QTest::currentTestFailed())
        return;
    MonitorModel *model = rig->window->monitorModel();
    QTRY_VERIFY_WITH_TIMEOUT(modelHas(model, MonitorModel::ContentRole, missed.constLast()), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(feedRows(model).filter(QStringLiteral("#")).size(), 1, 5000);
    // The newest three came back; the gap row sits where the hole is and says why.
    const QStringList rows = feedRows(model);
    QCOMPARE(rows.size(), 5);
    QCOMPARE(rows.at(0), QStringLiteral("before the cut"));
    QVERIFY2(rows.at(1).startsWith(QStringLiteral("#"))
                     && rows.at(1).contains(QStringLiteral("oldest of them are missing")),
             qPrintable(rows.at(1)));
    QCOMPARE(rows.mid(2), missed.mid(7));
}

void TestConsoleLive::screenshotOfEachTab()
{
    const QString dir =
            qEnvironmentVariable("MYTHOS_SCREENSHOT_DIR", QDir::current().filePath(QStringLiteral("screenshots")));
    QVERIFY(QDir().mkpath(dir));
    m_window->logsView()->setFollowing(false);
    m_window->resize(1280, 760);
    const QStringList names { QStringLiteral("monitor"), QStringLiteral("queue"), QStringLiteral("mutes"),
                              QStringLiteral("logs"), QStringLiteral("health") };
    // Select something in each list, as a moderator would have.
    m_window->queueView()->table()->selectRow(0);
    m_window->mutesView()->table()->selectRow(0);
    m_window->monitorView()->table()->selectRow(1);
    for (int i = 0; i < names.size(); ++i) {
        m_window->tabs()->setCurrentIndex(i);
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTest::qWait(100); // let layouts and charts settle; nothing to wait *for*
        const QImage image = m_window->grab().toImage();
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), m_window->size() * m_window->devicePixelRatio());
        const QString path = QDir(dir).filePath(QStringLiteral("console-%1.png").arg(names.at(i)));
        QVERIFY2(image.save(path), qPrintable(path));
        qInfo("screenshot: %s", qPrintable(path));
    }
}

QTEST_MAIN(TestConsoleLive)
#include "tst_console_live.moc"
