#include "chat/guestkeys.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace mythos {

GuestKeys::GuestKeys(QByteArray secret) : m_secret(std::move(secret))
{
    if (m_secret.isEmpty()) {
        m_secret.resize(32);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(m_secret.data()), 8);
    }
}

QByteArray GuestKeys::mac(const QString &guestId, qint64 sessionStartMs) const
{
    // A label keeps these MACs apart from anything else signed with the same secret.
    const QByteArray message =
            "mythos-guest-session\n" + guestId.toUtf8() + '\n' + QByteArray::number(sessionStartMs, 16);
    return QMessageAuthenticationCode::hash(message, m_secret, QCryptographicHash::Sha256)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString GuestKeys::issue(const QString &guestId, qint64 sessionStartMs) const
{
    return QString::fromLatin1(QByteArray::number(sessionStartMs, 16) + '.' + mac(guestId, sessionStartMs));
}

std::optional<qint64> GuestKeys::verify(const QString &guestId, const QString &key) const
{
    const qsizetype dot = key.indexOf(QLatin1Char('.'));
    if (dot < 1 || dot > 16 || key.size() > 128)
        return std::nullopt;
    bool ok = false;
    const qint64 start = key.left(dot).toLongLong(&ok, 16);
    if (!ok || start < 0)
        return std::nullopt;
    const QByteArray expected = mac(guestId, start);
    const QByteArray given = key.mid(dot + 1).toLatin1();
    // Constant time: a key must not be guessable byte by byte from response times.
    if (given.size() != expected.size())
        return std::nullopt;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < given.size(); ++i)
        diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
    return diff == 0 ? std::optional<qint64>(start) : std::nullopt;
}

} // namespace mythos
