#pragma once
// Small helpers the suites that drive whole programs share: run one to its end, and read a
// JSON answer from a server's HTTP port.

#include <QJsonObject>
#include <QProcessEnvironment>
#include <QStringList>

namespace mythos::test {

struct ProcessResult
{
    int exitCode = -1; // -1 when it crashed or did not finish in time
    QByteArray out;
    QByteArray err;
};

// Runs `program` to its end (killed after `timeoutMs`).
ProcessResult runProcess(const QString &program, const QStringList &args, int timeoutMs = 120000,
                         const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());

// GET http://127.0.0.1:port/path; the body as JSON and the status (0 when nothing answered).
QJsonObject getJson(quint16 port, const QString &path, int *status);

} // namespace mythos::test
