#include "extractor.h"

#include "training/engine/activations.h"
#include "training/engine/inferencelinear.h"

#include <ATen/Parallel.h>
#include <ATen/record_function.h>
#include <ATen/ThreadLocalState.h>
#include <algorithm>
#include <cmath>
#include <dlfcn.h>
#include <cstdlib>
#if defined(__SSE__)
#include <immintrin.h>
#endif

namespace annotune::training::engine {

namespace F = torch::nn::functional;

LoraLinearImpl::LoraLinearImpl(int64_t in, int64_t out, int64_t rank, double alpha)
    : base(register_module("base", torch::nn::Linear(in, out))), m_rank(rank), m_scale(rank > 0 ? alpha / double(rank) : 0)
{
    if (rank > 0) {
        loraA = register_parameter("lora_a", torch::randn({rank, in}) / std::sqrt(double(in)));
        loraB = register_parameter("lora_b", torch::zeros({out, rank}));
    }
}

torch::Tensor LoraLinearImpl::forward(const torch::Tensor &x)
{
    torch::Tensor y = base(x);
    if (m_rank > 0 && !m_merged)
        y = y + F::linear(F::linear(x, loraA), loraB) * m_scale;
    return y;
}

torch::Tensor LoraLinearImpl::effectiveWeight() const
{
    if (m_rank == 0 || m_merged)
        return base->weight;
    return base->weight + torch::matmul(loraB, loraA) * m_scale;
}

void LoraLinearImpl::merge()
{
    if (m_rank == 0 || m_merged)
        return;
    torch::NoGradGuard guard;
    base->weight.add_(torch::matmul(loraB, loraA) * m_scale);
    m_merged = true;
}

std::vector<torch::Tensor> LoraLinearImpl::adapterParameters() const
{
    return m_rank > 0 ? std::vector<torch::Tensor>{loraA, loraB} : std::vector<torch::Tensor>{};
}

namespace {

int64_t rankFor(const ExtractorOptions &o, const std::string &name)
{
    const auto &t = o.loraTargets();
    return std::find(t.begin(), t.end(), name) != t.end() ? o.loraRank() : 0;
}

// o += the rows idx[from .. to) of W (D wide). The rows are scattered over a table larger than the
// caches, so the rows a few indices ahead (of n in all) are fetched while these are added.
__attribute__((target_clones("avx2", "default"))) void addRows(const float *W, int64_t D, const int64_t *idx, int64_t from,
                                                               int64_t to, int64_t n, float *o)
{
    constexpr int64_t kAhead = 8;
    for (int64_t k = from; k < to; ++k) {
        if (k + kAhead < n) {
            const char *ahead = reinterpret_cast<const char *>(W + idx[k + kAhead] * D);
            for (int64_t byte = 0; byte < D * int64_t(sizeof(float)); byte += 64)
                __builtin_prefetch(ahead + byte);
        }
        const float *w = W + idx[k] * D;
        for (int64_t j = 0; j < D; ++j)
            o[j] += w[j];
    }
}

// EmbeddingBag's mean without autograd, for inference: libtorch's CPU kernel (without FBGEMM, as
// Debian builds it) took a fifth of the extractor's inference time. Bag b averages the rows
// indices[offsets[b] .. offsets[b + 1]) (the last bag runs to the end); an empty bag is zeros. With
// autograd, another layout or an index out of range, the module runs instead (and reports it).
torch::Tensor bagMean(torch::nn::EmbeddingBagImpl &bag, const torch::Tensor &indices, const torch::Tensor &offsets)
{
    const torch::Tensor &weight = bag.weight;
    const bool fits = !(torch::GradMode::is_enabled() && weight.requires_grad()) && weight.is_cpu() && indices.is_cpu() &&
                      offsets.is_cpu() && weight.scalar_type() == torch::kFloat && weight.is_contiguous() && weight.dim() == 2 &&
                      indices.scalar_type() == torch::kLong && offsets.scalar_type() == torch::kLong && indices.dim() == 1 &&
                      offsets.dim() == 1 && indices.is_contiguous() && offsets.is_contiguous() &&
                      torch::enumtype::get_enum_name(bag.options.mode()) == std::string("kMean") && !bag.options.include_last_offset() &&
                      !bag.options.max_norm().has_value() && !bag.options.padding_idx().has_value();
    if (!fits)
        return bag.forward(indices, offsets);
    const int64_t rows = weight.size(0), D = weight.size(1), bags = offsets.size(0), n = indices.size(0);
    const int64_t *idx = indices.data_ptr<int64_t>(), *off = offsets.data_ptr<int64_t>();
    for (int64_t i = 0; i < n; ++i)
        if (idx[i] < 0 || idx[i] >= rows)
            return bag.forward(indices, offsets);
    for (int64_t b = 0; b < bags; ++b)
        if (off[b] < 0 || off[b] > n || (b > 0 && off[b] < off[b - 1]))
            return bag.forward(indices, offsets);
    RECORD_FUNCTION("annotune::bag_mean", std::vector<c10::IValue>{});
    torch::Tensor out = torch::zeros({bags, D}, weight.options());
    const float *W = weight.data_ptr<float>();
    float *O = out.data_ptr<float>();
    at::parallel_for(0, bags, 64, [&](int64_t begin, int64_t end) {
        for (int64_t b = begin; b < end; ++b) {
            const int64_t from = off[b], to = b + 1 < bags ? off[b + 1] : n;
            float *o = O + b * D;
            addRows(W, D, idx, from, to, n, o);
            if (to > from) {
                const float scale = 1.f / float(to - from);
                for (int64_t j = 0; j < D; ++j)
                    o[j] *= scale;
            }
        }
    });
    return out;
}

// Box centres are compared doubled (x0 + x1, in position bins), so distances run over
// [-kMaxDistance, kMaxDistance]. A distance's magnitude m has a level: m itself below 8, then two
// levels per doubling (8-11, 12-15, 16-23, ... 192-254); negative distances have levels of their own.
constexpr int64_t kMaxDistance = 2 * (kPositionBins - 1);
constexpr int64_t kDistanceLevels = 18;

torch::Tensor distanceBuckets()
{
    torch::Tensor out = torch::empty({2 * kMaxDistance + 1}, torch::kLong);
    int64_t *b = out.data_ptr<int64_t>();
    for (int64_t d = -kMaxDistance; d <= kMaxDistance; ++d) {
        const int64_t m = d < 0 ? -d : d;
        int64_t level = m;
        if (m >= 8) {
            const int64_t e = 63 - __builtin_clzll(uint64_t(m)); // floor(log2 m), 3..7
            level = 8 + 2 * (e - 3) + ((m >> (e - 1)) & 1);
        }
        b[d + kMaxDistance] = std::min(level, kDistanceLevels - 1) + (d < 0 ? kDistanceLevels : 0);
    }
    return out;
}

// The BLAS's sgemm_ (Fortran interface) that libtorch itself calls, found in the process at run
// time: libtorch keeps its own matrix-product entry points to itself. Null if there is none.
using SgemmFn = void (*)(const char *, const char *, const int *, const int *, const int *, const float *, const float *,
                         const int *, const float *, const int *, const float *, float *, const int *);
SgemmFn systemSgemm()
{
    static const SgemmFn found = reinterpret_cast<SgemmFn>(dlsym(RTLD_DEFAULT, "sgemm_"));
    return found;
}

// Flushes denormal floats to zero on this thread while it lives (x86's FTZ and DAZ). Attention
// weights far from a row's maximum underflow into denormals, and the BLAS's products on them ran
// four to five times slower (train_bench's pages: 7 ms against 1.6 ms for a layer's attention);
// values under 1.2e-38 change nothing the model computes.
class DenormalsAsZero {
public:
#if defined(__SSE__)
    DenormalsAsZero() : m_saved(_mm_getcsr()) { _mm_setcsr(m_saved | 0x8040); }
    ~DenormalsAsZero() { _mm_setcsr(m_saved); }

private:
    unsigned m_saved;
#endif
};

// Row-major C = alpha op(A) op(B) + beta C (M x N, inner K) on the column-major BLAS: the same
// product transposed, with the operands swapped.
void rowGemm(SgemmFn sgemm, bool transA, bool transB, int64_t m, int64_t n, int64_t k, float alpha, const float *a,
             int64_t lda, const float *b, int64_t ldb, float beta, float *c, int64_t ldc)
{
    const int M = int(m), N = int(n), K = int(k), LA = int(lda), LB = int(ldb), LC = int(ldc);
    sgemm(transB ? "T" : "N", transA ? "T" : "N", &N, &M, &K, &alpha, b, &LB, a, &LA, &beta, c, &LC);
}

// Attention dropout's keep factors of one (page, head): 0 or 1 / (1 - p), from a hash of the call's
// seed, the task and the entry, so the backward regenerates them and any thread count gives the same.
void dropoutFactors(uint64_t seed, int64_t task, int64_t count, float p, float *out)
{
    const float kept = 1 / (1 - p);
    for (int64_t i = 0; i < count; ++i) {
        uint64_t z = seed ^ (uint64_t(task) << 40) ^ uint64_t(i);
        z += 0x9E3779B97F4A7C15ull; // splitmix64
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        out[i] = float(z >> 40) * (1.0f / 16777216.0f) >= p ? kept : 0.f;
    }
}

bool fusedAttentionOff()
{
    static const bool off = std::getenv("ANNOTUNE_TORCH_ATTENTION") != nullptr;
    return off;
}

// softmax(q k^T / sqrt(dh) + bias, padding keys masked) with dropout, times v, for every page and
// head of a padded batch, forward and backward, each (page, head) a few BLAS products on its rows
// where they lie, side by side on the threads. Saves the probabilities (as torch's softmax does) and
// regenerates the dropout factors in the backward instead of storing them.
class PaddedAttention : public torch::autograd::Function<PaddedAttention> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext *ctx, const torch::Tensor &qIn, const torch::Tensor &kIn,
                                 const torch::Tensor &vIn, const torch::Tensor &biasIn, const torch::Tensor &padIn,
                                 int64_t heads, double dropout)
    {
        const torch::Tensor q = qIn.contiguous(), k = kIn.contiguous(), v = vIn.contiguous();
        const torch::Tensor pad = padIn.to(torch::kBool).contiguous();
        const torch::Tensor bias = biasIn.numel() > 0 ? biasIn.contiguous() : torch::Tensor(); // empty: none
        const int64_t B = q.size(0), T = q.size(1), D = q.size(2), dh = D / heads;
        const float scale = float(1 / std::sqrt(double(dh))), p = float(dropout);
        // The seed comes from torch's generator, so torch::manual_seed (and a resumed run's restored
        // generator) fixes the dropout as it fixes F::dropout's.
        const uint64_t seed = p > 0 ? uint64_t(torch::randint(int64_t(1) << 62, {1}, torch::kLong).item<int64_t>()) : 0;
        torch::Tensor probs = torch::empty({B, heads, T, T}, q.options()), out = torch::empty({B, T, D}, q.options());
        const SgemmFn sgemm = systemSgemm();
        const bool *padded = pad.data_ptr<bool>();
        at::parallel_for(0, B * heads, 1, [&](int64_t begin, int64_t end) {
            const DenormalsAsZero flush;
            thread_local std::vector<float> factors;
            for (int64_t task = begin; task < end; ++task) {
                const int64_t b = task / heads, h = task % heads, at = b * T * D + h * dh;
                float *scores = probs.data_ptr<float>() + task * T * T;
                rowGemm(sgemm, false, true, T, T, dh, scale, q.data_ptr<float>() + at, D, k.data_ptr<float>() + at, D, 0, scores, T);
                if (bias.defined()) {
                    const float *add = bias.data_ptr<float>() + task * T * T;
                    for (int64_t i = 0; i < T * T; ++i)
                        scores[i] += add[i];
                }
                for (int64_t j = 0; j < T; ++j)
                    if (padded[b * T + j])
                        for (int64_t i = 0; i < T; ++i)
                            scores[i * T + j] = -1e9f;
                engine::softmaxRows(scores, T, T);
                const float *weights = scores;
                if (p > 0) {
                    factors.resize(size_t(T * T));
                    dropoutFactors(seed, task, T * T, p, factors.data());
                    for (int64_t i = 0; i < T * T; ++i)
                        factors[size_t(i)] *= scores[i];
                    weights = factors.data();
                }
                rowGemm(sgemm, false, false, T, dh, T, 1, weights, T, v.data_ptr<float>() + at, D, 0, out.data_ptr<float>() + at, D);
            }
        });
        ctx->save_for_backward({q, k, v, probs});
        ctx->saved_data["heads"] = heads;
        ctx->saved_data["dropout"] = dropout;
        ctx->saved_data["seed"] = int64_t(seed);
        ctx->saved_data["bias"] = bias.defined();
        return out;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx, torch::autograd::variable_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const torch::Tensor &q = saved[0], &k = saved[1], &v = saved[2], &probs = saved[3];
        const int64_t heads = ctx->saved_data["heads"].toInt();
        const float p = float(ctx->saved_data["dropout"].toDouble());
        const uint64_t seed = uint64_t(ctx->saved_data["seed"].toInt());
        const int64_t B = q.size(0), T = q.size(1), D = q.size(2), dh = D / heads;
        const float scale = float(1 / std::sqrt(double(dh)));
        const torch::Tensor dOut = grads[0].contiguous();
        torch::Tensor dq = torch::empty_like(q), dk = torch::empty_like(k), dv = torch::empty_like(v);
        const bool biasGrad = ctx->saved_data["bias"].toBool() && ctx->needs_input_grad(3);
        torch::Tensor dBias = biasGrad ? torch::empty_like(probs) : torch::Tensor();
        const SgemmFn sgemm = systemSgemm();
        at::parallel_for(0, B * heads, 1, [&](int64_t begin, int64_t end) {
            const DenormalsAsZero flush;
            thread_local std::vector<float> gradBuffer, factors;
            for (int64_t task = begin; task < end; ++task) {
                const int64_t b = task / heads, h = task % heads, at = b * T * D + h * dh;
                const float *P = probs.data_ptr<float>() + task * T * T, *dO = dOut.data_ptr<float>() + at;
                float *dS = biasGrad ? dBias.data_ptr<float>() + task * T * T : (gradBuffer.resize(size_t(T * T)), gradBuffer.data());
                // dWeights = dOut v^T; dv = weights^T dOut (weights: the dropped-out probabilities).
                rowGemm(sgemm, false, true, T, T, dh, 1, dO, D, v.data_ptr<float>() + at, D, 0, dS, T);
                const float *weights = P;
                if (p > 0) {
                    factors.resize(size_t(T * T));
                    dropoutFactors(seed, task, T * T, p, factors.data());
                    for (int64_t i = 0; i < T * T; ++i) {
                        dS[i] *= factors[size_t(i)];
                        factors[size_t(i)] *= P[i];
                    }
                    weights = factors.data();
                }
                rowGemm(sgemm, true, false, T, dh, T, 1, weights, T, dO, D, 0, dv.data_ptr<float>() + at, D);
                // Through the softmax, row by row: dS = P (dP - sum_j dP P).
                for (int64_t i = 0; i < T; ++i) {
                    float *row = dS + i * T;
                    const float *pr = P + i * T;
                    float dot = 0;
                    for (int64_t j = 0; j < T; ++j)
                        dot += row[j] * pr[j];
                    for (int64_t j = 0; j < T; ++j)
                        row[j] = pr[j] * (row[j] - dot);
                }
                rowGemm(sgemm, false, false, T, dh, T, scale, dS, T, k.data_ptr<float>() + at, D, 0, dq.data_ptr<float>() + at, D);
                rowGemm(sgemm, true, false, T, dh, T, scale, dS, T, q.data_ptr<float>() + at, D, 0, dk.data_ptr<float>() + at, D);
            }
        });
        return {dq, dk, dv, dBias, torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

} // namespace

torch::Tensor paddedAttention(const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v, const torch::Tensor &pad,
                              const torch::Tensor &bias, int64_t heads, double dropout)
{
    const bool fits = systemSgemm() && !fusedAttentionOff() && q.is_cpu() && q.scalar_type() == torch::kFloat && q.dim() == 3 &&
                      k.sizes() == q.sizes() && v.sizes() == q.sizes() && q.size(2) % heads == 0 &&
                      (!bias.defined() || (bias.is_cpu() && bias.scalar_type() == torch::kFloat));
    if (fits)
        return PaddedAttention::apply(q, k, v, bias.defined() ? bias : torch::empty({0}, q.options()), pad, heads, dropout);
    const int64_t B = q.size(0), T = q.size(1), D = q.size(2), dh = D / heads;
    const auto split = [&](const torch::Tensor &t) { return t.reshape({B, T, heads, dh}).transpose(1, 2); };
    // scores = q k^T / sqrt(dh) + bias, with -1e9 added at padding keys: one batched product onto
    // the additive mask (and bias), its scale the product's alpha.
    torch::Tensor mask = torch::zeros({B, 1, 1, T}, q.options()).masked_fill_(pad.view({B, 1, 1, T}), -1e9);
    mask = bias.defined() ? (bias + mask).reshape({B * heads, T, T}) : mask.expand({B, heads, 1, T}).reshape({B * heads, 1, T});
    const torch::Tensor scores = torch::baddbmm(mask, split(q).reshape({B * heads, T, dh}), split(k).reshape({B * heads, T, dh}).transpose(1, 2),
                                                1.0, 1 / std::sqrt(double(dh)));
    const torch::Tensor weights = F::dropout(torch::softmax(scores, -1), F::DropoutFuncOptions().p(dropout).training(dropout > 0));
    return torch::bmm(weights, split(v).reshape({B * heads, T, dh})).view({B, heads, T, dh}).transpose(1, 2).reshape({B, T, D});
}

EncoderLayerImpl::EncoderLayerImpl(const ExtractorOptions &opt) : m_heads(opt.heads()), m_dropout(opt.dropout())
{
    const int64_t d = opt.dim();
    const auto make = [&](const char *name, int64_t in, int64_t out) {
        return register_module(name, LoraLinear(in, out, rankFor(opt, name), opt.loraAlpha()));
    };
    q = make("q", d, d);
    k = make("k", d, d);
    v = make("v", d, d);
    o = make("o", d, d);
    ff1 = make("ff1", d, 2 * d);
    ff2 = make("ff2", 2 * d, d);
    norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
    norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
}

torch::Tensor EncoderLayerImpl::forward(const torch::Tensor &x, const torch::Tensor &pad, const torch::Tensor &bias)
{
    const torch::Tensor h = norm1(x);
    const auto drop = [&](const torch::Tensor &t) { return F::dropout(t, F::DropoutFuncOptions().p(m_dropout).training(is_training())); };
    const torch::Tensor attended = paddedAttention(q(h), k(h), v(h), pad, bias, m_heads, is_training() ? m_dropout : 0.0);
    const torch::Tensor y = x + drop(o(attended));
    return y + drop(ff2(engine::gelu(ff1(norm2(y)))));
}

torch::Tensor EncoderLayerImpl::forwardWords(const torch::Tensor &x, const std::vector<int64_t> &lengths,
                                             const std::vector<torch::Tensor> &biases)
{
    const int64_t D = x.size(1), dh = D / m_heads;
    // The query projection carries the 1/sqrt(dh) of the scores.
    const double scale = 1 / std::sqrt(double(dh));
    const torch::Tensor weight = torch::cat({q->effectiveWeight() * scale, k->effectiveWeight(), v->effectiveWeight()});
    const torch::Tensor bias = torch::cat({q->base->bias * scale, k->base->bias, v->base->bias});
    const torch::Tensor qkv = inferenceLinear(engine::layerNorm(x, *norm1), weight, bias); // [N, 3D]: q, k, v side by side
    std::vector<int64_t> starts{0};
    for (const int64_t n : lengths)
        starts.push_back(starts.back() + n);
    // Each (page, head) is a few small products: they run side by side, each on one thread, and
    // write their heads straight into the attended rows.
    const torch::Tensor attended = torch::empty({x.size(0), D}, qkv.options());
    // Without autograd, on float CPU rows: the two products of each (page, head) straight on the
    // BLAS with the rows' strides, the scores in a buffer of the thread's, no tensor made per task.
    const SgemmFn sgemm = systemSgemm();
    const bool raw = sgemm && !torch::GradMode::is_enabled() && qkv.is_cpu() && qkv.scalar_type() == torch::kFloat && qkv.is_contiguous() &&
                     std::all_of(biases.begin(), biases.end(), [](const torch::Tensor &b) {
                         return b.is_cpu() && b.scalar_type() == torch::kFloat && b.is_contiguous();
                     });
    const auto attendRaw = [&](int64_t task) {
        const int64_t page = task / m_heads, head = task % m_heads, n = lengths[size_t(page)];
        if (n == 0)
            return;
        thread_local std::vector<float> buffer;
        buffer.resize(size_t(n * n));
        float *scores = buffer.data();
        const float *q = qkv.data_ptr<float>() + starts[size_t(page)] * 3 * D + head * dh, *k = q + D, *v = q + 2 * D;
        float *out = attended.data_ptr<float>() + starts[size_t(page)] * D + head * dh;
        // Column-major terms: scores^T = K Q^T, then out^T = V^T scores^T.
        const int rows = int(n), size = int(dh), ldQkv = int(3 * D), ldOut = int(D);
        const float one = 1, zero = 0;
        sgemm("T", "N", &rows, &rows, &size, &one, k, &ldQkv, q, &ldQkv, &zero, scores, &rows);
        if (!biases.empty()) {
            const float *b = biases[size_t(page)].data_ptr<float>() + head * n * n;
            for (int64_t i = 0; i < n * n; ++i)
                scores[i] += b[i];
        }
        engine::softmaxRows(scores, n, n);
        sgemm("N", "N", &size, &rows, &rows, &one, v, &ldQkv, scores, &rows, &zero, out, &ldOut);
    };
    const auto attend = [&](int64_t task) {
        if (raw)
            return attendRaw(task);
        const int64_t page = task / m_heads, head = task % m_heads, n = lengths[size_t(page)];
        if (n == 0)
            return;
        // One view per operand (views are not free at this size): rows of the page, columns of the head.
        const int64_t at = starts[size_t(page)] * 3 * D + head * dh;
        const torch::Tensor qh = qkv.as_strided({n, dh}, {3 * D, 1}, at), kt = qkv.as_strided({dh, n}, {1, 3 * D}, at + D);
        const torch::Tensor vh = qkv.as_strided({n, dh}, {3 * D, 1}, at + 2 * D);
        torch::Tensor out = attended.as_strided({n, dh}, {D, 1}, starts[size_t(page)] * D + head * dh);
        torch::Tensor scores = torch::mm(qh, kt);
        if (!biases.empty())
            scores = torch::GradMode::is_enabled() ? scores + biases[size_t(page)][head] : scores.add_(biases[size_t(page)][head]);
        torch::mm_out(out, torch::GradMode::is_enabled() ? torch::softmax(scores, -1) : engine::softmaxLastDim_(scores), vh);
    };
    const int64_t tasks = int64_t(lengths.size()) * m_heads;
    if (torch::GradMode::is_enabled()) {
        for (int64_t t = 0; t < tasks; ++t) // autograd records the graph on this thread only
            attend(t);
    } else {
        const at::ThreadLocalState state; // inference mode and the like, for the pool's threads
        at::parallel_for(0, tasks, 1, [&](int64_t begin, int64_t end) {
            const at::ThreadLocalStateGuard guard(state);
            const DenormalsAsZero flush;
            for (int64_t t = begin; t < end; ++t)
                attend(t);
        });
    }
    const auto linear = [](const LoraLinear &l, const torch::Tensor &in) { return inferenceLinear(in, l->effectiveWeight(), l->base->bias); };
    const torch::Tensor y = x + linear(o, attended);
    return y + linear(ff2, engine::gelu(linear(ff1, engine::layerNorm(y, *norm2))));
}

PageBatch makeBatch(const std::vector<const PageFeatures *> &pages, const torch::Device &device)
{
    const int64_t B = int64_t(pages.size());
    int64_t T = 1;
    for (const PageFeatures *p : pages)
        T = std::max(T, p->count());
    std::vector<int64_t> ngrams, offsets, context, contextOffsets, flat, lengths;
    torch::Tensor boxes = torch::zeros({B, T, 4}, torch::kLong), tags = torch::full({B, T}, -100, torch::kLong);
    torch::Tensor hashes = torch::full({B, T}, -100, torch::kLong), pad = torch::ones({B, T}, torch::kBool);
    for (int64_t b = 0; b < B; ++b) {
        const PageFeatures &p = *pages[size_t(b)];
        for (int64_t w = 0; w < p.count(); ++w) {
            offsets.push_back(int64_t(ngrams.size()));
            const int64_t end = w + 1 < p.count() ? p.offsets[size_t(w + 1)] : int64_t(p.ngrams.size());
            ngrams.insert(ngrams.end(), p.ngrams.begin() + p.offsets[size_t(w)], p.ngrams.begin() + end);
            contextOffsets.push_back(int64_t(context.size()));
            if (size_t(w) < p.contextOffsets.size()) {
                const int64_t cend = w + 1 < p.count() ? p.contextOffsets[size_t(w + 1)] : int64_t(p.context.size());
                context.insert(context.end(), p.context.begin() + p.contextOffsets[size_t(w)], p.context.begin() + cend);
            }
            flat.push_back(b * T + w);
        }
        lengths.push_back(p.count());
        if (p.count() == 0)
            continue;
        boxes[b].narrow(0, 0, p.count()).copy_(torch::tensor(p.boxes).view({p.count(), 4}));
        tags[b].narrow(0, 0, p.count()).copy_(torch::tensor(p.tags));
        hashes[b].narrow(0, 0, p.count()).copy_(torch::tensor(p.wordHash));
        pad[b].narrow(0, 0, p.count()).fill_(false);
    }
    pad.select(1, 0).fill_(false); // an empty page still attends to something
    const auto t = [&](const std::vector<int64_t> &v) { return torch::tensor(v, torch::kLong).to(device); };
    return {t(ngrams),         t(offsets),   t(context),   t(contextOffsets),   boxes.to(device),
            pad.to(device),    t(flat),      tags.to(device), hashes.to(device), std::move(lengths)};
}

ExtractorImpl::ExtractorImpl(const ExtractorOptions &options) : m_options(options)
{
    const int64_t d = options.dim();
    text = register_module("text", torch::nn::EmbeddingBag(torch::nn::EmbeddingBagOptions(options.buckets(), d).mode(torch::kMean)));
    context = register_module("context", torch::nn::EmbeddingBag(torch::nn::EmbeddingBagOptions(options.buckets(), d).mode(torch::kMean)));
    x0 = register_module("x0", torch::nn::Embedding(kPositionBins, d));
    y0 = register_module("y0", torch::nn::Embedding(kPositionBins, d));
    x1 = register_module("x1", torch::nn::Embedding(kPositionBins, d));
    y1 = register_module("y1", torch::nn::Embedding(kPositionBins, d));
    maskVector = register_parameter("mask_vector", torch::randn({d}) * 0.02);
    if (options.spatialBias()) {
        across = register_module("across", torch::nn::Embedding(2 * kDistanceLevels, options.heads()));
        down = register_module("down", torch::nn::Embedding(2 * kDistanceLevels, options.heads()));
        torch::NoGradGuard guard;
        across->weight.zero_(); // starts as plain attention
        down->weight.zero_();
        distanceBucket = register_buffer("distance_bucket", distanceBuckets());
    }
    embedNorm = register_module("embed_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
    finalNorm = register_module("final_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
    layers = register_module("layers", torch::nn::ModuleList());
    for (int64_t i = 0; i < options.layers(); ++i)
        layers->push_back(EncoderLayer(options));
    tagHead = register_module("tag_head", torch::nn::Linear(d, 2 * options.numClasses() + 1));
    wordHead = register_module("word_head", torch::nn::Linear(d, kWordTargets));
}

torch::Tensor ExtractorImpl::encode(const PageBatch &batch, const torch::Tensor &masked)
{
    const int64_t B = batch.pad.size(0), T = batch.pad.size(1), D = m_options.dim();
    if (wordsOnly(batch)) {
        const torch::Tensor words = encodeWords(batch, masked);
        return torch::zeros({B * T, D}, words.options()).index_copy(0, batch.flat, words).view({B, T, D});
    }
    torch::Tensor words = text(batch.ngrams, batch.offsets);
    if (!masked.defined())
        words = words + context(batch.context, batch.contextOffsets);
    torch::Tensor x = torch::zeros({B * T, D}, words.options()).index_copy(0, batch.flat, words).view({B, T, D});
    if (masked.defined())
        x = torch::where(masked.unsqueeze(-1), maskVector.expand({B, T, D}), x);
    x = x + x0(batch.boxes.select(2, 0)) + y0(batch.boxes.select(2, 1)) + x1(batch.boxes.select(2, 2)) + y1(batch.boxes.select(2, 3));
    x = F::dropout(embedNorm(x), F::DropoutFuncOptions().p(m_options.dropout()).training(is_training()));
    const torch::Tensor bias = m_options.spatialBias() ? spatialBias(batch.boxes) : torch::Tensor();
    for (const auto &layer : *layers)
        x = layer->as<EncoderLayer>()->forward(x, batch.pad, bias);
    return finalNorm(x);
}

// Words only at inference on the CPU; a GPU runs the padded batch with one kernel per op instead
// of a few small ones per page and head.
bool ExtractorImpl::wordsOnly(const PageBatch &batch) const
{
    return !is_training() && batch.pad.is_cpu() && int64_t(batch.lengths.size()) == batch.pad.size(0) && batch.flat.size(0) > 0;
}

torch::Tensor ExtractorImpl::wordTagProbabilities(const PageBatch &batch)
{
    if (wordsOnly(batch)) {
        torch::Tensor logits = inferenceLinear(encodeWords(batch, {}).contiguous(), tagHead->weight, tagHead->bias);
        return torch::GradMode::is_enabled() ? torch::softmax(logits, -1) : engine::softmaxLastDim_(logits);
    }
    const torch::Tensor logits = tagHead(encode(batch));
    return torch::softmax(logits.reshape({-1, logits.size(-1)}).index_select(0, batch.flat), -1);
}

torch::Tensor ExtractorImpl::encodeWords(const PageBatch &batch, const torch::Tensor &masked)
{
    const int64_t B = batch.pad.size(0), T = batch.pad.size(1);
    torch::Tensor x = bagMean(*text, batch.ngrams, batch.offsets);
    if (masked.defined())
        x = torch::where(masked.reshape({B * T}).index_select(0, batch.flat).unsqueeze(-1), maskVector, x);
    else
        x = x + bagMean(*context, batch.context, batch.contextOffsets);
    const torch::Tensor boxes = batch.boxes.reshape({B * T, 4}).index_select(0, batch.flat).t().contiguous(); // [4, N]
    x = engine::layerNorm(x + x0(boxes[0]) + y0(boxes[1]) + x1(boxes[2]) + y1(boxes[3]), *embedNorm);
    std::vector<torch::Tensor> biases;
    if (m_options.spatialBias()) {
        const torch::Tensor wordBoxes = boxes.t(); // [N, 4]
        int64_t start = 0;
        for (const int64_t n : batch.lengths) {
            biases.push_back(spatialBias(wordBoxes.narrow(0, start, n)));
            start += n;
        }
    }
    for (const auto &layer : *layers)
        x = layer->as<EncoderLayer>()->forwardWords(x, batch.lengths, biases);
    return engine::layerNorm(x, *finalNorm);
}

torch::Tensor ExtractorImpl::spatialBias(const torch::Tensor &boxes)
{
    const torch::Tensor cx = boxes.select(-1, 0) + boxes.select(-1, 2), cy = boxes.select(-1, 1) + boxes.select(-1, 3);
    // [..., T, T]: from word i (rows) to word j (columns), shifted to index distanceBucket.
    const auto bucket = [&](const torch::Tensor &c) {
        const torch::Tensor d = c.unsqueeze(-2) - c.unsqueeze(-1) + kMaxDistance;
        return distanceBucket.index_select(0, d.reshape({-1})).view(d.sizes());
    };
    const torch::Tensor bias = across(bucket(cx)) + down(bucket(cy)); // [..., T, T, heads]
    return bias.movedim(-1, -3).contiguous();
}

std::vector<LoraLinear> ExtractorImpl::loraLinears() const
{
    std::vector<LoraLinear> out;
    for (const auto &layer : *layers)
        for (const LoraLinear &l : layer->as<EncoderLayerImpl>()->linears())
            out.push_back(l);
    return out;
}

std::vector<torch::Tensor> ExtractorImpl::adapterParameters() const
{
    std::vector<torch::Tensor> out;
    for (const LoraLinear &l : loraLinears())
        for (const torch::Tensor &p : l->adapterParameters())
            out.push_back(p);
    for (const torch::Tensor &p : tagHead->parameters())
        out.push_back(p);
    return out;
}

void ExtractorImpl::setBaseFrozen(bool frozen)
{
    for (torch::Tensor &p : parameters())
        p.set_requires_grad(!frozen);
    for (torch::Tensor &p : adapterParameters())
        p.set_requires_grad(true);
}

void ExtractorImpl::mergeAdapters()
{
    for (LoraLinear l : loraLinears())
        l->merge();
}

torch::Tensor tagLoss(Extractor &model, const PageBatch &batch)
{
    const torch::Tensor logits = model->tagLogits(model->encode(batch));
    // Most words are outside every field: weigh them down so the fields are learnt early.
    torch::Tensor weight = torch::ones({logits.size(-1)}, torch::TensorOptions().device(logits.device()));
    weight[0] = kOutsideTagWeight;
    return F::cross_entropy(logits.reshape({-1, logits.size(-1)}).to(torch::kFloat), batch.tags.reshape({-1}),
                            F::CrossEntropyFuncOptions().weight(weight));
}

std::vector<std::vector<float>> predictTagProbs(Extractor &model, const std::vector<const PageFeatures *> &pages,
                                                const torch::Device &device)
{
    c10::InferenceMode inference;
    model->eval();
    const PageBatch batch = makeBatch(pages, device);
    const torch::Tensor prob = model->wordTagProbabilities(batch).to(torch::kFloat).cpu().contiguous();
    const int64_t tags = prob.size(1);
    std::vector<std::vector<float>> out;
    const float *p = prob.data_ptr<float>();
    for (const PageFeatures *page : pages) {
        out.emplace_back(p, p + page->count() * tags);
        p += page->count() * tags;
    }
    return out;
}

} // namespace annotune::training::engine
