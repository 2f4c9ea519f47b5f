#include "formpanel.h"

#include "labeling/annotationdocument.h"

#include <QHeaderView>
#include <QLabel>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace annotune::ui {

using core::Annotation;
using core::Id;

namespace {
constexpr int kIdRole = Qt::UserRole + 1;

QStandardItem *cell(const QString &text, bool editable = false)
{
    auto *item = new QStandardItem(text);
    item->setEditable(editable);
    return item;
}
} // namespace

FormPanel::FormPanel(QWidget *parent)
    : QDockWidget(tr("Form"), parent), m_model(new QStandardItemModel(this)), m_view(new QTreeView),
      m_summary(new QLabel)
{
    setObjectName(QStringLiteral("form"));
    m_model->setHorizontalHeaderLabels({tr("Field"), tr("Value"), tr("Read as")});
    m_view->setModel(m_model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_view->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->setColumnWidth(0, 110);
    m_view->setColumnWidth(1, 130);
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_summary);
    layout->addWidget(m_view);
    setWidget(box);
    connect(m_model, &QStandardItemModel::itemChanged, this, &FormPanel::onItemChanged);
    connect(m_view, &QTreeView::clicked, this, [this](const QModelIndex &index) {
        if (const Id id = m_model->item(index.row(), 0)->data(kIdRole).toLongLong())
            Q_EMIT fieldActivated(id);
    });
}

void FormPanel::setDocument(labeling::AnnotationDocument *doc)
{
    if (m_doc)
        disconnect(m_doc, nullptr, this, nullptr);
    m_doc = doc;
    if (doc)
        connect(doc, &labeling::AnnotationDocument::changed, this, [this] {
            if (m_editing) // not under the model's itemChanged: rebuild once it returned
                QMetaObject::invokeMethod(this, &FormPanel::rebuild, Qt::QueuedConnection);
            else
                rebuild();
        });
    rebuild();
}

void FormPanel::rebuild()
{
    m_rebuilding = true;
    m_model->removeRows(0, m_model->rowCount());
    m_missing = 0;
    const bool page = m_doc && m_doc->itemId() && m_doc->item().kind == core::ItemKind::DocumentPage;
    if (!page) {
        m_summary->setText(tr("Fields are labeled on document pages."));
        m_rebuilding = false;
        return;
    }
    int filled = 0;
    for (const core::LabelClass &c : m_doc->classes()) {
        if (c.kind != core::ClassKind::Field)
            continue;
        QVector<const Annotation *> fields;
        for (const Annotation &a : m_doc->annotations())
            if (a.classId == c.id && a.kind == core::AnnotationKind::Field)
                fields.append(&a);
        for (const Annotation *a : fields) {
            QList<QStandardItem *> row{cell(c.name), cell(a->value, true), cell(a->rawText)};
            row[0]->setData(a->id, kIdRole);
            row[0]->setForeground(c.color.darker(130));
            row[1]->setToolTip(tr("Double-click to correct the normalised value; the text as read is kept"));
            m_model->appendRow(row);
        }
        if (fields.isEmpty()) {
            QList<QStandardItem *> row{cell(c.name), cell(tr("missing")), cell({})};
            QFont italic = m_view->font();
            italic.setItalic(true);
            for (QStandardItem *item : row) {
                item->setForeground(QColor(200, 30, 30));
                item->setFont(italic);
            }
            m_model->appendRow(row);
            ++m_missing;
        } else {
            ++filled;
        }
    }
    m_summary->setText(tr("%1 of %2 fields filled").arg(filled).arg(filled + m_missing));
    m_rebuilding = false;
}

void FormPanel::onItemChanged(QStandardItem *item)
{
    if (m_rebuilding || !m_doc || item->column() != 1)
        return;
    const Id id = m_model->item(item->row(), 0)->data(kIdRole).toLongLong();
    const QString value = item->text().trimmed();
    m_editing = true;
    const bool done = id && m_doc->setFieldValue(id, value);
    m_editing = false;
    if (!done) // refused (unchanged or a failed write): show what is stored
        QMetaObject::invokeMethod(this, &FormPanel::rebuild, Qt::QueuedConnection);
}

} // namespace annotune::ui
