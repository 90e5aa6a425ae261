#include "config/yamlreader.h"

namespace mythos {

namespace {
QString str(const std::string &s)
{
    return QString::fromStdString(s);
}
} // namespace

YamlReader::YamlReader(YAML::Node node, QString path, QStringList *errors)
    : m_node(std::move(node)), m_path(std::move(path)), m_errors(errors)
{
}

QString YamlReader::pathOf(const QString &key) const
{
    if (key.isEmpty())
        return m_path;
    return m_path.isEmpty() ? key : m_path + QLatin1Char('.') + key;
}

// Keys are names; a sequence or mapping used as a key is reported, never converted (that throws).
static std::optional<QString> keyName(const YAML::Node &key)
{
    if (!key.IsScalar())
        return std::nullopt;
    return str(key.Scalar());
}

void YamlReader::error(const QString &key, const QString &message)
{
    m_errors->append(pathOf(key) + QStringLiteral(": ") + message);
}

std::optional<YAML::Node> YamlReader::take(const char *key)
{
    m_read.append(QString::fromLatin1(key));
    if (!m_node.IsMap())
        return std::nullopt;
    // Lookup through a const node: the non-const operator[] would insert the key.
    const YAML::Node &node = m_node;
    YAML::Node value = node[key];
    // A key written without a value (`enabled:`) means "use the default".
    if (!value || value.IsNull())
        return std::nullopt;
    return value;
}

void YamlReader::read(const char *key, bool &out)
{
    const auto found = take(key);
    if (!found)
        return;
    const YAML::Node &v = *found;
    try {
        out = v.as<bool>();
    } catch (const YAML::Exception &) {
        error(QString::fromLatin1(key), QStringLiteral("expected true or false, got '%1'").arg(str(v.Scalar())));
    }
}

void YamlReader::read(const char *key, int &out, int min, int max)
{
    const auto found = take(key);
    if (!found)
        return;
    const YAML::Node &v = *found;
    try {
        const long long value = v.as<long long>();
        if (value < min || value > max) {
            error(QString::fromLatin1(key), QStringLiteral("%1 is out of range %2..%3").arg(value).arg(min).arg(max));
            return;
        }
        out = static_cast<int>(value);
    } catch (const YAML::Exception &) {
        error(QString::fromLatin1(key), QStringLiteral("expected a whole number, got '%1'").arg(str(v.Scalar())));
    }
}

void YamlReader::read(const char *key, double &out, double min, double max)
{
    const auto found = take(key);
    if (!found)
        return;
    const YAML::Node &v = *found;
    try {
        const double value = v.as<double>();
        if (value < min || value > max) {
            error(QString::fromLatin1(key), QStringLiteral("%1 is out of range %2..%3").arg(value).arg(min).arg(max));
            return;
        }
        out = value;
    } catch (const YAML::Exception &) {
        error(QString::fromLatin1(key), QStringLiteral("expected a number, got '%1'").arg(str(v.Scalar())));
    }
}

void YamlReader::read(const char *key, QString &out)
{
    const auto found = take(key);
    if (!found)
        return;
    const YAML::Node &v = *found;
    if (!v.IsScalar()) {
        error(QString::fromLatin1(key), QStringLiteral("expected a string"));
        return;
    }
    out = str(v.Scalar());
}

void YamlReader::read(const char *key, QByteArray &out)
{
    QString s;
    read(key, s);
    if (!s.isEmpty())
        out = s.toUtf8();
}

void YamlReader::read(const char *key, QStringList &out)
{
    const auto found = take(key);
    if (!found)
        return;
    const YAML::Node &v = *found;
    if (v.IsScalar()) {
        out = { str(v.Scalar()) };
        return;
    }
    if (!v.IsSequence()) {
        error(QString::fromLatin1(key), QStringLiteral("expected a list of strings"));
        return;
    }
    QStringList items;
    for (const YAML::Node &item : v) {
        if (!item.IsScalar()) {
            error(QString::fromLatin1(key), QStringLiteral("expected a list of strings"));
            return;
        }
        items.append(str(item.Scalar()));
    }
    out = items;
}

void YamlReader::eachItem(const char *key, const std::function<void(int, YamlReader &)> &body)
{
    const auto found = take(key);
    if (!found)
        return;
    const YAML::Node &v = *found;
    if (!v.IsSequence()) {
        error(QString::fromLatin1(key), QStringLiteral("expected a list"));
        return;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
        const QString path = pathOf(QString::fromLatin1(key)) + QStringLiteral("[%1]").arg(i);
        if (!v[i].IsMap()) {
            m_errors->append(path + QStringLiteral(": expected a mapping"));
            continue;
        }
        YamlReader child(v[i], path, m_errors);
        body(static_cast<int>(i), child);
        child.rejectUnknownKeys();
    }
}

void YamlReader::section(const char *key, const std::function<void(YamlReader &)> &body)
{
    const auto found = take(key);
    if (!found)
        return;
    const YAML::Node &v = *found;
    if (!v.IsMap()) {
        error(QString::fromLatin1(key), QStringLiteral("expected a mapping"));
        return;
    }
    YamlReader child(v, pathOf(QString::fromLatin1(key)), m_errors);
    body(child);
    child.rejectUnknownKeys();
}

void YamlReader::eachEntry(const std::function<void(const QString &, YamlReader &)> &body)
{
    if (!m_node.IsMap())
        return;
    for (const auto &kv : m_node) {
        const auto name = keyName(kv.first);
        if (!name) {
            error(QString(), QStringLiteral("keys must be plain names (line %1)").arg(kv.first.Mark().line + 1));
            continue;
        }
        const QString key = *name;
        m_read.append(key);
        if (!kv.second.IsMap()) {
            error(key, QStringLiteral("expected a mapping"));
            continue;
        }
        YamlReader child(kv.second, pathOf(key), m_errors);
        body(key, child);
        child.rejectUnknownKeys();
    }
}

QStringList YamlReader::unreadKeys() const
{
    QStringList keys;
    if (!m_node.IsMap())
        return keys;
    for (const auto &kv : m_node) {
        // Non-scalar keys are reported by rejectUnknownKeys(); they are never "read".
        const QString key =
                keyName(kv.first).value_or(QStringLiteral("<non-scalar key at line %1>").arg(kv.first.Mark().line + 1));
        if (!m_read.contains(key))
            keys.append(key);
    }
    return keys;
}

void YamlReader::rejectUnknownKeys()
{
    for (const QString &key : unreadKeys())
        error(key, QStringLiteral("unknown key"));
}

} // namespace mythos
