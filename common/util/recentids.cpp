#include "util/recentids.h"

namespace mythos {

bool RecentIds::insert(const QString &id)
{
    if (m_ids.contains(id))
        return false;
    m_ids.insert(id);
    m_order.enqueue(id);
    if (m_order.size() > m_capacity)
        m_ids.remove(m_order.dequeue());
    return true;
}

void RecentIds::clear()
{
    m_ids.clear();
    m_order.clear();
}

} // namespace mythos
