#pragma once
// Dialogs that ask what to import or export in one of the interchange formats. They only collect
// a request; MainWindow runs it as a ProjectJob.

#include "labeling/labelinterchange.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QListWidget;

namespace annotune::ui {

class ImportLabelsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ImportLabelsDialog(QWidget *parent = nullptr);
    labeling::LabelImportRequest request() const;

private:
    void choosePath(bool folder);
    void updateOk();

    QComboBox *m_format;
    QLineEdit *m_path;
    QLineEdit *m_images;
    QCheckBox *m_skipMissing;
    QLineEdit *m_run;
    QPushButton *m_ok = nullptr;
};

class ExportLabelsDialog : public QDialog {
    Q_OBJECT
public:
    ExportLabelsDialog(const QStringList &classNames, QWidget *parent = nullptr);
    labeling::LabelExportRequest request() const;

private:
    void chooseOut();
    void updateForFormat();

    QComboBox *m_format;
    QLineEdit *m_out;
    QCheckBox *m_approvedOnly;
    QComboBox *m_split;
    QListWidget *m_classes;
    QCheckBox *m_copyImages;
    QPushButton *m_ok = nullptr;
};

} // namespace annotune::ui
