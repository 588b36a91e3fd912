#include "atomic_file.h"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <streambuf>
#include <vector>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

namespace manifoldlens {

namespace {

std::string reason(int err) { return std::strerror(err); }

/// An output stream buffer writing to a file descriptor it does not own.
class DescriptorBuffer : public std::streambuf {
public:
    explicit DescriptorBuffer(int fd) : fd_(fd) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }

    /// Writes what is buffered; false (errno set) when the file cannot take it.
    bool drain() {
        const char* p = pbase();
        while (p < pptr()) {
            const ssize_t n = ::write(fd_, p, static_cast<std::size_t>(pptr() - p));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            p += n;
        }
        setp(buffer_.data(), buffer_.data() + buffer_.size());
        return true;
    }

protected:
    int_type overflow(int_type c) override {
        if (!drain()) return traits_type::eof();
        if (!traits_type::eq_int_type(c, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(c);
            pbump(1);
        }
        return traits_type::not_eof(c);
    }
    int sync() override { return drain() ? 0 : -1; }

private:
    int fd_;
    std::array<char, 1 << 16> buffer_{};
};

/// Gives the unnamed file fd a hidden name beside target; returns the name,
/// or an empty string (errno set) when it cannot be linked.
std::string linkUnderHiddenName(int fd, const std::filesystem::path& dir, const std::filesystem::path& target) {
    const std::string self = "/proc/self/fd/" + std::to_string(fd);
    std::random_device seed;
    std::mt19937_64 random(seed());
    for (int attempt = 0; attempt < 100; ++attempt) {
        std::filesystem::path name(".");
        name += target.filename();
        name += ".tmp-" + std::to_string(random() % 1000000000);
        const std::string candidate = (dir / name).string();
        if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, candidate.c_str(), AT_SYMLINK_FOLLOW) == 0) return candidate;
        if (errno != EEXIST) break;
    }
    return {};
}

}  // namespace

// The content goes to an unnamed file in the target's directory (O_TMPFILE):
// if the process is interrupted or killed while writing, the system discards
// it and nothing is left behind. Complete, it is linked under a hidden name
// and renamed over the target (same file system: atomic). Where the file
// system has no unnamed files, a named hidden temporary file (mkstemp) is
// written instead and removed on every error.
void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    if (path.empty()) throw FileError("output path is empty");
    std::error_code ec;
    if (fs::is_directory(target, ec)) throw FileError("cannot write '" + path + "': it is a directory");
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    const auto fail = [&](const std::string& why) { return FileError("cannot write '" + path + "': " + why); };

    std::string named;  // the temporary file's name while it has one
    int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        fs::path pattern = dir;
        pattern /= ".";
        pattern += target.filename();
        pattern += ".tmp-XXXXXX";
        const std::string text = pattern.string();
        std::vector<char> name(text.begin(), text.end());
        name.push_back('\0');
        fd = ::mkstemp(name.data());
        if (fd >= 0) {
            named = name.data();
            ::fchmod(fd, 0644);  // mkstemp creates the file 0600
        }
    }
    if (fd < 0) throw fail(reason(errno));

    try {
        DescriptorBuffer buffer(fd);
        std::ostream out(&buffer);
        write(out);
        out.flush();
        if (!out || !buffer.drain()) throw fail("write failed (disk full?)");
        if (named.empty()) {
            named = linkUnderHiddenName(fd, dir, target);
            if (named.empty()) throw fail(reason(errno));
        }
        if (::close(fd) != 0) {
            fd = -1;
            throw fail(reason(errno));
        }
        fd = -1;
        if (std::rename(named.c_str(), path.c_str()) != 0) throw fail(reason(errno));
    } catch (...) {
        if (fd >= 0) ::close(fd);
        if (!named.empty()) std::remove(named.c_str());
        throw;
    }
}

}  // namespace manifoldlens
