// ArrivalOrder: the oldest connection overall and per address, as the gateway's eviction
// policy needs it (issue 11), including removal from the middle and re-adding.
#include "gateway/ws/arrivalorder.h"

#include <QTest>

using mythos::ws::ArrivalOrder;

class TestArrivalOrder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void oldestOverallAndPerAddress();
    void removalKeepsTheOrder();
    void reAddingMovesToTheBack();
};

void TestArrivalOrder::oldestOverallAndPerAddress()
{
    ArrivalOrder<int> order;
    QVERIFY(!order.oldest());
    QVERIFY(!order.oldestFrom(QStringLiteral("a")));
    order.add(10, QStringLiteral("a"));
    order.add(11, QStringLiteral("b"));
    order.add(12, QStringLiteral("a"));
    QCOMPARE(order.size(), 3);
    QCOMPARE(*order.oldest(), 10);
    QCOMPARE(*order.oldestFrom(QStringLiteral("b")), 11);
    QCOMPARE(order.countFrom(QStringLiteral("a")), 2);
    QCOMPARE(order.countFrom(QStringLiteral("c")), 0);
}

void TestArrivalOrder::removalKeepsTheOrder()
{
    ArrivalOrder<int> order;
    for (int i = 0; i < 5; ++i)
        order.add(i, i % 2 ? QStringLiteral("odd") : QStringLiteral("even"));
    order.remove(0);
    order.remove(3);
    order.remove(42); // unknown: nothing happens
    QCOMPARE(*order.oldest(), 1);
    QCOMPARE(*order.oldestFrom(QStringLiteral("even")), 2);
    QCOMPARE(*order.oldestFrom(QStringLiteral("odd")), 1);
    order.remove(1);
    QVERIFY(!order.oldestFrom(QStringLiteral("odd")));
    QCOMPARE(order.countFrom(QStringLiteral("odd")), 0);
    QCOMPARE(order.size(), 2);
    QVERIFY(!order.contains(1));
    QVERIFY(order.contains(4));
}

void TestArrivalOrder::reAddingMovesToTheBack()
{
    // A descriptor number the system hands out again is a new arrival.
    ArrivalOrder<int> order;
    order.add(1, QStringLiteral("a"));
    order.add(2, QStringLiteral("a"));
    order.add(1, QStringLiteral("b"));
    QCOMPARE(order.size(), 2);
    QCOMPARE(*order.oldest(), 2);
    QCOMPARE(order.countFrom(QStringLiteral("a")), 1);
    QCOMPARE(*order.oldestFrom(QStringLiteral("b")), 1);
}

QTEST_APPLESS_MAIN(TestArrivalOrder)
#include "tst_arrivalorder.moc"
