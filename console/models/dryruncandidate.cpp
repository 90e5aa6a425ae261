#include "models/dryruncandidate.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QObject>

namespace mythos::console {

namespace {

const char *const kListFiles[] { "profanity.txt", "allow.txt", "keywords.txt" };

std::variant<QString, QString> readAll(const QString &path) // text, or an error (index 1)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return std::variant<QString, QString>(std::in_place_index<1>,
                                              QObject::tr("%1: cannot read: %2").arg(path, f.errorString()));
    return std::variant<QString, QString>(std::in_place_index<0>, QString::fromUtf8(f.readAll()));
}

} // namespace

std::variant<QJsonObject, QString> dryRunFrame(const DryRunCandidate &c)
{
    if (c.listsFolder.isEmpty() && c.levelsFile.isEmpty())
        return QObject::tr("Choose a folder of candidate lists, a levels file, or both.");
    frames::FilterDryRun request;
    request.days = c.days;
    request.examples = c.examples;
    qsizetype bytes = 0;
    if (!c.listsFolder.isEmpty()) {
        if (!QFileInfo(c.listsFolder).isDir())
            return QObject::tr("%1 is not a folder.").arg(c.listsFolder);
        std::optional<QString> *slots[] { &request.profanity, &request.allow, &request.keywords };
        bool any = false;
        for (int i = 0; i < 3; ++i) {
            const QString path = QDir(c.listsFolder).filePath(QLatin1String(kListFiles[i]));
            if (!QFileInfo::exists(path))
                continue; // unchanged
            auto text = readAll(path);
            if (text.index() == 1)
                return std::get<1>(text);
            bytes += std::get<0>(text).toUtf8().size();
            *slots[i] = std::get<0>(text);
            any = true;
        }
        if (!any)
            return QObject::tr("%1 holds none of profanity.txt, allow.txt, keywords.txt.").arg(c.listsFolder);
    }
    if (!c.levelsFile.isEmpty()) {
        auto text = readAll(c.levelsFile);
        if (text.index() == 1)
            return std::get<1>(text);
        bytes += std::get<0>(text).toUtf8().size();
        request.levels = std::get<0>(text);
    }
    if (bytes > kDryRunMaxCandidateBytes)
        return QObject::tr("The candidate is %1 KiB; the server takes at most %2 KiB. Run "
                           "`mythos-chatd filter-dry-run` on the server instead.")
                .arg(bytes / 1024)
                .arg(kDryRunMaxCandidateBytes / 1024);
    return frames::filterDryRun(request);
}

QString describeDryRunError(const QString &serverMessage, const DryRunCandidate &c)
{
    QStringList lines = serverMessage.split(QLatin1Char('\n'));
    for (QString &line : lines) {
        for (const char *file : kListFiles) {
            if (!c.listsFolder.isEmpty() && line.startsWith(QLatin1String(file) + QLatin1Char(':')))
                line.prepend(QDir::toNativeSeparators(c.listsFolder) + QDir::separator());
        }
        if (!c.levelsFile.isEmpty() && line.startsWith(QLatin1String("levels: ")))
            line = QDir::toNativeSeparators(c.levelsFile) + line.mid(6);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace mythos::console
