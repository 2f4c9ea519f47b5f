#pragma once
// What the window shows with no project open: create, open, the demo hint and recent projects.

#include <QWidget>

class QListWidget;
class QLabel;

namespace annotune::ui {

// A centred welcome card. It only asks; the window does the opening.
class StartPage : public QWidget {
    Q_OBJECT
public:
    explicit StartPage(QWidget *parent = nullptr);

    // Shows these paths (newest first) under "Recent".
    void setRecent(const QStringList &paths);

Q_SIGNALS:
    void newRequested();
    void openRequested();
    void openRecentRequested(const QString &path);

private:
    QListWidget *m_recent;
    QLabel *m_noRecent;
};

} // namespace annotune::ui
