#include "atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include <stdlib.h>
#include <unistd.h>

namespace manifoldlens {

namespace {

std::string reason(int err) { return std::strerror(err); }

}  // namespace

void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    if (path.empty()) throw FileError("output path is empty");
    std::error_code ec;
    if (fs::is_directory(target, ec)) throw FileError("cannot write '" + path + "': it is a directory");

    // A hidden sibling of the target: same file system, so the rename is atomic.
    fs::path tempName(".");
    tempName += target.filename();
    tempName += ".tmp-XXXXXX";
    const std::string pattern = (target.parent_path() / tempName).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0) throw FileError("cannot write '" + path + "': " + reason(errno));
    ::close(fd);
    const std::string temp(name.data());

    try {
        {
            std::ofstream out(temp, std::ios::binary | std::ios::trunc);
            if (!out) throw FileError("cannot write '" + path + "': cannot open a temporary file");
            write(out);
            out.flush();
            if (!out) throw FileError("cannot write '" + path + "': write failed (disk full?)");
        }
        // mkstemp creates the file 0600; give the result the usual permissions.
        fs::permissions(temp,
                        fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read,
                        ec);
        if (std::rename(temp.c_str(), path.c_str()) != 0) throw FileError("cannot write '" + path + "': " + reason(errno));
    } catch (...) {
        std::remove(temp.c_str());
        throw;
    }
}

}  // namespace manifoldlens
