#include "import/importreport.h"

namespace mythos {

namespace {
constexpr int kExamples = 3;

void appendSection(QStringList &out, const ReportSection &s)
{
    out.append(QStringLiteral("%1: %2 imported, %3 already present, %4 skipped")
                       .arg(s.title)
                       .arg(s.imported)
                       .arg(s.present)
                       .arg(s.skippedCount()));
    for (auto it = s.skipped.cbegin(); it != s.skipped.cend(); ++it) {
        QString line = QStringLiteral("  skipped %1: %2").arg(it->count).arg(it.key());
        if (!it->where.isEmpty())
            line += QStringLiteral(" (%1%2)").arg(it->where.join(QStringLiteral(", ")),
                                                  it->count > it->where.size() ? QStringLiteral(", …") : QString());
        out.append(line);
    }
    for (const QString &note : s.notes)
        out.append(QStringLiteral("  note: ") + note);
}
} // namespace

void ReportSection::skip(const QString &reason, const QString &where)
{
    Skips &s = skipped[reason];
    ++s.count;
    if (s.where.size() < kExamples && !where.isEmpty())
        s.where.append(where);
}

int ReportSection::skippedCount() const
{
    int n = 0;
    for (const Skips &s : skipped)
        n += s.count;
    return n;
}

QString ImportReport::toText() const
{
    QStringList out;
    out.append(dryRun ? QStringLiteral("MythosMUD import - dry run: nothing was written, counts say what would be")
                      : QStringLiteral("MythosMUD import"));
    out.append(QStringLiteral("from: ") + source);
    out.append(QStringLiteral("into: ") + target);
    for (const ReportSection *s : { &history, &personalMutes, &serverMutes, &moderationLog })
        appendSection(out, *s);
    out.append(QStringLiteral("files: %1 read, %2 rejected, %3 left out")
                       .arg(filesRead)
                       .arg(rejected.size())
                       .arg(leftOut.size()));
    for (const SourceProblem &p : rejected)
        out.append(QStringLiteral("  rejected %1: %2 - nothing of this file was imported").arg(p.where(), p.message));
    for (const SourceProblem &p : leftOut)
        out.append(QStringLiteral("  left out %1: %2").arg(p.where(), p.message));
    out.append(clean() ? QStringLiteral("result: ok")
                       : QStringLiteral("result: %1 file(s) rejected; fix them and run the import again")
                                 .arg(rejected.size()));
    return out.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace mythos
