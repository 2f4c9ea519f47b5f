#pragma once
// Document labeling in the Annotate workspace: the word and link tools, the word/field/link layer
// on the canvas, the form panel, and the actions that label and correct a document page.

#include "core/types.h"

#include <QObject>
#include <QPointer>
#include <memory>

class QAction;
class QMainWindow;

namespace annotune::labeling {
class AnnotationDocument;
}

namespace annotune::ui {

class ActionRegistry;
class Canvas;
class DocumentLayer;
class FormPanel;
class LinkTool;
class WordSelectTool;

// Created by the Annotate workspace with its canvas; owns nothing the workspace shows for images.
// Its actions are registered in the shared registry like the workspace's own.
class DocumentLabeling : public QObject {
    Q_OBJECT
public:
    DocumentLabeling(QMainWindow &workspace, Canvas &canvas, ActionRegistry &registry);
    ~DocumentLabeling() override;

    void setDocument(labeling::AnnotationDocument *doc);
    FormPanel *formPanel() const { return m_form; }
    WordSelectTool *wordTool() const { return m_words; }
    LinkTool *linkTool() const { return m_links; }
    DocumentLayer *layer() const { return m_layer.get(); }
    const QVector<QPointer<QAction>> &actions() const { return m_actions; }
    // Labels the selected words as classId when the word tool has a selection on a document page
    // and classId is a field class; false when there was nothing for it to do.
    bool labelSelection(core::Id classId);

public Q_SLOTS:
    void editWord();
    void mergeWords();
    void splitWord();
    void setShowWords(bool show);

Q_SIGNALS:
    void message(const QString &text);

private:
    void registerActions(ActionRegistry &registry);
    void selectField(core::Id annotationId);

    QMainWindow &m_workspace;
    Canvas &m_canvas;
    QPointer<labeling::AnnotationDocument> m_doc;
    std::unique_ptr<DocumentLayer> m_layer;
    WordSelectTool *m_words;
    LinkTool *m_links;
    FormPanel *m_form;
    QVector<QPointer<QAction>> m_actions; // owned by the registry
};

} // namespace annotune::ui
