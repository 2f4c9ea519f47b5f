#pragma once
// The class picker dock: the shape classes with their colours and hotkeys, a search box, a
// checkbox per class to hide or show it on the canvas.

#include "core/types.h"

#include <QDockWidget>
#include <QSet>
#include <functional>

class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QShortcut;

namespace annotune::ui {

// Shape classes (not tags, not document fields) in schema order. The n-th of them answers hotkey n (1-9, actions
// registered by the workspace); a class's own hotkey (LabelClass::hotkey) works while the
// window is active. Choosing only reports classChosen: the workspace decides what it means
// (the class for new shapes, and the class of the selection).
class ClassPicker : public QDockWidget {
    Q_OBJECT
public:
    explicit ClassPicker(QWidget *parent = nullptr);

    void setClasses(const QVector<core::LabelClass> &classes);
    void setCurrent(core::Id classId);
    // On document pages the document field classes are listed too, first; call before setClasses.
    void setIncludeFields(bool include) { m_includeFields = include; }
    void setHidden(const QSet<core::Id> &hidden);
    // The n-th shape class (0-based) in schema order, or 0.
    core::Id classAt(int n) const;
    QSet<core::Id> hidden() const { return m_hidden; }
    QListWidget *list() const { return m_list; }
    // Keys already taken by actions: a class hotkey equal to one is not installed (it would make
    // both ambiguous) and is shown struck out.
    void setReservedKeys(std::function<bool(const QKeySequence &)> reserved) { m_reserved = std::move(reserved); }

Q_SIGNALS:
    void classChosen(qint64 classId);
    void hiddenChanged(const QSet<qint64> &hidden);

private:
    void applySearch(const QString &text);
    void onItemChanged(QListWidgetItem *item);
    void rebuildShortcuts();
    bool isReserved(const QString &hotkey) const;

    QLineEdit *m_search;
    QListWidget *m_list;
    QVector<core::LabelClass> m_classes; // shape classes only
    QSet<core::Id> m_hidden;
    QString m_signature; // of the classes shown
    QVector<QShortcut *> m_shortcuts;
    std::function<bool(const QKeySequence &)> m_reserved;
    bool m_includeFields = false;
};

} // namespace annotune::ui
