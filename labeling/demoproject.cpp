#include "demoproject.h"

namespace annotune::labeling {

core::Result<DemoReport> generateDemo(const QString &, const DemoOptions &, const ProgressFn &)
{
    return core::makeError(core::ErrorCode::Internal, QStringLiteral("demo generator not built yet"));
}

} // namespace annotune::labeling
