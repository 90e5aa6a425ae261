#include "moderation/notesservice.h"

#include "chat/directory.h"
#include "storage/messagestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcNotes, "mythos.server.notes")

namespace mythos {

NotesService::NotesService(QString serverId, MessageStore *store, Bus *bus, QByteArray controlSubject,
                           Directory *directory, QObject *parent)
    : QObject(parent), m_serverId(std::move(serverId)), m_store(store), m_control(bus, "notes"),
      m_subject(std::move(controlSubject)), m_directory(directory), m_ids(m_serverId + QStringLiteral("-n"))
{
}

void NotesService::add(const Identity &moderator, const QString &player, const QString &text, const Reply &reply)
{
    if (!hasRole(moderator.role, Role::Moderator))
        return reply(ChatError { ErrorCode::Forbidden, QStringLiteral("notes are for moderators") });
    const QString body = text.trimmed();
    if (body.isEmpty() || body.size() > kMaxNoteLength)
        return reply(ChatError { ErrorCode::InvalidRequest,
                                 QStringLiteral("a note needs 'text' of 1 to %1 characters").arg(kMaxNoteLength) });
    if (!m_store)
        return reply(ChatError { ErrorCode::Unavailable, QStringLiteral("notes need the database (history is off)") });
    const auto id = m_directory->resolveId(player);
    if (!id)
        return reply(
                ChatError { ErrorCode::UnknownTarget, QStringLiteral("no player named '%1' is known").arg(player) });
    ModeratorNote note;
    note.createdAt = QDateTime::currentDateTimeUtc();
    note.id = m_ids.next(note.createdAt.toMSecsSinceEpoch());
    note.playerId = *id;
    note.authorId = moderator.id;
    note.authorName = moderator.name;
    note.body = body;
    note.origin = m_serverId;
    m_store->run<bool>(
            "save a note", [note](SqlStorage &s) { return s.saveNote(note); },
            [this, note, moderator, reply](const Result<bool> &saved) {
                if (!saved)
                    return reply(ChatError { ErrorCode::Internal, QStringLiteral("the note could not be stored") });
                QJsonObject relay { { QLatin1String("op"), QLatin1String("note") },
                                    { QLatin1String("note"), note.toJson() },
                                    { QLatin1String("origin"), m_serverId } };
                m_control.publish(m_subject, QJsonDocument(relay).toJson(QJsonDocument::Compact));
                Q_EMIT noteAdded(note);
                list(moderator, note.playerId, reply);
            });
}

void NotesService::list(const Identity &moderator, const QString &player, const Reply &reply)
{
    if (!hasRole(moderator.role, Role::Moderator))
        return reply(ChatError { ErrorCode::Forbidden, QStringLiteral("notes are for moderators") });
    const auto id = m_directory->resolveId(player);
    if (!id)
        return reply(
                ChatError { ErrorCode::UnknownTarget, QStringLiteral("no player named '%1' is known").arg(player) });
    const QString playerId = *id;
    if (!m_store)
        return reply(
                QJsonObject { { QLatin1String("player_id"), playerId }, { QLatin1String("notes"), QJsonArray() } });
    m_store->run<QList<ModeratorNote>>(
            "read a player's notes", [playerId](SqlStorage &s) { return s.loadNotes(playerId, kNotesListed); },
            [playerId, reply](const Result<QList<ModeratorNote>> &notes) {
                if (!notes)
                    return reply(ChatError { ErrorCode::Internal, QStringLiteral("the notes could not be read") });
                QJsonArray list;
                for (const ModeratorNote &n : notes.value())
                    list.append(n.toJson());
                reply(QJsonObject { { QLatin1String("player_id"), playerId }, { QLatin1String("notes"), list } });
            });
}

bool NotesService::handleControl(const QByteArray &payload)
{
    const QJsonObject msg = QJsonDocument::fromJson(payload).object();
    if (msg.value(QLatin1String("origin")).toString() == m_serverId)
        return true;
    const auto note = msg.value(QLatin1String("op")).toString() == QLatin1String("note")
            ? ModeratorNote::fromJson(msg.value(QLatin1String("note")).toObject())
            : std::nullopt;
    if (!note) {
        ++m_rejected;
        qCWarning(lcNotes).noquote() << "ignoring a notes control message that is not a good note:"
                                     << QString::fromUtf8(payload.left(200));
        return false;
    }
    // A shared database has it already (the insert is idempotent either way).
    if (m_store && !m_store->isShared())
        m_store->run<bool>("save a relayed note", [n = *note](SqlStorage &s) { return s.saveNote(n); });
    return true;
}

} // namespace mythos
