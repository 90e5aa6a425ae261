#pragma once
// A set of the most recently seen ids, bounded by count: the oldest is forgotten first. Used
// where the same message can arrive twice (a feed and a player subscription, a relay and a
// catch-up after an outage) and only the first copy may be delivered.

#include <QQueue>
#include <QSet>
#include <QString>

namespace mythos {

class RecentIds
{
public:
    explicit RecentIds(qsizetype capacity) : m_capacity(capacity) { }

    // True the first time `id` is seen (and remembers it), false for a repeat.
    bool insert(const QString &id);
    bool contains(const QString &id) const { return m_ids.contains(id); }
    qsizetype size() const { return m_ids.size(); }
    void clear();

private:
    qsizetype m_capacity;
    QSet<QString> m_ids;
    QQueue<QString> m_order;
};

} // namespace mythos
