#pragma once
// Every tab shows its model in the same kind of table: whole rows selected, nothing edited
// in place, alternating row colours, no row numbers, and a name for screen readers.

#include <QAbstractItemModel>
#include <QHeaderView>
#include <QTableView>

namespace mythos::console {

inline QTableView *readOnlyTable(QAbstractItemModel *model, const QString &accessibleName)
{
    auto *table = new QTableView;
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->setAccessibleName(accessibleName);
    return table;
}

} // namespace mythos::console
