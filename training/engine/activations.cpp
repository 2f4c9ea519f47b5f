#include "activations.h"

#include <ATen/Parallel.h>
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

#else

void forward8(Kind, const float *, float *, int64_t) {}
void backward8(Kind, const float *, const float *, float *, int64_t) {}
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

} // namespace

bool fastActivations()
{
    // ANNOTUNE_TORCH_ACTIVATIONS=1 runs torch's functions instead (to compare).
    static const bool available = cpuHasAvx2() && !std::getenv("ANNOTUNE_TORCH_ACTIVATIONS");
    return available;
}

torch::Tensor silu(const torch::Tensor &x)
{
    if (!eligible(x))
        return torch::silu(x);
    if (torch::GradMode::is_enabled() && x.requires_grad())
        return ActivationFunction<Kind::Silu>::apply(x);
    return forwardOf(Kind::Silu, x);
}

torch::Tensor &silu_(torch::Tensor &x)
{
    if (!eligible(x))
        return torch::silu_(x);
    return forwardInto(Kind::Silu, x, x);
}

torch::Tensor gelu(const torch::Tensor &x)
{
    if (!eligible(x))
        return torch::gelu(x);
    if (torch::GradMode::is_enabled() && x.requires_grad())
        return ActivationFunction<Kind::Gelu>::apply(x);
    return forwardOf(Kind::Gelu, x);
}

} // namespace annotune::training::engine
