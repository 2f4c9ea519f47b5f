#include "startpage.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace annotune::ui {

StartPage::StartPage(QWidget *parent)
    : QWidget(parent), m_recent(new QListWidget(this)), m_noRecent(new QLabel(tr("No recent projects yet."), this))
{
    auto *card = new QWidget(this);
    card->setMaximumWidth(640);
    auto *col = new QVBoxLayout(card);
    col->setSpacing(10);

    auto *title = new QLabel(QStringLiteral("Annotune"), card);
    title->setProperty("role", QStringLiteral("title"));
    auto *subtitle = new QLabel(tr("Label images and documents, fine-tune models, review what they learned."), card);
    subtitle->setProperty("role", QStringLiteral("muted"));
    col->addWidget(title);
    col->addWidget(subtitle);
    col->addSpacing(14);

    auto *buttons = new QHBoxLayout;
    auto *newButton = new QPushButton(style()->standardIcon(QStyle::SP_FileIcon), tr("New Project…"), card);
    auto *openButton = new QPushButton(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("Open Project…"), card);
    for (QPushButton *b : {newButton, openButton}) {
        b->setMinimumHeight(34);
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    col->addLayout(buttons);

    auto *demo = new QLabel(tr("Want something to look at first? Create the demo project from a terminal:<br>"
                               "<code>annotune-cli demo ~/annotune-demo.annotune</code> and open it here."), card);
    demo->setProperty("role", QStringLiteral("muted"));
    demo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    demo->setWordWrap(true);
    col->addWidget(demo);
    col->addSpacing(14);

    auto *recentTitle = new QLabel(tr("RECENT"), card);
    recentTitle->setProperty("role", QStringLiteral("heading"));
    col->addWidget(recentTitle);
    m_recent->setMinimumHeight(200);
    m_recent->setAlternatingRowColors(false);
    m_noRecent->setProperty("role", QStringLiteral("muted"));
    col->addWidget(m_noRecent);
    col->addWidget(m_recent, 1);

    auto *outer = new QHBoxLayout(this);
    outer->addStretch(1);
    auto *middle = new QVBoxLayout;
    middle->addStretch(1);
    middle->addWidget(card, 3);
    middle->addStretch(1);
    outer->addLayout(middle, 4);
    outer->addStretch(1);

    connect(newButton, &QPushButton::clicked, this, &StartPage::newRequested);
    connect(openButton, &QPushButton::clicked, this, &StartPage::openRequested);
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT openRecentRequested(item->data(Qt::UserRole).toString());
    });
}

void StartPage::setRecent(const QStringList &paths)
{
    m_recent->clear();
    for (const QString &path : paths) {
        auto *item = new QListWidgetItem(style()->standardIcon(QStyle::SP_DirIcon),
                                         QStringLiteral("%1\n%2").arg(QFileInfo(path).completeBaseName(), path));
        item->setData(Qt::UserRole, path);
        item->setSizeHint(QSize(0, 44));
        m_recent->addItem(item);
    }
    m_recent->setVisible(!paths.isEmpty());
    m_noRecent->setVisible(paths.isEmpty());
}

} // namespace annotune::ui
