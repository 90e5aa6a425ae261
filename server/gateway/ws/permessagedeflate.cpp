#include "gateway/ws/permessagedeflate.h"

#include "protocol/event.h"

#include <QList>
#include <QLoggingCategory>

#include <zlib.h>

#include <array>

Q_LOGGING_CATEGORY(lcDeflate, "mythos.server.deflate")

namespace mythos::ws {

namespace {

constexpr char kExtensionName[] = "permessage-deflate";
constexpr int kMinWindowBits = 8;
constexpr int kMaxWindowBits = 15;
// zlib's default: on chat-sized messages levels 1-9 differ by a few bytes, and the work is
// done once per message, not once per recipient.
constexpr int kLevel = Z_DEFAULT_COMPRESSION;
// deflateReset clears the hash table for every message: at memLevel 8 that is 64 KiB, the bulk
// of the cost of compressing a chat message; 4 (4 KiB) is ~30 % faster and as small on them
// (tests/bench/bench_deflate.cpp).
constexpr int kMemLevel = 4;

// RFC 7230 tchar.
bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (const char c : s)
        if (!isTokenChar(c))
            return false;
    return true;
}

// Splits on `separator` outside quoted strings (a quoted value may hold commas and semicolons).
QList<QByteArrayView> splitOutsideQuotes(QByteArrayView s, char separator)
{
    QList<QByteArrayView> parts;
    qsizetype start = 0;
    bool quoted = false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (quoted && c == '\\') {
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && c == separator) {
            parts.append(s.sliced(start, i - start));
            start = i + 1;
        }
    }
    parts.append(s.sliced(start));
    return parts;
}

// A parameter value: a token or a quoted-string whose content is a token (RFC 7692 §7.1).
std::optional<QByteArray> paramValue(QByteArrayView raw)
{
    if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
        QByteArray unquoted;
        for (qsizetype i = 1; i + 1 < raw.size(); ++i) {
            if (raw[i] == '\\') {
                if (++i + 1 >= raw.size())
                    return std::nullopt;
            } else if (raw[i] == '"') {
                return std::nullopt;
            }
            unquoted.append(raw[i]);
        }
        raw = unquoted;
        if (!isToken(raw))
            return std::nullopt;
        return unquoted;
    }
    if (!isToken(raw))
        return std::nullopt;
    return raw.toByteArray();
}

// 8..15, decimal, no leading zeros (RFC 7692 §7.1.2.1).
int windowBits(const QByteArray &value)
{
    if (value.size() == 1 && value[0] >= '8' && value[0] <= '9')
        return value[0] - '0';
    if (value.size() == 2 && value[0] == '1' && value[1] >= '0' && value[1] <= '5')
        return 10 + (value[1] - '0');
    return 0;
}

// One offer: "permessage-deflate; param[=value]; ..."; nullopt when it must be declined.
std::optional<DeflateAgreement> acceptOffer(QByteArrayView offer)
{
    const QList<QByteArrayView> parts = splitOutsideQuotes(offer, ';');
    if (parts.value(0).trimmed().compare(QByteArrayView(kExtensionName), Qt::CaseInsensitive) != 0)
        return std::nullopt;
    DeflateAgreement agreement;
    bool seenServerNoTakeover = false, seenClientNoTakeover = false, seenServerBits = false, seenClientBits = false;
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QByteArrayView param = parts.at(i).trimmed();
        const qsizetype eq = param.indexOf('=');
        const QByteArrayView name = (eq < 0 ? param : param.first(eq)).trimmed();
        std::optional<QByteArray> value;
        if (eq >= 0 && !(value = paramValue(param.sliced(eq + 1).trimmed())))
            return std::nullopt;
        auto once = [](bool &seen) { return !std::exchange(seen, true); };
        if (name.compare("server_no_context_takeover", Qt::CaseInsensitive) == 0) {
            if (value || !once(seenServerNoTakeover))
                return std::nullopt;
        } else if (name.compare("client_no_context_takeover", Qt::CaseInsensitive) == 0) {
            if (value || !once(seenClientNoTakeover))
                return std::nullopt;
        } else if (name.compare("server_max_window_bits", Qt::CaseInsensitive) == 0) {
            if (!value || !once(seenServerBits) || !(agreement.serverMaxWindowBits = windowBits(*value)))
                return std::nullopt;
        } else if (name.compare("client_max_window_bits", Qt::CaseInsensitive) == 0) {
            // Without a value the client only says it could limit its window; we inflate with
            // the largest window, so whatever it uses is fine and we need not answer it.
            if (!once(seenClientBits) || (value && !windowBits(*value)))
                return std::nullopt;
        } else {
            return std::nullopt; // unknown (or empty) parameter: decline this offer
        }
    }
    return agreement;
}

// One deflate stream per window size per thread, reset for every message.
class Deflaters
{
public:
    ~Deflaters()
    {
        for (z_stream &z : m_streams)
            if (z.state)
                deflateEnd(&z);
    }
    z_stream *get(int windowBits)
    {
        z_stream &z = m_streams[windowBits - kMinWindowBits];
        if (!z.state) {
            const int rc = deflateInit2(&z, kLevel, Z_DEFLATED, -windowBits, kMemLevel, Z_DEFAULT_STRATEGY);
            if (rc != Z_OK) {
                qCWarning(lcDeflate) << "deflateInit2 failed:" << rc << "window bits" << windowBits;
                z = z_stream {};
                return nullptr;
            }
        } else if (deflateReset(&z) != Z_OK) {
            return nullptr;
        }
        return &z;
    }

private:
    std::array<z_stream, kMaxWindowBits - kMinWindowBits + 1> m_streams {};
};

// The inflater shared by every connection of the thread (client_no_context_takeover).
class Inflater
{
public:
    ~Inflater()
    {
        if (m_ready)
            inflateEnd(&m_z);
    }
    z_stream *get()
    {
        if (!m_ready) {
            const int rc = inflateInit2(&m_z, -kMaxWindowBits);
            if (rc != Z_OK) {
                qCWarning(lcDeflate) << "inflateInit2 failed:" << rc;
                m_z = z_stream {};
                return nullptr;
            }
            m_ready = true;
        } else if (inflateReset(&m_z) != Z_OK) {
            return nullptr;
        }
        return &m_z;
    }

private:
    z_stream m_z {};
    bool m_ready = false;
};

QByteArray deflateForEvent(QByteArrayView head, int windowBits)
{
    if (head.size() < kDeflateMinHeadBytes)
        return {};
    QByteArray compressed = deflateMessage(head, windowBits);
    if (compressed.isEmpty() || compressed.size() + kStoredTailOverhead >= head.size())
        return {};
    return compressed;
}

} // namespace

int DeflateAgreement::compressWindowBits() const
{
    if (serverMaxWindowBits == 0)
        return kMaxWindowBits;
    return std::max(serverMaxWindowBits, 9);
}

std::optional<DeflateAgreement> negotiateDeflate(QByteArrayView extensions)
{
    for (const QByteArrayView offer : splitOutsideQuotes(extensions, ','))
        if (const std::optional<DeflateAgreement> agreement = acceptOffer(offer))
            return agreement;
    return std::nullopt;
}

QByteArray deflateResponseHeader(const DeflateAgreement &agreement)
{
    QByteArray line = "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
                      "client_no_context_takeover";
    if (agreement.serverMaxWindowBits)
        line += "; server_max_window_bits=" + QByteArray::number(agreement.serverMaxWindowBits);
    return line + "\r\n";
}

QByteArray deflateMessage(QByteArrayView bytes, int windowBits)
{
    thread_local Deflaters deflaters;
    z_stream *z = deflaters.get(std::clamp(windowBits, 9, kMaxWindowBits));
    if (!z)
        return {};
    QByteArray out(qsizetype(deflateBound(z, uLong(bytes.size()))) + 16, Qt::Uninitialized);
    z->next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
    z->avail_in = uInt(bytes.size());
    qsizetype produced = 0;
    for (;;) {
        z->next_out = reinterpret_cast<Bytef *>(out.data() + produced);
        z->avail_out = uInt(out.size() - produced);
        const int rc = deflate(z, Z_SYNC_FLUSH);
        produced = out.size() - z->avail_out;
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            qCWarning(lcDeflate) << "deflate failed:" << rc;
            return {};
        }
        if (z->avail_out > 0)
            break;
        out.resize(out.size() * 2);
    }
    // Z_SYNC_FLUSH ends on an empty stored block; its LEN/NLEN are what RFC 7692 §7.2.1 strips.
    if (produced < 4 || QByteArrayView(out).first(produced).last(4) != QByteArrayView("\x00\x00\xff\xff", 4)) {
        qCWarning(lcDeflate) << "deflate output does not end on a sync flush";
        return {};
    }
    out.truncate(produced - 4);
    return out;
}

void appendStoredTail(QByteArray &out, QByteArrayView bytes)
{
    Q_ASSERT(bytes.size() <= 0xFFFF);
    const auto len = quint16(bytes.size());
    const char header[4] = { char(len & 0xFF), char(len >> 8), char(~len & 0xFF), char((~len >> 8) & 0xFF) };
    out.append(header, 4).append(bytes).append('\0');
}

QByteArray deflatedHead(const EncodedEvent &event, int windowBits)
{
    return event.derived(windowBits, &deflateForEvent);
}

InflateResult inflateMessage(QByteArrayView compressed, qint64 maxBytes, QByteArray *out)
{
    thread_local Inflater inflater;
    z_stream *z = inflater.get();
    if (!z)
        return InflateResult::Corrupt;
    static const char kTail[4] = { '\x00', '\x00', '\xff', '\xff' };
    const qint64 limit = std::max<qint64>(0, maxBytes) + 1; // one byte over the bound is enough to know
    out->resize(qsizetype(std::min<qint64>(limit, std::max<qint64>(4096, compressed.size() * 4))));
    qsizetype produced = 0;
    const QByteArrayView inputs[2] = { compressed, QByteArrayView(kTail, 4) };
    for (int part = 0; part < 2; ++part) {
        const QByteArrayView input = inputs[part];
        z->next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.data()));
        z->avail_in = uInt(input.size());
        for (;;) {
            if (produced == out->size()) {
                if (produced >= limit)
                    return InflateResult::TooBig;
                out->resize(qsizetype(std::min<qint64>(limit, qint64(out->size()) * 2)));
            }
            z->next_out = reinterpret_cast<Bytef *>(out->data() + produced);
            z->avail_out = uInt(out->size() - produced);
            const int rc = inflate(z, Z_SYNC_FLUSH);
            produced = out->size() - z->avail_out;
            if (produced >= limit)
                return InflateResult::TooBig;
            if (rc == Z_STREAM_END) {
                // A final block is allowed (RFC 7692 §7.2.3.4); only our appended tail may follow it.
                if (part == 0 && z->avail_in > 0)
                    return InflateResult::Corrupt;
                out->truncate(produced);
                return InflateResult::Ok;
            }
            if (rc != Z_OK && rc != Z_BUF_ERROR)
                return InflateResult::Corrupt;
            if (z->avail_in == 0 && z->avail_out > 0)
                break; // everything in, everything out
            if (rc == Z_BUF_ERROR && z->avail_out > 0)
                return InflateResult::Corrupt; // no progress with input and room left
        }
    }
    out->truncate(produced);
    return InflateResult::Ok;
}

DeflateCounters &deflateCounters()
{
    static DeflateCounters counters;
    return counters;
}

} // namespace mythos::ws
