#include "import/mythosmutes.h"

#include <QJsonDocument>
#include <QRegularExpression>

namespace mythos {

namespace {
using Need = FieldReader::Need;

const QRegularExpression &uuidName()
{
    static const QRegularExpression re(QStringLiteral(
            "^mutes_([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\\.json$"));
    return re;
}

// Reads one map of entries; false (with `problem` set) on the first bad one.
bool readEntries(const QJsonObject &map, bool isChannel, const QString &fileName, const QByteArray &bytes,
                 int sectionLine, QList<SourceMute> &out, SourceProblem &problem)
{
    for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
        SourceMute m;
        m.key = it.key();
        m.line = lineOfKey(bytes, it.key(), sectionLine);
        if (!it.value().isObject()) {
            problem = { fileName, m.line, QStringLiteral("entry '%1' must be an object").arg(it.key()) };
            return false;
        }
        FieldReader f(it.value().toObject());
        const QString id = f.string(isChannel ? "channel" : "target_id", Need::Required);
        if (!isChannel) {
            m.targetName = f.string("target_name");
            m.mutedBy = f.string("muted_by");
            m.mutedByName = f.string("muted_by_name");
        }
        m.mutedAt = f.time("muted_at", Need::Required);
        m.expiresAt = f.time("expires_at");
        m.reason = f.string("reason");
        f.boolean("is_permanent"); // expires_at says it: upstream writes false with no expiry for 0 minutes
        QString error = f.error();
        if (error.isEmpty() && id != m.key)
            error = QStringLiteral("entry '%1' names '%2' inside").arg(m.key, id);
        if (!error.isEmpty()) {
            const QString field = error.section(QLatin1Char('\''), 1, 1);
            problem = { fileName, field.isEmpty() ? m.line : lineOfKey(bytes, field, m.line), error };
            return false;
        }
        out.append(m);
    }
    return true;
}
} // namespace

bool isMuteFileName(const QString &fileName)
{
    return fileName.startsWith(QLatin1String("mutes_")) && fileName.endsWith(QLatin1String(".json"));
}

QString muteFilePlayerId(const QString &fileName)
{
    const QRegularExpressionMatch m = uuidName().match(fileName);
    return m.hasMatch() ? m.captured(1) : QString();
}

std::variant<MuteFile, SourceProblem> readMuteFile(const QString &fileName, const QByteArray &bytes)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return SourceProblem { fileName, lineAt(bytes, parseError.offset),
                               QStringLiteral("invalid JSON: %1").arg(parseError.errorString()) };
    if (!doc.isObject())
        return SourceProblem { fileName, 1, QStringLiteral("not a JSON object") };

    MuteFile file;
    file.name = fileName;
    FieldReader f(doc.object());
    file.playerId = f.string("player_id", Need::Required);
    f.skip("last_updated");
    const QJsonObject players = f.object("player_mutes");
    const QJsonObject channels = f.object("channel_mutes");
    const QJsonObject globals = f.object("global_mutes");
    file.isAdmin = f.boolean("is_admin");
    QString error = f.error();
    if (error.isEmpty() && file.playerId.compare(muteFilePlayerId(fileName), Qt::CaseInsensitive) != 0)
        error = QStringLiteral("player_id '%1' is not the uuid in the file name").arg(file.playerId);
    if (!error.isEmpty()) {
        const QString field = error.section(QLatin1Char('\''), 1, 1);
        return SourceProblem { fileName, field.isEmpty() ? 1 : lineOfKey(bytes, field), error };
    }

    SourceProblem problem;
    if (!readEntries(players, false, fileName, bytes, lineOfKey(bytes, QStringLiteral("player_mutes")),
                     file.playerMutes, problem)
        || !readEntries(channels, true, fileName, bytes, lineOfKey(bytes, QStringLiteral("channel_mutes")),
                        file.channelMutes, problem)
        || !readEntries(globals, false, fileName, bytes, lineOfKey(bytes, QStringLiteral("global_mutes")),
                        file.globalMutes, problem))
        return problem;
    return file;
}

} // namespace mythos
