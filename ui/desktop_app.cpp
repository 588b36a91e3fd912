#include "desktop_app.h"

#include <iostream>

namespace manifoldlens {

int runDesktopApp(int, char**, const CommandLine&) {
    std::cerr << "manifold-lens: the desktop window is not available in this version; use --probe or --export (see --help)\n";
    return 2;
}

}  // namespace manifoldlens
