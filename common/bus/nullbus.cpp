#include "bus/nullbus.h"

#include <QTimer>

namespace mythos {

void NullBus::drain()
{
    QTimer::singleShot(0, this, &Bus::drained);
}

} // namespace mythos
