// The WebSocket framing the gateway's transport uses, on bytes: handshake parsing and the
// accept key (RFC 6455's own example), frame headers of every length class, and the decoder's
// unmasking, fragmentation, control frames and protocol errors.
#include "clientframes.h"
#include "gateway/ws/wsframing.h"

#include <QTest>

using namespace mythos::ws;

namespace {
// A client frame: masked with `mask`, FIN as given.
QByteArray clientFrame(Opcode opcode, const QByteArray &payload, bool fin = true, quint32 mask = 0x37fa213d)
{
    return mythos::test::maskedClientFrame((fin ? 0x80 : 0) | static_cast<quint8>(opcode), payload, mask);
}

struct Collected
{
    QList<QPair<Opcode, QByteArray>> messages;
    FrameDecoder::OnMessage sink()
    {
        return [this](Opcode op, QByteArray &&payload) { messages.append({ op, payload }); };
    }
};
} // namespace

class TestWsFraming : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void acceptKeyMatchesTheRfcExample();
    void parsesAnUpgradeHead();
    void incompleteHeadIsNotParsed();
    void plainRequestIsNotAnUpgrade();
    void frameHeadersForEveryLength_data();
    void frameHeadersForEveryLength();
    void decodesMaskedFramesAcrossReads();
    void joinsFragmentsAroundAControlFrame();
    void closeReasonIsCutOnACharacterBoundary();
    void protocolErrors_data();
    void protocolErrors();
    void utf8Validator_data();
    void utf8Validator();
    void invalidUtf8FailsOnTheFragmentThatCarriesIt();
    void codePointSplitAcrossFragmentsIsValid();
};

void TestWsFraming::acceptKeyMatchesTheRfcExample()
{
    QCOMPARE(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void TestWsFraming::parsesAnUpgradeHead()
{
    const QByteArray raw =
            "GET /ws?x=1 HTTP/1.1\r\nHost: h\r\nUpgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            "Authorization: Bearer abc\r\n\r\nFRAMES";
    const auto head = parseHead(raw);
    QVERIFY(head);
    QCOMPARE(head->length, raw.size() - 6);
    QCOMPARE(head->path(), QByteArray("/ws"));
    QVERIFY(head->isWebSocketUpgrade());
    QCOMPARE(head->version, QByteArray("13"));
    QCOMPARE(head->authorization, QByteArray("Bearer abc"));
    QVERIFY(handshakeResponse(*head).contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
}

void TestWsFraming::incompleteHeadIsNotParsed()
{
    QVERIFY(!parseHead("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n"));
}

void TestWsFraming::plainRequestIsNotAnUpgrade()
{
    const auto head = parseHead("POST /chat/send HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
    QVERIFY(head);
    QVERIFY(!head->isWebSocketUpgrade());
    QCOMPARE(head->method, QByteArray("POST"));
}

void TestWsFraming::frameHeadersForEveryLength_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<QByteArray>("header");
    QTest::newRow("short") << 5 << QByteArray("\x81\x05", 2);
    QTest::newRow("125") << 125 << QByteArray("\x81\x7d", 2);
    QTest::newRow("126") << 126 << QByteArray("\x81\x7e\x00\x7e", 4);
    QTest::newRow("65535") << 65535 << QByteArray("\x81\x7e\xff\xff", 4);
    QTest::newRow("65536") << 65536 << QByteArray("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10);
}

void TestWsFraming::frameHeadersForEveryLength()
{
    QFETCH(int, length);
    QFETCH(QByteArray, header);
    QByteArray out;
    appendFrame(out, Opcode::Text, QByteArray(length, 'x'));
    QCOMPARE(out.left(header.size()), header);
    QCOMPARE(out.size(), header.size() + length);
}

void TestWsFraming::decodesMaskedFramesAcrossReads()
{
    FrameDecoder decoder(1 << 20);
    Collected got;
    const QByteArray big(70000, 'b');
    const QByteArray stream = clientFrame(Opcode::Text, R"({"type":"ping"})") + clientFrame(Opcode::Binary, big);
    // Byte by byte at first, then the rest at once: the caller keeps what was not consumed.
    QByteArray pending;
    for (qsizetype i = 0; i < stream.size(); i += (i < 40 ? 1 : 50000)) {
        pending += stream.mid(i, i < 40 ? 1 : 50000);
        const qsizetype used = decoder.feed(pending.constData(), pending.size(), got.sink());
        QVERIFY(used >= 0);
        pending.remove(0, used);
    }
    QVERIFY(pending.isEmpty());
    QCOMPARE(got.messages.size(), 2);
    QCOMPARE(got.messages.at(0).second, QByteArray(R"({"type":"ping"})"));
    QCOMPARE(got.messages.at(1).first, Opcode::Binary);
    QCOMPARE(got.messages.at(1).second, big);
}

void TestWsFraming::joinsFragmentsAroundAControlFrame()
{
    FrameDecoder decoder(1 << 20);
    Collected got;
    const QByteArray stream = clientFrame(Opcode::Text, "hel", false) + clientFrame(Opcode::Ping, "p")
            + clientFrame(Opcode::Continuation, "lo", false) + clientFrame(Opcode::Continuation, " there", true);
    QCOMPARE(decoder.feed(stream.constData(), stream.size(), got.sink()), stream.size());
    QCOMPARE(got.messages.size(), 2);
    QCOMPARE(got.messages.at(0).first, Opcode::Ping);
    QCOMPARE(got.messages.at(1).first, Opcode::Text);
    QCOMPARE(got.messages.at(1).second, QByteArray("hello there"));
}

void TestWsFraming::protocolErrors_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<int>("code");
    QByteArray unmasked("\x81\x02hi", 4);
    QTest::newRow("unmasked") << unmasked << int(ProtocolError);
    QByteArray reserved = clientFrame(Opcode::Text, "x");
    reserved[0] = char(reserved[0] | 0x40);
    QTest::newRow("reserved bit") << reserved << int(ProtocolError);
    QTest::newRow("invalid utf-8") << clientFrame(Opcode::Text, QByteArray("\xff\xfe", 2)) << int(InvalidPayload);
    QTest::newRow("split utf-8 sequence is fine only when whole")
            << clientFrame(Opcode::Text, QByteArray("\xc3", 1), false)
                    + clientFrame(Opcode::Continuation, QByteArray("(", 1))
            << int(InvalidPayload);
    QTest::newRow("too big") << clientFrame(Opcode::Text, QByteArray(2000, 'x')) << int(TooBig);
    QTest::newRow("stray continuation") << clientFrame(Opcode::Continuation, "x") << int(ProtocolError);
    QTest::newRow("fragmented ping") << clientFrame(Opcode::Ping, "x", false) << int(ProtocolError);
    QTest::newRow("unknown opcode") << clientFrame(static_cast<Opcode>(0x3), "x") << int(ProtocolError);
    QByteArray hugeLength("\x81\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00", 14);
    QTest::newRow("64-bit length with the top bit set") << hugeLength << int(ProtocolError);
    QByteArray almostHuge("\x81\xff\x7f\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00", 14);
    QTest::newRow("64-bit length that would overflow") << almostHuge << int(TooBig);
    QTest::newRow("new message inside a fragmented one")
            << clientFrame(Opcode::Text, "a", false) + clientFrame(Opcode::Text, "b") << int(ProtocolError);
}

void TestWsFraming::closeReasonIsCutOnACharacterBoundary()
{
    const QByteArray payload = closePayload(1008, QString(200, QChar(0x00e9))); // two bytes each
    QVERIFY(payload.size() <= 125);
    QVERIFY(QByteArrayView(payload).sliced(2).isValidUtf8());
}

void TestWsFraming::protocolErrors()
{
    QFETCH(QByteArray, stream);
    QFETCH(int, code);
    FrameDecoder decoder(1000);
    Collected got;
    QCOMPARE(decoder.feed(stream.constData(), stream.size(), got.sink()), qsizetype(-1));
    QCOMPARE(int(decoder.errorCode()), code);
    QVERIFY(!decoder.errorReason().isEmpty());
}

void TestWsFraming::utf8Validator_data()
{
    QTest::addColumn<QByteArray>("first");
    QTest::addColumn<QByteArray>("second");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ascii") << QByteArray("ab") << QByteArray("c") << true;
    QTest::newRow("euro split 1+2") << QByteArray("\xe2", 1) << QByteArray("\x82\xac", 2) << true;
    QTest::newRow("emoji split 2+2") << QByteArray("\xf0\x9f", 2) << QByteArray("\x98\x80", 2) << true;
    QTest::newRow("overlong 2-byte") << QByteArray("\xc0\x80", 2) << QByteArray() << false;
    QTest::newRow("overlong 3-byte") << QByteArray("\xe0\x80", 2) << QByteArray("\x80", 1) << false;
    QTest::newRow("surrogate") << QByteArray("\xed", 1) << QByteArray("\xa0\x80", 2) << false;
    QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90", 2) << QByteArray("\x80\x80", 2) << false;
    QTest::newRow("stray continuation") << QByteArray("a") << QByteArray("\x80", 1) << false;
    QTest::newRow("truncated at the end") << QByteArray("a") << QByteArray("\xe2\x82", 2) << false;
}

void TestWsFraming::utf8Validator()
{
    QFETCH(QByteArray, first);
    QFETCH(QByteArray, second);
    QFETCH(bool, valid);
    Utf8Validator v;
    const bool ok = v.feed(first) && v.feed(second) && v.complete();
    QCOMPARE(ok, valid);
    QCOMPARE(ok, QByteArrayView(first + second).isValidUtf8()); // agrees with Qt on the whole
}

void TestWsFraming::invalidUtf8FailsOnTheFragmentThatCarriesIt()
{
    // The first fragment is already invalid and FIN never comes: the decoder must fail now.
    FrameDecoder decoder(1000);
    Collected got;
    const QByteArray stream = clientFrame(Opcode::Text, QByteArray("ok\xff", 3), false);
    QCOMPARE(decoder.feed(stream.constData(), stream.size(), got.sink()), qsizetype(-1));
    QCOMPARE(decoder.errorCode(), quint16(InvalidPayload));
    QVERIFY(got.messages.isEmpty());

    // Same for a bad continuation in the middle of a message that never finishes.
    FrameDecoder later(1000);
    const QByteArray good = clientFrame(Opcode::Text, "fine ", false);
    QCOMPARE(later.feed(good.constData(), good.size(), got.sink()), good.size());
    const QByteArray bad = clientFrame(Opcode::Continuation, QByteArray("\xc0\xaf", 2), false);
    QCOMPARE(later.feed(bad.constData(), bad.size(), got.sink()), qsizetype(-1));
    QCOMPARE(later.errorCode(), quint16(InvalidPayload));
}

void TestWsFraming::codePointSplitAcrossFragmentsIsValid()
{
    FrameDecoder decoder(1000);
    Collected got;
    const QByteArray stream = clientFrame(Opcode::Text, QByteArray("a\xf0\x9f", 3), false)
            + clientFrame(Opcode::Continuation, QByteArray("\x98", 1), false)
            + clientFrame(Opcode::Continuation,
                          QByteArray("\x80"
                                     "b",
                                     2));
    QCOMPARE(decoder.feed(stream.constData(), stream.size(), got.sink()), stream.size());
    QCOMPARE(got.messages.size(), 1);
    QCOMPARE(got.messages.at(0).second,
             QByteArray("a\xf0\x9f\x98\x80"
                        "b"));
}

QTEST_APPLESS_MAIN(TestWsFraming)
#include "tst_wsframing.moc"
