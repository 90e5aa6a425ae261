// The packages as users get them: cpack builds the .tar.gz, the .deb and the Windows installer
// from this build tree's install() rules; the test reads their contents and metadata, installs
// the .deb with dpkg into a scratch root (maintainer scripts included: service account,
// generated configuration, upgrade, purge), unpacks the .tar.gz, and starts the packaged
// mythos-chatd against a real nats-server until /health answers. The NSIS installer cannot run
// here; its script is checked for the Windows parts instead.
//
// Environment (tests/packaging/CMakeLists.txt): MYTHOS_BUILD_DIR, MYTHOS_CPACK,
// MYTHOS_SOURCE_DIR, MYTHOS_CHATD, MYTHOS_HAS_CONSOLE.
#include "natsserver.h"
#include "processrun.h"

#include "auth/jwt.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace mythos;
using namespace mythos::test;

namespace {

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
}

// The one file in dir whose name ends with suffix.
QString findOne(const QString &dir, const QString &suffix)
{
    const QStringList found = QDir(dir).entryList({ QLatin1Char('*') + suffix }, QDir::Files);
    return found.size() == 1 ? QDir(dir).filePath(found.first()) : QString();
}

// Replaces the one occurrence of `from`; false when there is not exactly one, so a changed
// template shows up here instead of as a server listening on the wrong port.
bool replaceOnce(QByteArray &text, const QByteArray &from, const QByteArray &to)
{
    if (text.count(from) != 1)
        return false;
    text.replace(from, to);
    return true;
}

QSet<QString> lines(const QByteArray &text)
{
    QSet<QString> set;
    for (const QByteArray &line : text.split('\n')) {
        if (!line.trimmed().isEmpty())
            set.insert(QString::fromUtf8(line.trimmed()));
    }
    return set;
}

} // namespace

class TestPackaging : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tarballHasTheInstallTreeAndItsServerRuns();
    void debHasHonestMetadataAndMaintainerScripts();
    void debInstallsWithDpkgIntoAScratchRootAndRuns();
    void systemdUnitVerifies();
    void nsisInstallerBuildsWithTheWindowsParts();
    void windowsDefaultConfigurationIsValid();

private:
    // cpack -G generator into a fresh folder; returns that folder (empty on failure).
    QString cpack(const QString &generator, const QStringList &extra = {});
    // Starts `chatd` with `config` and checks /health answers 200 "ok" with NATS connected,
    // then SIGTERM and a clean exit.
    void startAndCheckHealth(const QString &chatd, const QString &configTemplate, const QByteArray &portLine,
                             const QByteArray &dataDirLine, const QString &workName);

    QTemporaryDir m_dir;
    QString m_buildDir;
    QString m_cpack;
    QString m_sourceDir;
    bool m_hasConsole = false;
    NatsServer m_nats;
    QString m_debFile;
};

void TestPackaging::initTestCase()
{
    m_buildDir = qEnvironmentVariable("MYTHOS_BUILD_DIR");
    m_cpack = qEnvironmentVariable("MYTHOS_CPACK");
    m_sourceDir = qEnvironmentVariable("MYTHOS_SOURCE_DIR");
    m_hasConsole = qEnvironmentVariable("MYTHOS_HAS_CONSOLE") == QLatin1String("1");
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(m_buildDir + QStringLiteral("/CPackConfig.cmake")), qPrintable(m_buildDir));
    QVERIFY2(QFileInfo(m_cpack).isExecutable(), qPrintable(m_cpack));
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
}

QString TestPackaging::cpack(const QString &generator, const QStringList &extra)
{
    const QString out = m_dir.filePath(generator);
    QDir(out).removeRecursively();
    QStringList args { QStringLiteral("--config"), m_buildDir + QStringLiteral("/CPackConfig.cmake"),
                       QStringLiteral("-G"),       generator,
                       QStringLiteral("-B"),       out };
    args += extra;
    const ProcessResult r = runProcess(m_cpack, args, 300000);
    if (r.exitCode != 0) {
        qWarning().noquote() << "cpack -G" << generator << "failed:\n" << r.out << r.err;
        return {};
    }
    return out;
}

void TestPackaging::startAndCheckHealth(const QString &chatd, const QString &configTemplate, const QByteArray &portLine,
                                        const QByteArray &dataDirLine, const QString &workName)
{
    const QString work = m_dir.filePath(workName);
    QVERIFY(QDir().mkpath(work + QStringLiteral("/data")));
    const quint16 port = freeLoopbackPort();
    QByteArray config = readFile(configTemplate);
    QVERIFY2(replaceOnce(config, portLine, "  port: " + QByteArray::number(port)), qPrintable(configTemplate));
    QVERIFY2(replaceOnce(config, dataDirLine, "  data_dir: " + QFile::encodeName(work) + "/data"),
             qPrintable(configTemplate));
    QVERIFY2(replaceOnce(config, "url: nats://127.0.0.1:4222", "url: " + m_nats.url().toUtf8()),
             qPrintable(configTemplate));
    const QString configPath = work + QStringLiteral("/server_config.yaml");
    QVERIFY(writeFile(configPath, config));

    QProcess server;
    server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    server.start(chatd, { QStringLiteral("--config"), configPath });
    QVERIFY2(server.waitForStarted(10000), qPrintable(chatd));
    QVERIFY2(waitForPort(port, 20000), "the packaged server never listened");
    int status = 0;
    QJsonObject health;
    // NATS connects right after the listener opens; wait for the bus, not for a fixed time.
    QTRY_VERIFY_WITH_TIMEOUT(
            (health = getJson(port, QStringLiteral("/health"), &status)).value(QStringLiteral("nats")).toString()
                    == QLatin1String("connected"),
            15000);
    QCOMPARE(status, 200);
    QCOMPARE(health.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    QCOMPARE(health.value(QStringLiteral("database")).toString(), QStringLiteral("ok"));
    QVERIFY(QFile::exists(work + QStringLiteral("/data/chat.db")));

    server.terminate(); // SIGTERM: the clean shutdown the systemd unit relies on
    QVERIFY(server.waitForFinished(20000));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);
}

void TestPackaging::tarballHasTheInstallTreeAndItsServerRuns()
{
    const QString out = cpack(QStringLiteral("TGZ"));
    QVERIFY(!out.isEmpty());
    const QString tarball = findOne(out, QStringLiteral(".tar.gz"));
    QVERIFY2(!tarball.isEmpty(), qPrintable(out));

    const ProcessResult list = runProcess(QStringLiteral("tar"), { QStringLiteral("-tzf"), tarball });
    QCOMPARE(list.exitCode, 0);
    // Entries without the top folder (mythos-chat-<version>-Linux/).
    QSet<QString> entries;
    for (const QString &entry : lines(list.out))
        entries.insert(entry.section(QLatin1Char('/'), 1));
    QStringList expected { QStringLiteral("bin/mythos-chatd"),
                           QStringLiteral("bin/mythos-chat-cli"),
                           QStringLiteral("share/mythos-chat/server_config.yaml"),
                           QStringLiteral("share/mythos-chat/nats-server.conf"),
                           QStringLiteral("share/mythos-chat/filters/profanity.txt"),
                           QStringLiteral("share/mythos-chat/filters/keywords.txt"),
                           QStringLiteral("share/mythos-chat/filters/allow.txt"),
                           QStringLiteral("share/mythos-chat/system/server_config.yaml"),
                           QStringLiteral("lib/systemd/system/mythos-chatd.service"),
                           QStringLiteral("share/doc/mythos-chat/install.md") };
    if (m_hasConsole)
        expected +=
                { QStringLiteral("bin/mythos-console"), QStringLiteral("share/applications/mythos-console.desktop") };
    if (QFile::exists(m_sourceDir + QStringLiteral("/resources/web/index.html")))
        expected += QStringLiteral("share/mythos-chat/web/index.html");
    for (const QString &e : expected)
        QVERIFY2(entries.contains(e), qPrintable(QStringLiteral("missing from the tarball: ") + e));
    // The Windows-only components stay out of the Linux packages.
    QVERIFY(!entries.contains(QStringLiteral("bin/install-service.cmd")));
    QVERIFY(!entries.contains(QStringLiteral("share/mythos-chat/windows/server_config.yaml")));

    const QString root = m_dir.filePath(QStringLiteral("tgz-root"));
    QVERIFY(QDir().mkpath(root));
    QCOMPARE(runProcess(QStringLiteral("tar"),
                        { QStringLiteral("-xzf"), tarball, QStringLiteral("-C"), root,
                          QStringLiteral("--strip-components=1") })
                     .exitCode,
             0);
    const QString chatd = root + QStringLiteral("/bin/mythos-chatd");
    QVERIFY(QFileInfo(chatd).isExecutable());
    // Both shipped configurations load.
    for (const QString &config : { QStringLiteral("/share/mythos-chat/server_config.yaml"),
                                   QStringLiteral("/share/mythos-chat/system/server_config.yaml") }) {
        const ProcessResult check =
                runProcess(chatd, { QStringLiteral("--config"), root + config, QStringLiteral("--check-config") });
        QVERIFY2(check.exitCode == 0, check.err.constData());
    }
    startAndCheckHealth(chatd, root + QStringLiteral("/share/mythos-chat/system/server_config.yaml"), "  port: 8080",
                        "  data_dir: /var/lib/mythos-chat", QStringLiteral("tgz-run"));
}

void TestPackaging::debHasHonestMetadataAndMaintainerScripts()
{
    if (QStandardPaths::findExecutable(QStringLiteral("dpkg-deb")).isEmpty()
        || QStandardPaths::findExecutable(QStringLiteral("dpkg-shlibdeps")).isEmpty())
        QSKIP("dpkg-deb / dpkg-shlibdeps not installed (dpkg-dev): the .deb is not built here");
    const QString out = cpack(QStringLiteral("DEB"));
    QVERIFY(!out.isEmpty());
    m_debFile = findOne(out, QStringLiteral(".deb"));
    QVERIFY2(!m_debFile.isEmpty(), qPrintable(out));

    auto field = [this](const char *name) {
        return QString::fromUtf8(
                runProcess(QStringLiteral("dpkg-deb"), { QStringLiteral("-f"), m_debFile, QString::fromLatin1(name) })
                        .out.trimmed());
    };
    QCOMPARE(field("Package"), QStringLiteral("mythos-chat"));
    QCOMPARE(field("Version"), QStringLiteral(MYTHOS_VERSION));
    // Depends: the libraries the programs really link (dpkg-shlibdeps), plus what is loaded or
    // run by name.
    const QString depends = field("Depends");
    QStringList needed {
        QStringLiteral("nats-server"),       QStringLiteral("libqt6sql6-sqlite"), QStringLiteral("passwd"),
        QStringLiteral("libqt6core6"),       QStringLiteral("libqt6network6"),    QStringLiteral("libqt6websockets6"),
        QStringLiteral("libqt6httpserver6"), QStringLiteral("libqt6sql6 "),       QStringLiteral("libyaml-cpp0.7"),
        QStringLiteral("libnats3.")
    };
    if (m_hasConsole)
        needed += { QStringLiteral("libqt6widgets6"), QStringLiteral("libqt6charts6"),
                    QStringLiteral("qt6-qpa-plugins") };
    for (const QString &n : needed)
        QVERIFY2(depends.contains(n), qPrintable(n + QStringLiteral(" not in Depends: ") + depends));
    QCOMPARE(field("Recommends"), QStringLiteral("libqt6sql6-psql"));

    const ProcessResult contents = runProcess(QStringLiteral("dpkg-deb"), { QStringLiteral("-c"), m_debFile });
    QCOMPARE(contents.exitCode, 0);
    for (const char *path :
         { "./usr/bin/mythos-chatd", "./usr/bin/mythos-chat-cli", "./usr/lib/systemd/system/mythos-chatd.service",
           "./usr/share/mythos-chat/system/server_config.yaml", "./usr/share/mythos-chat/filters/keywords.txt" })
        QVERIFY2(contents.out.contains(QByteArray(path) + '\n'), path);
    // /etc/mythos-chat/server_config.yaml is made by postinst (it holds a generated secret), so
    // the package ships nothing under /etc and has no conffiles to prompt about on upgrade.
    QVERIFY(!contents.out.contains(" ./etc/"));
    QVERIFY(!contents.out.contains("install-service.cmd"));

    const QString control = m_dir.filePath(QStringLiteral("deb-control"));
    QCOMPARE(runProcess(QStringLiteral("dpkg-deb"), { QStringLiteral("-e"), m_debFile, control }).exitCode, 0);
    QVERIFY(!QFile::exists(control + QStringLiteral("/conffiles")));
    for (const QString &script : { QStringLiteral("postinst"), QStringLiteral("prerm"), QStringLiteral("postrm") }) {
        const QString path = control + QLatin1Char('/') + script;
        QVERIFY2(QFileInfo(path).isExecutable(), qPrintable(path));
        const ProcessResult syntax = runProcess(QStringLiteral("sh"), { QStringLiteral("-n"), path });
        QVERIFY2(syntax.exitCode == 0, syntax.err.constData());
    }
}

void TestPackaging::debInstallsWithDpkgIntoAScratchRootAndRuns()
{
    if (m_debFile.isEmpty())
        QSKIP("no .deb (see debHasHonestMetadataAndMaintainerScripts)");
    if (::geteuid() != 0)
        QSKIP("dpkg --root with maintainer scripts needs root (useradd); the .deb was checked without installing it");

    // A scratch root: an empty dpkg database and the account files useradd --prefix edits.
    const QString root = m_dir.filePath(QStringLiteral("deb-root"));
    for (const char *dir : { "/var/lib/dpkg/info", "/var/lib/dpkg/updates", "/var/log", "/etc" })
        QVERIFY(QDir().mkpath(root + QLatin1String(dir)));
    QVERIFY(writeFile(root + QStringLiteral("/var/lib/dpkg/status"), ""));
    QVERIFY(writeFile(root + QStringLiteral("/etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"));
    QVERIFY(writeFile(root + QStringLiteral("/etc/group"), "root:x:0:\n"));
    QVERIFY(writeFile(root + QStringLiteral("/etc/shadow"), "root:*:19000:0:99999:7:::\n"));
    QVERIFY(writeFile(root + QStringLiteral("/etc/gshadow"), "root:*::\n"));
    // The scripts run here, not chrooted, with DPKG_ROOT set: they write only below it. The
    // dependencies are this machine's (the scratch database knows none of them).
    const QStringList dpkg { QStringLiteral("--root=") + root,
                             QStringLiteral("--log=") + root + QStringLiteral("/var/log/dpkg.log"),
                             QStringLiteral("--force-script-chrootless"), QStringLiteral("--force-depends") };
    const ProcessResult install =
            runProcess(QStringLiteral("dpkg"), dpkg + QStringList { QStringLiteral("-i"), m_debFile });
    QVERIFY2(install.exitCode == 0, install.err.constData());

    // The service account and its state folder.
    const QByteArray passwd = readFile(root + QStringLiteral("/etc/passwd"));
    const QRegularExpression account(
            QStringLiteral("^mythos-chat:x:(\\d+):(\\d+):[^:]*:/var/lib/mythos-chat:/usr/sbin/nologin$"),
            QRegularExpression::MultilineOption);
    const QRegularExpressionMatch user = account.match(QString::fromUtf8(passwd));
    QVERIFY2(user.hasMatch(), passwd.constData());
    const uint uid = user.captured(1).toUInt();
    const uint gid = user.captured(2).toUInt();
    QVERIFY(uid > 0 && uid < 1000); // a system account
    QVERIFY(readFile(root + QStringLiteral("/etc/group")).contains("mythos-chat:x:" + QByteArray::number(gid) + ':'));
    struct stat st = {};
    QCOMPARE(::stat(QFile::encodeName(root + QStringLiteral("/var/lib/mythos-chat")).constData(), &st), 0);
    QCOMPARE(st.st_uid, uid);
    QCOMPARE(st.st_mode & 07777, 0750u);

    // The configuration: made once, readable by root and the service only, with a fresh secret
    // that the packaged binary signs tokens with.
    const QString config = root + QStringLiteral("/etc/mythos-chat/server_config.yaml");
    QCOMPARE(::stat(QFile::encodeName(config).constData(), &st), 0);
    QCOMPARE(st.st_mode & 07777, 0640u);
    QCOMPARE(st.st_uid, 0u);
    QCOMPARE(st.st_gid, gid);
    const QByteArray configText = readFile(config);
    const QRegularExpressionMatch secret =
            QRegularExpression(QStringLiteral("jwt_secret: \"([0-9a-f]{64})\"")).match(QString::fromUtf8(configText));
    QVERIFY2(secret.hasMatch(), configText.constData());
    const QString chatd = root + QStringLiteral("/usr/bin/mythos-chatd");
    const ProcessResult check =
            runProcess(chatd, { QStringLiteral("--config"), config, QStringLiteral("--check-config") });
    QVERIFY2(check.exitCode == 0, check.err.constData());
    const ProcessResult token =
            runProcess(chatd,
                       { QStringLiteral("--config"), config, QStringLiteral("token"), QStringLiteral("--sub"),
                         QStringLiteral("alice"), QStringLiteral("--name"), QStringLiteral("Alice") });
    QCOMPARE(token.exitCode, 0);
    QVERIFY(jwt::verify(token.out.trimmed(), secret.captured(1).toUtf8(), QDateTime::currentSecsSinceEpoch()).ok());

    // Upgrade (here: reinstall) keeps the administrator's file as it is.
    QByteArray edited = configText + "# edited by the administrator\n";
    QVERIFY(writeFile(config, edited));
    const ProcessResult again =
            runProcess(QStringLiteral("dpkg"), dpkg + QStringList { QStringLiteral("-i"), m_debFile });
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QCOMPARE(readFile(config), edited);

    // The installed program serves with the installed configuration (port, data folder and
    // NATS pointed at this test's).
    startAndCheckHealth(chatd, config, "  port: 8080", "  data_dir: /var/lib/mythos-chat", QStringLiteral("deb-run"));

    // remove keeps the configuration and data; purge deletes them (the account stays).
    const ProcessResult remove = runProcess(
            QStringLiteral("dpkg"), dpkg + QStringList { QStringLiteral("--remove"), QStringLiteral("mythos-chat") });
    QVERIFY2(remove.exitCode == 0, remove.err.constData());
    QVERIFY(!QFile::exists(chatd));
    QVERIFY(QFile::exists(config));
    const ProcessResult purge = runProcess(
            QStringLiteral("dpkg"), dpkg + QStringList { QStringLiteral("--purge"), QStringLiteral("mythos-chat") });
    QVERIFY2(purge.exitCode == 0, purge.err.constData());
    QVERIFY(!QFile::exists(config));
    QVERIFY(!QFile::exists(root + QStringLiteral("/var/lib/mythos-chat")));
    QVERIFY(readFile(root + QStringLiteral("/etc/passwd")).contains("mythos-chat:"));
}

void TestPackaging::systemdUnitVerifies()
{
    const QString analyze = QStandardPaths::findExecutable(QStringLiteral("systemd-analyze"));
    if (analyze.isEmpty())
        QSKIP("systemd-analyze not installed");
    // A root where the unit's /usr/bin/mythos-chatd exists, with the system's targets the unit
    // orders itself against.
    const QString root = m_dir.filePath(QStringLiteral("unit-root"));
    const QString units = root + QStringLiteral("/usr/lib/systemd/system");
    QVERIFY(QDir().mkpath(root + QStringLiteral("/usr/bin")));
    QVERIFY(QDir().mkpath(units));
    QVERIFY(QFile::copy(qEnvironmentVariable("MYTHOS_CHATD"), root + QStringLiteral("/usr/bin/mythos-chatd")));
    const QDir systemUnits(QStringLiteral("/usr/lib/systemd/system"));
    const QStringList targets = systemUnits.entryList({ QStringLiteral("*.target") }, QDir::Files);
    if (targets.isEmpty())
        QSKIP("no systemd targets on this machine to verify the unit against");
    for (const QString &target : targets)
        QVERIFY(QFile::copy(systemUnits.filePath(target), units + QLatin1Char('/') + target));
    const QString unit = units + QStringLiteral("/mythos-chatd.service");
    QVERIFY(QFile::copy(m_sourceDir + QStringLiteral("/installer/linux/mythos-chatd.service"), unit));
    const ProcessResult verify = runProcess(
            analyze, { QStringLiteral("verify"), QStringLiteral("--root=") + root, QStringLiteral("--man=no"), unit });
    // Only complaints about this unit count (the host's targets are none of our business); a
    // bad setting is only a warning (exit code 0), so read what it says.
    QByteArray ours;
    for (const QByteArray &line : verify.err.split('\n')) {
        if (line.contains("mythos-chatd"))
            ours += line + '\n';
    }
    QVERIFY2(ours.isEmpty(), ours.constData());
    QVERIFY2(verify.exitCode == 0, verify.err.constData());
}

void TestPackaging::nsisInstallerBuildsWithTheWindowsParts()
{
    if (QStandardPaths::findExecutable(QStringLiteral("makensis")).isEmpty())
        QSKIP("makensis not installed (Debian package nsis): the Windows installer is not built here");
    // zlib: the installer only proves the script here; release builds keep NSIS's default.
    const QString out =
            cpack(QStringLiteral("NSIS"), { QStringLiteral("-D"), QStringLiteral("CPACK_NSIS_COMPRESSOR=zlib") });
    QVERIFY(!out.isEmpty());
    const QString exe = findOne(out, QStringLiteral(".exe"));
    QVERIFY2(!exe.isEmpty(), qPrintable(out));
    const QByteArray head = readFile(exe).left(2);
    QCOMPARE(head, QByteArray("MZ")); // a Windows executable
    QVERIFY(QFileInfo(exe).size() > 100 * 1024);

    // The generated script: what the Windows installer does.
    QString script;
    QDirIterator it(out + QStringLiteral("/_CPack_Packages"), { QStringLiteral("project.nsi") }, QDir::Files,
                    QDirIterator::Subdirectories);
    if (it.hasNext())
        script = it.next();
    QVERIFY(!script.isEmpty());
    const QByteArray nsi = readFile(script);
    const QList<QByteArray> wanted {
        // optional component, off by default (moderators' desktops need no server)
        "Section /o \"Windows service\" service",
        // selected: register and start it
        "SectionGetFlags ${service} $0",
        "nsExec::ExecToLog '\"$INSTDIR\\bin\\install-service.cmd\"'",
        // uninstall: stop and remove it
        "nsExec::ExecToLog '\"$INSTDIR\\bin\\uninstall-service.cmd\"'",
        // the configuration under ProgramData, made once
        "ReadEnvStr $1 ProgramData",
        "share\\mythos-chat\\windows\\setup-config.ps1",
        // Start menu
        "CreateShortCut \"$SMPROGRAMS\\$STARTMENU_FOLDER\\Server configuration.lnk\"",
    };
    for (const QByteArray &w : wanted)
        QVERIFY2(nsi.contains(w), w.constData());
    if (m_hasConsole)
        QVERIFY(nsi.contains(
                "CreateShortCut \"$SMPROGRAMS\\$STARTMENU_FOLDER\\Mythos Chat Console.lnk\" \"$INSTDIR\\bin\\mythos-console.exe\""));
    // The uninstall command runs before the files are deleted.
    const qsizetype uninstallSection = nsi.indexOf("Section \"Uninstall\"");
    QVERIFY(uninstallSection > 0);
    const qsizetype stopService = nsi.indexOf("uninstall-service.cmd\"'", uninstallSection);
    const qsizetype deleteProgram = nsi.indexOf("Delete \"$INSTDIR\\bin\\mythos-chatd", uninstallSection);
    QVERIFY(stopService > 0 && deleteProgram > stopService);

    // The service scripts are in the installer with the line ends cmd.exe needs.
    QString staged;
    QDirIterator files(out + QStringLiteral("/_CPack_Packages"), { QStringLiteral("install-service.cmd") }, QDir::Files,
                       QDirIterator::Subdirectories);
    if (files.hasNext())
        staged = files.next();
    QVERIFY(!staged.isEmpty());
    const QByteArray cmd = readFile(staged);
    QVERIFY(cmd.contains("sc.exe create %SERVICE% binPath= \"\\\"%EXE%\\\" --service --config \\\"%CONFIG%\\\"\""));
    QCOMPARE(cmd.count("\r\n"), cmd.count('\n'));
}

void TestPackaging::windowsDefaultConfigurationIsValid()
{
    // What setup-config.ps1 makes of the template, checked by this platform's mythos-chatd.
    QByteArray config = readFile(m_sourceDir + QStringLiteral("/installer/windows/server_config.yaml"));
    QVERIFY(replaceOnce(config, "@DATA_DIR@", "C:/ProgramData/Mythos Chat/data"));
    QVERIFY(replaceOnce(config, "jwt_secret: \"\"", "jwt_secret: \"0123456789abcdef\""));
    QVERIFY(config.contains("\n  managed: true"));
    const QString path = m_dir.filePath(QStringLiteral("windows_config.yaml"));
    QVERIFY(writeFile(path, config));
    const ProcessResult check = runProcess(qEnvironmentVariable("MYTHOS_CHATD"),
                                           { QStringLiteral("--config"), path, QStringLiteral("--check-config") });
    QVERIFY2(check.exitCode == 0, check.err.constData());
}

QTEST_GUILESS_MAIN(TestPackaging)
#include "tst_packaging.moc"
