#pragma once
// A guest's id is its folded name (PROTOCOL §1: `guest-<name>`), so without more a later guest
// of the same name would inherit an earlier one's whispers and personal mutes. A guest session
// is therefore proven by a key: the welcome hands it out, a reconnect presents it
// (`{"type":"auth","guest_name":…,"guest_key":…}`) and continues the session; without it the
// guest starts fresh. The key is `<session start, ms, hex>.<HMAC-SHA256 of id and start>`
// keyed with auth.jwt_secret, so every instance sharing the secret accepts it without state.

#include <QByteArray>
#include <QString>

#include <optional>

namespace mythos {

class GuestKeys
{
public:
    // An empty secret (a guests-only server) is replaced by a random one: keys then hold on
    // this process only.
    explicit GuestKeys(QByteArray secret);

    QString issue(const QString &guestId, qint64 sessionStartMs) const;
    // The session start the key proves for this guest id, or nothing.
    std::optional<qint64> verify(const QString &guestId, const QString &key) const;

private:
    QByteArray mac(const QString &guestId, qint64 sessionStartMs) const;
    QByteArray m_secret;
};

} // namespace mythos
