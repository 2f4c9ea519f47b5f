#include "itemdetailspanel.h"

#include "labeling/annotationlistmodel.h"
#include "style.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>

namespace annotune::ui {

ItemDetailsPanel::ItemDetailsPanel(QWidget *parent)
    : QWidget(parent), m_title(new QLabel(this)), m_labelsHeading(new QLabel(this)),
      m_annotations(new labeling::AnnotationListModel(this)), m_table(new QTableView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(6);
    m_title->setProperty("role", QStringLiteral("heading"));
    m_title->setText(tr("ITEM"));
    layout->addWidget(m_title);

    auto *form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignRight);
    form->setHorizontalSpacing(10);
    form->setVerticalSpacing(4);
    m_path = addField(form, tr("Path"));
    m_size = addField(form, tr("Size"));
    m_split = addField(form, tr("Split"));
    m_status = addField(form, tr("Status"));
    m_sha = addField(form, tr("SHA-256"));
    m_assignee = addField(form, tr("Assignee"));
    m_path->setWordWrap(true);
    m_path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addLayout(form);

    m_labelsHeading->setProperty("role", QStringLiteral("heading"));
    layout->addWidget(m_labelsHeading);
    m_table->setModel(m_annotations);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    layout->addWidget(m_table, 1);
    clear();
}

QLabel *ItemDetailsPanel::addField(QFormLayout *form, const QString &name)
{
    auto *value = new QLabel(this);
    auto *label = new QLabel(name, this);
    label->setProperty("role", QStringLiteral("muted"));
    form->addRow(label, value);
    return value;
}

void ItemDetailsPanel::clear()
{
    m_title->setText(tr("NO ITEM SELECTED"));
    for (QLabel *l : {m_path, m_size, m_split, m_status, m_sha, m_assignee})
        l->setText(QStringLiteral("—"));
    m_labelsHeading->setText(tr("LABELS"));
    m_annotations->clear();
}

void ItemDetailsPanel::setScene(const ItemScene &scene)
{
    const core::Item &it = scene.item;
    m_title->setText(tr("ITEM #%1%2").arg(it.id).arg(it.kind == core::ItemKind::DocumentPage
                                                         ? tr(" · PAGE %1").arg(it.pageNo + 1) : QString()));
    const bool present = QFileInfo::exists(scene.absolutePath);
    m_path->setText(present ? it.path : tr("%1  <span style='color:#ef4444'>(missing)</span>").arg(it.path.toHtmlEscaped()));
    m_path->setToolTip(scene.absolutePath);
    m_size->setText(tr("%1 × %2 px · %3").arg(it.width).arg(it.height).arg(QLocale().formattedDataSize(it.sizeBytes)));
    m_split->setText(core::toText(it.split));
    m_status->setText(QStringLiteral("<span style='color:%1'>●</span> %2")
                          .arg(statusColor(it.status).name(), statusTitle(it.status)));
    m_sha->setText(it.sha256.isEmpty() ? QStringLiteral("—") : it.sha256.left(12));
    m_sha->setToolTip(it.sha256);
    m_assignee->setText(it.assignee.isEmpty() ? tr("nobody") : it.assignee);
    m_labelsHeading->setText(tr("LABELS (%1)").arg(scene.annotations.size()));
    m_annotations->setContent(scene.annotations, scene.classes);
    m_table->resizeColumnsToContents();
    if (m_table->columnWidth(labeling::AnnotationListModel::GeometryColumn) > 200)
        m_table->setColumnWidth(labeling::AnnotationListModel::GeometryColumn, 200);
}

} // namespace annotune::ui
