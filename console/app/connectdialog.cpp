#include "app/connectdialog.h"

#include "app/launchoptions.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace mythos::console {

ConnectDialog::ConnectDialog(const QStringList &recentUrls, const QString &message, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Connect to a Mythos Chat server"));
    auto *form = new QFormLayout(this);
    if (!message.isEmpty()) {
        auto *note = new QLabel(message);
        note->setWordWrap(true);
        form->addRow(note);
    }
    m_url = new QComboBox;
    m_url->setEditable(true);
    m_url->addItems(recentUrls);
    if (recentUrls.isEmpty())
        m_url->setCurrentText(QStringLiteral("ws://127.0.0.1:8080/ws"));
    m_url->setMinimumContentsLength(36);
    m_url->setAccessibleName(tr("Server URL"));
    form->addRow(tr("&Server:"), m_url);
    m_tokenEdit = new QLineEdit;
    m_tokenEdit->setEchoMode(QLineEdit::Password);
    m_tokenEdit->setPlaceholderText(tr("paste a moderator or admin token"));
    m_tokenEdit->setAccessibleName(tr("Token"));
    form->addRow(tr("&Token:"), m_tokenEdit);
    m_tokenFile = new QLineEdit;
    m_tokenFile->setPlaceholderText(tr("…or a file holding it"));
    m_tokenFile->setAccessibleName(tr("Token file"));
    auto *browse = new QPushButton(tr("&Browse…"));
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_tokenFile, 1);
    fileRow->addWidget(browse);
    form->addRow(tr("Token &file:"), fileRow);
    m_error = new QLabel;
    m_error->setStyleSheet(QStringLiteral("color: #a00000"));
    m_error->setWordWrap(true);
    form->addRow(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Token file"));
        if (!path.isEmpty())
            m_tokenFile->setText(path);
    });
    m_tokenEdit->setFocus();
}

QUrl ConnectDialog::url() const
{
    return QUrl(m_url->currentText().trimmed());
}

void ConnectDialog::accept()
{
    const QUrl u = url();
    if (!u.isValid() || (u.scheme() != QLatin1String("ws") && u.scheme() != QLatin1String("wss"))) {
        m_error->setText(tr("The server URL must start with ws:// or wss://, e.g. ws://127.0.0.1:8080/ws."));
        return;
    }
    QString error;
    m_token = m_tokenEdit->text().trimmed().toUtf8();
    if (m_token.isEmpty() && !m_tokenFile->text().isEmpty())
        m_token = LaunchOptions::readTokenFile(m_tokenFile->text(), &error);
    if (m_token.isEmpty()) {
        m_error->setText(error.isEmpty() ? tr("Give a token or a token file.") : error);
        return;
    }
    QDialog::accept();
}

} // namespace mythos::console
