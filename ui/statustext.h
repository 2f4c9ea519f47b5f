#pragma once
// A line of plain text for the status bar that changes often (the item position on every switch).

#include <QWidget>

namespace annotune::ui {

// Unlike QLabel::setText, which asks its parent for a new layout each time (and a status bar then
// repaints everything on it, rich-text labels included), setText repaints only this widget. Its
// width only grows, to the widest text it has shown in its font, so a new layout is needed only
// when a text is wider than any before.
class StatusText : public QWidget {
    Q_OBJECT
public:
    explicit StatusText(QWidget *parent = nullptr);

    QString text() const { return m_text; }
    void setText(const QString &text);
    void clear() { setText({}); }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QString m_text;
    int m_width = 0; // of the widest text shown in the current font
};

} // namespace annotune::ui
