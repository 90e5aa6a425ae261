// The memory catch-up answers from: bounded by count and age, and honest about what it forgot.
#include "chat/recentownmessages.h"
#include "util/ids.h"
#include "util/recentids.h"

#include <QTest>

using namespace mythos;

namespace {
constexpr qint64 kNow = 1'800'000'000'000;

QJsonObject messageAt(MessageIdGenerator &ids, qint64 ms, const QString &content = QStringLiteral("x"))
{
    return { { QStringLiteral("message_id"), ids.next(ms) }, { QStringLiteral("content"), content } };
}

QStringList contents(const RecentSlice &slice)
{
    QStringList out;
    for (const QJsonObject &m : slice.messages)
        out.append(m.value(QStringLiteral("content")).toString());
    return out;
}
} // namespace

class TestRecentMessages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recentIdsForgetTheOldestFirst()
    {
        RecentIds ids(2);
        QVERIFY(ids.insert(QStringLiteral("a")));
        QVERIFY(!ids.insert(QStringLiteral("a")));
        QVERIFY(ids.insert(QStringLiteral("b")));
        QVERIFY(ids.insert(QStringLiteral("c")));
        QVERIFY(!ids.contains(QStringLiteral("a")));
        QVERIFY(ids.contains(QStringLiteral("b")) && ids.contains(QStringLiteral("c")));
        QCOMPARE(ids.size(), 2);
    }

    void afterReturnsWhatFollowsSinceInOrder()
    {
        MessageIdGenerator ids(QStringLiteral("a"));
        RecentOwnMessages recent(10, 600);
        for (int i = 0; i < 5; ++i)
            recent.remember(messageAt(ids, kNow - 5000 + i * 1000, QString::number(i)), kNow);
        const RecentSlice slice = recent.after(messageIdFloor(kNow - 2500), kNow, 1 << 20);
        QCOMPARE(contents(slice), (QStringList { QStringLiteral("3"), QStringLiteral("4") }));
        QVERIFY(slice.complete);
    }

    void overTheCountIsIncompleteOnlyWhenTheForgottenOnesWereWanted()
    {
        MessageIdGenerator ids(QStringLiteral("a"));
        RecentOwnMessages recent(3, 600);
        for (int i = 0; i < 5; ++i)
            recent.remember(messageAt(ids, kNow - 5000 + i * 1000, QString::number(i)), kNow);
        const RecentSlice all = recent.after(messageIdFloor(kNow - 10000), kNow, 1 << 20);
        QCOMPARE(contents(all), (QStringList { QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4") }));
        QVERIFY(!all.complete);
        QCOMPARE(all.reason, QStringLiteral("too_many"));
        // Asking only for what is still held is complete.
        QVERIFY(recent.after(messageIdFloor(kNow - 3500), kNow, 1 << 20).complete);
    }

    void olderThanTheAgeIsForgottenAndSaidSo()
    {
        MessageIdGenerator ids(QStringLiteral("a"));
        RecentOwnMessages recent(10, 60);
        recent.remember(messageAt(ids, kNow - 120'000, QStringLiteral("old")), kNow - 120'000);
        recent.remember(messageAt(ids, kNow - 1000, QStringLiteral("new")), kNow);
        const RecentSlice slice = recent.after(messageIdFloor(kNow - 200'000), kNow, 1 << 20);
        QCOMPARE(contents(slice), QStringList { QStringLiteral("new") });
        QCOMPARE(slice.reason, QStringLiteral("too_old"));
    }

    void aByteLimitKeepsTheNewest()
    {
        MessageIdGenerator ids(QStringLiteral("a"));
        RecentOwnMessages recent(10, 600);
        for (int i = 0; i < 4; ++i)
            recent.remember(messageAt(ids, kNow - 4000 + i, QString(100, QLatin1Char('a' + i))), kNow);
        const RecentSlice slice =
                recent.after(messageIdFloor(kNow - 5000), kNow, 400); // each is about 170 bytes of JSON
        QCOMPARE(slice.messages.size(), 2);
        QVERIFY(contents(slice).last().startsWith(QLatin1Char('d')));
        QVERIFY(!slice.complete);
    }
};

QTEST_GUILESS_MAIN(TestRecentMessages)
#include "tst_recentmessages.moc"
