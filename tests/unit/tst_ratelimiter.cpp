// The sliding 60-second window: limits, retry-after, status, and that memory is released.
#include "moderation/ratelimiter.h"
#include "moderation/violationtracker.h"

#include <QTest>

using namespace mythos;

class TestRateLimiter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void allowsUpToTheLimitPerMinute();
    void windowSlides();
    void channelsAndPlayersAreSeparate();
    void statusReportsRemainingAndReset();
    void sweepForgetsIdleWindows();
    void violationsAreReportedOncePerCoolDown();
    void violationsAreCountedForAnHour();
};

void TestRateLimiter::allowsUpToTheLimitPerMinute()
{
    RateLimiter r;
    const qint64 t0 = 1'000'000;
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(r.retryAfterMs(QStringLiteral("p"), QStringLiteral("whisper"), 5, t0 + i * 1000), 0);
        r.record(QStringLiteral("p"), QStringLiteral("whisper"), t0 + i * 1000);
    }
    // The sixth within the minute waits until the first leaves the window.
    QCOMPARE(r.retryAfterMs(QStringLiteral("p"), QStringLiteral("whisper"), 5, t0 + 10000), 50000);
}

void TestRateLimiter::windowSlides()
{
    RateLimiter r;
    const qint64 t0 = 5'000'000;
    r.record(QStringLiteral("p"), QStringLiteral("say"), t0);
    r.record(QStringLiteral("p"), QStringLiteral("say"), t0 + 30000);
    QVERIFY(r.retryAfterMs(QStringLiteral("p"), QStringLiteral("say"), 2, t0 + 59999) > 0);
    QCOMPARE(r.retryAfterMs(QStringLiteral("p"), QStringLiteral("say"), 2, t0 + 60000), 0);
    r.record(QStringLiteral("p"), QStringLiteral("say"), t0 + 60000);
    QCOMPARE(r.retryAfterMs(QStringLiteral("p"), QStringLiteral("say"), 2, t0 + 61000), 29000);
    // A lowered limit (config reload) counts the same window.
    QCOMPARE(r.retryAfterMs(QStringLiteral("p"), QStringLiteral("say"), 1, t0 + 61000), 59000);
}

void TestRateLimiter::channelsAndPlayersAreSeparate()
{
    RateLimiter r;
    r.record(QStringLiteral("a"), QStringLiteral("say"), 100);
    QVERIFY(r.retryAfterMs(QStringLiteral("a"), QStringLiteral("say"), 1, 200) > 0);
    QCOMPARE(r.retryAfterMs(QStringLiteral("a"), QStringLiteral("global"), 1, 200), 0);
    QCOMPARE(r.retryAfterMs(QStringLiteral("b"), QStringLiteral("say"), 1, 200), 0);
}

void TestRateLimiter::statusReportsRemainingAndReset()
{
    RateLimiter r;
    RateStatus s = r.status(QStringLiteral("p"), QStringLiteral("say"), 15, 0);
    QCOMPARE(s.limit, 15);
    QCOMPARE(s.remaining, 15);
    QCOMPARE(s.resetMs, 0);
    r.record(QStringLiteral("p"), QStringLiteral("say"), 1000);
    r.record(QStringLiteral("p"), QStringLiteral("say"), 2000);
    s = r.status(QStringLiteral("p"), QStringLiteral("say"), 15, 11000);
    QCOMPARE(s.remaining, 13);
    QCOMPARE(s.resetMs, 50000);
}

void TestRateLimiter::sweepForgetsIdleWindows()
{
    RateLimiter r;
    for (int i = 0; i < 1000; ++i)
        r.record(QStringLiteral("player%1").arg(i), QStringLiteral("say"), 1000);
    r.record(QStringLiteral("late"), QStringLiteral("say"), 50000);
    QCOMPARE(r.trackedWindows(), 1001);
    QCOMPARE(r.sweep(61000), 1); // only "late" talked within the last minute
    QCOMPARE(r.sweep(110001), 0);
}

void TestRateLimiter::violationsAreReportedOncePerCoolDown()
{
    ViolationTracker t;
    const qint64 t0 = 1'000'000'000;
    QVERIFY(t.record(QStringLiteral("a"), QStringLiteral("say"), t0, 30000));
    QVERIFY(!t.record(QStringLiteral("a"), QStringLiteral("say"), t0 + 1000, 29000));
    QVERIFY(!t.record(QStringLiteral("a"), QStringLiteral("say"), t0 + 29999, 1));
    QVERIFY(t.record(QStringLiteral("a"), QStringLiteral("whisper"), t0 + 2000, 5000)); // own channel
    QVERIFY(t.record(QStringLiteral("b"), QStringLiteral("say"), t0 + 2000, 5000)); // own player
    QVERIFY(t.record(QStringLiteral("a"), QStringLiteral("say"), t0 + 30000, 10000)); // the next cool-down
    QCOMPARE(t.lastHour(QStringLiteral("a"), t0 + 30000), 5);
}

void TestRateLimiter::violationsAreCountedForAnHour()
{
    ViolationTracker t;
    const qint64 t0 = 6'000'000'000; // a minute boundary
    for (int i = 0; i < 1000; ++i) // a flood costs counters, not memory per refusal
        t.record(QStringLiteral("a"), QStringLiteral("say"), t0 + i, 1000);
    t.record(QStringLiteral("a"), QStringLiteral("say"), t0 + 30 * 60000, 1000);
    QCOMPARE(t.lastHour(QStringLiteral("a"), t0 + 30 * 60000), 1001);
    QCOMPARE(t.lastHour(QStringLiteral("a"), t0 + 60 * 60000), 1); // the first minute has left the hour
    QCOMPARE(t.lastHour(QStringLiteral("a"), t0 + 91 * 60000), 0);
    QCOMPARE(t.lastHour(QStringLiteral("nobody"), t0), 0);
    t.sweep(t0 + 60 * 60000);
    QCOMPARE(t.trackedPlayers(), 1);
    t.sweep(t0 + 90 * 60000);
    QCOMPARE(t.trackedPlayers(), 0);
}

QTEST_APPLESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
