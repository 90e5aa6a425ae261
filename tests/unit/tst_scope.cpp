// Scope ids from room ids (PROTOCOL §2), the id rules that keep NATS subjects safe, message id
// ordering, and the subject each default channel publishes on (PROTOCOL §5).
#include "model/channel.h"
#include "model/scope.h"
#include "protocol/subjects.h"
#include "util/ids.h"

#include <QRegularExpression>
#include <QTest>

using namespace mythos;

namespace {

const QString kFoyer = QStringLiteral("earth_arkhamcity_sanitarium_room_foyer_001");

ChannelSpec defaultChannel(const QString &name)
{
    for (const ChannelSpec &c : defaultChannels()) {
        if (c.name == name)
            return c;
    }
    return {};
}

} // namespace

class TestScope : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fromRoomId_data();
    void fromRoomId();
    void withOverrides_data();
    void withOverrides();
    void locationIdFor();
    void scopeKindNames_data();
    void scopeKindNames();
    void unknownScopeKindNames_data();
    void unknownScopeKindNames();

    void subjectIds_data();
    void subjectIds();
    void playerIds_data();
    void playerIds();
    void displayNames_data();
    void displayNames();
    void characterCount_data();
    void characterCount();

    void messageIdFormat();
    void messageIdsIncreaseWithinOneMillisecond();
    void messageIdsIncreaseWhenClockStepsBack();
    void messageIdsIncreaseOverManyCalls();
    void messageIdsIncreaseWhenCounterOverflows();

    void defaultChannelSubjects_data();
    void defaultChannelSubjects();
    void invalidScopeIdsGiveNoSubject_data();
    void invalidScopeIdsGiveNoSubject();
    void customPrefixAndReconfiguredScope();
};

// ---- scopes --------------------------------------------------------------------------------

void TestScope::fromRoomId_data()
{
    QTest::addColumn<QString>("room");
    QTest::addColumn<QString>("plane");
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("subzone");

    QTest::newRow("sanitarium foyer") << kFoyer << QStringLiteral("earth") << QStringLiteral("earth_arkhamcity")
                                      << QStringLiteral("earth_arkhamcity_sanitarium");
    QTest::newRow("exactly four parts") << QStringLiteral("a_b_c_d") << QStringLiteral("a") << QStringLiteral("a_b")
                                        << QStringLiteral("a_b_c");
    QTest::newRow("hyphens inside parts")
            << QStringLiteral("dream-lands_ulthar_cat-temple_nave-7") << QStringLiteral("dream-lands")
            << QStringLiteral("dream-lands_ulthar") << QStringLiteral("dream-lands_ulthar_cat-temple");
    QTest::newRow("one part is its own everything")
            << QStringLiteral("limbo") << QStringLiteral("limbo") << QStringLiteral("limbo") << QStringLiteral("limbo");
    QTest::newRow("two parts") << QStringLiteral("a_b") << QStringLiteral("a_b") << QStringLiteral("a_b")
                               << QStringLiteral("a_b");
    QTest::newRow("three parts") << QStringLiteral("a_b_c") << QStringLiteral("a_b_c") << QStringLiteral("a_b_c")
                                 << QStringLiteral("a_b_c");
    // An empty part would give scope ids like "earth_" — the id is treated as unstructured.
    QTest::newRow("empty part") << QStringLiteral("earth__sanitarium_foyer")
                                << QStringLiteral("earth__sanitarium_foyer")
                                << QStringLiteral("earth__sanitarium_foyer")
                                << QStringLiteral("earth__sanitarium_foyer");
    QTest::newRow("empty") << QString() << QString() << QString() << QString();
}

void TestScope::fromRoomId()
{
    QFETCH(QString, room);
    QFETCH(QString, plane);
    QFETCH(QString, zone);
    QFETCH(QString, subzone);
    const ScopeIds ids = ScopeIds::fromRoomId(room);
    QCOMPARE(ids.room, room);
    QCOMPARE(ids.plane, plane);
    QCOMPARE(ids.zone, zone);
    QCOMPARE(ids.subzone, subzone);
}

void TestScope::withOverrides_data()
{
    QTest::addColumn<QString>("plane");
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("subzone");
    QTest::addColumn<QString>("expectedPlane");
    QTest::addColumn<QString>("expectedZone");
    QTest::addColumn<QString>("expectedSubzone");

    const QString earth = QStringLiteral("earth");
    const QString arkham = QStringLiteral("earth_arkhamcity");
    const QString sanitarium = QStringLiteral("earth_arkhamcity_sanitarium");

    QTest::newRow("none") << QString() << QString() << QString() << earth << arkham << sanitarium;
    QTest::newRow("plane only") << QStringLiteral("dreamlands") << QString() << QString()
                                << QStringLiteral("dreamlands") << arkham << sanitarium;
    QTest::newRow("zone only") << QString() << QStringLiteral("innsmouth") << QString() << earth
                               << QStringLiteral("innsmouth") << sanitarium;
    QTest::newRow("subzone only") << QString() << QString() << QStringLiteral("asylum_wing") << earth << arkham
                                  << QStringLiteral("asylum_wing");
    QTest::newRow("all three") << QStringLiteral("p") << QStringLiteral("z") << QStringLiteral("s")
                               << QStringLiteral("p") << QStringLiteral("z") << QStringLiteral("s");
}

void TestScope::withOverrides()
{
    QFETCH(QString, plane);
    QFETCH(QString, zone);
    QFETCH(QString, subzone);
    QFETCH(QString, expectedPlane);
    QFETCH(QString, expectedZone);
    QFETCH(QString, expectedSubzone);

    const ScopeIds base = ScopeIds::fromRoomId(kFoyer);
    const ScopeIds ids = base.withOverrides(plane, zone, subzone);
    QCOMPARE(ids.plane, expectedPlane);
    QCOMPARE(ids.zone, expectedZone);
    QCOMPARE(ids.subzone, expectedSubzone);
    QCOMPARE(ids.room, kFoyer); // the room itself is never overridden
    // withOverrides returns a copy; the original is untouched.
    QCOMPARE(base, ScopeIds::fromRoomId(kFoyer));
}

void TestScope::locationIdFor()
{
    const Location here { ScopeIds::fromRoomId(kFoyer), QStringLiteral("party-7") };
    QCOMPARE(here.idFor(ScopeKind::Room), kFoyer);
    QCOMPARE(here.idFor(ScopeKind::Subzone), QStringLiteral("earth_arkhamcity_sanitarium"));
    QCOMPARE(here.idFor(ScopeKind::Zone), QStringLiteral("earth_arkhamcity"));
    QCOMPARE(here.idFor(ScopeKind::Plane), QStringLiteral("earth"));
    QCOMPARE(here.idFor(ScopeKind::Party), QStringLiteral("party-7"));
    // Scopes without an id of their own.
    QCOMPARE(here.idFor(ScopeKind::Everyone), QString());
    QCOMPARE(here.idFor(ScopeKind::Player), QString());
    QCOMPARE(here.idFor(ScopeKind::Staff), QString());

    const Location noParty { ScopeIds::fromRoomId(kFoyer), QString() };
    QCOMPARE(noParty.idFor(ScopeKind::Party), QString());
    QCOMPARE(noParty.idFor(ScopeKind::Room), kFoyer);

    const Location nowhere;
    for (ScopeKind k : { ScopeKind::Room, ScopeKind::Subzone, ScopeKind::Zone, ScopeKind::Plane, ScopeKind::Party })
        QVERIFY2(nowhere.idFor(k).isEmpty(), qPrintable(scopeKindName(k)));

    // Explicit ids flow through idFor.
    const Location overridden { ScopeIds::fromRoomId(kFoyer).withOverrides({}, QStringLiteral("z1"), {}), {} };
    QCOMPARE(overridden.idFor(ScopeKind::Zone), QStringLiteral("z1"));
    QCOMPARE(overridden.idFor(ScopeKind::Subzone), QStringLiteral("earth_arkhamcity_sanitarium"));
}

void TestScope::scopeKindNames_data()
{
    QTest::addColumn<ScopeKind>("kind");
    QTest::addColumn<QString>("name");
    QTest::newRow("room") << ScopeKind::Room << QStringLiteral("room");
    QTest::newRow("subzone") << ScopeKind::Subzone << QStringLiteral("subzone");
    QTest::newRow("zone") << ScopeKind::Zone << QStringLiteral("zone");
    QTest::newRow("plane") << ScopeKind::Plane << QStringLiteral("plane");
    QTest::newRow("everyone") << ScopeKind::Everyone << QStringLiteral("everyone");
    QTest::newRow("party") << ScopeKind::Party << QStringLiteral("party");
    QTest::newRow("player") << ScopeKind::Player << QStringLiteral("player");
    QTest::newRow("staff") << ScopeKind::Staff << QStringLiteral("staff");
}

void TestScope::scopeKindNames()
{
    QFETCH(ScopeKind, kind);
    QFETCH(QString, name);
    QCOMPARE(scopeKindName(kind), name);
    const auto parsed = parseScopeKind(name);
    QVERIFY(parsed.has_value());
    QCOMPARE(*parsed, kind);
}

void TestScope::unknownScopeKindNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << QString();
    QTest::newRow("capitalised") << QStringLiteral("Room");
    QTest::newRow("plural") << QStringLiteral("rooms");
    QTest::newRow("padded") << QStringLiteral(" zone");
    QTest::newRow("world") << QStringLiteral("world");
    QTest::newRow("global (a channel, not a scope)") << QStringLiteral("global");
}

void TestScope::unknownScopeKindNames()
{
    QFETCH(QString, name);
    QVERIFY(!parseScopeKind(name).has_value());
}

// ---- ids -----------------------------------------------------------------------------------

void TestScope::subjectIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("maxLength"); // 0: the default (128)
    QTest::addColumn<bool>("valid");

    QTest::newRow("plain") << QStringLiteral("earth_arkhamcity") << 0 << true;
    QTest::newRow("all allowed chars") << QStringLiteral("AZaz09_-") << 0 << true;
    QTest::newRow("single char") << QStringLiteral("x") << 0 << true;
    QTest::newRow("128 chars") << QString(128, QLatin1Char('a')) << 0 << true;
    QTest::newRow("129 chars") << QString(129, QLatin1Char('a')) << 0 << false;
    QTest::newRow("empty") << QString() << 0 << false;
    QTest::newRow("dot") << QStringLiteral("earth.arkham") << 0 << false;
    QTest::newRow("star") << QStringLiteral("a*") << 0 << false;
    QTest::newRow("gt") << QStringLiteral("a>") << 0 << false;
    QTest::newRow("lone gt") << QStringLiteral(">") << 0 << false;
    QTest::newRow("space") << QStringLiteral("a b") << 0 << false;
    QTest::newRow("tab") << QStringLiteral("a\tb") << 0 << false;
    QTest::newRow("newline") << QStringLiteral("a\nb") << 0 << false;
    QTest::newRow("trailing space") << QStringLiteral("ab ") << 0 << false;
    QTest::newRow("slash") << QStringLiteral("a/b") << 0 << false;
    QTest::newRow("latin-1 letter") << QStringLiteral("caf\u00e9") << 0 << false;
    QTest::newRow("CJK") << QStringLiteral("\u65e5\u672c") << 0 << false;
    QTest::newRow("emoji") << QStringLiteral("a\U0001F600") << 0 << false;
    QTest::newRow("fullwidth digit") << QStringLiteral("\uff11") << 0 << false;
    QTest::newRow("NUL") << QString(QStringLiteral("a") + QChar(u'\0')) << 0 << false;
    QTest::newRow("64 with max 64") << QString(64, QLatin1Char('a')) << 64 << true;
    QTest::newRow("65 with max 64") << QString(65, QLatin1Char('a')) << 64 << false;
}

void TestScope::subjectIds()
{
    QFETCH(QString, id);
    QFETCH(int, maxLength);
    QFETCH(bool, valid);
    if (maxLength == 0)
        QCOMPARE(isValidSubjectId(id), valid);
    else
        QCOMPARE(isValidSubjectId(id, maxLength), valid);
}

void TestScope::playerIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("valid");
    QTest::newRow("alice") << QStringLiteral("alice") << true;
    QTest::newRow("guest-alice") << QStringLiteral("guest-alice") << true;
    QTest::newRow("64 chars") << QString(64, QLatin1Char('p')) << true;
    QTest::newRow("65 chars") << QString(65, QLatin1Char('p')) << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("dot") << QStringLiteral("a.b") << false;
    QTest::newRow("space") << QStringLiteral("bob smith") << false;
    QTest::newRow("star") << QStringLiteral("*") << false;
    QTest::newRow("unicode") << QStringLiteral("z\u00f6e") << false;
}

void TestScope::playerIds()
{
    QFETCH(QString, id);
    QFETCH(bool, valid);
    QCOMPARE(isValidPlayerId(id), valid);
}

void TestScope::displayNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("Alice") << QStringLiteral("Alice") << true;
    QTest::newRow("inner space") << QStringLiteral("Mary Jane") << true;
    QTest::newRow("punctuation") << QStringLiteral("O'Brien-Smith!") << true;
    QTest::newRow("accented") << QStringLiteral("Zo\u00eb") << true;
    QTest::newRow("CJK") << QStringLiteral("\u592a\u90ce") << true;
    QTest::newRow("one char") << QStringLiteral("A") << true;
    QTest::newRow("32 chars") << QString(32, QLatin1Char('n')) << true;
    QTest::newRow("33 chars") << QString(33, QLatin1Char('n')) << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("only space") << QStringLiteral(" ") << false;
    QTest::newRow("leading space") << QStringLiteral(" Alice") << false;
    QTest::newRow("trailing space") << QStringLiteral("Alice ") << false;
    QTest::newRow("BEL") << QStringLiteral("Al\u0007ice") << false;
    QTest::newRow("newline") << QStringLiteral("Ali\nce") << false;
    QTest::newRow("tab") << QStringLiteral("Ali\tce") << false;
    QTest::newRow("DEL") << QStringLiteral("Ali\u007fce") << false;
    QTest::newRow("NUL") << QString(QStringLiteral("Ali") + QChar(u'\0') + QStringLiteral("ce")) << false;
    QTest::newRow("C1 control") << QStringLiteral("Ali\u0085ce") << false;
    // Length counts characters, not UTF-16 units: 32 emoji are 64 units but 32 characters.
    QString emoji32;
    for (int i = 0; i < 32; ++i)
        emoji32 += QStringLiteral("\U0001F600");
    QTest::newRow("32 emoji") << emoji32 << true;
    QTest::newRow("33 emoji") << QString(emoji32 + QStringLiteral("\U0001F600")) << false;
    QTest::newRow("emoji name") << QStringLiteral("Cat \U0001F431") << true;
}

void TestScope::displayNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(isValidDisplayName(name), valid);
}

void TestScope::characterCount_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qsizetype>("count");
    QTest::newRow("empty") << QString() << qsizetype(0);
    QTest::newRow("ascii") << QStringLiteral("abc") << qsizetype(3);
    QTest::newRow("latin-1") << QStringLiteral("caf\u00e9") << qsizetype(4);
    QTest::newRow("one emoji") << QStringLiteral("\U0001F600") << qsizetype(1);
    QTest::newRow("emoji between letters") << QStringLiteral("a\U0001F600b") << qsizetype(3);
    QTest::newRow("two emoji") << QStringLiteral("\U0001F600\U0001F431") << qsizetype(2);
    QTest::newRow("CJK") << QStringLiteral("\u65e5\u672c\u8a9e") << qsizetype(3);
}

void TestScope::characterCount()
{
    QFETCH(QString, text);
    QFETCH(qsizetype, count);
    QCOMPARE(mythos::characterCount(text), count);
    // Sanity: a surrogate pair really is two UTF-16 units, so this does not count units.
    if (text.contains(QStringLiteral("\U0001F600")))
        QVERIFY(text.size() > count);
}

// ---- message ids ---------------------------------------------------------------------------

void TestScope::messageIdFormat()
{
    MessageIdGenerator gen(QStringLiteral("node1"));
    const qint64 ms = 0x18c2f4a1b2cLL;
    const QString first = gen.next(ms);
    // 12 hex digits of milliseconds, 6 of counter, then the instance tag.
    static const QRegularExpression shape(QStringLiteral("^([0-9a-f]{12})([0-9a-f]{6})-node1$"));
    const auto m = shape.match(first);
    QVERIFY2(m.hasMatch(), qPrintable(first));
    QCOMPARE(m.captured(1).toLongLong(nullptr, 16), ms);
    QCOMPARE(m.captured(2), QStringLiteral("000000"));
    const QString second = gen.next(ms);
    QVERIFY2(shape.match(second).hasMatch(), qPrintable(second));
    QCOMPARE(second.mid(12, 6), QStringLiteral("000001"));
}

void TestScope::messageIdsIncreaseWithinOneMillisecond()
{
    MessageIdGenerator gen(QStringLiteral("a"));
    QString previous = gen.next(1'700'000'000'000);
    for (int i = 0; i < 5000; ++i) {
        const QString id = gen.next(1'700'000'000'000);
        QVERIFY2(previous < id, qPrintable(previous + QStringLiteral(" !< ") + id));
        previous = id;
    }
}

void TestScope::messageIdsIncreaseWhenClockStepsBack()
{
    MessageIdGenerator gen(QStringLiteral("a"));
    const QList<qint64> clock { 1'700'000'005'000, 1'700'000'005'000, 1'700'000'004'000,
                                1'700'000'000'000, 1'700'000'004'999, 1'700'000'005'000,
                                1'700'000'005'001, 1'699'999'999'999, 1'700'000'005'002 };
    QString previous;
    for (qint64 now : clock) {
        const QString id = gen.next(now);
        QVERIFY2(previous < id, qPrintable(previous + QStringLiteral(" !< ") + id));
        previous = id;
    }
    // Once the clock is past every earlier reading, ids carry the real time again.
    const QString later = gen.next(1'700'000'006'000);
    QVERIFY(previous < later);
    QCOMPARE(later.left(12).toLongLong(nullptr, 16), 1'700'000'006'000LL);
}

void TestScope::messageIdsIncreaseOverManyCalls()
{
    // A wandering clock: mostly forward, often the same millisecond, sometimes backwards by up
    // to two seconds (NTP step), including across hex-digit carries.
    MessageIdGenerator gen(QStringLiteral("srv-2"));
    quint32 state = 12345;
    auto rand = [&state] {
        state = state * 1664525u + 1013904223u;
        return state >> 8;
    };
    qint64 now = 0xFFFFFFF000LL;
    QString previous;
    for (int i = 0; i < 50'000; ++i) {
        switch (rand() % 10) {
        case 0:
        case 1:
        case 2: break; // same millisecond
        case 3:
            now -= rand() % 2000; // steps back
            break;
        default: now += 1 + rand() % 7; break;
        }
        const QString id = gen.next(now);
        if (!(previous < id))
            QFAIL(qPrintable(QStringLiteral("call %1: %2 !< %3").arg(i).arg(previous, id)));
        previous = id;
    }
}

void TestScope::messageIdsIncreaseWhenCounterOverflows()
{
    // More than 0xFFFFFF ids within one millisecond: the counter does not wrap back below.
    MessageIdGenerator gen(QStringLiteral("a"));
    const qint64 ms = 1'700'000'000'000;
    QString previous = gen.next(ms);
    for (int i = 0; i < 0xFFFFFF - 1; ++i)
        gen.next(ms);
    const QString lastOfMs = gen.next(ms);
    QCOMPARE(lastOfMs.mid(12, 6), QStringLiteral("ffffff"));
    QVERIFY(previous < lastOfMs);
    const QString borrowed = gen.next(ms);
    QVERIFY2(lastOfMs < borrowed, qPrintable(lastOfMs + QStringLiteral(" !< ") + borrowed));
    const QString sameMsAgain = gen.next(ms);
    QVERIFY2(borrowed < sameMsAgain, qPrintable(borrowed + QStringLiteral(" !< ") + sameMsAgain));
    const QString nextMs = gen.next(ms + 1);
    QVERIFY2(sameMsAgain < nextMs, qPrintable(sameMsAgain + QStringLiteral(" !< ") + nextMs));
    const QString later = gen.next(ms + 2);
    QVERIFY2(nextMs < later, qPrintable(nextMs + QStringLiteral(" !< ") + later));
}

// ---- subjects ------------------------------------------------------------------------------

void TestScope::defaultChannelSubjects_data()
{
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QByteArray>("subject");

    // The §2 table has these nine channels; if it grows this test must grow too.
    QStringList names;
    for (const ChannelSpec &c : defaultChannels())
        names.append(c.name);
    QCOMPARE(names,
             (QStringList { QStringLiteral("say"), QStringLiteral("emote"), QStringLiteral("local"),
                            QStringLiteral("zone"), QStringLiteral("global"), QStringLiteral("party"),
                            QStringLiteral("whisper"), QStringLiteral("system"), QStringLiteral("admin") }));

    QTest::newRow("say") << QStringLiteral("say") << QByteArray("chat.say." + kFoyer.toUtf8());
    QTest::newRow("emote") << QStringLiteral("emote") << QByteArray("chat.emote." + kFoyer.toUtf8());
    QTest::newRow("local") << QStringLiteral("local") << QByteArrayLiteral("chat.local.earth_arkhamcity_sanitarium");
    QTest::newRow("zone") << QStringLiteral("zone") << QByteArrayLiteral("chat.zone.earth_arkhamcity");
    QTest::newRow("global") << QStringLiteral("global") << QByteArrayLiteral("chat.global");
    QTest::newRow("party") << QStringLiteral("party") << QByteArrayLiteral("chat.party.party-7");
    QTest::newRow("whisper") << QStringLiteral("whisper") << QByteArrayLiteral("chat.whisper.bob_42");
    QTest::newRow("system") << QStringLiteral("system") << QByteArrayLiteral("chat.system");
    QTest::newRow("admin") << QStringLiteral("admin") << QByteArrayLiteral("chat.admin");
}

void TestScope::defaultChannelSubjects()
{
    QFETCH(QString, channel);
    QFETCH(QByteArray, subject);

    const ChannelSpec spec = defaultChannel(channel);
    QCOMPARE(spec.name, channel);
    const Location alice { ScopeIds::fromRoomId(kFoyer), QStringLiteral("party-7") };
    // A whisper's scope id is the target player; everything else comes from the sender's place.
    const QString scopeId = spec.scope == ScopeKind::Player ? QStringLiteral("bob_42") : alice.idFor(spec.scope);
    const Subjects subjects;
    QCOMPARE(subjects.prefix(), QByteArrayLiteral("chat"));
    QCOMPARE(subjects.forChannel(spec, scopeId), subject);
    // The id-less scopes ignore whatever id they are given.
    if (!scopeNeedsId(spec.scope))
        QCOMPARE(subjects.forChannel(spec, QStringLiteral("anything")), subject);
}

void TestScope::invalidScopeIdsGiveNoSubject_data()
{
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QString>("scopeId");

    const QStringList bad { QStringLiteral("earth.arkham"), QStringLiteral("a*"),
                            QStringLiteral("a>"),           QStringLiteral(">"),
                            QStringLiteral("a b"),          QString(),
                            QStringLiteral("a\tb"),         QStringLiteral("caf\u00e9"),
                            QString(129, QLatin1Char('x')) };
    for (const QString &channel : { QStringLiteral("say"), QStringLiteral("emote"), QStringLiteral("local"),
                                    QStringLiteral("zone"), QStringLiteral("party"), QStringLiteral("whisper") }) {
        for (const QString &id : bad) {
            const QString label = id.size() > 20 ? id.left(5) + QStringLiteral("…(%1)").arg(id.size()) : id;
            QTest::addRow("%s '%s'", qPrintable(channel), qPrintable(label)) << channel << id;
        }
    }
}

void TestScope::invalidScopeIdsGiveNoSubject()
{
    QFETCH(QString, channel);
    QFETCH(QString, scopeId);
    const ChannelSpec spec = defaultChannel(channel);
    QVERIFY(scopeNeedsId(spec.scope));
    QCOMPARE(Subjects().forChannel(spec, scopeId), QByteArray());
    QCOMPARE(Subjects(QStringLiteral("mud")).forChannel(spec, scopeId), QByteArray());
    // ...while a valid id on the same channel does give one.
    QVERIFY(!Subjects().forChannel(spec, QStringLiteral("ok_id")).isEmpty());
}

void TestScope::customPrefixAndReconfiguredScope()
{
    const Subjects mud(QStringLiteral("mud"));
    QCOMPARE(mud.prefix(), QByteArrayLiteral("mud"));
    QCOMPARE(mud.forChannel(defaultChannel(QStringLiteral("say")), kFoyer), QByteArray("mud.say." + kFoyer.toUtf8()));
    QCOMPARE(mud.forChannel(defaultChannel(QStringLiteral("global")), QString()), QByteArrayLiteral("mud.global"));
    QCOMPARE(mud.forChannel(defaultChannel(QStringLiteral("admin")), QString()), QByteArrayLiteral("mud.admin"));
    QCOMPARE(mud.forChannel(defaultChannel(QStringLiteral("whisper")), QStringLiteral("bob")),
             QByteArrayLiteral("mud.whisper.bob"));
    QCOMPARE(mud.controlWildcard(), QByteArrayLiteral("mud.control.>"));
    QCOMPARE(mud.control("mutes"), QByteArrayLiteral("mud.control.mutes"));
    QCOMPARE(Subjects().controlWildcard(), QByteArrayLiteral("chat.control.>"));
    QCOMPARE(Subjects::presence(QStringLiteral("alice")), QByteArrayLiteral("mud.presence.alice"));

    // §5: "local at room scope publishes chat.local.{room_id}".
    ChannelSpec local = defaultChannel(QStringLiteral("local"));
    QCOMPARE(local.scope, ScopeKind::Subzone);
    local.scope = ScopeKind::Room;
    const Location alice { ScopeIds::fromRoomId(kFoyer), {} };
    QCOMPARE(Subjects().forChannel(local, alice.idFor(local.scope)), QByteArray("chat.local." + kFoyer.toUtf8()));

    // A custom channel at zone scope, and one at plane scope.
    const ChannelSpec trade { QStringLiteral("trade"), ScopeKind::Zone, Role::Player, 5, 300 };
    QCOMPARE(Subjects().forChannel(trade, alice.idFor(trade.scope)), QByteArrayLiteral("chat.trade.earth_arkhamcity"));
    const ChannelSpec shout { QStringLiteral("shout"), ScopeKind::Plane, Role::Player, 5, 300 };
    QCOMPARE(Subjects().forChannel(shout, alice.idFor(shout.scope)), QByteArrayLiteral("chat.shout.earth"));
    // A player with no party has no party subject.
    QCOMPARE(Subjects().forChannel(defaultChannel(QStringLiteral("party")), alice.idFor(ScopeKind::Party)),
             QByteArray());
}

QTEST_APPLESS_MAIN(TestScope)
#include "tst_scope.moc"
