#pragma once
// The workbench's look in one place: status colours, the canvas background and the stylesheet.

#include "core/types.h"

#include <QColor>
#include <QString>

class QApplication;

namespace annotune::ui {

// The colour that marks a workflow status everywhere (badges, panel, status bar).
QColor statusColor(core::ItemStatus status);
// "unlabeled" → "Unlabeled", "in_review" → "In review".
QString statusTitle(core::ItemStatus status);
// The neutral dark background behind images.
QColor canvasColor();
// Fusion with a dark-neutral palette and a small stylesheet; call once after QApplication.
void applyWorkbenchStyle(QApplication &app);

} // namespace annotune::ui
