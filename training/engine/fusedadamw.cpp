#include "fusedadamw.h"

#include <sstream>
#include <type_traits>

#include <ATen/Parallel.h>
#include <cmath>

namespace annotune::training::engine {

namespace {

// The constants of one parameter's update at one step.
struct Update {
    float decay;     // 1 - lr * weight_decay
    float beta1, beta2;
    float rootCorrection2; // sqrt(1 - beta2^step)
    float eps;
    float stepSize;  // lr / (1 - beta1^step)
};

// p, g, m, v: n floats each, laid out alike; g null: a zero gradient (see releaseGradients).
template<bool HasGradient>
void updateRange(float *p, const float *g, float *m, float *v, int64_t begin, int64_t end, const Update &u)
{
    for (int64_t i = begin; i < end; ++i) {
        const float grad = HasGradient ? g[i] : 0.f;
        const float avg = m[i] * u.beta1 + (1 - u.beta1) * grad;
        const float sq = v[i] * u.beta2 + (1 - u.beta2) * grad * grad;
        m[i] = avg;
        v[i] = sq;
        p[i] = p[i] * u.decay - u.stepSize * avg / (std::sqrt(sq) / u.rootCorrection2 + u.eps);
    }
}

void update(float *p, const float *g, float *m, float *v, int64_t n, const Update &u)
{
    constexpr int64_t kGrain = 16384;
    at::parallel_for(0, n, kGrain, [&](int64_t begin, int64_t end) {
        if (g)
            updateRange<true>(p, g, m, v, begin, end, u);
        else
            updateRange<false>(p, g, m, v, begin, end, u);
    });
}

bool sameLayout(const torch::Tensor &a, const torch::Tensor &b) { return a.sizes() == b.sizes() && a.strides() == b.strides(); }

} // namespace

bool FusedAdamW::fusable(const torch::Tensor &p, const torch::optim::AdamWOptions &options)
{
    const torch::Tensor &g = p.grad();
    return !options.amsgrad() && p.is_cpu() && p.scalar_type() == torch::kFloat && p.is_non_overlapping_and_dense() &&
           (!g.defined() || (g.layout() == torch::kStrided && g.scalar_type() == torch::kFloat && sameLayout(p, g)));
}

// AdamW's key of a parameter's state: the address of its TensorImpl, as text before libtorch 2.x
// made the key the pointer itself.
using StateKey = std::remove_reference_t<decltype(std::declval<torch::optim::AdamW &>().state())>::key_type;

template<typename Key>
Key stateKey(const torch::Tensor &p)
{
    if constexpr (std::is_same_v<Key, std::string>) {
        std::ostringstream text; // how libtorch 1.x writes it
        text << p.unsafeGetTensorImpl();
        return text.str();
    } else {
        return p.unsafeGetTensorImpl();
    }
}

torch::Tensor FusedAdamW::step(LossClosure closure)
{
    // The parameters AdamW's own step must handle make it handle all of them (it keeps one state);
    // it skips a parameter without a gradient, so released gradients of parameters with a state
    // come back as zeros first.
    for (const auto &group : param_groups_)
        for (const torch::Tensor &p : group.params())
            if (!fusable(p, static_cast<const torch::optim::AdamWOptions &>(group.options()))) {
                for (auto &g : param_groups_)
                    for (torch::Tensor &q : g.params())
                        if (!q.grad().defined() && state_.count(stateKey<StateKey>(q)))
                            q.mutable_grad() = torch::zeros_like(q);
                return torch::optim::AdamW::step(std::move(closure));
            }
    torch::NoGradGuard noGrad;
    torch::Tensor loss;
    if (closure) {
        at::AutoGradMode enableGrad(true);
        loss = closure();
    }
    for (auto &group : param_groups_) {
        const auto &options = static_cast<const torch::optim::AdamWOptions &>(group.options());
        for (torch::Tensor &p : group.params()) {
            const StateKey key = stateKey<StateKey>(p);
            auto found = state_.find(key);
            // Without a gradient: skipped before its first update (as AdamW does), a zero gradient
            // after (as after AdamW's zero_grad; releaseGradients).
            if (!p.grad().defined() && found == state_.end())
                continue;
            if (found == state_.end()) {
                auto fresh = std::make_unique<torch::optim::AdamWParamState>();
                fresh->step(0);
                fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                found = state_.emplace(key, std::move(fresh)).first;
            }
            auto &state = static_cast<torch::optim::AdamWParamState &>(*found->second);
            // A state loaded from a checkpoint may be laid out otherwise: copy it into the parameter's layout.
            for (torch::Tensor *moment : {&state.exp_avg(), &state.exp_avg_sq()})
                if (!sameLayout(*moment, p) || moment->scalar_type() != torch::kFloat)
                    *moment = torch::empty_like(p, torch::MemoryFormat::Preserve).copy_(*moment);
            state.step(state.step() + 1);
            const auto [beta1, beta2] = options.betas();
            const double correction1 = 1 - std::pow(beta1, double(state.step()));
            const double correction2 = 1 - std::pow(beta2, double(state.step()));
            const Update u{float(1 - options.lr() * options.weight_decay()), float(beta1), float(beta2),
                           float(std::sqrt(correction2)), float(options.eps()), float(options.lr() / correction1)};
            update(p.data_ptr<float>(), p.grad().defined() ? p.grad().data_ptr<float>() : nullptr, state.exp_avg().data_ptr<float>(),
                   state.exp_avg_sq().data_ptr<float>(), p.numel(), u);
            // Written through raw pointers: tell autograd's version checks as an in-place op would.
            for (const torch::Tensor &t : {p, state.exp_avg(), state.exp_avg_sq()})
                t.unsafeGetTensorImpl()->bump_version();
        }
    }
    return loss;
}

void releaseGradients(torch::optim::Optimizer &optimizer)
{
    for (auto &group : optimizer.param_groups())
        for (torch::Tensor &p : group.params())
            p.mutable_grad() = torch::Tensor();
}

} // namespace annotune::training::engine
