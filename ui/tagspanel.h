#pragma once
// The tags dock: item-level tags (classification) as checkboxes, one per tag class.

#include "core/types.h"

#include <QDockWidget>
#include <QSet>

class QListWidget;

namespace annotune::ui {

// Shows which tag classes the item has; ticking or unticking asks for the new set with
// tagsEdited (the workspace turns it into one document command).
class TagsPanel : public QDockWidget {
    Q_OBJECT
public:
    explicit TagsPanel(QWidget *parent = nullptr);

    // Shows the tag classes among classes; the same ones again change nothing (checks are kept).
    void setClasses(const QVector<core::LabelClass> &classes);
    void setChecked(const QSet<core::Id> &tagClassIds);
    QListWidget *list() const { return m_list; }

Q_SIGNALS:
    void tagsEdited(const QSet<qint64> &tagClassIds);

private:
    QSet<core::Id> checked() const;
    QListWidget *m_list;
    QString m_signature; // of the tag classes shown
};

} // namespace annotune::ui
