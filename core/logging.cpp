#include "logging.h"

#include <mutex>

namespace annotune::core {

std::shared_ptr<spdlog::logger> logger(const std::string &name)
{
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    if (auto existing = spdlog::get(name))
        return existing;
    auto parent = spdlog::default_logger();
    auto created = std::make_shared<spdlog::logger>(name, parent->sinks().begin(), parent->sinks().end());
    created->set_level(parent->level());
    spdlog::register_logger(created);
    return created;
}

} // namespace annotune::core
