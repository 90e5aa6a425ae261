#pragma once
// Reads `chat.content_filtering.levels` (operator-defined filter levels) into FilterLevels.

#include "model/filterlevel.h"

#include <QMap>

namespace mythos {

class YamlReader;

// Each entry of `levels` is a level name whose keys are categories (or "*" for every category
// not named): an action, or a mapping severity -> action. A level named like a built-in one
// replaces it.
void readFilterLevels(YamlReader &levels, QMap<QString, FilterLevel> &out);

} // namespace mythos
