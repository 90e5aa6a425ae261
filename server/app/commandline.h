#pragma once
// The mythos-chatd command line (PROTOCOL §7): run, --check-config, --version, the `token`
// subcommand that mints a JWT with the configured secret, `import mythosmud` (migration), and the
// operator's `backup`, `restore` and `logs` (app/operatorcommands.h).

class QCoreApplication;

namespace mythos {

// Returns the process exit code.
int runCommandLine(QCoreApplication &app);

} // namespace mythos
