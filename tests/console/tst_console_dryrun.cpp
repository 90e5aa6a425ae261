// The console's filter dry-run dialog against a real in-process server that logged real chat:
// an admin opens it with Ctrl+Shift+D, picks a candidate lists folder and a levels file, runs it
// with Enter and reads the counts and examples; a bad list line is shown with its file and line;
// moderators cannot open it. Renders the dialog to console-dryrun.png (MYTHOS_SCREENSHOT_DIR).
#include "testclient.h"
#include "testserver.h"

#include "app/mainwindow.h"
#include "audit/auditlog.h"
#include "connection/moderatorclient.h"
#include "models/dryruncandidate.h"
#include "views/filterdryrundialog.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QPointer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace mythos;
using namespace mythos::test;
using namespace mythos::console;

namespace {
const QString kFoyer = QStringLiteral("earth_arkhamcity_sanitarium_room_foyer_001");

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

QStringList column(const QTableWidget *t, int col)
{
    QStringList out;
    for (int r = 0; r < t->rowCount(); ++r)
        out << (t->item(r, col) ? t->item(r, col)->text() : QString());
    return out;
}
} // namespace

class TestConsoleDryRun : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void candidateFrameFromFiles();
    void adminRunsItFromTheKeyboard();
    void badListLineIsShownWithItsFile();
    void moderatorsCannotOpenIt();

private:
    std::unique_ptr<MainWindow> window(const QString &id, const QString &role);

    QTemporaryDir m_dir;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestClient> m_alice;
    std::unique_ptr<MainWindow> m_admin;
    QString m_lists, m_levels, m_bad;
};

void TestConsoleDryRun::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("MythosChatTests"));
    QVERIFY(m_dir.isValid());
    m_server = std::make_unique<TestServer>(testConfig());
    QVERIFY(m_server->start());
    m_alice = std::make_unique<TestClient>();
    QVERIFY(m_alice->open(m_server->port()));
    QVERIFY(!m_alice->authToken(tokenFor(QStringLiteral("alice"), QStringLiteral("Alice"), QStringLiteral("player"),
                                         kFoyer))
                     .isEmpty());
    for (const QString &line : { QStringLiteral("the grue lurks in the cellar"), QStringLiteral("you idiot"),
                                 QStringLiteral("the library closes at dusk") })
        QVERIFY(!eventField(m_alice->request(sendFrame(QStringLiteral("say"), line)), "message_id").isEmpty());
    m_server->app().auditLog()->flush();

    QFile bundled(QStringLiteral(":/mythos/filters/profanity.txt"));
    QVERIFY(bundled.open(QIODevice::ReadOnly));
    m_lists = m_dir.filePath(QStringLiteral("lists"));
    QVERIFY(QDir().mkpath(m_lists));
    QVERIFY(writeFile(m_lists + QStringLiteral("/profanity.txt"),
                      bundled.readAll() + "\n@category profanity mild\ngrue\n"));
    m_levels = m_dir.filePath(QStringLiteral("family.yaml"));
    QVERIFY(writeFile(m_levels, "chat:\n  content_filtering:\n    default_level: family\n"));
    m_bad = m_dir.filePath(QStringLiteral("bad"));
    QVERIFY(QDir().mkpath(m_bad));
    QVERIFY(writeFile(m_bad + QStringLiteral("/keywords.txt"), "(unclosed\n"));
    m_admin = window(QStringLiteral("root"), QStringLiteral("admin"));
    QVERIFY(m_admin);
}

void TestConsoleDryRun::cleanupTestCase()
{
    m_admin.reset();
    m_alice.reset();
    m_server.reset();
}

std::unique_ptr<MainWindow> TestConsoleDryRun::window(const QString &id, const QString &role)
{
    auto w = std::make_unique<MainWindow>();
    w->show();
    w->connectTo(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server->port())), tokenFor(id, id, role));
    if (!QTest::qWaitFor([&] { return w->client()->state() == ModeratorClient::State::Connected; }, 10000))
        return nullptr;
    return w;
}

void TestConsoleDryRun::candidateFrameFromFiles()
{
    auto frame = dryRunFrame({ m_lists, m_levels, 3, 2 });
    QVERIFY(std::holds_alternative<QJsonObject>(frame));
    const QJsonObject f = std::get<QJsonObject>(frame);
    QCOMPARE(f[QStringLiteral("type")].toString(), QStringLiteral("filter_dry_run"));
    QVERIFY(f[QStringLiteral("lists")][QStringLiteral("profanity")].toString().endsWith(QStringLiteral("grue\n")));
    QVERIFY(!f[QStringLiteral("lists")].toObject().contains(QStringLiteral("keywords"))); // unchanged
    QVERIFY(f[QStringLiteral("levels")].toString().contains(QStringLiteral("family")));
    QCOMPARE(f[QStringLiteral("days")].toInt(), 3);
    QCOMPARE(f[QStringLiteral("examples")].toInt(), 2);
    QVERIFY(std::holds_alternative<QString>(dryRunFrame({})));
    QVERIFY(std::get<QString>(dryRunFrame({ m_dir.path(), {}, 7, 5 })).contains(QStringLiteral("holds none of")));
    QCOMPARE(describeDryRunError(QStringLiteral("keywords.txt:1: bad\nlevels: chat.x: unknown key"),
                                 { m_bad, m_levels, 7, 5 }),
             QDir::toNativeSeparators(m_bad) + QDir::separator() + QStringLiteral("keywords.txt:1: bad\n")
                     + QDir::toNativeSeparators(m_levels) + QStringLiteral(": chat.x: unknown key"));
}

void TestConsoleDryRun::adminRunsItFromTheKeyboard()
{
    QVERIFY(m_admin->filterDryRunAction()->isEnabled());
    QVERIFY(QTest::qWaitForWindowActive(m_admin.get()));
    QTest::keyClick(m_admin.get(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
    FilterDryRunDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = m_admin->findChild<FilterDryRunDialog *>()) != nullptr, 5000);
    QTRY_VERIFY(dialog->isVisible());
    dialog->setListsFolder(m_lists);
    dialog->setLevelsFile(m_levels);
    dialog->setDays(1);
    QPointer<FilterDryRunDialog> alive(dialog);
    QTest::keyClick(dialog, Qt::Key_Return); // Run is the default button
    QVERIFY2(alive && dialog->isRunning(), qPrintable(alive ? dialog->statusText() : QStringLiteral("closed")));
    QTRY_VERIFY_WITH_TIMEOUT(!alive || !dialog->report().isEmpty(), 30000);
    QVERIFY2(alive, "the dialog closed while running");
    QVERIFY2(dialog->statusText().startsWith(QStringLiteral("3 messages from")), qPrintable(dialog->statusText()));
    QVERIFY2(dialog->statusText().contains(QStringLiteral("2 would change")), qPrintable(dialog->statusText()));
    const QTableWidget *counts = dialog->countsTable();
    QCOMPARE(column(counts, 0).mid(0, 3),
             (QStringList { QStringLiteral("masked"), QStringLiteral("flagged"), QStringLiteral("held") }));
    QCOMPARE(counts->item(0, 3)->text(), QStringLiteral("2")); // newly masked: grue (list) and idiot (family)
    QCOMPARE(counts->item(0, 4)->text(), QStringLiteral("0"));
    QVERIFY(column(counts, 0).contains(QStringLiteral("  harassment · masked")));
    QVERIFY(column(counts, 0).contains(QStringLiteral("  profanity · masked")));
    const QTableWidget *examples = dialog->examplesTable();
    QCOMPARE(examples->rowCount(), 2);
    QCOMPARE(column(examples, 0), (QStringList { QStringLiteral("newly masked"), QStringLiteral("newly masked") }));
    QCOMPARE(column(examples, 4),
             (QStringList { QStringLiteral("the grue lurks in the cellar"), QStringLiteral("you idiot") }));
    QCOMPARE(examples->item(0, 5)->text(), QStringLiteral("the grue lurks in the cellar  [as written]"));
    QCOMPARE(examples->item(0, 6)->text(), QStringLiteral("the **** lurks in the cellar  [masked]"));
    QVERIFY(examples->item(1, 6)->toolTip().contains(QStringLiteral("harassment mild 'idiot': mask")));

    const QString dir =
            qEnvironmentVariable("MYTHOS_SCREENSHOT_DIR", QDir::current().filePath(QStringLiteral("screenshots")));
    QVERIFY(QDir().mkpath(dir));
    QTest::qWait(100); // let the layout settle; nothing to wait *for*
    const QImage image = dialog->grab().toImage();
    QVERIFY(!image.isNull());
    const QString path = QDir(dir).filePath(QStringLiteral("console-dryrun.png"));
    QVERIFY2(image.save(path), qPrintable(path));
    qInfo("screenshot: %s", qPrintable(path));
    QTest::keyClick(dialog, Qt::Key_Escape);
    QTRY_VERIFY(m_admin->findChild<FilterDryRunDialog *>() == nullptr);
}

void TestConsoleDryRun::badListLineIsShownWithItsFile()
{
    FilterDryRunDialog *dialog = m_admin->openFilterDryRun();
    QVERIFY(dialog);
    QSignalSpy done(dialog, &FilterDryRunDialog::finishedRun);
    dialog->setListsFolder(m_bad);
    dialog->run();
    QVERIFY(done.wait(30000));
    QCOMPARE(done.first().first().toBool(), false);
    const QString expected = QDir::toNativeSeparators(m_bad) + QDir::separator()
            + QStringLiteral("keywords.txt:1: invalid regular expression");
    QVERIFY2(dialog->statusText().startsWith(expected), qPrintable(dialog->statusText()));
    QVERIFY(dialog->report().isEmpty());
    dialog->close();
}

void TestConsoleDryRun::moderatorsCannotOpenIt()
{
    auto mod = window(QStringLiteral("mod"), QStringLiteral("moderator"));
    QVERIFY(mod);
    QTRY_VERIFY(!mod->client()->role().isEmpty());
    QVERIFY(!mod->filterDryRunAction()->isEnabled());
    QVERIFY(mod->openFilterDryRun() == nullptr);
}

QTEST_MAIN(TestConsoleDryRun)
#include "tst_console_dryrun.moc"
