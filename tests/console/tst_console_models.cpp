// The console's models without a window or a server: the feed's cap and pause, its filters,
// queue updates from events, the mutes countdown, log merging and export, health rates, the
// command line and the reconnect backoff.
#include "app/launchoptions.h"
#include "connection/feedresume.h"
#include "connection/moderatorclient.h"
#include "models/exporter.h"
#include "models/healthmodel.h"
#include "models/logmodel.h"
#include "models/monitorfilter.h"
#include "models/monitormodel.h"
#include "models/mutesmodel.h"
#include "models/queuemodel.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryFile>
#include <QTest>

using namespace mythos::console;

namespace {
QJsonObject chat(const QString &content, const QString &channel = QStringLiteral("say"),
                 const QString &sender = QStringLiteral("alice"),
                 const QString &room = QStringLiteral("earth_arkham_sanitarium_foyer"), const QString &scope = {})
{
    static int n = 0;
    return { { QStringLiteral("message_id"), QStringLiteral("m%1").arg(++n) },
             { QStringLiteral("channel"), channel },
             { QStringLiteral("sender_id"), sender },
             { QStringLiteral("sender_name"), sender.left(1).toUpper() + sender.mid(1) },
             { QStringLiteral("content"), content },
             { QStringLiteral("message"), content },
             { QStringLiteral("timestamp"), QStringLiteral("2026-11-26T19:00:00.000Z") },
             { QStringLiteral("room_id"), room },
             { QStringLiteral("scope_id"), scope.isEmpty() ? room : scope } };
}
// A message with an id of the minted form (they sort in acceptance order), sent at `ms`.
QJsonObject chatAt(qint64 ms, const QString &content, bool late = false)
{
    QJsonObject m = chat(content);
    m.insert(QStringLiteral("message_id"),
             QStringLiteral("%1").arg(ms, 12, 16, QLatin1Char('0')) + QStringLiteral("000000-test"));
    if (late)
        m.insert(QStringLiteral("late"), true);
    return m;
}
QStringList strings(std::initializer_list<const char *> texts)
{
    QStringList out;
    for (const char *t : texts)
        out.append(QString::fromUtf8(t));
    return out;
}
QString idOf(const QJsonObject &m)
{
    return m.value(QStringLiteral("message_id")).toString();
}
QJsonObject queueItem(const QString &id, const QString &status, const QString &kind = QStringLiteral("held"),
                      const QString &created = QStringLiteral("2026-11-26T19:00:00.000Z"))
{
    return { { QStringLiteral("item_id"), id },
             { QStringLiteral("message_id"), QStringLiteral("msg-") + id },
             { QStringLiteral("kind"), kind },
             { QStringLiteral("status"), status },
             { QStringLiteral("sender_id"), QStringLiteral("alice") },
             { QStringLiteral("channel"), QStringLiteral("say") },
             { QStringLiteral("message"),
               QJsonObject { { QStringLiteral("content"), QStringLiteral("text of ") + id } } },
             { QStringLiteral("created_at"), created },
             { QStringLiteral("claimed_by"), QJsonValue() } };
}
QStringList column(const QAbstractItemModel &m, int col, int role = Qt::DisplayRole)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out.append(m.index(r, col).data(role).toString());
    return out;
}
} // namespace

class TestConsoleModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void monitorKeepsTheNewestLinesUpToTheCap();
    void pauseKeepsLinesAsideAndResumeAddsThemInOrder();
    void deletedMessagesAreMarked();
    void maskedLinesShowWhatWasWritten();
    void queueShowsRuleNamesAndExpressionsOnDemand();
    void contextRowsStayInChannelAndScope();
    void mergeKeepsIdOrderAndDropsRepeats();
    void mergeWhilePausedWaitsLikeLiveLines();
    void gapMarkerSitsWhereTheHoleStarts();
    void trimmedIdsAreForgotten();
    void feedResumeStartsFromTheNewestIdShown();
    void feedResumeOutcomes();
    void filter_data();
    void filter();
    void queueUpdatesItemsInPlaceAndCounts();
    void queueReplacePendingDropsSettledItems();
    void queueFilterHidesClosedItems();
    void mutesCountDownAndExpire();
    void mutesRefreshKeepsRowsInPlace();
    void remainingText_data();
    void remainingText();
    void logMergeAppendsOnlyNewLines();
    void exportCsvAndJsonLines();
    void healthRatesFromCounters();
    void healthFeedRatesPerChannel();
    void launchOptions();
    void backoffGrowsToTheCap();
};

void TestConsoleModels::monitorKeepsTheNewestLinesUpToTheCap()
{
    MonitorModel m;
    m.setCap(3);
    for (int i = 1; i <= 5; ++i)
        m.append(chat(QStringLiteral("line %1").arg(i)));
    QCOMPARE(m.rowCount(), 3);
    QCOMPARE(column(m, MonitorModel::TextColumn),
             (QStringList { QStringLiteral("line 3"), QStringLiteral("line 4"), QStringLiteral("line 5") }));
    QCOMPARE(m.droppedCount(), 2);
    m.setCap(2);
    QCOMPARE(m.index(0, MonitorModel::TextColumn).data().toString(), QStringLiteral("line 4"));
}

void TestConsoleModels::pauseKeepsLinesAsideAndResumeAddsThemInOrder()
{
    MonitorModel m;
    m.setCap(4);
    QSignalSpy waiting(&m, &MonitorModel::waitingCountChanged);
    m.append(chat(QStringLiteral("before")));
    m.setPaused(true);
    m.append(chat(QStringLiteral("during 1")));
    m.append(chat(QStringLiteral("during 2")));
    QCOMPARE(m.rowCount(), 1);
    QCOMPARE(m.waitingCount(), 2);
    QCOMPARE(waiting.size(), 2);
    m.setPaused(false);
    QCOMPARE(column(m, MonitorModel::TextColumn),
             (QStringList { QStringLiteral("before"), QStringLiteral("during 1"), QStringLiteral("during 2") }));
    QCOMPARE(m.waitingCount(), 0);
    // The cap holds while paused too: memory stays bounded on a long pause.
    m.setPaused(true);
    for (int i = 0; i < 10; ++i)
        m.append(chat(QStringLiteral("flood %1").arg(i)));
    QCOMPARE(m.waitingCount(), 4);
    m.setPaused(false);
    QCOMPARE(m.rowCount(), 4);
    QCOMPARE(m.index(3, MonitorModel::TextColumn).data().toString(), QStringLiteral("flood 9"));
}

void TestConsoleModels::deletedMessagesAreMarked()
{
    MonitorModel m;
    const QJsonObject a = chat(QStringLiteral("bad words"));
    m.append(a);
    m.append(chat(QStringLiteral("fine")));
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    m.markDeleted(a.value(QStringLiteral("message_id")).toString());
    QCOMPARE(changed.size(), 1);
    QVERIFY(m.index(0, 0).data(MonitorModel::DeletedRole).toBool());
    QVERIFY(m.index(0, MonitorModel::TextColumn).data().toString().contains(QStringLiteral("[deleted]")));
    QVERIFY(!m.index(1, 0).data(MonitorModel::DeletedRole).toBool());
}

void TestConsoleModels::maskedLinesShowWhatWasWritten()
{
    MonitorModel m;
    QJsonObject masked = chat(QStringLiteral("what the ******* is this"));
    masked.insert(QStringLiteral("original_content"), QStringLiteral("what the f.u.c.k is this"));
    m.append(masked);
    m.append(chat(QStringLiteral("clean words")));
    QCOMPARE(m.index(0, MonitorModel::TextColumn).data().toString(),
             QStringLiteral("what the f.u.c.k is this  [masked for players]"));
    QVERIFY(m.index(0, 0).data(Qt::ToolTipRole).toString().startsWith(QStringLiteral("Players saw: what the *******")));
    QCOMPARE(m.index(1, MonitorModel::TextColumn).data().toString(), QStringLiteral("clean words"));

    QueueModel q;
    q.upsert({ { QStringLiteral("item_id"), QStringLiteral("i1") },
               { QStringLiteral("status"), QStringLiteral("pending") },
               { QStringLiteral("kind"), QStringLiteral("held") },
               { QStringLiteral("message"), masked } });
    QCOMPARE(q.index(0, QueueModel::TextColumn).data().toString(),
             QStringLiteral("what the f.u.c.k is this  [masked for players]"));
}

void TestConsoleModels::queueShowsRuleNamesAndExpressionsOnDemand()
{
    const QJsonArray matched {
        QJsonObject { { QStringLiteral("rule"), QStringLiteral("trading gold for money") },
                      { QStringLiteral("category"), QStringLiteral("scam") },
                      { QStringLiteral("pattern"), QStringLiteral("\\bgold\\b.*\\bpaypal\\b") } },
        QJsonObject { { QStringLiteral("rule"), QStringLiteral("trading gold for money") },
                      { QStringLiteral("category"), QStringLiteral("scam") },
                      { QStringLiteral("pattern"), QStringLiteral("\\bcheap\\s+gold\\b") } },
        QJsonObject { { QStringLiteral("rule"), QStringLiteral("payment services") },
                      { QStringLiteral("category"), QStringLiteral("scam") },
                      { QStringLiteral("pattern"), QStringLiteral("\\bpaypal\\b") } },
    };
    QueueModel q;
    q.upsert({ { QStringLiteral("item_id"), QStringLiteral("named") },
               { QStringLiteral("status"), QStringLiteral("pending") },
               { QStringLiteral("kind"), QStringLiteral("flagged") },
               { QStringLiteral("created_at"), QStringLiteral("2026-11-26T19:00:02.000Z") },
               { QStringLiteral("reasons"),
                 QJsonArray { QStringLiteral("\\bgold\\b.*\\bpaypal\\b"), QStringLiteral("\\bcheap\\s+gold\\b"),
                              QStringLiteral("\\bpaypal\\b") } },
               { QStringLiteral("context"), QJsonObject { { QStringLiteral("matched"), matched } } } });
    q.upsert({ { QStringLiteral("item_id"), QStringLiteral("old") },
               { QStringLiteral("status"), QStringLiteral("pending") },
               { QStringLiteral("kind"), QStringLiteral("flagged") },
               { QStringLiteral("created_at"), QStringLiteral("2026-11-26T19:00:01.000Z") },
               { QStringLiteral("reasons"), QJsonArray { QStringLiteral("\\bcheap\\s+gold\\b") } } });
    QCOMPARE(q.index(0, 0).data(QueueModel::ItemIdRole).toString(), QStringLiteral("named"));
    QCOMPARE(q.index(0, QueueModel::ReasonsColumn).data().toString(),
             QStringLiteral("scam: trading gold for money; scam: payment services"));
    QCOMPARE(q.index(0, QueueModel::ReasonsColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("\\bgold\\b.*\\bpaypal\\b\n\\bcheap\\s+gold\\b\n\\bpaypal\\b"));
    // An item queued before rules had names shows its expression.
    QCOMPARE(q.index(1, QueueModel::ReasonsColumn).data().toString(), QStringLiteral("\\bcheap\\s+gold\\b"));
}

void TestConsoleModels::contextRowsStayInChannelAndScope()
{
    MonitorModel m;
    m.append(chat(QStringLiteral("a1")));
    m.append(chat(QStringLiteral("elsewhere"), QStringLiteral("say"), QStringLiteral("bob"),
                  QStringLiteral("earth_x_y_z")));
    m.append(chat(QStringLiteral("a2")));
    m.addMarker(QStringLiteral("— connection lost —"));
    m.append(chat(QStringLiteral("global"), QStringLiteral("global")));
    m.append(chat(QStringLiteral("a3")));
    QCOMPARE(m.contextRows(2), (QList<int> { 0, 2, 5 }));
    QCOMPARE(m.contextRows(2, 0, 0), (QList<int> { 2 }));
}

void TestConsoleModels::mergeKeepsIdOrderAndDropsRepeats()
{
    MonitorModel m;
    const QJsonObject a = chatAt(1000, QStringLiteral("a")), b = chatAt(2000, QStringLiteral("b")),
                      c = chatAt(3000, QStringLiteral("c")), d = chatAt(4000, QStringLiteral("d")),
                      e = chatAt(5000, QStringLiteral("e"));
    m.append(a);
    m.append(b);
    m.append(d);
    // A resume's list repeats what the clock window covers (b) and what came live meanwhile (d).
    QCOMPARE(m.merge(QJsonArray { b, c, d, e }), 2);
    QCOMPARE(column(m, MonitorModel::TextColumn), (strings({ "a", "b", "c", "d", "e" })));
    QCOMPARE(column(m, 0, MonitorModel::RecoveredRole), (strings({ "", "", "resumed", "", "resumed" })));
    // A live copy of a resent line is dropped too.
    m.append(e);
    QCOMPARE(m.rowCount(), 5);
    // A late line (after a bus outage) goes where its id sorts, not at the bottom.
    m.append(chatAt(2500, QStringLiteral("late"), true));
    QCOMPARE(column(m, MonitorModel::TextColumn), (strings({ "a", "b", "late", "c", "d", "e" })));
    QCOMPARE(m.index(2, 0).data(MonitorModel::RecoveredRole).toString(), QStringLiteral("late"));
    QVERIFY(m.index(2, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("late")));
    m.append(chatAt(2500, QStringLiteral("late"), true));
    QCOMPARE(m.rowCount(), 6);
    // A live line stays at the bottom even if its id sorts earlier (as it was seen).
    m.append(chatAt(1500, QStringLiteral("live")));
    QCOMPARE(m.index(6, MonitorModel::TextColumn).data().toString(), QStringLiteral("live"));
}

void TestConsoleModels::mergeWhilePausedWaitsLikeLiveLines()
{
    MonitorModel m;
    m.append(chatAt(1000, QStringLiteral("a")));
    m.append(chatAt(3000, QStringLiteral("c")));
    m.setPaused(true);
    QCOMPARE(m.merge(QJsonArray { chatAt(2000, QStringLiteral("b")), chatAt(3000, QStringLiteral("c")) }), 1);
    m.append(chatAt(4000, QStringLiteral("d")));
    m.append(chatAt(2000, QStringLiteral("b"))); // already waiting
    QCOMPARE(m.rowCount(), 2);
    QCOMPARE(m.waitingCount(), 2);
    m.setPaused(false);
    QCOMPARE(column(m, MonitorModel::TextColumn), (strings({ "a", "b", "c", "d" })));
}

void TestConsoleModels::gapMarkerSitsWhereTheHoleStarts()
{
    MonitorModel m;
    const QJsonObject a = chatAt(1000, QStringLiteral("a")), b = chatAt(2000, QStringLiteral("b"));
    m.append(a);
    m.append(b);
    m.append(chatAt(9000, QStringLiteral("live after the reconnect")));
    // Resumed from b, not recovered: the newest messages came back, older ones are missing.
    m.addMarker(QStringLiteral("— gap —"), idOf(b));
    m.merge(QJsonArray { chatAt(1500, QStringLiteral("window")), chatAt(6000, QStringLiteral("f")),
                         chatAt(7000, QStringLiteral("g")) });
    QCOMPARE(column(m, MonitorModel::TextColumn),
             (strings({ "a", "window", "b", "— gap —", "f", "g", "live after the reconnect" })));
    QCOMPARE(column(m, 0, MonitorModel::MarkerRole),
             (strings({ "false", "false", "false", "true", "false", "false", "false" })));
    // A marker without an id goes at the bottom, and later merges of newer lines go after it.
    m.addMarker(QStringLiteral("— bottom —"));
    m.merge(QJsonArray { chatAt(9500, QStringLiteral("h")) });
    QCOMPARE(m.index(7, MonitorModel::TextColumn).data().toString(), QStringLiteral("— bottom —"));
    QCOMPARE(m.index(8, MonitorModel::TextColumn).data().toString(), QStringLiteral("h"));
}

void TestConsoleModels::trimmedIdsAreForgotten()
{
    MonitorModel m;
    m.setCap(2);
    const QJsonObject a = chatAt(1000, QStringLiteral("a"));
    m.append(a);
    QVERIFY(m.holds(idOf(a)));
    m.append(chatAt(2000, QStringLiteral("b")));
    m.append(chatAt(3000, QStringLiteral("c")));
    QVERIFY(!m.holds(idOf(a))); // memory stays bounded by the cap
    QCOMPARE(column(m, MonitorModel::TextColumn), (strings({ "b", "c" })));
    m.clear();
    QVERIFY(!m.holds(idOf(chatAt(3000, {}))));
    m.append(chatAt(3000, QStringLiteral("c")));
    QCOMPARE(m.rowCount(), 1);
}

void TestConsoleModels::feedResumeStartsFromTheNewestIdShown()
{
    FeedResume monitor(QStringLiteral("monitor"));
    QVERIFY(!monitor.canResume());
    QVERIFY(monitor.frame().isEmpty());
    // Lost before anything was shown: resume from the moment of the drop.
    const qint64 lostAt = 0x18f00000000;
    monitor.noteLost(lostAt);
    QCOMPARE(monitor.since(), QStringLiteral("018f00000000000000-0"));
    QVERIFY(monitor.since() < idOf(chatAt(lostAt, {})));
    QVERIFY(monitor.since() > idOf(chatAt(lostAt - 1, {})));
    monitor.noteMessage(idOf(chatAt(2000, {})));
    monitor.noteMessage(idOf(chatAt(1000, {}))); // a late one does not move the mark back
    QCOMPARE(monitor.newestId(), idOf(chatAt(2000, {})));
    const QJsonObject frame = monitor.frame();
    QCOMPARE(frame.value(QStringLiteral("type")).toString(), QStringLiteral("resume"));
    QCOMPARE(frame.value(QStringLiteral("since")).toString(), idOf(chatAt(2000, {})));
    QCOMPARE(frame.value(QStringLiteral("feed")).toString(), QStringLiteral("monitor"));
    // A player's own chat (the CLI) sends no feed.
    FeedResume chatFeed;
    chatFeed.setNewestId(QStringLiteral("abc"));
    QVERIFY(!chatFeed.frame().contains(QStringLiteral("feed")));
    QCOMPARE(chatFeed.frame().value(QStringLiteral("since")).toString(), QStringLiteral("abc"));
}

void TestConsoleModels::feedResumeOutcomes()
{
    const FeedResume r(QStringLiteral("monitor"));
    const QJsonArray list { chatAt(1000, QStringLiteral("a")) };
    const QString resumed = QStringLiteral("resumed");
    const QString messages = QStringLiteral("messages"), recovered = QStringLiteral("recovered"),
                  reason = QStringLiteral("reason");
    const QString feed = QStringLiteral("feed"), monitor = QStringLiteral("monitor");
    auto complete =
            r.outcome(resumed, { { messages, list }, { recovered, true }, { feed, monitor } }, QStringLiteral("s"));
    QVERIFY(!complete.gap);
    QVERIFY(!complete.retryLater);
    QCOMPARE(complete.messages, list);
    QCOMPARE(complete.since, QStringLiteral("s"));
    auto partial = r.outcome(
            resumed,
            { { messages, list }, { recovered, false }, { reason, QStringLiteral("too_many") }, { feed, monitor } },
            {});
    QVERIFY(partial.gap);
    QCOMPARE(partial.reason, QStringLiteral("too_many"));
    QCOMPARE(partial.messages.size(), 1);
    QVERIFY(FeedResume::describe(partial.reason).contains(QStringLiteral("oldest")));
    // A server that ignores `feed` answers with the moderator's own chat: not the feed's.
    auto ownChat = r.outcome(resumed, { { messages, list }, { recovered, true } }, {});
    QVERIFY(ownChat.gap);
    QVERIFY(ownChat.messages.isEmpty());
    QCOMPARE(ownChat.reason, QStringLiteral("feed_unsupported"));
    // A player's own chat (the CLI) expects no feed in the answer.
    QVERIFY(!FeedResume().outcome(resumed, { { messages, list }, { recovered, true } }, {}).gap);
    auto refused = r.outcome(QStringLiteral("error"), { { QStringLiteral("code"), QStringLiteral("forbidden") } }, {});
    QVERIFY(refused.gap);
    QCOMPARE(refused.reason, QStringLiteral("forbidden"));
    QVERIFY(FeedResume::describe(refused.reason).contains(QStringLiteral("forbidden")));
    auto silent = r.outcome(QStringLiteral("timeout"), {}, {});
    QVERIFY(silent.gap);
    QCOMPARE(silent.reason, QStringLiteral("no_answer"));
    // Dropped again before the answer: the next reconnect resumes from the same place.
    auto dropped = r.outcome(QStringLiteral("timeout"),
                             { { QStringLiteral("message"), QStringLiteral("connection lost") } }, {});
    QVERIFY(dropped.retryLater);
    QVERIFY(!dropped.gap);
}

void TestConsoleModels::filter_data()
{
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QString>("scope");
    QTest::addColumn<QString>("player");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("shown");
    const QStringList all { QStringLiteral("hello"), QStringLiteral("zone news"), QStringLiteral("far away"),
                            QStringLiteral("Gold for sale") };
    QTest::newRow("nothing") << QString() << QString() << QString() << QString() << all;
    QTest::newRow("channel") << QStringLiteral("ZONE") << QString() << QString() << QString()
                             << QStringList { QStringLiteral("zone news") };
    QTest::newRow("room") << QString() << QStringLiteral("earth_arkham_sanitarium_foyer") << QString() << QString()
                          << QStringList { QStringLiteral("hello"), QStringLiteral("zone news"),
                                           QStringLiteral("Gold for sale") };
    QTest::newRow("zone prefix") << QString() << QStringLiteral("earth_arkham") << QString() << QString()
                                 << QStringList { QStringLiteral("hello"), QStringLiteral("zone news"),
                                                  QStringLiteral("Gold for sale") };
    QTest::newRow("not a partial token") << QString() << QStringLiteral("earth_ark") << QString() << QString()
                                         << QStringList {};
    QTest::newRow("player by name") << QString() << QString() << QStringLiteral("bo") << QString()
                                    << QStringList { QStringLiteral("far away") };
    QTest::newRow("text") << QString() << QString() << QString() << QStringLiteral("gold")
                          << QStringList { QStringLiteral("Gold for sale") };
    QTest::newRow("combined") << QStringLiteral("say") << QString() << QStringLiteral("alice") << QStringLiteral("hel")
                              << QStringList { QStringLiteral("hello") };
}

void TestConsoleModels::filter()
{
    QFETCH(QString, channel);
    QFETCH(QString, scope);
    QFETCH(QString, player);
    QFETCH(QString, text);
    QFETCH(QStringList, shown);
    MonitorModel m;
    m.append(chat(QStringLiteral("hello")));
    m.append(chat(QStringLiteral("zone news"), QStringLiteral("zone"), QStringLiteral("alice"),
                  QStringLiteral("earth_arkham_sanitarium_foyer"), QStringLiteral("earth_arkham")));
    m.append(chat(QStringLiteral("far away"), QStringLiteral("say"), QStringLiteral("bob"),
                  QStringLiteral("earth_innsmouth_harbor_quay")));
    m.append(chat(QStringLiteral("Gold for sale"), QStringLiteral("global"), QStringLiteral("carol")));
    m.addMarker(QStringLiteral("marker"));
    MonitorFilter f;
    f.setSourceModel(&m);
    f.setChannel(channel);
    f.setScopeId(scope);
    f.setPlayer(player);
    f.setText(text);
    QStringList texts = column(f, MonitorModel::TextColumn);
    QCOMPARE(texts.takeLast(), QStringLiteral("marker")); // markers explain gaps whatever the filter
    QCOMPARE(texts, shown);
}

void TestConsoleModels::queueUpdatesItemsInPlaceAndCounts()
{
    QueueModel q;
    QSignalSpy counts(&q, &QueueModel::countsChanged);
    q.upsert(queueItem(QStringLiteral("i1"), QStringLiteral("pending"), QStringLiteral("held"),
                       QStringLiteral("2026-11-26T19:00:01.000Z")));
    q.upsert(queueItem(QStringLiteral("i2"), QStringLiteral("pending"), QStringLiteral("flagged"),
                       QStringLiteral("2026-11-26T19:00:02.000Z")));
    QCOMPARE(q.rowCount(), 2);
    QCOMPARE(q.index(0, 0).data(QueueModel::ItemIdRole).toString(), QStringLiteral("i2")); // newest first
    QCOMPARE(q.pendingCount(), 2);
    QCOMPARE(q.heldPendingCount(), 1);
    // Another moderator claims, then approves: the same row changes.
    QJsonObject claimed = queueItem(QStringLiteral("i1"), QStringLiteral("pending"), QStringLiteral("held"),
                                    QStringLiteral("2026-11-26T19:00:01.000Z"));
    claimed.insert(QStringLiteral("claimed_by"), QStringLiteral("mod-2"));
    q.upsert(claimed);
    QCOMPARE(q.rowCount(), 2);
    QCOMPARE(q.index(q.rowOf(QStringLiteral("i1")), QueueModel::ClaimedColumn).data().toString(),
             QStringLiteral("mod-2"));
    QJsonObject approved = claimed;
    approved.insert(QStringLiteral("status"), QStringLiteral("approved"));
    approved.insert(QStringLiteral("resolved_by"), QStringLiteral("mod-2"));
    approved.insert(QStringLiteral("resolution"), QStringLiteral("approve"));
    q.upsert(approved);
    QCOMPARE(q.pendingCount(), 1);
    QCOMPARE(q.heldPendingCount(), 0);
    QCOMPARE(counts.last(), (QList<QVariant> { 1, 0 }));
    QCOMPARE(q.index(q.rowOf(QStringLiteral("i1")), QueueModel::StatusColumn).data().toString(),
             QStringLiteral("approved (approve)"));
}

void TestConsoleModels::queueReplacePendingDropsSettledItems()
{
    QueueModel q;
    q.upsert(queueItem(QStringLiteral("gone"), QStringLiteral("pending")));
    q.upsert(queueItem(QStringLiteral("closed"), QStringLiteral("dismissed")));
    q.upsert(queueItem(QStringLiteral("kept"), QStringLiteral("pending")));
    q.replacePending(QJsonArray { queueItem(QStringLiteral("kept"), QStringLiteral("pending")),
                                  queueItem(QStringLiteral("new"), QStringLiteral("pending")) });
    QCOMPARE(q.rowOf(QStringLiteral("gone")), -1);
    QVERIFY(q.rowOf(QStringLiteral("closed")) >= 0);
    QVERIFY(q.rowOf(QStringLiteral("kept")) >= 0);
    QVERIFY(q.rowOf(QStringLiteral("new")) >= 0);
    QCOMPARE(q.pendingCount(), 2);
}

void TestConsoleModels::queueFilterHidesClosedItems()
{
    QueueModel q;
    QueueFilter f;
    f.setSourceModel(&q);
    q.upsert(queueItem(QStringLiteral("a"), QStringLiteral("pending")));
    q.upsert(queueItem(QStringLiteral("b"), QStringLiteral("rejected")));
    QCOMPARE(f.rowCount(), 1);
    q.upsert(queueItem(QStringLiteral("a"), QStringLiteral("approved")));
    QCOMPARE(f.rowCount(), 0);
    f.setShowClosed(true);
    QCOMPARE(f.rowCount(), 2);
}

void TestConsoleModels::mutesCountDownAndExpire()
{
    MutesModel m;
    QDateTime now = QDateTime::fromString(QStringLiteral("2026-11-26T19:00:00.000Z"), Qt::ISODateWithMs);
    m.setClock([&now] { return now; });
    m.setMutes(QJsonArray { QJsonObject { { QStringLiteral("target_type"), QStringLiteral("player") },
                                          { QStringLiteral("target"), QStringLiteral("alice") },
                                          { QStringLiteral("target_name"), QStringLiteral("Alice") },
                                          { QStringLiteral("muted_until"), QStringLiteral("2026-11-26T19:10:00.000Z") },
                                          { QStringLiteral("reason"), QStringLiteral("spam") },
                                          { QStringLiteral("muted_by"), QStringLiteral("mod-1") },
                                          { QStringLiteral("scope"), QStringLiteral("server") } },
                            QJsonObject { { QStringLiteral("target_type"), QStringLiteral("player") },
                                          { QStringLiteral("target"), QStringLiteral("bob") },
                                          { QStringLiteral("target_name"), QStringLiteral("Bob") },
                                          { QStringLiteral("muted_until"), QJsonValue() },
                                          { QStringLiteral("reason"), QStringLiteral("threats") },
                                          { QStringLiteral("muted_by"), QStringLiteral("mod-1") },
                                          { QStringLiteral("scope"), QStringLiteral("server") },
                                          { QStringLiteral("channel"), QStringLiteral("say") } } });
    QCOMPARE(m.rowCount(), 2);
    QCOMPARE(m.index(0, MutesModel::ExpiresColumn).data().toString(), QStringLiteral("10m 00s"));
    QCOMPARE(m.index(0, MutesModel::TargetColumn).data().toString(), QStringLiteral("Alice (alice)"));
    QCOMPARE(m.index(1, MutesModel::ExpiresColumn).data().toString(), QStringLiteral("permanent"));
    QCOMPARE(m.index(1, MutesModel::ChannelColumn).data().toString(), QStringLiteral("say"));
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    now = now.addSecs(125);
    m.tick();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(m.index(0, MutesModel::ExpiresColumn).data().toString(), QStringLiteral("7m 55s"));
    now = now.addSecs(600);
    m.tick();
    QCOMPARE(m.rowCount(), 1); // expired mutes leave by themselves
    QCOMPARE(m.rowOf(QStringLiteral("bob"), QStringLiteral("say")), 0);
}

void TestConsoleModels::mutesRefreshKeepsRowsInPlace()
{
    MutesModel m;
    auto mute = [](const QString &who, const QString &reason) {
        return QJsonObject { { QStringLiteral("target_type"), QStringLiteral("player") },
                             { QStringLiteral("target"), who },
                             { QStringLiteral("muted_until"), QJsonValue() },
                             { QStringLiteral("reason"), reason },
                             { QStringLiteral("muted_by"), QStringLiteral("mod") } };
    };
    m.setMutes({ mute(QStringLiteral("a"), QStringLiteral("one")), mute(QStringLiteral("b"), QStringLiteral("two")) });
    QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
    QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);
    m.setMutes({ mute(QStringLiteral("b"), QStringLiteral("two, longer")),
                 mute(QStringLiteral("c"), QStringLiteral("three")) });
    QCOMPARE(reset.size(), 0);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(column(m, MutesModel::ReasonColumn),
             (QStringList { QStringLiteral("two, longer"), QStringLiteral("three") }));
}

void TestConsoleModels::remainingText_data()
{
    QTest::addColumn<int>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("seconds") << 42 << QStringLiteral("0m 42s");
    QTest::newRow("hours") << 3 * 3600 + 5 * 60 + 9 << QStringLiteral("3h 05m");
    QTest::newRow("days") << 2 * 86400 + 4 * 3600 << QStringLiteral("2d 4h");
    QTest::newRow("past") << -5 << QStringLiteral("expired");
}

void TestConsoleModels::remainingText()
{
    QFETCH(int, seconds);
    QFETCH(QString, text);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QCOMPARE(MutesModel::remainingText(now.addSecs(seconds), now), text);
    QCOMPARE(MutesModel::remainingText(QDateTime(), now), QStringLiteral("permanent"));
}

void TestConsoleModels::logMergeAppendsOnlyNewLines()
{
    LogModel m;
    auto line = [](int i) {
        return QJsonObject { { QStringLiteral("ts"), QStringLiteral("2026-11-26T19:00:0%1.000Z").arg(i) },
                             { QStringLiteral("category"), QStringLiteral("chat") },
                             { QStringLiteral("event"), QStringLiteral("message") },
                             { QStringLiteral("server_id"), QStringLiteral("s1") },
                             { QStringLiteral("content"), QStringLiteral("line %1").arg(i) },
                             { QStringLiteral("channel"), QStringLiteral("say") } };
    };
    m.setLines({ line(1), line(2) });
    QCOMPARE(m.merge({ line(1), line(2), line(3) }), 1);
    QCOMPARE(m.rowCount(), 3);
    QCOMPARE(m.index(2, LogModel::DetailsColumn).data().toString(), QStringLiteral("channel=say  content=line 3"));
    m.setCap(2);
    m.merge({ line(4) });
    QCOMPARE(m.rowCount(), 2);
    QCOMPARE(m.line(0).value(QStringLiteral("content")).toString(), QStringLiteral("line 3"));
}

void TestConsoleModels::exportCsvAndJsonLines()
{
    LogModel m;
    m.setLines({ QJsonObject { { QStringLiteral("ts"), QStringLiteral("2026-11-26T19:00:00.000Z") },
                               { QStringLiteral("event"), QStringLiteral("mute") },
                               { QStringLiteral("server_id"), QStringLiteral("s1") },
                               { QStringLiteral("reason"), QStringLiteral("said \"hi\", twice") } },
                 QJsonObject { { QStringLiteral("ts"), QStringLiteral("2026-11-26T19:00:01.000Z") },
                               { QStringLiteral("event"), QStringLiteral("unmute") },
                               { QStringLiteral("server_id"), QStringLiteral("s1") } } });
    QSortFilterProxyModel visible;
    visible.setSourceModel(&m);
    visible.setFilterKeyColumn(LogModel::EventColumn);
    visible.setFilterFixedString(QStringLiteral("unmute"));
    QBuffer csv;
    csv.open(QIODevice::WriteOnly);
    QVERIFY(exporter::writeCsv(m, csv));
    const QList<QByteArray> rows = csv.data().split('\n');
    QCOMPARE(rows.at(0), QByteArray("Time,Event,Server,Details\r"));
    QVERIFY(rows.at(1).endsWith("\"reason=said \"\"hi\"\", twice\"\r"));
    QBuffer jsonl;
    jsonl.open(QIODevice::WriteOnly);
    QVERIFY(exporter::writeJsonLines(visible, LogModel::RawRole, jsonl)); // only what is shown
    const QList<QByteArray> lines = jsonl.data().trimmed().split('\n');
    QCOMPARE(lines.size(), 1);
    QCOMPARE(QJsonDocument::fromJson(lines.first()).object().value(QStringLiteral("event")).toString(),
             QStringLiteral("unmute"));
}

void TestConsoleModels::healthRatesFromCounters()
{
    HealthModel h;
    const QDateTime t0 = QDateTime::currentDateTimeUtc();
    auto stats = [](double refusedMuted, double rateLimited, double held, double avoided) {
        return QJsonObject { { QStringLiteral("server_id"), QStringLiteral("s1") },
                             { QStringLiteral("nats"), QStringLiteral("connected") },
                             { QStringLiteral("connections"), 7 },
                             { QStringLiteral("instances_seen"), 2 },
                             { QStringLiteral("refused"),
                               QJsonObject { { QStringLiteral("muted"), refusedMuted },
                                             { QStringLiteral("rate_limited"), rateLimited } } },
                             { QStringLiteral("rate_limited"), rateLimited },
                             { QStringLiteral("filter"),
                               QJsonObject { { QStringLiteral("masked"), 0 },
                                             { QStringLiteral("flagged"), 0 },
                                             { QStringLiteral("held"), held } } },
                             { QStringLiteral("deliveries_avoided"), avoided } };
    };
    h.addStats(stats(1, 0, 0, 100), t0);
    h.addStats(stats(3, 10, 5, 150), t0.addSecs(5));
    const HealthModel::StatsSample &s = h.statsSamples().last();
    QCOMPARE(s.refusedPerS, 12.0 / 5);
    QCOMPARE(s.rateLimitedPerS, 2.0);
    QCOMPARE(s.filterHitsPerS, 1.0);
    QCOMPARE(s.avoidedPerS, 10.0);
    QCOMPARE(h.value(QStringLiteral("refused.muted")).toLongLong(), 3);
    QCOMPARE(h.value(QStringLiteral("instances_seen")).toInt(), 2);
    h.setQueueDepth(4);
    QCOMPARE(h.value(QStringLiteral("queue_depth")).toInt(), 4);
    // A restarted server starts its counters from zero: no negative rates.
    h.addStats(stats(0, 0, 0, 0), t0.addSecs(10));
    QCOMPARE(h.statsSamples().last().refusedPerS, 0.0);
    // Old samples fall out of the window.
    h.setWindowSeconds(30);
    h.addStats(stats(0, 0, 0, 0), t0.addSecs(60));
    QCOMPARE(h.statsSamples().size(), 1);
}

void TestConsoleModels::healthFeedRatesPerChannel()
{
    HealthModel h;
    h.closeFeedBucket(QDateTime::currentDateTimeUtc()); // start a fresh bucket now
    const QDateTime start = h.feedSamples().last().at;
    for (int i = 0; i < 6; ++i)
        h.countFeedMessage(QStringLiteral("say"));
    h.countFeedMessage(QStringLiteral("global"));
    h.closeFeedBucket(start.addSecs(2));
    QCOMPARE(h.feedSamples().last().perChannel.value(QStringLiteral("say")), 3.0);
    QCOMPARE(h.feedSamples().last().perChannel.value(QStringLiteral("global")), 0.5);
    h.closeFeedBucket(start.addSecs(4));
    QCOMPARE(h.feedSamples().last().perChannel.value(QStringLiteral("say")), 0.0); // quiet bucket
    QCOMPARE(h.channelsSeen(), (QStringList { QStringLiteral("say"), QStringLiteral("global") }));
}

void TestConsoleModels::launchOptions()
{
    const QString app = QStringLiteral("mythos-console");
    LaunchOptions o = LaunchOptions::parse({ app, QStringLiteral("--url"), QStringLiteral("ws://127.0.0.1:8080/ws"),
                                             QStringLiteral("--token"), QStringLiteral("abc.def.ghi") });
    QVERIFY(o.autoConnect());
    QCOMPARE(o.token, QByteArray("abc.def.ghi"));
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write("  tok.en.file\n");
    file.flush();
    o = LaunchOptions::parse({ app, QStringLiteral("--url"), QStringLiteral("ws://h:1/ws"),
                               QStringLiteral("--token-file"), file.fileName() });
    QVERIFY(o.autoConnect());
    QCOMPARE(o.token, QByteArray("tok.en.file"));
    o = LaunchOptions::parse({ app, QStringLiteral("--url"), QStringLiteral("http://h/ws"), QStringLiteral("--token"),
                               QStringLiteral("x") });
    QVERIFY(o.error.contains(QStringLiteral("ws://")));
    o = LaunchOptions::parse({ app, QStringLiteral("--token-file"), QStringLiteral("/nonexistent/token") });
    QVERIFY(o.error.contains(QStringLiteral("/nonexistent/token")));
    o = LaunchOptions::parse({ app });
    QVERIFY(o.error.isEmpty() && !o.autoConnect()); // the connect dialog opens instead
}

void TestConsoleModels::backoffGrowsToTheCap()
{
    QCOMPARE(ModeratorClient::backoffFor(1, 30000), 500);
    QCOMPARE(ModeratorClient::backoffFor(2, 30000), 1000);
    QCOMPARE(ModeratorClient::backoffFor(5, 30000), 8000);
    QCOMPARE(ModeratorClient::backoffFor(7, 30000), 30000);
    QCOMPARE(ModeratorClient::backoffFor(100, 30000), 30000);
}

QTEST_MAIN(TestConsoleModels)
#include "tst_console_models.moc"
