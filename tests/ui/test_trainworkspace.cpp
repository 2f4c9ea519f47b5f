// The Train workspace against the fake worker: the new-run dialog's arguments, a run's events
// feeding progress and charts, cancel, a crash that fails the run and shows the worker's stderr,
// a past run's stored metrics, and prediction as a second process.

#include "../training/syntheticproject.h"
#include "core/store/runrepository.h"
#include "ui/actionregistry.h"
#include "ui/train/newrundialog.h"
#include "ui/train/preseteditor.h"
#include "ui/train/runtablemodel.h"
#include "ui/train/traincharts.h"
#include "ui/train/trainworkspace.h"

#include <QProgressBar>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace annotune;
using namespace annotune::core;
using namespace annotune::ui::train;
namespace ct = annotune::core::training;

class TestTrainWorkspace : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<store::Project> m_project;

    Id addRun(RunStatus status)
    {
        Run run;
        run.name = QStringLiteral("r");
        run.task = QStringLiteral("detection");
        run.status = status;
        return *m_project->runs().create(run, QStringLiteral("t"));
    }
    // A workspace on the project that starts the fake worker in mode.
    std::unique_ptr<TrainWorkspace> workspace(ui::ActionRegistry &actions, const char *mode, Id run = 5)
    {
        qputenv("FAKE_WORKER_MODE", mode);
        qputenv("FAKE_WORKER_RUN", QByteArray::number(run));
        auto w = std::make_unique<TrainWorkspace>(actions);
        w->setWorkerProgram(QStringLiteral(ANNOTUNE_FAKE_WORKER));
        w->setProject(m_project.get());
        return w;
    }
    static QStringList waitEnded(QSignalSpy &spy)
    {
        if (spy.isEmpty() && !spy.wait(30000))
            return {};
        return {spy.first().at(0).toString(), spy.first().at(1).toString()};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_project = tests::makeSyntheticProject(m_dir.path(), 6, 0);
        QVERIFY(m_project);
    }

    void dialogBuildsTheWorkerArguments()
    {
        NewRunDialog dialog(*m_project);
        QCOMPARE(dialog.request().task, ct::TrainTask::Detection); // labelled images, no pages
        {
            // A project of labelled document pages starts on extraction.
            QTemporaryDir pagesDir;
            auto pages = tests::makeSyntheticProject(pagesDir.path(), 1, 3);
            QVERIFY(pages);
            QCOMPARE(suggestedTask(*pages), ct::TrainTask::Extraction);
            QCOMPARE(NewRunDialog(*pages).request().task, ct::TrainTask::Extraction);
        }
        QCOMPARE(dialog.request().preset, QStringLiteral("balanced")); // the default, as the CLI's
        QCOMPARE(dialog.request().epochs, TrainRequest{}.presetEpochs());
        QVERIFY(dialog.request().epochs > 0);
        QVERIFY(dialog.estimateText().contains(QStringLiteral("6 items")));
        QVERIFY(dialog.estimateText().contains(QStringLiteral("estimate")));
        TrainRequest r;
        r.task = ct::TrainTask::Extraction;
        r.preset = QStringLiteral("accurate");
        r.base = QStringLiteral("/models/base.pt");
        r.epochs = 7;
        r.loraRank = 4;
        r.labels = ct::LabelSelection::Approved;
        r.device = ct::DevicePreference::Cpu;
        r.configFile = QStringLiteral("/tmp/tiny.json");
        dialog.setRequest(r);
        QCOMPARE(dialog.request().arguments(QStringLiteral("/p.annotune")),
                 (QStringList{"train", "/p.annotune", "--task", "extraction", "--preset", "accurate", "--config",
                              "/tmp/tiny.json", "--base", "/models/base.pt", "--epochs", "7", "--lora-rank", "4",
                              "--labels", "approved", "--device", "cpu", "--events", "jsonl"}));
        QCOMPARE(resumeArguments(QStringLiteral("/p"), 3), (QStringList{"train", "/p", "--resume", "3", "--events", "jsonl"}));
        QCOMPARE(predictArguments(QStringLiteral("/p"), 3),
                 (QStringList{"predict", "/p", "--run", "3", "--items", "unlabeled"}));
    }

    void presetEditorChecksAndSavesAConfigTheDialogTakes()
    {
        const QString path = m_dir.filePath(QStringLiteral("presets/extraction-balanced.json"));
        PresetEditor editor(ct::TrainTask::Extraction, QStringLiteral("balanced"), {}, path);
        // Starts from the preset's own keys.
        auto preset = ct::presetKeys(ct::TrainTask::Extraction, QStringLiteral("balanced"));
        QVERIFY(preset);
        QCOMPARE(QJsonDocument::fromJson(editor.text().toUtf8()).object(), *preset);
        QVERIFY(editor.message().startsWith(QStringLiteral("Valid")));
        // A syntax error names its line; a bad value names its key; neither writes the file.
        editor.setText(QStringLiteral("{\n  \"epochs\": 9,\n  \"layers\" 3\n}"));
        QVERIFY(!editor.save());
        QVERIFY2(editor.message().startsWith(QStringLiteral("Line 3")), qPrintable(editor.message()));
        editor.setText(QStringLiteral("{ \"epochs\": -4 }"));
        QVERIFY(!editor.save());
        QVERIFY2(editor.message().contains(QStringLiteral("epochs")), qPrintable(editor.message()));
        editor.setText(QStringLiteral("{ \"no_such_key\": 1 }"));
        QVERIFY(!editor.save());
        QVERIFY2(editor.message().contains(QStringLiteral("no_such_key")), qPrintable(editor.message()));
        auto *saveButton = editor.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save);
        QVERIFY(!saveButton->isEnabled()); // an invalid text cannot be saved from the dialog
        QVERIFY(!QFile::exists(path));
        // A valid text is saved (the folder made), and a run's spec takes it over the preset.
        editor.setText(QStringLiteral("{ \"epochs\": 9, \"spatial_bias\": true, \"transition_weight\": 0.5 }"));
        QVERIFY(saveButton->isEnabled());
        QVERIFY2(editor.save(), qPrintable(editor.message()));
        auto spec = ct::presetSpec(ct::TrainTask::Extraction, QStringLiteral("balanced"));
        QVERIFY(spec);
        QVERIFY(ct::mergeConfigFile(*spec, path));
        QCOMPARE(spec->epochs, 9);
        QVERIFY(spec->spatialBias);
        QCOMPARE(spec->transitionWeight, 0.5);
        // Opened again on that file, the editor shows its keys over the preset's.
        PresetEditor again(ct::TrainTask::Extraction, QStringLiteral("balanced"), path, path);
        const QJsonObject shown = QJsonDocument::fromJson(again.text().toUtf8()).object();
        QCOMPARE(shown.value(QStringLiteral("epochs")).toInt(), 9);
        QCOMPARE(shown.value(QStringLiteral("model_dim")), preset->value(QStringLiteral("model_dim")));
        // The new-run dialog takes the file and its epochs.
        NewRunDialog dialog(*m_project);
        dialog.useConfigFile(path);
        QCOMPARE(dialog.request().configFile, path);
        QCOMPARE(dialog.request().epochs, 9);
    }

    void aRunFeedsProgressAndCharts()
    {
        ui::ActionRegistry actions;
        auto w = workspace(actions, "normal");
        QSignalSpy ended(w.get(), &TrainWorkspace::runEnded);
        QVERIFY(w->startRun(TrainRequest{}));
        QVERIFY(w->isTraining());
        QCOMPARE(waitEnded(ended).value(0), QStringLiteral("finished"));
        QCOMPARE(w->charts()->lossPoints(), 3); // two progress lines and the padded one (under the default line cap)
        QCOMPARE(w->charts()->metricPoints(QStringLiteral("map50")), 1);
        QCOMPARE(w->progressBar()->maximum(), 4);
        QCOMPARE(w->progressBar()->value(), 4);
        QVERIFY(w->logText().contains(QStringLiteral("fake worker: normal")));
        QVERIFY(w->logText().contains(QStringLiteral("--events jsonl")));
    }

    void cancelStopsTheRun()
    {
        ui::ActionRegistry actions;
        auto w = workspace(actions, "wait");
        QSignalSpy ended(w.get(), &TrainWorkspace::runEnded);
        QVERIFY(w->startRun(TrainRequest{}));
        QTRY_COMPARE_WITH_TIMEOUT(w->progressBar()->maximum(), 4, 10000); // the started event
        QVERIFY(actions.action(QStringLiteral("train.cancel"))->isEnabled());
        w->cancelRun();
        QCOMPARE(waitEnded(ended).value(0), QStringLiteral("cancelled"));
        QVERIFY(!w->isTraining());
        QVERIFY(w->bannerText().contains(QStringLiteral("cancelled")));
    }

    void aCrashFailsTheRunAndShowsTheWorkerOutput()
    {
        const Id run = addRun(RunStatus::Running);
        ui::ActionRegistry actions;
        auto w = workspace(actions, "crash", run);
        QSignalSpy ended(w.get(), &TrainWorkspace::runEnded);
        QVERIFY(w->startRun(TrainRequest{}));
        const QStringList end = waitEnded(ended);
        QCOMPARE(end.value(0), QStringLiteral("failed"));
        QVERIFY(end.value(1).contains(QStringLiteral("killed or crashed")));
        QCOMPARE(m_project->runs().get(run)->status, RunStatus::Failed);
        QVERIFY(w->bannerText().contains(QStringLiteral("fake worker: crash")));
        QVERIFY(w->logText().contains(QStringLiteral("fake worker: crash")));
        const int row = w->runModel()->rowOf(run);
        QVERIFY(row >= 0);
        QCOMPARE(w->runModel()->index(row, RunTableModel::ColStatus).data().toString(), QStringLiteral("failed"));
        w->selectRun(run);
        QVERIFY(actions.action(QStringLiteral("train.resume"))->isEnabled());

        QSignalSpy resumed(w.get(), &TrainWorkspace::runEnded);
        qputenv("FAKE_WORKER_MODE", "normal");
        QVERIFY(w->resumeRun(run));
        QCOMPARE(waitEnded(resumed).value(0), QStringLiteral("finished"));
        QVERIFY(w->logText().contains(QStringLiteral("--resume %1 --events jsonl").arg(run)));
    }

    void aPastRunShowsItsStoredMetrics()
    {
        const Id run = addRun(RunStatus::Finished);
        QVERIFY(m_project->runs().addMetrics(run, {{10, 0, "loss", 2.0}, {20, 0, "loss", 1.5}, {20, 0, "train_loss", 1.5},
                                                   {20, 0, "map50", 0.4}, {40, 1, "loss", 1.0}, {40, 1, "map50", 0.7}}));
        ui::ActionRegistry actions;
        auto w = workspace(actions, "normal");
        w->selectRun(run);
        QCOMPARE(w->charts()->lossPoints(), 3);
        QCOMPARE(w->charts()->metricPoints(QStringLiteral("map50")), 2);
        const int row = w->runModel()->rowOf(run);
        QCOMPARE(w->runModel()->index(row, RunTableModel::ColBest).data().toString(), QStringLiteral("map50 0.700"));
        QVERIFY(actions.action(QStringLiteral("train.predict"))->isEnabled());

        QSignalSpy ended(w.get(), &TrainWorkspace::runEnded);
        QVERIFY(w->predictRun(run));
        QVERIFY(w->isPredicting());
        QCOMPARE(waitEnded(ended).value(0), QStringLiteral("finished"));
        QVERIFY(w->logText().contains(QStringLiteral("predict %1").arg(m_project->path())));
    }
};

QTEST_MAIN(TestTrainWorkspace)
#include "test_trainworkspace.moc"
