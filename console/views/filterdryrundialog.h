#pragma once
// The admins' dry-run dialog: pick a folder of candidate filter lists and/or a levels file, the
// days to replay, Run; the server replays its chat log and the counts and examples show here.

#include "models/dryruncandidate.h"

#include <QDialog>
#include <QJsonObject>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace mythos::console {

class ModeratorClient;

class FilterDryRunDialog : public QDialog
{
    Q_OBJECT
public:
    explicit FilterDryRunDialog(ModeratorClient *client, QWidget *parent = nullptr);

    void setListsFolder(const QString &dir);
    void setLevelsFile(const QString &file);
    void setDays(int days);
    void run(); // what Run (Enter) does

    bool isRunning() const { return m_running; }
    QString statusText() const;
    QTableWidget *countsTable() const { return m_counts; }
    QTableWidget *examplesTable() const { return m_examples; }
    QJsonObject report() const { return m_report; }

Q_SIGNALS:
    void finishedRun(bool ok); // a report is shown (true) or an error (false)

private:
    DryRunCandidate candidate() const;
    void showError(const QString &message);
    void showReport(const QJsonObject &report);
    void fillCounts(const QJsonObject &report);
    void fillExamples(const QJsonObject &report);

    ModeratorClient *m_client;
    QLineEdit *m_folder, *m_levels;
    QSpinBox *m_days, *m_exampleCount;
    QPushButton *m_run;
    QLabel *m_status;
    QTableWidget *m_counts, *m_examples;
    QJsonObject m_report;
    bool m_running = false;
};

} // namespace mythos::console
