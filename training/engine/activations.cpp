#include "activations.h"

#include <ATen/Parallel.h>
#include <ATen/record_function.h>
#include <algorithm>
#include <limits>
#include <vector>
#include <cmath>
#include <cstdlib>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ANNOTUNE_ACTIVATIONS_AVX2 1
#include <immintrin.h>
#endif

namespace annotune::training::engine {

namespace {

enum class Kind { Silu, Gelu };

constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;

// Scalar forms, for the tails of the vector loops.
float siluOf(float x) { return x / (1.f + std::exp(-x)); }
float siluGrad(float x)
{
    const float s = 1.f / (1.f + std::exp(-x));
    return s * (1.f + x * (1.f - s));
}
float geluOf(float x) { return 0.5f * x * (1.f + std::erf(x * kInvSqrt2)); }
float geluGrad(float x) { return 0.5f * (1.f + std::erf(x * kInvSqrt2)) + x * kInvSqrt2Pi * std::exp(-0.5f * x * x); }

#ifdef ANNOTUNE_ACTIVATIONS_AVX2

#define ANNOTUNE_AVX2 __attribute__((target("avx2,fma")))

// exp(t) for 8 floats: t = n ln2 + r with |r| <= ln2 / 2 (ln2 split in two for exactness), e^r by
// its Taylor polynomial to degree 6 (relative error below 2e-7 on that interval), 2^n from the
// exponent bits. t is clamped to [-87, 88], where the result stays a normal float.
ANNOTUNE_AVX2 inline __m256 exp8(__m256 t)
{
    t = _mm256_min_ps(_mm256_max_ps(t, _mm256_set1_ps(-87.f)), _mm256_set1_ps(88.f));
    const __m256 n = _mm256_floor_ps(_mm256_fmadd_ps(t, _mm256_set1_ps(1.44269504088896341f), _mm256_set1_ps(0.5f)));
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693145751953125f), t);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(1.42860682030941723e-06f), r);
    __m256 p = _mm256_set1_ps(1.f / 720);
    for (const float c : {1.f / 120, 1.f / 24, 1.f / 6, 0.5f, 1.f, 1.f})
        p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(c));
    const __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(bits));
}

// 1 / (1 + e^-x)
ANNOTUNE_AVX2 inline __m256 sigmoid8(__m256 x)
{
    const __m256 one = _mm256_set1_ps(1.f);
    return _mm256_div_ps(one, _mm256_add_ps(one, exp8(_mm256_sub_ps(_mm256_setzero_ps(), x))));
}

// Phi(x) = (1 + erf(x / sqrt 2)) / 2 and phi(x) = e^(-x^2/2) / sqrt(2 pi). erfc(z) for z >= 0 is
// Abramowitz and Stegun's 7.1.26 (absolute error below 1.5e-7): P(t) e^(-z^2), t = 1 / (1 + p z);
// Phi(x) = erfc(|z|) / 2 for x < 0 (no cancellation in the tail), 1 - erfc(z) / 2 otherwise.
ANNOTUNE_AVX2 inline void normal8(__m256 x, __m256 &cdf, __m256 &pdf)
{
    const __m256 one = _mm256_set1_ps(1.f), half = _mm256_set1_ps(0.5f);
    const __m256 z = _mm256_andnot_ps(_mm256_set1_ps(-0.f), _mm256_mul_ps(x, _mm256_set1_ps(kInvSqrt2)));
    const __m256 t = _mm256_div_ps(one, _mm256_fmadd_ps(z, _mm256_set1_ps(0.3275911f), one));
    __m256 p = _mm256_set1_ps(1.061405429f);
    for (const float c : {-1.453152027f, 1.421413741f, -0.284496736f, 0.254829592f})
        p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(c));
    const __m256 e = exp8(_mm256_mul_ps(_mm256_mul_ps(x, x), _mm256_set1_ps(-0.5f))); // e^(-z^2)
    const __m256 tail = _mm256_mul_ps(_mm256_mul_ps(p, t), _mm256_mul_ps(e, half));  // erfc(|z|) / 2
    const __m256 negative = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ);
    cdf = _mm256_blendv_ps(_mm256_sub_ps(one, tail), tail, negative);
    pdf = _mm256_mul_ps(e, _mm256_set1_ps(kInvSqrt2Pi));
}

ANNOTUNE_AVX2 void forward8(Kind kind, const float *x, float *y, int64_t n)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 v = _mm256_loadu_ps(x + i);
        __m256 out;
        if (kind == Kind::Silu) {
            out = _mm256_mul_ps(v, sigmoid8(v));
        } else {
            __m256 cdf, pdf;
            normal8(v, cdf, pdf);
            out = _mm256_mul_ps(v, cdf);
        }
        _mm256_storeu_ps(y + i, out);
    }
    for (; i < n; ++i)
        y[i] = kind == Kind::Silu ? siluOf(x[i]) : geluOf(x[i]);
}

// gx = g * f'(x)
ANNOTUNE_AVX2 void backward8(Kind kind, const float *x, const float *g, float *gx, int64_t n)
{
    const __m256 one = _mm256_set1_ps(1.f);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 v = _mm256_loadu_ps(x + i);
        __m256 d;
        if (kind == Kind::Silu) {
            const __m256 s = sigmoid8(v);
            d = _mm256_mul_ps(s, _mm256_fmadd_ps(v, _mm256_sub_ps(one, s), one)); // s (1 + x (1 - s))
        } else {
            __m256 cdf, pdf;
            normal8(v, cdf, pdf);
            d = _mm256_fmadd_ps(v, pdf, cdf); // Phi(x) + x phi(x)
        }
        _mm256_storeu_ps(gx + i, _mm256_mul_ps(_mm256_loadu_ps(g + i), d));
    }
    for (; i < n; ++i)
        gx[i] = g[i] * (kind == Kind::Silu ? siluGrad(x[i]) : geluGrad(x[i]));
}

bool cpuHasAvx2() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }

// BatchNorm (training) followed by SiLU on channels-last activations, seen as rows of C channels.
// Sums run in floats over blocks of kBlock rows, added into doubles per block.
constexpr int64_t kBlock = 256;

// Per channel over rows [begin, end): sum of x (centre null) or of (x - centre)^2, added into out.
ANNOTUNE_AVX2 void channelSums(const float *X, int64_t begin, int64_t end, int64_t C, const float *centre, double *out)
{
    std::vector<float> block(static_cast<size_t>(C));
    const int64_t C8 = C / 8 * 8;
    for (int64_t r0 = begin; r0 < end; r0 += kBlock) {
        std::fill(block.begin(), block.end(), 0.f);
        const int64_t r1 = std::min(end, r0 + kBlock);
        for (int64_t r = r0; r < r1; ++r) {
            const float *row = X + r * C;
            for (int64_t j = 0; j < C8; j += 8) {
                __m256 v = _mm256_loadu_ps(row + j);
                if (centre) {
                    v = _mm256_sub_ps(v, _mm256_loadu_ps(centre + j));
                    v = _mm256_mul_ps(v, v);
                }
                _mm256_storeu_ps(block.data() + j, _mm256_add_ps(_mm256_loadu_ps(block.data() + j), v));
            }
            for (int64_t j = C8; j < C; ++j)
                block[size_t(j)] += centre ? (row[j] - centre[j]) * (row[j] - centre[j]) : row[j];
        }
        for (int64_t j = 0; j < C; ++j)
            out[j] += block[size_t(j)];
    }
}

// y = silu(x a + b) per channel.
ANNOTUNE_AVX2 void bnSiluRows(const float *X, float *Y, int64_t begin, int64_t end, int64_t C, const float *a, const float *b)
{
    const int64_t C8 = C / 8 * 8;
    for (int64_t r = begin; r < end; ++r) {
        const float *row = X + r * C;
        float *out = Y + r * C;
        for (int64_t j = 0; j < C8; j += 8) {
            const __m256 z = _mm256_fmadd_ps(_mm256_loadu_ps(row + j), _mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j));
            _mm256_storeu_ps(out + j, _mm256_mul_ps(z, sigmoid8(z)));
        }
        for (int64_t j = C8; j < C; ++j)
            out[j] = siluOf(row[j] * a[j] + b[j]);
    }
}

// gz = gy silu'(x a + b) into GZ; adds the per-channel sums of gz and of gz (x - mean).
ANNOTUNE_AVX2 void bnSiluGradRows(const float *X, const float *GY, float *GZ, int64_t begin, int64_t end, int64_t C,
                                  const float *a, const float *b, const float *mean, double *sumG, double *sumGX)
{
    std::vector<float> blockG(static_cast<size_t>(C)), blockGX(static_cast<size_t>(C));
    const int64_t C8 = C / 8 * 8;
    const __m256 one = _mm256_set1_ps(1.f);
    for (int64_t r0 = begin; r0 < end; r0 += kBlock) {
        std::fill(blockG.begin(), blockG.end(), 0.f);
        std::fill(blockGX.begin(), blockGX.end(), 0.f);
        const int64_t r1 = std::min(end, r0 + kBlock);
        for (int64_t r = r0; r < r1; ++r) {
            const int64_t at = r * C;
            for (int64_t j = 0; j < C8; j += 8) {
                const __m256 x = _mm256_loadu_ps(X + at + j);
                const __m256 z = _mm256_fmadd_ps(x, _mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j));
                const __m256 sg = sigmoid8(z);
                const __m256 d = _mm256_mul_ps(sg, _mm256_fmadd_ps(z, _mm256_sub_ps(one, sg), one));
                const __m256 gz = _mm256_mul_ps(_mm256_loadu_ps(GY + at + j), d);
                _mm256_storeu_ps(GZ + at + j, gz);
                _mm256_storeu_ps(blockG.data() + j, _mm256_add_ps(_mm256_loadu_ps(blockG.data() + j), gz));
                const __m256 centred = _mm256_sub_ps(x, _mm256_loadu_ps(mean + j));
                _mm256_storeu_ps(blockGX.data() + j, _mm256_fmadd_ps(gz, centred, _mm256_loadu_ps(blockGX.data() + j)));
            }
            for (int64_t j = C8; j < C; ++j) {
                const float gz = GY[at + j] * siluGrad(X[at + j] * a[j] + b[j]);
                GZ[at + j] = gz;
                blockG[size_t(j)] += gz;
                blockGX[size_t(j)] += gz * (X[at + j] - mean[j]);
            }
        }
        for (int64_t j = 0; j < C; ++j) {
            sumG[j] += blockG[size_t(j)];
            sumGX[j] += blockGX[size_t(j)];
        }
    }
}

// gx = p gz + q x + c per channel, over GZ in place.
ANNOTUNE_AVX2 void bnInputGradRows(const float *X, float *GZ, int64_t begin, int64_t end, int64_t C, const float *p, const float *q,
                                   const float *c)
{
    const int64_t C8 = C / 8 * 8;
    for (int64_t r = begin; r < end; ++r) {
        const int64_t at = r * C;
        for (int64_t j = 0; j < C8; j += 8) {
            const __m256 v = _mm256_fmadd_ps(_mm256_loadu_ps(X + at + j), _mm256_loadu_ps(q + j), _mm256_loadu_ps(c + j));
            _mm256_storeu_ps(GZ + at + j, _mm256_fmadd_ps(_mm256_loadu_ps(GZ + at + j), _mm256_loadu_ps(p + j), v));
        }
        for (int64_t j = C8; j < C; ++j)
            GZ[at + j] = p[j] * GZ[at + j] + q[j] * X[at + j] + c[j];
    }
}

// Softmax of each of rows rows of n floats, in place: max, e^(x - max) and its sum, then the scale.
ANNOTUNE_AVX2 void softmaxRows8(float *x, int64_t rows, int64_t n)
{
    const int64_t n8 = n / 8 * 8;
    for (int64_t r = 0; r < rows; ++r) {
        float *row = x + r * n;
        __m256 vmax = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
        for (int64_t j = 0; j < n8; j += 8)
            vmax = _mm256_max_ps(vmax, _mm256_loadu_ps(row + j));
        alignas(32) float lanes[8];
        _mm256_store_ps(lanes, vmax);
        float top = *std::max_element(lanes, lanes + 8);
        for (int64_t j = n8; j < n; ++j)
            top = std::max(top, row[j]);
        const __m256 shift = _mm256_set1_ps(top);
        __m256 vsum = _mm256_setzero_ps();
        for (int64_t j = 0; j < n8; j += 8) {
            const __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(row + j), shift));
            _mm256_storeu_ps(row + j, e);
            vsum = _mm256_add_ps(vsum, e);
        }
        _mm256_store_ps(lanes, vsum);
        float sum = 0;
        for (const float lane : lanes)
            sum += lane;
        for (int64_t j = n8; j < n; ++j) {
            row[j] = std::exp(row[j] - top);
            sum += row[j];
        }
        const __m256 inv = _mm256_set1_ps(1.f / sum);
        for (int64_t j = 0; j < n8; j += 8)
            _mm256_storeu_ps(row + j, _mm256_mul_ps(_mm256_loadu_ps(row + j), inv));
        for (int64_t j = n8; j < n; ++j)
            row[j] *= 1.f / sum;
    }
}

// The sum of the 8 lanes.
ANNOTUNE_AVX2 inline float total(__m256 v)
{
    const __m128 four = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 two = _mm_add_ps(four, _mm_movehl_ps(four, four));
    return _mm_cvtss_f32(_mm_add_ss(two, _mm_shuffle_ps(two, two, 1)));
}

// LayerNorm of rows of n floats: y = (x - mean) / sqrt(var + eps) * gamma + beta, with the biased
// variance of the centred row (two passes, as torch's kernel).
ANNOTUNE_AVX2 void layerNormRows8(const float *x, float *y, int64_t rows, int64_t n, const float *gamma, const float *beta, float eps)
{
    const int64_t n8 = n / 8 * 8;
    for (int64_t r = 0; r < rows; ++r) {
        const float *in = x + r * n;
        float *out = y + r * n;
        __m256 vsum = _mm256_setzero_ps();
        for (int64_t j = 0; j < n8; j += 8)
            vsum = _mm256_add_ps(vsum, _mm256_loadu_ps(in + j));
        float sum = total(vsum);
        for (int64_t j = n8; j < n; ++j)
            sum += in[j];
        const float mean = sum / float(n);
        const __m256 vmean = _mm256_set1_ps(mean);
        __m256 vsq = _mm256_setzero_ps();
        for (int64_t j = 0; j < n8; j += 8) {
            const __m256 d = _mm256_sub_ps(_mm256_loadu_ps(in + j), vmean);
            vsq = _mm256_fmadd_ps(d, d, vsq);
        }
        float sq = total(vsq);
        for (int64_t j = n8; j < n; ++j)
            sq += (in[j] - mean) * (in[j] - mean);
        const float invstd = 1.f / std::sqrt(sq / float(n) + eps);
        const __m256 vinv = _mm256_set1_ps(invstd);
        for (int64_t j = 0; j < n8; j += 8) {
            const __m256 z = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(in + j), vmean), vinv);
            _mm256_storeu_ps(out + j, _mm256_fmadd_ps(z, _mm256_loadu_ps(gamma + j), _mm256_loadu_ps(beta + j)));
        }
        for (int64_t j = n8; j < n; ++j)
            out[j] = (in[j] - mean) * invstd * gamma[j] + beta[j];
    }
}

#else

void layerNormRows8(const float *, float *, int64_t, int64_t, const float *, const float *, float) {}
void forward8(Kind, const float *, float *, int64_t) {}
void backward8(Kind, const float *, const float *, float *, int64_t) {}
void channelSums(const float *, int64_t, int64_t, int64_t, const float *, double *) {}
void bnSiluRows(const float *, float *, int64_t, int64_t, int64_t, const float *, const float *) {}
void bnSiluGradRows(const float *, const float *, float *, int64_t, int64_t, int64_t, const float *, const float *, const float *, double *, double *) {}
void bnInputGradRows(const float *, float *, int64_t, int64_t, int64_t, const float *, const float *, const float *) {}
void softmaxRows8(float *, int64_t, int64_t) {}
bool cpuHasAvx2() { return false; }

#endif

constexpr int64_t kGrain = 32768;

// x's elements lie in one block in some order (no gaps, no overlap), so an output made like it
// holds each element at the same offset.
bool eligible(const torch::Tensor &x)
{
    return fastActivations() && x.device().is_cpu() && x.scalar_type() == torch::kFloat && x.layout() == torch::kStrided &&
           x.is_non_overlapping_and_dense();
}

torch::Tensor &forwardInto(Kind kind, const torch::Tensor &x, torch::Tensor &y)
{
    const float *in = x.data_ptr<float>();
    float *out = y.data_ptr<float>();
    at::parallel_for(0, x.numel(), kGrain, [&](int64_t begin, int64_t end) { forward8(kind, in + begin, out + begin, end - begin); });
    return y;
}

torch::Tensor torchForward(Kind kind, const torch::Tensor &x)
{
    return kind == Kind::Silu ? torch::silu(x) : torch::gelu(x);
}

torch::Tensor forwardOf(Kind kind, const torch::Tensor &x)
{
    torch::Tensor y = torch::empty_like(x);
    if (y.strides() != x.strides())
        return torchForward(kind, x);
    return forwardInto(kind, x, y);
}

torch::Tensor backwardOf(Kind kind, const torch::Tensor &x, torch::Tensor g)
{
    if (g.scalar_type() != torch::kFloat || g.sizes() != x.sizes())
        g = g.to(torch::kFloat).expand(x.sizes());
    if (g.strides() != x.strides())
        g = torch::empty_like(x).copy_(g);
    torch::Tensor gx = torch::empty_like(x);
    if (g.strides() != x.strides() || gx.strides() != x.strides()) { // not expected for a dense x; torch's formula then
        if (kind == Kind::Silu) {
            const torch::Tensor s = torch::sigmoid(x);
            return g * s * (1 + x * (1 - s));
        }
        return g * (0.5 * (1 + torch::erf(x * kInvSqrt2)) + x * kInvSqrt2Pi * torch::exp(-0.5 * x * x));
    }
    const float *in = x.data_ptr<float>(), *grad = g.data_ptr<float>();
    float *out = gx.data_ptr<float>();
    at::parallel_for(0, x.numel(), kGrain, [&](int64_t begin, int64_t end) {
        backward8(kind, in + begin, grad + begin, out + begin, end - begin);
    });
    return gx;
}

template<Kind kind>
struct ActivationFunction : torch::autograd::Function<ActivationFunction<kind>> {
    static torch::Tensor forward(torch::autograd::AutogradContext *ctx, const torch::Tensor &x)
    {
        ctx->save_for_backward({x});
        return forwardOf(kind, x);
    }
    // First derivatives only (nothing here needs the second).
    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx, torch::autograd::variable_list grads)
    {
        const torch::Tensor x = ctx->get_saved_variables()[0];
        return {backwardOf(kind, x, grads[0])};
    }
};

// Runs fn(begin, end, sums) over rows in parallel, each thread adding into its own sums (k arrays
// of C doubles), and returns their total.
template<typename Fn>
std::vector<double> parallelSums(int64_t rows, int64_t C, int k, const Fn &fn)
{
    const int threads = at::get_num_threads();
    std::vector<double> parts(size_t(threads) * size_t(k * C), 0.0);
    at::parallel_for(0, rows, kBlock * 4, [&](int64_t begin, int64_t end) {
        fn(begin, end, parts.data() + size_t(at::get_thread_num()) * size_t(k * C));
    });
    std::vector<double> total(size_t(k * C), 0.0);
    for (int t = 0; t < threads; ++t)
        for (size_t i = 0; i < total.size(); ++i)
            total[i] += parts[size_t(t) * total.size() + i];
    return total;
}

torch::Tensor tensorOf(std::vector<float> &values)
{
    return torch::from_blob(values.data(), {int64_t(values.size())}, torch::kFloat).clone();
}

std::vector<float> toFloats(const torch::Tensor &t)
{
    const torch::Tensor c = t.detach().to(torch::kFloat).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// y = silu(BN(x)) with the batch's statistics given (mean, invstd: [C]); gradients for x and
// BatchNorm's weight and bias.
struct BatchNormSiluFunction : torch::autograd::Function<BatchNormSiluFunction> {
    static torch::Tensor forward(torch::autograd::AutogradContext *ctx, const torch::Tensor &x, const torch::Tensor &weight,
                                 const torch::Tensor &bias, const torch::Tensor &mean, const torch::Tensor &invstd)
    {
        const int64_t C = x.size(1), rows = x.numel() / C;
        const torch::Tensor scale = (weight.detach() * invstd).contiguous();
        const torch::Tensor shift = (bias.detach() - mean * scale).contiguous();
        torch::Tensor y = torch::empty_like(x, torch::MemoryFormat::ChannelsLast);
        const float *X = x.data_ptr<float>(), *a = scale.data_ptr<float>(), *b = shift.data_ptr<float>();
        float *Y = y.data_ptr<float>();
        at::parallel_for(0, rows, kBlock, [&](int64_t begin, int64_t end) { bnSiluRows(X, Y, begin, end, C, a, b); });
        ctx->save_for_backward({x, weight, mean, invstd, scale, shift});
        return y;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx, torch::autograd::variable_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const torch::Tensor &x = saved[0], &weight = saved[1], &mean = saved[2], &invstd = saved[3], &scale = saved[4],
                            &shift = saved[5];
        const torch::Tensor gy = grads[0].to(torch::kFloat).contiguous(torch::MemoryFormat::ChannelsLast);
        const int64_t C = x.size(1), rows = x.numel() / C;
        torch::Tensor gx = torch::empty_like(x, torch::MemoryFormat::ChannelsLast);
        const float *X = x.data_ptr<float>(), *GY = gy.data_ptr<float>(), *a = scale.data_ptr<float>(), *b = shift.data_ptr<float>(),
                    *mu = mean.data_ptr<float>();
        float *GX = gx.data_ptr<float>();
        const std::vector<double> sums = parallelSums(rows, C, 2, [&](int64_t begin, int64_t end, double *part) {
            bnSiluGradRows(X, GY, GX, begin, end, C, a, b, mu, part, part + C);
        });
        // With g = dL/dz: dL/dbeta = sum g, dL/dgamma = sum g xhat, and
        // dL/dx = gamma invstd (g - sum g / M - xhat sum(g xhat) / M), xhat = (x - mean) invstd.
        const std::vector<float> is = toFloats(invstd), sc = toFloats(scale), m = toFloats(mean);
        std::vector<float> p(static_cast<size_t>(C)), q(static_cast<size_t>(C)), c(static_cast<size_t>(C));
        std::vector<float> gWeight(static_cast<size_t>(C)), gBias(static_cast<size_t>(C));
        for (int64_t j = 0; j < C; ++j) {
            const double sumG = sums[size_t(j)], sumGX = sums[size_t(C + j)] * is[size_t(j)];
            gBias[size_t(j)] = float(sumG);
            gWeight[size_t(j)] = float(sumGX);
            const double k = double(sc[size_t(j)]) / double(rows);
            p[size_t(j)] = sc[size_t(j)];
            q[size_t(j)] = float(-k * sumGX * is[size_t(j)]);
            c[size_t(j)] = float(-k * sumG + k * sumGX * is[size_t(j)] * m[size_t(j)]);
        }
        at::parallel_for(0, rows, kBlock, [&](int64_t begin, int64_t end) {
            bnInputGradRows(X, GX, begin, end, C, p.data(), q.data(), c.data());
        });
        return {gx, tensorOf(gWeight).to(weight.dtype()), tensorOf(gBias).to(weight.dtype()), torch::Tensor(), torch::Tensor()};
    }
};

// Ours with autograd when x needs it, ours without when not, torch's when x does not fit ours.
template<Kind kind>
torch::Tensor activation(const torch::Tensor &x)
{
    if (!eligible(x))
        return torchForward(kind, x);
    if (torch::GradMode::is_enabled() && x.requires_grad())
        return ActivationFunction<kind>::apply(x);
    return forwardOf(kind, x);
}

} // namespace

bool fastActivations()
{
    // ANNOTUNE_TORCH_ACTIVATIONS=1 runs torch's functions instead (to compare).
    static const bool available = cpuHasAvx2() && !std::getenv("ANNOTUNE_TORCH_ACTIVATIONS");
    return available;
}

torch::Tensor silu(const torch::Tensor &x) { return activation<Kind::Silu>(x); }

torch::Tensor &silu_(torch::Tensor &x)
{
    if (!eligible(x))
        return torch::silu_(x);
    RECORD_FUNCTION("annotune::silu_", std::vector<c10::IValue>{});
    return forwardInto(Kind::Silu, x, x);
}

torch::Tensor gelu(const torch::Tensor &x) { return activation<Kind::Gelu>(x); }

torch::Tensor batchNormSilu(const torch::Tensor &x, torch::nn::BatchNorm2dImpl &bn)
{
    const bool fits = fastActivations() && bn.is_training() && x.device().is_cpu() && x.scalar_type() == torch::kFloat &&
                      x.dim() == 4 && x.is_contiguous(torch::MemoryFormat::ChannelsLast) && bn.options.affine() &&
                      bn.options.track_running_stats() && bn.options.momentum().has_value() && x.numel() / x.size(1) > 1;
    if (!fits)
        return engine::silu(bn.forward(x));
    const int64_t C = x.size(1), rows = x.numel() / C;
    const torch::Tensor input = x.detach();
    const float *X = input.data_ptr<float>();
    std::vector<double> sums = parallelSums(rows, C, 1, [&](int64_t begin, int64_t end, double *part) {
        channelSums(X, begin, end, C, nullptr, part);
    });
    std::vector<float> centre(static_cast<size_t>(C));
    for (int64_t j = 0; j < C; ++j)
        centre[size_t(j)] = float(sums[size_t(j)] / double(rows));
    sums = parallelSums(rows, C, 1, [&](int64_t begin, int64_t end, double *part) {
        channelSums(X, begin, end, C, centre.data(), part);
    });
    std::vector<float> inverse(static_cast<size_t>(C)), unbiasedVar(static_cast<size_t>(C));
    const double eps = bn.options.eps();
    for (int64_t j = 0; j < C; ++j) {
        inverse[size_t(j)] = float(1.0 / std::sqrt(sums[size_t(j)] / double(rows) + eps));
        unbiasedVar[size_t(j)] = float(sums[size_t(j)] / double(rows - 1));
    }
    const torch::Tensor mean = tensorOf(centre), invstd = tensorOf(inverse), unbiased = tensorOf(unbiasedVar);
    {
        torch::NoGradGuard noGrad;
        const double momentum = *bn.options.momentum();
        bn.running_mean.mul_(1 - momentum).add_(mean, momentum);
        bn.running_var.mul_(1 - momentum).add_(unbiased, momentum);
        bn.num_batches_tracked.add_(1);
    }
    return BatchNormSiluFunction::apply(x, bn.weight, bn.bias, mean, invstd);
}

torch::Tensor &softmaxLastDim_(torch::Tensor &x)
{
    if (!eligible(x) || !x.is_contiguous() || x.dim() == 0 || x.size(-1) == 0 || (torch::GradMode::is_enabled() && x.requires_grad()))
        return x.copy_(torch::softmax(x, -1));
    const int64_t n = x.size(-1);
    softmaxRows8(x.data_ptr<float>(), x.numel() / n, n);
    return x;
}

void softmaxRows(float *x, int64_t rows, int64_t n)
{
    if (fastActivations()) {
        softmaxRows8(x, rows, n);
        return;
    }
    for (int64_t r = 0; r < rows; ++r) {
        float *row = x + r * n;
        const float top = *std::max_element(row, row + n);
        float sum = 0;
        for (int64_t j = 0; j < n; ++j)
            sum += row[j] = std::exp(row[j] - top);
        for (int64_t j = 0; j < n; ++j)
            row[j] /= sum;
    }
}

torch::Tensor layerNorm(const torch::Tensor &x, torch::nn::LayerNormImpl &ln)
{
    const auto &shape = ln.options.normalized_shape();
    const torch::Tensor &w = ln.weight, &b = ln.bias;
    const bool fits = !torch::GradMode::is_enabled() && eligible(x) && x.is_contiguous() && x.dim() >= 1 && shape.size() == 1 &&
                      x.size(-1) == shape[0] && shape[0] > 0 && ln.options.elementwise_affine() && w.defined() && b.defined() &&
                      w.scalar_type() == torch::kFloat && b.scalar_type() == torch::kFloat && w.is_cpu() && b.is_cpu() &&
                      w.is_contiguous() && b.is_contiguous();
    if (!fits)
        return ln.forward(x);
    RECORD_FUNCTION("annotune::layer_norm", std::vector<c10::IValue>{});
    const int64_t n = x.size(-1), rows = x.numel() / n;
    torch::Tensor y = torch::empty_like(x);
    const float *in = x.data_ptr<float>(), *gamma = w.data_ptr<float>(), *beta = b.data_ptr<float>();
    float *out = y.data_ptr<float>();
    const float eps = float(ln.options.eps());
    at::parallel_for(0, rows, std::max<int64_t>(1, 32768 / n), [&](int64_t begin, int64_t end) {
        layerNormRows8(in + begin * n, out + begin * n, end - begin, n, gamma, beta, eps);
    });
    return y;
}

} // namespace annotune::training::engine
