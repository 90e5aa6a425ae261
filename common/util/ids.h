#pragma once
// Identifier rules shared by every component: what may become part of a NATS subject, what a
// player id and display name may be, and how message ids are minted.

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace mythos {

// [A-Za-z0-9_-]{1,maxLength}: the only ids that may ever reach a NATS subject.
bool isValidSubjectId(QStringView id, int maxLength = 128);
bool isValidPlayerId(QStringView id);
// 1–32 printable characters, no leading or trailing white space.
bool isValidDisplayName(QStringView name);
// The form two display names are compared in: compatibility-normalised (NFKC, so U+212A
// KELVIN SIGN is "K" and full-width letters are ASCII) and case-folded. "Kate", "KATE" and
// "\u212Aate" are one name.
QString foldName(QStringView name);
// Length as a reader counts it: code points, not UTF-16 units.
qsizetype characterCount(QStringView text);

// Mints message ids that sort in acceptance order: 12 hex digits of milliseconds since the
// epoch, 6 of a per-instance counter, then the instance tag. Monotonic even if the clock
// steps back.
class MessageIdGenerator
{
public:
    explicit MessageIdGenerator(QString instanceTag);
    QString next(qint64 nowMs);

private:
    QString m_tag;
    qint64 m_lastMs = 0;
    quint32 m_counter = 0;
};

// The id a MythosMUD message gets here, imported from its logs (server/import) or relayed live
// from the bus: minted form at `at` (its original time, so it sorts among ours), counter 0,
// tag "mm" + 16 hex digits of the SHA-1 of MythosMUD's message_id. The same message always
// gets the same id, on every instance and every run.
QString importedMessageId(const QDateTime &at, const QString &sourceMessageId);

// The acceptance time (ms since the epoch) a message id carries, if it has the minted form.
std::optional<qint64> messageIdMillis(QStringView id);
// The smallest id minted at `ms` or later: `id > messageIdFloor(t)` selects ids from t on.
QString messageIdFloor(qint64 ms);

} // namespace mythos
