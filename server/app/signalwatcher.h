#pragma once
// Turns SIGTERM/SIGINT into a Qt signal on the event loop (the self-pipe pattern: the handler
// only writes a byte; everything else happens on the Qt side).

#include <QObject>

class QSocketNotifier;

namespace mythos {

class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace mythos
