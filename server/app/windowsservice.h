#pragma once
// mythos-chatd as a Windows service (`--service`, registered by installer/windows/
// install-service.cmd). Windows only.
//
// The service control manager (SCM) talks to the process through StartServiceCtrlDispatcher,
// which blocks its thread for the life of the service; the Qt event loop needs the main
// thread. So the dispatcher runs on a thread of its own, and a stop or shutdown from the SCM
// reaches the event loop the same way SIGTERM does on Linux: SignalWatcher (the Windows one,
// signalwatcher_win.cpp) registers itself here once the server is up and turns the request
// into terminationRequested, which stops the server cleanly.
//
// Order in main: start() (before the server starts) → acceptStop() (server is up: RUNNING) →
// event loop → finish(exit code) (after every cleanup: STOPPED).

#include <QString>

#include <functional>

namespace mythos::windowsservice {

// Connects to the SCM and reports START_PENDING. False (with the reason) when the process was
// not started by the SCM. Operational log messages go to logFile from then on: a service has
// no console.
bool start(const QString &logFile, QString *error);

// The server is serving: report RUNNING and call stopRequested (from the SCM's thread) on a
// stop or shutdown request. An empty function withdraws it. Does nothing but remember the
// function when not running as a service.
void acceptStop(std::function<void()> stopRequested);

// Reports STOPPED with the process' exit code and waits for the dispatcher thread. Does
// nothing when not running as a service.
void finish(int exitCode);

} // namespace mythos::windowsservice
