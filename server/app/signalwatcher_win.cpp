// SignalWatcher on Windows, which has no SIGTERM: Ctrl+C and Ctrl+Break in the console, and
// the service control manager's stop or shutdown (app/windowsservice.h), end in
// terminationRequested on the event loop, i.e. the same clean shutdown as SIGTERM on Linux.
// Closing the console window asks too, but Windows ends the process a few seconds later.
// Built instead of signalwatcher.cpp on Windows (server/CMakeLists.txt).
#include "app/signalwatcher.h"

#include "app/windowsservice.h"

#include <QMetaObject>

#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <csignal>
#include <mutex>

namespace mythos {

namespace {

// The watcher the requests go to. The console handler and the service handler run on threads
// of their own; the mutex keeps the watcher alive while a request is posted to it.
std::mutex g_mutex;
SignalWatcher *g_watcher = nullptr;

void requestTermination(int signal)
{
    std::lock_guard lock(g_mutex);
    if (!g_watcher)
        return;
    SignalWatcher *watcher = g_watcher;
    QMetaObject::invokeMethod(
            watcher, [watcher, signal] { Q_EMIT watcher->terminationRequested(signal); }, Qt::QueuedConnection);
}

BOOL WINAPI onConsoleEvent(DWORD event)
{
    switch (event) {
    case CTRL_C_EVENT: requestTermination(SIGINT); return TRUE;
    case CTRL_BREAK_EVENT:
    case CTRL_CLOSE_EVENT: requestTermination(SIGTERM); return TRUE;
    default: return FALSE;
    }
}

} // namespace

SignalWatcher::SignalWatcher(QObject *parent) : QObject(parent)
{
    {
        std::lock_guard lock(g_mutex);
        g_watcher = this;
    }
    ::SetConsoleCtrlHandler(onConsoleEvent, TRUE);
    // Constructed once the server is up: as a service, this is when it reports RUNNING.
    windowsservice::acceptStop([] { requestTermination(SIGTERM); });
}

SignalWatcher::~SignalWatcher()
{
    windowsservice::acceptStop({});
    ::SetConsoleCtrlHandler(onConsoleEvent, FALSE);
    std::lock_guard lock(g_mutex);
    g_watcher = nullptr;
}

} // namespace mythos
