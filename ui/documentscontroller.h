#pragma once
// File > Import PDFs / Import Scans / Import FUNSD: asks for the files, runs the import as a
// ProjectJob (progress, cancel) and tells the window when the project changed.

#include "jobcontroller.h"

namespace annotune::core::store {
class Project;
}

namespace annotune::ui {

class DocumentsController : public JobController {
    Q_OBJECT
public:
    using JobController::JobController;

    // Each asks first; nothing happens without a writable project or while a job runs.
    void importPdfs(core::store::Project *project);
    void importScans(core::store::Project *project);
    void importFunsd(core::store::Project *project);

private:
    bool ready(core::store::Project *project) const;
};

} // namespace annotune::ui
