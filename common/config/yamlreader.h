#pragma once
// Reads one YAML mapping against what the code expects: typed getters that remember which
// keys were read, report wrong types with the key's full path, and flag every key nobody read.

#include <QString>
#include <QStringList>

#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>

namespace mythos {

class YamlReader
{
public:
    YamlReader(YAML::Node node, QString path, QStringList *errors);

    void read(const char *key, bool &out);
    void read(const char *key, int &out, int min, int max);
    void read(const char *key, double &out, double min, double max);
    void read(const char *key, QString &out);
    void read(const char *key, QByteArray &out);
    // A nested mapping; `body` runs only when the key is present and is a mapping.
    void section(const char *key, const std::function<void(YamlReader &)> &body);
    // A list of strings; a single string is a list of one.
    void read(const char *key, QStringList &out);
    // A list of mappings (e.g. escalation steps); `body` runs for each, its path `key[i]`.
    void eachItem(const char *key, const std::function<void(int index, YamlReader &)> &body);
    // Every entry of a mapping whose keys are names chosen by the operator (e.g. channels).
    void eachEntry(const std::function<void(const QString &key, YamlReader &)> &body);
    // Entries not consumed by any read so far (used for mappings that mix fixed and free keys).
    QStringList unreadKeys() const;
    void markRead(const QString &key) { m_read.append(key); }
    // Marks every key of this mapping read (after an error that makes them meaningless).
    void skipRest() { m_read += unreadKeys(); }
    // Reports keys that were never read. Call after all reads.
    void rejectUnknownKeys();

    QString pathOf(const QString &key) const;
    void error(const QString &key, const QString &message);
    YAML::Node node() const { return m_node; }

private:
    // The value of `key`, or nothing when it is absent or written without a value.
    std::optional<YAML::Node> take(const char *key);

    YAML::Node m_node;
    QString m_path;
    QStringList *m_errors;
    QStringList m_read;
};

} // namespace mythos
