#pragma once
// What the engine's direct calls into oneDNN share (detectorplan.cpp, winogradconv.cpp): the names
// they use and the process's CPU engine. Only in builds with oneDNN's headers (ANNOTUNE_WITH_ONEDNN,
// set by training/engine/CMakeLists.txt).

#if ANNOTUNE_WITH_ONEDNN

#include <oneapi/dnnl/dnnl.hpp>

#include <unordered_map>

namespace annotune::training::engine::onednn {

using dnnl::memory;
using Tag = memory::format_tag;
inline constexpr memory::data_type kF32 = memory::data_type::f32;

// The CPU engine, one for the process.
inline dnnl::engine &cpuEngine()
{
    static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

// A stream on it for the calling thread.
inline dnnl::stream &cpuStream()
{
    thread_local dnnl::stream stream(cpuEngine());
    return stream;
}

} // namespace annotune::training::engine::onednn

#endif
