#pragma once
// The bus when NATS is disabled: one instance, nothing to relay. Publishing reports failure
// so callers know the message stayed local.

#include "bus/bus.h"

namespace mythos {

class NullBus : public Bus
{
    Q_OBJECT
public:
    using Bus::Bus;
    void start() override { }
    bool publish(const QByteArray &, const QByteArray &) override { return false; }
    State state() const override { return State::Disabled; }
    void drain() override;

protected:
    void subscribe(const QByteArray &) override { }
    void unsubscribe(const QByteArray &) override { }
};

} // namespace mythos
