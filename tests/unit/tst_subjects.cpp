// Subject templates (`nats.subjects.<channel>`): filling a template with a scope id, reading the
// scope id back out of a subject, the moderators' feed wildcard, and the checks that keep one
// subject meaning one thing. Without templates every subject is the PROTOCOL §5 scheme.
#include "model/channel.h"
#include "protocol/subjects.h"
#include "protocol/subjecttemplate.h"

#include <QTest>

using namespace mythos;

namespace {

const QString kFoyer = QStringLiteral("earth_arkhamcity_sanitarium_room_foyer_001");

ChannelSpec channel(const QString &name)
{
    for (const ChannelSpec &c : defaultChannels()) {
        if (c.name == name)
            return c;
    }
    return {};
}

// MythosMUD's subjects for the five channels it publishes with an id.
QMap<QString, QString> mythosTemplates()
{
    return { { QStringLiteral("say"), QStringLiteral("chat.say.room.{room_id}") },
             { QStringLiteral("emote"), QStringLiteral("{prefix}.emote.room.{room_id}") },
             { QStringLiteral("local"), QStringLiteral("chat.local.subzone.{subzone}") },
             { QStringLiteral("party"), QStringLiteral("chat.party.group.{party_id}") },
             { QStringLiteral("whisper"), QStringLiteral("chat.whisper.player.{id}") } };
}

} // namespace

class TestSubjects : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void withoutTemplatesTheStandardScheme_data();
    void withoutTemplatesTheStandardScheme();
    void mythosTemplatesBothWays_data();
    void mythosTemplatesBothWays();
    void reverseRefusesOtherShapes_data();
    void reverseRefusesOtherShapes();
    void placeholderAnywhere();
    void feedWildcards();
    void templateParsing_data();
    void templateParsing();
    void overlaps();
    void problemsLeaveTheChannelWithoutSubject();
};

void TestSubjects::withoutTemplatesTheStandardScheme_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("scopeId");
    QTest::addColumn<QByteArray>("subject");
    QTest::newRow("say") << "say" << kFoyer << QByteArray("chat.say." + kFoyer.toUtf8());
    QTest::newRow("local") << "local"
                           << "earth_arkhamcity_sanitarium"
                           << QByteArrayLiteral("chat.local.earth_arkhamcity_sanitarium");
    QTest::newRow("party") << "party"
                           << "p7" << QByteArrayLiteral("chat.party.p7");
    QTest::newRow("whisper") << "whisper"
                             << "bob" << QByteArrayLiteral("chat.whisper.bob");
    QTest::newRow("global") << "global"
                            << "" << QByteArrayLiteral("chat.global");
    QTest::newRow("admin") << "admin"
                           << "" << QByteArrayLiteral("chat.admin");
}

void TestSubjects::withoutTemplatesTheStandardScheme()
{
    QFETCH(QString, name);
    QFETCH(QString, scopeId);
    QFETCH(QByteArray, subject);
    const ChannelSpec spec = channel(name);
    // An empty map is the same as the one-argument constructor, byte for byte.
    const Subjects configured(QStringLiteral("chat"), {}, defaultChannels());
    QVERIFY(configured.problems().isEmpty());
    QCOMPARE(configured.forChannel(spec, scopeId), subject);
    QCOMPARE(Subjects().forChannel(spec, scopeId), subject);
    QCOMPARE(configured.scopeIdOf(spec, subject), std::optional<QString>(scopeId));
}

void TestSubjects::mythosTemplatesBothWays_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("scopeId");
    QTest::addColumn<QByteArray>("subject");
    QTest::newRow("say") << "say" << kFoyer << QByteArray("chat.say.room." + kFoyer.toUtf8());
    QTest::newRow("emote ({prefix})") << "emote" << kFoyer << QByteArray("chat.emote.room." + kFoyer.toUtf8());
    QTest::newRow("local") << "local"
                           << "sanitarium" << QByteArrayLiteral("chat.local.subzone.sanitarium");
    QTest::newRow("party") << "party"
                           << "p7" << QByteArrayLiteral("chat.party.group.p7");
    QTest::newRow("whisper") << "whisper"
                             << "11111111-1111-4111-8111-111111111111"
                             << QByteArrayLiteral("chat.whisper.player.11111111-1111-4111-8111-111111111111");
    // Channels without a template keep the standard scheme.
    QTest::newRow("zone") << "zone"
                          << "earth_arkhamcity" << QByteArrayLiteral("chat.zone.earth_arkhamcity");
    QTest::newRow("global") << "global"
                            << "" << QByteArrayLiteral("chat.global");
    QTest::newRow("system") << "system"
                            << "" << QByteArrayLiteral("chat.system");
}

void TestSubjects::mythosTemplatesBothWays()
{
    QFETCH(QString, name);
    QFETCH(QString, scopeId);
    QFETCH(QByteArray, subject);
    const Subjects subjects(QStringLiteral("chat"), mythosTemplates(), defaultChannels());
    QVERIFY(subjects.problems().isEmpty());
    const ChannelSpec spec = channel(name);
    QCOMPARE(subjects.forChannel(spec, scopeId), subject);
    QCOMPARE(subjects.scopeIdOf(spec, subject), std::optional<QString>(scopeId));
    // No other channel claims the subject.
    for (const ChannelSpec &other : defaultChannels()) {
        if (other.name != name)
            QVERIFY2(!subjects.scopeIdOf(other, subject), qPrintable(other.name));
    }
}

void TestSubjects::reverseRefusesOtherShapes_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("subject");
    QTest::newRow("standard subject under a template") << "say" << QByteArray("chat.say." + kFoyer.toUtf8());
    QTest::newRow("missing id") << "say" << QByteArrayLiteral("chat.say.room");
    QTest::newRow("empty id") << "say" << QByteArrayLiteral("chat.say.room.");
    QTest::newRow("extra token") << "say" << QByteArrayLiteral("chat.say.room.a.b");
    QTest::newRow("wrong literal") << "say" << QByteArrayLiteral("chat.say.zone.a");
    QTest::newRow("another channel's") << "say" << QByteArrayLiteral("chat.emote.room.a");
    QTest::newRow("wildcard as id") << "say" << QByteArrayLiteral("chat.say.room.*");
    QTest::newRow("invalid id") << "whisper" << QByteArrayLiteral("chat.whisper.player.caf\xc3\xa9");
    QTest::newRow("id on an id-less channel") << "global" << QByteArrayLiteral("chat.global.x");
    QTest::newRow("other prefix") << "global" << QByteArrayLiteral("mud.global");
}

void TestSubjects::reverseRefusesOtherShapes()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, subject);
    const Subjects subjects(QStringLiteral("chat"), mythosTemplates(), defaultChannels());
    QCOMPARE(subjects.scopeIdOf(channel(name), subject), std::nullopt);
}

void TestSubjects::placeholderAnywhere()
{
    const Subjects subjects(QStringLiteral("game"),
                            { { QStringLiteral("say"), QStringLiteral("rooms.{room}.say") },
                              { QStringLiteral("global"), QStringLiteral("{prefix}.everyone") } },
                            defaultChannels());
    QVERIFY(subjects.problems().isEmpty());
    QCOMPARE(subjects.forChannel(channel(QStringLiteral("say")), QStringLiteral("r1")),
             QByteArrayLiteral("rooms.r1.say"));
    QCOMPARE(subjects.scopeIdOf(channel(QStringLiteral("say")), "rooms.r1.say"), std::optional<QString>(u"r1"_qs));
    QCOMPARE(subjects.forChannel(channel(QStringLiteral("global")), {}), QByteArrayLiteral("game.everyone"));
    QCOMPARE(subjects.forChannel(channel(QStringLiteral("emote")), QStringLiteral("r1")),
             QByteArrayLiteral("game.emote.r1"));
    // Invalid ids never make a subject, whatever the template.
    QCOMPARE(subjects.forChannel(channel(QStringLiteral("say")), QStringLiteral("r.>")), QByteArray());
    QCOMPARE(subjects.forChannel(channel(QStringLiteral("say")), QString()), QByteArray());
}

void TestSubjects::feedWildcards()
{
    const Subjects standard;
    QCOMPARE(standard.wildcardFor(channel(QStringLiteral("say"))), QByteArrayLiteral("chat.say.*"));
    QCOMPARE(standard.wildcardFor(channel(QStringLiteral("global"))), QByteArrayLiteral("chat.global"));
    const Subjects mythos(QStringLiteral("chat"), mythosTemplates(), defaultChannels());
    QCOMPARE(mythos.wildcardFor(channel(QStringLiteral("local"))), QByteArrayLiteral("chat.local.subzone.*"));
    QCOMPARE(mythos.wildcardFor(channel(QStringLiteral("whisper"))), QByteArrayLiteral("chat.whisper.player.*"));
}

void TestSubjects::templateParsing_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("needsId");
    QTest::addColumn<QString>("resolved"); // empty: refused
    QTest::newRow("plain") << "chat.say.room.{room_id}" << true << "chat.say.room.{id}";
    QTest::newRow("prefix token") << "{prefix}.x.{a-b_1}" << true << "pfx.x.{id}";
    QTest::newRow("no id") << "chat.global" << false << "chat.global";
    QTest::newRow("one token") << "everyone" << false << "everyone";
    QTest::newRow("only the id") << "{id}" << true << "{id}";
    QTest::newRow("missing id") << "chat.say" << true << "";
    QTest::newRow("id where none") << "chat.global.{id}" << false << "";
    QTest::newRow("two ids") << "{a}.{b}" << true << "";
    QTest::newRow("empty") << "" << false << "";
    QTest::newRow("leading dot") << ".chat.global" << false << "";
    QTest::newRow("star") << "chat.*" << false << "";
    QTest::newRow("gt") << "chat.>" << false << "";
    QTest::newRow("tab") << "chat.\tglobal" << false << "";
    QTest::newRow("empty placeholder") << "chat.{}" << true << "";
    QTest::newRow("placeholder with a dot") << "chat.{a.b}" << true << "";
    QTest::newRow("unbalanced brace") << "chat.{id" << true << "";
    QTest::newRow("non-ASCII") << "chat.caf\u00e9.{id}" << true << "";
    QTest::newRow("long token") << QStringLiteral("chat.") + QString(65, QLatin1Char('x')) << false << "";
}

void TestSubjects::templateParsing()
{
    QFETCH(QString, text);
    QFETCH(bool, needsId);
    QFETCH(QString, resolved);
    QString error;
    const auto t = SubjectTemplate::parse(text, QByteArrayLiteral("pfx"), needsId, &error);
    QCOMPARE(t.has_value(), !resolved.isEmpty());
    if (t) {
        QCOMPARE(t->text(), resolved);
        QVERIFY(error.isEmpty());
    } else {
        QVERIFY(!error.isEmpty());
    }
}

void TestSubjects::overlaps()
{
    auto t = [](const char *text, bool needsId) {
        QString error;
        return *SubjectTemplate::parse(QString::fromLatin1(text), "chat", needsId, &error);
    };
    QVERIFY(t("a.{x}", true).overlaps(t("a.{y}", true)));
    QVERIFY(t("a.{x}", true).overlaps(t("a.b", false)));
    QVERIFY(t("{x}.b", true).overlaps(t("a.{y}", true)));
    QVERIFY(!t("a.{x}", true).overlaps(t("b.{x}", true)));
    QVERIFY(!t("a.{x}", true).overlaps(t("a.b.{x}", true)));
    QVERIFY(t("chat.control.{x}", true).overlapsPattern("chat.control.>"));
    QVERIFY(t("{x}.control.y", true).overlapsPattern("chat.control.>"));
    QVERIFY(!t("chat.control", false).overlapsPattern("chat.control.>")); // `>` needs a token
    QVERIFY(!t("chat.say.{x}", true).overlapsPattern("chat.control.>"));
    QVERIFY(t("a.{x}", true).overlapsPattern("a.*"));
    QVERIFY(!t("a.{x}.c", true).overlapsPattern("a.*"));
}

void TestSubjects::problemsLeaveTheChannelWithoutSubject()
{
    QList<ChannelSpec> channels = defaultChannels();
    const Subjects subjects(QStringLiteral("chat"),
                            { { QStringLiteral("say"), QStringLiteral("chat.say") },
                              { QStringLiteral("emote"), QStringLiteral("chat.local.{id}") },
                              { QStringLiteral("trade"), QStringLiteral("chat.trade") } },
                            channels);
    QCOMPARE(subjects.problems().size(), 3);
    QCOMPARE(subjects.forChannel(channel(QStringLiteral("say")), kFoyer), QByteArray());
    QCOMPARE(subjects.wildcardFor(channel(QStringLiteral("say"))), QByteArray());
    // A clash takes both channels off the bus: neither may publish where the other is read.
    QCOMPARE(subjects.forChannel(channel(QStringLiteral("emote")), kFoyer), QByteArray());
    QCOMPARE(subjects.forChannel(channel(QStringLiteral("local")), QStringLiteral("sub")), QByteArray());
    QCOMPARE(subjects.scopeIdOf(channel(QStringLiteral("local")), "chat.local.sub"), std::nullopt);
    // The others are untouched.
    QCOMPARE(subjects.forChannel(channel(QStringLiteral("zone")), QStringLiteral("z")),
             QByteArrayLiteral("chat.zone.z"));
    // A template checked against one scope is not used for a spec of another.
    const Subjects mythos(QStringLiteral("chat"), mythosTemplates(), channels);
    ChannelSpec roomless = channel(QStringLiteral("say"));
    roomless.scope = ScopeKind::Everyone;
    QCOMPARE(mythos.forChannel(roomless, {}), QByteArray());
}

QTEST_GUILESS_MAIN(TestSubjects)
#include "tst_subjects.moc"
