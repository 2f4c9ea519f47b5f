#pragma once
// The layout-aware token classifier for document fields: each word is the mean of its hashed
// character n-gram embeddings, plus the mean embedding of its neighbours' words (left, right, above:
// where keys of key-value pairs sit), plus embeddings of its quantised box; a small pre-norm Transformer
// encoder mixes words; heads tag words (BIO over the field classes) and, for self-supervised
// pretraining, guess masked words. Linear layers carry optional LoRA adapters.

#include "core/training/jobspec.h"
#include "training/engine/pagefeatures.h"

#include <torch/torch.h>

namespace annotune::training::engine {

struct ExtractorOptions {
    ExtractorOptions(int64_t numClasses) : numClasses_(numClasses) {}
    TORCH_ARG(int64_t, numClasses);
    TORCH_ARG(int64_t, dim) = 64;
    TORCH_ARG(int64_t, layers) = 2;
    TORCH_ARG(int64_t, heads) = 4;
    TORCH_ARG(int64_t, buckets) = 8192;
    TORCH_ARG(double, dropout) = 0.1;
    // A learnt per-head bias on the attention scores by how far apart two words are across and down
    // the page (their box centres, in log-spaced buckets): where a word sits relative to another.
    TORCH_ARG(bool, spatialBias) = false;
    TORCH_ARG(int64_t, loraRank) = 0;
    TORCH_ARG(double, loraAlpha) = 16;
    TORCH_ARG(std::vector<std::string>, loraTargets) = std::vector<std::string>{"q", "v"};
};

// y = x W^T + b (+ (alpha / rank) x A^T B^T while adapters are on). B starts at zero, so adding
// adapters does not change the output; merge() folds them into W.
class LoraLinearImpl : public torch::nn::Module {
public:
    LoraLinearImpl(int64_t in, int64_t out, int64_t rank, double alpha);
    torch::Tensor forward(const torch::Tensor &x);
    bool hasAdapter() const { return m_rank > 0; }
    // W, plus (alpha / rank) B A while the adapters are on: the one matrix forward applies.
    torch::Tensor effectiveWeight() const;
    void merge();
    std::vector<torch::Tensor> adapterParameters() const;

    torch::nn::Linear base{nullptr};
    torch::Tensor loraA, loraB;

private:
    int64_t m_rank;
    double m_scale;
    bool m_merged = false;
};
TORCH_MODULE(LoraLinear);

// Multi-head attention of a padded batch with autograd: softmax(q k^T / sqrt(dh) + bias) v per head,
// keys where pad [B, T] is true masked out, dropout p on the attention weights. q, k, v [B, T, D]
// (heads side by side); bias [B, heads, T, T] or undefined. On float CPU tensors a function of our
// own (each page and head's products on the BLAS, in parallel, forward and backward; dropout drawn
// from torch's generator); elsewhere, or with ANNOTUNE_TORCH_ATTENTION set, torch's ops.
torch::Tensor paddedAttention(const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v, const torch::Tensor &pad,
                              const torch::Tensor &bias, int64_t heads, double dropout);

class EncoderLayerImpl : public torch::nn::Module {
public:
    EncoderLayerImpl(const ExtractorOptions &o);
    // x [B, T, D]; pad [B, T] true where there is no word; bias [B, heads, T, T] added to the
    // attention scores (optional).
    torch::Tensor forward(const torch::Tensor &x, const torch::Tensor &pad, const torch::Tensor &bias = {});
    // The same layer without dropout on the words alone: x [N, D] holds the pages' words one page
    // after another, lengths[b] of them for page b (summing to N). Nothing is padded, so nothing is
    // masked or computed in vain; q, k and v are one matrix product. For evaluation and prediction.
    // biases (empty, or one per page): [heads, n, n] added to page b's attention scores.
    torch::Tensor forwardWords(const torch::Tensor &x, const std::vector<int64_t> &lengths,
                               const std::vector<torch::Tensor> &biases = {});
    std::vector<LoraLinear> linears() const { return {q, k, v, o, ff1, ff2}; }

private:
    int64_t m_heads;
    double m_dropout;
    LoraLinear q{nullptr}, k{nullptr}, v{nullptr}, o{nullptr}, ff1{nullptr}, ff2{nullptr};
    torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr};
};
TORCH_MODULE(EncoderLayer);

// The model a job spec describes (classes outputs, adapters of loraRank; 0 = none).
ExtractorOptions extractorOptions(const core::training::JobSpec &spec, int64_t classes, int64_t loraRank);

// A padded batch of pages.
struct PageBatch {
    torch::Tensor ngrams, offsets; // flat, for EmbeddingBag
    torch::Tensor context, contextOffsets;
    torch::Tensor boxes;           // [B, T, 4]
    torch::Tensor pad;             // [B, T] bool
    torch::Tensor flat;            // [N] positions of the words in B * T
    torch::Tensor tags;            // [B, T] (-100 on padding)
    torch::Tensor wordHash;        // [B, T] (-100 on padding)
    std::vector<int64_t> lengths;  // words of each page (flat holds them page by page)
};

PageBatch makeBatch(const std::vector<const PageFeatures *> &pages, const torch::Device &device);

class ExtractorImpl : public torch::nn::Module {
public:
    explicit ExtractorImpl(const ExtractorOptions &options);
    // Hidden states [B, T, D]; masked [B, T] (optional) replaces those words' text by a mask vector
    // and leaves the layout context out (it would name the masked words through their neighbours).
    // In eval mode the layers run on the words alone (EncoderLayerImpl::forwardWords) and padding
    // positions come out as zeros; in training mode they hold whatever the padded pass gives them.
    torch::Tensor encode(const PageBatch &batch, const torch::Tensor &masked = {});
    torch::Tensor tagLogits(const torch::Tensor &hidden) { return tagHead(hidden); }
    torch::Tensor wordLogits(const torch::Tensor &hidden) { return wordHead(hidden); }
    // Tag probabilities of the batch's words, [N, tags] in the order of batch.flat (no padding
    // rows): what prediction decodes. On the CPU in eval mode nothing is computed for padding.
    torch::Tensor wordTagProbabilities(const PageBatch &batch);

    const ExtractorOptions &options() const { return m_options; }
    std::vector<LoraLinear> loraLinears() const;
    // Adapter and tag-head parameters: what LoRA fine-tuning trains.
    std::vector<torch::Tensor> adapterParameters() const;
    void setBaseFrozen(bool frozen);
    void mergeAdapters();

    // The spatial attention bias of words with boxes [..., T, 4] (position bins): [..., heads, T, T].
    torch::Tensor spatialBias(const torch::Tensor &boxes);

private:
    // Whether encode runs on the words alone (eval mode on the CPU).
    bool wordsOnly(const PageBatch &batch) const;
    // Hidden states of the words only, [N, D] in the order of batch.flat (eval mode).
    torch::Tensor encodeWords(const PageBatch &batch, const torch::Tensor &masked);

    ExtractorOptions m_options;
    torch::nn::EmbeddingBag text{nullptr}, context{nullptr};
    torch::nn::Embedding x0{nullptr}, y0{nullptr}, x1{nullptr}, y1{nullptr};
    torch::nn::Embedding across{nullptr}, down{nullptr}; // spatial bias per distance bucket and head
    torch::Tensor distanceBucket;                          // bucket of each centre distance (see spatialBias)
    torch::Tensor maskVector;
    torch::nn::LayerNorm embedNorm{nullptr}, finalNorm{nullptr};
    torch::nn::ModuleList layers{nullptr};
    torch::nn::Linear tagHead{nullptr}, wordHead{nullptr};
};
TORCH_MODULE(Extractor);

// Loss weight of the O tag against the field tags in tagLoss.
inline constexpr double kOutsideTagWeight = 0.3;

// The fine-tuning objective: cross-entropy of the tags of batch's words (padding ignored), the O
// tag weighed kOutsideTagWeight.
torch::Tensor tagLoss(Extractor &model, const PageBatch &batch);

// Per page, the tag probabilities of its words, row-major [words x tags] (eval mode, no grad).
std::vector<std::vector<float>> predictTagProbs(Extractor &model, const std::vector<const PageFeatures *> &pages,
                                                const torch::Device &device);

} // namespace annotune::training::engine
