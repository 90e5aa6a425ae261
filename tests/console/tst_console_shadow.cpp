// Shadow mutes in the console: the models (a `mutes` reply replaces only its own kind's rows;
// shadowed monitor lines are marked), and the window against a real server and nats-server: a
// shadow mute from the Mutes form and one from the monitor by keyboard (Ctrl+Shift+M), the
// player acked but unheard, the moderator seeing the line marked, and removal from the list.
#include "natsserver.h"
#include "testclient.h"
#include "testserver.h"

#include "app/mainwindow.h"
#include "connection/moderatorclient.h"
#include "models/healthmodel.h"
#include "models/monitorfilter.h"
#include "models/monitormodel.h"
#include "models/mutesmodel.h"
#include "views/monitorview.h"
#include "views/mutedialog.h"
#include "views/mutesview.h"

#include <QApplication>
#include <QComboBox>
#include <QJsonArray>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace mythos;
using namespace mythos::test;
using namespace mythos::console;

namespace {
const QString kFoyer = QStringLiteral("earth_arkhamcity_sanitarium_room_foyer_001");

QJsonObject mute(const QString &target, const QString &scope)
{
    return { { QStringLiteral("target_type"), QStringLiteral("player") },
             { QStringLiteral("target"), target },
             { QStringLiteral("target_name"), target },
             { QStringLiteral("muted_until"), QJsonValue() },
             { QStringLiteral("reason"), QStringLiteral("r") },
             { QStringLiteral("muted_by"), QStringLiteral("mod") },
             { QStringLiteral("scope"), scope } };
}

// The monitor row of the line with this text (ContentRole contains it), or -1.
int monitorRow(const MonitorModel *model, const QString &text)
{
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r, 0).data(MonitorModel::ContentRole).toString().contains(text))
            return r;
    }
    return -1;
}
} // namespace

class TestConsoleShadow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mutesRepliesReplaceOnlyTheirKind();
    void shadowedMonitorLinesAreMarked();
    void initLive();
    void shadowMuteFromTheMutesForm();
    void shadowMuteFromTheMonitorByKeyboard();
    void cleanupTestCase();

private:
    std::unique_ptr<TestClient> join(const QString &id);
    NatsServer m_nats;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestClient> m_troll, m_bob;
    std::unique_ptr<MainWindow> m_window;
};

void TestConsoleShadow::mutesRepliesReplaceOnlyTheirKind()
{
    MutesModel m;
    m.setMutes({ mute(QStringLiteral("troll"), QStringLiteral("server")) }, QStringLiteral("server"));
    m.setMutes({ mute(QStringLiteral("troll"), QStringLiteral("shadow")),
                 mute(QStringLiteral("bob"), QStringLiteral("shadow")) },
               QStringLiteral("shadow"));
    QCOMPARE(m.rowCount(), 3);
    const int shadowRow = m.rowOf(QStringLiteral("troll"), {}, QStringLiteral("shadow"));
    QVERIFY(shadowRow >= 0 && shadowRow != m.rowOf(QStringLiteral("troll")));
    QCOMPARE(m.index(shadowRow, MutesModel::KindColumn).data().toString(), QStringLiteral("shadow"));
    QVERIFY(m.index(shadowRow, 0).data(Qt::FontRole).value<QFont>().italic());
    QCOMPARE(m.index(m.rowOf(QStringLiteral("troll")), MutesModel::KindColumn).data().toString(),
             QStringLiteral("server"));
    // An empty server list lifts the server mute and leaves the shadow ones alone.
    m.setMutes({}, QStringLiteral("server"));
    QCOMPARE(m.rowCount(), 2);
    QCOMPARE(m.rowOf(QStringLiteral("troll")), -1);
    QVERIFY(m.rowOf(QStringLiteral("bob"), {}, QStringLiteral("shadow")) >= 0);
    m.setMutes({ mute(QStringLiteral("bob"), QStringLiteral("shadow")) }, QStringLiteral("shadow"));
    QCOMPARE(m.rowCount(), 1);
    QCOMPARE(m.index(0, 0).data(MutesModel::ScopeRole).toString(), QStringLiteral("shadow"));
}

void TestConsoleShadow::shadowedMonitorLinesAreMarked()
{
    MonitorModel m;
    auto line = [](const QString &id, const QString &text, bool shadow) {
        QJsonObject o { { QStringLiteral("message_id"), id },
                        { QStringLiteral("channel"), QStringLiteral("say") },
                        { QStringLiteral("sender_id"), QStringLiteral("troll") },
                        { QStringLiteral("sender_name"), QStringLiteral("Troll") },
                        { QStringLiteral("content"), text },
                        { QStringLiteral("message"), QStringLiteral("Troll says: ") + text },
                        { QStringLiteral("timestamp"), QStringLiteral("2026-12-07T12:00:00.000Z") } };
        if (shadow)
            o.insert(QStringLiteral("shadow"), true);
        return o;
    };
    m.append(line(QStringLiteral("0001-a"), QStringLiteral("heard by all"), false));
    m.append(line(QStringLiteral("0002-a"), QStringLiteral("heard by nobody"), true));
    QCOMPARE(m.rowCount(), 2);
    const QModelIndex normal = m.index(monitorRow(&m, QStringLiteral("heard by all")), MonitorModel::TextColumn);
    const QModelIndex shadowed = m.index(monitorRow(&m, QStringLiteral("heard by nobody")), MonitorModel::TextColumn);
    QCOMPARE(normal.data(MonitorModel::ShadowRole).toBool(), false);
    QCOMPARE(shadowed.data(MonitorModel::ShadowRole).toBool(), true);
    QCOMPARE(normal.data().toString(), QStringLiteral("heard by all"));
    QVERIFY2(shadowed.data().toString().contains(QStringLiteral("[shadow")), qPrintable(shadowed.data().toString()));
    QVERIFY(shadowed.data(Qt::ForegroundRole).isValid() && !normal.data(Qt::ForegroundRole).isValid());
    QVERIFY(shadowed.data(Qt::ToolTipRole).toString().contains(QStringLiteral("delivered to nobody")));
}

std::unique_ptr<TestClient> TestConsoleShadow::join(const QString &id)
{
    auto c = std::make_unique<TestClient>();
    const QString name = id.left(1).toUpper() + id.mid(1);
    if (!c->open(m_server->port()) || c->authToken(tokenFor(id, name, QStringLiteral("player"), kFoyer)).isEmpty())
        return nullptr;
    return c;
}

void TestConsoleShadow::initLive()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("MythosChatTests"));
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    Config config = testConfig(m_nats.url());
    config.server.serverId = QStringLiteral("console-shadow-1");
    m_server = std::make_unique<TestServer>(config);
    QVERIFY(m_server->start() && m_server->waitForNats());
    m_troll = join(QStringLiteral("troll"));
    m_bob = join(QStringLiteral("bob"));
    QVERIFY(m_troll && m_bob);
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1280, 760);
    m_window->show();
    m_window->connectTo(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server->port())),
                        tokenFor(QStringLiteral("mod-1"), QStringLiteral("Moderator"), QStringLiteral("moderator")));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->client()->state(), ModeratorClient::State::Connected, 10000);
    // The feed is switched on right after welcome; wait until the server has it.
    QTRY_VERIFY_WITH_TIMEOUT(m_window->healthModel()->value(QStringLiteral("connections")).toInt() >= 3, 10000);
}

void TestConsoleShadow::shadowMuteFromTheMutesForm()
{
    MutesView *view = m_window->mutesView();
    view->targetEdit()->setText(QStringLiteral("troll"));
    view->kindCombo()->setCurrentIndex(view->kindCombo()->findData(QStringLiteral("shadow")));
    view->reasonEdit()->setText(QStringLiteral("baiting newcomers"));
    QVERIFY(view->reasonEdit()->placeholderText().contains(QStringLiteral("moderators")));
    QTest::keyClick(view->reasonEdit(), Qt::Key_Return); // Enter in the form adds the mute
    MutesModel *mutes = m_window->mutesModel();
    QTRY_VERIFY_WITH_TIMEOUT(mutes->rowOf(QStringLiteral("troll"), {}, QStringLiteral("shadow")) >= 0, 5000);
    QCOMPARE(mutes->rowOf(QStringLiteral("troll")), -1); // not a server mute
    QVERIFY(view->lastMessage().contains(QStringLiteral("Shadow-muted")));

    // The player is acked as usual; nobody hears it; the moderator sees it, marked.
    QCOMPARE(m_troll->request(sendFrame(QStringLiteral("say"), QStringLiteral("troll into the void")))
                     .value(QStringLiteral("event_type"))
                     .toString(),
             QStringLiteral("ack"));
    QTRY_VERIFY_WITH_TIMEOUT(monitorRow(m_window->monitorModel(), QStringLiteral("troll into the void")) >= 0, 5000);
    const int row = monitorRow(m_window->monitorModel(), QStringLiteral("troll into the void"));
    QVERIFY(m_window->monitorModel()->index(row, 0).data(MonitorModel::ShadowRole).toBool());
    QVERIFY(m_bob->staysQuiet(QStringLiteral("chat_message"), 300));

    // Removing the selected row lifts the shadow mute, not a server mute.
    QVERIFY(view->selectTarget(QStringLiteral("troll")));
    view->removeSelected();
    QTRY_VERIFY_WITH_TIMEOUT(mutes->rowOf(QStringLiteral("troll"), {}, QStringLiteral("shadow")) < 0, 5000);
    m_troll->request(sendFrame(QStringLiteral("say"), QStringLiteral("troll heard again")));
    QVERIFY(!m_bob->waitFor(QStringLiteral("chat_message"), contentIs(QStringLiteral("troll heard again"))).isEmpty());
    view->kindCombo()->setCurrentIndex(0);
}

void TestConsoleShadow::shadowMuteFromTheMonitorByKeyboard()
{
    m_bob->request(sendFrame(QStringLiteral("say"), QStringLiteral("bob says something odd")));
    QTRY_VERIFY_WITH_TIMEOUT(monitorRow(m_window->monitorModel(), QStringLiteral("bob says something odd")) >= 0, 5000);
    m_window->tabs()->setCurrentWidget(m_window->monitorView());
    QTableView *table = m_window->monitorView()->table();
    const QModelIndex source = m_window->monitorModel()->index(
            monitorRow(m_window->monitorModel(), QStringLiteral("bob says something odd")), 0);
    const QModelIndex shown = m_window->monitorView()->filter()->mapFromSource(source);
    table->setFocus();
    table->selectRow(shown.row());
    table->setCurrentIndex(shown);
    QTest::keyClick(table, Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
    MuteDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = m_window->findChild<MuteDialog *>()) != nullptr, 2000);
    QCOMPARE(dialog->kind(), MuteDialog::Kind::Shadow);
    QCOMPARE(dialog->playerId(), QStringLiteral("bob"));
    QVERIFY(dialog->windowTitle().startsWith(QStringLiteral("Shadow-mute")));
    dialog->setDurationIndex(0); // 10 minutes
    dialog->setReason(QStringLiteral("testing the waters"));
    dialog->accept();
    MutesModel *mutes = m_window->mutesModel();
    QTRY_VERIFY_WITH_TIMEOUT(mutes->rowOf(QStringLiteral("bob"), {}, QStringLiteral("shadow")) >= 0, 5000);
    const int row = mutes->rowOf(QStringLiteral("bob"), {}, QStringLiteral("shadow"));
    QVERIFY(mutes->index(row, MutesModel::ExpiresColumn).data().toString().startsWith(QStringLiteral("9m")));
    QCOMPARE(mutes->index(row, MutesModel::ReasonColumn).data().toString(), QStringLiteral("testing the waters"));
    // Ctrl+M still opens the server-mute dialog.
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->findChild<MuteDialog *>(), 2000); // the first one is gone
    m_window->activateWindow(); // shortcuts go to the active window; the dialog had it
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    table->setFocus();
    QTest::keyClick(table, Qt::Key_M, Qt::ControlModifier);
    MuteDialog *serverDialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((serverDialog = m_window->findChild<MuteDialog *>()) != nullptr, 2000);
    QCOMPARE(serverDialog->kind(), MuteDialog::Kind::Server);
    serverDialog->reject();
}

void TestConsoleShadow::cleanupTestCase()
{
    m_window.reset();
    m_troll.reset();
    m_bob.reset();
    m_server.reset();
}

QTEST_MAIN(TestConsoleShadow)
#include "tst_console_shadow.moc"
