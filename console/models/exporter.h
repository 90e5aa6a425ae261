#pragma once
// Writes the rows a view shows (any model, usually a filter proxy) to CSV or JSON lines, so a
// moderator can attach exactly what they looked at to a report.

#include <QAbstractItemModel>
#include <QIODevice>

namespace mythos::console {

namespace exporter {
// CSV (RFC 4180): a header row from the model's horizontal headers, then the display text.
bool writeCsv(const QAbstractItemModel &model, QIODevice &out);
// One compact JSON object per row: the value of `rawRole` (a QJsonObject) for each row.
bool writeJsonLines(const QAbstractItemModel &model, int rawRole, QIODevice &out);
QString csvField(const QString &text);
} // namespace exporter

} // namespace mythos::console
