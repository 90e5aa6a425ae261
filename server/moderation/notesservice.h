#pragma once
// Moderators' notes on players (the console's player record): added by any moderator, stored,
// and relayed on `{prefix}.control.notes` so an instance with its own database keeps a copy;
// read back newest first. Every note is a moderation log line.

#include "bus/controlpublisher.h"
#include "chat/identity.h"
#include "moderation/moderatornote.h"
#include "protocol/errorcode.h"
#include "util/ids.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <variant>

namespace mythos {

class Bus;
class Directory;
class MessageStore;

class NotesService : public QObject
{
    Q_OBJECT
public:
    using Reply = std::function<void(const std::variant<QJsonObject, ChatError> &)>;
    static constexpr int kMaxNoteLength = 2000;
    static constexpr int kNotesListed = 100;

    NotesService(QString serverId, MessageStore *store, Bus *bus, QByteArray controlSubject, Directory *directory,
                 QObject *parent = nullptr);

    // Each replies with the player's notes (`notes` event data: {player_id, notes: [...]}).
    void add(const Identity &moderator, const QString &player, const QString &text, const Reply &reply);
    void list(const Identity &moderator, const QString &player, const Reply &reply);

    bool handleControl(const QByteArray &payload);
    const QByteArray &controlSubject() const { return m_subject; }
    quint64 rejectedControlMessages() const { return m_rejected; }

Q_SIGNALS:
    void noteAdded(const mythos::ModeratorNote &note);

private:
    QString m_serverId;
    MessageStore *m_store;
    ControlPublisher m_control;
    QByteArray m_subject;
    Directory *m_directory;
    MessageIdGenerator m_ids;
    quint64 m_rejected = 0;
};

} // namespace mythos
