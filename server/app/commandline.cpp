#include "app/commandline.h"

#include "app/filterdryruncommand.h"
#include "app/operatorcommands.h"
#include "app/serverapp.h"
#include "app/signalwatcher.h"
#include "auth/jwt.h"
#include "config/configloader.h"
#include "import/mythosimporter.h"
#include "util/ids.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QStandardPaths>
#include <QTimer>

#include <cstdio>

#ifdef Q_OS_WIN
#include "app/windowsservice.h"

#include <QDir>
#endif

namespace mythos {

namespace {

const QString kDefaultConfig = QStringLiteral(":/mythos/server_config.yaml");

void printErr(const QString &text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
}

int mintToken(const QCommandLineParser &p, const Config &config)
{
    if (config.auth.jwtSecret.isEmpty()) {
        printErr(
                QStringLiteral("token: no secret: set auth.jwt_secret in the configuration or MYTHOS_CHAT_JWT_SECRET"));
        return 1;
    }
    TokenClaims claims;
    claims.playerId = p.value(QStringLiteral("sub"));
    claims.name = p.value(QStringLiteral("name"));
    if (!isValidPlayerId(claims.playerId) || !isValidDisplayName(claims.name)) {
        printErr(QStringLiteral("token: --sub must match [A-Za-z0-9_-]{1,64} and --name be 1-32 printable characters"));
        return 1;
    }
    const auto role = parseRole(p.value(QStringLiteral("role")));
    bool ttlOk = false;
    const qint64 ttl = p.value(QStringLiteral("ttl")).toLongLong(&ttlOk);
    if (!role || !ttlOk || ttl <= 0) {
        printErr(QStringLiteral(
                "token: --role must be player, moderator or admin and --ttl a positive number of seconds"));
        return 1;
    }
    claims.role = *role;
    claims.expiresAt = QDateTime::currentSecsSinceEpoch() + ttl;
    claims.roomId = p.value(QStringLiteral("room"));
    claims.partyId = p.value(QStringLiteral("party"));
    for (const QString &id : { claims.roomId, claims.partyId }) {
        if (!id.isEmpty() && !isValidSubjectId(id)) {
            printErr(QStringLiteral("token: --room and --party must match [A-Za-z0-9_-]{1,128}"));
            return 1;
        }
    }
    std::printf("%s\n", jwt::mint(claims, config.auth.jwtSecret).constData());
    return 0;
}

// Exit 0: imported (or nothing to); 2: it ran, but some files were rejected (see the report);
// 1: it could not run.
int runImport(const QCommandLineParser &p, const Config &config)
{
    ImportOptions options;
    options.dataDir = p.value(QStringLiteral("data"));
    options.logsDir = p.value(QStringLiteral("logs"));
    options.dryRun = p.isSet(QStringLiteral("dry-run"));
    if (options.dataDir.isEmpty() || options.logsDir.isEmpty()) {
        printErr(QStringLiteral("import mythosmud: --data DIR and --logs DIR are required"));
        return 1;
    }
    const auto report = importMythosMud(config, options);
    if (!report) {
        printErr(QStringLiteral("import mythosmud: ") + report.error());
        return 1;
    }
    std::fputs(qPrintable(report.value().toText()), stdout);
    return report.value().clean() ? 0 : 2;
}

int runServer(QCoreApplication &app, Config config, const QString &configPath)
{
    ServerApp server(std::move(config), configPath);
    QString error;
    if (!server.start(&error)) {
        printErr(QStringLiteral("mythos-chatd: ") + error);
        return 1;
    }
    SignalWatcher signals;
    QObject::connect(&signals, &SignalWatcher::terminationRequested, &server, &ServerApp::stop);
    QObject::connect(&server, &ServerApp::stopped, &app, &QCoreApplication::quit);
    return app.exec();
}

} // namespace

int runCommandLine(QCoreApplication &app)
{
    QCommandLineParser p;
    p.setApplicationDescription(
            QStringLiteral("Mythos Chat server.\n\n"
                           "  mythos-chatd [--config FILE] [--check-config]\n"
                           "  mythos-chatd [--config FILE] token --sub ID --name NAME [--role ROLE] [--ttl SECONDS]\n"
                           "  mythos-chatd [--config FILE] import mythosmud --data DIR --logs DIR [--dry-run]\n"
                           "  mythos-chatd [--config FILE] backup FILE\n"
                           "  mythos-chatd [--config FILE] restore FILE\n"
                           "  mythos-chatd [--config FILE] logs [--category C] [--from DAY] [--to DAY] [--player ID]\n"
                           "                                    [--event E] [--text T] [--format json|csv]\n"
                           "  mythos-chatd [--config FILE] filter-dry-run [--lists DIR] [--levels FILE] [--days N]\n"
                           "                                              [--examples K] [--format text|json]"));
    p.addHelpOption();
    p.addVersionOption();
    p.addOption({ QStringLiteral("config"), QStringLiteral("YAML configuration file (default: the bundled one)."),
                  QStringLiteral("FILE") });
    p.addOption({ QStringLiteral("check-config"),
                  QStringLiteral("Validate the configuration and exit (0 valid, 1 not).") });
#ifdef Q_OS_WIN
    p.addOption(
            { QStringLiteral("service"),
              QStringLiteral(
                      "Run as the Windows service (as registered by install-service.cmd); logs go to <logging.dir>/mythos-chatd.log.") });
#endif
    p.addOption({ QStringLiteral("sub"), QStringLiteral("token: player id."), QStringLiteral("ID") });
    p.addOption({ QStringLiteral("name"), QStringLiteral("token: display name."), QStringLiteral("NAME") });
    p.addOption({ QStringLiteral("role"), QStringLiteral("token: player, moderator or admin."), QStringLiteral("ROLE"),
                  QStringLiteral("player") });
    p.addOption({ QStringLiteral("ttl"), QStringLiteral("token: lifetime in seconds."), QStringLiteral("SECONDS"),
                  QStringLiteral("3600") });
    p.addOption({ QStringLiteral("room"), QStringLiteral("token: initial room id."), QStringLiteral("ROOM") });
    p.addOption({ QStringLiteral("party"), QStringLiteral("token: initial party id."), QStringLiteral("PARTY") });
    p.addOption({ QStringLiteral("data"), QStringLiteral("import: the MythosMUD data folder (user_management/)."),
                  QStringLiteral("DIR") });
    p.addOption({ QStringLiteral("logs"), QStringLiteral("import: the MythosMUD chat log folder."),
                  QStringLiteral("DIR") });
    p.addOption({ QStringLiteral("dry-run"), QStringLiteral("import: report what would be imported, write nothing.") });
    addLogQueryOptions(p);
    addFilterDryRunOptions(p);
    p.addPositionalArgument(
            QStringLiteral("command"),
            QStringLiteral("Optional: 'token' to mint a JWT, 'import mythosmud' to migrate, 'backup FILE' "
                           "or 'restore FILE' (SQLite), 'logs' to query the audit trail, 'filter-dry-run' to try "
                           "filter lists or levels on logged chat."));
    p.process(app);

    const QStringList positional = p.positionalArguments();
    const bool isToken = positional == QStringList { QStringLiteral("token") };
    const bool isImport = positional == QStringList { QStringLiteral("import"), QStringLiteral("mythosmud") };
    const QString command = positional.value(0);
    const bool isFileCommand =
            positional.size() == 2 && (command == QLatin1String("backup") || command == QLatin1String("restore"));
    const bool isLogs = positional == QStringList { QStringLiteral("logs") };
    const bool isDryRun = positional == QStringList { QStringLiteral("filter-dry-run") };
    if (positional.size() == 1 && (command == QLatin1String("backup") || command == QLatin1String("restore"))) {
        printErr(QStringLiteral("mythos-chatd: %1 needs a FILE (see --help)").arg(command));
        return 1;
    }
    if (!positional.isEmpty() && !isToken && !isImport && !isFileCommand && !isLogs && !isDryRun) {
        printErr(QStringLiteral("mythos-chatd: unknown command '%1' (see --help)")
                         .arg(positional.join(QLatin1Char(' '))));
        return 1;
    }

    const QString path = p.isSet(QStringLiteral("config")) ? p.value(QStringLiteral("config")) : kDefaultConfig;
    auto loaded = configloader::loadFile(path);
    if (!loaded) {
        printErr(QStringLiteral("invalid configuration: ") + loaded.error());
        return 1;
    }
    Config config = loaded.value();
    config.resolveDefaults(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation));

    if (isToken)
        return mintToken(p, config);
    if (isImport)
        return runImport(p, config);
    if (isFileCommand)
        return command == QLatin1String("backup") ? runBackup(config, positional[1])
                                                  : runRestore(config, positional[1]);
    if (isLogs)
        return runLogs(p, config);
    if (isDryRun)
        return runFilterDryRunCommand(p, config);
    if (p.isSet(QStringLiteral("check-config"))) {
        std::printf("%s: configuration OK\n", qPrintable(path));
        return 0;
    }
#ifdef Q_OS_WIN
    if (p.isSet(QStringLiteral("service"))) {
        QString error;
        if (!windowsservice::start(QDir(config.logging.dir).filePath(QStringLiteral("mythos-chatd.log")), &error)) {
            printErr(QStringLiteral("mythos-chatd: ") + error);
            return 1;
        }
    }
#endif
    return runServer(app, std::move(config), path == kDefaultConfig ? QString() : path);
}

} // namespace mythos
