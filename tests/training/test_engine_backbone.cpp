// Imported TorchScript backbones: Debian's python3-torchvision exports mobilenet_v3_small's features
// and a truncated resnet18 (random weights: nothing downloads here) into a temporary folder; the
// engine finds their stride-8/16/32 outputs and channels, refuses missing, corrupt and stride-less
// files naming the file and why, and trains a detector on a tiny synthetic project with one (frozen
// for the first epoch): finite, falling loss, a copy of the backbone in the run folder, predictions,
// and a cancelled run that resumes to the end. Without python3-torchvision the test fails.

#include "core/store/runrepository.h"
#include "syntheticproject.h"
#include "training/engine/backbone.h"
#include "training/engine/engine.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace annotune;
using namespace annotune::core;
namespace ct = annotune::core::training;
namespace engine = annotune::training::engine;

namespace {

// Writes mobilenet.pt (mobilenet_v3_small().features), resnet18.pt (resnet18 up to layer4) and
// shallow.pt (resnet18 up to layer2: strides up to 8 only) into argv[1].
const char *kExport = R"(
import sys, torch, torchvision
torch.manual_seed(0)
out = sys.argv[1]
torch.jit.script(torchvision.models.mobilenet_v3_small().features).save(out + "/mobilenet.pt")
resnet = list(torchvision.models.resnet18().children())
torch.jit.script(torch.nn.Sequential(*resnet[:-2])).save(out + "/resnet18.pt")
torch.jit.script(torch.nn.Sequential(*resnet[:6])).save(out + "/shallow.pt")
)";

class RecordingSink : public ct::ProgressSink {
public:
    void report(const ct::Event &e) override
    {
        if (e.kind != ct::EventKind::Progress)
            return;
        losses.append(e.loss);
        if (cancelAt > 0 && e.step == cancelAt && token)
            token->cancel();
    }
    QVector<double> losses;
    qint64 cancelAt = 0;
    ct::CancelToken *token = nullptr;
};

double mean(const QVector<double> &v, qsizetype from, qsizetype n)
{
    double sum = 0;
    for (qsizetype i = from; i < from + n; ++i)
        sum += v[i];
    return sum / double(n);
}

} // namespace

class TestBackbone : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        engine::setupRuntime(2);
        QVERIFY(m_dir.isValid());
        const QString python = qEnvironmentVariableIsSet("ANNOTUNE_PYTHON") ? qEnvironmentVariable("ANNOTUNE_PYTHON") : QStringLiteral("/usr/bin/python3");
        QProcess p;
        p.start(python, {QStringLiteral("-c"), QString::fromLatin1(kExport), m_dir.path()});
        const bool ran = p.waitForFinished(240000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
        QVERIFY2(ran, qPrintable(QStringLiteral("exporting test backbones with %1 failed (this test needs Debian's python3-torch and "
                                                "python3-torchvision; ./test.sh installs them): %2 %3")
                                     .arg(python, p.errorString(), QString::fromUtf8(p.readAllStandardError()).right(800))));
    }

    void findsStridesAndChannels()
    {
        auto mobile = engine::ScriptedBackboneImpl::load(file("mobilenet.pt"));
        QVERIFY2(mobile, qPrintable(mobile ? QString() : mobile.error().message));
        QCOMPARE((*mobile)->channels(), (std::array<int64_t, 3>{24, 48, 576}));
        auto resnet = engine::ScriptedBackboneImpl::load(file("resnet18.pt"));
        QVERIFY2(resnet, qPrintable(resnet ? QString() : resnet.error().message));
        QCOMPARE((*resnet)->channels(), (std::array<int64_t, 3>{128, 256, 512}));
        const auto features = (*resnet)->forward(torch::zeros({2, 3, 64, 64}));
        QCOMPARE(features[0].sizes().vec(), (std::vector<int64_t>{2, 128, 8, 8}));
        QCOMPARE(features[2].sizes().vec(), (std::vector<int64_t>{2, 512, 2, 2}));
        // Registered: the optimiser sees them, checkpoints hold them.
        QCOMPARE(int((*resnet)->parameters().size()), 60);
    }

    void refusesBadFilesNamingThem()
    {
        const auto messageOf = [](const QString &path) {
            auto r = engine::ScriptedBackboneImpl::load(path);
            return r ? QString() : r.error().message;
        };
        const QString missing = file("missing.pt");
        QVERIFY(messageOf(missing).contains(missing));
        QVERIFY(messageOf(missing).contains(QStringLiteral("no such file")));

        const QString corrupt = file("corrupt.pt");
        QFile f(corrupt);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a TorchScript archive");
        f.close();
        QVERIFY(messageOf(corrupt).contains(corrupt));
        QVERIFY2(messageOf(corrupt).contains(QStringLiteral("not a TorchScript file")), qPrintable(messageOf(corrupt)));

        const QString shallow = file("shallow.pt");
        QVERIFY(messageOf(shallow).contains(shallow));
        QVERIFY2(messageOf(shallow).contains(QStringLiteral("no output at stride 16")), qPrintable(messageOf(shallow)));
    }

    void trainsPredictsAndResumesWithABackbone()
    {
        QTemporaryDir dir;
        auto project = tests::makeSyntheticProject(dir.path(), 12, 0);
        QVERIFY(project);
        ct::JobSpec spec = tests::tinyDetection();
        spec.width = ct::JobSpec{}.width; // the neck and head keep the default width over the backbone
        spec.epochs = 5;
        spec.learningRate = 0.003;
        spec.backbonePath = file("mobilenet.pt");
        spec.freezeBackboneEpochs = 1;

        RecordingSink sink;
        ct::CancelToken never;
        auto outcome = engine::train(*project, spec, sink, never);
        QVERIFY2(outcome, qPrintable(outcome ? QString() : outcome.error().message));
        QCOMPARE(outcome->status, RunStatus::Finished);
        QCOMPARE(sink.losses.size(), 10);
        for (double l : sink.losses)
            QVERIFY(std::isfinite(l));
        QVERIFY2(mean(sink.losses, 7, 3) < mean(sink.losses, 0, 3),
                 qPrintable(QStringLiteral("%1 -> %2").arg(mean(sink.losses, 0, 3)).arg(mean(sink.losses, 7, 3))));
        QVERIFY(QFile::exists(outcome->runFolder + QStringLiteral("/backbone.pt")));
        QVERIFY(QFile::exists(outcome->runFolder + QStringLiteral("/model.pt")));

        engine::PredictOptions options;
        options.runId = outcome->runId;
        options.items = engine::PredictItems::All;
        options.minScore = 0;
        auto report = engine::predict(*project, options);
        QVERIFY2(report, qPrintable(report ? QString() : report.error().message));
        QCOMPARE(report->items, 12);
        QVERIFY(report->predictions > 0);

        RecordingSink first;
        ct::CancelToken cancel;
        first.cancelAt = 3;
        first.token = &cancel;
        auto cancelled = engine::train(*project, spec, first, cancel);
        QVERIFY2(cancelled, qPrintable(cancelled ? QString() : cancelled.error().message));
        QCOMPARE(cancelled->status, RunStatus::Cancelled);
        QVERIFY(QFile::exists(cancelled->runFolder + QStringLiteral("/backbone.pt")));
        ct::JobSpec resume;
        resume.resumeRunId = cancelled->runId;
        RecordingSink second;
        ct::CancelToken cancel2;
        auto resumed = engine::train(*project, resume, second, cancel2);
        QVERIFY2(resumed, qPrintable(resumed ? QString() : resumed.error().message));
        QCOMPARE(resumed->status, RunStatus::Finished);
        QCOMPARE(resumed->steps, 10);
        QCOMPARE(second.losses.size(), 7);
        // The resumed steps continue the uninterrupted run's trajectory.
        QVERIFY2(std::abs(second.losses[0] - sink.losses[3]) < 1e-3 * std::max(1.0, std::abs(sink.losses[3])),
                 qPrintable(QStringLiteral("%1 vs %2").arg(second.losses[0]).arg(sink.losses[3])));
    }

    void badBackboneFailsTheRunNamingTheFile()
    {
        QTemporaryDir dir;
        auto project = tests::makeSyntheticProject(dir.path(), 6, 0);
        QVERIFY(project);
        ct::JobSpec spec = tests::tinyDetection();
        spec.backbonePath = file("shallow.pt");
        RecordingSink sink;
        ct::CancelToken never;
        auto outcome = engine::train(*project, spec, sink, never);
        QVERIFY(!outcome);
        QVERIFY2(outcome.error().message.contains(spec.backbonePath), qPrintable(outcome.error().message));
    }

private:
    QString file(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestBackbone)
#include "test_engine_backbone.moc"
