// What permessage-deflate costs and saves per message (docs/performance.md, "permessage-deflate"):
// for events of several sizes, the bytes of one delivery plain and compressed (frame header
// included), the CPU to compress an event's head once, and the CPU per recipient afterwards.
// Run by hand: bench_deflate [iterations]
#include "gateway/ws/permessagedeflate.h"
#include "gateway/ws/wsframing.h"
#include "protocol/event.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonObject>

#include <cstdio>

using namespace mythos;

namespace {
EncodedEvent chatMessage(int contentChars, int variant)
{
    QString content;
    const char *words[] = { "the ", "old ", "ones ", "stir ", "beneath ", "arkham ", "tonight ", "and ", "we " };
    for (int i = variant; content.size() < contentChars; ++i)
        content += QLatin1String(words[(i * 7 + variant) % 9]);
    content.truncate(contentChars);
    return EncodedEvent::encode(
            QStringLiteral("chat_message"),
            { { QStringLiteral("message_id"),
                QStringLiteral("0193f2a1b2c3%1-demo-1").arg(variant, 6, 16, QLatin1Char('0')) },
              { QStringLiteral("channel"), QStringLiteral("global") },
              { QStringLiteral("sender_id"), QStringLiteral("guest-alice") },
              { QStringLiteral("sender_name"), QStringLiteral("Alice") },
              { QStringLiteral("room_id"), QStringLiteral("earth_arkhamcity_sanitarium_room_foyer_001") },
              { QStringLiteral("content"), content } });
}

qsizetype frameBytes(qsizetype payload)
{
    QByteArray header;
    ws::appendFrameHeader(header, ws::Opcode::Text, quint64(payload));
    return header.size() + payload;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int iterations = argc > 1 ? std::max(1, atoi(argv[1])) : 20000;
    struct Case
    {
        const char *name;
        std::function<EncodedEvent(int)> make;
    };
    const QList<Case> cases {
        { "pong",
          [](int) {
              return EncodedEvent::encode(QStringLiteral("pong"), { { QStringLiteral("ref"), QStringLiteral("r1") } });
          } },
        { "ack",
          [](int i) {
              return EncodedEvent::encode(QStringLiteral("ack"),
                                          { { QStringLiteral("message_id"),
                                              QStringLiteral("0193f2a1b2c3%1-demo-1").arg(i, 6, 16, QLatin1Char('0')) },
                                            { QStringLiteral("ref"), QStringLiteral("r1") } });
          } },
        { "chat_message 10 chars", [](int i) { return chatMessage(10, i); } },
        { "chat_message 30 chars", [](int i) { return chatMessage(30, i); } },
        { "chat_message 60 chars", [](int i) { return chatMessage(60, i); } },
        { "chat_message 100 chars", [](int i) { return chatMessage(100, i); } },
        { "chat_message 500 chars", [](int i) { return chatMessage(500, i); } },
    };
    std::printf("%-24s %6s %8s %10s %8s %12s %12s\n", "event", "head", "plain", "compressed", "ratio", "compress ns",
                "per-recip ns");
    for (const Case &c : cases) {
        QList<EncodedEvent> events;
        for (int i = 0; i < iterations; ++i)
            events.append(c.make(i));
        // Sizes as one recipient (sequence number 12345) gets them.
        const EncodedEvent &sample = events.first();
        const qsizetype plain = frameBytes(sample.head().size() + 6);
        QByteArray compressed = ws::deflateMessage(sample.head(), 15);
        const qsizetype deflated = frameBytes(compressed.size() + ws::kStoredTailOverhead + 6);
        // Compressing each (distinct) event once: the cost a message pays whatever its fan-out.
        QElapsedTimer timer;
        timer.start();
        qsizetype sink = 0;
        for (const EncodedEvent &e : std::as_const(events))
            sink += ws::deflateMessage(e.head(), 15).size();
        const double compressNs = double(timer.nsecsElapsed()) / iterations;
        // Per recipient: the cached form plus the stored block, as WsConnection::sendEvent does.
        QByteArray out;
        out.reserve(1 << 20);
        const EncodedEvent cached = events.first();
        (void)ws::deflatedHead(cached, 15);
        timer.restart();
        for (int i = 0; i < iterations; ++i) {
            if (out.size() > (1 << 19))
                out.resize(0);
            const QByteArray bytes = ws::deflatedHead(cached, 15);
            const QByteArray digits = QByteArray::number(i) + '}';
            ws::appendFrameHeader(out, ws::Opcode::Text, quint64(bytes.size() + 5 + digits.size()), true);
            out.append(bytes);
            ws::appendStoredTail(out, digits);
        }
        const double perRecipientNs = double(timer.nsecsElapsed()) / iterations;
        std::printf("%-24s %6lld %8lld %10lld %7.0f%% %12.0f %12.0f\n", c.name, qlonglong(sample.head().size()),
                    qlonglong(plain), qlonglong(deflated), 100.0 * double(deflated) / double(plain), compressNs,
                    perRecipientNs);
        if (sink == 0)
            return 1;
    }
    return 0;
}
