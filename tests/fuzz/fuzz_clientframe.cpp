// A client's text frame turned into a request before it is authenticated: the JSON check the
// Session makes (object or refusal) and the `auth` request, the one request an anonymous
// client can get the server to act on (token verification, guest names, default room).
#include "fuzzsupport.h"

#include "bus/nullbus.h"
#include "chat/authenticator.h"
#include "chat/directory.h"
#include "chat/playerregistry.h"
#include "config/config.h"
#include "gateway/moderatorrequests.h"

#include <QJsonDocument>

#include <cstdio>

using namespace mythos;

namespace {
struct World
{
    Config config;
    NullBus bus;
    std::unique_ptr<PlayerRegistry> registry;
    std::unique_ptr<Directory> directory;
    std::unique_ptr<Authenticator> authenticator;
};
World *world = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::initQt(argc, argv);
    world = new World;
    world->config.auth.jwtSecret = QByteArrayLiteral("fuzz-secret");
    world->config.auth.allowGuests = true;
    world->config.presence.defaultRoom = QStringLiteral("tavern");
    world->registry = std::make_unique<PlayerRegistry>(world->config, &world->bus);
    world->directory = std::make_unique<Directory>(QStringLiteral("fuzz-1"), world->registry.get(), &world->bus);
    world->authenticator =
            std::make_unique<Authenticator>(world->config, world->directory.get(), &world->directory->known());
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray utf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return 0;
    const QJsonObject frame = doc.object();
    const QString type = frame.value(QLatin1String("type")).toString();
    (void)ModeratorRequests::isModeratorRequest(type);
    const AuthOutcome outcome = world->authenticator->fromFrame(frame);
    if (const auto *error = std::get_if<ChatError>(&outcome))
        FUZZ_CHECK(!error->message.isEmpty());
    else
        FUZZ_CHECK(!std::get<Authenticated>(outcome).identity.id.isEmpty());
    return 0;
}
