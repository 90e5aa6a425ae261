#pragma once
// Prometheus text exposition of an instance's counters (GET /metrics).

#include <QByteArray>

namespace mythos {

class ServerApp;

QByteArray prometheusMetrics(const ServerApp &app);

} // namespace mythos
