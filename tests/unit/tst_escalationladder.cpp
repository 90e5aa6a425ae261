// The escalation ladder's arithmetic and configuration: points add up and decay, each step is
// reached once on the way up (several at once: all of them, lowest first), a relayed copy of
// an offence counts once, offences from before a reset never come back, out-of-order arrivals
// keep the record in time order, and `moderation.escalation` is read or refused with its path.
#include "config/configloader.h"
#include "moderation/escalationladder.h"

#include <QTest>

using namespace mythos;

namespace {
const QDateTime kNow = QDateTime::fromString(QStringLiteral("2026-12-07T12:00:00.000Z"), Qt::ISODateWithMs);

Offence offence(const QString &id, int points, int minutesAgo, const QString &player = QStringLiteral("pat"))
{
    Offence f;
    f.id = id;
    f.playerId = player;
    f.kind = QStringLiteral("filter");
    f.points = points;
    f.at = kNow.addSecs(-60LL * minutesAgo);
    return f;
}

EscalationSection ladderConfig()
{
    EscalationSection e;
    e.enabled = true;
    e.decayMinutes = 60;
    using A = EscalationStep::Action;
    e.steps = { { 1, A::Warn, 0 }, { 2, A::Mute, 5 }, { 4, A::Mute, 60 }, { 6, A::Review, 0 } };
    return e;
}

QList<int> ats(const QList<EscalationStep> &steps)
{
    QList<int> out;
    for (const EscalationStep &s : steps)
        out.append(s.at);
    return out;
}
} // namespace

class TestEscalationLadder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stepsAreReachedOnceOnTheWayUp();
    void oneOffenceCanReachSeveralSteps();
    void pointsDecay();
    void duplicatesCountOnce();
    void resetForgetsAndKeepsForgetting();
    void outOfOrderArrivalsStayInTimeOrder();
    void standingNamesLastAndNextStep();
    void pruneDropsDecayed();
    void playersAreSeparate();
    void configIsRead();
    void configErrors_data();
    void configErrors();
};

void TestEscalationLadder::stepsAreReachedOnceOnTheWayUp()
{
    const EscalationSection config = ladderConfig();
    EscalationLadder ladder(config);
    QCOMPARE(ats(ladder.record(offence(QStringLiteral("o1"), 1, 10), kNow)), QList<int> { 1 });
    QCOMPARE(ats(ladder.record(offence(QStringLiteral("o2"), 1, 9), kNow)), QList<int> { 2 });
    QCOMPARE(ats(ladder.record(offence(QStringLiteral("o3"), 1, 8), kNow)), QList<int> {}); // 3: no step there
    QCOMPARE(ats(ladder.record(offence(QStringLiteral("o4"), 1, 7), kNow)), QList<int> { 4 });
    QCOMPARE(ladder.points(QStringLiteral("pat"), kNow), 4);
}

void TestEscalationLadder::oneOffenceCanReachSeveralSteps()
{
    const EscalationSection config = ladderConfig();
    EscalationLadder ladder(config);
    QCOMPARE(ats(ladder.record(offence(QStringLiteral("big"), 5, 1), kNow)), QList<int>({ 1, 2, 4 }));
    QCOMPARE(ats(ladder.record(offence(QStringLiteral("zero"), 0, 1), kNow)), QList<int> {});
}

void TestEscalationLadder::pointsDecay()
{
    const EscalationSection config = ladderConfig();
    EscalationLadder ladder(config);
    ladder.record(offence(QStringLiteral("old"), 1, 59), kNow);
    ladder.record(offence(QStringLiteral("new"), 1, 1), kNow);
    QCOMPARE(ladder.points(QStringLiteral("pat"), kNow), 2);
    QCOMPARE(ladder.points(QStringLiteral("pat"), kNow.addSecs(120)), 1); // "old" is past 60 minutes
    // An offence older than the decay is not recorded at all.
    QVERIFY(ladder.record(offence(QStringLiteral("ancient"), 3, 61), kNow).isEmpty());
    QVERIFY(!ladder.knows(QStringLiteral("ancient")));
    // Once the points have decayed, the way up is open again: the warning comes back.
    EscalationLadder again(config);
    QCOMPARE(ats(again.record(offence(QStringLiteral("a"), 1, 0), kNow)), QList<int> { 1 });
    Offence later = offence(QStringLiteral("c"), 1, 0);
    later.at = kNow.addSecs(2 * 3600);
    QCOMPARE(ats(again.record(later, later.at)), QList<int> { 1 });
}

void TestEscalationLadder::duplicatesCountOnce()
{
    const EscalationSection config = ladderConfig();
    EscalationLadder ladder(config);
    QCOMPARE(ats(ladder.record(offence(QStringLiteral("o1"), 1, 1), kNow)), QList<int> { 1 });
    QVERIFY(ladder.record(offence(QStringLiteral("o1"), 1, 1), kNow).isEmpty());
    QCOMPARE(ladder.points(QStringLiteral("pat"), kNow), 1);
}

void TestEscalationLadder::resetForgetsAndKeepsForgetting()
{
    const EscalationSection config = ladderConfig();
    EscalationLadder ladder(config);
    ladder.record(offence(QStringLiteral("o1"), 2, 5), kNow);
    ladder.reset(QStringLiteral("pat"), kNow.addSecs(-60));
    QCOMPARE(ladder.points(QStringLiteral("pat"), kNow), 0);
    // A relayed offence from before the reset arrives late: still forgotten.
    QVERIFY(ladder.record(offence(QStringLiteral("late"), 1, 3), kNow).isEmpty());
    QCOMPARE(ladder.points(QStringLiteral("pat"), kNow), 0);
    // After the reset the ladder starts from the bottom.
    QCOMPARE(ats(ladder.record(offence(QStringLiteral("after"), 1, 0), kNow)), QList<int> { 1 });
}

void TestEscalationLadder::outOfOrderArrivalsStayInTimeOrder()
{
    const EscalationSection config = ladderConfig();
    EscalationLadder ladder(config);
    ladder.record(offence(QStringLiteral("b"), 1, 2), kNow);
    ladder.record(offence(QStringLiteral("a"), 1, 5), kNow);
    ladder.record(offence(QStringLiteral("c"), 1, 1), kNow);
    const Standing s = ladder.standing(QStringLiteral("pat"), kNow);
    QCOMPARE(s.offences.size(), 3);
    QCOMPARE(s.offences[0].id, QStringLiteral("a"));
    QCOMPARE(s.offences[1].id, QStringLiteral("b"));
    QCOMPARE(s.offences[2].id, QStringLiteral("c"));
}

void TestEscalationLadder::standingNamesLastAndNextStep()
{
    const EscalationSection config = ladderConfig();
    EscalationLadder ladder(config);
    Standing s = ladder.standing(QStringLiteral("pat"), kNow);
    QVERIFY(!s.lastReached);
    QCOMPARE(s.next->at, 1);
    ladder.record(offence(QStringLiteral("o1"), 3, 1), kNow);
    s = ladder.standing(QStringLiteral("pat"), kNow);
    QCOMPARE(s.points, 3);
    QCOMPARE(s.lastReached->at, 2);
    QCOMPARE(s.lastReached->minutes, 5);
    QCOMPARE(s.next->at, 4);
    ladder.record(offence(QStringLiteral("o2"), 5, 1), kNow);
    s = ladder.standing(QStringLiteral("pat"), kNow);
    QCOMPARE(s.lastReached->action, EscalationStep::Action::Review);
    QVERIFY(!s.next); // the top of the ladder
}

void TestEscalationLadder::pruneDropsDecayed()
{
    const EscalationSection config = ladderConfig();
    EscalationLadder ladder(config);
    ladder.record(offence(QStringLiteral("o1"), 1, 30), kNow);
    ladder.prune(kNow.addSecs(31 * 60));
    QVERIFY(!ladder.knows(QStringLiteral("o1")));
    QVERIFY(ladder.standing(QStringLiteral("pat"), kNow).offences.isEmpty());
}

void TestEscalationLadder::playersAreSeparate()
{
    const EscalationSection config = ladderConfig();
    EscalationLadder ladder(config);
    ladder.record(offence(QStringLiteral("o1"), 3, 1), kNow);
    QCOMPARE(ats(ladder.record(offence(QStringLiteral("o2"), 1, 1, QStringLiteral("kim")), kNow)), QList<int> { 1 });
    QCOMPARE(ladder.points(QStringLiteral("kim"), kNow), 1);
}

void TestEscalationLadder::configIsRead()
{
    const auto parsed = configloader::parse("moderation:\n"
                                            "  escalation:\n"
                                            "    enabled: true\n"
                                            "    decay_minutes: 30\n"
                                            "    points: { mild: 1, severe: 5, rate_limit_flood: 2, warn: 3 }\n"
                                            "    ignore_categories: [self-harm, spam]\n"
                                            "    steps:\n"
                                            "      - { at: 2, action: warn }\n"
                                            "      - { at: 5, action: mute, minutes: 30 }\n"
                                            "      - { at: 9, action: review }\n");
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error()));
    const EscalationSection &e = parsed.value().moderation.escalation;
    QVERIFY(e.enabled);
    QCOMPARE(e.decayMinutes, 30);
    QCOMPARE(e.filterPoints[0], 1);
    QCOMPARE(e.filterPoints[1], 1); // not written: the default
    QCOMPARE(e.filterPoints[2], 5);
    QCOMPARE(e.rateLimitFloodPoints, 2);
    QCOMPARE(e.warnPoints, 3);
    QCOMPARE(e.ignoredCategories, QStringList({ QStringLiteral("self-harm"), QStringLiteral("spam") }));
    QCOMPARE(e.steps.size(), 3);
    QCOMPARE(e.steps[1].action, EscalationStep::Action::Mute);
    QCOMPARE(e.steps[1].minutes, 30);
    // Without the section: off, with the documented default ladder.
    const auto empty = configloader::parse("");
    QVERIFY(!empty.value().moderation.escalation.enabled);
    QCOMPARE(empty.value().moderation.escalation.steps.size(), 5);
}

void TestEscalationLadder::configErrors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("message");
    const QByteArray head = "moderation:\n  escalation:\n";
    QTest::newRow("bad action") << head + "    steps:\n      - { at: 1, action: ban }\n"
                                << "moderation.escalation.steps[0].action: 'ban' is not warn, mute or review";
    QTest::newRow("steps not climbing") << head
                    + "    steps:\n      - { at: 3, action: warn }\n"
                      "      - { at: 2, action: mute }\n"
                                        << "moderation.escalation.steps[1].at: steps must climb";
    QTest::newRow("mute too long") << head + "    steps:\n      - { at: 1, action: mute, minutes: 20000 }\n"
                                   << "moderation.escalation.steps[0].minutes";
    QTest::newRow("no steps") << head + "    steps: []\n"
                              << "moderation.escalation.steps: the ladder needs at least one step";
    QTest::newRow("steps not a list") << head + "    steps: warn\n"
                                      << "moderation.escalation.steps: expected a list";
    QTest::newRow("step not a mapping") << head + "    steps:\n      - warn\n"
                                        << "moderation.escalation.steps[0]: expected a mapping";
    QTest::newRow("unknown step key") << head + "    steps:\n      - { at: 1, action: warn, colour: red }\n"
                                      << "moderation.escalation.steps[0].colour: unknown key";
    QTest::newRow("bad category") << head + "    ignore_categories: [Self Harm]\n"
                                  << "moderation.escalation.ignore_categories: 'Self Harm' is not a category name";
    QTest::newRow("decay zero") << head + "    decay_minutes: 0\n"
                                << "moderation.escalation.decay_minutes";
    QTest::newRow("unknown points key") << head + "    points: { slur: 3 }\n"
                                        << "moderation.escalation.points.slur: unknown key";
}

void TestEscalationLadder::configErrors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, message);
    const auto result = configloader::parse(yaml);
    QVERIFY(!result);
    QVERIFY2(result.error().contains(message), qPrintable(result.error()));
}

QTEST_GUILESS_MAIN(TestEscalationLadder)
#include "tst_escalationladder.moc"
