#include "statustext.h"

#include <QEvent>
#include <QPainter>

namespace annotune::ui {

StatusText::StatusText(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void StatusText::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    const int width = fontMetrics().horizontalAdvance(text);
    if (width > m_width) {
        m_width = width;
        updateGeometry();
    }
    update();
}

QSize StatusText::sizeHint() const
{
    return QSize(m_width, fontMetrics().height());
}

void StatusText::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(rect(), Qt::AlignLeft | Qt::AlignVCenter, m_text);
}

void StatusText::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        m_width = fontMetrics().horizontalAdvance(m_text);
        updateGeometry();
    }
}

} // namespace annotune::ui
