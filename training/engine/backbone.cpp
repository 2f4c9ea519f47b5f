#include "backbone.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <optional>
#include <set>
#include <spdlog/spdlog.h>

namespace annotune::training::engine {

using namespace annotune::core;

namespace {

constexpr int64_t kProbeSize = 256; // the dry run's dummy image: divisible by 32
constexpr std::array<int64_t, 3> kStrides{8, 16, 32};

QString qstr(const std::string &s) { return QString::fromStdString(s); }

// The first line of a libtorch message (they carry long C++ back traces).
QString firstLine(const char *what)
{
    const QString text = QString::fromUtf8(what).trimmed();
    return text.left(text.indexOf(QLatin1Char('\n')) < 0 ? text.size() : text.indexOf(QLatin1Char('\n')));
}

// A registrable name for a scripted parameter ("layer1.0.conv1.weight" -> "layer1_0_conv1_weight").
std::string flatName(const std::string &name)
{
    std::string out = name;
    std::replace(out.begin(), out.end(), '.', '_');
    return out;
}

} // namespace

Result<std::shared_ptr<ScriptedBackboneImpl>> ScriptedBackboneImpl::load(const QString &path)
{
    const auto fail = [&path](const QString &why) { return makeError(ErrorCode::BadInput, QStringLiteral("backbone %1: %2").arg(path, why)); };
    if (!QFileInfo(path).isFile())
        return makeError(ErrorCode::NotFound, QStringLiteral("backbone %1: no such file").arg(path));
    auto bb = std::shared_ptr<ScriptedBackboneImpl>(new ScriptedBackboneImpl);
    try {
        bb->m_script = torch::jit::load(path.toStdString(), torch::kCPU);
    } catch (const std::exception &e) {
        return fail(QStringLiteral("not a TorchScript file (torch::jit::load: %1); export it with torch.jit.script(...).save(...)").arg(firstLine(e.what())));
    }
    std::vector<std::string> names;
    for (const auto &child : bb->m_script.named_children()) {
        bb->m_children.push_back(child.value);
        names.push_back(child.name);
    }
    if (bb->m_children.empty())
        return fail(QStringLiteral("the module has no child modules to run in order; script an nn.Sequential of feature layers"));

    // Dry run: the stride of each child's output; the last child at each wanted stride is its tap.
    std::array<std::optional<size_t>, 3> taps;
    std::vector<int64_t> seen;
    {
        torch::NoGradGuard noGrad;
        bb->m_script.eval();
        torch::Tensor x = torch::zeros({1, 3, kProbeSize, kProbeSize});
        for (size_t i = 0; i < bb->m_children.size(); ++i) {
            try {
                const c10::IValue out = bb->m_children[i].forward({x});
                if (!out.isTensor() || out.toTensor().dim() != 4)
                    break; // a head (pooling to a vector, a classifier): the features end here
                x = out.toTensor();
            } catch (const std::exception &e) {
                if (taps[2])
                    break; // e.g. a classifier after the features
                return fail(QStringLiteral("child '%1' fails on the output of the previous one (%2); script an nn.Sequential of feature layers")
                                .arg(qstr(names[i]), firstLine(e.what())));
            }
            const int64_t stride = kProbeSize / std::max<int64_t>(1, x.size(2));
            seen.push_back(stride);
            for (size_t k = 0; k < 3; ++k)
                if (stride == kStrides[k] && x.size(2) * stride == kProbeSize) {
                    taps[k] = i;
                    bb->m_channels[k] = x.size(1);
                }
        }
    }
    for (size_t k = 0; k < 3; ++k)
        if (!taps[k]) {
            QStringList strides;
            for (int64_t s : seen)
                strides << QString::number(s);
            return fail(QStringLiteral("no output at stride %1 (its children's output strides: %2); the detector needs strides 8, 16 and 32")
                            .arg(kStrides[k]).arg(strides.join(QStringLiteral(", "))));
        }
    bb->m_taps = {*taps[0], *taps[1], *taps[2]};
    bb->m_children.resize(bb->m_taps[2] + 1);

    std::set<std::string> used;
    for (const auto &p : bb->m_script.named_parameters(true)) {
        if (!used.insert(flatName(p.name)).second)
            return fail(QStringLiteral("parameter names clash once flattened: %1").arg(qstr(p.name)));
        bb->register_parameter(flatName(p.name), p.value, true);
    }
    for (const auto &b : bb->m_script.named_buffers(true)) {
        if (!used.insert(flatName(b.name)).second)
            return fail(QStringLiteral("buffer names clash once flattened: %1").arg(qstr(b.name)));
        bb->register_buffer(flatName(b.name), b.value);
    }
    bb->train(true);
    spdlog::info("training.engine: backbone {}: strides 8/16/32 from children {}/{}/{} with {}/{}/{} channels", path.toStdString(),
                 names[bb->m_taps[0]], names[bb->m_taps[1]], names[bb->m_taps[2]], bb->m_channels[0], bb->m_channels[1], bb->m_channels[2]);
    return bb;
}

std::array<torch::Tensor, 3> ScriptedBackboneImpl::forward(const torch::Tensor &images)
{
    std::array<torch::Tensor, 3> out;
    torch::Tensor x = images;
    for (size_t i = 0; i < m_children.size(); ++i) {
        x = m_children[i].forward({x}).toTensor();
        for (size_t k = 0; k < 3; ++k)
            if (m_taps[k] == i)
                out[k] = x;
    }
    return out;
}

void ScriptedBackboneImpl::setFrozen(bool frozen)
{
    if (frozen == m_frozen)
        return;
    m_frozen = frozen;
    for (torch::Tensor &p : parameters())
        p.set_requires_grad(!frozen);
    train(is_training());
}

void ScriptedBackboneImpl::train(bool on)
{
    torch::nn::Module::train(on);
    m_script.train(on && !m_frozen);
}

Status ScriptedBackboneImpl::saveScript(const QString &path)
{
    try {
        m_script.save((path + QStringLiteral(".tmp")).toStdString());
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot save the backbone: %2").arg(path, firstLine(e.what())));
    }
    QFile::remove(path);
    if (!QFile::rename(path + QStringLiteral(".tmp"), path))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot replace").arg(path));
    return {};
}

Result<Detector> buildDetector(const core::training::JobSpec &spec, int64_t classes, const QString &runFolder)
{
    DetectorOptions options = DetectorOptions(classes).width(spec.width);
    if (spec.backbonePath.isEmpty())
        return Detector(options);
    const QString copy = runFolder.isEmpty() ? QString() : QDir(runFolder).filePath(QLatin1String(kBackboneFile));
    const bool haveCopy = !copy.isEmpty() && QFileInfo(copy).isFile();
    auto backbone = ScriptedBackboneImpl::load(haveCopy ? copy : spec.backbonePath);
    if (!backbone)
        return backbone.error();
    if (!copy.isEmpty() && !haveCopy && !QFile::copy(spec.backbonePath, copy))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot copy the backbone %2 into the run folder").arg(copy, spec.backbonePath));
    return Detector(options.backbone(*backbone));
}

} // namespace annotune::training::engine
