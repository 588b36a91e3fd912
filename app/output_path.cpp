#include "output_path.h"

#include "command_line.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <filesystem>
#include <system_error>

#include <unistd.h>

namespace manifoldlens {

namespace {

bool equalIgnoringCase(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

}  // namespace

std::string shownPath(const std::string& path) {
    constexpr std::size_t kShown = 80;
    return path.size() <= kShown ? path : path.substr(0, kShown) + "...";
}

void checkOutputPath(const std::string& option, const std::string& path, std::string_view extension) {
    namespace fs = std::filesystem;
    auto fail = [&](const std::string& problem) { throw UsageError(option + ": " + shownPath(path) + ": " + problem); };
    const fs::path target(path);

    // The file type of p; a file that does not exist is not an error here.
    auto typeOf = [&](const fs::path& p) {
        std::error_code ec;
        const fs::file_type t = fs::status(p, ec).type();
        if (ec && t != fs::file_type::not_found) fail(ec.message());
        return t;
    };
    if (typeOf(target) == fs::file_type::directory) fail("it is a directory");
    const std::string name = target.filename().string();
    if (name.empty() || equalIgnoringCase(name, extension)) fail("the file name is missing");
    const std::string type = target.extension().string();
    if (!equalIgnoringCase(type, extension))
        fail((type.empty() ? std::string("the file type is missing") : "unsupported file type '" + type + "'") +
             " (supported: " + std::string(extension) + ")");
    const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
    const fs::file_type directoryType = typeOf(directory);
    if (directoryType == fs::file_type::not_found) fail("the directory does not exist");
    if (directoryType != fs::file_type::directory) fail("'" + shownPath(directory.string()) + "' is not a directory");
    if (::access(directory.c_str(), W_OK) != 0)
        fail("the directory is not writable (" + std::error_code(errno, std::generic_category()).message() + ")");
}

}  // namespace manifoldlens
