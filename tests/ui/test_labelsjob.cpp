// File > Import Labels / Export Labels: the dialogs produce the request a person filled in, and a
// ProjectJob runs it on its own connection with progress, reporting back on the GUI thread.

#include "core/store/annotationrepository.h"
#include "core/store/project.h"
#include "labeling/labelinterchange.h"
#include "ui/labelsdialogs.h"
#include "ui/projectjob.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace annotune;

namespace {
const QString kCvat = QStringLiteral(ANNOTUNE_SHARED_DATA "/formats/datumaro/tests/assets/cvat_dataset/for_images/export_task/train.xml");
}

class TestLabelsJob : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void importDialogBuildsTheRequest()
    {
        ui::ImportLabelsDialog dialog;
        auto *format = dialog.findChild<QComboBox *>();
        QVERIFY(format);
        const int cvat = format->findData(QStringLiteral("cvat"));
        QVERIFY(cvat >= 0);
        format->setCurrentIndex(cvat);
        dialog.findChild<QLineEdit *>(QStringLiteral("labelsPath"))->setText(QStringLiteral("  /data/labels.xml "));
        dialog.findChild<QLineEdit *>(QStringLiteral("runName"))->setText(QStringLiteral("model-7"));
        dialog.findChild<QCheckBox *>()->setChecked(true);
        const auto r = dialog.request();
        QCOMPARE(r.format, QStringLiteral("cvat"));
        QCOMPARE(r.path, QStringLiteral("/data/labels.xml"));
        QVERIFY(r.imagesRoot.isEmpty());
        QVERIFY(r.skipMissingImages);
        QCOMPARE(r.runName, QStringLiteral("model-7"));
    }

    void exportDialogFiltersClasses()
    {
        ui::ExportLabelsDialog dialog({QStringLiteral("car"), QStringLiteral("dog")});
        auto r = dialog.request();
        QVERIFY(r.filter.classNames.isEmpty()); // all checked means no filter
        auto *list = dialog.findChild<QListWidget *>();
        list->item(1)->setCheckState(Qt::Unchecked);
        r = dialog.request();
        QCOMPARE(r.filter.classNames, QSet<QString>{QStringLiteral("car")});
    }

    void jobImportsOnItsOwnConnection()
    {
        QVERIFY2(QFileInfo::exists(kCvat), qPrintable(kCvat));
        QTemporaryDir dir;
        auto project = core::store::Project::create(dir.filePath(QStringLiteral("p.annotune")));
        QVERIFY(project);
        QWidget window;
        ui::ProjectJob job(&window);
        std::optional<core::Result<QString>> outcome;
        connect(&job, &ui::ProjectJob::finished, this, [&](const core::Result<QString> &r) { outcome = r; });
        labeling::LabelImportRequest request{QStringLiteral("cvat"), kCvat, {}, false, {}};
        QVERIFY(job.start((*project)->path(), false, QStringLiteral("Importing"),
                          [request](core::store::Project &p, const core::ProgressFn &progress, const core::CancelFlag *cancel)
                              -> core::Result<QString> {
                              auto report = labeling::importLabels(p, request, progress, cancel);
                              if (!report)
                                  return report.error();
                              return labeling::describe(*report, false);
                          }));
        QVERIFY(job.isRunning());
        QVERIFY(!job.start((*project)->path(), false, QStringLiteral("again"), {})); // one at a time
        QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 30000);
        const auto result = *outcome;
        QVERIFY2(result, result ? "" : qPrintable(result.error().message));
        QVERIFY(result.value().startsWith(QStringLiteral("Imported 2 labels")));
        // The GUI's own connection sees what the worker committed.
        QCOMPARE(*(*project)->annotations().count(), qint64(2));
    }

    void failedJobReportsTheError()
    {
        QTemporaryDir dir;
        QWidget window;
        ui::ProjectJob job(&window);
        std::optional<core::Result<QString>> outcome;
        connect(&job, &ui::ProjectJob::finished, this, [&](const core::Result<QString> &r) { outcome = r; });
        QVERIFY(job.start(dir.filePath(QStringLiteral("missing.annotune")), true, QStringLiteral("x"),
                          [](core::store::Project &, const core::ProgressFn &, const core::CancelFlag *) -> core::Result<QString> {
                              return QStringLiteral("unreachable");
                          }));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 10000);
        const auto result = *outcome;
        QVERIFY(!result);
        QVERIFY(result.error().message.contains(QStringLiteral("missing.annotune")));
    }
};

QTEST_MAIN(TestLabelsJob)
#include "test_labelsjob.moc"
