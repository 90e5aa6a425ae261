// mythos-reference-classifier: answers the chat server's classification requests by phrase
// rules (classifierrules.h). It stands in for a real model service in the tests and shows the
// shape of one: subscribe to the subject (in a queue group, so several can share the load),
// read the JSON request, publish the JSON answer to the request's reply subject.
//   mythos-reference-classifier --url nats://127.0.0.1:4222 [--subject chat.moderation.classify]
//       [--rules FILE] [--rule "score harassment 0.9 you idiot"]... [--delay-ms N] [--garbage]
// Prints "ready" on stdout once subscribed.
#include "classifierrules.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QTimer>

#include <nats/nats.h>

#include <cstdio>

using namespace mythos::reference;

namespace {

struct Service
{
    natsConnection *conn = nullptr;
    QList<Rule> rules;
    int delayMs = 0;
    bool garbage = false;
};

Service service;

// On the main thread: nats.c's callback only copies the request out and posts it here, so a
// delayed answer never holds up the requests behind it.
void handle(const QByteArray &reply, const QByteArray &payload)
{
    if (reply.isEmpty())
        return; // a publish, not a request: nobody to answer
    const QJsonObject request = QJsonDocument::fromJson(payload).object();
    const Answer a = answer(request, service.rules, service.delayMs, service.garbage);
    if (a.body.isEmpty())
        return;
    QTimer::singleShot(a.delayMs, Qt::PreciseTimer, qApp, [reply, body = a.body] {
        const natsStatus s = natsConnection_Publish(service.conn, reply.constData(), body.constData(),
                                                    static_cast<int>(body.size()));
        if (s != NATS_OK)
            std::fprintf(stderr, "reply failed: %s\n", natsStatus_GetText(s));
    });
}

void onRequest(natsConnection *, natsSubscription *, natsMsg *msg, void *)
{
    const char *replyTo = natsMsg_GetReply(msg);
    QByteArray reply(replyTo ? replyTo : "");
    QByteArray payload(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
    natsMsg_Destroy(msg);
    QMetaObject::invokeMethod(
            qApp, [reply, payload] { handle(reply, payload); }, Qt::QueuedConnection);
}

bool loadRules(const QStringList &files, const QStringList &lines)
{
    QStringList all = lines;
    for (const QString &path : files) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "cannot read %s\n", qPrintable(path));
            return false;
        }
        all += QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    }
    for (const QString &line : std::as_const(all)) {
        const QString error = parseRule(line, service.rules);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return false;
        }
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Answers mythos-chatd classification requests by phrase rules."));
    parser.addHelpOption();
    const QCommandLineOption url(QStringLiteral("url"), QStringLiteral("NATS server URL."), QStringLiteral("url"),
                                 QStringLiteral("nats://127.0.0.1:4222"));
    const QCommandLineOption subject(QStringLiteral("subject"), QStringLiteral("Subject to answer on."),
                                     QStringLiteral("subject"), QStringLiteral("chat.moderation.classify"));
    const QCommandLineOption rules(QStringLiteral("rules"), QStringLiteral("A rule file."), QStringLiteral("file"));
    const QCommandLineOption rule(QStringLiteral("rule"), QStringLiteral("One rule line."), QStringLiteral("rule"));
    const QCommandLineOption delay(QStringLiteral("delay-ms"), QStringLiteral("Answer every request this late."),
                                   QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption garbage(QStringLiteral("garbage"), QStringLiteral("Answer everything with non-JSON."));
    parser.addOptions({ url, subject, rules, rule, delay, garbage });
    parser.process(app);
    if (!loadRules(parser.values(rules), parser.values(rule)))
        return 2;
    service.delayMs = parser.value(delay).toInt();
    service.garbage = parser.isSet(garbage);

    natsSubscription *sub = nullptr;
    natsStatus s = natsConnection_ConnectTo(&service.conn, parser.value(url).toUtf8().constData());
    // A queue group: run several and each request is answered once.
    if (s == NATS_OK)
        s = natsConnection_QueueSubscribe(&sub, service.conn, parser.value(subject).toUtf8().constData(),
                                          "mythos-classifiers", &onRequest, nullptr);
    if (s == NATS_OK)
        s = natsConnection_Flush(service.conn);
    if (s != NATS_OK) {
        std::fprintf(stderr, "cannot serve on %s: %s\n", qPrintable(parser.value(url)), natsStatus_GetText(s));
        return 1;
    }
    std::printf("ready\n");
    std::fflush(stdout);
    const int rc = app.exec();
    natsSubscription_Destroy(sub);
    natsConnection_Destroy(service.conn);
    nats_Close();
    return rc;
}
