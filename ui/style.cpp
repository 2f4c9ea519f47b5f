#include "style.h"

#include <QApplication>
#include <QPalette>
#include <QStyleFactory>

namespace annotune::ui {

QColor statusColor(core::ItemStatus status)
{
    switch (status) {
    case core::ItemStatus::Unlabeled: return QColor(0x8a, 0x8f, 0x98);
    case core::ItemStatus::Labeled: return QColor(0x3b, 0x82, 0xf6);
    case core::ItemStatus::InReview: return QColor(0xf5, 0x9e, 0x0b);
    case core::ItemStatus::Approved: return QColor(0x22, 0xc5, 0x5e);
    case core::ItemStatus::Rejected: return QColor(0xef, 0x44, 0x44);
    }
    return Qt::gray;
}

QString statusTitle(core::ItemStatus status)
{
    QString s = core::toText(status).replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!s.isEmpty())
        s[0] = s[0].toUpper();
    return s;
}

QColor canvasColor() { return QColor(0x1e, 0x1f, 0x22); }

void applyWorkbenchStyle(QApplication &app)
{
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x23, 0x25, 0x28), text(0xe4, 0xe6, 0xea);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x36, 0x39, 0x3e));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Highlight, QColor(0x3b, 0x82, 0xf6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8f, 0x98));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x70, 0x74, 0x7a));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x70, 0x74, 0x7a));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x70, 0x74, 0x7a));
    app.setPalette(p);
    app.setStyleSheet(QStringLiteral(
        "QStatusBar { border-top: 1px solid #1b1c1f; }"
        "QStatusBar QLabel { padding: 0 8px; }"
        "QToolBar { border: none; spacing: 4px; padding: 2px 6px; }"
        "QSplitter::handle { background: #1b1c1f; }"
        "QHeaderView::section { background: #2f3236; border: none; padding: 4px 6px; }"
        "QLabel[role=\"heading\"] { font-weight: 600; color: #aeb3bb; padding-top: 6px; }"
        "QLabel[role=\"title\"] { font-size: 22pt; font-weight: 600; }"
        "QLabel[role=\"muted\"] { color: #8a8f98; }"));
}

} // namespace annotune::ui
