#pragma once
// What an import did, for the operator: per kind of record how many were imported, already
// present or skipped and why (with where, file:line), and which files were rejected or left out.

#include "import/sourcefields.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace mythos {

struct ReportSection
{
    struct Skips
    {
        int count = 0;
        QStringList where; // the first few, file:line
    };

    QString title;
    int imported = 0;
    int present = 0; // already in our database / audit trail
    QMap<QString, Skips> skipped; // by reason
    QStringList notes;

    explicit ReportSection(QString name) : title(std::move(name)) { }
    void skip(const QString &reason, const QString &where);
    int skippedCount() const;
};

struct ImportReport
{
    bool dryRun = false;
    QString source; // "data DIR, logs DIR"
    QString target; // the database and audit folder
    ReportSection history { QStringLiteral("history") };
    ReportSection personalMutes { QStringLiteral("personal mutes") };
    ReportSection serverMutes { QStringLiteral("server mutes") };
    ReportSection moderationLog { QStringLiteral("moderation log") };
    int filesRead = 0;
    QList<SourceProblem> rejected; // nothing of these files was imported
    QList<SourceProblem> leftOut; // files not read at all, and why (line 0)

    bool clean() const { return rejected.isEmpty(); }
    QString toText() const;
};

} // namespace mythos
