// manifold-lens: the desktop app, or a batch command when asked for output.

#include "batch.h"
#include "command_line.h"

#ifdef MANIFOLDLENS_HAVE_UI
#include "desktop_app.h"
#endif

#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    using namespace manifoldlens;
    try {
        CommandLine cl;
        try {
            cl = parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
        } catch (const UsageError& e) {
            std::cerr << "manifold-lens: " << e.what() << '\n';
            return kExitBadInput;
        }
        if (cl.isBatch()) return runBatch(cl, std::cout, std::cerr);
#ifdef MANIFOLDLENS_HAVE_UI
        return runDesktopApp(argc, argv, cl);
#else
        std::cerr << "manifold-lens: this build has no desktop app" << (cl.screenshotPath.empty() ? "" : " to take a screenshot with")
                  << "; use --probe or --export (see --help)\n";
        return kExitBadInput;
#endif
    } catch (const std::bad_alloc&) {
        std::cerr << "manifold-lens: out of memory: this model and grid need more memory than is available (2^U masks x "
                     "N design points x vertices); lower --resolution or the number of dropped units\n";
        return kExitBadInput;
    } catch (const std::exception& e) {
        std::cerr << "manifold-lens: internal error: " << e.what() << '\n';
        return kExitInternal;
    }
}
