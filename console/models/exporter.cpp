#include "models/exporter.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace mythos::console::exporter {

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n'))
        && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

bool writeCsv(const QAbstractItemModel &model, QIODevice &out)
{
    auto writeRow = [&out](const QStringList &fields) {
        QStringList escaped;
        for (const QString &f : fields)
            escaped.append(csvField(f));
        return out.write((escaped.join(QLatin1Char(',')) + QLatin1String("\r\n")).toUtf8()) >= 0;
    };
    QStringList header;
    for (int c = 0; c < model.columnCount(); ++c)
        header.append(model.headerData(c, Qt::Horizontal).toString());
    if (!writeRow(header))
        return false;
    for (int r = 0; r < model.rowCount(); ++r) {
        QStringList fields;
        for (int c = 0; c < model.columnCount(); ++c)
            fields.append(model.index(r, c).data().toString());
        if (!writeRow(fields))
            return false;
    }
    return true;
}

bool writeJsonLines(const QAbstractItemModel &model, int rawRole, QIODevice &out)
{
    for (int r = 0; r < model.rowCount(); ++r) {
        const QJsonObject o = model.index(r, 0).data(rawRole).toJsonObject();
        if (out.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n') < 0)
            return false;
    }
    return true;
}

} // namespace mythos::console::exporter
