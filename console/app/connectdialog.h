#pragma once
// Asks for the server URL (recent ones offered) and a token, typed or read from a file.

#include <QDialog>
#include <QUrl>

class QComboBox;
class QLabel;
class QLineEdit;

namespace mythos::console {

class ConnectDialog : public QDialog
{
    Q_OBJECT
public:
    ConnectDialog(const QStringList &recentUrls, const QString &message = {}, QWidget *parent = nullptr);

    QUrl url() const;
    QByteArray token() const { return m_token; }
    void accept() override;

private:
    QComboBox *m_url;
    QLineEdit *m_tokenEdit, *m_tokenFile;
    QLabel *m_error;
    QByteArray m_token;
};

} // namespace mythos::console
