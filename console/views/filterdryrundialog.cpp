#include "views/filterdryrundialog.h"

#include "connection/moderatorclient.h"
#include "protocol/wirenames.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace mythos::console {

namespace {

const char *const kOutcomes[] { "masked", "flagged", "held" };
// Days of chat on a busy server take a while to replay; the server answers once, when done.
constexpr int kReplyTimeoutMs = 300000;

QTableWidget *readOnlyTable(const QStringList &headers, const QString &name)
{
    auto *t = new QTableWidget(0, int(headers.size()));
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    t->setAccessibleName(name);
    return t;
}

QString verdictText(const QJsonObject &side)
{
    QStringList words;
    for (const char *o : kOutcomes) {
        if (side.value(QLatin1String(o)).toBool())
            words << QLatin1String(o);
    }
    const QString outcome = words.isEmpty() ? QObject::tr("as written") : words.join(QStringLiteral(", "));
    return QStringLiteral("%1  [%2]").arg(side.value(QStringLiteral("content")).toString(), outcome);
}

QString matchesText(const QJsonObject &side)
{
    QStringList lines;
    for (const QJsonValue &m : side.value(QStringLiteral("matched")).toArray())
        lines << m.toString();
    return lines.join(QLatin1Char('\n'));
}

} // namespace

FilterDryRunDialog::FilterDryRunDialog(ModeratorClient *client, QWidget *parent) : QDialog(parent), m_client(client)
{
    setWindowTitle(tr("Filter dry run"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    auto pathRow = [this, form](QLineEdit *&edit, const QString &label, const QString &placeholder, bool folder) {
        edit = new QLineEdit;
        edit->setPlaceholderText(placeholder);
        edit->setAccessibleName(label);
        auto *browse = new QPushButton(folder ? tr("Bro&wse…") : tr("Brow&se…"));
        browse->setAutoDefault(false); // Enter in the path field runs, it does not open a file dialog
        connect(browse, &QPushButton::clicked, this, [this, edit, folder] {
            const QString chosen = folder
                    ? QFileDialog::getExistingDirectory(this, tr("Candidate lists folder"), edit->text())
                    : QFileDialog::getOpenFileName(this, tr("Candidate levels file"), edit->text(),
                                                   tr("YAML (*.yaml *.yml)"));
            if (!chosen.isEmpty())
                edit->setText(chosen);
        });
        auto *row = new QHBoxLayout;
        row->addWidget(edit, 1);
        row->addWidget(browse);
        auto *name = new QLabel(label);
        name->setBuddy(edit); // Alt+L / Alt+V reach the field
        form->addRow(name, row);
    };
    pathRow(m_folder, tr("&Lists folder:"), tr("profanity.txt, allow.txt, keywords.txt (a missing file: unchanged)"),
            true);
    pathRow(m_levels, tr("Le&vels file:"), tr("optional: chat.content_filtering.levels, default_level, filter_level"),
            false);
    m_days = new QSpinBox;
    m_days->setRange(1, 366);
    m_days->setValue(7);
    m_days->setAccessibleName(tr("Days of chat to replay"));
    form->addRow(tr("&Days to replay:"), m_days);
    m_exampleCount = new QSpinBox;
    m_exampleCount->setRange(0, 50);
    m_exampleCount->setValue(5);
    m_exampleCount->setAccessibleName(tr("Examples per change"));
    form->addRow(tr("E&xamples per change:"), m_exampleCount);
    layout->addLayout(form);

    m_status = new QLabel(tr("Nothing run yet. Whispers are replayed too (admins may read them)."));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_status->setAccessibleName(tr("Dry run status"));
    layout->addWidget(m_status);

    m_counts = readOnlyTable({ tr("Outcome"), tr("Before"), tr("After"), tr("Newly"), tr("No longer") },
                             tr("Dry run counts"));
    m_examples = readOnlyTable(
            { tr("Change"), tr("Time"), tr("Channel"), tr("Sender"), tr("Written"), tr("Before"), tr("After") },
            tr("Dry run examples"));
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_counts);
    split->addWidget(m_examples);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_run = buttons->addButton(tr("&Run"), QDialogButtonBox::ActionRole);
    connect(m_run, &QPushButton::clicked, this, &FilterDryRunDialog::run);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    // Only once it is in the dialog does a button become the dialog's default (Enter runs).
    m_run->setDefault(true);
    resize(1100, 640);
}

void FilterDryRunDialog::setListsFolder(const QString &dir)
{
    m_folder->setText(dir);
}

void FilterDryRunDialog::setLevelsFile(const QString &file)
{
    m_levels->setText(file);
}

void FilterDryRunDialog::setDays(int days)
{
    m_days->setValue(days);
}

QString FilterDryRunDialog::statusText() const
{
    return m_status->text();
}

DryRunCandidate FilterDryRunDialog::candidate() const
{
    return { m_folder->text().trimmed(), m_levels->text().trimmed(), m_days->value(), m_exampleCount->value() };
}

void FilterDryRunDialog::run()
{
    if (m_running)
        return;
    const DryRunCandidate c = candidate();
    auto frame = dryRunFrame(c);
    if (const auto *problem = std::get_if<QString>(&frame))
        return showError(*problem);
    const QString ref = m_client->request(
            std::get<QJsonObject>(frame),
            [this, c](const QString &type, const QJsonObject &data) {
                m_running = false;
                m_run->setEnabled(true);
                if (type == wire::event::filterDryRun)
                    return showReport(data);
                if (type == wire::event::error)
                    return showError(describeDryRunError(data.value(wire::field::message).toString(), c));
                showError(tr("No answer from the server (%1).").arg(type));
            },
            this, kReplyTimeoutMs);
    if (ref.isEmpty())
        return showError(tr("Not connected."));
    m_running = true;
    m_run->setEnabled(false);
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Replaying the last %n day(s) of chat on the server…", nullptr, c.days));
}

void FilterDryRunDialog::showError(const QString &message)
{
    m_status->setStyleSheet(QStringLiteral("color: #a00000;"));
    m_status->setText(message);
    Q_EMIT finishedRun(false);
}

void FilterDryRunDialog::showReport(const QJsonObject &report)
{
    m_report = report;
    QString text =
            tr("%1 messages from %2 to %3 replayed (whispers included); %4 would change.")
                    .arg(qint64(report.value(QStringLiteral("messages")).toDouble()))
                    .arg(report.value(QStringLiteral("from")).toString(), report.value(QStringLiteral("to")).toString())
                    .arg(qint64(report.value(QStringLiteral("changed")).toDouble()));
    if (report.contains(QStringLiteral("note")))
        text += QLatin1Char(' ') + report.value(QStringLiteral("note")).toString() + QLatin1Char('.');
    for (const QJsonValue &w : report.value(QStringLiteral("warnings")).toArray())
        text += tr("\nLists in use: %1").arg(w.toString());
    m_status->setStyleSheet(QString());
    m_status->setText(text);
    fillCounts(report);
    fillExamples(report);
    Q_EMIT finishedRun(true);
}

void FilterDryRunDialog::fillCounts(const QJsonObject &report)
{
    m_counts->setRowCount(0);
    auto addRow = [this](const QString &label, const QStringList &cells) {
        const int row = m_counts->rowCount();
        m_counts->insertRow(row);
        m_counts->setItem(row, 0, new QTableWidgetItem(label));
        for (int i = 0; i < cells.size(); ++i) {
            auto *item = new QTableWidgetItem(cells[i]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_counts->setItem(row, i + 1, item);
        }
    };
    auto n = [](const QJsonObject &o, const char *key) {
        return QString::number(qint64(o.value(QLatin1String(key)).toDouble()));
    };
    const QJsonObject outcomes = report.value(QStringLiteral("outcomes")).toObject();
    for (const char *o : kOutcomes) {
        const QJsonObject c = outcomes.value(QLatin1String(o)).toObject();
        addRow(QLatin1String(o), { n(c, "before"), n(c, "after"), n(c, "newly"), n(c, "no_longer") });
    }
    // Per category, only what changes: a category row with all zeros says nothing.
    const QJsonObject categories = report.value(QStringLiteral("categories")).toObject();
    for (auto it = categories.begin(); it != categories.end(); ++it) {
        for (const char *o : kOutcomes) {
            const QJsonObject c = it.value().toObject().value(QLatin1String(o)).toObject();
            if (c.value(QStringLiteral("newly")).toDouble() > 0 || c.value(QStringLiteral("no_longer")).toDouble() > 0)
                addRow(QStringLiteral("  %1 · %2").arg(it.key(), QLatin1String(o)),
                       { QString(), QString(), n(c, "newly"), n(c, "no_longer") });
        }
    }
    m_counts->resizeColumnsToContents();
}

void FilterDryRunDialog::fillExamples(const QJsonObject &report)
{
    m_examples->setRowCount(0);
    const QJsonObject examples = report.value(QStringLiteral("examples")).toObject();
    for (const char *o : kOutcomes) {
        for (const char *direction : { "newly", "no_longer" }) {
            const QString change = QLatin1String(direction) == QLatin1String("newly")
                    ? tr("newly %1").arg(QLatin1String(o))
                    : tr("no longer %1").arg(QLatin1String(o));
            for (const QJsonValue &v :
                 examples.value(QLatin1String(o)).toObject().value(QLatin1String(direction)).toArray()) {
                const QJsonObject e = v.toObject();
                const QJsonObject before = e.value(QStringLiteral("before")).toObject();
                const QJsonObject after = e.value(QStringLiteral("after")).toObject();
                const QString sender = QStringLiteral("%1 (%2)").arg(e.value(QStringLiteral("sender_name")).toString(),
                                                                     e.value(QStringLiteral("sender_id")).toString());
                const QStringList cells { change,
                                          e.value(QStringLiteral("ts")).toString(),
                                          e.value(QStringLiteral("channel")).toString(),
                                          sender,
                                          e.value(QStringLiteral("content")).toString(),
                                          verdictText(before),
                                          verdictText(after) };
                const int row = m_examples->rowCount();
                m_examples->insertRow(row);
                for (int i = 0; i < cells.size(); ++i) {
                    auto *item = new QTableWidgetItem(cells[i]);
                    // Why: the matches and their actions, on demand.
                    item->setToolTip(tr("%1\nBefore:\n%2\nAfter:\n%3")
                                             .arg(e.value(QStringLiteral("message_id")).toString(), matchesText(before),
                                                  matchesText(after)));
                    m_examples->setItem(row, i, item);
                }
            }
        }
    }
    if (m_examples->rowCount() > 0)
        m_examples->selectRow(0);
    m_examples->resizeColumnsToContents();
}

} // namespace mythos::console
