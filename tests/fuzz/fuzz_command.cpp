// The MUD command line parser (`/say hi`, `w Bob psst`, `mute Bob 10 spam`) on any text.
#include "fuzzsupport.h"

#include "protocol/commandparser.h"

#include <cstdio>

using namespace mythos;

namespace {
QSet<QString> *channels = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::initQt(argc, argv);
    channels = new QSet<QString> { QStringLiteral("say"),   QStringLiteral("global"),  QStringLiteral("trade"),
                                   QStringLiteral("party"), QStringLiteral("whisper"), QStringLiteral("help") };
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString line = QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const ParsedCommand c = parseCommand(line, *channels);
    if (c.kind == ParsedCommand::Kind::Error)
        FUZZ_CHECK(!c.error.isEmpty());
    // Out-of-range minutes (negative, 0 = permanent) are passed on: MuteService answers them.
    FUZZ_CHECK(c.content.size() <= line.size());
    return 0;
}
