#pragma once
// Connections in the order they arrived, overall and per peer address, so the gateway can
// make room under a flood by evicting the oldest one (or the oldest from one address).

#include <QHash>
#include <QString>
#include <map>
#include <optional>

namespace mythos::ws {

template<typename Key>
class ArrivalOrder
{
public:
    void add(const Key &key, const QString &address)
    {
        remove(key);
        const quint64 serial = m_next++;
        m_all.emplace(serial, key);
        m_byAddress[address].emplace(serial, key);
        m_index.insert(key, Entry { serial, address });
    }
    void remove(const Key &key)
    {
        const auto it = m_index.find(key);
        if (it == m_index.end())
            return;
        m_all.erase(it->serial);
        const auto perAddress = m_byAddress.find(it->address);
        if (perAddress != m_byAddress.end()) {
            perAddress->erase(it->serial);
            // One flood address must not leave empty entries behind.
            if (perAddress->empty())
                m_byAddress.erase(perAddress);
        }
        m_index.erase(it);
    }
    bool contains(const Key &key) const { return m_index.contains(key); }
    qsizetype size() const { return m_index.size(); }
    qsizetype countFrom(const QString &address) const
    {
        const auto it = m_byAddress.constFind(address);
        return it == m_byAddress.cend() ? 0 : qsizetype(it->size());
    }
    std::optional<Key> oldest() const
    {
        if (m_all.empty())
            return std::nullopt;
        return m_all.begin()->second;
    }
    std::optional<Key> oldestFrom(const QString &address) const
    {
        const auto it = m_byAddress.constFind(address);
        if (it == m_byAddress.cend() || it->empty())
            return std::nullopt;
        return it->begin()->second;
    }

private:
    struct Entry
    {
        quint64 serial;
        QString address;
    };
    quint64 m_next = 0;
    std::map<quint64, Key> m_all;
    QHash<QString, std::map<quint64, Key>> m_byAddress;
    QHash<Key, Entry> m_index;
};

} // namespace mythos::ws
