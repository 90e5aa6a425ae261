#pragma once
// permessage-deflate for the load generator's receivers (RFC 7692 §7.2.2): a message with RSV1
// is raw deflate without its 00 00 ff ff tail. We offer no context takeover either way, so
// every message is an independent stream and one inflater per thread serves all connections.

#include <zlib.h>

#include <cstddef>
#include <vector>

namespace loadgen {

class RawInflater
{
public:
    RawInflater() { m_ready = inflateInit2(&m_z, -15) == Z_OK; }
    ~RawInflater()
    {
        if (m_ready)
            inflateEnd(&m_z);
    }
    RawInflater(const RawInflater &) = delete;
    RawInflater &operator=(const RawInflater &) = delete;

    // Inflates one message into `out` (resized to what it holds); false on corrupt data or once
    // `maxBytes` would be exceeded.
    bool inflate(const char *data, size_t length, size_t maxBytes, std::vector<char> &out)
    {
        if (!m_ready || inflateReset(&m_z) != Z_OK)
            return false;
        static const unsigned char tail[4] = { 0x00, 0x00, 0xff, 0xff };
        if (out.size() < 4 * length + 256)
            out.resize(4 * length + 256);
        size_t produced = 0;
        const unsigned char *inputs[2] = { reinterpret_cast<const unsigned char *>(data), tail };
        const size_t sizes[2] = { length, sizeof tail };
        for (int part = 0; part < 2; ++part) {
            m_z.next_in = const_cast<unsigned char *>(inputs[part]);
            m_z.avail_in = static_cast<uInt>(sizes[part]);
            while (m_z.avail_in > 0) {
                if (produced == out.size()) {
                    if (out.size() >= maxBytes)
                        return false;
                    out.resize(out.size() * 2);
                }
                m_z.next_out = reinterpret_cast<unsigned char *>(out.data() + produced);
                m_z.avail_out = static_cast<uInt>(out.size() - produced);
                const int rc = ::inflate(&m_z, Z_SYNC_FLUSH);
                produced = out.size() - m_z.avail_out;
                if (rc == Z_STREAM_END)
                    break;
                if (rc != Z_OK && rc != Z_BUF_ERROR)
                    return false;
            }
        }
        out.resize(produced);
        return true;
    }

private:
    z_stream m_z {};
    bool m_ready = false;
};

} // namespace loadgen
