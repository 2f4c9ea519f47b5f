#pragma once
// The Annotate workspace: the canvas with its tools, the class picker, tags, the label list and
// the edit history as docks, and the edit, class and review actions.

#include "core/types.h"
#include "labeling/changeevent.h"

#include <QMainWindow>
#include <QPointer>
#include <functional>
#include <optional>

class QAction;
class QTimer;
class QUndoView;

namespace annotune::core::store {
class Project;
}
namespace annotune::labeling {
class AnnotationDocument;
class ImageCache;
class LabelSchema;
}

namespace annotune::ui {

class ActionRegistry;
class AnnotationListDock;
class Canvas;
class ClassPicker;
class SuggestionsDock;
class DocumentLabeling;
class TagsPanel;

// A QMainWindow used as a page of the shell's stack, so it owns its toolbars and docks. Which item
// is current is decided by the browser (navigation actions live there); showItem follows it.
// Its actions are registered in the shared registry and enabled only while it is active.
class AnnotateWorkspace : public QMainWindow {
    Q_OBJECT
public:
    // The item `offset` rows away from the current one in the browser's order, or 0.
    using NeighbourProvider = std::function<core::Id(int offset)>;
    // Asks for a rejection comment; nullopt cancels the rejection.
    using CommentProvider = std::function<std::optional<QString>()>;

    explicit AnnotateWorkspace(ActionRegistry &actions, QWidget *parent = nullptr);
    ~AnnotateWorkspace() override;

    void setProject(core::store::Project *project);
    // Loads the item into the document and canvas and decodes its neighbours ahead.
    bool showItem(core::Id itemId);
    void setNeighbourProvider(NeighbourProvider provider) { m_neighbours = std::move(provider); }
    void setCommentProvider(CommentProvider provider) { m_askComment = std::move(provider); }
    void setActive(bool active);
    bool isActive() const { return m_active; }

    Canvas *canvas() const { return m_canvas; }
    labeling::AnnotationDocument *document() const { return m_doc; }
    labeling::LabelSchema *schema() const { return m_schema; }
    labeling::ImageCache *imageCache() const { return m_cache; }
    ClassPicker *classPicker() const { return m_classes; }
    TagsPanel *tagsPanel() const { return m_tags; }
    AnnotationListDock *annotationList() const { return m_list; }
    SuggestionsDock *suggestions() const { return m_suggestions; }
    DocumentLabeling *documentLabeling() const { return m_docLabels; }

public Q_SLOTS:
    void copySelection();
    void paste();
    void duplicateSelection();
    void deleteSelection();
    void selectAll();
    void copyFromPrevious();
    void nudge(QPointF delta);
    // Makes classId the class for new shapes and gives it to the selection (one command).
    void chooseClass(qint64 classId);
    void setItemStatus(core::ItemStatus status);
    void rejectItem();
    void editSchema();

Q_SIGNALS:
    void message(const QString &text);
    // The item's status or annotation count changed (the browser updates its row).
    void itemEdited(const core::Item &item, int annotationCount);
    // The label schema changed (the browser's class filter follows).
    void schemaChanged();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void registerActions(ActionRegistry &registry);
    void createDocks();
    void createToolBar();
    void onDocumentChanged(const labeling::ChangeEvent &event);
    // The label list and the history are not needed to see a newly loaded item: they catch up
    // once the canvas has painted it with its image (or after kPanelsLateMs when no such paint
    // comes), so a switch paints the image and its shapes first.
    void panelsStale();
    void onCanvasPainted(core::Id itemId, bool withImage);
    void catchUpPanels();
    void refreshClasses();
    void prefetchAround();
    void saveHidden();
    QSet<core::Id> loadHidden() const;

    core::store::Project *m_project = nullptr;
    labeling::AnnotationDocument *m_doc = nullptr;
    labeling::LabelSchema *m_schema = nullptr;
    labeling::ImageCache *m_cache;
    Canvas *m_canvas;
    ClassPicker *m_classes;
    TagsPanel *m_tags;
    AnnotationListDock *m_list;
    QUndoView *m_history;
    SuggestionsDock *m_suggestions = nullptr; // model predictions offered on the item
    DocumentLabeling *m_docLabels = nullptr; // words, fields and links of document pages
    QVector<QPointer<QAction>> m_ownActions; // owned by the registry, which may go first
    ActionRegistry &m_registry;
    NeighbourProvider m_neighbours;
    CommentProvider m_askComment;
    QVector<core::Annotation> m_clipboard;
    int m_pasteCount = 0;
    bool m_active = false;
    bool m_docksSized = false;
    bool m_panelsStale = false;    // the list and history still show the previous item
    QTimer *m_panelsLate;          // catches the panels up when no paint of the item comes
};

} // namespace annotune::ui
