#include "app/windowsservice.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

namespace mythos::windowsservice {

namespace {

// For a SERVICE_WIN32_OWN_PROCESS service the SCM ignores the name in the dispatch table, but
// it must not be null. The installed name is "MythosChat" (install-service.cmd).
wchar_t g_serviceName[] = L"MythosChat";

constexpr DWORD kStartWaitHintMs = 30000; // opening the database and the first NATS connect
constexpr DWORD kStopWaitHintMs = 30000; // closing sessions, flushing the store, draining NATS

// Everything the SCM's threads and the main thread share, behind one mutex.
struct ServiceState
{
    std::mutex mutex;
    std::condition_variable changed;
    bool mainCalled = false; // ServiceMain ran (handle set, or null when registering failed)
    bool dispatcherFailed = false;
    DWORD dispatcherError = 0;
    DWORD registerError = 0;
    bool active = false; // running as a service: the main thread owes the SCM a STOPPED
    bool stopped = false; // STOPPED reported: ServiceMain may return
    SERVICE_STATUS_HANDLE handle = nullptr;
    SERVICE_STATUS status = {};
    std::function<void()> stopRequested;
    std::thread dispatcher;
};

ServiceState &state()
{
    static ServiceState s;
    return s;
}

// Caller holds state().mutex.
void reportLocked(DWORD currentState, int exitCode = 0, DWORD waitHintMs = 0)
{
    ServiceState &s = state();
    if (!s.handle)
        return;
    s.status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    s.status.dwCurrentState = currentState;
    s.status.dwControlsAccepted = currentState == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
    // A non-zero exit is "service-specific": the SCM shows it and, with failureflag set,
    // applies the recovery actions (restart).
    s.status.dwWin32ExitCode = exitCode == 0 ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR;
    s.status.dwServiceSpecificExitCode = static_cast<DWORD>(exitCode);
    s.status.dwWaitHint = waitHintMs;
    const bool settled = currentState == SERVICE_RUNNING || currentState == SERVICE_STOPPED;
    s.status.dwCheckPoint = settled ? 0 : s.status.dwCheckPoint + 1;
    ::SetServiceStatus(s.handle, &s.status);
}

DWORD WINAPI onControl(DWORD control, DWORD /*eventType*/, LPVOID /*eventData*/, LPVOID /*context*/)
{
    switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN: {
        std::function<void()> stopRequested;
        {
            std::lock_guard lock(state().mutex);
            if (state().stopped)
                return NO_ERROR;
            reportLocked(SERVICE_STOP_PENDING, 0, kStopWaitHintMs);
            stopRequested = state().stopRequested;
        }
        // Outside the lock: it only posts to the event loop, but needs no lock of ours.
        if (stopRequested)
            stopRequested();
        return NO_ERROR;
    }
    case SERVICE_CONTROL_INTERROGATE: return NO_ERROR;
    default: return ERROR_CALL_NOT_IMPLEMENTED;
    }
}

void WINAPI serviceMain(DWORD /*argc*/, LPWSTR * /*argv*/)
{
    ServiceState &s = state();
    std::unique_lock lock(s.mutex);
    s.handle = ::RegisterServiceCtrlHandlerExW(g_serviceName, onControl, nullptr);
    s.registerError = s.handle ? 0 : ::GetLastError();
    s.mainCalled = true;
    if (s.handle)
        reportLocked(SERVICE_START_PENDING, 0, kStartWaitHintMs);
    s.changed.notify_all();
    if (!s.handle)
        return;
    // The dispatcher (and with it the control handler) must live until the main thread has
    // finished its cleanup and reported STOPPED.
    s.changed.wait(lock, [&s] { return s.stopped; });
}

// A service has no console: stderr (the server's own error lines) is reopened on the log file
// and Qt's messages, which would go to the debugger otherwise, are written to it too.
void writeLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    static const char *const kTypes[] = { "debug", "warning", "critical", "fatal", "info" };
    const QByteArray line = QDateTime::currentDateTime().toString(Qt::ISODateWithMs).toUtf8() + ' '
            + kTypes[qBound(0, int(type), 4)] + ' ' + qFormatLogMessage(type, context, message).toUtf8() + '\n';
    std::fputs(line.constData(), stderr); // one call per line: the C runtime locks the stream
    std::fflush(stderr);
}

} // namespace

bool start(const QString &logFilePath, QString *error)
{
    ServiceState &s = state();
    s.dispatcher = std::thread([] {
        SERVICE_TABLE_ENTRYW table[] = { { g_serviceName, serviceMain }, { nullptr, nullptr } };
        const BOOL ok = ::StartServiceCtrlDispatcherW(table);
        std::lock_guard lock(state().mutex);
        if (!ok) {
            state().dispatcherFailed = true;
            state().dispatcherError = ::GetLastError();
        }
        state().changed.notify_all();
    });

    std::unique_lock lock(s.mutex);
    s.changed.wait(lock, [&s] { return s.mainCalled || s.dispatcherFailed; });
    if (s.handle) {
        s.active = true;
        lock.unlock();
        QDir().mkpath(QFileInfo(logFilePath).absolutePath());
        const QString nativePath = QDir::toNativeSeparators(logFilePath);
        FILE *reopened = nullptr;
        if (::_wfreopen_s(&reopened, reinterpret_cast<const wchar_t *>(nativePath.utf16()), L"a", stderr) == 0)
            qInstallMessageHandler(writeLog);
        return true;
    }
    const bool dispatcherFailed = s.dispatcherFailed;
    if (dispatcherFailed) {
        *error = s.dispatcherError == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT
                ? QStringLiteral("--service: not started by the Windows service control manager "
                                 "(install the service with install-service.cmd, or run without --service)")
                : QStringLiteral("--service: StartServiceCtrlDispatcher failed (error %1)").arg(s.dispatcherError);
    } else {
        *error = QStringLiteral("--service: RegisterServiceCtrlHandlerEx failed (error %1)").arg(s.registerError);
    }
    lock.unlock();
    if (dispatcherFailed)
        s.dispatcher.join(); // it has returned already
    else
        s.dispatcher.detach(); // the SCM gave up on this service; the process exits anyway
    return false;
}

void acceptStop(std::function<void()> stopRequested)
{
    std::lock_guard lock(state().mutex);
    const bool accepting = bool(stopRequested);
    state().stopRequested = std::move(stopRequested);
    if (accepting && state().active && state().status.dwCurrentState == SERVICE_START_PENDING)
        reportLocked(SERVICE_RUNNING);
}

void finish(int exitCode)
{
    ServiceState &s = state();
    {
        std::lock_guard lock(s.mutex);
        if (!s.active)
            return;
        s.active = false;
        s.stopRequested = {};
        reportLocked(SERVICE_STOPPED, exitCode);
        s.stopped = true;
        s.changed.notify_all();
    }
    // StartServiceCtrlDispatcher returns once ServiceMain has returned and the service is
    // STOPPED.
    if (s.dispatcher.joinable())
        s.dispatcher.join();
}

} // namespace mythos::windowsservice
