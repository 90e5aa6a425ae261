#pragma once
// One player's WebSocket after the handshake: reads and writes on a non-blocking socket through
// the Poller, turns bytes into messages with FrameDecoder, queues outgoing frames in one buffer
// written once per event-loop pass, and runs the closing handshake. Deliberately not a QObject
// and without per-connection timers: at fifteen thousand players every byte of it counts.

#include "gateway/ws/poller.h"
#include "gateway/ws/wsframing.h"

#include <QByteArray>

namespace mythos {
class EncodedEvent;
}

namespace mythos::ws {

class WsConnection final : public PollClient
{
public:
    class Handler
    {
    public:
        virtual ~Handler() = default;
        virtual void messageReceived(Opcode opcode, QByteArray &&payload) = 0;
        // The peer started closing, or broke the protocol: nothing more is delivered, and the
        // socket goes once our close frame is out (the handler bounds how long that may take).
        virtual void closingStarted() = 0;
        // Once, when the socket is gone (closing handshake done, peer gone, or aborted).
        virtual void connectionClosed() = 0;
    };

    // Takes ownership of `fd`, whose handshake response is already queued by the caller.
    WsConnection(sockio::Fd fd, RequestHead head, Poller *poller, qint64 maxMessageBytes);
    ~WsConnection() override;

    void setHandler(Handler *handler) { m_handler = handler; }
    // The largest message accepted from now on (small until the client has authenticated).
    void setMaxMessageBytes(qint64 bytes) { m_decoder.setMaxMessageBytes(bytes); }
    // permessage-deflate was agreed in the handshake (its response is the caller's).
    void enableDeflate(int compressWindowBits);
    bool deflateEnabled() const { return m_deflateWindowBits != 0; }
    // The frame for one recipient: the shared event bytes with this connection's sequence
    // number; with permessage-deflate, the event's shared compressed bytes and a stored block
    // with the number.
    void sendEvent(const EncodedEvent &event, quint64 sequenceNumber);
    void sendRaw(const QByteArray &bytes); // handshake responses
    // Starts the closing handshake; nothing more is sent or delivered afterwards.
    void close(quint16 code, const QString &reason);
    // Drops the socket at once.
    void abort();
    // Keep-alive: true when the peer sent anything since the last call (and forgets it).
    bool takeHeardFrom() { return std::exchange(m_heardFrom, false); }
    void sendPing();

    qint64 pendingBytes() const { return m_out.size() - m_outOffset; }
    // Every byte the socket has accepted so far: a growing value means the client is draining.
    quint64 bytesWritten() const { return m_bytesWritten; }
    bool isClosing() const { return m_state != State::Open; }
    bool isClosed() const { return m_state == State::Closed; }
    quint16 closeCode() const { return m_closeCode; }
    const RequestHead &request() const { return m_head; }
    const QString &peer() const { return m_peer; }

    // PollClient
    void readable() override;
    void writable() override;
    void flush() override;

private:
    enum class State { Open, Closing, Closed };
    void queue(Opcode opcode, QByteArrayView payload);
    // Once per pass, however many frames are queued meanwhile.
    void scheduleFlush();
    void onFrame(Opcode opcode, QByteArray &&payload);
    void failProtocol(quint16 code, const QString &reason);
    void startClosing();
    void finish();

    sockio::Fd m_fd;
    RequestHead m_head;
    QString m_peer;
    Poller *m_poller;
    FrameDecoder m_decoder;
    Handler *m_handler = nullptr;
    QByteArray m_in; // an incomplete frame, kept between reads
    QByteArray m_out;
    qsizetype m_outOffset = 0;
    quint64 m_bytesWritten = 0;
    State m_state = State::Open;
    quint16 m_closeCode = 0;
    bool m_flushScheduled = false;
    bool m_writeInterest = false;
    bool m_closeAfterFlush = false;
    bool m_heardFrom = true;
    quint8 m_deflateWindowBits = 0; // 0: permessage-deflate not negotiated
};

} // namespace mythos::ws
