// The player record's models and the queue's category filter, without a server: the offences
// model (order, warnings, the standing's words), the notes model (order, one line per note, the
// whole note on demand), and the queue filter by matched category and review. The record
// against a real server: tst_console_record.
#include "connection/moderatorclient.h"
#include "models/notesmodel.h"
#include "models/offencesmodel.h"
#include "models/queuemodel.h"
#include "views/queueview.h"

#include <QApplication>
#include <QComboBox>
#include <QJsonArray>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace mythos;
using namespace mythos::console;

namespace {
QJsonObject offence(const QString &id, const QString &kind, int points, const QString &at, const QString &detail)
{
    return { { QStringLiteral("id"), id },
             { QStringLiteral("kind"), kind },
             { QStringLiteral("points"), points },
             { QStringLiteral("at"), at },
             { QStringLiteral("actor"),
               kind == QLatin1String("warn") ? QStringLiteral("mod-1") : QStringLiteral("system") },
             { QStringLiteral("detail"), detail },
             { QStringLiteral("channel"), QStringLiteral("say") } };
}

QJsonObject queueItem(const QString &id, const QString &kind, const QStringList &categories)
{
    QJsonArray matched;
    for (const QString &c : categories)
        matched.append(QJsonObject { { QStringLiteral("category"), c },
                                     { QStringLiteral("rule"), c + QStringLiteral(" rule") } });
    return { { QStringLiteral("item_id"), id },
             { QStringLiteral("kind"), kind },
             { QStringLiteral("status"), QStringLiteral("pending") },
             { QStringLiteral("sender_id"), QStringLiteral("troll") },
             { QStringLiteral("channel"), QStringLiteral("say") },
             { QStringLiteral("created_at"), QStringLiteral("2026-12-07T12:00:00.000Z") },
             { QStringLiteral("message"), QJsonObject { { QStringLiteral("content"), id } } },
             { QStringLiteral("context"), QJsonObject { { QStringLiteral("matched"), matched } } } };
}

QStringList shownItems(const QAbstractItemModel *m)
{
    QStringList ids;
    for (int r = 0; r < m->rowCount(); ++r)
        ids.append(m->index(r, 0).data(QueueModel::ItemIdRole).toString());
    ids.sort();
    return ids;
}

QJsonObject note(const QString &id, const QString &at, const QString &author, const QString &text)
{
    return { { QStringLiteral("id"), id },
             { QStringLiteral("player_id"), QStringLiteral("troll") },
             { QStringLiteral("author_id"), author.toLower() },
             { QStringLiteral("author_name"), author },
             { QStringLiteral("text"), text },
             { QStringLiteral("created_at"), at },
             { QStringLiteral("origin"), QStringLiteral("chat-2") } };
}
} // namespace

class TestConsoleRecordModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void offencesModelReadsAStanding();
    void notesModelReadsNotes();
    void queueFilterByCategory();
    void queueCategoryComboIsTyped();
};

void TestConsoleRecordModels::offencesModelReadsAStanding()
{
    OffencesModel m;
    QVERIFY(OffencesModel::summary({}).contains(QStringLiteral("not read")));
    const QJsonObject standing {
        { QStringLiteral("player_id"), QStringLiteral("troll") },
        { QStringLiteral("points"), 3 },
        { QStringLiteral("offences"),
          QJsonArray { offence(QStringLiteral("o1"), QStringLiteral("filter"), 2,
                               QStringLiteral("2026-12-07T10:00:00.000Z"), QStringLiteral("slur (severe) on say")),
                       offence(QStringLiteral("o2"), QStringLiteral("warn"), 1,
                               QStringLiteral("2026-12-07T11:00:00.000Z"), QStringLiteral("stop baiting")) } },
        { QStringLiteral("last_step"),
          QJsonObject { { QStringLiteral("at"), 2 },
                        { QStringLiteral("action"), QStringLiteral("mute") },
                        { QStringLiteral("minutes"), 5 } } },
        { QStringLiteral("next_step"),
          QJsonObject { { QStringLiteral("at"), 5 }, { QStringLiteral("action"), QStringLiteral("review") } } },
        { QStringLiteral("decay_minutes"), 1440 },
        { QStringLiteral("enabled"), true },
    };
    m.setStanding(standing);
    QCOMPARE(m.points(), 3);
    QCOMPARE(m.rowCount(), 2);
    // Newest first.
    QCOMPARE(m.index(0, 0).data(OffencesModel::OffenceIdRole).toString(), QStringLiteral("o2"));
    QCOMPARE(m.index(0, OffencesModel::DetailColumn).data().toString(), QStringLiteral("stop baiting"));
    QCOMPARE(m.index(0, OffencesModel::ActorColumn).data().toString(), QStringLiteral("mod-1"));
    QCOMPARE(m.warnings().size(), 1);
    QCOMPARE(m.warnings().first().value(QStringLiteral("detail")).toString(), QStringLiteral("stop baiting"));
    const QString summary = OffencesModel::summary(standing);
    QVERIFY2(summary.startsWith(QStringLiteral("3 points")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("last step: mute 5 min (at 2)")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("next: review (at 5)")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("1440 min")), qPrintable(summary));
    QVERIFY(!summary.contains(QStringLiteral("off on this server")));
    QJsonObject off = standing;
    off.insert(QStringLiteral("enabled"), false);
    off.insert(QStringLiteral("next_step"), QJsonValue());
    QVERIFY(OffencesModel::summary(off).contains(QStringLiteral("next: none")));
    QVERIFY(OffencesModel::summary(off).contains(QStringLiteral("off on this server")));
    QCOMPARE(OffencesModel::stepText(QJsonObject { { QStringLiteral("action"), QStringLiteral("mute") } }),
             QStringLiteral("mute until lifted"));
    m.setStanding({ { QStringLiteral("points"), 0 }, { QStringLiteral("offences"), QJsonArray() } });
    QCOMPARE(m.rowCount(), 0);
    QVERIFY(m.warnings().isEmpty());
}

void TestConsoleRecordModels::queueFilterByCategory()
{
    QueueModel model;
    model.upsert(queueItem(QStringLiteral("q-scam"), QStringLiteral("flagged"), { QStringLiteral("scam") }));
    model.upsert(queueItem(QStringLiteral("q-both"), QStringLiteral("held"),
                           { QStringLiteral("threat"), QStringLiteral("harassment") }));
    model.upsert(queueItem(QStringLiteral("q-review"), QStringLiteral("review"), {}));
    QCOMPARE(QueueModel::categories(model.item(model.rowOf(QStringLiteral("q-review")))),
             QStringList { QStringLiteral("review") });
    QueueFilter filter;
    filter.setSourceModel(&model);
    QCOMPARE(filter.rowCount(), 3);
    filter.setCategory(QStringLiteral("scam"));
    QCOMPARE(shownItems(&filter), QStringList { QStringLiteral("q-scam") });
    filter.setCategory(QStringLiteral("HARASSMENT "));
    QCOMPARE(shownItems(&filter), QStringList { QStringLiteral("q-both") });
    filter.setCategory(QStringLiteral("review"));
    QCOMPARE(shownItems(&filter), QStringList { QStringLiteral("q-review") });
    filter.setCategory(QStringLiteral("slur"));
    QCOMPARE(filter.rowCount(), 0);
    filter.setCategory(QString());
    QCOMPARE(filter.rowCount(), 3);
    // Still only pending items unless closed ones are asked for, whatever the category.
    QJsonObject closed = queueItem(QStringLiteral("q-scam"), QStringLiteral("flagged"), { QStringLiteral("scam") });
    closed.insert(QStringLiteral("status"), QStringLiteral("dismissed"));
    model.upsert(closed);
    filter.setCategory(QStringLiteral("scam"));
    QCOMPARE(filter.rowCount(), 0);
    filter.setShowClosed(true);
    QCOMPARE(shownItems(&filter), QStringList { QStringLiteral("q-scam") });
}

void TestConsoleRecordModels::queueCategoryComboIsTyped()
{
    QueueModel model;
    ModeratorClient client; // not connected: nothing is sent
    QueueView view(&model, &client);
    model.upsert(queueItem(QStringLiteral("q-scam"), QStringLiteral("flagged"), { QStringLiteral("scam") }));
    model.upsert(queueItem(QStringLiteral("q-threat"), QStringLiteral("held"), { QStringLiteral("threat") }));
    model.upsert(queueItem(QStringLiteral("q-review"), QStringLiteral("review"), {}));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QComboBox *combo = view.categoryCombo();
    // The categories the items carry are offered.
    QVERIFY(combo->findText(QStringLiteral("scam")) >= 0);
    QVERIFY(combo->findText(QStringLiteral("threat")) >= 0);
    QVERIFY(combo->findText(QStringLiteral("review")) >= 0);
    QCOMPARE(view.table()->model()->rowCount(), 3);
    // Typed: the queue's one-letter keys (C, A, …) must not swallow the letters.
    combo->lineEdit()->setFocus();
    QTest::keyClicks(combo->lineEdit(), QStringLiteral("scam"));
    QCOMPARE(combo->currentText(), QStringLiteral("scam"));
    QCOMPARE(shownItems(view.table()->model()), QStringList { QStringLiteral("q-scam") });
    combo->setCurrentIndex(combo->findText(QStringLiteral("review")));
    QCOMPARE(shownItems(view.table()->model()), QStringList { QStringLiteral("q-review") });
    combo->setCurrentIndex(0);
    QCOMPARE(view.table()->model()->rowCount(), 3);
    // Ctrl+I on an item asks for its sender's record.
    QSignalSpy asked(&view, &QueueView::recordRequested);
    view.table()->setFocus();
    view.table()->selectRow(0);
    view.table()->setCurrentIndex(view.table()->model()->index(0, 0));
    QTest::keyClick(view.table(), Qt::Key_I, Qt::ControlModifier);
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.first().first().toString(), QStringLiteral("troll"));
}

void TestConsoleRecordModels::notesModelReadsNotes()
{
    NotesModel m;
    QCOMPARE(m.rowCount(), 0);
    QCOMPARE(m.columnCount(), int(NotesModel::ColumnCount));
    // Out of order on purpose: the model shows newest first whatever it is given.
    m.setNotes({ { QStringLiteral("player_id"), QStringLiteral("troll") },
                 { QStringLiteral("notes"),
                   QJsonArray { note(QStringLiteral("n1"), QStringLiteral("2026-12-07T09:00:00.000Z"),
                                     QStringLiteral("Ana"), QStringLiteral("first contact")),
                                note(QStringLiteral("n2"), QStringLiteral("2026-12-07T11:30:00.000Z"),
                                     QStringLiteral("Bo"), QStringLiteral("line one\nline two")) } } });
    QCOMPARE(m.rowCount(), 2);
    QCOMPARE(m.index(0, 0).data(NotesModel::NoteIdRole).toString(), QStringLiteral("n2"));
    QCOMPARE(m.index(0, NotesModel::TextColumn).data().toString(), QStringLiteral("line one line two"));
    QCOMPARE(m.index(0, NotesModel::TextColumn).data(Qt::ToolTipRole).toString(), QStringLiteral("line one\nline two"));
    QCOMPARE(m.index(0, NotesModel::AuthorColumn).data().toString(), QStringLiteral("Bo"));
    QVERIFY(m.index(0, NotesModel::TimeColumn).data(Qt::ToolTipRole).toString().contains(QStringLiteral("chat-2")));
    QCOMPARE(m.index(1, NotesModel::TextColumn).data().toString(), QStringLiteral("first contact"));
    // An author without a name (an HTTP script) is shown by id.
    QJsonObject anonymous = note(QStringLiteral("n3"), QStringLiteral("2026-12-07T12:00:00.000Z"), QString(),
                                 QStringLiteral("from a script"));
    anonymous.insert(QStringLiteral("author_id"), QStringLiteral("ops-script"));
    m.setNotes({ { QStringLiteral("notes"), QJsonArray { anonymous } } });
    QCOMPARE(m.rowCount(), 1);
    QCOMPARE(m.index(0, NotesModel::AuthorColumn).data().toString(), QStringLiteral("ops-script"));
    m.setNotes({ { QStringLiteral("notes"), QJsonArray() } });
    QCOMPARE(m.rowCount(), 0);
}

QTEST_MAIN(TestConsoleRecordModels)
#include "tst_console_recordmodels.moc"
