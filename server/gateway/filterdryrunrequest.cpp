#include "gateway/filterdryrunrequest.h"

#include "gateway/session.h"
#include "moderation/filterdryrunjob.h"
#include "protocol/event.h"
#include "protocol/wirenames.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QPointer>
#include <QThreadPool>

#include <atomic>

Q_LOGGING_CATEGORY(lcDryRun, "mythos.server.filter.dryrun")

namespace mythos {

namespace {

// One at a time per instance: a run reads days of logs on a shared thread pool, and a second
// admin's run would only slow both down.
std::atomic<bool> g_running { false };

ChatError invalid(const QString &message)
{
    return { ErrorCode::InvalidRequest, message };
}

// A whole number field in min..max, `fallback` when absent; nullopt when it is anything else.
std::optional<int> intField(const QJsonObject &frame, QLatin1String key, int min, int max, int fallback)
{
    const QJsonValue v = frame.value(key);
    if (v.isUndefined())
        return fallback;
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d != double(int(d)) || d < min || d > max)
        return std::nullopt;
    return int(d);
}

// The request's candidate, or the error to answer with.
std::variant<FilterDryRunInput, ChatError> inputFrom(const QJsonObject &frame, const Config &config)
{
    FilterDryRunInput in;
    in.config = config;
    const auto days = intField(frame, wire::field::days, 1, 366, 7);
    const auto examples = intField(frame, wire::field::examples, 0, 50, 5);
    if (!days || !examples)
        return invalid(QStringLiteral("'days' must be 1-366 and 'examples' 0-50"));
    in.days = *days;
    in.examples = *examples;
    const QJsonValue lists = frame.value(wire::field::lists);
    const QJsonValue levels = frame.value(wire::field::levels);
    if (!(lists.isUndefined() || lists.isObject()) || !(levels.isUndefined() || levels.isString()))
        return invalid(QStringLiteral("'lists' must be an object of list texts and 'levels' a YAML text"));
    qsizetype bytes = 0;
    const QLatin1String keys[] { wire::field::profanity, wire::field::allow, wire::field::keywords };
    const QJsonObject listObject = lists.toObject();
    for (const QString &key : listObject.keys()) {
        if (std::find(std::begin(keys), std::end(keys), key) == std::end(keys))
            return invalid(QStringLiteral("'lists' has no list '%1' (profanity, allow, keywords)").arg(key));
    }
    for (int i = 0; i < filterListCount; ++i) {
        const QJsonValue text = listObject.value(keys[i]);
        if (text.isUndefined())
            continue;
        if (!text.isString())
            return invalid(QStringLiteral("'lists.%1' must be the list's text").arg(keys[i]));
        bytes += text.toString().toUtf8().size();
        // Problems read `profanity.txt:12: ...`, as they would for the file the console sent.
        in.lists[i] = CandidateList { text.toString(), filterListFileName(i) };
    }
    if (levels.isString()) {
        in.levelsYaml = levels.toString().toUtf8();
        in.levelsOrigin = QStringLiteral("levels");
        bytes += in.levelsYaml->size();
    }
    if (bytes > kFilterDryRunMaxCandidateBytes)
        return ChatError { ErrorCode::PayloadTooLarge,
                           QStringLiteral("the candidate lists and levels are %1 bytes; at most %2")
                                   .arg(bytes)
                                   .arg(kFilterDryRunMaxCandidateBytes) };
    if (listObject.isEmpty() && !in.levelsYaml)
        return invalid(QStringLiteral("a dry run needs candidate 'lists', 'levels' or both"));
    return in;
}

} // namespace

void startFilterDryRun(Session *session, const QString &adminId, const Config &config, const QJsonObject &frame,
                       const QString &ref)
{
    auto parsed = inputFrom(frame, config);
    if (const auto *error = std::get_if<ChatError>(&parsed))
        return session->sendError(*error, ref);
    if (g_running.exchange(true))
        return session->sendError({ ErrorCode::Unavailable,
                                    QStringLiteral("a filter dry run is already running on this server; try again "
                                                   "when it has finished") },
                                  ref);
    qCInfo(lcDryRun) << "filter dry run over" << std::get<FilterDryRunInput>(parsed).days << "days for" << adminId;
    QPointer<Session> target(session);
    QThreadPool::globalInstance()->start([target, ref, in = std::move(std::get<FilterDryRunInput>(parsed))] {
        const Result<QJsonObject> report = runFilterDryRun(in);
        g_running = false;
        if (!report)
            qCInfo(lcDryRun).noquote() << "filter dry run refused:" << report.error();
        // Back to the event loop; the session is only looked at there (it may be gone by then).
        QMetaObject::invokeMethod(
                QCoreApplication::instance(),
                [target, ref, report] {
                    if (!target)
                        return;
                    if (report)
                        target->sendEvent(wire::event::filterDryRun, events::withRef(report.value(), ref));
                    else
                        target->sendError(invalid(report.error()), ref);
                },
                Qt::QueuedConnection);
    });
}

} // namespace mythos
