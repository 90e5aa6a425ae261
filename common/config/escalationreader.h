#pragma once
// Reads `moderation.escalation` (the escalation ladder's offences, decay and steps).

namespace mythos {

class YamlReader;
struct EscalationSection;

void readEscalation(YamlReader &r, EscalationSection &out);

} // namespace mythos
