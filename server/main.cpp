// mythos-chatd: the headless chat server. Everything lives in mythoschat_server.
#include "app/commandline.h"
#include "bus/natsbus.h"

#include <QCoreApplication>

#ifdef Q_OS_WIN
#include "app/windowsservice.h"
#endif

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("mythos-chat"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MYTHOS_VERSION));
    const int rc = mythos::runCommandLine(app);
    mythos::NatsBus::releaseLibrary();
#ifdef Q_OS_WIN
    mythos::windowsservice::finish(rc); // as a service (--service): report STOPPED, after every cleanup
#endif
    return rc;
}
