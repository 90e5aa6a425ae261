// mythos-console: the moderators' desktop program. See MainWindow.
#include "app/launchoptions.h"
#include "app/mainwindow.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("MythosChat"));
    QApplication::setApplicationName(QStringLiteral("mythos-console"));
    QApplication::setApplicationDisplayName(QStringLiteral("Mythos Console"));
    QApplication::setApplicationVersion(QStringLiteral(MYTHOS_VERSION));
    const auto options = mythos::console::LaunchOptions::parse(QApplication::arguments());
    if (!options.error.isEmpty()) {
        std::fprintf(stderr, "mythos-console: %s\n", qPrintable(options.error));
        return 2;
    }
    mythos::console::MainWindow window;
    window.show();
    if (options.autoConnect())
        window.connectTo(options.url, options.token);
    else
        window.showConnectDialog();
    return app.exec();
}
