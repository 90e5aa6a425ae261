#pragma once
// The storage interface over QtSql, shared by both backends: numbered migrations and queries
// are resource files per driver (`:/mythos/sql/<driver>/…`). One instance = one connection,
// used only on the thread that opened it.

#include "model/role.h"
#include "moderation/moderationitem.h"
#include "moderation/moderatornote.h"
#include "moderation/mute.h"
#include "moderation/offence.h"
#include "storage/storedmessage.h"
#include "util/result.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace mythos {

// A SQL script's statements: `--` comment lines dropped, then split at `;`.
QStringList sqlStatements(const QString &script);

class SqlStorage
{
public:
    virtual ~SqlStorage();

    // Opens the connection on the calling thread; `migrate` brings the schema up to date.
    Result<bool> open(bool migrate);
    void close();

    Result<bool> insert(const QList<StoredMessage> &batch);
    // Whether a message with this id is stored (imports skip what is already there).
    Result<bool> hasMessage(const QString &id);
    Result<QList<StoredMessage>> history(const HistoryQuery &query);
    // Two statements: a primary-key look-up of `since`, then one UNION ALL of index-bounded
    // branches (each LIMITed), so the cost is branches × limit rows at most.
    Result<RecoveryRows> recover(const RecoveryQuery &query);
    // Deletes messages older than the cut-off and all but the newest `keepPerScope` of each
    // (channel, scope); returns how many went.
    Result<int> prune(const QDateTime &olderThan, int keepPerScope);
    Result<int> schemaVersion();

    struct KnownPlayer
    {
        QString id;
        QString name;
        Role role = Role::Player;
    };
    // Players are recorded when they authenticate, for name look-ups and role checks offline.
    Result<bool> recordPlayer(const KnownPlayer &player);
    // By id, else by display name ignoring case; an empty id when unknown.
    Result<KnownPlayer> findPlayer(const QString &idOrName);
    // Every token player recorded (guests are not "known": their names are free again).
    Result<QList<KnownPlayer>> loadPlayers();
    Result<bool> saveMute(const Mute &mute);
    // Several mutes in one transaction: all of them or none.
    Result<bool> saveMutes(const QList<Mute> &mutes);
    Result<bool> deleteMute(const QString &id);
    Result<QList<Mute>> loadActiveMutes(const QDateTime &now);
    Result<int> deleteExpiredMutes(const QDateTime &now);
    // The escalation ladder's offences: saved once (a relayed copy is ignored), loaded newer
    // than a cut-off, a player's deleted up to an instant (a reset), every one before a cut-off.
    Result<bool> saveOffence(const Offence &offence);
    Result<QList<Offence>> loadOffences(const QDateTime &newerThan);
    Result<int> deleteOffences(const QString &playerId, const QDateTime &upTo);
    Result<int> pruneOffences(const QDateTime &upTo);
    // Moderators' notes: saved once (a relayed copy is ignored), a player's newest first.
    Result<bool> saveNote(const ModeratorNote &note);
    Result<QList<ModeratorNote>> loadNotes(const QString &playerId, int limit);
    // Queues an item; fills its context's `recent_lines` with the five messages before it in
    // the same channel and scope, read in the same step so the snapshot is of that moment.
    // Returns the item as stored, context complete: what moderators are first shown.
    Result<ModerationItem> enqueueModeration(ModerationItem item, const HistoryQuery &scope);
    // status "all" lists every item; newest first.
    Result<QList<ModerationItem>> listQueue(const QString &status, int limit);
    // Open (pending or claimed) items: how many, and when the oldest was queued.
    struct QueueBacklog
    {
        int open = 0;
        QDateTime oldest; // invalid when none is open
    };
    Result<QueueBacklog> queueBacklog();
    Result<ModerationItem> queueItem(const QString &id); // empty id when there is none
    // Conditional updates: false when the item is no longer pending or another moderator holds it.
    Result<bool> claimQueueItem(const QString &id, const QString &moderator, const QDateTime &now);
    Result<bool> resolveQueueItem(const QString &id, const QString &status, const QString &moderator,
                                  const QString &resolution, const QDateTime &now);
    Result<bool> deleteMessage(const QString &messageId);
    // A copy of another instance's item (instances with their own database keep the queue whole).
    Result<bool> saveQueueItem(const ModerationItem &item);

    // Whether other instances write to the same database (then only the accepting one stores).
    virtual bool isShared() const = 0;
    virtual QString describe() const = 0; // for logs, without credentials
    static int latestSchemaVersion();

protected:
    explicit SqlStorage(QString driverFolder);
    // Creates and configures the QSqlDatabase for `connectionName`.
    virtual QSqlDatabase createConnection(const QString &connectionName) = 0;
    // Runs after the connection is open (pragmas, session settings).
    virtual Result<bool> prepareSession() { return true; }

    QSqlDatabase &db() { return m_db; }
    QString sql(const QString &name) const;
    Result<bool> exec(const QString &statement);

private:
    Result<bool> migrate();
    Result<bool> bindAndExec(QSqlQuery &query, const QVariantList &values, const char *what);

    QString m_driverFolder;
    QString m_connectionName;
    QSqlDatabase m_db;
};

} // namespace mythos
