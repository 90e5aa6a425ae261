// permessage-deflate (RFC 7692) on bytes: the offer parsing and our answer, the compressed
// message (the event's shared deflate bytes plus a stored block with the sequence number)
// checked with zlib's own inflate as a client would, the inflate bound, and the decoder's RSV1
// rules on a connection that did or did not negotiate the extension.
#include "clientframes.h"
#include "gateway/ws/permessagedeflate.h"
#include "gateway/ws/wsframing.h"
#include "protocol/event.h"

#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

#include <zlib.h>

using namespace mythos;
using namespace mythos::ws;

namespace {
// A client frame with the given first byte flags (FIN 0x80, RSV1 0x40, RSV2 0x20), masked.
QByteArray clientFrame(quint8 flags, Opcode opcode, const QByteArray &payload)
{
    return test::maskedClientFrame(flags | static_cast<quint8>(opcode), payload, 0x12345678);
}

// What a client's deflater sends: raw deflate, sync flush, 00 00 ff ff stripped.
QByteArray clientDeflate(const QByteArray &bytes, int flush = Z_SYNC_FLUSH)
{
    z_stream z {};
    deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(qsizetype(deflateBound(&z, uLong(bytes.size()))) + 64, Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
    z.avail_in = uInt(bytes.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, flush);
    out.truncate(out.size() - z.avail_out);
    deflateEnd(&z);
    if (flush == Z_SYNC_FLUSH && out.endsWith(QByteArrayView("\x00\x00\xff\xff", 4)))
        out.chop(4);
    return out;
}

// What a client's inflater does with a message: append 00 00 ff ff, raw inflate.
QByteArray clientInflate(QByteArray payload, int windowBits = 15, bool *ok = nullptr)
{
    payload.append("\x00\x00\xff\xff", 4);
    z_stream z {};
    inflateInit2(&z, -windowBits);
    QByteArray out(1 << 21, Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef *>(payload.data());
    z.avail_in = uInt(payload.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    const int rc = inflate(&z, Z_SYNC_FLUSH);
    if (ok)
        *ok = (rc == Z_OK || rc == Z_STREAM_END) && z.avail_in == 0;
    out.truncate(out.size() - z.avail_out);
    inflateEnd(&z);
    return out;
}

EncodedEvent chatMessage(int contentChars)
{
    QString content;
    const char *words[] = { "the ", "old ", "ones ", "stir ", "beneath ", "arkham ", "tonight " };
    while (content.size() < contentChars)
        content += QLatin1String(words[content.size() % 7]);
    content.truncate(contentChars);
    return EncodedEvent::encode(QStringLiteral("chat_message"),
                                { { QStringLiteral("message_id"), QStringLiteral("0193f2a1b2c3000000-demo-1") },
                                  { QStringLiteral("channel"), QStringLiteral("global") },
                                  { QStringLiteral("sender_id"), QStringLiteral("guest-alice") },
                                  { QStringLiteral("sender_name"), QStringLiteral("Alice") },
                                  { QStringLiteral("content"), content } });
}

QByteArray payloadFor(const EncodedEvent &event, quint64 seq, int windowBits = 15)
{
    QByteArray payload = deflatedHead(event, windowBits);
    if (payload.isEmpty())
        return {};
    appendStoredTail(payload, QByteArray::number(seq) + '}');
    return payload;
}

struct Collected
{
    QList<QPair<Opcode, QByteArray>> messages;
    FrameDecoder::OnMessage sink()
    {
        return [this](Opcode op, QByteArray &&payload) { messages.append({ op, payload }); };
    }
};

int g_derivations = 0;
QByteArray countingDerive(QByteArrayView head, int)
{
    ++g_derivations;
    return head.toByteArray().toUpper();
}
} // namespace

class TestPermessageDeflate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void offers_data();
    void offers();
    void responseHeader();
    void compressedMessageInflatesToTheFrame_data();
    void compressedMessageInflatesToTheFrame();
    void storedTailBytes();
    void shortOrIncompressibleHeadsArePlain();
    void derivedFormIsSharedBetweenCopies();
    void window8IsServedWithAStreamThatFits256Bytes();
    void inflateIsBoundedWhileInflating();
    void inflateRejectsCorruptData();
    void decoderRules_data();
    void decoderRules();
    void fragmentedCompressedMessage();
};

void TestPermessageDeflate::offers_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<int>("serverBits"); // echoed server_max_window_bits, 0 = none
    QTest::addColumn<int>("compressBits");

    QTest::newRow("bare") << QByteArray("permessage-deflate") << true << 0 << 15;
    QTest::newRow("chromium") << QByteArray("permessage-deflate; client_max_window_bits") << true << 0 << 15;
    QTest::newRow("ws (node)") << QByteArray("permessage-deflate; client_max_window_bits") << true << 0 << 15;
    QTest::newRow("all params") << QByteArray(
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
            "server_max_window_bits=12; client_max_window_bits=10")
                                << true << 12 << 12;
    QTest::newRow("quoted value") << QByteArray("permessage-deflate; server_max_window_bits=\"10\"") << true << 10
                                  << 10;
    QTest::newRow("window 8 served with 9")
            << QByteArray("permessage-deflate; server_max_window_bits=8") << true << 8 << 9;
    QTest::newRow("name case") << QByteArray("PerMessage-Deflate") << true << 0 << 15;
    QTest::newRow("second offer after a bad one")
            << QByteArray("permessage-deflate; server_max_window_bits=7, permessage-deflate; server_max_window_bits=11")
            << true << 11 << 11;
    QTest::newRow("after another extension")
            << QByteArray("x-webkit-deflate-frame, permessage-deflate") << true << 0 << 15;
    QTest::newRow("first acceptable wins")
            << QByteArray("permessage-deflate; server_max_window_bits=13, permessage-deflate") << true << 13 << 13;
    QTest::newRow("empty list elements") << QByteArray(" , permessage-deflate ,") << true << 0 << 15;

    QTest::newRow("no header") << QByteArray() << false << 0 << 0;
    QTest::newRow("other extension only") << QByteArray("x-webkit-deflate-frame") << false << 0 << 0;
    QTest::newRow("unknown param") << QByteArray("permessage-deflate; colour=blue") << false << 0 << 0;
    QTest::newRow("duplicate param") << QByteArray(
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover")
                                     << false << 0 << 0;
    QTest::newRow("duplicate window bits")
            << QByteArray("permessage-deflate; client_max_window_bits; client_max_window_bits=9") << false << 0 << 0;
    QTest::newRow("server bits without value")
            << QByteArray("permessage-deflate; server_max_window_bits") << false << 0 << 0;
    QTest::newRow("server bits 7") << QByteArray("permessage-deflate; server_max_window_bits=7") << false << 0 << 0;
    QTest::newRow("server bits 16") << QByteArray("permessage-deflate; server_max_window_bits=16") << false << 0 << 0;
    QTest::newRow("leading zero") << QByteArray("permessage-deflate; server_max_window_bits=010") << false << 0 << 0;
    QTest::newRow("client bits 20") << QByteArray("permessage-deflate; client_max_window_bits=20") << false << 0 << 0;
    QTest::newRow("value on a flag") << QByteArray("permessage-deflate; client_no_context_takeover=1") << false << 0
                                     << 0;
    QTest::newRow("empty param") << QByteArray("permessage-deflate;") << false << 0 << 0;
    QTest::newRow("bad quoting") << QByteArray("permessage-deflate; server_max_window_bits=\"1\"0\"") << false << 0
                                 << 0;
    QTest::newRow("prefix of the name") << QByteArray("permessage-deflatex") << false << 0 << 0;
}

void TestPermessageDeflate::offers()
{
    QFETCH(QByteArray, header);
    QFETCH(bool, accepted);
    QFETCH(int, serverBits);
    QFETCH(int, compressBits);
    const std::optional<DeflateAgreement> agreement = negotiateDeflate(header);
    QCOMPARE(agreement.has_value(), accepted);
    if (!accepted)
        return;
    QCOMPARE(agreement->serverMaxWindowBits, serverBits);
    QCOMPARE(agreement->compressWindowBits(), compressBits);
}

void TestPermessageDeflate::responseHeader()
{
    QCOMPARE(deflateResponseHeader(DeflateAgreement {}),
             QByteArray("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
                        "client_no_context_takeover\r\n"));
    QCOMPARE(deflateResponseHeader(DeflateAgreement { 10 }),
             QByteArray("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
                        "client_no_context_takeover; server_max_window_bits=10\r\n"));
    // The parser keeps every Sec-WebSocket-Extensions line, and the handshake carries ours.
    const auto head = parseHead("GET /ws HTTP/1.1\r\nSec-WebSocket-Extensions: x-foo\r\nUpgrade: websocket\r\n"
                                "Sec-WebSocket-Extensions: permessage-deflate\r\nSec-WebSocket-Key: k\r\n\r\n");
    QVERIFY(head);
    QCOMPARE(head->extensions, QByteArray("x-foo, permessage-deflate"));
    QVERIFY(negotiateDeflate(head->extensions));
    const QByteArray response = handshakeResponse(*head, deflateResponseHeader(DeflateAgreement {}));
    QVERIFY(response.endsWith("client_no_context_takeover\r\n\r\n"));
    QVERIFY(!handshakeResponse(*head).contains("Extensions"));
}

void TestPermessageDeflate::compressedMessageInflatesToTheFrame_data()
{
    QTest::addColumn<int>("contentChars");
    QTest::addColumn<int>("windowBits");
    for (const int chars : { 100, 500, 1000, 4000, 20000 })
        for (const int bits : { 15, 9 })
            QTest::addRow("%d chars, window %d", chars, bits) << chars << bits;
}

void TestPermessageDeflate::compressedMessageInflatesToTheFrame()
{
    QFETCH(int, contentChars);
    QFETCH(int, windowBits);
    const EncodedEvent event = chatMessage(contentChars);
    for (const quint64 seq :
         { quint64(0), quint64(1), quint64(9), quint64(10), quint64(12345), std::numeric_limits<quint64>::max() }) {
        const QByteArray payload = payloadFor(event, seq, windowBits);
        QVERIFY2(!payload.isEmpty(), "a chat message of 100+ characters is sent compressed");
        QVERIFY(payload.size() < event.frame(seq).size());
        bool ok = false;
        QCOMPARE(clientInflate(payload, windowBits, &ok), event.frame(seq));
        QVERIFY(ok);
        QByteArray ours;
        QCOMPARE(inflateMessage(payload, 1 << 20, &ours), InflateResult::Ok);
        QCOMPARE(ours, event.frame(seq));
    }
}

void TestPermessageDeflate::storedTailBytes()
{
    QByteArray out("X");
    appendStoredTail(out, "12}");
    // LEN 3, NLEN ~3, the bytes, then the next stored block's header (its LEN/NLEN are the
    // receiver's 00 00 ff ff).
    QCOMPARE(out,
             QByteArray("X\x03\x00\xfc\xff"
                        "12}\x00",
                        9));
    QCOMPARE(out.size() - 1, 3 + kStoredTailOverhead);
    // An empty message completed by the tail is exactly the tail's bytes.
    QByteArray empty = deflateMessage("", 15);
    appendStoredTail(empty, "7}");
    QCOMPARE(clientInflate(empty), QByteArray("7}"));
}

void TestPermessageDeflate::shortOrIncompressibleHeadsArePlain()
{
    const EncodedEvent pong = EncodedEvent::encode(QStringLiteral("pong"), {});
    QVERIFY(pong.head().size() < kDeflateMinHeadBytes);
    QVERIFY(deflatedHead(pong, 15).isEmpty());
    QByteArray noise(600, Qt::Uninitialized);
    QRandomGenerator rng(7);
    for (char &c : noise)
        c = char('!' + rng.bounded(90)); // printable, but nearly incompressible
    const EncodedEvent random =
            EncodedEvent::encode(QStringLiteral("x"), { { QStringLiteral("n"), QString::fromLatin1(noise) } });
    const QByteArray compressed = deflatedHead(random, 15);
    QVERIFY(compressed.isEmpty() || compressed.size() + kStoredTailOverhead < random.head().size());
}

void TestPermessageDeflate::derivedFormIsSharedBetweenCopies()
{
    g_derivations = 0;
    const EncodedEvent event = chatMessage(100);
    const EncodedEvent copy = event;
    QCOMPARE(copy.derived(15, &countingDerive), event.head().toUpper());
    QCOMPARE(event.derived(15, &countingDerive), event.head().toUpper());
    EncodedEvent later;
    later = copy;
    QCOMPARE(later.derived(15, &countingDerive), event.head().toUpper());
    QCOMPARE(g_derivations, 1);
    // Another key is computed, not cached over the first.
    QCOMPARE(event.derived(9, &countingDerive), event.head().toUpper());
    QCOMPARE(event.derived(9, &countingDerive), event.head().toUpper());
    QCOMPARE(g_derivations, 3);
    QCOMPARE(event.derived(15, &countingDerive), event.head().toUpper());
    QCOMPARE(g_derivations, 3);
    // A separately encoded event has its own form.
    QVERIFY(!chatMessage(100).derived(15, &countingDerive).isEmpty());
    QCOMPARE(g_derivations, 4);
}

void TestPermessageDeflate::window8IsServedWithAStreamThatFits256Bytes()
{
    // Repeats at distances between 200 and 400 bytes: with a 512-byte window some matches could
    // reach past 256, but zlib never emits a distance over w_size - 262 = 250.
    QByteArray text;
    QRandomGenerator rng(42);
    QByteArray block;
    for (int i = 0; i < 300; ++i)
        block.append(char('a' + rng.bounded(26)));
    for (int i = 0; i < 40; ++i)
        text += block.left(200 + rng.bounded(100)) + QByteArray::number(i);
    const DeflateAgreement agreement { 8 };
    QByteArray payload = deflateMessage(text, agreement.compressWindowBits());
    QVERIFY(!payload.isEmpty());
    appendStoredTail(payload, "1}");
    bool ok = false;
    QCOMPARE(clientInflate(payload, 8, &ok), text + "1}");
    QVERIFY(ok);
}

void TestPermessageDeflate::inflateIsBoundedWhileInflating()
{
    const QByteArray bomb = clientDeflate(QByteArray(8 << 20, 'a')); // 8 MiB of one byte
    QVERIFY(bomb.size() < 16 * 1024);
    QByteArray out;
    QCOMPARE(inflateMessage(bomb, 64 * 1024, &out), InflateResult::TooBig);
    QVERIFY2(out.size() <= 64 * 1024 + 1, "never more than one byte past the bound is produced");

    const QByteArray exact(5000, 'b');
    const QByteArray compressed = clientDeflate(exact);
    QCOMPARE(inflateMessage(compressed, 5000, &out), InflateResult::Ok);
    QCOMPARE(out, exact);
    QCOMPARE(inflateMessage(compressed, 4999, &out), InflateResult::TooBig);
}

void TestPermessageDeflate::inflateRejectsCorruptData()
{
    QByteArray out;
    QCOMPARE(inflateMessage(QByteArray("\xff\xff\xff\xff", 4), 4096, &out), InflateResult::Corrupt);
    // A final block is allowed (RFC 7692 §7.2.3.4) ...
    const QByteArray final = clientDeflate("{\"type\":\"ping\"}", Z_FINISH);
    QCOMPARE(inflateMessage(final, 4096, &out), InflateResult::Ok);
    QCOMPARE(out, QByteArray("{\"type\":\"ping\"}"));
    // ... but nothing may follow it.
    QCOMPARE(inflateMessage(final + "junk", 4096, &out), InflateResult::Corrupt);
    // The shared inflater is reset between messages: a good one after a bad one still works.
    QCOMPARE(inflateMessage(clientDeflate("hello"), 4096, &out), InflateResult::Ok);
    QCOMPARE(out, QByteArray("hello"));
    QCOMPARE(inflateMessage({}, 4096, &out), InflateResult::Ok);
    QVERIFY(out.isEmpty());
}

void TestPermessageDeflate::decoderRules_data()
{
    QTest::addColumn<bool>("negotiated");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("closeCode"); // 0: no error
    QTest::addColumn<QByteArray>("message");

    const QByteArray json("{\"type\":\"send\",\"channel\":\"say\",\"content\":\"hello hello hello\"}");
    const QByteArray compressed = clientDeflate(json);
    QTest::newRow("compressed text") << true << clientFrame(0xC0, Opcode::Text, compressed) << 0 << json;
    QTest::newRow("plain text on a deflate connection") << true << clientFrame(0x80, Opcode::Text, json) << 0 << json;
    QTest::newRow("RSV1 without negotiation")
            << false << clientFrame(0xC0, Opcode::Text, compressed) << 1002 << QByteArray();
    QTest::newRow("RSV1 on a ping") << true << clientFrame(0xC0, Opcode::Ping, {}) << 1002 << QByteArray();
    QTest::newRow("RSV1 on a close") << true << clientFrame(0xC0, Opcode::Close, {}) << 1002 << QByteArray();
    QTest::newRow("RSV2") << true << clientFrame(0xA0, Opcode::Text, json) << 1002 << QByteArray();
    QTest::newRow("RSV1 on a continuation")
            << true << clientFrame(0x00, Opcode::Text, "{\"a\":") + clientFrame(0xC0, Opcode::Continuation, "1}")
            << 1002 << QByteArray();
    QTest::newRow("corrupt") << true << clientFrame(0xC0, Opcode::Text, QByteArray("\xff\xfe\xfd", 3)) << 1007
                             << QByteArray();
    QTest::newRow("invalid UTF-8 inside")
            << true << clientFrame(0xC0, Opcode::Text, clientDeflate(QByteArray("ok \xc3\x28", 5))) << 1007
            << QByteArray();
    QTest::newRow("bomb") << true << clientFrame(0xC0, Opcode::Text, clientDeflate(QByteArray(1 << 20, ' '))) << 1009
                          << QByteArray();
    QTest::newRow("compressed binary") << true << clientFrame(0xC0, Opcode::Binary, clientDeflate("\x01\x02\xff")) << 0
                                       << QByteArray("\x01\x02\xff");
}

void TestPermessageDeflate::decoderRules()
{
    QFETCH(bool, negotiated);
    QFETCH(QByteArray, bytes);
    QFETCH(int, closeCode);
    QFETCH(QByteArray, message);
    FrameDecoder decoder(64 * 1024);
    decoder.setDeflate(negotiated);
    Collected got;
    const qsizetype used = decoder.feed(bytes.constData(), bytes.size(), got.sink());
    if (closeCode) {
        QCOMPARE(used, -1);
        QCOMPARE(int(decoder.errorCode()), closeCode);
        QVERIFY(got.messages.isEmpty());
        return;
    }
    QCOMPARE(used, bytes.size());
    QCOMPARE(got.messages.size(), 1);
    QCOMPARE(got.messages.at(0).second, message);
}

void TestPermessageDeflate::fragmentedCompressedMessage()
{
    QByteArray json("{\"type\":\"send\",\"channel\":\"global\",\"content\":\"");
    json += QByteArray(3000, 'x') + "\u00e9\"}";
    const QByteArray compressed = clientDeflate(json);
    QVERIFY(compressed.size() > 10);
    // RSV1 on the first fragment only; a ping in between is fine; split inside the stream.
    const qsizetype cut = compressed.size() / 2;
    const QByteArray bytes = clientFrame(0x40, Opcode::Text, compressed.left(cut))
            + clientFrame(0x80, Opcode::Ping, "p") + clientFrame(0x80, Opcode::Continuation, compressed.mid(cut))
            + clientFrame(0xC0, Opcode::Text, clientDeflate("{\"type\":\"ping\"}"));
    FrameDecoder decoder(64 * 1024);
    decoder.setDeflate(true);
    Collected got;
    QCOMPARE(decoder.feed(bytes.constData(), bytes.size(), got.sink()), bytes.size());
    QCOMPARE(got.messages.size(), 3);
    QCOMPARE(got.messages.at(0).first, Opcode::Ping);
    QCOMPARE(got.messages.at(1).second, json);
    QCOMPARE(got.messages.at(2).second, QByteArray("{\"type\":\"ping\"}"));
}

QTEST_GUILESS_MAIN(TestPermessageDeflate)
#include "tst_permessagedeflate.moc"
