#pragma once
// The demo generator's random source. Each rendered item gets its own, seeded from the demo seed, a
// stream tag and the item's index, so the output does not depend on which thread renders what.
// std::mt19937 and std::seed_seq are specified bit for bit; the mapping to ranges is done here
// because the standard distributions may differ between library implementations.

#include <QtGlobal>
#include <iterator>
#include <random>

namespace annotune::labeling {

class DemoRandom {
public:
    // Streams keep the uses of one seed apart.
    enum class Stream : quint32 { Shapes = 1, Invoices = 2, Status = 3 };

    DemoRandom(quint32 seed, Stream stream, quint32 index)
    {
        std::seed_seq seq{seed, quint32(stream), index};
        m_gen.seed(seq);
    }

    quint32 bits() { return quint32(m_gen()); }
    // Uniform in [0, 1).
    double unit() { return double(m_gen()) / 4294967296.0; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }
    // Uniform integer in [lo, hi].
    int between(int lo, int hi) { return lo + int(unit() * double(hi - lo + 1)); }
    bool chance(double p) { return unit() < p; }

    template <typename List>
    const auto &pick(const List &list)
    {
        return list[between(0, int(std::size(list)) - 1)];
    }

private:
    std::mt19937 m_gen;
};

} // namespace annotune::labeling
