#pragma once
// The mapping of a MythosMUD deployment's chat state onto ours, as a pure function of what was
// read, the configuration and the time: history rows once per message_id, personal and server
// mutes, moderation audit lines. What our rules leave out is entered in the report with why.

#include "config/config.h"
#include "import/importreport.h"
#include "import/mythoslogs.h"
#include "import/mythosmutes.h"
#include "moderation/mute.h"
#include "storage/storedmessage.h"
#include "util/ids.h" // importedMessageId

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSet>

namespace mythos {

struct ImportSources
{
    QList<MuteFile> muteFiles;
    QList<LogFile> logFiles;
};

struct PlannedMessage
{
    StoredMessage message;
    QString where; // the line it was taken from
};

struct PlannedMute
{
    Mute mute;
    QString where;
};

struct PlannedAuditLine
{
    QString event;
    QJsonObject fields; // with import_key, which makes a second run find it
    QDateTime at;
    QString key;
    QString where;
};

struct ImportPlan
{
    QList<PlannedMessage> messages;
    QList<PlannedMute> personalMutes;
    QList<PlannedMute> serverMutes;
    QList<PlannedAuditLine> auditLines;
};

// `staffIds`: players our database knows as moderators or admins (they cannot be server-muted).
ImportPlan planImport(const ImportSources &sources, const Config &config, const QSet<QString> &staffIds,
                      const QDateTime &now, ImportReport &report);

// The parts planImport runs: history (importplan.cpp), mutes and the moderation log
// (importplan_moderation.cpp).
void planMessages(const ImportSources &sources, const Config &config, const QDateTime &now, ImportReport &report,
                  ImportPlan &plan);
void planMutes(const ImportSources &sources, const Config &config, const QSet<QString> &staffIds, const QDateTime &now,
               ImportReport &report, ImportPlan &plan);
void planModerationLog(const ImportSources &sources, const Config &config, const QDateTime &now, ImportReport &report,
                       ImportPlan &plan);
// The skip reason for a channel this server does not configure.
QString notConfiguredReason(const QString &channel);

inline constexpr auto kImportOrigin = "mythosmud-import";

} // namespace mythos
