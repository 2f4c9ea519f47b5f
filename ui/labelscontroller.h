#pragma once
// File > Import Labels / Export Labels: asks with a dialog, runs the work as a ProjectJob and
// tells the window when the project changed.

#include "jobcontroller.h"

namespace annotune::core::store {
class Project;
}

namespace annotune::ui {

class LabelsController : public JobController {
    Q_OBJECT
public:
    using JobController::JobController;

    // Both ask first; nothing happens without a project or while a job runs.
    void importLabels(core::store::Project *project);
    void exportLabels(core::store::Project *project);
};

} // namespace annotune::ui
