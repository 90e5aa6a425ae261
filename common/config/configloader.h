#pragma once
// Turns a YAML file into a validated Config. Every problem is reported with the path of the
// offending key; a configuration with any problem is refused as a whole.

#include "config/config.h"
#include "util/result.h"

namespace mythos {

namespace configloader {

Result<Config> parse(const QByteArray &yaml);
// Reads the file, then applies MYTHOS_CHAT_JWT_SECRET when the file sets no secret.
Result<Config> loadFile(const QString &path);

} // namespace configloader
} // namespace mythos
