#pragma once
// Reads `chat.content_filtering.classifier` (config/classifiersection.h), every problem
// reported with its key path.

#include "config/classifiersection.h"
#include "model/channel.h"

namespace mythos {

class YamlReader;

void readClassifier(YamlReader &r, const QList<ChannelSpec> &channels, ClassifierSection &out);

} // namespace mythos
