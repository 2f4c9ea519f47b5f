#include "documentlabeling.h"

#include "actionregistry.h"
#include "canvas/canvas.h"
#include "canvas/documentlayer.h"
#include "canvas/linktool.h"
#include "canvas/wordselecttool.h"
#include "formpanel.h"
#include "labeling/annotationdocument.h"

#include <QAction>
#include <QActionGroup>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QMainWindow>

namespace annotune::ui {

using core::Id;

DocumentLabeling::DocumentLabeling(QMainWindow &workspace, Canvas &canvas, ActionRegistry &registry)
    : QObject(&workspace), m_workspace(workspace), m_canvas(canvas), m_layer(std::make_unique<DocumentLayer>(canvas)),
      m_words(new WordSelectTool(canvas)), m_links(new LinkTool(canvas)), m_form(new FormPanel(&workspace))
{
    canvas.addTool(m_words);
    canvas.addTool(m_links);
    canvas.addLayer([layer = m_layer.get()](QPainter &p, const ViewTransform &view) { layer->paint(p, view); });
    workspace.addDockWidget(Qt::RightDockWidgetArea, m_form);
    m_form->setMinimumWidth(340);
    connect(m_form, &FormPanel::fieldActivated, this, &DocumentLabeling::selectField);
    connect(m_words, &WordSelectTool::wordsSelected, this, [this](const QVector<qint64> &ids) {
        if (ids.size() > 1)
            Q_EMIT message(tr("%1 words selected: press a field's key (1–9) to label them").arg(ids.size()));
    });
    registerActions(registry);
}

DocumentLabeling::~DocumentLabeling() = default;

void DocumentLabeling::registerActions(ActionRegistry &registry)
{
    const auto add = [&](const char *id, const QString &text, const QKeySequence &key, auto slot) {
        QAction *a = registry.add(QString::fromLatin1(id), text, key);
        if (!a)
            return a;
        connect(a, &QAction::triggered, this, slot);
        m_workspace.addAction(a);
        m_actions.append(a);
        return a;
    };
    QActionGroup *tools = registry.action(QStringLiteral("tool.select")) ? registry.action(QStringLiteral("tool.select"))->actionGroup() : nullptr;
    for (auto [id, text, key] : {std::tuple{"tool.words", tr("Select &Words"), Qt::Key_T},
                                 std::tuple{"tool.link", tr("&Link Entities"), Qt::Key_K}}) {
        const QString toolId = QString::fromLatin1(id);
        if (QAction *a = add(id, text, QKeySequence(key), [this, toolId] { m_canvas.setTool(toolId); })) {
            a->setCheckable(true);
            if (tools)
                tools->addAction(a);
        }
    }
    if (QAction *a = add("view.words", tr("Show &Word Boxes"), QKeySequence(Qt::CTRL | Qt::Key_B), &DocumentLabeling::setShowWords)) {
        a->setCheckable(true);
        a->setChecked(m_layer->showWords());
    }
    add("doc.editWord", tr("&Correct Word…"), QKeySequence(Qt::Key_F2), &DocumentLabeling::editWord);
    add("doc.mergeWords", tr("&Merge Words"), QKeySequence(Qt::CTRL | Qt::Key_M), &DocumentLabeling::mergeWords);
    add("doc.splitWord", tr("S&plit Word at Spaces"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M), &DocumentLabeling::splitWord);
}

void DocumentLabeling::setDocument(labeling::AnnotationDocument *doc)
{
    m_doc = doc;
    m_form->setDocument(doc);
}

bool DocumentLabeling::labelSelection(Id classId)
{
    if (!m_doc || m_canvas.tool() != m_words || m_words->selectedWords().isEmpty() || !documenthit::isPage(m_doc))
        return false;
    const core::LabelClass *c = m_doc->classById(classId);
    if (!c || c->kind != core::ClassKind::Field)
        return false;
    const QVector<Id> words = m_words->selectedWords();
    if (const Id id = m_doc->assignWordsToField(words, classId)) {
        m_canvas.setSelection({id});
        m_words->setSelectedWords({});
        const core::Annotation *a = m_doc->find(id);
        Q_EMIT message(tr("%1 = %2").arg(c->name, a ? a->value : QString()));
    }
    return true;
}

void DocumentLabeling::selectField(Id annotationId)
{
    const core::Annotation *a = m_doc ? m_doc->find(annotationId) : nullptr;
    if (!a)
        return;
    m_canvas.setSelection({annotationId});
    m_words->setSelectedWords(a->wordIds);
}

void DocumentLabeling::setShowWords(bool show)
{
    m_layer->setShowWords(show);
    m_canvas.update();
}

void DocumentLabeling::editWord()
{
    if (!m_doc || m_words->selectedWords().size() != 1) {
        Q_EMIT message(tr("Select one word to correct it"));
        return;
    }
    const core::Word *w = m_doc->findWord(m_words->selectedWords().first());
    if (!w)
        return;
    QDialog dialog(&m_workspace);
    dialog.setWindowTitle(tr("Correct Word"));
    auto *form = new QFormLayout(&dialog);
    auto *text = new QLineEdit(w->text);
    form->addRow(tr("Text"), text);
    QDoubleSpinBox *edges[4];
    const double values[4] = {w->box.left(), w->box.top(), w->box.width(), w->box.height()};
    const QString names[4] = {tr("Left"), tr("Top"), tr("Width"), tr("Height")};
    for (int i = 0; i < 4; ++i) {
        edges[i] = new QDoubleSpinBox;
        edges[i]->setRange(0, 1e5);
        edges[i]->setValue(values[i]);
        form->addRow(names[i], edges[i]);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted)
        return;
    core::Word next = *w;
    next.text = text->text().trimmed();
    next.box = QRectF(edges[0]->value(), edges[1]->value(), edges[2]->value(), edges[3]->value());
    if (m_doc->editWord(next))
        Q_EMIT message(tr("Word corrected: %1").arg(next.text));
}

void DocumentLabeling::mergeWords()
{
    if (!m_doc || m_words->selectedWords().size() < 2) {
        Q_EMIT message(tr("Select two or more words to merge them"));
        return;
    }
    if (const Id id = m_doc->mergeWords(m_words->selectedWords()))
        m_words->setSelectedWords({id});
}

void DocumentLabeling::splitWord()
{
    if (!m_doc || m_words->selectedWords().size() != 1) {
        Q_EMIT message(tr("Select one word to split it"));
        return;
    }
    const QVector<Id> ids = m_doc->splitWord(m_words->selectedWords().first());
    if (ids.isEmpty())
        Q_EMIT message(tr("Type a space where the word should split (Correct Word, F2), then split it"));
    else
        m_words->setSelectedWords(ids);
}

} // namespace annotune::ui
